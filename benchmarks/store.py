"""Store ingest at 1k, 10k and 100k articles, and the latency of adding one more.

The corpus is the dev data replayed: every Timeline17 article (~2,000 full texts) and the UCI
headlines (~2,989), sorted once by date (undated last) so that each round arrives in time
order like a feed. Round ``r`` gives each article the id ``r{r}-{id}`` and shifts its date by
``r`` times (the span of the base dates + 7 days), so rounds don't overlap in time; nothing
else is changed. The articles are read once and replayed by a generator, so the input is not
what fills memory (the ~5k base articles are, and are part of the peak RSS reported).
Because texts are repeated, every article after the first round is stored as a near-duplicate
(copy) of its first-round original; the counts are in the results.

Each size ingests the first N synthesized articles into a fresh store in a temporary folder
with one ``Store.ingest`` call (its default batches), in a fresh process, so the peak RSS
(``ru_maxrss``) is that size's alone. Reading the base is not timed. One run per size (100k
takes minutes). Recorded: wall and CPU seconds, articles/s, peak RSS, the database size (main
file + ``-wal``), live events, and how many of those have no dates stored although every
synthesized article is dated (the store reloads such events on every ingest). The growth
exponent is the least-squares slope of log(seconds) against log(N) over the three sizes. The
mix differs by size: in date order the first 1k are all Timeline17 full texts, while 10k and
100k hold whole rounds (~40% full texts, ~60% headlines), so the 10k-to-100k slope is recorded
too, as the like-for-like one.
Then, in the 1k and 100k processes with the store still open, the next ``ADD_ONE``
synthesized articles are added one at a time (each ``store.ingest([article])``, its own
transaction); median and p95 in ms.

Targets (the project's): 100k articles under 2 GB peak memory; adding one article to a
100k-article store under 50 ms median; growth near-linear (read here as an exponent of at most
``MAX_EXPONENT``). When 1k and 10k project 100k beyond ``LIMIT_100K_S``, 100k is skipped and
the projection recorded instead.
Run: ``python -m benchmarks.store``; ``python -m benchmarks.store --profile 10000`` prints the
functions with the most cumulative time of a 10k ingest (cProfile).
"""

from __future__ import annotations

import cProfile
import dataclasses
import io
import itertools
import json
import math
import pstats
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ROOT,
    SHARED,
    TIMELINE17,
    peak_rss_mb,
    read_result,
    write_result,
)

NAME = "store"
SIZES = (1_000, 10_000, 100_000)
ADD_ONE = 200
ADD_ONE_AT = (1_000, 100_000)  # sizes whose process also measures adding one article
MAX_EXPONENT = 1.15  # "near-linear"
LIMIT_100K_S = 15 * 60  # 100k is skipped when 1k and 10k project it beyond this
TARGETS = {"peak_rss_mb_at_100k": 2048, "add_one_median_ms_at_100k": 50,
           "growth_exponent_max": MAX_EXPONENT}


def load_base() -> list[Any]:
    """The dev articles, read once, in date order (undated last)."""
    import newsfuse

    base = list(newsfuse.read(sorted(TIMELINE17.glob("*/articles.json"))))
    base.extend(newsfuse.read([SHARED / "data" / "uci-headlines" / "dev.csv"]))
    base.sort(key=lambda a: (a.date is None, a.date or datetime.min))
    return base


def synthesize(base: list[Any]) -> Iterator[Any]:
    """The base replayed forever, each round later than the one before."""
    dates = [a.date for a in base if a.date is not None]
    shift = (max(dates) - min(dates) + timedelta(days=7)) if dates else timedelta(days=7)
    for r in itertools.count():
        for article in base:
            date = article.date + r * shift if article.date is not None else None
            yield dataclasses.replace(article, id=f"r{r}-{article.id}", date=date)


def _size_mb(path: Path) -> float:
    return path.stat().st_size / 2**20 if path.exists() else 0.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def measure(n: int) -> dict[str, Any]:
    """One size, in this process: ingest, then (for ``ADD_ONE_AT``) add one at a time."""
    from newsfuse.corpus.store import Store

    start = time.perf_counter()
    base = load_base()
    read_s = time.perf_counter() - start
    rss_base = peak_rss_mb()
    stream = synthesize(base)
    with tempfile.TemporaryDirectory(prefix="newsfuse-bench-store-") as folder:
        path = Path(folder) / "store.db"
        store = Store(path)
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            report = store.ingest(itertools.islice(stream, n))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            stored = store.count()
            size, wal = _size_mb(path), _size_mb(Path(f"{path}-wal"))
            with sqlite3.connect(path) as check:
                events, spanless = check.execute(
                    "SELECT COUNT(*), COUNT(*) - COUNT(last) FROM events "
                    "WHERE merged_into IS NULL").fetchone()
            row: dict[str, Any] = {
                "articles": n, "stored": stored, "copies": report.copies,
                "renamed": report.renamed, "live_events": events,
                "live_events_without_dates": spanless,
                "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
                "articles_per_s": round(n / wall, 1), "articles_per_cpu_s": round(n / cpu, 1),
                "db_mb": round(size + wal, 1), "wal_mb": round(wal, 1),
                "base_articles": len(base),
                "read_base_s": round(read_s, 2), "rss_after_reading_base_mb": round(rss_base, 1)}
            if n in ADD_ONE_AT:
                times, copies = [], 0
                for article in itertools.islice(stream, ADD_ONE):
                    one = time.perf_counter()
                    copies += store.ingest([article]).copies
                    times.append((time.perf_counter() - one) * 1000)
                row["add_one"] = {"articles": len(times), "copies": copies,
                                  "median_ms": round(statistics.median(times), 2),
                                  "p95_ms": round(_percentile(times, 0.95), 2),
                                  "max_ms": round(max(times), 2)}
        finally:
            store.close()
    row["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return row


def profile(n: int, top: int = 10) -> str:
    """The ``top`` functions by cumulative time of ingesting ``n`` articles (reading not
    profiled)."""
    from newsfuse.corpus.store import Store

    stream = synthesize(load_base())
    with tempfile.TemporaryDirectory(prefix="newsfuse-bench-store-") as folder:
        store = Store(Path(folder) / "store.db")
        profiler = cProfile.Profile()
        try:
            profiler.runcall(store.ingest, itertools.islice(stream, n))
        finally:
            store.close()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def _child(n: int, timeout: float | None) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "benchmarks.store", "--one", str(n)], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=timeout)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _exponent(rows: list[dict[str, Any]]) -> float:
    """Least-squares slope of log(seconds) against log(articles)."""
    import numpy as np

    x = np.log([r["articles"] for r in rows])
    y = np.log([r["seconds"] for r in rows])
    return float(np.polyfit(x, y, 1)[0])


