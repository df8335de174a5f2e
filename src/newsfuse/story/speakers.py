"""Quote speakers from a dependency parse of each quote's context.

The attribution patterns of ``quotes.py`` read a fixed window of words after a quote, so a
name elsewhere in that window ("... after the death of Jordan Lafond") or a long subject
("Moyra Baxter, who chairs the board, said") misleads them. Here the sentences holding a
quote are parsed by spaCy (see ``newsfuse.nlp``) with the quoted words replaced by a short
placeholder clause: the parse then only covers the attribution, which keeps it fast and
keeps the quote's own words ("I told him") from being read as the attribution. The speaker
is the subject (``nsubj``) of the speech verb nearest the quote, or the object of "according
to". Names come whole from the parse (compounds, the named-entity span), titles stripped.

A pronoun, a role ("the minister", "the mayor") or an organisation word ("the company") is
resolved, never shown: to the named subject of a speech verb in the sentence before, else to
the last named speaker of a compatible kind in the article (people for he/she and roles,
organisations for it and "the company"), else to the last name of that kind the rules
found. Other common nouns ("a citizen", "officials") are kept as written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsfuse import nlp, settings
from newsfuse.model import Article
from newsfuse.story.entities import _TITLES, LOC, ORG, PER, Mention

# Lemmas of verbs that report speech or writing.
SPEECH = {"say", "tell", "add", "write", "tweet", "state", "declare", "warn", "insist",
          "explain", "note", "argue", "ask", "urge", "announce", "reply", "continue", "recall",
          "acknowledge", "admit", "claim", "confirm", "stress", "comment", "shout", "chant",
          "caution", "agree", "suggest", "respond", "remark", "observe", "joke", "quip",
          "predict", "promise", "vow", "concede", "point", "post", "read", "conclude",
          "emphasize", "emphasise", "describe", "testify", "recount", "boast", "complain",
          "lament", "assert", "maintain", "mention", "whisper", "yell", "scream",
          "plead", "counter", "pledge", "charge", "allege", "reiterate"}
PLACEHOLDER = "It is so"
# A definite description ("the bow-tied maverick"): a person named before, else as written.
DESCRIBED = "described"
_PRONOUNS = {"he": PER, "she": PER, "i": PER, "we": "any", "they": "any", "it": ORG,
             "him": PER, "her": PER, "you": PER}
# Nouns that stand for a person already named (resolved, never shown).
_ROLES = {"minister", "mayor", "president", "premier", "spokesperson", "spokesman",
          "spokeswoman", "official", "leader", "chief", "ceo", "coach", "director", "chair",
          "chairman", "chairwoman", "senator", "governor", "secretary", "commissioner",
          "councillor", "councilor", "officer", "superintendent", "inspector", "sergeant",
          "constable", "captain", "manager", "executive", "founder", "head", "lawyer",
          "attorney", "prosecutor", "judge", "doctor", "professor", "researcher", "author",
          "chancellor", "ambassador", "envoy", "general", "commander", "candidate", "mp",
          "mla", "mpp", "trustee", "owner", "president-elect", "dr", "mr", "mrs", "ms",
          "organizer", "organiser", "activist", "advocate", "analyst", "expert", "economist"}
# People a story describes without naming ("the man replies"): kept as written.
_UNNAMED = {"man", "woman", "boy", "girl", "child", "kid", "person", "driver", "passenger",
            "witness", "victim", "suspect", "father", "mother", "son", "daughter", "husband",
            "wife", "brother", "sister", "neighbour", "neighbor", "friend", "customer",
            "stranger", "caller", "crowd", "protester", "bystander", "survivor"}
# Nouns for what a named party issued: "the statement read" is its issuer's.
_ISSUED = {"statement", "release", "post", "tweet", "letter", "notice", "message", "email",
           "communique", "report", "memo", "document", "filing", "ruling", "decision"}
# Nouns that stand for an organisation already named.
_ORG_NOUNS = {"company", "firm", "team", "club", "department", "ministry", "government",
              "agency", "organization", "organisation", "group", "association", "union",
              "board", "council", "party", "office", "campaign", "league", "police", "service",
              "university", "school", "hospital", "bank", "network", "newspaper", "committee",
              "commission", "authority", "corporation", "province", "city", "band", "airline",
              "utility", "retailer", "insurer", "regulator", "court", "administration"}
_NAMED = {"PERSON": PER, "ORG": ORG, "NORP": ORG, "GPE": LOC, "FAC": ORG, "PRODUCT": ORG}


@dataclass(slots=True)
class Budget:
    """How many more quotes of a story the parser may attribute (it costs about 10 ms a
    quote); articles past it keep the rules' speakers."""

    remaining: int

    def take(self, quotes: int) -> bool:
        """Spend ``quotes`` if that many are left (an article is read whole or not)."""
        if quotes > self.remaining:
            return False
        self.remaining -= quotes
        return True


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who said a quote: a name (or a noun phrase kept as written) and its kind."""

    name: str | None
    kind: str | None
    attributed: bool  # an attribution was found at all


@dataclass(frozen=True, slots=True)
class _Subject:
    text: str
    kind: str | None  # PER/ORG for names, None for a noun phrase kept as written
    refers: str | None  # PER/ORG for pronouns and role nouns still to resolve
    named: bool


def attribute(article: Article, spans: Sequence[tuple[int, int, bool]],
              sentence_at: Callable[[int], int], people: Sequence[Mention],
              orgs: Sequence[Mention], name_of: Callable[[str], str],
              kind_of: Callable[[str], str | None]) -> list[Speaker] | None:
    """The speaker of each quote span of ``article`` (in order); None without the model.
    ``name_of`` maps a phrase to the story's name for it, ``kind_of`` to the story's type
    for it (which overrules the model's for a one-word name: "Wojtaszek" is no company)."""
    bounds = {s.index: (s.start, s.end) for s in article.sentences}
    contexts = [_context(article.text, spans, bounds, sentence_at, k) for k in range(len(spans))]
    docs = nlp.parse([c[0] for c in contexts])
    if docs is None:
        return None
    subjects = [_subject(doc, c[1], c[3]) for doc, c in zip(docs, contexts, strict=True)]
    # The sentence before is parsed only for quotes whose speaker is still to be resolved.
    wanted = [k for k, (c, sub) in enumerate(zip(contexts, subjects, strict=True))
              if c[2] and (sub is None or (not sub.named and sub.refers is not None))]
    before = dict(zip(wanted, nlp.parse([contexts[k][2] for k in wanted]) or [], strict=True))
    story = _Known({s.index: s.text for s in article.sentences}, people, orgs, kind_of)
    out: list[Speaker] = []
    for k, (doc, subject) in enumerate(zip(docs, subjects, strict=True)):
        previous = before.get(k)
        sentence = sentence_at(spans[k][0])
        for parsed in (previous, doc):
            if parsed is not None:
                story.organisations.extend((sentence, e.text) for e in parsed.ents
                                           if e.label_ == "ORG")
        if subject is not None and subject.named:
            name, kind = name_of(subject.text), story.kind(subject)
            out.append(Speaker(name, kind, True))
            story.speakers.append((sentence, name, kind))
            continue
        if subject is not None and subject.refers is None:
            out.append(Speaker(subject.text, None, True))  # "a citizen", "officials"
            continue
        found = _resolve(previous, subject.refers if subject else None, story, sentence,
                         subject.text.lower() if subject else "")
        if found is None:
            kept = subject.text if subject and subject.refers == DESCRIBED else None
            out.append(Speaker(kept, None, subject is not None))
            continue
        name = name_of(found[0])
        out.append(Speaker(name, found[1], subject is not None))
        if subject is not None:
            story.speakers.append((sentence, name, found[1]))
    return out


@dataclass(slots=True)
class _Known:
    """What an article has named so far, for resolving pronouns and roles."""

    sentences: dict[int, str]
    people: Sequence[Mention]
    orgs: Sequence[Mention]
    kind_of: Callable[[str], str | None]
    speakers: list[tuple[int, str, str]] = field(default_factory=list)
    organisations: list[tuple[int, str]] = field(default_factory=list)

    def kind(self, subject: _Subject) -> str:
        """A named subject's type: the story's for a one-word name (the model calls many
        surnames organisations), else the model's."""
        known = self.kind_of(subject.text) if " " not in subject.text else None
        return known if known in (PER, ORG) else subject.kind or PER


def _context(text: str, spans: Sequence[tuple[int, int, bool]], bounds: dict[int, tuple[int, int]],
             sentence_at: Callable[[int], int], k: int) -> tuple[str, list[tuple[int, int]], str,
                                                                 tuple[int, int]]:
    """(masked sentences of quote ``k``, placeholder ranges, masked sentence before, the
    placeholder range of quote ``k``)."""
    open_at, close_at, _ = spans[k]
    first, last = sentence_at(open_at), sentence_at(max(open_at, close_at - 1))
    start = bounds.get(first, (open_at, close_at))[0]
    end = max(bounds.get(last, (open_at, close_at))[1], close_at + 1)
    start = min(start, open_at)
    tail = text[close_at:end]
    if not tail.strip(" \"”’.,?!") and last + 1 in bounds:
        after = text[bounds[last + 1][0]:bounds[last + 1][1]]
        if after[:1].islower():  # '"... ?" he said.' split after the question mark
            end = bounds[last + 1][1]
    masked, holes, own = _mask(text, start, end, spans, k)
    before = ""
    if first - 1 in bounds:  # the sentence before, in this paragraph or the last one
        b_start, b_end = bounds[first - 1]
        before = _mask(text, b_start, b_end, spans, -1)[0]
    return masked, holes, before, own


def _mask(text: str, start: int, end: int, spans: Sequence[tuple[int, int, bool]],
          k: int) -> tuple[str, list[tuple[int, int]], tuple[int, int]]:
    """The text between ``start`` and ``end`` with each quotation's words replaced by the
    placeholder; the placeholders' ranges in the result, and quote ``k``'s."""
    pieces, holes, at, length, own = [], [], start, 0, (0, 0)
    for j, (a, b, _) in enumerate(spans):
        a, b = max(a, start), min(b, end)
        if a >= b or a < at:
            continue
        pieces.append(text[at:a])
        length += a - at
        hole = (length, length + len(PLACEHOLDER))
        holes.append(hole)
        if j == k:
            own = hole
        tail = text[b - 1] if text[b - 1] in ",.?!" else ""
        pieces.append(PLACEHOLDER + tail)
        length += len(PLACEHOLDER) + len(tail)
        at = b
    pieces.append(text[at:end])
    return "".join(pieces).replace("\n", " "), holes, own


def _subject(doc: Any, holes: Sequence[tuple[int, int]], own: tuple[int, int]
             ) -> _Subject | None:
    """The subject of the speech verb nearest quote ``own`` outside every quotation."""
    def outside(token: Any) -> bool:
        return not any(a <= token.idx < b for a, b in holes)

    best: tuple[int, Any] | None = None
    for token in doc:
        if not outside(token):
            continue
        speech = token.lemma_.lower() in SPEECH and token.pos_ in ("VERB", "AUX")
        according = token.lower_ == "according" and any(c.lower_ == "to" for c in token.children)
        if not (speech or according):
            continue
        distance = own[0] - token.idx if token.idx < own[0] else token.idx - own[1]
        if best is None or distance < best[0]:
            best = (distance, token)
    if best is None:
        return None
    verb = best[1]
    if verb.lower_ == "according":
        heads = [g for c in verb.children if c.lower_ == "to" for g in c.children
                 if g.dep_ == "pobj"]
        return _phrase(heads[0]) if heads else None
    for head in (verb, verb.head):
        subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and outside(c)]
        if subjects:
            found = _phrase(subjects[0])
            if not found.named and head.dep_ == "ccomp" and head.head.lemma_ in SPEECH:
                # "Wojtaszek said she agreed ... that": the reporting verb's subject
                upper = [c for c in head.head.children if c.dep_ == "nsubj" and outside(c)]
                if upper and _phrase(upper[0]).named:
                    return _phrase(upper[0])
            return found
        if head.dep_ not in ("conj", "xcomp", "advcl"):
            break
    return _Subject("", None, PER, False)  # "Tweeted from his property": someone named


