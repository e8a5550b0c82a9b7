"""Evaluate the genre analyzer on the judgements dev set (evaluate/devset.py): accuracy and macro-F1 over
opinion / reporting / satire."""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Optional

from . import devset
from .metrics import prf

GENRES = ("opinion", "reporting", "satire")


def score(rows: Iterable[dict], docs: Iterable[Any]) -> dict[str, Any]:
    pairs = []
    for row, doc in zip(rows, docs):
        labels = doc.get("genre") if doc is not None else []
        pairs.append((row["genre"], labels[0].label if labels else "none"))
    n = len(pairs)
    f1s = {}
    for g in GENRES:
        tp = sum(1 for gold, pred in pairs if gold == pred == g)
        fp = sum(1 for gold, pred in pairs if pred == g and gold != g)
        fn = sum(1 for gold, pred in pairs if gold == g and pred != g)
        f1s[g] = round(prf(tp, tp + fp, tp + fn)[2], 4)
    return {"n": n, "accuracy": round(sum(g == p for g, p in pairs) / n, 4) if n else 0.0,
            "macro_f1": round(sum(f1s.values()) / len(GENRES), 4), "f1": f1s,
            "confusion": {f"{g}->{p}": c for (g, p), c in sorted(Counter(pairs).items())}}


def evaluate(path: Optional[str] = None, use_meta: bool = True) -> dict[str, dict[str, Any]]:
    """{split: metrics} of the genre layer."""
    return devset.evaluate(score, path, use_meta)
