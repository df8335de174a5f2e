"""Figures: quantities with what they count ("at least 25 fighters killed", "up to 4,000
troops"), their values normalised to a range.

A figure is a number (digits, number words, "dozens", "half a dozen", "$20bn") with the
noun it counts and, where the sentence says it, what happened to them (killed, wounded,
deployed). Years, dates, times, ordinals, ages, durations and numbers inside names are
not figures; a number whose counted thing can't be told from its sentence is left out
rather than guessed.

Values are ranges: "at least 25" is [25, None], "up to 4,000" [None, 4000], "dozens"
[24, None], "between 5,000 and 12,000" [5000, 12000], "about 30" and "30" are 30.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from newsfuse import settings
from newsfuse.stem import stem as _stem

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "bn": 1_000_000_000, "m": 1_000_000,
           "mn": 1_000_000, "k": 1_000, "b": 1_000_000_000}
# Vague amounts: (low, high) as journalists use them.
_VAGUE = {"dozens of": (24, None), "scores of": (40, None), "hundreds of": (200, None),
          "thousands of": (2_000, None), "tens of thousands of": (20_000, None),
          "hundreds of thousands of": (200_000, None), "millions of": (2_000_000, None),
          "a few dozen": (24, None),
          "a dozen": (12, 12), "half a dozen": (6, 6), "a couple of": (2, 2),
          "a handful of": (3, 5), "several": (3, None), "a few": (2, None)}
_AT_LEAST = ("at least", "more than", "over", "upwards of", "in excess of", "well over",
             "just over", "no fewer than", "no less than", "a minimum of")
_AT_MOST = ("up to", "as many as", "less than", "fewer than", "under", "at most", "no more than",
            "just under", "a maximum of", "as much as")
_ABOUT = ("about", "around", "approximately", "roughly", "nearly", "almost", "some", "close to",
          "an estimated", "estimated", "approx.", "circa", "more or less")
_WORD_NUMBER = (r"(?:(?:" + "|".join(sorted(_UNITS, key=len, reverse=True))
                + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)(?![a-z])")
# "3,5" (a decimal comma) is no number here: the figure would be read as 3.
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!,\d)"
# "4.9m barrels" and "4.9 m barrels" (before a plural noun; "(1.5 m)" is metres).
_SCALE = (r"(?:\s*(?:hundred|thousand|million|billion|trillion)\b|(?:bn|mn|m|k|b)\b|"
          r"\sbn\b|\s(?:mn|m)\b(?=\s+[a-z]+s\b))")
_NUMBER = (r"(?P<cur>[$£€])?\s?(?P<num>" + _DIGITS + r"|" + _WORD_NUMBER + r")(?P<scale>"
           + _SCALE + r"(?:\s+(?:hundred|thousand|million|billion))?)?")
_VAGUE_RE = "|".join(re.escape(v) for v in sorted(_VAGUE, key=len, reverse=True))
_MODIFIER = "|".join(re.escape(m) for m in sorted(_AT_LEAST + _AT_MOST + _ABOUT, key=len,
                                                   reverse=True))
_FIGURE = re.compile(
    r"(?<![\w$£€.,])(?:(?P<mod>" + _MODIFIER + r")\s+)?(?:"
    r"(?:between\s+)?" + _NUMBER.replace("cur>", "cur0>").replace("num>", "num0>")
    .replace("scale>", "scale0>") + r"\s*(?:and|to|-|–)\s*" + _NUMBER.replace("cur>", "cur1>")
    .replace("num>", "num1>").replace("scale>", "scale1>") + r"(?P<pct1>\s*(?:%|percent\b|"
    r"per cent\b))?" + r"|(?P<vague>" + _VAGUE_RE + r")(?![\w-])|" + _NUMBER
    + r"(?P<pct>\s*(?:%|percent\b|per cent\b))?)(?![\w-]*\d)(?!-(?:year|day|week|month|hour|"
    r"minute|second|storey|story|point|member|man|strong|foot|mile|meter|metre|inch|ton|"
    r"gallon|barrel|time|page|seat|stage|lane|game))", re.IGNORECASE)
_TIME_UNITS = {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days",
               "week", "weeks", "month", "months", "year", "years", "decade", "decades",
               "century", "centuries", "night", "nights", "time", "times", "a.m.", "p.m.",
               "am", "pm", "o'clock", "year-old", "years-old", "percentage", "points"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
           "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
# Words that end the counted noun phrase.
_STOP = {"of", "in", "on", "at", "for", "to", "from", "by", "with", "and", "or", "but", "who",
         "which", "that", "were", "was", "are", "is", "be", "been", "have", "has", "had",
         "would", "will", "could", "can", "may", "might", "should", "must", "did", "do",
         "does", "said", "say", "says", "than", "as", "into", "since", "after", "before",
         "over", "under", "during", "while", "when", "where", "because", "if", "so", "per",
         "a", "an", "the", "this", "these", "those", "their", "its", "his", "her", "our",
         "each", "out", "off", "up", "down", "about", "around", "across", "against",
         "between", "among", "through", "without", "within", "near", "outside", "inside",
         "more", "less", "fewer", "other", "others", "being", "not", "also", "all",
         "some", "many", "most", "only", "just", "still", "yet", "then", "there", "here",
         "now", "it", "they", "them", "he", "she", "we", "you", "i", "including"}
# What happened to the counted: the verbs and nouns of news figures.
_EVENTS = {
    "killed", "kill", "kills", "dead", "died", "die", "deaths", "death", "wounded", "injured",
    "injuring", "wounding", "hurt", "arrested", "detained", "held", "missing", "evacuated",
    "displaced", "deployed", "deploy", "sent", "send", "sending", "stationed", "based",
    "infected", "confirmed", "cases", "sickened", "hospitalised", "hospitalized", "leaked",
    "leaking", "spilled", "spilling", "spewed", "spewing", "gushing", "flowing", "fined",
    "paid", "pay", "cost", "costs", "lost", "raised", "rescued", "affected", "fired",
    "destroyed", "damaged", "burned", "cut", "hired", "fled", "protested", "marched",
    "gathered", "charged", "convicted", "sentenced", "released", "freed", "captured",
    "seized", "launched", "dispatched", "withdrawn", "withdrew", "recovered", "collected",
    "skimmed", "closed", "banned", "vaccinated", "tested", "treated", "buried", "mourned",
    "attended", "sold", "bought", "earned", "owed", "spent", "set aside", "compensation",
    "claims", "jobs", "stormed", "remain", "remained", "serve", "serving", "killings",
    "killing", "casualties", "injuries", "dying",
}
# Verbs and nouns of a change, which make a bare percentage a figure.
_MOVES = re.compile(r"\b(?:up|down|higher|lower|rose|rise|risen|rising|rises|fell|fall|fallen|"
                    r"falling|falls|gained?|gains|lost|lose|loses|dropped|drop|drops|declined?|"
                    r"jumped|jump|climbed|plunged|plunge|tumbled|slumped|surged|increased?|"
                    r"decreased?|grew|growth|cut|raised?|shrank|slid|soared|stake|share|"
                    r"rate|turnout|support|approval|owns|own|held)\b", re.IGNORECASE)
# Words that make a verb phrasal ("cut through"): the counted things act, nothing is done
# to them.
_PARTICLES = {"through", "off", "down", "out", "into", "across", "back", "away", "open"}
# Forms of one event, so that "sent" and "sending" compare.
_EVENT_LEMMAS = {"sent": "send", "sending": "send", "dead": "die", "died": "die",
                 "deaths": "die", "death": "die", "dying": "die", "killings": "kill",
                 "killing": "kill", "killed": "kill", "kills": "kill", "wounding": "wound",
                 "wounded": "wound", "injuring": "injur", "injured": "injur",
                 "injuries": "injur", "casualties": "casualti", "held": "hold",
                 "paid": "pay", "lost": "lose", "fled": "flee", "withdrew": "withdraw",
                 "withdrawn": "withdraw", "spewed": "spew", "spewing": "spew",
                 "gushing": "spew", "leaking": "leak", "leaked": "leak", "spilled": "leak",
                 "spilling": "leak", "flowing": "leak", "deployed": "send",
                 "dispatched": "send", "deploy": "send", "send": "send"}
_PARTICIPLES = {"sent", "held", "hurt", "paid", "lost", "cost", "cut", "fled", "dead", "withdrew",
                "spent", "sold", "bought", "set aside"}
_HUMAN = {"people", "persons", "person", "civilians", "fighters", "militants", "soldiers",
          "troops", "iraqis", "americans", "protesters", "demonstrators", "victims", "men",
          "women", "children", "workers", "residents", "members"}
# Events that happen to people: a number they count without a noun counts people.
_HUMAN_EVENTS = {"killed", "killing", "kill", "kills", "dead", "died", "wounded", "wounding",
                 "injured", "injuring", "hurt", "arrested", "detained", "missing",
                 "evacuated", "rescued"}
# Counts of informants ("two officials said") source a report; they are not its facts.
INFORMANTS = {"officials", "official", "sources", "source", "people", "witnesses", "diplomats",
              "reporters", "analysts", "experts", "aides"}
# Amounts too vague to contradict anything.
_UNCOUNTED = {"several", "a few", "a handful of", "a couple of"}


@dataclass(frozen=True, slots=True)
class Figure:
    """A quantity in one sentence of one article."""

    article_id: str
    sentence: int
    span: str          # the words from the number to the counted noun
    value: float | None
    low: float | None
    high: float | None
    counts: str        # the counted noun ("fighters", "dollars", "percent")
    event: str | None  # what happened to them, when the sentence says it
    start: int
    end: int
    language: str = "en"

    @property
    def comparable(self) -> bool:
        """Whether another source's different value for this figure is a disagreement."""
        words = self.span.lower()
        return self.counts.lower() not in INFORMANTS and not any(
            words.startswith(v) for v in _UNCOUNTED)

    @property
    def vague(self) -> bool:
        """Whether the amount is a journalist's order of magnitude ("millions of")."""
        words = self.span.lower()
        return any(words.startswith(v) for v in _VAGUE)

    @property
    def key(self) -> tuple[str, str]:
        """What is counted, as stems: figures with one key can be compared."""
        event = _EVENT_LEMMAS.get(self.event, _stem(self.event)) if self.event else ""
        return (event,
                "human" if _HUMAN.intersection(self.counts.lower().split())
                else _stem(self.counts.split()[-1]))

    def label(self) -> str:
        """The figure in the source's words: "at least 25 fighters killed", "sending
        hundreds of troops"."""
        if not self.event or self.event in self.span:
            return self.span
        if self.language != "en":  # "50 personnes tuées", "54 morti": the event follows
            return f"{self.span} {self.event}"
        if self.event.endswith(("ed", "en")) or self.event in _PARTICIPLES:
            return f"{self.span} {self.event}"
        return f"{self.event} {self.span}"

    def normalised(self) -> str:
        return describe(self.value, self.low, self.high)


