"""Across languages, on ML-Crisis dev news (es, fr, it): one brief of a mixed-language day,
citations across languages with each source's own sentence, translated copies, events
clustered across languages, and English left as it was."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest

import newsfuse
from newsfuse import settings
from newsfuse.cli import main
from newsfuse.corpus.features import crosslingual_terms, term_counts
from newsfuse.encode import MiniLMEncoder, TfidfEncoder, get_encoder, minilm_available
from newsfuse.errors import UsageError
from newsfuse.multilingual import USEEncoder
from newsfuse.render.brief_html import brief_to_html
from newsfuse.render.brief_json import brief_from_json, brief_to_dict, brief_to_json
from newsfuse.render.brief_markdown import brief_to_markdown
from newsfuse.story.align import candidate_pairs, cross_language_pairs
from newsfuse.story.crosslang import quotable_texts, story_language
from tests.conftest import DATA, ROOT, SEEDS

CLTLS = DATA / "cltls-dev"
SCHEMA = json.loads((ROOT / "src" / "newsfuse" / "schemas" / "brief.schema.json").read_text())


def day(tmp_path_factory: pytest.TempPathFactory, topic: str, date: str,
        ids: tuple[str, ...] = ()) -> Path:
    """The ML-Crisis articles of ``topic`` published on ``date`` in every language (or only
    ``ids``), as one JSON Lines file."""
    out = tmp_path_factory.mktemp("cltls") / f"{topic}-{date}.jsonl"
    lines = []
    for path in sorted(CLTLS.glob(f"*-{topic}/articles.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["date"] == date and (not ids or record["id"] in ids):
                lines.append(line)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def mixed_day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Egypt, 19 June 2012 (Mubarak reported clinically dead): one Spanish, one French and
    two Italian reports."""
    return day(tmp_path_factory, "egypt", "2012-06-19")


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Yemen, 27 April 2011: a Global Voices post in Spanish and its French translation."""
    return day(tmp_path_factory, "yemen", "2011-04-27",
               ("es-yemen-2011-04-27-gv_6", "fr-yemen-2011-04-27-gv_2"))


def test_mixed_day_is_one_brief_in_the_language_most_sources_use(mixed_day):
    articles = list(newsfuse.read(mixed_day))
    assert sorted(a.language for a in articles) == ["es", "fr", "it", "it"]
    found = newsfuse.brief(articles, events="all")
    assert len(found.events) == 1  # one event across the three languages
    brief = found.events[0].brief
    assert brief is not None
    assert brief.language == "it"
    language = {a.id: a.language for a in articles}
    assert brief.summary and all(language[s.article_id] == "it" for s in brief.summary)
    assert {s.language for s in brief.sources} == {"es", "fr", "it"}
    assert "Mubarak" in " ".join(s.text for s in brief.summary)
    data = brief_to_dict(brief)
    jsonschema.validate(data, SCHEMA)
    assert data["language"] == "it"
    assert all(e["language"] == language[e["article"]]
               for s in data["summary"] for e in s["evidence"])


def test_language_option_chooses_the_brief_language(mixed_day):
    articles = list(newsfuse.read(mixed_day))
    brief = newsfuse.brief(articles, language="fr", events="together")
    assert brief.language == "fr"
    assert brief.summary and all(s.article_id.startswith("fr-") for s in brief.summary)
    with pytest.raises(UsageError, match="no article in language 'de'"):
        newsfuse.brief(articles, language="de", events="together")
    with pytest.raises(UsageError, match="not an ISO 639 code"):
        newsfuse.brief(articles, language="french!", events="together")


def test_translation_is_cited_with_its_own_sentence_and_counted_as_a_copy(translated):
    articles = list(newsfuse.read(translated))
    brief = newsfuse.brief(articles, events="together")
    assert brief.language in ("es", "fr")
    other = "fr" if brief.language == "es" else "es"
    crossing = [s for s in brief.summary if {a[:2] for a in s.sources} == {"es", "fr"}]
    assert len(crossing) >= 2  # sentences cited in both languages
    copy = [s for s in brief.sources if s.copy_of]
    assert len(copy) == 1  # the translation of the post is not independent
    assert all(s.independent == 1 for s in crossing)
    data = brief_to_dict(brief)
    jsonschema.validate(data, SCHEMA)
    foreign = [e for s in data["summary"] for e in s["evidence"] if e["language"] == other]
    assert foreign and all(e["article"].startswith(other) for e in foreign)
    markdown = brief_to_markdown(brief)
    shown = foreign[0]["text"]
    assert f"({other}) “" in markdown and shown[:40] in markdown.replace("\\", "")
    html = brief_to_html(brief)
    assert f'<html lang="{brief.language}">' in html
    assert f'<q lang="{other}">' in html
    again = brief_from_json(brief_to_json(brief))
    assert again.language == brief.language


def test_taiz_sentence_aligned_across_languages(translated):
    articles = list(newsfuse.read(translated))
    brief = newsfuse.brief(articles, events="together")
    taiz = next(c for c in brief.claims if len(c.sources) == 2
                and any("Taiz" in s.text for s in c.sentences))
    texts = {s.article_id[:2]: s.text for s in taiz.sentences}
    assert "manifestantes" in texts["es"] and "manifestants" in texts["fr"]


def test_cli_brief_language_and_exit_codes(mixed_day, capsys):
    assert main(["brief", str(mixed_day), "--language", "es", "--format", "json", "-q"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["language"] == "es"
    assert all(s["quoted_from"]["article"].startswith("es-") for s in data["summary"])
    assert main(["brief", str(mixed_day), "--language", "de", "-q"]) == 2
    assert "no article in language 'de'" in capsys.readouterr().err


def test_events_cluster_across_languages(tmp_path_factory):
    posts = {"es-yemen-2011-04-27-gv_6", "fr-yemen-2011-04-27-gv_2",
             "es-yemen-2011-10-28-gv_8", "it-yemen-2011-10-28-gv_3"}
    april = day(tmp_path_factory, "yemen", "2011-04-27")
    october = day(tmp_path_factory, "yemen", "2011-10-28")
    articles = list(newsfuse.read([april, october]))
    assert posts <= {a.id for a in articles}
    event = {a.id: a.event for a in newsfuse.cluster(articles)}
    assert event["es-yemen-2011-04-27-gv_6"] == event["fr-yemen-2011-04-27-gv_2"]
    # six months apart: the October post (Spanish and Italian) is another event
    assert event["es-yemen-2011-04-27-gv_6"] != event["es-yemen-2011-10-28-gv_8"]
    assert event["fr-yemen-2011-04-27-gv_2"] != event["it-yemen-2011-10-28-gv_3"]
    # the local weather page of that Friday is not the protests in Taiz
    assert event["es-yemen-2011-04-27-ext_12"] != event["es-yemen-2011-04-27-gv_6"]


def test_english_clustering_terms_are_unchanged():
    english = list(newsfuse.read([SEEDS]))
    assert all(a.is_english for a in english)
    with_terms = [term_counts(a) for a in english]
    saved = settings.CLUSTER_CROSS_WEIGHT
    settings.CLUSTER_CROSS_WEIGHT = 0.0
    try:
        assert [term_counts(a) for a in english] == with_terms
    finally:
        settings.CLUSTER_CROSS_WEIGHT = saved


def test_crosslingual_terms_are_shared_by_translations():
    spanish = crosslingual_terms("Cientos de manifestantes salieron a las calles de Taiz "
                                 "para pedir la caída del presidente Saleh.")
    french = crosslingual_terms("Des centaines de manifestants ont défilé dans les rues de "
                                "Taiz pour demander la chute du président Saleh.")
    weather = crosslingual_terms("Mañana habrá lluvias débiles en la costa y temperaturas "
                                 "de hasta 30 grados en el interior.")
    assert len(spanish) == settings.CLUSTER_CROSS_BANDS
    shared = len(set(spanish) & set(french))
    assert shared > len(set(spanish) & set(weather))
    assert shared >= settings.CLUSTER_CROSS_BANDS // 3


def test_auto_encoder_uses_the_multilingual_model_only_where_needed():
    if minilm_available():
        assert isinstance(get_encoder("auto", 100, ["en", None, "en"]), MiniLMEncoder)
    assert isinstance(get_encoder("auto", 100, ["en", "es"]), USEEncoder)
    assert isinstance(get_encoder("auto", 100, ["it"]), USEEncoder)
    too_many = settings.AUTO_USE_MAX_SENTENCES + 1
    assert isinstance(get_encoder("auto", too_many, ["it"]), TfidfEncoder)
    assert isinstance(get_encoder("use"), USEEncoder)
    with pytest.raises(UsageError, match="choose auto, tfidf, minilm, use"):
        get_encoder("bert")


def test_cross_language_pairs_take_close_neighbours_only():
    rng = np.random.default_rng(0)
    base = rng.standard_normal((4, 16)).astype(np.float32)
    near = base + 0.1 * rng.standard_normal((4, 16)).astype(np.float32)
    vectors = np.vstack([base, near])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    languages = np.array(["es"] * 4 + ["fr"] * 4, dtype=object)
    left, right = cross_language_pairs(vectors, languages)
    assert sorted(zip(left.tolist(), right.tolist(), strict=True)) == [
        (0, 4), (1, 5), (2, 6), (3, 7)]
    from scipy import sparse

    lexical = sparse.csr_matrix(np.eye(8, dtype=np.float32))
    pairs = candidate_pairs(lexical, np.arange(8), vectors, languages)
    assert pairs.cross is not None and pairs.cross.all()
    assert pairs.aligned.all()  # aligned on the embedding alone, with no word shared
    same = candidate_pairs(lexical, np.arange(8), vectors, None)
    assert len(same) == 0  # one language: only shared rare terms make candidates


def test_story_language_and_quotable_sentences():
    articles = list(newsfuse.read([SEEDS]))
    assert story_language(articles) == "en"
    assert story_language(articles, "EN") == "en"
    texts = ["uno", "one", "un"]
    languages = np.array(["es", "und", "fr"], dtype=object)
    assert quotable_texts(texts, languages, "es") == ["uno", "one", ""]
    assert quotable_texts(texts[:2], languages[:2], "es") == texts[:2]


def test_brief_says_when_languages_cannot_be_aligned(mixed_day):
    articles = list(newsfuse.read(mixed_day))
    lexical = newsfuse.brief(articles, encoder="tfidf", events="together")
    assert any("not multilingual" in w and "es, fr, it" in w for w in lexical.warnings)
    multilingual = newsfuse.brief(articles, encoder="use", events="together")
    assert not any("not multilingual" in w for w in multilingual.warnings)
