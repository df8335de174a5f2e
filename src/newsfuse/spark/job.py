"""The Spark job: the local pipeline's stages over DataFrames, in Arrow batches.

1. **Read, clean, segment** (``mapInArrow`` over the input files' bytes): each file is read
   by the local readers, so articles, ids and problems are those of ``newsfuse read``;
   the same task computes each article's clustering terms and MinHash signature.
2. **Near-duplicates**: equal signatures form a group; groups sharing an LSH band key are
   candidate pairs, verified on the full signatures with the local threshold, all in Spark
   SQL.
3. **Events**: articles are put in the local engine's canonical order and cut into time
   blocks where no event or story can reach across (gaps longer than the story window);
   each block is one ``applyInPandas`` task running :meth:`Clusterer.step` from the
   document frequencies of the blocks before it.
4. **Briefs**: one ``applyInPandas`` group per event, :func:`newsfuse.brief` as ``serve``
   calls it.

Outputs (Parquet, under ``--out``): ``articles`` (every article with its event, story and
original), ``events``, ``briefs`` (the JSON contract), ``problems`` (what was skipped or
warned about) and ``manifest.json`` (counts and options).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from os.path import commonpath
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import numpy as np

from newsfuse import __version__, settings
from newsfuse.spark.stages import (
    BlockArticle,
    BlockState,
    article_fields,
    block_cuts,
    brief_event,
    cluster_block,
    earlier_originals,
    features,
    read_file,
)

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

TABLES = ("articles", "events", "briefs", "problems")


@dataclass
class JobReport:
    """What a Spark run read, skipped and made, with the time of each stage."""

    files: int = 0
    articles: int = 0
    skipped: int = 0
    warnings: int = 0
    copies: int = 0
    events: int = 0
    stories: int = 0
    blocks: int = 0
    briefs: int = 0
    unbriefable: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        return (f"read {self.articles} articles from {self.files} files; skipped "
                f"{self.skipped}; {self.warnings} warnings; {self.events} events "
                f"({self.copies} near-duplicates, {self.stories} stories, {self.blocks} "
                f"time blocks); {self.briefs} briefs, {self.unbriefable} events without one")


def session(master: str | None = None, *, partitions: int = settings.SPARK_PARTITIONS,
            driver_memory: str = settings.SPARK_DRIVER_MEMORY, app: str = "newsfuse",
            record_classes: bool = False) -> SparkSession:
    """A SparkSession for the job: ``master`` when given (else what ``spark-submit`` set,
    or ``local[*]``), Arrow on, the web UI off, few shuffle partitions.

    A JVM started here maps the class archive (:mod:`newsfuse.spark.classes`) when there is
    one; with ``record_classes`` and none yet, it records one, which :func:`stop` puts in
    place (stop the session with it)."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    from newsfuse.spark import classes

    if not _under_submit():  # local workers run this interpreter, unless told otherwise
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master is not None:
        builder = builder.master(master)
    elif "SPARK_MASTER" not in os.environ and not _under_submit():
        builder = builder.master("local[*]")
    conf = {
        "spark.sql.shuffle.partitions": str(partitions),
        "spark.default.parallelism": str(partitions),
        "spark.ui.enabled": "false",
        "spark.driver.memory": driver_memory,
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.adaptive.enabled": "true",
        "spark.python.worker.reuse": "true",
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.showConsoleProgress": "false",
        # One hash seed for every Python worker (pyspark's default): set order, and so
        # the few ties a brief breaks by it, is then the same on every executor.
        "spark.executorEnv.PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED", "0"),
    }
    global _recording
    if not _under_submit():  # spark-submit has already launched the JVM its own way
        java_options = settings.SPARK_DRIVER_JAVA_OPTIONS
        if SparkContext._gateway is None:  # options only reach a JVM not started yet
            java_options, _recording = classes.options(java_options, record_classes)
        conf["spark.driver.extraJavaOptions"] = java_options
        # Workers forked from a daemon that has imported the job's modules already.
        conf["spark.python.daemon.module"] = "newsfuse.spark.daemon"
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    if not _under_submit():
        # Start the Python worker daemon (it imports the job's modules) with the session,
        # as the JVM is: a fixed cost of each executor, not of the first job.
        spark.range(1).mapInArrow(_echo, "id long").collect()
    return spark