def describe(value: float | None, low: float | None, high: float | None) -> str:
    """A range as text: "25", "25+", "up to 4,000", "5,000–12,000"."""
    def num(x: float) -> str:
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0")
    if low is not None and high is not None:
        return num(low) if low == high else f"{num(low)}–{num(high)}"
    if low is not None:
        return f"{num(low)}+"
    if high is not None:
        return f"up to {num(high)}"
    return f"about {num(value)}" if value is not None else "unknown"


def overlaps(a: Figure, b: Figure) -> bool:
    """Whether two figures can describe one true number."""
    def bounds(f: Figure) -> tuple[float, float]:
        low = f.low if f.low is not None else (f.value * 0.85 if f.value is not None and
                                               f.high is None else 0.0)
        high = f.high if f.high is not None else (f.value * 1.15 if f.value is not None and
                                                  f.low is None else float("inf"))
        return low, high
    (alow, ahigh), (blow, bhigh) = bounds(a), bounds(b)
    # Two figures agree at the precision of the coarser one: 6.6% and 6.65%, 200,000 and
    # 202,582 square km, 11m and 10.92 million gallons.
    slack = max(precision(a), precision(b)) / 2 * (1 + 1e-9)
    return alow - slack <= bhigh and blow - slack <= ahigh


def same_statement(a: Figure, b: Figure) -> bool:
    """Whether two figures state one quantity's value: they overlap and name numbers of one
    size ("at least 25 killed" and "25 killed", not "more than 450 killed": both can be
    true, but they are two statements)."""
    if not overlaps(a, b):
        return False
    anchors = [x for x in (f.low if f.low is not None else f.high if f.high is not None
                           else f.value for f in (a, b)) if x is not None and x > 0]
    if len(anchors) < 2:
        return True  # an amount stated in words only
    return max(anchors) / min(anchors) <= settings.FIGURE_SAME_STATEMENT_RATIO


