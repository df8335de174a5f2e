"""Disagreements on real clusters: sentence pairs from two sources of one story, labelled by
reading (``benchmarks/data/disagreements_real.jsonl``).

The pairs come from Timeline17 dev (swine flu and BP oil spill reports of one day, several
outlets) and Multi-News dev clusters; candidates were mined as sentence pairs counting the
same noun, and each was labelled by reading both sentences. A pair disagrees when the two
give incompatible figures for the same quantity of the same event at the same time; same
numbers of different places, subjects, units or days, compatible estimates ("more than
800" and 848) and updates a day later are negatives.

Each pair goes through ``newsfuse.brief`` as two one-sentence articles (with their
publication days); the pair is flagged when a disagreement sets one source against the
other. The peer in the same run is the earlier figure rule (same counted noun and event,
similar wording, values that don't overlap), switched on by
``settings.CONFLICT_QUANTITY_IDENTITY = False``.

``python -m benchmarks.disagreements`` writes ``bench/results/disagreements.json``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from benchmarks.common import ROOT, read_result, write_result

DATA = ROOT / "benchmarks" / "data" / "disagreements_real.jsonl"


def _flagged(row: dict[str, Any], k: int, encoder: str) -> bool:
    import newsfuse
    from benchmarks.facts import _article as make

    a = make(f"a{k}", row["a"]["text"], row["a"]["published"])
    b = make(f"b{k}", row["b"]["text"], row["b"]["published"])
    brief = newsfuse.brief([a, b], encoder=encoder)
    return any({a.id, b.id} <= {s for side in c.sides for s in side.sources}
               and not any({a.id, b.id} <= set(side.sources) for side in c.sides)
               for c in brief.conflicts)


def part(row: dict[str, Any]) -> str:
    """The collection a pair comes from: the set's natural split, for a leave-part-out
    reading (the rules were written from errors on all parts; figures per part show
    whether a change helps each story or only one)."""
    source = str(row["source"])
    for name in ("H1N1", "bpoil"):
        if name in source:
            return name
    return "other"  # Michael Jackson (Timeline17) and Multi-News clusters


def _counts(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3),
            "recall": round(recall, 3)}


def score(rows: list[dict[str, Any]], encoder: str) -> dict[str, Any]:
    """Precision and recall of "these two sources disagree" on the labelled pairs, overall
    and by collection."""
    tp = fp = fn = 0
    errors = []
    parts: dict[str, list[int]] = {}
    for k, row in enumerate(rows):
        flagged = _flagged(row, k, encoder)
        tally = parts.setdefault(part(row), [0, 0, 0])
        if flagged and row["disagree"]:
            tp += 1
            tally[0] += 1
        elif flagged:
            fp += 1
            tally[1] += 1
            errors.append(f"false alarm: {row['note']}")
        elif row["disagree"]:
            fn += 1
            tally[2] += 1
            errors.append(f"missed: {row['note']}")
    return {**_counts(tp, fp, fn), "errors": errors,
            "by_part": {name: _counts(*t) for name, t in sorted(parts.items())}}


def main() -> int:
    from newsfuse import settings

    rows = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    results: dict[str, Any] = {"pairs": len(rows),
                               "disagree": sum(bool(r["disagree"]) for r in rows)}
    shipped = settings.CONFLICT_QUANTITY_IDENTITY
    for name, flag in (("earlier_rules", False), ("newsfuse", True)):
        settings.CONFLICT_QUANTITY_IDENTITY = flag
        results[name] = score(rows, "tfidf")
    settings.CONFLICT_QUANTITY_IDENTITY = shipped
    path = write_result("disagreements", results)
    print_table(results)
    print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)
    return 0


def print_table(r: dict[str, Any] | None = None) -> None:
    """The table of the last run (``bench/results/disagreements.json`` when not given)."""
    if r is None:

        r = read_result("disagreements")
    print(f"\nDisagreements on real clusters ({r['pairs']} labelled pairs, {r['disagree']} "
          "disagree; tfidf encoder)")
    print(f"{'system':16} {'P':>6} {'R':>6} {'TP':>4} {'FP':>4} {'FN':>4}")
    for name in ("earlier_rules", "newsfuse"):
        s = r[name]
        print(f"{name:16} {s['precision']:>6} {s['recall']:>6} {s['tp']:>4} {s['fp']:>4} "
              f"{s['fn']:>4}")
    if "by_part" in r["newsfuse"]:
        print("\nBy collection (P / R, TP/FP/FN)")
        for name in r["newsfuse"]["by_part"]:
            cells = [r[system]["by_part"][name] for system in ("earlier_rules", "newsfuse")]
            print(f"{name:8} " + "   ".join(
                f"{system} {c['precision']} / {c['recall']} ({c['tp']}/{c['fp']}/{c['fn']})"
                for system, c in zip(("earlier_rules", "newsfuse"), cells, strict=True)))


if __name__ == "__main__":
    sys.exit(main())
