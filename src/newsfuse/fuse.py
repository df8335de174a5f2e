"""Fusing the reports of one story into a :class:`~newsfuse.model.Brief`.

read -> clean (already done by the reader) -> align sentences into claims -> find copies ->
count independent support -> select the summary -> headline. Pure: articles in, Brief out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

import numpy as np

from newsfuse.encode import Encoder, get_encoder, is_multilingual, lexical_vectors
from newsfuse.errors import UsageError
from newsfuse.model import Article, Brief, BriefSource, Claim, CopyRelation, SummarySentence
from newsfuse.story.align import Pairs, candidate_pairs, group_claims
from newsfuse.story.copies import (
    copy_groups,
    find_copies,
    independent_count,
    near_identical,
)
from newsfuse.story.crosslang import (
    quotable_texts,
    row_languages,
    story_language,
    unaligned_languages_note,
)
from newsfuse.story.facts import empty_layer, facts_layer
from newsfuse.story.timeline import as_datetime
from newsfuse.summarize import (
    StoryMatrix,
    clean_title,
    compress,
    select_summary,
    summary_sentences,
)
from newsfuse.text.languages import ENGLISH, limitations


def build_brief(articles: Iterable[Article], *, words: int | None = None,
                sentences: int | None = None, encoder: str | Encoder = "auto",
                facts: bool = True, language: str | None = None) -> Brief:
    """The brief of ``articles``, which together form one story.

    ``words`` (default about 120) or ``sentences`` bounds the summary. ``encoder`` is
    ``auto``, ``tfidf`` or ``minilm`` (see :func:`newsfuse.encode.get_encoder`), or an
    encoder object (one shared by the briefs of several events).
    ``facts=False`` skips the facts layer (entities, figures, quotes, timeline, conflicts).
    ``language`` (ISO 639) is the language the brief is written in; by default the one
    most articles use (English, Spanish, French, Italian, German or another, see
    :mod:`newsfuse.text.languages`). Sentences in other languages support and are cited,
    not quoted; what the language's rules cannot do is said in the warnings.
    Raises :class:`UsageError` when no article has body text to work with.
    """
    everything = list(articles)
    usable, warnings = _usable(everything)
    language = story_language(usable, language)
    if not usable:
        raise UsageError("no article with body text to build a brief from"
                         + (f" ({'; '.join(warnings)})" if warnings else ""))
    refs = [(a.id, s.index) for a in usable for s in a.sentences]
    texts = [s.text for a in usable for s in a.sentences]
    article_of = np.array([i for i, a in enumerate(usable) for _ in a.sentences], dtype=np.int64)
    lexical = lexical_vectors(texts, language)
    chosen = get_encoder(encoder, len(texts), [a.language for a in usable])
    multilingual = is_multilingual(chosen)
    # an English-only model would compare foreign sentences by their shared names only
    semantic = chosen.encode(texts) if chosen.semantic and (
        multilingual or language == ENGLISH) else None
    languages = row_languages(usable)
    pairs = candidate_pairs(lexical, article_of, semantic,
                            languages if multilingual and semantic is not None else None)
    warnings += unaligned_languages_note(languages, multilingual and semantic is not None)
    warnings += limitations(language, paraphrases=multilingual and semantic is not None)
    members = group_claims(pairs, article_of)
    relations = find_copies(usable, pairs, article_of)
    claims = _claims(usable, members, article_of, pairs, relations)
    copies = {r.copy for r in relations}
    story = StoryMatrix(
        texts=quotable_texts(texts, languages, language), article_of=article_of,
        position=np.array([s.index for a in usable for s in a.sentences]),
        relative=np.array([s.index / max(1, len(a.sentences)) for a in usable
                           for s in a.sentences]),
        lexical=lexical, semantic=semantic,
        is_copy=np.array([a.id in copies for a in usable for _ in a.sentences]),
        language=language)
    selected = select_summary(claims, members, story, words=words, sentences=sentences)
    summary = summary_sentences(selected, story, refs, [s for a in usable for s in a.sentences])
    headline = _headline(usable, summary[0] if summary else None, texts[0], copies)
    copy_of = {r.copy: r.original for r in relations}
    groups = copy_groups(usable, relations)
    group_of = {a.id: groups[i] for i, a in enumerate(usable)}

    def independent(sources: Sequence[str]) -> int:
        return len({group_of.get(s, s) for s in sources})

    claim_of = np.full(len(texts), -1, dtype=np.int64)
    for claim_id, rows in enumerate(members):
        if len(rows) > 1:
            claim_of[rows] = claim_id
    layer = facts_layer(usable, article_of, lexical, semantic, claim_of, story.is_copy,
                        independent, language) if facts else empty_layer(usable)
    first_of_id: dict[str, Article] = {}  # a repeated id is listed once, as its first article
    for article in everything:
        first_of_id.setdefault(article.id, article)
    sources = tuple(
        BriefSource(id=a.id, title=a.title, date=a.date, outlet=a.outlet,
                    copy_of=copy_of.get(a.id), language=a.language,
                    agency=a.dateline.agency if a.dateline else None,
                    date_inferred=a.id in layer.dates.inferred)
        for a in first_of_id.values())
    sources = tuple(
        s if s.date is not None or s.id not in layer.dates.inferred else
        BriefSource(id=s.id, title=s.title, date=as_datetime(layer.dates.day[s.id]),
                    outlet=s.outlet, copy_of=s.copy_of, language=s.language, agency=s.agency,
                    date_inferred=True)
        for s in sources)
    return Brief(headline=headline, date=_story_date(usable), summary=tuple(summary),
                 sources=sources, facts=layer.facts, entities=layer.entities,
                 quotes=layer.quotes, timeline=layer.timeline, conflicts=layer.conflicts,
                 claims=tuple(claims), warnings=tuple(warnings) + layer.dates.warnings,
                 language=language)


def _usable(articles: list[Article]) -> tuple[list[Article], list[str]]:
    usable, warnings = [], []
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            warnings.append(f"{article.id}: duplicate article id; later copy left out")
        elif not article.sentences:
            warnings.append(f"{article.id}: no body text (headline only); not aligned")
        else:
            usable.append(article)
        seen.add(article.id)
    return usable, warnings


def _claims(articles: list[Article], members: list[list[int]], article_of: np.ndarray,
            pairs: Pairs, relations: list[CopyRelation]) -> list[Claim]:
    groups = copy_groups(articles, relations)
    identical = {(int(min(pairs.left[k], pairs.right[k])), int(max(pairs.left[k], pairs.right[k])))
                 for k in near_identical(pairs)}
    sentences = [s for a in articles for s in a.sentences]
    claims = []
    for claim_id, rows in enumerate(members):
        order = sorted(rows, key=lambda r: int(article_of[r]))
        claims.append(Claim(
            id=claim_id, sentences=tuple(sentences[r] for r in order),
            sources=tuple(articles[int(article_of[r])].id for r in order),
            independent=independent_count(order, article_of, groups, identical)))
    return claims


def _headline(articles: list[Article], lead: SummarySentence | None, fallback: str,
              copies: set[str]) -> str:
    """The title of the article the lead is quoted from, or of another article reporting the
    lead claim (originals before copies); failing that, the lead cut to its main clause.
    Either way the sources' own words."""
    if lead is None:
        return compress(fallback)
    by_id = {a.id: a for a in articles}
    order = [lead.article_id, *sorted(lead.sources, key=lambda i: i in copies)]
    for article_id in order:
        article = by_id.get(article_id)
        if article is not None and article.title:
            return clean_title(article.title)
    return compress(lead.text)


def _story_date(articles: list[Article]) -> datetime | None:
    dates = Counter(a.date.date() for a in articles if a.date is not None)
    if not dates:
        return None
    day, _ = max(dates.items(), key=lambda kv: (kv[1], -kv[0].toordinal()))
    return datetime(day.year, day.month, day.day)
