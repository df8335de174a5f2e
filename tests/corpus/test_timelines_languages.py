"""Timelines in Spanish, French and Italian: dates without their year, live pages' time
stamps and sidebar teasers, on small inputs and on the ML-Crisis dev topics."""

from __future__ import annotations

import json
from pathlib import Path

import newsfuse
from newsfuse import settings
from tests.conftest import DATA

CLTLS = DATA / "cltls-dev"


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return path


def test_a_date_without_its_year_in_a_retrospective_takes_the_year_written_before_it(
        tmp_path):
    # Published in November, "le 25 janvier" is not the coming January: the article wrote
    # 2011 before it.
    assert settings.TLS_BARE_DATE_AHEAD_DAYS < 85
    rows = [
        {"id": "a", "date": "2011-02-12", "language": "fr",
         "text": "Hosni Moubarak a quitté le pouvoir hier, a annoncé son vice-président."},
        {"id": "b", "date": "2011-11-01", "language": "fr",
         "text": "La révolution égyptienne de 2011 a bouleversé le pays. Le 25 janvier, des "
                 "milliers de manifestants ont occupé la place Tahrir au Caire."},
    ]
    entries = newsfuse.timeline(newsfuse.read([_write(tmp_path / "fr.jsonl", rows)]),
                                dates=5)
    named = {(e.article_id, e.expression): e.date for e in entries if e.expression}
    assert named[("b", "25 janvier")] == "2011-01-25"
    assert all(e.date != "2012-01-25" for e in entries)


def test_a_far_date_without_any_year_written_is_left_out(tmp_path):
    rows = [
        {"id": "a", "date": "2011-02-12", "language": "it",
         "text": "Hosni Mubarak ha lasciato il potere ieri, ha annunciato il vicepresidente."},
        {"id": "b", "date": "2011-11-01", "language": "it",
         "text": "Il 25 gennaio migliaia di manifestanti hanno occupato piazza Tahrir al "
                 "Cairo, ricordano i militanti."},
    ]
    entries = newsfuse.timeline(newsfuse.read([_write(tmp_path / "it.jsonl", rows)]),
                                dates=5)
    assert not any(e.article_id == "b" and e.expression for e in entries)
    # within the coming weeks a date without its year is the nearest one
    rows[1]["date"] = "2011-02-10"
    entries = newsfuse.timeline(newsfuse.read([_write(tmp_path / "it.jsonl", rows)]),
                                dates=5)
    assert any(e.article_id == "b" and e.date == "2011-01-25" for e in entries)


def test_a_live_page_time_stamp_is_not_part_of_the_entry(tmp_path):
    rows = [{"id": "live", "date": "2011-02-11", "language": "es",
             "text": "21.55 h: El presidente de Estados Unidos, Barack Obama, celebra la "
                     "renuncia de Hosni Mubarak en un discurso en la Casa Blanca."}]
    entries = newsfuse.timeline(newsfuse.read([_write(tmp_path / "es.jsonl", rows)]),
                                dates=2)
    assert entries and entries[0].text.startswith("El presidente de Estados Unidos")
    source = next(iter(newsfuse.read([tmp_path / "es.jsonl"]))).sentences[0].text
    assert source.endswith(entries[0].text)  # the source's own words, the stamp cut


def test_sidebar_teasers_of_italian_pages_are_dropped_whole():
    articles = list(newsfuse.read([CLTLS / "it-egypt" / "articles.jsonl"]))
    raw = (CLTLS / "it-egypt" / "articles.jsonl").read_text(encoding="utf-8")
    assert raw.count("leggi tutto") > 100  # the pages carry them
    texts = [s.text for a in articles for s in a.sentences]
    assert not any("leggi tutto" in t for t in texts)
    # the opening sentences of a teaser go with its link
    assert not any(t.startswith("Pier Paolo Santi è attualmente analista") for t in texts)
    assert len(texts) > 1000  # the reporting stays


# --- day words that name no day, and dates set in capitals (sentences from cltls-dev) ------
def _days(sentence: str, published: str, language: str) -> list[tuple[str, str | None]]:
    from datetime import date

    from newsfuse.story.temporal import find_times
    return [(m.text, m.value) for m in find_times(sentence, date.fromisoformat(published),
                                                  language)]


