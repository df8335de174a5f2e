"""HTML pages: main text, title, date and site name through trafilatura."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import trafilatura

from newsfuse import settings
from newsfuse.errors import InputError
from newsfuse.io.dates import DateNotUnderstood, parse_date
from newsfuse.io.report import ReadReport
from newsfuse.io.stream import open_binary, read_capped
from newsfuse.io.textfile import file_stem
from newsfuse.model import Article, Origin

# trafilatura logs every page it finds thin; newsfuse reports such pages itself.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def read_html_file(path: Path, report: ReadReport) -> Iterator[Article]:
    """Yield the article of one HTML page (its id is the file's stem)."""
    with open_binary(path) as stream:
        data, truncated = read_capped(stream, str(path), settings.MAX_FILE_BYTES)
    if not data.strip():
        raise InputError(str(path), "empty file", kind="empty file")
    article = extract_html(data, Origin(str(path)), file_stem(path))
    if truncated:
        report.warn(str(path), f"page larger than {settings.MAX_FILE_BYTES} bytes; "
                    "only its start was read")
    yield article


def extract_html(data: bytes | str, origin: Origin, article_id: str,
                 url: str | None = None) -> Article:
    """Extract the main content of a page; InputError when the page has none."""
    try:
        doc = trafilatura.bare_extraction(data, url=url, with_metadata=True,
                                          include_comments=False, include_tables=False)
    except (ValueError, TypeError, AttributeError) as exc:  # lxml on garbage markup
        raise InputError(origin.path, f"HTML could not be parsed ({exc})", origin.line,
                         kind="unparseable HTML") from None
    meta: dict[str, Any] = {}
    if doc is not None:
        meta = doc if isinstance(doc, dict) else doc.as_dict()
    text = str(meta.get("text") or "").strip()
    if len(text.split()) < settings.MIN_HTML_WORDS:  # navigation or an error page
        raise InputError(origin.path, "HTML page has no main content", origin.line,
                         kind="HTML without main content")
    title = str(meta.get("title") or "").strip() or None
    if title and text.split("\n", 1)[0].strip() == title:
        text = text.split("\n", 1)[1] if "\n" in text else ""
    warnings: list[str] = []
    try:
        date = parse_date(meta.get("date"))
    except DateNotUnderstood as exc:
        date = None
        warnings.append(f"{exc}; kept as unknown")
    return Article(id=article_id, title=title, text=text, origin=origin, date=date,
                   outlet=(meta.get("sitename") or meta.get("hostname") or None),
                   url=(meta.get("url") or url or None),
                   warnings=tuple(warnings))
