"""Event clustering: quality on the UCI headlines against two TF-IDF baselines, and speed.

Quality. ``../shared/data/uci-headlines/dev.csv`` holds 2,989 headlines of 2014-03-10/11 in
44 gold stories (the ``STORY`` column). The headlines are read with ``newsfuse.read`` and
the gold labels separately with :mod:`csv`. Scored side by side in one run:

- ``newsfuse.cluster(articles)``: its ``.event`` labels, and its ``.story`` labels as a
  second row;
- TF-IDF + agglomerative: TF-IDF of the headline and its link's slug words (newsfuse reads
  both; sublinear tf, English stop words), average-link
  clustering on cosine distance, cut at a distance threshold;
- single-pass TF-IDF: the same vectors in input (time) order; each headline joins the
  earlier cluster whose centroid (mean of the member vectors) is most cosine-similar, if that
  similarity reaches the threshold, else it opens a new cluster.

Both baseline thresholds are tuned on this same file (grid below, best B-cubed F1 kept) and
their IDF is fitted on it too: an unfair advantage over newsfuse, whose settings are fixed
and not chosen per file; the baselines' rows are an upper bound for those methods on this data.

The file's ``TIMESTAMP`` is when the aggregator collected a story, not when each report was
published: every gold story's headlines lie within about a minute of one another and form
one contiguous run of the file, minutes away from the next story. Publication dates (and the
input order) therefore give away the gold stories to a time-aware clusterer, which the
baselines are not. So newsfuse is also scored with the dates removed, and the payload's
``data`` records the largest time span inside a story and the smallest gap between stories.

Metrics: B-cubed precision, recall and F1 (Bagga & Baldwin 1998, averaged over all items; F1
is the harmonic mean of the averaged P and R), adjusted Rand index, adjusted mutual
information, and the number of clusters predicted against the number of gold stories.

Speed (lexical path; median wall and CPU seconds of 3 runs, reading not timed):
headlines/s of ``newsfuse.cluster`` on the UCI headlines replayed 4 times (copies with new ids
and dates shifted 3 days per replay), against the single-pass baseline on the same input
(vectorising included) in the same run; and full articles/s of ``newsfuse.cluster`` on all
Timeline17 articles. Peak RSS of the process is recorded.

``python -m benchmarks.clustering`` writes ``bench/results/clustering.json`` and prints the
table (:func:`print_table`).
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
import json
import random
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import (
    SHARED,
    TIMELINE17,
    median_seconds,
    peak_rss_mb,
    read_result,
    write_result,
)

NAME = "clustering"
HEADLINES = SHARED / "data" / "uci-headlines" / "dev.csv"
REPLAYS = 4
REPLAY_SHIFT = timedelta(days=3)
# Threshold grids, tuned on the evaluation file itself. Agglomerative: cosine *distance*
# at which clusters stop merging; single-pass: cosine *similarity* needed to join a cluster.
# Steps of 0.01: the gold stories are broad, and the best thresholds lie near the loose end
# (distance near 0.97, similarity near 0.03), outside a 0.05-step grid from 0.30 to 0.95.
AGGLOMERATIVE_GRID = tuple(round(0.30 + 0.01 * k, 2) for k in range(70))  # 0.30 .. 0.99
SINGLE_PASS_GRID = tuple(round(0.01 + 0.01 * k, 2) for k in range(90))  # 0.01 .. 0.90
TARGETS = {"headlines_per_s": 2000, "full_articles_per_s": 200, "uci_f1": 0.93,
           "uci_f1_no_dates": 0.90, "uci_f1_shuffled": 0.92, "aeb_one_story_share": 0.97,
           "aeb_mixed_unrelated": 0}
SHUFFLE_SEED = 13
AEB_PAGES = SHARED / "data" / "aeb-pages" / "html"
AEB_LABELS = Path(__file__).parent / "data" / "aeb_stories.json"
AEB_WHEN = datetime(2019, 11, 20, 12, 0)  # one shared timestamp, as pages of one crawl
T17_GRID = tuple(round(0.30 + 0.02 * k, 2) for k in range(35))  # 0.30 .. 0.98


# --- data --------------------------------------------------------------------------------
def load_headlines() -> tuple[list[Any], dict[str, str]]:
    """The headlines as newsfuse reads them, and the gold story of each id."""
    import newsfuse

    articles = list(newsfuse.read([HEADLINES]))
    with HEADLINES.open(newline="", encoding="utf-8") as handle:
        gold = {row["ID"]: row["STORY"] for row in csv.DictReader(handle)}
    missing = [a.id for a in articles if a.id not in gold]
    if missing or len(articles) != len(gold):
        raise SystemExit(f"{HEADLINES}: read {len(articles)} articles for {len(gold)} gold "
                         f"rows; ids without a gold story: {missing[:5]}")
    return articles, gold


def data_notes(articles: Sequence[Any], gold: dict[str, str]) -> dict[str, Any]:
    """Counts that qualify the scores: identical titles the gold puts in different stories."""
    stories_of: dict[str, set[str]] = {}
    for a in articles:
        stories_of.setdefault(a.title or "", set()).add(gold[a.id])
    sizes = np.bincount(np.unique([gold[a.id] for a in articles], return_inverse=True)[1])
    return {"file": str(HEADLINES.relative_to(SHARED)), "headlines": len(articles),
            "gold_stories": len(sizes), "story_size_min": int(sizes.min()),
            "story_size_median": float(np.median(sizes)), "story_size_max": int(sizes.max()),
            "repeated_titles": len(articles) - len(stories_of),
            "titles_in_several_gold_stories": sum(len(s) > 1 for s in stories_of.values()),
            "empty_titles": sum(not (a.title or "").strip() for a in articles),
            **_time_leak(articles, gold)}


def _time_leak(articles: Sequence[Any], gold: dict[str, str]) -> dict[str, Any]:
    """How far the dates alone separate the gold stories (input order as read)."""
    stories = [gold[a.id] for a in articles]
    runs = 1 + sum(a != b for a, b in itertools.pairwise(stories))
    dated = [(gold[a.id], a.date) for a in articles if a.date is not None]
    spans: dict[str, tuple[Any, Any]] = {}
    for story, when in dated:
        low, high = spans.get(story, (when, when))
        spans[story] = (min(low, when), max(high, when))
    ordered = sorted(dated, key=lambda pair: pair[1])
    gaps = [(b[1] - a[1]).total_seconds() for a, b in itertools.pairwise(ordered)
            if a[0] != b[0]]
    return {"gold_story_runs_in_input_order": runs,
            "max_seconds_within_a_story": round(max(
                ((high - low).total_seconds() for low, high in spans.values()), default=0.0), 1),
            "min_seconds_between_stories": round(min(gaps), 1) if gaps else None}


def replay(articles: Sequence[Any], times: int = REPLAYS) -> list[Any]:
    """``times`` copies of the articles with fresh ids, each copy 3 days later than the last."""
    return [dataclasses.replace(a, id=f"{r}-{a.id}",
                                date=None if a.date is None else a.date + REPLAY_SHIFT * r)
            for r in range(times) for a in articles]


# --- metrics -----------------------------------------------------------------------------
def bcubed(gold: Sequence[Any], predicted: Sequence[Any]) -> tuple[float, float, float]:
    """Item-averaged B-cubed precision, recall and F1, from the contingency table.

    An item in cell (cluster c, story g) of ``n_cg`` items has precision ``n_cg / |c|`` and
    recall ``n_cg / |g|``; summed over the cell's items that is ``n_cg**2 / |c|`` (``/ |g|``).
    """
    from sklearn.metrics.cluster import contingency_matrix

    table = contingency_matrix(gold, predicted, sparse=True).tocoo()  # rows gold, cols predicted
    n = len(gold)
    gold_sizes = np.asarray(table.sum(axis=1)).ravel()
    cluster_sizes = np.asarray(table.sum(axis=0)).ravel()
    squares = table.data.astype(np.float64) ** 2
    precision = float((squares / cluster_sizes[table.col]).sum() / n)
    recall = float((squares / gold_sizes[table.row]).sum() / n)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(gold: Sequence[Any], predicted: Sequence[Any]) -> dict[str, Any]:
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    precision, recall, f1 = bcubed(gold, predicted)
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "ari": round(adjusted_rand_score(gold, predicted), 3),
            "ami": round(adjusted_mutual_info_score(gold, predicted), 3),
            "clusters": len(set(predicted)), "gold_clusters": len(set(gold))}


# --- baselines ---------------------------------------------------------------------------
def headline_vectors(articles: Sequence[Any]) -> Any:
    """L2-normalised TF-IDF rows (sparse) of the headlines with the words of their link's
    slug, which newsfuse reads too (:func:`newsfuse.corpus.features.url_slug`), so the
    peers see the same input; a text of stop words only is a zero row (cosine 0 to
    everything)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from newsfuse.corpus.features import url_slug

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    texts = [f"{a.title or ''} {url_slug(a.url)}" for a in articles]
    return vectorizer.fit_transform(texts).tocsr()


