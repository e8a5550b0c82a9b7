"""Span geometry of the techniques analyzer: from per-piece probabilities to character spans (runs with hysteresis,
close runs joined, widened to whole words, cut at line breaks) and the window a span is read in.

Pure functions of offsets and text, no model: presslens/analyzers/techniques.py decodes the encoder's readings
with them.
"""
from __future__ import annotations

import re
from typing import Any, Optional, Sequence


def window_of(wins: list[dict], start: int) -> Optional[dict]:
    """The window holding ``start`` (a span starting in whitespace between windows: the next one)."""
    win = next((w for w in wins if w["off"][0][0] <= start < w["off"][-1][1]), None)
    if win is None:
        win = next((w for w in wins if w["off"][0][0] >= start), wins[-1] if wins else None)
    return win


def decode(off: Sequence[tuple[int, int]], probs: Any, threshold: float,
           extend: Optional[float] = None) -> list[tuple[int, int, float]]:
    """Runs of pieces with probability >= ``extend`` holding one piece >= ``threshold`` (``extend`` defaults to
    ``threshold``: plain runs) -> (char start, char end, mean probability)."""
    low = threshold if extend is None else min(extend, threshold)
    spans: list[tuple[int, int, float]] = []
    run: list[int] = []

    def close() -> None:
        if run and max(probs[j] for j in run) >= threshold:
            spans.append((off[run[0]][0], off[run[-1]][1], float(sum(probs[j] for j in run) / len(run))))

    for i, p in enumerate(probs):
        if p >= low:
            run.append(i)
            continue
        close()
        run = []
    close()
    return spans


def join_close(spans: list[tuple[int, int, float]], gap: int) -> list[tuple[int, int, float]]:
    """Join consecutive spans at most ``gap`` characters apart (score: length-weighted mean)."""
    out: list[tuple[int, int, float]] = []
    for s, e, p in spans:
        if out and s - out[-1][1] <= gap:
            s0, e0, p0 = out[-1]
            out[-1] = (s0, e, (p0 * (e0 - s0) + p * (e - s)) / (e - s0 - (s - e0)))
        else:
            out.append((s, e, p))
    return out


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words: a run of word pieces can stop inside a word ("depr" of "deprived")."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def line_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at line breaks, each part trimmed of whitespace; empty parts dropped."""
    out = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        s, e = trim(text, start + m.start(), start + m.end())
        if e > s:
            out.append((s, e))
    return out


def line_segments(text: str) -> list[tuple[int, int]]:
    """Non-empty lines (the PTC layout: one sentence per line)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
