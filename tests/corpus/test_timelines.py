"""Timeline summaries of long-running topics, on a Timeline17 collection."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import pytest

import newsfuse
from newsfuse import settings, timelines
from newsfuse.cli import main
from newsfuse.model import Article
from newsfuse.timelines import TimelineSettings
from tests.conftest import TIMELINE17

COLLECTION = TIMELINE17 / "H1N1_guardian"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def reference_dates() -> set[str]:
    path = next(COLLECTION.glob("*.timeline.json"))
    return {e["date"][:10] for e in json.loads(path.read_text())}


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """The collection's articles within its reference timeline's span (the news-tls input)."""
    reference = reference_dates()
    return [a for a in newsfuse.read([COLLECTION / "articles.json"], on_problem=lambda p: None)
            if a.date and min(reference) <= a.date.date().isoformat() <= max(reference)]


def test_timeline_picks_dates_journalists_picked(articles):
    entries = newsfuse.timeline(articles, dates=12, sentences=2)
    days = {e.date for e in entries}
    assert len(days) == 12
    assert all(sum(e.date == d for e in entries) <= 2 for d in days)
    assert len(days & reference_dates()) >= 6  # Date-F1 of at least 0.5


def test_entries_are_traceable_distinct_and_in_range(articles):
    entries = newsfuse.timeline(articles, dates=12, sentences=2)
    texts = [e.text for e in entries]
    assert len(set(texts)) == len(texts)  # nothing said twice, on any day
    by_id = {a.id: a for a in articles}
    text_of = {(a.id, s.index): s.text for a in articles for s in a.sentences}
    published = [a.date.date() for a in articles if a.date]
    for e in entries:
        # the source's own words (a live page's time stamp cut from the start)
        assert text_of[(e.article_id, e.sentence_index)].endswith(e.text)
        assert e.article_id in e.sources and set(e.sources) <= set(by_id)
        day = date.fromisoformat(e.date)
        # Never a day after the latest report (a forecast), never long before the first.
        assert max(published) >= day
        assert day >= min(published) - timedelta(days=settings.TLS_SPAN_MARGIN_DAYS)
        if e.expression:  # a named day: the sentence says it
            assert e.expression in e.text
    assert [e.date for e in entries] == sorted(e.date for e in entries)


def test_relative_dates_resolved_against_publication(articles):
    entries = newsfuse.timeline(articles, dates=20, sentences=3)
    published = {a.id: a.date.date() for a in articles if a.date}
    checked = 0
    for e in entries:
        words = e.expression.lower().split()
        day, base = date.fromisoformat(e.date), published[e.article_id]
        if "yesterday" in words:
            assert day == base - timedelta(days=1)
        elif "today" in words:
            assert day == base
        elif any(w in WEEKDAYS for w in words):
            named = next(w for w in words if w in WEEKDAYS)
            assert WEEKDAYS[day.weekday()] == named and abs((day - base).days) <= 7
        else:
            continue
        checked += 1
    assert checked >= 3  # the reports date events relative to their own day


def test_prepared_input_gives_the_same_timeline_for_the_same_settings(articles):
    prepared = timelines.prepare(articles)
    assert prepared is not None
    shipped = timelines.select(prepared, dates=8, sentences=2)
    assert shipped == newsfuse.timeline(articles, dates=8, sentences=2)
    # Volume alone and naming alone rank days differently on real reports.
    by_volume = timelines.rank_dates(prepared, TimelineSettings(publication_weight=100.0))
    by_naming = timelines.rank_dates(prepared, TimelineSettings(publication_weight=0.0))
    assert [d for d, _ in by_volume[:8]] != [d for d, _ in by_naming[:8]]


def test_undated_or_empty_input_gives_no_timeline(articles):
    undated = [dataclasses.replace(a, date=None) for a in articles[:5]]
    assert newsfuse.timeline(undated, dates=3) == ()
    assert timelines.summarize_timeline([], dates=3) == ()
    assert timelines.summarize_timeline(articles, dates=0) == ()


def test_a_single_report_dates_its_event(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({
        "id": "one", "date": "2020-05-06",
        "text": "The council voted on Monday to close the old bridge for repairs, officials "
                "said. Work on the bridge is expected to take a year."}) + "\n")
    entries = newsfuse.timeline(newsfuse.read([path]), dates=3)
    first = entries[0]
    assert (first.date, first.expression, first.sentence_index) == ("2020-05-04", "on Monday", 0)


def test_timeline_cli_json_contract(capsys):
    code = main(["timeline", "-q", "--dates", "5", "--sentences", "1", "--format", "json",
                 str(COLLECTION / "articles.json")])
    out, err = capsys.readouterr()
    assert code == 1 and "skipped 1 (1 record without text)" in err  # one empty record
    data = json.loads(out)
    assert len(data["timeline"]) == 5
    assert all(set(e) == {"date", "text", "sources"} for e in data["timeline"])


def test_timeline_html_escapes_article_text(tmp_path, capsys):
    hostile = tmp_path / "a.jsonl"
    hostile.write_text(json.dumps({
        "id": "x", "date": "2020-05-04",
        "text": "On Monday the <script>alert(1)</script> council voted to close the old "
                "bridge for repairs. The vote was unanimous and the work starts in June."})
        + "\n")
    assert main(["timeline", "-q", "--format", "html", str(hostile)]) == 0
    out = capsys.readouterr().out
    assert "<script>alert" not in out and "&lt;script&gt;" in out
