"""JSON Lines and JSON arrays, streamed record by record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import ijson

from newsfuse.errors import InputError
from newsfuse.io.decode import decode
from newsfuse.io.records import record_to_article
from newsfuse.io.report import ReadReport
from newsfuse.io.stream import STREAM_ERRORS, open_binary, read_head_bytes
from newsfuse.io.textfile import file_stem
from newsfuse.model import Article, Origin

# Keys under which wrapped exports keep their list of articles: {"articles": [...]}.
_WRAPPER_KEYS = ("articles", "items", "data", "records", "documents", "results")


def read_json_lines(path: Path, report: ReadReport) -> Iterator[Article]:
    """Yield one article per JSON object line; a broken line is skipped and reported."""
    with open_binary(path) as stream:
        yield from iter_json_lines(stream, str(path), file_stem(path), report)


def iter_json_lines(stream: BinaryIO, name: str, stem: str,
                    report: ReadReport) -> Iterator[Article]:
    """The JSON Lines reader over an open byte stream (a file or stdin)."""
    line_no = 0
    try:
        for raw in stream:
            line_no += 1
            if not raw.strip():
                continue
            if line_no == 1 and raw.lstrip(b"\xef\xbb\xbf \t").startswith(b"["):
                raise InputError(name, "a JSON array, not JSON Lines", 1, kind="wrong format")
            try:
                yield _article_from_line(raw, name, stem, line_no, report)
            except InputError as exc:
                report.skip(exc)
    except STREAM_ERRORS as exc:
        report.skip(InputError(name, f"truncated or corrupt compressed data after line "
                                     f"{line_no} ({exc})", line_no + 1, kind="truncated file"))


def _article_from_line(raw: bytes, name: str, stem: str, line_no: int,
                       report: ReadReport) -> Article:
    text, warning = decode(raw)
    if warning:
        report.warn(name, warning, line_no)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"invalid JSON ({exc.msg} at column {exc.colno})", line_no,
                         kind="invalid JSON line") from None
    if not isinstance(record, dict):
        raise InputError(name, f"expected a JSON object, found {type(record).__name__}",
                         line_no, kind="non-object JSON line")
    return record_to_article(record, Origin(name, line_no), stem)


def read_json(path: Path, report: ReadReport) -> Iterator[Article]:
    """A ``.json`` file: an array of records (streamed), one record, or JSON Lines."""
    head = read_head_bytes(path, 4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{") and b"\n{" in head.replace(b"\r\n", b"\n"):
        yield from read_json_lines(path, report)
        return
    if head.startswith(b"{"):
        yield from _read_single_object(path, report)
        return
    if not head.startswith(b"["):
        raise InputError(str(path), "not JSON (expected an array or objects)",
                         kind="invalid JSON file")
    with open_binary(path) as stream:
        yield from iter_json_array(stream, str(path), file_stem(path), report)


def iter_json_array(stream: BinaryIO, name: str, stem: str, report: ReadReport,
                    prefix: str = "item") -> Iterator[Article]:
    """The records of a JSON array (at ``prefix``) in an open byte stream, one at a time."""
    index = 0
    try:
        for record in ijson.items(stream, prefix, use_float=True):
            index += 1
            if not isinstance(record, dict):
                report.skip(InputError(name, f"record {index} is not a JSON object", index,
                                       kind="non-object JSON record"))
                continue
            try:
                yield record_to_article(record, Origin(name, index), stem)
            except InputError as exc:
                report.skip(exc)
    except ijson.JSONError as exc:
        report.skip(InputError(name, f"invalid JSON after record {index} ({exc}); "
                                     "the rest of the file is unreadable", index + 1,
                               kind="invalid JSON file"))
    except STREAM_ERRORS as exc:
        report.skip(InputError(name, f"truncated or corrupt compressed data after record "
                                     f"{index} ({exc})", index + 1, kind="truncated file"))


def _read_single_object(path: Path, report: ReadReport) -> Iterator[Article]:
    with open_binary(path) as stream:
        try:
            data = stream.read()
        except STREAM_ERRORS as exc:
            raise InputError(str(path), f"truncated or corrupt compressed file ({exc})",
                             kind="truncated file") from None
    text, warning = decode(data)
    if warning:
        report.warn(str(path), warning)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"invalid JSON ({exc.msg})", exc.lineno,
                         kind="invalid JSON file") from None
    for key in _WRAPPER_KEYS:
        if isinstance(record.get(key), list):
            with open_binary(path) as stream:
                yield from iter_json_array(stream, str(path), file_stem(path), report,
                                           f"{key}.item")
            return
    yield record_to_article(record, Origin(str(path), 1), file_stem(path))
