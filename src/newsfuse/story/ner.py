"""Names from spaCy's recogniser, checked by the rules of ``entities.py``.

The recogniser finds names the capitalisation rules miss or cut wrong (a name at the start of a
sentence, "Ban Ki-moon", "Human Rights Watch", names in all-capital lines) and types them from
context, where the rules guess from the name's words. It has its own mistakes, which the rules
catch: a run of headline capitals taken as one organisation, a sentence fragment, a title kept
with a name ("President"), a country called an organisation. Where both read a name the
model's span wins; rule names it did not see are kept only when the rules have strong
evidence (a gazetteer place, an organisation's head word, a title before a person).

The model is slow next to the rules, so only a budget of sentences per story is read
(``settings.ENTITY_MODEL_SENTENCES``): each article's lead first, then the next sentences in
turn. The other sentences keep the rules' names, and a name's type is settled per story, so
a name typed by the model in one sentence keeps that type everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfuse import nlp, settings
from newsfuse.model import Article, Sentence
from newsfuse.story.entities import (
    _ORG_HEADS,
    LOC,
    ORG,
    PER,
    Mention,
    _key,
    _places,
    headline_run,
)

# Model labels kept, as newsfuse types (person, organization, place).
LABELS = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place",
          "FAC": "place", "PER": "person"}  # PER: the French model's label
_LOWER_OK = {"of", "for", "and", "the", "de", "del", "da", "di", "du", "van", "von", "der",
             "den", "la", "le", "al", "el", "bin", "ibn", "on", "in", "y", "des", "'s"}

Span = tuple[int, int, str]


def sentence_names(articles: Sequence[Article], language: str = "en"
                   ) -> dict[tuple[str, int], list[Span]] | None:
    """(article id, sentence index) -> the model's names in that sentence (offsets within
    the sentence, newsfuse types), for the sentences within the budget; None without a
    model for ``language``."""
    if not nlp.language_available(language):
        return None
    chosen = _budget(articles, settings.ENTITY_MODEL_SENTENCES)
    found = nlp.language_names([s.text for s in chosen], language)
    if found is None:
        return None
    out: dict[tuple[str, int], list[Span]] = {}
    for sentence, ents in zip(chosen, found, strict=True):
        spans = []
        for start, end, label in ents:
            kind = LABELS.get(label)
            if kind is None:
                continue
            cleaned = _clean(sentence.text, start, end)
            if cleaned is not None:
                spans.append((cleaned[0], cleaned[1], kind))
        out[(sentence.article_id, sentence.index)] = spans
    return out


def _budget(articles: Sequence[Article], limit: int) -> list[Sentence]:
    """Up to ``limit`` sentences: the first of every article, then the second, and so on."""
    chosen: list[Sentence] = []
    depth = 0
    longest = max((len(a.sentences) for a in articles), default=0)
    while len(chosen) < limit and depth < longest:
        for article in articles:
            if depth < len(article.sentences) and len(chosen) < limit:
                chosen.append(article.sentences[depth])
        depth += 1
    return chosen


def _clean(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A model name's span without a leading article, a possessive ending, or figures and
    brackets around it ("2 - Rodney Eyles", "C. Tolley 4-68", "Scott Draper ( Australia");
    None for junk: a fragment with lower-case words, a run of headline capitals."""
    tokens = [(m.start() + start, m.end() + start, m.group(0))
              for m in re.finditer(r"\S+", text[start:end])]
    cut = next((k for k, t in enumerate(tokens) if t[2] in ("(", ")", "-", "--")
                or (k > 0 and any(c.isdigit() for c in t[2]))), None)
    if cut is not None and cut > 0:
        tokens = tokens[:cut]
    owner = next((k for k, t in enumerate(tokens[:-1]) if t[2].endswith(("'s", "’s"))), None)
    if owner is not None:  # "Trump's Iran": the first name only
        tokens = tokens[:owner + 1]
    while tokens and (not any(c.isalpha() for c in tokens[0][2])
                      or tokens[0][2].lower() in ("the", "a", "an")):
        tokens = tokens[1:]
    while tokens and (not any(c.isalpha() for c in tokens[-1][2])
                      or any(c.isdigit() for c in tokens[-1][2])):
        tokens = tokens[:-1]
    if not tokens:
        return None
    start, end = tokens[0][0], tokens[-1][1]
    surface = text[start:end]
    for ending in ("'s", "’s", "'", "’"):
        if surface.endswith(ending) and len(surface) > len(ending):
            end -= len(ending)
            surface = surface[: -len(ending)]
            break
    if surface.endswith((",", ":", ";")) or (surface.endswith(".") and "." not in surface[:-1]):
        end -= 1
        surface = surface[:-1]
    words = surface.split()
    if not words or any(w[:1].islower() and w.lower() not in _LOWER_OK and "-" not in w
                        for w in words):
        return None  # "the militia leader", a sentence fragment
    letters = [c for c in surface if c.isalpha()]
    if not letters or (len(words) >= 4 and all(c.isupper() for c in letters)):
        return None  # a run of headline capitals
    return start, end


def with_model(article_id: str, index: int, text: str, rules: list[Mention],
                spans: list[tuple[int, int, str]]) -> list[Mention]:
    """The model's names of a sentence, typed by the gazetteer where it knows better, and
    the rules' names the model did not see when the rules have strong evidence."""
    places = _places()
    out = []
    for start, end, kind in spans:
        surface = text[start:end]
        key = _key(surface)
        if headline_run(surface):
            continue
        if kind != LOC and places.get(key) in ("country", "state", "continent", "region"):
            kind = LOC
        same = [m.type for m in rules if m.strong and m.type and (m.start, m.end) == (start, end)]
        kind = same[0] if same and same[0] else kind  # "Kataib Hezbollah" is no person
        out.append(Mention(article_id, index, start, end, surface, kind))
    for m in rules:
        if any(m.start < end and start < m.end for start, end, _ in spans):
            continue
        words = _key(m.text).split()
        if m.type == PER or (m.type == LOC and _key(m.text) in places) or (
                m.type == ORG and len(words) >= 2 and words[-1] in _ORG_HEADS):
            out.append(m)
    return sorted(out, key=lambda m: m.start)


_ALIAS = re.compile(r"\s*(?:,\s*(?:or|also known as|known as|aka)|\(|,?\s*or)\s+(?:the\s+)?$",
                    re.IGNORECASE)


def with_aliases(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions with ``alias`` set where the text gives a second name for the one before
    ("Kataeb Hezbollah, or the Hezbollah Brigades", "Kataib Hezbollah (Hezbollah
    Brigades)")."""
    out = list(mentions)
    for k in range(1, len(out)):
        a, b = out[k - 1], out[k]
        if a.type == b.type and a.type in (ORG, LOC) and _ALIAS.fullmatch(text[a.end:b.start]):
            out[k] = Mention(b.article_id, b.sentence, b.start, b.end, b.text, b.type, b.key,
                             b.strong, a.text)
    return out
