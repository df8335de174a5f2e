"""Day words, quotes and figures in Spanish, French, Italian and German."""

from __future__ import annotations

from datetime import date

import pytest

from newsfuse.model import Article, Origin
from newsfuse.story.figures import find_figures_foreign
from newsfuse.story.quotes import find_quotes_foreign
from newsfuse.story.temporal import find_times
from newsfuse.text.clean import clean_article

FRIDAY = date(2011, 2, 11)


def _days(text: str, language: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in find_times(text, FRIDAY, language)]


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("es", "El domingo pasado salieron miles; ayer, el 25 de enero de 2011, y hoy.",
     [("domingo pasado", "2011-02-06"), ("ayer", "2011-02-10"),
      ("25 de enero de 2011", "2011-01-25"), ("hoy", "2011-02-11")]),
    ("es", "El lunes habrá una marcha, y mañana otra.",  # a future cue: the next Monday
     [("lunes", "2011-02-14"), ("mañana", "2011-02-12")]),
    ("fr", "Dimanche, le 1er juillet 2013, puis hier et aujourd’hui, et mardi dernier.",
     [("Dimanche, le 1er juillet 2013", "2013-07-01"), ("hier", "2011-02-10"),
      ("aujourd’hui", "2011-02-11"), ("mardi dernier", "2011-02-08")]),
    ("it", "Ieri e domenica scorsa, il 25 gennaio 2011; venerdì 11 febbraio.",
     [("Ieri", "2011-02-10"), ("domenica scorsa", "2011-02-06"),
      ("25 gennaio 2011", "2011-01-25"), ("venerdì 11 febbraio", "2011-02-11")]),
    ("de", "Gestern sagte er, am vergangenen Sonntag und am 30. Juni 2013 sei es ruhig.",
     [("Gestern", "2011-02-10"), ("vergangenen Sonntag", "2011-02-06"),
      ("30. Juni 2013", "2013-06-30")]),
])
def test_day_words_of_each_language(language, text, expected):
    assert _days(text, language) == expected


def test_a_capitalised_weekday_inside_a_sentence_is_a_name():
    assert _days("Cantó Plácido Domingo en Madrid.", "es") == []
    assert _days("Domingo: miles en la plaza.", "es") == [("Domingo", "2011-02-06")]


def test_the_morning_is_not_tomorrow_in_german_or_spanish():
    assert _days("Heute Morgen kam es zu Protesten.", "de") == [("Heute Morgen", "2011-02-11")]
    assert _days("Por la mañana hubo protestas.", "es") == []


def test_english_words_are_not_read_in_another_language():
    assert _days("Le Monday Club a publié un texte.", "fr") == []


def _article(text: str, language: str) -> Article:
    return clean_article(Article(id="a", title=None, text=text, origin=Origin("x"),
                                 language=language))


@pytest.mark.parametrize(("language", "text", "quote", "speaker"), [
    ("es", "«El pueblo egipcio ha hablado y su voz ha sido escuchada», aseguró Barack Obama.",
     "El pueblo egipcio ha hablado y su voz ha sido escuchada", "Barack Obama"),
    ("fr", "« Nous ne permettrons aucune menace contre la sécurité nationale », a déclaré le "
           "porte-parole de l'armée.",
     "Nous ne permettrons aucune menace contre la sécurité nationale",
     "le porte-parole de l'armée"),
    ("it", "Mario Draghi ha detto: «La situazione in Egitto resta molto difficile».",
     "La situazione in Egitto resta molto difficile", "Mario Draghi"),
    ("de", "„Wir werden das Land nicht verlassen“, sagte Mohamed Mursi am Abend.",
     "Wir werden das Land nicht verlassen", "Mohamed Mursi"),
    ("es", "—No nos iremos de la plaza hasta que caiga —dijo Ahmed Maher—.",
     "No nos iremos de la plaza hasta que caiga", "Ahmed Maher"),
])
def test_quotes_with_the_languages_marks_and_speech_verbs(language, text, quote, speaker):
    found = find_quotes_foreign(_article(text, language), [], {}, language)
    assert [(q.text, q.speaker) for q in found] == [(quote, speaker)]


def test_a_short_unattributed_quote_is_a_scare_quote():
    text = "Los Hermanos Musulmanes hablan de un «golpe de Estado» en Egipto."
    assert find_quotes_foreign(_article(text, "es"), [], {}, "es") == []


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("es", "Murieron al menos 327 personas y 2.926 resultaron heridos el 25 de enero.",
     [(327.0, None, "personas"), (2926.0, 2926.0, "heridos")]),
    ("fr", "Plus de 50 personnes ont été tuées lundi, et 12 000 manifestants défilaient.",
     [(50.0, None, "personnes"), (12000.0, 12000.0, "manifestants")]),
    ("it", "Almeno 54 morti e decine di feriti dopo 30 anni di regime.",
     [(54.0, None, "morti"), (20.0, None, "feriti")]),
    ("de", "Mindestens 1,5 Millionen Menschen demonstrierten am 30. Juni.",
     [(1_500_000.0, None, "Menschen")]),
])
def test_figures_with_the_languages_separators(language, text, expected):
    found = find_figures_foreign("a", 0, text, language)
    assert [(f.low, f.high, f.counts) for f in found] == expected


def test_a_weekday_and_date_of_another_year_is_not_placed_in_this_one():
    # 24 July 2013 was a Wednesday: "vendredi 24 juillet" is another year's
    assert find_times("Le vendredi 24 juillet, il a parlé.", date(2013, 7, 8), "fr") == []
    assert _days("El martes 25 de enero salieron.", "es") == [("martes 25 de enero",
                                                                "2011-01-25")]


def test_a_german_speaker_ends_before_the_dative():
    text = "„Das ist ein Massaker“, sagte Gehad El-Haddad der Nachrichtenagentur Reuters."
    found = find_quotes_foreign(_article(text, "de"), [], {}, "de")
    assert [(q.text, q.speaker) for q in found] == [("Das ist ein Massaker", "Gehad El-Haddad")]


def test_a_pronoun_speaker_is_the_person_last_named():
    text = ("Le général Abdel Fattah al-Sissi a parlé à la télévision. Il a déclaré : « Nous "
            "protégerons la volonté du peuple égyptien ».")
    found = find_quotes_foreign(_article(text, "fr"), [], {}, "fr")
    assert [q.speaker for q in found] == [None]  # no person known to the story: not "Il"
    assert found[0].attributed
