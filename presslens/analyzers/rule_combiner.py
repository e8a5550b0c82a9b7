"""The combiner that decides on rule candidates (presslens.analyzers.technique_rules) from the trained models' reading.

A candidate is kept when a logistic regression over [the encoder's mean and max "inside a span" probability over
the candidate's word pieces, the span reader's p(no technique), the blended probability of the rule's technique,
the candidate's log length, the share of it the encoder's own spans already cover, one indicator per rule] reaches
``cut``. The rule hits over any span (found, given or candidate) multiply its label probabilities: each technique
a rule suggests there by exp(``boost``), then renormalised. Weights: fit on PTC train candidates, the cuts and the
boost chosen on PTC val and the opinion set together (training/shipped/train_rule_combiner.py; presslens/models/
technique-rules/MODEL_CARD.md).
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import replace
from typing import Any, Optional, Sequence

import numpy as np

from .technique_rules import RULES, Candidate

MODEL_NAME = "technique-rules"
FEATURES = ("si_mean", "si_max", "reader_none", "rule_technique_p", "log_length", "found_cover") + tuple(
    f"rule_{name}" for name in RULES)


def features(cand: Candidate, piece_p: Sequence[float], p_none: float, label_p: float,
             found: Sequence[tuple[int, int]]) -> list[float]:
    covered = sum(max(0, min(cand.end, e) - max(cand.start, s)) for s, e in found)
    row = [float(np.mean(piece_p)) if len(piece_p) else 0.0, float(np.max(piece_p)) if len(piece_p) else 0.0,
           float(p_none), float(label_p), math.log1p(cand.end - cand.start) / 5.0,
           min(1.0, covered / max(1, cand.end - cand.start))]
    return row + [1.0 if cand.rule == name else 0.0 for name in RULES]


def boosted(p: np.ndarray, hit_row: Sequence[float], boost: float) -> np.ndarray:
    """Label probabilities with each technique a rule suggests over the span multiplied by exp(boost)."""
    if not boost or not any(hit_row):
        return p
    q = p * np.exp(boost * np.asarray(hit_row, dtype=p.dtype))
    return q / q.sum()


def most_boosted(p: float, boost: float) -> float:
    """The most ``boosted`` can make a technique of probability ``p``: its own hit nudged, no other technique's."""
    if boost < 0:  # other techniques' hits would be pushed down, lifting this one: no bound below 1
        return 1.0
    lifted = p * math.exp(boost)
    return lifted / (lifted + 1.0 - p)


class Combiner:
    def __init__(self, config: dict):
        if tuple(config["features"]) != FEATURES:
            from ..errors import ModelError

            raise ModelError("K06", "the technique-rules combiner was trained with other features than this code reads",
                             "retrain it with training/shipped/train_rule_combiner.py")
        self.weights = np.asarray(config["weights"], dtype=np.float64)
        self.bias = float(config["bias"])
        self.mean = np.asarray(config["mean"], dtype=np.float64)
        self.scale = np.asarray(config["scale"], dtype=np.float64)
        self.cuts: dict[str, float] = config["cuts"]  # "precise" (the default) and "recall"
        self.boost = float(config["boost"])
        self.id = f"model:{MODEL_NAME}@{config.get('version', '0')}"

    def upper_bound(self, rows: Sequence[Sequence[float]], optimistic: Sequence[str]) -> np.ndarray:
        """Keep probabilities of ``rows`` whose ``optimistic`` inputs hold their most favourable values: reader_none
        its lowest (0), rule_technique_p and found_cover their highest. A bound only when those inputs' weights have
        the expected signs (lower p(none), a likelier technique, more cover never hurt); otherwise 1 for every row
        (read them all)."""
        sign = {"reader_none": -1.0, "rule_technique_p": 1.0, "found_cover": 1.0}
        if any(self.weights[FEATURES.index(name)] * sign[name] < 0 for name in optimistic):
            return np.ones(len(rows))
        return self.keep_probability(rows)

    def keep_probability(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        if not len(rows):
            return np.zeros(0)
        x = (np.asarray(rows, dtype=np.float64) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(x @ self.weights + self.bias)))


