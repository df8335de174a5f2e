"""Brief speed in other languages: one ``newsfuse brief`` process on a single-language input.

Inputs: 200 Spanish ML-Crisis dev articles (Egypt, then Yemen), all French (108) and all
Italian (109) ones, and as the peer in the same run the first 200 Timeline17 dev articles
(English), briefed with the same lexical encoder (``--encoder tfidf``; a non-English story
never uses the English MiniLM model) and with the default one. Each command runs three
times; the table gives the median wall and CPU seconds (user + system of the process, the
figure that moves least when other tenants share the two cores), and the ratio to the
English peer's. Target: a 200-article single-language brief under 10 s. Run:
``python -m benchmarks.brief_speed_languages``.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import RESULTS, SHARED, timeline17_files, write_result

NAME = "brief_speed_languages"
RUNS = 3
TARGET_S = 10.0
CLTLS = SHARED / "data" / "cltls-dev"
NEWSFUSE = str(Path(sys.executable).parent / "newsfuse")


def _lines(language: str, limit: int) -> list[str]:
    out: list[str] = []
    for folder in sorted(CLTLS.glob(f"{language}-*")):
        out.extend(x for x in (folder / "articles.jsonl").read_text().splitlines() if x)
    return out[:limit]


def _english(limit: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in timeline17_files():
        out.extend(r for r in json.loads(path.read_text()) if r.get("text", "").strip())
        if len(out) >= limit:
            break
    return out[:limit]


def _run(argv: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "src")})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> dict[str, Any]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs: list[tuple[str, str, int, list[str]]] = []
        for language, limit in (("es", 200), ("fr", 200), ("it", 200)):
            lines = _lines(language, limit)
            path = folder / f"{language}.jsonl"
            path.write_text("\n".join(lines) + "\n")
            inputs.append((language, "tfidf (default for the language)", len(lines),
                           [NEWSFUSE, "brief", str(path)]))
        english = _english(200)
        path = folder / "en.json"
        path.write_text(json.dumps(english))
        inputs.append(("en", "tfidf", len(english),
                       [NEWSFUSE, "brief", "--encoder", "tfidf", str(path)]))
        inputs.append(("en", "auto (MiniLM)", len(english), [NEWSFUSE, "brief", str(path)]))
        for language, encoder, articles, argv in inputs:
            runs = [_run(argv) for _ in range(RUNS)]
            rows.append({"language": language, "encoder": encoder, "articles": articles,
                         "wall_s": round(statistics.median(w for w, _ in runs), 2),
                         "cpu_s": round(statistics.median(c for _, c in runs), 2)})
    peer = next(r for r in rows if r["language"] == "en" and r["encoder"] == "tfidf")
    for row in rows:
        row["cpu_ratio_to_english_tfidf"] = round(row["cpu_s"] / peer["cpu_s"], 2)
    payload = {"runs": RUNS, "target_s": TARGET_S, "rows": rows}
    write_result(NAME, payload)
    return payload


def print_table(path: Path = RESULTS / f"{NAME}.json") -> None:
    result = json.loads(path.read_text())
    print(f"Brief speed by language (one process, median of {result['runs']} runs; "
          f"target < {result['target_s']:.0f} s for 200 articles)")
    print(f"{'language':<9}{'encoder':<34}{'articles':>9}{'wall s':>8}{'cpu s':>7}"
          f"{'cpu / en':>9}")
    for r in result["rows"]:
        print(f"{r['language']:<9}{r['encoder']:<34}{r['articles']:>9}{r['wall_s']:>8}"
              f"{r['cpu_s']:>7}{r['cpu_ratio_to_english_tfidf']:>9}")


if __name__ == "__main__":
    main()
    print_table()
