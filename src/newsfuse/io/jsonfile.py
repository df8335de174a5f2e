"""JSON Lines and JSON arrays, streamed record by record.

Every record is parsed on its own, within the limits of :mod:`newsfuse.io.jsonscan`: a record
that is broken, nested too deep or too large is skipped with its reason, and the records after
it are still read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from newsfuse import settings
from newsfuse.errors import InputError
from newsfuse.io.decode import decode
from newsfuse.io.jsonscan import RecordError, loads_record, split_array
from newsfuse.io.records import record_to_article
from newsfuse.io.report import ReadReport
from newsfuse.io.stream import STREAM_ERRORS, open_binary, read_capped, truncated
from newsfuse.io.textfile import file_stem
from newsfuse.model import Article, Origin

# Keys under which wrapped exports keep their list of articles: {"articles": [...]}.
_WRAPPER_KEYS = ("articles", "items", "data", "records", "documents", "results")
_BLANK = b"\xef\xbb\xbf \t\r\n"
_HEAD = 4096


class Rewound:
    """A byte stream with its first bytes read ahead and given back (stdin cannot seek)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head, self.rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data = self.head if size < 0 else self.head[:size]
            self.head = self.head[len(data):]
            return data
        return self.rest.read(size)

    def readline(self, limit: int = -1) -> bytes:
        if self.head:
            cut = self.head.find(b"\n") + 1 or len(self.head)
            if 0 <= limit < cut:
                cut = limit
            line, self.head = self.head[:cut], self.head[cut:]
            if line.endswith(b"\n") or self.head or len(line) == limit:
                return line
            return line + self.rest.readline(-1 if limit < 0 else limit - len(line))
        return self.rest.readline(limit)


def peek_first_byte(stream: BinaryIO) -> tuple[bytes, Rewound]:
    """The first non-blank byte of ``stream`` (b"" when there is none), and the stream
    rewound to its start."""
    head = b""
    while len(head) < _HEAD * 16:
        chunk = stream.read(_HEAD)
        if not chunk:
            break
        head += chunk
        if head.lstrip(_BLANK):
            break
    first = head.lstrip(_BLANK)[:1]
    return first, Rewound(head, stream)


def iter_json_stream(stream: BinaryIO, name: str, stem: str,
                     report: ReadReport) -> Iterator[Article]:
    """Records from a stream that holds either a JSON array or JSON Lines (stdin, a body)."""
    try:
        first, rewound = peek_first_byte(stream)
    except STREAM_ERRORS as exc:
        raise InputError(name, f"truncated or corrupt compressed data ({exc})",
                         kind="truncated file") from None
    if not first:
        raise InputError(name, "no input (empty)", kind="empty file")
    if first == b"[":
        yield from iter_json_array(rewound, name, stem, report)  # type: ignore[arg-type]
    else:
        yield from iter_json_lines(rewound, name, stem, report)  # type: ignore[arg-type]


def read_json_lines(path: Path, report: ReadReport) -> Iterator[Article]:
    """Yield one article per JSON object line; a broken line is skipped and reported."""
    with open_binary(path) as stream:
        yield from iter_json_stream(stream, str(path), file_stem(path), report)


def iter_json_lines(stream: BinaryIO, name: str, stem: str,
                    report: ReadReport) -> Iterator[Article]:
    """The JSON Lines reader over an open byte stream; each line at most
    ``settings.MAX_JSON_RECORD_BYTES`` long (a longer one is skipped, not held)."""
    line_no = 0
    limit = settings.MAX_JSON_RECORD_BYTES
    try:
        while raw := stream.readline(limit + 1):
            line_no += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                _skip_rest_of_line(stream)
                report.skip(InputError(name, f"line longer than {limit:,} bytes", line_no,
                                       kind="oversized JSON record"))
                continue
            if not raw.strip(_BLANK):
                continue
            try:
                yield _article_from_bytes(raw, name, stem, line_no, report, "line")
            except InputError as exc:
                report.skip(exc)
    except STREAM_ERRORS as exc:
        report.skip(InputError(name, f"truncated or corrupt compressed data after line "
                                     f"{line_no} ({exc})", line_no + 1, kind="truncated file"))


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while chunk := stream.readline(1 << 20):
        if chunk.endswith(b"\n"):
            return