def precision(figure: Figure) -> float:
    """The unit of a figure's last stated digit: 0.1 for "6.6%", 1,000,000 for "11m",
    100,000 for "200,000"; trailing zeros make a round number only from 1,000 up (20
    countries is an exact count)."""
    match = re.search(r"\d[\d,]*(?:\.(\d+))?", figure.span)
    reference = figure.low if figure.low is not None else figure.high
    if match is None or reference is None or reference <= 0:
        return 0.0
    digits = match.group(0).replace(",", "")
    stated = float(digits)
    if stated <= 0:
        return 0.0
    scale = reference / stated if abs(reference / stated - round(reference / stated)) < 1e-6 \
        else 1.0
    if match.group(1):
        return float(scale * 10 ** -len(match.group(1)))
    zeros = len(digits) - len(digits.rstrip("0")) if stated >= 1000 else 0
    return float(scale * 10 ** min(zeros, len(digits) - 1))


def find_figures(article_id: str, sentence: int, text: str) -> list[Figure]:
    """The figures of one sentence, in order."""
    out: list[Figure] = []
    for match in _FIGURE.finditer(text):
        figure = _figure(article_id, sentence, text, match, out)
        if figure is not None:
            out.append(figure)
    return out


def _number(raw: str | None, scale: str | None) -> float | None:
    if raw is None:
        return None
    raw = raw.lower().strip()
    if raw[0].isdigit():
        value = float(raw.replace(",", ""))
    else:
        parts = re.split(r"[- ]", raw)
        if parts[0] not in _UNITS:
            return None
        value = float(sum(_UNITS.get(p, 0) for p in parts))
    for word in (scale or "").lower().split():
        value *= _SCALES.get(word, 1)
    return value


