"""Polite, bounded HTTP GET for feeds, pages and robots.txt (standard library only).

Every request:

* names itself with a User-Agent the user can set, and honours robots.txt (``protego``);
* waits its turn per host: at most ``FEED_HOST_CONCURRENCY`` requests in flight to one host,
  at least ``FEED_HOST_INTERVAL`` seconds (or the robots.txt Crawl-delay) between two, and
  none while the host has asked to be left alone (429/503 with Retry-After);
* is bounded: a connect/read timeout and a deadline for the whole response (an endless or
  trickling body ends there), at most ``FEED_MAX_REDIRECTS`` redirects (a loop is named),
  and a size cap on the body after decompression (gzip, deflate): a larger body is refused
  with a message, never cut, so no truncated article is ever stored.

Failures raise :class:`FetchError` with the URL, a one-line reason, and whether trying again
later may help (``transient``) and when (``retry_after``).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin, urlsplit

from protego import Protego

from newsfuse import __version__, settings
from newsfuse.feeds.urls import host_of

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A request that gave no usable body: the URL and why, in one line."""

    def __init__(self, url: str, reason: str, *, status: int | None = None,
                 transient: bool = False, retry_after: float | None = None,
                 deferred: bool = False) -> None:
        self.url = url
        self.deferred = deferred  # never sent: the host asked to wait, or the watch stops
        self.reason = reason
        self.status = status
        self.transient = transient
        self.retry_after = retry_after
        super().__init__(f"{url}: {reason}")


@dataclass
class Response:
    """A complete, decompressed body (or ``not_modified``) and the URL it came from."""

    url: str
    status: int
    headers: Message
    body: bytes = b""
    not_modified: bool = False

    @property
    def charset(self) -> str | None:
        value = self.headers.get_content_charset()
        return str(value) if value else None

    @property
    def content_type(self) -> str:
        return str(self.headers.get_content_type() or "")


def default_user_agent() -> str:
    return settings.FEED_USER_AGENT.format(version=__version__)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for: a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(min(int(text[:9]), settings.FEED_MAX_BACKOFF))
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, min(when - (time.time() if now is None else now),
                        float(settings.FEED_MAX_BACKOFF)))


@dataclass
class _Host:
    in_flight: int = 0
    next_start: float = 0.0
    blocked_until: float = 0.0
    interval: float = settings.FEED_HOST_INTERVAL


@dataclass
class HostLimits:
    """Per-host concurrency, spacing and back-off, shared by all fetching threads."""

    concurrency: int = settings.FEED_HOST_CONCURRENCY
    interval: float = settings.FEED_HOST_INTERVAL
    stop: threading.Event = field(default_factory=threading.Event)
    _hosts: dict[str, _Host] = field(default_factory=dict)
    _lock: threading.Condition = field(default_factory=threading.Condition)

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _Host(interval=self.interval)
        return state

    def set_interval(self, host: str, seconds: float) -> None:
        """A longer spacing for ``host`` (its robots.txt Crawl-delay)."""
        with self._lock:
            state = self._host(host)
            state.interval = max(self.interval, min(seconds, float(settings.FEED_MAX_BACKOFF)))

    def block(self, host: str, seconds: float) -> None:
        """No request to ``host`` for ``seconds`` (it answered 429 or 503)."""
        with self._lock:
            state = self._host(host)
            state.blocked_until = max(state.blocked_until, time.monotonic() + seconds)
            self._lock.notify_all()

    def prune(self) -> None:
        """Forget idle hosts (feeds of aggregators link to ever new ones): memory stays
        bounded over a long run."""
        now = time.monotonic()
        with self._lock:
            for host in [h for h, s in self._hosts.items() if s.in_flight == 0 and
                         s.next_start <= now and s.blocked_until <= now and
                         s.interval == self.interval]:
                del self._hosts[host]

    @contextmanager
    def slot(self, host: str, url: str) -> Iterator[None]:
        """Wait for a turn at ``host``; FetchError when it asked to be left alone or the
        watch is stopping."""
        with self._lock:
            state = self._host(host)
            while True:
                now = time.monotonic()
                if state.blocked_until > now:
                    wait = state.blocked_until - now
                    raise FetchError(url, f"{host} asked to be left alone for another "
                                          f"{wait:.0f} s (Retry-After); not requested",
                                     transient=True, retry_after=wait, deferred=True)
                if self.stop.is_set():
                    raise FetchError(url, "stopping; not requested", transient=True,
                                     deferred=True)
                if state.in_flight < self.concurrency and now >= state.next_start:
                    break
                delay = state.next_start - now if state.in_flight < self.concurrency else 0.5
                self._lock.wait(timeout=max(0.01, min(delay, 0.5)))
            state.in_flight += 1
            state.next_start = now + state.interval
        try:
            yield
        finally:
            with self._lock:
                state.in_flight -= 1
                self._lock.notify_all()