def piece_probs(model: Any, win: dict, start: int, end: int) -> np.ndarray:
    idx = [i for i, (a, b) in enumerate(win["off"]) if a < end and b > start]
    return np.asarray(model.piece_probs(win))[idx]


def worth_reading(model: Any, cands: Sequence[Candidate], windows: Sequence[Optional[dict]],
                  found: Sequence[tuple[int, int]], cut: float, best_p: Sequence[Optional[float]]) -> list[bool]:
    """Per candidate: could the combiner keep it whatever the reader says? Its keep probability with the reader's
    inputs at their most favourable (p(no technique) 0; the rule's technique at ``best_p``, the most the reader's
    blend and the rule hits' nudge can give it; the spans found before the reader's check, which only lose spans
    after it) is an upper bound, so a candidate below ``cut`` even then is dropped unread: same output, fewer spans
    for the span reader. The bound is loose (p(no technique) 0 is rare): on PTC train, pruning at any higher
    pre-cut loses candidates the combiner keeps (0.3: 2% of them, for 4% fewer reads), so none is used."""
    rows, index = [], []
    for i, (c, win, p) in enumerate(zip(cands, windows, best_p)):
        if win is None or p is None:
            continue
        rows.append(features(c, piece_probs(model, win, c.start, c.end), 0.0, p, found))
        index.append(i)
    keep = [False] * len(cands)
    bound = model.combiner.upper_bound(rows, ("reader_none", "rule_technique_p", "found_cover")) if rows else []
    for i, p in zip(index, bound):
        keep[i] = p >= cut
    return keep


def decide(model: Any, cands: list, proposed: list, probs: list, p_none: Any, labelled: list, out: list,
           decoding: dict, collect: Optional[dict]) -> list:
    """Rule candidates (with their ``proposed`` windows and the model's ``probs`` / ``p_none`` / ``labelled`` reading)
    that ``model``'s combiner keeps, added to the spans found (one per extent; none repeating a found span
    with the same label)."""
    rows = []
    for c, (start, end, _, win), p, pn in zip(cands, proposed, probs, p_none):
        if win is None or p is None:
            continue
        rows.append(features(c, piece_probs(model, win, start, end), float(pn), float(p[model.labels.index(c.technique)]),
                              [(d.start, d.end) for d in out]))
    kept_idx = [i for i, (start, end, _, win) in enumerate(proposed) if win is not None and probs[i] is not None]
    if collect is not None:
        collect.setdefault("candidates", []).extend((cands[i], row) for i, row in zip(kept_idx, rows))
    if model.combiner is None or not rows:
        return out
    chosen: dict[tuple[int, int], Any] = {}
    for i, kp in zip(kept_idx, model.combiner.keep_probability(rows)):
        item = labelled[i]
        if kp < decoding["rule_cut"] or item is None:
            continue
        if any(d.label == item.label and min(d.end, item.end) - max(d.start, item.start) >= 0.5 * (item.end - item.start)
               for d in out):
            continue
        key = (item.start, item.end)
        if key not in chosen or chosen[key].si_score < kp:
            chosen[key] = replace(item, si_score=float(kp), rule=cands[i].rule)
    return sorted(out + list(chosen.values()), key=lambda d: (d.start, d.end))


@functools.lru_cache(maxsize=2)
def load(name: str = MODEL_NAME) -> Combiner:
    from ..errors import ModelError
    from ..artifacts import artifact

    folder = artifact(name)
    try:
        return Combiner(json.loads((folder / "combiner.json").read_text()))
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError("K07", f"technique-rules combiner {name!r} cannot be loaded: {exc}",
                         "reinstall presslens, or set [techniques] rules = \"\" to run without the rules") from exc
