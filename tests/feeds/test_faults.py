"""Bad feeds, bad pages and faulty servers, each served on 127.0.0.1: every one gives a clear
message for its feed, never a traceback, and the other feeds go on."""

from __future__ import annotations

import json
import time
import zlib
from http.server import BaseHTTPRequestHandler

from newsfuse import settings
from tests.feeds.conftest import Watch
from tests.feeds.server import (
    ATOM,
    HTML,
    XML,
    LocalServer,
    Reply,
    atom,
    gzipped,
    page_html,
    rfc822,
    rss,
)

PARAGRAPHS = [
    "Dockworkers at the Port of Calder returned to work on Friday after port operators "
    "raised their pay offer to six percent, the union and the operators said.",
    "The strike had halted container traffic for five days and left dozens of ships "
    "waiting outside the harbour, the port authority said on Thursday.",
    "Union leaders said members voted by a large margin to accept the offer, which also "
    "covers overtime rates and the length of night shifts.",
]


def good_feed(server: LocalServer, name: str = "good") -> str:
    """A healthy feed with one article page; its URL."""
    server.routes[f"/{name}/a1"] = Reply(200, HTML, page_html(f"{name}: Calder strike ends",
                                                              PARAGRAPHS, site="Ledger"))
    server.routes[f"/{name}.xml"] = Reply(200, XML, rss(name, [
        {"title": "Calder strike ends", "link": server.url(f"/{name}/a1"),
         "date": rfc822("2026-04-03"), "description": "Dockworkers return."}]))
    return server.url(f"/{name}.xml")


def stored(run: object, feed: str) -> int:
    return run.rows("SELECT COUNT(*) FROM feed_items WHERE feed = ? AND status = 'stored'",  # type: ignore[attr-defined]
                    feed)[0][0]


def test_malformed_html_and_empty_feeds_are_named_and_the_others_go_on(
        server: LocalServer, watch: Watch) -> None:
    good = good_feed(server)
    server.routes["/broken.xml"] = Reply(200, XML, b"<?xml version='1.0'?><rss><chan")
    server.routes["/page.xml"] = Reply(200, HTML, page_html("Home", ["Welcome to our site."]))
    server.routes["/empty.xml"] = Reply(200, XML, rss("Empty", []))
    urls = [server.url(p) for p in ("/broken.xml", "/page.xml", "/empty.xml")] + [good]
    run = watch(urls)
    assert "Traceback" not in run.log
    assert f"{server.url('/broken.xml')}: not a feed: malformed XML" in run.log
    assert f"{server.url('/page.xml')}: not an RSS, Atom or RDF feed (served as text/html" \
        in run.log
    assert f"{server.url('/empty.xml')}: the feed lists no entries" in run.log
    assert stored(run, good) == 1
    assert run.code == 1  # some feeds failed, the rest was done
    assert run.feed(server.url("/empty.xml"))["last_error"] is None
    assert run.feed(server.url("/broken.xml"))["failures"] == 1


def test_entries_without_links_or_dates_and_relative_links(server: LocalServer,
                                                          watch: Watch) -> None:
    server.routes["/news/a1"] = Reply(200, HTML, page_html("Relative", PARAGRAPHS))
    server.routes["/news/a2"] = Reply(200, HTML, page_html(
        "Undated", [p.replace("Calder", "Marlow") for p in PARAGRAPHS]))
    full = "".join(f"<p>{p} {p}</p>" for p in PARAGRAPHS) * 4
    server.routes["/feed.xml"] = Reply(200, XML, rss("Mixed", [
        {"title": "Relative link", "link": "news/a1", "date": rfc822("2026-04-03")},
        {"title": "No date", "link": "/news/a2"},
        {"title": "No link, no text", "description": "A teaser."},
        {"title": "No link, full text", "guid": "urn:x:1", "content": full,
         "date": rfc822("2026-04-04")},
    ]))
    run = watch([server.url("/feed.xml")])
    assert "Traceback" not in run.log
    assert server.hits("/news/a1") and server.hits("/news/a2")
    urls = {u for (u,) in run.rows("SELECT url FROM articles")}
    assert server.url("/news/a1") in urls and server.url("/news/a2") in urls
    undated = run.rows("SELECT undated FROM articles WHERE url = ?", server.url("/news/a2"))
    assert undated == [(1,)]
    assert "entry 3 ('No link, no text'): no link and no id; skipped" in run.log
    guid = run.rows("SELECT a.url, a.title FROM feed_items f JOIN articles a ON "
                    "a.id = f.article WHERE f.url = 'guid:urn:x:1'")
    assert guid == [(None, "No link, full text")]
    assert run.code == 0


