"""WARC and WARC.gz archives (the Common Crawl News shape): every HTML response record."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsfuse import settings
from newsfuse.errors import InputError
from newsfuse.io.dates import DateNotUnderstood, parse_date
from newsfuse.io.html import extract_html, read_markup
from newsfuse.io.report import ReadReport
from newsfuse.io.stream import STREAM_ERRORS
from newsfuse.io.textfile import file_stem
from newsfuse.model import Article, Origin


def read_warc(path: Path, report: ReadReport) -> Iterator[Article]:
    """Yield an article per HTML response; the id is ``<stem>:<record number>``."""
    stem = file_stem(path)
    number = 0
    with path.open("rb") as f:
        try:
            for record in ArchiveIterator(f):
                number += 1
                article = _record_article(record, str(path), stem, number, report)
                if article is not None:
                    yield article
        except (ArchiveLoadFailed, OSError, ValueError, *STREAM_ERRORS) as exc:
            report.skip(InputError(str(path), f"truncated or corrupt WARC after record "
                                              f"{number} ({_short(exc)})", number + 1,
                                   kind="truncated file"))


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


def _record_article(record: object, name: str, stem: str, number: int,
                    report: ReadReport) -> Article | None:
    if getattr(record, "rec_type", None) != "response":
        return None
    http = getattr(record, "http_headers", None)
    if http is None:
        return None
    content_type = (http.get_header("Content-Type") or "").lower()
    status = http.get_statuscode() or ""
    if "html" not in content_type or not str(status).startswith("2"):
        return None
    headers = record.rec_headers  # type: ignore[attr-defined]
    uri = headers.get_header("WARC-Target-URI")
    content = record.content_stream()  # type: ignore[attr-defined]
    payload, truncated = read_markup(content, name)  # reads the record to its end
    origin = Origin(name, number)
    if getattr(record.raw_stream, "limit", 0) > 0:  # type: ignore[attr-defined]
        report.skip(InputError(name, "WARC record is truncated (the file ends inside it)",
                               number, kind="truncated file"))
        return None
    try:
        article = extract_html(payload, origin, f"{stem}:{number}", url=uri)
    except InputError as exc:
        report.skip(exc)
        return None
    if truncated:
        report.warn(name, f"record holds more than {settings.MAX_HTML_MARKUP_BYTES} bytes of "
                    "markup besides scripts and styles; only its start was read", number)
    if article.date is None:
        try:
            crawled = parse_date(headers.get_header("WARC-Date"))
        except DateNotUnderstood:
            crawled = None
        if crawled is not None:
            article = replace(article, date=crawled)
    return replace(article, url=uri or article.url)
