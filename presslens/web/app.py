"""create_app(store, pipeline): the FastAPI application, its security middleware, errors and static files.

Security model: article text is hostile input. Every page is rendered by Jinja2 with autoescape on;
a Content-Security-Policy header allows scripts and styles only from this server ('self': our own
static files, no inline script); request bodies are capped (413 with a clear message); static files
are served by fixed name from the installed package, so no part of a request path ever reaches the
file system; the CLI binds 127.0.0.1 unless told otherwise.

Only the hosts the server is bound to are answered (the Host header is checked against an allow-list,
421 otherwise), so a page elsewhere cannot reach the app by pointing its own name at 127.0.0.1 (DNS
rebinding); the same-origin check compares a POST's Origin with that list and the port the server really
listens on, never with the Host header.

Analysis is CPU-bound and the spaCy pipeline is not thread-safe: it runs on one analysis thread fed by a
bounded queue (analysis.py), never on the threads that serve reads; a full queue answers 503 with
Retry-After. The store serialises its own calls.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Optional
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import ConfigError, InputError, ModelError, PresslensError, SchemaError

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

HERE = Path(__file__).resolve().parent
REPORT_DIR = HERE.parent / "report"
# A long news article is well under 200 kB, even as saved HTML; 2 MB leaves room for pages with inline
# assets while keeping one request's parse to seconds. Bigger bodies get 413 before they are read.
MAX_UPLOAD_BYTES = 2_000_000

# plotly.js adds its CSS by appending an EMPTY <style> element and filling it through the CSSOM (insertRule,
# which CSP does not govern); the hash of the empty string admits exactly that element and no inline CSS.
# plotly also tries to inline the CSS of its map library (unused here); that is refused, harmlessly, and
# 'report-sample' lets the browser name it in the violation report (the browser tests tell it apart).
EMPTY_STYLE = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
CSP = ("default-src 'none'; script-src 'self' 'report-sample'; "
       f"style-src 'self' {EMPTY_STYLE} 'report-sample'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # article links leak nothing; our own POSTs keep their Origin
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def plotly_js() -> Path:
    """plotly.min.js bundled in the installed plotly package (served locally; never a CDN)."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


# Every static file the app serves: fixed name -> (package file, media type). Nothing else is reachable.
STATIC_FILES: dict[str, tuple[Any, str]] = {
    "report.css": (lambda: REPORT_DIR / "static" / "report.css", "text/css; charset=utf-8"),
    "report.js": (lambda: REPORT_DIR / "static" / "report.js", "text/javascript; charset=utf-8"),
    "app.css": (lambda: HERE / "static" / "app.css", "text/css; charset=utf-8"),
    "charts.js": (lambda: HERE / "static" / "charts.js", "text/javascript; charset=utf-8"),
    "plotly.min.js": (plotly_js, "text/javascript; charset=utf-8"),
    "ask.js": (lambda: HERE / "static" / "ask.js", "text/javascript; charset=utf-8"),
}

# HTTP status for each kind of presslens error.
STATUS_OF = ((InputError, 400), (SchemaError, 422), (ConfigError, 500), (ModelError, 500))
HTTP_CODES = {400: "W40", 403: "W03", 404: "W04", 405: "W05", 413: "W13", 415: "W15", 422: "W22", 500: "W50"}
# Host names a server bound to loopback answers to (besides the ones it is told with --allow-host).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# Analyses that may wait for the analysis thread before new ones get 503.
ANALYSIS_QUEUE_SIZE = 32


class WebError(PresslensError):
    """A request the web app refuses (not found, too large, wrong type); carries its HTTP status."""

    def __init__(self, status: int, code: str, message: str, hint: str = "",
                 headers: Optional[dict[str, str]] = None):
        super().__init__(code, message, hint)
        self.status = status
        self.headers = headers or {}


