"""CT24 (CLEF CheckThat! 2024 Task 1, English) data helpers shared by the check-worthiness training scripts:
the TSV reader, F1 of the "Yes" class, the threshold search on dev and the dev/dev-test report.

Never imported by the package.
"""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from presslens.evaluate.metrics import binary_prf

from .common import SHARED_DATA, sha256

DATA = SHARED_DATA / "claims" / "checkthat2024_en"
SPLITS = {s: DATA / f"CT24_checkworthy_english_{s}.tsv" for s in ("train", "dev", "dev-test")}


def read_tsv(path: Path) -> tuple[list[str], list[str], list[int]]:
    ids, texts, labels = [], [], []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            row = [c.strip() for c in row]
            if not row or row[0] == "Sentence_id":
                continue
            ids.append(row[0])
            texts.append(row[1])
            labels.append(1 if row[2] == "Yes" else 0)
    return ids, texts, labels


def prf(gold: list[int], pred: list[int]) -> dict[str, float]:
    """F1, precision and recall of "Yes", rounded (the package's own binary_prf)."""
    m = binary_prf(gold, pred)
    return {"f1": round(m["f1"], 4), "precision": round(m["precision"], 4), "recall": round(m["recall"], 4)}


def best_threshold(gold: list[int], scores: list[float]) -> float:
    grid = [i / 100 for i in range(5, 96)]
    return max(grid, key=lambda t: (prf(gold, [int(s >= t) for s in scores])["f1"], -abs(t - 0.5)))


def write_manifest(out: Path, files: list[str], info: dict) -> None:
    info = dict(info, sha256={f: sha256(out / f) for f in files})
    (out / "manifest.json").write_text(json.dumps(info, indent=2) + "\n")


def report(name: str, threshold: float, score_fn) -> dict:
    metrics = {}
    for split in ("dev", "dev-test"):
        _, texts, gold = read_tsv(SPLITS[split])
        scores = score_fn(texts)
        metrics[split] = prf(gold, [int(s >= threshold) for s in scores])
        print(f"{name} {split}: {metrics[split]} (threshold {threshold})", flush=True)
    return metrics


CONTEXT_GAP = 3  # consecutive CT24 Sentence_ids at most this far apart belong to one stretch of a debate


def claim_windows(ids: list[str], texts: list[str], labels: list[int], tok, max_len: int, context: bool,
                  rng: random.Random | None = None) -> list[dict]:
    """CT24 sentences -> windows; each window lists its sentences as (piece start, piece end, label, row index).

    context=True packs consecutive sentences (by Sentence_id) up to max_len pieces, breaking at id gaps and, when
    ``rng`` is given, at random points too (so the head also sees sentences with little context)."""
    order = sorted(range(len(ids)), key=lambda i: (int(ids[i]) if ids[i].isdigit() else 0, ids[i]))
    encs = tok.encode_batch([texts[i] for i in order], add_special_tokens=False)
    budget = max_len - 2
    wins: list[dict] = []
    cur: dict = {"ids": [], "claims": []}
    prev = None
    for i, enc in zip(order, encs):
        piece_ids = list(enc.ids)[:budget]
        if not piece_ids:
            continue
        num = int(ids[i]) if ids[i].isdigit() else None
        brk = (not context or prev is None or num is None or num - prev > CONTEXT_GAP
               or len(cur["ids"]) + len(piece_ids) > budget or (rng is not None and rng.random() < 0.25))
        if brk and cur["ids"]:
            wins.append(cur)
            cur = {"ids": [], "claims": []}
        s = len(cur["ids"])
        cur["ids"] += piece_ids
        cur["claims"].append((s, s + len(piece_ids), labels[i], i))
        prev = num
    if cur["ids"]:
        wins.append(cur)
    return wins
