"""``newsfuse serve``: server-rendered pages and a JSON API over one store.

Pages: ``/`` (events, newest first, with search and a date filter), ``/events/{id}`` (the
brief, every citation showing its sentence and outlet), ``/stories/{id}`` (a timeline across
events), ``/articles/{id}`` (the cleaned text, the sentences the brief uses highlighted).
API: the same under ``/api``, described at ``/api/openapi.json``.

Article text, titles and URLs come from the open web and are treated as hostile: every
template is autoescaped, only http(s) URLs become links, and every response carries a
Content-Security-Policy that allows no inline script. Request bodies are capped, and writes
are refused unless the server listens on loopback only or a token is configured.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path as FsPath
from typing import Annotated, Any
from urllib.parse import quote, unquote, urlencode, urlsplit

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from pydantic import BaseModel, BeforeValidator, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsfuse import __version__, settings
from newsfuse.corpus.store import StoreBusy, StoreError
from newsfuse.feeds.web import add_feed_routes
from newsfuse.model import Sentence
from newsfuse.render.articles import article_to_dict
from newsfuse.render.brief_html import safe_url, source_view
from newsfuse.web.library import Library, NoBrief, NoBriefInLanguage

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
STATIC = FsPath(__file__).parent / "static"
WRITE_TYPES = ("application/json", "application/x-ndjson", "application/jsonl",
               "application/json-lines")
MAX_ID = 2**62
ARTICLE_ID_CHARS = settings.MAX_ID_CHARS


# --- the API's shapes (the OpenAPI description is generated from them) ----------------------
class EventSummary(BaseModel):
    id: int
    story: int
    headline: str | None
    first: str | None = Field(description="first day reported (YYYY-MM-DD)")
    last: str | None = Field(description="last day reported (YYYY-MM-DD)")
    articles: int
    independent_sources: int = Field(description="articles that are not near-copies")
    undated_articles: int


class EventList(BaseModel):
    events: list[EventSummary]
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page; null on the last")


class StoryTimelineEntry(BaseModel):
    date: str | None
    text: str
    sources: list[str]
    article: str
    sentence: int


class Story(BaseModel):
    id: int
    events: list[EventSummary]
    timeline: list[StoryTimelineEntry]


class UsedSentence(BaseModel):
    index: int
    uses: list[str] = Field(description="brief sections using the sentence")


class StoredArticle(BaseModel):
    article: dict[str, Any] = Field(description="the cleaned article, as `newsfuse read`")
    event: int
    story: int
    copy_of: str | None
    added: str
    used: list[UsedSentence]


class SearchHit(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    date: str | None
    event: int
    story: int
    copy_of: str | None
    snippet: str


class SearchResult(BaseModel):
    query: str
    events: list[EventSummary]
    articles: list[SearchHit]


class Ingested(BaseModel):
    id: str
    status: str = Field(description="added, or already (the same article was stored before)")
    event: int
    story: int
    copy_of: str | None


class IngestResult(BaseModel):
    read: int
    skipped: int
    problems: list[str]
    added: int
    already: int
    articles: list[Ingested]


class ErrorDetail(BaseModel):
    detail: Any


ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorDetail}, 422: {"model": ErrorDetail}}

EventId = Annotated[int, Path(ge=1, le=MAX_ID, description="event number")]
StoryId = Annotated[int, Path(ge=1, le=MAX_ID, description="story number")]
ArticleId = Annotated[str, Path(min_length=1, max_length=ARTICLE_ID_CHARS)]
SearchText = Annotated[str | None, Query(max_length=200, description="full-text search")]
def _blank_is_none(value: Any) -> Any:
    """An empty form field (``?until=``) means no filter."""
    return None if isinstance(value, str) and not value.strip() else value


Since = Annotated[date | None, BeforeValidator(_blank_is_none),
                  Query(description="events last reported on or after this day")]
Until = Annotated[date | None, BeforeValidator(_blank_is_none),
                  Query(description="events last reported on or before this day")]
Limit = Annotated[int, Query(ge=1, le=settings.SERVE_MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
BriefLanguage = Annotated[str | None, Query(
    pattern="^[A-Za-z]{2,3}$",
    description="the language to write the brief in (ISO 639: en, es, fr, it...); by default "
                "the one most of the event's articles use")]


# --- the guard: Host check, security headers and the body limit, as plain ASGI ---------------
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_HOSTS = ("", "0.0.0.0", "::")


def host_name(header: str) -> str:
    """The name in a Host header, without its port: ``[::1]:8000`` is ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_host_names(bound: str | None, loopback: bool,
                       extra: Sequence[str] = ()) -> frozenset[str] | None:
    """The names a request's Host may carry: the bound address, loopback names for a
    loopback server, and ``extra``. ``None`` (any name) only for a server bound to every
    interface with no list given, where writes need a token anyway."""
    names = {host_name(h) if h.startswith("[") else h.strip().lower() for h in extra}
    if loopback:
        names.update(LOOPBACK_NAMES)
    if bound is not None and bound not in WILDCARD_HOSTS:
        names.add(bound.strip("[]").lower())
    elif not names:
        return None
    return frozenset(n for n in names if n)


