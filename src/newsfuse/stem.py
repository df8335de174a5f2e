"""The Porter stemmer (Porter, 1980), with the common extensions of NLTK's default mode.

Every lexical stage (TF-IDF rows, clustering terms, figure and conflict matching) stems
words so that "injured" meets "injuring". The stems are exactly those of
``nltk.stem.porter.PorterStemmer()`` (a test compares them over the dev data's vocabulary),
so results do not move; importing NLTK for it, though, loaded most of NLTK, SciPy's
statistics and scikit-learn: about a second of every command's start-up.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

_VOWELS = frozenset("aeiou")
# Irregular forms the extended algorithm maps directly.
_IRREGULAR = {"skies": "sky", "sky": "sky", "dying": "die", "lying": "lie", "tying": "tie",
              "news": "news", "innings": "inning", "inning": "inning", "outings": "outing",
              "outing": "outing", "cannings": "canning", "canning": "canning", "howe": "howe",
              "proceed": "proceed", "exceed": "exceed", "succeed": "succeed"}

Condition = Callable[[str], bool] | None


def _consonant(word: str, i: int) -> bool:
    """Whether ``word[i]`` is a consonant: not a vowel, and a 'y' only after a vowel or at
    the start."""
    while True:
        ch = word[i]
        if ch in _VOWELS:
            return False
        if ch != "y" or i == 0:
            return True
        # a 'y' is a consonant exactly when the letter before it is not
        i -= 1
        if word[i] in _VOWELS:
            return True
        if word[i] != "y" or i == 0:
            return False
        i -= 1


def measure(stem: str) -> int:
    """m in [C](VC)^m[V]: the number of vowel-consonant sequences."""
    m = 0
    previous_vowel = False
    for i in range(len(stem)):
        consonant = _consonant(stem, i)
        if consonant and previous_vowel:
            m += 1
        previous_vowel = not consonant
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _consonant(stem, i) for i in range(len(stem)))


def _double_consonant(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _consonant(word, len(word) - 1)


def _cvc(word: str) -> bool:
    """*o: ends consonant-vowel-consonant, the last not w, x or y (or a two-letter
    vowel-consonant word, an extension)."""
    n = len(word)
    if n >= 3:
        return (_consonant(word, n - 3) and not _consonant(word, n - 2)
                and _consonant(word, n - 1) and word[-1] not in "wxy")
    return n == 2 and not _consonant(word, 0) and _consonant(word, 1)


def _m_positive(stem: str) -> bool:
    return measure(stem) > 0


def _m_above_one(stem: str) -> bool:
    return measure(stem) > 1


def _apply(word: str, rules: tuple[tuple[str, str, Condition], ...]) -> str:
    """The first rule whose suffix ends ``word`` decides: replaced when its condition holds
    on the stem, else the word is left as it is."""
    for suffix, replacement, condition in rules:
        if word.endswith(suffix):
            stem = word[:len(word) - len(suffix)]
            return stem + replacement if condition is None or condition(stem) else word
    return word


_STEP1A = (("sses", "ss", None), ("ies", "i", None), ("ss", "ss", None), ("s", "", None))
_STEP2 = tuple((s, r, _m_positive) for s, r in (
    ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"),
    ("izer", "ize"), ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"),
    ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"),
    ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"),
    ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"), ("fulli", "ful")))
_STEP3 = tuple((s, r, _m_positive) for s, r in (
    ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"),
    ("ful", ""), ("ness", "")))
_STEP4: tuple[tuple[str, str, Condition], ...] = (
    *((s, "", _m_above_one) for s in ("al", "ance", "ence", "er", "ic", "able", "ible", "ant",
                                      "ement", "ment", "ent")),
    ("ion", "", lambda stem: measure(stem) > 1 and stem[-1] in "st"),
    *((s, "", _m_above_one) for s in ("ou", "ism", "ate", "iti", "ous", "ive", "ize")))


def _step1a(word: str) -> str:
    if len(word) == 4 and word.endswith("ies"):
        return word[:-1]
    return _apply(word, _STEP1A)


def _step1b(word: str) -> str:
    if word.endswith("ied"):
        return word[:-1] if len(word) == 4 else word[:-3] + "i"
    if word.endswith("eed"):
        return word[:-1] if measure(word[:-3]) > 0 else word
    for suffix in ("ed", "ing"):
        if word.endswith(suffix) and _has_vowel(word[:-len(suffix)]):
            return _tidy_1b(word[:-len(suffix)])
    return word


def _tidy_1b(stem: str) -> str:
    """After -ed/-ing: restore an 'e' (hop(e)), or undo a doubled consonant (hopp)."""
    if stem.endswith(("at", "bl", "iz")):
        return stem + "e"
    if _double_consonant(stem):
        return stem[:-1] if stem[-1] not in "lsz" else stem
    if measure(stem) == 1 and _cvc(stem):
        return stem + "e"
    return stem


def _step1c(word: str) -> str:
    if word.endswith("y") and len(word) > 2 and _consonant(word, len(word) - 2):
        return word[:-1] + "i"
    return word


def _step2(word: str) -> str:
    # the extension applies -alli -> -al first and runs the result through step 2 again
    if word.endswith("alli") and _m_positive(word[:-4]):
        return _step2(word[:-4] + "al")
    if word.endswith("logi") and not word.endswith(tuple(s for s, _, _ in _STEP2)):
        return word[:-1] if _m_positive(word[:-3]) else word
    return _apply(word, _STEP2)


def _step5(word: str) -> str:
    if word.endswith("e"):
        stem = word[:-1]
        m = measure(stem)
        if m > 1 or (m == 1 and not _cvc(stem)):
            word = stem
    if word.endswith("ll") and measure(word[:-1]) > 1:
        return word[:-1]
    return word


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Porter stem of ``word``, lower-cased ("Injuring" -> "injur")."""
    word = word.lower()
    irregular = _IRREGULAR.get(word)
    if irregular is not None:
        return irregular
    if len(word) <= 2:
        return word
    word = _step1c(_step1b(_step1a(word)))
    word = _apply(_step2(word), _STEP3)
    return _step5(_apply(word, _STEP4))
