"""The HTML pages: analyse (paste/upload), article view, corpus search, entities, dashboard, API docs."""
from __future__ import annotations

from pathlib import PurePath
from typing import Any, Optional

from fastapi import APIRouter, Form, Path as PathParam, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..ingest import HTML_SUFFIXES, TEXT_SUFFIXES, read_document
from ..report.view import all_layers, build_view
from ..store import queries
from .api import MAX_ID, raw_article, stored, with_title
from .app import WebError, check_same_origin

router = APIRouter(include_in_schema=False)
UPLOAD_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
# The corpus page lists this many articles per page.
PAGE_SIZE = 25
# Layers switched on when an article opens: who said what, and what is claimed. Entities, techniques and
# time expressions are a click away (all on at once is a wall of colour).
SHOWN_LAYERS = frozenset({"quotes", "reported", "captions", "claims"})


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = request.app.state.templates.get_template(template).render(path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    store = request.app.state.service.store
    recent = queries.search_articles(store, {}, limit=20)
    return page(request, "index.html.j2", recent=recent, max_mb=request.app.state.service.max_upload_bytes / 1e6)


def upload_article(upload: UploadFile, published: Optional[str], title: Optional[str], url: Optional[str]) -> Any:
    """An uploaded .txt/.html file -> RawArticle. The file name is only a label; nothing is read from disk."""
    name = PurePath(upload.filename or "upload.txt").name[:200]
    suffix = PurePath(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise WebError(415, "W15", f"cannot read {name!r}: only .txt and .html files are accepted",
                       "save the article as plain text (.txt) or a web page (.html)")
    data = upload.file.read()
    meta = {k: v for k, v in (("title", title), ("url", url)) if v}
    return with_title(read_document(data, f"upload:{name}", published or None, html_hint=suffix in HTML_SUFFIXES,
                                    **meta))


@router.post("/analyze")
async def analyze_form(request: Request, text: str = Form(""), kind: str = Form("text"),
                       title: str = Form("", max_length=1000), published: str = Form("", max_length=100),
                       url: str = Form("", max_length=4000),
                       file: Optional[UploadFile] = None) -> RedirectResponse:
    check_same_origin(request)
    service = request.app.state.service
    if file is not None and file.filename:
        article_id, _ = await service.analyze_later(upload_article, file, published, title, url)
    else:
        is_html = kind == "html"
        article_id, _ = await service.analyze_later(raw_article, None if is_html else text, text if is_html else None,
                                                    title, published, url, "web")
    return RedirectResponse(f"/articles/{article_id}", status_code=303)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: int = PathParam(..., ge=0, le=MAX_ID)) -> HTMLResponse:
    data = stored(request.app.state.service, article_id)
    from ..document import Document

    view = build_view(Document.from_dict(data["analysis"]))
    view["meta"]["title"] = data["article"].get("title") or view["meta"]["title"]
    return page(request, "article.html.j2", view=view, layers=all_layers([view], SHOWN_LAYERS), tips=view["tips"],
                article=data["article"], article_id=article_id, entity_base="/entities/")


@router.get("/corpus", response_class=HTMLResponse)
def corpus(request: Request, q: str = Query("", max_length=500), speaker: str = "", entity: str = "",
           technique: str = "", genre: str = "", date_from: str = "", date_to: str = "",
           actor: str = Query("", max_length=20), offset: int = Query(0, ge=0, le=MAX_ID)) -> HTMLResponse:
    store = request.app.state.service.store
    filters = {"q": q, "speaker": speaker, "entity": entity, "actor": actor, "technique": technique, "genre": genre,
               "date_from": date_from, "date_to": date_to}
    result = queries.search_articles(store, filters, PAGE_SIZE, offset)
    return page(request, "corpus.html.j2", result=result, filters=filters, facets=queries.facets(store),
                offset=offset, page_size=PAGE_SIZE, query=str(request.url.query))


@router.get("/entities", response_class=HTMLResponse)
def entities(request: Request, q: str = Query("", max_length=200)) -> HTMLResponse:
    """Corpus actors once the store is indexed (one row per person across articles), else names per article."""
    store = request.app.state.service.store
    if queries.has_actors(store):
        from ..corpus.queries import list_actors

        return page(request, "entities.html.j2", actors=list_actors(store.path, q, "", 300), items=None, q=q,
                    heading="")
    return page(request, "entities.html.j2", actors=None, items=queries.list_entities(store, q or None, 300), q=q,
                heading="")


@router.get("/entities/{name:path}", response_class=HTMLResponse)
def entity(name: str, request: Request) -> Response:
    """A name: the actor page of the one actor called so, a choice among several, else the per-name profile."""
    store = request.app.state.service.store
    called = queries.actors_called(store, name)
    if len(called) == 1:
        return RedirectResponse(f"/actors/{called[0]}", status_code=303)
    if called:
        from ..corpus.queries import list_actors

        found = [a for a in list_actors(store.path, name, "", 300) if a["id"] in called]
        return page(request, "entities.html.j2", actors=found, items=None, q=name,
                    heading=f"{len(found)} different actors are called {name}")
    profile = queries.entity_profile(store, name)
    if profile is None:
        raise WebError(404, "W02", f"no person or organisation named {name!r} in the corpus",
                       "the Entities page lists everyone found")
    chart = {"id": "quotes-over-time", "kind": "bar", "title": "Quotes per publication date",
             "categories": [d["date"] for d in profile["quotes_per_date"]],
             "series": [{"name": "quotes", "values": [d["quotes"] for d in profile["quotes_per_date"]]}]}
    return page(request, "entity.html.j2", profile=profile, charts=[chart])


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    data = queries.dashboard(request.app.state.service.store)
    charts = [
        dict(id="techniques-outlet", kind="stacked", title="Persuasion techniques per outlet",
             **data["techniques_per_outlet"]),
        dict(id="techniques-month", kind="stacked", title="Persuasion techniques per month",
             **data["techniques_per_month"]),
        {"id": "most-quoted", "kind": "hbar", "title": "Most-quoted people",
         "categories": [r["name"] for r in data["most_quoted"]],
         "series": [{"name": "quotes", "values": [r["quotes"] for r in data["most_quoted"]]}]},
        {"id": "claims-claimant", "kind": "hbar", "title": "Claims per claimant",
         "categories": [r["name"] for r in data["claims_per_claimant"]],
         "series": [{"name": "claims", "values": [r["claims"] for r in data["claims_per_claimant"]]}]},
    ]
    return page(request, "dashboard.html.j2", data=data, charts=charts)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """A plain, offline API reference built from the OpenAPI document (no CDN-loaded Swagger UI)."""
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": (p.get("schema") or {}).get("type", "")} for p in op.get("parameters", [])]
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema", {})
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "params": params, "body": body.get("$ref", "").rsplit("/", 1)[-1]})
    schemas = spec.get("components", {}).get("schemas", {})
    return page(request, "docs.html.j2", endpoints=endpoints, schemas={k: v for k, v in schemas.items()
                                                                          if k == "AnalyzeRequest"})