def test_http_errors_back_off_and_410_drops_the_feed(server: LocalServer,
                                                     watch: Watch) -> None:
    good = good_feed(server)
    server.routes["/gone.xml"] = Reply(410, {"Content-Type": "text/plain"}, b"gone")
    server.routes["/error.xml"] = Reply(500, {"Content-Type": "text/plain"}, b"oops")
    urls = [server.url("/missing.xml"), server.url("/gone.xml"), server.url("/error.xml"),
            good]
    run = watch(urls)
    assert f"{server.url('/missing.xml')}: HTTP 404" in run.log
    assert f"{server.url('/error.xml')}: HTTP 500" in run.log
    assert stored(run, good) == 1
    # a first failure is tried again on the next cycle; a second one backs off
    run = watch(urls)
    assert len(server.hits("/error.xml")) == 2
    before = time.time()
    next_poll = run.feed(server.url("/error.xml"))["next_poll"]
    assert before < next_poll <= before + settings.FEED_EVERY_SECONDS  # one cycle skipped
    assert f"{server.url('/error.xml')}: HTTP 500 Internal Server Error; next try in 600 s" \
        in run.log
    run = watch(urls)
    assert len(server.hits("/error.xml")) == 2  # not polled while backing off
    assert "backing off after errors" in run.log
    for _ in range(settings.FEED_GONE_STRIKES - 2):
        watch.due_now()
        run = watch(urls)
    assert "dropped: it answered 410 Gone" in run.log
    assert run.feed(server.url("/gone.xml"))["dropped"] is not None
    hits = len(server.hits("/gone.xml"))
    watch.due_now()
    run = watch(urls)
    assert len(server.hits("/gone.xml")) == hits
    assert "dropped on" in run.log
    assert run.feed(server.url("/missing.xml"))["failures"] == settings.FEED_GONE_STRIKES + 1


def test_timeouts_redirect_loops_and_endless_bodies(server: LocalServer,
                                                    watch: Watch) -> None:
    def slow(handler: BaseHTTPRequestHandler) -> Reply:
        time.sleep(2.5)
        return Reply(200, XML, rss("late", []))

    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"<item><title>more</title></item>" * 1000
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.end_headers()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.2)

    good = good_feed(server)
    server.routes["/slow.xml"] = slow
    server.routes["/endless.xml"] = endless
    server.routes["/trickle.xml"] = trickle
    server.routes["/loop1.xml"] = Reply(302, {"Location": "/loop2.xml"})
    server.routes["/loop2.xml"] = Reply(301, {"Location": server.url("/loop1.xml")})
    server.routes["/far.xml"] = Reply(302, {"Location": "/far1.xml"})
    for n in range(1, 10):
        server.routes[f"/far{n}.xml"] = Reply(302, {"Location": f"/far{n + 1}.xml"})
    server.routes["/huge.xml"] = Reply(200, {**XML, "Content-Length": "900000000"}, b"")
    urls = [server.url(p) for p in ("/slow.xml", "/endless.xml", "/trickle.xml",
                                    "/loop1.xml", "/far.xml", "/huge.xml")] + [good]
    run = watch(urls, timeout=1.0, total_timeout=3.0)
    assert "Traceback" not in run.log
    assert f"{server.url('/slow.xml')}: timed out" in run.log
    assert (f"{server.url('/endless.xml')}: response is more than "
            f"{settings.FEED_MAX_FEED_BYTES:,} bytes; skipped rather than cut") in run.log
    assert f"{server.url('/trickle.xml')}: the response took longer than 3 s" in run.log
    assert f"{server.url('/loop1.xml')}: redirect loop" in run.log
    assert f"{server.url('/far.xml')}: more than {settings.FEED_MAX_REDIRECTS} redirects" \
        in run.log
    assert f"{server.url('/huge.xml')}: response is 900,000,000 bytes" in run.log
    assert stored(run, good) == 1
    assert run.code == 1


