"""Arbitrary bytes into every reader: only articles or the project's own InputError come out."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsfuse
from newsfuse.errors import InputError
from newsfuse.io import READERS
from newsfuse.io.report import ReadReport
from newsfuse.model import Article

SUFFIX = {"text": ".txt", "jsonl": ".jsonl", "json": ".json", "html": ".html",
          "warc": ".warc", "csv": ".csv"}
PREFIXES = [b"", b"WARC/1.0\r\n", b'{"id": 1, "text": "', b'[{"title": "', b"<html><body><p>",
            b"title,text\n", b"\x1f\x8b", b" date 2020-01-01 "]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), data=st.binary(max_size=600),
       fmt=st.sampled_from(sorted(READERS)))
def test_readers_yield_articles_or_input_errors(prefix: bytes, data: bytes, fmt: str):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{SUFFIX[fmt]}"
        path.write_bytes(prefix + data)
        try:
            for article in READERS[fmt](path, ReadReport()):
                assert isinstance(article, Article)
                newsfuse.clean_article(article)
        except InputError:
            pass


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=800))
def test_read_never_raises(data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input"
        path.write_bytes(data)
        stream = newsfuse.read([path])
        articles = list(stream)
        assert stream.report.articles == len(articles)
        assert stream.report.files == 1
