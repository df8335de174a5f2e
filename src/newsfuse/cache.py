"""The user's cache folder, for files newsfuse derives from installed packages and can
always make again (the language model uncompressed, the Spark JVM's class archive).

Entries are written under a name starting with :data:`PARTIAL` and renamed into place, so a
reader sees a whole entry or none; :func:`remove_stale_partials` clears what a process that
died while writing left behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

PARTIAL = ".partial-"  # the name of an entry being written starts with this


def cache_home() -> Path | None:
    """The user's cache folder (``$XDG_CACHE_HOME`` when set to an absolute path, else
    ``~/.cache``); ``None`` when there is no home to put it in."""
    configured = os.environ.get("XDG_CACHE_HOME", "")
    if configured and os.path.isabs(configured):
        return Path(configured)
    try:
        return Path.home() / ".cache"
    except (RuntimeError, KeyError):
        return None


def remove_stale_partials(parent: Path, stale_s: float) -> None:
    """Remove what processes that died while writing a cache entry left half-written in
    ``parent``: files or folders named ``PARTIAL...`` older than ``stale_s`` seconds."""
    cutoff = time.time() - stale_s
    for entry in parent.iterdir():
        with contextlib.suppress(OSError):
            if entry.name.startswith(PARTIAL) and entry.stat().st_mtime < cutoff:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink()
