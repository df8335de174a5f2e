"""Cross-source alignment: which sentences of different articles report the same thing.

Comparison is blocked: two sentences are compared only when they share a rare term, found
with one sparse matrix product, so the work grows with the number of sentences rather than
its square. The candidates are then scored lexically (TF-IDF cosine) and, with the MiniLM
encoder, semantically; a short sentence whose terms are nearly all in a longer one also
supports it; a claim is a group of sentences linked above threshold, holding at
most one sentence per article.

Across languages sentences share no rare term: when the story mixes languages and the
encoder is multilingual (:mod:`newsfuse.multilingual`), each sentence is also paired with
its closest sentences in the other languages, and such a pair is aligned on its embedding
cosine alone (``settings.ALIGN_CROSS_SEMANTIC``): a Spanish and a French sentence that say
the same thing are one claim.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from newsfuse import settings
from newsfuse.encode import Matrix, pair_similarity
from newsfuse.story.groups import DisjointSets


@dataclass(frozen=True)
class Pairs:
    """Candidate sentence pairs (row indices, left < right) and their similarities."""

    left: np.ndarray
    right: np.ndarray
    lexical: np.ndarray
    semantic: np.ndarray | None
    containment: np.ndarray     # share of the shorter sentence's terms found in the other
    smaller: np.ndarray         # number of terms of the shorter sentence
    cross: np.ndarray | None = None  # the two sentences are in different languages

    def across(self) -> np.ndarray:
        """Mask of the pairs whose sentences are in different languages."""
        return self.cross if self.cross is not None else np.zeros(len(self.left), dtype=bool)

    def __len__(self) -> int:
        return len(self.left)

    @property
    def aligned(self) -> np.ndarray:
        """Mask of the pairs that report the same thing."""
        mask = self.lexical >= settings.ALIGN_LEXICAL
        contained = ((self.containment >= settings.ALIGN_CONTAINMENT)
                     & (self.smaller >= settings.ALIGN_CONTAINMENT_MIN_TERMS))
        if self.semantic is not None:
            mask |= ((self.semantic >= settings.ALIGN_SEMANTIC)
                     & (self.lexical >= settings.ALIGN_SEMANTIC_MIN_LEXICAL))
            mask |= contained & (self.semantic >= settings.ALIGN_CONTAINMENT_MIN_SEMANTIC)
        else:
            mask |= contained & (self.lexical >= settings.ALIGN_CONTAINMENT_MIN_LEXICAL)
        if self.cross is not None and self.semantic is not None:
            mask = np.where(self.cross, self.semantic >= settings.ALIGN_CROSS_SEMANTIC, mask)
        return mask

    @property
    def score(self) -> np.ndarray:
        return self.lexical if self.semantic is None else np.maximum(self.lexical, self.semantic)


def candidate_pairs(lexical: sparse.csr_matrix, article_of: np.ndarray,
                    semantic: Matrix | None = None,
                    language_of: np.ndarray | None = None) -> Pairs:
    """Pairs of sentences from different articles that share a rare term, with similarities.

    With ``language_of`` (the language of each row) naming several languages and dense
    multilingual ``semantic`` rows, pairs across languages are added by embedding
    neighbours (see :func:`cross_language_pairs`) and flagged ``cross``."""
    n = lexical.shape[0]
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        none = np.zeros(0, np.float32)
        return Pairs(empty, empty, none, None, none, none)
    binary = (lexical > 0).astype(np.int32).tocsc()
    df = np.diff(binary.indptr)
    rare = np.flatnonzero((df >= 2) & (df <= settings.BLOCK_MAX_POSTINGS))
    blocks = binary[:, rare].tocsr()
    shared = sparse.triu(blocks @ blocks.T, k=1).tocoo()
    need = 2 if n > settings.BLOCK_TWO_TERMS_ABOVE else 1
    keep = (shared.data >= need) & (article_of[shared.row] != article_of[shared.col])
    left, right = shared.row[keep].astype(np.int64), shared.col[keep].astype(np.int64)
    cross = None
    if (language_of is not None and semantic is not None and not sparse.issparse(semantic)
            and len(set(language_of.tolist())) > 1):
        extra_left, extra_right = cross_language_pairs(semantic, language_of)
        known = set(zip(left.tolist(), right.tolist(), strict=True))
        new = [k for k, pair in enumerate(zip(extra_left.tolist(), extra_right.tolist(),
                                              strict=True)) if pair not in known]
        left = np.concatenate([left, extra_left[new]])
        right = np.concatenate([right, extra_right[new]])
        cross = language_of[left] != language_of[right]
    lex = pair_similarity(lexical, left, right)
    sem = pair_similarity(semantic, left, right) if semantic is not None else None
    rows = binary.tocsr()
    terms = np.diff(rows.indptr)
    overlap = np.asarray(rows[left].multiply(rows[right]).sum(axis=1)).ravel()
    smaller = np.minimum(terms[left], terms[right])
    containment = overlap / np.maximum(1, smaller)
    return Pairs(left, right, lex, sem, containment.astype(np.float32),
                 smaller.astype(np.float32), cross)


def cross_language_pairs(semantic: np.ndarray,
                         language_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (left < right) of sentences in different languages: each sentence with its
    ``settings.CROSS_ALIGN_NEIGHBOURS`` closest sentences of every other language, kept when
    the cosine reaches ``settings.ALIGN_CROSS_SEMANTIC``. Computed a block of rows at a
    time, so memory stays bounded by the block times the story's sentences."""
    languages = sorted(set(language_of.tolist()))
    k = settings.CROSS_ALIGN_NEIGHBOURS
    found_left: list[np.ndarray] = []
    found_right: list[np.ndarray] = []
    columns = {lang: np.flatnonzero(language_of == lang) for lang in languages}
    step = settings.CROSS_ALIGN_CHUNK_ROWS
    for lo in range(0, len(language_of), step):
        block = np.asarray(semantic[lo:lo + step], dtype=np.float32)
        for lang, cols in columns.items():
            rows = np.flatnonzero(language_of[lo:lo + len(block)] != lang)
            if len(rows) == 0 or len(cols) == 0:
                continue
            sims = block[rows] @ np.asarray(semantic[cols], dtype=np.float32).T
            take = min(k, len(cols))
            best = np.argpartition(-sims, take - 1, axis=1)[:, :take]
            values = np.take_along_axis(sims, best, axis=1)
            ok = values >= settings.ALIGN_CROSS_SEMANTIC
            r = np.repeat(rows + lo, take).reshape(len(rows), take)[ok]
            c = cols[best[ok]]
            found_left.append(np.minimum(r, c))
            found_right.append(np.maximum(r, c))
    if not found_left:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    pairs = np.unique(np.stack([np.concatenate(found_left), np.concatenate(found_right)],
                               axis=1).astype(np.int64), axis=0)
    return pairs[:, 0], pairs[:, 1]


def group_claims(pairs: Pairs, article_of: np.ndarray) -> list[list[int]]:
    """Sentence groups, strongest links first, never two sentences of one article in a
    group; every sentence is in exactly one group."""
    sets = DisjointSets(range(len(article_of)))
    articles = {i: {int(a)} for i, a in enumerate(article_of)}  # by group root
    aligned = np.flatnonzero(pairs.aligned)
    for k in aligned[np.argsort(-pairs.score[aligned], kind="stable")]:
        a, b = sets.find(int(pairs.left[k])), sets.find(int(pairs.right[k]))
        if a == b or articles[a] & articles[b]:
            continue
        root = sets.union(a, b)
        articles[root] = articles[a] | articles[b]
    return sorted((sorted(g) for g in sets.groups().values()), key=lambda g: g[0])
