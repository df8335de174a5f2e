"""Fusing the reports of one story into a :class:`~newsfuse.model.Brief`.

read -> clean (already done by the reader) -> build the story once (sentences, vectors,
claims, copies, independent support: :mod:`newsfuse.story.record`) -> select the summary ->
headline -> the facts layer (:mod:`newsfuse.story.facts`), every stage reading that one
record. Pure: articles in, Brief out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from newsfuse.encode import Encoder
from newsfuse.errors import UsageError
from newsfuse.model import Article, Brief, BriefSource, SummarySentence
from newsfuse.story.crosslang import story_language, unaligned_languages_note
from newsfuse.story.facts import empty_layer, facts_layer
from newsfuse.story.record import Story, build_story
from newsfuse.story.timeline import ArticleDates, as_datetime
from newsfuse.summarize import clean_title, compress, select_summary, summary_sentences
from newsfuse.text.languages import limitations


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
    story = build_story(usable, language, encoder)
    warnings += unaligned_languages_note(story.languages, story.cross_lingual)
    warnings += limitations(language, paraphrases=story.cross_lingual)
    summary = summary_sentences(select_summary(story, words=words, sentences=sentences), story)
    layer = facts_layer(story) if facts else empty_layer(story)
    return Brief(headline=_headline(story, summary[0] if summary else None),
                 date=_story_date(usable), summary=tuple(summary),
                 sources=_sources(everything, story, layer.dates), facts=layer.facts,
                 entities=layer.entities, quotes=layer.quotes, timeline=layer.timeline,
                 conflicts=layer.conflicts, claims=story.claims,
                 warnings=tuple(warnings) + layer.dates.warnings, language=language)


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


def _headline(story: Story, lead: SummarySentence | None) -> str:
    """The title of the article the lead is quoted from, or of another article reporting the
    lead claim (originals before copies); failing that, the lead cut to its main clause.
    Either way the sources' own words."""
    if lead is None:
        return compress(story.sentences[0].text)
    by_id = {a.id: a for a in story.articles}
    order = [lead.article_id, *sorted(lead.sources, key=lambda i: i in story.copy_ids)]
    for article_id in order:
        article = by_id.get(article_id)
        if article is not None and article.title:
            return clean_title(article.title)
    return compress(lead.text)


def _sources(everything: list[Article], story: Story, dates: ArticleDates
             ) -> tuple[BriefSource, ...]:
    """Every article given (a repeated id once, as its first article), with what it copies
    and its day when it was inferred."""
    copy_of = {r.copy: r.original for r in story.copies}
    first_of_id: dict[str, Article] = {}
    for article in everything:
        first_of_id.setdefault(article.id, article)
    return tuple(
        BriefSource(id=a.id, title=a.title,
                    date=a.date if a.date is not None or a.id not in dates.inferred
                    else as_datetime(dates.day[a.id]),
                    outlet=a.outlet, copy_of=copy_of.get(a.id), language=a.language,
                    agency=a.dateline.agency if a.dateline else None,
                    date_inferred=a.id in dates.inferred)
        for a in first_of_id.values())


def _story_date(articles: list[Article]) -> datetime | None:
    dates = Counter(a.date.date() for a in articles if a.date is not None)
    if not dates:
        return None
    day, _ = max(dates.items(), key=lambda kv: (kv[1], -kv[0].toordinal()))
    return datetime(day.year, day.month, day.day)