# The class archive the running JVM will write as it exits (see session and stop).
_recording: Path | None = None


def recording() -> Path | None:
    """The class archive the running JVM records (written when :func:`stop` stops it)."""
    return _recording


def stop(spark: SparkSession) -> Path | None:
    """Stop ``spark``; when its JVM records the class archive, let the JVM exit and put
    the archive in place (its path is returned)."""
    from newsfuse.spark import classes

    global _recording
    pending, _recording = _recording, None
    return classes.finish(spark, pending)


def _echo(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``mapInArrow`` doing nothing: the batches back."""
    yield from batches


def _under_submit() -> bool:
    """Whether spark-submit launched this process (it passes the master to the JVM)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ or "SPARK_SUBMIT_OPTS" in os.environ


# --- stage 1: read + clean + segment, features -------------------------------------------

_READ_COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "long"), ("kind", "string"), ("id", "string"), ("record", "string"),
    ("day", "double"), ("ckey", "string"), ("terms", "binary"),
    ("weights", "binary"), ("sig", "array<long>"), ("bands", "array<long>"),
    ("sigdigest", "string"), ("path", "string"), ("line", "long"), ("reason", "string"),
    ("date", "string"), ("title", "string"), ("outlet", "string"), ("url", "string"),
    ("language", "string"))
# Fields of the articles table taken from each article's record as it is read (so that no
# later stage parses the record again).
RECORD_FIELDS = ("date", "title", "outlet", "url", "language")
READ_SCHEMA = ", ".join(f"{name} {kind}" for name, kind in _READ_COLUMNS)
SEQ_BITS = 32  # seq = file number << SEQ_BITS | article number within the file


def _local_name(uri: str) -> str:
    """A local file's URI as ``newsfuse read`` names it (``file:/a/b`` -> ``/a/b``)."""
    if uri.startswith("file://"):
        return uri[len("file://"):]
    if uri.startswith("file:"):
        return uri[len("file:"):]
    return uri


def read_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``mapInArrow``: input files (``path``, ``content``, ``number``) to article and
    problem rows."""
    import pyarrow as pa

    from newsfuse.spark.stages import Features

    schema = _arrow_schema()
    for batch in batches:
        rows: dict[str, list[Any]] = {name: [] for name, _ in _READ_COLUMNS}
        for uri, content, number in zip(batch.column("path").to_pylist(),
                                        batch.column("content").to_pylist(),
                                        batch.column("number").to_pylist(), strict=True):
            articles, problems = read_file(_local_name(uri), content or b"")
            for i, article in enumerate(articles):
                f: Features = features(article)
                record = article_fields(article)
                _append(rows, seq=(number << SEQ_BITS) | i, kind="article", id=article.id,
                        record=json.dumps(record, ensure_ascii=False), day=f.day,
                        ckey=f.content_key, terms=term_bytes(f.terms),
                        weights=weight_bytes(f.weights),
                        sig=f.signature, bands=f.bands, sigdigest=f.signature_digest,
                        path=article.origin.path, line=article.origin.line, reason=None,
                        **{name: _field_text(record.get(name)) for name in RECORD_FIELDS})
            for j, problem in enumerate(problems):
                _append(rows, seq=(number << SEQ_BITS) | j, kind=problem.severity, id=None,
                        record=None, day=None, ckey=None, terms=None, weights=None, sig=None,
                        bands=None, sigdigest=None, path=problem.path, line=problem.line,
                        reason=problem.reason, **dict.fromkeys(RECORD_FIELDS))
        yield pa.RecordBatch.from_pydict(rows, schema=schema)


# An article's term vector travels as two binary values (its term buckets as int32, their
# weights as float64, native byte order) rather than two arrays: Parquet and Arrow then move
# one value per article instead of one per term, and only Python reads them.
TERM_TYPE = np.int32
WEIGHT_TYPE = np.float64


def term_bytes(terms: Sequence[int]) -> bytes:
    return np.asarray(terms, dtype=TERM_TYPE).tobytes()


def weight_bytes(weights: Sequence[float]) -> bytes:
    return np.asarray(weights, dtype=WEIGHT_TYPE).tobytes()


def _field_text(value: Any) -> str | None:
    """A record field as a text column: strings as they are, anything else as JSON."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _append(rows: dict[str, list[Any]], **values: Any) -> None:
    for key, value in values.items():
        rows[key].append(value)


