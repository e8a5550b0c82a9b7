"""Evaluate the stance reader on the FNC-1 hold-out split (`presslens evaluate stance --set pairs`).

Data: ../shared/data/stance/fnc-1 (training part of FNC-1; the hold-out bodies are listed in
splits/hold_out_ids.txt). Metrics: the official FNC-1 score (0.25 for each pair rightly called related or
unrelated, 0.75 more for the right agree/disagree/discuss on a related pair, as a share of the best possible),
per-class F1 and macro-F1 over the four labels.
"""
from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any, Optional

from ..errors import InputError

FNC = Path(__file__).resolve().parents[3] / "shared" / "data" / "stance" / "fnc-1"
LABELS = ("agree", "disagree", "discuss", "unrelated")


def read_ids(path: Path) -> set[str]:
    return {line.strip() for line in path.read_text().splitlines() if line.strip()}


def read_fnc(folder: Optional[Path] = None) -> dict[str, Any]:
    """{"bodies": {body id: text}, "pairs": [{"claim", "body", "label", "split"}]} with split train | hold_out."""
    folder = Path(folder or FNC)
    needed = [folder / "train_bodies.csv", folder / "train_stances.csv", folder / "splits" / "hold_out_ids.txt"]
    for path in needed:
        if not path.exists():
            raise InputError("P10", f"FNC-1 data file {path} is missing",
                             "pass --data FOLDER holding train_bodies.csv, train_stances.csv and splits/hold_out_ids.txt")
    with open(needed[0], encoding="utf-8", newline="") as fh:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}
    hold = read_ids(needed[2])
    with open(needed[1], encoding="utf-8", newline="") as fh:
        pairs = [{"claim": r["Headline"], "body": r["Body ID"], "label": r["Stance"],
                  "split": "hold_out" if r["Body ID"] in hold else "train"} for r in csv.DictReader(fh)]
    return {"bodies": bodies, "pairs": pairs}


def fnc_score(gold: list[str], pred: list[str]) -> float:
    """The official FNC-1 score, as a percentage of the best possible."""
    def points(g: str, p: str) -> float:
        s = 0.25 if (g == "unrelated") == (p == "unrelated") else 0.0
        return s + (0.75 if g != "unrelated" and g == p else 0.0)

    best = sum(points(g, g) for g in gold)
    return 100.0 * sum(points(g, p) for g, p in zip(gold, pred)) / best if best else 0.0


def per_class_f1(gold: list[str], pred: list[str]) -> dict[str, float]:
    out = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, pred) if g == p == label)
        fp = sum(1 for g, p in zip(gold, pred) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, pred) if g == label and p != label)
        out[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


def macro_f1(gold: list[str], pred: list[str]) -> float:
    return sum(per_class_f1(gold, pred).values()) / len(LABELS)


def evaluate(data: Optional[Path] = None, limit: Optional[int] = None) -> dict[str, Any]:
    from ..runtime.stance_reader import load_stance_reader

    fnc = read_fnc(data)
    hold = [p for p in fnc["pairs"] if p["split"] == "hold_out"][:limit]
    reader = load_stance_reader()
    start = time.perf_counter()
    pred = [label for label, _ in reader.predict_many([(p["claim"], fnc["bodies"][p["body"]]) for p in hold])]
    seconds = time.perf_counter() - start
    gold = [p["label"] for p in hold]
    confusion = {g: {p: sum(1 for a, b in zip(gold, pred) if a == g and b == p) for p in LABELS} for g in LABELS}
    return {"model": reader.id, "pairs": len(hold), "bodies": len({p["body"] for p in hold}),
            "fnc_score": round(fnc_score(gold, pred), 2), "macro_f1": round(macro_f1(gold, pred), 4),
            "f1": {k: round(v, 4) for k, v in per_class_f1(gold, pred).items()}, "confusion": confusion,
            "pairs_per_second": round(len(hold) / seconds, 1) if seconds else None}
