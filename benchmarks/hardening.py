"""Hardening figures: undated ingest stays linear, no write holds the store for long, and the
CLI starts quickly.

1. **Undated ingest growth.** The dev articles (every Timeline17 article and the UCI
   headlines, read once, not timed) replayed without their dates, each round with new ids
   (``r{round}-{id}``), ingested into a fresh store with one ``Store.ingest`` call: 1k, 5k
   10k and 100k articles: 3 runs each of 1k and 10k, one of 100k (about 25 minutes on this
   machine). The growth exponent is the least-squares slope of log(median seconds) against
   log(N), from wall time and from this process's CPU time (the one to trust on a shared
   machine: other jobs slow the wall clock, not the CPU count). Rounds after the first
   repeat the texts, so later articles are near-duplicates of the first round's (the counts
   are recorded). Peak memory (max RSS) of the process is recorded after each size.
2. **Write lock hold.** Every transaction of the 10k runs is timed from taking the store's
   write lock to releasing it (commit included): median, p99 and max, against the same
   ingest with the time cut switched off (one transaction per batch of 500, as before), in
   the same run. Meanwhile a reader on its own connection lists the newest events and
   counts the articles every 50 ms; its median and max answer times are recorded.
3. **Start-up.** Wall time of ``newsfuse read`` on a one-article file (import, reading,
   cleaning, the first record printed, exit), of ``newsfuse --help``, and of two peers in
   the same run: ``python -c pass`` (the interpreter alone) and ``python -c "import
   trafilatura"`` (the HTML extractor newsfuse uses). Median of 7 runs each, after one
   untimed run of each. ``read`` is also timed on a first start: an empty cache folder
   (``XDG_CACHE_HOME``) each run, so the language model's cache is written in the run.

Targets (the project's): undated growth exponent at most 1.1; ``newsfuse --help`` and
``read`` under 1 s; no write holding the store for more than about a second.
Run: ``python -m benchmarks.hardening``; ``python -m benchmarks.hardening --startup`` runs
only part 3 and replaces its figures in the last results.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, SHARED, read_result, write_result
from benchmarks.store import load_base

NAME = "hardening"
SIZES = (1_000, 10_000, 100_000)
RUNS = 3
RUNS_BY_SIZE = {100_000: 1}
HOLD_SIZE = 10_000
STARTUP_RUNS = 7
TARGETS = {"undated_growth_exponent_max": 1.1, "startup_s_max": 1.0, "hold_s_about": 1.0}


def undated(base: list[Any]) -> Iterator[Any]:
    for r in itertools.count():
        for article in base:
            yield dataclasses.replace(article, id=f"r{r}-{article.id}", date=None)


@contextmanager
def timed_holds(holds: list[float]) -> Iterator[None]:
    """Time every transaction's hold of the write lock (taken to released)."""
    from newsfuse.corpus import store as store_module

    original = store_module._WriteLock.held

    @contextmanager
    def held(self: Any, wait: float) -> Iterator[None]:
        with original(self, wait):
            start = time.perf_counter()
            try:
                yield
            finally:
                holds.append(time.perf_counter() - start)

    store_module._WriteLock.held = held  # type: ignore[method-assign]
    try:
        yield
    finally:
        store_module._WriteLock.held = original  # type: ignore[method-assign]


def reader(path: Path, stop: threading.Event, answers: list[float]) -> None:
    from newsfuse.corpus.store import Store

    while not path.exists() and not stop.is_set():
        time.sleep(0.01)
    with Store(path, readonly=True) as store:
        while not stop.is_set():
            start = time.perf_counter()
            store.events(limit=50)
            store.count()
            answers.append(time.perf_counter() - start)
            time.sleep(0.05)


