"""Events, stories and near-duplicates on real data: the seeds, UCI headlines, Timeline17."""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import timedelta

import pytest
from sklearn.metrics.cluster import contingency_matrix

import newsfuse
from newsfuse import settings
from newsfuse.cli import main
from newsfuse.corpus.dedup import find_copies
from tests.conftest import EXAMPLES, SEEDS, TIMELINE17, UCI


@pytest.fixture(scope="module")
def headlines() -> list:
    return list(newsfuse.read([UCI]))


def bcubed_f1(pred: list[str], true: list[str]) -> float:
    m = contingency_matrix(true, pred).astype(float)
    precision = (m ** 2 / m.sum(0)[None, :]).sum() / m.sum()
    recall = (m ** 2 / m.sum(1)[:, None]).sum() / m.sum()
    return 2 * precision * recall / (precision + recall)


def test_seeds_are_one_story(seeds):
    result = newsfuse.cluster(seeds)
    assert len({a.story for a in result}) == 1
    assert [a.id for a in result] == [a.id for a in seeds]
    undated = [a.id for a in result if a.undated]
    assert undated == [a.id for a in seeds if a.date is None] and undated
    assert any("without a date" in w for w in result.warnings)


def test_uci_headlines_cluster_close_to_gold(headlines):
    gold = {row["ID"]: row["STORY"] for row in csv.DictReader(UCI.open(encoding="utf-8"))}
    result = newsfuse.cluster(headlines)
    f1 = bcubed_f1([a.event for a in result], [gold[a.id] for a in result])
    assert f1 >= 0.8
    # content decides: without the dates (all within two days) nearly the same
    undated = [dataclasses.replace(a, date=None) for a in headlines]
    result = newsfuse.cluster(undated)
    assert bcubed_f1([a.event for a in result], [gold[a.id] for a in result]) >= 0.8


def test_url_slug_words_of_real_links():
    from newsfuse.corpus.features import url_slug

    rows = {row["ID"]: row["URL"] for row in csv.DictReader(UCI.open(encoding="utf-8"))}
    # slugs from links in the UCI file: edition codes, dates, ids and suffixes dropped
    assert url_slug(rows["1"]) == "federal reserve plosser stimulus economy"
    assert url_slug(rows["2"]).startswith("Feds Charles Plosser sees high bar")
    # no slug: a numeric id, or a two-word section
    assert url_slug("http://www.courier-journal.com/usatoday/article/6284805") == ""
    assert url_slug("http://stream.wsj.com/story/latest-headlines/SS-2-63399/") == ""
    assert url_slug(None) == url_slug("not a url") == ""
    # percent-encoded letters are letters: a French link keeps its accented words
    french = url_slug("https://www.lemonde.fr/afrique/article/2013/07/03/"
                      "%C3%A9gypte-l-arm%C3%A9e-destitue-morsi_3441.html")
    assert french == "égypte armée destitue morsi"


def test_headline_links_help_and_bodies_ignore_them(headlines, seeds):
    """A headline-only record clusters on its link's slug too: it lifts B-cubed F1 on the
    UCI headlines. An article with a body keeps its features whatever its URL says."""
    from newsfuse.corpus.features import term_counts

    gold = {row["ID"]: row["STORY"] for row in csv.DictReader(UCI.open(encoding="utf-8"))}
    unlinked = [dataclasses.replace(a, url=None) for a in headlines]
    scores = [bcubed_f1([a.event for a in newsfuse.cluster(batch)],
                        [gold[a.id] for a in batch]) for batch in (unlinked, headlines)]
    assert scores[1] > scores[0] + 0.005
    article = seeds[0]
    assert article.text
    assert term_counts(dataclasses.replace(article, url="https://x.example/a-b-c-unrelated-"
                                           "words-here")) == term_counts(article)


def test_distant_days_make_separate_events_in_one_story(headlines):
    """The same story a week later is a new event of the story; after a silence longer
    than the story window, a new story."""
    story = [a for a in headlines if "Titanfall" in (a.title or "")][:20]
    later = [dataclasses.replace(a, id=f"w-{a.id}", date=a.date + timedelta(days=7))
             for a in story]
    silence = timedelta(days=7 + settings.STORY_WINDOW_DAYS + 1)
    much_later = [dataclasses.replace(a, id=f"m-{a.id}", date=a.date + silence)
                  for a in story]
    result = {a.id: a for a in newsfuse.cluster(story + later + much_later)}
    first, week, month = (result[story[0].id], result[f"w-{story[0].id}"],
                          result[f"m-{story[0].id}"])
    assert first.event != week.event
    assert month.story != first.story