def _figure(article_id: str, sentence: int, text: str, match: re.Match[str],
            earlier: list[Figure]) -> Figure | None:
    groups = match.groupdict()
    before = text[:match.start()]
    after = text[match.end():]
    previous_word = re.search(r"([\w.]+)\W*$", before)
    previous = previous_word.group(1).lower() if previous_word else ""
    modifier = (groups.get("mod") or "").lower()
    cur = groups.get("cur") or groups.get("cur0") or groups.get("cur1")
    pct = groups.get("pct") or groups.get("pct1")
    if groups.get("vague"):
        low, high = _VAGUE[groups["vague"].lower()]
        value: float | None = float(low) if low == high else None
        lowf = float(low)
        highf = float(high) if high is not None else None
    elif groups.get("num0"):
        lo = _number(groups["num0"], groups.get("scale0") or groups.get("scale1"))
        hi = _number(groups["num1"], groups.get("scale1"))
        if lo is None or hi is None or hi <= lo:
            return None
        if all(re.fullmatch(r"(?:1[89]|20)\d\d", groups[k]) for k in ("num0", "num1")):
            return None  # "2014-2017": years
        value, lowf, highf = None, lo, hi
        cur = cur or groups.get("cur1")
    else:
        raw = groups["num"]
        value = _number(raw, groups.get("scale"))
        if value is None:
            return None
        if raw.lower() in ("one", "zero") and not cur and not pct:
            return None
        if re.fullmatch(r"(?:1[89]|20)\d\d", raw) and not cur and not pct \
                and not groups.get("scale"):
            return None  # a year
        if previous in _MONTHS or previous.rstrip(".") in _MONTHS:
            return None  # a date: "Dec. 29"
        if re.match(r"\s*(?:st|nd|rd|th)\b|:\d|\s*(?:a\.m\.|p\.m\.|am\b|pm\b)", after):
            return None
        if previous_word and previous_word.group(1)[:1].isupper() and not before.rstrip() \
                .endswith((",", ":", ";")) and previous not in ("some", "over", "about") \
                and len(before.strip()) > len(previous) and not modifier:
            return None  # inside a name: "Boeing 747", "Section 8"
        lowf, highf = value, value
        if modifier in _AT_LEAST:
            lowf, highf = value, None
        elif modifier in _AT_MOST:
            lowf, highf = None, value
        elif modifier in _ABOUT:
            lowf = highf = None
        if re.match(r"[^.;,]{0,40}?\b(?:or|and) (?:more|higher|greater|above)\b", after):
            lowf, highf = value, None  # "4,000 barrels a day or more"
        elif re.match(r"[^.;,]{0,40}?\bor (?:less|fewer|lower)\b", after):
            lowf, highf = None, value
    if re.match(r"(?:'|’)?s\b", after):
        return None  # a decade or an age: "the 1990s", "in his early 30s"
    if re.match(r"\s*(?:of\s+)?(?:" + "|".join(_MONTHS) + r")\b", after, re.IGNORECASE) \
            and not cur:
        return None  # "29 December"
    counts, end = _counted(after, bool(groups.get("vague")))
    if cur:
        counts = {"$": "dollars", "£": "pounds", "€": "euros"}[cur]
    elif pct:
        counts = "percent"
    inherited = counts is None
    if inherited:
        counts = _inherited(after, earlier)
        end = 0
    if counts is None or counts.split()[0].lower() in _TIME_UNITS or \
            counts.lower() in _SCALES.keys() - {"m", "k", "b"}:
        return None  # a duration, or a scale without a noun ("# 2.33 bn")
    span_end = match.end() + end
    span = text[match.start():span_end].strip()
    event = _event(text, match.start(), span_end, earlier[-1].end if earlier else 0)
    if inherited and event in _HUMAN_EVENTS and not _HUMAN.intersection(counts.split()):
        counts = "people"  # "gushed millions of gallons ... killing 11": 11 people
    if counts == "percent" and not event and not _percent_of_something(text, match.start(),
                                                                        span_end):
        return None  # "6 percent" of nothing said
    return Figure(article_id, sentence, span, value, lowf, highf, counts, event,
                  match.start(), span_end)


