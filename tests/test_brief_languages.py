"""Briefs in the story's language: a Spanish day and a French day of ML-Crisis news (Egypt,
from ../shared/data/cltls-dev), read and briefed from the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import newsfuse
from newsfuse.cli import main
from newsfuse.text.languages import stop_words
from tests.conftest import DATA

CLTLS = DATA / "cltls-dev"


def _day(tmp_path: Path, topic: str, day: str) -> Path:
    rows = [line for line in (CLTLS / topic / "articles.jsonl").read_text().splitlines()
            if json.loads(line)["date"] == day]
    assert len(rows) >= 3
    path = tmp_path / f"{topic}-{day}.jsonl"
    path.write_text("\n".join(rows) + "\n")
    return path


def _in_language(text: str, language: str) -> bool:
    """Most of a sentence's function words are the language's own."""
    words = re.findall(r"\w+", text.lower())
    own = sum(w in stop_words(language) for w in words)
    english = sum(w in {"the", "and", "of", "to", "is", "was", "in", "that"} for w in words)
    return own >= 2 and own > 2 * english


@pytest.mark.parametrize(("topic", "day", "language"), [
    ("es-egypt", "2011-02-11", "es"),   # Mubarak steps down
    ("fr-egypt", "2013-07-08", "fr"),   # clashes after Morsi's removal
])
def test_brief_of_a_day_in_its_language(tmp_path, capsys, topic, day, language):
    path = _day(tmp_path, topic, day)
    assert main(["brief", "--format", "json", str(path)]) == 0
    brief = json.loads(capsys.readouterr().out)  # the largest event's brief
    sentences = brief["summary"]
    assert len(sentences) >= 3
    articles = {a.id: a for a in newsfuse.read([path])}
    for sentence in sentences:
        # quoted word for word from an article in the language, citing it
        quoted = sentence["quoted_from"]["article"]
        assert sentence["text"] in articles[quoted].text
        assert quoted in sentence["sources"]
        assert _in_language(sentence["text"], language)
        assert 1 <= sentence["independent_sources"] <= len(sentence["sources"])
    # the summary leans on what several sources report
    assert max(len(s["sources"]) for s in sentences) >= 2
    notes = " ".join(brief["warnings"])
    name = {"es": "Spanish", "fr": "French"}[language]
    assert f"{name}: quotes found by {name} quotation marks" in notes
    # a day this size is compared by the multilingual encoder, not by words alone
    assert brief["language"] == language and "no paraphrase model" not in notes


def test_french_brief_has_dated_events_quotes_and_names(tmp_path):
    articles = list(newsfuse.read([_day(tmp_path, "fr-egypt", "2013-07-08")]))
    brief = newsfuse.brief(articles, encoder="tfidf")
    assert brief.language == "fr"
    # "lundi" in a report of Monday 8 July is that day; "dimanche soir" the day before
    assert {"2013-07-08", "2013-07-07"} <= {e.date for e in brief.timeline}
    assert any(q.speaker for q in brief.quotes)
    names = {e.name for e in brief.entities}
    assert any("Morsi" in n for n in names)
    assert all(f.text for f in brief.facts)


def test_spanish_brief_quotes_only_spanish_and_says_french_is_compared_by_words(tmp_path):
    spanish = list(newsfuse.read([_day(tmp_path, "es-egypt", "2011-02-11")]))
    french = list(newsfuse.read([_day(tmp_path, "fr-egypt", "2013-07-08")]))[:1]
    brief = newsfuse.brief([*spanish, french[0]], events="together", encoder="tfidf")
    assert brief.language == "es"
    # the French report is a source, but the summary is written in Spanish only
    assert french[0].id in {s.id for s in brief.sources}
    assert all(s.article_id != french[0].id for s in brief.summary)
    # TF-IDF cannot compare the two languages: the brief says so
    assert any("2 languages" in w and "not multilingual" in w for w in brief.warnings)
