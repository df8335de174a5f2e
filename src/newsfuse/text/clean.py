"""The cleaning stage: raw article in, clean article with sentences and metadata out.

The cascade, in order: normalise whitespace and undo PTB tokenization; drop furniture lines
(ads, pitches, credits, bylines, subheadings); cut inline furniture (embedded-post signatures,
credits in parentheses); take the dateline off the first paragraph; repair translation
artifacts; segment; drop furniture sentences; identify the language.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from newsfuse import settings
from newsfuse.model import Article, Dateline, EmbeddedPost, Removal, Sentence
from newsfuse.text.boilerplate import (
    END_OF_ARTICLE,
    WEAK_PITCH,
    is_boilerplate_line,
    strip_inline,
    strip_page_header,
)
from newsfuse.text.dateline import split_dateline
from newsfuse.text.furniture import strip_leading_credit
from newsfuse.text.headings import is_heading, runs_on
from newsfuse.text.language import identify_language
from newsfuse.text.languages import BRIEF_LANGUAGES
from newsfuse.text.repair import (
    detokenize,
    looks_ptb_tokenized,
    normalize_line,
    repair_translation,
)
from newsfuse.text.segment import sentence_spans

_LONG_LINE_CHARS = 600  # about MAX_FURNITURE_LINE_WORDS words
_BLOCK_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
_PITCH = "subscription or donation pitch"


def clean_article(article: Article) -> Article:
    """Clean ``article`` and segment it; pure: the input record is not changed."""
    warnings = list(article.warnings)
    raw = article.text
    if len(raw) > settings.MAX_ARTICLE_CHARS:
        raw = raw[: settings.MAX_ARTICLE_CHARS]
        warnings.append(f"text longer than {settings.MAX_ARTICLE_CHARS} characters; "
                        "the rest was left out")
    ptb = looks_ptb_tokenized(raw)
    removed: list[Removal] = []
    embeds: list[EmbeddedPost] = []
    title = _clean_title(article.title, ptb)
    paragraphs = _paragraphs(raw, ptb, title, removed, embeds)
    dateline: Dateline | None = None
    if paragraphs:
        paragraphs[0], cut = strip_page_header(paragraphs[0])
        removed.extend(cut)
        dateline, rest = split_dateline(paragraphs[0])
        if dateline is not None:
            repeated, rest_again = split_dateline(rest)  # "WASHINGTON--WASHINGTON (AP)--"
            if repeated is not None and repeated.place == dateline.place:
                dateline, rest = repeated, rest_again
            paragraphs[0] = rest.strip()
    paragraphs = [p for p in (repair_translation(p) for p in paragraphs) if p]
    language = article.language
    if language is None or len(language) != 2:  # before segmenting: abbreviations differ
        language, _ = identify_language(f"{title or ''}\n" + "\n".join(paragraphs))
    text, sentences = _segment(article.id, paragraphs, removed, language)
    if language not in (None, "en"):
        warnings.append(f"language identified as '{language}', not English"
                        + ("" if language in BRIEF_LANGUAGES else
                           "; no sentence rules for it, kept whole"))
    return replace(article, title=title, text=text, sentences=tuple(sentences),
                   dateline=dateline, language=language, embeds=tuple(embeds),
                   removed=tuple(removed), warnings=tuple(warnings))


def _clean_title(title: str | None, ptb: bool) -> str | None:
    if not title:
        return None
    line = normalize_line(title.replace("\n", " "))
    if ptb or looks_ptb_tokenized(line):
        line = detokenize(line)
    return repair_translation(line) or None


def _paragraphs(raw: str, ptb: bool, title: str | None, removed: list[Removal],
                embeds: list[EmbeddedPost]) -> list[str]:
    """Lines of reporting, furniture removed (recorded in ``removed``)."""
    kept: list[str] = []
    for block in _BLOCK_BREAK.split(raw.replace("\r\n", "\n").replace("\r", "\n")):
        lines = _unwrapped([normalize_line(x) for x in block.split("\n")])
        lines = [detokenize(x) if ptb else x for x in lines if x]
        if lines and not kept:  # a page header goes before its parts are judged one by one
            lines[0], cut = strip_page_header(lines[0])
            removed.extend(cut)
        lines = [x for x in (_leading_furniture(x, removed) for x in lines) if x]
        # a long line is judged sentence by sentence later, never dropped whole
        reasons = [is_boilerplate_line(x) if len(x.split()) <= settings.MAX_FURNITURE_LINE_WORDS
                   else None for x in lines]
        if _PITCH in reasons:  # a pitch block takes its short lead-in lines with it
            reasons = [_PITCH if r is None and WEAK_PITCH.search(x) and len(x) < 300 else r
                       for x, r in zip(lines, reasons, strict=True)]
        for line, reason in zip(lines, reasons, strict=True):
            if reason is not None:
                removed.append(Removal(reason, line))
                continue
            if not kept and title and line == title:
                continue  # the page repeats its headline as the first line
            line, cut, embed = strip_inline(line)
            removed.extend(cut)
            if embed is not None:
                embeds.append(embed)
            if line:
                kept.append(line)
    return _drop_subheadings(kept, removed)


def _wrapped(line: str, following: str) -> bool:
    """``line`` stops mid-sentence and ``following`` goes on with it in lower case."""
    return runs_on(line) and following[:1].islower()


def _unwrapped(lines: list[str]) -> list[str]:
    """The block's lines, its paragraphs joined again when it was hard-wrapped (printed or
    mailed text cut at a fixed width: "l'armée égyptienne a mis" / "en garde contre ...").
    A block is hard-wrapped when most of its line ends go on in lower case on the next line;
    then every line that does not end a sentence runs on, save a line in capitals (a
    heading). A single wrapped pair in ordinary text is left alone: it may be a heading
    or a list."""
    lines = [x for x in lines if x]
    if len(lines) < settings.UNWRAP_MIN_LINES:
        return lines
    wrapped = sum(_wrapped(x, y) for x, y in pairwise(lines))
    if wrapped < settings.UNWRAP_SHARE * (len(lines) - 1):
        return lines
    out = [lines[0]]
    for line in lines[1:]:
        previous = out[-1]
        if runs_on(previous) and not previous.isupper() and not line.isupper():
            out[-1] = previous + " " + line
        else:
            out.append(line)
    return out


def _leading_furniture(line: str, removed: list[Removal]) -> str:
    """The line without the credits, controls or notices it opens with (a long line is
    left to the same cuts sentence by sentence)."""
    if len(line) > _LONG_LINE_CHARS:
        return line
    rest, cuts = strip_leading_credit(line)
    removed.extend(Removal(kind, text) for kind, text in cuts)
    return rest


def _drop_subheadings(paragraphs: list[str], removed: list[Removal]) -> list[str]:
    """Section headings between paragraphs are not reporting (see ``text.headings``)."""
    out: list[str] = []
    for i, line in enumerate(paragraphs):
        if is_heading(paragraphs, i):
            removed.append(Removal("subheading", line))
        else:
            out.append(line)
    return out


def _fragment(sentence: str) -> str | None:
    """A lone word cut off from its sentence by translation ("... political system. Iraq.");
    not a question or an exclamation ("Ready?"), nor a sentence of a script without spaces."""
    words = sentence.split()
    if (len(words) == 1 and sentence[:1].isalpha() and sentence.endswith(".")
            and len(sentence) <= settings.MAX_FRAGMENT_CHARS):
        return "sentence fragment"
    return None


def _segment(article_id: str, paragraphs: list[str], removed: list[Removal],
             language: str | None = None) -> tuple[str, list[Sentence]]:
    """Join paragraphs into the clean text and cut it into sentences with exact spans."""
    parts: list[str] = []
    sentences: list[Sentence] = []
    offset = 0
    verdicts: dict[str, str | None] = {}  # each piece is judged once

    def judge(piece: str) -> str | None:
        piece = piece.strip()
        if piece not in verdicts:
            verdicts[piece] = is_boilerplate_line(piece, sentence=True)
        return verdicts[piece]

    for paragraph in paragraphs:
        kept: list[str] = []
        spans = sentence_spans(paragraph, stop=judge, language=language)
        for i, (start, end) in enumerate(spans):
            piece, cuts = strip_leading_credit(paragraph[start:end].strip())
            removed.extend(Removal(kind, text) for kind, text in cuts)
            reason = judge(piece) or (_fragment(piece) if len(spans) > 1 else None)
            if reason in END_OF_ARTICLE and i >= 3:  # a run-on page: the rest is furniture
                removed.append(Removal(reason, paragraph[start:].strip()))
                break
            if reason is not None:
                removed.append(Removal(reason, piece))
            elif piece:
                kept.append(piece)
        if not kept:
            continue
        if parts:
            offset += 2  # the blank line between paragraphs
        for j, piece in enumerate(kept):
            if j:
                offset += 1
            sentences.append(Sentence(article_id, len(sentences), piece, offset,
                                      offset + len(piece)))
            offset += len(piece)
        parts.append(" ".join(kept))
    return "\n\n".join(parts), sentences
