"""Which reader a path needs: by extension first, then by sniffing the content."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from newsfuse import settings
from newsfuse.errors import InputError
from newsfuse.io.decode import looks_binary

_BY_SUFFIX = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".warc": "warc", ".arc": "warc",
    ".csv": "csv", ".tsv": "csv",
}
GZIP_MAGIC = b"\x1f\x8b"


def read_head(path: Path) -> bytes:
    """The first bytes of a file, decompressed when it is gzip (truncation tolerated)."""
    with path.open("rb") as f:
        head = f.read(settings.SNIFF_BYTES)
    if not head.startswith(GZIP_MAGIC):
        return head
    try:
        with gzip.open(path, "rb") as g:
            return g.read(settings.SNIFF_BYTES)
    except (EOFError, OSError, zlib.error):
        # a truncated gzip still yields what it had; decompress what is there
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            return d.decompress(head, settings.SNIFF_BYTES)
        except zlib.error as exc:
            raise InputError(str(path), f"corrupt gzip data ({exc})") from None


def detect_format(path: Path, head: bytes) -> str:
    """Name of the reader for ``path`` whose first (decompressed) bytes are ``head``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    by_name = _BY_SUFFIX.get(suffixes[-1]) if suffixes else None
    if head.startswith(b"WARC/"):
        return "warc"
    if looks_binary(head):
        raise InputError(str(path), "binary file, not a readable article format",
                         kind="binary file")
    return by_name or sniff(head)


def sniff(head: bytes) -> str:
    """Guess the format of text content without a telling extension."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512]
    lowered = start.lower()
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        return "jsonl"
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in lowered:
        return "html"
    first_line = start.split(b"\n", 1)[0].lower()
    if b"," in first_line and (b"title" in first_line or b"headline" in first_line):
        return "csv"
    return "text"