_WORD = re.compile(r"\s*([A-Za-z][\w'’-]*|[^\w\s])")


def _counted(after: str, vague: bool) -> tuple[str | None, int]:
    """The noun a number counts, and where its phrase ends in ``after``."""
    words: list[str] = []
    position, end = 0, 0
    for _ in range(5):
        match = _WORD.match(after, position)
        if match is None:
            break
        word = match.group(1)
        lower = word.lower()
        if (lower == "of" and (vague or not words)) or (lower == "other" and not words):
            # "dozens of fighters", "40 other deaths"
            position = match.end()
            continue
        if not word[:1].isalpha() or lower in _STOP:
            break
        if lower in _EVENTS and lower.endswith(("ed", "en")) and not words:
            break  # "55 wounded": a participle, not a noun
        words.append(word)
        position = end = match.end()
        if lower.endswith("s") or lower in _TIME_UNITS or lower in ("people", "police",
                                                                     "staff", "personnel"):
            break
    while words and (words[-1].lower().endswith(("ed", "ing", "ly"))
                     and words[-1].lower() not in _HUMAN):
        words.pop()
    if not words:
        return None, 0
    end = after.find(words[-1]) + len(words[-1])
    head = words[-1]
    coordinated = re.match(r"\s+and\s+([a-z]+s)\b(?=\s+(?:were|was|have|had|are)\b)",
                           after[end:])
    if coordinated:  # "62 militants and civilians were wounded"
        head = f"{head} and {coordinated.group(1)}"
        end += coordinated.end()
    if head[:1].isupper() and head.lower() not in _HUMAN and len(words) == 1:
        return None, 0  # "25 Iraqis" is fine below; a bare capitalised word isn't a noun
    return head, end


def _percent_of_something(text: str, start: int, end: int) -> bool:
    """Whether a percentage says what it is of ("6 percent of voters") or is a move ("rose
    6 percent", "a 40% fall", "shares closed down 6%")."""
    if re.match(r"\s*of\s+\w", text[end:]):
        return True
    before = re.split(r"[,;:(—–]", text[max(0, start - 100):start])[-1]
    near = " ".join([before, *re.findall(r"[\w-]+", text[start:end + 30])[:4]])
    return bool(_MOVES.search(near))


def _inherited(after: str, earlier: list[Figure]) -> str | None:
    """'killed at least 25 fighters and wounded 55': the second counts the first's noun."""
    if earlier and re.match(r"\s*(?:[.,;)]|$|wounded|injured|dead|killed|others\b|"
                            r"other\b(?!\s+[a-z])|more\b)", after):
        return str(earlier[-1].counts)
    return None


