"""The HTTP API and the server-rendered pages, through FastAPI's TestClient."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import jsonschema
import pytest
from fastapi.testclient import TestClient

from newsfuse.web import create_app
from tests.conftest import ROOT
from tests.web.conftest import BASE_URL, ENCODER

SCHEMA = json.loads((ROOT / "src" / "newsfuse" / "schemas" / "brief.schema.json").read_text())


def events(client, **params) -> list[dict]:
    response = client.get("/api/events", params=params)
    assert response.status_code == 200, response.text
    return response.json()["events"]


def seeds_event(client) -> dict:
    found = events(client, q="embassy Baghdad")
    assert len(found) == 1
    return found[0]


class Page(HTMLParser):
    """Elements and attributes of a page, to check what the markup really holds."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


# --- events ----------------------------------------------------------------------------------
def test_events_newest_first_with_independent_counts(client):
    found = events(client)
    assert len(found) == 4  # the seeds, the Varnholt fire, the Calder strike, the bridge
    lasts = [e["last"] or "" for e in found]
    assert lasts == sorted(lasts, reverse=True)
    seeds = seeds_event(client)
    assert seeds["articles"] == 5 and seeds["independent_sources"] == 5
    fire = next(e for e in found if "Varnholt chemical plant" in (e["headline"] or ""))
    assert fire["articles"] == 6 and fire["independent_sources"] == 5  # one is a copy


def test_events_date_filter_search_and_pages(client):
    assert {e["id"] for e in events(client, since="2019-12-31", until="2019-12-31")} == \
        {seeds_event(client)["id"]}
    assert events(client, since="2026-05-05") == []
    assert all(e["last"] >= "2026-04-01" for e in events(client, since="2026-04-01"))
    first = client.get("/api/events", params={"limit": 3}).json()
    assert len(first["events"]) == 3 and first["next_offset"] == 3
    second = client.get("/api/events", params={"limit": 3, "offset": 3}).json()
    rest = client.get("/api/events", params={"limit": 3, "offset": 6}).json()
    ids = [e["id"] for page in (first, second, rest) for e in page["events"]]
    assert ids == [e["id"] for e in events(client)] and rest["next_offset"] is None
    # FTS5 syntax in a query is searched as words, never run
    assert client.get("/api/events", params={"q": 'Calder OR ")(" NEAR'}).status_code == 200


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 100000}, {"offset": -1},
                                    {"since": "yesterday"}, {"until": "2026-13-01"},
                                    {"q": "x" * 201}])
def test_bad_query_parameters_are_refused_with_422(client, params):
    response = client.get("/api/events", params=params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"
    if "limit" not in params:  # the page takes the same filters, and no limit
        page = client.get("/", params=params)
        assert page.status_code == 422 and "Bad request" in page.text


# --- briefs ---------------------------------------------------------------------------------
def test_event_brief_follows_the_contract_and_cites_stored_articles(client):
    event = seeds_event(client)
    brief = client.get(f"/api/events/{event['id']}").json()
    jsonschema.validate(brief, SCHEMA)
    assert len(brief["sources"]) == 5
    stored = {s["id"] for s in brief["sources"]}
    for sentence in brief["summary"]:
        assert set(sentence["sources"]) <= stored
        for evidence in sentence["evidence"]:
            article = client.get(f"/api/articles/{evidence['article']}").json()["article"]
            assert article["sentences"][evidence["sentence"]]["text"] == evidence["text"]
    assert brief["conflicts"], "the seeds disagree on the evacuation"


@pytest.mark.parametrize("path", ["/api/events/999999", "/api/stories/999999",
                                  "/api/articles/no-such-article"])
def test_unknown_ids_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/events/0", "/api/events/abc", "/api/events/-3",
                                  "/api/stories/1e9", "/events/99999999999999999999999"])
def test_malformed_ids_are_422(client, path):
    assert client.get(path).status_code == 422


# --- stories, articles, search -----------------------------------------------------------------
def test_story_timeline_is_traceable_to_its_articles(client):
    fire = [e for e in events(client) if "Varnholt" in (e["headline"] or "")
            and "Harbour" not in (e["headline"] or "")]
    story_ids = {e["story"] for e in fire}
    assert len(story_ids) == 1  # three Varnholt fire events, one story
    story = client.get(f"/api/stories/{story_ids.pop()}").json()
    assert {e["id"] for e in story["events"]} == {e["id"] for e in fire}
    assert story["timeline"]
    for entry in story["timeline"]:
        article = client.get(f"/api/articles/{entry['article']}").json()["article"]
        assert entry["text"] in article["text"]
        assert entry["article"] in entry["sources"]


