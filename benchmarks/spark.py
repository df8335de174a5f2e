"""``newsfuse spark`` against the single-process pipeline on the same input.

The input is the dev data replayed (as ``benchmarks.store`` does): every Timeline17 article
and UCI headline as a raw JSON record, in date order, round ``r`` with ids ``r{r}-...`` and
dates shifted past the round before (the rounds that would pass ``settings.MAX_YEAR``
start again from the first span, a day later per wrap, so every article stays dated),
written as JSON Lines shards of ``SHARD`` records. After the first round every article is
a near-duplicate of its first-round original, so the near-duplicate and copy paths carry
most of the load, as in a crawl full of wire copy. Inputs are written once under
``INPUTS`` and reused.

For each size, three runs, each in a fresh process:

- ``local``: ``newsfuse.read`` (read, clean, segment) and ``newsfuse.cluster`` (features,
  near-duplicates, events) in one process, one core;
- ``local[1]`` and ``local[2]``: the Spark job without briefs (the same stages), start-up
  (the SparkSession, with its JVM) timed apart from the job.

Before the Spark runs, the JVM's class archive (``newsfuse.spark.classes``) is recorded in
a run of its own, not measured, as the first ``newsfuse spark`` on a machine records it:
the runs measured are those of a machine where it has run before (each row says whether
its JVM had the archive).

Per-core rate = articles / job seconds / cores; the overhead is Spark's core-seconds per
article over the local pipeline's (``(job s x cores) / local s``), after start-up (the
SparkSession: its JVM and the Python worker daemon); the target is at most
``MAX_OVERHEAD``. The marginal overhead is the same ratio for the articles added between
the smallest and the largest size: what Spark costs per article once its fixed costs
(class loading, compiling, planning each kind of query) are paid.

On this shared machine wall time mostly measures the other tenants, so the overhead is
also given, and judged, in CPU seconds: those of the driver, the JVM and the Python
workers (sampled from /proc) over the local process's, also split between the JVM, the
driver and the Python workers. Peak memory per executor: in local mode the one executor
is the driver JVM with its Python workers; their summed RSS is sampled every ``SAMPLE_S``
(the JVM alone is reported too). The growth exponent is the least-squares slope of
log(seconds) on log(articles) over every size measured (10k, 100k, 300k); the 1M figure
is an extrapolation from the largest size with that exponent, not a measurement (beside
it, the linear extrapolation at the cost per article added between the two largest
sizes). Briefs are left out here: per event
they are the same function in both (``benchmarks.brief_speed`` measures it); the Spark
job's brief stage time on the dev data is in ``docs/readme/spark.md``.

The machine is shared: wall times are noisy. One run per configuration and size (100k
takes minutes, 300k about three times that). A long benchmark can be run in parts:
``--merge`` keeps the stored result's other runs and replaces those of the modes and sizes
run (``--sizes 300000 --modes 'local[2]' --merge``); each run's row says when it was
measured. Run: ``python -m benchmarks.spark`` (``--sizes 10000`` for a quick one).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import (
    RESULTS,
    ROOT,
    SHARED,
    TIMELINE17,
    peak_rss_mb,
    read_result,
    write_result,
)

NAME = "spark"
SIZES = (10_000, 100_000, 300_000)
SHARD = 500
MODES = ("local", "local[1]", "local[2]")
MAX_OVERHEAD = 1.5
SAMPLE_S = 0.5
PSS_EVERY = 4  # proportional memory every 4th sample (reading it costs the kernel more)
EXTRAPOLATE_TO = 1_000_000
INPUTS = Path(tempfile.gettempdir()) / "newsfuse-bench-spark"  # replayed inputs, kept


def _base_records() -> list[dict[str, Any]]:
    """The dev data as raw records with a ``date`` (ISO), in date order."""
    records: list[dict[str, Any]] = []
    for path in sorted(TIMELINE17.glob("*/articles.json")):
        for r in json.loads(path.read_text("utf-8")):
            records.append({"id": f"{path.parent.name}-{r['uid']}", "date": r["dct"][:10],
                            "text": r["text"]})
    with (SHARED / "data" / "uci-headlines" / "dev.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            when = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, UTC)
            records.append({"id": f"uci-{row['ID']}", "title": row["TITLE"],
                            "url": row["URL"], "outlet": row["PUBLISHER"],
                            "date": when.strftime("%Y-%m-%dT%H:%M:%S")})
    records.sort(key=lambda r: r["date"])
    return records


def write_input(folder: Path, n: int) -> int:
    """The first ``n`` synthesized records as JSON Lines shards; returns the shard count.

    Round ``r`` is shifted by ``r`` times the data's span (plus a week); the rounds that
    would be dated past ``settings.MAX_YEAR`` (which the readers refuse) start again from
    the first span, a day later per wrap, so every article stays dated."""
    from newsfuse import settings

    base = _base_records()
    first = datetime.fromisoformat(base[0]["date"])
    last = datetime.fromisoformat(base[-1]["date"])
    shift = last - first + timedelta(days=7)
    dated_rounds = 1 + (datetime(settings.MAX_YEAR, 1, 1) - last) // shift
    folder.mkdir(parents=True, exist_ok=True)
    written = shards = 0
    out = None
    while written < n:
        r = written // len(base)
        record = dict(base[written % len(base)])
        record["id"] = f"r{r}-{record['id']}"
        offset = (r % dated_rounds) * shift + timedelta(days=r // dated_rounds)
        record["date"] = (datetime.fromisoformat(record["date"]) + offset).isoformat()
        if written % SHARD == 0:
            if out is not None:
                out.close()
            out = (folder / f"part-{shards:05d}.jsonl").open("w", encoding="utf-8")
            shards += 1
        assert out is not None
        out.write(json.dumps(record) + "\n")
        written += 1
    if out is not None:
        out.close()
    return shards


def prepared_input(n: int) -> tuple[Path, int]:
    """The input of size ``n`` under ``INPUTS``, written once and reused by later runs (a
    long benchmark can be split into one run per mode and size); its folder and shards."""
    folder = INPUTS / f"in-{n}"
    done = folder / "_complete"
    if not done.exists():
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        shards = write_input(folder, n)
        done.write_text(str(shards))
    return folder, int(done.read_text())


class TreeUsage:
    """Peak resident memory and CPU seconds of this process's descendants (the JVM and its
    Python workers), sampled from /proc; CPU per process is its last reading (a process
    that ends between samples loses at most ``SAMPLE_S`` of it)."""

    def __init__(self) -> None:
        self.peak_total = 0.0
        self.peak_jvm = 0.0
        self.peak_pss = 0.0
        self.overhead = 0.0  # CPU seconds this process spent sampling (not the job's)
        self._samples = 0
        self._cpu: dict[int, float] = {}
        self._java: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeUsage:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def cpu_seconds(self) -> float:
        """CPU seconds of the descendants so far, and of this process (its sampling
        aside)."""
        self.sample()
        return sum(self._cpu.values()) + self.own_seconds()

    def own_seconds(self) -> float:
        """CPU seconds of this process, but for the time it spent sampling."""
        return time.process_time() - self.overhead

    def jvm_seconds(self) -> float:
        """CPU seconds of the JVM so far (the rest of the descendants are Python workers)."""
        self.sample()
        return sum(cpu for pid, cpu in self._cpu.items() if pid in self._java)

    def sample(self) -> None:
        began = time.thread_time()
        total = jvm = pss = 0.0
        self._samples += 1
        proportional = self._samples % PSS_EVERY == 1
        for pid, name, rss, cpu in _tree(os.getpid()):
            if pid == os.getpid():
                continue  # the driver's Python process is not the executor
            self._cpu[pid] = max(self._cpu.get(pid, 0.0), cpu)
            total += rss
            if proportional:
                pss += _pss_mb(pid)
            if name == "java":
                jvm += rss
                self._java.add(pid)
        self.peak_total = max(self.peak_total, total)
        self.peak_pss = max(self.peak_pss, pss)
        self.overhead += time.thread_time() - began
        self.peak_jvm = max(self.peak_jvm, jvm)

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            self.sample()


_TICK = os.sysconf("SC_CLK_TCK")


def _pss_mb(pid: int) -> float:
    """A process's proportional set size: pages shared with other processes (the Python
    workers forked from one daemon share its modules) counted in shares."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return float(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _tree(root: int) -> list[tuple[int, str, float, float]]:
    """``(pid, name, RSS MB, CPU s)`` of ``root`` and its descendants."""
    children: dict[int, list[int]] = {}
    info: dict[int, tuple[str, float, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parent = int(fields.get("PPid", "0").strip() or 0)
        rss = float(fields.get("VmRSS", "0 kB").split()[0]) / 1024
        after = stat[stat.rindex(")") + 2:].split()  # utime, stime: fields 14, 15
        cpu = (int(after[11]) + int(after[12])) / _TICK
        children.setdefault(parent, []).append(int(entry))
        info[int(entry)] = (fields.get("Name", "").strip(), rss, cpu)
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        if pid in info:
            out.append((pid, *info[pid]))
        stack.extend(children.get(pid, ()))
    return out


def run_one(mode: str, folder: Path, out: Path) -> dict[str, Any]:
    """One configuration on the input ``folder`` (in this process)."""
    if mode == "local":
        import newsfuse

        start, cpu = time.perf_counter(), time.process_time()
        stream = newsfuse.read([folder])
        articles = list(stream)
        clustering = newsfuse.cluster(articles)
        seconds = time.perf_counter() - start
        return {"mode": mode, "cores": 1, "articles": len(articles), "startup_s": 0.0,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(time.process_time() - cpu, 2),
                "events": len({a.event for a in clustering}),
                "copies": sum(a.copy_of is not None for a in clustering),
                "peak_rss_mb": round(peak_rss_mb(), 1)}
    from newsfuse import settings
    from newsfuse.spark import classes
    from newsfuse.spark.job import run, session

    cores = int(mode[len("local["):-1])
    archive = classes.existing(settings.SPARK_DRIVER_JAVA_OPTIONS)
    with TreeUsage() as usage:
        start = time.perf_counter()
        spark = session(mode, partitions=2 * cores, driver_memory="1g", app="newsfuse-bench")
        startup = time.perf_counter() - start
        startup_cpu = usage.cpu_seconds()
        startup_jvm = usage.jvm_seconds()
        startup_driver = usage.own_seconds()
        start = time.perf_counter()
        report = run(spark, [str(folder)], str(out), briefs=False)
        seconds = time.perf_counter() - start
        job_cpu = usage.cpu_seconds() - startup_cpu
        jvm_cpu = usage.jvm_seconds() - startup_jvm
        driver_cpu = usage.own_seconds() - startup_driver
        spark.stop()
    return {"mode": mode, "cores": cores, "articles": report.articles,
            "startup_s": round(startup, 2), "seconds": round(seconds, 2),
            "cpu_seconds": round(job_cpu, 2), "startup_cpu_seconds": round(startup_cpu, 2),
            "cpu_split_s": {"jvm": round(jvm_cpu, 2), "driver": round(driver_cpu, 2),
                            "python_workers": round(job_cpu - jvm_cpu - driver_cpu, 2)},
            "stages_s": {k: round(v, 2) for k, v in report.seconds.items()},
            "events": report.events, "copies": report.copies, "blocks": report.blocks,
            "peak_executor_mb": round(usage.peak_total, 1),
            "peak_jvm_mb": round(usage.peak_jvm, 1),
            "peak_executor_pss_mb": round(usage.peak_pss, 1),
            "class_archive": archive is not None}


def record_classes(folder: Path, out: Path) -> None:
    """Record the JVM's class archive (:mod:`newsfuse.spark.classes`), as the first
    ``newsfuse spark`` run on a machine does, on two shards of ``folder``; not measured.
    Every later session maps it: the runs measured are those of a machine where
    ``newsfuse spark`` has run before."""
    from newsfuse import settings
    from newsfuse.spark import classes
    from newsfuse.spark.job import run, session, stop

    if not classes.enabled() or classes.existing(settings.SPARK_DRIVER_JAVA_OPTIONS):
        return
    spark = session("local[2]", partitions=4, driver_memory="1g", app="newsfuse-bench",
                    record_classes=True)
    run(spark, [str(p) for p in sorted(folder.glob("*.jsonl"))[:2]], str(out / "sample-out"),
        briefs=False)
    stop(spark)


def _child(mode: str, folder: Path, out: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.spark", "--one", mode,
                           str(folder), str(out)], cwd=ROOT, capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _fit(points: list[tuple[int, float]]) -> float | None:
    """The growth exponent: the least-squares slope of log(measure) on log(articles) over
    every size measured."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(v) for _, v in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs)


def _linear(points: list[tuple[int, float]]) -> float | None:
    """The measure at ``EXTRAPOLATE_TO`` articles, from the largest size at the cost per
    article added between the two largest sizes (fixed costs counted once)."""
    if len(points) < 2:
        return None
    (n1, s1), (n2, s2) = points[-2], points[-1]
    return round(s2 + (s2 - s1) / (n2 - n1) * (EXTRAPOLATE_TO - n2), 0)


def _marginal(rows: list[dict[str, Any]], sizes: tuple[int, ...]) -> dict[str, float | None]:
    """Spark's CPU seconds per added article over the local pipeline's, between the
    smallest and the largest size both measured: the overhead once the fixed costs are
    paid."""
    out: dict[str, float | None] = {}

    def cpu(mode: str, size: int) -> float | None:
        return next((float(r["cpu_seconds"]) for r in rows
                     if r["mode"] == mode and r["size"] == size), None)

    for mode in MODES[1:]:
        both = [n for n in sizes if cpu(mode, n) is not None and cpu("local", n) is not None]
        if len(both) < 2:
            continue
        small, large = both[0], both[-1]
        local = cpu("local", large) - cpu("local", small)  # type: ignore[operator]
        if local > 0:
            spark = cpu(mode, large) - cpu(mode, small)  # type: ignore[operator]
            out[mode] = round(spark / local, 2)
    return out


def main(sizes: tuple[int, ...] = SIZES, modes: tuple[str, ...] = MODES,
         merge: bool = False, repeat: int = 1) -> dict[str, Any]:
    """Run ``modes`` at ``sizes``; with ``merge``, each finished run replaces the one of the
    same mode and size in the stored result and the others are kept (a long benchmark run
    in parts, one mode and size at a time, even by several invocations at once). With
    ``repeat``, the modes of a size run in turn that many times, and the run kept for each
    is the one of median CPU seconds (the CPU seconds of every run beside it)."""
    rows: list[dict[str, Any]] = []
    payload: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="newsfuse-bench-spark-") as tmp:
        for n in sizes:
            folder, shards = prepared_input(n)
            if any(mode != "local" for mode in modes):
                subprocess.run([sys.executable, "-m", "benchmarks.spark", "--one",
                                "record-classes", str(folder), tmp], cwd=ROOT,
                               capture_output=True, check=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
            runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
            for turn in range(repeat):
                for mode in modes:
                    print(f"  {n} articles, {mode} (run {turn + 1} of {repeat}) ...",
                          file=sys.stderr, flush=True)
                    one = _child(mode, folder, Path(tmp) / f"out-{n}")
                    one["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
                    print(f"    {one}", file=sys.stderr, flush=True)
                    runs[mode].append(one)
            for mode in modes:
                done = sorted(runs[mode], key=lambda r: r["cpu_seconds"])
                row = done[len(done) // 2]
                row["size"], row["shards"], row["runs"] = n, shards, len(done)
                row["cpu_seconds_runs"] = [r["cpu_seconds"] for r in runs[mode]]
                if merge:  # read again now: another invocation may have stored a run
                    kept = [r for r in _stored_rows()
                            if (r["size"], r["mode"]) != (n, mode)]
                    payload = summarize([*kept, row], quiet=True)
                else:
                    rows.append(row)
    if merge:
        print_table()
        return payload
    return summarize(rows)


def _stored_rows() -> list[dict[str, Any]]:
    if not (RESULTS / f"{NAME}.json").exists():
        return []
    stored: list[dict[str, Any]] = read_result(NAME)["rows"]
    return stored


def summarize(rows: list[dict[str, Any]], quiet: bool = False) -> dict[str, Any]:
    """Rates, overheads, growth and the marginal overhead of the runs ``rows`` (each with
    its ``size``; a Spark run's overhead needs the ``local`` run of its size), written as
    the benchmark's result."""
    order = {m: i for i, m in enumerate(MODES)}
    rows.sort(key=lambda r: (r["size"], order[r["mode"]]))
    sizes = tuple(sorted({r["size"] for r in rows}))
    for row in rows:
        local = next((r for r in rows if r["size"] == row["size"] and r["mode"] == "local"),
                     None)
        row["articles_per_s"] = round(row["articles"] / row["seconds"], 1)
        row["articles_per_core_s"] = round(row["articles"] / row["seconds"] / row["cores"], 1)
        row["articles_per_cpu_s"] = round(row["articles"] / row["cpu_seconds"], 1)
        for key in ("overhead_per_core", "cpu_overhead", "speedup_vs_local"):
            row[key] = None
        if local is not None:
            row["overhead_per_core"] = round(row["seconds"] * row["cores"] / local["seconds"],
                                             2)
            row["cpu_overhead"] = round(row["cpu_seconds"] / local["cpu_seconds"], 2)
            row["speedup_vs_local"] = round(local["seconds"] / row["seconds"], 2)
    growth: dict[str, dict[str, Any]] = {}
    for mode in MODES:
        if not any(r["mode"] == mode for r in rows):
            continue
        growth[mode] = {}
        for measure in ("seconds", "cpu_seconds"):
            points = [(r["size"], r[measure]) for r in rows if r["mode"] == mode]
            exponent = _fit(points)
            growth[mode][measure] = {
                "sizes": [n for n, _ in points],
                "exponent": None if exponent is None else round(exponent, 3),
                "exponent_last_step": None if len(points) < 2 else round(
                    math.log(points[-1][1] / points[-2][1])
                    / math.log(points[-1][0] / points[-2][0]), 3),
                "extrapolated_1m": None if exponent is None else round(
                    points[-1][1] * (EXTRAPOLATE_TO / points[-1][0]) ** exponent, 0),
                "extrapolated_1m_linear": _linear(points)}
    overheads = [r["cpu_overhead"] for r in rows
                 if r["mode"] != "local" and r["cpu_overhead"] is not None]
    marginal = _marginal(rows, sizes)
    by_size = {str(n): max((r["cpu_overhead"] for r in rows if r["size"] == n
                            and r["mode"] != "local" and r["cpu_overhead"] is not None),
                           default=None)
               for n in sizes}
    payload = {"runs_per_size": 1, "sizes": list(sizes), "rows": rows, "growth": growth,
               "marginal_cpu_overhead": marginal, "worst_cpu_overhead_by_size": by_size,
               "extrapolation_note": f"1M is EXTRAPOLATED from the sizes measured "
                                     f"({', '.join(map(str, sizes))}) with the growth "
                                     "exponent (least squares on log-log), not measured",
               "targets": {"cpu_overhead_max": MAX_OVERHEAD},
               "targets_met": {"cpu_overhead_max": bool(overheads)
                               and max(overheads) <= MAX_OVERHEAD}}
    write_result(NAME, payload)
    if not quiet:
        print_table()
    return payload


def print_table() -> None:
    result = read_result(NAME)
    print("\nnewsfuse spark vs the single-process pipeline (read + clean + segment + "
          "near-duplicates + events; no briefs; dev data replayed, JSON Lines shards; one "
          "run each, fresh process)")
    print(f"{'articles':>8} {'mode':9} {'start s':>7} {'job s':>7} {'art/s':>7} "
          f"{'art/core-s':>10} {'wall ovh':>8} {'cpu s':>7} {'art/cpu-s':>9} "
          f"{'cpu ovh':>7} {'peak exec MB':>12} {'JVM MB':>7} {'PSS MB':>7} {'events':>7}")
    for r in result["rows"]:
        peak = r.get("peak_executor_mb", r.get("peak_rss_mb"))
        print(f"{r['size']:>8} {r['mode']:9} {r['startup_s']:>7} {r['seconds']:>7} "
              f"{r['articles_per_s']:>7} {r['articles_per_core_s']:>10} "
              f"{r['overhead_per_core']!s:>8} {r['cpu_seconds']:>7} "
              f"{r['articles_per_cpu_s']:>9} {r['cpu_overhead']!s:>7} {peak:>12} "
              f"{r.get('peak_jvm_mb', ''):>7} {r.get('peak_executor_pss_mb', ''):>7} "
              f"{r['events']:>7}")
    for r in result["rows"]:
        if r.get("runs", 1) > 1:
            print(f"{r['size']} {r['mode']}: median of {r['runs']} runs in turn, CPU s "
                  f"{r['cpu_seconds_runs']}")
    for mode, g in result["growth"].items():
        wall, cpu = g["seconds"], g["cpu_seconds"]
        print(f"{mode}: growth exponent over {cpu.get('sizes')} articles: "
              f"{wall['exponent']} (wall), {cpu['exponent']} (CPU; "
              f"{cpu.get('exponent_last_step')} between the two largest); "
              f"1M articles EXTRAPOLATED, not measured: {wall['extrapolated_1m']} s wall, "
              f"{cpu['extrapolated_1m']} CPU s with the exponent; "
              f"{cpu.get('extrapolated_1m_linear')} CPU s at the marginal cost per article of the "
              "two largest sizes")
    for mode, ratio in result.get("marginal_cpu_overhead", {}).items():
        print(f"{mode}: CPU seconds per added article over local's, {result['sizes'][0]} to "
              f"{result['sizes'][-1]} articles: {ratio}x")
    met = result["targets_met"]["cpu_overhead_max"]
    print(f"(wall ovh: (job s x cores) / local s; cpu ovh: CPU seconds of the driver, JVM "
          f"and workers over the local process's, after start-up; target at most "
          f"{result['targets']['cpu_overhead_max']}x: {'met' if met else 'NOT met'})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", nargs=3, metavar=("MODE", "INPUT", "OUT"))
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES),
                        help="configurations to run (local is the peer: keep it)")
    parser.add_argument("--merge", action="store_true",
                        help="keep the last result's other runs (run a long benchmark in "
                             "parts: one mode and size at a time)")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run the modes of each size in turn N times and keep the run "
                             "of median CPU seconds (for a noisy machine)")
    parser.add_argument("--table", action="store_true")
    args = parser.parse_args()
    if args.one:
        if args.one[0] == "record-classes":
            record_classes(Path(args.one[1]), Path(args.one[2]))
        else:
            print(json.dumps(run_one(args.one[0], Path(args.one[1]), Path(args.one[2]))))
    elif args.table:
        print_table()
    else:
        main(tuple(args.sizes) if args.sizes else SIZES, tuple(args.modes), args.merge,
             max(1, args.repeat))
