"""Corpus pages: the brief for a question (/ask), corpus actors with their corrections (/actors), spans in context.

The brief is presslens.corpus.ask's, rendered with autoescape like every page: article text never becomes markup.
The positions timeline is drawn by ask.js from a JSON data block (never executed), with a table beside it.
Merge and split are POST forms, refused when another site sends them (check_same_origin).
"""
from __future__ import annotations

import threading
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from .app import WebError, check_same_origin

router = APIRouter(include_in_schema=False)
_ASKER_LOCK = threading.Lock()
# Characters of context shown on each side of a span on its span page.
CONTEXT_CHARS = 600


def page(request: Request, template: str, **context: Any) -> HTMLResponse:
    html = request.app.state.templates.get_template(template).render(path=request.url.path, **context)
    return HTMLResponse(html)


def asker(request: Request) -> Any:
    """One Asker per app (spaCy, the encoder and the stance step loaded once), over the app's store file."""
    from ..corpus.ask import Asker

    state = request.app.state
    with _ASKER_LOCK:
        if getattr(state, "corpus_asker", None) is None:
            state.corpus_asker = Asker(state.service.store.path)
        return state.corpus_asker


def _ask(request: Request, q: str) -> dict:
    found = asker(request)
    with _ASKER_LOCK:  # one question at a time on the shared connection and models
        return found.ask(q)


def timeline(brief: dict) -> dict:
    """Chart data: one point per actor position (date, actor, stance)."""
    points = [{"actor": a["name"], "published": p["published"], "stance": p["stance"],
               "text": brief["items"][p["item"]]["text"][:160]}
              for a in brief["actors"] for p in a["positions"] if p["published"]]
    return {"id": "positions", "title": "Positions over time", "points": points}


@router.get("/ask", response_class=HTMLResponse)
async def ask_page(request: Request, q: str = Query("", max_length=500)) -> HTMLResponse:
    brief = await run_in_threadpool(_ask, request, q) if q.strip(" ?") else None
    sections = []
    if brief:
        for stance in ("for", "against", "discussing"):
            items = [dict(it, index=i) for i, it in enumerate(brief["items"]) if it["stance"] == stance]
            groups: list[dict] = []
            for it in items:
                if groups and groups[-1]["group"] == it["group"]:
                    groups[-1]["items"].append(it)
                else:
                    groups.append({"group": it["group"], "items": [it]})
            sections.append({"stance": stance, "count": len(items), "groups": groups})
    return page(request, "ask.html.j2", q=q, brief=brief, sections=sections,
                chart=timeline(brief) if brief else None)


@router.get("/api/ask")
async def ask_api(request: Request, q: str = Query(..., max_length=500)) -> JSONResponse:
    return JSONResponse(await run_in_threadpool(_ask, request, q))


@router.get("/ask/span/{article_id}", response_class=HTMLResponse)
def span_page(article_id: int, request: Request, start: int = Query(..., ge=0), end: int = Query(..., ge=0),
              q: str = Query("", max_length=500)) -> HTMLResponse:
    store = request.app.state.service.store
    with store._lock:
        row = store.conn.execute("SELECT id, title, url, published, text FROM articles WHERE id = ?",
                                 (article_id,)).fetchone()
    if row is None:
        raise WebError(404, "W04", f"no article {article_id} in the store", "go back to the brief")
    text = row["text"]
    if not start < end <= len(text):
        raise WebError(400, "W40", f"span {start}-{end} is not inside article {article_id}",
                       "follow a link from the brief")
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    return page(request, "span.html.j2", article=dict(row), before=text[lo:start], span=text[start:end],
                after=text[end:hi], cut_before=lo > 0, cut_after=hi < len(text), q=q)


# ---------------------------------------------------------------------------- actors
@router.get("/actors")
def actors_page(q: str = Query("", max_length=200)) -> RedirectResponse:
    """The actor list is the People & organisations page."""
    return RedirectResponse("/entities" + (f"?{urlencode({'q': q})}" if q else ""), status_code=307)


def actor_info(request: Request, actor_id: int) -> dict:
    from ..corpus import queries
    from ..errors import InputError
    from ..store.queries import outlet_of

    try:
        info = queries.actor(request.app.state.service.store.path, actor_id)
    except InputError as exc:
        raise WebError(404, "W04", exc.message, exc.hint) from exc
    for item in info["items"]:
        item["outlet"] = outlet_of(item.get("url"))
    return info


def said_chart(items: list[dict]) -> dict:
    per_date = Counter(it["published"] or "undated" for it in items)
    dates = sorted(per_date)
    return {"id": "said-over-time", "kind": "bar", "title": "Quotes and claims per publication date",
            "categories": dates, "series": [{"name": "said", "values": [per_date[d] for d in dates]}]}


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(actor_id: int, request: Request) -> HTMLResponse:
    info = actor_info(request, actor_id)
    return page(request, "actor.html.j2", actor=info, charts=[said_chart(info["items"])])


@router.get("/api/actors")
def actors_api(request: Request, q: str = Query("", max_length=200), type: str = Query("", max_length=40),
               limit: int = Query(100, ge=1, le=1000)) -> JSONResponse:
    from ..corpus import queries

    return JSONResponse({"items": queries.list_actors(request.app.state.service.store.path, q, type, limit)})


@router.get("/api/actors/{actor_id}")
def actor_api(actor_id: int, request: Request) -> JSONResponse:
    return JSONResponse(actor_info(request, actor_id))


def _correct(request: Request, action: Any) -> Any:
    from ..corpus.db import connect

    conn = connect(request.app.state.service.store.path)
    try:
        return action(conn)
    finally:
        conn.close()


@router.post("/actors/{actor_id}/merge")
async def merge_form(actor_id: int, request: Request, other: int = Form(...)) -> RedirectResponse:
    from ..corpus import actors

    check_same_origin(request)
    await run_in_threadpool(_correct, request, lambda conn: actors.merge(conn, actor_id, other))
    return RedirectResponse(f"/actors/{actor_id}", status_code=303)


@router.post("/actors/{actor_id}/split")
async def split_form(actor_id: int, request: Request, name: str = Form(...)) -> RedirectResponse:
    from ..corpus import actors

    check_same_origin(request)
    result = await run_in_threadpool(_correct, request, lambda conn: actors.split(conn, actor_id, [name]))
    return RedirectResponse(f"/actors/{result['new']}", status_code=303)
