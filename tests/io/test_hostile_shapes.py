"""Hostile shapes for every reader: deep nesting, long values, many fields. Each input is
read without a traceback, in bounded time and memory, and every record is either read or
reported as skipped."""

from __future__ import annotations

import io
import json
import time
import tracemalloc
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfuse import read
from newsfuse.io import BytesStream
from tests.io.test_readers import write_warc

# Generous for a busy 2-core machine: linear work on these inputs takes well under a second.
SECONDS = 20
PEAK_MB = 400
TEXT = "Protesters broke into the compound on Tuesday, witnesses said."

# A value of some hostile shape: nested lists or objects `depth` deep around a payload.
depths = st.sampled_from([0, 1, 3, 70, 2_000, 30_000])
payloads = st.sampled_from(['"words"', "9" * 5_000, '"' + "x" * 200_000 + '"', "null",
                            "[]", "{}", '"\\ud800"', "-1e999"])


def nested(depth: int, payload: str, kind: str) -> str:
    if kind == "list":
        return "[" * depth + payload + "]" * depth
    return '{"a":' * depth + payload + "}" * depth


def record(depth: int, payload: str, kind: str, field: str) -> str:
    value = nested(depth, payload, kind)
    return f'{{"id": "r", "title": "A headline", "{field}": {value}, "text": "{TEXT}"}}'


records = st.builds(
    record, depths, payloads, st.sampled_from(["list", "object"]),
    st.sampled_from(["text", "date", "title", "source", "extra"]))


def bounded(run) -> tuple[int, int]:
    """Run ``run`` (returning a stream); its article and skipped counts, within bounds."""
    tracemalloc.start()
    started = time.process_time()
    try:
        stream = run()
        articles = sum(1 for _ in stream)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.process_time() - started < SECONDS
    assert peak < PEAK_MB * 1024 * 1024
    assert stream.report.articles == articles
    return articles, stream.report.skipped_total


@given(st.lists(records, min_size=1, max_size=4), st.sampled_from(["array", "lines"]))
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_json_of_any_shape_is_read_or_reported(tmp_path_factory, rows, layout):
    folder = tmp_path_factory.mktemp("json")
    if layout == "array":
        path = folder / "records.json"
        path.write_text("[" + ",\n".join(rows) + "]")
    else:
        path = folder / "records.jsonl"
        path.write_text("\n".join(rows) + "\n")
    articles, skipped = bounded(lambda: read([path]))
    assert articles + skipped == len(rows)
    body = ("[" + ",".join(rows) + "]").encode()
    articles, skipped = bounded(lambda: BytesStream(body, "request"))
    assert articles + skipped == len(rows)


@given(st.integers(1, 30_000), st.integers(1, 3_000_000), st.integers(1, 50))
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_csv_wide_long_and_many_rows(tmp_path_factory, columns, field, rows):
    path = tmp_path_factory.mktemp("csv") / "wide.csv"
    header = "title,text," + ",".join(f"c{i}" for i in range(columns))
    row = f'"A headline","{"w " * (field // 2)}",' + ",".join("x" for _ in range(columns))
    path.write_text(header + "\n" + "\n".join(row for _ in range(rows)) + "\n")
    articles, skipped = bounded(lambda: read([path]))
    assert articles + skipped == rows


@given(st.integers(1, 100_000), st.integers(0, 3))
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_html_deeply_nested_in_a_file_and_a_warc(tmp_path_factory, depth, paragraphs):
    folder = tmp_path_factory.mktemp("html")
    body = f"<p>{TEXT} {TEXT}</p>" * paragraphs
    page = "<html><body>" + "<div>" * depth + body + "</div>" * depth + "</body></html>"
    (folder / "page.html").write_text(page)
    articles, skipped = bounded(lambda: read([folder / "page.html"]))
    assert articles + skipped == 1
    write_warc(folder / "crawl.warc.gz", [("https://news.example/a", "text/html", page)])
    articles, skipped = bounded(lambda: read([folder / "crawl.warc.gz"]))
    assert articles + skipped == 1


def test_json_array_of_many_small_records_is_linear(tmp_path: Path):
    # 20,000 records: splitting and parsing stay proportional to the input
    path = tmp_path / "many.json"
    row = json.dumps({"id": "x", "title": "A headline", "text": TEXT})
    path.write_text("[" + ",".join(row.replace('"x"', f'"x{i}"') for i in range(20_000)) + "]")
    started = time.process_time()
    stream = read([path], clean=False)
    assert sum(1 for _ in stream) == 20_000
    assert time.process_time() - started < SECONDS


def test_body_nested_lists_of_text_cost_little():
    # 98 bytes of nested text lists once took 8 s of server CPU
    body = io.BytesIO()
    body.write(b'[{"title": "t", "text": ' + b"[" * 40 + b'"a", "b"' + b"]" * 40 + b"}]")
    articles, skipped = bounded(lambda: BytesStream(body.getvalue(), "request"))
    assert articles + skipped == 1
