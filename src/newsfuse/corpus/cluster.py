"""Events and stories: online, time-aware clustering of a stream of articles.

Each article becomes a TF-IDF vector of its title (weighted up) and lead, plus the names
it mentions, hashed into a fixed number of buckets so that the vocabulary never has to be
known in advance. Content decides: it joins the event whose centroid is most similar when
that cosine reaches ``settings.CLUSTER_JOIN``, otherwise it opens a new event. Time only
bounds: events idle for more than ``settings.CLUSTER_WINDOW_DAYS`` are not candidates, and
among candidates about as similar the closer one in time wins; a shared date never makes a
join. Candidates are found through an inverted index on the events' strongest terms, so
adding an article costs the same however large the corpus is. A merge pass joins events
that grew into one (split early, when each had one or two reports). Near-duplicates
(:mod:`newsfuse.corpus.dedup`) are folded into their original's event without moving its
centroid (a copy is not more evidence), unless republished after the event's window.

Events are linked into stories when their centroids stay close (``settings.STORY_LINK``)
within ``settings.STORY_WINDOW_DAYS``: the storming of an embassy and the withdrawal the
next day are two events of one story.

One engine: :meth:`Clusterer.step` is the whole per-article loop, used by
:func:`cluster` and by the store. Articles are taken in one canonical order (undated first,
then by date, then by a digest of their content), so the same articles make the same events
however they arrive: in any order within a batch, in batches of any size. The document
frequencies are those of the articles placed so far, as a stream has them.
:class:`Clusterer` holds the state (document frequencies, active events) so that the store
can keep it between runs.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from nltk.stem.porter import PorterStemmer
from sklearn.utils import murmurhash3_32

from newsfuse import settings
from newsfuse.corpus.dedup import CopyIndex, signature
from newsfuse.encode import content_terms
from newsfuse.model import Article, Assignment

BUCKETS = 1 << settings.CLUSTER_HASH_BITS
_EPOCH = datetime(1970, 1, 1)
# A capitalised word not at the start of a sentence, or a run of them: a name.
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][\w'’-]+(?: (?:[A-Z][\w'’-]+|al|bin|de|van|von))*")
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


@functools.lru_cache(maxsize=200_000)
def _bucket(term: str) -> int:
    return int(murmurhash3_32(term, seed=0, positive=True)) & (BUCKETS - 1)


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return str(_STEMMER.stem(word))


_STEMMER = PorterStemmer()


def _lead(article: Article) -> str:
    """The first sentences of the body, up to ``settings.CLUSTER_LEAD_WORDS`` words."""
    if not article.sentences:
        words = article.text.split()[:settings.CLUSTER_LEAD_WORDS]
        return " ".join(words)
    taken: list[str] = []
    count = 0
    for sentence in article.sentences:
        taken.append(sentence.text)
        count += sentence.text.count(" ") + 1
        if count >= settings.CLUSTER_LEAD_WORDS:
            break
    return " ".join(taken)


def term_counts(article: Article) -> dict[int, float]:
    """Hashed, weighted term counts: title words, lead words and names in the lead."""
    counts: dict[int, float] = defaultdict(float)
    for term in content_terms(article.title or "", _stem):
        counts[_bucket(term)] += settings.CLUSTER_TITLE_WEIGHT
    lead = _lead(article)
    for term in content_terms(lead, _stem):
        counts[_bucket(term)] += 1
    for name in _NAME.findall(lead):
        counts[_bucket("#" + name.lower())] += settings.CLUSTER_NAME_WEIGHT
    return counts


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
        return [t for t, _ in sorted(self.terms.items(), key=lambda x: (-x[1], x[0]))[:n]]


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm > 0 else {}


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

    def candidates(self, vector: Vector, day: float | None,
                   window: float = settings.CLUSTER_WINDOW_DAYS) -> list[EventState]:
        query = sorted(vector.items(), key=lambda x: (-x[1], x[0]))[:settings.CLUSTER_QUERY_TERMS]
        keys: set[int] = set()
        for term, _ in query:
            keys.update(self._index.get(term, ()))
        # An undated article may join any event still held (within the story window).
        return [self.events[k] for k in sorted(keys) if self.events[k].gap(day) <= window]

    def best(self, vector: Vector, day: float | None) -> tuple[EventState | None, float]:
        """The event this vector should join and its content similarity, or ``(None, best
        similarity)``. Only the content decides whether to join (the cosine must reach
        ``settings.CLUSTER_JOIN``); the date only bounds the candidates (the window) and,
        among events about as similar, prefers the closer one in time."""
        best: EventState | None = None
        best_rank = -math.inf
        best_cosine = 0.0
        for event in self.candidates(vector, day):
            cosine = event.cosine(vector)
            if cosine < settings.CLUSTER_JOIN:
                best_cosine = max(best_cosine, cosine)
                continue
            rank = cosine - settings.CLUSTER_TIE_PER_DAY * event.gap(day)
            if rank > best_rank:
                best, best_rank, best_cosine = event, rank, cosine
        if best is None:
            return None, best_cosine
        return best, best_cosine

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
        event, _ = self.best(vector, day)
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
        for term in event.top_terms(settings.CLUSTER_INDEX_TERMS):
            self._index.setdefault(term, set()).add(event.key)

    def _unindex(self, event: EventState) -> None:
        for term in event.terms:
            keys = self._index.get(term)
            if keys is not None:
                keys.discard(event.key)
                if not keys:
                    del self._index[term]

    # --- repairing and linking ---------------------------------------------------------
    def repair(self) -> Repairs:
        """Merge and link the events touched since the last repair: ``(event merges,
        story joins)``, each a list of ``(kept, absorbed)``."""
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
        """Join events that grew into one: ``(kept, absorbed)`` pairs, the older kept."""
        merges: list[tuple[int, int]] = []
        queue = sorted(set(touched))
        while queue:
            key = queue.pop(0)
            event = self.events.get(key)
            if event is None:
                continue
            for other in self._neighbours(event, settings.CLUSTER_WINDOW_DAYS):
                if centroid_cosine(event, other) >= settings.CLUSTER_MERGE:
                    kept, gone = (event, other) if event.key < other.key else (other, event)
                    self._absorb(kept, gone)
                    merges.append((kept.key, gone.key))
                    queue.append(kept.key)
                    break
        return merges

    def link_stories(self, touched: Iterable[int]) -> list[tuple[int, int]]:
        """Join the stories of close events within the story window: ``(kept, absorbed)``
        story pairs, the older kept."""
        joins: list[tuple[int, int]] = []
        for key in sorted(set(touched)):
            event = self.events.get(key)
            if event is None:
                continue
            for other in self._neighbours(event, settings.STORY_WINDOW_DAYS):
                if other.story == event.story:
                    continue
                if centroid_cosine(event, other) >= settings.STORY_LINK:
                    kept, gone = sorted((event.story, other.story))
                    for e in self.events.values():
                        if e.story == gone:
                            e.story = kept
                    joins.append((kept, gone))
        return joins

    def _neighbours(self, event: EventState, window: float) -> list[EventState]:
        keys: set[int] = set()
        for term in event.top_terms(settings.CLUSTER_QUERY_TERMS):
            keys.update(self._index.get(term, ()))
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


def _span_gap(a: EventState, b: EventState) -> float:
    """Days between two events' spans (0 when they overlap or either is undated)."""
    if a.first is None or a.last is None or b.first is None or b.last is None:
        return 0.0
    return max(0.0, b.first - a.last, a.first - b.last)


