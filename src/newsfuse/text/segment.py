"""Sentence boundaries: blingfire's fast segmenter, then repairs for quotations and titles.

blingfire (a compiled, rule-and-model segmenter) is two orders of magnitude faster than pysbd
and held up as well on our labelled sample (``benchmarks/segmentation.py``); its one
systematic weakness for news, splitting inside multi-sentence quotations, is repaired here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import blingfire

from newsfuse import settings
from newsfuse.text.abbreviations import ABBREVIATIONS, TITLES
from newsfuse.text.languages import CALENDARS, abbreviations, titles


def sentence_spans(paragraph: str, stop: Callable[[str], object] | None = None,
                   language: str | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``paragraph`` (one paragraph, no newlines).

    ``stop(piece)`` true marks a piece that must stay on its own (page furniture), so that an
    unclosed quotation is not merged into it. ``language`` adds that language's
    abbreviations (:mod:`newsfuse.text.languages`) to the English ones.
    """
    if not paragraph.strip():
        return []
    words = _Abbreviations.of(language)
    pieces = _locate(paragraph, blingfire.text_to_sentences(paragraph).split("\n"))
    pieces = [span for piece in pieces for span in _split_missed(paragraph, piece, words)]
    return _merge(paragraph, pieces, stop, words)


@dataclass(frozen=True)
class _Abbreviations:
    """The abbreviations and titles segmentation honours for one language."""

    every: frozenset[str]
    titles: frozenset[str]
    lower_titles: frozenset[str] = frozenset()  # written in lower case: "il dott. Bianchi"
    ordinal_months: frozenset[str] = frozenset()  # after a day's ordinal: "am 30. Juni"

    @staticmethod
    @functools.cache
    def of(language: str | None) -> _Abbreviations:
        extra = titles(language) if language else frozenset()
        own = abbreviations(language) if language else frozenset()
        calendar = CALENDARS.get(language or "")
        months = frozenset(m.lower() for forms in calendar.months for m in forms) \
            if calendar is not None and language == "de" else frozenset()
        return _Abbreviations(ABBREVIATIONS | own | extra, TITLES | extra, extra, months)


# A boundary blingfire sometimes misses: "a sit-in. Dozens of flags" (a lower-case word or a
# number, a full stop, then a capitalised word), outside quotations and abbreviations.
_MISSED = re.compile(r"(?<=[a-z0-9%à-ÿ])[.!?](?P<space>\s+)(?=[“\"‘(«„¿¡]?[A-ZÀ-Þ][a-zà-ÿ])")


def _split_missed(text: str, span: tuple[int, int],
                  words: _Abbreviations) -> list[tuple[int, int]]:
    start, end = span
    piece = text[start:end]
    out: list[tuple[int, int]] = []
    cut = 0
    for match in _MISSED.finditer(piece):
        word = piece[piece.rfind(" ", 0, match.start()) + 1: match.start()]
        if word.lower() in words.every or "." in word or quote_open(piece[cut:match.end()]):
            continue
        out.append((start + cut, start + match.start() + 1))
        cut = match.end("space")
    out.append((start + cut, end))
    return out


def _locate(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Character spans of blingfire's sentences in ``text``.

    Finding the returned strings is several times faster than blingfire's own offset API,
    whose Python loop over bytes dominated cleaning time. A sentence blingfire normalised
    (so it is not found verbatim) is skipped to the next one found; no text is lost, since
    the gap is joined to the sentence before it.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        start = text.find(sentence, position)
        if start < 0:
            continue
        if spans and start > spans[-1][1] and text[spans[-1][1]:start].strip():
            spans[-1] = (spans[-1][0], start)  # keep an unmatched stretch with its neighbour
        spans.append((start, start + len(sentence)))
        position = start + len(sentence)
    if not spans:
        return [(0, len(text))] if text.strip() else []
    if text[spans[-1][1]:].strip():
        spans[-1] = (spans[-1][0], len(text.rstrip()))
    if text[: spans[0][0]].strip():
        spans[0] = (0, spans[0][1])
    return [(s, _rstrip_end(text, s, e)) for s, e in spans]


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _merge(text: str, pieces: list[tuple[int, int]], stop: Callable[[str], object] | None,
           words: _Abbreviations) -> list[tuple[int, int]]:
    """Re-join pieces split inside an open quotation or after a title abbreviation."""
    merged: list[tuple[int, int]] = []
    run = 0
    for start, end in pieces:
        if stop is not None and stop(text[start:end]):
            merged.append((start, end))
            run = settings.MAX_QUOTE_MERGE_PIECES  # nothing joins a furniture piece
            continue
        if merged and run < settings.MAX_QUOTE_MERGE_PIECES and _continues(
                text[merged[-1][0]:merged[-1][1]], text[start:end], words) and (
                end - merged[-1][0] <= settings.MAX_QUOTE_MERGE_CHARS):
            merged[-1] = (merged[-1][0], end)
            run += 1
        else:
            merged.append((start, end))
            run = 0
    return merged


def _continues(previous: str, following: str, words: _Abbreviations) -> bool:
    if previous.endswith("."):
        last_word = previous[:-1].rsplit(None, 1)[-1] if previous[:-1].strip() else ""
        last_word = last_word.lstrip("(«“\"„")
        if following[:1].isupper() and (
                (last_word[:1].isupper() and last_word.lower() in words.titles)
                or last_word in words.lower_titles):  # "Gov." + "Ron Smith", "dott. Bianchi"
            return True
        if words.ordinal_months and last_word.isdigit() and \
                following.split(None, 1)[0].rstrip(".,").lower() in words.ordinal_months:
            return True  # "am 30." + "Juni"
        if ((following[:1].islower() or following[:1].isdigit())
                and last_word.lower() in words.every):  # "núm. 5", "z. B. die"
            return True
    return quote_open(previous) and following.lstrip()[:1] not in ("“",)


def quote_open(text: str) -> bool:
    """True when ``text`` opens a quotation it does not close: English “…”, German „…“,
    guillemets either way round (« … » in French, » … « in German) or straight quotes."""
    if "„" in text:  # German: „ opens, “ (or ”) closes
        curly_open = text.count("„") > text.count("“") + text.count("”")
    else:
        curly_open = text.count("“") > text.count("”")
    straight_open = text.count('"') % 2 == 1
    return curly_open or straight_open or _guillemet_open(text)


def _guillemet_open(text: str) -> bool:
    left, right = text.count("«"), text.count("»")
    if left == right:
        return False
    first = min(i for i in (text.find("«"), text.find("»")) if i >= 0)
    return (left > right) if text[first] == "«" else (right > left)