def _phrase(token: Any) -> _Subject:
    """A subject token as a name, a pronoun or role to resolve, or a noun phrase."""
    lower = token.lower_
    if token.pos_ == "PRON" or lower in _PRONOUNS:
        return _Subject(token.text, None, _PRONOUNS.get(lower, PER), False)
    for child in token.children:  # "the mayor, Doug McCallum," / "Smith, the mayor,"
        if child.dep_ == "appos" and child.pos_ == "PROPN" and token.pos_ != "PROPN":
            return _phrase(child)
    if token.pos_ == "PROPN" or token.ent_type_ in _NAMED:
        return _name(token)
    noun = token.lemma_.lower()
    # "the minister", "the company" stand for one named before; "officials", "police" do not.
    definite = token.tag_ in ("NN", "NNP") and any(
        c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "one") for c in token.children)
    if definite and (noun in _ROLES or any(c.lower_ in _ROLES for c in token.children
                                          if c.dep_ == "compound")):
        return _Subject(token.text, None, PER, False)
    if definite and noun in _ORG_NOUNS:
        return _Subject(token.text, None, ORG, False)
    if noun in _ISSUED:  # "a statement from the EU", "Phillips's statement": its issuer
        issuers = [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                   for g in c.children if g.dep_ == "pobj"]
        issuers += [c for c in token.children if c.dep_ == "poss"]
        if issuers and (issuers[0].pos_ == "PROPN" or issuers[0].ent_type_ in _NAMED):
            return _name(issuers[0])
        if any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children):
            return _Subject(f"a {token.text}" if token.text[:1].lower() not in "aeiou"
                            else f"an {token.text}", None, None, False)  # "reads a notice"
        return _Subject(token.text, None, "any", False)
    words = [t for t in token.subtree if (t.i <= token.i and t.dep_ in
             ("det", "amod", "compound", "poss", "nummod")) or t.i == token.i]
    phrase = " ".join(t.text for t in words)
    if token.tag_ == "NN" and any(c.lower_ == "the" for c in token.children) \
            and noun not in _UNNAMED:
        return _Subject(phrase, None, DESCRIBED, False)  # "the affable proprietor"
    return _Subject(phrase, None, None, False)


