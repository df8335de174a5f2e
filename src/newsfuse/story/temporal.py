"""Temporal expressions: find them in a sentence and resolve them against a date.

News dates events relative to the day of publication ("on Sunday", "yesterday", "last week")
and only sometimes absolutely ("Dec. 29", "29 December 2019"). Rules in the manner of
HeidelTime: a pattern per expression type, and a resolution that follows the news
convention (a bare weekday in past narration is the most recent such day on or before the
publication day; with a future cue in the sentence, the next one).

A resolved value has the granularity of its expression: ``YYYY-MM-DD`` (day),
``YYYY-Www`` (ISO week), ``YYYY-MM`` (month) or ``YYYY`` (year).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from newsfuse import settings
from newsfuse.text.languages import CALENDARS

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = {
    "January": 1, "Jan": 1, "February": 2, "Feb": 2, "March": 3, "Mar": 3, "April": 4,
    "Apr": 4, "May": 5, "June": 6, "Jun": 6, "July": 7, "Jul": 7, "August": 8, "Aug": 8,
    "September": 9, "Sept": 9, "Sep": 9, "October": 10, "Oct": 10, "November": 11,
    "Nov": 11, "December": 12, "Dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAYNUM = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_PREFIX = r"(?:(?P<prefix>last|next|this|on|early|late|earlier|later)\s+)?"

# Order matters: the first pattern that matches a stretch of text claims it.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("weekday_date", re.compile(
        r"\b" + _PREFIX + _WEEKDAY + r",?\s+(?:(?:" + _MONTH + r"\s+" + _DAYNUM + r")|(?:"
        + _DAYNUM.replace("day>", "day2>") + r"\s+(?:of\s+)?"
        + _MONTH.replace("month>", "month2>") + r"))(?:,?\s+" + _YEAR + r")?\b")),
    ("month_day", re.compile(r"\b(?:on\s+)?" + _MONTH + r"\s+" + _DAYNUM
                             + r"(?!\s*(?:,\s*)?(?!(?:19|20)\d\d\b)\d{3})(?:,?\s+" + _YEAR
                             + r")?\b(?![-–]\d)")),
    ("day_month", re.compile(r"\b(?:on\s+)?" + _DAYNUM + r"\s+(?:of\s+)?" + _MONTH
                             + r"(?:,?\s+" + _YEAR + r")?\b")),
    ("weekday", re.compile(r"\b" + _PREFIX + _WEEKDAY + r"(?![a-z])(?!s\b)"
                           + r"(?:\s+(?P<part>morning|afternoon|evening|night))?")),
    ("deictic", re.compile(r"\b(?P<word>yesterday|today|tonight|tomorrow|this morning|"
                           r"this afternoon|this evening|last night)\b", re.IGNORECASE)),
    ("relative", re.compile(r"\b(?:earlier\s+|later\s+)?(?P<rel>last|next|this|past)\s+"
                            r"(?P<unit>week|month|year)\b", re.IGNORECASE)),
    ("month", re.compile(r"\b(?:(?P<mprefix>in|since|by|until|during|early|late|mid|last|next|"
                         r"this|of|from)[\s-]+)" + _MONTH + r"(?:\s+" + _YEAR + r")?\b")),
    ("month_year", re.compile(r"\b" + _MONTH + r"\s+" + _YEAR + r"\b")),
    ("year", re.compile(r"\b(?:(?:in|since|by|until|during|from|of|the|early|late|mid)[\s-]+)"
                        + _YEAR + r"(?![\d,])\b(?!\s*(?:percent|%))")),
)
_FUTURE = re.compile(r"\b(?:will|shall|is due|are due|is set to|are set to|scheduled|"
                     r"is expected to|are expected to|upcoming|plans? to|planned for|"
                     r"'ll|going to|(?<!was )(?<!were )(?<!been )due (?:to|on|by)"
                     r"(?!\s+(?:the|a|an|his|her|its|their|this|that)\b))\b", re.IGNORECASE)
# A verb of the present tense right before the day: what is coming ("the storm approaches
# on Wednesday", "the court opens on Monday").
_COMING = re.compile(r"\b(?:approaches|arrives|begins|starts|opens|closes|ends|meets|resumes|"
                     r"expires|visits|returns|heads|leaves|lands|hosts|convenes|reconvenes|"
                     r"takes effect|kicks off|gets under way)\s+(?:on\s+)?$", re.IGNORECASE)
# Past narration between a future cue and the day cancels the cue ("will be sentenced
# after the jury returned its verdict on Thursday").
_PAST_VERB = re.compile(r"\b(?:said|told|was|were|had|did|announced|reported|\w+ed)\b",
                        re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A temporal expression in a sentence, resolved (``value``) when a reference date was
    given. ``relative`` expressions need the reference; absolute ones don't."""

    text: str
    start: int
    end: int
    kind: str
    value: str | None
    granularity: str  # day | week | month | year
    relative: bool

    @property
    def day(self) -> date | None:
        return date.fromisoformat(self.value) if self.granularity == "day" and self.value \
            else None


