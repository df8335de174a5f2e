"""Article extraction against hand-made gold bodies (article-extraction-benchmark pages).

Every page of ``aeb-pages`` is read the way a user reads it (``newsfuse.read``: the HTML
reader, then the cleaning stage) and by trafilatura alone (default, and ``favor_recall``).
Scores are bag-of-words token precision, recall and F1 against the gold ``articleBody``,
averaged over pages, split English / other languages (language identified on the gold body).
Furniture is measured on both sides: gold paragraphs a tool drops (under half their tokens
kept) and output lines that are not in the gold body (under half their tokens in it).
A second table counts the lines of CoNLL-2003 documents (one sentence per line, PTB tokens,
all running text) that the cleaning stage drops.
Run: ``python -m benchmarks.extraction``.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

import newsfuse
from benchmarks.common import SHARED, read_result, write_result
from newsfuse.model import Article, Origin
from newsfuse.text.language import identify_language

PAGES = SHARED / "data" / "aeb-pages"
CONLL = SHARED / "data" / "conll2003-dev" / "dev_docs.jsonl"
_TOKEN = re.compile(r"\w+", re.UNICODE)
KEPT = 0.5  # a paragraph counts as kept when at least half its tokens are in the output
Extractor = Callable[[Path], str]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def prf(gold: str, found: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of ``found`` against ``gold``."""
    g, f = Counter(tokens(gold)), Counter(tokens(found))
    common = sum((g & f).values())
    if not common:
        return 0.0, 0.0, 0.0
    p, r = common / sum(f.values()), common / sum(g.values())
    return p, r, 2 * p * r / (p + r)


def _share_in(line: str, vocabulary: set[str]) -> float:
    words = tokens(line)
    return sum(w in vocabulary for w in words) / len(words) if words else 1.0


def furniture(gold: str, found: str) -> tuple[int, int, int, int]:
    """(gold paragraphs, gold paragraphs dropped, output lines, output lines not in gold)."""
    gold_lines = [x for x in gold.split("\n") if tokens(x)]
    found_lines = [x for x in found.split("\n") if tokens(x)]
    found_vocab, gold_vocab = set(tokens(found)), set(tokens(gold))
    dropped = sum(_share_in(x, found_vocab) < KEPT for x in gold_lines)
    extra = sum(_share_in(x, gold_vocab) < KEPT for x in found_lines)
    return len(gold_lines), dropped, len(found_lines), extra


def newsfuse_text(path: Path) -> str:
    articles = list(newsfuse.read([path]))
    return "\n".join(a.text for a in articles)


def _html(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")


def trafilatura_text(path: Path) -> str:
    return trafilatura.extract(_html(path)) or ""


def trafilatura_recall(path: Path) -> str:
    return trafilatura.extract(_html(path), favor_recall=True) or ""


SYSTEMS: dict[str, Extractor] = {
    "newsfuse read (HTML reader + clean)": newsfuse_text,
    "trafilatura.extract": trafilatura_text,
    "trafilatura favor_recall": trafilatura_recall,
}


def _row(name: str, group: str, scores: list[tuple[float, float, float]],
         furn: list[tuple[int, int, int, int]]) -> dict[str, object]:
    def mean(i: int) -> float:
        return round(statistics.fmean(s[i] for s in scores), 4) if scores else 0.0
    return {"system": name, "pages": group, "n": len(scores), "precision": mean(0),
            "recall": mean(1), "f1": mean(2),
            "gold_paragraphs": sum(f[0] for f in furn),
            "gold_paragraphs_dropped": sum(f[1] for f in furn),
            "output_lines": sum(f[2] for f in furn),
            "output_lines_not_gold": sum(f[3] for f in furn)}


def conll_drops() -> dict[str, int]:
    """Lines of CoNLL-2003 documents the cleaning stage drops (all are running text)."""
    lines = dropped = 0
    for raw in CONLL.read_text().splitlines():
        doc = json.loads(raw)
        article = Article(id=str(doc["id"]), title=None, text=doc["text"], origin=Origin("conll"))
        cleaned = newsfuse.clean_article(article)
        kinds = Counter(r.reason for r in cleaned.removed)
        body = [x for x in doc["text"].split("\n") if x.strip()]
        lines += len(body)
        dropped += kinds.get("subheading", 0)
    return {"lines": lines, "dropped_as_subheading": dropped}


def main() -> dict[str, object]:
    truth = json.loads((PAGES / "ground-truth.json").read_text())
    per: dict[str, dict[str, list[tuple[float, float, float]]]] = {}
    furn: dict[str, dict[str, list[tuple[int, int, int, int]]]] = {}
    worst: list[dict[str, object]] = []
    for key in sorted(truth):
        gold = str(truth[key]["articleBody"])
        group = "English" if identify_language(gold)[0] == "en" else "non-English"
        path = PAGES / "html" / f"{key}.html.gz"
        for name, extract in SYSTEMS.items():
            found = extract(path)
            score = prf(gold, found)
            for g in (group, "all"):
                per.setdefault(name, {}).setdefault(g, []).append(score)
                furn.setdefault(name, {}).setdefault(g, []).append(furniture(gold, found))
            if name.startswith("newsfuse"):
                worst.append({"page": key[:12], "language": group, "f1": round(score[2], 3)})
    rows = [_row(name, group, per[name][group], furn[name][group])
            for group in ("English", "non-English", "all") for name in SYSTEMS]
    ours, peer = next(iter(SYSTEMS)), "trafilatura.extract"
    targets = {g: next(float(r["f1"]) for r in rows if r["system"] == ours  # type: ignore[arg-type]
                       and r["pages"] == g) >= next(float(r["f1"])  # type: ignore[arg-type]
                                                    for r in rows if r["system"] == peer
                                                    and r["pages"] == g)
               for g in ("English", "non-English")}
    payload: dict[str, object] = {
        "pages": len(truth), "rows": rows, "target": "newsfuse F1 >= trafilatura.extract",
        "target_met": targets, "conll2003": conll_drops(),
        "worst_newsfuse_pages": sorted(worst, key=lambda w: float(w["f1"]))[:8],  # type: ignore[arg-type]
    }
    write_result("extraction", payload)
    return payload


def print_table(result: dict[str, object] | None = None) -> None:
    if result is None:
        result = read_result("extraction")
    print(f"Article extraction ({result['pages']} aeb pages; bag-of-words token P/R/F1 vs "
          "gold body, mean over pages; furniture: gold paragraphs dropped, output lines "
          "not in gold)")
    print(f"{'pages':12} {'system':38} {'n':>3} {'P':>6} {'R':>6} {'F1':>6} "
          f"{'gold dropped':>13} {'extra lines':>12}")
    for r in result["rows"]:  # type: ignore[attr-defined]
        print(f"{r['pages']:12} {r['system']:38} {r['n']:>3} {r['precision']:>6} "
              f"{r['recall']:>6} {r['f1']:>6} "
              f"{r['gold_paragraphs_dropped']:>5}/{r['gold_paragraphs']:<7} "
              f"{r['output_lines_not_gold']:>5}/{r['output_lines']:<6}")
    conll = result["conll2003"]
    print(f"CoNLL-2003 dev: {conll['dropped_as_subheading']} of {conll['lines']} "  # type: ignore[index]
          "running-text lines dropped as subheadings; "
          f"target met (F1 >= trafilatura): {result['target_met']}")


if __name__ == "__main__":
    print_table(main())
