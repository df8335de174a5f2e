"""Checking a store (``newsfuse check``), placing its articles again (``newsfuse recluster``)
and salvaging a damaged one (``newsfuse salvage``).

* :func:`check` opens the store read-only and runs every test there is: SQLite's own
  integrity check, the full-text index against the articles, the schema version and tables,
  rows that point at nothing (placements, bands, briefs, copies, search entries), and the
  invariants of events and stories (sizes, merges, story ids, counters). Each finding is one
  line; nothing is written.
* :func:`recluster` places every article of a sound store again, all in one canonical
  order, into a new store: the events of one batch of everything, whatever order the
  ingests delivered them in (and with the current version's comparisons).
* :func:`salvage` reads every article it can from a damaged store into a new one and says
  what was lost. Rows are read in rowid order; when a read fails on a damaged page, the next
  readable row is found by probing further ahead and then bisecting back, so one bad page
  costs only the rows on it. The article ids of the lost rows are read from the id index
  where it is still readable. The recovered articles are ingested into the new store in the
  order they were first added, which computes their events, stories and search index again
  (event numbers may differ); cached briefs are built again when asked for.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from newsfuse import settings
from newsfuse.corpus.cluster import canonical_key
from newsfuse.corpus.store import (
    SCHEMA_VERSION,
    IngestReport,
    Store,
    StoreError,
    article_from_record,
)
from newsfuse.model import Article

TABLES = ("articles", "bands", "search", "events", "briefs", "state", "df", "placement")
_LARGEST_ROWID = (1 << 63) - 1


@dataclass
class Finding:
    """One test of :func:`check`: its name, and what is wrong (nothing: it passed)."""

    name: str
    problems: list[str] = field(default_factory=list)
    count: int = 0  # how many things are wrong (problems lists the first few)

    def fail(self, message: str, n: int = 1) -> None:
        self.count += n
        if len(self.problems) < settings.CHECK_MAX_LISTED:
            self.problems.append(message)


@dataclass
class CheckReport:
    """What :func:`check` found."""

    path: Path
    schema: int = 0
    articles: int | None = None
    events: int | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return sum(f.count for f in self.findings)

    def lines(self) -> list[str]:
        size = (f"schema {self.schema}, {_n(self.articles)} articles, "
                f"{_n(self.events)} live events")
        out = [f"{self.path}: {size}"]
        for finding in self.findings:
            if not finding.count:
                out.append(f"  ok    {finding.name}")
                continue
            out.append(f"  FAIL  {finding.name}: {finding.count} problem(s)")
            out += [f"        {p}" for p in finding.problems]
            if finding.count > len(finding.problems):
                out.append(f"        ... and {finding.count - len(finding.problems)} more")
        out += [f"  note  {n}" for n in self.notes]
        if self.problems:
            out.append(f"{self.path}: damaged, {self.problems} problem(s); it is refused for "
                       f"writing. 'newsfuse salvage --db {self.path} --out NEW' copies what "
                       "can be read into a new store")
        else:
            out.append(f"{self.path}: no problem found")
        return out


def _n(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


def open_readonly(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A read-only connection that writes nothing next to the file either when it cannot
    (read-only media): never a repair, never a checkpoint."""
    resolved = Path(path).resolve()
    if not resolved.is_file():
        raise StoreError(f"{path}: no such store")
    uri = f"file:{quote(str(resolved))}?mode=ro"
    if not os.access(resolved.parent, os.W_OK) or not os.access(resolved, os.W_OK):
        uri += "&immutable=1"
    db = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        db.close()
        raise StoreError(f"{path}: not an SQLite database, or its first page is damaged "
                         f"({exc}); nothing can be checked or salvaged from it") from None
    return db