def average_linkage(vectors: Any) -> np.ndarray:
    """The average-link merge tree on cosine distance, built once for every threshold.

    Same clusters as ``AgglomerativeClustering(metric="cosine", linkage="average",
    distance_threshold=t, n_clusters=None)`` (checked at the chosen threshold in
    :func:`tune_agglomerative`; sklearn builds the whole tree per threshold), but the tree is
    built once and each threshold is only an ``fcluster`` cut. The cosine distances come from
    one sparse product; zero rows get distance 1, as in sklearn's ``cosine_distances``.
    """
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    distances = 1.0 - (vectors @ vectors.T).toarray()
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    distances = (distances + distances.T) / 2  # exact symmetry for squareform
    return linkage(squareform(distances, checks=False), method="average")


def agglomerative_labels(tree: np.ndarray, threshold: float) -> np.ndarray:
    from scipy.cluster.hierarchy import fcluster

    # sklearn stops merging at distances >= threshold; fcluster keeps merges <= threshold.
    # They differ only for a merge exactly at the threshold.
    return fcluster(tree, t=threshold, criterion="distance")


def tune_agglomerative(articles: Sequence[Any], gold: list[str]) -> dict[str, Any]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import adjusted_rand_score

    vectors = headline_vectors(articles)
    tree = average_linkage(vectors)
    grid = [_grid_row(gold, agglomerative_labels(tree, t), t) for t in AGGLOMERATIVE_GRID]
    chosen = _best(grid)["threshold"]
    labels = agglomerative_labels(tree, chosen)
    check = AgglomerativeClustering(metric="cosine", linkage="average", n_clusters=None,
                                    distance_threshold=chosen)
    same = adjusted_rand_score(labels, check.fit_predict(vectors.toarray())) == 1.0
    return {"best": {"threshold": chosen, **score(gold, labels)}, "grid": grid,
            "same_as_sklearn_at_best": same}


