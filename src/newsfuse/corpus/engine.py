"""The clustering engine: the state of the open events and the one step that places an
article among them (:meth:`Clusterer.step`), shared by batch clustering
(:func:`newsfuse.corpus.cluster.cluster`) and the store (:mod:`newsfuse.corpus.store`),
which persists the state between runs. See :mod:`newsfuse.corpus.cluster` for the rules.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from newsfuse import settings

BUCKETS = 1 << settings.CLUSTER_HASH_BITS
_EPOCH = datetime(1970, 1, 1)
Vector = dict[int, float]
# (event merges, story joins), each a list of (kept, absorbed) keys
Repairs = tuple[list[tuple[int, int]], list[tuple[int, int]]]


def day_number(when: datetime | None) -> float | None:
    """Days since 1970-01-01 (UTC when the datetime carries a zone)."""
    if when is None:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return (when - _EPOCH).total_seconds() / 86400.0


@dataclass(slots=True)
class EventState:
    """An event as the clusterer sees it: the sum of its members' unit vectors and its span
    in days (``None`` while it has only undated members)."""

    key: int
    terms: Vector
    norm2: float
    first: float | None
    last: float | None
    size: int = 0
    story: int = 0
    checked: int = 0  # size at the last merge and link check

    def cosine(self, vector: Vector) -> float:
        if self.norm2 <= 0:
            return 0.0
        terms = self.terms
        dot = sum(w * terms.get(t, 0.0) for t, w in vector.items())
        return dot / math.sqrt(self.norm2)

    def gap(self, day: float | None) -> float:
        """Days from ``day`` to this event's span: 0 inside it, for an undated article, or
        for an event of undated articles only (no place in time: content alone decides)."""
        if day is None or self.first is None or self.last is None:
            return 0.0
        return max(0.0, self.first - day, day - self.last)

    def top_terms(self, n: int) -> list[int]:
        return _strongest(self.terms, n)


def _strongest(vector: Vector, n: int) -> list[int]:
    """The ``n`` heaviest terms of a vector (the lower term first on a tie)."""
    return [t for t, _ in heapq.nsmallest(n, vector.items(), key=lambda x: (-x[1], x[0]))]


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm > 0 else {}


def join_threshold(terms: int) -> float:
    """The content similarity an article of ``terms`` distinct terms needs to join an
    event. A short text (a headline) shares few words with anything, so one or two shared
    words are evidence (``settings.CLUSTER_JOIN_SHORT``); a full report shares common words
    with unrelated reports by chance and needs more (``settings.CLUSTER_JOIN``)."""
    return (settings.CLUSTER_JOIN_SHORT if terms < settings.CLUSTER_SHORT_TERMS
            else settings.CLUSTER_JOIN)


def single_report(event: EventState) -> bool:
    """Whether the event's centroid is one report's (unit) vector: copies add to an
    event's size but not to its centroid, and two or more reports sum to a squared norm
    of at least 2 (their weights are positive)."""
    return 0.0 < event.norm2 <= 1.0 + 1e-9


def merge_threshold(a: EventState, b: EventState) -> float:
    """The centroid cosine at which two events are one. Events that each grew from
    several reports merge at ``settings.CLUSTER_MERGE``: their centroids average out what
    each report adds on its own. An event of a single report is an article joining the
    other event, and needs what that join needs (:func:`join_threshold`): otherwise a
    merge would join two unrelated full reports that a join refused."""
    singles = [join_threshold(len(e.terms)) for e in (a, b) if single_report(e)]
    return max(singles, default=settings.CLUSTER_MERGE)


def centroid_cosine(a: EventState, b: EventState) -> float:
    if a.norm2 <= 0 or b.norm2 <= 0:
        return 0.0
    small, large = (a, b) if len(a.terms) <= len(b.terms) else (b, a)
    dot = sum(w * large.terms.get(t, 0.0) for t, w in small.terms.items())
    return dot / math.sqrt(a.norm2 * b.norm2)


class Clusterer:
    """The online clustering state: document frequencies, events, and their term index."""

    def __init__(self, df: np.ndarray | None = None, documents: int = 0) -> None:
        self.df = df if df is not None else np.zeros(BUCKETS, dtype=np.int32)
        self.documents = documents
        self.events: dict[int, EventState] = {}
        self.clock: float | None = None
        self.next_key = 1
        self.touched: set[int] = set()
        self.df_changed: set[int] = set()  # buckets counted since the store last saved them
        # Events that left the window since the owner last looked (the store saves them).
        self.dropped: dict[int, EventState] = {}
        self._index: dict[int, set[int]] = {}

    # --- vectors -----------------------------------------------------------------------
    def observe(self, counts: dict[int, float]) -> None:
        """Count a document's terms in the document frequencies."""
        if counts:
            self.df[np.fromiter(counts.keys(), dtype=np.int64)] += 1
            self.df_changed.update(counts)
        self.documents += 1

    def vector(self, counts: dict[int, float]) -> Vector:
        """The unit TF-IDF vector (sublinear tf, smoothed idf) of hashed term counts.

        The idf counts ``settings.CLUSTER_IDF_PRIOR`` imagined documents that hold none of
        the terms: in a handful of reports of one event, the event's own words are in every
        document and a plain idf would count them as worthless."""
        n = self.documents + 1 + settings.CLUSTER_IDF_PRIOR
        df = self.df
        return _unit({t: (1.0 + math.log(c) if c >= 1 else c)
                      * (math.log(n / (1.0 + float(df[t]))) + 1.0)
                      for t, c in counts.items()})

    # --- placing articles ------------------------------------------------------------------
    def tick(self, day: float | None) -> None:
        """Advance the clock; events idle for longer than the story window leave the index."""
        if day is None or (self.clock is not None and day <= self.clock):
            return
        before = self.clock
        self.clock = day
        if before is None or int(day) == int(before):
            return
        horizon = day - settings.STORY_WINDOW_DAYS
        stale = [k for k, e in self.events.items() if e.last is not None and e.last < horizon]
        for key in stale:
            event = self.events.pop(key)
            self._unindex(event)
            self.dropped[key] = event

    def candidates(self, vector: Vector, day: float | None) -> list[EventState]:
        """The events sharing one of the vector's strongest terms, within the window."""
        keys = self._indexed(_strongest(vector, settings.CLUSTER_QUERY_TERMS))
        # An undated article may join any event still held (within the story window).
        return [self.events[k] for k in sorted(keys)
                if self.events[k].gap(day) <= settings.CLUSTER_WINDOW_DAYS]

    def best(self, vector: Vector, day: float | None) -> EventState | None:
        """The event this vector should join, or ``None``. Only the content decides whether
        to join (the cosine must reach :func:`join_threshold`); the date only bounds the
        candidates (the window) and, among events about as similar, prefers the closer one
        in time."""
        best: EventState | None = None
        best_rank = -math.inf
        needed = join_threshold(len(vector))
        for event in self.candidates(vector, day):
            cosine = event.cosine(vector)
            if cosine < needed:
                continue
            rank = cosine - settings.CLUSTER_TIE_PER_DAY * event.gap(day)
            if rank > best_rank:
                best, best_rank = event, rank
        return best

    def place(self, vector: Vector, day: float | None,
              original_event: int | None = None) -> EventState:
        """Put an article in its event: a copy in its original's event while that is within
        the window (without moving the centroid), anything else in the best event or a new
        one."""
        if original_event is not None:
            target = self.events.get(original_event)
            if target is not None and target.gap(day) <= settings.CLUSTER_WINDOW_DAYS:
                self.add(target, vector, day, grow=False)
                return target
        event = self.best(vector, day)
        if event is None:
            event = self.open()
        self.add(event, vector, day)
        return event

    def step(self, counts: dict[int, float], day: float | None,
             original_event: int | None = None) -> tuple[EventState, Repairs]:
        """The one clustering step every driver (batch, store, web) takes per article: move
        the clock, count the terms, place the article, then merge and link the events it
        touched. Repairing after every article, not at batch ends, makes the result the same
        whatever the batch size. Returns the event it was placed in (which a merge may then
        absorb) and the repairs made."""
        self.tick(day)
        self.observe(counts)
        event = self.place(self.vector(counts), day, original_event)
        return event, self.repair()

    def open(self, key: int | None = None) -> EventState:
        if key is None:
            key = self.next_key
        self.next_key = max(self.next_key, key + 1)
        event = EventState(key=key, terms={}, norm2=0.0, first=None, last=None, story=key)
        self.events[key] = event
        return event

    def add(self, event: EventState, vector: Vector, day: float | None,
            grow: bool = True) -> None:
        """Add a member to ``event``; ``grow=False`` (a copy) counts it without moving the
        centroid."""
        event.size += 1
        self.touched.add(event.key)
        if not grow or not vector:  # a copy is not fresh reporting: the span stays
            return
        if day is not None:
            event.first = day if event.first is None else min(event.first, day)
            event.last = day if event.last is None else max(event.last, day)
        terms = event.terms
        dot = sum(w * terms.get(t, 0.0) for t, w in vector.items())
        event.norm2 += 2.0 * dot + 1.0
        for t, w in vector.items():
            terms[t] = terms.get(t, 0.0) + w
        if len(terms) > 2 * settings.CLUSTER_CENTROID_TERMS:
            self._unindex(event)
            kept = event.top_terms(settings.CLUSTER_CENTROID_TERMS)
            event.terms = {t: terms[t] for t in kept}
            event.norm2 = sum(w * w for w in event.terms.values())
        self.reindex(event)

    def reindex(self, event: EventState) -> None:
        """Index the event under its strongest terms."""
        self.index_under(event, event.top_terms(settings.CLUSTER_INDEX_TERMS))

    def index_under(self, event: EventState, terms: Iterable[int]) -> None:
        """Index the event under ``terms`` (a reloaded event's :meth:`indexed_terms`)."""
        for term in terms:
            self._index.setdefault(term, set()).add(event.key)

    def indexed_terms(self, event: EventState) -> list[int]:
        """The terms the index holds an event under: its strongest now, and those that were
        among its strongest since its terms were last trimmed (always some of its terms).
        The store keeps them, so that a clusterer loaded again finds the same candidates."""
        key = event.key
        return [t for t in event.terms if key in self._index.get(t, ())]

    def _unindex(self, event: EventState) -> None:
        for term in event.terms:
            keys = self._index.get(term)
            if keys is not None:
                keys.discard(event.key)
                if not keys:
                    del self._index[term]

    # --- repairing and linking ---------------------------------------------------------
    def repair(self) -> Repairs:
        """Merge and link the events touched since the last repair that are due a check
        (see :meth:`_due`): ``(event merges, story joins)``, each a list of ``(kept,
        absorbed)``."""
        touched = sorted(k for k in self.touched if k in self.events and self._due(k))
        self.touched.clear()
        merges = self.merge_pass(touched)
        joins = self.link_stories([k for k in touched if k in self.events])
        return merges, joins

    def _due(self, key: int) -> bool:
        """Whether an event has grown enough since its last check to be checked again: each
        time its size doubles (an event's centroid moves less with every report, and
        checking at every article is what would cost)."""
        event = self.events[key]
        if event.size >= 2 * event.checked:
            event.checked = event.size
            return True
        return False

    def merge_pass(self, touched: Iterable[int]) -> list[tuple[int, int]]:
        """Join events that grew into one (see :func:`merge_threshold`): ``(kept,
        absorbed)`` pairs, the older kept."""
        merges: list[tuple[int, int]] = []
        queue = sorted(set(touched))
        while queue:
            key = queue.pop(0)
            event = self.events.get(key)
            if event is None:
                continue
            for other in self._neighbours(event, settings.CLUSTER_WINDOW_DAYS):
                if centroid_cosine(event, other) >= merge_threshold(event, other):
                    kept, gone = (event, other) if event.key < other.key else (other, event)
                    self._absorb(kept, gone)
                    merges.append((kept.key, gone.key))
                    queue.append(kept.key)
                    break
        return merges

    def link_stories(self, touched: Iterable[int]) -> list[tuple[int, int]]:
        """Join an event's story to another when the event is close to that story as a
        whole: the cosine of its centroid to the sum of the (unit) centroids of the story's
        events near it in content, within the story window, reaches ``settings.STORY_LINK``.
        Comparing with a story rather than with its closest event keeps one loose pair of
        events from chaining two stories together. ``(kept, absorbed)`` story pairs, the
        older kept."""
        joins: list[tuple[int, int]] = []
        for key in sorted(set(touched)):
            event = self.events.get(key)
            if event is None or event.norm2 <= 0:
                continue
            others: dict[int, list[EventState]] = {}
            for other in self._neighbours(event, settings.STORY_WINDOW_DAYS):
                if other.story != event.story and other.norm2 > 0:
                    others.setdefault(other.story, []).append(other)
            for story in sorted(others):
                if story == event.story:  # joined by an earlier story of this loop
                    continue
                if _cosine_to_sum(event, others[story]) >= settings.STORY_LINK:
                    kept, gone = sorted((event.story, story))
                    for e in self.events.values():
                        if e.story == gone:
                            e.story = kept
                    joins.append((kept, gone))
        return joins

    def _indexed(self, terms: Iterable[int]) -> set[int]:
        """The events indexed under any of ``terms``."""
        keys: set[int] = set()
        for term in terms:
            keys.update(self._index.get(term, ()))
        return keys

    def _neighbours(self, event: EventState, window: float) -> list[EventState]:
        keys = self._indexed(event.top_terms(settings.CLUSTER_QUERY_TERMS))
        keys.discard(event.key)
        return [self.events[k] for k in sorted(keys)
                if _span_gap(event, self.events[k]) <= window]

    def _absorb(self, kept: EventState, gone: EventState) -> None:
        self._unindex(gone)
        self._unindex(kept)
        dot = sum(w * kept.terms.get(t, 0.0) for t, w in gone.terms.items())
        kept.norm2 += 2.0 * dot + gone.norm2
        for t, w in gone.terms.items():
            kept.terms[t] = kept.terms.get(t, 0.0) + w
        kept.size += gone.size
        spans = [d for d in (kept.first, kept.last, gone.first, gone.last) if d is not None]
        kept.first, kept.last = (min(spans), max(spans)) if spans else (None, None)
        kept.story = min(kept.story, gone.story)
        del self.events[gone.key]
        self.reindex(kept)


def _cosine_to_sum(event: EventState, members: list[EventState]) -> float:
    """Cosine of an event's centroid to the sum of other events' unit centroids, from the
    pairwise centroid cosines (a story has few events near any one of them)."""
    to_event = sum(centroid_cosine(event, m) for m in members)
    norm2 = float(len(members)) + 2.0 * sum(
        centroid_cosine(a, b) for i, a in enumerate(members) for b in members[i + 1:])
    return to_event / math.sqrt(norm2) if norm2 > 0 else 0.0


def _span_gap(a: EventState, b: EventState) -> float:
    """Days between two events' spans (0 when they overlap or either is undated)."""
    if a.first is None or a.last is None or b.first is None or b.last is None:
        return 0.0
    return max(0.0, b.first - a.last, a.first - b.last)
