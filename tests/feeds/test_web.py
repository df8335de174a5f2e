"""The feeds page and ``GET /api/feeds`` of ``newsfuse serve``: what the watch recorded,
escaped (feed titles and errors come from the open web)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from newsfuse.corpus.store import Store
from newsfuse.web import create_app
from tests.feeds.conftest import Watch
from tests.feeds.server import XML, LocalServer, Reply, rss
from tests.feeds.test_faults import good_feed


def test_feeds_page_lists_polls_errors_and_counts_escaped(server: LocalServer,
                                                          watch: Watch) -> None:
    good = good_feed(server)
    hostile = server.url("/x.xml")
    server.routes["/x.xml"] = Reply(200, XML, rss("<script>alert(1)</script> News", []))
    missing = server.url("/missing.xml")
    watch([good, hostile, missing])
    client = TestClient(create_app(str(watch.db), encoder="tfidf"),
                        base_url="http://127.0.0.1")
    feeds = {f["url"]: f for f in client.get("/api/feeds").json()["feeds"]}
    assert feeds[good]["articles"] == 1 and feeds[good]["status"] == "new"
    assert feeds[missing]["last_error"] == "HTTP 404 Not Found"
    # a first failure is retried on the next cycle: no back-off to show yet
    assert feeds[missing]["failures"] == 1 and feeds[missing]["next_poll"] is None
    assert feeds[hostile]["title"] == "<script>alert(1)</script> News"
    page = client.get("/feeds")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; News" in page.text
    assert "HTTP 404 Not Found" in page.text
    assert 'href="/feeds"' in client.get("/").text


def test_a_store_that_follows_no_feed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "plain.db"
    Store(path).close()
    client = TestClient(create_app(str(path), encoder="tfidf"), base_url="http://127.0.0.1")
    assert client.get("/api/feeds").json() == {"feeds": []}
    assert "follows no feed" in client.get("/feeds").text