def _arrow_schema() -> pa.Schema:
    import pyarrow as pa

    kinds = {"long": pa.int64(), "string": pa.string(), "double": pa.float64(),
             "binary": pa.binary(), "array<long>": pa.list_(pa.int64())}
    return pa.schema([(name, kinds[kind]) for name, kind in _READ_COLUMNS])


def file_order(paths: Sequence[tuple[int, str, str]]) -> list[str]:
    """Files in the order ``newsfuse read`` reads them: inputs in the order given, and
    within a folder its files (by name) before its sub-folders (by name).
    ``paths`` holds ``(input number, input root, file URI)``."""
    def key(item: tuple[int, str, str]) -> tuple[int, list[tuple[int, str]]]:
        number, base, uri = item
        rel = PurePosixPath(uri[len(base):].lstrip("/")).parts if uri.startswith(base) \
            else PurePosixPath(uri).parts
        return number, [(1, part) for part in rel[:-1]] + [(0, rel[-1] if rel else "")]
    return [uri for _, _, uri in sorted(paths, key=key)]


def _list_files(spark: SparkSession, inputs: Sequence[str]) -> list[str]:
    """Every file under the inputs (Spark's file listing, recursive), in read order."""
    from pyspark.errors import AnalysisException

    found: list[tuple[int, str, str]] = []
    for number, name in enumerate(inputs):
        try:
            listed = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
                      .load(name).select("path").collect())
        except AnalysisException as exc:
            raise InputMissing(name, str(exc).splitlines()[0]) from None
        uris = [row.path for row in listed]
        base = _common_root(uris, name)
        found.extend((number, base, uri) for uri in uris)
    return file_order(found)


def _common_root(uris: list[str], name: str) -> str:
    """The folder an input names, as Spark spells its files' URIs."""
    if len(uris) == 1 and not name.endswith("/") and \
            PurePosixPath(uris[0]).name == PurePosixPath(name).name:
        return uris[0].rsplit("/", 1)[0]
    if not uris:
        return name
    common = commonpath(uris)
    return common.rsplit("/", 1)[0] if "/" in common else common


