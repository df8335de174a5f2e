"""The Spark job's stage functions, without Spark: Parquet rows read as JSON records are,
and time blocks are cut only where no event can reach across."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from newsfuse import read
from newsfuse.spark.stages import article_from_json, article_record, block_cuts, read_file

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")


def test_parquet_rows_read_as_json_records(tmp_path: Path) -> None:
    records = json.loads((DATA / "timeline17-dev" / "MJ_bbc" / "articles.json")
                         .read_text("utf-8"))[:5]
    rows = [{"id": r["uid"], "date": r["dct"], "text": r["text"]} for r in records]
    rows.append({"id": "empty", "date": "2009-06-26", "text": ""})
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "a.parquet")
    expected = list(read([tmp_path / "a.jsonl"]))
    got, problems = read_file("hdfs://nn/x/a.parquet", (tmp_path / "a.parquet").read_bytes())
    assert [(a.id, a.date, a.text, a.sentences) for a in got] == \
        [(a.id, a.date, a.text, a.sentences) for a in expected]
    assert got[0].origin.path == "hdfs://nn/x/a.parquet" and got[0].origin.line == 1
    assert [(p.severity, p.line) for p in problems] == [("skipped", 6)]
    # The record kept in the tables gives the same article back.
    assert all(article_from_json(article_record(a)) == a for a in got)


def test_read_file_names_the_original_uri(tmp_path: Path) -> None:
    data = b'{"id": "a", "text": "One sentence here. Another one."}\n{broken\n'
    articles, problems = read_file("s3a://bucket/feeds/day.jsonl", data)
    assert [a.id for a in articles] == ["a"]
    assert articles[0].origin.path == "s3a://bucket/feeds/day.jsonl"
    assert [(p.path, p.line) for p in problems] == [("s3a://bucket/feeds/day.jsonl", 2)]


def test_blocks_are_cut_at_gaps_longer_than_the_story_window() -> None:
    spans = [(100.2, 100.9), (101.0, 101.5), (170.0, 170.1), (200.0, 200.5), (261.0, 261.0)]
    assert block_cuts(spans, undated=False) == [170.0, 261.0]
    assert block_cuts(spans, undated=True) == []


def test_block_frequencies_count_each_articles_terms_once_per_block() -> None:
    from newsfuse.corpus.engine import BUCKETS
    from newsfuse.corpus.features import term_counts
    from newsfuse.spark.job import block_frequencies, term_bytes

    articles = list(read([DATA / "timeline17-dev" / "MJ_bbc" / "articles.json"]))[:40]
    terms = [list(term_counts(a).keys()) for a in articles]
    blocks = [i % 3 for i in range(len(articles))]  # blocks 0-2, every batch mixing them
    schema = pa.schema([("block", pa.int32()), ("terms", pa.binary())])
    vectors = [term_bytes(ts) for ts in terms]
    batches = [pa.RecordBatch.from_pydict({"block": blocks[i:i + 15],
                                           "terms": vectors[i:i + 15]},
                                          schema=schema) for i in range(0, len(terms), 15)]
    rows = pa.Table.from_batches(list(block_frequencies(iter(batches)))).to_pylist()
    expected = {b: np.zeros(BUCKETS, dtype=np.int64) for b in range(3)}
    for block, ts in zip(blocks, terms, strict=True):
        for t in set(ts):
            expected[block][t] += 1
    assert sorted(r["block"] for r in rows) == [0, 1, 2]
    for r in rows:
        got = np.zeros(BUCKETS, dtype=np.int64)
        got[np.frombuffer(r["terms"], dtype=np.int32)] = np.frombuffer(r["counts"], np.int32)
        assert r["documents"] == blocks.count(r["block"])
        assert np.array_equal(got, expected[r["block"]])
