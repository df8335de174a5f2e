"""Direct quotations with their speakers, and the renderings of one quotation merged.

Quotes are found in an article's whole text, not sentence by sentence, because a quotation
often runs over several sentences and machine translation drops opening marks ('...
responsible."' with no opening). The speaker comes from the attribution around the quote
("..., X said", "said X", "X told Reuters: ...", "according to X"); a pronoun or a missing
subject ("Tweeted from his property") is resolved to the last person named before it, and
"the statement read" to whoever issued the statement. Embedded social posts are quotes of
their author. Short quoted phrases without attribution are scare quotes, not speech.

Renderings of one utterance in different articles (a translation, a partial quote) are
merged when their speakers agree and their words overlap, or their embeddings are close.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from newsfuse import settings
from newsfuse.encode import content_terms
from newsfuse.model import Article, Quote
from newsfuse.story.entities import _TITLES, ORG, PER, Mention, spelling_key
from newsfuse.story.groups import DisjointSets
from newsfuse.story.speakers import Budget, attribute
from newsfuse.text.languages import SPEECH_VERBS

_VERBS = (r"said|says|say|told|tells|added|adds|wrote|writes|tweeted|tweets|stated|states|"
          r"declared|warned|warns|insisted|explained|noted|argued|asked|urged|announced|"
          r"replied|continued|recalled|acknowledged|admitted|claimed|confirmed|stressed|"
          r"reads|read|described|called|posted|commented|shouted|chanted|cautioned")
_SAID_AFTER = re.compile(r"^\s*[,:]?\s*(?:(?P<verb1>" + _VERBS + r")\s+"
                         r"(?P<who1>[^,.;:!?\"“”]{2,90}?)"
                         r"(?:[,.;:!?]|\s+(?:in|on|at|to|after|before|during|via|from|when|as"
                         r"|who|adding|according)\b|$)|(?P<who2>[^.;:!?\"“”]{1,90}?),?\s+"
                         r"(?:\w+ly\s+)?(?P<verb2>" + _VERBS + r")\b|(?P<verb3>" + _VERBS
                         + r")\b)", re.IGNORECASE)
_ACCORDING = re.compile(r"according to (?P<who>[^,.;:!?\"“”]{2,80})", re.IGNORECASE)
_PRONOUN = re.compile(r"^(?:he|she|they|it|we|i|his|her)$", re.IGNORECASE)
_STATEMENT = re.compile(r"^(?:the|a|his|her|their|its)\s+(?:statement|notice|letter|post|"
                        r"tweet|message|release|communique)$", re.IGNORECASE)


# Entity keys (every spelling's, see entities._key) -> (display name, type).
Names = dict[str, tuple[str, str]]


@dataclass(frozen=True, slots=True)
class QuoteMention:
    """A quotation in one article: its words, its speaker (an entity name when the speaker
    is a named entity) and where it is."""

    article_id: str
    sentence: int
    text: str
    speaker: str | None
    start: int
    end: int
    attributed: bool = True
    primary: bool = False  # the speaker's own post, embedded in the article
    speaker_kind: str | None = None  # person or organization, when the speaker is named


def find_quotes(article: Article, mentions: Sequence[Mention], names: Names,
                speakers: str = "auto", budget: Budget | None = None) -> list[QuoteMention]:
    """The quotations of one article. ``mentions`` are its entity mentions (keyed) and
    ``names`` maps each spelling's key to its entity's display name and type. ``speakers``:
    ``rules`` (attribution patterns), ``model`` (the parser on each quote's context, see
    story/speakers.py) or ``auto`` (the model when installed and ``budget``, shared by a
    story's articles, has room for this article's quotes)."""
    text = article.text
    spans = _quote_spans(article)
    sentence_at = _sentence_index(article)
    people = [m for m in mentions if names.get(m.key, ("", m.type))[1] == PER]
    parsed = None
    if speakers != "rules" and spans and (budget is None or budget.take(len(spans))):
        orgs = [m for m in mentions if names.get(m.key, ("", m.type))[1] == ORG]
        parsed = attribute(article, spans, sentence_at, people, orgs,
                           lambda who: _full_name(who, names),
                           lambda who: names.get(spelling_key(who), ("", None))[1])
    quotes: list[QuoteMention] = []
    for k, (open_at, close_at, opened) in enumerate(spans):
        words = text[open_at:close_at].strip().strip(",")
        if not words:
            continue
        first = sentence_at(open_at)
        last = sentence_at(max(open_at, close_at - 1))
        kind = None
        if parsed is not None:
            speaker, attributed, kind = parsed[k].name, parsed[k].attributed, parsed[k].kind
        else:
            before = text[_sentence_start(article, first):open_at - (1 if opened else 0)]
            after = text[close_at + 1:_sentence_end(article, last)]
            speaker, attributed = _speaker(before, after, article, first, people, names)
        if _title_case(words) or len(words.split()) == 1 or (
                not attributed and len(words.split()) <= settings.QUOTE_MIN_UNATTRIBUTED_WORDS):
            continue  # a scare quote or a title, not speech
        if not attributed and quotes and quotes[-1].speaker and opened \
                and first - sentence_at(quotes[-1].end) == 1:
            speaker = quotes[-1].speaker  # the speaker goes on in the next sentence
        if quotes and not opened and first - sentence_at(quotes[-1].end) <= 1:
            previous = quotes.pop()
            speaker = speaker or previous.speaker
            joint = " " if previous.text.endswith((".", "!", "?")) else " … "
            words = f"{previous.text}{joint}{words}"
            open_at = previous.start
            first = previous.sentence
        elif quotes and _adjacent(text, quotes[-1].end + 1, open_at - 1) \
                and not quotes[-1].attributed:
            previous = quotes.pop()  # "A." "B," he said.
            speaker = speaker or previous.speaker
            words = f"{previous.text} {words}"
            open_at = previous.start
            first = previous.sentence
        if speaker is not None and (kind is None or parsed is None
                                    or speaker != parsed[k].name):
            kind = names.get(spelling_key(speaker), ("", None))[1]
        quotes.append(QuoteMention(article.id, first, words, speaker, open_at, close_at,
                                   attributed or speaker is not None, speaker_kind=kind))
    for embed in article.embeds:
        if embed.text and len(embed.text.split()) > settings.QUOTE_MIN_UNATTRIBUTED_WORDS:
            where = text.find(embed.text[:40])
            quotes.append(QuoteMention(article.id, sentence_at(max(where, 0)), embed.text,
                                       _name_of(embed.author, names) if embed.author else None,
                                       max(where, 0), max(where, 0) + len(embed.text),
                                       True, True))
    return quotes


_MINOR = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with",
          "from", "as", "but", "nor"}


def _title_case(words: str) -> bool:
    """A quoted title ("The Kid Who Would Be King"): three or more words, every one but the
    minor ones capitalised, and no exclamation (a chant keeps its capitals)."""
    tokens = re.findall(r"[^\W\d_][\w'’-]*", words)
    major = [t for t in tokens if t.lower() not in _MINOR]
    return len(major) >= 3 and not words.rstrip().endswith(("!", "?")) \
        and all(t[0].isupper() for t in major)


def _adjacent(text: str, end: int, start: int) -> bool:
    """Nothing but quote marks and space between two quotations."""
    return not text[end:start].strip(" \n\t\"“”,")


def _quote_spans(article: Article) -> list[tuple[int, int, bool]]:
    """(start, end, opened) of each quotation's words in the article's text; ``opened`` is
    False for a closing mark without an opening one (the quote then starts where the
    sentence after the previous quotation's sentence starts)."""
    text = article.text
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    straight_open: int | None = None
    last_end = 0
    for match in re.finditer(r"[“”\"]", text):
        mark, at = match.group(0), match.start()
        paragraph_start = text.rfind("\n", 0, at) + 1
        if mark == "“":
            open_at = at + 1
        elif mark == "”":
            if open_at is not None and open_at > paragraph_start:
                spans.append((open_at, at, True))
            else:
                here = _sentence_index(article)(at)
                floor = _sentence_start(article, max(0, here - 2))
                start = _next_sentence(article, last_end) if last_end > paragraph_start \
                    else _sentence_start_at(article, at)
                spans.append((max(start, floor, paragraph_start), at, False))
            open_at = None
            last_end = at + 1
        else:
            if straight_open is None or text.rfind("\n", straight_open, at) != -1:
                straight_open = at + 1
            else:
                spans.append((straight_open, at, True))
                straight_open = None
                last_end = at + 1
    return sorted(spans)


def _sentence_index(article: Article) -> Callable[[int], int]:
    starts = np.array([s.start for s in article.sentences] or [0])

    def at(offset: int) -> int:
        k = int(np.searchsorted(starts, offset, side="right")) - 1
        return article.sentences[max(k, 0)].index if article.sentences else 0
    return at


def _by_index(article: Article, index: int) -> tuple[int, int]:
    for sentence in article.sentences:
        if sentence.index == index:
            return sentence.start, sentence.end
    return 0, len(article.text)


def _sentence_start(article: Article, index: int) -> int:
    return _by_index(article, index)[0]


def _sentence_end(article: Article, index: int) -> int:
    return _by_index(article, index)[1]


def _sentence_start_at(article: Article, offset: int) -> int:
    return _sentence_start(article, _sentence_index(article)(offset))


def _next_sentence(article: Article, offset: int) -> int:
    for sentence in article.sentences:
        if sentence.start >= offset:
            return sentence.start
    return offset


def _speaker(before: str, after: str, article: Article, sentence: int,
             people: Sequence[Mention], names: Names) -> tuple[str | None, bool]:
    """The speaker of a quote and whether an attribution was found at all."""
    match = _SAID_AFTER.match(after)
    who: str | None = None
    if match:
        who = match.group("who1") or match.group("who2")
        if match.group("who2") and not re.match(r"(?:[A-Z]|(?:the|a|an|his|her|its|their|"
                                                 r"he|she|they|we|i|one|two|three|several|"
                                                 r"some|many)\b)", match.group("who2")):
            # '..." and receives updates, said Stephanie Grisham': the subject follows
            inverted = re.match(r"\s*,?\s*((?:[A-Z]|(?:the|a|an)\s)[^,.;:!?\"“”]{1,90})",
                                after[match.end():])
            if inverted:
                who = inverted.group(1)
        if who is not None and match.group("who1") and not re.match(
                r"(?:[A-Z]|(?:the|a|an|his|her|its|their|one|two|three|several)\s)", who):
            who = None  # "said in a statement", "Tweeted from his property"
        if who is None:  # no subject: the person last named
            return _last_person(article, sentence, people, names), True
    elif (m := _ACCORDING.search(after) or _ACCORDING.search(before)) is not None:
        who = m.group("who")
    elif (found := _last_attribution(before)) is not None:
        who, verb = found
        if verb.lower() in ("saying", "adding"):
            who = re.split(r"\b(?:urged|called|warned|told|asked|said|shouted)\b", who)[0]
    elif re.search(r"^\s*([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s*:\s*$", before):
        who = before.strip().rstrip(":")  # a caption: 'Katherine Jackson: "..."'
    if who is None:
        return None, False
    who = re.sub(r"\s+(?:has|have|had|also|then|later|again)$", "", who.strip())
    if re.search(r"\b(?:that|which)$", who):
        return None, True  # a sign or a poster "that said"
    if _PRONOUN.match(who) or not who:
        return _last_person(article, sentence, people, names), True
    if _STATEMENT.match(who):
        return _statement_author(article, sentence, names), True
    name = _name_of(who, names, article, sentence)
    if _PRONOUN.match(name):
        return _last_person(article, sentence, people, names), True
    return name, True


_VERB_RE = re.compile(r"\b(?P<verb>" + _VERBS + r"|saying|adding)\b", re.IGNORECASE)


def _last_attribution(before: str) -> tuple[str, str] | None:
    """(subject, verb) of the last speech verb before a quote, in its sentence."""
    verbs = list(_VERB_RE.finditer(before))
    if not verbs:
        return None
    verb = verbs[-1]
    if len(before) - verb.end() > 200:
        return None
    clause = re.split(r"[.;:!?]\s", before[:verb.start()])[-1]
    who = re.split(r"\b(?:and|but|while|when|as|after|before)\s+(?=\w+\s*$)", clause)[-1]
    who = re.sub(r"\s+(?:\w+ly|has|have|had|also|then|later|again)\s*$", "", who).strip(" ,")
    return (who, verb.group("verb")) if who else None


def _name_of(who: str, names: Names, article: Article | None = None,
             sentence: int | None = None) -> str:
    """A speaker phrase as an entity name where one fits ("Donald J. Trump" -> "Donald
    Trump", "al-Yasseri" -> "Yassine al-Yasseri"), else the phrase itself."""
    words = re.findall(r"[\w’'-]+", who.lower())
    if not words:
        return who
    # A name the story knows, people before organisations, the one nearest the verb:
    # "Tony Hayward, chief executive of BP" is Hayward, "On the Marr Show, Mr Hayward" too.
    folded = " " + re.sub(r"[^\w\s]", " ", who.lower().replace("-", " ")) + " "
    found = []
    # Every run of the phrase between two spaces, looked up (not every name searched for).
    spaces = [k for k, c in enumerate(folded) if c == " "]
    first: dict[str, int] = {}
    for x, i in enumerate(spaces):
        for j in spaces[x + 1:]:
            first.setdefault(folded[i + 1:j], i)
    for key, at in first.items():
        entry = names.get(key)
        if entry is not None:
            found.append((entry[1] != "person", -at, -len(key), entry[0]))
    if found:
        return min(found)[3]
    pieces = words[-1].removesuffix("'s").removesuffix("’s").replace("-", " ").split()
    if not pieces:
        return who.strip()
    last = pieces[-1]
    candidates = [name for key, (name, _) in names.items()
                  if key.split() and key.split()[-1] == last]
    if candidates:
        return max(candidates, key=len)
    # Not a named entity: the last noun phrase of the attribution ("a protest leader").
    chunks = [c.strip() for c in re.split(r",|\b(?:and|but|as|while|then|when|after|before|"
                                          r"that|who|which|where)\b", who) if c.strip()]
    subjects = [c for c in chunks if not re.match(r"(?:on|in|at|from|by|with|to|for|after|"
                                                  r"during|outside|inside|many|some)\b", c,
                                                  re.IGNORECASE)]
    return (subjects or chunks or [who.strip()])[-1]


def _full_name(name: str, names: Names) -> str:
    """A parsed speaker's name, or the longest name of the story for the same person
    ("Lohmar" -> "Tim Lohmar"), or the story's display name for one of its spellings."""
    key = spelling_key(name)
    words = key.split()
    if key in names and words and words[-1] in spelling_key(names[key][0]).split() \
            and _plain_name(names[key][0]):
        return names[key][0]
    if len(words) != 1:
        return name
    longer = [full for full, kind in names.values() if kind == PER and _plain_name(full)
              and len(spelling_key(full).split()) > 1
              and spelling_key(full).split()[-1] == words[0]]
    return max(longer, key=len) if longer else name


def _plain_name(name: str) -> bool:
    """A name without a title or role in it, of at most four words."""
    words = name.lower().split()
    return len(words) <= 4 and not any(w in _TITLES for w in words[:-1])


def _last_person(article: Article, sentence: int, people: Sequence[Mention],
                 names: Names) -> str | None:
    earlier = [m for m in people if m.article_id == article.id and m.sentence <= sentence]
    if not earlier:
        return None
    latest = max(earlier, key=lambda m: (m.sentence, m.start))
    return names.get(latest.key, (latest.text, ""))[0]


def _statement_author(article: Article, sentence: int, names: Names) -> str | None:
    for s in reversed([s for s in article.sentences if s.index < sentence][-3:]):
        found = re.search(r"([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)\s+(?:released|issued|put out|"
                          r"published|sent)\s+(?:a|an)\s+(?:statement|letter|notice)", s.text)
        if found:
            return _name_of(found.group(1), names)
    return None


def merge_quotes(quotes: Sequence[QuoteMention], order: dict[str, int],
                 vectors: np.ndarray | None = None,
                 independent: Callable[[Sequence[str]], int] | None = None,
                 language: str = "en") -> list[Quote]:
    """One :class:`Quote` per utterance, with every article that renders it. ``vectors``
    (unit rows, one per quote) let translations merge. Words are compared without the stop
    words of the story's ``language``."""
    if not quotes:
        return []
    terms = [set(content_terms(q.text, str.lower, language)) for q in quotes]
    sets = DisjointSets(range(len(quotes)))
    # Only quotes sharing a content word, or close in meaning, are compared.
    having: dict[str, list[int]] = defaultdict(list)
    for k, words in enumerate(terms):
        for word in words:
            having[word].append(k)
    candidates = {(i, j) for rows in having.values() for x, i in enumerate(rows)
                  for j in rows[x + 1:]}
    if vectors is not None:  # and pairs close in meaning (translations share few words)
        close = np.argwhere(np.triu(vectors @ vectors.T >= settings.QUOTE_MERGE_SEMANTIC, 1))
        candidates |= {(int(i), int(j)) for i, j in close}
    for i, j in sorted(candidates):
        a, b = quotes[i], quotes[j]
        if a.speaker and b.speaker and a.speaker != b.speaker:
            continue
        shorter = min(len(terms[i]), len(terms[j]))
        shared = len(terms[i] & terms[j])
        same = shared >= 2 and shared / shorter >= settings.QUOTE_MERGE_CONTAINMENT
        if not same and vectors is not None and shorter >= 3:
            same = float(vectors[i] @ vectors[j]) >= settings.QUOTE_MERGE_SEMANTIC
        if same and a.article_id == b.article_id and not (a.start <= b.start <= a.end
                                                          or b.start <= a.start <= b.end):
            same = shared / max(len(terms[i]), len(terms[j])) >= 0.8  # a repeat
        if same:
            sets.union(i, j)
    merged = []
    for members in sets.groups().values():
        # in article order: every tie below goes to the first met, never to set order
        # (which changes with Python's string hashing from one process to the next)
        group = sorted((quotes[k] for k in members),
                       key=lambda q: (order.get(q.article_id, 0), q.article_id, q.start))
        speakers = [q.speaker for q in group if q.speaker]
        speaker = max(dict.fromkeys(speakers), key=speakers.count) if speakers else None
        kinds = [q.speaker_kind for q in group if q.speaker == speaker and q.speaker_kind]
        speaker_type = max(dict.fromkeys(kinds), key=kinds.count) if kinds else None
        best = max(group, key=lambda q: (q.primary, q.speaker is not None, len(q.text)))
        sources = tuple(dict.fromkeys(q.article_id for q in group))
        renderings = tuple(dict.fromkeys((q.article_id, q.text) for q in group))
        merged.append(Quote(speaker=speaker, text=best.text, sources=sources,
                            article_id=best.article_id, sentence_index=best.sentence,
                            renderings=renderings, speaker_type=speaker_type,
                            independent=independent(sources) if independent else len(sources)))
    merged.sort(key=lambda q: (-q.independent, -len(q.sources), q.speaker is None,
                               order.get(q.article_id, 0)))
    return merged


# --- other languages -----------------------------------------------------------------------
# Quotation marks as Spanish, French, Italian and German set them, and the dialogue dash:
# « … », “ … ”, „ … “, » … «, ‹ … ›, " … ", and "—No nos iremos —dijo el portavoz—."
_UPPER = "A-ZÁÉÍÓÚÑÀÈÌÒÙÂÊÎÔÛÇÄÖÜ"
_NAME_WORD = rf"[{_UPPER}][\w’'.-]+"
# particles inside a name ("Abdel Fattah al-Sisi", "Ursula von der Leyen"); a bare "der" is
# German grammar ("sagte X der Nachrichtenagentur Reuters"), not a name
_FOREIGN_NAME = (rf"{_NAME_WORD}(?:\s+(?:(?:de|del|de la|da|di|du|des|von der|van der|von|van|"
                 rf"al|el|y|e)\s+)?{_NAME_WORD}){{0,3}}")
_FOREIGN_MARKS = re.compile(r"«\s*(?P<g>[^«»\n]{2,1200}?)\s*»|"
                            r"“(?P<c>[^“”„\n\ufffd]{2,1200}?)[”“\ufffd]|"
                            r"„(?P<d>[^„“”\n]{2,1200}?)[“”]|»(?P<r>[^«»\n]{2,1200}?)«|"
                            r"‹(?P<a>[^‹›\n]{2,600}?)›|\"(?P<s>[^\"\n\ufffd]{2,1200}?)[\"\ufffd]")
# (a closing mark lost to a bad encoding, U+FFFD, still closes)
# A paragraph of dialogue: "—Texto —dijo X—. Más texto."
_DIALOGUE = re.compile(r"(?:^|\n)\s*[—―]\s*(?P<q>[^—―\n]{2,1200}?)\s*(?:[—―]\s*(?P<tail>[^—―\n]"
                       r"{0,200}?)(?:[—―]|$)|$)", re.MULTILINE)


@dataclass(frozen=True)
class _SpeechRules:
    after_verb_first: re.Pattern[str]   # '», dijo Barack Obama' / '», a déclaré le ministre'
    after_name_first: re.Pattern[str]   # '», Obama dijo' / '“, so Merkel'
    before: re.Pattern[str]             # 'Obama dijo: «' / 'Selon Obama, «'
    according: re.Pattern[str]          # 'según X', 'selon X', 'secondo X', 'laut X'
    pronoun: re.Pattern[str]            # a verb with only a pronoun for a subject


def _speech_rules(language: str) -> _SpeechRules | None:
    verbs = [v for v in SPEECH_VERBS.get(language, ()) if v not in _ACCORDING_WORDS]
    if not verbs:
        return None
    verb = "(?:" + "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True)) + ")"
    # a name, or a determiner and a noun phrase ("el portavoz del ministerio")
    phrase = (rf"(?P<who>{_FOREIGN_NAME}|(?:{_DETERMINERS})\s+[\w’'-]+(?:\s+[\w’'-]+)"
              r"{0,6}?)")
    according = "|".join(re.escape(w) for w in _ACCORDING_WORDS)
    return _SpeechRules(
        after_verb_first=re.compile(rf"^\s*[,:.]?\s*[—–-]?\s*(?i:{verb})\s+{phrase}"
                                    r"(?=\s+(?:(?i:en|à|a|in|am|im|au|al|ante|vor|before|dans|"
                                    r"nel|durante|während|tras|après|dopo|nach|der|dem|den|gegenüber|"
                                    r"zu|ai|alla|al|à la|aux)\b)|\s*[,.;:—–]|"
                                    r"\s*$)"),
        after_name_first=re.compile(rf"^\s*[,:]?\s*[—–-]?\s*(?P<who>{_FOREIGN_NAME}),?\s+{verb}\b"),
        before=re.compile(rf"(?P<who>{_FOREIGN_NAME})(?:,[^,]{{1,80}},)?\s+{verb}"
                          r"(?:\s+(?:que|que:|:))?\s*[:,]?\s*$"),
        according=re.compile(rf"\b(?:{according})\s+(?P<who>{_FOREIGN_NAME})|"
                             rf"(?P<who2>{_FOREIGN_NAME})\s+zufolge\b", re.IGNORECASE),
        pronoun=re.compile(rf"^\s*[,:.]?\s*[—–-]?\s*(?:{verb})(?:-(?:il|elle|t-il|t-elle))?"
                           r"\s*(?:[,.;:—–]|$)|-t-(?:il|elle)\b", re.IGNORECASE))


_ACCORDING_WORDS = ("según", "selon", "secondo", "laut")
_FOREIGN_PRONOUNS = {"él", "ella", "ellos", "ellas", "il", "elle", "ils", "elles", "lui", "lei",
                     "egli", "essa", "loro", "er", "sie", "es", "wir", "nous", "nosotros",
                     "noi", "on", "je", "yo", "io", "ich"}
_DETERMINERS = "el|la|los|las|le|les|il|lo|gli|der|die|das|un|una|une|uno|ein|eine|einer"


def find_quotes_foreign(article: Article, mentions: Sequence[Mention], names: Names,
                        language: str) -> list[QuoteMention]:
    """The quotations of an article in Spanish, French, Italian or German: the language's
    quotation marks and dialogue dashes, the speaker from a speech verb next to the quote
    ('», dijo X', 'X a déclaré : «', 'secondo X', 'laut X'); a verb with no named subject
    ('a-t-il déclaré') goes to the last person named before. No parser: a speaker named
    further away is not found."""
    rules = _speech_rules(language)
    text = article.text
    if rules is None or not text:
        return []
    sentence_at = _sentence_index(article)
    people = [m for m in mentions if names.get(m.key, ("", m.type))[1] == PER]
    found: list[tuple[int, int, str]] = []  # start, end, text after the quote
    for match in _FOREIGN_MARKS.finditer(text):
        group = next(g for g in "gcdras" if match.group(g) is not None)
        found.append((match.start(group), match.end(group), text[match.end():match.end() + 200]))
    for match in _DIALOGUE.finditer(text):
        if not any(s <= match.start("q") < e for s, e, _ in found):
            found.append((match.start("q"), match.end("q"), "—" + (match.group("tail") or "")))
    quotes: list[QuoteMention] = []
    for start, end, after in sorted(found):
        words = text[start:end].strip().strip(",")
        if not words or _title_case(words) or len(words.split()) == 1:
            continue
        first = sentence_at(start)
        sentence_start = _sentence_start(article, first)
        before = text[max(sentence_start, start - 200):max(sentence_start, start - 1)]
        after = after.split("\n", 1)[0]
        who: str | None = None
        attributed = True
        named = (rules.after_verb_first.match(after) or rules.after_name_first.match(after)
                 or rules.before.search(before))
        according = rules.according.search(after[:120]) or rules.according.search(before)
        if named is not None:
            who = named.group("who")
        elif according is not None:
            who = according.group("who") or according.group("who2")
        elif rules.pronoun.match(after) or rules.pronoun.search(after[:40]):
            who = _last_person(article, first, people, names)
        else:
            attributed = False
        if not attributed and len(words.split()) <= settings.QUOTE_MIN_UNATTRIBUTED_WORDS:
            continue  # a scare quote or a name, not speech
        who = who.strip(" .,;:") if who else who
        if who and who.lower() in _FOREIGN_PRONOUNS:  # "Il a déclaré : «...»"
            who = _last_person(article, first, people, names)
        # a name is matched to the story's entities; a described speaker ("el portavoz del
        # ministerio") is shown as written
        speaker = (_name_of(who, names, article, first) if who[:1].isupper() else who) \
            if who else None
        kind = names.get(spelling_key(speaker), ("", None))[1] if speaker else None
        quotes.append(QuoteMention(article.id, first, words, speaker, start, end,
                                   attributed, speaker_kind=kind))
    return quotes