def single_pass_labels(vectors: Any, threshold: float) -> np.ndarray:
    """Single-pass clustering of the rows of ``vectors`` (L2-normalised) in order.

    The cosine of a row with a centroid is ``x . s / |s|`` for the cluster's sum vector ``s``
    (the mean, normalised). ``x . s`` is the sum of ``x``'s dot products with the earlier
    members, read from one sparse Gram product restricted to earlier rows; ``|s|^2`` is
    updated on each join as ``|s|^2 + 2 x.s + |x|^2``. Ties go to the older cluster.
    """
    n = vectors.shape[0]
    gram = (vectors @ vectors.T).tocsr()
    gram.sort_indices()
    self_dots = np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()
    labels = np.empty(n, dtype=np.int64)
    norms2 = np.zeros(n)  # per cluster: squared norm of its sum vector
    clusters = 0
    indptr, indices, data = gram.indptr, gram.indices, gram.data
    for i in range(n):
        start, stop = indptr[i], indptr[i + 1]
        cut = start + np.searchsorted(indices[start:stop], i)  # earlier rows only
        dots = np.bincount(labels[indices[start:cut]], weights=data[start:cut],
                           minlength=clusters)
        best, best_cos = -1, -1.0
        if clusters and cut > start:
            with np.errstate(divide="ignore", invalid="ignore"):
                cosines = np.where(norms2[:clusters] > 0,
                                   dots / np.sqrt(norms2[:clusters]), 0.0)
            best = int(np.argmax(cosines))
            best_cos = float(cosines[best])
        if best >= 0 and best_cos >= threshold:
            labels[i] = best
            norms2[best] += 2 * dots[best] + self_dots[i]
        else:
            labels[i] = clusters
            norms2[clusters] = self_dots[i]
            clusters += 1
    return labels


