"""Timeline summaries of a long-running topic: the most important days, and what happened.

For weeks or months of articles on one topic, choose the ``dates`` days that matter most
and give each up to ``sentences`` sentences saying what happened that day. Nothing in it
knows a topic: the same few counts and similarities serve an oil spill, an epidemic or a war.

* **Which days.** A day matters when many reports refer to it. Every sentence's day
  references ("on Tuesday", "April 20", "yesterday") are resolved against its article's
  publication day (:func:`newsfuse.story.temporal.find_times`); days after the latest
  article (forecasts) and long before the earliest one (background) are left out. A date
  written without its year far ahead of its article's day (an anniversary, a retrospective:
  "le 25 janvier" in November) takes the year the article last wrote out, else the year
  the topic's reports write with that day, else it names nothing. A day
  scores the number of distinct days on which reports named it (a day reports keep
  returning to, day after day, mattered; one day's flurry of articles counts once, so
  heavy daily coverage does not drown the rest), plus
  :attr:`TimelineSettings.publication_weight` per article published on it (volume). Days
  are taken greedily, each choice discounting its neighbours by
  :attr:`TimelineSettings.neighbour_discount`, so that one big day does not fill the
  timeline with the days around it.
* **What happened.** A day's candidates are the sentences that name it, and the leads of
  the articles published on it or the day after, when those sentences name no other day,
  and, after these, the undated sentences that follow one opening with the day ("Le 18
  mars, des tireurs tuent 52 manifestants. Le président décrète l'état d'urgence."): a
  passage goes on about the day it opened with (``settings.TIMELINE_PASSAGE_SENTENCES``,
  as a roundup's entry does for day references); they fill a day's entry, never make a
  day alone.
  A live page's time stamp opening a sentence ("21.55 h:") is cut from it. A candidate
  scores its TF-IDF similarity to the centroid of the day's candidates (what
  most reports of that day say), plus :attr:`TimelineSettings.topic_weight` times its
  similarity to the topic's centroid (the story rather than a side detail). Only
  self-contained sentences of at most :attr:`TimelineSettings.max_words` words are taken;
  sentences close to a chosen one (``settings.TLS_REDUNDANT``), on any day, are skipped:
  nothing is said twice.

The work splits in two: :func:`prepare` does everything that does not depend on the
settings (reading dates, vectors, centroids), :func:`select` ranks and picks; a caller
trying several settings on one input prepares it once. Every entry cites the articles that
carry that sentence or a near-identical one.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any, NamedTuple

import numpy as np

from newsfuse import settings
from newsfuse.encode import lexical_vectors
from newsfuse.model import Article, TimelineEntry
from newsfuse.story.temporal import TimeMention, event_times
from newsfuse.summarize import standalone
from newsfuse.text.furniture import furniture_sentence
from newsfuse.text.languages import day_shift, majority_language


@dataclass(frozen=True, slots=True)
class TimelineSettings:
    """The choices a timeline makes (what each trades off: ``settings.TLS_*``)."""

    publication_weight: float = field(default_factory=lambda: settings.TLS_PUBLICATION_WEIGHT)
    neighbour_discount: float = field(default_factory=lambda: settings.TLS_NEIGHBOUR_DISCOUNT)
    topic_weight: float = field(default_factory=lambda: settings.TLS_TOPIC_WEIGHT)
    max_words: int = field(default_factory=lambda: settings.TLS_MAX_WORDS)


@dataclass(frozen=True, slots=True)
class _Candidate:
    row: int          # row in the prepared pool
    named: bool       # the sentence names the day (not an undated lead)
    expression: str   # the words that name it
    carried: bool = False  # undated, in the passage that opened with the day


class _Found(NamedTuple):
    """A sentence found for a day."""

    article: int      # index in the input
    sentence: int     # index in the article
    named: bool       # the sentence names the day
    expression: str   # the words that name it ("" for a lead, or a carried sentence)
    carried: bool = False  # undated, in the passage that opened with the day


@dataclass
class PreparedTimeline:
    """What :func:`select` needs of one input, whatever the settings."""

    articles: list[Article]
    published: list[date | None]
    cited: dict[date, int]                  # day -> distinct days of the reports naming it
    volume: dict[date, int]                 # day -> articles published on it
    candidates: dict[date, list[_Candidate]]
    texts: list[str]                        # per pool row
    origin: list[tuple[int, int]]           # per pool row: (article, sentence index)
    words: np.ndarray
    usable: np.ndarray                      # stands alone (summarize.standalone), not furniture
    vectors: Any                            # TF-IDF rows, unit length
    on_topic: np.ndarray
    centrality: dict[date, np.ndarray] = field(default_factory=dict)


_BARE_KINDS = frozenset(("month_day", "day_month"))  # a day and month without the year


def _mentions(article: Article, language: str) -> list[list[TimeMention]]:
    """For each sentence of ``article``, the days it says something happened on: page
    furniture (a dated photo caption), page stamps and notes' source dates
    (:func:`newsfuse.story.temporal.event_times`) name none."""
    reference = article.date.date() if article.date is not None else None
    out: list[list[TimeMention]] = []
    for sentence in article.sentences:
        if furniture_sentence(sentence.text) is not None:
            out.append([])
            continue
        out.append(event_times(sentence.text, reference, language))
    return out


def _written_years(found: Iterable[TimeMention]) -> dict[tuple[int, int], int]:
    """For each day of the year, the year the reports write with it most often (the
    latest of a tie): "le 25 janvier 2011" gives (1, 25) -> 2011."""
    years: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)
    for mention in found:
        day = mention.day
        if day is not None and not mention.relative:
            years[(day.month, day.day)][day.year] += 1
    return {key: max(counts, key=lambda y: (counts[y], y)) for key, counts in years.items()}


def _placed(mention: TimeMention, published: date | None,
            written: dict[tuple[int, int], int], last_year: int | None) -> date | None:
    """The day ``mention`` names; a day without its year far from ``published`` (an
    anniversary, a retrospective) takes the year the article last wrote before it
    (``last_year``: "En 2011 ... le 3 juin"), else the topic's written year for that day,
    else none."""
    day = mention.day
    if day is None or published is None or mention.kind not in _BARE_KINDS \
            or not mention.relative:
        return day
    if -settings.TLS_BARE_DATE_BACK_DAYS <= (day - published).days \
            <= settings.TLS_BARE_DATE_AHEAD_DAYS:
        return day
    year = last_year if last_year is not None else written.get((day.month, day.day))
    if year is None:
        return None
    try:
        return day.replace(year=year)
    except ValueError:
        return None


# A live page's time stamp opening an update ("21.55 h: Obama habla", "14h30 : le cortège",
# "10:45 - Police say"): the hour of an update, not part of what happened.
_LIVE_STAMP = re.compile(r"^\W{0,2}(?:[01]?\d|2[0-3])[.:h][0-5]\d\s*(?:h|hrs?|heures?|ore|Uhr)?"
                         r"\.?\s*(?:[:\-–—]\s+|\.\s+(?=[A-Z\"“«¡¿]))")


def prepare(articles: Iterable[Article]) -> PreparedTimeline | None:
    """Dates, candidates and vectors of ``articles``; ``None`` when nothing is datable."""
    items = [a for a in articles if a.sentences]
    language = majority_language([a.language for a in items])
    published = [a.date.date() if a.date is not None else None for a in items]
    cited, found = _gather(items, published, language)
    origin = sorted({(f.article, f.sentence) for fs in found.values() for f in fs})
    if not origin:
        return None
    row_of = {key: r for r, key in enumerate(origin)}
    text_of = {(a, s.index): s.text for a, art in enumerate(items) for s in art.sentences}
    texts = [_LIVE_STAMP.sub("", text_of[key], count=1) for key in origin]
    vectors = lexical_vectors(texts, language)
    topic = np.asarray(vectors.mean(axis=0)).ravel()
    topic /= max(float(np.linalg.norm(topic)), 1e-12)
    candidates: dict[date, list[_Candidate]] = {}
    for day, mentions in found.items():
        best: dict[int, _Candidate] = {}
        for f in mentions:
            row = row_of[(f.article, f.sentence)]
            old = best.get(row)
            if old is None or (f.named and not old.named) or (old.carried and not f.carried):
                best[row] = _Candidate(row, f.named, f.expression, f.carried)
        candidates[day] = list(best.values())
    prepared = PreparedTimeline(
        articles=items, published=published, cited=cited,
        volume=dict(Counter(d for d in published if d is not None)), candidates=candidates,
        texts=texts, origin=origin, words=np.array([len(t.split()) for t in texts]),
        usable=np.array([standalone(t, language) and furniture_sentence(t) is None
                         for t in texts]),
        vectors=vectors,
        on_topic=np.asarray(vectors @ topic).ravel())
    for day, options in candidates.items():
        prepared.centrality[day] = _centrality(prepared, [c.row for c in options])
    return prepared


# A passage opens with its day when at most one short word (an article or preposition:
# "Le 18 mars, ...", "- 11 mars: ...", "Dimanche dernier, ...") stands before it.
_OPENS = re.compile(r"^[\W_]*(?:\w{1,4}\s+)?$")


def _opening_day(sentence: str, mentions: list[TimeMention],
                 placed: list[tuple[date, str]]) -> date | None:
    """The one day ``sentence`` names, when it opens with it; else ``None``."""
    days = {d for d, _ in placed}
    if len(days) != 1 or not mentions or mentions[0].day is None:
        return None
    return next(iter(days)) if _OPENS.match(sentence[:mentions[0].start]) else None


def _shifted(sentence: str, after: re.Pattern[str], before: re.Pattern[str]
             ) -> tuple[int, str]:
    """(+1, its words) when ``sentence`` moves its passage a day on ("le lendemain"), (-1,
    ...) a day back ("la veille"), (0, "") otherwise or when it says both."""
    on, back = after.search(sentence), before.search(sentence)
    if on is not None and back is None:
        return 1, on.group(0)
    if back is not None and on is None:
        return -1, back.group(0)
    return 0, ""


def _gather(items: list[Article], published: list[date | None], language: str
            ) -> tuple[dict[date, int], dict[date, list[_Found]]]:
    """For each day, the number of distinct days on which reports named it (an undated
    report is a day of its own), and its candidate sentences (:class:`_Found`). A passage
    that opens with its day ("Le 18 mars, des tireurs tuent 52 manifestants.") goes on
    about it: its next undated sentences
    (``settings.TIMELINE_PASSAGE_SENTENCES``) are candidates for that day too, carried.
    An article's lead is its first ``settings.TLS_LEAD_SENTENCES`` sentences from where its
    running text starts (:func:`_text_start`): a headline, a page stamp or a site's menu
    before it is none."""
    days = [d for d in published if d is not None]
    found: dict[date, list[_Found]] = defaultdict(list)
    if not days:
        return {}, found
    low = min(days) - timedelta(days=settings.TLS_SPAN_MARGIN_DAYS)
    high = max(days)
    citing: dict[date, set[date | int]] = defaultdict(set)
    read = [_mentions(article, article.language or language) for article in items]
    written = _written_years(m for per_sentence in read for ms in per_sentence for m in ms)
    for a, (article, day) in enumerate(zip(items, published, strict=True)):
        per_sentence = []
        last_year: int | None = None  # the year the article last wrote out
        for ms in read[a]:
            placed = []
            for m in ms:
                placed.append((_placed(m, day, written, last_year), m.text))
                if not m.relative and m.value is not None:
                    last_year = int(m.value[:4])
            per_sentence.append(list(dict.fromkeys(
                (d, text) for d, text in placed if d is not None and low <= d <= high)))
        for named in {d for ds in per_sentence for d, _ in ds}:
            citing[named].add(a if day is None else day)
        after, before = day_shift(article.language or language)
        passage: date | None = None  # the day the current passage opened with
        left = 0
        lead = range(start := _text_start(article), start + settings.TLS_LEAD_SENTENCES)
        for sentence, mentioned, ms in zip(article.sentences, per_sentence, read[a],
                                           strict=True):
            for d, expression in mentioned:
                found[d].append(_Found(a, sentence.index, True, expression))
            if mentioned:
                passage = _opening_day(sentence.text, ms, mentioned)
                left = settings.TIMELINE_PASSAGE_SENTENCES
            elif passage is not None and left > 0:
                shift, words = _shifted(sentence.text, after, before)
                if shift:  # "Le lendemain, Saleh quitte le pays": the passage's next day
                    moved = passage + timedelta(days=shift)
                    passage = moved if low <= moved <= high else None
                    if passage is not None:
                        found[passage].append(_Found(a, sentence.index, True, words))
                        citing[passage].add(a if day is None else day)
                    left = settings.TIMELINE_PASSAGE_SENTENCES
                else:
                    found[passage].append(_Found(a, sentence.index, False, "", True))
                    left -= 1
            if day is None or mentioned or sentence.index not in lead:
                continue
            # An undated lead sentence tells of the day before publication or the day itself.
            for d in (day, day - timedelta(days=1)):
                if low <= d:
                    found[d].append(_Found(a, sentence.index, False, ""))
    return {d: len(days_citing) for d, days_citing in citing.items()}, found


# A sentence of prose ends as one: a headline, a menu item or a stamp does not, nor a
# teaser cut short ("Notre-Dame, Saint-Denis...") or asking ("Faut-il reconstruire les
# monuments détruits?").
_FINISHED = re.compile(r"(?<![.…])[.!][\"”’')\]»“›]*\s*$")


def _prose(text: str) -> bool:
    """A finished sentence, not a headline, a line in capitals, a page stamp, a menu item
    or other furniture."""
    return bool(_FINISHED.search(text)) and len(text.split()) > 1 and not text.isupper() \
        and furniture_sentence(text) is None


def _text_start(article: Article) -> int:
    """The index of the sentence an article's running text starts with: the first of two
    sentences of prose in a row (a page's menu, teasers and headlines come before it);
    the first sentence when there are none."""
    sentences = article.sentences
    return next((first.index for first, second in pairwise(sentences)
                 if _prose(first.text) and _prose(second.text)),
                sentences[0].index if sentences else 0)


def _centrality(prepared: PreparedTimeline, rows: list[int]) -> np.ndarray:
    """Cosine of each row to the centroid of ``rows`` (what most of them say)."""
    block = prepared.vectors[rows]
    centre = np.asarray(block.mean(axis=0)).ravel()
    centre /= max(float(np.linalg.norm(centre)), 1e-12)
    return np.asarray(block @ centre).ravel()


def rank_dates(prepared: PreparedTimeline,
               choice: TimelineSettings | None = None) -> list[tuple[date, float]]:
    """Days by importance: how many days reports named them on, and publication volume,
    greedily with each chosen day's neighbours discounted."""
    choice = choice or TimelineSettings()
    score: dict[date, float] = defaultdict(float)
    for day, days_citing in prepared.cited.items():
        score[day] += days_citing
    for day, articles in prepared.volume.items():
        score[day] += choice.publication_weight * articles
    # A story's biggest day is mentioned around itself too ("the day after the explosion"),
    # and a timeline wants its distinct turns rather than five days of one.
    left = dict(score)
    ranked: list[tuple[date, float]] = []
    while left:
        day = min(left, key=lambda d: (-left[d], d))
        ranked.append((day, left.pop(day)))
        for offset in range(1, settings.TLS_NEIGHBOUR_DAYS + 1):
            for near in (day - timedelta(days=offset), day + timedelta(days=offset)):
                if near in left:
                    left[near] *= 1.0 - choice.neighbour_discount
    return ranked


def select(prepared: PreparedTimeline, *, dates: int = 10, sentences: int = 1,
           choice: TimelineSettings | None = None) -> tuple[TimelineEntry, ...]:
    """The ``dates`` most important days of a prepared input, each with up to
    ``sentences`` sentences, oldest first."""
    choice = choice or TimelineSettings()
    chosen: list[int] = []      # pool rows taken so far, on any day
    entries: list[TimelineEntry] = []
    days = 0
    for day, _ in rank_dates(prepared, choice):
        if days >= dates:
            break
        picked = _pick_day(prepared, day, sentences, choice, chosen)
        entries.extend(_entry(prepared, candidate, day) for candidate in picked)
        days += bool(picked)
    return tuple(sorted(entries, key=lambda e: (e.date or "", e.article_id,
                                                e.sentence_index)))


def _pick_day(prepared: PreparedTimeline, day: date, sentences: int,
              choice: TimelineSettings, chosen: list[int]) -> list[_Candidate]:
    """Up to ``sentences`` of the day's best candidates that repeat nothing in ``chosen``
    (which grows with them); sentences carried by their passage's day come after all the
    ones that name the day or lead on it, and a day with only carried candidates is left
    out."""
    options = [(k, c) for k, c in enumerate(prepared.candidates.get(day, []))
               if prepared.usable[c.row] and prepared.words[c.row] <= choice.max_words]
    if not options:
        return []
    rows = np.array([c.row for _, c in options])
    score = (prepared.centrality[day][[k for k, _ in options]]
             + choice.topic_weight * prepared.on_topic[rows])
    carried = np.array([c.carried for _, c in options])
    if carried.all():
        return []  # a passage's day is one its own sentences name
    picked: list[_Candidate] = []
    for k in np.lexsort((-score, carried)):  # not carried first, then by score; stable
        if len(picked) >= sentences:
            break
        row = int(rows[k])
        if chosen:
            overlap = (prepared.vectors[chosen] @ prepared.vectors[row].T).toarray()
            if overlap.max() >= settings.TLS_REDUNDANT:
                continue
        chosen.append(row)
        picked.append(options[int(k)][1])
    return picked


def summarize_timeline(articles: Iterable[Article], *, dates: int = 10, sentences: int = 1,
                       choice: TimelineSettings | None = None) -> tuple[TimelineEntry, ...]:
    """The ``dates`` most important days, each with up to ``sentences`` sentences, oldest
    first (see the module docstring)."""
    if dates < 1 or sentences < 1:
        return ()
    prepared = prepare(articles)
    if prepared is None:
        return ()
    return select(prepared, dates=dates, sentences=sentences, choice=choice)


def _entry(prepared: PreparedTimeline, candidate: _Candidate, day: date) -> TimelineEntry:
    row = candidate.row
    article, index = prepared.origin[row]
    similar = np.asarray((prepared.vectors @ prepared.vectors[row].T).toarray()).ravel()
    ids = [prepared.articles[article].id] + [
        prepared.articles[prepared.origin[r][0]].id
        for r in np.flatnonzero(similar >= settings.TLS_SAME)]
    sources = tuple(dict.fromkeys(ids))
    return TimelineEntry(date=day.isoformat(), text=prepared.texts[row], sources=sources,
                         article_id=prepared.articles[article].id, sentence_index=index,
                         expression=candidate.expression, independent=len(sources))
