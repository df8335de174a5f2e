"""A local HTTP server on 127.0.0.1 for the feed tests: routes set per test, requests logged.

A route is a :class:`Reply` (status, headers, body), or a function of the request that
returns one, or a function that writes the response itself (slow, endless or cut bodies).
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 drops connections of a busy client for 1 s
    daemon_threads = True


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


Handler = Callable[[BaseHTTPRequestHandler], "Reply | None"]


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class LocalServer:
    """``routes[path] = Reply(...)`` or a handler; unknown paths answer 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | Handler] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        owner = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                with owner.lock:
                    owner.requests.append(Request(self.path, dict(self.headers.items())))
                    route = owner.routes.get(self.path)
                if route is None:
                    reply: Reply | None = Reply(404, {"Content-Type": "text/plain"},
                                                b"not found")
                elif isinstance(route, Reply):
                    reply = route
                else:
                    try:
                        reply = route(self)
                    except (BrokenPipeError, ConnectionResetError):
                        return
                if reply is None:  # the handler wrote the response itself
                    return
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Length": str(len(reply.body)), **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    return

        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> LocalServer:
        self.thread.start()
        return self

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path]


# --- content ------------------------------------------------------------------------------
def page_html(title: str, paragraphs: list[str], date: str | None = None,
              site: str | None = None) -> bytes:
    """An article page as news sites write them: navigation, the article, a footer."""
    meta = f'<meta property="article:published_time" content="{escape(date)}">' if date else ""
    if site:
        meta += f'<meta property="og:site_name" content="{escape(site)}">'
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"{meta}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{escape(title)}</h1>{body}</article>"
            "<footer>Copyright the publisher. All rights reserved.</footer></body></html>"
            ).encode()


def rss(title: str, items: list[dict[str, str]], link: str = "http://127.0.0.1/") -> bytes:
    """An RSS 2.0 feed; an item may have link, title, date (RFC 822), description, content,
    guid."""
    parts = []
    for item in items:
        fields = []
        if "title" in item:
            fields.append(f"<title>{escape(item['title'])}</title>")
        if "link" in item:
            fields.append(f"<link>{escape(item['link'])}</link>")
        if "guid" in item:
            fields.append(f"<guid isPermaLink='false'>{escape(item['guid'])}</guid>")
        if "date" in item:
            fields.append(f"<pubDate>{escape(item['date'])}</pubDate>")
        if "description" in item:
            fields.append(f"<description>{escape(item['description'])}</description>")
        if "content" in item:
            fields.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        parts.append("<item>" + "".join(fields) + "</item>")
    return ("<?xml version='1.0' encoding='utf-8'?>"
            "<rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
            f"<channel><title>{escape(title)}</title><link>{escape(link)}</link>"
            f"<description>{escape(title)}</description>{''.join(parts)}</channel></rss>"
            ).encode()


def atom(title: str, entries: list[dict[str, str]]) -> bytes:
    """An Atom feed; an entry may have link, title, updated (ISO), summary, content, id."""
    parts = []
    for entry in entries:
        fields = [f"<id>{escape(entry.get('id') or entry.get('link', 'x'))}</id>"]
        if "title" in entry:
            fields.append(f"<title>{escape(entry['title'])}</title>")
        if "link" in entry:
            fields.append(f"<link rel='alternate' href='{escape(entry['link'])}'/>")
        if "updated" in entry:
            fields.append(f"<updated>{escape(entry['updated'])}</updated>")
        if "summary" in entry:
            fields.append(f"<summary>{escape(entry['summary'])}</summary>")
        if "content" in entry:
            fields.append(f"<content type='html'>{escape(entry['content'])}</content>")
        parts.append("<entry>" + "".join(fields) + "</entry>")
    return ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id>"
            f"<updated>2026-04-03T10:00:00Z</updated>{''.join(parts)}</feed>").encode()


def rfc822(day: str, hour: int = 9) -> str:
    """'2026-04-03' as an RFC 822 date."""
    return format_datetime(datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC))


XML = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)
