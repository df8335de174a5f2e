"""`newsfuse check` and `newsfuse salvage` on real stores (UCI headlines and Timeline17
articles, long enough to spill onto overflow pages), damaged for real: random bytes written
over table, overflow and full-text index pages, and rows edited behind the store's back."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from newsfuse.cli import main
from newsfuse.corpus.repair import check, salvage
from newsfuse.corpus.store import Store, StoreError
from tests.conftest import SEEDS, TIMELINE17, UCI
from tests.corpus.test_store import consistent

PAGE = 4096


@pytest.fixture(scope="module")
def sound(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sound") / "news.db"
    assert main(["ingest", "-q", "--db", str(path), str(UCI), str(TIMELINE17 / "H1N1_bbc")]) \
        in (0, 1)
    return path


def copy(store: Path, to: Path) -> Path:
    shutil.copy(store, to)
    return to


def damage(path: Path, seed: int = 5) -> list[int]:
    """Random bytes over three article leaf pages (the first one among them), two overflow
    pages of article records and one page of the full-text index; returns the pages."""
    with sqlite3.connect(path) as db:
        pages = db.execute("SELECT name, pagetype, pageno FROM dbstat WHERE name IN "
                           "('articles', 'search_data') ORDER BY pageno").fetchall()
        first = db.execute("SELECT pageno FROM dbstat WHERE name = 'articles' AND "
                           "pagetype = 'leaf' ORDER BY path LIMIT 1").fetchone()[0]
    rng = random.Random(seed)
    leaves = [p for n, t, p in pages if n == "articles" and t == "leaf" and p != first]
    overflow = [p for n, t, p in pages if n == "articles" and t == "overflow"]
    index = [p for n, t, p in pages if n == "search_data" and t == "leaf"]
    chosen = [first, *rng.sample(leaves, 2), *rng.sample(overflow, 2), *rng.sample(index, 1)]
    with open(path, "r+b") as f:
        for page in chosen:
            f.seek((page - 1) * PAGE)
            f.write(rng.randbytes(PAGE))
    return chosen


def records(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        return {r[0]: r[1] for r in db.execute("SELECT id, text FROM articles")}


def test_a_sound_store_passes_every_check(sound, capsys):
    assert main(["check", "--db", str(sound)]) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and out.count("  ok  ") == 7
    assert "no problem found" in out


def test_damaged_pages_are_found_and_salvage_recovers_every_readable_article(
        sound, tmp_path, capsys):
    bad = damage(copy(sound, tmp_path / "bad.db"))
    assert len(bad) == 6
    before = (tmp_path / "bad.db").read_bytes()
    assert main(["check", "--db", str(tmp_path / "bad.db")]) == 1
    out = capsys.readouterr().out
    assert "FAIL  SQLite integrity" in out
    # the damaged tables are named, and only they
    named = {line.split()[1].rstrip(":") for line in out.splitlines()
             if line.startswith("        table ")}
    assert named == {"articles", "search_data"}
    assert "newsfuse salvage" in out

    new = tmp_path / "new.db"
    assert main(["salvage", "--db", str(tmp_path / "bad.db"), "--out", str(new)]) == 1
    out = capsys.readouterr().out
    original, saved = records(sound), records(new)
    lost = set(original) - set(saved)
    assert 0 < len(lost) < 40  # a leaf page holds a few rows; an overflow page one record
    assert f"{len(saved):,} of {len(original):,} article(s) recovered" in out
    assert f"lost: {len(lost):,} article(s)" in out
    assert all(article_id in out for article_id in sorted(lost)[:20])
    with sqlite3.connect(sound) as db:  # the first rows were on the first damaged page
        assert db.execute("SELECT id FROM articles WHERE rowid = 1").fetchone()[0] in lost
    # nothing garbled is recovered: every saved article is the original one
    assert all(saved[i] == original[i] for i in saved)
    assert set(saved) <= set(original)
    # the new store is sound and usable; the damaged one was only read
    assert main(["check", "--db", str(new)]) == 0
    assert consistent(new)["articles"] == len(saved)
    assert main(["ingest", "-q", "--db", str(new), str(SEEDS)]) == 0
    assert (tmp_path / "bad.db").read_bytes() == before


def test_a_damaged_store_is_refused_for_writing_and_read_without_a_traceback(
        sound, tmp_path, capsys):
    bad = copy(sound, tmp_path / "bad.db")
    damage(bad)
    before = bad.read_bytes()
    capsys.readouterr()
    assert main(["ingest", "--db", str(bad), str(SEEDS)]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "refused for writing" in err and "newsfuse salvage" in err
    assert bad.read_bytes() == before
    with sqlite3.connect(sound) as db:
        # the events of articles on the damaged pages: their briefs cannot be read
        events = [r[0] for r in db.execute("SELECT DISTINCT event FROM articles")]
    codes = {}
    for event in events:
        code = main(["brief", "--db", str(bad), "--event", str(event), "--encoder", "tfidf"])
        codes[code] = codes.get(code, 0) + 1
        err = capsys.readouterr().err
        assert "Traceback" not in err
        if code == 2 and "damaged" in err:
            assert "newsfuse check" in err
            break
    assert codes.get(2), "no event touched the damaged pages"


def test_check_finds_rows_edited_behind_the_stores_back(sound, tmp_path, capsys):
    edited = copy(sound, tmp_path / "edited.db")
    with sqlite3.connect(edited) as db:
        live = db.execute("SELECT id FROM events WHERE merged_into IS NULL AND size > 1 "
                          "ORDER BY id LIMIT 1").fetchone()[0]
        first = db.execute("SELECT rowid, id FROM articles ORDER BY rowid LIMIT 1").fetchone()
        db.execute("UPDATE events SET size = size + 3 WHERE id = ?", (live,))
        db.execute("DELETE FROM search WHERE rowid = ?", (first[0],))
        db.execute("INSERT INTO placement(article, event) VALUES (99999999, ?)", (live,))
        db.execute("UPDATE articles SET event = 88888888 WHERE rowid = "
                   "(SELECT MAX(rowid) FROM articles)")
        db.execute("UPDATE state SET value = value + 1 WHERE key = 'documents'")
    assert main(["check", "--db", str(edited)]) == 1
    out = capsys.readouterr().out
    assert "ok    SQLite integrity" in out
    assert "1 article(s) missing from the full-text index" in out
    assert "1 placement row(s) for no article" in out
    assert "1 article(s) in no event" in out
    assert f"event {live}: size" in out
    assert "the clustering counted" in out
    report = check(edited)
    assert report.problems >= 5


def test_what_cannot_be_checked_or_salvaged_is_said_in_one_line(tmp_path, capsys, sound):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 500)
    assert main(["check", "--db", str(garbage)]) == 2
    assert main(["check", "--db", str(tmp_path / "missing.db")]) == 2
    assert main(["salvage", "--db", str(garbage), "--out", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("newsfuse:") == 3
    assert not (tmp_path / "x.db").exists()
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t(x)")
    with pytest.raises(StoreError, match="not a newsfuse store"):
        check(foreign)
    taken = tmp_path / "taken.db"
    with Store(taken):
        pass
    with pytest.raises(StoreError, match="already exists"):
        salvage(sound, taken)