def _event(text: str, start: int, end: int, floor: int = 0) -> str | None:
    """What happened to a figure's count: a verb or noun of ``_EVENTS`` right after it
    ("25 fighters killed"), else just before it in its clause, not before ``floor`` (the
    previous figure: "killed 302 people and left 1.5 million homeless"). A verb with a
    particle after it is the counted things' own action ("two saws cut through")."""
    tail = re.findall(r"[A-Za-z][\w-]*", text[end:end + 60])[:5]
    skip = {"were", "was", "have", "had", "been", "are", "is", "be", "reportedly", "also",
            "being", "all", "who", "reported", "later", "initially", "could", "would", "will",
            "may", "might", "can", "should", "to"}
    for k, word in enumerate(tail):  # "62 militants were wounded", "25 fighters killed"
        if word.lower() in _EVENTS:
            if k + 1 < len(tail) and tail[k + 1].lower() in _PARTICLES:
                return None
            return str(word).lower()
        if word.lower() not in skip:
            break
    clause = re.split(r"[,;:(—–]", text[max(0, start - 50, floor):start])[-1]
    head = re.findall(r"[A-Za-z][\w-]*", clause)[-4:]
    for word in reversed(head):
        if word.lower() in _EVENTS:
            return str(word).lower()
    for word in tail:
        if word.lower() in _EVENTS:
            return str(word).lower()
        if word.lower() in ("and", "who", "which", "that", "but", "while"):
            break
    return None


# --- other languages -----------------------------------------------------------------------
# Spanish, French, Italian and German figures: digits with the languages' separators
# ("2.926 heridos", "1,5 millones", "33 millions de personnes", "12 000 manifestants"), small
# number words, vague amounts ("miles de", "des centaines de", "decine di", "Tausende"),
# modifiers ("al menos", "plus de", "almeno", "mindestens") and the counted noun after the
# number. Dates, times, years and durations are left out, as in English.
@dataclass(frozen=True)
class _ForeignNumbers:
    words: dict[str, int]
    scales: dict[str, int]
    vague: dict[str, tuple[int, int | None]]
    at_least: tuple[str, ...]
    at_most: tuple[str, ...]
    about: tuple[str, ...]
    links: tuple[str, ...]          # between a number and its noun ("millones de personas")
    time_units: frozenset[str]
    percent: tuple[str, ...]
    events: frozenset[str]
    human: frozenset[str]


def _words(text: str) -> list[str]:
    return text.split()


