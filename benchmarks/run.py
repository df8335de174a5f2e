"""``make bench``: every benchmark, each in its own process, then one table.

Results are written to ``bench/results/<name>.json``; the table is printed to stdout.
"""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.common import RESULTS, ROOT

BENCHMARKS = ("read_throughput", "segmentation")


def main() -> int:
    for name in BENCHMARKS:
        print(f"running benchmarks.{name} ...", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], cwd=ROOT,
                              stdout=subprocess.DEVNULL)
        if done.returncode:
            print(f"benchmarks.{name} failed", file=sys.stderr)
            return done.returncode
    print_tables()
    return 0


def print_tables() -> None:
    read = json.loads((RESULTS / "read.json").read_text())
    print("\nRead + clean + segment (1 process, median of 3 runs; "
          f"peak RSS {read['peak_rss_mb']} MB)")
    print(f"{'input':34} {'tool':36} {'articles':>8} {'wall s':>7} {'art/s':>7} "
          f"{'art/cpu-s':>9}")
    for r in read["rows"]:
        print(f"{r['input']:34} {r['tool']:36} {r['articles']:>8} {r['seconds']:>7} "
              f"{r['articles_per_s']:>7} {r['articles_per_cpu_s']:>9}")
    seg = json.loads((RESULTS / "segmentation.json").read_text())
    print(f"\nSentence segmentation ({seg['sample_sentences']} labelled sentences in "
          f"{seg['sample_paragraphs']} paragraphs; speed on Timeline17 articles)")
    print(f"{'segmenter':32} {'P':>6} {'R':>6} {'F1':>6} {'exact':>6} {'art/s':>8}")
    for r in seg["rows"]:
        print(f"{r['segmenter']:32} {r['precision']:>6} {r['recall']:>6} {r['f1']:>6} "
              f"{r['paragraphs_exact']:>6} {r['articles_per_s']:>8}")


if __name__ == "__main__":
    sys.exit(main())
