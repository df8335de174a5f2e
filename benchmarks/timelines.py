"""Timeline summarisation on Timeline17 dev, scored with the news-tls protocol.

Protocol of Gholipour Ghalandari & Ifrim (ACL 2020), github.com/complementizer/news-tls,
``experiments/evaluate.py`` and ``news_tls/data.py``: for every reference timeline, the input
is the collection's articles published between the timeline's first and last date (inclusive,
day granularity: ``get_input_time_span`` with no extension for T17); a system must return
L = number of reference dates and at most K = round(mean sentences per reference date)
sentences per date (``get_average_summary_length``, Python's round). Each prediction is scored
against that one reference with tilse's ``TimelineRougeEvaluator(measures=["rouge_1",
"rouge_2"])`` using ``evaluate_align_date_content_costs_many_to_one`` (alignment-based
ROUGE-1/2, "align+ m:1") and with news-tls's own ``evaluate_dates`` (Date-F1: set overlap of
predicted and reference dates). Averages follow ``get_average_results``: precision and recall
are averaged over timelines and F is the harmonic mean of those averages (the plain mean of
per-timeline F is recorded too).

Deviations, both forced: ROUGE counts come from tilse's Python reimplementation
(``rouge_computation="reimpl"``: Porter stemming, ROUGE stopwords and punctuation dropped), not
the Perl ROUGE-1.5.5 that news-tls gets by tilse's default, because the Perl script needs
XML::DOM; and reference dates listed twice in a timeline file keep all their sentences (news-tls
keeps the last). Tilse splits sentences on whitespace, so reference and predicted sentences go
through one tokeniser: PTB detokenisation, then NLTK's Treebank-style word tokeniser. News-tls
likewise scores pre-tokenised text (spaCy tokens for predictions, the PTB-tokenised T17
references).

Systems: ``newsfuse.timeline`` with its settings as shipped; newsfuse by leave-one-collection-
out (for each collection, the ``GRID`` point with the best AR1-F on the other eight, scored on
it; each input is prepared once, with ``newsfuse.timelines.prepare``, for the whole grid) and
by leave-one-topic-out (tuned on the collections of the other topics: transfer to a new
topic, as the held-out collections are); and a
publication-count baseline: the L days on which most articles appeared (earlier day first on
ties), each summarised by the K distinct sentences among the first five of that day's articles
closest (TF-IDF cosine) to their centroid. Seconds are the wall and CPU time of the systems'
calls summed over timelines (reading is shared and timed apart). Run:
``python -m benchmarks.timelines``.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from nltk.tokenize import NLTKWordTokenizer
from sklearn.feature_extraction.text import TfidfVectorizer
from tilse.data.timelines import GroundTruth
from tilse.data.timelines import Timeline as TilseTimeline
from tilse.evaluation.rouge import TimelineRougeEvaluator

import newsfuse
from benchmarks.common import RESULTS, TIMELINE17, write_result
from benchmarks.timeline_grid import (
    GRID,
    best_point,
    entries_to_prediction,
    fast_evaluator,
    grid_results,
    leave_one_out,
)
from newsfuse import timelines
from newsfuse.model import Article
from newsfuse.text.repair import detokenize, normalize_line
from newsfuse.timelines import TimelineSettings

NAME = "timelines"
METRIC = "align_date_content_costs_many_to_one"
CLIP_SENTENCES = 5  # candidates per article for the baseline, as news-tls's clip_sents=5
PUBLISHED = {  # full Timeline17 as reported by news-tls (ACL 2020): AR1-F, AR2-F, Date-F1
    "DATEWISE": (0.120, 0.035, 0.544),
    "MARTSCHAT2018": (0.105, 0.030, 0.544),
    "CLUST": (0.082, 0.020, 0.407),
}
TARGETS = {"ar1_f": 0.12, "ar2_f": 0.035, "date_f1": 0.50}  # leave-one-collection-out
SHIPPED = "newsfuse (settings as shipped)"
LOO = "newsfuse (leave-one-collection-out)"
LOTO = "newsfuse (leave-one-topic-out)"

Prediction = dict[date, list[str]]
System = Callable[[Sequence[Article], int, int], Prediction]
_WORDS = NLTKWordTokenizer()
_TIMELINE: Callable[..., Any] | None = getattr(newsfuse, "timeline", None)


@dataclass(frozen=True)
class Reference:
    collection: str
    file: str
    dates: dict[date, list[str]]

    @property
    def l(self) -> int:  # noqa: E743 - the protocol's name
        return len(self.dates)

    @property
    def k(self) -> int:
        return round(sum(len(s) for s in self.dates.values()) / len(self.dates))


def references(folder: Path) -> list[Reference]:
    """The folder's reference timelines; a date's sentences are separated by two spaces."""
    out = []
    for path in sorted(folder.glob("*.timeline.json")):
        dates: dict[date, list[str]] = defaultdict(list)
        for entry in json.loads(path.read_text()):
            day = date.fromisoformat(str(entry["date"])[:10])
            dates[day].extend(s.strip() for s in entry["text"].split("  ") if s.strip())
        out.append(Reference(folder.name, path.name, {d: s for d, s in dates.items() if s}))
    return out


def tokenized(sentence: str) -> str:
    """One sentence as space-separated tokens, the same way for references and predictions."""
    return " ".join(_WORDS.tokenize(detokenize(normalize_line(sentence))))


def tilse_timeline(timeline: Prediction) -> TilseTimeline:
    return TilseTimeline({d: [tokenized(s) for s in sents] for d, sents in timeline.items()})


def date_scores(predicted: set[date], reference: set[date]) -> dict[str, float]:
    """news-tls ``evaluate_dates``."""
    shared = len(predicted & reference)
    precision = shared / len(predicted) if predicted else 0.0
    recall = shared / len(reference) if reference else 0.0
    return {"precision": precision, "recall": recall, "f_score": f1(precision, recall)}


def f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def score(evaluator: TimelineRougeEvaluator, predicted: Prediction,
          reference: Reference) -> dict[str, dict[str, float]]:
    """AR-1, AR-2 (tilse align+ m:1) and date precision/recall/F of one predicted timeline."""
    prediction = tilse_timeline({d: s for d, s in predicted.items() if s})
    truth = GroundTruth([tilse_timeline(reference.dates)])
    if prediction.get_dates():
        rouge = evaluator.evaluate_align_date_content_costs_many_to_one(prediction, truth)
    else:
        zero = {"precision": 0.0, "recall": 0.0, "f_score": 0.0}
        rouge = {"rouge_1": zero, "rouge_2": zero}
    return {"ar1": {k: float(v) for k, v in rouge["rouge_1"].items()},
            "ar2": {k: float(v) for k, v in rouge["rouge_2"].items()},
            "date": date_scores(prediction.get_dates(), truth.get_dates())}


def average(results: Sequence[dict[str, dict[str, float]]]) -> dict[str, float]:
    """news-tls ``get_average_results``: F of the mean precision and mean recall."""
    out: dict[str, float] = {}
    for metric, key in (("ar1", "ar1_f"), ("ar2", "ar2_f"), ("date", "date_f1")):
        precision = float(np.mean([r[metric]["precision"] for r in results]))
        recall = float(np.mean([r[metric]["recall"] for r in results]))
        out[key] = round(f1(precision, recall), 4)
        out[f"{key}_mean_of_f"] = round(float(np.mean([r[metric]["f_score"] for r in results])), 4)
    return out


def in_span(articles: Sequence[Article], reference: Reference) -> list[Article]:
    """Articles published from the reference's first to its last date, both included."""
    start, end = min(reference.dates), max(reference.dates)
    return [a for a in articles if a.date is not None and start <= a.date.date() <= end]