@dataclass(frozen=True, slots=True)
class Contradiction:
    """A weekday written next to a date that falls on another weekday."""

    text: str
    stated: str
    actual: str


def find_times(sentence: str, reference: date | None,
               language: str | None = None) -> list[TimeMention]:
    """Every temporal expression in ``sentence``, in order, resolved against ``reference``
    (the publication day; ``None`` leaves relative expressions unresolved). ``language``
    (es, fr, it, de) reads that language's day words instead of English ones; another
    language gets ISO dates only."""
    if language not in (None, "en"):
        rules = _foreign(language)
        if rules is None:
            return [m for m in find_times(sentence, reference) if m.kind == "iso"]
        return _find_foreign(sentence, reference, rules)
    taken: list[tuple[int, int]] = []
    found: list[TimeMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            future = _looks_ahead(sentence, start, end)
            mention = _resolve(kind, match, reference, future)
            if mention is not None:
                taken.append((start, end))
                found.append(mention)
    return sorted(found, key=lambda m: m.start)


# A page's own time stamp, not an event's day: a date after the words for publishing or
# updating ("Publié le 30 juin 2013 à 16h44 - Mis à jour le 01 juillet 2013", "Actualizado
# el", "pubblicato il"), or one with its clock time set apart at a line's start or between
# bars or dashes and closing it (a reader comment's stamp: "cornille | 3 août 2013 11h07 |
# Répondre", "— 3 juillet 2013 à 23h49 —", "14 août à 12h25."; a chronology's "3 juillet
# 2013 à 21h : Sissi annonce ..." goes on, and stays).
_STAMP_WORDS = (r"published|updated|posted|publiée?|mis à jour|mise à jour|modifiée?|"
                r"actualisée?|publicad[oa]|actualizad[oa]|modificad[oa]|pubblicat[oa]|"
                r"aggiornat[oa]|veröffentlicht|aktualisiert")
# The word opens the stamp: capitalised, or after a line's start, a dash, a bar or a bracket;
# in the run of a sentence it tells of an event ("une vidéo publiée le 24 janvier 2013").
_STAMP_WORD = re.compile(
    r"(?:(?:^|[-–—|(•]\s*)(?i:" + _STAMP_WORDS + r")|\b(?=[A-ZÀ-Ý])(?i:" + _STAMP_WORDS
    + r"))\s*(?::\s*)?(?:(?:on|le|el|il|am|du|del)\s+)?(?:\w+,?\s+)?$")
_SET_APART = re.compile(r"(?:^|[|—–]|\s-|--)\W{0,2}$")
_CLOCK = re.compile(r"^,?\s*(?:à|a las?|alle(?: ore)?|ore|um|at|-)?\s*"
                    r"(?:[01]?\d|2[0-3])\s*(?:[hH:]\s*[0-5]\d|[hH](?!\w))\s*"
                    r"(?:[AaPp]\.?[Mm]\.?\s*)?(?:$|[|—–.-])")
# A numbered note that cites a source with its date ("(7) Esam Al-Amin, « Egypt's fateful
# day », CounterPunch, 26 juin 2013.", "[40] Antentas, JM ..."): the source's day, not an
# event's.
_NOTE = re.compile(r"^\s*[(\[]\d{1,3}[)\]]\s")


def page_stamp(sentence: str, mention: TimeMention) -> bool:
    """Whether ``mention`` is a page's time stamp (publication, update, a reader comment's)
    or a note's source date, which name no day anything happened on."""
    if _NOTE.match(sentence):
        return True
    before = sentence[max(0, mention.start - 40):mention.start]
    if _STAMP_WORD.search(before):
        return True
    return bool(_SET_APART.search(before)) and bool(_CLOCK.match(sentence[mention.end:]))


def event_times(sentence: str, reference: date | None,
                language: str | None = None) -> list[TimeMention]:
    """:func:`find_times` without the page stamps and notes' dates (:func:`page_stamp`): the
    days the sentence says something happened on."""
    return [m for m in find_times(sentence, reference, language)
            if not page_stamp(sentence, m)]


def _looks_ahead(sentence: str, start: int, end: int) -> bool:
    """Whether the clause of an expression speaks of what is to come: a future cue before it
    in its clause with no past narration in between ("will meet in Brussels and discuss the
    crisis with ... on Thursday"), one right after it, or a present-tense verb of what is
    coming right before it ("approaches on Wednesday")."""
    before = re.split(r"[;.!?]\s", sentence[max(0, start - 160):start])[-1]
    cues = list(_FUTURE.finditer(before))
    if cues and not _PAST_VERB.search(before[cues[-1].end():]):
        return True
    return bool(_FUTURE.search(sentence[end:end + 12])) or bool(_COMING.search(before))


# A roundup entry opens with its day and a dash or colon: "April 28 - The Coast Guard
# says ...", "-- June 3: BP cuts the riser".
_ENTRY = re.compile(r"^\W{0,3}(?:on\s+)?(?:[A-Z][a-z]+,?\s+)?(?:[A-Z][a-z]{2,8}\.?\s+[0-3]?\d|"
                    r"[0-3]?\d\s+[A-Z][a-z]{2,8})(?:,?\s+(?:19|20)\d\d)?\s*(?:[-–—:]|--)\s")


def passage_days(sentences: Sequence[str], reference: date | None,
                 language: str | None = None) -> list[date | None]:
    """The day each sentence of an article is about, to read its day references against:
    the publication day, except in a roundup, where an entry's own day ("April 28 - ...")
    holds for it and the next few sentences (settings.TIMELINE_PASSAGE_SENTENCES)."""
    out: list[date | None] = []
    anchor, left = reference, 0
    for text in sentences:
        if (language in (None, "en")) and _ENTRY.match(text):
            first = find_times(text, reference)
            if first and first[0].day is not None and first[0].start <= 6:
                anchor, left = first[0].day, settings.TIMELINE_PASSAGE_SENTENCES + 1
        out.append(anchor if left > 0 else reference)
        left -= 1
    return out


def contradictions(sentence: str) -> list[Contradiction]:
    """Weekday/date pairs that disagree ("Tuesday, January 2, 2020": a Thursday)."""
    out = []
    for match in _PATTERNS[1][1].finditer(sentence):
        if not match.group("year"):
            continue
        day = _date_of(match, int(match.group("year")))
        stated = match.group("weekday")
        if day is not None and WEEKDAYS[day.weekday()] != stated:
            out.append(Contradiction(match.group(0), stated, WEEKDAYS[day.weekday()]))
    return out


def _date_of(match: re.Match[str], year: int) -> date | None:
    groups = match.groupdict()
    month = groups.get("month") or groups.get("month2")
    day = groups.get("day") or groups.get("day2")
    if month is None or day is None:
        return None
    try:
        return date(year, _MONTHS[month], int(day))
    except ValueError:
        return None


def _resolve(kind: str, match: re.Match[str], ref: date | None,
             future: bool) -> TimeMention | None:
    text = match.group(0)
    groups = match.groupdict()

    def made(value: str | None, granularity: str, relative: bool) -> TimeMention:
        return TimeMention(text, match.start(), match.end(), kind, value, granularity, relative)

    if kind == "iso":
        try:
            day = date(int(groups["year"]), int(groups["mon"]), int(groups["day"]))
        except ValueError:
            return None
        return made(day.isoformat(), "day", False)
    if kind in ("weekday_date", "month_day", "day_month"):
        if groups.get("year"):
            written = _date_of(match, int(groups["year"]))
            return None if written is None else made(written.isoformat(), "day", False)
        probe = _date_of(match, 2000)  # a leap year: is the day valid at all?
        if probe is None:
            return None
        if ref is None:
            return made(None, "day", True)
        nearest = _nearest_year(probe.month, probe.day, ref)
        return None if nearest is None else made(nearest.isoformat(), "day", True)
    if kind == "weekday":
        if ref is None:
            return made(None, "day", True)
        return made(resolve_weekday(WEEKDAYS.index(groups["weekday"]), groups.get("prefix"),
                                    ref, future).isoformat(), "day", True)
    if kind == "deictic":
        if ref is None:
            return made(None, "day", True)
        word = groups["word"].lower()
        shift = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(word, 0)
        return made((ref + timedelta(days=shift)).isoformat(), "day", True)
    if kind == "relative":
        rel, unit = groups["rel"].lower(), groups["unit"].lower()
        step = {"last": -1, "past": -1, "next": 1, "this": 0}[rel]
        if ref is None:
            return made(None, unit, True)
        if unit == "week":
            iso = (ref + timedelta(weeks=step)).isocalendar()
            return made(f"{iso.year}-W{iso.week:02d}", "week", True)
        if unit == "month":
            index = ref.year * 12 + ref.month - 1 + step
            return made(f"{index // 12}-{index % 12 + 1:02d}", "month", True)
        return made(str(ref.year + step), "year", True)
    if kind in ("month", "month_year"):
        month = _MONTHS[groups["month"]]
        if groups.get("year"):
            return made(f"{groups['year']}-{month:02d}", "month", False)
        if ref is None:
            return made(None, "month", True)
        prefix = (groups.get("mprefix") or "").lower()
        if prefix == "last":
            year = ref.year if month < ref.month else ref.year - 1
        elif prefix == "next":
            year = ref.year if month > ref.month else ref.year + 1
        elif future:
            year = ref.year if month >= ref.month else ref.year + 1
        else:
            year = ref.year if month <= ref.month else ref.year - 1
        return made(f"{year}-{month:02d}", "month", True)
    if kind == "year":
        return made(groups["year"], "year", False)
    return None


def resolve_weekday(weekday: int, prefix: str | None, ref: date, future: bool) -> date:
    """The day a weekday name refers to, seen from ``ref``."""
    prefix = (prefix or "").lower()
    back = (ref.weekday() - weekday) % 7
    ahead = (weekday - ref.weekday()) % 7
    if prefix == "last":
        return ref - timedelta(days=back or 7)
    if prefix == "next":
        return ref + timedelta(days=ahead or 7)
    if future and ahead:
        return ref + timedelta(days=ahead)
    return ref - timedelta(days=back)


def _nearest_year(month: int, day: int, ref: date) -> date | None:
    best: date | None = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - ref).days) < abs((best - ref).days):
            best = candidate
    return best