# --- check ---------------------------------------------------------------------------------------
def check(path: str | os.PathLike[str]) -> CheckReport:
    """Every test of a store's soundness (see the module docstring). Raises
    :class:`StoreError` when the file cannot be checked at all (missing, not SQLite, not a
    newsfuse store, a newer schema)."""
    db = open_readonly(path)
    report = CheckReport(Path(path))
    try:
        db.execute("BEGIN")  # one snapshot for every test, even while an ingest writes
        _check_schema(db, report)
        _check(report, "SQLite integrity (every page, row and index)", db, _integrity)
        _check(report, "full-text index matches the articles", db, _search)
        _check(report, "rows that point at nothing", db, _orphans)
        _check(report, "events and stories", db, _events)
        _check(report, "clustering counters", db, _counters)
        _check(report, "article records", db, _records)
        report.articles = _scalar(db, "SELECT COUNT(*) FROM placement")
        report.events = _scalar(db, "SELECT COUNT(*) FROM events WHERE merged_into IS NULL "
                                    "AND size > 0")
    finally:
        if db.in_transaction:
            db.execute("ROLLBACK")
        db.close()
    _check_fts_index(Path(path), report)
    return report


def _scalar(db: sqlite3.Connection, sql: str) -> int | None:
    try:
        row = db.execute(sql).fetchone()
    except sqlite3.DatabaseError:
        return None
    return int(row[0]) if row and row[0] is not None else 0


def _check(report: CheckReport, name: str, db: sqlite3.Connection,
           test: Callable[[sqlite3.Connection, Finding], None]) -> None:
    finding = Finding(name)
    report.findings.append(finding)
    try:
        test(db, finding)
    except sqlite3.DatabaseError as exc:
        finding.fail(f"could not be read to the end: {exc}")


def _check_schema(db: sqlite3.Connection, report: CheckReport) -> None:
    finding = Finding("schema version and tables")
    report.findings.append(finding)
    report.schema = int(db.execute("PRAGMA user_version").fetchone()[0])
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    if report.schema == 0:
        reason = "an SQLite database, but not a newsfuse store" if tables else "an empty file"
        raise StoreError(f"{report.path}: {reason}")
    if report.schema > SCHEMA_VERSION:
        raise StoreError(f"{report.path}: written by a newer newsfuse (schema "
                         f"{report.schema}); this version checks schema {SCHEMA_VERSION}")
    if report.schema < SCHEMA_VERSION:
        report.notes.append(f"schema {report.schema} is upgraded to {SCHEMA_VERSION} by the "
                            "next ingest; only the tables it has were checked")
    for table in TABLES:
        if table not in tables and (table != "df" or report.schema >= 3) and (
                table != "placement" or report.schema >= 5):
            finding.fail(f"table '{table}' is missing")


def _integrity(db: sqlite3.Connection, finding: Finding) -> None:
    limit = settings.CHECK_MAX_LISTED * 5
    try:
        found = [r[0] for r in db.execute(f"PRAGMA integrity_check({limit})") if r[0] != "ok"]
    except sqlite3.DatabaseError as exc:  # pages SQLite cannot parse at all
        found = [str(exc)]
    if not found:
        return
    # which tables are damaged: checked one by one
    before = finding.count
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master "
                                       "WHERE type = 'table' ORDER BY name")]
    for table in tables:
        try:
            rows = db.execute(f"PRAGMA integrity_check(\"{table}\")").fetchall()
        except sqlite3.DatabaseError as exc:
            finding.fail(f"table {table}: pages that cannot be read ({exc})")
            continue
        problems = [_one_line(r[0]) for r in rows if r[0] != "ok"]
        if problems:
            finding.fail(f"table {table}: {len(problems)} problem(s), first: {problems[0]}",
                         len(problems))
    if finding.count == before:  # the file's own structure (free pages, page use)
        for message in found:
            finding.fail(_one_line(message))


def _one_line(message: str) -> str:
    return " ".join(message.replace("*** in database main ***", "").split())


