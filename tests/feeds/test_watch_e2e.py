"""End to end: feeds made from the example corpus (and seed articles) served on 127.0.0.1,
``newsfuse watch --once``, then a few cycles while the feeds gain articles; the events and
briefs are checked in the store and over the HTTP API."""

from __future__ import annotations

import io
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import redirect_stderr
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import newsfuse
from newsfuse.cli import main
from newsfuse.feeds.watch import Log, Watcher, WatchOptions
from newsfuse.model import Article
from newsfuse.web import create_app
from tests.conftest import EXAMPLES, SEEDS
from tests.feeds.server import ATOM, HTML, XML, LocalServer, Reply, atom, page_html, rss

RDF = {"Content-Type": "application/rdf+xml; charset=utf-8"}


def _paragraphs(article: Article) -> list[str]:
    return [p.strip() for p in article.text.split("\n\n") if p.strip()]


def _page(article: Article, path: Path) -> bytes:
    if path.suffix == ".html":
        return path.read_bytes()  # the outlet's own page, as it was saved
    date = article.date.isoformat() if article.date else None
    return page_html(article.title or article.id, _paragraphs(article), date, article.outlet)


def _rdf(title: str, items: list[tuple[str, str]]) -> bytes:
    """An RSS 1.0 (RDF) feed of (title, link) items."""
    seq = "".join(f"<rdf:li resource='{link}'/>" for _, link in items)
    body = "".join(f"<item rdf:about='{link}'><title>{t}</title><link>{link}</link></item>"
                   for t, link in items)
    return ("<?xml version='1.0' encoding='utf-8'?>"
            "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
            "xmlns='http://purl.org/rss/1.0/'>"
            f"<channel rdf:about='x'><title>{title}</title><link>http://127.0.0.1/</link>"
            f"<description>{title}</description><items><rdf:Seq>{seq}</rdf:Seq></items>"
            f"</channel>{body}</rdf:RDF>").encode()


class Newsroom:
    """The example corpus as three outlets' feeds and pages. ``release(id)`` adds a held
    back article to its feed."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.articles: dict[str, Article] = {}
        self.event_of: dict[str, str] = {}
        self.path_of: dict[str, str] = {}
        self.held = {"harbor-ledger-calder", "northline-varnholt-fire"}
        for folder in sorted(EXAMPLES.iterdir()):
            for article in newsfuse.read([folder], clean=False):
                path = f"/{folder.name}/{article.id}"
                server.routes[path] = Reply(200, HTML, _page(article,
                                                             Path(article.origin.path)))
                self.articles[article.id] = article
                self.event_of[article.id] = folder.name
                self.path_of[article.id] = path
        seeds = list(newsfuse.read(sorted(SEEDS.glob("*.txt"))[:3], clean=False))
        for article in seeds:
            path = f"/seeds/{article.id}"
            server.routes[path] = Reply(200, HTML, _page(article, Path(article.origin.path)))
            self.articles[article.id] = article
            self.event_of[article.id] = "seeds"
            self.path_of[article.id] = path
        self.publish()

    def release(self, article_id: str) -> None:
        self.held.discard(article_id)
        self.publish()

    def ids(self, event: str) -> list[str]:
        return [i for i, e in self.event_of.items() if e == event and i not in self.held]

    def publish(self) -> None:
        url = self.server.url
        calder = [{"title": self.articles[i].title or i, "link": url(self.path_of[i]),
                   "date": self.articles[i].date.strftime("%a, %d %b %Y %H:%M:%S +0000"),
                   "description": _paragraphs(self.articles[i])[0][:120]}
                  for i in self.ids("calder-strike") if self.articles[i].date]
        self.server.routes["/calder.rss"] = Reply(200, XML, rss("Calder wire", calder))
        varnholt = []
        for i in self.ids("varnholt-fire"):
            article = self.articles[i]
            entry = {"title": article.title or i, "link": url(self.path_of[i]),
                     "content": "".join(f"<p>{p}</p>" for p in _paragraphs(article)),
                     "id": f"urn:varnholt:{i}"}
            if article.date:
                entry["updated"] = article.date.isoformat() + "Z"
            varnholt.append(entry)
        self.server.routes["/varnholt.atom"] = Reply(200, ATOM, atom("Varnholt desk", varnholt))
        mixed = [(self.articles[i].title or i, url(self.path_of[i])) for i in self.ids("seeds")]
        mixed.append(("Calder again", url(self.path_of["calder-gazette-strike"])))
        self.server.routes["/world.rdf"] = Reply(200, RDF, _rdf("World desk", mixed))

    def feeds(self) -> list[str]:
        return [self.server.url(p) for p in ("/calder.rss", "/varnholt.atom", "/world.rdf")]


@pytest.fixture
def newsroom(server: LocalServer) -> Iterator[Newsroom]:
    yield Newsroom(server)


def _events(db: Path) -> dict[int, set[str]]:
    """Each live event's article URLs."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT event, url FROM articles").fetchall()
        merged = dict(connection.execute("SELECT id, merged_into FROM events "
                                         "WHERE merged_into IS NOT NULL").fetchall())
    events: dict[int, set[str]] = {}
    for event, url in rows:
        while event in merged:
            event = merged[event]
        events.setdefault(event, set()).add(url)
    return events