def _article_from_bytes(raw: bytes, name: str, stem: str, number: int, report: ReadReport,
                        unit: str) -> Article:
    text, warning = decode(raw)
    if warning:
        report.warn(name, warning, number)
    try:
        record = loads_record(raw, text)
    except RecordError as exc:
        raise InputError(name, str(exc), number, kind=f"invalid JSON {unit}") from None
    return _article(record, name, stem, number, unit)


def _article(record: Any, name: str, stem: str, number: int, unit: str) -> Article:
    if not isinstance(record, dict):
        raise InputError(name, f"expected a JSON object, found {_json_type(record)}", number,
                         kind=f"non-object JSON {unit}")
    return record_to_article(record, Origin(name, number), stem)


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", int: "a number", float: "a number",
             bool: "true or false", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def read_json(path: Path, report: ReadReport) -> Iterator[Article]:
    """A ``.json`` file: an array of records (streamed), one record, or JSON Lines."""
    with open_binary(path) as stream:
        try:
            first, rewound = peek_first_byte(stream)
        except STREAM_ERRORS as exc:
            raise truncated(str(path), exc) from None
        if first == b"[":
            yield from iter_json_array(rewound, str(path), file_stem(path),  # type: ignore[arg-type]
                                       report)
            return
        if first != b"{":
            raise InputError(str(path), "not JSON (expected an array or objects)",
                             kind="invalid JSON file")
        head = rewound.head.lstrip(_BLANK).replace(b"\r\n", b"\n")
        if b"\n{" in head:
            yield from iter_json_lines(rewound, str(path), file_stem(path),  # type: ignore[arg-type]
                                       report)
            return
        yield from _single_object(rewound, str(path), file_stem(path), report)


def iter_json_array(stream: BinaryIO, name: str, stem: str,
                    report: ReadReport) -> Iterator[Article]:
    """The records of a top-level JSON array in an open byte stream, one at a time."""
    index = 0
    try:
        for element in split_array(stream):
            index = element.index
            if element.problem:
                report.skip(InputError(name, f"record {index}: {element.problem}", index,
                                       kind="invalid JSON record"))
                continue
            try:
                yield _article_from_bytes(element.data, name, stem, index, report, "record")
            except InputError as exc:
                report.skip(exc)
    except RecordError as exc:
        report.skip(InputError(name, f"{exc} after record {index}; the rest of the file is "
                                     "unreadable", index + 1, kind="invalid JSON file"))
    except STREAM_ERRORS as exc:
        report.skip(InputError(name, f"truncated or corrupt compressed data after record "
                                     f"{index} ({exc})", index + 1, kind="truncated file"))


def _single_object(stream: Rewound, name: str, stem: str,
                   report: ReadReport) -> Iterator[Article]:
    """One record, or an export wrapping its records: {"articles": [...]}."""
    limit = settings.MAX_JSON_RECORD_BYTES * 4
    data, more = read_capped(stream, name, limit)
    if more:
        raise InputError(name, f"a single JSON object larger than {limit:,} bytes; write "
                               "large exports as a JSON array or JSON Lines",
                         kind="oversized JSON record")
    text, warning = decode(data)
    if warning:
        report.warn(name, warning)
    try:
        record = loads_record(data, text, depth=2)
    except RecordError as exc:
        raise InputError(name, str(exc), kind="invalid JSON file") from None
    for key in _WRAPPER_KEYS:
        items = record.get(key) if isinstance(record, dict) else None
        if isinstance(items, list):
            for index, item in enumerate(items, 1):
                try:
                    yield _article(item, name, stem, index, "record")
                except InputError as exc:
                    report.skip(exc)
            return
    yield _article(record, name, stem, 1, "record")