class InputMissing(Exception):
    """An input Spark cannot list."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")


# --- the job -----------------------------------------------------------------------------


def run(spark: SparkSession, inputs: Sequence[str], out: str, *, encoder: str = "auto",
        words: int | None = None, sentences: int | None = None, briefs: bool = True,
        partitions: int | None = None) -> JobReport:
    """Run the pipeline on ``inputs`` (files or folders, any path Spark reads) and write
    the tables under ``out`` (replaced if present)."""
    from pyspark.sql import functions as F

    report = JobReport()
    parts = partitions or int(spark.conf.get("spark.sql.shuffle.partitions") or "2")
    clock = time.perf_counter()

    listed = _list_files(spark, inputs)
    files = list(dict.fromkeys(listed))  # inputs may overlap: each file is read once
    report.files = len(files)
    work = _join(out, "_work")
    if not files:
        raise InputMissing(", ".join(inputs), "no files")
    numbers = spark.createDataFrame([(uri, i) for i, uri in enumerate(files)],
                                    "path string, number long")
    raw = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
           .load(list(inputs)).join(F.broadcast(numbers), "path")
           .select("path", "content", "number"))
    if len(files) < len(listed):
        raw = raw.dropDuplicates(["path"])
    raw = raw.repartition(max(1, min(len(files), parts * 4)), "number")
    previous = spark.conf.get("spark.sql.execution.arrow.maxRecordsPerBatch")
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch",
                   str(settings.SPARK_FILES_PER_BATCH))
    try:
        _save(raw.mapInArrow(read_batches, READ_SCHEMA), _join(work, "read"))
    finally:
        spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", previous or "10000")
    read = spark.read.parquet(_join(work, "read"))
    report.seconds["read"] = time.perf_counter() - clock

    problems = read.filter(F.col("kind") != "article").select(
        F.col("kind").alias("severity"), "path", "line", "reason")
    counts = {r.kind: r.n for r in read.groupBy("kind").agg(F.count("*").alias("n"))
              .collect()}
    report.articles = counts.get("article", 0)
    report.skipped = counts.get("skipped", 0)
    report.warnings = counts.get("warning", 0)
    problems.write.mode("overwrite").parquet(_join(out, "problems"))
    if not report.articles:
        _write_manifest(spark, out, report, encoder, words, sentences, briefs)
        return report

    clock = time.perf_counter()
    articles = read.filter(F.col("kind") == "article").drop("kind", "reason")
    articles = _unique_ids(spark, articles)
    # The canonical order of the local engine: undated first, then by day, then content.
    # Only what the near-duplicates and the clustering use is sorted (not the records).
    ranked = (articles.select("seq", "uid", "day", "ckey", "terms", "weights", "sig",
                              "bands", "sigdigest")
              .orderBy(F.col("day").isNotNull(), F.coalesce("day", F.lit(0.0)), "ckey", "seq")
              .withColumn("rank", F.monotonically_increasing_id()))
    _save(ranked, _join(work, "ranked"))
    ranked = spark.read.parquet(_join(work, "ranked"))

    neighbours = _near_duplicates(ranked)
    report.seconds["dedup"] = time.perf_counter() - clock

    clock = time.perf_counter()
    placed = _events(spark, ranked, neighbours, report, work)
    _save(placed, _join(work, "placed"))
    placed = spark.read.parquet(_join(work, "placed"))
    placed = _resolve_earlier_originals(spark, placed)
    table = _articles_table(articles, ranked, placed)
    _save(table, _join(out, "articles"), plain=("record",))
    table = spark.read.parquet(_join(out, "articles"))
    events = _events_table(table)
    events.write.mode("overwrite").parquet(_join(out, "events"))
    # The counts from the events table just written (a row per event, not per article).
    totals = spark.read.parquet(_join(out, "events")).agg(
        F.count("*").alias("events"), F.countDistinct("story").alias("stories"),
        F.sum("copies").alias("copies")).first()
    assert totals is not None  # an aggregate without grouping has one row
    report.events, report.stories, report.copies = totals.events, totals.stories, \
        totals.copies or 0
    report.seconds["events"] = time.perf_counter() - clock

    clock = time.perf_counter()
    if briefs:
        made = _briefs(table, encoder=encoder, words=words, sentences=sentences)
        made.write.mode("overwrite").parquet(_join(out, "briefs"))
        done = spark.read.parquet(_join(out, "briefs"))
        made_counts = done.agg(F.count("brief").alias("briefs"),
                               F.count("*").alias("events")).first()
        assert made_counts is not None
        report.briefs = made_counts.briefs
        report.unbriefable = made_counts.events - made_counts.briefs
    report.seconds["briefs"] = time.perf_counter() - clock
    _write_manifest(spark, out, report, encoder, words, sentences, briefs)
    _remove(spark, work)
    return report


def _save(frame: DataFrame, path: str, plain: Sequence[str] | None = None) -> None:
    """Write ``frame`` as Parquet at ``path`` (replaced), without dictionary encoding for
    the columns ``plain`` (all of them when ``None``, as for the scratch tables): records,
    signatures and term vectors are nearly all distinct, so building a dictionary for them
    is work thrown away when the writer falls back to plain encoding."""
    writer = frame.write.mode("overwrite")
    if plain is None:
        writer = writer.option("parquet.enable.dictionary", "false")
    else:
        for column in plain:
            writer = writer.option(f"parquet.enable.dictionary#{column}", "false")
    writer.parquet(path)


def _join(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + name


def _unique_ids(spark: SparkSession, articles: DataFrame) -> DataFrame:
    """Ids made unique as :func:`newsfuse.corpus.cluster.unique_ids` makes them (a repeated
    id gets ``~2``, ``~3``... in input order); only repeated ids go to the driver."""
    from pyspark.sql import functions as F

    from newsfuse.corpus.cluster import unique_ids
    from newsfuse.model import Article, Origin

    repeated = (articles.groupBy("id").agg(F.count("*").alias("n"))
                .filter(F.col("n") > 1).select("id"))
    rows = articles.join(repeated, "id").select("seq", "id", "path", "line") \
        .orderBy("seq").collect()
    if not rows:
        return articles.withColumn("uid", F.col("id"))
    # A renamed id must not take a name another article has: those names are looked up.
    wanted = {r.id for r in rows}
    taken = {r.id for r in articles.filter(F.col("id").rlike("~[0-9]+$"))
             .select("id").collect() if r.id.rsplit("~", 1)[0] in wanted}
    stand_ins = [Article(id=r.id, title=None, text="", origin=Origin(r.path or "", r.line))
                 for r in rows]
    stand_ins += [Article(id=t, title=None, text="", origin=Origin("", None))
                  for t in sorted(taken)]
    ids, _ = unique_ids(stand_ins)
    renamed = spark.createDataFrame(
        [(r.seq, uid) for r, uid in zip(rows, ids, strict=False) if uid != r.id],
        "seq long, uid string")
    return (articles.join(F.broadcast(renamed), "seq", "left")
            .withColumn("uid", F.coalesce("uid", "id")))


def _near_duplicates(ranked: DataFrame) -> DataFrame:
    """``(sigdigest, group, neighbours)``: every signature group (named by the rank of its
    first article) with the groups it nearly duplicates: candidate pairs share an LSH band key,
    and are confirmed when the share of equal MinHash values reaches
    ``settings.DEDUP_JACCARD``, the test :func:`newsfuse.corpus.dedup.first_copy` makes."""
    from pyspark.sql import functions as F

    signed = ranked.filter(F.col("sig").isNotNull())
    reps = (signed.groupBy("sigdigest").agg(F.min(F.struct("rank", "sig", "bands"))
                                            .alias("first"))
            .select("sigdigest", F.col("first.rank").alias("group"),
                    F.col("first.sig").alias("sig"), F.col("first.bands").alias("bands")))
    keys = reps.select("group", F.explode("bands").alias("band"))
    pairs = (keys.alias("a").join(keys.alias("b"), "band")
             .filter(F.col("a.group") < F.col("b.group"))
             .select(F.col("a.group").alias("g1"), F.col("b.group").alias("g2")).distinct())
    sigs = reps.select("group", "sig")
    equal = F.aggregate(F.zip_with("s1", "s2", lambda x, y: (x == y).cast("int")),
                        F.lit(0), lambda acc, v: acc + v)
    verified = (pairs.join(sigs.withColumnRenamed("group", "g1")
                           .withColumnRenamed("sig", "s1"), "g1")
                .join(sigs.withColumnRenamed("group", "g2").withColumnRenamed("sig", "s2"),
                      "g2")
                .filter(equal / F.size("s1") >= F.lit(settings.DEDUP_JACCARD))
                .select("g1", "g2"))
    both = verified.union(verified.select(F.col("g2").alias("g1"), F.col("g1").alias("g2")))
    neighbours = both.groupBy(F.col("g1").alias("group")).agg(
        F.array_sort(F.collect_set("g2")).alias("neighbours"))
    return reps.select("sigdigest", "group").join(neighbours, "group", "left")


def _events(spark: SparkSession, ranked: DataFrame, neighbours: DataFrame,
            report: JobReport, work: str) -> DataFrame:
    """Every article's event and story: the local engine per time block."""
    from pyspark.sql import functions as F

    days = (ranked.groupBy(F.floor("day").alias("d"))
            .agg(F.min("day").alias("first"), F.max("day").alias("last")).collect())
    spans = [(r.first, r.last) for r in days if r.d is not None]
    undated = len(spans) < len(days)  # the group of undated articles (day null)
    cuts = block_cuts(spans, undated)
    report.blocks = len(cuts) + 1
    if cuts:  # two passes over the rows (frequencies, then the blocks): find pairs once
        _save(neighbours, _join(work, "neighbours"))
        neighbours = spark.read.parquet(_join(work, "neighbours"))
    block = F.lit(0)
    for cut in cuts:
        block = block + F.when(F.col("day") >= F.lit(cut), 1).otherwise(0)
    rows = (ranked.join(neighbours, "sigdigest", "left")
            .withColumn("block", block)
            .select("block", "rank", "uid", "day", "terms", "weights", "group",
                    F.coalesce("neighbours", F.array().cast("array<long>"))
                    .alias("neighbours")))
    starts = _block_starts(spark, rows, len(cuts) + 1)
    shared = spark.sparkContext.broadcast(starts)

    def place(frame: pd.DataFrame) -> pd.DataFrame:
        import pandas as pd

        frame = frame.sort_values("rank")
        state: BlockState = shared.value[int(frame["block"].iloc[0])]
        items = [BlockArticle(rank=int(r.rank), uid=r.uid,
                              day=None if pd.isna(r.day) else float(r.day),
                              terms=np.frombuffer(r.terms, dtype=TERM_TYPE).tolist(),
                              weights=np.frombuffer(r.weights, dtype=WEIGHT_TYPE).tolist(),
                              group=None if pd.isna(r.group) else int(r.group),
                              neighbours=[int(n) for n in r.neighbours])
                 for r in frame.itertuples(index=False)]
        done = cluster_block(items, state)
        return pd.DataFrame({
            "rank": [p.rank for p in done], "uid": [p.uid for p in done],
            "event": [p.event for p in done], "story": [p.story for p in done],
            "copy_of": [p.copy_of for p in done], "indexed": [p.indexed for p in done],
            "earlier_copy": [p.earlier_copy for p in done],
            "group": [it.group for it in items],
            "candidates": [([it.group, *it.neighbours] if it.group is not None else [])
                           for it in items]})

    schema = ("rank long, uid string, event long, story long, copy_of string, "
              "indexed boolean, earlier_copy boolean, group long, candidates array<long>")
    return rows.groupBy("block").applyInPandas(place, schema)


