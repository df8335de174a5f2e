"""The store's brief cache answers only for the options a brief was made with (seeds)."""

from __future__ import annotations

import newsfuse
from newsfuse.corpus.store import Store


def test_cached_brief_is_keyed_on_options_and_version(tmp_path, seeds, monkeypatch):
    with Store(tmp_path / "s.db") as store:
        store.ingest(seeds)
        event = store.events()[0]["id"]
        size = store.event_articles(event)
        assert store.cache_brief(event, '{"made": "tfidf"}', size, encoder="tfidf", words=None)
        assert store.cached_brief(event, encoder="tfidf") == '{"made": "tfidf"}'
        assert store.cached_brief(event, encoder="minilm") is None
        assert store.cached_brief(event, encoder="tfidf", words=80) is None
        assert store.cached_brief(event) is None
        monkeypatch.setattr(newsfuse, "__version__", "99.0")
        assert store.cached_brief(event, encoder="tfidf") is None
