"""What the clustering compares: each article as hashed, weighted term counts of its title,
its lead and the names in its lead (see :mod:`newsfuse.corpus.cluster`); a non-English
article also carries language-free terms drawn from its multilingual embedding, so that
reports of one event in different languages meet."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

# MurmurHash3 (x86, 32 bits) of the UTF-8 bytes, as sklearn's murmurhash3_32, from spaCy's
# own dependency: importing sklearn.utils took a CPU-second (pandas, scipy.stats).
from murmurhash.mrmr import hash as murmurhash3_32  # type: ignore[import-untyped]

from newsfuse import settings
from newsfuse.corpus.dedup import signature
from newsfuse.corpus.engine import BUCKETS
from newsfuse.encode import content_terms
from newsfuse.model import Article
from newsfuse.stem import stem

# A capitalised word not at the start of a sentence, or a run of them: a name.
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][\w'’-]+(?: (?:[A-Z][\w'’-]+|al|bin|de|van|von))*")
# The same in other Latin-script languages, accented letters included ("à Égypte").
_NAME_ANY = re.compile(r"(?<=[a-z\u00df-\u00ff,;:] )[A-Z\u00c0-\u00de][\w'’-]+"
                       r"(?: (?:[A-Z\u00c0-\u00de][\w'’-]+|al|bin|de|del|di|van|von))*")


@functools.lru_cache(maxsize=200_000)
def _bucket(term: str) -> int:
    return int(murmurhash3_32(term)) & (BUCKETS - 1)


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


def _fold(name: str) -> str:
    """A name without case or accents: "Égypte" and "Egypte" are one name."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def term_counts(article: Article) -> dict[int, float]:
    """Hashed, weighted term counts: title words, lead words and names in the lead; for an
    article in another language than English, its cross-language terms too."""
    counts: dict[int, float] = defaultdict(float)
    for term in content_terms(article.title or "", _stem):
        counts[_bucket(term)] += settings.CLUSTER_TITLE_WEIGHT
    lead = _lead(article)
    for term in content_terms(lead, _stem):
        counts[_bucket(term)] += 1
    english = article.is_english
    for name in (_NAME if english else _NAME_ANY).findall(lead):
        key = name.lower() if english else _fold(name)
        counts[_bucket("#" + key)] += settings.CLUSTER_NAME_WEIGHT
    if not english:
        for term in crosslingual_terms(f"{article.title or ''}\n{lead}"):
            counts[_bucket(term)] += settings.CLUSTER_CROSS_WEIGHT
    return counts


@functools.cache
def _planes() -> np.ndarray:
    """The fixed random hyperplanes of the cross-language terms (a fixed seed: stored
    event centroids depend on them)."""
    rng = np.random.default_rng(settings.CLUSTER_CROSS_SEED)
    return rng.standard_normal((settings.CLUSTER_CROSS_BANDS * settings.CLUSTER_CROSS_BITS,
                                settings.USE_DIMENSIONS)).astype(np.float32)


@functools.lru_cache(maxsize=4096)
def _embedding(text: str) -> np.ndarray:
    from newsfuse.multilingual import use_vectors

    row: np.ndarray = use_vectors([text])[0]
    return row


def crosslingual_terms(text: str) -> tuple[str, ...]:
    """Language-free terms of a text: its multilingual (USE) embedding hashed by random
    hyperplanes into ``settings.CLUSTER_CROSS_BANDS`` bands of ``CLUSTER_CROSS_BITS`` sign
    bits, one term per band (locality-sensitive hashing: two texts share a band's term with
    probability (1 - angle/pi) ** bits, so translations share most bands and unrelated
    texts few). Empty when the multilingual encoder is not installed."""
    from newsfuse.multilingual import use_available

    if not text.strip() or not use_available():
        return ()
    vector = _embedding(text)
    bits = (_planes() @ vector > 0).reshape(settings.CLUSTER_CROSS_BANDS,
                                            settings.CLUSTER_CROSS_BITS)
    codes = bits @ (1 << np.arange(settings.CLUSTER_CROSS_BITS))
    return tuple(f"~x{band}:{int(code)}" for band, code in enumerate(codes))


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
