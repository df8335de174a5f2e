"""Feeds (RSS 0.9x/1.0/2.0 and RDF, Atom) into entries, and feed lists (OPML, plain files).

Parsing is feedparser's; what it tolerates (a wrong charset, an unescaped ampersand) is
accepted with a note, and what is not a feed at all (an HTML page, broken XML with no
entries) is a :class:`FeedError` with the reason.
"""

from __future__ import annotations

import calendar
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from newsfuse.errors import NewsfuseError, UsageError
from newsfuse.feeds.urls import canonical_url, is_web_url, resolve
from newsfuse.io.dates import DateNotUnderstood, parse_date

# feedparser resolves relative links and sanitises content itself; it never fetches here
# (it is handed bytes, never a URL).
feedparser.RESOLVE_RELATIVE_URIS = True
feedparser.SANITIZE_HTML = True

_TAGS = re.compile(r"<[^>]+>")


class FeedError(NewsfuseError):
    """A body that is not a readable feed."""


@dataclass
class Entry:
    """One item of a feed: where its article is, and what the feed says of it."""

    url: str                  # canonical, absolute http(s) URL ("" when the entry has none)
    link: str                 # as the feed gave it, made absolute
    guid: str | None
    title: str | None
    date: datetime | None
    outlet: str | None
    content: str | None       # the entry's own HTML or text (full text or a teaser)
    content_words: int = 0


@dataclass
class ParsedFeed:
    title: str | None
    version: str
    entries: list[Entry]
    listed: int = 0                                   # entries in the feed, kept or not
    notes: list[str] = field(default_factory=list)   # entries skipped, charset fixed...


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _words(html: str) -> int:
    return len(_TAGS.sub(" ", html).split())


def _entry_date(entry: Any) -> datetime | None:
    """The entry's date as the feed wrote it (local wall-clock time, like every other
    reader), else feedparser's UTC reading of it."""
    for raw_key, parsed_key in (("published", "published_parsed"),
                                ("updated", "updated_parsed"), ("created", "created_parsed")):
        raw = entry.get(raw_key)
        if raw:
            try:
                date = parse_date(raw)
            except DateNotUnderstood:
                date = None
            if date is not None:
                return date
        parsed = entry.get(parsed_key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC).replace(tzinfo=None)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _entry_content(entry: Any) -> str | None:
    """The fullest content the entry carries: Atom content / content:encoded, else the
    summary or description."""
    best = None
    for part in entry.get("content") or ():
        value = _text(part.get("value"))
        if value and (best is None or len(value) > len(best)):
            best = value
    summary = _text(entry.get("summary"))
    if summary and (best is None or len(summary) > len(best)):
        best = summary
    return best


def parse_feed(body: bytes, url: str, content_type: str | None = None,
               charset: str | None = None) -> ParsedFeed:
    """The entries of a feed served at ``url`` (its final URL, for relative links)."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type + (f"; charset={charset}" if charset else "")
    try:
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True,
                                  resolve_relative_uris=True)
    except Exception as exc:  # a third-party parser on untrusted bytes
        raise FeedError(f"the feed could not be parsed ({type(exc).__name__}: {exc})") \
            from None
    version = str(parsed.get("version") or "")
    entries = list(parsed.get("entries") or ())
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    notes: list[str] = []
    if not entries:
        head = body[:2048].lstrip().lower()
        html = head.startswith((b"<!doctype html", b"<html"))
        if problem is not None and not html:
            raise FeedError(f"not a feed: malformed XML ({_one_line(problem)})")
        if version:
            return ParsedFeed(title=_text((parsed.get("feed") or {}).get("title")),
                              version=version, entries=[])
        kind = (content_type or "no content type").split(";")[0]
        raise FeedError(f"not an RSS, Atom or RDF feed (served as {kind}; an HTML page?)")
    if problem is not None:
        notes.append(f"feed is not well-formed ({_one_line(problem)}); "
                     f"read {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} anyway")
    feed = parsed.get("feed") or {}
    title = _text(feed.get("title"))
    base = _text(feed.get("link")) or url
    if not is_web_url(base):
        base = url
    items: list[Entry] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, 1):
        link = _text(entry.get("link"))
        if link is None:
            for candidate in entry.get("links") or ():
                if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                    link = _text(candidate.get("href"))
                    break
        absolute = resolve(link, url) if link else ""
        entry_title = _text(entry.get("title"))
        label = f"entry {position}" + (f" ({entry_title[:60]!r})" if entry_title else "")
        if absolute and not is_web_url(absolute):
            notes.append(f"{label}: link {absolute[:100]!r} is not an http(s) URL; skipped")
            continue
        content = _entry_content(entry)
        canonical = canonical_url(absolute) if absolute else ""
        guid = _text(entry.get("id"))
        key = canonical or (f"guid:{guid}" if guid else "")
        if not key:
            notes.append(f"{label}: no link and no id; skipped")
            continue
        if key in seen:
            notes.append(f"{label}: listed twice in the feed; read once")
            continue
        seen.add(key)
        source = entry.get("source") or {}
        items.append(Entry(url=canonical, link=absolute, guid=guid, title=entry_title,
                           date=_entry_date(entry),
                           outlet=_text(source.get("title")) or title,
                           content=content, content_words=_words(content or "")))
    return ParsedFeed(title=title, version=version, entries=items, listed=len(entries),
                      notes=notes)


def _one_line(problem: Any) -> str:
    return " ".join(str(problem).split())[:200]


# --- feed lists ---------------------------------------------------------------------------
def read_opml(path: str) -> list[str]:
    """The feed URLs of an OPML file (``xmlUrl`` of every outline, nested or not)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the OPML file ({exc.strerror})") from None
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        # entity definitions could expand without bound; OPML never needs them
        raise UsageError(f"{path}: OPML with a DOCTYPE or entities is not accepted")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise UsageError(f"{path}: not an OPML file ({exc})") from None
    urls = [str(node.get("xmlUrl") or node.get("xmlurl") or "").strip()
            for node in root.iter("outline")]
    return checked_urls([u for u in urls if u], path)


def read_feed_list(path: str) -> list[str]:
    """Feed URLs one per line; blank lines and '#' comments ignored."""
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the feed list ({exc.strerror})") from None
    urls = [line.strip() for line in lines]
    return checked_urls([u for u in urls if u and not u.startswith("#")], path)


def checked_urls(urls: list[str], where: str) -> list[str]:
    bad = [u for u in urls if not is_web_url(u)]
    if bad:
        raise UsageError(f"{where}: not an http(s) feed URL: {bad[0][:200]!r}"
                         + (f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""))
    return list(dict.fromkeys(urls))