_FOREIGN_NUMBERS = {
    "es": _ForeignNumbers(
        words={"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
               "nueve": 9, "diez": 10, "once": 11, "doce": 12, "veinte": 20, "treinta": 30,
               "cuarenta": 40, "cincuenta": 50, "cien": 100, "mil": 1000},
        scales={"mil": 1000, "millón": 10**6, "millones": 10**6, "millardos": 10**9},
        vague={"decenas de": (20, None), "cientos de": (200, None), "centenares de": (200, None),
               "miles de": (2000, None), "millares de": (2000, None),
               "decenas de miles de": (20000, None), "millones de": (2 * 10**6, None)},
        at_least=("al menos", "por lo menos", "más de", "mas de", "como mínimo"),
        at_most=("hasta", "menos de", "como máximo"),
        about=("unos", "unas", "cerca de", "alrededor de", "casi", "aproximadamente"),
        links=("de",),
        time_units=frozenset(_words("año años día días hora horas semana semanas mes meses "
                                    "minutos segundos década décadas siglo siglos vez veces h")),
        percent=("%", "por ciento"),
        events=frozenset(_words("muertos muertes fallecidos heridos detenidos arrestados "
                                "desaparecidos asesinados víctimas desplazados refugiados heridas "
                                "murieron fallecieron")),
        human=frozenset(_words("personas muertos fallecidos heridos detenidos manifestantes "
                               "civiles soldados policías víctimas niños mujeres"))),
    "fr": _ForeignNumbers(
        words={"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
               "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "vingt": 20, "trente": 30,
               "quarante": 40, "cinquante": 50, "cent": 100, "mille": 1000},
        scales={"mille": 1000, "million": 10**6, "millions": 10**6, "milliard": 10**9,
                "milliards": 10**9},
        vague={"des dizaines de": (20, None), "des centaines de": (200, None),
               "des milliers de": (2000, None), "des dizaines de milliers de": (20000, None),
               "des millions de": (2 * 10**6, None), "plusieurs centaines de": (200, None),
               "plusieurs milliers de": (2000, None)},
        at_least=("au moins", "plus de", "près de plus de"),
        at_most=("jusqu'à", "jusqu’à", "moins de"),
        about=("environ", "près de", "quelque", "quelques", "presque", "autour de"),
        links=("de", "d'", "d’"),
        time_units=frozenset(_words("an ans année années jour jours heure heures semaine semaines "
                                    "mois minutes secondes décennie décennies siècle siècles fois "
                                    "h")),
        percent=("%", "pour cent"),
        events=frozenset(_words("morts tués blessés arrêtés interpellés disparus victimes "
                                "déplacés réfugiés morts tuées blessées")),
        human=frozenset(_words("personnes morts tués blessés manifestants civils soldats "
                               "policiers victimes enfants femmes"))),
    "it": _ForeignNumbers(
        words={"due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8,
               "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "venti": 20, "trenta": 30,
               "quaranta": 40, "cinquanta": 50, "cento": 100, "mille": 1000},
        scales={"mila": 1000, "mille": 1000, "milione": 10**6, "milioni": 10**6,
                "miliardo": 10**9, "miliardi": 10**9},
        vague={"decine di": (20, None), "centinaia di": (200, None), "migliaia di": (2000, None),
               "decine di migliaia di": (20000, None), "milioni di": (2 * 10**6, None)},
        at_least=("almeno", "più di", "oltre"),
        at_most=("fino a", "meno di"),
        about=("circa", "quasi", "una trentina di", "intorno a"),
        links=("di",),
        time_units=frozenset(_words("anno anni giorno giorni ora ore settimana settimane mese "
                                    "mesi minuti secondi decennio decenni secolo secoli volta "
                                    "volte")),
        percent=("%", "per cento"),
        events=frozenset(_words("morti uccisi feriti arrestati dispersi vittime sfollati profughi "
                                "morte")),
        human=frozenset(_words("persone morti uccisi feriti manifestanti civili soldati "
                               "poliziotti vittime bambini donne"))),
    "de": _ForeignNumbers(
        words={"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
               "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30,
               "hundert": 100, "tausend": 1000},
        scales={"tausend": 1000, "million": 10**6, "millionen": 10**6, "mio": 10**6,
                "milliarde": 10**9, "milliarden": 10**9, "mrd": 10**9},
        vague={"dutzende": (24, None), "hunderte": (200, None), "tausende": (2000, None),
               "zehntausende": (20000, None), "hunderttausende": (200000, None),
               "millionen": (2 * 10**6, None)},
        at_least=("mindestens", "mehr als", "über", "wenigstens"),
        at_most=("bis zu", "weniger als", "höchstens"),
        about=("etwa", "rund", "fast", "knapp", "ungefähr", "circa", "ca."),
        links=(),
        time_units=frozenset(_words("jahr jahre jahren tag tage tagen stunde stunden woche wochen "
                                    "monat monate monaten minuten sekunden jahrzehnt jahrzehnte "
                                    "mal uhr")),
        percent=("%", "prozent"),
        events=frozenset(_words("tote toten verletzte verletzten getötet verletzt festgenommen "
                                "vermisst opfer flüchtlinge")),
        human=frozenset(_words("menschen personen tote toten verletzte demonstranten zivilisten "
                               "soldaten polizisten opfer kinder frauen"))),
}
_FOREIGN_DIGITS = r"\d{1,3}(?:[.\u202f\u00a0 ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"


@functools.cache
def _foreign_figure_re(language: str) -> re.Pattern[str] | None:
    rules = _FOREIGN_NUMBERS.get(language)
    if rules is None:
        return None
    mods = sorted((*rules.at_least, *rules.at_most, *rules.about), key=len, reverse=True)
    words = sorted(rules.words, key=len, reverse=True)
    scales = sorted(rules.scales, key=len, reverse=True)
    vague = sorted(rules.vague, key=len, reverse=True)
    percent = "|".join(re.escape(p) for p in rules.percent)
    return re.compile(
        r"(?<![\w.,])(?:(?P<mod>" + "|".join(map(re.escape, mods)) + r")\s+)?(?:"
        r"(?P<vague>" + "|".join(map(re.escape, vague)) + r")(?!\w)|"
        r"(?P<cur>[$£€])?\s?(?P<num>" + _FOREIGN_DIGITS + "|" + "|".join(map(re.escape, words))
        + r")(?!\w)(?:\s+(?P<scale>" + "|".join(map(re.escape, scales)) + r")(?!\w))?"
        r"(?:\s*(?P<pct>" + percent + r"))?(?:\s*(?P<cur2>€|euros?|dólares|dollars?|"
        r"dollari|Dollar|Euro))?)", re.IGNORECASE)


