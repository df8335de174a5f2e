"""The embedded store: articles, events, stories and cached briefs in one SQLite file.

* **Consistent at every moment.** Articles are taken in batches, placed in each batch's
  canonical order, and written in transactions that each also hold the clustering state
  they produced (document frequencies, changed events, merges, story links). A process
  killed mid-ingest leaves the store as of its last committed transaction; running the
  ingest again skips what is stored (each article's fingerprint is unique) and completes it,
  with exactly the result of an ingest that never stopped (every event's whole clustering
  state is stored).
* **Short writes.** A transaction places articles for at most ``STORE_HOLD_SECONDS`` and
  then commits, so no writer holds the store for much more than a second whatever the
  input's size.
* **One writer at a time, in turns.** A transaction holds an exclusive lock on
  ``<db>.lock`` (the operating system releases it if the process dies); a writer that finds
  it taken waits up to ``wait`` seconds per transaction, and writers waiting are let in
  between another's transactions. Readers never wait (WAL journal).
* **Stopping.** An ingest asked to stop commits the transaction in progress and returns.
* **Versioned schema.** ``PRAGMA user_version`` records the schema; opening an older store
  applies the missing migrations in order, in one transaction; a newer store is refused.
* **Damage is reported, never deepened.** A file that is not a newsfuse store, a damaged
  one, a read-only one or a locked one raises :class:`StoreError` with the path and reason
  before anything is written; before its first write a store gets SQLite's quick check.
  :mod:`newsfuse.corpus.repair` checks a store in full and salvages a damaged one.
* **Search.** Titles and texts are indexed with FTS5 (``settings.STORE_FTS_TOKENIZER``:
  unicode61, case and accents folded in every language, no stemming).

Clustering state is stored as plain numbers: document frequencies as rows, event centroids
as raw little-endian arrays; nothing is ever unpickled.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from newsfuse import settings
from newsfuse.corpus.cluster import canonical_order
from newsfuse.corpus.dedup import band_keys, first_copy
from newsfuse.corpus.engine import Clusterer, EventState, Repairs, day_number
from newsfuse.corpus.online import add_article
from newsfuse.errors import NewsfuseError
from newsfuse.model import Article, Dateline, EmbeddedPost, Origin, Removal, Sentence
from newsfuse.render.articles import article_to_dict

SCHEMA_VERSION = 8
_EPOCH_ORDINAL = datetime(1970, 1, 1).toordinal()  # day numbers count from 1970-01-01

# Each migration takes the store from the version before it to its own number.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, """
    CREATE TABLE articles (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,            -- unique in the store (a clash is renamed)
        source_id TEXT NOT NULL,            -- the id the input gave
        fingerprint TEXT NOT NULL UNIQUE,   -- what makes an ingest idempotent
        title TEXT, text TEXT NOT NULL, date TEXT, day REAL, outlet TEXT, url TEXT,
        record TEXT NOT NULL,               -- the cleaned article as JSON
        signature BLOB,                     -- MinHash values (uint32, little-endian)
        event INTEGER NOT NULL,
        copy_of TEXT,
        undated INTEGER NOT NULL DEFAULT 0,
        added TEXT NOT NULL
    );
    CREATE INDEX articles_event ON articles(event);
    CREATE TABLE bands (key INTEGER NOT NULL, article INTEGER NOT NULL);
    CREATE INDEX bands_key ON bands(key);
    CREATE VIRTUAL TABLE search USING fts5(title, text);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        story INTEGER NOT NULL,
        first REAL, last REAL,
        size INTEGER NOT NULL DEFAULT 0,
        headline TEXT,
        terms BLOB, weights BLOB,           -- centroid: int32 buckets, float64 weights
        merged_into INTEGER
    );
    CREATE INDEX events_story ON events(story);
    CREATE TABLE briefs (event INTEGER PRIMARY KEY, articles INTEGER NOT NULL,
                         json TEXT NOT NULL, built TEXT NOT NULL);
    CREATE TABLE state (key TEXT PRIMARY KEY, value BLOB);
    """),
    # Listing recent events (``events --since``) without a scan.
    (2, "CREATE INDEX events_last ON events(last);"),
    # Document frequencies as rows, so that a batch writes only the buckets it changed
    # (version 2 kept one 2 MB array in ``state``; it is moved here on the next ingest).
    (3, "CREATE TABLE df (bucket INTEGER PRIMARY KEY, n INTEGER NOT NULL);"),
    # Per-event counts (articles, copies, undated) read from the index alone: the events
    # list of a large store answers without touching the article rows.
    (4, """
    CREATE INDEX articles_event_counts ON articles(event, copy_of, undated);
    DROP INDEX articles_event;
    """),
    # The event of each article in a narrow table: a full-text search finds its events
    # without reading the (wide) article rows. Kept equal to articles.event.
    (5, """
    CREATE TABLE placement (article INTEGER PRIMARY KEY, event INTEGER NOT NULL);
    INSERT INTO placement(article, event) SELECT rowid, event FROM articles;
    CREATE INDEX placement_event ON placement(event);
    """),
    # A cached brief is kept with the options it was made with (encoder, length, newsfuse
    # version...): a brief asked with other options is built again. Older entries, made
    # with unknown options, are dropped.
    (6, """
    DELETE FROM briefs;
    ALTER TABLE briefs ADD COLUMN options TEXT NOT NULL DEFAULT '';
    """),
    # Search in every language the store holds, with the tokenizer named explicitly: case
    # and accents folded for every Latin letter, those with two diacritics too ("Égypte"
    # finds "egypte"); no stemmer, so no language is favoured. The index is rebuilt from the
    # stored articles.
    (7, f"""
    DROP TABLE search;
    CREATE VIRTUAL TABLE search USING fts5(title, text,
                                           tokenize = '{settings.STORE_FTS_TOKENIZER}');
    INSERT INTO search(rowid, title, text) SELECT rowid, title, text FROM articles;
    """),
    # The whole clustering state of an event, so that an ingest resumed after a stop (or
    # another writer's turn) places articles exactly as one that ran without a break: when
    # its merge check is next due (``checked``), its squared norm as summed, the terms it
    # is indexed under, and whether it is still open (not yet left the story window).
    (8, f"""
    ALTER TABLE events ADD COLUMN checked INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN norm2 REAL;
    ALTER TABLE events ADD COLUMN indexed BLOB;
    ALTER TABLE events ADD COLUMN open INTEGER NOT NULL DEFAULT 1;
    UPDATE events SET open = 0 WHERE merged_into IS NOT NULL
        OR last < (SELECT value FROM state WHERE key = 'clock') - {settings.STORY_WINDOW_DAYS};
    """),
)


class StoreError(NewsfuseError):
    """The store cannot be used: its path and why."""


class StoreBusy(StoreError):
    """Another writer held the store for longer than the caller would wait."""


class _WriteLock:
    """The store's single-writer lock, taken for one transaction at a time.

    ``<db>.lock`` is held (``flock``, released by the operating system if the process dies)
    while a writer places and commits one transaction. A writer that finds it taken
    announces itself with a shared lock on ``<db>.wait`` while it waits; a writer that has
    just committed checks that file and, when someone is waiting, lets them take the store
    before it takes it again. So a long ingest and a posted article, or two ingests, take
    turns of about a second each instead of one waiting for the other to finish."""

    def __init__(self, path: Path) -> None:
        self.path = path
        names = (Path(f"{path}.lock"), Path(f"{path}.wait"))
        self.handles = []
        for name in names:
            try:
                self.handles.append(open(name, "a+b"))  # noqa: SIM115 - closed in close()
            except OSError as exc:
                self.close()
                raise StoreError(f"{name}: cannot create the lock file: {exc.strerror}") \
                    from None
        self.lock, self.queue = self.handles

    def __enter__(self) -> _WriteLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for handle in self.handles:
            handle.close()

    @contextmanager
    def held(self, wait: float) -> Iterator[None]:
        self._acquire(wait)
        try:
            yield
        finally:
            fcntl.flock(self.lock, fcntl.LOCK_UN)
        self._let_waiters_in()

    def _acquire(self, wait: float) -> None:
        deadline = time.monotonic() + wait
        announced = False
        try:
            while True:
                try:
                    fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise StoreBusy(f"{self.path}: another ingest is writing to this "
                                        f"store; gave up after {wait:g} s") from None
                    if not announced:
                        # only ever held exclusively for an instant (by _waiting)
                        fcntl.flock(self.queue, fcntl.LOCK_SH)
                        announced = True
                    time.sleep(settings.STORE_LOCK_POLL)
        finally:
            if announced:
                fcntl.flock(self.queue, fcntl.LOCK_UN)

    def _waiting(self) -> bool:
        """Whether another writer is waiting for the lock."""
        try:
            fcntl.flock(self.queue, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(self.queue, fcntl.LOCK_UN)
        return False

    def _let_waiters_in(self) -> None:
        deadline = time.monotonic() + settings.STORE_YIELD_SECONDS
        while self._waiting() and time.monotonic() < deadline:
            time.sleep(settings.STORE_LOCK_POLL / 2)


@dataclass
class IngestReport:
    """What an ingest did: counts, and a note for everything renamed or skipped."""

    added: int = 0
    already: int = 0
    copies: int = 0
    undated: int = 0
    renamed: int = 0
    events: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    # (stored id, "added" or "already") for every article, in input order
    results: list[tuple[str, str]] = field(default_factory=list)
    # asked to stop: articles read but not stored (the transactions before are committed)
    stopped: bool = False
    unstored: int = 0
    transactions: int = 0
    # added after an article of a later date was placed (an earlier call, or an earlier
    # batch of this one): placed where it arrived, so the events may differ from those of
    # one batch of everything (``newsfuse recluster`` places a whole store in date order)
    late: int = 0

    def summary(self) -> str:
        late = (f"; {self.late} dated before articles already placed (placed as they came: "
                "'newsfuse recluster' places a whole store in date order)" if self.late else "")
        return (f"{self.added} article(s) added ({self.copies} near-duplicate(s), "
                f"{self.undated} undated), {self.already} already in the store, "
                f"{self.renamed} renamed; {len(self.events)} event(s) changed{late}")


def fingerprint(article: Article) -> str:
    """The same report read again has the same fingerprint, whatever file it came from."""
    digest = hashlib.sha256()
    for part in (article.id, article.title or "", article.text,
                 article.date.isoformat() if article.date else "", article.url or ""):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


class Store:
    """A newsfuse store at ``path``; ``readonly`` opens it for reading only. ``shared``
    lets the connection move between threads (the caller makes sure only one at a time
    uses it)."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False,
                 shared: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._cached: tuple[int, Clusterer] | None = None
        self._checked = False  # checked for damage before the first write
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no such store (create it with 'newsfuse ingest')")
        try:
            if readonly:
                resolved = self.path.resolve()
                uri = f"file:{quote(str(resolved))}?mode=ro"
                if not os.access(resolved.parent, os.W_OK):
                    # read-only media: nobody can write, and SQLite could not create the
                    # lock files it otherwise needs even to read a WAL store
                    uri += "&immutable=1"
                self.db = sqlite3.connect(uri, uri=True, isolation_level=None,
                                          check_same_thread=not shared)
            else:
                self.db = sqlite3.connect(self.path, isolation_level=None,
                                          check_same_thread=not shared)
            self.db.execute(f"PRAGMA busy_timeout = {settings.STORE_BUSY_MS}")
            if not readonly:
                # WAL with NORMAL sync: a crash of the process never loses a commit; a
                # power cut may lose the last ones but leaves the file consistent.
                self.db.execute("PRAGMA synchronous = NORMAL")
            self._prepare()
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    # --- opening ---------------------------------------------------------------------------
    def _error(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc)
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            reason = (f"not a newsfuse store, or damaged ({text}); left untouched; "
                      f"'newsfuse check --db {self.path}' tells what is damaged")
        elif "readonly" in text or "read-only" in text:
            reason = "read-only; cannot write to it"
        elif "disk is full" in text or "disk full" in text:
            reason = "the disk is full; the batch being written was not stored"
        elif "disk i/o error" in text.lower():
            reason = f"the disk failed while writing ({text}); the batch was not stored"
        elif "locked" in text or "busy" in text:
            return StoreBusy(f"{self.path}: locked by another process; try again when it "
                             "has finished")
        elif "unable to open" in text and not os.access(self.path.resolve().parent, os.W_OK):
            reason = "on read-only media (its folder cannot be written); it can be read, " \
                     "not written"
        elif "unable to open" in text:
            reason = f"cannot open ({text})"
        else:
            reason = text
        return StoreError(f"{self.path}: {reason}")

    def _prepare(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
        if version == 0 and tables:
            raise StoreError(f"{self.path}: an SQLite database, but not a newsfuse store; "
                             "left untouched")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer newsfuse (schema {version}); "
                             f"this version reads schema {SCHEMA_VERSION} and older")
        if version == SCHEMA_VERSION:
            return
        if self.readonly:
            raise StoreError(f"{self.path}: schema {version} needs upgrading to "
                             f"{SCHEMA_VERSION}; open it writable once (newsfuse ingest)")
        self.db.execute("BEGIN IMMEDIATE")
        try:
            # read again under the write lock: another process creating or upgrading the
            # same store may have done it while this one waited
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for target, script in MIGRATIONS:
                if target > version:
                    for statement in _statements(script):
                        self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        self._use_wal()

    def _rollback(self) -> None:
        """Undo the open transaction; SQLite has already undone it after some errors (a
        full disk, I/O errors), and the error that caused it is the one to report."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def _use_wal(self) -> None:
        """Switch the file to WAL (it stays so). The switch needs the file to itself, and
        SQLite refuses it at once, without waiting, when another process creating the same
        store holds a lock it waits on; so it is tried again for a few seconds."""
        deadline = time.monotonic() + settings.STORE_BUSY_MS / 1000
        while True:
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------
    def ingest(self, articles: Iterable[Article], *, wait: float = 0.0,
               batch: int = settings.STORE_BATCH, stop: Callable[[], bool] | None = None,
               report: IngestReport | None = None,
               hold: float = settings.STORE_HOLD_SECONDS) -> IngestReport:
        """Add articles, assigning each to an event and a story as it arrives.

        Articles are taken ``batch`` at a time and placed in the batch's canonical order, in
        transactions that each place articles for at most ``hold`` seconds: the store's
        write lock is held for one transaction, then other writers waiting (up to ``wait``
        seconds each) take their turn. ``stop`` is asked between articles: once it says
        so, the transaction in progress is committed and the ingest returns, with the
        articles read but not stored counted in ``report.unstored``. ``report`` (when
        given) is filled in as the ingest goes, so a caller interrupted by an exception
        still knows what was stored."""
        report = report if report is not None else IngestReport()
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        if not self._checked:
            self._check_before_writing()
        with _WriteLock(self.path) as lock:
            pending: list[Article] = []
            try:
                for article in articles:
                    pending.append(article)
                    if len(pending) >= batch:
                        self._add_batch(pending, lock, report, wait, stop, hold)
                        pending = []
                        if report.stopped:
                            return report
                    if stop is not None and stop():
                        self._stopped(report, len(pending))
                        return report
                if pending:
                    self._add_batch(pending, lock, report, wait, stop, hold)
            except sqlite3.Error as exc:
                self._cached = None
                raise self._error(exc) from None
            except BaseException:
                self._cached = None
                raise
        return report

    def _check_before_writing(self) -> None:
        """Refuse to write to a damaged store (writing could spread the damage): SQLite's
        quick check of every page, or of the tables every ingest rewrites when the file
        is large (``settings.STORE_WRITE_CHECK_BYTES``)."""
        try:
            large = self.path.stat().st_size > settings.STORE_WRITE_CHECK_BYTES
        except OSError:
            large = False
        checks = ([f"PRAGMA quick_check('{t}')" for t in ("state", "df", "placement", "bands")]
                  if large else ["PRAGMA quick_check(1)"])
        for sql in checks:
            try:
                rows = self.db.execute(sql).fetchall()
                found = next((r[0] for r in rows if r[0] != "ok"), None)
            except sqlite3.DatabaseError as exc:
                found = str(exc)
            if found is not None:
                found = " ".join(found.replace("*** in database main ***", "").split())
                raise StoreError(
                    f"{self.path}: damaged ({found}); refused for writing. 'newsfuse check "
                    f"--db {self.path}' lists the damage; 'newsfuse salvage --db {self.path} "
                    "--out NEW' copies what can be read into a new store")
        self._checked = True

    def _stopped(self, report: IngestReport, unstored: int) -> None:
        report.stopped = True
        report.unstored += unstored

    def _generation(self) -> int:
        row = self.db.execute("SELECT value FROM state WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def _clusterer(self) -> Clusterer:
        """The clustering state: kept from this connection's last ingest when no other
        process has written since (the generation counter says so), else loaded."""
        generation = self._generation()
        if self._cached is None or self._cached[0] != generation:
            self._cached = (generation, self._load_clusterer())
        return self._cached[1]

    def _load_clusterer(self) -> Clusterer:
        state = dict(self.db.execute("SELECT key, value FROM state").fetchall())
        clusterer = Clusterer(documents=int(state.get("documents") or 0))
        rows = self.db.execute("SELECT bucket, n FROM df").fetchall()
        if rows:
            buckets, counts = zip(*rows, strict=True)
            clusterer.df[np.asarray(buckets, dtype=np.int64)] = counts
        if state.get("df") is not None:  # a version-2 store: move the array into rows
            clusterer.df[:] = np.frombuffer(state["df"], dtype="<i4")
            clusterer.df_changed.update(np.flatnonzero(clusterer.df).tolist())
        clusterer.clock = float(state["clock"]) if state.get("clock") is not None else None
        clusterer.next_key = int(state.get("next_key") or 1)
        rows = self.db.execute(
            "SELECT id, story, first, last, size, terms, weights, checked, norm2, indexed "
            "FROM events WHERE merged_into IS NULL AND open = 1 ORDER BY id").fetchall()
        for key, story, first, last, size, terms, weights, checked, norm2, indexed in rows:
            event = clusterer.open(key)
            event.story, event.first, event.last, event.size = story, first, last, size
            event.checked = checked
            if terms:
                event.terms = dict(zip(np.frombuffer(terms, dtype="<i4").tolist(),
                                       np.frombuffer(weights, dtype="<f8").tolist(),
                                       strict=True))
                event.norm2 = norm2 if norm2 is not None else \
                    sum(w * w for w in event.terms.values())
                if indexed is not None:
                    clusterer.index_under(event, np.frombuffer(indexed, dtype="<i4").tolist())
                else:  # saved before the index was kept
                    clusterer.reindex(event)
        clusterer.touched.clear()
        return clusterer

    def _add_batch(self, articles: list[Article], lock: _WriteLock, report: IngestReport,
                   wait: float, stop: Callable[[], bool] | None, hold: float) -> None:
        """Place one batch in its canonical order (so that the partition does not depend
        on how the input was cut into batches or ordered within one), committing every
        ``hold`` seconds. A transaction always commits a prefix of that order: an ingest
        stopped after any transaction and run again places the rest as if it had not
        stopped (what is stored is skipped)."""
        db = self.db
        order = canonical_order(articles)
        outcome: dict[int, tuple[str, str]] = {}
        position = 0
        while position < len(order):
            with lock.held(wait):
                clusterer = self._clusterer()
                db.execute("BEGIN IMMEDIATE")
                try:
                    began = time.monotonic()
                    now = datetime.now(UTC).isoformat(timespec="seconds")
                    touched: set[int] = set()
                    placements = _SQLitePlacements(self, report, now, touched)
                    while position < len(order):
                        i = order[position]
                        outcome[i] = self._add_one(articles[i], clusterer, placements)
                        position += 1
                        if time.monotonic() - began >= hold or (stop is not None and stop()):
                            break
                    self._save_state(clusterer, touched)
                    db.execute("COMMIT")
                    report.transactions += 1
                    self._cached = (self._generation(), clusterer)
                except BaseException:
                    self._rollback()
                    self._cached = None
                    raise
            if position < len(order) and stop is not None and stop():
                self._stopped(report, len(order) - position)
                break
        report.results.extend(outcome[i] for i in sorted(outcome))  # in input order

    def _save_state(self, clusterer: Clusterer, touched: set[int]) -> None:
        """Write what the articles placed in this transaction changed: the touched events
        (and those that left the window), document frequencies, counters."""
        db = self.db
        for key in sorted(touched):
            event = clusterer.events.get(key)
            if event is not None:
                self._save_event(event, clusterer)
        for key in sorted(clusterer.dropped):  # left the story window: closed for good
            if key in touched:
                self._save_event(clusterer.dropped[key], clusterer)
            db.execute("UPDATE events SET open = 0, indexed = NULL WHERE id = ?", (key,))
        clusterer.dropped.clear()
        db.executemany("INSERT INTO df(bucket, n) VALUES (?, ?) ON CONFLICT(bucket) "
                       "DO UPDATE SET n = excluded.n",
                       [(b, int(clusterer.df[b])) for b in sorted(clusterer.df_changed)])
        clusterer.df_changed.clear()
        db.execute("DELETE FROM state WHERE key = 'df'")
        state = {"documents": clusterer.documents, "clock": clusterer.clock,
                 "next_key": clusterer.next_key, "generation": self._generation() + 1}
        db.executemany("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)",
                       list(state.items()))

    def _add_one(self, article: Article, clusterer: Clusterer,
                 placements: _SQLitePlacements) -> tuple[str, str]:
        report = placements.report
        mark = fingerprint(article)
        stored = self.db.execute("SELECT id FROM articles WHERE fingerprint = ?",
                                 (mark,)).fetchone()
        if stored:
            report.already += 1
            return stored[0], "already"
        article_id = self._unique_id(article.id)
        if article_id != article.id:
            report.renamed += 1
            where = article.origin.path + (f":{article.origin.line}"
                                           if article.origin.line else "")
            report.notes.append(f"{where}: id '{article.id}' is already in the store for "
                                f"another article; stored as '{article_id}'")
        placements.mark = mark
        day = day_number(article.date)
        report.late += day is not None and clusterer.clock is not None and day < clusterer.clock
        event = add_article(clusterer, placements, article, article_id)
        placements.touched.add(event.key)
        report.added += 1
        report.undated += article.date is None
        report.events.add(event.key)
        return article_id, "added"

    def _unique_id(self, wanted: str) -> str:
        candidate, n = wanted, 1
        while self.db.execute("SELECT 1 FROM articles WHERE id = ?", (candidate,)).fetchone():
            n += 1
            candidate = f"{wanted}~{n}"
        return candidate

    def _live_event(self, key: int) -> int:
        while True:
            row = self.db.execute("SELECT merged_into FROM events WHERE id = ?",
                                  (key,)).fetchone()
            if row is None or row[0] is None:
                return key
            key = row[0]

    def _save_event(self, event: EventState, clusterer: Clusterer) -> None:
        keys = list(event.terms)
        self.db.execute(
            "UPDATE events SET story = ?, first = ?, last = ?, size = ?, terms = ?, "
            "weights = ?, checked = ?, norm2 = ?, indexed = ? WHERE id = ?",
            (event.story, event.first, event.last, event.size,
             np.asarray(keys, dtype="<i4").tobytes(),
             np.asarray([event.terms[k] for k in keys], dtype="<f8").tobytes(),
             event.checked, event.norm2,
             np.asarray(clusterer.indexed_terms(event), dtype="<i4").tobytes(), event.key))
        self.db.execute("DELETE FROM briefs WHERE event = ?", (event.key,))

    # --- reading -------------------------------------------------------------------------------
    def events(self, *, since: datetime | None = None, until: datetime | None = None,
               query: str | None = None, story: int | None = None, event: int | None = None,
               limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Events, newest first: id, story, headline, first and last dates, article count
        and independent source count (copies not counted). ``since`` and ``until`` bound
        the event's last day (both included); ``query`` is a full-text search."""
        sql = ("SELECT e.id, e.story, COALESCE(e.headline, (SELECT a.title FROM articles a "
               "WHERE a.event = e.id AND a.title IS NOT NULL LIMIT 1)), e.first, e.last, "
               "(SELECT COUNT(*) FROM articles a WHERE a.event = e.id), "
               "(SELECT COUNT(*) FROM articles a WHERE a.event = e.id AND a.copy_of IS NULL), "
               "(SELECT TOTAL(a.undated) FROM articles a WHERE a.event = e.id) "
               "FROM events e WHERE e.merged_into IS NULL")
        params: list[Any] = []
        if since is not None:
            sql += " AND (e.last >= ? OR e.last IS NULL)"
            params.append(float(since.toordinal() - _EPOCH_ORDINAL))
        if until is not None:
            sql += " AND e.last < ?"
            params.append(float(until.toordinal() - _EPOCH_ORDINAL + 1))
        if story is not None:
            sql += " AND e.story = ?"
            params.append(story)
        if event is not None:
            sql += " AND e.id = ?"
            params.append(event)
        if query:
            sql += (" AND e.id IN (SELECT p.event FROM search JOIN placement p "
                    "ON p.article = search.rowid WHERE search MATCH ?)")
            params.append(_fts_query(query))
        sql += " ORDER BY e.last DESC, e.id DESC"
        if limit:
            sql += f" LIMIT {int(limit)} OFFSET {max(0, int(offset))}"
        try:
            rows = self.db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return [{"id": r[0], "story": r[1], "headline": r[2], "first": _iso(r[3]),
                 "last": _iso(r[4]), "articles": r[5], "independent_sources": r[6],
                 "undated_articles": int(r[7] or 0)} for r in rows if r[5]]

    def search(self, query: str, *, limit: int = 20,
               marks: tuple[str, str] = ("", "")) -> list[dict[str, Any]]:
        """Articles matching a full-text query, newest first, each with a short snippet in
        which the matched words are wrapped in ``marks``."""
        sql = ("SELECT a.id, a.title, a.outlet, a.date, a.event, e.story, a.copy_of, "
               "snippet(search, 1, ?, ?, '…', 24) "
               "FROM search JOIN articles a ON a.rowid = search.rowid "
               "JOIN events e ON e.id = a.event "
               "WHERE search MATCH ? ORDER BY search.rowid DESC LIMIT ?")
        try:
            rows = self.db.execute(sql, (*marks, _fts_query(query), int(limit))).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        return [{"id": r[0], "title": r[1], "outlet": r[2], "date": r[3], "event": r[4],
                 "story": r[5], "copy_of": r[6], "snippet": r[7]} for r in rows]

    def article(self, article_id: str) -> tuple[Article, dict[str, Any]] | None:
        """A stored article and where it sits: its event, story and the article it copies."""
        try:
            row = self.db.execute(
                "SELECT a.record, a.event, e.story, a.copy_of, a.added FROM articles a "
                "JOIN events e ON e.id = a.event WHERE a.id = ?", (article_id,)).fetchone()
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        if row is None:
            return None
        return article_from_record(json.loads(row[0])), {
            "event": row[1], "story": row[2], "copy_of": row[3], "added": row[4]}

    def cards(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """For each stored article id: title, outlet, date, event, story and the article it
        copies."""
        found: dict[str, dict[str, Any]] = {}
        for article_id in article_ids:
            row = self.db.execute(
                "SELECT a.title, a.outlet, a.date, a.event, e.story, a.copy_of FROM articles a "
                "JOIN events e ON e.id = a.event WHERE a.id = ?", (article_id,)).fetchone()
            if row is not None:
                found[article_id] = {"title": row[0], "outlet": row[1],
                                     "date": row[2][:10] if row[2] else None,
                                     "event": row[3], "story": row[4], "copy_of": row[5]}
        return found

    def event_articles(self, event: int) -> int:
        """How many articles an event holds now."""
        return int(self.db.execute("SELECT COUNT(*) FROM articles WHERE event = ?",
                                   (self._live_event(event),)).fetchone()[0])

    def articles(self, *, event: int | None = None, story: int | None = None) -> list[Article]:
        """The stored articles of an event or a story, in the order they were added."""
        if event is not None:
            sql, arg = ("SELECT record FROM articles WHERE event = ? ORDER BY rowid",
                        self._live_event(event))
        elif story is not None:
            sql, arg = ("SELECT a.record FROM articles a JOIN events e ON a.event = e.id "
                        "WHERE e.story = ? ORDER BY a.rowid", story)
        else:
            sql, arg = "SELECT record FROM articles WHERE ? ORDER BY rowid", 1
        try:
            return [article_from_record(json.loads(r[0]))
                    for r in self.db.execute(sql, (arg,))]
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def cached_brief(self, event: int, **options: Any) -> str | None:
        """The cached brief JSON of an event, when it was built from its current articles
        with the same ``options`` (whatever changes a brief: encoder, words, sentences...;
        the newsfuse version is added to them)."""
        event = self._live_event(event)
        row = self.db.execute(
            "SELECT b.json FROM briefs b WHERE b.event = ? AND b.options = ? AND b.articles = "
            "(SELECT COUNT(*) FROM articles WHERE event = ?)",
            (event, brief_options_key(**options), event)).fetchone()
        return row[0] if row else None

    def cache_brief(self, event: int, brief_json: str, articles: int, **options: Any) -> bool:
        """Keep a brief built with ``options`` (as for :meth:`cached_brief`); ``False`` when
        the store can't be written (read-only). One brief is kept per event."""
        if self.readonly:
            return False
        try:
            self.db.execute("INSERT OR REPLACE INTO briefs(event, articles, json, built, "
                            "options) VALUES (?, ?, ?, ?, ?)",
                            (self._live_event(event), articles, brief_json,
                             datetime.now(UTC).isoformat(timespec="seconds"),
                             brief_options_key(**options)))
        except sqlite3.Error:
            return False
        return True

    def event_exists(self, event: int) -> bool:
        return self.db.execute("SELECT 1 FROM events WHERE id = ?", (event,)).fetchone() \
            is not None

    def story_of(self, event: int) -> int | None:
        row = self.db.execute("SELECT story FROM events WHERE id = ?",
                              (self._live_event(event),)).fetchone()
        return int(row[0]) if row else None

    def live_event(self, event: int) -> int:
        """The event an event id now stands for (events merged away name the one kept)."""
        return self._live_event(event)

    def story_exists(self, story: int) -> bool:
        return self.db.execute("SELECT 1 FROM events WHERE story = ? AND merged_into IS NULL",
                               (story,)).fetchone() is not None

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def size(self) -> int:
        """How many articles the store holds, from the clustering state (no table scan)."""
        row = self.db.execute("SELECT value FROM state WHERE key = 'documents'").fetchone()
        return int(row[0]) if row and row[0] is not None else 0


class _SQLitePlacements:
    """The store as the storage of the online clustering (:class:`newsfuse.corpus.online.
    Storage`): each placement is an article row (with its search entry and, unless folded
    into its original, its copy-finding band keys), merges and story joins are updates."""

    def __init__(self, store: Store, report: IngestReport, now: str,
                 touched: set[int]) -> None:
        self.store, self.db, self.report = store, store.db, report
        self.now, self.touched = now, touched
        self.mark = ""  # the fingerprint of the article being placed

    def original_of(self, sig: np.ndarray | None) -> tuple[str, int] | None:
        """The earliest stored article ``sig`` nearly duplicates (among those sharing an
        LSH band key with it) and the event it is in now."""
        if sig is None:
            return None
        keys = band_keys(sig)
        rows = self.db.execute(
            f"SELECT DISTINCT a.id, a.event, a.signature FROM bands b JOIN articles a "
            f"ON a.rowid = b.article WHERE b.key IN ({','.join('?' * len(keys))}) "
            f"ORDER BY a.rowid", keys).fetchall()
        found = first_copy(sig, (((article_id, event), np.frombuffer(blob, dtype="<u4"))
                                 for article_id, event, blob in rows))
        if found is None:
            return None
        return found[0], self.store._live_event(found[1])

    def place(self, article: Article, article_id: str, event: EventState,
              copy_of: str | None, sig: np.ndarray | None, indexed: bool) -> None:
        db = self.db
        record = article_to_dict(article)
        record["id"] = article_id
        cursor = db.execute(
            "INSERT INTO articles(id, source_id, fingerprint, title, text, date, day, outlet, "
            "url, record, signature, event, copy_of, undated, added) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, article.id, self.mark, article.title, article.text,
             article.date.isoformat() if article.date else None, day_number(article.date),
             article.outlet, article.url, json.dumps(record, ensure_ascii=False),
             sig.astype("<u4").tobytes() if sig is not None else None, event.key, copy_of,
             int(article.date is None), self.now))
        rowid = cursor.lastrowid
        db.execute("INSERT INTO placement(article, event) VALUES (?, ?)", (rowid, event.key))
        db.execute("INSERT INTO search(rowid, title, text) VALUES (?, ?, ?)",
                   (rowid, article.title or "", article.text))
        if sig is not None and indexed:
            db.executemany("INSERT INTO bands(key, article) VALUES (?, ?)",
                           [(key, rowid) for key in band_keys(sig)])
        db.execute("INSERT OR IGNORE INTO events(id, story) VALUES (?, ?)",
                   (event.key, event.story))
        # the first report gives the headline (a copy too, when it opened the event); the
        # first dated one replaces an undated one's (undated reports are placed first)
        db.execute("UPDATE events SET headline = ? WHERE id = ? AND (headline IS NULL OR "
                   "(? AND NOT EXISTS (SELECT 1 FROM articles WHERE event = ? AND undated = 0 "
                   "AND rowid != ?)))", (headline_of(article), event.key,
                                         article.date is not None, event.key, rowid))
        self.report.copies += copy_of is not None

    def repair(self, repairs: Repairs) -> None:
        """Write the merges and story links of one clustering step to the database;
        kept events join ``touched``, the events to save at the end of the batch."""
        db = self.db
        merges, joins = repairs
        for kept, gone in merges:
            db.execute("UPDATE articles SET event = ? WHERE event = ?", (kept, gone))
            db.execute("UPDATE placement SET event = ? WHERE event = ?", (kept, gone))
            # nothing of the absorbed event's own state is kept, whether or not an
            # earlier transaction had saved it
            db.execute("UPDATE events SET merged_into = ?, size = 0, first = NULL, "
                       "last = NULL, terms = NULL, weights = NULL, checked = 0, "
                       "norm2 = NULL, indexed = NULL, open = 0 WHERE id = ?", (kept, gone))
            db.execute("DELETE FROM briefs WHERE event IN (?, ?)", (kept, gone))
            self.report.events.add(kept)
            self.touched.add(kept)
        for kept, gone in joins:
            db.execute("UPDATE events SET story = ? WHERE story = ?", (kept, gone))


