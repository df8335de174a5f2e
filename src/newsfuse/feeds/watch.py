"""``newsfuse watch``: poll feeds, read their new articles, and add them to a store.

A cycle polls every feed that is not backing off, in parallel threads (per-host limits in
:mod:`newsfuse.feeds.fetch`). A feed's new entries are read from the entry itself when it
carries the full text, else from the article page (read by the HTML reader). As each feed's
articles come back, the main thread adds them to the store, which clusters each into its
event at once (the event's cached brief is rebuilt on its next request), and then records
the URLs and the feed's validators. Only one thread writes, and only between whole batches:
a stop (Ctrl-C, SIGTERM) lets the requests in flight end, commits what they brought, and
exits.
"""

from __future__ import annotations

import fcntl
import json
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from newsfuse import settings
from newsfuse.corpus.store import Store, StoreBusy, StoreError
from newsfuse.errors import InputError
from newsfuse.feeds.fetch import Fetcher, FetchError, HostLimits, Response
from newsfuse.feeds.parse import Entry, FeedError, parse_feed
from newsfuse.feeds.state import Feed, FeedState
from newsfuse.feeds.urls import article_id, host_of
from newsfuse.io.decode import guess_encoding
from newsfuse.io.html import extract_html
from newsfuse.model import Article, Origin
from newsfuse.text import clean_article

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""",
                           re.IGNORECASE)


@dataclass
class WatchOptions:
    every: float = settings.FEED_EVERY_SECONDS
    once: bool = False
    cycles: int | None = None            # stop after this many cycles (tests, benchmarks)
    user_agent: str | None = None
    workers: int = settings.FEED_WORKERS
    host_concurrency: int = settings.FEED_HOST_CONCURRENCY
    host_interval: float = settings.FEED_HOST_INTERVAL
    timeout: float = settings.FEED_CONNECT_TIMEOUT
    total_timeout: float = settings.FEED_TOTAL_TIMEOUT
    robots: bool = True
    retry_dropped: bool = False
    wait: float = 30.0                    # for another writer to finish a batch


@dataclass
class Outcome:
    """An article URL that was not stored: skipped for good, or failed for now."""

    key: str
    status: str          # skipped, failed
    reason: str


@dataclass
class Poll:
    """What one feed's poll brought back to the writing thread."""

    feed: str
    title: str | None = None
    status: str = "unchanged"           # new, unchanged, not modified, error
    articles: list[tuple[str, Article]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: FetchError | FeedError | None = None
    etag: str | None = None
    last_modified: str | None = None
    complete: bool = True               # every new entry was dealt with


@dataclass
class CycleStats:
    cycle: int = 0
    feeds: int = 0
    polled: int = 0
    not_modified: int = 0
    new_articles: int = 0
    already: int = 0
    skipped: int = 0
    errors: int = 0
    events: set[int] = field(default_factory=set)

    def line(self) -> str:
        return (f"cycle {self.cycle}: {self.polled}/{self.feeds} feeds polled "
                f"({self.not_modified} not modified), {self.new_articles} new article(s), "
                f"{self.skipped} skipped, {self.errors} error(s), "
                f"{len(self.events)} event(s) changed")

    def as_dict(self) -> dict[str, Any]:
        return {"cycle": self.cycle, "feeds": self.feeds, "polled": self.polled,
                "not_modified": self.not_modified, "new_articles": self.new_articles,
                "already": self.already, "skipped": self.skipped, "errors": self.errors,
                "events_changed": len(self.events)}


class Log:
    """Messages for people (one line each) or for a service manager (JSON Lines)."""

    def __init__(self, stream: TextIO, *, quiet: bool = False, json_lines: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self.json = json_lines
        self.live = not json_lines and not quiet and stream.isatty()
        self._live_shown = False

    def emit(self, level: str, message: str, **fields: Any) -> None:
        """level: error, skip, warning, info (warnings and info hidden with quiet)."""
        if self.quiet and level in ("warning", "info"):
            return
        if self.json:
            record = {"time": datetime.now(UTC).isoformat(timespec="seconds"),
                      "level": level, "message": message, **fields}
            self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            self._clear()
            self.stream.write(f"newsfuse: {message}\n")
        self.stream.flush()

    def status(self, stats: CycleStats, final: bool) -> None:
        """The status line: redrawn in place on a terminal, printed once per cycle else."""
        if self.quiet:
            return
        if self.json:
            if final:
                self.emit("info", stats.line(), event="cycle", **stats.as_dict())
            return
        if final:
            self._clear()
            self.stream.write(f"newsfuse: {stats.line()}\n")
        elif self.live:
            self.stream.write(f"\r\x1b[Knewsfuse: {stats.line()}")
            self._live_shown = True
        self.stream.flush()

    def _clear(self) -> None:
        if self._live_shown:
            self.stream.write("\r\x1b[K")
            self._live_shown = False


def decode_page(body: bytes, declared: str | None) -> str:
    """A page's text: UTF-8 when it decodes as such (a wrong header is common), else the
    charset the header or the page's meta tag declares, else a detected one."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = [declared] if declared else []
    match = _META_CHARSET.search(body[:settings.SNIFF_BYTES])
    if match:
        candidates.append(match.group(1).decode("ascii", "replace"))
    for name in candidates:
        if name and name.lower().replace("_", "-") not in ("utf-8", "utf8"):
            try:
                return body.decode(name)
            except (LookupError, UnicodeDecodeError):
                continue
    return body.decode(guess_encoding(body), errors="replace")


class Watcher:
    """Follows ``feeds`` into the store at ``db``."""

    def __init__(self, db: str, feeds: list[str], options: WatchOptions, log: Log) -> None:
        self.db = db
        self.feeds = list(dict.fromkeys(feeds))
        self.options = options
        self.log = log
        self.stop = threading.Event()
        self.hosts = HostLimits(concurrency=options.host_concurrency,
                                interval=options.host_interval, stop=self.stop)
        self.fetcher = Fetcher(user_agent=options.user_agent, hosts=self.hosts,
                               robots=options.robots, timeout=options.timeout,
                               total_timeout=options.total_timeout)
        self.store: Store | None = None
        self.state: FeedState | None = None
        self._state_lock = threading.Lock()
        self._claimed: set[str] = set()
        self._claim_lock = threading.Lock()
        self.total = CycleStats()
        self.feed_failures = 0

    # --- running ----------------------------------------------------------------------------
    def run(self) -> int:
        """Poll until stopped (or once); the exit code."""
        try:
            store = Store(self.db)
        except StoreError as exc:
            self.log.emit("error", str(exc))
            return 2
        with store, self._single_watch() as refused:
            if refused:
                self.log.emit("error", refused)
                return 2
            self.store = store
            self.state = FeedState(self.db)
            try:
                with self._state_lock:
                    self.state.add(self.feeds)
                return self._loop()
            except StoreError as exc:
                self.log.emit("error", f"{exc}; stopped (everything before it is stored)")
                return 2
            finally:
                self.state.close()

    @contextmanager
    def _single_watch(self) -> Iterator[str | None]:
        """One watch per store: a second would fetch and write the same articles."""
        path = Path(f"{self.db}.watch.lock")
        try:
            handle = open(path, "a+b")  # noqa: SIM115 - held for the whole run
        except OSError as exc:
            yield f"{path}: cannot create the lock file ({exc.strerror})"
            return
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield f"{self.db}: another 'newsfuse watch' is following feeds into this store"
                return
            yield None
        finally:
            handle.close()

    def _loop(self) -> int:
        cycle = 0
        with self._signals():
            while not self.stop.is_set():
                cycle += 1
                started = time.monotonic()
                stats = self.cycle(cycle)
                self._add_totals(stats)
                if self.options.once or (self.options.cycles and cycle >= self.options.cycles):
                    break
                self.stop.wait(max(0.0, started + self.options.every - time.monotonic()))
        if self.stop.is_set():
            self.log.emit("info", f"stopped after {cycle} cycle(s): "
                                  f"{self.total.new_articles} new article(s) stored, "
                                  f"{self.total.errors} feed error(s)", event="stopped")
        if self.options.once:
            if self.total.feeds and self.total.errors >= self.total.feeds:
                return 2
            return 1 if self.total.errors else 0
        return 0

    def _add_totals(self, stats: CycleStats) -> None:
        for name in ("feeds", "polled", "not_modified", "new_articles", "already", "skipped",
                     "errors"):
            setattr(self.total, name, getattr(self.total, name) + getattr(stats, name))
        self.total.events |= stats.events

    @contextmanager
    def _signals(self) -> Iterator[None]:
        """Ctrl-C and SIGTERM ask for a clean stop; a second Ctrl-C interrupts at once."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def ask_stop(signum: int, frame: FrameType | None) -> None:
            if self.stop.is_set() and signum == signal.SIGINT:
                raise KeyboardInterrupt
            self.stop.set()
            self.log.emit("info", "stopping: finishing the requests in flight and storing "
                                  "what they brought (Ctrl-C again to interrupt)",
                          event="stopping")

        previous = {s: signal.signal(s, ask_stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    # --- one cycle ------------------------------------------------------------------------------
    def cycle(self, number: int) -> CycleStats:
        assert self.state is not None
        stats = CycleStats(cycle=number, feeds=len(self.feeds))
        self._claimed.clear()
        self.fetcher.prune()
        due: list[Feed] = []
        now = time.time()
        with self._state_lock:
            feeds = [self.state.feed(url) for url in self.feeds]
        for feed in feeds:
            if feed.dropped:
                if self.options.retry_dropped:
                    with self._state_lock:
                        self.state.revive(feed.url)
                else:
                    if number == 1:
                        self.log.emit("warning", f"{feed.url}: dropped on {feed.dropped} "
                                                 "(410 Gone, repeatedly); not polled (use "
                                                 "--retry-dropped to try it again)",
                                      feed=feed.url, event="dropped")
                    continue
            # a feed due within the cycle's slack is polled now (cycles start a little
            # earlier than --every after the poll that set its time)
            if feed.next_poll > now + settings.FEED_CYCLE_SLACK * self.options.every:
                left = feed.next_poll - now
                self.log.emit("info", f"{feed.url}: backing off after errors; next poll in "
                                      f"{left:.0f} s", feed=feed.url, event="backoff")
                continue
            due.append(feed)
        with ThreadPoolExecutor(max_workers=max(1, self.options.workers),
                                thread_name_prefix="newsfuse-watch") as pool:
            pending: set[Future[Poll]] = {pool.submit(self.poll, feed) for feed in due}
            while pending:
                done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    self._commit(future.result(), stats)
                    self.log.status(stats, final=False)
        self.log.status(stats, final=True)
        return stats

    # --- in a worker thread ---------------------------------------------------------------------
    def poll(self, feed: Feed) -> Poll:
        """Fetch and parse one feed, and read its new articles. Never raises for the
        feed's or its articles' faults: they are in the returned Poll."""
        result = Poll(feed=feed.url)
        if self.stop.is_set():
            result.status = "deferred"
            return result
        try:
            self._poll(feed, result)
        except (FetchError, FeedError) as exc:
            if isinstance(exc, FetchError) and (exc.deferred or (self.stop.is_set()
                                                and exc.transient)):
                # not the feed's fault: its host asked to wait, or the watch is stopping
                result.status = "deferred"
                result.warnings.append(exc.reason)
                return result
            result.error = exc
            result.status = "error"
        except Exception as exc:  # one feed's fault never ends the watch
            result.error = FeedError(f"unexpected failure ({type(exc).__name__}: {exc})")
            result.status = "error"
        return result

    def _poll(self, feed: Feed, result: Poll) -> None:
        headers = {}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        response = self.fetcher.get(feed.url, limit=settings.FEED_MAX_FEED_BYTES,
                                    headers=headers)
        if response.not_modified:
            result.status = "not modified"
            result.etag, result.last_modified = feed.etag, feed.last_modified
            return
        result.etag = response.headers.get("ETag")
        result.last_modified = response.headers.get("Last-Modified")
        parsed = parse_feed(response.body, response.url, response.content_type,
                            response.charset)
        result.title = parsed.title
        result.warnings.extend(parsed.notes)
        if not parsed.listed:
            result.warnings.append("the feed lists no entries")
        keys = [e.url or f"guid:{e.guid}" for e in parsed.entries]
        with self._state_lock:
            assert self.state is not None
            known = self.state.known(keys)
        taken = 0
        for key, entry in zip(keys, parsed.entries, strict=True):
            if self.stop.is_set():
                result.complete = False
                break
            status, attempts = known.get(key, (None, 0))
            if status in ("stored", "skipped"):
                continue
            if status == "failed" and attempts >= settings.FEED_PAGE_ATTEMPTS:
                continue
            if taken >= settings.FEED_MAX_NEW_PER_POLL:
                result.complete = False
                result.warnings.append(f"more than {settings.FEED_MAX_NEW_PER_POLL} new "
                                       "entries; the others are read on the next poll")
                break
            taken += 1
            with self._claim_lock:
                if key in self._claimed:
                    continue  # another feed of this cycle lists it too
                self._claimed.add(key)
            try:
                self._read_entry(key, entry, response, result, attempts)
            except Exception as exc:  # one page's fault never ends its feed's poll
                result.outcomes.append(Outcome(key, "skipped", f"{entry.url or key}: could "
                                               f"not be read ({type(exc).__name__}: {exc})"))
        result.status = "new" if result.articles else "unchanged"
        if any(o.status == "failed" for o in result.outcomes):
            result.complete = False

    def _read_entry(self, key: str, entry: Entry, feed: Response, result: Poll,
                    attempts: int) -> None:
        ident = article_id(entry.url or key)
        if entry.content and entry.content_words >= settings.FEED_FULL_TEXT_WORDS:
            try:
                article = self._from_content(ident, entry, feed.url)
                self._keep(key, article, result)
                return
            except InputError:
                pass  # the content was not an article after all: read the page
        if not entry.url:
            result.outcomes.append(Outcome(key, "skipped", "the entry has no link and does "
                                                           "not carry the full text"))
            return
        try:
            page = self.fetcher.get(entry.url, limit=settings.FEED_MAX_PAGE_BYTES)
        except FetchError as exc:
            if exc.deferred or (self.stop.is_set() and exc.transient):
                result.complete = False  # not requested, or cut short: read next time
                return
            if exc.retry_after is not None and exc.status in (429, 503):
                self.hosts.block(host_of(entry.url), exc.retry_after)
            reason = f"{entry.url}: {exc.reason}"
            if exc.transient and attempts + 1 >= settings.FEED_PAGE_ATTEMPTS:
                result.outcomes.append(Outcome(key, "skipped", f"{reason}; gave up after "
                                                               f"{attempts + 1} attempts"))
            else:
                result.outcomes.append(Outcome(key, "failed" if exc.transient else "skipped",
                                               reason))
            return
        kind = page.content_type
        if kind and not (kind.startswith("text/") or "html" in kind or "xml" in kind):
            result.outcomes.append(Outcome(key, "skipped", f"{entry.url}: served as {kind}, "
                                                           "not a web page"))
            return
        text = decode_page(page.body, page.charset)
        try:
            article = extract_html(text, Origin(entry.url), ident, url=entry.url)
        except InputError as exc:
            result.outcomes.append(Outcome(key, "skipped", f"{entry.url}: {exc.reason}"))
            return
        article = _with_entry(article, entry)
        self._keep(key, article, result)

    @staticmethod
    def _from_content(ident: str, entry: Entry, feed_url: str) -> Article:
        """The article from the entry's own full text (an HTML fragment or plain text)."""
        content = entry.content or ""
        if "<" not in content:
            content = "".join(f"<p>{escape(p.strip())}</p>" for p in content.split("\n\n")
                              if p.strip())
        title = f"<title>{escape(entry.title)}</title>" if entry.title else ""
        page = f"<html><head>{title}</head><body><article>{content}</article></body></html>"
        origin = Origin(entry.url or feed_url)
        article = extract_html(page, origin, ident, url=entry.url or None)
        return _with_entry(article, entry)

    @staticmethod
    def _keep(key: str, article: Article, result: Poll) -> None:
        cleaned = clean_article(article)
        if not cleaned.text and not cleaned.title:
            result.outcomes.append(Outcome(key, "skipped", f"{article.origin.path}: nothing "
                                                           "left after removing boilerplate"))
            return
        result.articles.append((key, cleaned))

    # --- in the main thread: the only writer ----------------------------------------------------
    def _commit(self, poll: Poll, stats: CycleStats) -> None:
        assert self.store is not None and self.state is not None
        feed = poll.feed
        if poll.status == "deferred":
            for warning in poll.warnings:
                self.log.emit("info", f"{feed}: {warning}", feed=feed, event="deferred")
            return
        stats.polled += 1
        rows: list[tuple[str, str, str | None, str, str | None]] = []
        if poll.articles:
            try:
                report = self.store.ingest((a for _, a in poll.articles),
                                           wait=self.options.wait)
            except StoreBusy as exc:
                # another program held the store too long: nothing of this poll is kept,
                # and the feed is read again in full next time (its validators dropped)
                self.log.emit("error", f"{feed}: {exc}; its new articles are read again on "
                                       "the next poll", feed=feed, event="store busy")
                stats.errors += 1
                with self._state_lock, self.state.transaction():
                    self.state.polled(feed, status="error", error=str(exc),
                                      next_poll=0.0)
                return
            for (key, _), (stored, status) in zip(poll.articles, report.results, strict=True):
                rows.append((key, feed, stored, "stored", None))
                if status == "added":
                    self.log.emit("info", f"{feed}: new article {stored}",
                                  feed=feed, event="article", article=stored)
            stats.new_articles += report.added
            stats.already += report.already
            stats.events |= report.events
            for note in report.notes:
                self.log.emit("warning", f"{feed}: {note}", feed=feed, event="note")
        for outcome in poll.outcomes:
            rows.append((outcome.key, feed, None, outcome.status, outcome.reason))
            stats.skipped += outcome.status == "skipped"
            verb = "skipped" if outcome.status == "skipped" else "not read this time"
            self.log.emit("skip", f"{feed}: {outcome.reason}; {verb}", feed=feed,
                          event=outcome.status, reason=outcome.reason)
        for warning in poll.warnings:
            self.log.emit("warning", f"{feed}: {warning}", feed=feed, event="note")
        with self._state_lock, self.state.transaction():
            self.state.record(rows)
            self._record_poll(poll, stats)

    def _record_poll(self, poll: Poll, stats: CycleStats) -> None:
        assert self.state is not None
        feed = poll.feed
        now = time.time()
        if poll.error is None:
            stats.not_modified += poll.status == "not modified"
            keep = poll.complete  # validators only once every entry was dealt with
            self.state.polled(feed, status=poll.status, title=poll.title,
                              etag=poll.etag if keep else None,
                              last_modified=poll.last_modified if keep else None,
                              next_poll=0.0)
            return
        stats.errors += 1
        error = poll.error
        record = self.state.feed(feed)
        status = error.status if isinstance(error, FetchError) else None
        gone = status == 410
        drop = gone and record.gone + 1 >= settings.FEED_GONE_STRIKES
        # the next cycle after a first failure, then intervals doubling: every cycle
        # skipped is one more interval (2, 4, 8... times --every between polls)
        backoff = min(self.options.every * (2 ** min(record.failures, 20) - 1),
                      float(settings.FEED_MAX_BACKOFF))
        retry = error.retry_after if isinstance(error, FetchError) else None
        if retry is not None:
            backoff = max(retry, 0.0)
            if status in (429, 503):
                self.hosts.block(host_of(feed), retry)
        reason = error.reason if isinstance(error, FetchError) else str(error)
        self.state.polled(feed, status="error", error=reason, next_poll=now + backoff,
                          gone=gone, drop=drop)
        tail = ("; dropped: it answered 410 Gone "
                f"{settings.FEED_GONE_STRIKES} times in a row" if drop else
                f"; next try in {backoff:.0f} s" if backoff > 0 else "")
        self.log.emit("error", f"{feed}: {reason}{tail}", feed=feed, event="feed error",
                      status=status, reason=reason)


def _with_entry(article: Article, entry: Entry) -> Article:
    """The page's article with what the feed knows better: the entry's date (the page's
    own only when the feed has none), title and outlet when the page gives none, and the
    canonical URL."""
    from dataclasses import replace

    return replace(article,
                   date=entry.date or article.date,
                   title=article.title or entry.title,
                   outlet=article.outlet or entry.outlet,
                   url=entry.url or article.url)


def watch(db: str, feeds: list[str], options: WatchOptions, *, quiet: bool = False,
          json_log: bool = False, stream: TextIO | None = None) -> int:
    """Run the watch; the exit code (0 done, 1 some feeds failed with --once, 2 none could
    be polled or the store could not be used)."""
    log = Log(stream or sys.stderr, quiet=quiet, json_lines=json_log)
    return Watcher(db, feeds, options, log).run()