def _search(db: sqlite3.Connection, finding: Finding) -> None:
    missing = _scalar(db, "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
                          "(SELECT 1 FROM search s WHERE s.rowid = a.rowid)")
    if missing:
        finding.fail(f"{missing} article(s) missing from the full-text index", missing)
    extra = _scalar(db, "SELECT COUNT(*) FROM search s WHERE NOT EXISTS "
                        "(SELECT 1 FROM articles a WHERE a.rowid = s.rowid)")
    if extra:
        finding.fail(f"{extra} full-text entr(ies) for no article", extra)
    differ = db.execute("SELECT a.id FROM articles a JOIN search s ON s.rowid = a.rowid "
                        "WHERE s.text IS NOT a.text OR s.title IS NOT COALESCE(a.title, '')"
                        ).fetchall()
    for (article_id,) in differ:
        finding.fail(f"article '{article_id}': indexed text differs from the stored text")


def _check_fts_index(path: Path, report: CheckReport) -> None:
    """FTS5's own check of its inverted index against the indexed text. It is run as a
    command (an INSERT), so it needs a writable connection: it runs in a transaction that is
    rolled back, and is skipped (with a note) when the file cannot be written."""
    finding = next(f for f in report.findings if f.name.startswith("full-text"))
    if not (os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)):
        report.notes.append("the full-text index's own check needs a writable file; skipped")
        return
    try:
        db = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        db.execute("PRAGMA busy_timeout = 2000")
        db.execute("BEGIN")
        db.execute("INSERT INTO search(search) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            report.notes.append("the full-text index's own check was skipped: another "
                                "process was writing to the store")
        else:
            finding.fail(f"the index does not match the indexed text ({exc})")
    finally:
        if db.in_transaction:
            db.execute("ROLLBACK")
        db.close()


def _orphans(db: sqlite3.Connection, finding: Finding) -> None:
    tests = (
        ("article(s) in no event", "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
         "(SELECT 1 FROM events e WHERE e.id = a.event)"),
        ("article(s) still in an event merged away", "SELECT COUNT(*) FROM articles a "
         "JOIN events e ON e.id = a.event WHERE e.merged_into IS NOT NULL"),
        ("article(s) without their placement row", "SELECT COUNT(*) FROM articles a "
         "WHERE NOT EXISTS (SELECT 1 FROM placement p WHERE p.article = a.rowid)"),
        ("placement row(s) for no article", "SELECT COUNT(*) FROM placement p WHERE NOT "
         "EXISTS (SELECT 1 FROM articles a WHERE a.rowid = p.article)"),
        ("placement row(s) naming another event than their article's", "SELECT COUNT(*) "
         "FROM placement p JOIN articles a ON a.rowid = p.article WHERE p.event != a.event"),
        ("copy-finding key(s) of no article", "SELECT COUNT(*) FROM bands b WHERE NOT "
         "EXISTS (SELECT 1 FROM articles a WHERE a.rowid = b.article)"),
        ("cached brief(s) of no live event", "SELECT COUNT(*) FROM briefs b WHERE NOT "
         "EXISTS (SELECT 1 FROM events e WHERE e.id = b.event AND e.merged_into IS NULL)"),
        ("article(s) copying an article not in the store", "SELECT COUNT(*) FROM articles a "
         "WHERE a.copy_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM articles o "
         "WHERE o.id = a.copy_of)"),
    )
    for what, sql in tests:
        n = _scalar(db, sql)
        if n is None:
            finding.fail(f"could not count {what}: the rows cannot be read")
        elif n:
            finding.fail(f"{n} {what}", n)