def _candidate_days(anchors: Sequence[date], window: int) -> list[date]:
    """Days an undated article may have been published: from 3 days before to ``window``
    days after some anchor, at most ``settings.INFER_MAX_CANDIDATES`` of them (those nearest
    the middle anchor), so the work never grows with the span between the anchors."""
    days = sorted({a + timedelta(days=d) for a in anchors for d in range(-3, window + 1)})
    if len(days) > settings.INFER_MAX_CANDIDATES:
        middle = anchors[len(anchors) // 2]
        days = sorted(sorted(days, key=lambda d: (abs((d - middle).days), d))
                      [:settings.INFER_MAX_CANDIDATES])
    return days


def infer_publication(sentences: Sequence[str], anchors: Iterable[date],
                      window: int = 7, language: str | None = None) -> date | None:
    """The publication day of an undated article, from its relative day references and the
    dates of the other articles of its story (``anchors``).

    Each candidate day within ``window`` days of an anchor is tried as the reference: the
    one that places the article's dated events closest together (and closest to an anchor)
    wins. Without weekday or deictic references there is nothing to go on: ``None``.
    """
    anchor_days = sorted(set(anchors))
    if not anchor_days:
        return None
    parsed = [(text, find_times(text, None, language)) for text in sentences]
    if not any(m.relative and m.granularity == "day" for _, ms in parsed for m in ms):
        return None
    absolute = [m.day for _, ms in parsed for m in ms if not m.relative and m.day]
    best: tuple[tuple[int, int], date] | None = None
    for day in _candidate_days(anchor_days, window):
        if not absolute or max(absolute) <= day:
            resolved = [m.day for text, _ in parsed for m in find_times(text, day, language)
                        if m.relative and m.day is not None]
            days = [*resolved, day]
            spread = (max(days) - min(days)).days
            at = bisect_left(anchor_days, day)
            distance = min(abs((day - a).days) for a in anchor_days[max(0, at - 1):at + 1])
            score = (spread, distance)
            if best is None or score < best[0]:
                best = (score, day)
    return None if best is None else best[1]


# --- other languages -----------------------------------------------------------------------
# Spanish, French, Italian and German name days and months in their own words
# (:data:`newsfuse.text.languages.CALENDARS`): "el domingo pasado", "le 25 janvier 2011",
# "ieri", "am 30. Juni". Weekdays and months are lower case in the Romance languages (a
# capitalised one inside a sentence is a name: "Plácido Domingo"), capitalised in German.
_FOREIGN_YEAR = r"(?P<year>(?:19|20)\d\d)"
# The year after a day and month: this era's, or an earlier one written right after the
# month ("le 18 juin 1815"): without it the day would be read as this year's. An earlier
# year after a comma is more likely a count ("le 3 mars, 1500 soldats").
_FOREIGN_DATE_YEAR = (r"(?:,?\s+(?:de\s+|del\s+)?(?P<year>(?:19|20)\d\d)|"
                      r"\s+(?:de\s+|del\s+)?(?P<old>1[0-8]\d\d))(?![\d,.]\d)")


@dataclass(frozen=True)
class _Foreign:
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    weekday_of: dict[str, int]
    month_of: dict[str, int]
    deictic: dict[str, int]
    past: frozenset[str]
    future: frozenset[str]
    future_cue: re.Pattern[str]
    capitalised: bool  # weekdays are capitalised (German nouns)
    recurring: re.Pattern[str] | None  # ends right before a weekday that is any such day
    generic: re.Pattern[str]           # a day word used for a time, not a day


def _cased(words: Iterable[str], german: bool) -> list[str]:
    """The forms a day word is written in: lower case (not German), capitalised, and in
    capitals (a chronology set in capitals: "25 JANVIER 2011")."""
    out = []
    for word in words:
        out.extend([word.capitalize(), word.upper()] if german
                   else [word, word.capitalize(), word.upper()])
    return sorted(set(out), key=len, reverse=True)


@functools.cache
def _foreign(language: str) -> _Foreign | None:
    calendar = CALENDARS.get(language)
    if calendar is None:
        return None
    german = language == "de"
    weekday_of = {w.lower(): i for i, forms in enumerate(calendar.weekdays) for w in forms}
    month_of = {m.lower(): i + 1 for i, forms in enumerate(calendar.months) for m in forms}
    weekday = "(?P<weekday>" + "|".join(map(re.escape, _cased(weekday_of, german))) + ")"
    month = "(?P<month>" + "|".join(map(re.escape, _cased(month_of, german))) + r")\.?"
    modifiers = _cased((*calendar.past, *calendar.future), False)
    modifier = "(?:" + "|".join(map(re.escape, modifiers)) + ")"
    day = r"(?P<day>[0-3]?\d)" + calendar.day_month_link
    year_link = "(?:" + _FOREIGN_DATE_YEAR + ")?"
    deictic_words = [re.escape(w) for w in sorted(calendar.deictic, key=len, reverse=True)]
    lookbehind = r"(?<!la )(?<!por la )" if language == "es" else ""  # "por la mañana"
    patterns = (
        ("iso", _PATTERNS[0][1]),
        ("weekday_date", re.compile(r"\b" + weekday + r",?\s+(?:(?:den|el|le|il)\s+)?" + day
                                    + r"\s+(?:de\s+)?" + month + year_link + r"\b")),
        ("day_month", re.compile(r"\b" + day + r"\s+(?:de\s+)?" + month + year_link
                                 + r"(?!\w)")),
        ("weekday", re.compile(r"(?<!\w)(?:(?P<before>" + modifier + r")\s+)?" + weekday
                               + r"(?!\w)(?:\s+(?P<after>" + modifier + r"))?")),
        ("deictic", re.compile(lookbehind + r"(?<!\w)(?P<word>" + "|".join(deictic_words)
                               + r")(?!\w)", re.IGNORECASE)),
        ("month", re.compile(r"(?<!\w)(?:en|in|a|im|au mois de|nel mese di|el mes de|"
                             r"desde|depuis|dal|seit)\s+" + month + year_link + r"(?!\w)")),
        ("year", re.compile(r"(?<!\w)(?:en|in|nel|im|desde|depuis|dal|seit|del|de)\s+"
                            + _FOREIGN_YEAR + r"(?![\d,.])")),
    )
    recurring = None if not calendar.recurring else re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in calendar.recurring) + r")\s+$",
        re.IGNORECASE)
    return _Foreign(patterns, weekday_of, month_of, dict(calendar.deictic),
                    frozenset(w.lower() for w in calendar.past),
                    frozenset(w.lower() for w in calendar.future),
                    re.compile(calendar.future_cue, re.IGNORECASE), german, recurring,
                    re.compile(calendar.generic, re.IGNORECASE))


