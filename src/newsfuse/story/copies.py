"""Copies: articles and paragraphs reproduced from the same wire story.

Near-identical sentences (``settings.COPY_SENTENCE_SIM`` and ``COPY_SENTENCE_CONTAINMENT``)
mark reuse; across languages, a pair whose multilingual embedding cosine reaches
``COPY_CROSS_SEMANTIC`` is the same sentence translated (a wire story carried in another
language). Two articles sharing enough of them are a copy and its original; any claim supported by
near-identical sentences counts them as one source. The original is the earlier article;
on the same date, the agency's own copy rather than another outlet's syndicated one; failing
that, the one less of whose text the other holds (the fuller version).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from newsfuse import settings
from newsfuse.model import Article, CopyRelation
from newsfuse.story.align import Pairs
from newsfuse.story.groups import DisjointSets


def near_identical(pairs: Pairs) -> np.ndarray:
    """Indices of the pairs whose sentences are the same text, lightly edited, or the same
    text translated (pairs across languages, judged on their embedding cosine)."""
    same = ((pairs.lexical >= settings.COPY_SENTENCE_SIM)
            & (pairs.containment >= settings.COPY_SENTENCE_CONTAINMENT))
    if pairs.cross is not None and pairs.semantic is not None:
        same = np.where(pairs.cross, pairs.semantic >= settings.COPY_CROSS_SEMANTIC, same)
    return np.flatnonzero(same)


def find_copies(articles: list[Article], pairs: Pairs, article_of: np.ndarray,
                identical: np.ndarray) -> list[CopyRelation]:
    """Copy relations between articles, judged from their near-identical sentences (the
    indices of ``pairs`` that :func:`near_identical` keeps)."""
    shared: Counter[tuple[int, int]] = Counter()
    seen: set[tuple[int, int, int]] = set()
    for k in identical:
        a, b = int(article_of[pairs.left[k]]), int(article_of[pairs.right[k]])
        key = (min(a, b), max(a, b))
        # count each sentence of the pair's first article once per other article
        marker = (key[0], key[1], int(pairs.left[k] if a == key[0] else pairs.right[k]))
        if marker not in seen:
            seen.add(marker)
            shared[key] += 1
    relations = []
    for (a, b), count in sorted(shared.items()):
        sizes = len(articles[a].sentences), len(articles[b].sentences)
        if count < settings.COPY_MIN_SHARED or count < settings.COPY_MIN_SHARE * min(sizes):
            continue
        original, copy = _original_first(articles, a, b, count)
        relations.append(CopyRelation(copy=articles[copy].id, original=articles[original].id,
                                      shared=count))
    return relations


def _original_first(articles: list[Article], a: int, b: int, count: int) -> tuple[int, int]:
    date_a, date_b = articles[a].date, articles[b].date
    if date_a and date_b and date_a.date() != date_b.date():
        return (a, b) if date_a < date_b else (b, a)
    own_a, own_b = _agency_role(articles[a]), _agency_role(articles[b])
    if own_a != own_b:  # the agency's own copy beats a syndicated one
        return (a, b) if own_a > own_b else (b, a)
    share_a = count / max(1, len(articles[a].sentences))
    share_b = count / max(1, len(articles[b].sentences))
    return (a, b) if share_a <= share_b else (b, a)


def _agency_role(article: Article) -> int:
    """2: published by the agency its dateline credits; 0: another outlet carrying an agency
    story (syndication); 1: cannot tell."""
    agency = article.dateline.agency if article.dateline else None
    if not agency or not article.outlet:
        return 1
    return 2 if agency.lower() in article.outlet.lower() else 0


def copy_groups(articles: list[Article], relations: list[CopyRelation]) -> list[int]:
    """For each article, the index of its group of mutual copies (independent origin)."""
    index = {a.id: i for i, a in enumerate(articles)}
    sets = DisjointSets(range(len(articles)))
    for relation in relations:
        sets.union(index[relation.original], index[relation.copy])
    return [sets.find(i) for i in range(len(articles))]


def independent_count(members: list[int], article_of: np.ndarray, groups: list[int],
                      identical: set[tuple[int, int]]) -> int:
    """Sources behind a claim's sentences, copies and reused paragraphs counted once."""
    sets = DisjointSets(members)
    for i, x in enumerate(members):
        for y in members[i + 1:]:
            same_origin = groups[int(article_of[x])] == groups[int(article_of[y])]
            if same_origin or (min(x, y), max(x, y)) in identical:
                sets.union(x, y)
    return len(sets.groups())