def test_article_marks_exactly_the_sentences_its_brief_uses(client):
    event = seeds_event(client)
    brief = client.get(f"/api/events/{event['id']}").json()
    article_id = brief["summary"][0]["quoted_from"]["article"]
    data = client.get(f"/api/articles/{article_id}").json()
    used = {u["index"]: set(u["uses"]) for u in data["used"]}
    assert "summary" in used[brief["summary"][0]["quoted_from"]["sentence"]]
    cited = {e["sentence"] for s in brief["summary"] for e in s["evidence"]
             if e["article"] == article_id}
    assert cited <= set(used)
    assert data["event"] == event["id"] and data["story"] == event["story"]
    page = Page(client.get(f"/articles/{article_id}").text)
    marked = {int(a["id"][2:]) for a in page.all("mark") if (a.get("id") or "").startswith("s-")}
    assert marked == set(used)


def test_search_finds_articles_and_events(client):
    result = client.get("/api/search", params={"q": "girder"}).json()
    assert {h["id"] for h in result["articles"]} == {"hostile-1", "hostile-2"}
    assert all("girder" in h["snippet"].lower() for h in result["articles"])
    assert len(result["events"]) == 1
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": "zzyzx"}).json()["articles"] == []


# --- writing --------------------------------------------------------------------------------
RECORDS = [
    {"id": "post-1", "title": "Dam gates opened at Lake Orvin as river rises",
     "date": "2026-06-01T08:00:00Z", "outlet": "Orvin Post",
     "text": "Engineers opened the gates of the Lake Orvin dam on Monday as the river rose "
             "after three days of rain. Officials said the town was not at risk."},
    {"id": "post-2", "title": "Lake Orvin dam gates opened as river keeps rising",
     "date": "2026-06-01T10:00:00Z", "outlet": "Valley Radio",
     "text": "The gates of the Lake Orvin dam were opened on Monday after three days of "
             "rain made the river rise, engineers said. The town is not at risk."},
]


JSON = {"content-type": "application/json"}


def write_client(path, **options) -> TestClient:
    return TestClient(create_app(str(path), encoder=ENCODER, **options), base_url=BASE_URL)


def test_posted_articles_are_ingested_and_answered_with_their_events(writable_store):
    with write_client(writable_store) as client:
        response = client.post("/api/articles", json=RECORDS)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert answer["read"] == 2 and answer["added"] == 2 and answer["skipped"] == 0
        assert [a["id"] for a in answer["articles"]] == ["post-1", "post-2"]
        assert len({a["event"] for a in answer["articles"]}) == 1
        event = answer["articles"][0]["event"]
        assert events(client)[0]["id"] == event  # newest
        assert len(client.get(f"/api/events/{event}").json()["sources"]) == 2
        # the same articles again, as JSON Lines: nothing new
        lines = "\n".join(json.dumps(r) for r in RECORDS)
        again = client.post("/api/articles", content=lines,
                            headers={"content-type": "application/x-ndjson"}).json()
        assert again["added"] == 0 and again["already"] == 2
        assert [a["event"] for a in again["articles"]] == [event, event]


def test_bad_posts_are_explained(writable_store):
    with write_client(writable_store) as client:
        broken = client.post("/api/articles", content=b'{"id": "x", "text": "ok"\n{nope',
                             headers={"content-type": "application/x-ndjson"})
        assert broken.status_code == 400
        problems = broken.json()["problems"]
        assert any("request body:1" in p for p in problems)
        assert any("request body:2" in p and "invalid JSON" in p for p in problems)
        assert client.post("/api/articles", content=b"", headers=JSON).status_code == 400
        mixed = client.post("/api/articles", content=json.dumps([RECORDS[0], 7]), headers=JSON)
        assert mixed.status_code == 200
        assert mixed.json()["added"] == 1 and mixed.json()["skipped"] == 1
        # half a UTF-16 pair, escaped: valid JSON, not storable text; repaired and said so
        lone = client.post("/api/articles", content=b'[{"id": "lone\\ud800", "text": '
                           b'"A dam on the \\udfff Orvin river was inspected on Monday."}]',
                           headers=JSON)
        assert lone.status_code == 200 and lone.json()["added"] == 1
        assert "surrogate" in lone.json()["problems"][0]
        assert client.get("/api/articles/lone\ufffd").status_code == 200


