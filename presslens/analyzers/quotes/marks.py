"""Spans in quotation marks: every style of opening mark followed to its closing mark, across paragraphs
that reopen with the same mark; caption/credit/boilerplate blocks where no speech is.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Optional

from ...document import Document
from ..shared import FURNITURE_KINDS


# opener -> the characters that close it
# (mixed styles happen: '"Nothing we could do,” she said' opens straight and closes curly)
DOUBLE_CLOSERS = {"“": "”\"", "„": "“”", "«": "»", '"': '"”'}
SINGLE_CLOSERS = {"‘": "’"}
# The only characters at which find_marked can open a quote (it steps over every other one).
OPENING_MARK = re.compile("[" + re.escape("".join(DOUBLE_CLOSERS) + "‘") + "]")
NON_SPEECH_BLOCKS = frozenset(FURNITURE_KINDS)  # captions, credits, boilerplate: never speech


# ----------------------------------------------------------------------------------------------- marked spans
@dataclass
class Marked:
    """A stretch of text in quotation marks: start/end include the marks; closed=False when the closing mark is missing."""

    start: int
    end: int
    content_start: int
    content_end: int
    closed: bool
    paragraphs: int = 1


def straight_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–―-/") and not after.isspace()


def next_paragraph_start(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def scan_one(text: str, i: int, closers: str, blocked: "Blocked") -> Marked:
    """Follow an opening mark at i to its closing mark, across paragraphs that reopen with the same mark."""
    opener = text[i]
    j, paragraphs = i + 1, 1
    fallback = None  # a ’ after sentence punctuation: a mistyped closing mark, used if no real one comes
    while j < len(text):
        ch = text[j]
        if ch == "’" and opener != '"' and text[j - 1] in ".,!?" and (j + 1 == len(text) or text[j + 1].isspace()):
            fallback = fallback or j
        if ch in closers and (ch != '"' or not straight_opens(text, j) or j + 1 == len(text)):
            return Marked(i, j + 1, i + 1, j, True, paragraphs)
        if ch == "\n":
            k = next_paragraph_start(text, j)
            if k < len(text) and text[k] == opener and not blocked.at(k):
                j, paragraphs = k + 1, paragraphs + 1  # English convention: the quote continues
                continue
            break
        if ch == opener and opener != '"' and ch not in closers:
            break  # a fresh opening mark: the earlier quote was never closed
        j += 1
    if fallback is not None and paragraphs == 1:
        return Marked(i, fallback + 1, i + 1, fallback, True, paragraphs)
    end = j
    while end > i + 1 and text[end - 1].isspace():
        end -= 1
    return Marked(i, end, i + 1, end, False, paragraphs)


def find_marked(text: str, blocked: "Blocked") -> list[Marked]:
    out: list[Marked] = []
    i = 0
    while i < len(text):
        found = OPENING_MARK.search(text, i)  # skip straight to the next character that may open a quote
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if ch in DOUBLE_CLOSERS and (ch != '"' or straight_opens(text, i)):
            marked = scan_one(text, i, DOUBLE_CLOSERS[ch], blocked)
            if marked.content_end > marked.content_start:
                out.append(marked)
            i = max(marked.end, i + 1)
            continue
        if ch == "‘" and (i == 0 or text[i - 1].isspace() or text[i - 1] in "([—–―-"):
            marked = scan_single(text, i)
            if marked is not None:
                out.append(marked)
                i = marked.end
                continue
        i += 1
    return out


def scan_single(text: str, i: int) -> Optional[Marked]:
    """Top-level single marks: ‘…’ closed by a ’ that is not an apostrophe (not followed by a letter)."""
    j = i + 1
    while j < len(text) and text[j] != "\n":
        if text[j] == "’" and (j + 1 == len(text) or not text[j + 1].isalpha()) and text[j - 1] != "s":
            return Marked(i, j + 1, i + 1, j, True) if j > i + 1 else None
        j += 1
    return None


class Blocked:
    """Character ranges of caption/credit/boilerplate blocks."""

    def __init__(self, article: Document):
        self.ranges = sorted((b.start, b.end) for b in article.get("blocks") if b.kind in NON_SPEECH_BLOCKS)
        self.starts = [r[0] for r in self.ranges]

    def at(self, pos: int) -> bool:
        k = bisect.bisect_right(self.starts, pos) - 1
        return k >= 0 and self.ranges[k][0] <= pos < self.ranges[k][1]
