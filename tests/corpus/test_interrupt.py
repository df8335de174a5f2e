"""Bounded write transactions, stopping on SIGINT and SIGTERM, and resuming: a long ingest
takes turns with other writers while readers keep answering; a signal commits the
transaction in progress and exits with the signal's code; an ingest stopped after any
transaction and run again gives exactly the store of an uninterrupted run. Real data: UCI
headlines, the seeds, Timeline17 articles."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsfuse
from newsfuse.corpus import repair
from newsfuse.corpus import store as store_module
from newsfuse.corpus.store import IngestReport, Store
from newsfuse.stopping import Stop
from tests.conftest import ROOT, TIMELINE17, UCI
from tests.corpus.test_store import consistent

CLI = [sys.executable, "-m", "newsfuse.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


@pytest.fixture(scope="module")
def sample(seeds) -> list:
    """600 real headlines from several UCI stories over two days, and the five seeds."""
    return list(newsfuse.read([UCI]))[:600] + seeds


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Everything an ingest decides: each article's event, story and original; each event's
    story, size, span, headline and fate; the clustering state."""
    db = sqlite3.connect(path)
    tables = {
        "articles": "SELECT a.id, a.event, e.story, a.copy_of, a.undated FROM articles a "
                    "JOIN events e ON a.event = e.id ORDER BY a.rowid",
        "events": "SELECT id, story, first, last, size, headline, merged_into, terms, "
                  "weights, checked, norm2, indexed, open FROM events ORDER BY id",
        "df": "SELECT bucket, n FROM df ORDER BY bucket",
        "state": "SELECT key, value FROM state WHERE key != 'generation' ORDER BY key",
        "bands": "SELECT b.key, a.id FROM bands b JOIN articles a ON a.rowid = b.article "
                 "ORDER BY b.key, a.id"}
    found = {name: db.execute(sql).fetchall() for name, sql in tables.items()}
    db.close()
    return found


def same_store(got: dict[str, list[tuple]], expected: dict[str, list[tuple]]) -> list[str]:
    """The tables in which two snapshots differ (none: the same store)."""
    return [name for name in expected if got[name] != expected[name]]


def uninterrupted(path: Path, articles: list, batch: int) -> dict[str, list[tuple]]:
    with Store(path) as store:
        store.ingest(articles, batch=batch)
    return snapshot(path)


def test_transactions_are_cut_by_time_and_commit_in_canonical_order(tmp_path, sample):
    """With no time allowed, every article is its own transaction; with all the time in the
    world, one transaction per batch. Never a transaction left open."""
    with Store(tmp_path / "one.db") as store:
        report = store.ingest(sample[:60], batch=25, hold=0.0)
        assert report.added == 60 and report.transactions == 60
        assert not store.db.in_transaction
    with Store(tmp_path / "batch.db") as store:
        report = store.ingest(sample[:60], batch=25, hold=3600.0)
        assert report.added == 60 and report.transactions == 3
    assert snapshot(tmp_path / "one.db")["articles"] == snapshot(tmp_path / "batch.db")["articles"]


def test_resumed_at_every_batch_boundary_equals_an_uninterrupted_ingest(tmp_path, sample):
    batch = 100
    reference = uninterrupted(tmp_path / "whole.db", sample, batch)
    boundaries = len(sample) // batch
    for done in range(1, boundaries + 1):
        path = tmp_path / f"stopped{done}.db"
        report = IngestReport()
        with Store(path) as store:
            # stopped once `done` batches are committed, as a signal between batches would
            store.ingest(sample, batch=batch, hold=3600.0, report=report,
                         stop=lambda report=report, done=done: report.transactions >= done)
        assert report.stopped and report.transactions == done
        assert consistent(path)["articles"] == done * batch
        with Store(path) as store:  # a new process: the state is read from the file
            resumed = store.ingest(sample, batch=batch)
        assert resumed.already == done * batch
        assert resumed.added == len(sample) - done * batch
        assert same_store(snapshot(path), reference) == [], f"resumed after batch {done}"


