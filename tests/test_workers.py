"""``--workers``: the same output from two processes as from one, in the same order, with the
same problems reported; a clean stop on Ctrl-C; no pool at all for one worker.

Real inputs from ../shared: Timeline17 dev collections (JSON arrays), the seeds (plain
text), AEB pages (gzipped HTML), UCI headlines (CSV); the project's examples; and a JSON
Lines file with broken records between good ones. Chunks are made small
(``settings.WORKER_CHUNK``, decided by the parent) so that every input spans several chunks
and files are cut between them.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import newsfuse
from newsfuse import settings
from newsfuse.cli import main
from newsfuse.io import ArticleStream
from newsfuse.parallel import ParallelStream, WorkerPool, usable_cores
from tests.conftest import DATA, EXAMPLES, ROOT, SEEDS, TIMELINE17

AEB = DATA / "aeb-pages" / "html"
DEFAULT_CHUNK = settings.WORKER_CHUNK  # what a new process uses


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "WORKER_CHUNK", 7)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Inputs of every shape, with bad records, an empty file and a missing path."""
    folder = tmp_path_factory.mktemp("mixed")
    good = json.loads((TIMELINE17 / "MJ_bbc" / "articles.json").read_text())[:12]
    lines = []
    for i, record in enumerate(good):
        lines.append(json.dumps(record))
        if i == 3:
            lines.append("{not json")
        if i == 5:
            lines.append(json.dumps({"id": "empty", "date": "2009-06-26"}))
        if i == 8:
            lines.append(json.dumps({"id": "bad-date", "date": "the 45th of Smarch",
                                     "text": "Officials said on Monday that the road reopens."}))
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "empty.txt").write_text("")
    pages = folder / "pages"
    pages.mkdir()
    for path in sorted(AEB.glob("*.html.gz"))[:9]:
        (pages / path.name).write_bytes(path.read_bytes())
    return [str(TIMELINE17 / "H1N1_bbc"), str(folder), str(SEEDS), str(EXAMPLES),
            str(folder / "missing.json")]


def read_all(inputs: list[str], workers: int, clean: bool = True
             ) -> tuple[list[newsfuse.Article], list[newsfuse.Problem], str]:
    problems: list[newsfuse.Problem] = []
    stream = newsfuse.read(inputs, workers=workers, clean=clean, on_problem=problems.append)
    articles = list(stream)
    return articles, problems, stream.report.summary()


def test_read_with_two_workers_equals_one(mixed: list[str]) -> None:
    one = read_all(mixed, 1)
    two = read_all(mixed, 2)
    articles, problems, summary = one
    assert summary.startswith(f"read {len(articles)} articles from ")
    assert len(articles) > 100 and any(a.sentences for a in articles)
    # every bad record has its one message, with file and record
    skipped = [p for p in problems if p.severity == "skipped"]
    assert any(p.path.endswith("feed.jsonl") and p.line == 5 for p in skipped)
    assert any(p.path.endswith("feed.jsonl") and p.line == 8 for p in skipped)
    assert any(p.path.endswith("empty.txt") for p in skipped)
    assert any(p.path.endswith("missing.json") for p in skipped)
    assert any(p.severity == "warning" and p.line == 12 and "Smarch" in p.reason
               for p in problems)
    assert two == one
    assert [a.id for a in two[0]] == [a.id for a in articles]


def test_raw_read_with_two_workers_equals_one(mixed: list[str]) -> None:
    assert read_all(mixed, 2, clean=False) == read_all(mixed, 1, clean=False)


def test_read_counts_stay_right(mixed: list[str]) -> None:
    stream = newsfuse.read(mixed, workers=2)
    articles = list(stream)
    single = newsfuse.read(mixed, workers=1)
    list(single)
    assert stream.report.articles == len(articles) == single.report.articles
    assert stream.report.files == single.report.files
    assert stream.report.skipped == single.report.skipped
    assert stream.report.warnings == single.report.warnings


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_read_command_output_is_the_same(capsys: pytest.CaptureFixture[str],
                                         mixed: list[str]) -> None:
    one = run(capsys, "read", *mixed, "--format", "jsonl", "--workers", "1")
    two = run(capsys, "read", *mixed, "--format", "jsonl", "--workers", "2")
    assert one[0] == 1  # some input was skipped
    assert two == one


def test_cluster_with_two_workers_equals_one(capsys: pytest.CaptureFixture[str]) -> None:
    inputs = [str(TIMELINE17 / "bpoil_bbc"), str(TIMELINE17 / "H1N1_guardian"),
              str(DATA / "uci-headlines" / "dev.csv")]
    one = run(capsys, "cluster", *inputs, "--workers", "1")
    two = run(capsys, "cluster", *inputs, "--workers", "2")
    rows = [json.loads(line) for line in one[1].splitlines()]
    assert len(rows) > 3000 and len({r["event"] for r in rows}) > 20
    assert two == one