def test_french_day_words_for_a_time_or_any_such_day_name_no_day():
    # fr-egypt-2013-10-19-ext_66: "d'aujourd'hui" is "of our time"
    assert _days("Les islamistes d'aujourd'hui font exactement la même chose: les "
                 "prostituées halal.", "2013-10-19", "fr") == []
    # fr-egypt-2013-07-10-ext_6: "de 1799 à aujourd'hui" is a span up to now
    assert ("aujourd'hui", "2013-07-10") not in _days(
        "Il n'y a pas de théorie du complot mais cette réalité: de 1799 à aujourd'hui "
        "(juillet 2013), les Arabes n'ont cessé d'être agressés.", "2013-07-10", "fr")
    # fr-egypt-2013-07-17-ext_9: the eve of the march, not the day before publication
    assert _days("le total des signatures qui gonfle inexorablement jusqu'à atteindre le "
                 "score de 22 millions, à la veille de la manifestation du 30 juin.",
                 "2013-07-17", "fr") == [("30 juin.", "2013-06-30")]
    # fr-yemen-2011-02-21-ext_1 and fr-egypt-2013-08-15-ext_39: any Wednesday, a headline
    assert _days("Un mercredi sur deux, Anaïs Bordages et Marie Telling vous recommandent "
                 "les meilleures séries du moment.", "2011-02-21", "fr") == []
    assert _days("Un vendredi de tous les dangers", "2013-08-15", "fr") == []
    # fr-egypt-2011-05-11-ext_16, fr-egypt-2013-08-01-ext_63: "still today", a state that
    # lasts
    assert _days("Ceux-ci ont maintenu le prince Khalifa à ce poste depuis 40 ans sans "
                 "discontinuer, après la fiction d'indépendance et encore aujourd'hui.",
                 "2011-05-11", "fr") == []
    assert _days("L'on enseigne, aujourd'hui encore, à nos écoliers, qu'elle est née à "
                 "Athènes.", "2013-08-01", "fr") == []
    # the same words still name a day where they do
    assert _days("Aujourd'hui, après beaucoup de spéculations, Wael Ghonim a été libéré.",
                 "2011-02-07", "fr") == [("Aujourd'hui", "2011-02-07")]
    assert _days("La veille, l'armée avait lancé un ultimatum.", "2013-07-02",
                 "fr") == [("La veille", "2013-07-01")]
    assert _days("L'armée a lancé lundi soir un ultimatum à Mohammed Morsi.", "2013-07-03",
                 "fr") == [("lundi", "2013-07-01")]


def test_spanish_and_italian_words_for_our_time_or_every_week_name_no_day():
    # es-egypt-2013-01-25-ext_4
    assert _days("Sin embargo, el mayor poder que hoy en día tienen grupos "
                 "ultraconservadores musulmanes como los salafistas hace temer que los "
                 "coptos acaben sufriendo una mayor discriminación.", "2013-01-25", "es") == []
    # es-yemen-2011-10-07-ext_59: every Tuesday, for months
    assert _days("Durante meses ha acudido cada martes a la Plaza de la Libertad de Saná.",
                 "2011-10-07", "es") == []
    assert _days("El martes pasado acudió a la Plaza de la Libertad de Saná.", "2011-10-07",
                 "es") == [("martes pasado", "2011-10-04")]
    # it-egypt-2012-01-14-ext_50: "ancora oggi" is "still today"
    assert _days("La Chiesa non è vecchia, antica o già passata, visto che esiste ancora oggi, "
                 "è storia presente, è giovane.", "2012-01-14", "it") == []
    # es-egypt-2011-07-23-ext_81
    assert _days("Estas últimas declaraciones de Gadafi se producen cinco meses después de las "
                 "revueltas que comenzaron en Libia y que aún hoy mantienen enfrentadas a los "
                 "leales al régimen con los rebeldes.", "2011-07-23", "es") == []
    # it-egypt-2011-05-08-ext_47: "ad oggi" is "up to now"
    assert _days("l'assetto strategico stabilito dal dopoguerra 1945 ad oggi.", "2011-05-08",
                 "it") == []


