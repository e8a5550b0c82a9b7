"""Claim families: items (quotes, reported speech, claims) that say the same thing, in one article or many.

Each new item joins the family of the most similar family representative (its first item) when their cosine is
at least ``FAMILY_SIM``, else starts a family. Cosines come from the int8 vectors, computed in numpy over all
representatives at once (one matrix product per batch of new items). Each family's representative is also kept
as a 384-bit sign vector in ``family_vectors`` (sqlite-vec), which ``ask`` searches first: one row per claim,
not per copy of it.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .db import DIMS, from_blob

# Cosine at or above which an item carries its family's claim. From `presslens evaluate matching` (Emergent:
# headlines vs the claim they report): the highest cut within 0.01 of the best balanced accuracy (0.53 -> 0.830;
# 0.60 -> 0.824, keeping 75% of own claims and 89% of other claims apart); see benchmarks/CORPUS.md.
FAMILY_SIM = 0.60


def sign_bits(vector: np.ndarray) -> bytes:
    return np.packbits(np.asarray(vector) > 0).tobytes()


class Families:
    def __init__(self, conn: Any):
        self.conn = conn
        rows = conn.execute("SELECT f.id, v.embedding FROM claim_families f JOIN item_vectors v "
                            "ON v.item_id = f.first_item ORDER BY f.id").fetchall()
        self.ids = [int(r[0]) for r in rows]
        self.reps = (np.stack([from_blob(r[1]) for r in rows]).astype(np.float32) / 127.0 if rows
                     else np.zeros((0, DIMS), np.float32))

    def assign(self, item_ids: list[int], vectors: np.ndarray) -> list[int]:
        """Family id of each new item (vectors: int8 rows), creating families as needed."""
        out: list[int] = []
        if not item_ids:
            return out
        new = np.asarray(vectors, np.float32) / 127.0
        old_count = len(self.ids)
        sims_old = new @ self.reps.T if old_count else np.zeros((len(new), 0), np.float32)
        added: list[np.ndarray] = []
        for i, item in enumerate(item_ids):
            best, best_sim = -1, -1.0
            if old_count:
                j = int(np.argmax(sims_old[i]))
                best, best_sim = j, float(sims_old[i, j])
            if added:
                local = np.stack(added) @ new[i]
                j = int(np.argmax(local))
                if float(local[j]) > best_sim:
                    best, best_sim = old_count + j, float(local[j])
            if best >= 0 and best_sim >= FAMILY_SIM:
                out.append(self.ids[best])
                continue
            cur = self.conn.execute("INSERT INTO claim_families(first_item) VALUES (?)", (item,))
            family = int(cur.lastrowid)
            self.conn.execute("INSERT INTO family_vectors(rowid, embedding) VALUES (?, vec_bit(?))",
                              (family, sign_bits(new[i])))
            self.ids.append(family)
            added.append(new[i])
            out.append(family)
        if added:
            self.reps = np.concatenate([self.reps, np.stack(added)])
        return out