def _name(token: Any) -> _Subject:
    """The whole name a proper-noun token heads, titles off the front."""
    doc = token.doc
    if token.ent_type_:
        span = next((e for e in doc.ents if e.start <= token.i < e.end), None)
        if span is not None and span.label_ in _NAMED:
            kept = [t for t in span if not (t.i < token.i and t.lower_ in _TITLES)]
            return _Subject(_strip(_joined(kept)), _NAMED[span.label_] if
                            _NAMED[span.label_] != LOC else ORG, None, True)
    left = [c for c in token.lefts if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"]
    tokens = [t for t in left if t.lower_.rstrip(".") not in _TITLES
              and t.lower_ not in _TITLES] + [token]
    kind = ORG if token.lemma_.lower() in _ORG_NOUNS else PER
    return _Subject(_strip(_joined(tokens)), kind, None, True)


def _joined(tokens: list[Any]) -> str:
    """Tokens as the text wrote them: "Abdul-Mahdi" stays one word, not "Abdul - Mahdi"."""
    out = ""
    for previous, current in zip([None, *tokens], tokens, strict=False):
        if previous is not None:
            out += previous.whitespace_ if previous.i + 1 == current.i else " "
        out += current.text
    return out


def _strip(name: str) -> str:
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.IGNORECASE)
    return re.sub(r"(?:'s|’s)$", "", name).strip(" ,")