def _events(db: sqlite3.Connection, finding: Finding) -> None:
    for key, size, n in db.execute(
            "SELECT e.id, e.size, (SELECT COUNT(*) FROM articles a WHERE a.event = e.id) "
            "FROM events e WHERE e.merged_into IS NULL"):
        if size != n:
            finding.fail(f"event {key}: size {size}, but {n} article(s) in it")
    for key, target in db.execute(
            "SELECT e.id, e.merged_into FROM events e WHERE e.merged_into IS NOT NULL AND "
            "NOT EXISTS (SELECT 1 FROM events k WHERE k.id = e.merged_into)"):
        finding.fail(f"event {key}: merged into event {target}, which does not exist")
    merged = dict(db.execute("SELECT id, merged_into FROM events "
                             "WHERE merged_into IS NOT NULL").fetchall())
    for start in merged:
        seen, key = {start}, merged[start]
        while key in merged:
            if key in seen:
                finding.fail(f"event {start}: its merges go round in a circle")
                break
            seen.add(key)
            key = merged[key]
    for key, story in db.execute(
            "SELECT e.id, e.story FROM events e WHERE e.merged_into IS NULL AND (e.story > "
            "e.id OR NOT EXISTS (SELECT 1 FROM events s WHERE s.id = e.story))"):
        finding.fail(f"event {key}: story {story} is not named after one of its events")
    for key, first, last in db.execute(
            "SELECT id, first, last FROM events WHERE merged_into IS NULL AND first > last"):
        finding.fail(f"event {key}: its first day ({first}) is after its last ({last})")


def _counters(db: sqlite3.Connection, finding: Finding) -> None:
    state = dict(db.execute("SELECT key, value FROM state").fetchall())
    articles = _scalar(db, "SELECT COUNT(*) FROM articles")
    documents = int(state.get("documents") or 0)
    if articles is not None and documents != articles:
        finding.fail(f"the clustering counted {documents} document(s); the store holds "
                     f"{articles} article(s)")
    top = _scalar(db, "SELECT MAX(id) FROM events") or 0
    if top and int(state.get("next_key") or 0) <= top:
        finding.fail(f"the next event number ({state.get('next_key')}) is already taken "
                     f"(largest event: {top})")
    over = _scalar(db, f"SELECT COUNT(*) FROM df WHERE n < 0 OR n > {documents}")
    if over:
        finding.fail(f"{over} document frequenc(ies) below 0 or above the document count",
                     over)


def _records(db: sqlite3.Connection, finding: Finding) -> None:
    for (article_id,) in db.execute(
            "SELECT id FROM articles WHERE NOT json_valid(record) "
            "OR json_extract(record, '$.id') IS NOT id "
            "OR undated != (date IS NULL)"):
        finding.fail(f"article '{article_id}': its stored record is unreadable or does not "
                     "match its row")


# --- recluster ----------------------------------------------------------------------------
@dataclass
class ReclusterReport:
    """What :func:`recluster` placed, and the events before and after."""

    source: Path
    target: Path
    articles: int = 0
    events_before: int = 0
    events_after: int = 0
    feeds: int = 0  # feeds followed, carried over with what the watch remembers of them
    ingest: IngestReport | None = None

    def lines(self) -> list[str]:
        out = [f"{self.target}: {self.articles:,} article(s) of {self.source} placed again in "
               f"date order: {self.events_after:,} event(s), {self.events_before:,} before "
               "(event numbers differ; cached briefs are built again when asked for)"]
        if self.feeds:
            out.append(f"{self.feeds} followed feed(s) carried over")
        return out