def test_body_over_the_limit_is_refused_with_413(writable_store):
    with write_client(writable_store, max_body=1000) as client:
        big = json.dumps([{**RECORDS[0], "text": "word " * 400}])
        response = client.post("/api/articles", content=big, headers=JSON)
        assert response.status_code == 413
        assert events(client, q="Orvin") == []

        def chunks():  # no Content-Length: counted as it arrives
            yield big.encode()

        assert client.post("/api/articles", content=chunks(), headers=JSON).status_code == 413


def test_writes_need_loopback_or_the_token(writable_store):
    with write_client(writable_store, loopback=False) as client:
        refused = client.post("/api/articles", json=RECORDS)
        assert refused.status_code == 403 and "NEWSFUSE_TOKEN" in refused.json()["detail"]
    with write_client(writable_store, loopback=False, token="s3cret") as client:
        assert client.post("/api/articles", json=RECORDS).status_code == 401
        assert client.post("/api/articles", json=RECORDS,
                           headers={"authorization": "Bearer wrong"}).status_code == 401
        allowed = client.post("/api/articles", json=RECORDS,
                              headers={"authorization": "Bearer s3cret"})
        assert allowed.status_code == 200 and allowed.json()["added"] == 2


def test_other_sites_cannot_post_through_a_browser(writable_store):
    with write_client(writable_store) as client:
        lines = "\n".join(json.dumps(r) for r in RECORDS)
        # a form or fetch() without a preflight can only send "simple" content types
        plain = client.post("/api/articles", content=lines,
                            headers={"content-type": "text/plain"})
        assert plain.status_code == 415
        foreign = client.post("/api/articles", json=RECORDS,
                              headers={"origin": "https://evil.example"})
        assert foreign.status_code == 403
        assert events(client, q="Orvin") == []
        same = client.post("/api/articles", json=RECORDS,
                           headers={"origin": BASE_URL})
        assert same.status_code == 200


def test_requests_must_name_this_server_in_host(writable_store):
    # DNS rebinding: another site's name, pointed at 127.0.0.1, reaches a loopback server
    # with that name in Host (and a matching Origin); nothing may be read or written.
    with write_client(writable_store) as client:
        evil = {"host": "evil.example:8765", "origin": "http://evil.example:8765"}
        for path in ("/", "/api/events", "/static/newsfuse.css", "/api/openapi.json"):
            assert client.get(path, headers=evil).status_code == 421
        posted = client.post("/api/articles", json=RECORDS, headers=evil)
        assert posted.status_code == 421
        assert events(client, q="Orvin") == []
        for name in ("localhost:8000", "127.0.0.1", "[::1]:8000"):
            assert client.get("/api/events", headers={"host": name}).status_code == 200
    public = create_app(str(writable_store), encoder=ENCODER, loopback=False,
                        host="0.0.0.0", allowed_hosts=["news.example.org"])
    with TestClient(public, base_url="http://news.example.org") as client:
        assert client.get("/api/events").status_code == 200
        assert client.get("/api/events", headers={"host": "evil.example"}).status_code == 421


def test_store_errors_do_not_show_where_the_store_lives(writable_store, monkeypatch):
    from newsfuse.corpus.store import StoreError
    from newsfuse.web.library import Library

    def broken(self, *args, **kwargs):
        raise StoreError(f"{self.path.resolve()}: database disk image is malformed")

    with write_client(writable_store) as client:
        monkeypatch.setattr(Library, "store", broken)
        answer = client.get("/api/events")
        assert answer.status_code == 503
        assert str(writable_store.parent) not in answer.text
        assert writable_store.name in answer.json()["detail"]


def test_a_missing_or_damaged_store_stops_the_server_at_start(tmp_path):
    from newsfuse.corpus.store import StoreError

    with pytest.raises(StoreError, match="no such store"):
        create_app(str(tmp_path / "none.db"))
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="not a newsfuse store"):
        create_app(str(bad))
    assert bad.read_bytes() == b"not a database at all" * 100


# --- hostile text -------------------------------------------------------------------------------
PAGES = ["/", "/?q=girder", "/articles/hostile-1", "/articles/hostile-2"]


def hostile_pages(client) -> list[str]:
    event = events(client, q="girder")[0]
    return [*PAGES, f"/events/{event['id']}", f"/stories/{event['story']}"]


