"""Counting what was read and what was skipped, and passing problems on as they happen."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from newsfuse.errors import InputError


@dataclass(frozen=True, slots=True)
class Problem:
    """Something about the input a user should know: ``skipped`` lost data, ``warning`` did not."""

    severity: str
    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{self.severity}: {where}: {self.reason}"


ProblemHandler = Callable[[Problem], None]


@dataclass
class ReadReport:
    """Running totals of one read; memory stays constant however much is read."""

    on_problem: ProblemHandler | None = None
    files: int = 0
    articles: int = 0
    warnings: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def skip(self, error: InputError) -> None:
        self.skipped[error.kind] += 1
        self._emit(Problem("skipped", error.path, error.line, error.reason))

    def warn(self, path: str, reason: str, line: int | None = None) -> None:
        self.warnings += 1
        self._emit(Problem("warning", path, line, reason))

    def _emit(self, problem: Problem) -> None:
        if self.on_problem is not None:
            self.on_problem(problem)

    def summary(self) -> str:
        """The closing line: ``read N articles from M files; skipped K (reasons...)``."""
        files = "file" if self.files == 1 else "files"
        articles = "article" if self.articles == 1 else "articles"
        line = f"read {self.articles} {articles} from {self.files} {files}"
        line += f"; skipped {self.skipped_total}"
        if self.skipped:
            reasons = ", ".join(f"{n} {kind}" for kind, n in sorted(
                self.skipped.items(), key=lambda kv: (-kv[1], kv[0])))
            line += f" ({reasons})"
        if self.warnings:
            line += f"; {self.warnings} warning{'s' if self.warnings != 1 else ''}"
        return line
