"""Daily multi-document summaries against journalists' timelines (Timeline17 dev).

For every reference date with at least 3 articles published that day, each system summarises
those articles to as many sentences as the journalist's entry has; ROUGE-1/2/L F1 (rouge-score,
with stemming) against the entry, averaged over dates, with 95% bootstrap intervals and a
paired bootstrap of newsfuse's ROUGE-2 ratio to the best peer.
Run: ``python -m benchmarks.summaries``.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np
from rouge_score import rouge_scorer

import newsfuse
from benchmarks.common import TIMELINE17, write_result
from benchmarks.peers import lead, random_k, sumy_system
from newsfuse.model import Article
from newsfuse.text.repair import detokenize, normalize_line

MIN_ARTICLES = 3
BOOTSTRAP = 1000
System = Callable[[Sequence[Article], int], list[str]]


def instances() -> list[tuple[str, str, list[Article], str, int]]:
    """(collection, date, articles of that day, reference text, reference sentences)."""
    out = []
    for folder in sorted(p for p in TIMELINE17.iterdir() if p.is_dir()):
        by_day: dict[str, list[Article]] = defaultdict(list)
        for article in newsfuse.read([folder / "articles.json"]):
            if article.date is not None and article.sentences:
                by_day[article.date.date().isoformat()].append(article)
        timeline = json.loads(next(folder.glob("*.timeline.json")).read_text())
        for entry in timeline:
            day = str(entry["date"])[:10]
            sentences = [s for s in entry["text"].split("  ") if s.strip()]
            if len(by_day.get(day, [])) >= MIN_ARTICLES and sentences:
                reference = " ".join(detokenize(normalize_line(s)) for s in sentences)
                out.append((folder.name, day, by_day[day], reference, len(sentences)))
    return out


def newsfuse_system(encoder: str) -> System:
    def summarize(articles: Sequence[Article], k: int) -> list[str]:
        brief = newsfuse.brief(articles, sentences=k, encoder=encoder)
        return [s.text for s in brief.summary]
    return summarize


def bootstrap_ci(values: np.ndarray, rng: np.random.Generator) -> tuple[float, float]:
    means = [float(np.mean(rng.choice(values, len(values)))) for _ in range(BOOTSTRAP)]
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def main() -> dict[str, object]:
    data = instances()
    systems: dict[str, System] = {
        "newsfuse (auto: minilm)": newsfuse_system("auto"),
        "newsfuse (tfidf)": newsfuse_system("tfidf"),
        "sumy LexRank": sumy_system("lexrank"),
        "sumy TextRank": sumy_system("textrank"),
        "sumy LSA": sumy_system("lsa"),
        "sumy Luhn": sumy_system("luhn"),
        "lead-k": lead,
        "random-k": random_k(13),
    }
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    scores: dict[str, dict[str, list[float]]] = {}
    for name, system in systems.items():
        per = {"rouge1": [], "rouge2": [], "rougeL": []}
        for _, _, articles, reference, k in data:
            summary = " ".join(system(articles, k))
            result = scorer.score(reference, summary)
            for key in per:
                per[key].append(result[key].fmeasure)
        scores[name] = per
    rng = np.random.default_rng(2024)
    rows = []
    for name, per in scores.items():
        row: dict[str, object] = {"system": name}
        for key, values in per.items():
            array = np.array(values)
            low, high = bootstrap_ci(array, rng)
            row[key] = round(float(array.mean()), 4)
            row[f"{key}_ci95"] = [round(low, 4), round(high, 4)]
        rows.append(row)
    ours = "newsfuse (auto: minilm)"
    peers = [r for r in rows if not str(r["system"]).startswith("newsfuse")]
    best_peer = max(peers, key=lambda r: float(r["rouge2"]))  # type: ignore[arg-type]
    mine = np.array(scores[ours]["rouge2"])
    theirs = np.array(scores[str(best_peer["system"])]["rouge2"])
    ratios = []
    for _ in range(BOOTSTRAP):
        idx = rng.integers(0, len(mine), len(mine))
        ratios.append(float(mine[idx].mean() / max(1e-9, theirs[idx].mean())))
    payload = {
        "instances": len(data),
        "collections": sorted({c for c, *_ in data}),
        "articles_per_instance_median": statistics.median(len(a) for _, _, a, _, _ in data),
        "rows": rows,
        "best_peer": best_peer["system"],
        "rouge2_ratio_to_best_peer": round(float(mine.mean() / max(1e-9, theirs.mean())), 3),
        "rouge2_ratio_ci95": [round(float(np.percentile(ratios, 2.5)), 3),
                              round(float(np.percentile(ratios, 97.5)), 3)],
        "target_ratio": 1.15,
    }
    write_result("summaries", payload)
    return payload


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
