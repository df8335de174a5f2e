"""The ``watch`` and ``feeds`` commands (parsing their arguments and printing)."""

from __future__ import annotations

import argparse
import json
import re
import sys

from newsfuse import settings

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def duration(value: str) -> float:
    """'10m', '90s', '1h', '2d' or plain seconds."""
    match = _DURATION.match(value)
    if not match:
        raise argparse.ArgumentTypeError(f"{value!r} is not a duration (e.g. 90s, 10m, 1h)")
    seconds = float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()]
    if not settings.FEED_MIN_EVERY_SECONDS <= seconds <= 7 * 86400:
        raise argparse.ArgumentTypeError(
            f"must be from {settings.FEED_MIN_EVERY_SECONDS} s to 7 days")
    return seconds


def add_arguments(watch_cmd: argparse.ArgumentParser,
                  feeds_cmd: argparse.ArgumentParser, default_db: str) -> None:
    """The options of ``newsfuse watch`` and ``newsfuse feeds``."""
    watch_cmd.add_argument("urls", nargs="*", metavar="FEED_URL", help="a feed's URL")
    watch_cmd.add_argument("--opml", action="append", default=[], metavar="FILE",
                           help="follow the feeds of an OPML file (repeatable)")
    watch_cmd.add_argument("--feeds", action="append", default=[], metavar="FILE",
                           help="follow the feed URLs listed in FILE, one a line "
                                "('#' comments; repeatable)")
    watch_cmd.add_argument("--db", metavar="PATH", default=default_db,
                           help=f"the store (default: {default_db}; created if missing)")
    watch_cmd.add_argument("--every", type=duration, default=settings.FEED_EVERY_SECONDS,
                           metavar="DURATION",
                           help="poll the feeds this often (default: 10m; e.g. 90s, 1h)")
    watch_cmd.add_argument("--once", action="store_true",
                           help="poll every feed once, store the new articles, and exit")
    watch_cmd.add_argument("--user-agent", metavar="TEXT",
                           help="the User-Agent sent (default: "
                                f"{settings.FEED_USER_AGENT.format(version='VERSION')!r}); "
                                "a contact address lets site owners reach you")
    watch_cmd.add_argument("--workers", type=int, default=settings.FEED_WORKERS,
                           metavar="N", help="requests in flight at once "
                                             f"(default: {settings.FEED_WORKERS})")
    watch_cmd.add_argument("--host-interval", type=float, default=settings.FEED_HOST_INTERVAL,
                           metavar="SECONDS",
                           help="least time between two requests to one host (default: "
                                f"{settings.FEED_HOST_INTERVAL:g}; a robots.txt "
                                "Crawl-delay asking more wins)")
    watch_cmd.add_argument("--retry-dropped", action="store_true",
                           help="poll again feeds dropped after repeated 410 Gone answers")
    watch_cmd.add_argument("--log", choices=("text", "json"), default="text",
                           help="messages as text lines, or JSON Lines for a service "
                                "manager (default: text)")
    watch_cmd.add_argument("-q", "--quiet", action="store_true",
                           help="no status line or notes: only errors and skipped articles")
    feeds_cmd.add_argument("--db", metavar="PATH", default=default_db,
                           help=f"the store (default: {default_db})")
    feeds_cmd.add_argument("--format", choices=("md", "json"), default="md",
                           help="output format (default: md)")


def cmd_watch(args: argparse.Namespace) -> int:
    from newsfuse.errors import UsageError
    from newsfuse.feeds.parse import checked_urls, read_feed_list, read_opml
    from newsfuse.feeds.watch import WatchOptions, watch

    try:
        urls = checked_urls(list(args.urls), "FEED_URL")
        for path in args.opml:
            urls.extend(read_opml(path))
        for path in args.feeds:
            urls.extend(read_feed_list(path))
    except UsageError as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return 2
    if not urls:
        print("newsfuse: no feed to follow: give FEED_URL, --opml FILE or --feeds FILE",
              file=sys.stderr)
        return 2
    if not 1 <= args.workers <= 256 or not 0 <= args.host_interval <= 3600:
        print("newsfuse: --workers must be 1-256 and --host-interval 0-3600 s",
              file=sys.stderr)
        return 2
    options = WatchOptions(every=args.every, once=args.once, user_agent=args.user_agent,
                           workers=args.workers, host_interval=args.host_interval,
                           retry_dropped=args.retry_dropped)
    return watch(args.db, list(dict.fromkeys(urls)), options, quiet=args.quiet,
                 json_log=args.log == "json")


def cmd_feeds(args: argparse.Namespace) -> int:
    import sqlite3

    from newsfuse.corpus.store import Store, StoreError
    from newsfuse.feeds.state import list_feeds

    try:
        with Store(args.db, readonly=True) as store:
            rows = list_feeds(store.db)
    except (StoreError, sqlite3.Error) as exc:
        print(f"newsfuse: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        sys.stdout.write(json.dumps({"feeds": rows}, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(feeds_markdown(rows))
    print(f"{len(rows)} feed(s)", file=sys.stderr)
    return 0


def feeds_markdown(rows: list[dict[str, object]]) -> str:
    """The feeds as a Markdown table."""
    def cell(value: object) -> str:
        text = "" if value is None else " ".join(str(value).split())
        return text.replace("|", "\\|")[:160]

    lines = ["| feed | status | last poll | articles | skipped | last error |",
             "|---|---|---|---:|---:|---|"]
    for r in rows:
        name = f"{cell(r['title'])} <{cell(r['url'])}>" if r["title"] else f"<{cell(r['url'])}>"
        lines.append(f"| {name} | {cell(r['status'])} | {cell(r['last_poll']) or 'never'} | "
                     f"{r['articles']} | {r['skipped']} | {cell(r['last_error'])} |")
    return "\n".join(lines) + "\n"