def single_pass(articles: Sequence[Any], threshold: float) -> np.ndarray:
    """The whole baseline as timed: vectorise, then one pass."""
    return single_pass_labels(headline_vectors(articles), threshold)


def tune_single_pass(articles: Sequence[Any], gold: list[str]) -> dict[str, Any]:
    vectors = headline_vectors(articles)
    grid = [_grid_row(gold, single_pass_labels(vectors, t), t) for t in SINGLE_PASS_GRID]
    chosen = _best(grid)["threshold"]
    return {"best": {"threshold": chosen, **score(gold, single_pass_labels(vectors, chosen))},
            "grid": grid}


def _grid_row(gold: list[str], labels: np.ndarray, threshold: float) -> dict[str, Any]:
    """B-cubed only (the tuning criterion); ARI and AMI are computed for the chosen one."""
    precision, recall, f1 = bcubed(gold, labels)
    return {"threshold": threshold, "precision": round(precision, 3),
            "recall": round(recall, 3), "f1": round(f1, 4),
            "clusters": len(np.unique(labels))}


def _best(grid: list[dict[str, Any]]) -> dict[str, Any]:
    """Highest B-cubed F1 (to 4 places); of equals, the first in the grid."""
    return max(grid, key=lambda row: row["f1"])


# --- newsfuse ----------------------------------------------------------------------------
def newsfuse_cluster() -> Callable[[Sequence[Any]], Iterable[Any]] | None:
    import newsfuse

    return getattr(newsfuse, "cluster", None)


def newsfuse_labels(cluster: Callable[[Sequence[Any]], Iterable[Any]],
                    articles: Sequence[Any]) -> tuple[list[str], list[str]]:
    """Event and story labels in input order. Assignments come back in input order; an
    article whose id repeats an earlier one's (Timeline17 reuses ids across collections)
    is renamed ``id~2``..., so ids are checked up to that suffix."""
    assigned = list(cluster(articles))
    mismatched = [a.id for a, x in zip(articles, assigned, strict=False)
                  if str(x.id).split("~")[0] != str(a.id).split("~")[0]]
    if len(assigned) != len(articles) or mismatched:
        raise RuntimeError(f"newsfuse.cluster returned {len(assigned)} assignments for "
                           f"{len(articles)} articles; out of order: {mismatched[:3]}")
    return ([str(x.event) for x in assigned], [str(x.story) for x in assigned])


# --- pages of one crawl, stories over months ------------------------------------------------
def aeb_pages() -> dict[str, Any]:
    """The aeb dev pages, all given one timestamp, clustered: does any event mix pages that
    the hand labels (``benchmarks/data/aeb_stories.json``) call unrelated, and what share of
    events hold one page or pages of one story?"""
    import newsfuse

    labels = json.loads(AEB_LABELS.read_text())
    pages = [dataclasses.replace(a, date=AEB_WHEN)
             for a in newsfuse.read(sorted(AEB_PAGES.glob("*.html.gz")))]
    cluster = newsfuse_cluster()
    if cluster is None:
        return {"error": "newsfuse.cluster is not available"}
    events: dict[str, list[str]] = {}
    for page, assigned in zip(pages, cluster(pages), strict=True):
        events.setdefault(assigned.event, []).append(page.id[:8])
    story = {k: name for name, keys in labels["stories"].items() for k in keys}
    related = [set(keys) for keys in labels["related"].values()]
    one_story = [m for m in events.values()
                 if len(m) == 1 or len({story.get(k, k) for k in m}) == 1]
    mixed = [m for m in events.values() if len(m) > 1 and not _related(m, story, related)]
    return {"pages": len(pages), "events": len(events),
            "one_story_share": round(len(one_story) / len(events), 3),
            "mixed_unrelated": len(mixed), "largest_event": max(map(len, events.values())),
            "multi_page_events": sorted(sorted(m) for m in events.values() if len(m) > 1)}