def test_a_chronology_set_in_capitals_is_read():
    # fr-egypt-2012-06-19-ext_18 lists Moubarak's life as "25 JANVIER 2011", "2 JUIN 2012"
    assert _days("25 JANVIER 2011", "2012-06-19", "fr") == [("25 JANVIER 2011", "2011-01-25")]
    assert _days("2 JUIN 2012", "2012-06-19", "fr") == [("2 JUIN 2012", "2012-06-02")]


def test_a_hard_wrapped_french_article_is_read_as_sentences_and_dated():
    # fr-egypt-2013-01-30-ext_20 is printed at about 40 characters a line
    article = next(a for a in newsfuse.read([CLTLS / "fr-egypt" / "articles.jsonl"])
                   if a.id == "fr-egypt-2013-01-30-ext_20")
    texts = [s.text for s in article.sentences]
    opening = next(t for t in texts if t.startswith("Ce 29 janvier"))
    assert opening.startswith("Ce 29 janvier, l'armée égyptienne a mis en garde contre un "
                              "\"effondrement de l'Etat\" en cas de poursuite de la grave crise")
    assert "Les violences semblaient avoir baissé d'intensité dans la journée de mardi, mais " \
           "la situation restait tendue dans le centre-ville du Caire." in texts
    # a heading set in capitals stays apart from the paragraph after it
    assert not any(t.startswith("L'ARMEE EGYPTIENNE") and "Alors que" in t for t in texts)
    from datetime import date

    from newsfuse.timelines import prepare
    prepared = prepare([article])
    assert prepared is not None
    named = [prepared.texts[c.row] for c in prepared.candidates[date(2013, 1, 29)] if c.named]
    assert any(t.startswith("Ce 29 janvier") and "effondrement de l'Etat" in t for t in named)


def test_ordinary_lines_are_not_joined(tmp_path):
    # a heading, then paragraphs: one line running on into a lower-case one is no wrapping
    rows = [{"id": "a", "date": "2011-02-12", "language": "fr",
             "text": "Egypte: la chute\nmoubarak est parti, disent les manifestants.\n"
                     "Hosni Moubarak a quitté le pouvoir hier.\n"
                     "L'armée a pris les commandes du pays.\nLe Caire est en fête."}]
    article = next(iter(newsfuse.read([_write(tmp_path / "fr.jsonl", rows)])))
    assert [s.text for s in article.sentences][-3:] == [
        "Hosni Moubarak a quitté le pouvoir hier.", "L'armée a pris les commandes du pays.",
        "Le Caire est en fête."]


def test_the_benchmark_reads_reference_entries_whose_dashes_are_glued_to_a_sentence():
    from benchmarks.timelines_cltls import reference
    ref = reference(CLTLS / "fr-yemen")
    raw = (CLTLS / "fr-yemen" / "timeline.txt").read_text(encoding="utf-8")
    assert "la capitale--------" in raw
    sentences = [s for ss in ref.dates.values() for s in ss]
    assert not any("-----" in s for s in sentences)
    assert not any(s[:4].isdigit() and s[4:5] == "-" and len(s) == 10 for s in sentences)
    assert ref.l == len({line[:10] for line in raw.splitlines()
                         if len(line.strip()) == 10 and line[:2] == "20"})
    assert any(s.endswith("la capitale") for s in ref.dates[max(d for d in ref.dates
                                                                 if d.isoformat() <= "2011-03-11")])


