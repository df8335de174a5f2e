"""Near-duplicates: MinHash signatures over word shingles, bucketed by LSH bands.

Two reports whose shingle sets overlap by about ``settings.DEDUP_JACCARD`` or more are the
same text: a wire story republished, a headline carried by several sites. The later one is
folded into the earlier one as a copy. Signatures are datasketch MinHashes; the band layout
(``b`` bands of ``r`` rows) is the one datasketch's MinHashLSH chooses for the threshold, so
the in-memory index (:class:`CopyIndex`) and the store's SQL table of band keys find the same
candidates. A candidate is confirmed on the estimated Jaccard of the full signatures.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Iterable
from typing import TypeVar

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from newsfuse import settings
from newsfuse.model import Article

_WORD = re.compile(r"\w+")
_SEED = 1
_TEMPLATE = MinHash(num_perm=settings.DEDUP_PERMUTATIONS, seed=_SEED)
_LAYOUT = MinHashLSH(threshold=settings.DEDUP_JACCARD, num_perm=settings.DEDUP_PERMUTATIONS)
BANDS, ROWS = _LAYOUT.b, _LAYOUT.r
T = TypeVar("T")


def shingles(article: Article) -> set[bytes]:
    """Word n-grams of the title and body, lower-cased. Short texts (headlines) use shorter
    n-grams, so that one changed word doesn't hide a copy."""
    words = _WORD.findall(f"{article.title or ''} {article.text[:settings.DEDUP_CHARS]}"
                          .lower())
    n = settings.DEDUP_SHINGLE if len(words) > settings.DEDUP_SHORT_WORDS else 2
    if len(words) < n:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + n]).encode() for i in range(len(words) - n + 1)}


def signature(article: Article) -> np.ndarray | None:
    """The MinHash signature of an article (``None`` when it has no words)."""
    grams = shingles(article)
    if not grams:
        return None
    sketch = MinHash(num_perm=settings.DEDUP_PERMUTATIONS, seed=_SEED,
                     permutations=_TEMPLATE.permutations, scheme=_TEMPLATE.scheme)
    sketch.update_batch(list(grams))
    return np.asarray(LeanMinHash(sketch).hashvalues, dtype=np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band (SQLite integers are signed 64-bit)."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS:(band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=struct.pack("<Q", band)).digest()
        keys.append(struct.unpack("<q", digest)[0])
    return keys


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def first_copy(sig: np.ndarray, candidates: Iterable[tuple[T, np.ndarray]]) -> T | None:
    """The first candidate (in the order given: earliest first) whose signature ``sig``
    nearly duplicates, confirmed on the full signatures; ``None`` if none. The one test
    used by the in-memory index and by the store."""
    for key, other in candidates:
        if jaccard(sig, other) >= settings.DEDUP_JACCARD:
            return key
    return None


class CopyIndex:
    """Signatures seen so far, bucketed by band; finds the earliest near-duplicate."""

    def __init__(self) -> None:
        self._buckets: dict[int, list[int]] = {}
        self._items: list[tuple[str, np.ndarray]] = []

    def original_of(self, sig: np.ndarray | None) -> str | None:
        """The id of the first indexed article this signature nearly duplicates."""
        if sig is None:
            return None
        candidates = sorted({i for key in band_keys(sig) for i in self._buckets.get(key, ())})
        return first_copy(sig, (self._items[i] for i in candidates))

    def add(self, article_id: str, sig: np.ndarray | None) -> None:
        if sig is None:
            return
        self._items.append((article_id, sig))
        for key in band_keys(sig):
            self._buckets.setdefault(key, []).append(len(self._items) - 1)


def find_copies(articles: Iterable[Article]) -> dict[str, str]:
    """``{copy id: original id}`` for every near-duplicate of an earlier article."""
    index = CopyIndex()
    copies: dict[str, str] = {}
    for article in articles:
        sig = signature(article)
        original = index.original_of(sig)
        if original is not None:
            copies[article.id] = original
        else:
            index.add(article.id, sig)
    return copies
