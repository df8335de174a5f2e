"""Datelines ("BAGHDAD (AP) –", "BAGHDAD / WASHINGTON –", "BAGHDAD:") become metadata."""

from __future__ import annotations

import re

from newsfuse.model import Dateline

_CAPS_PLACE = r"[A-Z][A-Z'’.\-]+(?:[ ][A-Z][A-Z'’.\-]+){0,3}"
_DASH = r"(?:[-–—]{1,2})"
# Upper-case place(s), optional ", May 3" or ", Iraq", optional "(Agency)", then a dash or colon.
_CAPS = re.compile(
    rf"^(?P<place>{_CAPS_PLACE}(?:\s*/\s*{_CAPS_PLACE})*)"
    r"(?:,\s*(?P<extra>[A-Z][a-z]{2,8}\.?\s+\d{1,2}|[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)?))?"
    r"\s*(?:\(\s*(?P<agency>[A-Za-z][A-Za-z .&\-]{0,30}?)\s*\))?"
    r"(?:\s*(?P<sep>--|—)\s*|\s*(?P<sep1>[-–—:])\s+)(?=[\"“‘'A-Z0-9])")
# Mixed-case place with an agency in parentheses: "Baghdad, Iraq (CNN) --"
_AGENCY = re.compile(
    r"^(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}(?:,\s*[A-Z][a-z]+(?: [A-Z][a-z]+)?)?)"
    r"\s*\(\s*(?P<agency>[A-Z][A-Za-z.&]{1,15}(?: [A-Z][A-Za-z.]+)?)\s*\)"
    rf"\s*(?:{_DASH}|:)?\s+(?=[\"“‘'A-Z0-9])")
# Agency only, at the very start: "(CNN) Israeli Prime Minister...", "(Newser) – ...",
# "Jan. 1 (UPI) -- ...".
_AGENCY_ONLY = re.compile(
    r"^(?:(?P<when>[A-Z][a-z]{2,8}\.?\s+\d{1,2})\s+)?\(\s*(?P<agency>[A-Z][A-Za-z.&]{1,15})\s*\)"
    rf"\s*(?:{_DASH}\s*)?(?=[\"“‘'A-Z0-9])")
# Capitalised labels that look like a place followed by a colon but are not.
_NOT_PLACES = frozenset({
    "UPDATE", "UPDATED", "BREAKING", "BREAKING NEWS", "EXCLUSIVE", "WATCH", "VIDEO", "ANALYSIS",
    "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "CORRECTION", "PHOTOS", "LIVE", "OPINION",
    "COMMENT", "FILE", "READ", "MORE", "RELATED", "FACTBOX", "TIMELINE", "Q&A", "FEATURE",
    "WARNING", "AP", "AFP", "US", "U.S.", "UK", "UN", "EU",
})


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """Return the dateline at the start of ``paragraph`` (if any) and the rest of it."""
    match = _CAPS.match(paragraph)
    if match:
        place = re.sub(r"\s*/\s*", " / ", match.group("place")).strip()
        colon = match.group("sep1") == ":"
        if place.rstrip(".") not in _NOT_PLACES and len(place) >= 3 and not (
                colon and (match.group("agency") is None and len(place) < 4)):
            return _make(match, place), paragraph[match.end():]
    match = _AGENCY.match(paragraph)
    if match:
        return _make(match, match.group("place").strip()), paragraph[match.end():]
    match = _AGENCY_ONLY.match(paragraph)
    if match:
        return _make(match, None), paragraph[match.end():]
    return None, paragraph


def _make(match: re.Match[str], place: str | None) -> Dateline:
    agency = match.group("agency")
    return Dateline(place=place, agency=agency.strip() if agency else None,
                    raw=match.group(0).strip())
