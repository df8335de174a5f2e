"""Map a JSON/CSV record with real-world field names onto an Article."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from newsfuse import settings
from newsfuse.errors import InputError
from newsfuse.io.dates import DateNotUnderstood, parse_date
from newsfuse.model import Article, Origin

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def record_to_article(record: Mapping[str, Any], origin: Origin, stem: str) -> Article:
    """Build an Article from ``record``; raise InputError when it carries no text at all."""
    if _has_surrogate(record):
        # JSON may escape half of a UTF-16 pair (\ud800) alone: no character, and not
        # storable as UTF-8; each becomes U+FFFD, with a warning.
        record = _repaired(record)
        repaired = ["lone UTF-16 surrogate escapes replaced with U+FFFD"]
    else:
        repaired = []
    fields = {str(k).lower(): v for k, v in record.items()}
    title = _text_value(_first(fields, settings.TITLE_FIELDS))
    body = _first(fields, settings.TEXT_FIELDS)
    text = _text_value(body)
    cut_lists = _nested_lists(body)
    if not title and not text and cut_lists:
        raise InputError(origin.path, f"text lists nested deeper than "
                         f"{settings.MAX_TEXT_LIST_DEPTH} levels", origin.line,
                         kind="record without text")
    if not title and not text:
        raise InputError(origin.path, "record has no text or title field (looked for "
                         + ", ".join(settings.TEXT_FIELDS + settings.TITLE_FIELDS) + ")",
                         origin.line, kind="record without text")
    warnings: list[str] = repaired
    if cut_lists:
        warnings.append(f"text lists nested deeper than {settings.MAX_TEXT_LIST_DEPTH} "
                        "levels were left out")
    try:
        date = parse_date(_scalar(_first(fields, settings.DATE_FIELDS)))
    except DateNotUnderstood as exc:
        date = None
        warnings.append(f"{exc}; kept as unknown")
    raw_id = _scalar(_first(fields, settings.ID_FIELDS))
    article_id = str(raw_id).strip() if raw_id not in (None, "") else ""
    if len(article_id) > settings.MAX_ID_CHARS or _CONTROL.search(article_id):
        shown = repr(article_id[:40]) + ("..." if len(article_id) > 40 else "")
        warnings.append(f"id {shown} is over {settings.MAX_ID_CHARS} characters or holds "
                        f"control characters; the article is named {stem}:{origin.line}")
        article_id = ""
    return Article(
        id=article_id or f"{stem}:{origin.line}",
        title=title or None,
        text=text or "",
        origin=origin,
        date=date,
        outlet=_outlet(_first(fields, settings.OUTLET_FIELDS)),
        url=_text_value(_first(fields, settings.URL_FIELDS)) or None,
        language=(_text_value(_first(fields, settings.LANGUAGE_FIELDS)) or None),
        warnings=tuple(warnings),
    )


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, Mapping):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


def _repaired(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, Mapping):
        return {_repaired(k): _repaired(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_repaired(v) for v in value]
    return value


def _first(fields: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = fields.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        return next((v for v in value if v not in (None, "")), None)
    if isinstance(value, dict):
        return None
    return value


def _text_value(value: Any, depth: int = 0) -> str:
    """A string field; lists of paragraphs are joined (each part looked at once, at most
    ``settings.MAX_TEXT_LIST_DEPTH`` lists deep), nested objects ignored."""
    if value is None or isinstance(value, dict | bool):
        return ""
    if isinstance(value, list):
        if depth >= settings.MAX_TEXT_LIST_DEPTH:
            return ""
        parts = (_text_value(v, depth + 1) for v in value)
        return "\n\n".join(p for p in parts if p)
    return str(value).strip()


def _nested_lists(value: Any, depth: int = 0) -> bool:
    """Whether lists in ``value`` nest deeper than ``_text_value`` follows."""
    if not isinstance(value, list):
        return False
    if depth >= settings.MAX_TEXT_LIST_DEPTH:
        return True
    return any(_nested_lists(v, depth + 1) for v in value)


def _outlet(value: Any) -> str | None:
    if isinstance(value, dict):  # {"name": "Reuters", "domain": ...}
        for key in ("name", "title", "domain", "id"):
            if value.get(key):
                return str(value[key]).strip()
        return None
    text = _text_value(_scalar(value))
    return text or None