def test_a_passage_opening_with_its_day_goes_on_about_it_and_the_next_day_moves_it():
    # fr-yemen-2011-08-22-ext_3: "Le 18 mars, ..." then what followed the massacre; "Le 3
    # juin, ..." then "Le lendemain, ..." (4 June)
    from datetime import date

    from newsfuse.timelines import prepare
    articles = list(newsfuse.read([CLTLS / "fr-yemen" / "articles.jsonl"]))
    prepared = prepare(articles)  # the topic's reports: March is within its span
    assert prepared is not None

    def texts(day: date, carried: bool) -> list[str]:
        return [prepared.texts[c.row] for c in prepared.candidates.get(day, [])
                if c.carried == carried]

    assert any(t.startswith("Le 18 mars, des tireurs embusqués tuent 52 manifestants")
               for t in texts(date(2011, 3, 18), False))
    assert any(t.startswith("Suite à ce massacre, de nombreux partisans du président Saleh")
               for t in texts(date(2011, 3, 18), True))
    assert not any("Le lendemain" in t for t in texts(date(2011, 6, 3), True))
    moved = [c for c in prepared.candidates.get(date(2011, 6, 4), []) if c.named]
    assert any(c.expression == "Le lendemain"
               and prepared.texts[c.row].startswith("Le lendemain, Ali Abdullah Saleh")
               for c in moved)
    # a carried sentence fills a day's entry; it never makes a day alone
    entries = newsfuse.timeline(articles, dates=60, sentences=3)
    by_day: dict[str, list[str]] = {}
    for e in entries:
        by_day.setdefault(e.date or "", []).append(e.text)
    for day, said in by_day.items():
        carried = set(texts(date.fromisoformat(day), True))
        assert not all(t in carried for t in said)


# --- page stamps, notes and earlier centuries (sentences from cltls-dev) --------------------
def _events(sentence: str, published: str, language: str) -> list[tuple[str, str | None]]:
    from datetime import date

    from newsfuse.story.temporal import event_times
    return [(m.text, m.value) for m in event_times(sentence, date.fromisoformat(published),
                                                   language)]


def test_a_page_stamp_names_no_day_anything_happened_on():
    # fr-egypt-2013-06-30-ext_48 and fr-egypt-2012-09-24-ext_14: publication and update
    line = ("Le Monde avec AFP et Reuters Publié le 30 juin 2013 à 16h44 - Mis à jour le 01 "
            "juillet 2013 à 08h41")
    assert [v for _, v in _days(line, "2013-06-30", "fr")] == ["2013-06-30", "2013-07-01"]
    assert _events(line, "2013-06-30", "fr") == []
    # fr-egypt-2013-07-03-ext_35: a byline's stamp between dashes
    assert _events("Joshua Keating — 3 juillet 2013 à 23h49 — mis à jour le 6 juillet 2013 "
                   "à 23h49", "2013-07-03", "fr") == []
    # fr-egypt-2013-08-01-ext_63: reader comments' stamps
    assert _events("cornille | 3 août 2013 11h07 | Répondre", "2013-08-01", "fr") == []
    assert _events("14 août à 12h25.", "2013-08-01", "fr") == []
    # es-egypt (elmundo.es pages): "Actualizado" stamps; it-egypt: "pubblicato il"
    assert _events("Actualizado el 30 de enero de 2011 a las 09:30h.", "2011-01-30",
                   "es") == []
    assert _events("(pubblicato il 17 aprile 2013 alle 10:12)", "2013-04-17", "it") == []
    # in the run of a sentence, the word tells of an event (fr-egypt-2013-02-11-ext_38,
    # fr-egypt-2013-06-30-ext_48)
    assert _events("Ils ont commencé à se faire connaître sous ce nom avec une vidéo publiée "
                   "le 24 janvier 2013.", "2013-02-11", "fr") == [
        ("24 janvier 2013", "2013-01-24")]
    assert _events("Mais dans une interview accordée au journal britannique The Guardian "
                   "publiée dimanche, Mohamed Morsi se dit déterminé à tenir tête.",
                   "2013-06-30", "fr") == [("dimanche", "2013-06-30")]
    # a deadline with its hour, and a chronology's entry with its hour, are events
    # (fr-egypt-2013-07-01-ext_17)
    assert _events("\"Nous donnons à Mohamed Morsi jusqu'à mardi 2 juillet à 17H00 (15H00 "
                   "GMT) pour quitter le pouvoir\", a affirmé Tamarrod.", "2013-07-01",
                   "fr") == [("mardi 2 juillet", "2013-07-02")]
    assert _events("3 juillet 2013 à 21h : le général Sissi annonce la destitution de Morsi.",
                   "2013-08-01", "fr") == [("3 juillet 2013", "2013-07-03")]