def _event_with(events: dict[int, set[str]], url: str) -> int:
    return next(e for e, urls in events.items() if url in urls)


def test_watch_once_then_cycles_keeps_events_and_briefs_current(
        newsroom: Newsroom, server: LocalServer, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    err = io.StringIO()
    with redirect_stderr(err):
        code = main(["watch", *newsroom.feeds(), "--db", str(db), "--once",
                     "--host-interval", "0"])
    log = err.getvalue()
    assert code == 0, log
    assert "Traceback" not in log
    url = server.url
    first = {e: {url(newsroom.path_of[i]) for i in newsroom.ids(e)}
             for e in ("calder-strike", "varnholt-fire", "seeds")}
    events = _events(db)
    stored = set().union(*events.values())
    assert stored == set().union(*first.values())
    # each example event is one event of the store, never mixed with another
    for name in ("calder-strike", "varnholt-fire"):
        (event,) = {_event_with(events, u) for u in first[name]}
        assert events[event] == first[name]
    # the calder page listed by two feeds was fetched once; long Atom entries were not
    # fetched at all (their full text is in the feed)
    assert len(server.hits(newsroom.path_of["calder-gazette-strike"])) == 1
    assert not server.hits(newsroom.path_of["harbor-ledger-varnholt"])
    assert server.hits(newsroom.path_of["civic-radio-0310"])  # a teaser-length entry
    assert f"cycle 1: 3/3 feeds polled (0 not modified), {len(stored)} new article(s)" in log

    # `newsfuse feeds` lists the three feeds with their article counts
    out = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        assert main(["feeds", "--db", str(db), "--format", "json"]) == 0
    import json

    listed = {f["url"]: f for f in json.loads(out.getvalue())["feeds"]}
    assert listed[url("/calder.rss")]["articles"] == len(first["calder-strike"])
    assert listed[url("/varnholt.atom")]["title"] == "Varnholt desk"
    assert all(f["last_poll"] and f["last_error"] is None for f in listed.values())

    calder_event = _event_with(events, url(newsroom.path_of["calder-gazette-strike"]))
    client = TestClient(create_app(str(db), encoder="tfidf"), base_url="http://127.0.0.1")
    brief = client.get(f"/api/events/{calder_event}").json()
    ids_by_url = dict(sqlite3.connect(db).execute("SELECT url, id FROM articles").fetchall())
    assert {s["id"] for s in brief["sources"]} == {ids_by_url[u]
                                                   for u in first["calder-strike"]}
    assert brief["summary"] and all(s["sources"] for s in brief["summary"])
    feeds_page = client.get("/feeds")
    assert feeds_page.status_code == 200 and "Varnholt desk" in feeds_page.text
    api_feeds = client.get("/api/feeds").json()["feeds"]
    assert {f["url"] for f in api_feeds} == set(newsroom.feeds())

    # a few cycles while the feeds gain the held-back reports
    cycle_log = io.StringIO()
    releases = iter(["harbor-ledger-calder", "northline-varnholt-fire"])

    class Releasing(Watcher):
        def cycle(self, number: int):  # type: ignore[no-untyped-def]
            if number > 1:
                newsroom.release(next(releases))
            return super().cycle(number)

    # a reader (as `newsfuse serve` beside the watch) browses all along: never refused
    answers: list[int] = []
    done = threading.Event()

    def browse() -> None:
        reader = TestClient(create_app(str(db), encoder="tfidf"), base_url="http://127.0.0.1")
        while not done.is_set():
            for path in ("/api/events", "/api/feeds", "/feeds"):
                answers.append(reader.get(path).status_code)

    browser = threading.Thread(target=browse)
    browser.start()
    options = WatchOptions(every=0.2, cycles=3, timeout=2.0, host_interval=0.0)
    try:
        code = Releasing(str(db), newsroom.feeds(), options, Log(cycle_log)).run()
    finally:
        done.set()
        browser.join()
    assert code == 0, cycle_log.getvalue()
    assert answers and set(answers) == {200}
    events = _events(db)
    new_calder = url(newsroom.path_of["harbor-ledger-calder"])
    new_varnholt = url(newsroom.path_of["northline-varnholt-fire"])
    assert _event_with(events, new_calder) == calder_event
    assert _event_with(events, new_varnholt) == _event_with(
        events, url(newsroom.path_of["meridian-post-varnholt"]))
    assert len(set().union(*events.values())) == len(stored) + 2
    # nothing fetched twice over all the cycles
    for path in newsroom.path_of.values():
        assert len(server.hits(path)) <= 1
    # the cached brief of the grown event is rebuilt on the next request
    ids_by_url = dict(sqlite3.connect(db).execute("SELECT url, id FROM articles").fetchall())
    brief = client.get(f"/api/events/{calder_event}").json()
    assert ids_by_url[new_calder] in {s["id"] for s in brief["sources"]}
    events_api = client.get("/api/events").json()["events"]
    assert {e["id"] for e in events_api} >= {calder_event}
    assert next(e for e in events_api if e["id"] == calder_event)["articles"] == \
        len(first["calder-strike"]) + 1