def _related(members: list[str], story: dict[str, str], related: list[set[str]]) -> bool:
    """Every two pages of the event report one story or share a labelled topic."""
    return all(story.get(a, a) == story.get(b, b) or any({a, b} <= g for g in related)
               for a, b in itertools.combinations(members, 2))


LATE_ORDERS = 6  # shuffled one-by-one ingests in late_arrivals()


def late_arrivals(articles: Sequence[Any]) -> dict[str, Any]:
    """Articles ingested into a store one at a time in shuffled orders (each placed where
    it arrives, even after a later-dated one), against one batch of the same articles: the
    events each order ends with, how many articles ingest counted as late, and whether
    ``recluster`` then gives the batch's partition. The sample: every 40th UCI headline."""
    import tempfile

    import newsfuse
    from newsfuse.corpus.repair import recluster
    from newsfuse.corpus.store import Store

    sample = list(articles[::40])

    def partition(pairs: Iterable[tuple[str, Any]]) -> set[frozenset[str]]:
        groups: dict[Any, set[str]] = {}
        for article_id, event in pairs:
            groups.setdefault(event, set()).add(article_id)
        return {frozenset(g) for g in groups.values()}

    batch = partition((a.id, a.event) for a in newsfuse.cluster(sample))
    rows = []
    for seed in range(LATE_ORDERS):
        shuffled = list(sample)
        random.Random(seed).shuffle(shuffled)
        with tempfile.TemporaryDirectory() as folder:
            old, new = Path(folder) / "old.db", Path(folder) / "new.db"
            with Store(old) as store:
                late = sum(store.ingest([a]).late for a in shuffled)
                placed = partition(store.db.execute("SELECT id, event FROM articles"))
            recluster(old, new)
            with Store(new) as store:
                again = partition(store.db.execute("SELECT id, event FROM articles"))
        rows.append({"seed": seed, "late": late, "events": len(placed),
                     "same_as_batch": placed == batch, "recluster_same_as_batch": again == batch})
    return {"articles": len(sample), "batch_events": len(batch), "orders": rows}


def timeline17_stories() -> dict[str, Any]:
    """Timeline17 dev (each collection one story): newsfuse's stories and events against the
    collection labels, and TF-IDF + average-link agglomerative clustering of the article
    texts tuned on the same data."""
    import newsfuse

    articles = list(newsfuse.read(sorted(TIMELINE17.glob("*/articles.json"))))
    gold = [a.origin.path.split("/")[-2] for a in articles]
    rows: list[dict[str, Any]] = []
    cluster = newsfuse_cluster()
    if cluster is not None:
        events, stories = newsfuse_labels(cluster, articles)
        rows.append({"system": "newsfuse (stories)", **score(gold, stories), "threshold": None})
        rows.append({"system": "newsfuse (events)", **score(gold, events), "threshold": None})
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2) \
        .fit_transform([a.text for a in articles]).tocsr()
    tree = average_linkage(vectors)
    grid = [_grid_row(gold, agglomerative_labels(tree, t), t) for t in T17_GRID]
    chosen = _best(grid)["threshold"]
    rows.append({"system": "TF-IDF + agglomerative (tuned)", "threshold": chosen,
                 **score(gold, agglomerative_labels(tree, chosen))})
    return {"articles": len(articles), "collections": len(set(gold)), "rows": rows}


