"""Timeline summaries of long-running topics, on a Timeline17 collection."""

from __future__ import annotations

import json
from datetime import date

import newsfuse
from newsfuse.cli import main
from tests.conftest import TIMELINE17

COLLECTION = TIMELINE17 / "H1N1_guardian"


def reference_dates() -> set[str]:
    path = next(COLLECTION.glob("*.timeline.json"))
    return {e["date"][:10] for e in json.loads(path.read_text())}


def test_timeline_picks_dates_journalists_picked():
    reference = reference_dates()
    articles = [a for a in newsfuse.read([COLLECTION / "articles.json"])
                if a.date and min(reference) <= a.date.date().isoformat() <= max(reference)]
    entries = newsfuse.timeline(articles, dates=12, sentences=2)
    days = {e.date for e in entries}
    assert len(days) == 12
    assert all(sum(e.date == d for e in entries) <= 2 for d in days)
    assert len(days & reference) >= 6  # Date-F1 of at least 0.5
    texts = [e.text for e in entries]
    assert len(set(texts)) == len(texts)  # nothing said twice
    ids = {a.id for a in articles}
    text_of = {(a.id, s.index): s.text for a in articles for s in a.sentences}
    for e in entries:
        date.fromisoformat(e.date)
        assert set(e.sources) <= ids
        assert text_of[(e.article_id, e.sentence_index)] == e.text  # traceable


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
