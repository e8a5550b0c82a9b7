"""Evaluate the frames analyzer on the judgements dev set (evaluate/devset.py): micro-precision/recall/F1
over (article, frame) pairs."""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Optional

from . import devset
from .metrics import prf


def score(rows: Iterable[dict], docs: Iterable[Any]) -> dict[str, Any]:
    tp = fp = fn = 0
    per_frame: Counter = Counter()
    n = 0
    for row, doc in zip(rows, docs):
        n += 1
        gold = set(row["frames"])
        pred = {label.label for label in (doc.get("frames") if doc is not None else [])}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        per_frame.update({f"fn:{f}": 1 for f in gold - pred})
        per_frame.update({f"fp:{f}": 1 for f in pred - gold})
    p, r, f = prf(tp, tp + fp, tp + fn)
    return {"n": n, "micro_precision": round(p, 4), "micro_recall": round(r, 4), "micro_f1": round(f, 4),
            "errors": dict(per_frame.most_common(8))}


def evaluate(path: Optional[str] = None, use_meta: bool = True) -> dict[str, dict[str, Any]]:
    """{split: metrics} of the frames layer."""
    return devset.evaluate(score, path, use_meta)
