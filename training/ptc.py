"""PTC (SemEval-2020 Task 11) data helpers shared by the techniques training scripts: reading articles and
labels, the analyzer's own window packing, training items, and the official SI measure.

Never imported by the package.
"""
from __future__ import annotations

import math
import re

from presslens.evaluate import techniques as ev
from presslens.runtime.encoder import pack_windows

from .common import SHARED_DATA

DATA = SHARED_DATA / "persuasion" / "ptc-semeval2020"
N_FEATS = 4  # surface features per TC span (span_features)

# The PTC label -> SemEval-2023 Task 3 technique name (None where the 2023 scheme has no single match).
SEMEVAL2023 = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_fear-prejudice": "Appeal_to_Fear-Prejudice",
    "Bandwagon,Reductio_ad_hitlerum": None,
    "Black-and-White_Fallacy": "False_Dilemma-No_Choice",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "Doubt": "Doubt",
    "Exaggeration,Minimisation": "Exaggeration-Minimisation",
    "Flag-Waving": "Flag_Waving",
    "Loaded_Language": "Loaded_Language",
    "Name_Calling,Labeling": "Name_Calling-Labeling",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Thought-terminating_Cliches": "Conversation_Killer",
    "Whataboutism,Straw_Men,Red_Herring": None,
}



def read_ids(name: str) -> list[str]:
    return [x.strip() for x in (DATA / "splits" / name).read_text().split() if x.strip()]


def read_article(aid: str) -> str:
    with open(DATA / "train-articles" / f"article{aid}.txt", encoding="utf-8", newline="") as fh:
        return fh.read()


def read_tc(aid: str) -> list[tuple[str, int, int]]:
    path = DATA / "train-labels-task-flc-tc" / f"article{aid}.task-flc-tc.labels"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.strip().split("\t")
        if len(parts) == 4:
            rows.append((parts[1], int(parts[2]), int(parts[3])))
    return rows


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The package's own span merge, so training scores exactly what `presslens evaluate` reports."""
    return ev.merge(spans)


def si_prf(pred: dict[str, list], gold: dict[str, list]) -> dict[str, float]:
    """Official SI measure (Da San Martino et al. 2019), over the articles in ``gold``."""
    rows = lambda d: [(a, s, e) for a, spans in d.items() for s, e in spans]  # noqa: E731
    scores = ev.si_scores(rows(pred), rows(gold), set(gold))
    return {k: scores[k] for k in ("precision", "recall", "f1")}


def best_si(probs, thresholds=(0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)) -> dict[str, float]:
    """Val SI precision/recall/F1 at the best of ``thresholds``; ``probs`` lists (window item, piece probs)."""
    gold = {aid: [(s, e) for _, s, e in read_tc(aid)] for aid in {x["aid"] for x, _ in probs}}
    best = {"f1": -1.0}
    for th in thresholds:
        pred = {aid: [] for aid in gold}
        for x, p in probs:
            pred[x["aid"]] += decode(x["off"], p, th)
        m = si_prf(pred, gold)
        if m["f1"] > best["f1"]:
            best = {**m, "threshold": th}
    return best


def decode(off: list[tuple[int, int]], probs: list[float], th: float) -> list[tuple[int, int]]:
    """Runs of tokens with probability >= th -> char spans (start of first piece, end of last)."""
    spans = []
    start = end = None
    for (a, b), p in zip(off, probs):
        if p >= th:
            if start is None:
                start = a
            end = b
        elif start is not None:
            spans.append((start, end))
            start = None
    if start is not None:
        spans.append((start, end))
    return spans


def segments(text: str) -> list[tuple[int, int]]:
    """Non-empty lines (PTC: one sentence per line) as (start, end)."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            out.append((m.start(), m.end()))
    return out


def windows(text: str, segs: list[tuple[int, int]], tok, max_len: int) -> list[dict]:
    """The analyzer's own window packing, so training sees exactly what inference sees."""
    return pack_windows(text, segs, tok, max_len)


def span_features(text: str, lower: str, s: int, e: int) -> list[float]:
    frag = lower[s:e].strip()
    count = lower.count(frag) if len(frag) >= 3 else 1
    return [math.log1p(max(count - 1, 0)), math.log1p(e - s) / 5.0, float("?" in text[s:e]), float("!" in text[s:e])]


def token_range(off: list[tuple[int, int]], s: int, e: int) -> tuple[int, int] | None:
    idx = [i for i, (a, b) in enumerate(off) if a < e and b > s]
    return (idx[0], idx[-1] + 1) if idx else None


def build(ids: list[str], tok, max_len: int, labels: list[str]):
    """Windows with per-token SI targets and the TC examples whose span starts inside the window."""
    lab_index = {l: i for i, l in enumerate(labels)}
    items = []
    for aid in ids:
        text = read_article(aid)
        lower = text.lower()
        tc = read_tc(aid)
        gold = merge([(s, e) for _, s, e in tc])
        for w in windows(text, segments(text), tok, max_len):
            off = w["off"]
            si = [1.0 if any(a < ge and b > gs for gs, ge in gold) else 0.0 for a, b in off]
            spans = []
            lo, hi = off[0][0], off[-1][1]
            for lab, s, e in tc:
                if lo <= s < hi:
                    r = token_range(off, s, e)
                    if r:
                        spans.append((r[0], r[1], lab_index[lab], span_features(text, lower, s, e)))
            items.append({"aid": aid, "ids": w["ids"], "off": off, "si": si, "spans": spans})
    return items