@dataclass
class Service:
    """What the routes share: the store, the pipeline, the analysis queue, and the hosts the app answers to."""

    store: Any
    pipeline: Any
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    allowed_hosts: frozenset[str] = frozenset(LOOPBACK_HOSTS)
    queue_size: int = ANALYSIS_QUEUE_SIZE
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        from .analysis import AnalysisQueue

        self.analyses = AnalysisQueue(self.queue_size)

    def analyze_and_store(self, raw: Any) -> tuple[int, Any]:
        """Analyse one RawArticle and store it; returns (article id, Document). Runs on the analysis thread."""
        with self.lock:
            document = self.pipeline.analyze(raw)
        article_id = self.store.put(raw, document)
        return article_id, document

    async def analyze_later(self, read: Any, *args: Any) -> tuple[int, Any]:
        """Queue ``read(*args)`` (-> RawArticle: parsing HTML is work too) and its analysis; await the result."""
        return await self.analyses.run(lambda: self.analyze_and_store(read(*args)))


def host_name(value: str) -> str:
    """The name part of a Host header or URL authority ('[::1]:8000' -> '::1'), lower case, no final dot."""
    try:
        name = urlsplit(f"//{value}").hostname or ""
    except ValueError:  # a malformed IPv6 literal, a bad port
        return ""
    return name.rstrip(".")


def normalise_hosts(hosts: Iterable[str]) -> frozenset[str]:
    return frozenset(host_name(h.strip()) or h.strip().lower() for h in hosts if h and h.strip())


def check_same_origin(request: Any) -> None:
    """Refuse a POST that a browser sent from another site (a page elsewhere posting into this local app).

    Browsers send Origin on every POST; clients such as curl send none and are let through. The Origin must
    name a host this app answers to and the port it listens on (from the socket, not the Host header).
    """
    origin = request.headers.get("origin")
    if origin is None:
        return
    allowed = request.app.state.service.allowed_hosts
    server = request.scope.get("server") or (None, None)
    try:
        parts = urlsplit(origin)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
        same = (parts.scheme == request.url.scheme and (parts.hostname or "") in allowed
                and (server[1] is None or port == server[1]))
    except ValueError:
        same = False
    if not same:
        raise WebError(403, "W03", f"refusing a request sent by another site ({origin})",
                       "open presslens itself in the browser and submit the form there")


