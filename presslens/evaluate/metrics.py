"""Precision, recall and F1: the one definition every evaluation uses."""
from __future__ import annotations

from typing import Iterable, Optional


def ratio(part: float, whole: float) -> float:
    """part / whole, 0.0 when there is nothing to divide by."""
    return part / whole if whole else 0.0


def f1(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall; 0.0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def prf(matched: float, predicted: float, gold: float, matched_gold: Optional[float] = None) -> tuple[float, float, float]:
    """(precision, recall, F1) from the count of matches, of predictions and of gold items; ``matched_gold`` when
    the recall's numerator differs (partial credit per gold span, or a gold item several predictions match)."""
    precision = ratio(matched, predicted)
    recall = ratio(matched if matched_gold is None else matched_gold, gold)
    return precision, recall, f1(precision, recall)


def binary_prf(gold: Iterable[bool], pred: Iterable[bool]) -> dict[str, float]:
    """P/R/F1 of the positive class over paired gold/predicted labels, with the counts."""
    pairs = list(zip(gold, pred))
    tp = sum(1 for g, p in pairs if g and p)
    fp = sum(1 for g, p in pairs if p and not g)
    fn = sum(1 for g, p in pairs if g and not p)
    precision, recall, f = prf(tp, tp + fp, tp + fn)
    return {"f1": f, "precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn}