def newsfuse_system(articles: Sequence[Article], l: int, k: int) -> Prediction:  # noqa: E741
    assert _TIMELINE is not None
    return entries_to_prediction(_TIMELINE(articles, dates=l, sentences=k))


def publication_count(articles: Sequence[Article], l: int, k: int,  # noqa: E741
                      stops: str | list[str] | None = "english") -> Prediction:
    """The L busiest publication days, each as the K candidates nearest the day's centroid
    (TF-IDF without ``stops``, scikit-learn's ``stop_words``)."""
    by_day: dict[date, list[Article]] = defaultdict(list)
    for article in articles:
        if article.date is not None:
            by_day[article.date.date()].append(article)
    days = sorted(by_day, key=lambda d: (-len(by_day[d]), d))[:l]
    timeline: Prediction = {}
    seen: set[str] = set()
    for day in days:
        candidates = [s.text for a in by_day[day] for s in a.sentences[:CLIP_SENTENCES]
                      if s.text.strip()]
        chosen = []
        for sentence in centroid_ranked(candidates, stops):
            key = " ".join(sentence.lower().split())
            if key not in seen:
                seen.add(key)
                chosen.append(sentence)
            if len(chosen) == k:
                break
        if chosen:
            timeline[day] = chosen
    return timeline


def centroid_ranked(sentences: list[str],
                    stops: str | list[str] | None = "english") -> list[str]:
    """Sentences by TF-IDF cosine to their mean vector, best first (ties: earlier first)."""
    if not sentences:
        return []
    try:
        matrix = TfidfVectorizer(stop_words=stops, lowercase=True).fit_transform(sentences)
    except ValueError:  # nothing but stop words
        return sentences
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    similarity = matrix @ (centroid / norm) if norm else np.zeros(len(sentences))
    order = sorted(range(len(sentences)), key=lambda i: (-float(similarity[i]), i))
    return [sentences[i] for i in order]