def ingest(base: list[Any], n: int, hold: float | None = None,
           watch: bool = False) -> dict[str, Any]:
    from newsfuse import settings
    from newsfuse.corpus.store import Store

    holds: list[float] = []
    answers: list[float] = []
    with tempfile.TemporaryDirectory(prefix="newsfuse-bench-hardening-") as folder:
        path = Path(folder) / "store.db"
        store = Store(path)
        stop = threading.Event()
        watcher = threading.Thread(target=reader, args=(path, stop, answers)) if watch \
            else None
        if watcher:
            watcher.start()
        try:
            with timed_holds(holds):
                start = time.perf_counter()
                cpu_start = time.process_time()
                report = store.ingest(itertools.islice(undated(base), n),
                                      hold=settings.STORE_HOLD_SECONDS if hold is None
                                      else hold)
                seconds = time.perf_counter() - start
                cpu_seconds = time.process_time() - cpu_start
        finally:
            stop.set()
            if watcher:
                watcher.join()
            store.close()
    row: dict[str, Any] = {"articles": n, "seconds": round(seconds, 2),
                           "cpu_seconds": round(cpu_seconds, 2),
                           "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF)
                                               .ru_maxrss / 1024, 1),
                           "copies": report.copies, "transactions": len(holds),
                           "hold_median_ms": round(statistics.median(holds) * 1000, 1),
                           "hold_p99_ms": round(_percentile(holds, 0.99) * 1000, 1),
                           "hold_max_ms": round(max(holds) * 1000, 1)}
    if answers:
        row["reader_answers"] = len(answers)
        row["reader_median_ms"] = round(statistics.median(answers) * 1000, 1)
        row["reader_max_ms"] = round(max(answers) * 1000, 1)
    return row


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(q * len(ordered) + 0.999) - 1))]


def _exponent(sizes: list[int], seconds: list[float]) -> float:
    import numpy as np

    return float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])