def halves(articles: Sequence[Any], gold_of: dict[str, str]) -> list[dict[str, Any]]:
    """newsfuse's event B-cubed F1 on each half of the gold stories (split by a digest of
    the story id), with and without dates: a setting chosen on the whole file should hold
    on both."""
    import hashlib

    import newsfuse

    rows = []
    for half in (0, 1):
        chosen = [a for a in articles
                  if int(hashlib.md5(gold_of[a.id].encode()).hexdigest(), 16) % 2 == half]
        gold = [gold_of[a.id] for a in chosen]
        undated = [dataclasses.replace(a, date=None) for a in chosen]
        rows.append({"half": half, "headlines": len(chosen), "stories": len(set(gold)),
                     "f1": score(gold, newsfuse_labels(newsfuse.cluster, chosen)[0])["f1"],
                     "f1_no_dates": score(gold, newsfuse_labels(newsfuse.cluster,
                                                                undated)[0])["f1"]})
    return rows


def content_ceiling(articles: Sequence[Any], gold: list[str]) -> dict[str, Any]:
    """How far content can go on these gold stories: MiniLM embeddings of each headline
    with its link's slug words, average-link clustering at the threshold best on this file
    (an oracle, and far outside the speed budget), and how many headlines are closer, on
    average, to another gold story's headlines than to their own's (no similarity-based
    clustering can place those right), by MiniLM and by TF-IDF."""
    from newsfuse.corpus.features import url_slug
    from newsfuse.encode import MiniLMEncoder, minilm_available

    if not minilm_available():
        return {"error": "MiniLM is not installed"}
    labels = np.asarray(gold)
    stories = np.unique(labels)
    own = np.searchsorted(stories, labels)
    start = time.process_time()
    minilm = np.asarray(MiniLMEncoder().encode(
        [f"{a.title or ''}. {url_slug(a.url)}" for a in articles]), dtype=np.float64)
    encode_cpu_s = time.process_time() - start
    out: dict[str, Any] = {"minilm_encode_cpu_s": round(encode_cpu_s, 1)}
    tfidf = headline_vectors(articles)
    for name, similarity in (("minilm", minilm @ minilm.T), ("tfidf", (tfidf @ tfidf.T).toarray())):
        np.fill_diagonal(similarity, np.nan)
        mean_to = np.stack([np.nanmean(similarity[:, labels == s], axis=1) for s in stories], 1)
        np.fill_diagonal(similarity, -np.inf)
        out[f"{name}_closer_to_another_story"] = round(float(
            (mean_to.argmax(1) != own).mean()), 3)
        out[f"{name}_nearest_in_another_story"] = round(float(
            (labels[similarity.argmax(1)] != labels).mean()), 3)
    from scipy import sparse

    tree = average_linkage(sparse.csr_matrix(minilm))
    best = _best([_grid_row(gold, agglomerative_labels(tree, t), t)
                  for t in AGGLOMERATIVE_GRID])
    out["minilm_average_link_oracle"] = {"threshold": best["threshold"], "f1": best["f1"]}
    return out


# --- runs --------------------------------------------------------------------------------
def quality(articles: Sequence[Any], gold_of: dict[str, str]) -> dict[str, Any]:
    gold = [gold_of[a.id] for a in articles]
    rows: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    cluster = newsfuse_cluster()
    if cluster is None:
        errors["newsfuse"] = "newsfuse.cluster is not available"
    else:
        try:
            events, stories = newsfuse_labels(cluster, articles)
            rows.append({"system": "newsfuse (events)", **score(gold, events),
                         "threshold": None})
            rows.append({"system": "newsfuse (stories)", **score(gold, stories),
                         "threshold": None})
            shuffled = list(articles)
            random.Random(SHUFFLE_SEED).shuffle(shuffled)
            rows.append({"system": "newsfuse (events, rows shuffled)",
                         **score([gold_of[a.id] for a in shuffled],
                                 newsfuse_labels(cluster, shuffled)[0]),
                         "threshold": None})
            undated = [dataclasses.replace(a, date=None) for a in articles]
            rows.append({"system": "newsfuse (events, no dates)",
                         **score(gold, newsfuse_labels(cluster, undated)[0]),
                         "threshold": None})
        except Exception as error:  # the benchmark still scores the baselines
            traceback.print_exc()
            errors["newsfuse"] = f"{type(error).__name__}: {error}"
    agglomerative = tune_agglomerative(articles, gold)
    rows.append({"system": "TF-IDF + agglomerative (tuned)", **agglomerative["best"]})
    passing = tune_single_pass(articles, gold)
    rows.append({"system": "single-pass TF-IDF (tuned)", **passing["best"]})
    return {"rows": rows, "errors": errors,
            "tuning": {"agglomerative_cosine_distance": agglomerative["grid"],
                       "single_pass_cosine_similarity": passing["grid"]},
            "agglomerative_same_as_sklearn": agglomerative["same_as_sklearn_at_best"]}