def brief_options_key(**options: Any) -> str:
    """What a cached brief was made with, as one string: the options given (unset ones
    left out) and the newsfuse version, so that an upgrade never serves an older brief."""
    from newsfuse import __version__

    given = {k: v for k, v in options.items() if v is not None}
    return json.dumps({"newsfuse": __version__, **given}, sort_keys=True, default=str)


def headline_of(article: Article) -> str | None:
    """The title, or failing that the first sentence, shortened to a headline's length."""
    text = article.title or (article.sentences[0].text if article.sentences else None)
    if not text:
        return None
    if len(text) > settings.STORE_HEADLINE_CHARS:
        text = text[:settings.STORE_HEADLINE_CHARS].rsplit(" ", 1)[0] + "…"
    return text


def _statements(script: str) -> list[str]:
    lines = [line.split("--")[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _iso(day: float | None) -> str | None:
    if day is None:
        return None
    return datetime.fromtimestamp(day * 86400.0, UTC).date().isoformat()


def _fts_query(text: str) -> str:
    """Words of a free-text query, each quoted: FTS5 syntax in user input is not run."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    if not words:
        return '""'
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def article_from_record(record: dict[str, Any]) -> Article:
    """An :class:`Article` back from the JSON the store keeps (``article_to_dict``)."""
    origin = record.get("origin") or {}
    dateline = record.get("dateline")
    return Article(
        id=record["id"], title=record.get("title"), text=record.get("text") or "",
        origin=Origin(path=origin.get("path") or "", line=origin.get("line")),
        date=datetime.fromisoformat(record["date"]) if record.get("date") else None,
        outlet=record.get("outlet"), url=record.get("url"), language=record.get("language"),
        dateline=Dateline(place=dateline.get("place"), agency=dateline.get("agency"),
                          raw="") if dateline else None,
        sentences=tuple(Sentence(article_id=record["id"], index=s["index"], text=s["text"],
                                 start=s["start"], end=s["end"])
                        for s in record.get("sentences") or ()),
        embeds=tuple(EmbeddedPost(text=e["text"], author=e.get("author"),
                                  handle=e.get("handle"), posted=e.get("posted"))
                     for e in record.get("embeds") or ()),
        removed=tuple(Removal(reason=r["reason"], text=r["text"])
                      for r in record.get("removed") or ()),
        warnings=tuple(record.get("warnings") or ()))
