"""Labelled check-worthiness sets of ../shared/data/claims, read into one shape, and the metrics of their tasks.

Each sentence becomes a ``Labelled`` (id, text, gold label, group = the debate/speech it comes from, for MAP).
Sets, by name: ``ct24`` (CheckThat! 2024 Task 1, debates, metric F1 of "Yes"), ``ct22`` (CheckThat! 2022 1A,
tweets, F1), ``ct21`` (CheckThat! 2021 1B, whole debates and speeches in order, MAP over files), ``ct21t``
(CheckThat! 2021 1A tweets). The evaluation split of each is the one its README calls dev-test (CT21 1B: dev).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import InputError

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CLAIMS = SHARED / "data" / "claims"


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    label: bool
    group: str = ""


def _rows(path: Path, header: bool) -> list[list[str]]:
    if not path.exists():
        raise InputError("L24", f"the claims data file {path} is not here",
                         "put the CheckThat! data under ../shared/data/claims (see its README files)")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if any(c.strip() for c in r)]
    return rows[1:] if header else rows


def ct24(split: str, root: Path = CLAIMS) -> list[Labelled]:
    """split: train | dev | dev-test."""
    path = root / "checkthat2024_en" / f"CT24_checkworthy_english_{split}.tsv"
    return [Labelled(r[0].strip(), r[1].strip(), r[2].strip() == "Yes", "ct24")
            for r in _rows(path, header=True) if len(r) >= 3]


def ct22(split: str, root: Path = CLAIMS) -> list[Labelled]:
    """split: train | dev | dev_test."""
    path = root / "checkthat2022_1a_en" / f"CT22_english_1A_checkworthy_{split}.tsv"
    return [Labelled(r[1].strip(), r[3].strip(), r[4].strip() == "1", "ct22") for r in _rows(path, header=True)]


def ct21_tweets(split: str, root: Path = CLAIMS) -> list[Labelled]:
    """split: train | dev (CT21 1A; its test gold overlaps CT22 and is not used)."""
    path = root / "checkthat2021_1a_en" / f"dataset_{split}_v1_english.tsv"
    return [Labelled(r[1].strip(), r[3].strip(), r[5].strip() == "1", "ct21t") for r in _rows(path, header=True)]


def ct21(split: str, root: Path = CLAIMS) -> list[Labelled]:
    """split: train | dev. Sentences in document order, one group per debate or speech."""
    folder = root / "checkthat2021_1b_en" / split
    files = sorted(folder.glob("*.tsv")) if folder.is_dir() else []
    if not files:
        raise InputError("L24", f"no CheckThat! 2021 1B files under {folder}",
                         "put the CheckThat! data under ../shared/data/claims (see its README files)")
    return [Labelled(f"{f.stem}:{r[0].strip()}", r[2].strip(), r[3].strip() == "1", f.stem)
            for f in files for r in _rows(f, header=False) if len(r) >= 4]


# name -> (reader, evaluation split, metric)
SETS = {"ct24": (ct24, "dev-test", "f1"), "ct22": (ct22, "dev_test", "f1"), "ct21": (ct21, "dev", "map")}


def average_precision(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """Average precision of ranking by score (ties broken by input order, as a stable sort does)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, i in enumerate(order, 1):
        if labels[i]:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def mean_average_precision(items: Sequence[Labelled], scores: Sequence[float]) -> float:
    """MAP over groups (the CheckThat! 2021 1B measure: one ranking per debate or speech)."""
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault(item.group, []).append(i)
    aps = [average_precision([items[i].label for i in idx], [scores[i] for i in idx]) for idx in groups.values()]
    return sum(aps) / len(aps) if aps else 0.0
