"""Score the ``time`` layer on presslens' own TIMEX dev set (presslens/evaluate/time_gold.jsonl).

There is no TIMEX gold corpus in the shared data, so the set is ours: short sentences we wrote,
each with a publication date (or none) and the expected expressions with TIMEX3-like values. It
measures the rules against the conventions documented in presslens/analyzers/time/, not against an
independent annotation, and it is small: read the figures as a regression gate, not as accuracy on news.

Detection: a predicted expression matches a gold one when their spans overlap (one-to-one, in text
order), as in TempEval-3's relaxed match. Value accuracy: share of matched gold expressions whose
value (and mod, where gold gives one) is exactly right; "strict" counts those over all gold expressions.

Splits: rows without a "split" are "dev" — written alongside the rules and used while fixing them, so
their scores are optimistic. Rows marked "heldout" were written after the rules and scored once before
any further change (see the README/report for that first figure); treat them as the fairer check.
"""
from __future__ import annotations

import time as clock
from pathlib import Path
from typing import Any, Optional

from ..errors import InputError
from .jsonl import jsonl_rows
from .metrics import f1

GOLD_PATH = Path(__file__).with_name("time_gold.jsonl")


def load_gold(path: Optional[Path] = None) -> list[dict[str, Any]]:
    path = Path(path or GOLD_PATH)
    if not path.exists():
        raise InputError("T01", f"time dev set {str(path)!r} does not exist", "pass an existing JSONL file to --gold")
    return jsonl_rows(path, check=lambda row, n: (row["text"], row["expressions"]), bad_line=lambda n, exc: InputError(
        "T02", f"{path.name} line {n} is not a dev-set row ({exc})",
        'each line: {"id", "published", "text", "expressions": [{"text", "value", "type"}]}'))


def gold_spans(text: str, expressions: list[dict]) -> list[tuple[int, int, dict]]:
    spans, cursor = [], {}
    for expr in expressions:
        start = text.find(expr["text"], cursor.get(expr["text"], 0))
        if start < 0:
            raise InputError("T03", f"gold expression {expr['text']!r} is not in its sentence {text!r}",
                             "fix the dev set: expression texts must be copied from the sentence")
        cursor[expr["text"]] = start + 1
        spans.append((start, start + len(expr["text"]), expr))
    return spans


def score_row(gold: list[tuple[int, int, dict]], predicted: list[Any]) -> dict[str, Any]:
    used: set[int] = set()
    counts = {"gold": len(gold), "predicted": len(predicted), "matched": 0, "value_ok": 0, "type_ok": 0}
    errors = []
    for start, end, expr in gold:
        hit = next((i for i, p in enumerate(predicted) if i not in used and p.start < end and p.end > start), None)
        if hit is None:
            errors.append({"missed": expr["text"], "expected": expr["value"]})
            continue
        used.add(hit)
        pred = predicted[hit]
        counts["matched"] += 1
        counts["type_ok"] += pred.type == expr["type"]
        ok = pred.value == expr["value"] and (expr.get("mod") is None or pred.mod == expr.get("mod"))
        counts["value_ok"] += ok
        if not ok:
            errors.append({"text": pred.text, "expected": expr["value"], "expected_mod": expr.get("mod"),
                           "got": pred.value, "got_mod": pred.mod})
    errors += [{"spurious": p.text, "got": p.value} for i, p in enumerate(predicted) if i not in used]
    return {**counts, "errors": errors}


def ratio(a: float, b: float) -> float:
    return round(a / b, 4) if b else 0.0


def evaluate(gold_path: Optional[Path] = None, pipeline: Any = None) -> dict[str, Any]:
    """Run the pipeline over every dev sentence and return detection P/R/F1 and value accuracy."""
    from ..ingest import RawArticle

    if pipeline is None:
        import presslens

        pipeline = presslens.load(analyzers=["blocks", "entities", "time"])
    rows = load_gold(gold_path)
    began = clock.perf_counter()
    raws = [RawArticle.from_text(r["text"], id=r.get("id") or str(i), published=r.get("published"))
            for i, r in enumerate(rows)]
    keys = ("sentences", "gold", "predicted", "matched", "value_ok", "type_ok")
    totals: dict[str, dict[str, int]] = {}
    errors = []
    for row, result in zip(rows, pipeline.pipe(raws)):
        if not hasattr(result, "get"):
            raise result.error
        scored = score_row(gold_spans(result.text, row["expressions"]), result.get("time"))
        scored["sentences"] = 1
        for split in (row.get("split") or "dev", "all"):
            bucket = totals.setdefault(split, dict.fromkeys(keys, 0))
            for key in keys:
                bucket[key] += scored[key]
        errors += [{"id": row.get("id"), **e} for e in scored["errors"]]
    return {"dev_set": str(Path(gold_path or GOLD_PATH).name), "scores": {k: summarise(v) for k, v in totals.items()},
            "seconds": round(clock.perf_counter() - began, 2), "errors": errors}


def summarise(t: dict[str, int]) -> dict[str, Any]:
    p, r = ratio(t["matched"], t["predicted"]), ratio(t["matched"], t["gold"])
    return {**t, "precision": p, "recall": r, "f1": round(f1(p, r), 4),
            "value_accuracy": ratio(t["value_ok"], t["matched"]),
            "value_accuracy_strict": ratio(t["value_ok"], t["gold"]),
            "type_accuracy": ratio(t["type_ok"], t["matched"])}
