"""The canonical input: five real reports on the Baghdad embassy storming."""

from __future__ import annotations

import json
import re
from datetime import datetime

from tests.conftest import SEEDS, TEST_DATA

EXPECTED = json.loads((TEST_DATA / "seed_sentences.json").read_text(encoding="utf-8"))

BOILERPLATE = [
    "advertisement", "Loading...", "By QASSIM ABDUL-ZAHRA", "Reporting by Ahmed Rasheed",
    "contributed to this report", "Additional reporting by", "By subscribing",
    "quality journalism", "Comments are closed", "pic.twitter.com", "(@realDonaldTrump)",
    "(@sinansm)", "#Iraq", "#US", "Editing by", "Closed in the name of the people’",
    "Findings and tear gases",
]
MT_ARTIFACTS = [" UU.", "EE. UU", "»", "«", ". .", ". ,", " ”a", " ”s"]


def test_five_articles_with_dates(seeds):
    assert [a.id for a in seeds] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    dated = {a.id: a.date for a in seeds}
    assert sum(d == datetime(2019, 12, 31) for d in dated.values()) == 4
    assert dated["002_19809426f1db77a5"] is None  # this report carries no date marker
    assert all(a.language == "en" for a in seeds)


def test_title_line_only_where_present(seeds):
    titles = {a.id: a.title for a in seeds}
    expected = "Iraqi militias throwing stones end protest at US Embassy"
    assert titles["002_19809426f1db77a5"] == expected
    assert sum(t is None for t in titles.values()) == 4


def test_no_boilerplate_survives(seeds):
    for article in seeds:
        for phrase in BOILERPLATE:
            assert phrase.lower() not in article.text.lower(), (article.id, phrase)


def test_every_removal_is_boilerplate_not_reporting(seeds):
    reasons = {r.reason for a in seeds for r in a.removed}
    assert reasons <= {"ad or page label", "credit line", "byline", "subheading",
                       "embedded post furniture", "subscription or donation pitch",
                       "comments notice", "sentence fragment"}
    fragments = [r.text for a in seeds for r in a.removed if r.reason == "sentence fragment"]
    assert fragments == ["Iraq."]


def test_reporting_sentences_survive(seeds):
    by_id = {a.id: a for a in seeds}
    for article_id, openings in EXPECTED["openings"].items():
        text = " ".join(by_id[article_id].text.split())
        missing = [o for o in openings if o not in text]
        assert not missing, (article_id, missing)


def test_sentence_count_matches_hand_count(seeds):
    for article in seeds:
        expected = EXPECTED["counts"][article.id]
        assert abs(len(article.sentences) - expected) <= 1, (article.id, len(article.sentences))
    assert sum(EXPECTED["counts"].values()) == 171


def test_datelines_become_metadata(seeds):
    by_id = {a.id: a for a in seeds}
    assert by_id["003_389c913f43fb2c5b"].dateline.place == "BAGHDAD"
    assert by_id["003_389c913f43fb2c5b"].dateline.agency == "AP"
    assert by_id["004_94d6eaee0d9c179d"].dateline.place == "BAGHDAD / WASHINGTON"
    assert by_id["001_4fd9910b5f8da862"].dateline.place == "BAGHDAD"
    assert by_id["000_bd98dad733cf9988"].dateline.place == "BAGHDAD"
    assert by_id["002_19809426f1db77a5"].dateline is None
    for article in seeds:
        first = article.sentences[0].text
        assert not re.match(r"^BAGHDAD", first), first


def test_translation_artifacts_repaired(seeds):
    for article in seeds:
        for artifact in MT_ARTIFACTS:
            assert artifact not in article.text, (article.id, artifact)
    ap = next(a for a in seeds if a.id.startswith("003"))
    assert "Iraq-US relations" in ap.text
    assert "the US ambassador was traveling outside of Iraq" in ap.text
    assert "between the US and Iran" in ap.text


def test_embedded_posts_keep_words_and_author(seeds):
    afp = next(a for a in seeds if a.id.startswith("001"))
    authors = [e.author for e in afp.embeds]
    assert authors == ["Donald J. Trump", "Sinan Salaheddin Mahmoud", "Abdulla Hawez"]
    assert "Now Iran is orchestrating an attack on the U.S. Embassy in Iraq." in afp.text
    assert "From outside the US Embassy in Baghdad's Green Zone." in afp.text


def test_sentence_spans_index_the_text(seeds):
    for article in seeds:
        for i, sentence in enumerate(article.sentences):
            assert sentence.index == i
            assert article.text[sentence.start:sentence.end] == sentence.text
            assert sentence.article_id == article.id