def recluster(path: str | os.PathLike[str],
              out: str | os.PathLike[str]) -> ReclusterReport:
    """Place every article of the store at ``path`` again, all in one canonical order (the
    one :func:`newsfuse.cluster` uses), into a new store at ``out``, which must not exist.
    The new store's events are those of one batch of all the articles, however and in
    whatever order the ingests delivered them; the feeds the store follows come along. The
    source is only read. Two passes over the articles: their keys first (held in memory:
    a few dozen bytes each), then their records in key order, ``RECLUSTER_CHUNK`` at a time."""
    target = _absent(out, "recluster")
    db = open_readonly(path)
    report = ReclusterReport(Path(path), target)
    try:
        try:
            keys = sorted((canonical_key(article_from_record(json.loads(record))), rowid)
                          for rowid, record in db.execute("SELECT rowid, record FROM articles"))
            report.events_before = db.execute(
                "SELECT COUNT(*) FROM events WHERE merged_into IS NULL").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a newsfuse store, or damaged ({exc}); 'newsfuse "
                             f"check --db {path}' lists the damage, 'newsfuse salvage' copies "
                             "what can be read") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"{path}: an article record cannot be read ({exc}); 'newsfuse "
                             "salvage' copies what can be read") from None

        def articles() -> Iterator[Article]:
            for start in range(0, len(keys), settings.RECLUSTER_CHUNK):
                rowids = [rowid for _, rowid in keys[start:start + settings.RECLUSTER_CHUNK]]
                marks = ",".join("?" * len(rowids))
                records = dict(db.execute(
                    f"SELECT rowid, record FROM articles WHERE rowid IN ({marks})", rowids))
                for rowid in rowids:
                    yield article_from_record(json.loads(records[rowid]))

        with _new_store(target) as store:
            report.ingest = store.ingest(articles())
            report.articles = report.ingest.added
            report.events_after = store.db.execute(
                "SELECT COUNT(*) FROM events WHERE merged_into IS NULL").fetchone()[0]
            report.feeds = _copy_feeds(db, target)
    finally:
        db.close()
    return report


def _absent(out: str | os.PathLike[str], tool: str) -> Path:
    """The path of the new store ``tool`` writes, refused if something is there."""
    target = Path(out)
    if target.exists():
        raise StoreError(f"{target}: already exists; {tool} writes a new store only")
    return target


@contextmanager
def _new_store(target: Path) -> Iterator[Store]:
    """The new store at ``target`` that salvage or recluster fills: removed again if
    filling it fails, its lock files removed either way."""
    try:
        with Store(target) as store:
            yield store
    except BaseException:
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        for lock in (Path(f"{target}.lock"), Path(f"{target}.wait")):
            lock.unlink(missing_ok=True)


def _copy_feeds(db: sqlite3.Connection, target: Path) -> int:
    """Copy the watch's tables (feeds followed, article URLs seen) into the store at
    ``target``; the number of feeds."""
    from newsfuse.feeds.state import SCHEMA

    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = "
                                           "'table' AND name IN ('feeds', 'feed_items')")}
    if not tables:
        return 0
    out = sqlite3.connect(target, isolation_level=None)
    try:
        out.executescript(SCHEMA)
        out.execute("BEGIN IMMEDIATE")
        for table in sorted(tables):
            columns = [row[1] for row in db.execute(f"PRAGMA table_info('{table}')")]
            names = ", ".join(columns)
            marks = ", ".join("?" * len(columns))
            out.executemany(f"INSERT INTO {table}({names}) VALUES ({marks})",
                            db.execute(f"SELECT {names} FROM {table}"))
        out.execute("COMMIT")
        count: int = out.execute("SELECT COUNT(*) FROM feeds").fetchone()[0]
    finally:
        out.close()
    return count


# --- salvage -------------------------------------------------------------------------------
@dataclass
class SalvageReport:
    """What :func:`salvage` recovered and lost."""

    source: Path
    target: Path
    recovered: int = 0
    expected: int | None = None  # articles the source held, when its index still says
    lost_ids: list[str] = field(default_factory=list)
    lost_rows: int = 0  # rows lost whose ids are unknown too
    # rowid ranges that could not be read (``None``: to the end)
    damaged_ranges: list[tuple[int, int | None]] = field(default_factory=list)
    unreadable_records: int = 0
    ingest: IngestReport | None = None

    @property
    def lost(self) -> int:
        if self.expected is not None:
            return max(0, self.expected - self.recovered)
        return self.lost_rows + self.unreadable_records

    def lines(self) -> list[str]:
        of = f" of {self.expected:,}" if self.expected is not None else ""
        out = [f"{self.target}: {self.recovered:,}{of} article(s) recovered from "
               f"{self.source}; events, stories and the search index computed again (event "
               "numbers may differ); cached briefs are built again when asked for"]
        if self.lost:
            out.append(f"lost: {self.lost:,} article(s)"
                       + (f", {self.unreadable_records} of them with an unreadable record"
                          if self.unreadable_records else ""))
            if self.damaged_ranges:
                shown = ", ".join(str(a) if a == b else f"{a}-{b if b else 'end'}"
                                  for a, b in self.damaged_ranges[:10])
                out.append(f"damaged rows (by rowid): {shown}"
                           + (" ..." if len(self.damaged_ranges) > 10 else ""))
            if self.lost_ids:
                listed = self.lost_ids[:settings.CHECK_MAX_LISTED]
                out.append("lost article ids: " + ", ".join(listed)
                           + (f" ... and {len(self.lost_ids) - len(listed)} more"
                              if len(self.lost_ids) > len(listed) else ""))
        else:
            out.append("nothing was lost")
        return out


