"""The ``newsfuse`` command: argument parsing, output streams and exit codes only.

Exit codes: 0 everything was read; 1 some input could not be read (the rest was processed);
2 usage error, or nothing readable at all.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from newsfuse import __version__, brief, read, timeline
from newsfuse.errors import NewsfuseError, UsageError

if TYPE_CHECKING:
    from types import FrameType

    from newsfuse.corpus.store import Store
    from newsfuse.io.report import Problem, ReadReport
    from newsfuse.model import Brief
    from newsfuse.split import EventGroup

# Every handler imports what it needs: `newsfuse --help` must not load readers, the
# clustering or the model.

EXIT_OK, EXIT_PARTIAL, EXIT_FAILED = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsfuse",
        description="Read, clean and fuse news reports into cited briefs.",
        epilog="Exit codes: 0 all input read; 1 some input skipped; 2 usage error or "
               "nothing readable.")
    parser.add_argument("--version", action="version", version=f"newsfuse {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    read_cmd = commands.add_parser(
        "read", help="print the normalized articles: what newsfuse saw",
        description="Read articles (text, JSON Lines, JSON, HTML, WARC, CSV; folders are "
                    "walked; '-' reads JSON Lines from stdin), clean and segment them, and "
                    "print them.")
    read_cmd.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder or '-'")
    read_cmd.add_argument("--format", choices=("text", "jsonl"), default="text",
                          help="output format (default: text)")
    read_cmd.add_argument("--raw", action="store_true",
                          help="skip cleaning: show the text as the source wrote it")
    _add_common(read_cmd)
    _add_workers(read_cmd)
    read_cmd.set_defaults(handler=_cmd_read)

    brief_cmd = commands.add_parser(
        "brief", help="fuse the reports of one event into a cited brief",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Fuse the reports of one event into a brief: a headline and a short "
                    "summary whose every sentence cites all the articles that support it, "
                    "with copies of the same wire story recognised.",
        epilog="Several events in the input: unrelated reports are never fused. The input is\n"
               "first split into events (the event clustering, then articles joined by what\n"
               "they report, not by date). By default the largest event is briefed and a\n"
               "warning lists every other event: its number, its articles' ids, a headline,\n"
               "and the command that briefs it (the same inputs with --event N). Events are\n"
               "numbered largest first, and listed even with --quiet. --all-events briefs\n"
               "each event. JSON names the events: one brief gains an \"events\" list (number,\n"
               "article ids, headline, briefed or not); with --all-events the output is\n"
               "{\"events\": [...]}, each event with its \"brief\".")
    brief_cmd.add_argument("inputs", nargs="*", metavar="INPUT", help="file, folder or '-'")
    brief_cmd.add_argument("--format", choices=("md", "json", "html"), default="md",
                           help="output format (default: md)")
    size = brief_cmd.add_mutually_exclusive_group()
    size.add_argument("--words", type=_positive, metavar="N",
                      help="summary length in words (default: about 120)")
    size.add_argument("--sentences", type=_positive, metavar="K",
                      help="summary length in sentences")
    brief_cmd.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    brief_cmd.add_argument("--encoder", choices=("auto", "tfidf", "minilm", "use"),
                           default="auto",
                           help="sentence similarity: auto (MiniLM for English, USE for other "
                                "and mixed languages), tfidf (lexical, fastest), minilm "
                                "(English paraphrases) or use (multilingual, across languages)")
    brief_cmd.add_argument("--language", metavar="CODE",
                           help="write the brief in this language (ISO 639: en, es, fr, it...; "
                                "default: the one most of the sources use); sources in other "
                                "languages are cited with their own sentences")
    which = brief_cmd.add_mutually_exclusive_group()
    which.add_argument("--event", metavar="N", type=_store_id,
                       help="brief event N of the input (1 = the largest; numbers as the "
                            "warning lists them), or with --db the store's event N")
    which.add_argument("--all-events", action="store_true",
                       help="brief every event of the input, largest first (md or json)")
    which.add_argument("--one-event", action="store_true",
                       help="fuse all the input as one event, without looking for others")
    brief_cmd.add_argument("--db", metavar="PATH", help="a store: brief one of its events")
    _add_common(brief_cmd)
    _add_workers(brief_cmd)
    brief_cmd.set_defaults(handler=_cmd_brief)

    cluster_cmd = commands.add_parser(
        "cluster", help="group articles into events and stories",
        description="Assign every input article to an event (the reports of one happening) "
                    "and a story (events linked across days); near-duplicates are marked as "
                    "copies. jsonl prints one {\"id\", \"event\", \"story\", \"copy_of\", "
                    "\"undated\"} line per article, in input order.")
    cluster_cmd.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder or '-'")
    cluster_cmd.add_argument("--format", choices=("jsonl", "json", "md"), default="jsonl",
                             help="output format (default: jsonl)")
    _add_common(cluster_cmd)
    _add_workers(cluster_cmd)
    cluster_cmd.set_defaults(handler=_cmd_cluster)

    timeline_cmd = commands.add_parser(
        "timeline", help="summarize a long-running topic as a dated timeline",
        description="Choose the most important dates of a topic (from publication volume and "
                    "the dates articles mention) and say what happened on each. Read INPUTs, "
                    "or one story of a store with --db and --story.")
    timeline_cmd.add_argument("inputs", nargs="*", metavar="INPUT", help="file, folder or '-'")
    timeline_cmd.add_argument("--dates", type=_positive, default=10, metavar="L",
                              help="number of dates (default: 10)")
    timeline_cmd.add_argument("--sentences", type=_positive, default=1, metavar="K",
                              help="sentences per date (default: 1)")
    timeline_cmd.add_argument("--format", choices=("md", "json", "html"), default="md",
                              help="output format (default: md)")
    timeline_cmd.add_argument("--db", metavar="PATH", help="a store (with --story)")
    timeline_cmd.add_argument("--story", metavar="ID", type=_store_id,
                              help="with --db: the story (see 'newsfuse events')")
    timeline_cmd.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    _add_common(timeline_cmd)
    timeline_cmd.set_defaults(handler=_cmd_timeline)

    ingest_cmd = commands.add_parser(
        "ingest", help="add articles to a store, clustering them as they arrive",
        description="Add articles to a store (SQLite; created if missing), assigning each to "
                    "an event and a story. Ingesting the same input again adds nothing; an "
                    "interrupted ingest is completed by running it again. Ctrl-C or SIGTERM "
                    "commits the transaction being written and stops (exit 130 or 143).")
    ingest_cmd.add_argument("inputs", nargs="*", metavar="INPUT", help="file, folder or '-'")
    ingest_cmd.add_argument("--from-parquet", metavar="DIR",
                            help="load the result of 'newsfuse spark --out DIR' instead")
    ingest_cmd.add_argument("--db", metavar="PATH", default=DEFAULT_DB,
                            help=f"the store (default: {DEFAULT_DB})")
    ingest_cmd.add_argument("--wait", type=_seconds, default=30.0, metavar="SECONDS",
                            help="how long to wait for the store while another writer "
                                 "holds it (default: 30); writers take turns of about a "
                                 "second")
    _add_common(ingest_cmd)
    _add_workers(ingest_cmd)
    ingest_cmd.set_defaults(handler=_cmd_ingest)

    spark_cmd = commands.add_parser(
        "spark", help="run the whole pipeline on Apache Spark (pip install 'newsfuse[spark]')",
        description="Read, clean, deduplicate, cluster and brief INPUTs as a Spark "
                    "application (spark-submit, or local[*] here); writes Parquet tables "
                    "(articles, events, briefs, problems) under --out.")
    from newsfuse.spark.command import add_arguments as add_spark_arguments
    add_spark_arguments(spark_cmd)
    spark_cmd.set_defaults(handler=_cmd_spark)

    events_cmd = commands.add_parser(
        "events", help="list the events of a store, newest first",
        description="List a store's events, newest first: headline, dates, articles and "
                    "independent sources.")
    events_cmd.add_argument("--db", metavar="PATH", default=DEFAULT_DB,
                            help=f"the store (default: {DEFAULT_DB})")
    events_cmd.add_argument("--since", type=_date, metavar="DATE",
                            help="only events with reports on or after DATE (YYYY-MM-DD)")
    events_cmd.add_argument("--query", metavar="TEXT",
                            help="only events with an article matching these words")
    events_cmd.add_argument("--limit", type=_positive, metavar="N", help="at most N events")
    events_cmd.add_argument("--format", choices=("md", "json", "jsonl"), default="md",
                            help="output format (default: md)")
    events_cmd.set_defaults(handler=_cmd_events)

    check_cmd = commands.add_parser(
        "check", help="check a store for damage and broken invariants",
        description="Check a store without writing to it: SQLite's integrity check, the "
                    "full-text index, the schema, rows pointing at nothing, events and "
                    "stories. Exit 0: no problem; 1: damage found (listed); 2: it cannot "
                    "be checked (missing, not a newsfuse store).")
    check_cmd.add_argument("--db", metavar="PATH", default=DEFAULT_DB,
                           help=f"the store (default: {DEFAULT_DB})")
    check_cmd.set_defaults(handler=_cmd_check)

    recluster_cmd = commands.add_parser(
        "recluster", help="place every article of a store again, in date order, into a new one",
        description="Place every article of a store (which is left untouched) again, all in "
                    "date order, into a new store: its events and stories are those "
                    "'newsfuse cluster' gives the same articles in one batch. Use it when "
                    "ingests delivered articles dated before others already placed (ingest "
                    "reports them), or after an upgrade changed how articles are compared. "
                    "The feeds the store follows come along; event numbers change. "
                    "Exit 0: done; 2: the store could not be read.")
    recluster_cmd.add_argument("--db", metavar="PATH", default=DEFAULT_DB,
                               help=f"the store (default: {DEFAULT_DB})")
    recluster_cmd.add_argument("--out", metavar="NEW", required=True,
                               help="the new store (must not exist)")
    recluster_cmd.set_defaults(handler=_cmd_recluster)

    salvage_cmd = commands.add_parser(
        "salvage", help="copy what can be read from a damaged store into a new one",
        description="Read every article that can be read from a damaged store (which is "
                    "left untouched) into a new store, computing events, stories and the "
                    "search index again, and list what was lost. Exit 0: nothing lost; 1: "
                    "some articles lost; 2: nothing could be read.")
    salvage_cmd.add_argument("--db", metavar="PATH", required=True,
                             help="the damaged store")
    salvage_cmd.add_argument("--out", metavar="NEW", required=True,
                             help="the new store (must not exist)")
    salvage_cmd.set_defaults(handler=_cmd_salvage)

    serve_cmd = commands.add_parser(
        "serve", help="browse a store in a web browser; HTTP JSON API",
        description="Serve a store: pages for events, briefs, stories and articles, and a "
                    "JSON API under /api (described at /api/openapi.json). Posting articles "
                    "is allowed when listening on loopback only, or anywhere when the "
                    "NEWSFUSE_TOKEN environment variable holds a token (sent as "
                    "'Authorization: Bearer TOKEN').")
    serve_cmd.add_argument("--db", metavar="PATH", default=DEFAULT_DB,
                           help=f"the store (default: {DEFAULT_DB})")
    serve_cmd.add_argument("--host", default="127.0.0.1",
                           help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    serve_cmd.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                           help="a name clients may reach the server by (the Host header); "
                                "repeat for more. Requests naming any other host get 421. "
                                "Default: the --host address, and loopback names when it "
                                "is a loopback address")
    serve_cmd.add_argument("--encoder", choices=("auto", "tfidf", "minilm", "use"),
                           default="auto",
                           help="sentence encoder for briefs not cached yet (default: auto)")
    serve_cmd.set_defaults(handler=_cmd_serve)

    from newsfuse.feeds import cli as feeds_cli

    watch_cmd = commands.add_parser(
        "watch", help="follow RSS/Atom feeds, adding their new articles to a store",
        description="Poll feeds (RSS, Atom, RDF) and add their new articles to a store, "
                    "each clustered into its event as it arrives; runs until stopped "
                    "(Ctrl-C or SIGTERM end it cleanly), or once with --once.")
    feeds_cmd = commands.add_parser(
        "feeds", help="list the feeds a store follows: last poll, last error, articles",
        description="List the feeds 'newsfuse watch' follows into a store.")
    feeds_cli.add_arguments(watch_cmd, feeds_cmd, DEFAULT_DB)
    watch_cmd.set_defaults(handler=feeds_cli.cmd_watch)
    feeds_cmd.set_defaults(handler=feeds_cli.cmd_feeds)
    return parser


DEFAULT_DB = "newsfuse.db"


def _store_id(value: str) -> int:
    text = value.strip().lower()
    if text[:1] in ("e", "s"):  # "e12" and "s3", as `newsfuse cluster` names them
        text = text[1:]
    if not text.isdigit() or len(text) > 18:
        raise argparse.ArgumentTypeError(f"{value!r} is not an event or story number")
    return int(text)


def _date(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (1-65535)")
    return int(value)


MAX_COUNT = 10**9  # no count a user can mean is larger (SQLite takes up to 2**63)


def _positive(value: str) -> int:
    try:
        number = int(value) if len(value) <= 30 else 0  # 0: out of range, said below
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= number <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_COUNT:,}")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not 0 <= number <= 86_400:  # also refuses nan and inf
        raise argparse.ArgumentTypeError("must be from 0 to 86400 seconds")
    return number


def _add_common(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("-q", "--quiet", action="store_true",
                     help="print only skipped input and the summary, not warnings")


def _add_workers(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--workers", type=_positive, metavar="N",
                     help="processes reading and cleaning the input (and making the briefs "
                          "of --all-events): the output is the same for any N; 1 runs in "
                          "this process (default: the number of usable cores; for the "
                          "briefs, 1 when a neural encoder already uses them all)")


def _workers(args: argparse.Namespace) -> int:
    """``--workers``, or the cores this process may use."""
    if args.workers is not None:
        return int(args.workers)
    from newsfuse.parallel import usable_cores

    return usable_cores()


def _problem_printer(quiet: bool, stream: TextIO) -> Callable[[Problem], None]:
    def show(problem: Problem) -> None:
        if quiet and problem.severity == "warning":
            return
        print(f"newsfuse: {problem}", file=stream)
    return show


def _cmd_read(args: argparse.Namespace) -> int:
    from newsfuse.render.articles import article_to_jsonl, article_to_text

    stream = read(args.inputs, clean=not args.raw,
                  on_problem=_problem_printer(args.quiet, sys.stderr), workers=_workers(args))
    render = article_to_jsonl if args.format == "jsonl" else article_to_text
    out = sys.stdout
    for i, article in enumerate(stream):
        if i and args.format == "text":
            out.write("\n")
        out.write(render(article))
        if args.format == "jsonl":
            out.write("\n")
    return _finish(stream.report)


def _cmd_brief(args: argparse.Namespace) -> int:
    if args.db:
        return _brief_from_store(args)
    if not args.inputs:
        print("newsfuse: brief needs INPUT files, or --db PATH --event ID", file=sys.stderr)
        return EXIT_FAILED
    if args.all_events and args.format == "html":
        print("newsfuse: --all-events writes md or json; for HTML brief each event with "
              "--event N", file=sys.stderr)
        return EXIT_FAILED
    from newsfuse.split import brief_events, left_out_warning

    choice = ("all" if args.all_events else "together" if args.one_event else
              args.event if args.event is not None else "largest")
    if choice != "all":  # (with --all-events, the workers load their own)
        from newsfuse.encode import start_models_early

        start_models_early(args.inputs, args.encoder, args.language)
    workers = _workers(args)
    stream = read(args.inputs, on_problem=_problem_printer(args.quiet, sys.stderr),
                  workers=workers)
    articles = list(stream)
    print(stream.report.summary(), file=sys.stderr)
    if choice != "all":
        from newsfuse.encode import prepare_models, stop_minilm_process

        if not articles:
            stop_minilm_process()
        else:
            prepare_models(articles, args.encoder, language=args.language)
    if not articles:
        print("newsfuse: no readable article; no brief", file=sys.stderr)
        return EXIT_FAILED
    try:
        found = brief_events(articles, words=args.words, sentences=args.sentences,
                             encoder=args.encoder, events=choice, language=args.language,
                             workers=args.workers)
    except UsageError as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return EXIT_FAILED
    briefed = [e for e in found.events if e.brief is not None]
    shown = {left_out_warning(found.events, e.number - 1) for e in briefed}
    for event in briefed:
        assert event.brief is not None
        for warning in event.brief.warnings:
            if not args.quiet and warning not in shown:
                print(f"newsfuse: warning: {warning}", file=sys.stderr)
    if len(found) > 1:  # shown even with --quiet: articles are left out of this brief
        print(_events_note(found.events, briefed[0].number if not args.all_events else 0,
                           args), file=sys.stderr, end="")
    if not _write(_render_events(found.events, args.format), args.out):
        return EXIT_FAILED
    return EXIT_PARTIAL if stream.report.skipped_total else EXIT_OK


def _events_note(events: Sequence[EventGroup], briefed: int,
                 args: argparse.Namespace) -> str:
    """The events of the input: which one was briefed, and the command that briefs each
    other one (``briefed`` 0: all were)."""
    total = sum(len(e.articles) for e in events)
    if not briefed:
        lines = [f"newsfuse: the input holds {len(events)} events ({total} articles), "
                 "briefed largest first:"]
    else:
        chosen = events[briefed - 1]
        lines = [f"newsfuse: warning: the input holds {len(events)} unrelated events; this "
                 f"brief covers event {briefed} ({len(chosen.articles)} of {total} articles: "
                 f"\"{chosen.headline}\"). Left out:"]
    for event in events:
        if event.number == briefed:
            continue
        lines.append(f"  event {event.number}: {len(event.articles)} article"
                     f"{'s' if len(event.articles) > 1 else ''} ({', '.join(event.ids)}): "
                     f"\"{event.headline}\"")
        if briefed:
            lines.append(f"    brief it: {_command(args, event.number)}")
    if briefed:
        lines.append(f"  brief every event: {_command(args, None)}")
    return "\n".join(lines) + "\n"


def _command(args: argparse.Namespace, event: int | None) -> str:
    """The command line that briefs ``event`` of the same input (all events when None)."""
    import shlex

    words = ["newsfuse", "brief", *args.inputs]
    if args.format != "md":
        words += ["--format", args.format]
    if args.words is not None:
        words += ["--words", str(args.words)]
    if args.sentences is not None:
        words += ["--sentences", str(args.sentences)]
    if args.encoder != "auto":
        words += ["--encoder", args.encoder]
    if args.language:
        words += ["--language", args.language]
    words += ["--event", str(event)] if event is not None else ["--all-events"]
    return shlex.join(words)


def _render_events(events: Sequence[EventGroup], fmt: str) -> str:
    """One brief as it always was (with JSON naming every event and its articles), or with
    several briefs, each under a heading (md) or in one JSON ``events`` list."""
    from newsfuse.render.brief_json import brief_to_dict

    briefed = [e for e in events if e.brief is not None]
    grouping = [{"event": e.number, "articles": list(e.ids), "headline": e.headline,
                 "briefed": e.brief is not None} for e in events]
    if fmt == "json":
        if len(briefed) == 1:
            assert briefed[0].brief is not None
            data = {**brief_to_dict(briefed[0].brief), "events": grouping}
        else:
            data = {"events": [{**g, "brief": brief_to_dict(e.brief) if e.brief else None}
                               for g, e in zip(grouping, events, strict=True)]}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if len(briefed) == 1:
        assert briefed[0].brief is not None
        return _render_brief(briefed[0].brief, fmt)
    parts = []
    for event in briefed:
        assert event.brief is not None
        parts.append(f"<!-- event {event.number} of {len(events)}: {len(event.articles)} "
                     f"article{'s' if len(event.articles) > 1 else ''} -->\n"
                     + _render_brief(event.brief, fmt))
    return "\n---\n\n".join(parts)


def _render_brief(result: Brief, fmt: str) -> str:
    if fmt == "json":
        from newsfuse.render.brief_json import brief_to_json

        return brief_to_json(result)
    if fmt == "html":
        from newsfuse.render.brief_html import brief_to_html

        return brief_to_html(result)
    from newsfuse.render.brief_markdown import brief_to_markdown

    return brief_to_markdown(result)


def _write(text: str, out: str | None) -> bool:
    if not out:
        sys.stdout.write(text)
        return True
    try:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        print(f"newsfuse: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return False
    return True


def _open_store(path: str, readonly: bool) -> Store | None:
    from newsfuse.corpus.store import Store, StoreError

    try:
        return Store(path, readonly=readonly)
    except StoreError as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return None


def _brief_from_store(args: argparse.Namespace) -> int:
    from newsfuse.render.brief_json import brief_from_json, brief_to_json

    if not args.db or args.event is None or args.inputs:
        print("newsfuse: brief from a store takes --db PATH and --event ID, and no INPUT",
              file=sys.stderr)
        return EXIT_FAILED
    store = _open_store(args.db, readonly=not os.access(args.db, os.W_OK))
    if store is None:
        return EXIT_FAILED
    with store:
        if not store.event_exists(args.event):
            print(f"newsfuse: {args.db}: no event {args.event}", file=sys.stderr)
            return EXIT_FAILED
        options = {"encoder": args.encoder, "words": args.words, "sentences": args.sentences,
                   "language": args.language}
        cached = store.cached_brief(args.event, **options)
        if cached is not None:
            result = brief_from_json(cached)
        else:
            articles = store.articles(event=args.event)
            try:
                result = brief(articles, words=args.words, sentences=args.sentences,
                               encoder=args.encoder, events="together",
                               language=args.language)
            except UsageError as exc:
                print(f"newsfuse: {exc}", file=sys.stderr)
                return EXIT_FAILED
            store.cache_brief(args.event, brief_to_json(result), len(articles), **options)
    return EXIT_OK if _write(_render_brief(result, args.format), args.out) else EXIT_FAILED


def _cmd_cluster(args: argparse.Namespace) -> int:
    from newsfuse.corpus.cluster import cluster_features
    from newsfuse.corpus.store import headline_of
    from newsfuse.parallel import ParallelStream
    from newsfuse.render.corpus import (
        assignments_to_json,
        assignments_to_jsonl,
        assignments_to_markdown,
    )

    workers = _workers(args)
    stream = ParallelStream(args.inputs, workers=workers,
                            on_problem=_problem_printer(args.quiet, sys.stderr))
    pairs = list(stream.with_features())  # features made where each article is cleaned
    if not pairs:
        return _finish(stream.report)
    articles = [article for article, _ in pairs]
    result = cluster_features(articles, [features for _, features in pairs])
    del pairs
    if not args.quiet:
        for warning in result.warnings:
            print(f"newsfuse: warning: {warning}", file=sys.stderr)
    if args.format == "jsonl":
        sys.stdout.write(assignments_to_jsonl(result.assignments))
    elif args.format == "json":
        sys.stdout.write(assignments_to_json(result.assignments))
    else:
        titles = {a.id: headline_of(art)
                  for a, art in zip(result.assignments, articles, strict=True)}
        sys.stdout.write(assignments_to_markdown(result.assignments, titles))
    events = len({a.event for a in result.assignments})
    stories = len({a.story for a in result.assignments})
    copies = sum(a.copy_of is not None for a in result.assignments)
    print(f"{events} event(s), {stories} story(ies), {copies} near-duplicate(s)",
          file=sys.stderr)
    return _finish(stream.report)


def _cmd_timeline(args: argparse.Namespace) -> int:
    from newsfuse.render.corpus import timeline_to_html, timeline_to_json, timeline_to_markdown

    report = None
    if args.db or args.story is not None:
        if not args.db or args.story is None or args.inputs:
            print("newsfuse: a timeline from a store takes --db PATH and --story ID, and no "
                  "INPUT", file=sys.stderr)
            return EXIT_FAILED
        store = _open_store(args.db, readonly=True)
        if store is None:
            return EXIT_FAILED
        with store:
            if not store.story_exists(args.story):
                print(f"newsfuse: {args.db}: no story {args.story}", file=sys.stderr)
                return EXIT_FAILED
            articles = store.articles(story=args.story)
        title = f"Story {args.story}"
    else:
        if not args.inputs:
            print("newsfuse: timeline needs INPUT files, or --db PATH --story ID",
                  file=sys.stderr)
            return EXIT_FAILED
        stream = read(args.inputs, on_problem=_problem_printer(args.quiet, sys.stderr))
        articles = list(stream)
        report = stream.report
        print(report.summary(), file=sys.stderr)
        if not articles:
            print("newsfuse: no readable article; no timeline", file=sys.stderr)
            return EXIT_FAILED
        title = "Timeline"
    undated = sum(a.date is None for a in articles)
    if undated and not args.quiet:
        print(f"newsfuse: warning: {undated} undated article(s): only their absolute dates "
              "are used", file=sys.stderr)
    entries = timeline(articles, dates=args.dates, sentences=args.sentences)
    render = {"md": timeline_to_markdown, "html": timeline_to_html}
    text = timeline_to_json(entries) if args.format == "json" else \
        render[args.format](entries, title)
    if not _write(text, args.out):
        return EXIT_FAILED
    return EXIT_PARTIAL if report is not None and report.skipped_total else EXIT_OK


def _cmd_spark(args: argparse.Namespace) -> int:
    from newsfuse.spark.command import run_spark

    return run_spark(args)


def _cmd_ingest(args: argparse.Namespace) -> int:
    from newsfuse.corpus.store import IngestReport, StoreError
    from newsfuse.stopping import Interrupted, Stop

    if args.from_parquet:
        from newsfuse.spark.command import ingest_parquet

        return ingest_parquet(args)
    if not args.inputs:
        print("newsfuse: ingest needs INPUT files, or --from-parquet DIR", file=sys.stderr)
        return EXIT_FAILED
    store = _open_store(args.db, readonly=False)
    if store is None:
        return EXIT_FAILED
    stream = read(args.inputs, on_problem=_problem_printer(args.quiet, sys.stderr),
                  workers=_workers(args))
    result = IngestReport()
    stop = Stop(busy=lambda: store.db.in_transaction)
    with store:
        try:
            with stop.installed():
                store.ingest(stream, wait=args.wait, stop=stop, report=result)
        except StoreError as exc:
            print(f"newsfuse: {exc}", file=sys.stderr)
            return EXIT_FAILED
        except Interrupted:
            result.stopped = True
    for note in result.notes:
        if not args.quiet:
            print(f"newsfuse: {note}", file=sys.stderr)
    if result.stopped:
        print(stream.report.summary(), file=sys.stderr)
        unstored = max(0, stream.report.articles - result.added - result.already)
        print(f"newsfuse: stopped by {stop.name}: {args.db}: {result.summary()}; what was "
              f"written is committed, nothing half-written; {unstored} article(s) read "
              "were not stored; run the same command again to complete the ingest",
              file=sys.stderr)
        return stop.exit_code
    print(stream.report.summary(), file=sys.stderr)
    print(f"{args.db}: {result.summary()}", file=sys.stderr)
    if stream.report.articles == 0:
        return EXIT_FAILED
    return EXIT_PARTIAL if stream.report.skipped_total else EXIT_OK


def _cmd_events(args: argparse.Namespace) -> int:
    from newsfuse.corpus.store import StoreError
    from newsfuse.render.corpus import events_to_markdown

    store = _open_store(args.db, readonly=True)
    if store is None:
        return EXIT_FAILED
    with store:
        try:
            found = store.events(since=args.since, query=args.query, limit=args.limit)
        except StoreError as exc:
            print(f"newsfuse: {exc}", file=sys.stderr)
            return EXIT_FAILED
    if args.format == "json":
        sys.stdout.write(json.dumps({"events": found}, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "jsonl":
        sys.stdout.write("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in found))
    else:
        sys.stdout.write(events_to_markdown(found))
    print(f"{len(found)} event(s)", file=sys.stderr)
    return EXIT_OK


def _store_tool(run: Callable[[], Any]) -> Any:
    """Run a store tool (check, recluster, salvage) and print its report's lines; None,
    with the reason on stderr, when the store could not be used at all."""
    from newsfuse.corpus.store import StoreError

    try:
        report = run()
    except StoreError as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return None
    sys.stdout.write("".join(line + "\n" for line in report.lines()))
    return report


def _cmd_check(args: argparse.Namespace) -> int:
    from newsfuse.corpus.repair import check

    report = _store_tool(lambda: check(args.db))
    if report is None:
        return EXIT_FAILED
    return EXIT_PARTIAL if report.problems else EXIT_OK


def _cmd_recluster(args: argparse.Namespace) -> int:
    from newsfuse.corpus.repair import recluster

    report = _store_tool(lambda: recluster(args.db, args.out))
    return EXIT_FAILED if report is None else EXIT_OK


def _cmd_salvage(args: argparse.Namespace) -> int:
    from newsfuse.corpus.repair import salvage

    report = _store_tool(lambda: salvage(args.db, args.out))
    if report is None or report.recovered == 0:
        return EXIT_FAILED
    return EXIT_PARTIAL if report.lost else EXIT_OK


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _cannot_bind(host: str, port: int) -> str | None:
    """Why ``host:port`` can't be listened on (in use, no such address), or ``None``."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return str(exc.strerror or exc)
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            return str(exc.strerror or exc).lower()
    return None