def test_gzip_and_deflate_are_read_and_bombs_refused(server: LocalServer,
                                                     watch: Watch) -> None:
    body = page_html("Compressed", PARAGRAPHS)
    server.routes["/gz/a1"] = Reply(200, {**HTML, "Content-Encoding": "gzip"}, gzipped(body))
    deflated = zlib.compress(page_html("Deflated", [p.replace("Calder", "Dunmore")
                                                    for p in PARAGRAPHS]))
    server.routes["/gz/a2"] = Reply(200, {**HTML, "Content-Encoding": "deflate"}, deflated)
    bomb = gzipped(b"<html><body><p>" + b" " * (settings.FEED_MAX_PAGE_BYTES + 10**6))
    server.routes["/gz/bomb"] = Reply(200, {**HTML, "Content-Encoding": "gzip"}, bomb)
    feed = rss("Compressed", [{"title": t, "link": server.url(f"/gz/{t}")}
                              for t in ("a1", "a2", "bomb")])
    server.routes["/gz.xml"] = Reply(200, {**XML, "Content-Encoding": "gzip"}, gzipped(feed))
    run = watch([server.url("/gz.xml")])
    titles = {t for (t,) in run.rows("SELECT title FROM articles")}
    assert titles == {"Compressed", "Deflated"}
    assert len(bomb) < 100_000
    assert (f"{server.url('/gz/bomb')}: response decompresses to more than "
            f"{settings.FEED_MAX_PAGE_BYTES:,} bytes; skipped rather than cut") in run.log
    skipped = run.rows("SELECT status FROM feed_items WHERE url = ?", server.url("/gz/bomb"))
    assert skipped == [("skipped",)]


def test_wrong_charsets_are_read_right(server: LocalServer, watch: Watch) -> None:
    text = [p + " Café owners in Zürich said Ærø was quiet." for p in PARAGRAPHS]
    # a page declared latin-1 whose bytes are UTF-8, and one declared UTF-8 in cp1252
    server.routes["/cs/utf8"] = Reply(200, {"Content-Type": "text/html; charset=iso-8859-1"},
                                      page_html("Zürich one", text))
    cp1252 = page_html("Zürich two", [t.replace("Calder", "Brent") for t in text]).decode() \
        .replace("<meta charset='utf-8'>", "").encode("cp1252")
    server.routes["/cs/cp1252"] = Reply(200, HTML, cp1252)
    feed = rss("Charsets ü", [{"title": "Zürich", "link": server.url("/cs/utf8")},
                              {"title": "Zürich 2", "link": server.url("/cs/cp1252")}])
    # the feed says UTF-8 in its header but is written in latin-1
    latin = feed.decode("utf-8").replace("encoding='utf-8'", "encoding='iso-8859-1'") \
        .encode("latin-1")
    server.routes["/cs.xml"] = Reply(200, XML, latin)
    run = watch([server.url("/cs.xml")])
    assert "Traceback" not in run.log
    texts = [t for (t,) in run.rows("SELECT text FROM articles ORDER BY title")]
    assert len(texts) == 2
    for body in texts:
        assert "Café owners in Zürich said Ærø" in body
    assert run.feed(server.url("/cs.xml"))["title"] == "Charsets ü"


def test_duplicates_and_redated_items_are_fetched_once(server: LocalServer,
                                                       watch: Watch) -> None:
    server.routes["/d/a1"] = Reply(200, HTML, page_html("Once", PARAGRAPHS))
    items = [{"title": "Once", "link": server.url("/d/a1?utm_source=rss&utm_medium=feed"),
              "date": rfc822("2026-04-03")},
             {"title": "Once again", "link": server.url("/d/a1#comments"),
              "date": rfc822("2026-04-03")}]
    server.routes["/d.xml"] = Reply(200, XML, rss("Dupes", items))
    server.routes["/d2.xml"] = Reply(200, ATOM, atom("Other", [
        {"title": "Same page", "link": server.url("/d/a1?fbclid=abc"),
         "updated": "2026-04-03T10:00:00Z"}]))
    run = watch([server.url("/d.xml"), server.url("/d2.xml")])
    assert [r.path for r in server.requests if r.path.startswith("/d/")] == ["/d/a1"]
    assert run.rows("SELECT COUNT(*) FROM articles") == [(1,)]
    assert "listed twice in the feed" in run.log
    # the feed re-dates the item: still nothing new, nothing fetched
    items[0]["date"] = rfc822("2026-04-09")
    server.routes["/d.xml"] = Reply(200, XML, rss("Dupes", items))
    fetched = len([r for r in server.requests if r.path.startswith("/d/a1")])
    run = watch([server.url("/d.xml"), server.url("/d2.xml")])
    assert len([r for r in server.requests if r.path.startswith("/d/a1")]) == fetched
    assert run.rows("SELECT COUNT(*) FROM articles") == [(1,)]
    assert "0 new article(s)" in run.log