def store_contents(path: Path) -> dict[str, Any]:
    db = sqlite3.connect(path)
    articles = db.execute(
        "SELECT rowid, id, source_id, fingerprint, title, text, date, event, copy_of, undated, "
        "record, signature FROM articles ORDER BY rowid").fetchall()
    events = db.execute("SELECT id, story, first, last, size, headline, merged_into, terms, "
                        "weights FROM events ORDER BY id").fetchall()
    bands = db.execute("SELECT key, article FROM bands ORDER BY key, article").fetchall()
    state = db.execute("SELECT key, value FROM state WHERE key != 'generation' "
                       "ORDER BY key").fetchall()
    db.close()
    return {"articles": articles, "events": events, "bands": bands, "state": state}


def test_ingest_with_two_workers_stores_the_same(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    inputs = [str(TIMELINE17 / "H1N1_reuters"), str(SEEDS), str(EXAMPLES)]
    results = []
    for workers in ("1", "2"):
        db = tmp_path / f"w{workers}.db"
        code, _, err = run(capsys, "ingest", *inputs, "--db", str(db), "--workers", workers)
        assert code == 0
        results.append((store_contents(db), err.replace(str(db), "DB")))
    assert len(results[0][0]["articles"]) > 100
    assert results[1] == results[0]


def test_all_events_briefs_with_two_workers_equal_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The seeds, the two example events and the Guardian's H1N1 reports of one day."""
    day = [a for a in json.loads((TIMELINE17 / "H1N1_guardian" / "articles.json").read_text())
           if a["dct"].startswith("2009-06-11")]
    (tmp_path / "flu.json").write_text(json.dumps(day))
    inputs = [str(SEEDS), str(EXAMPLES), str(tmp_path / "flu.json")]
    one = run(capsys, "brief", *inputs, "--all-events", "--format", "json", "--workers", "1")
    two = run(capsys, "brief", *inputs, "--all-events", "--format", "json", "--workers", "2")
    events = json.loads(one[1])["events"]
    assert len(events) >= 3 and all(e["brief"] for e in events)
    assert two == one


def test_one_worker_starts_no_process(monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(multiprocessing, "get_context", refuse)
    inputs = [str(SEEDS), str(EXAMPLES)]
    assert run(capsys, "read", *inputs, "--workers", "1")[0] == 0
    assert run(capsys, "cluster", *inputs, "--workers", "1")[0] == 0
    assert run(capsys, "brief", *inputs, "--all-events", "--workers", "1",
               "--encoder", "tfidf")[0] == 0
    assert type(newsfuse.read(inputs)) is newsfuse.ArticleStream  # the library's default


def test_workers_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["read", str(SEEDS), "--workers", "0"])
    assert exit_info.value.code == 2
    assert "--workers" in capsys.readouterr().err
    assert usable_cores() >= 1


def _count_chunk_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every chunk ParallelStream sends to its workers, appended as it is made."""
    made: list[int] = []
    tasks = ParallelStream._tasks

    def counted(self: ParallelStream, features: bool) -> Any:
        for task in tasks(self, features):
            made.append(len(task[3]))
            yield task

    monkeypatch.setattr(ParallelStream, "_tasks", counted)
    return made


def test_work_in_flight_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Taking the first article reads only the chunks in flight, not the whole input."""
    made = _count_chunk_sizes(monkeypatch)
    stream = ParallelStream([str(TIMELINE17 / "bpoil_guardian")], workers=2)
    first = next(iter(stream))
    assert first.sentences
    window = settings.WORKER_WINDOW * 2
    assert len(made) <= window + 1
    assert max(made) <= settings.WORKER_CHUNK
    total = len(json.loads((TIMELINE17 / "bpoil_guardian" / "articles.json").read_text()))
    assert sum(made) < total / 2


@pytest.mark.parametrize("method", sorted({"spawn", "forkserver"}
                                           & set(multiprocessing.get_all_start_methods())))
def test_pool_keeps_input_order_and_passes_errors(method: str) -> None:
    with WorkerPool(2, method) as pool:
        assert list(pool.map(abs, range(-50, 0), window=3)) == list(range(50, 0, -1))
    with pytest.raises(TypeError), WorkerPool(2, method) as pool:
        list(pool.map(abs, ["x"]))


def _group_processes(pgid: int) -> list[str]:
    """Processes of a process group still alive (exited ones awaiting their reaper aside)."""
    alive = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[2] == str(pgid) and fields[0] != "Z":
            alive.append(pid)
    return alive


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list processes")
def test_ctrl_c_stops_every_worker_without_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "newsfuse.cli", "read", str(TIMELINE17), "--workers", "2",
           "--format", "jsonl"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    # the parent, its resource tracker and fork server (with spawn: none), and the workers
    while len(_group_processes(proc.pid)) < 5 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)
    assert proc.poll() is None, "the read ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted" in err.decode() and "Traceback" not in err.decode()
    time.sleep(0.5)
    assert _group_processes(proc.pid) == []