def salvage(path: str | os.PathLike[str], out: str | os.PathLike[str]) -> SalvageReport:
    """Copy every readable article of the store at ``path`` into a new store at ``out``
    (which must not exist). The source is only read."""
    target = _absent(out, "salvage")
    db = open_readonly(path)
    report = SalvageReport(Path(path), target)
    try:
        found = _known_ids(db)
        report.expected = len(found) if found is not None else None
        recovered: set[str] = set()

        def articles() -> Iterator[Article]:
            for _, record in _readable(db, "record", report):
                try:
                    article = article_from_record(json.loads(record))
                except (ValueError, KeyError, TypeError):
                    report.unreadable_records += 1
                    continue
                recovered.add(article.id)
                report.recovered += 1
                yield article

        with _new_store(target) as store:
            report.ingest = store.ingest(articles())
        if found is not None:
            report.lost_ids = sorted(set(found) - recovered)
    finally:
        db.close()
    return report


def _known_ids(db: sqlite3.Connection) -> list[str] | None:
    """Every article id the store's id index lists (read from the index alone, so articles
    on damaged table pages can still be named); ``None`` when the index is damaged too."""
    try:
        index = db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                           "tbl_name = 'articles' AND sql IS NULL").fetchall()
        for (name,) in index:  # the automatic indexes of the UNIQUE columns (id, fingerprint)
            columns = [r[2] for r in db.execute(f"PRAGMA index_info('{name}')")]
            if columns == ["id"]:
                return [r[0] for r in db.execute(
                    f"SELECT id FROM articles INDEXED BY \"{name}\" ORDER BY id")]
    except sqlite3.DatabaseError:
        return None
    return None


def _readable(db: sqlite3.Connection, column: str,
              report: SalvageReport) -> Iterator[tuple[int, Any]]:
    """Every ``(rowid, column)`` of the articles that can be read, in rowid order, past
    damaged pages: when a read fails after rowid ``last``, the smallest ``start`` from which
    reading works again is found (probing ahead by doubling steps, then bisecting back), and
    the rows between are counted as lost."""
    sql = f"SELECT rowid, {column} FROM articles WHERE rowid > ? ORDER BY rowid"
    last = 0

    def works(start: int) -> bool:
        try:
            db.execute(sql + " LIMIT 1", (start,)).fetchall()
        except sqlite3.DatabaseError:
            return False
        return True

    while True:
        try:
            for rowid, value in db.execute(sql, (last,)):
                yield rowid, value
                last = rowid
            return
        except sqlite3.DatabaseError:
            pass
        step, good = 1, None
        while last + step <= _LARGEST_ROWID:
            if works(last + step):
                good = last + step
                break
            step *= 2
        if good is None:  # nothing readable after `last`
            report.damaged_ranges.append((last + 1, None))
            return
        low = last  # reading after `low` fails, after `good` works
        while good - low > 1:
            middle = (low + good) // 2
            if works(middle):
                good = middle
            else:
                low = middle
        # rows last+1 .. good cannot be read (rowids are dense: articles are never deleted)
        report.damaged_ranges.append((last + 1, good))
        report.lost_rows += good - last
        last = good
