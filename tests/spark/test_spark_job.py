"""``newsfuse spark`` gives the local engine's answers: the same articles, events, stories,
copies and briefs, on real data (Timeline17 collections two seasons apart, UCI headlines,
a WARC crawl, Parquet), and its result loads into a store that ``serve`` reads."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sklearn.metrics import adjusted_rand_score
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfuse import cluster, read
from newsfuse.cli import main
from newsfuse.corpus.cluster import canonical_order
from newsfuse.corpus.store import Store
from newsfuse.spark.stages import read_file

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
if not DATA.is_dir():
    DATA = Path("/work/shared/data")

PAGE = """<html><head><title>{title}</title>
<meta property="article:published_time" content="{date}"></head><body><article>
<h1>{title}</h1>{body}</article><footer>Advertisement</footer></body></html>"""


def _records(collection: str, n: int) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(
        (DATA / "timeline17-dev" / collection / "articles.json").read_text("utf-8"))
    return data[:n]


def _write_sample(folder: Path) -> tuple[Path, Path]:
    """A folder the local readers read (JSON Lines, CSV, WARC, in sub-folders), and a
    Parquet file beside it. Timeline17 reports from 2009 and 2010 and headlines from 2014:
    time blocks; a report republished a day later (a copy) and four months later (a copy
    whose original's event is closed)."""
    inputs = folder / "inputs"
    (inputs / "t17").mkdir(parents=True)
    flu = _records("H1N1_reuters", 14)
    oil = _records("bpoil_bbc", 14)
    copy = dict(oil[2], uid="oil-copy")
    late = dict(flu[3], uid="flu-late", dct="2009-12-20")
    with (inputs / "t17" / "flu.jsonl").open("w", encoding="utf-8") as f:
        for record in [*flu, late]:
            f.write(json.dumps(record) + "\n")
    with (inputs / "t17" / "oil.jsonl").open("w", encoding="utf-8") as f:
        for record in [*oil, copy]:
            f.write(json.dumps(record) + "\n")
        f.write("{not json\n")  # a bad record: skipped and reported, the rest kept
    with (DATA / "uci-headlines" / "dev.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    with (inputs / "headlines.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows[:90])
    with (inputs / "crawl.warc.gz").open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n, record in enumerate(oil[5:9]):
            body = "".join(f"<p>{p}</p>" for p in record["text"].split(" . ")[:12])
            html = PAGE.format(title=f"Gulf report {n}", date=record["dct"], body=body)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://news.example/oil/{n}", "response",
                payload=io.BytesIO(html.encode()), http_headers=headers,
                warc_headers_dict={"WARC-Date": record["dct"] + "T12:00:00Z"}))
    parquet = folder / "extra" / "more.parquet"
    parquet.parent.mkdir()
    pq.write_table(pa.Table.from_pylist(
        [{"id": r["uid"] + "-pq", "date": r["dct"], "text": r["text"]}
         for r in _records("H1N1_bbc", 6)]), parquet)
    return inputs, parquet


