"""Non-English events in the store, the CLI, the API and the pages: briefs in their
language with ``lang`` set, and search that finds words in any language, accents or not."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest

import newsfuse
from newsfuse.cli import main
from newsfuse.corpus.store import MIGRATIONS, SCHEMA_VERSION, Store
from newsfuse.render.brief_json import brief_to_dict
from tests.conftest import DATA, ROOT, SEEDS
from tests.web.conftest import BASE_URL

SCHEMA = json.loads((ROOT / "src" / "newsfuse" / "schemas" / "brief.schema.json").read_text())
POSTS = ("es-yemen-2011-04-27-gv_6", "fr-yemen-2011-04-27-gv_2")


def posts_file(folder: Path) -> Path:
    """The Spanish Global Voices post on the Taiz protests and its French translation."""
    lines = [line for lang in ("es", "fr")
             for line in (DATA / "cltls-dev" / f"{lang}-yemen" / "articles.jsonl")
             .read_text(encoding="utf-8").splitlines()
             if json.loads(line)["id"] in POSTS]
    path = folder / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("languages")
    path = folder / "news.db"
    with Store(path) as store:
        store.ingest(newsfuse.read([SEEDS, posts_file(folder)]))
    return path


def event_of(path: Path, article: str) -> int:
    with Store(path, readonly=True) as store:
        return int(store.db.execute("SELECT event FROM articles WHERE id = ?",
                                    (article,)).fetchone()[0])


@pytest.fixture(scope="module")
def client(store_path: Path):
    from fastapi.testclient import TestClient

    from newsfuse.web import create_app

    with TestClient(create_app(str(store_path)), base_url=BASE_URL) as test_client:
        yield test_client


def test_translations_are_one_stored_event(store_path):
    assert event_of(store_path, POSTS[0]) == event_of(store_path, POSTS[1])
    with Store(store_path, readonly=True) as store:
        events = {int(r[0]) for r in store.db.execute("SELECT DISTINCT event FROM articles")}
    assert len(events) >= 2  # the English seeds are an event of their own


def test_cli_briefs_a_stored_spanish_event(store_path, capsys):
    event = event_of(store_path, POSTS[0])
    assert main(["brief", "--db", str(store_path), "--event", str(event), "--format",
                 "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, SCHEMA)
    assert data["language"] in ("es", "fr")
    assert {s["language"] for s in data["sources"]} == {"es", "fr"}
    assert main(["brief", "--db", str(store_path), "--event", str(event), "--language", "fr",
                 "--format", "json"]) == 0
    french = json.loads(capsys.readouterr().out)
    assert french["language"] == "fr"
    assert all(s["quoted_from"]["article"] == POSTS[1] for s in french["summary"])


def test_api_serves_the_brief_in_its_language(client, store_path):
    event = event_of(store_path, POSTS[0])
    response = client.get(f"/api/events/{event}?language=es")
    assert response.status_code == 200
    brief = response.json()
    jsonschema.validate(brief, SCHEMA)
    assert brief["language"] == "es"
    assert all(s["quoted_from"]["article"] == POSTS[0] for s in brief["summary"])
    cited = [e for s in brief["summary"] for e in s["evidence"] if e["language"] == "fr"]
    assert cited, "the French translation supports the Spanish sentences"
    for evidence in cited:
        article = client.get(f"/api/articles/{evidence['article']}").json()["article"]
        assert article["sentences"][evidence["sentence"]]["text"] == evidence["text"]
    refused = client.get(f"/api/events/{event}?language=de")
    assert refused.status_code == 404 and "no article in language 'de'" in \
        refused.json()["detail"]
    assert client.get(f"/api/events/{event}?language=d1").status_code == 422


def test_event_page_sets_lang_on_the_brief_and_each_quoted_sentence(client, store_path):
    event = event_of(store_path, POSTS[0])
    page = client.get(f"/events/{event}?language=es").text
    assert '<article class="brief" lang="es">' in page
    assert '<q lang="fr">' in page  # the French source's own sentence, marked as French
    assert 'class="renderings"' in page
    article = client.get(f"/articles/{POSTS[1]}").text
    assert '<div class="text" lang="fr">' in article


def test_english_event_page_is_english(client):
    events = client.get("/api/events").json()["events"]
    english = max(events, key=lambda e: e["articles"])  # the five seed reports
    brief = client.get(f"/api/events/{english['id']}").json()
    assert brief["language"] == "en"
    assert '<article class="brief" lang="en">' in client.get(f"/events/{english['id']}").text


def test_search_finds_words_without_their_accents(store_path):
    with Store(store_path, readonly=True) as store:
        found = {hit["id"] for hit in store.search("Yemen")}
        assert POSTS[1] in found  # written "Yémen"
        assert POSTS[0] in {hit["id"] for hit in store.search("regimen")}  # "régimen"
        assert {e["id"] for e in store.events(query="yemen")} == {
            event_of(store_path, POSTS[0])}


def test_older_store_gets_the_new_search_index(tmp_path):
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for target, script in MIGRATIONS:
        if target < 7:
            conn.executescript(script)
    conn.execute("PRAGMA user_version = 6")
    conn.execute("INSERT INTO events(id, story, size) VALUES (1, 1, 1)")
    conn.execute("INSERT INTO articles(id, source_id, fingerprint, title, text, record, event, "
                 "added) VALUES ('a', 'a', 'f', 'Égypte', 'Bão lũ ở miền Trung Việt Nam', "
                 "'{}', 1, '2026-01-01')")
    conn.execute("INSERT INTO search(rowid, title, text) SELECT rowid, title, text FROM articles")
    conn.execute("INSERT INTO placement(article, event) SELECT rowid, event FROM articles")
    count = "SELECT COUNT(*) FROM search WHERE search MATCH ?"
    assert conn.execute(count, ("egypte",)).fetchone()[0] == 1
    assert conn.execute(count, ("viet",)).fetchone()[0] == 0  # two diacritics: not folded
    conn.close()
    with Store(db) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        sql = store.db.execute("SELECT sql FROM sqlite_master WHERE name = 'search'").fetchone()
        assert "remove_diacritics 2" in sql[0]
        assert [h["id"] for h in store.search("EGYPTE")] == ["a"]
        assert [h["id"] for h in store.search("viet nam")] == ["a"]


def test_brief_cached_before_languages_is_served_with_them(tmp_path):
    from fastapi.testclient import TestClient

    from newsfuse.web import create_app

    path = tmp_path / "news.db"
    with Store(path) as store:
        store.ingest(newsfuse.read([SEEDS]))
        event = store.events()[0]["id"]
        made = newsfuse.brief(store.articles(event=event), encoder="tfidf", events="together")
        old = json.loads(json.dumps(brief_to_dict(made)))
        del old["language"]  # as a brief of schema 1.1 was cached
        for sentence in old["summary"]:
            for evidence in sentence["evidence"]:
                del evidence["language"]
        store.cache_brief(event, json.dumps(old), len(store.articles(event=event)),
                          encoder="auto")
    with TestClient(create_app(str(path)), base_url=BASE_URL) as client:
        brief = client.get(f"/api/events/{event}").json()
        jsonschema.validate(brief, SCHEMA)
        assert brief["language"] == "en" and brief["headline"] == made.headline
        assert all(e["language"] == "en" for s in brief["summary"] for e in s["evidence"])
        assert '<article class="brief" lang="en">' in client.get(f"/events/{event}").text
