"""Mixed input: does ``newsfuse brief`` find the events of its input, without splitting one?

Three kinds of input, from real dev data:

- each Multi-News dev cluster alone (one event each: none should be split). An article is
  set apart when it is not in the main event found (the one ``brief`` covers: for the
  split, its event 1; for the clustering peer, its largest event). A set-apart article is
  counted as a real split only when it is about the cluster's event, judged by
  the reference summary: it holds at least ``ABOUT_REFERENCE`` of the reference's distinct
  content stems (many Multi-News "articles" are archive notices or sign-up pages, which are
  rightly set apart);
- the five seeds alone (one event);
- ``MIXES`` mixes of three Multi-News clusters, the seeds and one Timeline17 day of three
  or more articles (five events): kept apart when every source's articles mostly land in an
  event of their own, exact when the events found are exactly the sources; "reports
  apart" takes each source's majority over its reports only (the Multi-News articles about
  their cluster's event, as above: crawl notices and sign-up pages are too short to be set
  apart and join the event they are closest to).

Systems: the brief's split with MiniLM rows (what ``auto`` uses up to 2,000 sentences) and
with TF-IDF rows; the peer is the project's event clustering alone (``newsfuse.cluster``).
Run: ``python -m benchmarks.mixed``.
"""

from __future__ import annotations

import collections
import json
import random
import sys
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.common import SHARED, read_result, timeline17_files, write_result

MIXES = 60
ABOUT_REFERENCE = 0.15
MULTINEWS = SHARED / "data" / "multinews-dev"
# A labeller numbers the events it finds from 0, the main one (what a brief covers) first.
Labeller = Callable[[list[Any]], list[int]]
MAIN = 0


def _data() -> tuple[dict[str, list[Any]], list[Any], list[list[Any]], dict[str, str]]:
    import newsfuse

    clusters = {}
    for path in sorted(MULTINEWS.glob("c*.json")):
        articles = [a for a in newsfuse.read([path]) if a.sentences]
        if len(articles) >= 2:
            clusters[path.stem] = articles
    seeds = list(newsfuse.read([SHARED / "seeds"]))
    days = []
    for path in timeline17_files():
        by_day = collections.defaultdict(list)
        for article in newsfuse.read([path]):
            if article.sentences and article.date is not None:
                by_day[article.date.date()].append(article)
        days += [group for _, group in sorted(by_day.items()) if len(group) >= 3]
    references = json.loads((MULTINEWS / "references.json").read_text())
    return clusters, seeds, days, references


def split_labeller(encoder: Any) -> Labeller:
    from newsfuse.split import split_input

    def label(articles: list[Any]) -> list[int]:
        found = split_input(articles, encoder)
        event = {id(a): e.number - 1 for e in found for a in e.articles}
        return [event[id(a)] for a in articles]
    return label


def cluster_labeller(articles: list[Any]) -> list[int]:
    import newsfuse

    events = [a.event for a in newsfuse.cluster(articles)]
    counts = collections.Counter(events)
    rank = {e: r for r, e in enumerate(sorted(counts, key=lambda e: (-counts[e],
                                                                      events.index(e))))}
    return [rank[e] for e in events]


def _about(article: Any, reference: str) -> bool:
    from newsfuse.encode import content_terms

    wanted = set(content_terms(reference))
    have = set(content_terms(" ".join(s.text for s in article.sentences)))
    return bool(wanted) and len(wanted & have) / len(wanted) >= ABOUT_REFERENCE


def score_alone(label: Labeller, clusters: dict[str, list[Any]],
                references: dict[str, str]) -> dict[str, Any]:
    split = real = apart = apart_real = 0
    total = 0
    examples = []
    for name, articles in clusters.items():
        labels = label(articles)
        out = [a for a, lab in zip(articles, labels, strict=True) if lab != MAIN]
        total += len(articles)
        if not out:
            continue
        split += 1
        apart += len(out)
        about = [a for a in out if _about(a, references.get(name, ""))]
        apart_real += len(about)
        if about:
            real += 1
            examples.append(f"{name}: {about[0].sentences[0].text[:70]}")
    n = len(clusters)
    return {"clusters": n, "split_rate": round(split / n, 3),
            "real_split_rate": round(real / n, 3),
            "articles_set_apart": round(apart / total, 3),
            "articles_about_event_set_apart": round(apart_real / total, 3),
            "real_split_examples": examples[:8]}


