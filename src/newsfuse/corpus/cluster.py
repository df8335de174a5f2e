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

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from newsfuse.corpus.engine import Clusterer, EventState, Repairs, day_number
from newsfuse.corpus.features import ArticleFeatures, article_features, term_counts
from newsfuse.corpus.online import MemoryStorage, place_article, root
from newsfuse.model import Article, Assignment

__all__ = ["ArticleFeatures", "Clusterer", "Clustering", "EventState", "Repairs",
           "article_features", "canonical_order", "cluster", "cluster_features", "day_number",
           "term_counts", "unique_ids"]


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
    return sorted(range(len(articles)), key=lambda i: canonical_key(articles[i]))


def canonical_key(article: Article) -> tuple[bool, float, str]:
    """Where ``article`` comes in the canonical order (:func:`canonical_order`)."""
    day = day_number(article.date)
    return (day is not None, day or 0.0, content_key(article))


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
    return cluster_features(items, (article_features(a) for a in items))


def cluster_features(articles: Sequence[Article],
                     features: Iterable[ArticleFeatures]) -> Clustering:
    """:func:`cluster` with each article's features computed beforehand (``features`` in
    the order of ``articles``: computed in parallel, for instance); the same result."""
    items = list(articles)
    ids, warnings = unique_ids(items)
    computed = dict(zip(ids, features, strict=True))
    clusterer = Clusterer()
    storage = MemoryStorage()
    story_of: dict[int, int] = {}  # stories of the events that left the window
    for i in canonical_order(items):
        place_article(clusterer, storage, items[i], ids[i], computed.pop(ids[i]))
        story_of.update((k, e.story) for k, e in clusterer.dropped.items())
        clusterer.dropped.clear()
    story_of.update((k, e.story) for k, e in clusterer.events.items())
    return _assignments(items, ids, [storage.event_of[i] for i in ids],
                        [storage.copy_of.get(i) for i in ids], storage.merged,
                        storage.joined, story_of, warnings)


def _assignments(items: list[Article], ids: list[str], event_of: list[int],
                 copy_of: list[str | None], merged: dict[int, int], joined: dict[int, int],
                 story_of: dict[int, int], warnings: list[str]) -> Clustering:
    """Event and story names (``e1``, ``s1``... in input order of first appearance)."""
    event_names: dict[int, str] = {}
    story_names: dict[int, str] = {}
    out = []
    for i, article in enumerate(items):
        event = root(merged, event_of[i])
        story = root(joined, story_of.get(event, event))
        event_name = event_names.setdefault(event, f"e{len(event_names) + 1}")
        story_name = story_names.setdefault(story, f"s{len(story_names) + 1}")
        out.append(Assignment(id=ids[i], event=event_name, story=story_name,
                              copy_of=copy_of[i], undated=article.date is None))
    undated = sum(1 for a in items if a.date is None)
    if undated:
        warnings.append(f"{undated} article(s) without a date placed by content only")
    return Clustering(tuple(out), tuple(warnings))
