"""The facts layer of a brief: entities, figures, quotes, timeline and disagreements.

Each is a stage reading the one :class:`~newsfuse.story.record.Story` the summary reads
(its sentences, vectors, claims and copies), so that every item can cite all the articles
behind it and count them as independent sources.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsfuse import settings
from newsfuse.model import Article, Conflict, Entity, Fact, Quote, TimelineEntry
from newsfuse.story.conflicts import assertion_conflicts, figure_conflicts, similar
from newsfuse.story.entities import Mention, entities_by_key, rank_entities, spelling_key
from newsfuse.story.figures import INFORMANTS, same_statement
from newsfuse.story.groups import DisjointSets
from newsfuse.story.quotes import find_quotes, find_quotes_foreign, merge_quotes
from newsfuse.story.record import Story
from newsfuse.story.speakers import Budget
from newsfuse.story.timeline import ArticleDates, story_timeline


@dataclass(frozen=True, slots=True)
class FactsLayer:
    """What the facts stages found in a story, and the day each article is read against."""

    entities: tuple[Entity, ...]
    facts: tuple[Fact, ...]
    quotes: tuple[Quote, ...]
    timeline: tuple[TimelineEntry, ...]
    conflicts: tuple[Conflict, ...]
    dates: ArticleDates


def facts_layer(story: Story) -> FactsLayer:
    """Everything but the summary: entities, quotes, disagreements, key figures and the
    timeline of the story."""
    entities = story_entities(story)
    quotes = story_quotes(story)
    conflicts, clashing = story_conflicts(story)
    facts = key_figures(story, clashing)
    row_of = {ref: row for row, ref in enumerate(story.refs)}
    disputed = {row_of[(e.article_id, e.index)] for c in conflicts for side in c.sides
                for e in side.evidence if (e.article_id, e.index) in row_of}
    timeline = story_timeline(story, disputed)
    return FactsLayer(tuple(entities), tuple(facts), tuple(quotes), tuple(timeline),
                      tuple(conflicts), story.dates)


def story_entities(story: Story) -> list[Entity]:
    """The people, organisations and places of the story, variants merged."""
    return rank_entities(story.entities.values())


def story_quotes(story: Story) -> list[Quote]:
    """The story's quotations with their speakers, one per utterance however many
    articles render it (translations merged where sentence embeddings allow)."""
    names, kinds = _names(story.entities, story.mentions)
    typed = [Mention(m.article_id, m.sentence, m.start, m.end, m.text,
                     kinds.get(m.key, m.type), m.key) for m in story.mentions]
    quote_mentions = []
    budget = Budget(settings.SPEAKER_MODEL_QUOTES)
    for article in story.articles:
        own = [m for m in typed if m.article_id == article.id]
        if story.language != "en":
            quote_mentions.extend(find_quotes_foreign(article, own, names, story.language))
        else:
            quote_mentions.extend(find_quotes(article, own, names, budget=budget))
    sentences = story.sentences
    vectors = None
    if story.semantic is not None and quote_mentions:
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
        dense = np.asarray(story.semantic)
        vectors = np.vstack([dense[r].mean(axis=0) for r in rows])
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    order = {a.id: i for i, a in enumerate(story.articles)}
    return merge_quotes(quote_mentions, order, vectors, story.independent, story.language)


def story_conflicts(story: Story) -> tuple[list[Conflict], set[int]]:
    """Where the sources disagree, best supported first; with the rows of the figures that
    clash (such a figure is marked disputed among the key figures)."""
    figure_clashes = figure_conflicts(story)
    # negation and assertion rules read English only
    conflicts = [c for c, _ in figure_clashes] + (assertion_conflicts(story)
                                                  if story.language == "en" else [])
    conflicts.sort(key=lambda c: -sum(side.independent for side in c.sides))
    clashing = set().union(*(rows for _, rows in figure_clashes)) if figure_clashes else set()
    return conflicts, clashing


def warm_up(articles: Sequence[Article], language: str, model: bool = True) -> None:
    """Do ahead what the facts layer of a brief of ``articles`` written in ``language`` will
    read whatever its story: its modules and the gazetteer; with ``model``, the language
    model's passes over the texts they will be run on should ``articles`` prove one event
    (the names in the budget of sentences, the context of each quote within the speakers'
    budget), kept in :mod:`newsfuse.nlp`'s caches by text. For a thread started while the
    brief waits on something else (its sentence vectors, encoded in another process);
    nothing it computes differs from what the brief would compute itself, so an input of
    several events only wastes some of this work."""
    import newsfuse.fuse  # noqa: F401  (the brief's modules, imported ahead)
    from newsfuse import nlp
    from newsfuse.story import entities, ner, speakers
    from newsfuse.story import quotes as quotes_module

    entities._places()
    if not model or not nlp.language_available(language):
        return
    usable: list[Article] = []
    seen: set[str] = set()
    for article in articles:  # as the brief takes them: with body text, each id once
        if article.sentences and article.id not in seen:
            usable.append(article)
        seen.add(article.id)
    ner.sentence_names(usable, language)
    if language != "en":
        return
    budget = Budget(settings.SPEAKER_MODEL_QUOTES)
    contexts: list[str] = []
    for article in usable:
        spans = quotes_module._quote_spans(article)
        if not spans or not budget.take(len(spans)):
            continue
        bounds = {s.index: (s.start, s.end) for s in article.sentences}
        sentence_at = quotes_module._sentence_index(article)
        contexts.extend(speakers._context(article.text, spans, bounds, sentence_at, k)[0]
                        for k in range(len(spans)))
    nlp.parse(contexts)


def empty_layer(story: Story) -> FactsLayer:
    """No facts, only the articles' own dates (for a summary-only brief)."""
    dates = ArticleDates({a.id: a.date.date() if a.date else None for a in story.articles},
                         set(), ())
    return FactsLayer((), (), (), (), (), dates)


def entity_names(articles: Sequence[Article], mentions: Sequence[Mention]
                 ) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Every spelling's key and every entity key -> (display name, type); entity key ->
    type."""
    return _names(entities_by_key(articles, mentions), mentions)


def _names(entities: dict[str, Entity], mentions: Sequence[Mention]
           ) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    names = {key: (e.name, e.type) for key, e in entities.items()}
    kinds = {key: e.type for key, e in entities.items()}
    for m in mentions:
        if m.key in names:
            names.setdefault(spelling_key(m.text), names[m.key])
    return names, kinds


def key_figures(story: Story, clashing: set[int]) -> list[Fact]:
    """Figures reporting one quantity merged across sources, best supported first;
    ``clashing`` rows hold figures the sources disagree on."""
    items = [(r, f) for r, f in story.figures if not story.in_quote[r]]
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
        f.independent >= settings.FACTS_MIN_INDEPENDENT_WITHOUT_EVENT
        and (f.counts or "").lower() not in INFORMANTS)]
    ranked.sort(key=lambda x: x[0])
    return [f for _, f in ranked][:settings.FACTS_MAX]
