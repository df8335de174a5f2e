"""Folders are read whole: linked subfolders too, each real folder once."""

from __future__ import annotations

import os
from pathlib import Path

from newsfuse import read

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def test_linked_subfolder_is_read_and_a_link_loop_ends(tmp_path: Path):
    root = tmp_path / "inbox"
    root.mkdir()
    os.symlink(SEEDS, root / "seeds")  # a linked folder of real reports
    os.symlink(root, root / "loop")  # a link back to the top
    stream = read([root])
    ids = sorted(a.id for a in stream)
    assert ids == sorted(p.stem for p in SEEDS.iterdir() if p.is_file())
    assert stream.report.skipped_total == 0
