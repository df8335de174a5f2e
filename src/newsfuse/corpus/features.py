"""What the clustering compares: each article as hashed, weighted term counts of its title,
its lead and the names in its lead (see :mod:`newsfuse.corpus.cluster`)."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sklearn.utils import murmurhash3_32

from newsfuse import settings
from newsfuse.corpus.dedup import signature
from newsfuse.corpus.engine import BUCKETS
from newsfuse.encode import content_terms
from newsfuse.model import Article
from newsfuse.stem import stem

# A capitalised word not at the start of a sentence, or a run of them: a name.
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][\w'’-]+(?: (?:[A-Z][\w'’-]+|al|bin|de|van|von))*")


@functools.lru_cache(maxsize=200_000)
def _bucket(term: str) -> int:
    return int(murmurhash3_32(term, seed=0, positive=True)) & (BUCKETS - 1)


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return stem(word)


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


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """All the clustering needs of one article: its MinHash signature (``None`` without
    words) and its hashed term counts. Computed independently per article, so in any
    process (a worker pool, a Spark executor) before the clustering loop places it."""

    signature: np.ndarray | None
    counts: dict[int, float]


def article_features(article: Article) -> ArticleFeatures:
    """The features of ``article`` (pure: the same article always gives the same ones)."""
    return ArticleFeatures(signature(article), dict(term_counts(article)))
