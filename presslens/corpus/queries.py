"""Read-only views of the corpus layer for the CLI and the web app: actor lists, one actor's page."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .actors import _actor
from .db import connect


def _with(db_or_conn: Any):
    return (connect(db_or_conn), True) if isinstance(db_or_conn, (str, Path)) else (db_or_conn, False)


def list_actors(db: Any, name: str = "", type_: str = "", limit: int = 50) -> list[dict]:
    conn, own = _with(db)
    try:
        clauses, params = [], []
        if name:
            clauses.append("(name LIKE ? OR aliases LIKE ?)")
            params += [f"%{name}%", f"%{name}%"]
        if type_:
            clauses.append("type = ?")
            params.append(type_)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = conn.execute(f"SELECT id, name, type, aliases, article_count, pin FROM actors {where} "
                            "ORDER BY article_count DESC, name LIMIT ?", (*params, int(limit))).fetchall()
        return [{"id": r[0], "name": r[1], "type": r[2], "aliases": json.loads(r[3]), "article_count": r[4],
                 "corrected": r[5] is not None} for r in rows]
    finally:
        if own:
            conn.close()


def actor(db: Any, actor_id: int, items_limit: int = 200) -> dict:
    """One actor: names, roles (dated), links with evidence, and every item they are credited with, by date."""
    conn, own = _with(db)
    try:
        info = _actor(conn, actor_id)
        row = conn.execute("SELECT aliases, roles, article_count FROM actors WHERE id = ?", (actor_id,)).fetchone()
        info.update(aliases=json.loads(row[0]), roles=json.loads(row[1]), article_count=row[2])
        info["links"] = [{"article_id": r[0], "entity_id": r[1], "name": r[2], "confidence": r[3],
                          "evidence": json.loads(r[4])} for r in conn.execute(
            "SELECT article_id, entity_id, name, confidence, evidence FROM actor_links WHERE actor_id = ? "
            "ORDER BY article_id", (actor_id,))]
        info["items"] = [dict(r) for r in conn.execute(
            "SELECT i.id, i.kind, i.text, i.start, i.end, i.family_id, a.id AS article_id, a.title, a.published, "
            "a.url, a.source FROM actor_links al JOIN corpus_items i ON i.article_id = al.article_id AND "
            "i.speaker_entity = al.entity_id JOIN articles a ON a.id = i.article_id WHERE al.actor_id = ? "
            "ORDER BY a.published, a.id, i.start LIMIT ?", (actor_id, int(items_limit)))]
        return info
    finally:
        if own:
            conn.close()
