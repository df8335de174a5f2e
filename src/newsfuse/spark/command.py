"""The ``newsfuse spark`` command and ``newsfuse ingest --from-parquet``: options in,
messages and exit codes out (the work is in :mod:`newsfuse.spark.job` and
:mod:`newsfuse.spark.load`)."""

from __future__ import annotations

import argparse
import sys

from newsfuse import settings
from newsfuse.cli import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, _open_store
from newsfuse.errors import UsageError

SHOWN_PROBLEMS = 20


def add_arguments(cmd: argparse.ArgumentParser) -> None:
    """The options of ``newsfuse spark``."""
    cmd.add_argument("inputs", nargs="+", metavar="INPUT",
                     help="file or folder, any path Spark reads (local, hdfs://, s3a://...)")
    cmd.add_argument("--out", required=True, metavar="DIR",
                     help="where the Parquet tables go (replaced if present)")
    cmd.add_argument("--master", metavar="URL",
                     help="Spark master (default: the one spark-submit gives, else local[*])")
    cmd.add_argument("--partitions", type=int, default=settings.SPARK_PARTITIONS,
                     metavar="N", help="shuffle partitions (default: "
                     f"{settings.SPARK_PARTITIONS}; 2-4 per core on a cluster)")
    cmd.add_argument("--driver-memory", default=settings.SPARK_DRIVER_MEMORY, metavar="SIZE",
                     help="driver memory of a session started here (default: "
                     f"{settings.SPARK_DRIVER_MEMORY})")
    cmd.add_argument("--encoder", choices=("auto", "tfidf", "minilm"), default="auto",
                     help="sentence encoder of the briefs (default: auto, as serve)")
    cmd.add_argument("--words", type=int, metavar="N", help="summary length in words")
    cmd.add_argument("--sentences", type=int, metavar="K", help="summary length in sentences")
    cmd.add_argument("--no-briefs", action="store_true",
                     help="stop after the events (no briefs table)")
    cmd.add_argument("--quiet", action="store_true", help="do not list problems")


def run_spark(args: argparse.Namespace) -> int:
    """``newsfuse spark``: run the job and report what it read, skipped and made."""
    from newsfuse.spark import requirements_missing

    missing = requirements_missing()
    if missing is not None:
        print(f"newsfuse: {missing}", file=sys.stderr)
        return EXIT_FAILED
    from pyspark.sql import SparkSession

    from newsfuse.spark.job import InputMissing, recording, run, session, stop

    running = SparkSession.getActiveSession()  # a caller's session is left running
    try:
        spark = session(args.master, partitions=args.partitions,
                        driver_memory=args.driver_memory, record_classes=running is None)
    except Exception as exc:  # the JVM did not start: say why, in one line
        print(f"newsfuse: Spark could not start ({_first_line(exc)})", file=sys.stderr)
        return EXIT_FAILED
    if recording() is not None:
        print("newsfuse: this first run also records the JVM's class archive (about "
              "20 s as Spark stops, once): later runs start faster", file=sys.stderr)
    try:
        report = run(spark, args.inputs, args.out, encoder=args.encoder, words=args.words,
                     sentences=args.sentences, briefs=not args.no_briefs,
                     partitions=args.partitions)
        if not args.quiet:
            _show_problems(spark, args.out, report.skipped + report.warnings)
    except InputMissing as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a Spark job failure: the first line says which and why
        print(f"newsfuse: the Spark job failed: {_first_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        if running is None:
            saved = stop(spark)
            if saved is not None:
                print(f"newsfuse: class archive saved in {saved}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    print(f"tables in {args.out}: articles, events"
          + (", briefs" if not args.no_briefs else "") + ", problems; load them with "
          f"'newsfuse ingest --from-parquet {args.out} --db PATH'", file=sys.stderr)
    if report.articles == 0:
        return EXIT_FAILED
    return EXIT_PARTIAL if report.skipped else EXIT_OK


def _show_problems(spark: object, out: str, total: int) -> None:
    from pyspark.sql import SparkSession

    assert isinstance(spark, SparkSession)
    if not total:
        return
    rows = spark.read.parquet(out.rstrip("/") + "/problems").orderBy("path", "line") \
        .limit(SHOWN_PROBLEMS).collect()
    for r in rows:
        where = r.path if r.line is None else f"{r.path}:{r.line}"
        print(f"newsfuse: {r.severity}: {where}: {r.reason}", file=sys.stderr)
    if total > len(rows):
        print(f"newsfuse: {total - len(rows)} more problem(s) in {out}/problems",
              file=sys.stderr)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("Traceback", "File ", "at ")):
            return line[:300]
    return type(exc).__name__


def ingest_parquet(args: argparse.Namespace) -> int:
    """``newsfuse ingest --from-parquet DIR``: load a Spark result into the store."""
    from newsfuse.corpus.store import StoreError
    from newsfuse.spark.load import load

    if args.inputs:
        print("newsfuse: ingest takes INPUT files or --from-parquet DIR, not both",
              file=sys.stderr)
        return EXIT_FAILED
    store = _open_store(args.db, readonly=False)
    if store is None:
        return EXIT_FAILED
    with store:
        try:
            result = load(store, args.from_parquet, wait=args.wait)
        except (UsageError, StoreError) as exc:
            print(f"newsfuse: {exc}", file=sys.stderr)
            return EXIT_FAILED
    if not args.quiet:
        for note in result.ingest.notes:
            print(f"newsfuse: {note}", file=sys.stderr)
    print(f"{args.db}: {result.summary()}", file=sys.stderr)
    return EXIT_OK
