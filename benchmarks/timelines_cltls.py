"""Timeline summarisation in Spanish, French and Italian: ML-Crisis dev topics (CL-TLS).

The same news-tls protocol as :mod:`benchmarks.timelines` (tilse alignment-based ROUGE
"align+ m:1", AR1-F and AR2-F, and news-tls's Date-F1; F of mean precision and mean recall
over timelines), on the six dev topics in ``../shared/data/cltls-dev`` (es, fr, it; Egypt's
revolution and Yemen's war), each with its reference timeline in the articles' language.
For every topic the input is its articles published between the reference's first and last
date (inclusive); a system returns L = reference dates and at most K = round(mean sentences
per reference date) sentences per date.

Systems: ``newsfuse.timeline`` as shipped (it reads each language's day words, stop words and
stems, see :mod:`newsfuse.text.languages`), against the publication-count baseline of
:mod:`benchmarks.timelines` (the L busiest publication days, each the K sentences among its
articles' first five closest to their TF-IDF centroid), here with the language's stop words.
Target: newsfuse's AR1-F at least 1.2x the baseline's in each language.

Deviations: tilse's ROUGE reimplementation stems with Porter and drops English stop words;
that is applied alike to both systems and the references (only exact tokens of these
languages match, so scores are lower than an English run's), and both sides go through one
tokeniser (NLTK's Treebank tokeniser after PTB detokenisation). The references are
tokenised with spaces before punctuation ("Sana’ a ,"); the same detokenisation evens that
out. A date listed twice in a reference keeps the sentences of both entries. Run:
``python -m benchmarks.timelines_cltls``.
"""

from __future__ import annotations

import functools
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import newsfuse
from benchmarks import timelines
from benchmarks.common import RESULTS, SHARED, write_result
from benchmarks.timeline_grid import entries_to_prediction, fast_evaluator
from benchmarks.timelines import (
    Prediction,
    Reference,
    average,
    brief,
    in_span,
    score,
)
from newsfuse.model import Article
from newsfuse.text.languages import NAMES, stop_words

NAME = "timelines_cltls"
CLTLS = SHARED / "data" / "cltls-dev"
TARGET_RATIO = 1.2
SHIPPED = "newsfuse"
BASELINE = "publication count"


# An entry ends at a run of dashes closing a line; in a few references the run is glued to
# the entry's last sentence ("... la capitale-----") or follows a stray "- ".
_SEPARATOR = re.compile(r"(?:^|(?<=\S))[ \t]*-{20,}[ \t]*$|^-{5,}[ \t]*$", re.MULTILINE)


def reference(folder: Path) -> Reference:
    """A tilse-format timeline: a date line, its sentences one a line, entries separated by a
    line of dashes (see ``_SEPARATOR``); a line without a word (a stray dash) is no
    sentence."""
    dates: dict[date, list[str]] = defaultdict(list)
    text = (folder / "timeline.txt").read_text(encoding="utf-8")
    for block in _SEPARATOR.split(text):
        lines = [x.strip() for x in block.splitlines() if re.search(r"\w", x)]
        if not lines:
            continue
        day = date.fromisoformat(lines[0][:10])
        dates[day].extend(lines[1:])
    return Reference(folder.name, "timeline.txt", {d: s for d, s in dates.items() if s})


def newsfuse_system(articles: Sequence[Article], l: int, k: int) -> Prediction:  # noqa: E741
    return entries_to_prediction(newsfuse.timeline(articles, dates=l, sentences=k))


def publication_count(language: str) -> Callable[[Sequence[Article], int, int], Prediction]:
    """The baseline of :mod:`benchmarks.timelines` with ``language``'s stop words."""
    return functools.partial(timelines.publication_count,
                             stops=sorted(stop_words(language)) or None)


def main() -> dict[str, Any]:
    evaluator = fast_evaluator()
    folders = sorted(p for p in CLTLS.iterdir() if p.is_dir())
    rows: list[dict[str, Any]] = []
    per_language: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    seconds: dict[str, dict[str, float]] = defaultdict(lambda: {"wall": 0.0, "cpu": 0.0})
    for folder in folders:
        language = folder.name.split("-")[0]
        ref = reference(folder)
        articles = in_span(list(newsfuse.read([folder / "articles.jsonl"])), ref)
        systems = {SHIPPED: newsfuse_system, BASELINE: publication_count(language)}
        scores = {}
        for name, system in systems.items():
            wall, cpu = time.perf_counter(), time.process_time()
            predicted = system(articles, ref.l, ref.k)
            seconds[language + " " + name]["wall"] += time.perf_counter() - wall
            seconds[language + " " + name]["cpu"] += time.process_time() - cpu
            result = score(evaluator, predicted, ref)
            per_language[language][name].append(result)
            scores[name] = brief(result)
        rows.append({"topic": folder.name, "language": language, "L": ref.l, "K": ref.k,
                     "articles": len(articles), "scores": scores})
    means = {language: {name: average(results) for name, results in systems_.items()}
             for language, systems_ in per_language.items()}
    ratios = {language: round(m[SHIPPED]["ar1_f"] / m[BASELINE]["ar1_f"], 3)
              if m[BASELINE]["ar1_f"] else None for language, m in means.items()}
    payload = {
        "data": "cltls-dev (ML-Crisis dev topics: es, fr, it)",
        "protocol": "news-tls: tilse align+ m:1 ROUGE-1/2 (reimpl), evaluate_dates; input "
                    "within the reference's first..last date; L reference dates, K = "
                    "round(mean sentences per date); F of mean P and mean R per language",
        "means": means,
        "ar1_ratio_to_baseline": ratios,
        "target_ratio": TARGET_RATIO,
        "met": {language: r is not None and r >= TARGET_RATIO for language, r in ratios.items()},
        "seconds": {k: {x: round(v, 2) for x, v in s.items()} for k, s in seconds.items()},
        "rows": rows,
    }
    write_result(NAME, payload)
    return payload


def print_table(path: Path = RESULTS / f"{NAME}.json") -> None:
    result = json.loads(path.read_text())
    print("Timelines in other languages (ML-Crisis dev: es, fr, it); news-tls protocol")
    header = (f"{'language':<10}{'system':<20}{'AR1-F':>7}{'AR2-F':>7}{'Date-F1':>9}"
              f"{'AR1 ratio':>11}")
    print(header)
    print("-" * len(header))
    for language, systems in result["means"].items():
        for name, m in systems.items():
            ratio = result["ar1_ratio_to_baseline"][language] if name == SHIPPED else None
            shown = f"{ratio:>10.2f}x" if ratio is not None else f"{'':>11}"
            print(f"{NAMES.get(language, language):<10}{name:<20}{m['ar1_f']:>7.3f}"
                  f"{m['ar2_f']:>7.3f}{m['date_f1']:>9.3f}{shown}")
    print(f"target: newsfuse AR1-F >= {result['target_ratio']}x the baseline in each language")
    for row in result["rows"]:
        got = row["scores"]
        print(f"  {row['topic']:<10} L={row['L']:<4} K={row['K']} {row['articles']:>4} articles"
              f"  newsfuse {got[SHIPPED]['ar1_f']:.3f}  baseline {got[BASELINE]['ar1_f']:.3f}")


if __name__ == "__main__":
    main()
    print_table()