def find_figures_foreign(article_id: str, sentence: int, text: str,
                         language: str) -> list[Figure]:
    """The figures of one sentence in Spanish, French, Italian or German, in order."""
    pattern = _foreign_figure_re(language)
    if pattern is None:
        return []
    rules = _FOREIGN_NUMBERS[language]
    from newsfuse.text.languages import CALENDARS, stop_words

    calendar = CALENDARS[language]
    months = {m.lower() for forms in calendar.months for m in forms}
    stops = stop_words(language)
    out: list[Figure] = []
    for match in pattern.finditer(text):
        groups = match.groupdict()
        before, after = text[:match.start()], text[match.end():]
        modifier = (groups.get("mod") or "").lower()
        if groups.get("vague"):
            low, high = rules.vague[groups["vague"].lower()]
            value: float | None = None
            lowf: float | None = float(low)
            highf: float | None = float(high) if high is not None else None
        else:
            raw = groups["num"]
            if raw[0].isdigit():
                if re.fullmatch(r"(?:1[89]|20)\d\d", raw) and not groups.get("scale"):
                    continue  # a year
                if re.match(r"\s*(?:h\b|:\d|\.\d\d\s*h\b|heures?\b|Uhr\b)", after) or \
                        re.search(r"\d[.:]$", before):
                    continue  # a time: "21.55 h", "23h49"
                number = float(re.sub(r"[.\u202f\u00a0 ]", "", raw).replace(",", "."))
            else:
                number = float(rules.words[raw.lower()])
            scale = groups.get("scale")
            value = number * rules.scales.get(scale.lower(), 1) if scale else number
            previous = re.search(r"(\w+)\W*$", before)
            if previous and previous.group(1)[:1].isupper() and not modifier and \
                    previous.group(1).lower() not in stops and len(before.strip()) > \
                    len(previous.group(1)):
                continue  # inside a name
            lowf = highf = value
            if modifier in rules.at_least:
                lowf, highf = value, None
            elif modifier in rules.at_most:
                lowf, highf = None, value
            elif modifier in rules.about:
                lowf = highf = None
        if groups.get("pct"):
            counts: str | None = "percent"
            end = 0
        elif groups.get("cur") or groups.get("cur2"):
            counts, end = "euros" if "€" in match.group(0) or "euro" in match.group(0).lower() \
                else "dollars", 0
        else:
            counts, end = _foreign_counted(after, rules, stops)
        if counts is None:
            continue
        first = counts.split()[0].lower()
        if first in months or first in rules.time_units or first in calendar.deictic:
            continue  # a date or a duration: "25 de enero", "30 ans"
        span_end = match.end() + end
        span = text[match.start():span_end].strip()
        window = text[span_end:span_end + 60].lower().split()[:6]
        event = first if first in rules.events else next(
            (w.strip(",.;:") for w in window if w.strip(",.;:") in rules.events), None)
        if counts == "percent" and event is None:
            continue
        out.append(Figure(article_id, sentence, span, value, lowf, highf, counts, event,
                          match.start(), span_end, language))
    return out


def _foreign_counted(after: str, rules: _ForeignNumbers,
                     stops: frozenset[str]) -> tuple[str | None, int]:
    """The noun after a number ("personas", "d'entre eux" is none), and where it ends."""
    match = re.match(r"\s+(?:(?:" + "|".join(map(re.escape, rules.links)) + r")\s*)?"
                     r"([^\W\d_][\w'’-]*)", after) if rules.links else \
        re.match(r"\s+([^\W\d_][\w'’-]*)", after)
    if match is None:
        return None, 0
    word = match.group(1)
    if word.lower() in _LINKING_VERBS:  # "2.926 resultaron heridos", "50 sont morts"
        following, end = _foreign_counted(after[match.end():], rules, stops)
        return following, (match.end() + end) if following else 0
    if word.lower() in stops or len(word) < 3:
        return None, 0
    return word, match.end()


_LINKING_VERBS = {"resultaron", "fueron", "murieron", "quedaron", "sont", "ont", "ont été",
                  "furono", "sono", "sono stati", "wurden", "sind"}
