"""CT24 (CLEF CheckThat! 2024 Task 1, English) data helpers shared by the check-worthiness training scripts:
the TSV reader, F1 of the "Yes" class, the threshold search on dev and the dev/dev-test report.

Never imported by the package.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

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
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if p and not g)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"f1": round(f, 4), "precision": round(p, 4), "recall": round(r, 4)}


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
