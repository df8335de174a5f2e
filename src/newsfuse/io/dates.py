"""Publication dates from metadata: ISO 8601, epoch seconds/milliseconds, RFC 2822, free text."""

from __future__ import annotations

import email.utils
import functools
import re
from datetime import UTC, date, datetime
from typing import Any

from newsfuse import settings

_DIGITS = re.compile(r"^-?\d+(?:\.\d+)?$")
_YEAR = re.compile(r"^\d{4}$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ])")


class DateNotUnderstood(ValueError):
    """A date value that could not be parsed; the caller keeps the date as unknown."""


def parse_date(value: Any) -> datetime | None:
    """Parse a metadata date into naive wall-clock time; ``None`` for an empty value.

    Time zones are dropped without conversion: the local date of publication is what
    relative expressions ("on Sunday") are resolved against. Epoch values are UTC.
    Raises :class:`DateNotUnderstood` for a value that is present but unparseable.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if isinstance(value, int) and settings.MIN_YEAR <= value <= settings.MAX_YEAR:
            raise DateNotUnderstood(f"date {_shown(value)} gives only a year")
        return _from_epoch(value, value)
    if not isinstance(value, str):
        raise DateNotUnderstood(f"date {_shown(value)} is not a string or number")
    text = value.strip()
    if not text:
        return None
    if _YEAR.match(text) and settings.MIN_YEAR <= int(text) <= settings.MAX_YEAR:
        raise DateNotUnderstood(f"date {_shown(value)} gives only a year")
    if _DIGITS.match(text):
        return _from_epoch(text, value)
    parsed = _iso(text)
    if parsed is None and not _valid_iso_day(text):  # "2020-13-01": no guessing
        raise DateNotUnderstood(f"date {_shown(value)} is not a valid calendar date")
    parsed = parsed or _rfc2822(text) or _free_text(text)
    if parsed is None:
        raise DateNotUnderstood(f"date {_shown(value)} not understood")
    return _checked(parsed.replace(tzinfo=None), value)


def _valid_iso_day(text: str) -> bool:
    """False only for an ISO-looking date whose day does not exist."""
    match = _ISO_DAY.match(text)
    if match is None:
        return True
    try:
        date(*(int(g) for g in match.groups()))
    except ValueError:
        return False
    return True


def _shown(raw: Any) -> str:
    """A value for a message, cut to a readable length."""
    text = repr(raw)
    return text if len(text) <= 40 else f"{text[:30]}... ({len(text)} characters)"


def _from_epoch(value: float | str, raw: Any) -> datetime:
    try:
        number = float(value)
        seconds = number / 1000 if abs(number) >= settings.EPOCH_MS_THRESHOLD else number
        moment = datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        raise DateNotUnderstood(f"date {_shown(raw)} is out of range") from None
    return _checked(moment, raw)


def _checked(moment: datetime, raw: Any) -> datetime:
    if not settings.MIN_YEAR <= moment.year <= settings.MAX_YEAR:
        raise DateNotUnderstood(f"date {_shown(raw)} is out of range")
    return moment


def _iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _rfc2822(text: str) -> datetime | None:
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _free_text(text: str) -> datetime | None:
    if len(text) > 64 or not any(ch.isdigit() for ch in text):
        return None  # no absolute date without a number; never guess "yesterday"
    result: datetime | None = _dateparser()(
        text,
        settings={"PARSERS": ["timestamp", "custom-formats", "absolute-time"],
                  "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]},
    )
    return result


@functools.cache
def _dateparser() -> Any:
    import dateparser  # slow to import: only when a free-text date is met

    return dateparser.parse
