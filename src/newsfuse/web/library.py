"""What the web app reads and writes, over one store: plain data, no HTTP.

* **One connection per thread** for reading (SQLite connections are not shared between
  threads); one writer connection, used under a lock, for posted articles.
* **Briefs** come from the store's cache; a brief not built yet (or built before its event
  grew) is built once, even when several requests ask for it at the same moment, and cached
  in the store (unless it is read-only) and in memory.
* **Story timelines** are built on demand and kept in memory, keyed by the story's article
  count, so a story that grew is never shown stale.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from newsfuse import settings
from newsfuse.corpus.store import Store, StoreBusy, StoreError
from newsfuse.errors import UsageError
from newsfuse.io import BytesStream, Problem
from newsfuse.render.brief_json import brief_from_json, brief_to_dict, brief_to_json
from newsfuse.render.corpus import timeline_to_dict
from newsfuse.story.crosslang import LanguageNotInStory
from newsfuse.text import clean_article

# Records skipped for what they hold, not for how the body is written.
_CONTENT_PROBLEMS = ("record without text", "no text after cleaning")


class _Memo:
    """A small thread-safe LRU map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


class NoBriefInLanguage(LookupError):
    """The event has no article in the language its brief was asked in."""


class NoBrief(Exception):
    """The event exists but no brief can be made of it (its reason is the message)."""

    def __init__(self, event: int, reason: str) -> None:
        super().__init__(reason)
        self.event = event
        self.reason = reason


