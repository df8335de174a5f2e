"""The facts layer of a brief: entities, figures, quotes, timeline and disagreements.

Runs after alignment and copy detection, on the same sentences and vectors, so that every
item can cite all the articles behind it and count them as independent sources.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from newsfuse import settings
from newsfuse.model import Article, Conflict, Entity, Fact, Quote, TimelineEntry
from newsfuse.story.conflicts import (
    StorySentences,
    assertion_conflicts,
    figure_conflicts,
    similar,
)
from newsfuse.story.entities import (
    Mention,
    build_entities,
    entities_by_key,
    find_mentions,
    merge_mentions,
    spelling_key,
)
from newsfuse.story.figures import (
    INFORMANTS,
    Figure,
    find_figures,
    find_figures_foreign,
    same_statement,
)
from newsfuse.story.groups import DisjointSets
from newsfuse.story.quotes import find_quotes, find_quotes_foreign, merge_quotes
from newsfuse.story.speakers import Budget
from newsfuse.story.timeline import ArticleDates, article_dates, as_datetime, story_timeline


@dataclass(frozen=True, slots=True)
class FactsLayer:
    entities: tuple[Entity, ...]
    facts: tuple[Fact, ...]
    quotes: tuple[Quote, ...]
    timeline: tuple[TimelineEntry, ...]
    conflicts: tuple[Conflict, ...]
    dates: ArticleDates


def facts_layer(articles: Sequence[Article], article_of: np.ndarray,
                lexical: sparse.csr_matrix, semantic: np.ndarray | None,
                claim_of: np.ndarray, is_copy: np.ndarray,
                independent: Callable[[Sequence[str]], int], language: str = "en") -> FactsLayer:
    """Everything but the summary, for one story's usable articles."""
    sentences = [s for a in articles for s in a.sentences]
    order = {a.id: i for i, a in enumerate(articles)}
    dates = article_dates(articles)
    mentions = merge_mentions(find_mentions(articles, language=language))
    entities = build_entities(articles, mentions)
    names, kinds = entity_names(articles, mentions)
    typed = [Mention(m.article_id, m.sentence, m.start, m.end, m.text,
                     kinds.get(m.key, m.type), m.key) for m in mentions]
    quote_mentions = []
    budget = Budget(settings.SPEAKER_MODEL_QUOTES)
    for article in articles:
        own = [m for m in typed if m.article_id == article.id]
        if language != "en":
            quote_mentions.extend(find_quotes_foreign(article, own, names, language))
        else:
            quote_mentions.extend(find_quotes(article, own, names, budget=budget))
    vectors = None
    if semantic is not None and quote_mentions:
        # A quote's meaning: the mean embedding of the sentences it spans (no second pass
        # through the model).
        rows_of: dict[str, list[int]] = {}
        for row, sentence in enumerate(sentences):
            rows_of.setdefault(sentence.article_id, []).append(row)
        rows = []
        for q in quote_mentions:
            spanned = [r for r in rows_of.get(q.article_id, [])
                       if sentences[r].start < q.end and q.start < sentences[r].end]
            rows.append(spanned or rows_of.get(q.article_id, [0])[:1])
        dense = np.asarray(semantic)
        vectors = np.vstack([dense[r].mean(axis=0) for r in rows])
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    quotes = merge_quotes(quote_mentions, order, vectors, independent, language)
    in_quote = np.array([_quoted(s.text) for s in sentences], dtype=bool)
    figures = [(row, f) for row, s in enumerate(sentences)
               for f in (find_figures(s.article_id, s.index, s.text) if language == "en"
                         else find_figures_foreign(s.article_id, s.index, s.text, language))]
    story = StorySentences(
        sentences=sentences, article_of=article_of, article_ids=[a.id for a in articles],
        lexical=lexical, semantic=semantic, claim_of=claim_of,
        dates=[a.date or as_datetime(dates.day.get(a.id)) for a in articles],
        in_quote=in_quote, independent=independent, language=language)
    figure_clashes = figure_conflicts(story, figures)
    # negation and assertion rules read English only
    conflicts = [c for c, _ in figure_clashes] + (assertion_conflicts(story)
                                                  if language == "en" else [])
    conflicts.sort(key=lambda c: -sum(side.independent for side in c.sides))
    clashing = set().union(*(rows for _, rows in figure_clashes)) if figure_clashes else set()
    facts = _facts(story, figures, clashing)
    row_of = {(s.article_id, s.index): row for row, s in enumerate(sentences)}
    disputed = {row_of[(e.article_id, e.index)] for c in conflicts for side in c.sides
                for e in side.evidence if (e.article_id, e.index) in row_of}
    timeline = story_timeline(articles, dates, sentences, article_of, claim_of, lexical,
                              in_quote, is_copy, independent, disputed)
    return FactsLayer(tuple(entities), tuple(facts), tuple(quotes), tuple(timeline),
                      tuple(conflicts), dates)


