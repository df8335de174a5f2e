"""Every core of one machine: reading, cleaning, features and briefs in a process pool.

The stages stay the pure functions they are (:func:`clean_record`,
:func:`newsfuse.text.clean_article`, :func:`newsfuse.corpus.features.article_features`,
:func:`newsfuse.fuse.build_brief`); this module only decides where they run. Work is cut
into chunks of records, at most a few chunks are in flight at once (so memory stays bounded
however large the input), and results are taken back in input order, so the output is the
one a single process gives, in the same order, with the same problems reported at the same
places.

* ``workers == 1`` runs everything in this process, without a pool.
* Workers are started from a fork server (or with ``spawn`` where there is none): never
  forked from the parent, so safe with threads; nothing relies on inherited state. They
  ignore Ctrl-C, which the parent handles by stopping them all (no stray process). As with
  any ``spawn`` pool, a script that reads with ``workers`` > 1 must guard its entry point
  with ``if __name__ == "__main__":``.
* Order-dependent steps stay in the parent: the online clustering loop (each article's event
  depends on those placed before it) and the store's writes.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from queue import Empty, Full, Queue
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from newsfuse import settings
from newsfuse.errors import InputError
from newsfuse.io import ArticleStream, unreadable
from newsfuse.io.records import record_to_article
from newsfuse.io.report import ProblemHandler, ReadReport
from newsfuse.model import Article, Origin
from newsfuse.text import clean_article

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from newsfuse.corpus.features import ArticleFeatures
    from newsfuse.encode import Encoder
    from newsfuse.model import Brief

__all__ = ["ParallelStream", "WorkerPool", "clean_record", "make_briefs", "usable_cores"]

T = TypeVar("T")
R = TypeVar("R")

# What a worker reports of a chunk, in order: an article, a skipped input, a warning, or a
# number of files opened. Plain tuples: they cross the process boundary as they are.
Event = tuple[Any, ...]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


# --- pure stage functions, reusable by any driver ------------------------------------------
def clean_record(record: Mapping[str, Any], origin: Origin, stem: str) -> Article:
    """One raw record (a JSON or CSV row) to a cleaned, segmented article. Raises
    :class:`InputError` when the record has no text (see
    :func:`newsfuse.io.records.record_to_article`); a record cleaning leaves empty comes back
    with neither text nor title."""
    return clean_article(record_to_article(record, origin, stem))


# --- the pool -------------------------------------------------------------------------------
def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the parent, which stops them: no traceback from each."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# Imported once by the fork server, so that each worker starts with them loaded (about 1.5
# CPU-seconds a worker otherwise, more than a second worker saves on a few hundred articles).
_PRELOAD = ("newsfuse.parallel",)


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Ctrl-C ignored meanwhile: a process started now ignores it from its first instant (an
    ignored signal stays ignored across exec), and leaves it to the parent."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to change
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _start_method() -> str:
    """``forkserver`` where there is one (POSIX): workers are forked from a clean server
    process that has loaded newsfuse once, never from the parent and its threads; else
    ``spawn``. Nothing relies on state inherited from the parent, so both give the same."""
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


class WorkerPool:
    """A pool of ``workers`` processes (none for 1) mapping functions in input order.

    Use it as a context manager: leaving it normally waits for the workers to end; leaving
    it by an exception (Ctrl-C, a consumer that stopped early) terminates them at once."""

    def __init__(self, workers: int, method: str | None = None) -> None:
        self.workers = max(1, workers)
        self.method = method or _start_method()
        self._pool: Pool | None = None

    def __enter__(self) -> WorkerPool:
        if self.workers > 1:
            context = multiprocessing.get_context(self.method)
            pool = None
            with _interrupts_ignored():  # what starts here ignores Ctrl-C for good
                if self.method == "forkserver":
                    context.set_forkserver_preload(["__main__", *_PRELOAD])
                    from multiprocessing import forkserver

                    forkserver.ensure_running()  # started, not waited for
                else:
                    pool = context.Pool(self.workers, initializer=_ignore_interrupt)
            # The fork server's workers inherit its ignoring Ctrl-C; waiting for it to be
            # ready is outside the window, so that Ctrl-C is never lost meanwhile.
            self._pool = pool or context.Pool(self.workers, initializer=_ignore_interrupt)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if kind is None:
            pool.close()
        else:
            pool.terminate()
        pool.join()

    def map(self, func: Callable[[T], R], items: Iterable[T],
            window: int | None = None) -> Iterator[R]:
        """``func`` of each item, in the order of ``items``, with at most ``window`` items
        (default: ``settings.WORKER_WINDOW`` per worker) in flight: ``items`` is read
        lazily, so a long input is never held whole."""
        if self._pool is None:
            yield from map(func, items)
            return
        limit = window or settings.WORKER_WINDOW * self.workers
        pending: deque[Any] = deque()
        for item in items:
            if item is IDLE:  # the input is waiting: hand over what is done meanwhile
                while pending and pending[0].ready():
                    yield pending.popleft().get()
                continue
            pending.append(self._pool.apply_async(func, (item,)))
            while len(pending) >= limit:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


class _Idle:
    """The type of :data:`IDLE`."""


# Given by a lazily read input in place of an item when none has come for a while (a pipe
# waiting for its writer): :meth:`WorkerPool.map` then yields the results already done
# instead of holding them until the next item arrives.
IDLE: Any = _Idle()


# --- reading ----------------------------------------------------------------------------------
# Formats of one article per file: the whole file is read (and parsed: HTML extraction is
# the costly part) by a worker. Files holding many records are split into records by the
# parent, and the records are cleaned by the workers.
_ONE_PER_FILE = ("text", "html")


class _Recorder(ReadReport):
    """A report that keeps its problems as events, to be replayed in order elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[Event] = []

    def skip(self, error: InputError) -> None:
        self.log.append(("skip", error.path, error.reason, error.line, error.kind))

    def warn(self, path: str, reason: str, line: int | None = None) -> None:
        self.log.append(("warn", path, reason, line))

    def drain(self) -> list[Event]:
        events = self.log
        if self.files:
            events.insert(0, ("files", self.files))
            self.files = 0
        self.log = []
        return events


