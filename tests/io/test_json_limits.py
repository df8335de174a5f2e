"""JSON records of any shape are read within bounds: a bad record is skipped alone, with its
reason, and the records after it are still read."""

from __future__ import annotations

import io
import json
import resource
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfuse.cli import main
from newsfuse.io import BytesStream
from newsfuse.io.dates import DateNotUnderstood, parse_date
from newsfuse.io.jsonscan import RecordError, loads_record, split_array

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
GOOD = {"id": "ok", "title": "Protesters storm embassy compound",
        "text": "Protesters broke into the compound on Tuesday, witnesses said."}


def run_read(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["read", "--format", "jsonl", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ids(out: str) -> list[str]:
    return [json.loads(line)["id"] for line in out.splitlines()]


# -- the array splitter agrees with the standard parser -----------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
    | st.sampled_from(['"', "\\", "[", "]", "{", "}", ",", '\\"', "\\\\"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20)


@given(st.lists(json_values, max_size=8), st.integers(1, 40), st.booleans())
@settings(max_examples=300, deadline=None)
def test_splitter_matches_json_loads(values, chunk_size, pretty):
    document = json.dumps(values, indent=2 if pretty else None).encode()
    elements = list(split_array(io.BytesIO(document), chunk_size))
    assert [e.problem for e in elements] == [None] * len(values)
    assert [loads_record(e.data) for e in elements] == values


def test_splitter_refuses_what_is_not_an_array():
    for document in (b'{"a": 1}', b'"text"', b"12", b"  "):
        with pytest.raises(RecordError):
            list(split_array(io.BytesIO(document)))


def test_truncated_array_keeps_the_records_before_the_cut():
    document = json.dumps([GOOD, GOOD, GOOD]).encode()[:-30]
    elements = []
    with pytest.raises(RecordError, match="not closed"):
        for element in split_array(io.BytesIO(document), 7):
            elements.append(element)
    assert len(elements) == 2


# -- one bad record, the rest read ---------------------------------------------------------

def bad_records() -> dict[str, bytes]:
    good = json.dumps(GOOD).encode()
    return {
        "deep array": b"[" * 100_000 + b"]" * 100_000,
        "deep text": b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "long number": b'{"text": "words here", "n": ' + b"9" * 5000 + b"}",
        "broken": b'{"text": nope, "date": [1,]}',
        "scalar": b"17",
        "nested lists": b'{"text": ' + b"[" * 30 + b'"a"' + b"]" * 30 + b"}",
        "nested lists with a title": b'{"title": "A title", "text": ' + b"[" * 30 + b'"a"'
                                     + b"]" * 30 + b"}",
        "good": good,
    }


@pytest.mark.parametrize("name", [k for k in bad_records() if k != "good"])
def test_bad_record_in_array_skips_only_itself(capsys, tmp_path: Path, name: str):
    bad = bad_records()[name]
    good = json.dumps(GOOD).encode()
    path = tmp_path / "mixed.json"
    path.write_bytes(b"[" + good + b",\n" + bad + b",\n" + good.replace(b'"ok"', b'"ok2"')
                     + b"]")
    code, out, err = run_read(capsys, str(path))
    if name in ("long number", "nested lists with a title"):  # read with what fits
        assert ids(out) == ["ok", "mixed:2", "ok2"]
        assert code == 0
    else:
        assert ids(out) == ["ok", "ok2"], err
        assert code == 1
        assert "mixed.json:2:" in err
        assert "skipped 1" in err.splitlines()[-1]
    assert "Traceback" not in err


@pytest.mark.parametrize("name", [k for k in bad_records() if k != "good"])
def test_bad_line_in_json_lines_skips_only_itself(capsys, tmp_path: Path, name: str):
    bad = bad_records()[name]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n" + bad + b"\n"
                     + json.dumps({**GOOD, "id": "ok2"}).encode() + b"\n")
    code, out, err = run_read(capsys, str(path))
    assert "ok" in ids(out) and "ok2" in ids(out)
    assert "Traceback" not in err
    if "nested" in name:
        assert "nested deeper than" in err
    assert code in (0, 1)


def test_unterminated_string_keeps_what_came_before(capsys, tmp_path: Path):
    path = tmp_path / "cut.json"
    path.write_bytes(b"[" + json.dumps(GOOD).encode() + b', {"text": "no end}, {"text": "x"}]')
    code, out, err = run_read(capsys, str(path))
    assert code == 1 and ids(out) == ["ok"]
    assert "cut.json:2: the array is not closed" in err and "Traceback" not in err


def test_deep_nesting_costs_little(tmp_path: Path):
    # 200 KB of brackets once took minutes and gigabytes through a streaming parser.
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 400_000 + b"]" * 400_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    from newsfuse import read

    stream = read([path])
    assert list(stream) == []
    assert stream.report.skipped_total == 1
    assert time.process_time() - started < 10  # generous: linear work takes well under 1 s
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200


def test_post_body_with_a_bad_record_reads_the_rest():
    body = b"[" + json.dumps(GOOD).encode() + b"," + b"[" * 5000 + b"]" * 5000 + b","
    body += json.dumps({**GOOD, "id": "ok2"}).encode() + b"]"
    stream = BytesStream(body, "request")
    assert [a.id for a in stream] == ["ok", "ok2"]
    assert stream.report.skipped_total == 1


# -- stdin -----------------------------------------------------------------------------------

class FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_json_array_on_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(json.dumps([GOOD]).encode()))
    code, out, err = run_read(capsys, "-")
    assert code == 0 and ids(out) == ["ok"]
    assert "Traceback" not in err


def test_empty_stdin_says_so(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(b"\n  \n"))
    code, out, err = run_read(capsys, "-")
    assert code == 2 and out == ""
    assert "<stdin>: no input" in err


# -- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["2020", 2020, "2020-13-01", "2019-02-30", "9" * 400,
                                   int("9" * 400), -(10 ** 300)])
def test_dates_that_say_too_little_or_nothing(value):
    with pytest.raises(DateNotUnderstood) as info:
        parse_date(value)
    assert len(str(info.value)) < 120


@pytest.mark.parametrize("value,day", [("2019-12-31", "2019-12-31"),
                                       ("2019-12-31T08:15:00Z", "2019-12-31"),
                                       ("Tue, 31 Dec 2019 08:15:00 GMT", "2019-12-31"),
                                       (1577780100, "2019-12-31"),
                                       ("1577780100000", "2019-12-31")])
def test_real_dates_still_parse(value, day):
    parsed = parse_date(value)
    assert parsed is not None and parsed.date().isoformat() == day


def test_seed_records_as_json_array_read_whole(tmp_path: Path):
    from newsfuse import read

    seeds = [{"id": p.stem, "text": p.read_text()} for p in sorted(SEED.glob("*"))
             if p.is_file()]
    path = tmp_path / "seeds.json"
    path.write_text(json.dumps(seeds, indent=1))
    articles = list(read([path]))
    assert [a.id for a in articles] == [s["id"] for s in seeds]
    assert all(len(a.text) > 500 for a in articles)
