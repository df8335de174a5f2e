"""Reading other languages: segmentation with each language's abbreviations, quotation
marks, stop words and stems, and cleaning that keeps the running text."""

from __future__ import annotations

import json

import pytest

from newsfuse.encode import content_terms
from newsfuse.model import Article, Origin
from newsfuse.text.clean import clean_article
from newsfuse.text.languages import light_stem, majority_language
from newsfuse.text.segment import quote_open, sentence_spans
from tests.conftest import DATA


def _sentences(text: str, language: str | None) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text, language=language)]


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("es", "El Sr. Pérez habló con la Dra. Gómez en la calle núm. 5 de Madrid. Luego se fue.",
     ["El Sr. Pérez habló con la Dra. Gómez en la calle núm. 5 de Madrid.", "Luego se fue."]),
    ("fr", "Mme Dupont a parlé au Pr. Martin hier. Il est parti.",
     ["Mme Dupont a parlé au Pr. Martin hier.", "Il est parti."]),
    ("it", "Il sig. Rossi ha parlato con il dott. Bianchi. Poi è partito per Roma.",
     ["Il sig. Rossi ha parlato con il dott. Bianchi.", "Poi è partito per Roma."]),
    ("de", "Dr. Müller sprach mit Prof. Schmidt. Am 30. Juni kam es zu Protesten. Es gab 30. "
           "Dann nichts.",
     ["Dr. Müller sprach mit Prof. Schmidt.", "Am 30. Juni kam es zu Protesten.",
      "Es gab 30.", "Dann nichts."]),
])
def test_segmentation_keeps_the_languages_abbreviations(language, text, expected):
    assert _sentences(text, language) == expected


def test_english_rules_alone_split_after_foreign_titles():
    # what the language's abbreviations prevent
    text = "Il sig. Rossi ha parlato con il dott. Bianchi. Poi è partito."
    assert len(_sentences(text, None)) > len(_sentences(text, "it"))


@pytest.mark.parametrize(("text", "open_"), [
    ("« Nous ne partirons pas.", True), ("« Nous ne partirons pas. »", False),
    ("„Wir bleiben.", True), ("„Wir bleiben“, sagte er.", False),
    ("»Wir bleiben.", True), ("»Wir bleiben«, sagte er.", False),
    ("“We stay.", True), ("“We stay,” he said.", False),
])
def test_quotation_marks_of_each_language(text, open_):
    assert quote_open(text) is open_


def test_a_quotation_over_two_sentences_stays_one_sentence():
    text = "« Nous ne partirons pas. Jamais », a-t-il déclaré. Puis il est parti."
    assert _sentences(text, "fr") == ["« Nous ne partirons pas. Jamais », a-t-il déclaré.",
                                      "Puis il est parti."]


def test_stop_words_and_stems_make_inflections_meet():
    assert content_terms("Los manifestantes protestaron", language="es") == \
        content_terms("la manifestante protesta", language="es") == ["manifestant", "protest"]
    assert light_stem("élections", "fr") == light_stem("élection", "fr")
    assert light_stem("Wahlen".lower(), "de") == "wahl"
    assert "de" not in content_terms("la plaza de Tahrir", language="es")
    assert content_terms("l'armée égyptienne", language="fr")[0] == "arm"


def test_common_function_words_are_stop_words():
    # it-yemen, es-yemen, fr-yemen: adverbs, pronouns and "fois" carry no topic
    assert content_terms("Un mese fa la Tunisia, settimana scorsa l'Egitto, ora i moti si "
                         "spostano in Algeria, Yemen e addirittura Iran.", language="it") == [
        "mes", "tunisi", "settiman", "scors", "egitt", "mot", "spost", "algeri", "yemen",
        "addirittur", "iran"]
    assert content_terms("algo que hasta ahora pocos se atrevían a hacer en público",
                         language="es") == ["atrev", "public"]
    assert content_terms("les dictateurs se sont toujours méfiés, et ils ont déjà réprimé "
                         "plusieurs fois", language="fr") == ["dict", "mefi", "reprim"]


def test_majority_language():
    assert majority_language(["es", "es", "fr"]) == "es"
    assert majority_language([None, "fr"]) == "en"  # unknown counts as English; tie: first
    assert majority_language([]) == "en"


_READ_MORE = ("leggi tutto", "leer más", "lire la suite", "weiterlesen")


@pytest.mark.parametrize("topic", ["es-egypt", "fr-egypt", "it-egypt"])
def test_cleaning_keeps_the_running_text_of_real_articles(topic):
    """Of the ML-Crisis articles' words, nearly all reach the clean text: running text is
    never dropped for its language. Only page furniture goes, and what goes in long pieces
    is teasers of other pages ending in a read-more link ("...leggi tutto")."""
    kept = total = 0
    lines = (DATA / "cltls-dev" / topic / "articles.jsonl").read_text().splitlines()[:40]
    for line in lines:
        record = json.loads(line)
        article = clean_article(Article(id=record["id"], title=None, text=record["text"],
                                        origin=Origin("x")))
        assert article.language == topic[:2]
        teasers = set()
        for removal in article.removed:
            if len(removal.text.split()) > 25:
                assert any(m in removal.text.lower() for m in _READ_MORE), removal
                teasers.update(removal.text.split())
        clean = set(article.text.split())
        words = [w for w in record["text"].split() if w not in teasers or w in clean]
        total += len(words)
        kept += sum(w in clean for w in words)
    assert kept / total > 0.93


def test_a_language_without_rules_is_kept_whole_and_flagged():
    text = ("Wczoraj tysiące ludzi wyszło na ulice Kairu, domagając się ustąpienia prezydenta. "
            "Policja użyła gazu łzawiącego wobec demonstrantów na placu Tahrir.")
    article = clean_article(Article(id="pl", title=None, text=text, origin=Origin("x")))
    assert article.language == "pl"
    assert article.text == text
    assert any("no sentence rules" in w for w in article.warnings)