def test_conditional_get_uses_the_stored_validators(server: LocalServer,
                                                    watch: Watch) -> None:
    good_feed(server)
    body = server.routes["/good.xml"].body  # type: ignore[union-attr]

    def conditional(handler: BaseHTTPRequestHandler) -> Reply:
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(304, {"ETag": '"v1"'})
        return Reply(200, {**XML, "ETag": '"v1"',
                           "Last-Modified": "Fri, 03 Apr 2026 10:00:00 GMT"}, body)

    server.routes["/good.xml"] = conditional
    url = server.url("/good.xml")
    watch([url])
    assert watch.db.exists()
    run = watch([url])
    sent = server.hits("/good.xml")[-1].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Fri, 03 Apr 2026 10:00:00 GMT"
    assert "1/1 feeds polled (1 not modified)" in run.log
    assert run.feed(url)["last_status"] == "not modified"


def test_retry_after_is_obeyed_for_the_feed_and_its_host(server: LocalServer,
                                                         watch: Watch) -> None:
    server.routes["/busy.xml"] = Reply(429, {"Retry-After": "120"}, b"slow down")
    url = server.url("/busy.xml")
    run = watch([url])
    assert f"{url}: HTTP 429" in run.log and "Retry-After 120 s" in run.log
    assert 100 < run.feed(url)["next_poll"] - time.time() <= 121
    hits = len(server.hits("/busy.xml"))
    run = watch([url])
    assert len(server.hits("/busy.xml")) == hits


def test_robots_txt_is_honoured(server: LocalServer, watch: Watch) -> None:
    server.routes["/robots.txt"] = Reply(200, {"Content-Type": "text/plain"},
                                         b"User-agent: *\nDisallow: /private/\n")
    server.routes["/private/a1"] = Reply(200, HTML, page_html("Private", PARAGRAPHS))
    server.routes["/open/a1"] = Reply(200, HTML, page_html("Open", PARAGRAPHS))
    server.routes["/r.xml"] = Reply(200, XML, rss("R", [
        {"title": "Private", "link": server.url("/private/a1")},
        {"title": "Open", "link": server.url("/open/a1")}]))
    run = watch([server.url("/r.xml")], user_agent="newsfuse-test/1.0 (ops@example.org)")
    assert not server.hits("/private/a1")
    assert "disallowed by the site's robots.txt" in run.log
    assert run.rows("SELECT title FROM articles") == [("Open",)]
    assert server.hits("/open/a1")[0].headers["User-Agent"] == \
        "newsfuse-test/1.0 (ops@example.org)"
    assert len(server.hits("/robots.txt")) == 1  # kept, not asked again per page


def test_unreachable_robots_txt_means_nothing_is_fetched(server: LocalServer,
                                                        watch: Watch) -> None:
    server.routes["/robots.txt"] = Reply(503, {}, b"down")
    good_feed(server)
    run = watch([server.url("/good.xml")])
    assert "robots.txt could not be read (HTTP 503" in run.log
    assert not server.hits("/good.xml")


def test_json_logs_are_one_object_per_line(server: LocalServer, watch: Watch) -> None:
    good = good_feed(server)
    run = watch([good, server.url("/missing.xml")], json_log=True)
    records = [json.loads(line) for line in run.log.splitlines()]
    assert {r["level"] for r in records} >= {"info", "error"}
    cycle = [r for r in records if r.get("event") == "cycle"]
    assert cycle and cycle[0]["new_articles"] == 1 and cycle[0]["errors"] == 1
    errors = [r for r in records if r["level"] == "error"]
    assert errors[0]["feed"] == server.url("/missing.xml") and errors[0]["status"] == 404


def test_quiet_keeps_only_errors(server: LocalServer, watch: Watch) -> None:
    good = good_feed(server)
    run = watch([good, server.url("/missing.xml")], quiet=True)
    assert run.log.strip().splitlines() == [f"newsfuse: {server.url('/missing.xml')}: "
                                            "HTTP 404 Not Found"]


