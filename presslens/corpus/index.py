"""``presslens corpus index``: items, vectors, actors and claim families for every stored article not yet indexed.

Articles are read in publication order, ``BATCH`` at a time; each batch (its actor links, items, vectors and
families, and the mark that it is done) is written in one transaction, so an interrupted run leaves whole batches
and a re-run goes on from there. ``relink=True`` re-links every article's entity clusters from scratch (user
corrections are pins and survive it).
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np

from .actors import Linker, article_entities, refresh
from .db import connect, to_int8
from .families import Families

BATCH = 64
QUOTE_KINDS = ("direct", "partial", "reported", "mixed")
# Shorter items (scare quotes, one-word answers) carry no claim to match.
MIN_WORDS = 4
# A claim this much inside quote items is carried by them ("X said that <reported clause>.").
QUOTED_SHARE = 0.4
# Item texts whose vectors one run remembers across batches (a wire story's quotes recur in every outlet that
# runs it): 384 bytes each, the oldest forgotten first.
RECENT_TEXTS = 50_000


def items_of(analysis: dict) -> list[dict]:
    """What was said in one analysis: quotes' contents, then claims a quote does not already carry (the author's
    or attributed ones). Headlines are left out: they restate the body in fewer words."""
    out, spans = [], []
    titles = [(b["start"], b["end"]) for b in analysis.get("blocks") or [] if b.get("kind") == "title"]

    def in_title(start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in titles)

    for q in analysis.get("quotes") or []:
        content = q.get("content") or {}
        text = content.get("text") or ""
        if q.get("kind") not in QUOTE_KINDS or len(text.split()) < MIN_WORDS:
            continue
        if in_title(content["start"], content["end"]) or _covered(spans, content["start"], content["end"]):
            continue  # a headline, or a quote inside one already taken (partial inside reported speech)
        speaker = q.get("speaker") or {}
        out.append({"kind": q["kind"], "ref": q["id"], "text": text, "start": content["start"],
                    "end": content["end"], "speaker_entity": speaker.get("entity"),
                    "speaker_name": speaker.get("name") or "unknown"})
        spans.append((content["start"], content["end"]))
    for c in analysis.get("claims") or []:
        if len(c.get("text", "").split()) < MIN_WORDS:
            continue
        if _covered(spans, c["start"], c["end"]) or in_title(c["start"], c["end"]):
            continue  # a quote item already carries it
        author = c.get("claimant_kind") == "author"
        claimant = c.get("claimant") or {}
        out.append({"kind": "claim", "ref": c["id"], "text": c["text"], "start": c["start"], "end": c["end"],
                    "speaker_entity": None if author else claimant.get("entity"),
                    "speaker_name": None if author else (claimant.get("name") or "unknown")})
    return out


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    inside = sum(max(0, min(e, end) - max(s, start)) for s, e in spans)
    return inside >= QUOTED_SHARE * max(1, end - start)


def index(db: str | Path, relink: bool = False, embed: bool = True,
          progress: Optional[Callable[[int, int], None]] = None) -> dict[str, Any]:
    """Index the store at ``db``; returns counts and the seconds spent embedding."""
    from .embedder import load

    conn = connect(db)
    started = time.perf_counter()
    timing = {"embed_s": 0.0, "embed_cpu_s": 0.0}
    try:
        todo = [tuple(r) for r in conn.execute(
            "SELECT a.id, a.article_key, a.published FROM articles a JOIN analyses an ON an.article_id = a.id "
            "WHERE a.id NOT IN (SELECT article_id FROM corpus_indexed) ORDER BY a.published, a.id")]
        if relink:
            relink_all(conn, {row[0] for row in todo})
        linker = Linker(conn)
        families = Families(conn)
        encoder = load() if (embed and todo) else None
        recent: dict[str, np.ndarray] = {}
        counts = {"articles": 0, "items": 0, "families_new": 0}
        before_families = len(families.ids)
        for b in range(0, len(todo), BATCH):
            batch = todo[b:b + BATCH]
            conn.execute("BEGIN IMMEDIATE")
            try:
                _index_batch(conn, batch, linker, families, encoder, recent, timing, counts)
                refresh(conn, linker.dirty())
                for state in linker.actors.values():
                    state.dirty = False
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            if progress:
                progress(min(b + BATCH, len(todo)), len(todo))
        counts["families_new"] = len(families.ids) - before_families
        counts["actors"] = int(conn.execute("SELECT count(*) FROM actors").fetchone()[0])
        counts["seconds"] = round(time.perf_counter() - started, 3)
        counts["embed_seconds"] = round(timing["embed_s"], 3)
        counts["embed_cpu_seconds"] = round(timing["embed_cpu_s"], 3)
        return counts
    finally:
        conn.close()


def _index_batch(conn: Any, batch: list[tuple], linker: Linker, families: Families, encoder: Any,
                 recent: dict[str, np.ndarray], timing: dict, counts: dict) -> None:
    new_items: list[tuple[int, dict]] = []
    for article_id, key, published in batch:
        linker.link_article(article_id, key, article_entities(conn, article_id))
        row = conn.execute("SELECT analysis_json FROM analyses WHERE article_id = ? ORDER BY id DESC LIMIT 1",
                           (article_id,)).fetchone()
        for item in items_of(json.loads(row[0])):
            cur = conn.execute(
                "INSERT OR IGNORE INTO corpus_items(article_id, kind, ref, text, start, end, speaker_entity, "
                "speaker_name, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, item["kind"], item["ref"], item["text"], item["start"], item["end"],
                 item["speaker_entity"], item["speaker_name"], published))
            if cur.rowcount:
                new_items.append((int(cur.lastrowid), item))
        conn.execute("INSERT OR REPLACE INTO corpus_indexed(article_id, indexed_at) VALUES (?, ?)",
                     (article_id, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
        counts["articles"] += 1
    if encoder is None or not new_items:
        return
    t, cpu = time.perf_counter(), time.process_time()
    vectors = vectors_of([item["text"] for _, item in new_items], encoder, recent)
    timing["embed_s"] += time.perf_counter() - t
    timing["embed_cpu_s"] += time.process_time() - cpu
    ids = [i for i, _ in new_items]
    conn.executemany("INSERT INTO item_vectors(item_id, embedding) VALUES (?, ?)",
                     [(i, v.tobytes()) for i, v in zip(ids, vectors)])
    fams = families.assign(ids, vectors)
    conn.executemany("UPDATE corpus_items SET family_id = ? WHERE id = ?", list(zip(fams, ids)))
    counts["items"] += len(ids)


def vectors_of(texts: list[str], encoder: Any, recent: dict[str, np.ndarray]) -> np.ndarray:
    """int8 vectors of ``texts``; a text met earlier in the run (``recent``) is not encoded again."""
    fresh = [t for t in dict.fromkeys(texts) if t not in recent]
    for text, vector in zip(fresh, to_int8(encoder.encode(fresh))):
        recent[text] = vector
    out = np.stack([recent[t] for t in texts])
    for old in list(recent)[:max(0, len(recent) - RECENT_TEXTS)]:
        del recent[old]  # dicts keep insertion order: the oldest go first
    return out


def relink_all(conn: Any, skip: set[int]) -> None:
    """Forget every automatic link and link the already-indexed articles again, in publication order."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM actor_links")
        conn.execute("DELETE FROM actors")
        linker = Linker(conn)
        rows = conn.execute("SELECT a.id, a.article_key FROM articles a JOIN corpus_indexed c ON c.article_id = a.id "
                            "ORDER BY a.published, a.id").fetchall()
        for article_id, key in rows:
            if article_id not in skip:
                linker.link_article(article_id, key, article_entities(conn, article_id))
        refresh(conn, linker.dirty())
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise

