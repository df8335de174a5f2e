"""Whether two figures state the same quantity, so that different values disagree.

Two figures with one counted noun and event ("cases", "deaths", "barrels leaking") are
often different quantities: the cases of Mexico and of the US, new cases and the total,
suspected and confirmed deaths, a daily rate and a total, a fall and a rise of one share
price, last year's pay and this year's. Reports of one story put such figures side by side
in near-identical sentences, so similar wording alone pairs them wrongly. The checks here
read what the sentence says of each number: the place of its own clause, the words that
qualify the count next to it, the rate after it, its direction and its year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfuse import settings
from newsfuse.stem import stem as _stem
from newsfuse.story.figures import Figure, overlaps

_CAPITAL = re.compile(r"\b[A-Z][A-Za-z.'’-]*[A-Za-z]")
_NOT_NAMES = {"the", "a", "an", "in", "on", "at", "of", "and", "but", "he", "she", "it",
              "they", "we", "i", "this", "that", "these", "there", "its", "their", "his",
              "her", "our", "so", "as", "after", "before", "since", "until", "while",
              "january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december", "monday", "tuesday",
              "wednesday", "thursday", "friday", "saturday", "sunday", "mr", "mrs", "ms",
              "dr", "according", "some", "about", "more", "nearly", "almost", "up"}
# Words next to a number that make it a different count of the same noun.
_COUNT_KINDS = {
    "suspected": re.compile(r"\b(?:suspected|probable|possible|presumed|feared)\b",
                            re.IGNORECASE),
    "forecast": re.compile(r"\b(?:expected|forecast|forecasts|predicted|projected|"
                           r"projections?)\b", re.IGNORECASE),
    "increment": re.compile(r"\b(?:new|additional|another|further|extra|first)\b",
                            re.IGNORECASE),
}
# Words of the clause that put a figure in the past: an earlier estimate, last year's pay.
_PAST = re.compile(r"\b(?:last year|previous(?:ly)?|initial(?:ly)?|originally|at first|"
                   r"earlier|in the past|used to|had (?:estimated|thought|believed|guessed))\b",
                   re.IGNORECASE)
# A rate is another quantity than a total: "5,000 barrels a day" vs "4.9 million barrels".
_RATE = re.compile(r"^\W{0,3}(?:\w+\W+){0,6}?(?:a|an)\s+(day|week|month|year|hour|minute|"
                   r"second|barrel|head|share|person)\b|^\W{0,3}(?:\w+\W+){0,6}?(?:per|every|"
                   r"each(?= day| week| month| year))\s+(?!the\b|a\b)([a-z]+)|"
                   r"^\W{0,3}(?:\w+\W+){0,6}?(daily|annually|yearly|monthly|weekly|hourly|/day)",
                   re.IGNORECASE)
# A conversion of a rate is a rate: "5,000 barrels a day -- the equivalent of 210,000
# gallons", "20,000 barrels each day (840,000 gallons".
_CONVERTED = re.compile(r"\b(?:a|per|each|every)\s+(day|week|month|year|hour|minute)\b"
                        r"\W*(?:\w+\W+){0,3}$", re.IGNORECASE)
_UP = re.compile(r"\b(?:up|higher|rose|rise|risen|rising|gained|gain|jumped|climbed|"
                 r"increased|rebounded)\b", re.IGNORECASE)
_DOWN = re.compile(r"\b(?:down|lower|fell|fall|fallen|falling|lost|lose|dropped|declined|"
                   r"plunged|tumbled|slumped|decreased)\b", re.IGNORECASE)
# Counted nouns that can stand for any group of people ("19 people", "six victims").
_GENERIC_HEADS = {_stem(w) for w in ("people", "persons", "person", "victims")}
_LOCATIVE = re.compile(r"\b(?i:in|at|across|off)\s+(?:(?:the|a|an)\s+)?((?:[A-Z][\w.'’-]*)"
                       r"(?:\s+[A-Z][\w.'’-]*)*)")
# Between a place and the place it lies in: "at Alleyn's school in Dulwich".
_GAP = re.compile(r"(?:\s+(?!(?:in|at|across|off|and|or|but|with|while|as|than|to|of|for|"
                  r"from|by|was|were|is|are|has|had|have|be|been|where|when|which|who)\b)"
                  r"[a-z]+)?\s+")
_MONEY = {"dollars", "pounds", "euros"}
_MONEY_VERBS = {_stem(w) for w in (
    "forfeit", "awarded", "paid", "pay", "fined", "raised", "spent", "earned", "owed", "lost",
    "cost", "received", "sold", "bought", "offered", "sought", "claimed", "seized", "stole",
    "invested", "borrowed", "lent", "donated", "pledged", "saved", "charged", "settled")}
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# An aside that describes a name ("Thriller, released in 1982, sold 65m copies"): its year
# dates the name, not the sentence's figures.
_OPENING_BREAK = re.compile(r"[;:(—–]|--|,(?!\d)|(?<!\d),")  # not the comma of 1,600
_SAYING = re.compile(r"\b(?:says?|said|told|estimated|estimates|announced|believes?)\b")
_ASIDE = re.compile(r",\s*(?:[a-z]+ly\s+)?[a-z]+(?:ed|en|wn)\b[^,;]*(?:,|$)")
# Who gives a figure is not what it is of: "The WHO says only 9 deaths are confirmed",
# "according to the Guinness Book of World Records", "Credit Suisse estimates".
_ATTRIBUTION = re.compile(
    r"((?:[A-Z][\w.'’-]*\s+){1,5})(?=(?:has\s+|have\s+)?(?:says?|said|"
    r"estimated|estimates|told|announced|believes?)\b)|"
    r"\b(?:according to|reported by)\s+(?:the\s+)?((?:[A-Z][\w.'’-]*\s*)+"
    r"(?:of\s+(?:[A-Z][\w.'’-]*\s*)+)?)")
_BREAKS = ",;:(—–"


def clause(text: str, figure: Figure) -> str:
    """The clause holding a figure: what the number is said of ("in Mexico", "at Alleyn's
    School"), between the nearest clause breaks around it (a comma inside a number such
    as 1,600 is no break)."""
    def is_break(k: int) -> bool:
        if text[k] == "-":  # "--" stands for a dash
            return text[k + 1:k + 2] == "-" or text[k - 1:k] == "-"
        return text[k] in _BREAKS and not (text[k] == "," and 0 < k < len(text) - 1
                                           and text[k - 1].isdigit() and text[k + 1].isdigit())
    start = next((k + 1 for k in range(figure.start - 1, -1, -1) if is_break(k)), 0)
    end = next((k for k in range(figure.end, len(text)) if is_break(k) or text[k] == ")"),
               len(text))
    return text[start:end]


def attributed(text: str, figure: Figure | None = None) -> set[str]:
    """Names that give a figure rather than what it counts: the teller of "The WHO says",
    "Credit Suisse estimates", "according to the Guinness Book of World Records"; with the
    figure, also every name before a verb of saying that comes before the figure in its
    clause ("The World Health Organization was monitoring ... and said 21 countries")."""
    out: set[str] = set()
    for match in _ATTRIBUTION.finditer(text):
        out |= _names(match.group(1) or match.group(2) or "")
    if figure is not None:
        own = clause(text, figure)
        before = own[:max(0, figure.start - text.find(own))]
        told = [m.start() for m in _SAYING.finditer(before)]
        if told:
            out |= _names(before[:told[-1]])
    return out


def _names(words: str) -> set[str]:
    """Named subjects of a clause: capitalised words other than function words, months and
    weekdays."""
    return {w.lower().replace(".", "") for w in _CAPITAL.findall(words)} - _NOT_NAMES


def place(text: str, figure: Figure) -> set[str]:
    """Where a figure is said to be: the place named by a locative ("in Mexico", "at
    Alleyn's School") after it in its clause, else before it in the clause, else the
    sentence's first before it ("Alleyn's school in Dulwich ... closed when six pupils");
    as lower-case words."""
    own = clause(text, figure)
    offset = text.find(own)
    base = own
    found = [m for m in _LOCATIVE.finditer(own) if offset + m.start() >= figure.end][:1] or \
        [m for m in _LOCATIVE.finditer(own) if offset + m.end() <= figure.start][-1:]
    if not found:
        base = text[:figure.start]
        found = [m for m in _LOCATIVE.finditer(base)][:1]
    if not found:
        return set()
    # A place and the places it lies in are one place: "at Alleyn's School in Dulwich".
    names, match = _names(found[0].group(1)), found[0]
    while (gap := _GAP.match(base, match.end())) is not None and \
            (nested := _LOCATIVE.match(base, gap.end())) is not None:
        names |= _names(nested.group(1))
        match = nested
    return names


def _around(text: str, figure: Figure) -> str:
    """A figure's words and the two words before it: where "new", "another", "suspected"
    qualify the count ("another 59 cases", "176 suspected deaths")."""
    before = re.findall(r"\S+", text[:figure.start])[-2:]
    return " ".join([*before, text[figure.start:figure.end]])


def kinds(text: str, figure: Figure, year: int | None = None) -> set[str]:
    """Which count a figure is: suspected, an increment, a past value (also: a year before
    the report's ``year`` in its clause), a rate (with its unit), a rise or a fall."""
    near, own = _around(text, figure), clause(text, figure)
    out = {kind for kind, pattern in _COUNT_KINDS.items()
           if pattern.search(own if kind == "forecast" else near)}
    years = _YEAR.findall(own) or _YEAR.findall(  # "In 2005, 15 died"
        _ASIDE.sub(",", text[:figure.start]))
    if _PAST.search(own) or (year is not None and any(int(y) < year for y in years)):
        out.add("past")
    after = re.sub(r"\([^)]*\)", " ", text[figure.end:figure.end + 80])
    rate = _RATE.search(after) or _CONVERTED.search(text[max(0, figure.start - 45):
                                                         figure.start])
    if rate:
        out.add("per " + next(g for g in rate.groups() if g).lower().replace("/", ""))
    if figure.counts == "percent":  # a rise and a fall are two moves
        move = " ".join([near, *re.findall(r"\S+", after)[:3]])
        out.update(k for k, p in (("up", _UP), ("down", _DOWN)) if p.search(move))
    return out


def _base(text: str, figure: Figure) -> str | None:
    """What a percentage is of ("of parents", "of its value"), or what a sum is in ("$34
    million in stock options", "$41 million in performance pay"), as a stem."""
    if figure.counts == "percent":
        of = re.match(r"\s*of\s+(?:the\s+|its\s+|their\s+|all\s+)?([a-z]+)",
                      text[figure.end:])
    elif figure.counts in _MONEY:
        of = re.match(r"\s*(?:in|of|worth of)\s+(?:[a-z]+\s+)?([a-z]+)\b(?!\s+of\b)",
                      text[figure.end:])
    else:
        return None
    return str(_stem(of.group(1))) if of else None


def _money_verb(text: str, figure: Figure) -> str | None:
    """What is done with a sum, from the verb nearest it ("will forfeit $19m", "was awarded
    more than $60 million"), as a stem."""
    before = re.findall(r"[A-Za-z]+", text[max(0, figure.start - 40):figure.start])[-4:]
    after = re.findall(r"[A-Za-z]+", text[figure.end:figure.end + 30])[:3]
    for word in [*reversed(before), *after]:
        stem = _stem(word.lower())
        if stem in _MONEY_VERBS:
            return str(stem)
    return None


def _subject(text: str, figure: Figure) -> set[str]:
    """The names of a sentence's opening clause when the figure's clause comes later: the
    subject the rest of the sentence speaks of."""
    own = clause(text, figure)
    start = text.find(own)
    brk = _OPENING_BREAK.search(text)
    first = brk.start() if brk else len(text)
    if start <= first:
        return set()
    opening = text[:first]
    return _names(opening) - _lead(text, opening) - attributed(opening)


def _lead(text: str, own: str) -> set[str]:
    """The sentence's first word when it opens the clause and is no multi-word name."""
    words = re.match(r"\W*([A-Za-z][\w'’.-]*)\s+([A-Za-z])", text)
    if words is None or not text.lstrip().startswith(own.lstrip()[:20]) \
            or words.group(2).isupper():
        return set()
    return {words.group(1).lower().replace(".", "")}


def one_quantity(text_a: str, a: Figure, text_b: str, b: Figure,
                 years: tuple[int | None, int | None] = (None, None)) -> bool:
    """Whether two figures of one counted noun and event state the same quantity: the same
    group when both count named groups of people, no two different places, no named
    subject only one clause has when both name one, the same kind of count and the same
    years."""
    if a.vague or b.vague:
        return False  # "millions of gallons" sets an order of magnitude, not a count
    heads = {_stem(f.counts.split()[-1].lower()) for f in (a, b)}
    if len(heads - _GENERIC_HEADS) > 1:
        return False  # soldiers and militants: two groups, though both are people
    place_a, place_b = place(text_a, a), place(text_b, b)
    if place_a and place_b and not place_a & place_b:
        return False  # "20 cases in the US" and "1,000 cases in Mexico"
    clause_a, clause_b = clause(text_a, a), clause(text_b, b)
    # The first word of a sentence is capitalised anyway ("One team", "The British oil
    # giant"): a name only when the next word is capitalised too.
    lead_a, lead_b = (_lead(t, c) for t, c in ((text_a, clause_a), (text_b, clause_b)))
    if settings.CONFLICT_CLAUSE_NAMES:
        names_a = _names(clause_a) - lead_a - attributed(clause_a) - attributed(text_a, a)
        names_b = _names(clause_b) - lead_b - attributed(clause_b) - attributed(text_b, b)
        # A clause naming no one is said of the sentence's subject ("Rob Furlong, in the
        # same operation, bested ... at 2,430 metres").
        names_a = names_a or _subject(text_a, a)
        names_b = names_b or _subject(text_b, b)
        if names_a and names_b and not names_a & names_b:
            return False
    kinds_a, kinds_b = kinds(text_a, a, years[0]), kinds(text_b, b, years[1])
    if kinds_a != kinds_b:
        return False
    moved = bool(kinds_a & {"up", "down"}) or bool(a.event and a.event == b.event)
    if a.counts == "percent" and not moved:
        return False  # shares of different wholes ("65 percent of the well", "90% of parents")
    if a.counts in _MONEY and (a.key[0] != b.key[0] or len(
            {v for v in (_money_verb(text_a, a), _money_verb(text_b, b)) if v}) > 1):
        return False  # a sum fined and a sum forfeited: what happened to money defines it
    base_a, base_b = _base(text_a, a), _base(text_b, b)
    if base_a and base_b and base_a != base_b:
        return False
    years_a, years_b = set(_YEAR.findall(clause_a)), set(_YEAR.findall(clause_b))
    return not (years_a and years_b and years_a != years_b)


def stated_by(figure: Figure, others: Sequence[Figure]) -> bool:
    """Whether another sentence gives this figure's value for its counted noun too: then
    the sentences list the same figures ("BP owns 65 percent, Anadarko 25 percent"), and
    the other values of that sentence count other things."""
    return any(o.key[1] == figure.key[1] and overlaps(o, figure) for o in others)