class Library:
    """The store behind ``newsfuse serve``. Raises :class:`StoreError` when it cannot be
    opened, so the server refuses to start rather than failing on every request."""

    def __init__(self, path: str | os.PathLike[str], *, encoder: str = "auto") -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise StoreError(f"{self.path}: no such store (create it with 'newsfuse ingest')")
        self.writable = os.access(self.path, os.W_OK) and os.access(
            self.path.resolve().parent, os.W_OK)
        self.encoder = encoder
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._writer: Store | None = None
        self.stopping = threading.Event()  # the server was told to stop
        self._building: dict[Hashable, threading.Lock] = {}
        self._building_guard = threading.Lock()
        self._briefs = _Memo(settings.SERVE_BRIEF_CACHE)
        self._timelines = _Memo(settings.SERVE_TIMELINE_CACHE)
        self.store().size()  # open (and migrate) now: a bad store stops the server here

    def store(self) -> Store:
        """This thread's connection."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.path, readonly=not self.writable)
            self._local.store = store
        return store

    def _once(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """Run ``build`` for ``key`` in one thread at a time (others wait for it)."""
        with self._building_guard:
            lock = self._building.setdefault(key, threading.Lock())
        with lock:
            return build()

    # --- events and briefs ----------------------------------------------------------------
    def brief(self, event: int, language: str | None = None) -> dict[str, Any] | None:
        """The brief of an event as the JSON contract's data, or ``None`` if no such event.
        ``language`` (ISO 639) asks for the brief in that language; by default it is written
        in the language most of the event's articles use."""
        store = self.store()
        if not store.event_exists(event):
            return None
        event = store.live_event(event)
        size = store.event_articles(event)
        language = language.lower() if language else None
        found: dict[str, Any] | None = self._briefs.get((event, size, language))
        if found is None:
            found = self._once(("brief", event, language),
                               lambda: self._build(store, event, size, language))
        if "no_language" in found:
            raise NoBriefInLanguage(found["no_language"])
        if "unbriefable" in found:
            raise NoBrief(event, found["unbriefable"])
        return found

    def _build(self, store: Store, event: int, size: int,
               language: str | None = None) -> dict[str, Any]:
        """The brief of ``event`` (``size`` articles) from the caches, or built and cached;
        ``{"unbriefable": reason}`` when none can be made."""
        again: dict[str, Any] | None = self._briefs.get((event, size, language))
        if again is not None:
            return again
        cached = store.cached_brief(event, encoder=self.encoder, language=language)
        if cached is not None:  # read back through the contract: an older brief gains the
            # fields added since (its language, each evidence sentence's language)
            data: dict[str, Any] = brief_to_dict(brief_from_json(cached))
        else:
            from newsfuse import brief

            articles = store.articles(event=event)
            try:
                result = brief(articles, encoder=self.encoder, events="together",
                               language=language)
            except LanguageNotInStory as exc:
                data = {"no_language": f"event {event}: {exc}"}
            except UsageError as exc:  # e.g. headlines only: nothing to fuse
                data = {"unbriefable": str(exc)}
            else:
                store.cache_brief(event, brief_to_json(result), len(articles),
                                  encoder=self.encoder, language=language)
                data = brief_to_dict(result)
        self._briefs.put((event, size, language), data)
        return data

    def story(self, story: int) -> dict[str, Any] | None:
        """A story's events and its timeline across them, or ``None`` if no such story."""
        store = self.store()
        if not store.story_exists(story):
            return None
        events = store.events(story=story)
        size = sum(e["articles"] for e in events)
        entries: list[dict[str, Any]] | None = self._timelines.get((story, size))
        if entries is None:
            def build() -> list[dict[str, Any]]:
                again: list[dict[str, Any]] | None = self._timelines.get((story, size))
                if again is not None:
                    return again
                from newsfuse import timeline

                made = timeline(store.articles(story=story))
                items: list[dict[str, Any]] = timeline_to_dict(made)["timeline"]
                for entry, item in zip(made, items, strict=True):
                    item["article"] = entry.article_id
                    item["sentence"] = entry.sentence_index
                self._timelines.put((story, size), items)
                return items

            entries = list(self._once(("story", story), build))
        return {"id": story, "events": events, "timeline": entries}

    def article(self, article_id: str) -> dict[str, Any] | None:
        """An article, where it sits, and which of its sentences its event's brief uses."""
        found = self.store().article(article_id)
        if found is None:
            return None
        article, place = found
        try:
            data = self.brief(place["event"])
        except NoBrief:
            data = None
        used = used_sentences(data, article.id) if data is not None else {}
        return {"article": article, **place,
                "used": [{"index": i, "uses": sorted(u)} for i, u in sorted(used.items())]}

    # --- writing -------------------------------------------------------------------------------
    def ingest(self, body: bytes) -> tuple[dict[str, Any], bool]:
        """Read a JSON array or JSON Lines of articles and add them to the store. Returns
        the answer, and whether the body could be read at all (``False``: nothing in it
        parsed as a record; records skipped for their content still count as read)."""
        problems: list[Problem] = []
        stream = BytesStream(body, "request body", on_problem=problems.append,
                             prepare=clean_article)
        articles = []
        for article in stream:  # cleaned one by one: a server told to stop stops here too
            if self.stopping.is_set():
                break
            articles.append(article)
        answer: dict[str, Any] = {
            "read": stream.report.articles, "skipped": stream.report.skipped_total,
            "problems": [str(p) for p in problems], "added": 0, "already": 0, "articles": []}
        parsed = len(articles) + sum(stream.report.skipped[k] for k in _CONTENT_PROBLEMS)
        readable = parsed > 0 or not stream.report.skipped
        if not articles:
            return answer, readable
        if not self._write_lock.acquire(timeout=settings.SERVE_WRITE_WAIT):
            raise StoreBusy(f"{self.path}: another request is writing; try again shortly")
        try:
            if self._writer is None:
                self._writer = Store(self.path, shared=True)
            report = self._writer.ingest(articles, wait=settings.SERVE_WRITE_WAIT,
                                         stop=self.stopping.is_set)
        finally:
            self._write_lock.release()
        answer["problems"] += report.notes
        if report.stopped or self.stopping.is_set():
            unstored = stream.report.articles - report.added - report.already
            answer["problems"].append(f"the server is stopping: {unstored} article(s) were "
                                      "not stored; send them again")
        answer["added"], answer["already"] = report.added, report.already
        cards = self.store().cards(article_id for article_id, _ in report.results)
        for article_id, status in report.results:
            card = cards[article_id]
            answer["articles"].append({"id": article_id, "status": status,
                                       "event": card["event"], "story": card["story"],
                                       "copy_of": card["copy_of"]})
        return answer, readable


def used_sentences(brief: dict[str, Any], article_id: str) -> dict[int, set[str]]:
    """Sentence index → the sections of ``brief`` that quote or cite that sentence of the
    article (summary, facts, quotes, timeline, conflicts)."""
    used: dict[int, set[str]] = {}

    def mark(ref: dict[str, Any] | None, section: str) -> None:
        if ref and ref.get("article") == article_id and ref.get("sentence") is not None:
            used.setdefault(int(ref["sentence"]), set()).add(section)

    for item in brief.get("summary", ()):
        mark(item.get("quoted_from"), "summary")
        for ref in item.get("evidence", ()):
            mark(ref, "summary")
    for item in brief.get("facts", ()):
        for ref in item.get("evidence", ()):
            mark(ref, "facts")
    for item in brief.get("quotes", ()):
        mark(item.get("quoted_from"), "quotes")
    for item in brief.get("timeline", ()):
        mark(item.get("quoted_from"), "timeline")
    for conflict in brief.get("conflicts", ()):
        for side in conflict.get("sides", ()):
            for ref in side.get("evidence", ()):
                mark(ref, "conflicts")
    return used


__all__ = ["Library", "NoBrief", "StoreError", "used_sentences"]