def test_stdin_with_two_workers_equals_one(mixed: list[str]) -> None:
    """JSON Lines on stdin: the parent splits the records, the workers clean them."""
    more = json.loads((TIMELINE17 / "MJ_bbc" / "articles.json").read_text())[12:92]
    feed = (Path(mixed[1]) / "feed.jsonl").read_bytes() + "".join(
        json.dumps(r) + "\n" for r in more).encode()  # several chunks of the default size
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    outputs = []
    for workers in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "newsfuse.cli", "read", "-", "--format",
                               "jsonl", "--workers", workers], input=feed, env=env,
                              capture_output=True, timeout=300, check=False)
        outputs.append((done.returncode, done.stdout, done.stderr))
    assert outputs[0][0] == 1 and b"<stdin>:5: invalid JSON" in outputs[0][2]
    assert len(outputs[0][1].splitlines()) > 2 * DEFAULT_CHUNK
    assert outputs[1] == outputs[0]


def test_a_waiting_pipe_gets_what_was_read_with_two_workers() -> None:
    """Records written to a pipe whose writer then waits (`tail -f feed | newsfuse read -`)
    come out without waiting for more input or its end: 70 records (two whole chunks and a
    part) are all printed while the pipe is still open."""
    records = json.loads((TIMELINE17 / "MJ_bbc" / "articles.json").read_text())[:70]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "newsfuse.cli", "read", "-", "--format",
                             "jsonl", "--workers", "2"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write("".join(json.dumps(r) + "\n" for r in records).encode())
        proc.stdin.flush()
        printed: list[dict[str, Any]] = []
        deadline = time.monotonic() + 120
        os.set_blocking(proc.stdout.fileno(), False)
        buffer = b""
        while len(printed) < len(records) and time.monotonic() < deadline:
            chunk = proc.stdout.read()
            if chunk:
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                printed += [json.loads(line) for line in lines if line.strip()]
            else:
                time.sleep(0.05)
        assert len(printed) == len(records)  # all out before the input ends
        assert all(a["sentences"] for a in printed)
        assert proc.poll() is None  # still waiting for more input
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_bad_records_are_chunked_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of nothing but broken records is sent on in bounded chunks, and every one of
    them is reported once, in order."""
    made = _count_chunk_sizes(monkeypatch)
    (tmp_path / "bad.jsonl").write_text("{broken\n" * 100)
    problems: list[newsfuse.Problem] = []
    stream = ParallelStream([str(tmp_path / "bad.jsonl")], workers=2,
                            on_problem=problems.append)
    assert list(stream) == []
    assert [p.line for p in problems] == list(range(1, 101))
    assert stream.report.skipped_total == 100 and stream.report.files == 1
    assert len(made) > 10 and max(made) <= settings.WORKER_CHUNK


def test_each_file_is_sniffed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent chooses each file's reader once and a worker reads the file with it: no
    file is opened to be sniffed twice (with one chunk, the work stays in this process, so
    every sniff is seen)."""
    sniffed: list[str] = []
    file_format = ArticleStream.file_format

    def counted(self: ArticleStream, path: Path) -> str:
        sniffed.append(str(path))
        return file_format(self, path)

    monkeypatch.setattr(ArticleStream, "file_format", counted)
    seeds = sorted(str(p) for p in SEEDS.iterdir())
    assert len(list(ParallelStream([str(SEEDS)], workers=2))) == len(seeds)
    assert sniffed == seeds
    sniffed.clear()
    pages = sorted(str(p) for p in AEB.glob("*.html.gz"))[:20]
    records = str(TIMELINE17 / "MJ_bbc" / "articles.json")
    stream = ParallelStream([*pages, records], workers=2)
    assert len(list(stream)) > len(pages)
    assert sniffed == [*pages, records]


def test_brief_events_are_the_same_for_any_workers() -> None:
    """One implementation makes the briefs in this process or in a pool: every event's
    brief, in the same order, the same for 1, 2 or a chosen number of workers."""
    from newsfuse.render.brief_json import brief_to_dict
    from newsfuse.split import brief_events

    articles = list(newsfuse.read([str(SEEDS), str(EXAMPLES)]))

    def briefs(workers: int | None, events: str = "all") -> list[Any]:
        found = brief_events(articles, encoder="tfidf", events=events, workers=workers)
        return [(e.ids, brief_to_dict(e.brief) if e.brief else None) for e in found.events]

    one = briefs(1)
    assert len(one) >= 3 and all(brief for _, brief in one)
    assert briefs(2) == one
    assert briefs(None) == one
    largest = briefs(2, "largest")
    assert largest == briefs(1, "largest")
    assert largest[0][0] == one[0][0] and [b for _, b in largest[1:]] == [None] * (len(one) - 1)