@settings(max_examples=6, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(batch=st.integers(20, 200), stops=st.lists(st.integers(1, 400), min_size=1,
                                                  max_size=3))
def test_resumed_anywhere_equals_an_uninterrupted_ingest(tmp_path_factory, sample, batch,
                                                         stops):
    """Stopped after any number of single-article transactions (mid-batch too), one or
    several times, then run to the end: the same store as one uninterrupted ingest."""
    folder = tmp_path_factory.mktemp("resume")
    reference = uninterrupted(folder / "whole.db", sample, batch)
    path = folder / "stopped.db"
    for transactions in sorted(set(stops)):
        report = IngestReport()
        with Store(path) as store:
            already = store.count()
            store.ingest(sample, batch=batch, hold=0.0, report=report,
                         stop=lambda r=report, n=transactions: r.transactions >= n)
        assert consistent(path)["articles"] == already + report.added
    with Store(path) as store:
        store.ingest(sample, batch=batch)
    assert same_store(snapshot(path), reference) == []


def test_a_signal_during_a_transaction_commits_it_and_stops(tmp_path, sample, monkeypatch):
    """SIGTERM while an article is being placed: that article is finished, the transaction
    committed, and the ingest returns; a rerun completes it as if never stopped."""
    reference = uninterrupted(tmp_path / "whole.db", sample, 1000)
    real = store_module.add_article
    calls = []

    def add_and_signal(*args, **kwargs):
        calls.append(1)
        if len(calls) == 123:
            signal.raise_signal(signal.SIGTERM)
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module, "add_article", add_and_signal)
    path = tmp_path / "stopped.db"
    report = IngestReport()
    with Store(path) as store:
        stop = Stop(busy=lambda: store.db.in_transaction)
        with stop.installed():
            store.ingest(sample, batch=1000, hold=3600.0, stop=stop, report=report)
    assert stop.name == "SIGTERM" and stop.exit_code == 143
    assert report.stopped and report.added == 123
    assert report.unstored == len(sample) - 123
    assert consistent(path)["articles"] == 123
    monkeypatch.setattr(store_module, "add_article", real)
    with Store(path) as store:
        store.ingest(sample, batch=1000)
    assert same_store(snapshot(path), reference) == []


def headlines_jsonl(rows: int) -> list[str]:
    """UCI headlines as JSON Lines records (id, title, outlet, url, date)."""
    lines = []
    with open(UCI, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lines.append(json.dumps({"id": f"uci-{row['ID']}", "title": row["TITLE"],
                                     "outlet": row["PUBLISHER"], "url": row["URL"],
                                     "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(
                                         int(row["TIMESTAMP"]) / 1000))}) + "\n")
            if len(lines) == rows:
                break
    return lines


