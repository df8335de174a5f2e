"""Events across languages: do Spanish, French and Italian reports of one day's news on one
topic end in one event, and are reports on other topics kept apart?

Data: ML-Crisis (``../shared/data/cltls-dev``), 490 articles in es, fr and it on two topics
(Egypt's revolution, Yemen's war), each with its day. There is no event-level gold, so the
gold is the topic on the day: two articles of one topic published the same day report the
same news (a few will report two events of that day: the recall ceiling is below 1), two
articles of different topics the same day never do. Only same-day pairs are scored: the
cross-language pairs (what this measures) and, for comparison, the same-language pairs.

Systems, in the same run:

* newsfuse clustering as shipped (``newsfuse.cluster``: lexical terms, names, and the
  cross-language terms of non-English articles);
* the same without the cross-language terms (``CLUSTER_CROSS_WEIGHT = 0``): the clustering
  before cross-language support, where only shared names and numbers can join languages;
* peers: average-link clustering of each day's articles (an oracle date split that the
  online clustering does not get) over title+lead embeddings, multilingual USE or English
  MiniLM, at the threshold that is best on this data (an oracle threshold).

Also the encoder speeds (sentences per CPU-second, USE against MiniLM on the same
sentences) behind the choice to run USE only on non-English and mixed stories.

Run: ``python -m benchmarks.crosslingual``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from benchmarks.common import SHARED, median_seconds, read_result, write_result

NAME = "crosslingual"
DATA = SHARED / "data" / "cltls-dev"
PEER_GRID = tuple(round(t, 2) for t in np.arange(0.3, 0.85, 0.05))
SPEED_SENTENCES = 400


def load() -> tuple[list[Any], list[str], list[str]]:
    """The cleaned articles, and each one's topic and (folder) language."""
    import newsfuse

    articles, topics, languages = [], [], []
    for folder in sorted(DATA.iterdir()):
        path = folder / "articles.jsonl"
        if not path.exists():
            continue
        language, topic = folder.name.split("-", 1)
        for article in newsfuse.read(path):
            articles.append(article)
            topics.append(topic)
            languages.append(language)
    return articles, topics, languages


