"""The project's own exceptions: each carries where (file, line) and why, in one line."""

from __future__ import annotations


class NewsfuseError(Exception):
    """Base class of every error newsfuse raises on purpose."""


class InputError(NewsfuseError):
    """Input that cannot be read: a file, or one line/record of it."""

    def __init__(self, path: str, reason: str, line: int | None = None,
                 kind: str = "unreadable input") -> None:
        self.path = path
        self.reason = reason
        self.line = line
        self.kind = kind  # a short category for the summary line ("binary file", ...)
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {reason}")


class UsageError(NewsfuseError):
    """The command was asked for something it cannot do (bad options, nothing to read)."""
