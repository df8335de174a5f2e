"""Cross-source alignment: which sentences of different articles report the same thing.

Comparison is blocked: two sentences are compared only when they share a rare term, found
with one sparse matrix product, so the work grows with the number of sentences rather than
its square. The candidates are then scored lexically (TF-IDF cosine) and, with the MiniLM
encoder, semantically; a short sentence whose terms are nearly all in a longer one also
supports it; a claim is a group of sentences linked above threshold, holding at
most one sentence per article.
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
        return mask

    @property
    def score(self) -> np.ndarray:
        return self.lexical if self.semantic is None else np.maximum(self.lexical, self.semantic)


def candidate_pairs(lexical: sparse.csr_matrix, article_of: np.ndarray,
                    semantic: Matrix | None = None) -> Pairs:
    """Pairs of sentences from different articles that share a rare term, with similarities."""
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
    lex = pair_similarity(lexical, left, right)
    sem = pair_similarity(semantic, left, right) if semantic is not None else None
    rows = binary.tocsr()
    terms = np.diff(rows.indptr)
    overlap = np.asarray(rows[left].multiply(rows[right]).sum(axis=1)).ravel()
    smaller = np.minimum(terms[left], terms[right])
    containment = overlap / np.maximum(1, smaller)
    return Pairs(left, right, lex, sem, containment.astype(np.float32),
                 smaller.astype(np.float32))


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