class _Stopped(BaseException):
    """The consumer of a split input went away: the reader thread ends."""


class _Forwarder(ReadReport):
    """A report that hands its problems and opened files on as events, as they happen."""

    def __init__(self, put: Callable[[Event], None]) -> None:
        self._put = put
        super().__init__()

    @property
    def files(self) -> int:
        return 0

    @files.setter
    def files(self, value: int) -> None:
        if value > 0:  # one for each file opened
            self._put(("files", value))

    def skip(self, error: InputError) -> None:
        self._put(("skip", error.path, error.reason, error.line, error.kind))

    def warn(self, path: str, reason: str, line: int | None = None) -> None:
        self._put(("warn", path, reason, line))


ReadTask = tuple[bool, str | None, bool, list[Event]]


def _read_chunk(task: ReadTask) -> list[Event]:
    """Worker side: prepare the raw articles of a chunk and read its whole files (with each
    article's clustering features when asked); events already known (problems the parent met
    while splitting a file) pass through in place."""
    clean, fmt, features, items = task
    if features:  # loaded only when asked: the hashing and MinHash modules cost imports
        from newsfuse.corpus.features import article_features
    stream = ArticleStream([], fmt=fmt, prepare=clean_article if clean else None)
    recorder = _Recorder()
    stream.report = recorder
    out: list[Event] = []
    for item in items:
        if item[0] == "raw":
            articles = list(stream.prepared([item[1]]))
        elif item[0] == "file":
            articles = list(stream.prepared(stream.raw_file(Path(item[1]), item[2])))
        else:
            out.append(item)
            continue
        out.extend(recorder.drain())
        out.extend(("article", a, article_features(a) if features else None)
                   for a in articles)
    return out