def score_mixes(label: Labeller, mixes: Sequence[list[list[Any]]],
                counted: Callable[[Any], bool] = lambda a: True) -> dict[str, Any]:
    """Mixes kept apart (every source's majority event its own) and exactly recovered.
    ``kept_apart_reports`` takes each source's majority over the articles ``counted``
    only (the Multi-News articles about their cluster's event): a crawl notice or a one-line
    sign-up page has too little text to be set apart and joins whichever event it is
    closest to, which is no fusion of two events."""
    apart = exact = apart_reports = 0
    for sources in mixes:
        articles = [a for group in sources for a in group]
        labels = label(articles)
        source_of = [i for i, group in enumerate(sources) for _ in group]
        majority, reports = [], []
        for i in range(len(sources)):
            mine = [(lab, counted(a)) for lab, s, a in zip(labels, source_of, articles,
                                                          strict=True) if s == i]
            majority.append(collections.Counter(lab for lab, _ in mine).most_common(1)[0][0])
            kept = [lab for lab, c in mine if c] or [lab for lab, _ in mine]
            reports.append(collections.Counter(kept).most_common(1)[0][0])
        apart_reports += len(set(reports)) == len(sources)
        if len(set(majority)) == len(sources):
            apart += 1
            exact += len(set(labels)) == len(sources) and all(
                lab == majority[s] for lab, s in zip(labels, source_of, strict=True))
    return {"mixes": len(mixes), "kept_apart": round(apart / len(mixes), 3),
            "kept_apart_reports": round(apart_reports / len(mixes), 3),
            "exact": round(exact / len(mixes), 3)}


def main() -> dict[str, Any]:
    from newsfuse.encode import CachedEncoder, MiniLMEncoder, TfidfEncoder, minilm_available

    clusters, seeds, days, references = _data()
    rng = random.Random(7)
    names = sorted(clusters)
    mixes = [[*(clusters[n] for n in rng.sample(names, 3)), seeds, rng.choice(days)]
             for _ in range(MIXES)]
    off_topic = {id(a) for name, articles in clusters.items() for a in articles
                 if not _about(a, references.get(name, ""))}
    systems: dict[str, Labeller] = {}
    if minilm_available():
        systems["split, MiniLM (auto)"] = split_labeller(CachedEncoder(MiniLMEncoder()))
    systems["split, TF-IDF"] = split_labeller(TfidfEncoder())
    systems["newsfuse.cluster events (peer)"] = cluster_labeller
    rows = []
    for name, label in systems.items():
        print(f"  {name} ...", file=sys.stderr, flush=True)
        rows.append({"system": name, "multinews_alone": score_alone(label, clusters, references),
                     "seeds_events": len(set(label(seeds))),
                     "mixed": score_mixes(label, mixes, lambda a: id(a) not in off_topic)})
    payload = {"rows": rows, "about_reference": ABOUT_REFERENCE,
               "targets": {"real_split_rate": "near 0", "seeds_events": 1, "kept_apart": 1.0}}
    write_result("mixed", payload)
    return payload


def print_table(payload: dict[str, Any] | None = None) -> None:
    if payload is None:

        payload = read_result("mixed")
    first = payload["rows"][0]
    print(f"Mixed input: {first['multinews_alone']['clusters']} Multi-News clusters alone, "
          f"the seeds alone, {first['mixed']['mixes']} mixes of 5 events")
    print(f"{'system':32} {'MN split':>8} {'real':>6} {'art. apart':>10} {'seeds':>5} "
          f"{'apart':>6} {'reports apart':>13} {'exact':>6}")
    for r in payload["rows"]:
        alone, mixed = r["multinews_alone"], r["mixed"]
        print(f"{r['system']:32} {alone['split_rate']:>8} {alone['real_split_rate']:>6} "
              f"{alone['articles_set_apart']:>10} {r['seeds_events']:>5} "
              f"{mixed['kept_apart']:>6} {mixed.get('kept_apart_reports', ''):>13} "
              f"{mixed['exact']:>6}")


if __name__ == "__main__":
    result = main()
    print_table(result)