def test_every_response_carries_the_security_headers(client):
    for path in [*hostile_pages(client), "/api/events", "/static/newsfuse.css", "/nowhere"]:
        response = client.get(path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy
        assert "unsafe-inline" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"


def test_hostile_text_is_escaped_on_every_page(client):
    for path in hostile_pages(client):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.text
        page = Page(html)
        assert [a.get("src") for a in page.all("script")] == ["/static/newsfuse.js"], path
        for tag, attrs in page.tags:
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            assert tag not in ("iframe", "object", "img", "svg", "style", "body") or \
                (tag == "body" and not attrs), (path, tag)
            for name in ("href", "src", "action"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), path
        # the payloads are there, as text
        assert "&lt;script&gt;" in html or path.startswith("/stories"), path
        assert "{{ 7*7 }}" not in html or "49" not in html


def test_only_http_urls_become_links(client):
    one = Page(client.get("/articles/hostile-1").text)
    assert not [a for a in one.all("a") if "xss" in (a.get("href") or "")]
    assert "javascript:window.__xss" in client.get("/articles/hostile-1").text  # as text
    two = Page(client.get("/articles/hostile-2").text)
    external = [a["href"] for a in two.all("a") if a.get("class") == "external"]
    assert len(external) == 1 and external[0].startswith("https://example.org/bridge?")
    assert re.search(r'href="https://example\.org/bridge\?a=1&amp;b=&#34;&gt;&lt;script',
                     client.get("/articles/hostile-2").text)


def test_article_ids_with_url_syntax_round_trip(writable_store):
    strange = 'a/b?c=1#d "<x>" %2F'
    with write_client(writable_store) as client:
        answer = client.post("/api/articles", json=[{**RECORDS[0], "id": strange}]).json()
        assert answer["articles"][0]["id"] == strange
        event = answer["articles"][0]["event"]
        page = Page(client.get(f"/events/{event}").text)
        links = [a["href"] for a in page.all("a") if (a.get("href") or "").startswith(
            "/articles/")]
        assert links
        for href in links:
            assert client.get(href.split("#")[0]).status_code == 200
            assert " " not in href and '"' not in href


def test_an_event_of_headlines_only_lists_its_articles_instead_of_a_brief(writable_store):
    headlines = [{"id": f"h{i}", "title": title, "date": f"2026-07-01T1{i}:00:00Z"}
                 for i, title in enumerate(["Quarry blast shakes Orvin valley villages",
                                            "Orvin valley quarry blast felt for miles"], 1)]
    with write_client(writable_store) as client:
        answer = client.post("/api/articles", json=headlines).json()
        event = answer["articles"][0]["event"]
        assert answer["added"] == 2 and events(client)[0]["id"] == event
        assert {a["event"] for a in answer["articles"]} == {event}
        refused = client.get(f"/api/events/{event}")
        assert refused.status_code == 422 and "no brief" in refused.json()["detail"]
        page = client.get(f"/events/{event}")
        assert page.status_code == 200 and "No brief can be made" in page.text
        assert all(item["title"] in page.text for item in headlines)
        assert client.get("/api/articles/h1").json()["used"] == []


@pytest.mark.parametrize("bad_id", ["line\nbreak", "x" * 600, "tab\there", "nul\x00"])
def test_ids_a_page_could_not_answer_for_are_renamed_with_a_warning(writable_store, bad_id):
    from urllib.parse import quote

    record = {**RECORDS[0], "id": bad_id}
    with write_client(writable_store) as client:
        answer = client.post("/api/articles", json=[record]).json()
        stored = answer["articles"][0]["id"]
        assert stored == "request:1"
        assert any("control characters" in p for p in answer["problems"]), answer
        page = client.get("/articles/" + quote(stored, safe=""))
        assert page.status_code == 200


def test_a_post_while_another_process_writes_answers_503_with_retry_after(writable_store,
                                                                          monkeypatch):
    import fcntl

    from newsfuse import settings

    monkeypatch.setattr(settings, "SERVE_WRITE_WAIT", 0.3)
    with write_client(writable_store) as client, \
            open(f"{writable_store}.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # an ingest running in another process
        busy = client.post("/api/articles", json=RECORDS)
        assert busy.status_code == 503
        assert busy.headers["retry-after"] == str(settings.SERVE_RETRY_AFTER)
        assert "another ingest is writing" in busy.json()["detail"]
        fcntl.flock(held, fcntl.LOCK_UN)
        assert client.post("/api/articles", json=RECORDS).status_code == 200
