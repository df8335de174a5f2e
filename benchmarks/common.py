"""Helpers shared by the benchmarks: data paths, medians, peak memory, result files."""

from __future__ import annotations

import json
import platform
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TIMELINE17 = SHARED / "data" / "timeline17-dev"
RESULTS = ROOT / "bench" / "results"
RUNS = 3


def timeline17_files() -> list[Path]:
    return sorted(TIMELINE17.glob("*/articles.json"))


def median_seconds(func: Callable[[], Any], runs: int = RUNS) -> tuple[float, float, Any]:
    """Median wall time and median CPU time of ``runs`` calls, and the last call's result.

    CPU time (this process only) is the per-core figure: on a shared, noisy machine it moves
    far less than wall time when other tenants take the core.
    """
    walls, cpus = [], []
    result = None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = func()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, Any]:
    import os

    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "platform": platform.platform()}


def read_result(name: str) -> dict[str, Any]:
    """The last results ``write_result`` wrote for benchmark ``name``."""
    result: dict[str, Any] = json.loads((RESULTS / f"{name}.json").read_text())
    return result


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"benchmark": name, "machine": machine(), **payload}
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path
