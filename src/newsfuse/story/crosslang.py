"""A story told in several languages: which language its brief is written in, and which
sentences may be quoted in it.

The brief is written in the language most of its articles use, or in the one asked for;
its summary quotes only sentences in that language, while every claim still cites the
articles that report it in any language (see :mod:`newsfuse.story.align`), each with its
own sentence in its own language as evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from newsfuse.errors import UsageError
from newsfuse.model import Article


class LanguageNotInStory(UsageError):
    """A brief was asked for in a language none of the story's articles is written in."""


UNKNOWN = "und"  # an article whose language could not be told (BCP 47 "undetermined")
_CODE = re.compile(r"^[a-z]{2,3}$")


def normalise_language(value: str | None) -> str | None:
    """A requested language as a lower-case ISO 639 code, ``None`` when not given; a value
    that is not a two- or three-letter code is a usage error."""
    if value is None or not value.strip():
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if not _CODE.match(code):
        raise UsageError(f"language {value!r} is not an ISO 639 code (such as en, es, fr, it)")
    return code


def story_language(articles: Sequence[Article], requested: str | None = None) -> str:
    """The language of the brief: ``requested`` when given (it must be the language of some
    article), else the one most articles are in (ties: the first met); English when no
    article's language is known."""
    counts = Counter(a.language for a in articles if a.language)
    if requested is not None:
        code = normalise_language(requested)
        if code is not None and code not in counts and not (code == "en" and not counts):
            known = ", ".join(sorted(counts)) or "unknown"
            raise LanguageNotInStory(f"no article in language '{code}' to write the brief in "
                             f"(the story's languages: {known})")
        if code is not None:
            return code
    if not counts:
        return "en"
    return counts.most_common(1)[0][0]


def row_languages(articles: Sequence[Article]) -> np.ndarray:
    """The language of every sentence row (articles' sentences in order), ``und`` when
    the article's language is unknown."""
    return np.array([a.language or UNKNOWN for a in articles for _ in a.sentences],
                    dtype=object)


def quotable_texts(texts: list[str], languages: np.ndarray, language: str) -> list[str]:
    """The sentences the summary may quote: those in ``language`` or of unknown language;
    the others are blanked (a blank sentence is never quoted), so a mixed story's summary
    reads in one language. Nothing is blanked in a single-language story."""
    if all(lang in (language, UNKNOWN) for lang in languages):
        return texts
    return [t if lang in (language, UNKNOWN) else "" for t, lang in
            zip(texts, languages, strict=True)]


def unaligned_languages_note(languages: np.ndarray, multilingual: bool) -> tuple[str, ...]:
    """A note for a brief whose sources are in several languages while its encoder cannot
    compare them (TF-IDF, English MiniLM): such sources are cited only where they share
    words, not where they say the same in other words."""
    known = sorted({str(lang) for lang in languages} - {UNKNOWN})
    if multilingual or len(known) < 2:
        return ()
    return (f"sources in {len(known)} languages ({', '.join(known)}), but the sentence "
            "encoder is not multilingual (story too large for it, or another encoder chosen): "
            "sentences are aligned across languages only where they share words",)
