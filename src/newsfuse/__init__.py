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
from typing import TYPE_CHECKING

from newsfuse.errors import InputError, NewsfuseError, UsageError
from newsfuse.io import ArticleStream, Problem, ReadReport
from newsfuse.io.report import ProblemHandler
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
from newsfuse.text import clean_article

if TYPE_CHECKING:
    from newsfuse.corpus.cluster import Clustering

__version__ = "0.1.0"

__all__ = [
    "Article", "ArticleStream", "Assignment", "Brief", "BriefSource", "Claim", "Dateline",
    "EmbeddedPost",
    "InputError", "NewsfuseError", "Origin", "Problem", "ReadReport", "Removal", "Sentence",
    "SummarySentence", "TimelineEntry", "UsageError", "brief", "clean_article", "cluster",
    "read", "timeline",
]


def read(inputs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], *,
         clean: bool = True, on_problem: ProblemHandler | None = None,
         fmt: str | None = None) -> ArticleStream:
    """Stream the articles in ``inputs`` (files, folders, ``-`` for stdin JSON Lines).

    Articles are cleaned and segmented unless ``clean=False``. Unreadable input is counted
    in the returned stream's ``report`` and passed to ``on_problem``; it never raises for a
    bad file. ``fmt`` forces one reader (text, jsonl, json, html, warc, csv) for all files.
    """
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    return ArticleStream(inputs, on_problem=on_problem, fmt=fmt,
                         prepare=clean_article if clean else None)


def brief(articles: Iterable[Article], *, words: int | None = None,
          sentences: int | None = None, encoder: str = "auto", facts: bool = True) -> Brief:
    """Fuse ``articles`` (one story) into a cited :class:`Brief`.

    ``words`` (default about 120) or ``sentences`` bounds the summary; ``encoder`` is
    ``auto`` (MiniLM when installed and the story is not huge), ``tfidf`` or ``minilm``.
    ``facts=False`` leaves out entities, figures, quotes, timeline and disagreements.
    """
    from newsfuse.fuse import build_brief

    return build_brief(articles, words=words, sentences=sentences, encoder=encoder,
                       facts=facts)


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