def _block_starts(spark: SparkSession, rows: DataFrame, blocks: int) -> list[BlockState]:
    """The document frequencies each time block starts from: those of all earlier blocks
    (only computed when there is more than one block)."""
    from pyspark.sql import functions as F

    from newsfuse.corpus.engine import BUCKETS

    states = [BlockState()]
    if blocks == 1:
        return states
    # Each task counts its articles' terms per block (a sparse vector per block); the
    # driver adds up a few rows per task instead of a row per (block, term).
    per_block: dict[int, int] = {}
    df = [np.zeros(BUCKETS, dtype=np.int32) for _ in range(blocks)]
    for r in (rows.filter(F.col("block") < blocks - 1).select("block", "terms")
              .mapInArrow(block_frequencies, FREQUENCY_SCHEMA).collect()):
        per_block[r.block] = per_block.get(r.block, 0) + r.documents
        df[r.block][np.frombuffer(r.terms, dtype=np.int32)] += \
            np.frombuffer(r.counts, dtype=np.int32)
    documents = 0
    running = np.zeros(BUCKETS, dtype=np.int32)
    for b in range(1, blocks):
        running = running + df[b - 1]
        documents += per_block.get(b - 1, 0)
        states.append(BlockState(df=running.copy(), documents=documents))
    return states