def unique_ids(articles: Sequence[Article]) -> tuple[list[str], list[str]]:
    """Article ids made unique (a repeated id gets ``~2``, ``~3``...), and a note for each
    repeat."""
    seen: Counter[str] = Counter()
    taken: set[str] = {a.id for a in articles}
    ids, notes = [], []
    for article in articles:
        seen[article.id] += 1
        if seen[article.id] == 1:
            ids.append(article.id)
            continue
        n = seen[article.id]
        new = f"{article.id}~{n}"
        while new in taken:
            n += 1
            new = f"{article.id}~{n}"
        taken.add(new)
        ids.append(new)
        notes.append(f"{article.origin.path}"
                     + (f":{article.origin.line}" if article.origin.line else "")
                     + f": duplicate id '{article.id}' renamed '{new}'")
    return ids, notes


@dataclass(frozen=True, slots=True)
class Clustering:
    """Every article's event and story, in input order, and what was noticed doing it."""

    assignments: tuple[Assignment, ...]
    warnings: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Assignment]:
        return iter(self.assignments)

    def __len__(self) -> int:
        return len(self.assignments)


def canonical_order(articles: Sequence[Article]) -> list[int]:
    """The order articles are clustered in: undated first (while every event is still
    open to them), then by date, then by content. The same articles, in whatever order they
    come, are placed in the same order, so they make the same events."""
    def key(i: int) -> tuple[bool, float, str]:
        article = articles[i]
        day = day_number(article.date)
        return (day is not None, day or 0.0, content_key(article))
    return sorted(range(len(articles)), key=key)