def empty_layer(articles: Sequence[Article]) -> FactsLayer:
    """No facts, only the articles' own dates (for a summary-only brief)."""
    dates = ArticleDates({a.id: a.date.date() if a.date else None for a in articles}, set(), ())
    return FactsLayer((), (), (), (), (), dates)


def entity_names(articles: Sequence[Article], mentions: Sequence[Mention]
                 ) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Every spelling's key and every entity key -> (display name, type); entity key ->
    type."""
    entities = entities_by_key(articles, mentions)
    names = {key: (e.name, e.type) for key, e in entities.items()}
    kinds = {key: e.type for key, e in entities.items()}
    for m in mentions:
        if m.key in names:
            names.setdefault(spelling_key(m.text), names[m.key])
    return names, kinds


def _quoted(text: str) -> bool:
    """Whether a sentence is mostly a direct quotation (a party's words)."""
    inside = sum(len(m) for m in re.findall(r"[“\"«„»]([^”\"«»„“]+)[”\"»“«]", text))
    opens = text.lstrip()[:1] in "“\"«„—" or text.rstrip()[-1:] in "”\"»“"
    return inside > 0.5 * len(text) or (opens and inside == 0)


def _facts(story: StorySentences, figures: Sequence[tuple[int, Figure]],
           clashing: set[int]) -> list[Fact]:
    """Figures reporting one quantity merged across sources, best supported first."""
    items = [(r, f) for r, f in figures if not story.in_quote[r]]
    sets = DisjointSets(range(len(items)))
    by_key: dict[tuple[str, str], list[int]] = {}
    for k, (_, figure) in enumerate(items):
        by_key.setdefault(figure.key, []).append(k)
    for block in by_key.values():
        rows = [items[k][0] for k in block]
        lexical = (story.lexical[rows] @ story.lexical[rows].T).toarray()
        for x, i in enumerate(block):
            for y in range(x + 1, len(block)):
                j = block[y]
                (ra, fa), (rb, fb) = items[i], items[j]
                if not same_statement(fa, fb) or story.article_of[ra] == story.article_of[rb]:
                    continue
                if similar(story, ra, rb, settings.CONFLICT_FIGURE_LEXICAL,
                           settings.CONFLICT_FIGURE_SEMANTIC, float(lexical[x, y])):
                    sets.union(i, j)
    ranked = []
    for members in sets.groups().values():
        group = [items[k] for k in members]
        rows = [r for r, _ in group]
        sources = tuple(dict.fromkeys(story.article_ids[int(story.article_of[r])]
                                      for r in sorted(rows, key=lambda r: story.article_of[r])))
        labels = Counter(f.label() for _, f in group)
        _, best = min(group, key=lambda it: (-labels[it[1].label()],
                                               int(story.article_of[it[0]]), it[0]))
        values = Counter(f.normalised() for _, f in group)
        value = values.most_common(1)[0][0]
        fact = Fact(text=best.label(), value=value, sources=sources, low=best.low,
                    high=best.high, counts=best.counts, event=best.event,
                    independent=story.independent(sources),
                    evidence=tuple(story.sentences[r] for r in rows),
                    conflict=any(r in clashing for r in rows))
        position = min(story.sentences[r].index for r in rows)
        ranked.append(((best.event is None, -fact.independent, -len(sources), position), fact))
    # A figure with no event is kept only when several sources give it, and counts of
    # informants ("two officials said") are how a report is sourced, not what happened.
    ranked = [(k, f) for k, f in ranked if f.event or (
        f.independent >= 2 and (f.counts or "").lower() not in INFORMANTS)]
    ranked.sort(key=lambda x: x[0])
    return [f for _, f in ranked][:settings.FACTS_MAX]
