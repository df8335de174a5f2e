"""Out-of-range command-line values get one clear line and exit 2, never a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from newsfuse.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "corpus"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("store") / "news.db"
    assert main(["ingest", "--quiet", "--db", str(db), str(EXAMPLES)]) == 0
    return db


@pytest.mark.parametrize("args", [
    ["brief", "--event", "99999999999999999999999"],
    ["timeline", "--story", "99999999999999999999999"],
    ["events", "--limit", "99999999999999999999999"],
    ["events", "--limit", "0"],
    ["ingest", "--wait", "nan", str(EXAMPLES)],
    ["ingest", "--wait", "-1", str(EXAMPLES)],
    ["ingest", "--wait", "inf", str(EXAMPLES)],
])
def test_values_out_of_range_are_refused(capsys, store: Path, args: list[str]):
    with pytest.raises(SystemExit) as exited:
        main([*args, "--db", str(store)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error: argument" in err.strip().splitlines()[-1]


def test_unknown_event_is_one_line(capsys, store: Path):
    assert main(["brief", "--db", str(store), "--event", "987654321"]) == 2
    assert capsys.readouterr().err.strip() == f"newsfuse: {store}: no event 987654321"


def test_busy_port_is_named(capsys, store: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--db", str(store), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot serve on 127.0.0.1:{port}: address already in use" in err


def test_cached_brief_follows_the_options(capsys, store: Path):
    from newsfuse.corpus.store import Store

    assert main(["events", "--db", str(store), "--format", "json"]) == 0
    capsys.readouterr()
    with Store(store, readonly=True) as opened:
        event = max(opened.events(limit=50), key=lambda e: e["articles"])["id"]
    assert main(["brief", "--db", str(store), "--event", str(event), "--words", "40",
                 "--encoder", "tfidf", "--format", "json"]) == 0
    short = capsys.readouterr().out
    assert main(["brief", "--db", str(store), "--event", str(event), "--words", "200",
                 "--encoder", "tfidf", "--format", "json"]) == 0
    long = capsys.readouterr().out
    assert len(long) > len(short)  # not the brief cached for the other budget
    assert main(["brief", "--db", str(store), "--event", str(event), "--words", "40",
                 "--encoder", "tfidf", "--format", "json"]) == 0
    assert capsys.readouterr().out == short
