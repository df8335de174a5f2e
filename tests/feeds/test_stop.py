"""A running ``newsfuse watch`` process: SIGTERM and Ctrl-C end it cleanly with what was
fetched committed; a second watch on the same store is refused."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.feeds.server import HTML, XML, LocalServer, Reply, page_html, rss
from tests.feeds.test_faults import PARAGRAPHS


def _newsroom(server: LocalServer, slow: float) -> str:
    items = []
    for n in range(4):
        path = f"/p/{n}"
        body = page_html(f"Report {n}", [f"{p} Report {n} of four." for p in PARAGRAPHS])
        if n == 3:
            def late(handler: BaseHTTPRequestHandler, body: bytes = body) -> Reply:
                time.sleep(slow)
                return Reply(200, HTML, body)
            server.routes[path] = late
        else:
            server.routes[path] = Reply(200, HTML, body)
        items.append({"title": f"Report {n}", "link": server.url(path)})
    server.routes["/f.xml"] = Reply(200, XML, rss("Four", items))
    return server.url("/f.xml")


def _start(url: str, db: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from newsfuse.cli import main; sys.exit(main())",
         "watch", url, "--db", str(db), "--every", "10s", "--host-interval", "0",
         "--workers", "1", *extra],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)


def _wait_for(condition, seconds: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stop_signal_commits_the_batch_in_flight(server: LocalServer, tmp_path: Path,
                                                 signum: int) -> None:
    url = _newsroom(server, slow=2.0)
    db = tmp_path / "news.db"
    process = _start(url, db)
    try:
        _wait_for(lambda: server.hits("/p/3"))  # the slow page is being served
        process.send_signal(signum)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "stopping: finishing the requests in flight" in err
    assert "stopped after 1 cycle(s): 4 new article(s) stored" in err
    with sqlite3.connect(db) as connection:
        titles = {t for (t,) in connection.execute("SELECT title FROM articles")}
        items = connection.execute("SELECT COUNT(*) FROM feed_items WHERE status = 'stored'"
                                   ).fetchone()[0]
    assert titles == {f"Report {n}" for n in range(4)}
    assert items == 4


def test_a_second_watch_on_the_store_is_refused(server: LocalServer, tmp_path: Path) -> None:
    url = _newsroom(server, slow=0.0)
    db = tmp_path / "news.db"
    first = _start(url, db)
    try:
        _wait_for(lambda: db.exists() and Path(f"{db}.watch.lock").exists()
                  and len(server.hits("/p/3")) == 1)
        second = _start(url, db, "--once")
        _, err = second.communicate(timeout=60)
        assert second.returncode == 2
        assert "another 'newsfuse watch' is following feeds into this store" in err
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
    assert first.returncode == 0
