"""Quote speakers on real news: Gender Gap Tracker dev articles and a Multi-News dev summary
(read from ../shared/data), with the speakers their annotators resolved."""

from __future__ import annotations

import json
from functools import cache

import pytest

from newsfuse import nlp
from newsfuse.model import Article, Origin
from newsfuse.story.entities import find_mentions, merge_mentions
from newsfuse.story.facts import entity_names
from newsfuse.story.quotes import QuoteMention, find_quotes
from newsfuse.text.clean import clean_article
from tests.conftest import DATA

GGT = DATA / "ggt-quotes-dev" / "articles.jsonl"


@cache
def _texts() -> dict[str, str]:
    rows = (json.loads(line) for line in GGT.read_text().splitlines() if line.strip())
    return {row["id"]: row["text"] for row in rows}


def _quotes(article_id: str, text: str, speakers: str = "auto") -> list[QuoteMention]:
    article = clean_article(Article(id=article_id, title=None, text=text, origin=Origin("t")))
    mentions = merge_mentions(find_mentions([article]))
    names, _ = entity_names([article], mentions)
    return find_quotes(article, mentions, names, speakers=speakers)


def _quote(article_id: str, opening: str, speakers: str = "auto") -> QuoteMention:
    found = [q for q in _quotes(article_id, _texts()[article_id], speakers)
             if opening in q.text]
    assert len(found) == 1, [q.text[:50] for q in found]
    return found[0]


def test_the_model_is_installed():
    assert nlp.available()


def test_said_after_the_quote():
    # '"We have several broken power lines ...," Peters said in an interview.' (CBC)
    quote = _quote("5c1f08711e67d78e279bf66d", "We have several broken power lines")
    assert quote.speaker == "Rod Peters" and quote.speaker_kind == "person"


def test_said_before_the_quote_by_an_organisation():
    # '... al-Shabaab said: "This operation ... [was] a response to ..."' (Reuters via CBC)
    quote = _quote("5c3fefc41e67d78e270257d3", "This operation")
    assert quote.speaker == "al-Shabaab" and quote.speaker_kind == "organization"


def test_pronoun_resolves_to_the_person_named_before():
    # 'Lonechild said she started her work ... "As a young person, ...," she said.'
    quote = _quote("5c182ac21e67d78e277944ad", "As a young person")
    assert quote.speaker == "Darian Lonechild"


def test_pronoun_resolves_past_a_name_in_between():
    # 'Lonechild said she felt compelled to do something after the death of Jordan Lafond.
    #  "I thought this was a good time ...," she said.' The rules took Jordan Lafond.
    text = _texts()["5c182ac21e67d78e277944ad"]
    quote = _quote("5c182ac21e67d78e277944ad", "I thought this was a good time")
    assert quote.speaker == "Darian Lonechild"
    rules = [q for q in _quotes("x", text, "rules") if "I thought this" in q.text]
    assert rules and rules[0].speaker != "Darian Lonechild"


def test_quote_running_into_the_next_paragraph_keeps_its_speaker():
    # '"I thought ... on," she said.\n\n"And if so, could they kind of explain ..."'
    quote = _quote("5c182ac21e67d78e277944ad", "could they kind of explain")
    assert quote.speaker == "Darian Lonechild"


def test_the_company_said_is_the_company_named_before():
    # 'Google said ... "We're working with Apple to fix ...," the company said ...'
    quote = _quote("5c546d281e67d78e27426e82", "working with Apple")
    assert quote.speaker == "Google" and quote.speaker_kind == "organization"


def test_statement_from_an_organisation():
    # 'A statement from the EU said, "the declared motive ..."' (Global News)
    quote = _quote("5c29beda1e67d78e27b74939", "the declared motive")
    assert quote.speaker == "EU" and quote.speaker_kind == "organization"


def test_according_to_and_unnamed_people():
    # Multi-News dev reference summary c196 (newser.com).
    summary = json.loads((DATA / "multinews-dev" / "references.json").read_text())["c196"]
    quotes = _quotes("c196", summary)

    def said(opening: str) -> str | None:
        return next(q.speaker for q in quotes if q.text.startswith(opening))
    assert said("keen detection skills") == "police"  # '..." according to police'
    assert said("I don't understand it") == "the man"  # "the man replies": unnamed
    assert said("What would possess you") == "Nic Abts-Olsen"


def test_pronouns_and_titles_are_never_shown():
    shown = set()
    for article_id in ("5c182ac21e67d78e277944ad", "5c1452701e67d78e276ee126",
                       "5c3fefc41e67d78e270257d3"):
        shown |= {q.speaker for q in _quotes(article_id, _texts()[article_id]) if q.speaker}
    assert not shown & {"he", "she", "He", "She", "they", "it", "Dr", "the mayor", "mayor"}


def test_rules_alone_when_the_model_is_off():
    nlp.set_enabled(False)
    try:
        quote = _quote("5c1f08711e67d78e279bf66d", "We have several broken power lines")
    finally:
        nlp.set_enabled(True)
    assert quote.speaker == "Rod Peters"


@pytest.mark.parametrize("text", ["", "“", "\"\"\"", "He said: “", "“”" * 50])
def test_odd_quote_marks_do_not_fail(text):
    assert isinstance(_quotes("odd", text), list)


def test_a_notice_is_not_the_last_person_named():
    # '"We have delivered our message, please leave space to avoid the bloodshed," reads a
    # notice.' (the AFP seed report, after paragraphs quoting Trump)
    path = DATA.parent / "seeds" / "000_bd98dad733cf9988.txt"
    found = [q for q in _quotes("seed", path.read_text()) if "leave space" in q.text]
    assert len(found) == 1 and found[0].speaker == "a notice"