def newsfuse_missing() -> str | None:
    """Why newsfuse's timeline cannot run here, or None when it can."""
    if not callable(_TIMELINE):
        return "newsfuse.timeline does not exist"
    try:
        _TIMELINE([], dates=1, sentences=1)
    except ImportError as error:
        return f"newsfuse.timeline cannot run: {error}"
    except newsfuse.NewsfuseError:
        pass  # refusing an empty input is fine
    return None


def self_test(evaluator: TimelineRougeEvaluator, refs: Sequence[Reference]) -> dict[str, float]:
    """The reference scored as its own prediction must give 1.0 everywhere."""
    results = [score(evaluator, ref.dates, ref) for ref in refs]
    means = average(results)
    assert means["ar1_f"] > 0.999 and means["date_f1"] == 1.0, means
    return {k: means[k] for k in ("ar1_f", "ar2_f", "date_f1")}


def run_systems(evaluator: TimelineRougeEvaluator, refs: Sequence[Reference],
                inputs: Sequence[list[Article]], systems: dict[str, System]
                ) -> tuple[dict[str, list[Any]], dict[str, dict[str, float]], list[str]]:
    results: dict[str, list[Any]] = {name: [] for name in systems}
    seconds = {name: {"wall": 0.0, "cpu": 0.0} for name in systems}
    violations: list[str] = []
    for ref, articles in zip(refs, inputs, strict=True):
        for name, system in systems.items():
            wall, cpu = time.perf_counter(), time.process_time()
            predicted = system(articles, ref.l, ref.k)
            seconds[name]["wall"] += time.perf_counter() - wall
            seconds[name]["cpu"] += time.process_time() - cpu
            longest = max((len(s) for s in predicted.values()), default=0)
            if len(predicted) > ref.l or longest > ref.k:
                violations.append(f"{name} on {ref.collection}/{ref.file}: {len(predicted)} "
                                  f"dates (L={ref.l}), up to {longest} sentences (K={ref.k})")
            results[name].append(score(evaluator, predicted, ref))
    return results, seconds, violations


def topic(reference: Reference) -> str:
    """The news topic of a Timeline17 collection ("bpoil_bbc" -> "bpoil")."""
    return reference.collection.split("_")[0]


def ar1_f(results: Sequence[dict[str, dict[str, float]]]) -> float:
    """The tuning objective: AR1-F averaged the news-tls way."""
    return average(results)["ar1_f"]


def brief(result: dict[str, dict[str, float]]) -> dict[str, float]:
    return {"ar1_f": round(result["ar1"]["f_score"], 4),
            "ar2_f": round(result["ar2"]["f_score"], 4),
            "date_f1": round(result["date"]["f_score"], 4)}


