"""The one online clustering loop and the storage it writes to.

:func:`add_article` is everything that happens to one article, whoever drives it: batch
clustering (:func:`newsfuse.corpus.cluster.cluster`, with :class:`MemoryStorage`) and the
store (:mod:`newsfuse.corpus.store`, which keeps the same things in SQLite). A storage
answers one question (is this a near-duplicate of an article already placed, and in which
event is that one now?) and records three things (where an article went, which events
merged, which stories joined); the clustering decisions are all in
:class:`newsfuse.corpus.engine.Clusterer`.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from newsfuse.corpus.dedup import CopyIndex
from newsfuse.corpus.engine import Clusterer, EventState, Repairs, day_number
from newsfuse.corpus.features import ArticleFeatures, article_features
from newsfuse.model import Article


class Storage(Protocol):
    """Where the placements of an online clustering are kept."""

    def original_of(self, sig: np.ndarray | None) -> tuple[str, int] | None:
        """The earliest placed article this signature nearly duplicates, and the event it
        is in now; ``None`` if none."""

    def place(self, article: Article, article_id: str, event: EventState,
              copy_of: str | None, sig: np.ndarray | None, indexed: bool) -> None:
        """Record that ``article`` (as ``article_id``) went to ``event``; ``indexed`` says
        whether later copies should find it (it was not folded into its original)."""

    def repair(self, repairs: Repairs) -> None:
        """Record event merges and story joins, each ``(kept, absorbed)``."""


def add_article(clusterer: Clusterer, storage: Storage, article: Article,
                article_id: str) -> EventState:
    """Place one article: find whether it copies a placed one, let the clusterer place it
    (and merge and link what that touched), and record it all in ``storage``. Returns the
    event it was placed in (a merge recorded in the same step may have absorbed it)."""
    return place_article(clusterer, storage, article, article_id, article_features(article))


def place_article(clusterer: Clusterer, storage: Storage, article: Article, article_id: str,
                  features: ArticleFeatures) -> EventState:
    """:func:`add_article` with the article's features computed beforehand (by a worker
    process, or a Spark executor): the same step, the same decisions."""
    sig = features.signature
    original = storage.original_of(sig)
    original_event = original[1] if original is not None else None
    event, repairs = clusterer.step(features.counts, day_number(article.date), original_event)
    storage.place(article, article_id, event, original[0] if original is not None else None,
                  sig, indexed=event.key != original_event)
    storage.repair(repairs)
    return event


class MemoryStorage:
    """Placements kept in memory, for clustering a batch of articles at once."""

    def __init__(self) -> None:
        self.copies = CopyIndex()
        self.event_of: dict[str, int] = {}
        self.copy_of: dict[str, str] = {}
        self.merged: dict[int, int] = {}  # absorbed event -> kept event
        self.joined: dict[int, int] = {}  # absorbed story -> kept story

    def original_of(self, sig: np.ndarray | None) -> tuple[str, int] | None:
        found = self.copies.original_of(sig)
        if found is None:
            return None
        return found, root(self.merged, self.event_of[found])

    def place(self, article: Article, article_id: str, event: EventState,
              copy_of: str | None, sig: np.ndarray | None, indexed: bool) -> None:
        self.event_of[article_id] = event.key
        if copy_of is not None:
            self.copy_of[article_id] = copy_of
        if indexed:
            self.copies.add(article_id, sig)

    def repair(self, repairs: Repairs) -> None:
        merges, joins = repairs
        for kept, gone in merges:
            self.merged[gone] = kept
        for kept, gone in joins:
            self.joined[gone] = kept


def root(links: dict[int, int], key: int) -> int:
    """Follow ``absorbed -> kept`` links to the key that stands now."""
    while key in links:
        key = links[key]
    return key
