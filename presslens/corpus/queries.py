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
    """Actors, most articles first: names, type, article count, roles, and how much they said (``said``)."""
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
        rows = conn.execute(f"SELECT id, name, type, aliases, roles, article_count, pin FROM actors {where} "
                            "ORDER BY article_count DESC, name LIMIT ?", (*params, int(limit))).fetchall()
        said = said_counts(conn, [int(r[0]) for r in rows])
        return [{"id": r[0], "name": r[1], "type": r[2], "aliases": json.loads(r[3]),
                 "roles": list(dict.fromkeys(role["text"] for role in json.loads(r[4]))), "article_count": r[5],
                 "said": said.get(int(r[0]), 0), "corrected": r[6] is not None} for r in rows]
    finally:
        if own:
            conn.close()


def said_counts(conn: Any, ids: list[int]) -> dict[int, int]:
    """Actor id -> quotes and claims credited to them (the same things ``said_by`` lists)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    out: dict[int, int] = {}
    for sql in (f"SELECT al.actor_id, count(*) FROM actor_links al JOIN quotes q ON q.article_id = al.article_id "
                f"AND q.speaker_entity = al.entity_id WHERE al.actor_id IN ({marks}) GROUP BY al.actor_id",
                f"SELECT al.actor_id, count(*) FROM actor_links al JOIN corpus_items i ON i.article_id = al.article_id "
                f"AND i.speaker_entity = al.entity_id AND i.kind = 'claim' WHERE al.actor_id IN ({marks}) "
                f"GROUP BY al.actor_id"):
        for actor_id, n in conn.execute(sql, ids):
            out[int(actor_id)] = out.get(int(actor_id), 0) + int(n)
    return out


# Every quote whose speaker is linked to the actor (the quotes layer: short ones and headline ones included), and
# every claim item they are the claimant of (claims a quote already carries are that quote). ``family_id`` is the
# claim family of the quote's or claim's corpus item, when it has one.
SAID_BY = (
    "SELECT * FROM (SELECT 'quote' AS source, q.quote_id AS ref, q.kind, q.content AS text, q.start, q.end, ci.family_id, "
    "a.id AS article_id, a.title, a.published, a.url, a.source AS article_source, al.name AS name_there "
    "FROM actor_links al JOIN quotes q ON q.article_id = al.article_id AND q.speaker_entity = al.entity_id "
    "JOIN articles a ON a.id = q.article_id "
    "LEFT JOIN corpus_items ci ON ci.article_id = q.article_id AND ci.ref = q.quote_id AND ci.kind = q.kind "
    "WHERE al.actor_id = ? "
    "UNION ALL "
    "SELECT 'claim', i.ref, i.kind, i.text, i.start, i.end, i.family_id, a.id, a.title, a.published, a.url, "
    "a.source, al.name FROM actor_links al JOIN corpus_items i ON i.article_id = al.article_id "
    "AND i.speaker_entity = al.entity_id AND i.kind = 'claim' JOIN articles a ON a.id = i.article_id "
    "WHERE al.actor_id = ?) "
    "ORDER BY published IS NULL, published, article_id, start LIMIT ?")


def said_by(conn: Any, actor_id: int, limit: int = 500) -> list[dict]:
    """What one actor said across the store, oldest first: quotes, reported speech and claims, with their article."""
    cursor = conn.execute(SAID_BY, (actor_id, actor_id, int(limit)))
    cols = [d[0] for d in cursor.description]
    return [dict(zip(cols, row)) for row in cursor]


def actor(db: Any, actor_id: int, items_limit: int = 500) -> dict:
    """One actor: names, roles (dated), links with evidence, and everything they said, by date (``items``)."""
    conn, own = _with(db)
    try:
        info = _actor(conn, actor_id)
        row = conn.execute("SELECT aliases, roles, article_count FROM actors WHERE id = ?", (actor_id,)).fetchone()
        info.update(aliases=json.loads(row[0]), roles=json.loads(row[1]), article_count=row[2])
        info["links"] = [{"article_id": r[0], "entity_id": r[1], "name": r[2], "confidence": r[3],
                          "evidence": json.loads(r[4])} for r in conn.execute(
            "SELECT article_id, entity_id, name, confidence, evidence FROM actor_links WHERE actor_id = ? "
            "ORDER BY article_id", (actor_id,))]
        info["items"] = said_by(conn, actor_id, items_limit)
        return info
    finally:
        if own:
            conn.close()


EXPORTS = {
    "actors": "SELECT id, name, type, aliases, roles, article_count, pin IS NOT NULL AS corrected FROM actors ORDER BY id",
    "actor_links": "SELECT actor_id, article_id, entity_id, name, confidence, evidence FROM actor_links ORDER BY id",
    "items": ("SELECT i.id, i.article_id, i.kind, i.text, i.start, i.end, i.speaker_name, al.actor_id, i.family_id, "
              "i.published FROM corpus_items i LEFT JOIN actor_links al ON al.article_id = i.article_id AND "
              "al.entity_id = i.speaker_entity ORDER BY i.id"),
    "claim_families": "SELECT id, first_item FROM claim_families ORDER BY id",
}
JSON_COLUMNS = {"aliases", "roles", "evidence"}


def export(db: Any, folder: Path) -> dict[str, int]:
    """One JSONL file per corpus table (actors, their links with evidence, items with actor and family, families);
    each written to a temporary name and renamed, so a reader never sees half a file."""
    conn, own = _with(db)
    counts = {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, sql in EXPORTS.items():
            target = folder / f"{name}.jsonl"
            part = target.with_suffix(".jsonl.part")
            n = 0
            with part.open("w", encoding="utf-8") as out:
                cursor = conn.execute(sql)
                cols = [d[0] for d in cursor.description]
                for row in cursor:
                    record = {c: (json.loads(v) if c in JSON_COLUMNS and v else v) for c, v in zip(cols, row)}
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    n += 1
            part.replace(target)
            counts[name] = n
        return counts
    finally:
        if own:
            conn.close()
