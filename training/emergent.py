"""Emergent reader for the stance reader's training script (never imported by the package).

Emergent rows are (claim, article headline) with for/against/observing, read here as agree/disagree/discuss pairs
whose text is the headline. FNC-1 is read by presslens/evaluate/stance_pairs.py.
"""
from __future__ import annotations

import csv
from pathlib import Path

from .common import SHARED_DATA

EMERGENT = SHARED_DATA / "stance" / "emergent" / "url-versions-2015-06-14-clean-train.csv"
EMERGENT_LABELS = {"for": "agree", "against": "disagree", "observing": "discuss"}


def emergent_pairs(path: Path = EMERGENT) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [{"claim": r["claimHeadline"], "text": r["articleHeadline"],
             "label": EMERGENT_LABELS[r["articleHeadlineStance"]]} for r in rows]