def test_pages_failing_for_now_are_tried_again_then_given_up(server: LocalServer,
                                                             watch: Watch) -> None:
    server.routes["/p/ok"] = Reply(200, HTML, page_html("Fine", PARAGRAPHS))
    server.routes["/p/flaky"] = Reply(503, {}, b"busy")
    server.routes["/p.xml"] = Reply(200, XML, rss("P", [
        {"title": "Fine", "link": server.url("/p/ok")},
        {"title": "Flaky", "link": server.url("/p/flaky")}]))
    url = server.url("/p.xml")
    for attempt in range(1, settings.FEED_PAGE_ATTEMPTS + 2):
        run = watch([url])
        assert len(server.hits("/p/flaky")) == min(attempt, settings.FEED_PAGE_ATTEMPTS)
        # the flaky page was not read yet: the feed's validators are not kept, so that
        # the next poll lists it again
        status = run.rows("SELECT status, attempts FROM feed_items WHERE url = ?",
                          server.url("/p/flaky"))
        if attempt < settings.FEED_PAGE_ATTEMPTS:
            assert status == [("failed", attempt)]
            assert "HTTP 503 Service Unavailable; not read this time" in run.log
    assert status[0][0] == "skipped"
    assert len(server.hits("/p/ok")) == 1


def test_a_store_held_by_another_writer_loses_nothing(server: LocalServer,
                                                      watch: Watch) -> None:
    import fcntl

    from newsfuse.corpus.store import Store

    good = good_feed(server)
    Store(watch.db).close()
    with open(f"{watch.db}.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        run = watch([good], wait=0.2)
    assert "another ingest is writing to this store" in run.log
    assert "its new articles are read again on the next poll" in run.log
    assert run.rows("SELECT COUNT(*) FROM articles") == [(0,)]
    run = watch([good])
    assert run.rows("SELECT COUNT(*) FROM articles") == [(1,)]


def test_a_page_answering_429_pauses_its_host(server: LocalServer, watch: Watch) -> None:
    server.routes["/h/1"] = Reply(429, {"Retry-After": "60"}, b"too many")
    for n in (2, 3):
        server.routes[f"/h/{n}"] = Reply(200, HTML, page_html(f"H{n}", PARAGRAPHS))
    server.routes["/h.xml"] = Reply(200, XML, rss("H", [
        {"title": f"H{n}", "link": server.url(f"/h/{n}")} for n in (1, 2, 3)]))
    run = watch([server.url("/h.xml")], workers=1)
    assert "HTTP 429 Too Many Requests (Retry-After 60 s); not read this time" in run.log
    assert not server.hits("/h/2") and not server.hits("/h/3")
    # the pages never asked for are not counted as attempts, and are read next time
    assert run.rows("SELECT url, status FROM feed_items") == [(server.url("/h/1"), "failed")]
    assert run.feed(server.url("/h.xml"))["etag"] is None


def test_a_long_feed_is_read_in_parts(server: LocalServer, watch: Watch,
                                      monkeypatch: object) -> None:
    monkeypatch.setattr(settings, "FEED_MAX_NEW_PER_POLL", 2)  # type: ignore[attr-defined]
    items = []
    for n in range(3):
        server.routes[f"/l/{n}"] = Reply(200, HTML, page_html(
            f"L{n}", [f"{p} Part {n}." for p in PARAGRAPHS]))
        items.append({"title": f"L{n}", "link": server.url(f"/l/{n}")})
    server.routes["/l.xml"] = Reply(200, {**XML, "ETag": '"1"'}, rss("L", items))
    run = watch([server.url("/l.xml")])
    assert "more than 2 new entries; the others are read on the next poll" in run.log
    assert run.rows("SELECT COUNT(*) FROM articles") == [(2,)]
    assert run.feed(server.url("/l.xml"))["etag"] is None  # not every entry was read
    run = watch([server.url("/l.xml")])
    assert run.rows("SELECT COUNT(*) FROM articles") == [(3,)]
    assert run.feed(server.url("/l.xml"))["etag"] == '"1"'


def test_locations_with_spaces_and_accents_are_followed(server: LocalServer,
                                                        watch: Watch) -> None:
    server.routes["/moved.xml"] = Reply(301, {"Location": "/new home/flux é.xml"})
    good_feed(server)
    server.routes["/new%20home/flux%20%C3%A9.xml"] = server.routes["/good.xml"]
    run = watch([server.url("/moved.xml")])
    assert run.code == 0, run.log
    assert run.rows("SELECT COUNT(*) FROM articles") == [(1,)]
