"""Bounded JSON: split a top-level array into its elements as bytes stream past, and parse
one record with limits on depth, size and number length.

A JSON array of articles is read one element at a time. The splitter only tracks strings and
brackets (each byte is looked at once, so work is linear in the input), and hands each element
to the standard parser separately: a broken, too deep or too large record is skipped alone and
the records after it are still read. Nothing is nested recursively, so no input shape can
exhaust the stack or the memory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from newsfuse import settings

_CHUNK = 1 << 16
# Outside strings: skip to the next quote or bracket or comma.
_PLAIN = re.compile(rb'[^"\[\]{},]*+')
# Inside a string: skip to the closing quote or a backslash.
_STRING_BODY = re.compile(rb'[^"\\]*+')
_BRACKETS = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{}]', re.DOTALL)


@dataclass(slots=True)
class Element:
    """One element of a top-level array: its bytes, or why it cannot be parsed."""

    index: int
    data: bytes
    problem: str | None = None


class RecordError(ValueError):
    """A JSON record that is not valid or breaks a limit; the message says which."""


def too_deep(data: bytes, limit: int) -> bool:
    """Whether brackets in ``data`` (outside strings) nest deeper than ``limit``."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    depth = 0
    for token in _BRACKETS.finditer(data):
        char = token.group()[:1]
        if char in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif char in (b"]", b"}"):
            depth -= 1
    return False


def _big_int(text: str) -> int | str:
    # Integers longer than any real field are kept as their digits: ``int()`` refuses
    # very long ones, and a number this long is no id, date or count anyway.
    return text if len(text) > settings.MAX_JSON_NUMBER_DIGITS else int(text)


def loads_record(raw: bytes, text: str | None = None, depth: int = 0) -> Any:
    """Parse one JSON value within the limits; :class:`RecordError` says why it failed.
    ``text`` is ``raw`` already decoded (as the reader decodes it, legacy encodings
    included); ``depth`` is how many levels more than a record may nest (a wrapper around
    records)."""
    if too_deep(raw, settings.MAX_JSON_DEPTH + depth):
        raise RecordError(f"nested deeper than {settings.MAX_JSON_DEPTH} levels")
    if text is None:
        text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text, parse_int=_big_int)
    except json.JSONDecodeError as exc:
        message = exc.msg.lower().removesuffix(" at")  # "invalid control character at"
        raise RecordError(f"invalid JSON ({message} at column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:
        raise RecordError(f"invalid JSON ({exc})") from None


class ArraySplitter:
    """Feed bytes of a JSON document whose top level is an array; get its elements back.

    Elements deeper than ``settings.MAX_JSON_DEPTH`` or larger than
    ``settings.MAX_JSON_RECORD_BYTES`` come back with a ``problem`` and no data (they are
    scanned past, never held). ``finish`` reports what a truncated document left open.
    """

    def __init__(self) -> None:
        self.depth = 0  # 0 outside the array, 1 between its elements
        self.in_string = False
        self.escaped = False  # a backslash ended the previous chunk inside a string
        self.started = False
        self.closed = False
        self.index = 0
        self.open = False  # an element has begun and not yet ended
        self.buffer = bytearray()
        self.problem: str | None = None

    def feed(self, chunk: bytes) -> Iterator[Element]:
        """Consume ``chunk``; yield every element that ends in it."""
        pos, size = 0, len(chunk)
        seg = 0  # where the current element's bytes begin in this chunk
        while pos < size:
            if self.in_string:
                pos = self._string(chunk, pos)
                continue
            stop = _PLAIN.match(chunk, pos).end()  # type: ignore[union-attr]
            if stop > pos:
                seg = self._gap(chunk, pos, stop, seg)
            if stop >= size:
                break
            char, pos = chunk[stop], stop + 1
            if char == 0x22:  # '"'
                if self.depth == 0:
                    raise RecordError("not a JSON array")
                seg = self._begin(stop, seg)
                self.in_string = True
            elif char in (0x5B, 0x7B):  # '[' '{'
                if self.depth == 0:
                    if self.started or char == 0x7B:
                        raise RecordError("not a JSON array of records")
                    self.started = True
                else:
                    seg = self._begin(stop, seg)
                    if self.depth > settings.MAX_JSON_DEPTH and self.problem is None:
                        self.problem = f"nested deeper than {settings.MAX_JSON_DEPTH} levels"
                self.depth += 1
            elif char in (0x5D, 0x7D):  # ']' '}'
                self.depth -= 1
                if self.depth < 0:
                    raise RecordError("unbalanced brackets after the array")
                if self.depth == 0:
                    yield from self._end(chunk, seg, stop)
                    self.closed = True
            elif self.depth == 1:  # ',' between elements
                yield from self._end(chunk, seg, stop)
        if self.open:
            self._append(chunk[seg:])

    def finish(self) -> str | None:
        """Why the document is incomplete, or ``None`` when the array closed properly."""
        if not self.started:
            return "not a JSON array"
        if not self.closed:
            return "the array is not closed (a truncated file?)"
        return None

    def _gap(self, chunk: bytes, pos: int, stop: int, seg: int) -> int:
        """Bytes outside strings and brackets: whitespace, or a scalar element."""
        gap = chunk[pos:stop]
        content = gap.strip(b"\xef\xbb\xbf \t\r\n")
        if not content:
            return seg
        if self.depth == 0:
            if self.closed:  # what follows the array is not read
                return seg
            raise RecordError("not a JSON array")
        return self._begin(pos + gap.index(content[:1]), seg)

    def _begin(self, at: int, seg: int) -> int:
        if self.depth != 1 or self.open:
            return seg
        self.open = True
        self.index += 1
        return at

    def _string(self, chunk: bytes, pos: int) -> int:
        if self.escaped:
            self.escaped = False
            return pos + 1
        end = _STRING_BODY.match(chunk, pos).end()  # type: ignore[union-attr]
        if end >= len(chunk):
            return end
        if chunk[end] == 0x5C:  # a backslash escapes the next byte
            if end + 1 >= len(chunk):
                self.escaped = True
            return end + 2
        self.in_string = False
        return end + 1

    def _append(self, data: bytes) -> None:
        if self.problem is not None:
            return
        if len(self.buffer) + len(data) > settings.MAX_JSON_RECORD_BYTES:
            self.problem = f"record larger than {settings.MAX_JSON_RECORD_BYTES:,} bytes"
            self.buffer = bytearray()
            return
        self.buffer += data

    def _end(self, chunk: bytes, seg: int, stop: int) -> Iterator[Element]:
        if self.open:
            self._append(chunk[seg:stop])
            data = b"" if self.problem else bytes(self.buffer).strip()
            yield Element(self.index, data, self.problem)
        elif self.depth == 1 or (self.depth == 0 and self.index):
            self.index += 1  # an empty element: "[1,,2]" or a trailing comma
            yield Element(self.index, b"", "empty element (a stray comma)")
        self.open = False
        self.problem = None
        self.buffer = bytearray()


def split_array(stream: BinaryIO, chunk_size: int = _CHUNK) -> Iterator[Element]:
    """The elements of the top-level JSON array read from ``stream``; RecordError when the
    document is not an array or ends before the array closes."""
    splitter = ArraySplitter()
    while chunk := stream.read(chunk_size):
        yield from splitter.feed(chunk)
    reason = splitter.finish()
    if reason:
        raise RecordError(reason)
