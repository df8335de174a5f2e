"""The store: idempotent ingest, kill-safety, migrations, locking, damaged files, briefs."""

from __future__ import annotations

import fcntl
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newsfuse
from newsfuse.cli import main
from newsfuse.corpus.store import MIGRATIONS, SCHEMA_VERSION, Store, StoreError
from tests.conftest import ROOT, SEEDS, UCI

CLI = [sys.executable, "-m", "newsfuse.cli"]


def consistent(path: Path) -> dict[str, int]:
    """Check the store's invariants; return its article and event counts."""
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    orphans = db.execute("SELECT COUNT(*) FROM articles a LEFT JOIN events e ON a.event = e.id "
                         "WHERE e.id IS NULL OR e.merged_into IS NOT NULL").fetchone()[0]
    assert orphans == 0
    sizes = db.execute("SELECT e.id, e.size, COUNT(a.rowid) FROM events e LEFT JOIN articles a "
                       "ON a.event = e.id WHERE e.merged_into IS NULL GROUP BY e.id").fetchall()
    assert all(size == n for _, size, n in sizes)
    indexed = db.execute("SELECT COUNT(*) FROM search").fetchone()[0]
    articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert indexed == articles
    placed = db.execute("SELECT COUNT(*) FROM articles a JOIN placement p "
                        "ON p.article = a.rowid AND p.event = a.event").fetchone()[0]
    assert placed == articles == db.execute("SELECT COUNT(*) FROM placement").fetchone()[0]
    documents = db.execute("SELECT value FROM state WHERE key = 'documents'").fetchone()
    assert (documents[0] if documents else 0) == articles
    return {"articles": articles, "events": len(sizes)}


def assignments(path: Path) -> list[tuple[str, int, int]]:
    db = sqlite3.connect(path)
    return db.execute("SELECT a.id, a.event, e.story FROM articles a JOIN events e "
                      "ON a.event = e.id ORDER BY a.rowid").fetchall()