def stored(path: Path) -> int:
    try:
        with sqlite3.connect(path) as db:
            return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_real_ingest_stops_on_a_signal_with_counts_and_the_signal_code(tmp_path, signum):
    """A real `newsfuse ingest -` fed 600 records, its stdin then left open: the first batch
    (500) is stored, the process waits for more; the signal ends it at once with a clear
    line and 128+signal; the store is consistent and a rerun completes it."""
    lines = headlines_jsonl(700)
    db = tmp_path / "news.db"
    proc = subprocess.Popen([*CLI, "ingest", "--db", str(db), "-"], cwd=ROOT, env=ENV,
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None
    proc.stdin.write("".join(lines[:600]))
    proc.stdin.flush()
    deadline = time.monotonic() + 120
    while stored(db) < 500 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert stored(db) == 500
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    name = signal.Signals(signum).name
    assert proc.returncode == 128 + signum, err
    assert f"stopped by {name}" in err and "Traceback" not in err
    assert "500 article(s) added" in err
    # what was read past the stored batch (the reader may not have reached record 600)
    read_count = int(re.search(r"read (\d+) articles", err).group(1))
    unstored = int(re.search(r"(\d+) article\(s\) read were not stored", err).group(1))
    assert 500 <= read_count <= 600 and unstored == read_count - 500
    assert consistent(db)["articles"] == 500
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(lines), encoding="utf-8")
    rerun = subprocess.run([*CLI, "ingest", "-q", "--db", str(db), str(feed)], cwd=ROOT,
                           env=ENV, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "200 article(s) added" in rerun.stderr and "500 already" in rerun.stderr
    clean = tmp_path / "clean.db"
    subprocess.run([*CLI, "ingest", "-q", "--db", str(clean), str(feed)], cwd=ROOT, env=ENV,
                   check=True, capture_output=True)
    assert snapshot(db)["articles"] == snapshot(clean)["articles"]


def test_a_long_ingest_takes_turns_with_another_writer_while_readers_answer(tmp_path, seeds):
    """While a real ingest of all Timeline17 dev articles runs, another writer gets its
    articles in (it waited for a whole ingest before) and a reader keeps answering with
    growing counts. SIGTERM then stops the long ingest with a consistent store."""
    db = tmp_path / "news.db"
    Store(db).close()
    proc = subprocess.Popen([*CLI, "ingest", "-q", "--db", str(db), str(TIMELINE17)],
                            cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    seen: list[int] = []
    done = threading.Event()

    def read_along() -> None:
        with Store(db, readonly=True, shared=True) as reader:
            while not done.is_set():
                seen.append(reader.count())
                reader.events(limit=20)
                time.sleep(0.05)

    reader = threading.Thread(target=read_along)
    reader.start()
    try:
        deadline = time.monotonic() + 300
        while stored(db) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stored(db) > 0
        with Store(db) as other:
            report = other.ingest(seeds, wait=60)
        assert report.added == 5
        assert proc.poll() is None, "the long ingest ended before the other writer's turn"
        with Store(db, readonly=True) as check:
            assert check.cards([a.id for a in seeds]).keys() == {a.id for a in seeds}
        # a full check while the ingest writes sees one consistent snapshot
        assert repair.check(db).problems == 0
        before = stored(db)
        while stored(db) == before and proc.poll() is None:
            time.sleep(0.05)
    finally:
        done.set()
        reader.join()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    assert len(seen) > 10 and seen == sorted(seen) and seen[-1] > seen[0]
    assert proc.returncode in (0, 143), err
    assert "Traceback" not in err
    assert consistent(db)["articles"] == stored(db)


def test_serve_stops_on_sigterm_with_a_message_and_the_signal_code(tmp_path, seeds):
    db = tmp_path / "news.db"
    with Store(db) as store:
        store.ingest(seeds)
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port)], cwd=ROOT,
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 120
    answered = False
    while not answered and time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/events",
                                        timeout=5) as response:
                answered = response.status == 200
        except OSError:
            time.sleep(0.2)
    assert answered
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    assert consistent(db)["articles"] == 5


def test_serve_stopped_during_a_post_commits_what_it_placed_and_says_the_rest(tmp_path):
    """SIGTERM while a posted batch of 2,500 headlines is being stored: the transaction in
    progress is committed, the answer says how many were not stored, the server exits 143,
    and the store holds exactly what the answer says was added."""
    import socket

    db = tmp_path / "news.db"
    Store(db).close()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port)], cwd=ROOT,
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/api/events", timeout=5):
                break
        except OSError:
            time.sleep(0.2)
    answer: dict = {}

    def post() -> None:
        body = "".join(headlines_jsonl(2500)).encode()
        request = urllib.request.Request(f"{url}/api/articles", data=body, method="POST",
                                         headers={"Content-Type": "application/x-ndjson"})
        with urllib.request.urlopen(request, timeout=300) as response:
            answer.update(json.loads(response.read()), status=response.status)

    poster = threading.Thread(target=post)
    poster.start()
    while stored(db) == 0 and poster.is_alive():
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    poster.join(300)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert answer["status"] == 200
    assert 0 < answer["added"] < 2500, "the post ended before the signal"
    assert any("the server is stopping" in p and f"{2500 - answer['added']} article(s)" in p
               for p in answer["problems"])
    assert consistent(db)["articles"] == answer["added"]
