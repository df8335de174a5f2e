"""Opening inputs: transparent gzip, bounded reads, truncation reported as input errors."""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path
from typing import BinaryIO, Protocol

from newsfuse.errors import InputError
from newsfuse.io.detect import GZIP_MAGIC

# What a truncated or corrupt compressed stream raises while being read.
STREAM_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)


def open_binary(path: Path) -> BinaryIO:
    """Open ``path`` for reading bytes, decompressing gzip on the fly."""
    f = path.open("rb")
    magic = f.read(2)
    f.seek(0)
    if magic == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=f, mode="rb")  # type: ignore[return-value]
    return f


def truncated(path: str, error: BaseException) -> InputError:
    """The input error of a compressed file that ends early or is corrupt (``error``, one
    of :data:`STREAM_ERRORS`, raised while reading it)."""
    return InputError(path, f"truncated or corrupt compressed file ({error})",
                      kind="truncated file")


class Readable(Protocol):
    """What reading takes of a byte stream (a file, or one with its start given back)."""

    def read(self, size: int = -1, /) -> bytes: ...


def read_capped(stream: Readable, path: str, limit: int) -> tuple[bytes, bool]:
    """Read at most ``limit`` bytes; report whether more was left."""
    try:
        data = stream.read(limit + 1)
    except STREAM_ERRORS as exc:
        raise truncated(path, exc) from None
    return data[:limit], len(data) > limit


def read_head_bytes(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of ``path`` after decompression."""
    with open_binary(path) as stream:
        try:
            return stream.read(size)
        except STREAM_ERRORS as exc:
            raise truncated(str(path), exc) from None


# Markup that holds no reading text: style sheets always, comments, and scripts past a size
# (small scripts stay: a page's JSON-LD metadata gives its date and title).
_OPEN_SKIPPABLE = re.compile(rb"<(style|script|svg)\b[^>]*>|<!--", re.IGNORECASE)
_CLOSE = {b"style": re.compile(rb"</style\s*>", re.IGNORECASE),
          b"script": re.compile(rb"</script\s*>", re.IGNORECASE),
          b"svg": re.compile(rb"</svg\s*>", re.IGNORECASE),
          b"--": re.compile(rb"-->")}
_CHUNK = 1 << 16
_TAIL = 16  # bytes kept back so that a tag split between two chunks is still found
_OPEN_TAG_MAX = 2048  # an opening tag with its attributes is held back whole up to this size


class MarkupReader:
    """Read a page's markup in bounded memory: the bulk of a large page is style sheets and
    scripts, which are dropped as they stream past, so the article is never cut away with
    them. At most ``limit`` bytes of what remains are kept; ``truncated`` says if more was.
    """

    def __init__(self, limit: int, script_keep: int) -> None:
        self.limit, self.script_keep = limit, script_keep
        self.out = bytearray()
        self.block = bytearray()  # the inside of the skippable element being read
        self.inside: bytes | None = None  # which element, or None between them
        self.skipping = False  # the element being read is too large to keep
        self.truncated = False

    def read(self, stream: BinaryIO, path: str) -> tuple[bytes, bool]:
        pending = b""
        try:
            while chunk := stream.read(_CHUNK):
                pending = self._feed(pending + chunk, final=False)
        except STREAM_ERRORS as exc:
            raise truncated(path, exc) from None
        self._feed(pending, final=True)
        if self.inside is not None:
            self._keep(bytes(self.block))
        return bytes(self.out), self.truncated

    def _keep(self, data: bytes) -> None:
        room = self.limit - len(self.out)
        if len(data) > room:
            self.truncated = True
        self.out += data[: max(0, room)]

    def _feed(self, data: bytes, final: bool) -> bytes:
        """Consume ``data``; return the tail that must wait for the next chunk."""
        pos = 0
        while True:
            if self.inside is None:
                match = _OPEN_SKIPPABLE.search(data, pos)
                if match is None:
                    stop = len(data) if final else _open_tag_start(data, pos)
                    self._keep(data[pos:stop])
                    return data[stop:]
                self._keep(data[pos:match.end()])
                self.inside = (match.group(1) or b"--").lower()
                pos = match.end()
                continue
            close = _CLOSE[self.inside].search(data, pos)
            stop = close.start() if close else (len(data) if final else max(pos, len(data) - _TAIL))
            self._block(data[pos:stop])
            if close is None:
                return data[stop:]
            self._end_block(data[close.start():close.end()])
            pos = close.end()

    def _block(self, data: bytes) -> None:
        if (self.inside == b"script" and not self.skipping
                and len(self.block) + len(data) <= self.script_keep):
            self.block += data
            return
        self.block = bytearray()
        self.skipping = True

    def _end_block(self, closing: bytes) -> None:
        self._keep(bytes(self.block))
        self._keep(closing)
        self.block = bytearray()
        self.inside = None
        self.skipping = False


def _open_tag_start(data: bytes, pos: int) -> int:
    """Where the unread tail begins: at a tag still open at the end of ``data``."""
    start = data.rfind(b"<", max(pos, len(data) - _OPEN_TAG_MAX))
    if start >= 0 and data.find(b">", start) < 0:
        return start
    return max(pos, len(data) - _TAIL)