def _cmd_serve(args: argparse.Namespace) -> int:
    from newsfuse.corpus.store import StoreError
    from newsfuse.stopping import Stop
    from newsfuse.web import create_app

    token = os.environ.get("NEWSFUSE_TOKEN") or None
    loopback = _is_loopback(args.host)
    try:
        app = create_app(args.db, token=token, loopback=loopback, encoder=args.encoder,
                         host=args.host, allowed_hosts=args.allow_host)
    except StoreError as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return EXIT_FAILED
    busy = _cannot_bind(args.host, args.port)
    if busy:
        print(f"newsfuse: cannot serve on {args.host}:{args.port}: {busy}", file=sys.stderr)
        return EXIT_FAILED
    writes = ("with the token in NEWSFUSE_TOKEN" if token else
              "from this machine" if loopback else "refused (set NEWSFUSE_TOKEN to allow)")
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"newsfuse: serving {args.db} at http://{shown}:{args.port}/ "
          f"(API: /api, posting articles {writes}); Ctrl-C stops", file=sys.stderr)
    server = _stoppable_server(app, args.host, args.port)
    stop = Stop()
    try:
        with stop.installed(raising=False):  # uvicorn stops, then passes the signal on
            server.run()
    except (OSError, SystemExit) as exc:
        print(f"newsfuse: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if stop():
        print(f"newsfuse: stopped by {stop.name}: served "
              f"{server.server_state.total_requests} request(s); articles posted before the "
              "stop are committed, nothing is half-written", file=sys.stderr)
        return stop.exit_code
    return EXIT_OK


def _stoppable_server(app: Any, host: str, port: int) -> Any:
    """A uvicorn server that, told to stop (SIGINT, SIGTERM), has a posted batch being
    stored commit its transaction at once and gives requests in flight at most
    ``SERVE_SHUTDOWN_WAIT`` seconds to finish."""
    import uvicorn

    from newsfuse import settings

    library = getattr(app, "app", app).state.library

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            library.stopping.set()
            super().handle_exit(sig, frame)

    config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                            server_header=False,
                            timeout_graceful_shutdown=settings.SERVE_SHUTDOWN_WAIT)
    return Server(config)


def _finish(report: ReadReport) -> int:
    print(report.summary(), file=sys.stderr)
    if report.articles == 0:
        return EXIT_FAILED
    return EXIT_PARTIAL if report.skipped_total else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except BrokenPipeError:  # `newsfuse read ... | head`
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("newsfuse: interrupted", file=sys.stderr)
        return 130
    except NewsfuseError as exc:  # e.g. a store found damaged while reading it
        print(f"newsfuse: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return code


if __name__ == "__main__":
    sys.exit(main())
