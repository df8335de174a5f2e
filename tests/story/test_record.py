"""The story record: built once per brief, read by every stage, copies found once."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pytest

import newsfuse
import newsfuse.fuse
import newsfuse.story.entities
import newsfuse.story.facts
import newsfuse.story.record
from newsfuse.story.record import Story, build_story
from tests.conftest import DATA

# The AFP report carried by Arab News (000) shares four sentences with AFP's own (004).
SEED_COPY, SEED_ORIGINAL = "000_bd98dad733cf9988", "004_94d6eaee0d9c179d"


@pytest.fixture(scope="module")
def seed_story(seeds) -> Story:
    return build_story([a for a in seeds if a.sentences], "en", "tfidf")


def _spy(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, calls: Counter[str],
         stories: list[Story] | None = None) -> None:
    """Count the calls of ``module.name`` and keep every Story it is given."""
    inner = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        if stories is not None:
            stories.extend(a for a in (*args, *kwargs.values()) if isinstance(a, Story))
        return inner(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)


def test_one_record_per_brief_read_by_every_stage(monkeypatch, seeds):
    calls: Counter[str] = Counter()
    built: list[Story] = []
    given: list[Story] = []
    inner = newsfuse.fuse.build_story

    def build(*args: Any, **kwargs: Any) -> Story:
        built.append(inner(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(newsfuse.fuse, "build_story", build)
    for name in ("select_summary", "summary_sentences", "facts_layer"):
        _spy(monkeypatch, newsfuse.fuse, name, calls, given)
    for name in ("story_entities", "story_quotes", "story_conflicts", "figure_conflicts",
                 "assertion_conflicts", "key_figures", "story_timeline"):
        _spy(monkeypatch, newsfuse.story.facts, name, calls, given)
    for name in ("find_copies", "copy_groups", "near_identical"):
        _spy(monkeypatch, newsfuse.story.record, name, calls)
    for name in ("find_mentions", "entities_by_key"):
        _spy(monkeypatch, newsfuse.story.entities, name, calls)

    brief = newsfuse.brief(seeds, encoder="tfidf", events="together")

    assert len(built) == 1
    assert len(given) == 10 and all(story is built[0] for story in given)
    # copies, their groups and the near-identical pairs behind both: once per brief
    assert calls["find_copies"] == calls["copy_groups"] == calls["near_identical"] == 1
    # the entity mentions (with the language model's names) and the merged entities serve
    # both the entity list and the quotes' speakers
    assert calls["find_mentions"] == calls["entities_by_key"] == 1
    assert brief.entities and brief.quotes and brief.conflicts and brief.timeline


def test_summary_only_brief_leaves_the_facts_unread(monkeypatch, seeds):
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a summary-only brief has no use for entity mentions")

    monkeypatch.setattr(newsfuse.story.entities, "find_mentions", refuse)
    brief = newsfuse.brief(seeds, encoder="tfidf", events="together", facts=False)
    assert brief.summary and not brief.entities


def test_copies_count_once_wherever_the_story_counts_sources(seed_story):
    story = seed_story
    ids = story.article_ids
    assert [(r.copy, r.original) for r in story.copies] == [(SEED_COPY, SEED_ORIGINAL)]
    group = dict(zip(ids, story.copy_group, strict=True))
    assert group[SEED_COPY] == group[SEED_ORIGINAL]
    assert len({group[i] for i in ids}) == len(ids) - 1
    assert story.independent([SEED_COPY, SEED_ORIGINAL]) == 1
    assert story.independent(ids) == len(ids) - 1
    copy_rows = story.article_of == ids.index(SEED_COPY)
    assert story.is_copy[copy_rows].all() and not story.is_copy[~copy_rows].any()
    # a claim the copy and its original share counts them as one source
    shared = [c for c in story.claims if {SEED_COPY, SEED_ORIGINAL} <= set(c.sources)]
    assert shared
    assert all(c.independent <= len(set(c.sources)) - 1 for c in shared)


def test_rows_claims_and_quotes_line_up(seed_story):
    story = seed_story
    assert len(story.sentences) == len(story.article_of) == len(story.texts)
    assert sorted(r for rows in story.members for r in rows) == list(range(len(story.sentences)))
    for claim, rows in zip(story.claims, story.members, strict=True):
        assert [story.refs[r] for r in sorted(rows)] == sorted(
            (s.article_id, s.index) for s in claim.sentences)
        expected = claim.id if len(rows) > 1 else -1
        assert all(story.claim_of[r] == expected for r in rows)
    quoted = [s.text for s, q in zip(story.sentences, story.in_quote, strict=True) if q]
    assert quoted and all(any(mark in t for mark in '"“”«»„—') for t in quoted)
    with pytest.raises(ValueError):
        story.is_copy[0] = True  # the record is read-only, arrays included


def test_other_languages_are_cited_not_quoted():
    # cltls-dev: the Spanish and French reports of one day on Yemen (2011-03-10), told in Spanish.
    days = {}
    for lang in ("es", "fr"):
        for article in newsfuse.read([DATA / "cltls-dev" / f"{lang}-yemen" / "articles.jsonl"]):
            if article.sentences and article.date and article.date.date().isoformat() \
                    == "2011-03-10":
                days.setdefault(lang, []).append(article)
    assert days.get("es") and days.get("fr")
    story = build_story(days["es"] + days["fr"], "es", "tfidf")
    french = np.asarray(story.languages == "fr")
    assert french.any() and (~french).any()
    assert all(story.texts[r] == "" for r in np.flatnonzero(french))
    assert all(story.texts[r] == story.sentences[r].text for r in np.flatnonzero(~french))
