"""A local HTTP server per test, and a helper that runs the watch against it."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsfuse.feeds.watch import Log, Watcher, WatchOptions
from tests.feeds.server import LocalServer


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.close()


@dataclass
class Run:
    code: int
    log: str
    db: Path

    def rows(self, sql: str, *args: object) -> list[tuple]:
        with sqlite3.connect(self.db) as connection:
            return connection.execute(sql, args).fetchall()

    def feed(self, url: str) -> dict[str, object]:
        with sqlite3.connect(self.db) as connection:
            connection.row_factory = sqlite3.Row
            row = connection.execute("SELECT * FROM feeds WHERE url = ?", (url,)).fetchone()
            return dict(row)


class Watch:
    """Runs the watch on one store: ``watch(urls, **options)`` polls once."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(self, urls: list[str], *, json_log: bool = False, quiet: bool = False,
                 **options: object) -> Run:
        # generous bounds, so a loaded machine never times out a local reply; the tests of
        # timeouts set their own
        settings = {"once": True, "timeout": 10.0, "total_timeout": 30.0, "host_interval": 0.0,
                    **options}
        stream = io.StringIO()
        log = Log(stream, quiet=quiet, json_lines=json_log)
        code = Watcher(str(self.db), urls, WatchOptions(**settings), log).run()  # type: ignore[arg-type]
        return Run(code, stream.getvalue(), self.db)

    def due_now(self) -> None:
        """Forget back-off, as if its time had passed."""
        with sqlite3.connect(self.db) as connection:
            connection.execute("UPDATE feeds SET next_poll = 0")


@pytest.fixture
def watch(tmp_path: Path) -> Watch:
    return Watch(tmp_path / "news.db")