def test_ingest_is_idempotent_and_briefs_are_cached(tmp_path, capsys):
    db = tmp_path / "news.db"
    assert main(["ingest", "--db", str(db), str(SEEDS)]) == 0
    assert "5 article(s) added" in capsys.readouterr().err
    assert main(["ingest", "--db", str(db), str(SEEDS)]) == 0
    assert "0 article(s) added" in capsys.readouterr().err
    assert consistent(db)["articles"] == 5
    assert main(["events", "--db", str(db), "--format", "json"]) == 0
    events = json.loads(capsys.readouterr().out)["events"]
    assert len(events) == 1 and events[0]["articles"] == 5
    event = events[0]["id"]
    assert main(["brief", "--db", str(db), "--event", str(event), "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    cached = sqlite3.connect(db).execute("SELECT articles FROM briefs").fetchall()
    assert cached == [(5,)]
    assert main(["brief", "--db", str(db), "--event", f"e{event}", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == first  # served from the cache
    assert len(first["sources"]) == 5 and first["summary"]


def test_store_groups_like_batch_clustering_when_the_clock_jumps(tmp_path, seeds, examples):
    # The seeds (2019) are followed in the same batch by the examples (2026): the seeds'
    # events must be repaired before the clock moves on and they leave the window.
    articles = seeds + examples
    with Store(tmp_path / "news.db") as store:
        store.ingest(articles)
    stored = assignments(tmp_path / "news.db")
    batch = newsfuse.cluster(articles).assignments

    def partition(pairs):
        groups: dict = {}
        for article_id, key in pairs:
            groups.setdefault(key, set()).add(article_id)
        return sorted(sorted(g) for g in groups.values())

    assert partition((a, e) for a, e, _ in stored) == \
        partition((a.id, a.event) for a in batch)
    assert partition((a, s) for a, _, s in stored) == \
        partition((a.id, a.story) for a in batch)
    assert len({e for a, e, _ in stored if a in {x.id for x in seeds}}) == 1


def test_cached_brief_is_rebuilt_when_the_event_grows(tmp_path, seeds, capsys):
    db = tmp_path / "news.db"
    with Store(db) as store:
        store.ingest(seeds[:3])
    assert main(["brief", "-q", "--db", str(db), "--event", "1", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["sources"]) == 3
    with Store(db) as store:
        store.ingest(seeds[3:])
        assert store.cached_brief(1) is None
    assert main(["brief", "-q", "--db", str(db), "--event", "1", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["sources"]) == 5


def test_events_search_since_and_story_timeline(tmp_path, capsys):
    db = tmp_path / "news.db"
    assert main(["ingest", "-q", "--db", str(db), str(SEEDS), str(UCI)]) == 0
    capsys.readouterr()
    assert main(["events", "--db", str(db), "--query", "embassy Baghdad", "--format",
                 "jsonl"]) == 0
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(found) == 1 and found[0]["articles"] == 5
    assert main(["events", "--db", str(db), "--since", "2019-01-01", "--format", "jsonl"]) == 0
    assert [json.loads(x)["id"] for x in capsys.readouterr().out.splitlines()] == \
        [found[0]["id"]]
    assert main(["events", "--db", str(db), "--query", "Titanfall OR )(", "--limit", "3"]) == 0
    assert "Titanfall" in capsys.readouterr().out
    story = found[0]["story"]
    assert main(["timeline", "--db", str(db), "--story", str(story), "--dates", "3",
                 "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)["timeline"]
    assert {e["date"] for e in entries} >= {"2019-12-31"}
    assert main(["timeline", "--db", str(db), "--story", "999999"]) == 2


def test_duplicate_ids_across_files_are_renamed_and_reported(tmp_path, capsys):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    one.write_text(json.dumps({"id": "a1", "title": "Flood closes the river road",
                               "date": "2021-03-01", "text": "The river road was closed."})
                   + "\n")
    two.write_text(json.dumps({"id": "a1", "title": "Council elects a new mayor",
                               "date": "2021-03-02", "text": "The council met on Tuesday."})
                   + "\n")
    db = tmp_path / "news.db"
    assert main(["ingest", "--db", str(db), str(one), str(two)]) == 0
    err = capsys.readouterr().err
    assert "id 'a1' is already in the store" in err and "'a1~2'" in err
    ids = [row[0] for row in assignments(db)]
    assert ids == ["a1", "a1~2"]


def test_killed_ingest_leaves_a_consistent_store_that_a_rerun_completes(tmp_path):
    db = tmp_path / "news.db"
    total = sum(1 for _ in newsfuse.read([UCI]))
    proc = subprocess.Popen([*CLI, "ingest", "-q", "--db", str(db), str(UCI)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            stored = 0
        if stored > 0:
            break
        time.sleep(0.05)
    proc.kill()  # SIGKILL: no cleanup runs
    proc.wait()
    assert 0 < stored < total, "the ingest finished before it could be killed"
    partial = consistent(db)["articles"]
    assert 0 < partial < total
    rerun = subprocess.run([*CLI, "ingest", "-q", "--db", str(db), str(UCI)], cwd=ROOT,
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - partial} article(s) added" in rerun.stderr
    assert consistent(db)["articles"] == total
    # the interrupted-and-resumed store matches one ingested in a single run
    clean = tmp_path / "clean.db"
    done = subprocess.run([*CLI, "ingest", "-q", "--db", str(clean), str(UCI)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert assignments(db) == assignments(clean)


def test_a_second_ingest_waits_for_the_first_or_is_refused(tmp_path, capsys):
    db = tmp_path / "news.db"
    Store(db).close()
    with open(f"{db}.lock", "a+b") as held:  # another ingest holds the store
        fcntl.flock(held, fcntl.LOCK_EX)
        assert main(["ingest", "--db", str(db), "--wait", "0.2", str(SEEDS)]) == 2
        assert "another ingest is writing to this store" in capsys.readouterr().err
    assert consistent(db)["articles"] == 0
    # two real processes at once: serialized, both complete
    procs = [subprocess.Popen([*CLI, "ingest", "-q", "--db", str(db), str(path)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for path in (SEEDS, UCI)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert consistent(db)["articles"] == 5 + sum(1 for _ in newsfuse.read([UCI]))


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100,
                                     b"SQLite format 3\x00" + b"\x07" * 4000])
def test_damaged_store_is_reported_and_left_untouched(tmp_path, content, capsys):
    db = tmp_path / "news.db"
    db.write_bytes(content)
    for args in (["ingest", "--db", str(db), str(SEEDS)], ["events", "--db", str(db)],
                 ["brief", "--db", str(db), "--event", "1"]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert str(db) in err and "Traceback" not in err
    assert db.read_bytes() == content


def test_foreign_database_and_newer_schema_are_refused(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)")
    with pytest.raises(StoreError, match="not a newsfuse store"):
        Store(other)
    newer = tmp_path / "newer.db"
    Store(newer).close()
    sqlite3.connect(newer).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer newsfuse"):
        Store(newer)


def test_older_schema_is_migrated_with_its_data(tmp_path, seeds):
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript(MIGRATIONS[0][1])
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with Store(db) as store:
        store.ingest(seeds)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "events_last" in names
    assert consistent(db)["articles"] == 5


def test_read_only_store_is_readable_but_not_writable(tmp_path, seeds):
    db = tmp_path / "news.db"
    with Store(db) as store:
        store.ingest(seeds)
    with Store(db, readonly=True) as store:
        assert store.count() == 5 and store.events()
        with pytest.raises(StoreError, match="read-only"):
            store.ingest(seeds)
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "missing.db", readonly=True)
    assert main(["ingest", "--db", str(tmp_path / "no" / "dir.db"), str(SEEDS)]) == 2


def _open_at_once(path: str, barrier, errors) -> None:
    barrier.wait()
    try:
        Store(path).close()
    except StoreError as exc:
        errors.put(str(exc))


def test_two_processes_creating_one_store_both_succeed(tmp_path):
    # Both read "no schema yet" before either takes the write lock; the second must not
    # then try to create the tables again ("table articles already exists").
    import multiprocessing

    context = multiprocessing.get_context("fork")
    errors = context.Queue()
    for attempt in range(12):
        path = str(tmp_path / f"new{attempt}.db")
        barrier = context.Barrier(3)
        workers = [context.Process(target=_open_at_once, args=(path, barrier, errors))
                   for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [w.exitcode for w in workers] == [0, 0, 0]
        with Store(path, readonly=True) as store:
            assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert errors.empty(), errors.get()


def test_a_full_disk_is_named_and_the_store_keeps_what_it_had(tmp_path):
    # SQLite's page limit gives the same error a full disk does (SQLITE_FULL)
    db = tmp_path / "full.db"
    seeds = list(newsfuse.read([SEEDS]))
    with Store(db) as store:
        store.ingest(seeds[:1])
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StoreError, match="the disk is full; the batch being written "
                                             "was not stored"):
            store.ingest(seeds[1:])
    with Store(db, readonly=True) as store:
        assert store.size() == 1


def test_a_store_on_read_only_media_can_be_read(tmp_path, capsys):
    source, media = tmp_path / "disk", tmp_path / "media"
    source.mkdir()
    media.mkdir()
    assert main(["ingest", "--quiet", "--db", str(source / "news.db"), str(SEEDS)]) == 0
    subprocess.run(["mount", "--bind", str(source), str(media)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(media)], check=True)
        capsys.readouterr()
        assert main(["events", "--db", str(media / "news.db"), "--format", "json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert sum(e["articles"] for e in listed["events"]) == 5
        assert main(["ingest", "--quiet", "--db", str(media / "news.db"), str(SEEDS)]) == 2
        assert "read-only" in capsys.readouterr().err
    finally:
        subprocess.run(["umount", "-l", str(media)], check=True)