def content_key(article: Article) -> str:
    """A digest of what an article says (id, title, text, date, url): a tie-break for
    articles of the same moment that does not depend on their arrival."""
    digest = hashlib.blake2b(digest_size=12)
    for part in (article.id, article.title or "", article.text,
                 article.date.isoformat() if article.date else "", article.url or ""):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def cluster(articles: Iterable[Article]) -> Clustering:
    """Assign every article to an event and a story (see the module docstring); the
    assignments come back in input order."""
    items = list(articles)
    ids, warnings = unique_ids(items)
    clusterer = Clusterer()
    copies = CopyIndex()
    event_of: list[int] = [0] * len(items)
    copy_of: list[str | None] = [None] * len(items)
    position = {article_id: i for i, article_id in enumerate(ids)}
    merged: dict[int, int] = {}
    joined: dict[int, int] = {}
    story_of: dict[int, int] = {}  # stories of the events that left the window
    for i in canonical_order(items):
        article = items[i]
        sig = signature(article)
        original = copies.original_of(sig)
        original_event = None
        if original is not None:
            copy_of[i] = original
            original_event = _root(merged, event_of[position[original]])
        event, repairs = clusterer.step(term_counts(article), day_number(article.date),
                                        original_event)
        event_of[i] = event.key
        _record(repairs, merged, joined)
        story_of.update((k, e.story) for k, e in clusterer.dropped.items())
        clusterer.dropped.clear()
        if event.key != original_event:  # not folded into its original: indexed itself
            copies.add(ids[i], sig)
    story_of.update((k, e.story) for k, e in clusterer.events.items())
    return _assignments(items, ids, event_of, copy_of, merged, joined, story_of, warnings)


def _assignments(items: list[Article], ids: list[str], event_of: list[int],
                 copy_of: list[str | None], merged: dict[int, int], joined: dict[int, int],
                 story_of: dict[int, int], warnings: list[str]) -> Clustering:
    """Event and story names (``e1``, ``s1``... in input order of first appearance)."""
    event_names: dict[int, str] = {}
    story_names: dict[int, str] = {}
    out = []
    for i, article in enumerate(items):
        root = _root(merged, event_of[i])
        story = _root(joined, story_of.get(root, root))
        event_name = event_names.setdefault(root, f"e{len(event_names) + 1}")
        story_name = story_names.setdefault(story, f"s{len(story_names) + 1}")
        out.append(Assignment(id=ids[i], event=event_name, story=story_name,
                              copy_of=copy_of[i], undated=article.date is None))
    undated = sum(1 for a in items if a.date is None)
    if undated:
        warnings.append(f"{undated} article(s) without a date placed by content only")
    return Clustering(tuple(out), tuple(warnings))


def _record(repairs: Repairs, merged: dict[int, int], joined: dict[int, int]) -> None:
    for kept, gone in repairs[0]:
        merged[gone] = kept
    for kept, gone in repairs[1]:
        joined[gone] = kept


def _root(links: dict[int, int], key: int) -> int:
    while key in links:
        key = links[key]
    return key