@lru_cache(maxsize=None)
def templates() -> Environment:
    env = Environment(loader=ChoiceLoader([FileSystemLoader(str(HERE / "templates")),
                                           FileSystemLoader(str(REPORT_DIR / "templates"))]),
                      autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["version"] = __version__
    return env


# ---------------------------------------------------------------------------- middleware (pure ASGI)
class BodyTooLarge(Exception):
    pass


class LimitAndSecure:
    """Adds the security headers to every response and refuses request bodies over the limit with 413."""

    def __init__(self, app: Any, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = {"started": False, "exceeded": False, "answered": False}

        async def secure_send(message: dict) -> None:
            if message["type"] == "http.response.start":
                state["started"] = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        async def guarded_send(message: dict) -> None:
            # once the body ran over the limit, whatever the app answers (its body parser may turn our
            # interruption into a 400) is replaced by the one clear 413
            if state["exceeded"]:
                if not state["answered"] and not state["started"]:
                    state["answered"] = True
                    await self.too_large(scope, secure_send)
                return
            await secure_send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self.too_large(scope, secure_send)
            return
        received = 0

        async def limited_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:  # a body without (or lying about) Content-Length
                    state["exceeded"] = True
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            pass
        if state["exceeded"] and not state["answered"] and not state["started"]:
            state["answered"] = True
            await self.too_large(scope, secure_send)

    async def too_large(self, scope: dict, send: Any) -> None:
        error = WebError(413, "W13", f"the request body is larger than the {self.limit / 1e6:.1f} MB limit",
                         "send one article at a time; a news article is rarely over 200 kB")
        response = error_response(scope.get("path", ""), error, 413)
        await response(scope, _empty_receive, send)


async def _empty_receive() -> dict:
    return {"type": "http.disconnect"}


class AllowedHosts:
    """Answers only requests whose Host header names a host the app is bound to (421 otherwise):
    a page on another site that rebinds its own name to 127.0.0.1 sends its own name as Host."""

    def __init__(self, app: Any, hosts: frozenset[str]):
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        header = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if host_name(header) not in self.hosts:
            shown = header[:100] or "(none)"
            error = WebError(421, "W21", f"this server does not answer to the host {shown!r}",
                             "open it by the address it printed at start (e.g. http://127.0.0.1:8000/), "
                             "or start it with --allow-host NAME")
            await error_response(scope.get("path", ""), error, 421)(scope, _empty_receive, send)
            return
        await self.app(scope, receive, send)


# ---------------------------------------------------------------------------- errors
def wants_json(path: str) -> bool:
    return path.startswith("/api/") or path == "/api" or path.endswith(".json")


def error_response(path: str, error: PresslensError, status: int) -> Response:
    """{"error": {code, message, hint}} for the API; the same, as a page, for the browser."""
    body = {"error": error.to_dict()}
    headers = getattr(error, "headers", None) or None
    if wants_json(path):
        return JSONResponse(body, status_code=status, headers=headers)
    html = templates().get_template("error.html.j2").render(error=body["error"], status=status, path=path)
    return HTMLResponse(html, status_code=status, headers=headers)


def status_of(exc: PresslensError) -> int:
    if isinstance(exc, WebError):
        return exc.status
    for kind, status in STATUS_OF:
        if isinstance(exc, kind):
            return status
    return 500


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PresslensError)
    async def presslens_error(request: Request, exc: PresslensError) -> Response:
        status = status_of(exc)
        if status >= 500 and status != 503:  # 503: the queue is full, as designed under load
            log.error("%s on %s: %s", exc.full_code, request.url.path, exc)
        return error_response(request.url.path, exc, status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, f"W{exc.status_code}")
        hints = {404: "check the address; the index page links to every article", 405: "see /docs for the methods"}
        error = WebError(exc.status_code, code, str(exc.detail), hints.get(exc.status_code, ""))
        return error_response(request.url.path, error, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body') or 'body'}: {e.get('msg')}"
                             for e in exc.errors()[:5])
        error = WebError(422, "W22", f"the request does not fit the API: {problems}", "see /docs for the fields")
        return error_response(request.url.path, error, 422)

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, exc: OverflowError) -> Response:  # a number too large for SQLite
        error = WebError(400, "W41", "a number in the request is too large", "use numbers below 2**63")
        return error_response(request.url.path, error, 400)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        error = WebError(500, "W50", f"unexpected {type(exc).__name__} while handling the request",
                         "this is a presslens bug: the server log has the traceback")
        return error_response(request.url.path, error, 500)


# ---------------------------------------------------------------------------- the app
def create_app(store: Any, pipeline: Any, max_upload_bytes: int = MAX_UPLOAD_BYTES,
               allowed_hosts: Iterable[str] = (), queue_size: int = ANALYSIS_QUEUE_SIZE) -> FastAPI:
    """The web app over ``store`` (a presslens.store.Store), analysing new articles with ``pipeline``.

    ``allowed_hosts``: host names it answers to besides the loopback ones (the name or address it is
    served under); ``queue_size``: analyses that may wait before new ones are refused with 503."""
    from . import api, pages

    app = FastAPI(title="presslens", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="Offline, explainable news analysis: analyse articles, search the corpus.")
    hosts = normalise_hosts([*LOOPBACK_HOSTS, *allowed_hosts])
    app.state.service = Service(store, pipeline, max_upload_bytes, hosts, queue_size)
    app.state.templates = templates()
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    from . import corpus_pages

    app.include_router(corpus_pages.router)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        entry = STATIC_FILES.get(name)
        if entry is None:
            raise WebError(404, "W04", f"no static file {name!r}", "")
        locate, media_type = entry
        return FileResponse(locate(), media_type=media_type, headers={"cache-control": "public, max-age=3600"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)  # no icon; answering keeps browsers from logging a 404 on every page

    app.add_middleware(AllowedHosts, hosts=hosts)  # a foreign Host is refused before any route runs
    app.add_middleware(LimitAndSecure, limit=max_upload_bytes)  # outermost: its headers go on every answer
    return app
