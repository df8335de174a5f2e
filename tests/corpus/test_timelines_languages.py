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