class _Decoder:
    """Content-Encoding undone as the body streams in, never past ``limit`` bytes out."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        self.url = url
        self.limit = limit
        self.size = 0
        self.encoding = encoding
        if encoding in ("gzip", "x-gzip"):
            self._zlib: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = None  # zlib-wrapped or raw: decided on the first bytes
        elif encoding in ("", "identity"):
            self._zlib = None
            self.encoding = "identity"
        else:
            raise FetchError(url, f"unsupported Content-Encoding '{encoding}'")

    def _too_large(self) -> FetchError:
        what = "decompresses to" if self.encoding != "identity" else "is"
        return FetchError(self.url, f"response {what} more than {self.limit:,} bytes; "
                                    "skipped rather than cut")

    def _damaged(self, error: zlib.error) -> FetchError:
        return FetchError(self.url, f"damaged {self.encoding} body ({error})", transient=True)

    def feed(self, data: bytes) -> bytes:
        if self.encoding == "identity":
            self.size += len(data)
            if self.size > self.limit:
                raise self._too_large()
            return data
        if self._zlib is None:  # deflate: RFC 1950 (zlib) as specified, raw as sent by some
            raw = not (len(data) >= 2 and data[0] & 0x0F == 8 and
                       (data[0] << 8 | data[1]) % 31 == 0)
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        room = self.limit - self.size + 1
        try:
            out = self._zlib.decompress(data, room)
        except zlib.error as exc:
            raise self._damaged(exc) from None
        self.size += len(out)
        if self.size > self.limit or self._zlib.unconsumed_tail:
            raise self._too_large()
        return out

    def finish(self) -> bytes:
        if self._zlib is None:
            return b""
        try:
            out = self._zlib.flush()
        except zlib.error as exc:
            raise self._damaged(exc) from None
        self.size += len(out)
        if self.size > self.limit:
            raise self._too_large()
        if not self._zlib.eof:
            raise FetchError(self.url, f"{self.encoding} body ends early (cut off in "
                                       "transfer)", transient=True)
        return out


class Robots:
    """robots.txt per host, fetched when first needed and kept ``FEED_ROBOTS_TTL`` s."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._rules: dict[str, tuple[float, Protego | None, str | None]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def prune(self) -> None:
        """Forget expired rules (read again when next needed)."""
        now = time.monotonic()
        with self._guard:
            for origin in [o for o, (expires, _, _) in list(self._rules.items())
                           if expires <= now]:
                self._rules.pop(origin, None)
                lock = self._locks.get(origin)
                if lock is not None and not lock.locked():
                    del self._locks[origin]

    def check(self, url: str) -> None:
        """FetchError unless robots.txt lets this user agent fetch ``url``."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            expires, rules, problem = self._rules.get(origin, (0.0, None, None))
            if time.monotonic() >= expires:
                rules, problem, ttl = self._load(origin)
                self._rules[origin] = (time.monotonic() + ttl, rules, problem)
        if problem is not None:
            raise FetchError(url, problem, transient=True)
        if rules is not None and not rules.can_fetch(url, self.fetcher.user_agent):
            raise FetchError(url, "disallowed by the site's robots.txt; not fetched")

    def _load(self, origin: str) -> tuple[Protego | None, str | None, float]:
        try:
            answer = self.fetcher.get(f"{origin}/robots.txt",
                                      limit=settings.FEED_MAX_ROBOTS_BYTES,
                                      robots=False, cut=True)
        except FetchError as exc:
            if exc.deferred:
                raise  # not asked (the host asked to wait, or stopping): nothing learnt
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return None, None, settings.FEED_ROBOTS_TTL  # no robots.txt: all allowed
            # RFC 9309: an unreachable robots.txt means the whole site is disallowed
            return None, (f"robots.txt could not be read ({exc.reason}); the site is "
                          "not crawled until it can be"), settings.FEED_ROBOTS_RETRY
        text = answer.body.decode(answer.charset or "utf-8", errors="replace")
        try:
            rules = Protego.parse(text)
        except Exception:  # a third-party parser on untrusted text: treat as no rules
            return None, None, settings.FEED_ROBOTS_TTL
        delay = rules.crawl_delay(self.fetcher.user_agent)
        if delay:
            self.fetcher.hosts.set_interval(host_of(origin), float(delay))
        return rules, None, settings.FEED_ROBOTS_TTL


class Fetcher:
    """GET with the limits above; thread-safe (one per watch, shared by its threads)."""

    def __init__(self, *, user_agent: str | None = None,
                 hosts: HostLimits | None = None, robots: bool = True,
                 timeout: float = settings.FEED_CONNECT_TIMEOUT,
                 total_timeout: float = settings.FEED_TOTAL_TIMEOUT,
                 max_redirects: int = settings.FEED_MAX_REDIRECTS) -> None:
        self.user_agent = user_agent or default_user_agent()
        self.hosts = hosts or HostLimits()
        self.timeout = timeout
        self.total_timeout = total_timeout
        self.max_redirects = max_redirects
        self.robots = Robots(self) if robots else None
        self._tls = ssl.create_default_context()

    def prune(self) -> None:
        """Forget idle hosts and expired robots.txt rules (between cycles)."""
        self.hosts.prune()
        if self.robots is not None:
            self.robots.prune()

    def get(self, url: str, *, limit: int, headers: Mapping[str, str] | None = None,
            robots: bool = True, cut: bool = False) -> Response:
        """The body at ``url`` after redirects. ``headers``: extra request headers
        (If-None-Match...). ``cut``: a body over ``limit`` is cut there instead of
        refused (robots.txt only: RFC 9309 reads its first 500 KiB)."""
        seen = [url]
        current = url
        for _ in range(self.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(current, "not an http(s) URL")
            if robots and self.robots is not None:
                self.robots.check(current)
            with self.hosts.slot(host_of(current), current):
                answer = self._request(current, limit, headers or {}, cut)
            if isinstance(answer, Response):
                return answer
            target = urljoin(current, answer)
            if target in seen:
                raise FetchError(url, f"redirect loop ({' -> '.join([*seen, target])})")
            seen.append(target)
            current = target
        raise FetchError(url, f"more than {self.max_redirects} redirects "
                              f"({' -> '.join(seen)})")

    def _request(self, url: str, limit: int, extra: Mapping[str, str],
                 cut: bool) -> Response | str:
        """One exchange: a Response, or the Location of a redirect."""
        parts = urlsplit(url)
        deadline = time.monotonic() + self.total_timeout
        connection: http.client.HTTPConnection
        try:
            port = parts.port
        except ValueError:
            raise FetchError(url, "bad port in URL") from None
        # a Location or a user's URL may hold spaces or non-ASCII: sent percent-encoded
        target = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                       safe="/:@!$&'()*+,;=-._~%?")
        try:
            host = (parts.hostname or "").encode("idna").decode("ascii")
        except UnicodeError:
            raise FetchError(url, "not a valid host name") from None
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(host, port,
                                                     timeout=self.timeout,
                                                     context=self._tls)
        else:
            connection = http.client.HTTPConnection(host, port,
                                                    timeout=self.timeout)
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate",
                   "Accept": "application/rss+xml, application/atom+xml, application/xml, "
                             "text/xml, text/html;q=0.9, */*;q=0.5",
                   "Connection": "close", **extra}
        try:
            connection.request("GET", target, headers=headers)
            reply = connection.getresponse()
            status = reply.status
            if status in _REDIRECTS:
                location = reply.getheader("Location")
                if not location:
                    raise FetchError(url, f"HTTP {status} redirect without a Location",
                                     status=status)
                return location.strip()
            if status == 304:
                return Response(url, status, reply.msg, not_modified=True)
            if status >= 400:
                raise self._http_error(url, status, reply)
            declared = reply.getheader("Content-Length")
            if declared and declared.strip().isdigit() and int(declared) > limit and not cut \
                    and (reply.getheader("Content-Encoding") or "identity") == "identity":
                raise FetchError(url, f"response is {int(declared):,} bytes, more than the "
                                      f"{limit:,}-byte limit; skipped rather than cut")
            body = self._read_body(url, connection, reply, limit, deadline, cut)
            return Response(url, status, reply.msg, body)
        except FetchError:
            raise
        except TimeoutError:
            raise FetchError(url, f"timed out (no answer within {self.timeout:g} s)",
                             transient=True) from None
        except (ssl.SSLError, ssl.CertificateError) as exc:
            raise FetchError(url, f"TLS error: {exc}", transient=True) from None
        except socket.gaierror as exc:
            raise FetchError(url, f"host not found ({exc.strerror})", transient=True) from None
        except (OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise FetchError(url, f"connection failed ({reason})", transient=True) from None
        finally:
            connection.close()

    @staticmethod
    def _http_error(url: str, status: int, reply: http.client.HTTPResponse) -> FetchError:
        reason = f"HTTP {status} {reply.reason}".rstrip()
        wait = retry_after_seconds(reply.getheader("Retry-After"))
        if status in (429, 503):
            if wait is not None:
                reason += f" (Retry-After {wait:.0f} s)"
            return FetchError(url, reason, status=status, transient=True, retry_after=wait)
        return FetchError(url, reason, status=status,
                          transient=status >= 500 or status == 408)

    def _read_body(self, url: str, connection: http.client.HTTPConnection,
                   reply: http.client.HTTPResponse, limit: int, deadline: float,
                   cut: bool) -> bytes:
        decoder = _Decoder((reply.getheader("Content-Encoding") or "").strip().lower(),
                           limit, url)
        pieces: list[bytes] = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise FetchError(url, f"the response took longer than {self.total_timeout:g} "
                                      "s to arrive; skipped rather than cut", transient=True)
            if connection.sock is not None:
                connection.sock.settimeout(min(self.timeout, left))
            try:
                data = reply.read1(_CHUNK)
            except http.client.IncompleteRead:
                raise FetchError(url, "the connection closed before the whole response "
                                      "arrived", transient=True) from None
            if not data:
                break
            try:
                pieces.append(decoder.feed(data))
            except FetchError:
                if cut:
                    return b"".join(pieces)[:limit]
                raise
        pieces.append(decoder.finish())
        return b"".join(pieces)
