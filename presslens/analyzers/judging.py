"""Helpers shared by the document-level judgement analyzers (genre, frames, stance). Not an analyzer.

- ``load_words``: a lexicon file under presslens/lexicons/ as a list of lower-cased entries
  (one a line, ``#`` comments). Multi-word entries are phrases; a trailing ``*`` is a prefix.
- ``body_sentences``: the spaCy sentences cut to body blocks (title and paragraphs), so captions,
  credits and page furniture never count as the article's voice.
- ``quote_ranges``: character ranges that hold other people's words: the content spans of the
  ``quotes`` layer (except those the writer attributes to "I"/"we": that is the writer's own voice) plus any text between paired quotation marks (a safety net for quotes the
  quotes analyzer missed; the same typographic rule a reader uses).
- ``PhraseMatcher``-like ``LexiconMatcher``: finds lexicon entries in a Doc by lower-case form or
  lemma, so "cuts" matches "cut" and "economic*" matches "economics"; "right/ADJ" matches only the
  adjective (not "rights").
"""
from __future__ import annotations

import bisect
import functools
import re
from pathlib import Path
from typing import Any, Iterable, Optional

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"

# Block kinds that carry the article's own text (captions/credits/boilerplate are page furniture).
BODY_KINDS = frozenset({"title", "paragraph"})

# Paired quotation marks: straight double quotes and typographic double quotes. Single quotes are
# left out: they are apostrophes far more often than quote marks in English news.
QUOTED = re.compile(r"\"[^\"\n]{2,}?\"|“[^”\n]{2,}?”|«[^»\n]{2,}?»")


# A quote whose speaker is one of these is the writer speaking ("I suspect …", "we were told …").
AUTHOR_PRONOUNS = frozenset({"i", "me", "we", "us"})


@functools.lru_cache(maxsize=None)
def load_words(relpath: str) -> tuple[str, ...]:
    """Entries of lexicons/<relpath>, lower-cased, comments and blank lines dropped, order kept."""
    entries = []
    for line in (LEXICONS / relpath).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            entries.append(line)
    return tuple(dict.fromkeys(entries))


def body_ranges(article: Any) -> list[tuple[int, int]]:
    """(start, end) of body blocks; the whole text when the blocks layer is empty or absent."""
    blocks = [b for b in article.get("blocks") if b.kind in BODY_KINDS]
    if not article.get("blocks"):
        return [(0, len(article.text))]
    return sorted((b.start, b.end) for b in blocks)


def in_ranges(pos: int, ranges: list[tuple[int, int]]) -> bool:
    """Is character offset ``pos`` inside one of the sorted, disjoint ``ranges``?"""
    i = bisect.bisect_right(ranges, (pos, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= pos < ranges[i][1]


def body_sentences(doc: Any, article: Any) -> list[Any]:
    """spaCy sentences cut to the body blocks: a sentence never runs from a title into a paragraph, and
    captions/credits between paragraphs are left out."""
    out = []
    for start, end in body_ranges(article):
        first = doc.char_span(start, end, alignment_mode="expand")
        if first is None:
            continue
        seen = set()
        for token in first:
            sent = token.sent
            if sent.start in seen:
                continue
            seen.add(sent.start)
            span = doc.char_span(max(sent.start_char, start), min(sent.end_char, end), alignment_mode="contract")
            if span is not None and len(span) and span.text.strip():
                out.append(span)
    return out


def quote_ranges(article: Any) -> list[tuple[int, int]]:
    """Character ranges of quoted words (quotes layer content + paired quotation marks), sorted and merged."""
    ranges = []
    for quote in article.get("quotes"):
        speaker = getattr(quote, "speaker", None)
        if speaker is not None and (speaker.text or "").lower() in AUTHOR_PRONOUNS:
            continue  # "I think X is right": the writer reporting their own view is the writer's voice
        content = getattr(quote, "content", None)
        if content is not None and content.start is not None:
            ranges.append((content.start, content.end))
    for m in QUOTED.finditer(article.text):
        ranges.append((m.start(), m.end()))
    return merge(ranges)


def merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def quoted_tokens(doc: Any, ranges: list[tuple[int, int]]) -> list[bool]:
    """One flag per token: does it sit inside a quoted range?"""
    flags = [False] * len(doc)
    for start, end in ranges:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                flags[i] = True
    return flags


class LexiconMatcher:
    """Finds lexicon entries (words, phrases, ``prefix*``) in a spaCy Doc by lower form or lemma."""

    def __init__(self, entries: Iterable[str]):
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        self.wild_first: list[tuple[str, ...]] = []
        for entry in entries:
            words = tuple(entry.split())
            if words[0].endswith("*"):
                self.wild_first.append(words)
            else:
                self.by_first.setdefault(words[0], []).append(words)

    @staticmethod
    def _fits(word: str, token: Any) -> bool:
        if "/" in word:  # "right/ADJ": only with that part of speech
            word, pos = word.rsplit("/", 1)
            if token.pos_ != pos.upper():
                return False
        lower, lemma = token.lower_, token.lemma_.lower()
        if word.endswith("*"):
            return lower.startswith(word[:-1]) or lemma.startswith(word[:-1])
        return word == lower or word == lemma

    def _at(self, doc: Any, i: int, words: tuple[str, ...], stop: int) -> Optional[int]:
        j = i
        for word in words:
            if j >= stop or not self._fits(word, doc[j]):
                return None
            j += 1
        return j

    def find(self, doc: Any, start: int = 0, end: Optional[int] = None) -> list[tuple[int, int, str]]:
        """(token start, token end, entry) for each match in doc[start:end], longest match per start."""
        stop = len(doc) if end is None else end
        hits = []
        for i in range(start, stop):
            token = doc[i]
            keys = {token.lower_, token.lemma_.lower()}
            keys |= {f"{k}/{token.pos_.lower()}" for k in keys}
            candidates = [w for k in keys for w in self.by_first.get(k, ())] + self.wild_first
            best = None
            for words in candidates:
                j = self._at(doc, i, words, stop)
                if j is not None and (best is None or j > best[1]):
                    best = (i, j, " ".join(words))
            if best is not None:
                hits.append(best)
        return hits
