"""``presslens evaluate matching``: does a headline find the claim it reports? (Emergent, Ferreira & Vlachos 2016)

Every Emergent headline is embedded like a corpus item and every claim like a claim family's first item; the
claims are ranked by cosine of their int8 vectors (as the store keeps them). recall@k = share of headlines whose
own claim is among the k best. The same pairs give the family threshold: the cosine that best separates a
headline's own claim from the best-scoring other claim (accuracy over both kinds of pair).
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from .db import to_int8

EMERGENT = Path("stance") / "emergent" / "url-versions-2015-06-14-clean-train.csv"


def read_emergent(data: Path) -> tuple[list[str], list[str], list[int], list[str]]:
    path = data / EMERGENT
    if not path.exists():
        raise InputError("N40", f"no Emergent file at {path}", "pass --data pointing at ../shared/data")
    claims: dict[str, int] = {}
    claim_texts, headlines, gold, stances = [], [], [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            cid = row["claimId"]
            if cid not in claims:
                claims[cid] = len(claim_texts)
                claim_texts.append(row["claimHeadline"])
            headlines.append(row["articleHeadline"])
            gold.append(claims[cid])
            stances.append(row["articleHeadlineStance"])
    return claim_texts, headlines, gold, stances


def evaluate(data: Path, ks: tuple[int, ...] = (1, 5)) -> dict[str, Any]:
    from .embedder import load

    claims, headlines, gold, stances = read_emergent(data)
    encoder = load()
    cq = to_int8(encoder.encode(claims)).astype(np.float32) / 127.0
    hq = to_int8(encoder.encode(headlines)).astype(np.float32) / 127.0
    sims = hq @ cq.T
    gold_arr = np.array(gold)
    rank = (sims > sims[np.arange(len(gold)), gold_arr][:, None]).sum(1)  # claims scoring above the right one
    out: dict[str, Any] = {"headlines": len(headlines), "claims": len(claims)}
    for k in ks:
        out[f"recall@{k}"] = round(float((rank < k).mean()), 4)
    for stance in sorted(set(stances)):
        mask = np.array([s == stance for s in stances])
        out[f"recall@1 {stance}"] = round(float((rank[mask] < 1).mean()), 4)
    own = sims[np.arange(len(gold)), gold_arr]
    other = sims.copy()
    other[np.arange(len(gold)), gold_arr] = -2
    best_other = other.max(1)
    cuts = np.round(np.arange(0.30, 0.951, 0.01), 2)
    acc = [((own >= c).mean() + (best_other < c).mean()) / 2 for c in cuts]
    best = int(np.argmax(acc))
    # the highest cut within 0.01 of the best accuracy: a false merge of two claims costs more than a missed one
    high = max(i for i, a in enumerate(acc) if a >= acc[best] - 0.01)
    out["best_accuracy_cut"] = float(cuts[best])
    out["best_accuracy"] = round(float(acc[best]), 4)
    out["family_threshold"] = float(cuts[high])
    out["family_threshold_accuracy"] = round(float(acc[high]), 4)
    out["family_threshold_own_kept"] = round(float((own >= cuts[high]).mean()), 4)
    out["family_threshold_other_kept_apart"] = round(float((best_other < cuts[high]).mean()), 4)
    out["own_claim_cosine_median"] = round(float(np.median(own)), 3)
    out["best_other_cosine_median"] = round(float(np.median(best_other)), 3)
    return out
