"""The JSON API, mirroring the CLI: analyse an article, list/read stored ones, search, entities, dashboard."""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..ingest import RawArticle, article_from_text
from ..store import queries
from .app import WebError, check_same_origin

router = APIRouter(prefix="/api", tags=["api"])
# SQLite integers are 64-bit: a larger id or offset is a 422, not an overflow deep in the store.
MAX_ID = 2**63 - 1


class AnalyzeRequest(BaseModel):
    """One article: exactly one of ``text`` (plain text) or ``html`` (a web page; the article is extracted)."""

    model_config = ConfigDict(extra="forbid")
    text: Optional[str] = Field(None, description="the article as plain text")
    html: Optional[str] = Field(None, description="the article as an HTML page")
    title: Optional[str] = Field(None, max_length=1000)
    published: Optional[str] = Field(None, description="publication date YYYY-MM-DD (anchors relative dates)")
    url: Optional[str] = Field(None, max_length=4000)


def raw_article(text: Optional[str], html: Optional[str], title: Optional[str] = None,
                published: Optional[str] = None, url: Optional[str] = None, source: str = "web") -> RawArticle:
    """Pasted text or HTML -> RawArticle (through the same ingest steps as the CLI)."""
    if bool(text and text.strip()) == bool(html and html.strip()):
        raise WebError(400, "W10", "give the article as exactly one of 'text' or 'html'",
                       'send {"text": "..."} or {"html": "<html>..."}')
    meta = {"title": title or None, "url": url or None}
    if html:
        raw = article_from_text(html, f"{source}:html", published or None, True, None, [], **meta)
    else:
        raw = RawArticle.from_text(text or "", source=f"{source}:text", published=published or None, **meta)
    return with_title(raw)


# A pasted article without a title is listed under its first line when that line is headline-length.
HEADLINE_MAX_CHARS = 160


def with_title(raw: RawArticle) -> RawArticle:
    if not raw.title:
        first = next((line.strip() for line in raw.text.splitlines() if line.strip()), "")
        if 0 < len(first) <= HEADLINE_MAX_CHARS:
            raw.title = first
    return raw


def stored(service: Any, article_id: int) -> dict[str, Any]:
    row = queries.article_row(service.store, article_id)
    if row is None or not queries.has_analysis(service.store, article_id):
        raise WebError(404, "W01", f"there is no analysed article {article_id}", "GET /api/articles lists them")
    return {"id": article_id, "article": row, "analysis": service.store.get_document(article_id).to_dict()}


def filters_of(q: Optional[str], speaker: Optional[str], entity: Optional[str], technique: Optional[str],
               genre: Optional[str], date_from: Optional[str], date_to: Optional[str],
               actor: Optional[int] = None) -> dict[str, Any]:
    return {"q": q, "speaker": speaker, "entity": entity, "actor": actor, "technique": technique, "genre": genre,
            "date_from": date_from, "date_to": date_to}


@router.post("/analyze", status_code=201, summary="Analyse one article and store it")
async def analyze(body: AnalyzeRequest, request: Request) -> JSONResponse:
    check_same_origin(request)
    service = request.app.state.service
    article_id, _ = await service.analyze_later(raw_article, body.text, body.html, body.title, body.published,
                                                body.url, "api")
    payload = await run_in_threadpool(stored, service, article_id)
    payload["links"] = {"page": f"/articles/{article_id}", "self": f"/api/articles/{article_id}"}
    return JSONResponse(payload, status_code=201, headers={"location": f"/api/articles/{article_id}"})


@router.get("/articles", summary="List stored articles (newest first), with the corpus filters")
def list_articles(request: Request, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_ID),
                  q: Optional[str] = None, speaker: Optional[str] = None, entity: Optional[str] = None,
                  technique: Optional[str] = None, genre: Optional[str] = None,
                  date_from: Optional[str] = None, date_to: Optional[str] = None,
                  actor: Optional[int] = Query(None, ge=1, le=MAX_ID)) -> dict[str, Any]:
    filters = filters_of(q, speaker, entity, technique, genre, date_from, date_to, actor)
    result = queries.search_articles(request.app.state.service.store, filters, limit, offset)
    return {**result, "limit": limit, "offset": offset}


@router.get("/articles/{article_id}", summary="One stored article with its full analysis")
def get_article(request: Request, article_id: int = Path(..., ge=0, le=MAX_ID)) -> dict[str, Any]:
    return stored(request.app.state.service, article_id)


@router.get("/search", summary="Full-text search (SQLite FTS5) with the corpus filters")
def search(request: Request, q: str = Query(..., min_length=1, max_length=500), limit: int = Query(20, ge=1, le=200),
           offset: int = Query(0, ge=0, le=MAX_ID), speaker: Optional[str] = None, entity: Optional[str] = None,
           technique: Optional[str] = None, genre: Optional[str] = None, date_from: Optional[str] = None,
           date_to: Optional[str] = None, actor: Optional[int] = Query(None, ge=1, le=MAX_ID)) -> dict[str, Any]:
    filters = filters_of(q, speaker, entity, technique, genre, date_from, date_to, actor)
    result = queries.search_articles(request.app.state.service.store, filters, limit, offset)
    return {"query": q, **result, "limit": limit, "offset": offset}


@router.get("/entities", summary="People and organisations across the corpus")
def entities(request: Request, q: Optional[str] = Query(None, max_length=200),
             limit: int = Query(100, ge=1, le=1000)) -> dict[str, Any]:
    return {"items": queries.list_entities(request.app.state.service.store, q, limit)}


@router.get("/entities/{name:path}", summary="One person/organisation: roles, aliases, every quote over time")
def entity(name: str, request: Request) -> dict[str, Any]:
    profile = queries.entity_profile(request.app.state.service.store, name)
    if profile is None:
        raise WebError(404, "W02", f"no person or organisation named {name!r} in the corpus", "GET /api/entities lists them")
    return profile


@router.get("/dashboard", summary="Aggregates behind the dashboard charts")
def dashboard(request: Request) -> dict[str, Any]:
    return queries.dashboard(request.app.state.service.store)


@router.get("/facets", summary="Values the corpus filters offer")
def facets(request: Request) -> dict[str, Any]:
    return queries.facets(request.app.state.service.store)
