"""The facts layer on the seeds (what an analyst must see) and its parts on real sentences."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

import newsfuse
from newsfuse.model import Article, Origin
from newsfuse.story.entities import extract_entities
from newsfuse.story.figures import find_figures
from newsfuse.story.temporal import contradictions, find_times, infer_publication
from newsfuse.text.clean import clean_article
from tests.conftest import ROOT

LABELS = ROOT / "benchmarks" / "data"
UNDATED = "002_19809426f1db77a5"


@pytest.fixture(scope="module", params=["tfidf", "minilm"])
def seed_brief(request, seeds):
    return newsfuse.brief(seeds, encoder=request.param)


def _entity(brief, *spellings):
    for entity in brief.entities:
        names = {entity.name, *entity.aliases}
        if all(s in names for s in spellings):
            return entity
    raise AssertionError(f"no entity with {spellings}: "
                         f"{[(e.name, e.aliases) for e in brief.entities]}")


def test_seed_entities_merge_variants_and_keep_look_alikes_apart(seed_brief):
    mahdi = _entity(seed_brief, "Abdul Mahdi", "Abdul-Mahdi", "Adel Abdul-Mahdi",
                    "Adil Abdul-Mahdi")
    assert mahdi.type == "person" and len(mahdi.sources) == 5
    kataib = _entity(seed_brief, "Kataib Hezbollah", "Kataeb Hezbollah")
    assert kataib.type == "organization"
    khazali = _entity(seed_brief, "Qais al-Khazali", "Qais al-Khizali", "Khazali")
    assert khazali.type == "person"
    mohandes = _entity(seed_brief, "Abu Mahdi al-Mohandes")
    asaib = _entity(seed_brief, "Asaib Ahl al-Haq")
    assert mohandes is not mahdi and asaib is not kataib
    assert "Asaib Ahl al-Haq" not in kataib.aliases


def test_seed_casualty_figures_with_support(seed_brief):
    killed = next(f for f in seed_brief.facts if f.event == "killed" and f.low == 25)
    assert set(killed.sources) >= {"000_bd98dad733cf9988", "001_4fd9910b5f8da862",
                                   "003_389c913f43fb2c5b", "004_94d6eaee0d9c179d"}
    # 000 copies 004: copies are not independent support.
    assert killed.independent < len(killed.sources)
    wounded = next(f for f in seed_brief.facts if f.event == "wounded" and f.value == "55")
    assert len(wounded.sources) >= 2
    troops = {f.value for f in seed_brief.facts if f.counts == "troops"}
    assert {"750", "up to 4,000"} <= troops


def test_seed_trump_post_is_one_quote_with_every_rendering(seed_brief):
    trump = [q for q in seed_brief.quotes if q.speaker == "Donald Trump"
             and "orchestrating" in q.text]
    assert len(trump) == 1
    assert set(trump[0].sources) == {"001_4fd9910b5f8da862", "003_389c913f43fb2c5b",
                                     "004_94d6eaee0d9c179d"}
    assert len(trump[0].renderings) == 3


def test_seed_timeline_with_inferred_date(seed_brief):
    days = {t.date for t in seed_brief.timeline}
    assert {"2019-12-29", "2019-12-31", "2020-01-01"} <= days
    strikes = [t for t in seed_brief.timeline if t.date == "2019-12-29"]
    assert any("strike" in t.text.lower() or "attacked" in t.text for t in strikes)
    withdrawal = [t for t in seed_brief.timeline if t.date == "2020-01-01"]
    assert any("withdrew" in t.text for t in withdrawal)
    assert all(t.inferred for t in withdrawal if t.sources == (UNDATED,))
    source = next(s for s in seed_brief.sources if s.id == UNDATED)
    assert source.date_inferred and source.date == datetime(2020, 1, 1)
    assert any(UNDATED in w and "inferred" in w for w in seed_brief.warnings)


def test_seed_evacuation_disagreement_with_both_sides(seed_brief):
    evacuation = [c for c in seed_brief.conflicts if "evacuat" in c.about]
    assert evacuation, [c.about for c in seed_brief.conflicts]
    asserts, denies = evacuation[0].sides
    assert asserts.stance == "asserts" and denies.stance == "denies"
    assert "000_bd98dad733cf9988" in asserts.sources
    assert {"003_389c913f43fb2c5b", "004_94d6eaee0d9c179d"} <= set(denies.sources)
    assert any("traveling outside of Iraq" in e.text for e in denies.evidence)
    assert not set(asserts.sources) & set(denies.sources)


def test_figures_normalise_values_and_skip_non_figures():
    [killed, wounded] = find_figures("a", 0, "Abdul Mahdi condemned the strikes, which killed "
                                     "at least 25 fighters and wounded 55.")
    assert (killed.low, killed.high, killed.counts, killed.event) == (25, None, "fighters",
                                                                      "killed")
    assert (wounded.value, wounded.counts, wounded.event) == (55, "fighters", "wounded")
    [up_to] = find_figures("a", 0, "Up to 4,000 troops could be sent to the region.")
    assert (up_to.low, up_to.high, up_to.event) == (None, 4000, "sent")
    [dozens] = find_figures("a", 0, "Dozens of protesters stormed the gate.")
    assert (dozens.low, dozens.high) == (24, None)
    [money] = find_figures("a", 0, "BP set aside $20bn for the victims.")
    assert (money.value, money.counts) == (20e9, "dollars")
    assert find_figures("a", 0, "In 2003 the 82nd Airborne spent two days on Dec. 29.") == []
    assert find_figures("a", 0, "The number rose to 5.") == []  # no clear referent


def test_temporal_expressions_resolve_against_the_publication_day():
    tuesday = date(2019, 12, 31)
    assert [(m.text, m.value) for m in find_times(
        "The protests follow air strikes carried out on Sunday.", tuesday)] == [
        ("on Sunday", "2019-12-29")]
    assert find_times("a rocket attack last week", tuesday)[0].value == "2019-W52"
    assert find_times("The vote will take place on Thursday.", tuesday)[0].value == \
        "2020-01-02"
    assert find_times("The strike on Dec. 29 was condemned.", tuesday)[0].value == "2019-12-29"
    assert find_times("He spoke on Sunday.", None)[0].value is None  # undated: unresolved
    [clash] = contradictions("It happened on Tuesday, January 2, 2020.")
    assert clash.actual == "Thursday"


def test_undated_article_gets_a_day_only_when_the_evidence_allows():
    withdrew = ["Protesters withdrew on Wednesday.", "The strikes on Sunday killed 25.",
                "On Tuesday, the crowd chanted."]
    assert infer_publication(withdrew, [date(2019, 12, 31)]) == date(2020, 1, 1)
    assert infer_publication(withdrew, []) is None
    assert infer_publication(["Nothing here is dated."], [date(2019, 12, 31)]) is None


def test_contradictory_dates_in_an_article_are_reported():
    article = clean_article(Article(
        id="x", title=None, origin=Origin("x"), date=datetime(2020, 1, 3),
        text="The council met on Tuesday, January 2, 2020, to vote on the budget. "
             "The mayor said the budget would pass."))
    brief = newsfuse.brief([article], encoder="tfidf")
    assert any("contradictory date" in w and "Thursday" in w for w in brief.warnings)


def test_undated_story_stays_undated():
    articles = [clean_article(Article(
        id=f"u{k}", title=None, origin=Origin("u"), date=None,
        text=f"The bridge reopened on Monday after repairs. Engineer {name} said it was safe."))
        for k, name in enumerate(("Ana Ruiz", "Tom Berg"))]
    brief = newsfuse.brief(articles, encoder="tfidf")
    assert all(t.date is None for t in brief.timeline)
    assert not any(s.date_inferred for s in brief.sources)


def test_entity_extraction_on_labelled_passages_beats_chance():
    rows = [json.loads(line) for line in (LABELS / "entities.jsonl").read_text().splitlines()]
    mj = [r for r in rows if r["story"] == "mj"]
    articles = [clean_article(Article(id=f"mj{k}", title=None, text=r["text"],
                                      origin=Origin("x"))) for k, r in enumerate(mj)]
    entities, mentions = extract_entities(articles)
    jackson = next(e for e in entities if e.name == "Michael Jackson")
    assert "Jackson" in jackson.aliases and jackson.type == "person"
    gold = {m["text"] for r in mj for m in r["mentions"]}
    found = {m.text for m in mentions}
    assert len(gold & found) / len(gold) > 0.7


def test_quote_speakers_on_labelled_passages():
    from newsfuse.story.entities import find_mentions, merge_mentions
    from newsfuse.story.facts import entity_names
    from newsfuse.story.quotes import find_quotes

    rows = [json.loads(line) for line in (LABELS / "quotes.jsonl").read_text().splitlines()]
    bp = [r for r in rows if r["story"] == "bpoil"]
    articles = [clean_article(Article(id=f"bp{k}", title=None, text=r["text"],
                                      origin=Origin("x"))) for k, r in enumerate(bp)]
    mentions = merge_mentions(find_mentions(articles))
    names, _ = entity_names(articles, mentions)
    quotes = [q for a in articles for q in find_quotes(
        a, [m for m in mentions if m.article_id == a.id], names)]
    gold = sum(len(r["quotes"]) for r in bp)
    assert len(quotes) >= 0.8 * gold
    hayward = [q for q in quotes if q.speaker == "Tony Hayward"]
    assert any("life back" in q.text for q in hayward)