class Guard:
    def __init__(self, app: ASGIApp, max_body: int, hosts: frozenset[str] | None) -> None:
        self.app = app
        self.max_body = max_body
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.hosts is not None:
            # DNS rebinding: a page of another site whose name now points at this machine
            # reaches a loopback server with its own name in Host; refused before anything.
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            if host_name(host) not in self.hosts:
                await _misdirected(send)
                return

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _too_large(self.max_body, send_guarded)
            return
        seen = 0
        refused = False

        async def receive_counted() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body and not refused:
                    # answer 413 now; the app sees the client gone and its answer is dropped
                    refused = True
                    await _too_large(self.max_body, send_guarded)
                    return {"type": "http.disconnect"}
            return message

        async def send_unless_refused(message: Message) -> None:
            if not refused:
                await send_guarded(message)

        try:
            await self.app(scope, receive_counted, send_unless_refused)
        except Exception:
            if not refused:
                raise


def _without_path(message: str, path: str | FsPath) -> str:
    """A store message for a client: the store's file name, never where it lives."""
    full = str(FsPath(path).resolve())
    return message.replace(full, FsPath(path).name).replace(str(path), FsPath(path).name)


async def _misdirected(send: Send) -> None:
    body = json.dumps({"detail": "this server does not answer to that Host name"}).encode()
    await send({"type": "http.response.start", "status": 421,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


async def _too_large(limit: int, send: Send) -> None:
    body = json.dumps({"detail": f"request body over the limit of {limit} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# --- templates -------------------------------------------------------------------------------
# Private-use characters the store puts around matched words in a page's snippets; escaping
# leaves them alone, so they become <mark> after it (one in an article's own text can add a
# stray <mark>, never anything else).
_PUA_OPEN, _PUA_CLOSE = "\ue000", "\ue001"


def _snippet(text: str | None) -> Markup:
    """An FTS snippet, escaped, with its match marks turned into <mark>."""
    safe = str(escape(text or ""))
    return Markup(safe.replace(_PUA_OPEN, "<mark>").replace(_PUA_CLOSE, "</mark>"))


def _article_href(article_id: str, sentence: int | None = None) -> str:
    href = "/articles/" + quote(article_id, safe="")
    return href if sentence is None else f"{href}#s-{int(sentence)}"


@cache
def pages() -> Environment:
    env = Environment(loader=PackageLoader("newsfuse.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters["article_href"] = _article_href
    env.filters["safe_url"] = safe_url
    env.filters["snippet"] = _snippet
    env.globals["version"] = __version__
    return env


def _page(name: str, code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(pages().get_template(name).render(**context), status_code=code)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api")


def _text_segments(text: str, sentences: Sequence[Sentence],
                   used: dict[int, list[str]]) -> list[dict[str, Any]]:
    """The article text cut at sentence boundaries: gaps, and sentences with their uses."""
    out: list[dict[str, Any]] = []
    at = 0
    for s in sorted(sentences, key=lambda s: s.start):
        if s.start < at or s.end > len(text) or s.end <= s.start:
            continue
        if s.start > at:
            out.append({"text": text[at:s.start]})
        out.append({"text": text[s.start:s.end], "index": s.index,
                    "uses": used.get(s.index, [])})
        at = s.end
    if at < len(text):
        out.append({"text": text[at:]})
    return out


def _cites(ids: list[str], evidence: list[dict[str, Any]] | None = None,
           quoted: dict[str, Any] | None = None, text: str | None = None) -> list[dict[str, Any]]:
    """One citation per source: the sentence it supports with, when the brief names one."""
    by_article: dict[str, dict[str, Any]] = {}
    for e in evidence or ():
        by_article.setdefault(e["article"], e)
    if quoted and quoted.get("article") and text:
        by_article.setdefault(quoted["article"], {"article": quoted["article"],
                                                  "sentence": quoted.get("sentence"),
                                                  "text": text})
    return [by_article.get(i) or {"article": i, "sentence": None, "text": None} for i in ids]


def create_app(db: str, *, token: str | None = None, loopback: bool = True,
               max_body: int = settings.SERVE_MAX_BODY, encoder: str = "auto",
               host: str | None = None, allowed_hosts: Sequence[str] = ()) -> ASGIApp:
    """The ASGI app over the store at ``db``. ``loopback``: the server is reachable from
    this machine only; writes are allowed then, or anywhere when ``token`` is set (and then
    only with ``Authorization: Bearer <token>``). Requests must name the bound ``host``, a
    loopback name on a loopback server, or one of ``allowed_hosts`` in their Host header
    (421 otherwise)."""
    library = Library(db, encoder=encoder)
    app = FastAPI(title="newsfuse", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Events, briefs, stories and articles of a newsfuse store.")
    app.state.library = library
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # --- errors: JSON under /api, a page elsewhere; never a traceback -------------------
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_html(request):
            return _page("error.html", exc.status_code, status=exc.status_code,
                         message=str(exc.detail))
        return JSONResponse({"detail": exc.detail}, exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")}
                    for e in exc.errors()]
        if _wants_html(request):
            message = "; ".join(f"{'.'.join(map(str, p['loc'][1:]))}: {p['msg']}"
                                for p in problems)
            return _page("error.html", 422, status=422, message=message)
        return JSONResponse({"detail": problems}, 422)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        message = _without_path(str(exc), library.path)
        retry = {"Retry-After": str(settings.SERVE_RETRY_AFTER)} \
            if isinstance(exc, StoreBusy) else None
        if _wants_html(request):
            return _page("error.html", 503, status=503, message=message)
        return JSONResponse({"detail": message}, 503, headers=retry)

    # --- API ---------------------------------------------------------------------------------
    def events_page(q: str | None, since: date | None, until: date | None, limit: int,
                    offset: int) -> dict[str, Any]:
        found = library.store().events(
            since=datetime.combine(since, datetime.min.time()) if since else None,
            until=datetime.combine(until, datetime.min.time()) if until else None,
            query=q or None, limit=limit + 1, offset=offset)
        more = len(found) > limit
        return {"events": found[:limit], "limit": limit, "offset": offset,
                "next_offset": offset + limit if more else None}

    @app.get("/api/events", response_model=EventList, responses=ERRORS, tags=["events"])
    def api_events(q: SearchText = None, since: Since = None, until: Until = None,
                   limit: Limit = settings.SERVE_PAGE, offset: Offset = 0) -> dict[str, Any]:
        """Events, newest first, with their article and independent-source counts."""
        return events_page(q, since, until, limit, offset)

    @app.get("/api/events/{event_id}", responses={
        **ERRORS, 200: {"description": "the brief (the JSON contract)",
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Brief"}}}}},
        tags=["events"])
    def api_event(event_id: EventId, language: BriefLanguage = None) -> JSONResponse:
        """The brief of an event, following the published brief contract, in ``language``
        or the language most of its articles use. 422 when no brief can be made of the
        event (for example, headlines only: no text to fuse); 404 when it has no article in
        ``language``."""
        try:
            data = library.brief(event_id, language)
        except NoBriefInLanguage as exc:
            raise HTTPException(404, str(exc)) from None
        except NoBrief as exc:
            return JSONResponse({"detail": f"event {exc.event}: no brief: {exc.reason}"}, 422)
        if data is None:
            raise HTTPException(404, f"no event {event_id}")
        return JSONResponse(data)

    @app.get("/api/stories/{story_id}", response_model=Story, responses=ERRORS,
             tags=["stories"])
    def api_story(story_id: StoryId) -> dict[str, Any]:
        """A story's events and its timeline across them."""
        data = library.story(story_id)
        if data is None:
            raise HTTPException(404, f"no story {story_id}")
        return data

    @app.get("/api/articles/{article_id:path}", response_model=StoredArticle,
             responses=ERRORS, tags=["articles"])
    def api_article(article_id: ArticleId, request: Request) -> dict[str, Any]:
        """A stored article, its event and story, and the sentences its brief uses."""
        data = library.article(_exact_id(request, "/api/articles/", article_id))
        if data is None:
            raise HTTPException(404, "no such article")
        return {**data, "article": article_to_dict(data["article"])}

    @app.get("/api/search", response_model=SearchResult, responses=ERRORS, tags=["search"])
    def api_search(q: Annotated[str, Query(min_length=1, max_length=200)],
                   limit: Limit = settings.SERVE_SEARCH_HITS) -> dict[str, Any]:
        """Events and articles matching a full-text query (every word must occur)."""
        store = library.store()
        hits = store.search(q, limit=limit)
        return {"query": q, "events": store.events(query=q, limit=limit), "articles": hits}

    @app.post("/api/articles", response_model=IngestResult, tags=["articles"], responses={
        400: {"model": IngestResult, "description": "no record could be read from the body "
                                                    "(not JSON, or not objects)"},
        401: {"model": ErrorDetail}, 403: {"model": ErrorDetail}, 413: {"model": ErrorDetail},
        415: {"model": ErrorDetail}, 503: {"model": ErrorDetail}},
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            "application/x-ndjson": {"schema": {"type": "string"}}}}})
    async def api_ingest(request: Request) -> Response:
        """Add articles: a JSON array of records, or JSON Lines (one record per line), with
        the fields `newsfuse read` understands (id, title, text, date, url, outlet...).
        Answers each stored id with the event and story it joined."""
        # Refused unless the server is reachable from loopback only or a token is set; a
        # page of another site posting through a browser is refused by the Origin and
        # content-type checks.
        if token is not None:
            given = request.headers.get("authorization", "")
            if not secrets.compare_digest(given.encode(), f"Bearer {token}".encode()):
                raise HTTPException(401, "a valid 'Authorization: Bearer <token>' is needed",
                                    headers={"WWW-Authenticate": "Bearer"})
        elif not loopback:
            raise HTTPException(403, "writes are refused: the server is not bound to "
                                     "loopback and no token is configured (NEWSFUSE_TOKEN)")
        origin = request.headers.get("origin")
        if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
            # a page of another site posting through the user's browser
            raise HTTPException(403, "cross-origin writes are refused")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in WRITE_TYPES:
            # also keeps other sites' pages to requests a browser checks with CORS first
            raise HTTPException(415, "send application/json (an array of records) or "
                                     "application/x-ndjson (JSON Lines)")
        if not library.writable:
            raise HTTPException(403, f"{FsPath(library.path).name} is read-only")
        body = await request.body()
        answer, readable = await run_in_threadpool(library.ingest, body)
        return JSONResponse(answer, 200 if readable else 400)

    # --- pages ---------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def events_html(q: SearchText = None, since: Since = None, until: Until = None,
                    offset: Offset = 0) -> HTMLResponse:
        page = events_page(q, since, until, settings.SERVE_PAGE, offset)
        hits = library.store().search(q, limit=settings.SERVE_SEARCH_HITS,
                                      marks=(_PUA_OPEN, _PUA_CLOSE)) if q else []
        args = {k: v for k, v in (("q", q), ("since", since), ("until", until)) if v}
        older = ("/?" + urlencode({**args, "offset": page["next_offset"]})
                 if page["next_offset"] is not None else None)
        newer = ("/?" + urlencode({**args, "offset": max(0, offset - settings.SERVE_PAGE)})
                 if offset > 0 else None)
        return _page("events.html", **page, q=q or "", since=since, until=until, hits=hits,
                     older=older, newer=newer, total=library.store().size())

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_html(event_id: EventId, language: BriefLanguage = None) -> HTMLResponse:
        store = library.store()
        try:
            data = library.brief(event_id, language)
        except NoBriefInLanguage as exc:
            raise HTTPException(404, str(exc)) from None
        except NoBrief as exc:
            live = exc.event
            listed = store.events(event=live)
            return _page("event_articles.html", event=live, story=store.story_of(live),
                         reason=exc.reason, summary=listed[0] if listed else None,
                         articles=store.articles(event=live))
        if data is None:
            raise HTTPException(404, f"no event {event_id}")
        live = store.live_event(event_id)
        sources, independent = source_view(data)
        return _page("event.html", brief=data, event=live, story=store.story_of(live),
                     cites=_cites, sources=sources, independent=independent)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_html(story_id: StoryId) -> HTMLResponse:
        data = library.story(story_id)
        if data is None:
            raise HTTPException(404, f"no story {story_id}")
        days: dict[str | None, list[dict[str, Any]]] = {}
        for entry in data["timeline"]:
            days.setdefault(entry["date"], []).append(entry)
        cited = list(dict.fromkeys(i for e in data["timeline"] for i in e["sources"]))
        cards = library.store().cards(cited)
        sources = {i: {**cards[i], "n": n, "label": cards[i]["outlet"] or cards[i]["title"]
                       or i} for n, i in enumerate((i for i in cited if i in cards), 1)}
        return _page("story.html", story=data, days=days, sources=sources, cites=_cites)

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse,
             include_in_schema=False)
    def article_html(article_id: ArticleId, request: Request) -> HTMLResponse:
        data = library.article(_exact_id(request, "/articles/", article_id))
        if data is None:
            raise HTTPException(404, "no such article")
        article = data["article"]
        used = {u["index"]: u["uses"] for u in data["used"]}
        return _page("article.html", article=article, place=data,
                     segments=_text_segments(article.text, article.sentences, used),
                     used=len(used))

    add_feed_routes(app, library, _page)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version,
                             description=app.description, routes=app.routes)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(_brief_schemas())
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return Guard(app, max_body, allowed_host_names(host, loopback, allowed_hosts))


def _exact_id(request: Request, prefix: str, decoded: str) -> str:
    """The article id as sent: the raw path decoded once (an id may itself contain '/' or
    '%'; some ASGI clients decode the path twice)."""
    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes):
        text = raw.decode("ascii", "replace").split("?", 1)[0]
        if text.startswith(prefix):
            return unquote(text[len(prefix):])
    return decoded


@cache
def _brief_schemas() -> dict[str, Any]:
    """The published brief schema as OpenAPI components (its $defs become Brief_<name>)."""
    from importlib.resources import files

    raw = (files("newsfuse") / "schemas" / "brief.schema.json").read_text(encoding="utf-8")
    text = raw.replace('"#/$defs/', '"#/components/schemas/Brief_')
    schema = json.loads(text)
    defs = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    return {"Brief": schema, **{f"Brief_{k}": v for k, v in defs.items()}}