def _resolve(previous: Any, wanted: str | None, story: _Known, sentence: int,
             pronoun: str = "") -> tuple[str, str] | None:
    """A named speaker for a pronoun, a role or a missing attribution: the named subject
    of the sentence before, the last named speaker, the last name of that kind."""
    kinds = (ORG,) if wanted == ORG else (PER,) if wanted in (PER, DESCRIBED) else (PER, ORG)
    if pronoun in ("he", "him", "she", "her"):
        other = "f" if pronoun in ("he", "him") else "m"

        def fits(name: str) -> bool:
            return _gender(name, story.sentences, sentence) != other
    else:
        def fits(name: str) -> bool:
            return True
    if previous is not None:
        subject = _subject(previous, [], (len(previous.text), len(previous.text)))
        if subject is None and wanted is not None:
            subject = _root_subject(previous)
        if subject is not None and subject.named and story.kind(subject) in kinds \
                and fits(subject.text):
            return subject.text, story.kind(subject)
    last = next(((at, name, kind) for at, name, kind in reversed(story.speakers)
                 if kind in kinds and sentence - at <= settings.SPEAKER_LOOKBACK
                 and fits(name)), None)
    said = _said_before(story.sentences, sentence, kinds, fits, story.kind_of)
    if said is not None and (last is None or said[0] > last[0]):
        return said[1], said[2]
    if last is not None:
        return last[1], last[2]
    if wanted is None:
        return None  # no attribution and no speaker just before: not said by anyone named
    if wanted == ORG:
        if story.organisations:
            return story.organisations[-1][1], ORG
        pool = [m for m in story.orgs if sentence - settings.SPEAKER_LOOKBACK <= m.sentence
                <= sentence]
    else:
        pool = [m for m in story.people if sentence - settings.SPEAKER_LOOKBACK <= m.sentence
                <= sentence and fits(m.text)]
    if not pool:
        return None
    counts = Counter(m.key for m in (story.orgs if wanted == ORG else story.people))
    best = max(pool, key=lambda m: (counts[m.key], m.sentence, m.start))
    return best.text, ORG if wanted == ORG else PER


