"""Timeline summaries of a long-running topic: the most important days, and what happened.

For weeks or months of articles on one topic, choose the ``dates`` days that matter most
and give each up to ``sentences`` sentences saying what happened that day.

* **Which days.** A day matters when reports keep referring to it. Every sentence's day
  references ("on Tuesday", "April 20", "yesterday") are resolved against its article's
  publication day (:func:`newsfuse.story.temporal.find_times`). A day scores the number of
  articles that mention it, with mentions written on a later day counting
  ``settings.TLS_LATER_MENTION`` times (an event still cited days after is an event), plus
  ``settings.TLS_PUBLICATION_WEIGHT`` per article published that day (volume). Days are
  taken greedily, each choice discounting its neighbours, so that one big day does not
  fill the timeline with the days around it.
* **What happened.** A day's candidates are the sentences that name it, and the leads of
  the articles published on it or the day after, when those sentences name no other day.
  Candidates are ranked by TF-IDF similarity to the day's candidate centroid (what most
  reports of that day say) and to the topic's centroid (on topic). Sentences already
  close to a chosen one (``settings.TLS_REDUNDANT``), on any day, are skipped: nothing is
  said twice.

Every entry cites the articles that carry that sentence or a near-identical one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from newsfuse import settings
from newsfuse.encode import lexical_vectors
from newsfuse.model import Article, TimelineEntry
from newsfuse.story.temporal import find_times
from newsfuse.summarize import standalone


@dataclass(frozen=True, slots=True)
class _Candidate:
    article: int
    index: int       # sentence index in the article
    text: str
    expression: str


def _day_mentions(articles: list[Article]) -> list[list[list[tuple[date, str]]]]:
    """For each article and sentence, the days it names (within the topic's span)."""
    published = [a.date.date() for a in articles if a.date is not None]
    if not published:
        return [[[] for _ in a.sentences] for a in articles]
    low = min(published) - timedelta(days=settings.TLS_SPAN_MARGIN_DAYS)
    high = max(published) + timedelta(days=settings.TLS_SPAN_MARGIN_DAYS)
    out = []
    for article in articles:
        reference = article.date.date() if article.date is not None else None
        per_sentence = []
        for sentence in article.sentences:
            days = []
            for mention in find_times(sentence.text, reference):
                day = mention.day
                if day is not None and low <= day <= high:
                    days.append((day, mention.text))
            per_sentence.append(days)
        out.append(per_sentence)
    return out


def rank_dates(articles: list[Article],
               mentions: list[list[list[tuple[date, str]]]]) -> list[tuple[date, float]]:
    """Days by importance: later citations, mentions and publication volume."""
    score: dict[date, float] = defaultdict(float)
    for article, per_sentence in zip(articles, mentions, strict=True):
        published = article.date.date() if article.date is not None else None
        named = {day for days in per_sentence for day, _ in days}
        for day in named:
            later = published is not None and published > day
            score[day] += settings.TLS_LATER_MENTION if later else 1.0
        if published is not None:
            score[published] += settings.TLS_PUBLICATION_WEIGHT
    # Greedy, with the neighbours of each chosen day discounted: a story's biggest day is
    # mentioned around itself too ("the day after the explosion"), and a timeline wants
    # its distinct turns rather than five days of one.
    left = dict(score)
    ranked: list[tuple[date, float]] = []
    while left:
        day = min(left, key=lambda d: (-left[d], d))
        ranked.append((day, left.pop(day)))
        for offset in range(1, settings.TLS_NEIGHBOUR_DAYS + 1):
            for near in (day - timedelta(days=offset), day + timedelta(days=offset)):
                if near in left:
                    left[near] *= 1.0 - settings.TLS_NEIGHBOUR_DISCOUNT
    return ranked


def summarize_timeline(articles: Iterable[Article], *, dates: int = 10,
                       sentences: int = 1) -> tuple[TimelineEntry, ...]:
    """The ``dates`` most important days, each with up to ``sentences`` sentences, oldest
    first (see the module docstring)."""
    items = [a for a in articles if a.sentences]
    if not items or dates < 1 or sentences < 1:
        return ()
    mentions = _day_mentions(items)
    ranked = rank_dates(items, mentions)
    candidates = _candidates(items, mentions)
    pool = sorted({(c.article, c.index): c for cs in candidates.values() for c in cs}.values(),
                  key=lambda c: (c.article, c.index))
    if not pool:
        return ()
    row_of = {(c.article, c.index): r for r, c in enumerate(pool)}
    vectors = lexical_vectors([c.text for c in pool])
    topic = np.asarray(vectors.mean(axis=0)).ravel()
    topic /= max(float(np.linalg.norm(topic)), 1e-12)
    on_topic = vectors @ topic
    chosen_rows: list[int] = []
    entries: list[TimelineEntry] = []
    days_taken = 0
    for day, _ in ranked:
        if days_taken >= dates:
            break
        options = [c for c in candidates.get(day, []) if standalone(c.text)
                   and len(c.text.split()) <= settings.TLS_MAX_WORDS]
        if not options:
            continue
        rows = np.array([row_of[(c.article, c.index)] for c in options])
        block = vectors[rows]
        centre = np.asarray(block.mean(axis=0)).ravel()
        centre /= max(float(np.linalg.norm(centre)), 1e-12)
        score = (block @ centre) + settings.TLS_TOPIC_WEIGHT * on_topic[rows]
        picked = 0
        for k in np.argsort(-score, kind="stable"):
            if picked >= sentences:
                break
            row = int(rows[k])
            if chosen_rows:
                overlap = (vectors[chosen_rows] @ vectors[row].T).toarray().ravel()
                if overlap.max() >= settings.TLS_REDUNDANT:
                    continue
            chosen_rows.append(row)
            entries.append(_entry(items, options[int(k)], day, vectors, pool, row))
            picked += 1
        if picked:
            days_taken += 1
    return tuple(sorted(entries, key=lambda e: (e.date or "", e.article_id,
                                                e.sentence_index)))


def _candidates(articles: list[Article], mentions: list[list[list[tuple[date, str]]]]
                ) -> dict[date, list[_Candidate]]:
    out: dict[date, list[_Candidate]] = defaultdict(list)
    for a, (article, per_sentence) in enumerate(zip(articles, mentions, strict=True)):
        published = article.date.date() if article.date is not None else None
        for sentence, days in zip(article.sentences, per_sentence, strict=True):
            for day, expression in dict.fromkeys(days):
                out[day].append(_Candidate(a, sentence.index, sentence.text, expression))
            if published is None or days or sentence.index >= settings.TLS_LEAD_SENTENCES:
                continue
            # An undated lead sentence tells of the day before publication or the day itself.
            for day in (published, published - timedelta(days=1)):
                out[day].append(_Candidate(a, sentence.index, sentence.text, ""))
    return out


def _entry(articles: list[Article], candidate: _Candidate, day: date, vectors: Any,
           pool: list[_Candidate], row: int) -> TimelineEntry:
    similar = (vectors @ vectors[row].T).toarray().ravel()
    sources = dict.fromkeys([articles[candidate.article].id] + [
        articles[pool[r].article].id for r in np.flatnonzero(similar >= settings.TLS_SAME)])
    return TimelineEntry(date=day.isoformat(), text=candidate.text, sources=tuple(sources),
                         article_id=articles[candidate.article].id,
                         sentence_index=candidate.index, expression=candidate.expression,
                         independent=len(sources))
