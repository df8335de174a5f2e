"""Mixed input is never fused: a brief's input is split into its events first.

Real data only: the five seeds (the Baghdad embassy storming), a Multi-News dev cluster
(c150: two reports of a UCLA study on sex addiction) and the three Guardian reports of one
Timeline17 day (2009-06-11: the WHO declares swine flu a pandemic), read from ../shared/data.
"""

from __future__ import annotations

from datetime import date

import pytest

import newsfuse
from newsfuse.encode import CachedEncoder, get_encoder
from newsfuse.split import article_links, group_events, split_input
from tests.conftest import DATA, TIMELINE17

MULTINEWS = DATA / "multinews-dev"
PANDEMIC_DAY = date(2009, 6, 11)


@pytest.fixture(scope="module")
def sources(seeds: list) -> dict[str, list]:
    study = [a for a in newsfuse.read([MULTINEWS / "c150.json"]) if a.sentences]
    flu = [a for a in newsfuse.read([TIMELINE17 / "H1N1_guardian" / "articles.json"])
           if a.date is not None and a.date.date() == PANDEMIC_DAY]
    assert len(study) == 2 and len(flu) == 3
    return {"seeds": seeds, "study": study, "flu": flu}


@pytest.fixture(scope="module")
def encoder() -> CachedEncoder:
    """The encoder ``auto`` picks for inputs this small (MiniLM when installed), shared so
    that each sentence is encoded once for the whole module."""
    return CachedEncoder(get_encoder("auto", 100))


@pytest.fixture(scope="module")
def mixed(sources: dict[str, list]) -> list:
    # interleaved, so that input order says nothing about the events
    groups = [sources["flu"], sources["seeds"], sources["study"]]
    return [g[i] for i in range(5) for g in groups if i < len(g)]


def test_mixed_input_split_into_its_sources(sources, mixed, encoder):
    found = split_input(mixed, encoder)
    assert [set(e.ids) for e in found] == [
        {a.id for a in sources[name]} for name in ("seeds", "flu", "study")]
    assert [e.number for e in found] == [1, 2, 3]  # largest first


@pytest.mark.parametrize("name", ["seeds", "study", "flu"])
def test_one_event_is_not_split(sources, name, encoder):
    assert len(split_input(sources[name], encoder)) == 1


def test_brief_of_largest_event_names_every_left_out_article(sources, mixed):
    brief = newsfuse.brief(mixed, facts=False)
    assert {s.id for s in brief.sources} == {a.id for a in sources["seeds"]}
    note = next(w for w in brief.warnings if "left out" in w)
    for article in sources["flu"] + sources["study"]:
        assert article.id in note
    assert "3 events" in note


def test_all_events_briefed_largest_first(sources, mixed):
    found = newsfuse.brief(mixed, events="all", encoder="tfidf", facts=False)
    assert len(found.briefs) == 3
    sizes = [len(e.articles) for e in found.events]
    assert sizes == sorted(sizes, reverse=True)
    for event in found.events:
        assert event.brief is not None
        assert {s.id for s in event.brief.sources} == set(event.ids)
        assert not any("left out" in w for w in event.brief.warnings)


def test_together_fuses_everything_and_bad_choices_refused(mixed):
    brief = newsfuse.brief(mixed, events="together", encoder="tfidf", facts=False)
    assert len(brief.sources) == len(mixed)
    with pytest.raises(newsfuse.UsageError):
        newsfuse.brief(mixed, events="several")  # type: ignore[call-overload]


def test_a_short_notice_is_not_the_main_event_beside_a_full_report(encoder):
    """Multi-News c215: a web archive's crawl notice (5 sentences) listed before the one
    report (a man who solved his own missing-person case). The report is event 1, the one
    a brief covers, whichever comes first."""
    articles = [a for a in newsfuse.read([MULTINEWS / "c215.json"]) if a.sentences]
    notice = next(a for a in articles if "crawls" in a.sentences[0].text)
    report = next(a for a in articles if a is not notice)
    for order in ([notice, report], [report, notice]):
        assert report.id in split_input(order, encoder)[0].ids


def test_largest_event_counts_full_articles_then_text():
    import numpy as np

    links = np.eye(3)
    # article 0 alone, articles 1 and 2 together: two articles beat one
    assert group_events(["a", "b", "b"], links, 0.5, lengths=[90, 5, 5]) == [[1, 2], [0]]
    # one full article each: the one with more text is the main event
    assert group_events(["a", "b"], links[:2, :2], 0.5, short=[False, False],
                        lengths=[4, 40]) == [[1], [0]]
    # a short article does not make its group larger than a full report
    assert group_events(["a", "b", "b"], links, 0.5, short=[False, False, True],
                        lengths=[60, 3, 1]) == [[0], [1, 2]]


def test_articles_without_text_stay_with_the_largest_event(sources, encoder):
    from dataclasses import replace

    empty = replace(sources["study"][0], id="no-body", sentences=(), text="")
    found = split_input([*sources["seeds"], empty, *sources["flu"]], encoder)
    assert "no-body" in found[0].ids
    assert sum(len(e.articles) for e in found) == 9


def test_links_are_best_sentence_matches():
    import numpy as np

    # article 0 and 1 share two identical sentences; article 2 shares nothing
    rows = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    owner = np.array([0, 0, 1, 1, 2])
    links = article_links(rows, owner, 3)
    assert links[0, 1] == pytest.approx(1.0) and links[0, 2] == pytest.approx(0.0)
    assert group_events(["a", "b", "c"], links, 0.5) == [[0, 1], [2]]
    # the clustering's groups are never separated, even when content alone would
    assert group_events(["a", "b", "a"], links, 0.5) == [[0, 1, 2]]


def test_short_articles_are_not_set_apart():
    import numpy as np

    links = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]])
    # article 2 links to nothing, but has too little text to be an event of its own
    assert group_events(["a", "b", "c"], links, 0.5, short=[False, False, True]) == [[0, 1, 2]]
    assert group_events(["a", "b", "c"], links, 0.5, short=[False, False, False]) == [
        [0, 1], [2]]
    # nothing long enough to tell events apart: one event
    assert group_events(["a", "b"], np.array([[1.0, 0.0], [0.0, 1.0]]), 0.5,
                        short=[True, True]) == [[0, 1]]