def day_pairs(articles: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (i < j) of articles published the same day."""
    by_day: dict[Any, list[int]] = {}
    for i, article in enumerate(articles):
        if article.date is not None:
            by_day.setdefault(article.date.date(), []).append(i)
    left, right = [], []
    for members in by_day.values():
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                left.append(i)
                right.append(j)
    return np.array(left, dtype=np.int64), np.array(right, dtype=np.int64)


def pair_scores(labels: Sequence[Any], topics: Sequence[str], languages: Sequence[str],
                left: np.ndarray, right: np.ndarray) -> dict[str, Any]:
    """Pair precision, recall and F1 of "same event" against "same topic, same day", for
    the cross-language and the same-language pairs."""
    label = np.array([str(x) for x in labels], dtype=object)
    topic = np.array(topics, dtype=object)
    lang = np.array(languages, dtype=object)
    predicted = label[left] == label[right]
    gold = topic[left] == topic[right]
    out: dict[str, Any] = {}
    for name, mask in (("cross", lang[left] != lang[right]), ("same", lang[left] == lang[right])):
        p, g = predicted[mask], gold[mask]
        tp = int((p & g).sum())
        precision = tp / max(1, int(p.sum()))
        recall = tp / max(1, int(g.sum()))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[name] = {"pairs": int(mask.sum()), "gold": int(g.sum()), "joined": int(p.sum()),
                     "wrong_topic": int((p & ~g).sum()), "precision": round(precision, 3),
                     "recall": round(recall, 3), "f1": round(f1, 3)}
    return out


def newsfuse_labels(articles: Sequence[Any], cross: bool) -> tuple[list[str], float]:
    from newsfuse import settings
    from newsfuse.corpus.cluster import cluster

    saved = settings.CLUSTER_CROSS_WEIGHT
    settings.CLUSTER_CROSS_WEIGHT = saved if cross else 0.0
    try:
        start = time.perf_counter()
        labels = [a.event for a in cluster(articles).assignments]
        return labels, time.perf_counter() - start
    finally:
        settings.CLUSTER_CROSS_WEIGHT = saved


def lead_texts(articles: Sequence[Any]) -> list[str]:
    from newsfuse.corpus.features import _lead

    return [f"{a.title or ''}\n{_lead(a)}" for a in articles]


def per_day_average_link(vectors: np.ndarray, articles: Sequence[Any],
                         threshold: float) -> list[str]:
    """Average-link clusters of each day's articles at cosine ``threshold``."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    labels = [f"u{i}" for i in range(len(articles))]
    by_day: dict[Any, list[int]] = {}
    for i, article in enumerate(articles):
        by_day.setdefault(article.date.date() if article.date else None, []).append(i)
    for day, members in by_day.items():
        if len(members) < 2:
            continue
        block = vectors[members]
        distances = np.clip(1.0 - block @ block.T, 0.0, 2.0)
        np.fill_diagonal(distances, 0.0)
        distances = (distances + distances.T) / 2
        tree = linkage(squareform(distances, checks=False), method="average")
        for i, c in zip(members, fcluster(tree, t=1.0 - threshold, criterion="distance"),
                        strict=True):
            labels[i] = f"{day}:{c}"
    return labels


def peer(name: str, vectors: np.ndarray, seconds: float, articles: Sequence[Any],
         topics: list[str], languages: list[str], left: np.ndarray,
         right: np.ndarray) -> dict[str, Any]:
    grid = []
    for threshold in PEER_GRID:
        labels = per_day_average_link(vectors, articles, threshold)
        grid.append({"threshold": threshold,
                     **pair_scores(labels, topics, languages, left, right)})
    best = max(grid, key=lambda r: (r["cross"]["f1"], r["same"]["f1"]))
    return {"system": name, "seconds": round(seconds, 2), "threshold": best["threshold"],
            "cross": best["cross"], "same": best["same"]}


def speed(texts: list[str]) -> dict[str, Any]:
    """Sentences per CPU-second (median of 3) of USE and MiniLM on the same sentences."""
    from newsfuse.encode import MiniLMEncoder, minilm_available
    from newsfuse.multilingual import use_vectors

    rows = []
    use_vectors(texts[:2])
    encoders = [("USE v3 multilingual", use_vectors)]
    if minilm_available():
        minilm = MiniLMEncoder()
        minilm.encode(texts[:2])
        encoders.append(("MiniLM (English)", minilm.encode))
    for name, encode in encoders:
        wall, cpu, _ = median_seconds(lambda e=encode: e(texts))  # type: ignore[misc]
        rows.append({"encoder": name, "sentences": len(texts), "wall_s": round(wall, 2),
                     "cpu_s": round(cpu, 2),
                     "sentences_per_cpu_s": round(len(texts) / max(cpu, 1e-9), 1)})
    if len(rows) == 2:
        rows[0]["speed_vs_minilm"] = round(rows[0]["sentences_per_cpu_s"]
                                           / rows[1]["sentences_per_cpu_s"], 2)
    return {"rows": rows}


def main() -> dict[str, Any]:
    articles, topics, languages = load()
    left, right = day_pairs(articles)
    rows = []
    for cross, name in ((True, "newsfuse cluster (cross-language terms)"),
                        (False, "newsfuse cluster, lexical terms only")):
        labels, seconds = newsfuse_labels(articles, cross)
        rows.append({"system": name, "seconds": round(seconds, 2),
                     **pair_scores(labels, topics, languages, left, right)})
    texts = lead_texts(articles)
    from newsfuse.multilingual import use_vectors

    start = time.perf_counter()
    use = use_vectors(texts)
    rows.append(peer("USE average-link per day (oracle t)", use, time.perf_counter() - start,
                     articles, topics, languages, left, right))
    from newsfuse.encode import MiniLMEncoder, minilm_available

    if minilm_available():
        start = time.perf_counter()
        mini = np.asarray(MiniLMEncoder().encode(texts))
        rows.append(peer("MiniLM average-link per day (oracle t)", mini,
                         time.perf_counter() - start, articles, topics, languages, left, right))
    sentences = [s.text for a in articles for s in a.sentences][:SPEED_SENTENCES]
    payload = {"articles": len(articles), "languages": sorted(set(languages)),
               "same_day_pairs": len(left), "rows": rows, "speed": speed(sentences)}
    write_result(NAME, payload)
    return payload


def print_table(payload: dict[str, Any] | None = None) -> None:
    if payload is None:
        payload = read_result(NAME)
    print(f"Events across languages (ML-Crisis es/fr/it, {payload['articles']} articles; "
          "same-day pairs, gold: same topic)")
    print(f"{'system':42} {'cross P':>7} {'R':>6} {'F1':>6} {'wrong':>6} "
          f"{'same P':>7} {'R':>6} {'F1':>6}")
    for r in payload["rows"]:
        c, s = r["cross"], r["same"]
        print(f"{r['system']:42} {c['precision']:>7} {c['recall']:>6} {c['f1']:>6} "
              f"{c['wrong_topic']:>6} {s['precision']:>7} {s['recall']:>6} {s['f1']:>6}")
    for r in payload["speed"]["rows"]:
        ratio = f" ({r['speed_vs_minilm']}x MiniLM)" if "speed_vs_minilm" in r else ""
        print(f"  {r['encoder']:24} {r['sentences_per_cpu_s']:>7} sentences/CPU-s{ratio}")


if __name__ == "__main__":
    result = main()
    print_table(result)
