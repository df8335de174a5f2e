"""``newsfuse serve`` under load: the events page and event pages of a 100k-article store.

Store. ``SIZE`` (100,000) articles of the store benchmark's corpus (the dev articles replayed
in shifted rounds, :func:`benchmarks.store.synthesize`) are ingested into a fresh store in a
temporary folder with one ``Store.ingest`` call; ``--db PATH`` reuses a store built before
(or builds it there and keeps it), ``--keep PATH`` builds it at ``PATH`` and keeps it,
``--size N`` builds a smaller one for a quick trial.

Briefs. The events requested are the first page of the events list (``Store.events(limit=50)``,
what ``/`` links to) and then a random sample (fixed seed) of the other live events, up to
``EVENTS`` in all; an event of more than ``MAX_EVENT_ARTICLES`` articles is passed over, and
no event is added after ``WARM_LIMIT_S`` seconds of building. An event whose brief cannot
be built (headlines only: no body text) is passed over too and recorded; its page is asked
for once, outside the load, and the answer recorded. Each brief is built as the server
builds it (``Library(db).brief(event)``, default encoder), which keeps it in the store's
brief cache: the load below reads briefs from the cache and never builds one.

Servers. The real server is started as its own process (``newsfuse serve --db DB --host
127.0.0.1 --port P``, the console script of this interpreter's environment) and asked for
every distinct URL once (not measured: its in-memory caches are then in their steady state).
The bodies it answers are the peer's pages: a minimal Starlette app in its own process,
served by the same uvicorn (one worker, same protocol and loop implementations) that answers
each path with the stored copy of that page and its headers, without any work. The peer is
the floor for any Python ASGI server on this machine, so ``newsfuse p95 / peer p95`` is the
cost of newsfuse's own work per page kind.

Load. The load generator runs in this process: asyncio, ``CONNECTIONS`` raw keep-alive
HTTP/1.1 connections taking ``REQUESTS`` requests from one shared queue (a closed loop: at
most 8 requests in flight). The request list is fixed (seeded shuffle): about one third
events-page variants (``/``, ``/?offset=50``, ``/?q=<word>``, ``/?since=<day>``; the words
are a new word of six letters or more from each of the three newest headlines, the days the
last day of the first page and the median last day of all events), about two thirds event
pages ``/events/{id}`` over the warmed events, and a few API calls (``/api/events``,
``/api/events/{id}``), reported apart. Latency is from writing the request to reading the
last byte of the body (``Content-Length``); any status but 200 is an error and counted. A run
is the whole list; newsfuse and the peer take turns, ``RUNS`` runs each, and every statistic
reported (count, median, p95, p99, max per page kind, and requests/s over a run) is the
median of its value over the runs (the machine is shared and noisy). Percentiles are
nearest-rank. The server's CPU time over each run (``/proc/<pid>/stat``) gives its CPU ms
per request and how many cores it kept busy; its peak RSS (``VmHWM``) is read before it is
stopped.

Target (the project's): with a 100k-article store, the events page and an event page answer
with p95 under 100 ms on loopback under this bounded load, briefs served from the cache;
judged on the four events-page variants together ("events page (all)") and on event pages
(each variant's own p95 is shown too).
Run: ``python -m benchmarks.web`` (``--size 10000`` for a quick trial; ``--table`` prints
the last result).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import http.client
import itertools
import json
import math
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.common import ROOT, read_result, write_result
from benchmarks.store import load_base, synthesize

NAME = "web"
SIZE = 100_000
EVENTS = 60
MAX_EVENT_ARTICLES = 40
WARM_LIMIT_S = 120.0
CONNECTIONS = 8
REQUESTS = 2_000
RUNS = 3
SEED = 17
START_LIMIT_S = 60.0
HOST = "127.0.0.1"
TARGET_P95_MS = 100.0
# The request mix: per run, requests of each kind (the event pages cycle over the warmed
# events, the events-page variants over their URLs).
MIX = {"events /": 150, "events ?offset": 150, "events ?q": 150, "events ?since": 150,
       "event": 1300, "api events": 50, "api event": 50}
EVENTS_PAGE = ("events /", "events ?offset", "events ?q", "events ?since")
TARGETED = ("events page (all)", "event")  # the kinds the target is about
TARGETS = {"p95_ms": TARGET_P95_MS, "articles": SIZE}

PEER_APP = '''
import base64, json, sys
import uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

with open(sys.argv[1], encoding="utf-8") as f:
    PAGES = {url: (status, headers, base64.b64decode(body))
             for url, (status, headers, body) in json.load(f).items()}

async def page(request):
    query = request.scope["query_string"].decode()
    key = request.scope["raw_path"].decode() + ("?" + query if query else "")
    found = PAGES.get(key)
    if found is None:
        return Response(b"not stored", status_code=404)
    status, headers, body = found
    return Response(body, status_code=status, headers=headers)

app = Starlette(routes=[Route("/{path:path}", page)])
uvicorn.run(app, host=sys.argv[2], port=int(sys.argv[3]), log_level="warning",
            server_header=False)
'''


# --- the store and its briefs ------------------------------------------------------------
def build_store(path: Path, size: int) -> dict[str, Any]:
    from newsfuse.corpus.store import Store

    base = load_base()
    start = time.perf_counter()
    store = Store(path)
    try:
        store.ingest(itertools.islice(synthesize(base), size))
    finally:
        store.close()
    return {"build_seconds": round(time.perf_counter() - start, 1),
            "base_articles": len(base)}


def describe_store(path: Path) -> dict[str, Any]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        events, headless = db.execute(
            "SELECT COUNT(*), COUNT(*) - COUNT(headline) FROM events WHERE merged_into IS NULL "
            "AND EXISTS (SELECT 1 FROM articles a WHERE a.event = events.id)").fetchone()
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    return {"articles": articles, "live_events": events, "events_without_headline": headless,
            "db_mb": round(size / 2**20, 1)}


def warm_briefs(path: Path) -> dict[str, Any]:
    """Choose the events to request and build their briefs into the store's cache."""
    from newsfuse.web.library import Library, NoBrief

    library = Library(path)
    store = library.store()
    first = store.events(limit=50)
    chosen_ids = {e["id"] for e in first}
    every = store.events()
    others = [e for e in every if e["id"] not in chosen_ids]
    random.Random(SEED).shuffle(others)
    warmed: list[dict[str, Any]] = []
    passed_over = 0
    unbriefable: list[int] = []
    seconds: list[float] = []
    start = time.perf_counter()
    for event in itertools.chain(first, others):
        if len(warmed) >= EVENTS or time.perf_counter() - start > WARM_LIMIT_S:
            break
        if event["articles"] > MAX_EVENT_ARTICLES:
            passed_over += 1
            continue
        one = time.perf_counter()
        try:
            if library.brief(event["id"]) is None:
                continue
        except NoBrief:  # nothing to build a brief from (headlines only)
            unbriefable.append(event["id"])
            continue
        seconds.append(time.perf_counter() - one)
        warmed.append(event)
    total = time.perf_counter() - start
    # Events made of copies only have no headline (most of a replayed store's newest ones):
    # the words come from the newest events that have one.
    words = _headline_words(itertools.chain(first, every))
    matches = {w: store.db.execute("SELECT COUNT(*) FROM search WHERE search MATCH ?",
                                   (f'"{w}"',)).fetchone()[0] for w in words}
    days = sorted(e["last"] for e in every if e["last"])
    since = [first[-1]["last"] if first and first[-1]["last"] else days[-1],
             days[len(days) // 2]]
    store.close()
    return {"events": [e["id"] for e in warmed],
            "from_first_page": sum(1 for e in warmed if e["id"] in chosen_ids),
            "articles": [e["articles"] for e in warmed], "passed_over_large": passed_over,
            "unbriefable": unbriefable,
            "seconds": round(total, 1),
            "median_build_s": round(statistics.median(seconds), 3) if seconds else None,
            "max_build_s": round(max(seconds), 3) if seconds else None,
            "query_words": words, "query_word_articles": matches, "since_days": since}


def _headline_words(events: Iterable[dict[str, Any]], n: int = 3) -> list[str]:
    """A new word of six letters or more from each of the first headlines that have one."""
    words: list[str] = []
    for e in events:
        for word in re.findall(r"[A-Za-z]{6,}", e["headline"] or ""):
            if word.lower() not in words:
                words.append(word.lower())
                break
        if len(words) == n:
            break
    return words


# --- the request list --------------------------------------------------------------------
def urls_by_kind(warm: dict[str, Any]) -> dict[str, list[str]]:
    events = warm["events"]
    return {"events /": ["/"], "events ?offset": ["/?offset=50"],
            "events ?q": ["/?" + urlencode({"q": w}) for w in warm["query_words"]],
            "events ?since": ["/?" + urlencode({"since": d}) for d in warm["since_days"]],
            "event": [f"/events/{e}" for e in events],
            "api events": ["/api/events"],
            "api event": [f"/api/events/{e}" for e in events[:10]]}


def request_list(urls: dict[str, list[str]]) -> list[tuple[str, str]]:
    out = [(kind, url) for kind, count in MIX.items()
           for url in itertools.islice(itertools.cycle(urls[kind]), count)]
    random.Random(SEED).shuffle(out)
    return out


# --- servers -----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def get(port: int, url: str, timeout: float = 30.0) -> tuple[int, list[tuple[str, str]], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", url)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def start(command: list[str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + START_LIMIT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[0]} exited: {log.read_text()[-2000:]}")
        try:
            if get(port, "/", timeout=START_LIMIT_S)[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.25)
    stop(process)
    raise RuntimeError(f"{command[0]} did not answer / within {START_LIMIT_S} s")


def peak_rss_mb_of(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def cpu_seconds_of(pid: int) -> float:
    """User + system CPU seconds of a process so far (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- the load ----------------------------------------------------------------------------
async def _load(port: int, requests: list[tuple[str, str]]) -> tuple[list[Any], float]:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(requests)):
        queue.put_nowait(i)
    results: list[Any] = [None] * len(requests)

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while True:
                try:
                    i = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                data = f"GET {requests[i][1]} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()
                began = time.perf_counter()
                try:
                    writer.write(data)
                    head = await reader.readuntil(b"\r\n\r\n")
                    status = int(head.split(b" ", 2)[1])
                    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                    if length is None:
                        raise ValueError("no Content-Length")
                    body = await reader.readexactly(int(length.group(1)))
                    results[i] = ((time.perf_counter() - began) * 1000, status, len(body))
                    if re.search(rb"(?im)^connection:\s*close", head):
                        raise ConnectionError("server closed the connection")
                except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
                    if results[i] is None:
                        results[i] = ((time.perf_counter() - began) * 1000, 0, 0)
                    writer.close()
                    print(f"    connection error: {exc!r}; reconnecting", file=sys.stderr)
                    reader, writer = await asyncio.open_connection(HOST, port)
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(CONNECTIONS)))
    return results, time.perf_counter() - began


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def summarize(requests: list[tuple[str, str]], results: list[Any],
              wall: float) -> dict[str, Any]:
    by_kind: dict[str, list[tuple[float, int, int]]] = {}
    for (kind, _), result in zip(requests, results, strict=True):
        by_kind.setdefault(kind, []).append(result)
        if kind in EVENTS_PAGE:
            by_kind.setdefault("events page (all)", []).append(result)
    kinds = {kind: _stats(rows) for kind, rows in by_kind.items()}
    return {"kinds": kinds, "requests": len(results), "seconds": round(wall, 3),
            "requests_per_s": round(len(results) / wall, 1),
            "errors": sum(1 for r in results if r[1] != 200)}


def _stats(rows: list[tuple[float, int, int]]) -> dict[str, Any]:
    ms = [r[0] for r in rows]
    return {"requests": len(rows), "errors": sum(1 for r in rows if r[1] != 200),
            "median_ms": round(statistics.median(ms), 2),
            "p95_ms": round(percentile(ms, 0.95), 2), "p99_ms": round(percentile(ms, 0.99), 2),
            "max_ms": round(max(ms), 2), "mean_kb": round(statistics.mean(r[2] for r in rows)
                                                          / 1024, 1)}


def median_of_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    kinds = {}
    for kind in runs[0]["kinds"]:
        rows = [r["kinds"][kind] for r in runs]
        kinds[kind] = {key: _median(row[key] for row in rows) for key in rows[0]}
        kinds[kind]["errors"] = sum(row["errors"] for row in rows)  # all runs, not a median
    return {"kinds": kinds, "requests_per_s": _median(r["requests_per_s"] for r in runs),
            "errors": sum(r["errors"] for r in runs)}


def _median(values: Iterable[float]) -> float:
    return round(statistics.median(values), 2)


def one_pass(port: int, requests: list[tuple[str, str]]) -> dict[str, Any]:
    """Every distinct URL once, one at a time: (kind, status, ms, headers, body) per URL."""
    seen: dict[str, Any] = {}
    for kind, url in requests:
        if url in seen:
            continue
        began = time.perf_counter()
        status, headers, body = get(port, url)
        seen[url] = (kind, status, (time.perf_counter() - began) * 1000, headers, body)
    return seen


# --- the benchmark -----------------------------------------------------------------------
def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.web", description=__doc__
                                     .split("\n")[0])
    parser.add_argument("--size", type=int, default=SIZE, help="articles (default 100000)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, help="reuse this store (built here if missing)")
    where.add_argument("--keep", type=Path, help="build the store here and keep it")
    parser.add_argument("--table", action="store_true", help="print the last result only")
    args = parser.parse_args(argv)
    if args.table:
        print_table()
        return read_result(NAME)

    with tempfile.TemporaryDirectory(prefix="newsfuse-bench-web-") as folder:
        tmp = Path(folder)
        db = args.db or args.keep or tmp / "store.db"
        if args.keep is not None and args.keep.exists():
            parser.error(f"{args.keep} exists (use --db to reuse a store)")
        built: dict[str, Any] = {"reused": db.exists(), "build_seconds": None}
        if not built["reused"]:
            print(f"  building a {args.size}-article store at {db} ...", file=sys.stderr,
                  flush=True)
            built.update(build_store(db, args.size))
            print(f"    {built['build_seconds']} s", file=sys.stderr, flush=True)
        store = {**describe_store(db), **built}
        print(f"  store: {store['articles']} articles, {store['live_events']} events; "
              "warming briefs ...", file=sys.stderr, flush=True)
        warm = warm_briefs(db)
        print(f"    {len(warm['events'])} briefs in {warm['seconds']} s "
              f"({warm['passed_over_large']} large events and {len(warm['unbriefable'])} without a "
              "brief passed over)", file=sys.stderr,
              flush=True)
        payload = serve_and_load(db, tmp, warm)
    payload = {"store": store, "warm": {k: v for k, v in warm.items() if k != "events"},
               "event_ids": warm["events"], **payload}
    write_result(NAME, payload)
    print_table()
    return payload


def serve_and_load(db: Path, tmp: Path, warm: dict[str, Any]) -> dict[str, Any]:
    urls = urls_by_kind(warm)
    requests = request_list(urls)
    newsfuse = Path(sys.executable).parent / "newsfuse"
    port = free_port()
    started = time.perf_counter()
    server = start([str(newsfuse), "serve", "--db", str(db), "--host", HOST,
                    "--port", str(port)], port, tmp / "newsfuse.log")
    peer = None
    try:
        start_s = time.perf_counter() - started
        print(f"  newsfuse serve up in {start_s:.1f} s; first pass over "
              f"{len({u for _, u in requests})} URLs ...", file=sys.stderr, flush=True)
        first = one_pass(port, requests)
        bad = {u: s for u, (_, s, *_) in first.items() if s != 200}
        if bad:
            raise RuntimeError(f"newsfuse answered {bad}")
        pages = {url: (status, {k: v for k, v in headers
                                if k.lower() not in ("content-length", "date", "server")},
                       body) for url, (_, status, _, headers, body) in first.items()}
        probe = None
        if warm["unbriefable"]:  # what a reader of an event without a brief gets (not loaded)
            url = f"/events/{warm['unbriefable'][0]}"
            began = time.perf_counter()
            status, _, body = get(port, url)
            probe = {"url": url, "status": status, "bytes": len(body),
                     "ms": round((time.perf_counter() - began) * 1000, 1)}
        (tmp / "pages.json").write_text(json.dumps(
            {url: [status, headers, base64.b64encode(body).decode("ascii")]
             for url, (status, headers, body) in pages.items()}), encoding="utf-8")
        (tmp / "peer.py").write_text(PEER_APP)
        peer_port = free_port()
        peer = start([sys.executable, str(tmp / "peer.py"), str(tmp / "pages.json"), HOST,
                      str(peer_port)], peer_port, tmp / "peer.log")
        one_pass(peer_port, requests)  # the peer's warm-up, not measured
        runs: dict[str, list[dict[str, Any]]] = {"newsfuse": [], "peer": []}
        for r in range(RUNS):
            for name, at, pid in (("newsfuse", port, server.pid), ("peer", peer_port, peer.pid)):
                cpu, served = time.process_time(), cpu_seconds_of(pid)
                results, wall = asyncio.run(_load(at, requests))
                run = summarize(requests, results, wall)
                run["client_cpu_s"] = round(time.process_time() - cpu, 2)
                served = cpu_seconds_of(pid) - served
                run["server_cpu_s"] = round(served, 2)
                run["server_cpu_ms_per_request"] = round(1000 * served / len(requests), 3)
                run["server_cores_busy"] = round(served / wall, 2)
                runs[name].append(run)
                k = run["kinds"]
                print(f"  run {r + 1} {name}: {run['requests_per_s']} req/s, events page p95 "
                      f"{k['events page (all)']['p95_ms']} ms, event p95 "
                      f"{k['event']['p95_ms']} ms, errors {run['errors']}", file=sys.stderr,
                      flush=True)
        rss = peak_rss_mb_of(server.pid)
        peer_rss = peak_rss_mb_of(peer.pid)
    finally:
        stop(server)
        if peer is not None:
            stop(peer)
    ours, floor = median_of_runs(runs["newsfuse"]), median_of_runs(runs["peer"])
    rows = []
    for kind in (*MIX, "events page (all)"):
        mine, theirs = ours["kinds"][kind], floor["kinds"][kind]
        rows.append({"kind": kind, **mine, "peer": theirs,
                     "p95_ratio_to_peer": round(mine["p95_ms"] / theirs["p95_ms"], 2)
                     if theirs["p95_ms"] else None,
                     "target_met": (mine["p95_ms"] < TARGET_P95_MS and not mine["errors"])
                     if kind in TARGETED or kind in EVENTS_PAGE else None})
    first_pass: dict[str, list[float]] = {}
    for kind, _, ms, _, _ in first.values():
        first_pass.setdefault(kind, []).append(ms)
    return {
        "connections": CONNECTIONS, "requests_per_run": len(requests), "runs": RUNS,
        "mix": MIX, "urls": urls, "server_start_s": round(start_s, 1),
        "first_pass": {k: {"urls": len(v), "median_ms": round(statistics.median(v), 1),
                           "max_ms": round(max(v), 1)} for k, v in first_pass.items()},
        "rows": rows, "unbriefable_event_page": probe,
        "requests_per_s": ours["requests_per_s"], "peer_requests_per_s": floor["requests_per_s"],
        "errors": ours["errors"], "peer_errors": floor["errors"],
        "server_cpu": {name: {key: _median(r[key] for r in runs[name])
                              for key in ("server_cpu_ms_per_request", "server_cores_busy",
                                          "client_cpu_s")} for name in runs},
        "server_peak_rss_mb": rss, "peer_peak_rss_mb": peer_rss,
        "per_run": runs, "targets": TARGETS,
        "targets_met": {kind: next(r["target_met"] for r in rows if r["kind"] == kind)
                        for kind in TARGETED}}


def print_table() -> None:
    result = read_result(NAME)
    store, warm = result["store"], result["warm"]
    print(f"\nWeb server (newsfuse serve; {store['articles']} articles, "
          f"{store['live_events']} events; {len(result['event_ids'])} briefs from the cache; "
          f"{result['requests_per_run']} requests, {result['connections']} at a time, "
          f"keep-alive; median of {result['runs']} runs; ms)")
    print(f"{'page kind':18} {'req':>5} {'median':>7} {'p95':>7} {'p99':>7} {'max':>7} "
          f"{'KB':>6} {'peer p95':>8} {'ratio':>6} {'p95<100':>7} {'errors':>6}")
    for r in result["rows"]:
        met = {True: "yes", False: "no", None: ""}[r["target_met"]]
        print(f"{r['kind']:18} {r['requests']:>5} {r['median_ms']:>7} {r['p95_ms']:>7} "
              f"{r['p99_ms']:>7} {r['max_ms']:>7} {r['mean_kb']:>6} "
              f"{r['peer']['p95_ms']:>8} {r['p95_ratio_to_peer']:>6} {met:>7} "
              f"{r['errors']:>6}")
    print(f"throughput: {result['requests_per_s']} req/s (peer {result['peer_requests_per_s']}); "
          f"errors: {result['errors']} (peer {result['peer_errors']}); server peak RSS "
          f"{result['server_peak_rss_mb']} MB (peer {result['peer_peak_rss_mb']} MB)")
    cpu = result["server_cpu"]
    print(f"server CPU per request: {cpu['newsfuse']['server_cpu_ms_per_request']} ms, cores "
          f"busy {cpu['newsfuse']['server_cores_busy']} (peer "
          f"{cpu['peer']['server_cpu_ms_per_request']} ms, {cpu['peer']['server_cores_busy']})")
    print(("store reused (built before)" if store["reused"] else
           f"build {store['build_seconds']} s") + "; "
          f"warming {warm['seconds']} s ({warm['passed_over_large']} events over "
          f"{MAX_EVENT_ARTICLES} articles and {len(warm['unbriefable'])} without a brief passed "
          f"over); target: p95 < "
          f"{result['targets']['p95_ms']:g} ms for {', '.join(result['targets_met'])}: "
          + ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in result["targets_met"].items()))
    print(f"search words (articles matching): {warm['query_word_articles']}; events without "
          f"a headline: {store['events_without_headline']} of {store['live_events']}")
    probe = result.get("unbriefable_event_page")
    if probe:
        print(f"an event without a brief ({probe['url']}): status {probe['status']} "
              f"in {probe['ms']} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
