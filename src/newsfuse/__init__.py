"""newsfuse: read, clean and fuse many news reports of one event into a cited brief.

The public API::

    import newsfuse
    stream = newsfuse.read(["reports/"])
    articles = list(stream)
    print(stream.report.summary())
    result = newsfuse.brief(articles, words=120)
    print(result.headline, [s.text for s in result.summary])
    events = newsfuse.cluster(articles)          # event and story of every article
    entries = newsfuse.timeline(articles, dates=10, sentences=2)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, overload

from newsfuse.errors import InputError, NewsfuseError, UsageError
from newsfuse.model import (
    Article,
    Assignment,
    Brief,
    BriefSource,
    Claim,
    Dateline,
    EmbeddedPost,
    Origin,
    Removal,
    Sentence,
    SummarySentence,
    TimelineEntry,
)

if TYPE_CHECKING:
    from newsfuse.corpus.cluster import Clustering
    from newsfuse.io import ArticleStream, Problem, ReadReport
    from newsfuse.io.report import ProblemHandler
    from newsfuse.split import BriefSet, EventGroup

# Heavy parts (readers, cleaning, clustering, the model) load on first use, so that
# ``import newsfuse`` and ``newsfuse --help`` start at once.
_LAZY = {"ArticleStream": "newsfuse.io", "Problem": "newsfuse.io", "ReadReport": "newsfuse.io",
         "clean_article": "newsfuse.text", "BriefSet": "newsfuse.split",
         "EventGroup": "newsfuse.split"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsfuse' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "Article", "ArticleStream", "Assignment", "Brief", "BriefSet", "BriefSource", "Claim",
    "Dateline", "EmbeddedPost", "EventGroup", "InputError", "NewsfuseError", "Origin",
    "Problem", "ReadReport", "Removal", "Sentence", "SummarySentence", "TimelineEntry",
    "UsageError", "brief", "clean_article", "cluster", "find_events", "read", "timeline",
]


def read(inputs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], *,
         clean: bool = True, on_problem: ProblemHandler | None = None,
         fmt: str | None = None, workers: int = 1) -> ArticleStream:
    """Stream the articles in ``inputs`` (files, folders, ``-`` for stdin JSON Lines).

    Articles are cleaned and segmented unless ``clean=False``. Unreadable input is counted
    in the returned stream's ``report`` and passed to ``on_problem``; it never raises for a
    bad file. ``fmt`` forces one reader (text, jsonl, json, html, warc, csv) for all files.
    ``workers`` > 1 reads and cleans in that many processes (see :mod:`newsfuse.parallel`):
    the same articles, in the same order, with the same problems reported.
    """
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    if workers > 1:
        from newsfuse.parallel import ParallelStream

        return ParallelStream(inputs, workers=workers, on_problem=on_problem, fmt=fmt,
                              clean=clean)
    from newsfuse.io import ArticleStream
    from newsfuse.text import clean_article

    return ArticleStream(inputs, on_problem=on_problem, fmt=fmt,
                         prepare=clean_article if clean else None)


@overload
def brief(articles: Iterable[Article], *, words: int | None = None,
          sentences: int | None = None, encoder: str = "auto", facts: bool = True,
          events: Literal["largest", "together"] = "largest",
          language: str | None = None) -> Brief: ...


@overload
def brief(articles: Iterable[Article], *, words: int | None = None,
          sentences: int | None = None, encoder: str = "auto", facts: bool = True,
          events: Literal["all"], language: str | None = None) -> BriefSet: ...


def brief(articles: Iterable[Article], *, words: int | None = None,
          sentences: int | None = None, encoder: str = "auto", facts: bool = True,
          events: str = "largest", language: str | None = None) -> Brief | BriefSet:
    """Fuse the reports of one event into a cited :class:`Brief`.

    Unrelated reports are never fused: the input is split into events first (see
    :mod:`newsfuse.split`). ``events`` chooses what is briefed: ``largest`` (default) the
    largest event, its ``warnings`` naming every other event's articles; ``all`` each event,
    largest first, returned as a :class:`BriefSet`; ``together`` everything as one event,
    without looking (for input known to be one event, such as a store's event).

    ``words`` (default about 120) or ``sentences`` bounds the summary; ``encoder`` is
    ``auto`` (MiniLM when installed and the story is not huge), ``tfidf`` or ``minilm``.
    ``facts=False`` leaves out entities, figures, quotes, timeline and disagreements.
    ``language`` (ISO 639: ``es``, ``fr``...) is the language the brief is written in; by
    default the one most of the event's articles use. Sentences in other languages are
    cited as support, each shown in its own language, never quoted in the summary.
    """
    from newsfuse.split import brief_events

    found = brief_events(articles, words=words, sentences=sentences, encoder=encoder,
                         facts=facts, events=events, language=language)
    if events == "all":
        return found
    made = found.events[0].brief
    assert made is not None  # brief_events briefs the first event unless told "all"
    return made


def find_events(articles: Iterable[Article], *, encoder: str = "auto") -> tuple[EventGroup, ...]:
    """The events of ``articles``, largest first, without briefing them: what
    :func:`brief` splits the input into (see :mod:`newsfuse.split`)."""
    from newsfuse.encode import get_encoder
    from newsfuse.split import split_input

    items = list(articles)
    chosen = get_encoder(encoder, sum(len(a.sentences) for a in items),
                         [a.language for a in items])
    return split_input(items, chosen)


def cluster(articles: Iterable[Article]) -> Clustering:
    """Assign every article to an event and a story, in input order (see
    :mod:`newsfuse.corpus.cluster`); near-duplicates are marked ``copy_of``."""
    from newsfuse.corpus.cluster import cluster as run

    return run(articles)


def timeline(articles: Iterable[Article], *, dates: int = 10,
             sentences: int = 1) -> tuple[TimelineEntry, ...]:
    """A timeline summary of a long-running topic: the ``dates`` most important days, each
    with up to ``sentences`` sentences saying what happened (see :mod:`newsfuse.timelines`)."""
    from newsfuse.timelines import summarize_timeline

    return summarize_timeline(articles, dates=dates, sentences=sentences)
