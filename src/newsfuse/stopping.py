"""Stopping long commands cleanly on SIGINT (Ctrl-C) and SIGTERM.

A :class:`Stop` turns the first signal into a request that the work in progress ends at its
next safe point: an ingest commits the transaction it is writing (at most about a second of
work) and returns. When nothing is being written at that moment (the ingest is reading its
input, perhaps blocked on a pipe), there is nothing to finish, and the signal raises
:class:`Interrupted` at once. A second signal always raises at once: a transaction in
progress is then rolled back, so the store is never left half-written either way.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A stop signal arrived where the work could stop at once (a ``BaseException``, like
    ``KeyboardInterrupt``, so that no ``except Exception`` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Stop:
    """Call it to know whether a stop was asked. ``busy`` says whether the work is in a
    section it must finish (a write transaction) rather than be interrupted in."""

    def __init__(self, busy: Callable[[], bool] = lambda: False) -> None:
        self.busy = busy
        self.signum: int | None = None

    def __call__(self) -> bool:
        return self.signum is not None

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum is not None else ""

    @property
    def exit_code(self) -> int:
        """The shell's code for a process ended by the signal: 128 + its number."""
        return 128 + (self.signum or 0)

    def handle(self, signum: int, frame: FrameType | None) -> None:
        again = self.signum is not None
        self.signum = signum
        if again or not self.busy():
            raise Interrupted(signum)

    def record(self, signum: int, frame: FrameType | None) -> None:
        """A handler that only notes the signal (for a server that stops itself)."""
        self.signum = signum

    @contextmanager
    def installed(self, *, raising: bool = True) -> Iterator[Stop]:
        """Handle SIGINT and SIGTERM while the block runs (the previous handlers come back
        after it); ``raising=False`` only records them."""
        handler = self.handle if raising else self.record
        previous = {sig: signal.signal(sig, handler) for sig in SIGNALS}
        try:
            yield self
        finally:
            for sig, old in previous.items():
                signal.signal(sig, old)
