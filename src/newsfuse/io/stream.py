"""Opening inputs: transparent gzip, bounded reads, truncation reported as input errors."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import BinaryIO

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


def read_capped(stream: BinaryIO, path: str, limit: int) -> tuple[bytes, bool]:
    """Read at most ``limit`` bytes; report whether more was left."""
    try:
        data = stream.read(limit + 1)
    except STREAM_ERRORS as exc:
        raise InputError(path, f"truncated or corrupt compressed file ({exc})",
                         kind="truncated file") from None
    return data[:limit], len(data) > limit


def read_head_bytes(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of ``path`` after decompression."""
    with open_binary(path) as stream:
        try:
            return stream.read(size)
        except STREAM_ERRORS as exc:
            raise InputError(str(path), f"truncated or corrupt compressed file ({exc})",
                             kind="truncated file") from None