def test_a_numbered_note_cites_a_source_not_an_event():
    # fr-egypt-2013-07-25-ext_65's notes, es-yemen's bibliography
    assert _events("(7) Esam Al-Amin, « Egypt's fateful day », CounterPunch, 26 juin 2013.",
                   "2013-07-25", "fr") == []
    assert _events("[40] Antentas, JM y Vivas, E «El nuevo despertar», Viento Sur, 18 de "
                   "febrero de 2011.", "2011-10-07", "es") == []
    # a sentence opening with a number in brackets that is no note marker is read
    assert _events("Le 26 juin 2013, Morsi a prononcé un discours (2 heures).", "2013-07-25",
                   "fr") == [("26 juin 2013", "2013-06-26")]


def test_a_date_with_an_earlier_century_is_not_read_as_this_year():
    # fr-egypt-2013-08-01-ext_63: Waterloo, not 18 June 2013
    assert _days("En particulier le 18 juin 1815 et les jours précédents.", "2013-08-01",
                 "fr") == [("18 juin 1815", "1815-06-18")]
    assert _days("el 18 de junio de 1815", "2013-08-01", "es") == [
        ("18 de junio de 1815", "1815-06-18")]
    # a count after a comma is no year
    assert _days("Le 3 mars, 1500 soldats sont entrés dans la ville.", "2013-03-10",
                 "fr") == [("3 mars", "2013-03-03")]


def test_the_lead_is_where_the_running_text_starts_after_a_site_menu():
    # fr-egypt-2013-06-30-ext_48 opens with a site's menu and teasers (some ending in "?" or
    # "..."), a headline and a byline before the report: its lead is the report's opening
    from datetime import date

    from newsfuse.timelines import _text_start, prepare
    article = next(a for a in newsfuse.read([CLTLS / "fr-egypt" / "articles.jsonl"])
                   if a.id == "fr-egypt-2013-06-30-ext_48")
    texts = [s.text for s in article.sentences]
    assert texts[0].startswith("Comment la filière hydrogène")
    start = _text_start(article)
    opening = next(i for i, t in enumerate(texts) if t.startswith("Au moins cinq personnes"))
    assert start <= opening < start + settings.TLS_LEAD_SENTENCES
    assert not any(t.startswith(("Faut-il", "Pourquoi les hommes")) for t in texts[start:])
    prepared = prepare([article])
    assert prepared is not None
    leads = [prepared.texts[c.row] for c in prepared.candidates[date(2013, 6, 30)]
             if not c.named and not c.carried]
    assert any(t.startswith("L'armée estime à \"plusieurs millions\" le nombre d'opposants")
               for t in leads)
    assert not any(t.startswith("Comment la filière hydrogène") for t in leads)
    # a report that opens with its text starts at its first sentence (Timeline17-like)
    assert _text_start(next(iter(newsfuse.read([CLTLS / "fr-yemen" / "articles.jsonl"])))) <= 1


def test_a_day_and_capitalised_month_after_a_genitive_is_a_name():
    # fr-egypt-2013-07-06-gv_14, es-egypt-2011-11-21-ext_49, it-egypt-2012-09-29-ext_38: a
    # bridge, a revolution, the attacks of 11 September 2001, named after their day
    assert _days("Des milliers de manifestants pro-Morsi ont traversé ce matin le pont du "
                 "6 Octobre.", "2013-07-06", "fr") == [("ce matin", "2013-07-06")]
    assert _days("Tras la Revolución del 25 de Enero, el PND fue disuelto y se abrieron "
                 "procesos judiciales.", "2011-11-21", "es") == []
    assert _days("Bin Laden disse che gli attacchi del 11 Settembre erano mirati a "
                 "incentivare l'intervento di Washington nella zona.", "2012-09-29",
                 "it") == []
    # a capitalised month elsewhere (it-egypt-2011-09-08-ext_34), or a lower-case one after a
    # genitive (fr-egypt-2013-07-17-ext_9), is a date
    assert [t for t, _ in _days("dato che il 23 Febbraio il Presidente Obama dichiarò di "
                                "aver dato disposizioni alla sua amministrazione.",
                                "2011-09-08", "it")] == ["23 Febbraio"]
    assert _days("le total des signatures qui gonfle inexorablement jusqu'à atteindre le "
                 "score de 22 millions, à la veille de la manifestation du 30 juin.",
                 "2013-06-20", "fr") == [("30 juin.", "2013-06-30")]
