"""CSV/TSV with a title or headline column (the UCI News Aggregator shape)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from newsfuse import settings
from newsfuse.errors import InputError
from newsfuse.io.decode import guess_encoding
from newsfuse.io.records import record_to_article
from newsfuse.io.report import ReadReport
from newsfuse.io.stream import STREAM_ERRORS, open_binary, read_head_bytes
from newsfuse.io.textfile import file_stem
from newsfuse.model import Article, Origin

csv.field_size_limit(settings.MAX_CSV_FIELD)


def read_csv(path: Path, report: ReadReport) -> Iterator[Article]:
    """Yield an article per row; rows that do not fit the header are skipped and reported."""
    name = str(path)
    head = read_head_bytes(path, settings.SNIFF_BYTES)
    encoding = _encoding(head)
    if encoding != "utf-8":
        report.warn(name, f"not valid UTF-8; decoded as {encoding}")
    with open_binary(path) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        yield from _rows(text, name, file_stem(path), _dialect(head, path), report)


def _encoding(head: bytes) -> str:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the sample's end
            return guess_encoding(head)
    return "utf-8"


def _dialect(head: bytes, path: Path) -> type[csv.Dialect] | csv.Dialect:
    if path.suffix.lower() == ".tsv" or (path.suffixes[-2:-1] == [".tsv"]):
        return csv.excel_tab
    header = head.decode("utf-8", errors="replace").split("\n", 1)[0]
    delimiter = max(",;\t|", key=header.count)
    if delimiter == ",":
        return csv.excel

    class Sniffed(csv.excel):
        pass

    Sniffed.delimiter = delimiter
    return Sniffed


def _rows(text: io.TextIOWrapper, name: str, stem: str,
          dialect: type[csv.Dialect] | csv.Dialect, report: ReadReport) -> Iterator[Article]:
    reader = csv.reader(text, dialect)
    try:
        header = next(reader, None)
    except (csv.Error, *STREAM_ERRORS) as exc:
        raise InputError(name, f"unreadable CSV header ({exc})", 1, kind="invalid CSV") from None
    if header is None:
        raise InputError(name, "empty file", kind="empty file")
    columns = [h.strip().lstrip("\ufeff").lower() for h in header]
    if not {"title", "headline"} & set(columns):
        raise InputError(name, "CSV has no title or headline column (header: "
                         + ", ".join(columns[:12]) + ")", 1, kind="CSV without title column")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.skip(InputError(name, f"malformed CSV row ({exc})", reader.line_num,
                                   kind="malformed CSV row"))
            continue
        except STREAM_ERRORS as exc:
            report.skip(InputError(name, f"truncated or corrupt compressed data ({exc})",
                                   reader.line_num, kind="truncated file"))
            return
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num
        if len(row) != len(columns):
            report.skip(InputError(name, f"expected {len(columns)} fields, found {len(row)}",
                                   line, kind="malformed CSV row"))
            continue
        try:
            yield record_to_article(dict(zip(columns, row, strict=True)), Origin(name, line),
                                    stem)
        except InputError as exc:
            report.skip(exc)
