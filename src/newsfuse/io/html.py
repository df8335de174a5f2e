"""HTML pages: main text, title, date and site name through trafilatura."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import lxml.etree  # type: ignore[import-untyped]
import lxml.html  # type: ignore[import-untyped]
import trafilatura

from newsfuse import settings
from newsfuse.errors import InputError
from newsfuse.io.dates import DateNotUnderstood, parse_date
from newsfuse.io.report import ReadReport
from newsfuse.io.stream import MarkupReader, open_binary
from newsfuse.io.textfile import file_stem
from newsfuse.model import Article, Origin

# trafilatura logs every page it finds thin; newsfuse reports such pages itself.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def read_html_file(path: Path, report: ReadReport) -> Iterator[Article]:
    """Yield the article of one HTML page (its id is the file's stem)."""
    with open_binary(path) as stream:
        data, truncated = read_markup(stream, str(path))
    if not data.strip():
        raise InputError(str(path), "empty file", kind="empty file")
    article = extract_html(data, Origin(str(path)), file_stem(path))
    if truncated:
        report.warn(str(path), f"page holds more than {settings.MAX_HTML_MARKUP_BYTES} bytes "
                    "of markup besides scripts and styles; only its start was read")
    yield article


def read_markup(stream: BinaryIO, path: str) -> tuple[bytes, bool]:
    """A page's markup without its style sheets and large scripts, in bounded memory."""
    return MarkupReader(settings.MAX_HTML_MARKUP_BYTES,
                        settings.HTML_SCRIPT_KEEP_BYTES).read(stream, path)


def _extract(data: bytes | str, url: str | None, origin: Origin,
             favor_recall: bool = False) -> dict[str, Any]:
    try:
        doc = trafilatura.bare_extraction(data, url=url, with_metadata=True,
                                          include_comments=False, include_tables=True,
                                          favor_recall=favor_recall)
    except (ValueError, TypeError, AttributeError) as exc:  # lxml on garbage markup
        raise InputError(origin.path, f"HTML could not be parsed ({exc})", origin.line,
                         kind="unparseable HTML") from None
    if doc is None:
        return {}
    return doc if isinstance(doc, dict) else doc.as_dict()


def _too_deep(data: bytes | str) -> bool:
    """Whether the HTML parser stopped at its nesting limit (elements nested deeper than
    ``settings.HTML_PARSER_DEPTH``): everything below that depth is missing from the
    parsed page. Parsed again only on this rare path (a page with little or no text)."""
    parser = lxml.html.HTMLParser(recover=True)
    with contextlib.suppress(ValueError, TypeError, lxml.etree.LxmlError):
        lxml.html.document_fromstring(data, parser=parser)
    return any(e.type_name == "ERR_RESOURCE_LIMIT" and "depth" in e.message.lower()
               for e in parser.error_log)


def _visible_words(data: bytes | str) -> int:
    """Words of all the text a reader could see on the page (menus and footers included)."""
    try:
        return len((trafilatura.html2txt(data) or "").split())
    except (ValueError, TypeError, AttributeError):
        return 0


def _thin(words: int, visible: int) -> bool:
    return words < settings.THIN_EXTRACT_SHARE * visible


def _main_text(data: bytes | str, url: str | None,
               origin: Origin) -> tuple[dict[str, Any], list[str]]:
    """The extraction's fields; a recall-oriented second try when the first is thin."""
    meta = _extract(data, url, origin)
    words = len(str(meta.get("text") or "").split())
    if words >= settings.THIN_CHECK_WORDS:
        return meta, []
    visible = _visible_words(data)
    if not _thin(words, visible):
        return meta, []
    for text in _fallbacks(data, url, origin):
        found = len(text.split())
        if found > words:
            meta, words = {**meta, "text": text}, found
        if not _thin(words, visible):
            return meta, []
    return meta, [f"only {words} words extracted from a page showing {visible}; "
                  "the article may be incomplete"]


def _fallbacks(data: bytes | str, url: str | None, origin: Origin) -> Iterator[str]:
    """Recall-oriented extractions, most selective first: trafilatura favouring recall,
    then its baseline (the page's article element or its longest text blocks)."""
    yield str(_extract(data, url, origin, favor_recall=True).get("text") or "")
    try:
        yield str(trafilatura.baseline(data)[1] or "")
    except (ValueError, TypeError, AttributeError):
        return


def extract_html(data: bytes | str, origin: Origin, article_id: str,
                 url: str | None = None) -> Article:
    """Extract the main content of a page; InputError when the page has none."""
    meta, warnings = _main_text(data, url, origin)
    text = str(meta.get("text") or "").strip()
    if len(text.split()) < settings.MIN_HTML_WORDS:  # navigation or an error page
        if _too_deep(data):
            raise InputError(origin.path, f"HTML nested deeper than "
                             f"{settings.HTML_PARSER_DEPTH} levels (the parser's limit); "
                             "the text below that depth cannot be read", origin.line,
                             kind="HTML nested too deep")
        raise InputError(origin.path, "HTML page has no main content", origin.line,
                         kind="HTML without main content")
    title = str(meta.get("title") or "").strip() or None
    if title and text.split("\n", 1)[0].strip() == title:
        text = text.split("\n", 1)[1] if "\n" in text else ""
    try:
        date = parse_date(meta.get("date"))
    except DateNotUnderstood as exc:
        date = None
        warnings.append(f"{exc}; kept as unknown")
    return Article(id=article_id, title=title, text=text, origin=origin, date=date,
                   outlet=(meta.get("sitename") or meta.get("hostname") or None),
                   url=(meta.get("url") or url or None),
                   warnings=tuple(warnings))