def test_cluster_is_deterministic_and_folds_copies(headlines):
    sample = headlines[:600]
    again = [dataclasses.replace(a, id=f"again-{a.id}") for a in sample[:50]]
    one = newsfuse.cluster(sample + again)
    two = newsfuse.cluster(sample + again)
    assert one.assignments == two.assignments
    by_id = {a.id: a for a in one}
    for copy in again:  # of two identical reports of one moment, either is the copy
        assigned, first = by_id[copy.id], by_id[copy.id.removeprefix("again-")]
        assert assigned.copy_of is not None or first.copy_of == assigned.id
        assert assigned.event == first.event


def test_minhash_finds_republished_wire_copy(seeds):
    base = seeds[0]
    trimmed = dataclasses.replace(base, id="republished",
                                  text=base.text[: int(len(base.text) * 0.9)])
    assert find_copies([base, trimmed, seeds[1]]) == {"republished": base.id}


def test_duplicate_ids_are_renamed_and_reported(seeds):
    twin = dataclasses.replace(seeds[1], id=seeds[0].id)
    result = newsfuse.cluster([seeds[0], twin])
    assert result.assignments[1].id == f"{seeds[0].id}~2"
    assert any("duplicate id" in w for w in result.warnings)


def test_timeline17_articles_cluster_into_several_events():
    articles = list(newsfuse.read([TIMELINE17 / "H1N1_guardian" / "articles.json"]))
    result = newsfuse.cluster(articles)
    events = {a.event for a in result}
    assert 1 < len(events) < len(articles)


def test_cluster_cli_jsonl_one_line_per_article_in_order(capsys):
    assert main(["cluster", "-q", str(SEEDS)]) == 0
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert [x["id"] for x in lines] == sorted(x["id"] for x in lines)
    assert {"id", "event", "story", "copy_of", "undated"} <= set(lines[0])
    assert "1 event(s)" in err


def test_cluster_cli_on_examples_md(capsys):
    assert main(["cluster", "--format", "md", str(EXAMPLES)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ") and "### Event" in out


def test_corpus_markdown_escapes_article_text(seeds):
    """Titles, ids, headlines and timeline entries come from articles: in Markdown their
    Markdown and HTML control characters are escaped, as in a brief."""
    from newsfuse.model import TimelineEntry
    from newsfuse.render.corpus import (
        assignments_to_markdown,
        events_to_markdown,
        timeline_to_markdown,
    )

    hostile = "<script>alert(1)</script> | [x](javascript:y) *z*"
    article = dataclasses.replace(seeds[0], id="a<b>", title=hostile)
    result = newsfuse.cluster([article, *seeds[1:]])
    for out in (assignments_to_markdown(list(result), {"a<b>": hostile}),
                events_to_markdown([{"id": 1, "story": 1, "last": None, "first": None,
                                     "articles": 1, "independent_sources": 1,
                                     "headline": hostile}]),
                timeline_to_markdown([TimelineEntry(date="2019-12-31", text=hostile,
                                                    sources=("a<b>",))])):
        assert "<script>" not in out and "<b>" not in out and "[x](" not in out
        assert "\\<script\\>" in out


def test_feature_buckets_are_sklearn_murmurhash3(seeds):
    """Terms are hashed into buckets with spaCy's MurmurHash3 binding: the buckets
    scikit-learn's murmurhash3_32 gives (whose import alone took a CPU-second)."""
    import re

    from sklearn.utils import murmurhash3_32

    from newsfuse.corpus.engine import BUCKETS
    from newsfuse.corpus.features import _bucket

    terms = {t for a in seeds for t in re.findall(r"\S+", a.text)} | {"Bagdad", "é", "ß", ""}
    assert len(terms) > 1000
    for term in terms:
        assert _bucket(term) == murmurhash3_32(term, seed=0, positive=True) & (BUCKETS - 1)