def _speed_row(input_name: str, system: str, items: int,
               func: Callable[[], Any]) -> dict[str, Any]:
    wall, cpu, _ = median_seconds(func)
    return {"input": input_name, "system": system, "items": items, "runs": 3,
            "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
            "items_per_s": round(items / wall, 1) if wall else None,
            "items_per_cpu_s": round(items / cpu, 1) if cpu else None}


def speed(articles: Sequence[Any], single_pass_threshold: float) -> dict[str, Any]:
    import newsfuse

    rows: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    replayed = replay(articles)
    headlines = f"UCI headlines x{REPLAYS}"
    cluster = newsfuse_cluster()
    if cluster is not None:
        try:
            rows.append(_speed_row(headlines, "newsfuse", len(replayed),
                                   lambda: cluster(replayed)))
        except Exception as error:
            traceback.print_exc()
            errors["newsfuse headlines"] = f"{type(error).__name__}: {error}"
    rows.append(_speed_row(headlines, f"single-pass TF-IDF (t={single_pass_threshold})",
                           len(replayed), lambda: single_pass(replayed, single_pass_threshold)))
    full = list(newsfuse.read(sorted(TIMELINE17.glob("*/articles.json"))))
    if cluster is not None:
        try:
            rows.append(_speed_row("Timeline17 articles", "newsfuse", len(full),
                                   lambda: cluster(full)))
        except Exception as error:
            traceback.print_exc()
            errors["newsfuse full articles"] = f"{type(error).__name__}: {error}"
    ours = next((r for r in rows if r["input"] == headlines and r["system"] == "newsfuse"),
                None)
    peer = next(r for r in rows if r["input"] == headlines and r["system"] != "newsfuse")
    ratio = (round(peer["wall_s"] / ours["wall_s"], 2)
             if ours is not None and ours["wall_s"] else None)
    return {"rows": rows, "errors": errors,
            "single_pass_seconds_over_newsfuse_headlines": ratio}


def main() -> dict[str, Any]:
    print("  reading the UCI headlines ...", file=sys.stderr, flush=True)
    articles, gold_of = load_headlines()
    print("  quality ...", file=sys.stderr, flush=True)
    scores = quality(articles, gold_of)
    threshold = next(r["threshold"] for r in scores["rows"]
                     if r["system"].startswith("single-pass"))
    print("  aeb pages, Timeline17 stories ...", file=sys.stderr, flush=True)
    pages = aeb_pages()
    stories = timeline17_stories()
    print("  late arrivals, halves, content ceiling ...", file=sys.stderr, flush=True)
    late = late_arrivals(articles)
    split = halves(articles, gold_of)
    ceiling = content_ceiling(articles, [gold_of[a.id] for a in articles])
    print("  speed ...", file=sys.stderr, flush=True)
    timing = speed(articles, threshold)
    payload = {"data": data_notes(articles, gold_of),
               "quality": scores["rows"],
               "tuning": scores["tuning"],
               "agglomerative_same_as_sklearn": scores["agglomerative_same_as_sklearn"],
               "aeb_pages": pages, "timeline17_stories": stories, "late_arrivals": late,
               "uci_halves": split, "uci_content_ceiling": ceiling,
               "speed": timing["rows"],
               "single_pass_seconds_over_newsfuse_headlines":
                   timing["single_pass_seconds_over_newsfuse_headlines"],
               "errors": {**scores["errors"], **timing["errors"]},
               "targets": TARGETS,
               "peak_rss_mb": round(peak_rss_mb(), 1)}
    write_result(NAME, payload)
    print_table()
    return payload


