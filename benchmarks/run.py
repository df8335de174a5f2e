"""``make bench``: every benchmark, each in its own process, then one table.

Results are written to ``bench/results/<name>.json``; the table is printed to stdout.
"""

from __future__ import annotations

import subprocess
import sys

from benchmarks.common import ROOT, read_result

BENCHMARKS = ("read_throughput", "extraction", "furniture", "segmentation", "alignment",
              "summaries", "multinews",
              "brief_speed", "mixed", "facts", "disagreements", "quotes_ggt", "entities_conll",
              "clustering", "crosslingual",
              "timelines", "timelines_cltls", "brief_speed_languages", "store", "web", "watch",
              "hardening", "spark", "workers")


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
    read = read_result("read")
    print("\nRead + clean + segment (1 process, median of 3 runs; "
          f"peak RSS {read['peak_rss_mb']} MB)")
    print(f"{'input':34} {'tool':36} {'articles':>8} {'wall s':>7} {'art/s':>7} "
          f"{'art/cpu-s':>9}")
    for r in read["rows"]:
        print(f"{r['input']:34} {r['tool']:36} {r['articles']:>8} {r['seconds']:>7} "
              f"{r['articles_per_s']:>7} {r['articles_per_cpu_s']:>9}")
    from benchmarks import extraction, furniture

    for module in (extraction, furniture):
        print()
        module.print_table()
    seg = read_result("segmentation")
    print(f"\nSentence segmentation ({seg['sample_sentences']} labelled sentences in "
          f"{seg['sample_paragraphs']} paragraphs; speed on Timeline17 articles)")
    print(f"{'segmenter':32} {'P':>6} {'R':>6} {'F1':>6} {'exact':>6} {'art/s':>8}")
    for r in seg["rows"]:
        print(f"{r['segmenter']:32} {r['precision']:>6} {r['recall']:>6} {r['f1']:>6} "
              f"{r['paragraphs_exact']:>6} {r['articles_per_s']:>8}")
    align = read_result("alignment")
    print(f"\nSentence alignment ({align['pairs']} hand-labelled pairs, "
          f"{align['positives']} positive)")
    print(f"{'method':34} {'AP':>6} {'best F1':>8} {'F1 as set':>10} {'P':>6} {'R':>6}")
    for r in align["rows"]:
        at = r["at_settings"]
        print(f"{r['method']:34} {r['average_precision']:>6} {r['best']['f1']:>8} "
              f"{at['f1']:>10} {at['precision']:>6} {at['recall']:>6}")
    summ = read_result("summaries")
    print(f"\nDaily summaries vs journalists (Timeline17 dev, {summ['instances']} dates; "
          "ROUGE F1, 95% bootstrap CI)")
    print(f"{'system':26} {'R-1':>7} {'R-2':>7} {'R-L':>7}  R-2 CI")
    for r in summ["rows"]:
        print(f"{r['system']:26} {r['rouge1']:>7} {r['rouge2']:>7} {r['rougeL']:>7}  "
              f"{r['rouge2_ci95']}")
    print(f"newsfuse / best peer ({summ['best_peer']}) ROUGE-2: "
          f"{summ['rouge2_ratio_to_best_peer']} (95% CI {summ['rouge2_ratio_ci95']}; "
          f"target {summ['target_ratio']})")
    from benchmarks import brief_speed, mixed, multinews

    for module in (multinews, brief_speed, mixed):
        print()
        module.print_table()
    from benchmarks.facts import print_table

    print_table(read_result("facts"))
    from benchmarks import disagreements

    disagreements.print_table()
    from benchmarks import (
        brief_speed_languages,
        clustering,
        crosslingual,
        entities_conll,
        quotes_ggt,
        spark,
        store,
        timelines,
        timelines_cltls,
        watch,
        web,
    )

    for module in (quotes_ggt, entities_conll, clustering, crosslingual, timelines,
                   timelines_cltls, brief_speed_languages, store, web, watch, spark):
        print()
        module.print_table()
    from benchmarks import hardening, workers

    print()
    hardening.print_table()
    print()
    workers.print_table()


if __name__ == "__main__":
    sys.exit(main())