def _root_subject(doc: Any) -> _Subject | None:
    """The subject of a sentence's main verb, when it is a name."""
    for token in doc:
        if token.dep_ == "ROOT":
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects and (subjects[0].pos_ == "PROPN" or subjects[0].ent_type_):
                return _phrase(subjects[0])
    return None


_NAME = r"((?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'-]+)"
_SAID = re.compile(_NAME + r",?\s+(?:\w+ly\s+)?(?:said|says|told|added|wrote|explained|"
                   r"noted|argued|announced|stated|insisted|tweeted|warned)\b|"
                   r"\b(?:said|says|according to)\s+" + _NAME)

# Words before a name in a speech verb's subject that are no part of the name.
_SKIP = {"the", "a", "an", "but", "and", "as", "in", "on", "at", "when", "while", "then",
         "meanwhile", "however", "also", "he", "she", "they", "it", "we", "i", "this", "that"}


def _said_before(sentences: dict[int, str], sentence: int, kinds: tuple[str, ...],
                 fits: Callable[[str], bool], kind_of: Callable[[str], str | None]
                 ) -> tuple[int, str, str] | None:
    """The last name written as the subject of a speech verb in the sentences before
    (no parse: "Traeger said he expects ..."), with its sentence."""
    for index in range(sentence - 1, sentence - 1 - settings.SPEAKER_LOOKBACK, -1):
        text = sentences.get(index)
        if text is None:
            continue
        for match in reversed(list(_SAID.finditer(text))):
            words = (match.group(1) or match.group(2)).split()
            while words and (words[0].lower().rstrip(".") in _TITLES | _ROLES
                             or words[0].lower() in _SKIP):
                words = words[1:]
            if not words:
                continue
            name = " ".join(words)
            kind = kind_of(name) or (ORG if words[-1].lower() in _ORG_NOUNS
                                     else PER if len(words) >= 2 else None)
            if (kind is None or kind in kinds) and fits(name):
                return index, name, kind or kinds[0]
    return None


_PERSONAL = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)


def _gender(name: str, sentences: dict[int, str], until: int) -> str | None:
    """"m" or "f" when the first personal pronoun after a person's mentions mostly agrees
    on one ("Wojtaszek said she agreed", "Tasmeen Ali told ..., her words ...")."""
    surname = name.split()[-1] if name.split() else ""
    if not surname:
        return None
    male = female = 0
    for index in range(max(0, until - 30), until + 1):
        text = sentences.get(index, "")
        at = text.find(surname)
        if at < 0:
            continue
        window = text[at + len(surname):] + " " + sentences.get(index + 1, "")
        first = _PERSONAL.search(window[:200])
        if first is not None:
            if first.group(1).lower() in ("he", "him", "his", "himself"):
                male += 1
            else:
                female += 1
    if male > female:
        return "m"
    return "f" if female > male else None
