"""Bytes to text: UTF-8 first, then detected encodings (reported), and binary detection."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from newsfuse import settings

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}


def looks_binary(head: bytes) -> bool:
    """True for data that is not text: NUL bytes or many control characters."""
    if not head or any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b in _CONTROL)
    return controls / len(head) > settings.BINARY_CONTROL_SHARE


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode ``data``; return the text and a warning when it was not plain UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    encoding = guess_encoding(data)
    return (data.decode(encoding, errors="replace"),
            f"not valid UTF-8; decoded as {encoding}")


# Bytes windows-1252 leaves undefined; text that has none of them decodes as windows-1252.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def guess_encoding(data: bytes) -> str:
    """Best guess for non-UTF-8 bytes, looking at a bounded sample.

    windows-1252 first: it is by far the most common legacy encoding of English news pages
    (HTML5 reads latin-1 as windows-1252), and detectors guess poorly on short samples
    ("Café" came out as cp775). Other encodings are detected by charset-normalizer.
    """
    sample = data[: 8 * settings.SNIFF_BYTES]
    if not _CP1252_UNDEFINED.intersection(sample) and _mostly_latin(sample):
        return "cp1252"
    best = from_bytes(sample).best()
    encoding = best.encoding if best is not None else "cp1252"
    if encoding in ("utf_8", "ascii"):  # the sample was clean but the whole was not
        encoding = "cp1252"
    return codecs.lookup(encoding).name


def _mostly_latin(sample: bytes) -> bool:
    """Few high bytes: Western text with accents and typographic quotes, not Cyrillic/Greek."""
    high = sum(1 for b in sample if b >= 0x80)
    return high <= max(8, len(sample) // 10)
