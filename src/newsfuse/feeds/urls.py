"""Article URLs in one canonical form, so that one article is fetched and stored once."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from newsfuse import settings

_DEFAULT_PORTS = {"http": 80, "https": 443}
_EXACT = frozenset(p for p in settings.FEED_TRACKING_PARAMS if not p.endswith("*"))
_PREFIXES = tuple(p[:-1] for p in settings.FEED_TRACKING_PARAMS if p.endswith("*"))
_UNSAFE_PATH = "/:@!$&'()*+,;=-._~%"


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in _DEFAULT_PORTS and bool(parts.hostname)


def resolve(link: str, base: str) -> str:
    """``link`` made absolute against ``base`` (relative links in feeds)."""
    return urljoin(base, link.strip())


def _tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _EXACT or lowered.startswith(_PREFIXES)


def canonical_url(url: str) -> str:
    """The URL without what varies between links to one page: scheme and host in lower
    case, the default port, the fragment, tracking parameters (utm_*, fbclid...) and
    empty query; percent-escapes normalised; the remaining parameters kept in order."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep the URL as given
        return url.strip()
    netloc = host
    if ":" in host:  # IPv6
        netloc = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    path = quote(unquote(parts.path), safe=_UNSAFE_PATH) or "/"
    path = re.sub(r"/{2,}", "/", path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _tracking(k)]
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def host_of(url: str) -> str:
    """The host (with a non-default port) that rate limits and robots.txt apply to."""
    parts = urlsplit(url)
    return parts.netloc.lower().rsplit("@", 1)[-1]


def article_id(url: str) -> str:
    """A short, stable article id for a canonical URL: its host and a digest
    (``www.example.com-3f9a1c20b7``): ids appear in citations and page addresses."""
    host = (urlsplit(url).hostname or "feed").removeprefix("www.")
    return f"{host}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:10]}"
