"""``presslens ask``: a question -> a brief of who is for, against, or only discussing it, with evidence.

1. The question becomes the proposition it asks about (proposition.py); its vector is cached in the store.
2. Candidates come from two indexes in the same SQLite file: FTS5 over the items' words (bm25, ``FTS_LIMIT``) and
   sqlite-vec KNN over the claim families' sign vectors (``KNN_FAMILIES``, each bringing up to ``PER_FAMILY`` of
   its items). Each candidate is then scored by the cosine of its int8 vector with the proposition's; below
   ``RELEVANT`` it is off the question and dropped -- that is what keeps off-topic articles out.
3. The stance step (stance_step.py) reads each item (identical texts read once); "unrelated" items are dropped.
4. Items are grouped by claim family; every actor's positions are listed by date.

Nothing here loads an article's analysis JSON: items, articles and actors are read from their tables.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

import numpy as np

from ..errors import InputError
from ..lexicons import entries
from .db import connect, from_blob
from .families import sign_bits
from .proposition import proposition as make_proposition
from .stance_step import BRIEF, StanceStep
from .stance_step import load as load_stance

SCHEMA = "presslens.ask/1"
STANCE_ORDER = ("for", "against", "discussing")


@dataclass(frozen=True)
class AskConfig:
    # Cosine (int8 vectors) from which an item is about the question. Set between the off-topic items' cosines and
    # the on-topic ones' on the test corpus and Emergent (benchmarks/CORPUS.md).
    relevant: float = 0.45
    fts_limit: int = 300
    knn_families: int = 48
    per_family: int = 40
    limit: int = 100          # items in the brief (most relevant first), the rest counted


# Words that say nothing about what an item is about, beside the function words: the frame of a question.
QUESTION_WORDS = frozenset({"true", "really", "whether", "said", "say", "says", "will", "would"})
# An AND match with fewer hits than this also runs the matches that leave one word out.
FEW_HITS = 20


def terms(text: str) -> list[str]:
    stop = {w for line in entries("english_function_words.txt") for w in line.split()} | QUESTION_WORDS
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()]
    return list(dict.fromkeys(w for w in words if w not in stop and len(w) > 1))


class Asker:
    """Holds what every question needs loaded once: the store connection, the encoder, the stance step. spaCy's
    parser is loaded by the proposition step, and only for a question that needs it (proposition.py)."""

    def __init__(self, db: str | Path, stance: str = "auto", config: AskConfig = AskConfig()):
        from .embedder import load as load_encoder

        self.conn = connect(db)
        self.encoder = load_encoder()
        self.stance: StanceStep = load_stance(stance)
        self.config = config

    def close(self) -> None:
        self.conn.close()

    def vector(self, prop: str) -> np.ndarray:
        row = self.conn.execute("SELECT vector FROM proposition_vectors WHERE proposition = ?", (prop,)).fetchone()
        if row is not None:
            return np.frombuffer(row[0], dtype=np.float32)
        vec = self.encoder.encode([prop])[0]
        self.conn.execute("INSERT OR REPLACE INTO proposition_vectors(proposition, vector) VALUES (?, ?)",
                          (prop, vec.astype(np.float32).tobytes()))
        return vec

    def candidates(self, prop: str, vec: np.ndarray) -> dict[int, str]:
        c = self.config
        found: dict[int, str] = {}
        words = terms(prop)[:8]
        # every word first (an intersection: fast however common each word is), then the matches that drop one
        # word each when that finds little; an OR of all words would rank every item holding any of them
        queries = [words] + ([[w for w in words if w != left] for left in words] if len(words) > 1 else [])
        for n, group in enumerate(queries):
            match = " AND ".join(f'"{w}"' for w in group)
            rows = self.conn.execute("SELECT rowid FROM item_fts WHERE item_fts MATCH ? ORDER BY rank LIMIT ?",
                                     (match, c.fts_limit)).fetchall() if group else []
            for (rowid,) in rows:
                found.setdefault(int(rowid), "words")
            if n == 0 and len(rows) >= FEW_HITS:
                break
        families = [int(r[0]) for r in self.conn.execute(
            "SELECT rowid FROM family_vectors WHERE embedding MATCH vec_bit(?) AND k = ?",
            (sign_bits(vec), c.knn_families))]
        for family in families:
            for (item,) in self.conn.execute("SELECT id FROM corpus_items WHERE family_id = ? ORDER BY published "
                                             "LIMIT ?", (family, c.per_family)):
                found[int(item)] = "words+vector" if int(item) in found else "vector"
        return found

    def relevance(self, ids: list[int], vec: np.ndarray) -> dict[int, float]:
        out: dict[int, float] = {}
        for b in range(0, len(ids), 500):
            chunk = ids[b:b + 500]
            marks = ",".join("?" * len(chunk))
            for rowid, blob in self.conn.execute(f"SELECT item_id, embedding FROM item_vectors WHERE item_id IN ({marks})",
                                                 chunk):
                out[int(rowid)] = float(from_blob(blob).astype(np.float32) @ vec) / 127.0
        return out

    def ask(self, question: str) -> dict[str, Any]:
        prop = make_proposition(question)
        if self.conn.execute("SELECT 1 FROM corpus_indexed LIMIT 1").fetchone() is None:
            raise InputError("N24", "this store has no corpus index yet, so there is nothing to ask",
                             "run `presslens corpus index --db DB` first (it reads the stored analyses once)")
        vec = self.vector(prop)
        found = self.candidates(prop, vec)
        scores = self.relevance(list(found), vec)
        kept = sorted((i for i, s in scores.items() if s >= self.config.relevant), key=lambda i: -scores[i])
        rows = self.rows(kept)
        texts = list(dict.fromkeys(rows[i]["text"] for i in kept if i in rows))  # identical texts read once
        readings = dict(zip(texts, self.stance.read_many(prop, texts)))
        items = []
        for item_id in kept:
            row = rows.get(item_id)
            if row is None:
                continue
            label, confidence, evidence = readings[row["text"]]
            if label not in BRIEF:
                continue
            items.append(self.item(row, BRIEF[label], confidence, evidence, scores[item_id], found[item_id]))
        matched = len(items)
        items = items[:self.config.limit]
        items.sort(key=lambda it: (STANCE_ORDER.index(it["stance"]), it["group"], it["article"]["published"] or "",
                                   it["article"]["id"], it["start"]))
        return {"schema": SCHEMA, "question": question, "proposition": prop, "items": items,
                "actors": positions(items), "matched": matched, "stance_step": self.stance.id}

    def rows(self, ids: list[int]) -> dict[int, dict]:
        out: dict[int, dict] = {}
        for b in range(0, len(ids), 500):
            chunk = ids[b:b + 500]
            marks = ",".join("?" * len(chunk))
            sql = ("SELECT i.id, i.kind, i.text, i.start, i.end, i.speaker_entity, i.speaker_name, i.family_id, "
                   "a.id AS article_id, a.title, a.url, a.source, a.published, al.actor_id, ac.name AS actor_name "
                   "FROM corpus_items i JOIN articles a ON a.id = i.article_id "
                   "LEFT JOIN actor_links al ON al.article_id = i.article_id AND al.entity_id = i.speaker_entity "
                   f"LEFT JOIN actors ac ON ac.id = al.actor_id WHERE i.id IN ({marks})")
            for r in self.conn.execute(sql, chunk):
                out[int(r["id"])] = dict(r)
        return out

    @staticmethod
    def item(row: dict, stance: str, confidence: float, evidence: dict, relevance: float, how: str) -> dict:
        author = row["speaker_name"] is None and row["speaker_entity"] is None
        speaker = None if author else {"name": row["speaker_name"], "actor": row["actor_id"],
                                       "actor_name": row["actor_name"]}
        why = f"{evidence['why']}; cosine {relevance:.2f} to the proposition (found by {how})"
        return {"stance": stance, "speaker": speaker, "text": row["text"], "start": int(row["start"]),
                "end": int(row["end"]), "kind": row["kind"],
                "article": {"id": int(row["article_id"]), "title": row["title"], "source": source_of(row),
                            "published": row["published"]},
                "group": f"f{row['family_id']}" if row["family_id"] is not None else f"i{row['id']}",
                "confidence": round(float(confidence), 3), "relevance": round(relevance, 3),
                "evidence": {"by": evidence["by"], "why": why}}


def source_of(row: dict) -> Optional[str]:
    if row.get("url"):
        host = urlsplit(row["url"]).hostname
        if host:
            return host
    return row.get("source")


def positions(items: list[dict]) -> list[dict]:
    """Each actor's stances by date (one per article and stance); the author's voice has no actor."""
    by_actor: dict[int, dict] = {}
    seen: dict[int, set] = defaultdict(set)
    for index, it in enumerate(items):
        speaker = it["speaker"]
        if not speaker or speaker.get("actor") is None:
            continue
        actor = speaker["actor"]
        entry = by_actor.setdefault(actor, {"id": actor, "name": speaker.get("actor_name") or speaker["name"],
                                            "positions": []})
        key = (it["article"]["id"], it["stance"])
        if key in seen[actor]:
            continue
        seen[actor].add(key)
        entry["positions"].append({"stance": it["stance"], "published": it["article"]["published"], "item": index})
    out = []
    for entry in by_actor.values():
        entry["positions"].sort(key=lambda p: (p["published"] or "", p["item"]))
        entry["changed"] = len({p["stance"] for p in entry["positions"]}) > 1
        out.append(entry)
    out.sort(key=lambda e: (not e["changed"], e["name"]))
    return out


def ask(db: str | Path, question: str, stance: str = "auto", config: AskConfig = AskConfig()) -> dict[str, Any]:
    asker = Asker(db, stance, config)
    try:
        return asker.ask(question)
    finally:
        asker.close()