FREQUENCY_SCHEMA = "block int, documents long, terms binary, counts binary"


def block_frequencies(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``mapInArrow``: rows (``block``, ``terms`` as :func:`term_bytes`) to one row per
    block met: its number of articles and its document frequencies (the buckets used and
    their counts, as int32 bytes). An article's terms are distinct (the keys of its term
    counts)."""
    import pyarrow as pa

    from newsfuse.corpus.engine import BUCKETS

    totals: dict[int, np.ndarray] = {}
    documents: dict[int, int] = {}
    for batch in batches:
        blocks = batch.column("block").to_numpy(zero_copy_only=False).astype(np.int64)
        vectors = [v or b"" for v in batch.column("terms").to_pylist()]
        lengths = np.fromiter((len(v) for v in vectors), dtype=np.int64,
                              count=len(vectors)) // np.dtype(TERM_TYPE).itemsize
        values = np.frombuffer(b"".join(vectors), dtype=TERM_TYPE)
        owner = np.repeat(blocks, lengths)
        for block in np.unique(blocks).tolist():
            counts = np.bincount(values[owner == block], minlength=BUCKETS)
            if block in totals:
                totals[block] += counts
            else:
                totals[block] = counts
            documents[block] = documents.get(block, 0) + int((blocks == block).sum())
    used = {block: np.flatnonzero(counts) for block, counts in totals.items()}
    yield pa.RecordBatch.from_pydict({
        "block": list(totals), "documents": [documents[b] for b in totals],
        "terms": [used[b].astype(np.int32).tobytes() for b in totals],
        "counts": [totals[b][used[b]].astype(np.int32).tobytes() for b in totals]},
        schema=pa.schema([("block", pa.int32()), ("documents", pa.int64()),
                          ("terms", pa.binary()), ("counts", pa.binary())]))


def _resolve_earlier_originals(spark: SparkSession, placed: DataFrame) -> DataFrame:
    """Name the original of copies whose original is in an earlier time block."""
    from pyspark.sql import functions as F

    copies = placed.filter(F.col("earlier_copy"))
    late = copies.select("rank", "candidates").collect()
    if not late:
        return placed
    # The groups those copies may come from, matched in a join: a list of thousands of
    # values in the query itself would cost a call into the JVM for each and a plan as
    # large as the list.
    wanted = copies.select(F.explode("candidates").alias("group")).distinct()
    findable = (placed.filter(F.col("indexed")).join(wanted, "group", "left_semi")
                .select("group", "rank", "uid").collect())
    found = earlier_originals([(r.rank, r.candidates) for r in late],
                              [(r.group, r.rank, r.uid) for r in findable])
    if not found:
        return placed
    fixes = spark.createDataFrame(list(found.items()), "rank long, original string")
    return (placed.join(F.broadcast(fixes), "rank", "left")
            .withColumn("copy_of", F.coalesce("copy_of", "original")).drop("original"))


def _articles_table(articles: DataFrame, ranked: DataFrame, placed: DataFrame) -> DataFrame:
    """The read articles with their place: only narrow rows (no records) meet in the join,
    which adaptive execution broadcasts while they are small."""
    from pyspark.sql import functions as F

    where = ranked.select("seq", "rank").join(
        placed.select("rank", "event", "story", "copy_of"), "rank")
    return (articles.join(where, "seq")
            .select(F.col("uid").alias("id"), F.col("id").alias("source_id"), "event",
                    "story", "copy_of", F.col("day").isNull().alias("undated"),
                    *RECORD_FIELDS, "path", "line", "seq", "rank", "record"))


def _events_table(table: DataFrame) -> DataFrame:
    """One row per event: its name (``e1``, ``e2``... by first article in input order, as
    ``newsfuse cluster`` names them), story, size, span and members (in input order)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    events = table.groupBy("event").agg(
        F.min("seq").alias("first_seq"), F.count("*").alias("articles"),
        F.first("story").alias("story"),
        F.min("date").alias("first_date"), F.max("date").alias("last_date"),
        F.sum(F.col("copy_of").isNotNull().cast("int")).alias("copies"),
        F.array_sort(F.collect_list(F.struct("seq", "id"))).alias("members"))
    order = Window.orderBy("first_seq")
    return events.select(
        "event", F.concat(F.lit("e"), F.row_number().over(order)).alias("name"), "story",
        "articles", "copies", "first_date", "last_date",
        F.col("members.id").alias("article_ids"), "first_seq")