def _on_year(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _find_foreign(sentence: str, reference: date | None, rules: _Foreign) -> list[TimeMention]:
    # Day words that name no day: "d'aujourd'hui" (of our time), "à la veille de ..."
    taken: list[tuple[int, int]] = [m.span() for m in rules.generic.finditer(sentence)]
    found: list[TimeMention] = []
    for kind, pattern in rules.patterns:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            mention = _resolve_foreign(kind, match, reference, rules, sentence)
            if mention is not None or kind == "weekday_date":  # a rejected date stays read
                taken.append((start, end))
            if mention is not None:
                found.append(mention)
    return sorted(found, key=lambda m: m.start)


# A genitive before a day and a capitalised month: "le pont du 6 Octobre", "la Revolución
# del 25 de Enero", "gli attacchi dell'11 Settembre" (months are lower case in the Romance
# languages, save in a name).
_GENITIVE = re.compile(r"(?:\b(?:du|des|del|della|dello|degli)|\b(?:dell|nell|dall)['’])\s*$",
                       re.IGNORECASE)


def _named_after_day(groups: dict[str, str | None], rules: _Foreign, before: str) -> bool:
    """Whether a day and month without a year are a name (a bridge, a movement, a
    revolution named after its day), not a date."""
    month = groups.get("month") or ""
    return not rules.capitalised and not groups.get("year") and month[:1].isupper() \
        and not month.isupper() and bool(_GENITIVE.search(before))


def _resolve_foreign(kind: str, match: re.Match[str], ref: date | None, rules: _Foreign,
                     sentence: str) -> TimeMention | None:
    text, groups = match.group(0), match.groupdict()
    groups["year"] = groups.get("year") or groups.get("old")  # "le 18 juin 1815"

    def made(value: str | None, granularity: str, relative: bool) -> TimeMention:
        return TimeMention(text, match.start(), match.end(), kind, value, granularity, relative)

    if kind == "iso":
        return _resolve(kind, match, ref, False)
    if kind in ("weekday_date", "day_month"):
        month = rules.month_of[groups["month"].lower()]
        if kind == "day_month" and _named_after_day(groups, rules, sentence[:match.start()]):
            return None
        try:
            probe = date(int(groups["year"]) if groups.get("year") else 2000, month,
                         int(groups["day"]))
        except ValueError:
            return None
        if groups.get("year"):
            return made(probe.isoformat(), "day", False)
        if ref is None:
            return made(None, "day", True)
        if kind == "weekday_date":  # the nearest year in which the day is that weekday
            weekday = rules.weekday_of[groups["weekday"].lower()]
            fitting = [d for d in (_on_year(ref.year + k, month, probe.day) for k in (-1, 0, 1))
                       if d is not None and d.weekday() == weekday]
            if not fitting:
                return None  # "vendredi 24 juillet" in 2013: another year's day
            best = min(fitting, key=lambda d: abs((d - ref).days))
            return made(best.isoformat(), "day", True)
        nearest = _nearest_year(month, probe.day, ref)
        return None if nearest is None else made(nearest.isoformat(), "day", True)
    if kind == "weekday":
        word = groups["weekday"]
        if not rules.capitalised and word[:1].isupper() and match.start("weekday") > 0:
            return None  # "Plácido Domingo": a capitalised weekday inside a sentence is a name
        if rules.recurring is not None and not groups.get("before") \
                and rules.recurring.search(sentence[max(0, match.start() - 20):match.start()]):
            return None  # "un mercredi sur deux", "cada lunes": any such day, not one
        modifier = (groups.get("before") or groups.get("after") or "").lower()
        if ref is None:
            return made(None, "day", True)
        prefix = "last" if modifier in rules.past else "next" if modifier in rules.future \
            else None
        clause = re.split(r"[;.!?]\s", sentence[max(0, match.start() - 120):match.end() + 30])
        future = prefix is None and any(rules.future_cue.search(c) for c in clause[-1:])
        return made(resolve_weekday(rules.weekday_of[word.lower()], prefix, ref,
                                    future).isoformat(), "day", True)
    if kind == "deictic":
        if ref is None:
            return made(None, "day", True)
        word = groups["word"]
        if rules.capitalised and word == "Morgen":
            return None  # the morning, not tomorrow
        shift = rules.deictic[word.lower()]
        return made((ref + timedelta(days=shift)).isoformat(), "day", True)
    if kind == "month":
        month = rules.month_of[groups["month"].lower()]
        if groups.get("year"):
            return made(f"{groups['year']}-{month:02d}", "month", False)
        if ref is None:
            return made(None, "month", True)
        year = ref.year if month <= ref.month else ref.year - 1
        return made(f"{year}-{month:02d}", "month", True)
    if kind == "year":
        return made(groups["year"], "year", False)
    return None
