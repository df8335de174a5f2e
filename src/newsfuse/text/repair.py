"""Repairs: machine-translation artifacts, PTB tokenization, stray and doubled punctuation."""

from __future__ import annotations

import re
import unicodedata
from itertools import islice

from newsfuse.text.abbreviations import ABBREVIATIONS

# --- whitespace --------------------------------------------------------------------------
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalize_line(line: str) -> str:
    """NFC, invisible characters removed, runs of (non-breaking) spaces collapsed."""
    line = unicodedata.normalize("NFC", line).translate(_INVISIBLE)
    return _SPACES.sub(" ", line).strip()


# --- PTB detokenization ------------------------------------------------------------------
_PTB_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{",
                 "-RCB-": "}"}
_PTB_BRACKET = re.compile(r"-[LR][RSC]B-")
_PTB_MARKERS = re.compile(r"``|''|-[LR][RSC]B-| n't\b| 's\b| 're\b| 've\b| 'll\b| 'm\b")
_PTB_SPACED = re.compile(r"\w \. |\w , ")


def looks_ptb_tokenized(text: str) -> bool:
    """True when ``text`` is Penn-Treebank tokenized (`` '' -LRB- n't, spaced punctuation)."""
    sample = text[:4000]
    markers = len(list(islice(_PTB_MARKERS.finditer(sample), 2)))
    return markers >= 2 or len(list(islice(_PTB_SPACED.finditer(sample), 3))) >= 3


# Penn Treebank tokenization undone with a handful of rewrites (NLTK's detokenizer does the
# same with ~30 `regex` passes and cost half of the cleaning budget on Timeline17).
_DETOKENIZE = (  # plain-string replacements only: no per-match template expansion
    (re.compile(r"``\s*"), '"'),                                          # opening quote
    (re.compile(r"\s*''"), '"'),                                          # closing quote
    (re.compile(r" (?=(?:n't|'s|'re|'ve|'ll|'m|'d)\b)", re.IGNORECASE), ""),  # clitics
    (re.compile(r"`\s*"), "'"),                                           # opening single quote
    (re.compile(r"(?<=\w) (?=' \w)"), ""),                                # "players ' union"
    (re.compile(r"(?<=[\w.!?]) (?='(?:[\s,.;:!?]|$))"), ""),               # closing single quote
    (re.compile(r" (?=[,.;:!?%)\]}])"), ""),                              # space before closers
    (re.compile(r"(?<=[(\[{$]) "), ""),                                    # space after openers
)


def detokenize(line: str) -> str:
    """Undo PTB tokenization: ``do n't`` -> ``don't``, `` `` x '' `` -> ``"x"``, -LRB- -> (."""
    line = line.replace("\\/", "/").replace("\\*", "*")
    if "-" in line:
        line = _PTB_BRACKET.sub(lambda m: _PTB_BRACKETS[m.group(0)], line)
    for pattern, replacement in _DETOKENIZE:
        line = pattern.sub(replacement, line)
    return line


# --- machine-translation artifacts -------------------------------------------------------
# Spanish "EE. UU." (Estados Unidos) rendered literally: "US UU.", "U.S. UU.", "EE. UU."
# The leftover "UU." may also be split off from its "US" by word reordering:
# "US airstrikes. UU. And his" -> "US airstrikes and his".
_UU = re.compile(r"(?P<us>\b(?:U\.S\.A?|USA?|EE\.\s?UU|EE)\.?)?\.?\s+UU\.(?P<comma>,?)"
                 r"\s*(?P<next>\S+)?|\bEE\.\s?UU\.")
_LOWER_AFTER = frozenset({"And", "Or", "But", "The", "A", "An", "Of", "In", "To", "With"})
# Spanish is pro-drop; the translation re-inserts a subject pronoun after the stray token.
_PRONOUNS = frozenset({"He", "She", "It", "They"})
# Two sentences glued by extraction: "from prosecution.Netanyahu was indicted".
_MISSING_SPACE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_PERIOD_BEFORE_LOWER = re.compile(r"(?<=[A-Za-z]{2})\. (?=[a-z])")
_DOUBLED = ((re.compile(r"\.\s+\.(?!\.)"), "."), (re.compile(r"\.\s*,\s*$"), "."),
            (re.compile(r"\.\s+,"), ","),
            (re.compile(r",\s*\.(?!\.)"), "."), (re.compile(r",\s*,"), ","),
            (re.compile(r"(?<=\w)\s+([,;:!?]|\.(?!\.))(?=\s|$)"), r"\1"))
# Cheap test for any doubled or space-preceded punctuation before running the rewrites.
_NEEDS_PUNCTUATION_REPAIR = re.compile(r"[.,] ?[.,]| [,;:!?.]")
_CLOSE_AFTER_SPACE = re.compile(r"([,.!?])\s+”")
_CLOSE_BEFORE_WORD = re.compile(r"”(?=[A-Za-z])")
_OPEN_AT_END = re.compile(r"\s*“\s*$")


def repair_translation(line: str) -> str:
    """Repair the artifacts machine translation leaves in English text."""
    if "UU" in line:
        line = _UU.sub(_uu, line)
    line = _guillemets(line)
    if _NEEDS_PUNCTUATION_REPAIR.search(line):
        for pattern, replacement in _DOUBLED:
            line = pattern.sub(replacement, line)
    line = _PERIOD_BEFORE_LOWER.sub(_period_before_lower, line)
    line = _MISSING_SPACE.sub(" ", line)
    if "”" in line or "“" in line:
        line = _CLOSE_AFTER_SPACE.sub(r"\1”", line)
        line = _CLOSE_BEFORE_WORD.sub("” ", line)
        line = _OPEN_AT_END.sub("”", line)
    return (_SPACES.sub(" ", line) if "  " in line else line).strip()


def _uu(match: re.Match[str]) -> str:
    if match.lastindex is None:  # a bare "EE. UU."
        return "US"
    return ("US" if match.group("us") else "") + _after_uu(match)


def _after_uu(match: re.Match[str]) -> str:
    nxt = match.group("next") or ""
    if match.group("comma"):
        return ", " + (nxt.lower() if nxt in _LOWER_AFTER else nxt)
    if nxt in _PRONOUNS:
        return ""  # "the US ambassador. UU. He was" -> "the US ambassador was"
    if nxt in _LOWER_AFTER:
        return " " + nxt.lower()
    if not nxt or nxt[:1].isupper() or nxt[:1] in "“\"":
        return ". " + nxt if nxt else "."  # the token closed a sentence
    return " " + nxt


def _period_before_lower(match: re.Match[str]) -> str:
    text = match.string
    start = match.start()
    word_start = start
    while word_start > 0 and text[word_start - 1].isalpha():
        word_start -= 1
    if word_start > 0 and text[word_start - 1] in ".-’'":  # "U.S.", "a.m." and the like
        return match.group(0)
    return match.group(0) if text[word_start:start].lower() in ABBREVIATIONS else " "


def _guillemets(line: str) -> str:
    """Balanced « » become curly quotes; stray ones (translation debris) are dropped."""
    if "«" not in line and "»" not in line:
        return line
    if line.count("«") == line.count("»") and line.find("«") < line.find("»"):
        return line.replace("« ", "“").replace("«", "“").replace(" »", "”").replace("»", "”")
    return re.sub(r"\s*[«»]\s*", " ", line)
