"""The feeds page (``/feeds``) and ``GET /api/feeds`` of ``newsfuse serve``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from newsfuse.feeds.state import list_feeds
from newsfuse.web.library import Library


class FeedRow(BaseModel):
    url: str
    title: str | None
    added: str | None
    last_poll: str | None = Field(description="when it was last polled (UTC); null: never")
    last_ok: str | None = Field(description="when a poll last succeeded (UTC)")
    status: str = Field(description="new, unchanged, not modified, error, dropped or "
                                    "not polled")
    last_error: str | None
    failures: int = Field(description="failed polls in a row")
    next_poll: str | None = Field(description="backing off until then (UTC), after errors")
    dropped: str | None = Field(description="when it was dropped (410 Gone, repeatedly)")
    articles: int = Field(description="articles stored from it")
    skipped: int = Field(description="entries skipped for good (no article, refused...)")
    failed: int = Field(description="entries to be tried again")


class FeedList(BaseModel):
    feeds: list[FeedRow]


def add_feed_routes(app: FastAPI, library: Library,
                    page: Callable[..., HTMLResponse]) -> None:
    """Add the feeds page and its API to the app."""

    @app.get("/api/feeds", response_model=FeedList, tags=["feeds"])
    def api_feeds() -> dict[str, Any]:
        """The feeds `newsfuse watch` follows into this store: last poll, last error,
        articles stored. Empty when the store follows none."""
        return {"feeds": list_feeds(library.store().db)}

    @app.get("/feeds", response_class=HTMLResponse, include_in_schema=False)
    def feeds_html() -> HTMLResponse:
        return page("feeds.html", feeds=list_feeds(library.store().db))
