"""Evaluate check-worthiness on a CheckThat!-style TSV: F1 of the positive class ("Yes", the official
CLEF CheckThat! 2024 Task 1 metric), with precision and recall."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..runtime.checkworthiness import Scorer, load, read_tsv, score_rows
from ..errors import InputError
from .metrics import binary_prf

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEFAULT_TSV = SHARED / "data" / "claims" / "checkthat2024_en" / "CT24_checkworthy_english_dev-test.tsv"


def evaluate(tsv: Optional[str | Path] = None, threshold: Optional[float] = None,
             scorer: Optional[Scorer] = None, curve: bool = False) -> dict:
    """Score every labelled sentence of ``tsv`` (default: CT24 dev-test) and compare with its gold label.

    With ``curve``, ``result["curve"]`` also lists P/R/F1 at the cuts 0.05, 0.10 … 0.95 from the same scores:
    how much the figure depends on the one threshold (chosen on CT24 dev), for a user picking their own cut."""
    path = Path(tsv) if tsv is not None else DEFAULT_TSV
    if tsv is None and not path.exists():
        raise InputError("L15", f"the default evaluation file {path} is not here",
                         "pass --tsv FILE (CheckThat!-style TSV with a class_label column)")
    rows = read_tsv(path)
    unlabelled = [r.id for r in rows if r.label is None]
    if unlabelled:
        raise InputError("L16", f"{path.name}: {len(unlabelled)} sentence(s) lack a class_label (first: {unlabelled[0]})",
                         "evaluation needs Sentence_id<TAB>Text<TAB>Yes|No on every line")
    scorer = scorer or load()
    threshold = scorer.threshold if threshold is None else threshold
    scored = score_rows(rows, threshold, scorer)
    result = binary_prf([r.label == "Yes" for r, _, _ in scored], [p for _, _, p in scored])
    result.update(n=len(rows), positives=sum(r.label == "Yes" for r in rows), file=str(path), model=scorer.id,
                  threshold=threshold)
    if curve:
        gold = [r.label == "Yes" for r, _, _ in scored]
        result["curve"] = [dict(binary_prf(gold, [s >= cut for _, s, _ in scored]), threshold=cut)
                           for cut in (round(0.05 * k, 2) for k in range(1, 20))]
    return result


def evaluate_set(name: str, threshold: Optional[float] = None, scorer: Optional[Scorer] = None) -> dict:
    """Score one named dev set of ../shared/data/claims (see claim_sets.SETS): F1/P/R of "Yes" at the cut,
    and for ranked sets (CT21 1B) MAP over its debates and speeches, the measure of that task."""
    from . import claim_sets

    if name not in claim_sets.SETS:
        raise InputError("L25", f"unknown claims dev set {name!r}", f"use one of {', '.join(claim_sets.SETS)} or all")
    reader, split, metric = claim_sets.SETS[name]
    items = reader(split)
    scorer = scorer or load()
    threshold = scorer.threshold if threshold is None else threshold
    scores = scorer.score([it.text for it in items])
    gold = [it.label for it in items]
    result = binary_prf(gold, [s >= threshold for s in scores])
    result.update(set=name, split=split, metric=metric, n=len(items), positives=sum(gold), model=scorer.id,
                  threshold=threshold)
    if metric == "map":
        result["map"] = claim_sets.mean_average_precision(items, scores)
    return result
