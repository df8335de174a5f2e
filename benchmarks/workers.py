"""Speed-up from one worker to two (``--workers``): read + clean, ingest, multi-event briefs.

Each pipeline runs with ``workers=1`` (in-process, no pool) and ``workers=2`` (a process pool
started for the run, its start-up included), alternating 1, 2, 1, 2, ... so that both see the
same load on a shared machine; the figures are the medians of ``RUNS`` runs of each, and the
ratio of the medians. Each run also checks that two workers gave exactly what one gave.

* read + clean: every Timeline17 dev article (``newsfuse.read``, ~2,000 JSON records).
* ingest: the same articles read (with the workers) into a fresh store (``Store.ingest``); the
  clustering and the writes stay in one process, so this speed-up is bounded by them.
* briefs: ``brief --all-events`` of Multi-News dev clusters mixed into one input
  (``newsfuse.split.brief_events``); reading is not timed, finding the events (one
  process) is. Each worker loads the MiniLM encoder, which is part of its start-up.

Target (the project's): at least 1.6x on read + clean with two workers. CPU seconds (this
process and its workers together) are recorded too: on a machine shared with other work,
wall time moves with the load, CPU time shows the cost of the processes themselves.
Run: ``python -m benchmarks.workers``; ``python -m benchmarks.workers --read`` runs only read
+ clean and replaces its row (and the target) in the last results.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import newsfuse
from benchmarks.common import SHARED, read_result, timeline17_files, write_result

NAME = "workers"
RUNS = 3
TARGET_READ = 1.6
MULTINEWS_CLUSTERS = 10
COMMAND = "python -m benchmarks.workers"


def _cpu() -> float:
    """CPU seconds of this process and every process under it: children it reaped, and
    those still alive (the pool's fork server, with the workers it reaped) from /proc."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime + _live_children_cpu()


def _live_children_cpu() -> float:
    """utime + stime + cutime + cstime of this process's live children (Linux /proc)."""
    me, tick = str(os.getpid()), os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc") if os.path.isdir("/proc") else ()):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:  # fields after the name: state, ppid, ... utime is the 12th
            total += sum(int(x) for x in fields[11:15])
    return total / tick


def compare(name: str, run: Callable[[int], Any], size: int) -> dict[str, Any]:
    """Median wall and CPU seconds of ``run(1)`` and ``run(2)``, alternated."""
    walls: dict[int, list[float]] = {1: [], 2: []}
    cpus: dict[int, list[float]] = {1: [], 2: []}
    results: dict[int, Any] = {}
    for _ in range(RUNS):
        for workers in (1, 2):
            start, cpu = time.perf_counter(), _cpu()
            results[workers] = run(workers)
            walls[workers].append(time.perf_counter() - start)
            cpus[workers].append(_cpu() - cpu)
        if results[1] != results[2]:
            raise AssertionError(f"{name}: two workers gave another result than one")
        print(f"{name}: 1 worker {walls[1][-1]:.1f} s, 2 workers {walls[2][-1]:.1f} s",
              file=sys.stderr, flush=True)
    one, two = statistics.median(walls[1]), statistics.median(walls[2])
    return {"pipeline": name, "items": size,
            "seconds_1": round(one, 2), "seconds_2": round(two, 2),
            "speedup": round(one / two, 2),
            "cpu_seconds_1": round(statistics.median(cpus[1]), 2),
            "cpu_seconds_2": round(statistics.median(cpus[2]), 2),
            "runs_1": [round(w, 2) for w in walls[1]], "runs_2": [round(w, 2) for w in walls[2]]}


def read_clean(files: list[Path]) -> Callable[[int], Any]:
    def run(workers: int) -> Any:
        stream = newsfuse.read(files, workers=workers)
        articles = list(stream)
        return articles, stream.report.summary()
    return run


def ingest(files: list[Path], folder: Path) -> Callable[[int], Any]:
    from newsfuse.corpus.store import Store

    counter = iter(range(10**6))

    def run(workers: int) -> Any:
        path = folder / f"run{next(counter)}.db"
        with Store(path) as store:
            report = store.ingest(newsfuse.read(files, workers=workers))
        # what was stored, for the check: ids with their events and copies
        with Store(path, readonly=True) as store:
            rows = store.db.execute("SELECT id, event, copy_of FROM articles ORDER BY rowid")
            return report.summary(), rows.fetchall()
    return run


def multi_event_input() -> list[newsfuse.Article]:
    folder = SHARED / "data" / "multinews-dev"
    clusters = sorted(folder.glob("c*.json"))[:MULTINEWS_CLUSTERS]
    return list(newsfuse.read(clusters))


def briefs(articles: list[newsfuse.Article]) -> Callable[[int], Any]:
    from newsfuse.render.brief_json import brief_to_dict
    from newsfuse.split import brief_events

    def run(workers: int) -> Any:
        found = brief_events(articles, events="all", workers=workers)
        return [(e.ids, brief_to_dict(e.brief) if e.brief else None) for e in found.events]
    return run


def main() -> dict[str, Any]:
    files = timeline17_files()
    list(newsfuse.read(files[:1]))  # the parent's language model loaded once, as in a long run
    n_read = sum(1 for _ in newsfuse.read(files))
    rows = [compare("read + clean", read_clean(files), n_read)]
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(compare("ingest (read + clean + cluster + store)",
                            ingest(files, Path(tmp)), n_read))
    mixed = multi_event_input()
    rows.append(compare(f"brief --all-events ({MULTINEWS_CLUSTERS} Multi-News clusters)",
                        briefs(mixed), len(mixed)))
    from newsfuse.parallel import usable_cores

    payload = {"runs": RUNS, "usable_cores": usable_cores(), "command": COMMAND,
               "target_read_speedup": TARGET_READ,
               "target_met": rows[0]["speedup"] >= TARGET_READ,
               "load_average": [round(x, 2) for x in _load()], "rows": rows}
    write_result(NAME, payload)
    return payload


def main_read() -> dict[str, Any]:
    """Read + clean only: its row replaces the one in the last results."""
    files = timeline17_files()
    list(newsfuse.read(files[:1]))
    n_read = sum(1 for _ in newsfuse.read(files))
    row = compare("read + clean", read_clean(files), n_read)
    result = read_result(NAME)
    result.pop("benchmark", None)
    result.pop("machine", None)
    result["rows"] = [row if r["pipeline"] == row["pipeline"] else r for r in result["rows"]]
    result["target_met"] = row["speedup"] >= TARGET_READ
    result["load_average"] = [round(x, 2) for x in _load()]
    write_result(NAME, result)
    return result


def _load() -> tuple[float, ...]:
    try:
        return os.getloadavg()
    except OSError:
        return ()


def print_table() -> None:
    result = read_result(NAME)
    print(f"\nOne worker against two (--workers; medians of {result['runs']} alternated runs, "
          f"pool start-up included; {result['usable_cores']} usable cores, load average "
          f"{result.get('load_average')})")
    print(f"{'pipeline':48} {'items':>6} {'1 w s':>7} {'2 w s':>7} {'speed-up':>8} "
          f"{'cpu 1':>7} {'cpu 2':>7}")
    for r in result["rows"]:
        print(f"{r['pipeline']:48} {r['items']:>6} {r['seconds_1']:>7} {r['seconds_2']:>7} "
              f"{r['speedup']:>7}x {r['cpu_seconds_1']:>7} {r['cpu_seconds_2']:>7}")
    print(f"read + clean target: at least {result['target_read_speedup']}x "
          f"({'met' if result['target_met'] else 'NOT met'})")


if __name__ == "__main__":
    print(json.dumps(main_read() if "--read" in sys.argv[1:] else main(), indent=2))