def _briefs(table: DataFrame, *, encoder: str, words: int | None,
            sentences: int | None) -> DataFrame:
    """One brief per event, each event one ``applyInPandas`` group; an event's articles in
    canonical order, the order a store gives them to ``serve``."""
    def make(frame: pd.DataFrame) -> pd.DataFrame:
        import pandas as pd

        frame = frame.sort_values("rank")  # the order a store gives an event's articles
        made, reason = brief_event(list(frame["record"]), encoder=encoder, words=words,
                                   sentences=sentences)
        headline = json.loads(made)["headline"] if made else None
        return pd.DataFrame({"event": [int(frame["event"].iloc[0])],
                             "articles": [len(frame)], "headline": [headline],
                             "brief": [made], "reason": [reason]})

    schema = "event long, articles long, headline string, brief string, reason string"
    return table.select("event", "rank", "record").groupBy("event").applyInPandas(make, schema)


def _write_manifest(spark: SparkSession, out: str, report: JobReport, encoder: str,
                    words: int | None, sentences: int | None, briefs: bool) -> None:
    manifest = {"newsfuse": __version__, "tables": list(TABLES), "encoder": encoder,
                "words": words, "sentences": sentences, "briefs": briefs,
                "report": {k: v for k, v in report.__dict__.items()}}
    text = json.dumps(manifest, indent=2, sort_keys=True)
    spark.createDataFrame([(text,)], "value string").coalesce(1).write.mode("overwrite") \
        .text(_join(out, "_manifest"))


def _remove(spark: SparkSession, path: str) -> None:
    """Delete the job's scratch folder (through Hadoop: any file system)."""
    jvm = spark.sparkContext._jvm
    if jvm is None:
        return
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    fs = hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    fs.delete(hadoop_path, True)