def print_table() -> None:
    result = read_result(NAME)
    data = result["data"]
    print(f"\nEvent clustering quality ({data['headlines']} UCI headlines, "
          f"{data['gold_stories']} gold stories; B-cubed P/R/F1; baselines tuned on this file)")
    print(f"{'system':32} {'P':>6} {'R':>6} {'F1':>6} {'ARI':>6} {'AMI':>6} "
          f"{'clusters':>8} {'threshold':>9}")
    for r in result["quality"]:
        threshold = "" if r["threshold"] is None else f"{r['threshold']:.2f}"
        print(f"{r['system']:32} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f} "
              f"{r['ari']:>6.3f} {r['ami']:>6.3f} {r['clusters']:>8} {threshold:>9}")
    for system, error in result["errors"].items():
        print(f"{system}: not measured ({error})")
    pages = result.get("aeb_pages") or {}
    if "events" in pages:
        print(f"\naeb dev pages, one shared timestamp: {pages['pages']} pages in "
              f"{pages['events']} events; events of one page or one story "
              f"{pages['one_story_share']:.3f}; events mixing unrelated pages "
              f"{pages['mixed_unrelated']}; largest event {pages['largest_event']} pages")
    for half in result.get("uci_halves") or ():
        print(f"newsfuse on half {half['half']} of the gold stories ({half['stories']} stories): "
              f"F1 {half['f1']:.3f}, without dates {half['f1_no_dates']:.3f}")
    ceiling = result.get("uci_content_ceiling") or {}
    if "minilm_average_link_oracle" in ceiling:
        print(f"Content ceiling: MiniLM (headline + slug) average-link at its best threshold on "
              f"this file {ceiling['minilm_average_link_oracle']['f1']:.3f}; headlines closer "
              f"on average to another gold story: {ceiling['minilm_closer_to_another_story']:.3f}"
              f" (MiniLM), {ceiling['tfidf_closer_to_another_story']:.3f} (TF-IDF); nearest "
              f"headline in another story: {ceiling['minilm_nearest_in_another_story']:.3f}")
    late = result.get("late_arrivals")
    if late:
        orders = late["orders"]
        print(f"\nLate arrivals: {late['articles']} UCI headlines ingested one by one in "
              f"{len(orders)} shuffled orders: {min(o['events'] for o in orders)}-"
              f"{max(o['events'] for o in orders)} events (one batch: {late['batch_events']}), "
              f"{min(o['late'] for o in orders)}-{max(o['late'] for o in orders)} counted late; "
              f"recluster gives the batch's events in "
              f"{sum(o['recluster_same_as_batch'] for o in orders)} of {len(orders)}")
    t17 = result.get("timeline17_stories")
    if t17:
        print(f"\nTimeline17 dev ({t17['articles']} articles, {t17['collections']} collections"
              f" = gold stories; B-cubed)")
        for r in t17["rows"]:
            threshold = "" if r["threshold"] is None else f"{r['threshold']:.2f}"
            print(f"{r['system']:32} {r['precision']:>6.3f} {r['recall']:>6.3f} "
                  f"{r['f1']:>6.3f} {r['ari']:>6.3f} {r['ami']:>6.3f} {r['clusters']:>8} "
                  f"{threshold:>9}")
    targets = result["targets"]
    print(f"\nEvent clustering speed (median of 3 runs, reading excluded; peak RSS "
          f"{result['peak_rss_mb']} MB; targets {targets['headlines_per_s']} headlines/s, "
          f"{targets['full_articles_per_s']} full articles/s)")
    print(f"{'input':22} {'system':32} {'items':>6} {'wall s':>7} {'items/s':>8} "
          f"{'items/cpu-s':>11}")
    for r in result["speed"]:
        print(f"{r['input']:22} {r['system']:32} {r['items']:>6} {r['wall_s']:>7.3f} "
              f"{_whole(r['items_per_s']):>8} {_whole(r['items_per_cpu_s']):>11}")
    ratio = result["single_pass_seconds_over_newsfuse_headlines"]
    if ratio is not None:
        print(f"single-pass time / newsfuse time on the headlines: {ratio}")



def _whole(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


if __name__ == "__main__":
    main()