@pytest.fixture(scope="module")
def result(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from newsfuse.spark.load import read_manifest

    folder = tmp_path_factory.mktemp("spark")
    inputs, parquet = _write_sample(folder)
    out = folder / "out"
    # The command as a user runs it (the session of the fixture is the one it gets).
    code = main(["spark", str(inputs), str(parquet), "--out", str(out), "--master",
                 "local[2]", "--partitions", "2", "--encoder", "tfidf", "--quiet"])
    assert code == 1  # one bad record skipped
    report = read_manifest(out)["report"]
    stream = read([inputs])
    local = list(stream)
    extra, _ = read_file(str(parquet), parquet.read_bytes())
    return {"report": report, "out": out, "local": local + extra, "inputs": inputs,
            "parquet": parquet,
            "read_report": stream.report,
            "articles": pq.read_table(out / "articles").to_pylist(),
            "events": pq.read_table(out / "events").to_pylist(),
            "briefs": pq.read_table(out / "briefs").to_pylist(),
            "problems": pq.read_table(out / "problems").to_pylist()}


def test_reads_what_the_local_readers_read(result: dict[str, Any]) -> None:
    rows = sorted(result["articles"], key=lambda r: r["seq"])
    local = result["local"]
    assert [r["source_id"] for r in rows] == [a.id for a in local]
    for row, article in zip(rows, local, strict=True):
        record = json.loads(row["record"])
        assert record["text"] == article.text and record["date"] == (
            article.date.isoformat() if article.date else None)
        assert [s["text"] for s in record["sentences"]] == [s.text for s in article.sentences]
    assert any(r["path"].endswith("crawl.warc.gz") for r in rows)
    assert any(r["id"].endswith("-pq") for r in rows)
    skipped = [p for p in result["problems"] if p["severity"] == "skipped"]
    assert len(skipped) == result["read_report"].skipped_total == 1
    assert skipped[0]["path"].endswith("oil.jsonl") and skipped[0]["line"] == 16
    assert result["report"]["articles"] == len(local)


def test_events_stories_and_copies_equal_the_local_engine(result: dict[str, Any]) -> None:
    local = cluster(result["local"])
    spark = {r["id"]: r for r in result["articles"]}
    ids = [a.id for a in local]
    events = adjusted_rand_score([a.event for a in local], [spark[i]["event"] for i in ids])
    stories = adjusted_rand_score([a.story for a in local], [spark[i]["story"] for i in ids])
    assert events >= 0.99 and stories >= 0.99
    assert {a.id: a.copy_of for a in local} == {i: spark[i]["copy_of"] for i in ids}
    assert spark["oil-copy"]["copy_of"] is not None
    assert spark["flu-late"]["copy_of"] is not None  # its original is an earlier block
    assert result["report"]["blocks"] >= 3
    names = {e["event"]: e["name"] for e in result["events"]}
    assert [names[spark[a.id]["event"]] for a in local] == [a.event for a in local]


_LOCAL_BRIEFS = """
import json, sys
from pathlib import Path
from newsfuse import brief, read
from newsfuse.errors import UsageError
from newsfuse.render.brief_json import brief_to_json
from newsfuse.spark.stages import read_file
job = json.load(sys.stdin)
articles = list(read([job["inputs"]]))
articles += read_file(job["parquet"], Path(job["parquet"]).read_bytes())[0]
out = []
for group in job["groups"]:
    try:
        made = brief([articles[i] for i in group], encoder="tfidf", events="together")
        out.append([brief_to_json(made), None])
    except UsageError as exc:
        out.append([None, str(exc)])
print(json.dumps(out))
"""


def _local_briefs(result: dict[str, Any], groups: list[list[int]]) -> list[list[str | None]]:
    """Briefs made by the local pipeline in a process with the hash seed Spark gives its
    Python workers (PYTHONHASHSEED, 0 unless set): some ties in a brief (quote renderings
    of one article, speakers mentioned equally often) fall to set order, which that seed
    fixes."""
    import newsfuse

    source = str(Path(newsfuse.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED", "0"),
           "PYTHONPATH": source}
    job = {"inputs": str(result["inputs"]), "parquet": str(result["parquet"]),
           "groups": groups}
    done = subprocess.run([sys.executable, "-c", _LOCAL_BRIEFS], input=json.dumps(job),
                          capture_output=True, text=True, env=env, check=True)
    made: list[list[str | None]] = json.loads(done.stdout.strip().splitlines()[-1])
    return made


def test_equal_events_get_identical_briefs(result: dict[str, Any]) -> None:
    local = result["local"]
    clustering = cluster(local)
    members: dict[str, list[int]] = defaultdict(list)
    for i in canonical_order(local):
        members[clustering.assignments[i].event].append(i)
    spark = {r["id"]: r for r in result["articles"]}
    briefs = {b["event"]: b for b in result["briefs"]}
    groups = sorted(members.values(), key=len, reverse=True)[:8]
    compared = 0
    for indices, (expected, reason) in zip(groups, _local_briefs(result, groups),
                                           strict=True):
        made = briefs[spark[clustering.assignments[indices[0]].id]["event"]]
        assert made["articles"] == len(indices)
        assert (made["brief"], made["reason"]) == (expected, reason)
        compared += expected is not None
    assert compared >= 2


def test_result_loads_into_a_store_with_its_briefs(result: dict[str, Any],
                                                   tmp_path: Path) -> None:
    from newsfuse.spark.load import load, result_articles

    db = tmp_path / "news.db"
    with Store(db) as store:
        loaded = load(store, result["out"])
        assert loaded.ingest.added == len(result["articles"])
        items = result_articles(result["out"])
        stored = [uid for uid, _ in loaded.ingest.results]
        cards = store.cards(stored)
        ours = [event for event, _, _ in items]
        theirs = [cards[uid]["event"] for uid in stored]
        assert adjusted_rand_score(ours, theirs) >= 0.99
        assert loaded.briefs_cached >= 2
        made = next(b for b in result["briefs"] if b["brief"] is not None)
        position = ours.index(made["event"])
        assert store.cached_brief(theirs[position], encoder="tfidf") == made["brief"]
    # Loading the same result again adds nothing.
    assert main(["ingest", "--quiet", "--db", str(db), "--from-parquet",
                 str(result["out"])]) == 0
    with Store(db) as store:
        assert store.count() == len(result["articles"])
