"""Bad input never ends in a traceback or silent loss: one message each, counted, exit codes."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from newsfuse.cli import main
from tests.io.test_readers import ARTICLE_HTML, write_warc


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["read", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def last_line(err: str) -> str:
    return err.strip().splitlines()[-1]


def test_missing_path(capsys, tmp_path: Path):
    code, out, err = run_cli(capsys, str(tmp_path / "nope.txt"))
    assert code == 2 and out == ""
    assert "nope.txt: no such file or directory" in err
    assert last_line(err) == "read 0 articles from 0 files; skipped 1 (1 missing path)"


def test_missing_path_next_to_good_file(capsys, tmp_path: Path):
    (tmp_path / "ok.txt").write_text("A body sentence.\n")
    code, _, err = run_cli(capsys, str(tmp_path / "ok.txt"), str(tmp_path / "nope.txt"))
    assert code == 1
    assert last_line(err) == "read 1 article from 1 file; skipped 1 (1 missing path)"


def test_folder_with_nothing_readable(capsys, tmp_path: Path):
    (tmp_path / "img.bin").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, err = run_cli(capsys, str(tmp_path))
    assert code == 2 and out == ""
    assert "img.bin: binary file" in err and "empty.txt: empty file" in err
    assert last_line(err) == ("read 0 articles from 2 files; skipped 2 "
                              "(1 binary file, 1 empty file)")


def test_empty_folder(capsys, tmp_path: Path):
    code, _, err = run_cli(capsys, str(tmp_path))
    assert code == 2 and "folder holds no files" in err


def test_invalid_utf8_and_windows_1252(capsys, tmp_path: Path):
    text = "Café owners in Zürich said the “new rules” cost them €5,000 each.\n"
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "broken.txt").write_bytes(b"Valid start \xff\xfe then more words here.\n")
    code, out, err = run_cli(capsys, "--format", "jsonl", str(tmp_path))
    assert code == 0
    rows = {r["id"]: r for r in map(json.loads, out.splitlines())}
    assert rows["cp1252"]["text"] == text.strip()
    assert "not valid UTF-8; decoded as" in err
    assert rows["broken"]["text"].startswith("Valid start")
    assert err.count("not valid UTF-8") == 2


def test_jsonl_with_one_broken_line(capsys, tmp_path: Path):
    lines = [json.dumps({"id": "a", "text": "First."}), '{"id": "b", "text": "Sec',
             json.dumps({"id": "c", "text": "Third."}), "[1, 2]"]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    code, out, err = run_cli(capsys, "--format", "jsonl", str(tmp_path / "feed.jsonl"))
    assert code == 1
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["a", "c"]
    assert "feed.jsonl:2: invalid JSON" in err
    assert "feed.jsonl:4: expected a JSON object" in err
    assert last_line(err).startswith("read 2 articles from 1 file; skipped 2")


def test_records_without_text(capsys, tmp_path: Path):
    (tmp_path / "r.json").write_text(json.dumps([{"id": "x", "url": "http://a"},
                                                 {"id": "y", "text": "Has text."}]))
    code, out, err = run_cli(capsys, "--format", "jsonl", str(tmp_path / "r.json"))
    assert code == 1
    assert "r.json:1: record has no text or title field" in err
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["y"]


def test_truncated_gzip(capsys, tmp_path: Path):
    payload = "".join(json.dumps({"id": str(i), "text": f"Story {i} " * 50}) + "\n"
                      for i in range(200))
    data = gzip.compress(payload.encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    code, out, err = run_cli(capsys, "--format", "jsonl", str(tmp_path / "cut.jsonl.gz"))
    assert code == 1
    read = len(out.splitlines())
    assert 0 < read < 200
    assert "truncated or corrupt compressed data" in err
    assert "1 truncated file" in last_line(err)


def test_truncated_warc(capsys, tmp_path: Path):
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, [(f"https://x.example/{i}", "text/html", ARTICLE_HTML)
                       for i in range(6)])
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    whole.unlink()
    code, out, err = run_cli(capsys, "--format", "jsonl", str(cut))
    assert code == 1
    assert 0 < len(out.splitlines()) < 6
    assert "cut.warc.gz:4: WARC record is truncated" in err


def test_html_without_main_content(capsys, tmp_path: Path):
    (tmp_path / "nav.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    code, _, err = run_cli(capsys, str(tmp_path / "nav.html"))
    assert code == 2
    assert "nav.html: HTML page has no main content" in err


def test_fifty_megabyte_single_line(capsys, tmp_path: Path):
    big = tmp_path / "big.txt"
    chunk = b"The council met again and said nothing new about the budget plan. "
    with big.open("wb") as f:
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            f.write(chunk)
    code, out, err = run_cli(capsys, "--format", "jsonl", str(big))
    assert code == 0
    row = json.loads(out)
    assert 0 < len(row["text"]) <= 300_000
    assert any("only its start was read" in w for w in row["warnings"])
    assert "only its start was read" in err


def test_unparseable_dates_kept_unknown(capsys, tmp_path: Path):
    (tmp_path / "d.jsonl").write_text(
        json.dumps({"id": "a", "text": "Body.", "date": "the day after the storm"}) + "\n"
        + json.dumps({"id": "b", "text": "Body.", "date": "2020-13-45"}) + "\n")
    (tmp_path / "m.txt").write_text("date 2020-02-31 A body here.\n")
    code, out, err = run_cli(capsys, "--format", "jsonl", str(tmp_path))
    assert code == 0
    rows = [json.loads(x) for x in out.splitlines()]
    assert [r["date"] for r in rows] == [None, None, None]
    assert err.count("kept as unknown") == 3


def test_non_english_article_is_flagged(capsys, tmp_path: Path):
    (tmp_path / "fr.txt").write_text(
        "Le gouvernement a annoncé mardi une nouvelle réforme des retraites, qui doit être "
        "présentée au Parlement le mois prochain, selon le Premier ministre.\n")
    code, out, err = run_cli(capsys, "--format", "jsonl", str(tmp_path / "fr.txt"))
    assert code == 0
    assert json.loads(out)["language"] == "fr"
    assert "language identified as 'fr', not English" in err


def test_csv_without_title_column(capsys, tmp_path: Path):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    code, _, err = run_cli(capsys, str(tmp_path / "x.csv"))
    assert code == 2 and "CSV has no title or headline column" in err


def test_csv_row_with_wrong_field_count(capsys, tmp_path: Path):
    (tmp_path / "h.csv").write_text("id,title\n1,Good headline\n2,Bad,extra\n")
    code, _out, err = run_cli(capsys, str(tmp_path / "h.csv"))
    assert code == 1 and "h.csv:3: expected 2 fields, found 3" in err


@pytest.mark.parametrize("args", [[], ["--format", "xml", "x"]])
def test_usage_errors_exit_2(args):
    with pytest.raises(SystemExit) as exc:
        main(["read", *args])
    assert exc.value.code == 2


def test_help_on_every_command(capsys):
    for argv in (["--help"], ["read", "--help"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 0
    assert "Exit codes" in capsys.readouterr().out


def test_stdin_dash(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(
        b'{"id": "s", "title": "T", "text": "Body from stdin."}\n')))
    code, out, err = run_cli(capsys, "-")
    assert code == 0 and "Body from stdin." in out
    assert last_line(err) == "read 1 article from 1 file; skipped 0"
