"""Plain-text articles: an optional title line, an optional ``date YYYY-MM-DD`` marker, a body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from newsfuse import settings
from newsfuse.errors import InputError
from newsfuse.io.decode import decode
from newsfuse.io.report import ReadReport
from newsfuse.io.stream import open_binary, read_capped
from newsfuse.model import Article, Origin
from newsfuse.text.boilerplate import is_boilerplate_line

# "date 2019-12-31" opening a line (after optional spaces); the body may go on after it.
DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})(?:[ \t]+|$)(.*)$", re.IGNORECASE)
_FINAL_PUNCT = ".!?;:,…\"”’)»"


def read_text_file(path: Path, report: ReadReport) -> Iterator[Article]:
    """Yield the one article a plain-text file holds (its id is the file's stem)."""
    with open_binary(path) as stream:
        data, truncated = read_capped(stream, str(path), settings.MAX_FILE_BYTES)
    text, warning = decode(data)
    if warning:
        report.warn(str(path), warning)
    if not text.strip():
        raise InputError(str(path), "empty file", kind="empty file")
    article = parse_text_article(text, Origin(str(path)), file_stem(path))
    if truncated:
        note = f"file is larger than {settings.MAX_FILE_BYTES} bytes; only its start was read"
        article = replace(article, warnings=(*article.warnings, note))
    yield article


def file_stem(path: Path) -> str:
    """The file name without any of its suffixes (``a.warc.gz`` -> ``a``)."""
    name = path.name
    for suffix in reversed(path.suffixes):
        name = name.removesuffix(suffix)
    return name or path.name


def parse_text_article(text: str, origin: Origin, article_id: str) -> Article:
    """Split ``text`` into title, date marker and body."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = _next_content(lines, 0)
    title: str | None = None
    date: datetime | None = None
    warnings: list[str] = []
    if i < len(lines) and not DATE_MARKER.match(lines[i]) and _is_title(lines, i):
        title = lines[i].strip()
        i = _next_content(lines, i + 1)
    if i < len(lines):
        marker = DATE_MARKER.match(lines[i])
        if marker:
            try:
                date = datetime.strptime(marker.group(1), "%Y-%m-%d")
            except ValueError:
                warnings.append(f"date marker {marker.group(1)!r} is not a valid date; "
                                "kept as unknown")
            lines[i] = marker.group(2)
    body = "\n".join(lines[i:]).strip("\n")
    return Article(id=article_id, title=title, text=body, origin=origin, date=date,
                   warnings=tuple(warnings))


def _next_content(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _is_title(lines: list[str], i: int) -> bool:
    """A short first line without sentence-final punctuation, followed by a blank line."""
    line = lines[i].strip()
    words = line.split()
    if not words or len(words) > settings.MAX_TITLE_WORDS or line[-1] in _FINAL_PUNCT:
        return False
    if is_boilerplate_line(line) is not None:
        return False
    followed_by_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
    followed_by_marker = i + 1 < len(lines) and bool(DATE_MARKER.match(lines[i + 1]))
    return followed_by_blank or followed_by_marker
