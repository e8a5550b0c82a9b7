"""create_app(store, pipeline): the FastAPI application, its security middleware, errors and static files.

Security model: article text is hostile input. Every page is rendered by Jinja2 with autoescape on;
a Content-Security-Policy header allows scripts and styles only from this server ('self': our own
static files, no inline script); request bodies are capped (413 with a clear message); static files
are served by fixed name from the installed package, so no part of a request path ever reaches the
file system; the CLI binds 127.0.0.1 unless told otherwise.

Analysis is CPU-bound and the spaCy pipeline is not thread-safe: it runs in FastAPI's threadpool,
one article at a time behind a lock. The store serialises its own calls.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

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


class WebError(PresslensError):
    """A request the web app refuses (not found, too large, wrong type); carries its HTTP status."""

    def __init__(self, status: int, code: str, message: str, hint: str = ""):
        super().__init__(code, message, hint)
        self.status = status


@dataclass
class Service:
    """What the routes share: the store, the pipeline and the lock that keeps it to one article at a time."""

    store: Any
    pipeline: Any
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    lock: threading.Lock = field(default_factory=threading.Lock)

    def analyze_and_store(self, raw: Any) -> tuple[int, Any]:
        """Analyse one RawArticle and store it; returns (article id, Document). Runs in a worker thread."""
        with self.lock:
            document = self.pipeline.analyze(raw)
        article_id = self.store.put(raw, document)
        return article_id, document


def check_same_origin(request: Any) -> None:
    """Refuse a POST that a browser sent from another site (a page elsewhere posting into this local app).

    Browsers send Origin on every POST; clients such as curl send none and are let through.
    """
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    if origin is not None and origin != f"{request.url.scheme}://{host}":
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


# ---------------------------------------------------------------------------- errors
def wants_json(path: str) -> bool:
    return path.startswith("/api/") or path == "/api" or path.endswith(".json")


def error_response(path: str, error: PresslensError, status: int) -> Response:
    """{"error": {code, message, hint}} for the API; the same, as a page, for the browser."""
    body = {"error": error.to_dict()}
    if wants_json(path):
        return JSONResponse(body, status_code=status)
    html = templates().get_template("error.html.j2").render(error=body["error"], status=status, path=path)
    return HTMLResponse(html, status_code=status)


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
        if status >= 500:
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

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        error = WebError(500, "W50", f"unexpected {type(exc).__name__} while handling the request",
                         "this is a presslens bug: the server log has the traceback")
        return error_response(request.url.path, error, 500)


# ---------------------------------------------------------------------------- the app
def create_app(store: Any, pipeline: Any, max_upload_bytes: int = MAX_UPLOAD_BYTES) -> FastAPI:
    """The web app over ``store`` (a presslens.store.Store), analysing new articles with ``pipeline``."""
    from . import api, pages

    app = FastAPI(title="presslens", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json",
                  description="Offline, explainable news analysis: analyse articles, search the corpus.")
    app.state.service = Service(store, pipeline, max_upload_bytes)
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

    app.add_middleware(LimitAndSecure, limit=max_upload_bytes)
    return app
