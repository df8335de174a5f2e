"""Telling a section heading from a paragraph, in any language and in PTB-tokenized text.

A heading is judged in its context, not alone: a short line that does not end like a
sentence is a heading only when running text follows it and it does not belong to a run of
short lines (a list, a table, a menu of items the article presents), does not continue the
line before it (hard-wrapped text), is not mostly figures (a table row, a dateline), and
reads like a title (most words capitalised, or few words). A sentence that has merely lost
its final punctuation is longer and in sentence case, so it stays.
"""

from __future__ import annotations

import re

from newsfuse import settings

# Sentence-final marks of the scripts news is written in, and marks a line ends on when the
# text goes on in the next line (a hard-wrapped paragraph).
SENTENCE_END = ".!?:;…。！？．｡؟۔।"
CONTINUES = ",，、-–—(/"
CLOSERS = "\"”’'»)]）」』›"
_OPENING_QUOTES = "\"“‘'«「『‹"
_WORD = re.compile(r"\w+", re.UNICODE)
_FIGURE = re.compile(r"^[\d.,:/%$€£+\-–]+$")
# Scripts written without spaces between words: length is judged in characters there.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def _core(line: str) -> str:
    return line.rstrip(CLOSERS + " \u00a0")


def ends_sentence(line: str) -> bool:
    """Whether ``line`` ends like a sentence (closing quotes and brackets aside)."""
    core = _core(line)
    return bool(core) and core[-1] in SENTENCE_END


def runs_on(line: str) -> bool:
    """Whether ``line`` stops short of a sentence's end: it ends on a word, a figure or a
    mark other than a sentence-final one (a line of nothing but closers does not)."""
    return bool(_core(line)) and not ends_sentence(line)


def _size(line: str) -> int:
    """Words, or characters divided by a word's typical length in unspaced scripts."""
    words = len(line.split())
    unspaced = len(_UNSPACED.findall(line))
    return max(words, unspaced // settings.UNSPACED_CHARS_PER_WORD)


def _short_open(line: str) -> bool:
    """Short, and not ending like a sentence or a line that goes on."""
    core = _core(line)
    return (bool(core) and _size(line) <= settings.MAX_HEADING_WORDS
            and core[-1] not in SENTENCE_END + CONTINUES)


def _mostly_figures(line: str) -> bool:
    tokens = line.split()
    figures = sum(bool(_FIGURE.match(t)) for t in tokens)
    return figures * 2 >= len(tokens) or (figures >= 2 and figures * 3 >= len(tokens))


def _title_like(line: str) -> bool:
    """Most words capitalised, all capitals, or a script without case; or very few words."""
    words = [w for w in _WORD.findall(line) if w[:1].isalpha()]
    if len(line.split()) <= settings.HEADING_ANY_CASE_WORDS or _quoted(line):
        return True
    cased = [w for w in words if w[:1].upper() != w[:1].lower()]
    if not cased:
        return True
    long = [w for w in cased if len(w) > 3] or cased
    capitalised = sum(w[:1].isupper() for w in long)
    return bool(capitalised >= settings.HEADING_TITLE_CASE_SHARE * len(long))


def _quoted(line: str) -> bool:
    """A pull quote set as a heading: the whole line inside quotation marks."""
    return (len(line) > 2 and line[0] in _OPENING_QUOTES and line[-1] in CLOSERS
            and not any(q in line[1:-1] for q in _OPENING_QUOTES + CLOSERS[:4]))


def _running_text(line: str, heading: str) -> bool:
    """A paragraph a heading can introduce: ends like a sentence and is clearly longer."""
    return ends_sentence(line) and _size(line) >= max(settings.HEADING_MIN_NEXT_WORDS,
                                                      2 * _size(heading))


def is_heading(lines: list[str], i: int) -> bool:
    """Whether ``lines[i]`` is a section heading between the paragraphs around it."""
    line = lines[i].strip()
    if i + 1 >= len(lines) or not _short_open(line):
        return False
    first = next((c for c in line if c.isalnum()), "")
    if first and first.islower():  # the rest of a wrapped line, or a list item
        return False
    if _mostly_figures(line) or not _title_like(line):
        return False
    if i > 0:
        before = _core(lines[i - 1].strip())
        if before and (before[-1] in CONTINUES or _short_open(lines[i - 1].strip())):
            return False  # a wrapped line, or one item of a run of short lines
    return _running_text(lines[i + 1].strip(), line)