class ParallelStream(ArticleStream):
    """:class:`ArticleStream` with its reading and cleaning spread over ``workers``
    processes. It yields the same articles in the same order, and its report counts and
    passes on the same problems in the same order, as one process would."""

    def __init__(self, inputs: Iterable[str | os.PathLike[str]], *, workers: int,
                 on_problem: ProblemHandler | None = None, fmt: str | None = None,
                 clean: bool = True) -> None:
        super().__init__(inputs, on_problem=on_problem, fmt=fmt,
                         prepare=clean_article if clean else None)
        self.workers = workers
        self.clean = clean

    def __iter__(self) -> Iterator[Article]:
        if self.workers <= 1:
            yield from super().__iter__()
            return
        for article, _ in self._run(features=False):
            yield article

    def with_features(self) -> Iterator[tuple[Article, ArticleFeatures]]:
        """The articles with their clustering features, computed where they were cleaned."""
        from newsfuse.corpus.features import article_features

        if self.workers <= 1:
            for article in super().__iter__():
                yield article, article_features(article)
            return
        for article, features in self._run(features=True):
            assert features is not None
            yield article, features

    def _run(self, features: bool) -> Iterator[tuple[Article, ArticleFeatures | None]]:
        tasks = self._tasks(features)
        head: list[ReadTask] = []
        real, ended = 0, True
        for task in tasks:
            head.append(task)
            real += task is not IDLE
            # two chunks, or one while the input waits (a pipe): start the workers
            if real >= 2 or (real and task is IDLE):
                ended = False
                break
        if ended:  # one chunk in all: not worth starting workers
            for task in head:
                if task is not IDLE:
                    yield from self._replay(_read_chunk(task))
            return
        with WorkerPool(self.workers) as pool:
            for events in pool.map(_read_chunk, itertools.chain(head, tasks)):
                yield from self._replay(events)

    def _tasks(self, features: bool) -> Iterator[ReadTask]:
        """Chunks of work in input order: raw records split off their files, whole files of
        one article each, and the problems met on the way. A thread splits the input into
        a bounded queue, so that it reads ahead while results are handled, and a long run of
        bad records waits in chunks like good ones (a reader reports problems without
        yielding)."""
        queue: Queue[Event | BaseException | None] = Queue(
            maxsize=settings.WORKER_CHUNK * settings.WORKER_WINDOW)
        stop = threading.Event()

        def put(item: Event | BaseException | None) -> None:
            while not stop.is_set():
                with contextlib.suppress(Full):
                    queue.put(item, timeout=0.1)
                    return
            raise _Stopped

        thread = threading.Thread(target=self._split, args=(put,), daemon=True,
                                  name="newsfuse-split")
        thread.start()
        items: list[Event] = []
        try:
            while True:
                try:
                    item = queue.get(timeout=settings.WORKER_IDLE_SECONDS)
                except Empty:  # the input is waiting (a pipe): what was read goes now
                    if items:
                        yield self.clean, self.format, features, items
                        items = []
                    else:
                        yield IDLE
                    continue
                if item is None:
                    break
                if isinstance(item, BaseException):
                    raise item
                items.append(item)
                if len(items) >= settings.WORKER_CHUNK:
                    yield self.clean, self.format, features, items
                    items = []
            if items:
                yield self.clean, self.format, features, items
        finally:
            stop.set()
            thread.join()

    def _split(self, put: Callable[[Event | BaseException | None], None]) -> None:
        """Reader thread: walk the inputs, putting each whole file of one article (with the
        reader its sniffing chose: each file is sniffed once, here), each raw record and each
        problem in order; then ``None``, or the error that stopped it."""
        splitter = ArticleStream(self.inputs, fmt=self.format)
        splitter.report = _Forwarder(put)
        try:
            for source in splitter.sources():
                if source is None:
                    articles = splitter.raw_stdin()
                else:
                    try:
                        fmt = splitter.file_format(source)
                    except (InputError, OSError) as exc:
                        splitter.report.files += 1
                        splitter.report.skip(unreadable(source, exc))
                        continue
                    if fmt in _ONE_PER_FILE:  # read whole by a worker, not sniffed again
                        put(("file", str(source), fmt))
                        continue
                    articles = splitter.raw_file(source, fmt)
                for article in articles:
                    put(("raw", article))
            put(None)
        except _Stopped:
            return
        except BaseException as exc:  # handed to the consumer, raised there
            with contextlib.suppress(_Stopped):
                put(exc)

    def _replay(self, events: list[Event]) -> Iterator[tuple[Article, ArticleFeatures | None]]:
        report = self.report
        for event in events:
            kind = event[0]
            if kind == "article":
                report.articles += 1
                yield event[1], event[2]
            elif kind == "skip":
                report.skip(InputError(event[1], event[2], event[3], kind=event[4]))
            elif kind == "warn":
                report.warn(event[1], event[2], event[3])
            elif kind == "files":
                report.files += event[1]


# --- briefs ---------------------------------------------------------------------------------
BriefTask = tuple[tuple[Article, ...], int | None, int | None, "Encoder", bool, str | None]


def _brief_task(task: BriefTask) -> Brief:
    from newsfuse.fuse import build_brief

    articles, words, sentences, encoder, facts, language = task
    return build_brief(articles, words=words, sentences=sentences, encoder=encoder,
                       facts=facts, language=language)


def make_briefs(tasks: Iterable[BriefTask], *, workers: int | None,
                semantic: bool) -> Iterator[Brief]:
    """The brief of each task, in order, made by one of ``workers`` processes.

    ``workers=None`` chooses: one process when the encoder is a neural one (``semantic``:
    MiniLM, USE), which already keeps every core busy, so that a pool of them would only
    compete for the cores (two workers took 1.8x as long as one with MiniLM); else every
    usable core. In one process ``tasks`` is read lazily (only the brief being made is
    held); a pool takes them all at once, in order, so that the first (the largest events)
    start first. A single task starts no pool."""
    if workers is None:
        workers = 1 if semantic else usable_cores()
    if workers <= 1:
        yield from map(_brief_task, tasks)
        return
    jobs = list(tasks)
    if len(jobs) <= 1:
        yield from map(_brief_task, jobs)
        return
    with WorkerPool(min(workers, len(jobs))) as pool:
        yield from pool.map(_brief_task, jobs, window=len(jobs))
