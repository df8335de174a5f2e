"""Brief speed and memory: 10, 50, 200 and 800 Timeline17 articles, against sumy LexRank.

Each measurement runs in a fresh process (median of 3 timed runs after reading; peak RSS of
that process). LexRank compares every sentence pair in pure Python: it runs once from 50
articles, stopped after ``LEXRANK_LIMIT_S`` (the speed-up is then a lower bound), and not at
800 articles. Also the
warm brief of the five seeds with MiniLM, excluding the one-time model load.
Run: ``python -m benchmarks.brief_speed``.
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
import time
from typing import Any

from benchmarks.common import ROOT, SHARED, peak_rss_mb, timeline17_files, write_result

SIZES = (10, 50, 200, 800)
SYSTEMS = ("newsfuse (tfidf)", "newsfuse (auto)", "sumy LexRank")
# LexRank is stopped after this long; the speed-up it gives is then a lower bound.
LEXRANK_LIMIT_S = 600


def load(n: int) -> list[Any]:
    import newsfuse

    articles: list[Any] = []
    for path in timeline17_files():
        articles.extend(a for a in newsfuse.read([path]) if a.sentences)
        if len(articles) >= n:
            break
    return articles[:n]


def measure(system: str, n: int) -> dict[str, Any]:
    """One (system, size) cell, in this process."""
    import newsfuse
    from benchmarks.peers import sumy_system

    articles = load(n)
    runs = 1 if system == "sumy LexRank" and n >= 50 else 3  # minutes per run
    if system == "sumy LexRank":
        lexrank = sumy_system("lexrank")

        def call() -> object:
            return lexrank(articles, 5)
    else:
        encoder = "tfidf" if "tfidf" in system else "auto"

        def call() -> object:
            return newsfuse.brief(articles, encoder=encoder)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return {"system": system, "articles": n,
            "sentences": sum(len(a.sentences) for a in articles),
            "runs": runs, "seconds": round(statistics.median(times), 3),
            "peak_rss_mb": round(peak_rss_mb(), 1)}


def warm_seed_brief() -> dict[str, Any]:
    import newsfuse

    articles = list(newsfuse.read([SHARED / "seeds"]))
    start = time.perf_counter()
    newsfuse.brief(articles, encoder="minilm")  # loads the model
    cold = time.perf_counter() - start
    times = []
    for _ in range(3):
        start = time.perf_counter()
        newsfuse.brief(articles, encoder="minilm")
        times.append(time.perf_counter() - start)
    return {"cold_seconds": round(cold, 3), "warm_seconds": round(statistics.median(times), 3)}


def _child(args: list[str], timeout: float | None = None) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "benchmarks.brief_speed", *args], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=timeout)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> dict[str, Any]:
    rows = []
    for n in SIZES:
        for system in SYSTEMS:
            if system == "sumy LexRank" and n > 200:
                continue
            print(f"  {system} on {n} articles ...", file=sys.stderr, flush=True)
            limit = LEXRANK_LIMIT_S if system == "sumy LexRank" else None
            try:
                rows.append(_child(["--one", system, str(n)], timeout=limit))
            except subprocess.TimeoutExpired:
                rows.append({"system": system, "articles": n, "runs": 1,
                             "seconds": None, "stopped_after_s": limit})
    seeds = _child(["--seeds"])
    by = {(r["system"], r["articles"]): r for r in rows}
    speedup = {}
    for n in SIZES:
        peer = by.get(("sumy LexRank", n))
        if peer is None:
            continue
        ours = by[("newsfuse (auto)", n)]["seconds"]
        if peer["seconds"] is None:  # stopped: the ratio is a lower bound
            speedup[n] = f">= {peer['stopped_after_s'] / ours:.0f}"
        else:
            speedup[n] = f"{peer['seconds'] / ours:.1f}"
    tfidf = [(r["sentences"], r["seconds"]) for r in rows if r["system"] == "newsfuse (tfidf)"]
    (s1, t1), (s2, t2) = tfidf[1], tfidf[-1]
    payload = {"rows": rows, "lexrank_seconds_over_newsfuse_auto": speedup,
               "growth_exponent_tfidf_50_to_800": round(math.log(t2 / t1) / math.log(s2 / s1), 2),
               "seed_brief_minilm": seeds,
               "targets": {"speedup_at_200": 10, "warm_seed_brief_s": 1.0}}
    write_result("brief_speed", payload)
    return payload


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2], int(sys.argv[3]))))
    elif len(sys.argv) > 1 and sys.argv[1] == "--seeds":
        print(json.dumps(warm_seed_brief()))
    else:
        print(json.dumps(main(), indent=2))