def main() -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    projected = None
    for n in SIZES:
        if n == 100_000 and len(rows) >= 2:
            slope = _exponent(rows)
            projected = rows[-1]["seconds"] * (n / rows[-1]["articles"]) ** slope
            if projected <= LIMIT_100K_S:
                projected = None  # only recorded when it replaces the measurement
            else:
                print(f"  {n} articles: skipped, projected {projected:.0f} s "
                      f"(exponent {slope:.2f} from the smaller sizes)", file=sys.stderr)
                break
        print(f"  ingesting {n} articles (fresh process) ...", file=sys.stderr, flush=True)
        rows.append(_child(n, timeout=2 * LIMIT_100K_S))
        r = rows[-1]
        print(f"    {r['seconds']} s, {r['articles_per_s']} articles/s, peak RSS "
              f"{r['peak_rss_mb']} MB" + (f", add one: median {r['add_one']['median_ms']} ms"
                                          if "add_one" in r else ""),
              file=sys.stderr, flush=True)
    by = {r["articles"]: r for r in rows}
    big = by.get(100_000)
    exponent = round(_exponent(rows), 3) if len(rows) >= 2 else None
    met = {"peak_rss_mb_at_100k": None if big is None
           else big["peak_rss_mb"] < TARGETS["peak_rss_mb_at_100k"],
           "add_one_median_ms_at_100k": None if big is None
           else big["add_one"]["median_ms"] < TARGETS["add_one_median_ms_at_100k"],
           "growth_exponent_max": None if exponent is None else exponent <= MAX_EXPONENT}
    payload = {"runs_per_size": 1, "sizes": [r["articles"] for r in rows], "rows": rows,
               "growth_exponent": exponent,
               "growth_exponent_over": [r["articles"] for r in rows],
               "growth_exponent_10k_to_100k": round(_exponent([by[10_000], big]), 3)
               if big is not None and 10_000 in by else None,
               "projected_seconds_100k": None if projected is None else round(projected, 1),
               "targets": TARGETS, "targets_met": met}
    write_result(NAME, payload)
    print_table()
    return payload


def print_table() -> None:
    result = read_result(NAME)
    rows = result["rows"]
    base = rows[0]["base_articles"] if rows else 0
    print(f"\nStore ingest ({base} dev articles replayed in shifted rounds; one run per size, "
          "each in a fresh process; reading excluded)")
    print(f"{'articles':>8} {'wall s':>8} {'art/s':>7} {'art/cpu-s':>9} {'peak MB':>8} "
          f"{'db MB':>7} {'events':>7} {'undated':>7} {'copies':>7} {'add1 med ms':>11} "
          f"{'add1 p95 ms':>11}")
    for r in rows:
        one = r.get("add_one") or {}
        print(f"{r['articles']:>8} {r['seconds']:>8} {r['articles_per_s']:>7} "
              f"{r['articles_per_cpu_s']:>9} {r['peak_rss_mb']:>8} {r['db_mb']:>7} "
              f"{r['live_events']:>7} {r['live_events_without_dates']:>7} {r['copies']:>7} "
              f"{one.get('median_ms', ''):>11} "
              f"{one.get('p95_ms', ''):>11}")
    met, targets = result["targets_met"], result["targets"]
    print("(events: live events; undated: those stored without dates, though every article is "
          "dated)")
    print(f"growth exponent (log s vs log N over {result['growth_exponent_over']}): "
          f"{result['growth_exponent']} (target <= {targets['growth_exponent_max']}: "
          f"{met['growth_exponent_max']}); 10k to 100k only (same article mix): "
          f"{result['growth_exponent_10k_to_100k']}")
    if result.get("projected_seconds_100k") is not None and 100_000 not in result["sizes"]:
        print(f"100k not run: projected {result['projected_seconds_100k']} s")
    print(f"targets: peak RSS at 100k < {targets['peak_rss_mb_at_100k']} MB: "
          f"{met['peak_rss_mb_at_100k']}; add one at 100k median < "
          f"{targets['add_one_median_ms_at_100k']} ms: {met['add_one_median_ms_at_100k']}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(measure(int(sys.argv[2]))))
    elif len(sys.argv) > 2 and sys.argv[1] == "--profile":
        print(profile(int(sys.argv[2])))
    elif len(sys.argv) > 1 and sys.argv[1] == "--table":
        print_table()
    else:
        main()