def startup() -> list[dict[str, Any]]:
    one = Path(tempfile.mkdtemp(prefix="newsfuse-bench-startup-")) / "one.txt"
    seed = sorted((SHARED / "seeds").iterdir())[0]
    one.write_bytes(seed.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    commands = {
        "newsfuse read ONE_FILE (first record printed)":
            [sys.executable, "-m", "newsfuse.cli", "read", str(one)],
        "newsfuse --help": [sys.executable, "-m", "newsfuse.cli", "--help"],
        "peer: python -c pass": [sys.executable, "-c", "pass"],
        "peer: python -c 'import trafilatura'": [sys.executable, "-c", "import trafilatura"],
    }
    first = "newsfuse read ONE_FILE, first start (model cache written)"
    commands[first] = commands["newsfuse read ONE_FILE (first record printed)"]
    rows = []
    for name, command in commands.items():
        times = []
        for run in range(STARTUP_RUNS + 1):
            run_env = env
            if name == first:
                run_env = {**env, "XDG_CACHE_HOME": str(one.parent / f"cache{run}")}
            start = time.perf_counter()
            subprocess.run(command, env=run_env, cwd=ROOT, check=True, capture_output=True)
            if run:  # the first run warms the disk cache (and writes the model's cache)
                times.append(time.perf_counter() - start)
        rows.append({"command": name, "median_s": round(statistics.median(times), 3),
                     "min_s": round(min(times), 3), "max_s": round(max(times), 3)})
    shutil.rmtree(one.parent)
    return rows


def startup_figures(starts: list[dict[str, Any]]) -> dict[str, Any]:
    """The start-up part of the results, with its ratios to the peers."""
    by = {r["command"]: r["median_s"] for r in starts}
    read_s = by["newsfuse read ONE_FILE (first record printed)"]
    return {
        "startup": starts,
        "read_startup_vs_trafilatura_import": round(
            read_s / by["peer: python -c 'import trafilatura'"], 2),
        "read_startup_minus_interpreter_s": round(read_s - by["peer: python -c pass"], 3),
        "startup_met": max(by["newsfuse --help"], read_s) <= TARGETS["startup_s_max"],
    }


def main_startup() -> dict[str, Any]:
    """Part 3 only: its figures replace those of the last results."""
    figures = startup_figures(startup())
    result = read_result(NAME)
    result.pop("benchmark", None)
    result.pop("machine", None)
    met = figures.pop("startup_met")
    result.update(figures)
    result["met"]["startup_s_max"] = met
    write_result(NAME, result)
    print_table()
    return result


def main() -> dict[str, Any]:
    base = load_base()
    runs: dict[int, list[dict[str, Any]]] = {}
    for n in SIZES:
        for attempt in range(RUNS_BY_SIZE.get(n, RUNS)):
            row = ingest(base, n, watch=n == HOLD_SIZE)
            runs.setdefault(n, []).append(row)
            print(f"  {n} undated articles, run {attempt + 1}: {row['seconds']} s "
                  f"({row['cpu_seconds']} CPU-s), longest hold {row['hold_max_ms']} ms",
                  file=sys.stderr, flush=True)
    medians = [statistics.median(r["seconds"] for r in runs[n]) for n in SIZES]
    cpu_medians = [statistics.median(r["cpu_seconds"] for r in runs[n]) for n in SIZES]
    exponent = round(_exponent(list(SIZES), medians), 3)
    cpu_exponent = round(_exponent(list(SIZES), cpu_medians), 3)
    uncut = ingest(base, HOLD_SIZE, hold=3600.0, watch=True)
    print(f"  {HOLD_SIZE} undated, one transaction per batch: {uncut['seconds']} s, "
          f"longest hold {uncut['hold_max_ms']} ms", file=sys.stderr, flush=True)
    largest = runs[HOLD_SIZE]
    holds: dict[str, Any] = {"articles": HOLD_SIZE,
             "cut": {k: statistics.median(r[k] for r in largest)
                     for k in ("transactions", "hold_median_ms", "hold_p99_ms", "hold_max_ms",
                               "reader_median_ms", "reader_max_ms")},
             "uncut": {k: uncut[k] for k in ("transactions", "hold_median_ms", "hold_p99_ms",
                                             "hold_max_ms", "reader_median_ms",
                                             "reader_max_ms", "seconds")}}
    figures = startup_figures(startup())
    startup_met = figures.pop("startup_met")
    result = {
        "sizes": list(SIZES), "runs": runs,
        "median_seconds": dict(zip(map(str, SIZES), medians, strict=True)),
        "median_cpu_seconds": dict(zip(map(str, SIZES), cpu_medians, strict=True)),
        "undated_growth_exponent": exponent, "undated_growth_exponent_cpu": cpu_exponent,
        "runs_by_size": {str(n): RUNS_BY_SIZE.get(n, RUNS) for n in SIZES},
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "holds_at_largest": holds,
        **figures,
        "targets": TARGETS,
        "met": {"undated_growth_exponent_max":
                max(exponent, cpu_exponent) <= TARGETS["undated_growth_exponent_max"],
                "startup_s_max": startup_met,
                "hold_s_about": holds["cut"]["hold_max_ms"] <= 1500},
    }
    write_result(NAME, result)
    print_table()
    return result


def print_table() -> None:
    result = read_result(NAME)
    runs_by_size = result.get("runs_by_size", {})
    print("Undated articles: ingest time by size (median of the runs shown; fresh store each "
          f"run; load average {result.get('load_average')})")
    print(f"{'articles':>8} {'runs':>5} {'median s':>9} {'CPU s':>8} {'art/s':>7} "
          f"{'copies':>7} {'max RSS MB':>10}")
    for n in result["sizes"]:
        rows = result["runs"][str(n)]
        seconds = result["median_seconds"][str(n)]
        cpu = result.get("median_cpu_seconds", {}).get(str(n), float("nan"))
        print(f"{n:>8} {runs_by_size.get(str(n), RUNS):>5} {seconds:>9.2f} {cpu:>8.2f} "
              f"{n / seconds:>7.0f} {rows[0]['copies']:>7} {rows[-1].get('max_rss_mb', '')!s:>10}")
    print(f"growth exponent over {result['sizes']}: wall {result['undated_growth_exponent']}, "
          f"CPU {result.get('undated_growth_exponent_cpu')} (target <= "
          f"{result['targets']['undated_growth_exponent_max']}: "
          f"{result['met']['undated_growth_exponent_max']})")
    holds = result["holds_at_largest"]
    print(f"\nWrite lock hold per transaction, {holds.get('articles', result['sizes'][-1])} "
          "undated articles "
          "(a reader lists events every 50 ms meanwhile)")
    print(f"{'transactions':28} {'count':>6} {'median ms':>10} {'p99 ms':>8} {'max ms':>8} "
          f"{'reader med ms':>13} {'reader max ms':>13}")
    for label, key in (("cut at 0.5 s of placing", "cut"),
                       ("one per batch of 500 (peer)", "uncut")):
        h = holds[key]
        print(f"{label:28} {h['transactions']:>6.0f} {h['hold_median_ms']:>10} "
              f"{h['hold_p99_ms']:>8} {h['hold_max_ms']:>8} {h['reader_median_ms']:>13} "
              f"{h['reader_max_ms']:>13}")
    print(f"\nStart-up (wall, median of {STARTUP_RUNS} runs)")
    print(f"{'command':58} {'median s':>9} {'min s':>7} {'max s':>7}")
    for r in result["startup"]:
        print(f"{r['command']:58} {r['median_s']:>9} {r['min_s']:>7} {r['max_s']:>7}")
    print(f"newsfuse read / trafilatura import: {result['read_startup_vs_trafilatura_import']}x"
          f"; read beyond the bare interpreter: {result['read_startup_minus_interpreter_s']} s")


if __name__ == "__main__":
    if "--startup" in sys.argv[1:]:
        main_startup()
    else:
        main()
