"""What the watch remembers of each feed and article URL, in the store's own SQLite file.

Two tables beside the store's:

* ``feeds``: per feed, the validators of its last answer (ETag, Last-Modified) for
  conditional GET, when it was polled and when it may be polled next (back-off), its last
  error, consecutive failures and 410 answers, and whether it was dropped.
* ``feed_items``: per canonical article URL, what became of it: stored (with the article
  id), skipped for good (with the reason), or failed for a passing reason (tried again up
  to ``FEED_PAGE_ATTEMPTS`` times). An URL listed here is never fetched again, whichever
  feed lists it and whatever date the feed gives it.

The tables are created when the watch first opens a store; readers (``newsfuse feeds``,
the web page) treat a store without them as one that follows no feed.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsfuse import settings

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    title TEXT,
    etag TEXT, last_modified TEXT,        -- validators for conditional GET
    added TEXT NOT NULL,
    last_poll TEXT, last_ok TEXT,
    last_status TEXT,                     -- new, unchanged, not modified, error, dropped
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,  -- consecutive failed polls
    gone INTEGER NOT NULL DEFAULT 0,      -- consecutive 410 answers
    next_poll REAL NOT NULL DEFAULT 0,    -- seconds since the epoch
    dropped TEXT                          -- when it was dropped (410 Gone, repeatedly)
);
CREATE TABLE IF NOT EXISTS feed_items (
    url TEXT PRIMARY KEY,                 -- canonical article URL (or guid:<id>)
    feed TEXT NOT NULL,
    article TEXT,                         -- the stored article's id
    status TEXT NOT NULL,                 -- stored, skipped, failed
    reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    seen TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feed_items_feed ON feed_items(feed, status);
"""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Feed:
    url: str
    etag: str | None
    last_modified: str | None
    failures: int
    gone: int
    next_poll: float
    dropped: str | None


class FeedState:
    """The feed tables of the store at ``path`` (created if missing)."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute(f"PRAGMA busy_timeout = {settings.STORE_BUSY_MS}")
        # as the store's own writes: a crash never loses a commit (WAL), a power cut may
        # lose the last ones; a feed's state is then polled again, which is harmless
        self.db.execute("PRAGMA synchronous = NORMAL")
        with self.transaction():
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)

    def close(self) -> None:
        self.db.close()

    def add(self, urls: list[str]) -> None:
        added = now_iso()
        self.db.executemany("INSERT OR IGNORE INTO feeds(url, added) VALUES (?, ?)",
                            [(u, added) for u in urls])

    def feed(self, url: str) -> Feed:
        row = self.db.execute("SELECT url, etag, last_modified, failures, gone, next_poll, "
                              "dropped FROM feeds WHERE url = ?", (url,)).fetchone()
        if row is None:
            self.add([url])
            return Feed(url, None, None, 0, 0, 0.0, None)
        return Feed(*row)

    def revive(self, url: str) -> None:
        self.db.execute("UPDATE feeds SET dropped = NULL, gone = 0, failures = 0, "
                        "next_poll = 0 WHERE url = ?", (url,))

    def polled(self, url: str, *, status: str, title: str | None = None,
               etag: str | None = None, last_modified: str | None = None,
               error: str | None = None, next_poll: float, gone: bool = False,
               drop: bool = False) -> None:
        """Record one poll: its outcome and when the feed may be polled next."""
        stamp = now_iso()
        if error is None:
            self.db.execute(
                "UPDATE feeds SET last_poll = ?, last_ok = ?, last_status = ?, "
                "last_error = NULL, failures = 0, gone = 0, next_poll = ?, "
                "title = COALESCE(?, title), etag = COALESCE(?, etag), "
                "last_modified = COALESCE(?, last_modified) WHERE url = ?",
                (stamp, stamp, status, next_poll, title, etag, last_modified, url))
        else:
            self.db.execute(
                "UPDATE feeds SET last_poll = ?, last_status = ?, last_error = ?, "
                "failures = failures + 1, gone = CASE WHEN ? THEN gone + 1 ELSE 0 END, "
                "next_poll = ?, dropped = CASE WHEN ? THEN ? ELSE dropped END WHERE url = ?",
                (stamp, "dropped" if drop else "error", error, gone, next_poll, drop, stamp,
                 url))

    # --- article URLs ---------------------------------------------------------------------
    def known(self, keys: list[str]) -> dict[str, tuple[str, int]]:
        """Status and attempts of each key already listed (stored, skipped, failed)."""
        found: dict[str, tuple[str, int]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, status, attempts in self.db.execute(
                    f"SELECT url, status, attempts FROM feed_items WHERE url IN ({marks})",
                    chunk):
                found[key] = (status, attempts)
        return found

    def record(self, rows: list[tuple[str, str, str | None, str, str | None]]) -> None:
        """(key, feed, article id, status, reason) for URLs stored, skipped or failed."""
        if not rows:
            return
        seen = now_iso()
        self.db.executemany(
            "INSERT INTO feed_items(url, feed, article, status, reason, seen) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
            "article = excluded.article, status = excluded.status, "
            "reason = excluded.reason, attempts = feed_items.attempts + 1, "
            "seen = excluded.seen",
            [(*row, seen) for row in rows])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One commit for what a feed's poll changed (its URLs and its own row), or for
        the tables made when the state is opened; nothing of it when it fails."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise


def list_feeds(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every followed feed with its last poll, last error and article counts; empty for a
    store that follows none. Works on a read-only connection."""
    tables = {r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE name IN ('feeds', 'feed_items')")}
    if tables != {"feeds", "feed_items"}:
        return []
    counts: dict[tuple[str, str], int] = {}
    for feed, status, n in db.execute(
            "SELECT feed, status, COUNT(*) FROM feed_items GROUP BY feed, status"):
        counts[(feed, status)] = n
    rows = db.execute(
        "SELECT url, title, added, last_poll, last_ok, last_status, last_error, failures, "
        "next_poll, dropped FROM feeds ORDER BY COALESCE(title, url), url").fetchall()
    result = []
    now = time.time()
    for (url, title, added, last_poll, last_ok, status, error, failures, next_poll,
         dropped) in rows:
        result.append({
            "url": url, "title": title, "added": added, "last_poll": last_poll,
            "last_ok": last_ok, "status": "dropped" if dropped else (status or "not polled"),
            "last_error": error, "failures": failures,
            "next_poll": (datetime.fromtimestamp(next_poll, UTC).isoformat(timespec="seconds")
                          if next_poll and next_poll > now and not dropped else None),
            "dropped": dropped,
            "articles": counts.get((url, "stored"), 0),
            "skipped": counts.get((url, "skipped"), 0),
            "failed": counts.get((url, "failed"), 0)})
    return result
