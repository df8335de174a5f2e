"""The timeline of one story: dated events in the sources' words, relative dates resolved.

Each article's day references ("on Sunday", "yesterday", "Dec. 29") are resolved against
its publication day; an undated article first gets a day inferred from its own weekday
references and the dates of the other articles (:func:`infer_publication`), and what is
resolved against an inferred day is marked inferred. An article that can't be dated keeps
its events undated. Sentences about one day that say the same thing (one claim, or close
wording) become one entry citing every source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from newsfuse import settings
from newsfuse.model import Article, TimelineEntry
from newsfuse.story.groups import DisjointSets
from newsfuse.story.record import Story
from newsfuse.story.temporal import (
    contradictions,
    event_times,
    find_times,
    infer_publication,
    passage_days,
)
from newsfuse.summarize import standalone


@dataclass(frozen=True, slots=True)
class ArticleDates:
    """The day each article is read against, and which of those days were inferred."""

    day: dict[str, date | None]
    inferred: set[str]
    warnings: tuple[str, ...]


def article_dates(articles: Sequence[Article]) -> ArticleDates:
    """Publication days, with undated articles' days inferred where the evidence allows;
    contradictory dates within an article are reported."""
    anchors = [a.date.date() for a in articles if a.date is not None]
    day: dict[str, date | None] = {}
    inferred: set[str] = set()
    warnings: list[str] = []
    for article in articles:
        texts = [s.text for s in article.sentences]
        for text in texts:
            for clash in contradictions(text):
                warnings.append(f"{article.id}: contradictory date '{clash.text}' "
                                f"(that day is a {clash.actual})")
        if article.date is not None:
            day[article.id] = article.date.date()
            continue
        guess = infer_publication(texts, anchors, language=article.language)
        day[article.id] = guess
        if guess is not None:
            inferred.add(article.id)
            warnings.append(f"{article.id}: no publication date; {guess.isoformat()} inferred "
                            "from its day references and the other reports")
        elif any(m.relative for t in texts for m in find_times(t, None, article.language)):
            warnings.append(f"{article.id}: no publication date; its relative dates are "
                            "left undated")
    return ArticleDates(day, inferred, tuple(warnings))


def story_timeline(story: Story, disputed: set[int] | None = None) -> list[TimelineEntry]:
    """The dated events of a story, oldest first, at most a few per day. ``disputed``
    rows (claims the sources disagree on) are left to the disagreements."""
    articles, dates, sentences = story.articles, story.dates, story.sentences
    article_of, claim_of, lexical = story.article_of, story.claim_of, story.lexical
    found: list[tuple[int, str | None, str]] = []  # (row, day, expression)
    about = {(a.id, s.index): day for a in articles for s, day in zip(
        a.sentences, passage_days([s.text for s in a.sentences], dates.day.get(a.id),
                                  a.language), strict=True)}
    for row, sentence in enumerate(sentences):
        if story.in_quote[row] or (disputed and row in disputed):
            continue
        article = articles[int(article_of[row])]
        reference = about.get((article.id, sentence.index), dates.day.get(article.id))
        for mention in event_times(sentence.text, reference, article.language):
            if mention.granularity != "day":
                continue
            if mention.value is None:
                found.append((row, None, mention.text))
            elif reference is None or abs((date.fromisoformat(mention.value) - reference)
                                          .days) <= settings.TIMELINE_MAX_DAYS_AWAY:
                found.append((row, mention.value, mention.text))
            break
    sets = DisjointSets(range(len(found)))
    by_day: dict[str, list[int]] = {}
    for k, (_, day, _) in enumerate(found):
        if day is not None:
            by_day.setdefault(day, []).append(k)
    for block in by_day.values():
        rows = [found[k][0] for k in block]
        similar = (lexical[rows] @ lexical[rows].T).toarray() if len(rows) > 1 else None
        for x, i in enumerate(block):
            for y in range(x + 1, len(block)):
                ra, rb = rows[x], rows[y]
                same_claim = claim_of[ra] >= 0 and claim_of[ra] == claim_of[rb]
                if same_claim or (similar is not None
                                  and similar[x, y] >= settings.TIMELINE_SAME_LEXICAL):
                    sets.union(i, block[y])
    ids = story.article_ids
    entries: list[tuple[tuple[float, ...], TimelineEntry]] = []
    for members in sets.groups().values():
        rows = [found[k][0] for k in members]
        day = found[members[0]][1]
        language = articles[int(article_of[rows[0]])].language or "en"
        best = min(rows, key=lambda r: (not standalone(sentences[r].text, language),
                                        bool(story.is_copy[r]), sentences[r].index, r))
        if not standalone(sentences[best].text, language):
            continue
        sources = tuple(dict.fromkeys(ids[int(article_of[r])] for r in sorted(
            rows, key=lambda r: int(article_of[r]))))
        expression = next(found[k][2] for k in members if found[k][0] == best)
        entry = TimelineEntry(
            date=day, text=sentences[best].text, sources=sources,
            article_id=ids[int(article_of[best])], sentence_index=sentences[best].index,
            expression=expression,
            inferred=all(ids[int(article_of[r])] in dates.inferred for r in rows),
            independent=story.independent(sources))
        entries.append(((-entry.independent, -len(sources), sentences[best].index), entry))
    return _select(entries)


def _select(scored: list[tuple[tuple[float, ...], TimelineEntry]]) -> list[TimelineEntry]:
    by_day: dict[str | None, list[tuple[tuple[float, ...], TimelineEntry]]] = {}
    for score, entry in sorted(scored, key=lambda x: x[0]):
        by_day.setdefault(entry.date, []).append((score, entry))
    # Every day gets its best entry first, then the rest by support, within the budget.
    firsts = [items[0] for items in by_day.values()]
    rest = [it for items in by_day.values() for it in items[1:settings.TIMELINE_PER_DATE]]
    chosen = sorted(firsts, key=lambda x: x[0])[:settings.TIMELINE_MAX_ENTRIES]
    room = settings.TIMELINE_MAX_ENTRIES - len(chosen)
    chosen += sorted(rest, key=lambda x: x[0])[:max(room, 0)]
    return [e for _, e in sorted(chosen, key=lambda x: (x[1].date is None, x[1].date or "",
                                                         x[0]))]


def as_datetime(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day)