def main() -> dict[str, Any]:
    evaluator = fast_evaluator()
    folders = sorted(p for p in TIMELINE17.iterdir() if p.is_dir())
    start = time.perf_counter()
    collections = {f.name: list(newsfuse.read([f / "articles.json"])) for f in folders}
    read_seconds = time.perf_counter() - start
    refs = [ref for f in folders for ref in references(f)]
    inputs = [in_span(collections[ref.collection], ref) for ref in refs]
    identity = self_test(evaluator, refs)

    systems: dict[str, System] = {"publication count": publication_count}
    unavailable = []
    missing = newsfuse_missing()
    if missing is None:
        systems = {SHIPPED: newsfuse_system, **systems}
    else:
        unavailable.append(f"newsfuse ({missing})")
    results, seconds, violations = run_systems(evaluator, refs, inputs, systems)
    loo: dict[str, Any] = {}
    if missing is None:
        start = time.perf_counter()
        points, grid = grid_results(
            [timelines.prepare(articles) for articles in inputs],
            [(ref.l, ref.k) for ref in refs],
            lambda predicted, i: score(evaluator, predicted, refs[i]))
        held_out, picks = leave_one_out(grid, ar1_f)
        # A harder check of transfer to new topics: tune on the other topics' collections.
        other_topics, topic_picks = leave_one_out(grid, ar1_f, [topic(r) for r in refs])
        results = {LOO: held_out, LOTO: other_topics, **results}
        on_all = best_point(grid, ar1_f)
        loo = {"grid": {k: list(v) for k, v in GRID.items()}, "points": len(points),
               "seconds": round(time.perf_counter() - start, 1),
               "picked_on_all": asdict(points[on_all]),
               "picked_on_all_means": average(grid[on_all]),
               "shipped": asdict(TimelineSettings()),
               "picks": [asdict(points[g]) for g in picks],
               "topic_picks": [asdict(points[g]) for g in topic_picks],
               "grid_means": [{**{k: getattr(p, k) for k in GRID}, **average(per)}
                              for p, per in zip(points, grid, strict=True)]}

    rows = []
    for i, (ref, articles) in enumerate(zip(refs, inputs, strict=True)):
        rows.append({"collection": ref.collection, "timeline": ref.file, "L": ref.l, "K": ref.k,
                     "articles": len(articles),
                     "scores": {name: brief(per[i]) for name, per in results.items()}})
    payload = {
        "data": "timeline17-dev",
        "protocol": {
            "source": "github.com/complementizer/news-tls experiments/evaluate.py, "
                      "news_tls/data.py",
            "metric": f"tilse {METRIC}, rouge_1 + rouge_2, rouge_computation=reimpl",
            "dates": "news-tls evaluate_dates (set F1)",
            "averaging": "F of mean precision and mean recall over timelines (news-tls "
                         "get_average_results); *_mean_of_f is the mean of per-timeline F",
            "input": "articles published within the reference's first..last date",
            "L": "reference dates", "K": "round(mean reference sentences per date)",
            "tokenisation": "PTB detokenise, then nltk NLTKWordTokenizer, for both sides",
            "leave_one_out": "for each collection, the grid point with the best AR1-F (news-tls "
                             "averaging) on the other eight, scored on it; leave-one-topic-"
                             "out holds out every collection of a topic (bpoil, H1N1, MJ)",
        },
        "timelines": len(refs),
        "collections": [f.name for f in folders],
        "self_test_reference_as_prediction": identity,
        "means": {name: average(per) for name, per in results.items()},
        "seconds": {name: {k: round(v, 2) for k, v in s.items()} for name, s in seconds.items()},
        "read_seconds": round(read_seconds, 2),
        "leave_one_out": loo,
        "unavailable": unavailable,
        "protocol_violations": violations,
        "rows": rows,
        "published_full_timeline17": {
            name: {"ar1_f": a, "ar2_f": b, "date_f1": c} for name, (a, b, c) in PUBLISHED.items()
        },
        "targets": TARGETS,
    }
    write_result(NAME, payload)
    return payload


def print_table(path: Path = RESULTS / f"{NAME}.json") -> None:
    """Means per system, the leave-one-out picks, then the published figures, as plain text."""
    result = json.loads(path.read_text())
    print(f"Timeline17 dev, {result['timelines']} timelines; news-tls protocol "
          f"(tilse align+ m:1, reimpl ROUGE)")
    header = f"{'system':<37}{'AR1-F':>7}{'AR2-F':>7}{'Date-F1':>9}{'seconds':>9}"
    print(header)
    print("-" * len(header))
    for name, means in result["means"].items():
        wall = result["seconds"].get(name, {}).get("wall")
        seconds = f"{wall:>9.1f}" if wall is not None else f"{'':>9}"
        print(f"{name:<37}{means['ar1_f']:>7.3f}{means['ar2_f']:>7.3f}"
              f"{means['date_f1']:>9.3f}{seconds}")
    for name in result.get("unavailable", []):
        print(f"{name}: not run")
    loo = result.get("leave_one_out")
    if loo:
        print(f"held out over {loo['points']} grid points ({loo['seconds']} s): AR1-F, "
              "Date-F1 and pick, by collection | by topic")
        for row, pick, other in zip(result["rows"], loo["picks"], loo["topic_picks"],
                                    strict=True):
            got, far = row["scores"][LOO], row["scores"][LOTO]
            print(f"  {row['collection']:<22}{got['ar1_f']:>7.3f}{got['date_f1']:>7.3f} "
                  + ",".join(str(pick[k]) for k in loo["grid"])
                  + f" |{far['ar1_f']:>7.3f}{far['date_f1']:>7.3f} "
                  + ",".join(str(other[k]) for k in loo["grid"]))
        print("  (picks: " + ", ".join(loo["grid"]) + ")")
        same = all(loo["picked_on_all"][k] == loo["shipped"][k] for k in loo["grid"])
        print("  picked on all nine: " + " ".join(
            f"{k}={loo['picked_on_all'][k]}" for k in loo["grid"])
            + ("  (= shipped)" if same else "  (shipped differs)"))
    print("published, full Timeline17:")
    for name, fig in result["published_full_timeline17"].items():
        print(f"  {name:<35}{fig['ar1_f']:>7.3f}{fig['ar2_f']:>7.3f}{fig['date_f1']:>9.3f}")
    targets = result["targets"]
    print(f"  {'target, by LOO (>=)':<35}{targets['ar1_f']:>7.3f}{targets['ar2_f']:>7.3f}"
          f"{targets['date_f1']:>9.3f}")
    for violation in result.get("protocol_violations", []):
        print(f"protocol violation: {violation}")


if __name__ == "__main__":
    main()
    print_table()
