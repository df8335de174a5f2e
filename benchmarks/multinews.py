"""Multi-document summaries against human references on real clusters (Multi-News dev).

Every cluster's articles (raw page text, furniture included) are read by newsfuse; every
system gets the same cleaned sentences and the reference's length in words as its budget,
and its summary is cut to that many words. ROUGE-1/2/L F1 (rouge-score, with stemming),
averaged over clusters, with 95% bootstrap intervals, a paired bootstrap of newsfuse's
ROUGE-2 ratio to the best peer, and the same figures on the even and odd halves of the
clusters (a gain tuned to one half should show on the other).

Peers: the first article cut to length (its cleaned sentences, and its raw page text);
First-3 of Fabbri et al. (the first three sentences of each article, article after article);
sumy LexRank and TextRank given the budget. Citations are scored against hand-labelled
(sentence, article) pairs in ``benchmarks/data/citations.jsonl``: a pair is cited when the
article is among the sources of the claim newsfuse puts the sentence in.
Run: ``python -m benchmarks.multinews``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rouge_score import rouge_scorer

import newsfuse
from benchmarks.common import SHARED, read_result, write_result
from benchmarks.peers import first_article, lead_each, sumy_words
from newsfuse.model import Article, Brief

MULTINEWS = SHARED / "data" / "multinews-dev"
CITATIONS = Path(__file__).resolve().parent / "data" / "citations.jsonl"
BOOTSTRAP = 1000
KEYS = ("rouge1", "rouge2", "rougeL")
System = Callable[[Sequence[Article], int], list[str]]


class Cluster:
    """One Multi-News cluster: its raw records, its articles as newsfuse reads them, the
    reference and its length in words."""

    def __init__(self, path: Path, reference: str) -> None:
        self.name = path.stem
        self.raw = json.loads(path.read_text())
        self.articles = list(newsfuse.read([path], on_problem=lambda problem: None))
        self.reference = reference
        self.words = len(reference.split())


def clusters() -> list[Cluster]:
    references = json.loads((MULTINEWS / "references.json").read_text())
    return [Cluster(MULTINEWS / f"{name}.json", text) for name, text in sorted(references.items())
            if (MULTINEWS / f"{name}.json").exists()]


def cut(sentences: Sequence[str], words: int) -> str:
    """The sentences joined and cut to ``words`` words."""
    return " ".join(" ".join(sentences).split()[:words])


def newsfuse_system(encoder: str, briefs: dict[int, Brief] | None = None) -> System:
    def summarize(articles: Sequence[Article], words: int) -> list[str]:
        try:
            brief = newsfuse.brief(articles, words=words, encoder=encoder, facts=False)
        except newsfuse.UsageError:
            return []
        if briefs is not None:
            briefs[id(articles)] = brief
        return [s.text for s in brief.summary]
    return summarize


def score_systems(data: list[Cluster], systems: dict[str, System],
                  ) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, list[str]]]:
    """Per-cluster ROUGE F1 of every system, and its summaries."""
    scorer = rouge_scorer.RougeScorer(list(KEYS), use_stemmer=True)
    scores: dict[str, dict[str, np.ndarray]] = {}
    texts: dict[str, list[str]] = {}
    for name, system in systems.items():
        print(f"  {name} ...", file=sys.stderr, flush=True)
        per: dict[str, list[float]] = {k: [] for k in KEYS}
        texts[name] = []
        for cluster in data:
            summary = cut(system(cluster.articles, cluster.words), cluster.words)
            texts[name].append(summary)
            result = scorer.score(cluster.reference, summary)
            for key in KEYS:
                per[key].append(result[key].fmeasure)
        scores[name] = {k: np.array(v) for k, v in per.items()}
    return scores, texts


def bootstrap_ci(values: np.ndarray, rng: np.random.Generator) -> list[float]:
    means = [float(np.mean(rng.choice(values, len(values)))) for _ in range(BOOTSTRAP)]
    return [round(float(np.percentile(means, 2.5)), 4), round(float(np.percentile(means, 97.5)), 4)]


def ratio_ci(mine: np.ndarray, theirs: np.ndarray, rng: np.random.Generator) -> list[float]:
    ratios = []
    for _ in range(BOOTSTRAP):
        idx = rng.integers(0, len(mine), len(mine))
        ratios.append(float(mine[idx].mean() / max(1e-9, theirs[idx].mean())))
    return [round(float(np.percentile(ratios, 2.5)), 3),
            round(float(np.percentile(ratios, 97.5)), 3)]


def citation_scores(data: list[Cluster], briefs: dict[int, Brief]) -> dict[str, Any]:
    """Recall and precision of newsfuse's citations on the hand-labelled pairs whose
    sentence is in the summary newsfuse wrote for the cluster."""
    if not CITATIONS.exists():
        return {"pairs": 0}
    labels = [json.loads(line) for line in CITATIONS.read_text().splitlines() if line.strip()]
    by_name = {c.name: briefs.get(id(c.articles)) for c in data}
    found = tp = fp = fn = 0
    for label in labels:
        brief = by_name.get(label["cluster"])
        wanted = _norm(label["sentence"])
        sentence = next((s for s in brief.summary if _norm(s.text) == wanted),
                        None) if brief is not None else None
        if sentence is None:
            continue
        found += 1
        cited = label["article"] in sentence.sources
        tp += cited and label["supported"]
        fp += cited and not label["supported"]
        fn += (not cited) and label["supported"]
    return {"pairs": len(labels), "pairs_in_summary": found,
            "supported": tp + fn, "cited": tp + fp,
            "precision": round(tp / max(1, tp + fp), 3), "recall": round(tp / max(1, tp + fn), 3)}


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def main(only: Sequence[str] = ()) -> dict[str, Any]:
    data = clusters()
    briefs: dict[str, dict[int, Brief]] = {"auto": {}, "tfidf": {}}
    systems: dict[str, System] = {
        "newsfuse (auto: minilm)": newsfuse_system("auto", briefs["auto"]),
        "newsfuse (tfidf)": newsfuse_system("tfidf", briefs["tfidf"]),
        "first article": first_article,
        "first article (raw page)": lambda articles, words: [],  # filled per cluster below
        "First-3 (each article)": lead_each(3),
        "sumy LexRank": sumy_words("lexrank"),
        "sumy TextRank": sumy_words("textrank"),
    }
    raw_first = {id(c.articles): [c.raw[0]["text"]] if c.raw else [] for c in data}
    systems["first article (raw page)"] = lambda articles, words: raw_first[id(articles)]
    if only:
        systems = {k: v for k, v in systems.items() if any(o in k for o in only)}
    scores, texts = score_systems(data, systems)
    citations = {encoder: citation_scores(data, made) for encoder, made in briefs.items()}
    return report(data, scores, texts, citations, write=not only)


def report(data: list[Cluster], scores: dict[str, dict[str, np.ndarray]],
           texts: dict[str, list[str]], citations: dict[str, Any], write: bool,
           ) -> dict[str, Any]:
    rng = np.random.default_rng(2024)
    halves = {"even": np.arange(0, len(data), 2), "odd": np.arange(1, len(data), 2)}
    rows = []
    for name, per in scores.items():
        row: dict[str, Any] = {"system": name}
        for key in KEYS:
            row[key] = round(float(per[key].mean()), 4)
        row["rouge2_ci95"] = bootstrap_ci(per["rouge2"], rng)
        for half, idx in halves.items():
            row[f"rouge2_{half}"] = round(float(per["rouge2"][idx].mean()), 4)
        rows.append(row)
    payload: dict[str, Any] = {"clusters": len(data),
                               "reference_words_mean": round(float(np.mean(
                                   [c.words for c in data])), 1), "rows": rows}
    ours = [r for r in rows if str(r["system"]).startswith("newsfuse")]
    peers = [r for r in rows if not str(r["system"]).startswith("newsfuse")]
    if ours and peers:
        best = max(peers, key=lambda r: float(r["rouge2"]))
        theirs = scores[str(best["system"])]["rouge2"]
        payload["best_peer"] = best["system"]
        payload["ratios"] = {}
        for row in ours:
            mine = scores[str(row["system"])]["rouge2"]
            payload["ratios"][row["system"]] = {
                "rouge2_ratio_to_best_peer": round(float(mine.mean() / theirs.mean()), 3),
                "ci95": ratio_ci(mine, theirs, rng),
                **{half: round(float(mine[idx].mean() / theirs[idx].mean()), 3)
                   for half, idx in halves.items()}}
    payload["target_ratio"] = 1.0
    payload["aim_ratio"] = 1.10
    payload["citations"] = citations
    payload["examples"] = {name: texts[name][:2] for name in texts}
    if write:
        write_result("multinews", payload)
    return payload


def print_table(result: dict[str, Any] | None = None) -> None:
    result = result or read_result("multinews")
    print(f"Multi-document summaries vs human references (Multi-News dev, {result['clusters']} "
          f"clusters, cut to the reference length, mean {result['reference_words_mean']} words; "
          "ROUGE F1)")
    print(f"{'system':26} {'R-1':>7} {'R-2':>7} {'R-L':>7} {'R-2 even':>9} {'R-2 odd':>8}"
          "  R-2 95% CI")
    for r in result["rows"]:
        print(f"{r['system']:26} {r['rouge1']:>7} {r['rouge2']:>7} {r['rougeL']:>7} "
              f"{r['rouge2_even']:>9} {r['rouge2_odd']:>8}  {r['rouge2_ci95']}")
    for name, ratio in result.get("ratios", {}).items():
        print(f"{name} / best peer ({result['best_peer']}) ROUGE-2: "
              f"{ratio['rouge2_ratio_to_best_peer']} (95% CI {ratio['ci95']}; even "
              f"{ratio['even']}, odd {ratio['odd']}; target >= {result['target_ratio']}, "
              f"aim {result['aim_ratio']})")
    for encoder, cites in result.get("citations", {}).items():
        if cites.get("pairs_in_summary"):
            print(f"Citations ({encoder}) on the {cites['pairs_in_summary']} of {cites['pairs']} "
                  "hand-labelled (sentence, article) pairs whose sentence is in the summary: "
                  f"recall {cites['recall']} ({cites['supported']} supported), precision "
                  f"{cites['precision']} ({cites['cited']} cited)")


if __name__ == "__main__":
    print_table(main(sys.argv[1:]))
