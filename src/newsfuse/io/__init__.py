"""Reading articles from files, folders and stdin, whatever their format.

``read`` streams: articles are produced one at a time and nothing is kept, so memory does not
grow with the size of the input. What could not be read is counted in ``ArticleStream.report``
and passed to ``on_problem`` as it happens, never dropped silently.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from newsfuse.errors import InputError
from newsfuse.io.csvfile import read_csv
from newsfuse.io.detect import detect_format, read_head
from newsfuse.io.jsonfile import iter_json_stream, read_json, read_json_lines
from newsfuse.io.report import Problem, ProblemHandler, ReadReport
from newsfuse.io.textfile import read_text_file
from newsfuse.model import Article

__all__ = ["ArticleStream", "BytesStream", "Problem", "ReadReport"]

Reader = Callable[[Path, ReadReport], Iterator[Article]]


def read_html_file(path: Path, report: ReadReport) -> Iterator[Article]:
    """:func:`newsfuse.io.html.read_html_file`, imported when first used (trafilatura is
    slow to import, and most inputs are not HTML)."""
    from newsfuse.io.html import read_html_file as read

    return read(path, report)


def read_warc(path: Path, report: ReadReport) -> Iterator[Article]:
    """:func:`newsfuse.io.warc.read_warc`, imported when first used."""
    from newsfuse.io.warc import read_warc as read

    return read(path, report)


READERS: dict[str, Reader] = {
    "text": read_text_file,
    "jsonl": read_json_lines,
    "json": read_json,
    "html": read_html_file,
    "warc": read_warc,
    "csv": read_csv,
}
STDIN = "-"


class ArticleStream:
    """An iterable of raw articles from ``inputs`` with a running :class:`ReadReport`."""

    def __init__(self, inputs: Iterable[str | os.PathLike[str]], *,
                 on_problem: ProblemHandler | None = None, fmt: str | None = None,
                 prepare: Callable[[Article], Article] | None = None) -> None:
        self.inputs = [os.fspath(i) for i in inputs]
        self.format = fmt
        self.prepare = prepare
        self.report = ReadReport(on_problem=on_problem)

    def __iter__(self) -> Iterator[Article]:
        for source in self.sources():
            if source is None:
                yield from self.prepared(self.raw_stdin())
            else:
                yield from self.prepared(self.raw_file(source))

    def sources(self) -> Iterator[Path | None]:
        """Each file to read, in order (``None`` for stdin); a missing path or an empty
        folder is reported as skipped where it stands."""
        for name in self.inputs:
            if name == STDIN:
                yield None
                continue
            path = Path(name)
            if path.is_dir():
                files = list(_walk(path))
                if not files:
                    self.report.skip(InputError(name, "folder holds no files",
                                                kind="empty folder"))
                yield from files
            elif path.exists():
                yield path
            else:
                self.report.skip(InputError(name, "no such file or directory",
                                            kind="missing path"))

    def raw_stdin(self) -> Iterator[Article]:
        """The articles sent on stdin as the reader gives them (not prepared, not counted);
        what cannot be read is reported."""
        self.report.files += 1
        try:
            yield from iter_json_stream(sys.stdin.buffer, "<stdin>", "stdin", self.report)
        except InputError as exc:
            self.report.skip(exc)

    def raw_file(self, path: Path, fmt: str | None = None) -> Iterator[Article]:
        """The articles of one file as its reader gives them (not prepared, not counted);
        what cannot be read is reported. ``fmt``: its reader when already chosen by
        :meth:`file_format` (the file is then not checked and sniffed again)."""
        self.report.files += 1
        try:
            yield from READERS[fmt or self.file_format(path)](path, self.report)
        except (InputError, OSError) as exc:
            self.report.skip(unreadable(path, exc))

    def file_format(self, path: Path) -> str:
        """The reader ``path`` needs: the stream's format, else what its name and first
        bytes say. Raises :class:`InputError` (or :class:`OSError`) when the file cannot be
        read: unreadable, empty or binary."""
        if not os.access(path, os.R_OK) or not path.is_file():
            raise InputError(str(path), "not a readable file", kind="unreadable file")
        head = read_head(path)
        if not head.strip():
            raise InputError(str(path), "empty file", kind="empty file")
        return self.format or detect_format(path, head)

    def prepared(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Prepare (clean) each article and count it; one that cleaning leaves empty is
        reported as skipped."""
        for article in articles:
            if self.prepare is not None:
                article = self.prepare(article)
                if not article.text and not article.title:
                    self.report.skip(InputError(
                        article.origin.path, "nothing left after removing boilerplate",
                        article.origin.line, kind="no text after cleaning"))
                    continue
            self.report.articles += 1
            for warning in article.warnings:
                self.report.warn(article.origin.path, warning, article.origin.line)
            yield article


class BytesStream(ArticleStream):
    """Articles sent as bytes (an HTTP request body): a JSON array of records, or JSON
    Lines. Problems are reported against ``name`` and the record or line number."""

    def __init__(self, data: bytes, name: str, *, on_problem: ProblemHandler | None = None,
                 prepare: Callable[[Article], Article] | None = None) -> None:
        super().__init__([], on_problem=on_problem, prepare=prepare)
        self.data = data
        self.name = name

    def __iter__(self) -> Iterator[Article]:
        self.report.files += 1
        try:
            yield from self.prepared(
                iter_json_stream(io.BytesIO(self.data), self.name, "request", self.report))
        except InputError as exc:
            self.report.skip(exc)


def unreadable(path: Path, error: InputError | OSError) -> InputError:
    """What stopped a file being read, as the input error reported for it."""
    if isinstance(error, InputError):
        return error
    return InputError(str(path), error.strerror or str(error), kind="unreadable file")


_HIDDEN = (".", "_")


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in a stable order, hidden files and folders left out: names
    starting with "." or "_", as Hadoop and Spark hide them (``_SUCCESS``, ``_temporary``
    and other job markers), so ``newsfuse read`` and ``newsfuse spark`` read the same files
    of a folder. Linked folders are followed, each real folder once (a link loop ends
    there)."""
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith(_HIDDEN))
        for name in sorted(files):
            if not name.startswith(_HIDDEN):
                yield Path(root) / name
