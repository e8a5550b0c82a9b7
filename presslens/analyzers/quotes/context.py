"""The per-document view the quote rules read: parse, text, blocks, and the entity mentions by position.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ...document import Document
from ..shared import never_a_person
from .marks import Blocked


@dataclass(frozen=True)
class Config:
    # A quoted phrase of at most this many words, title-cased, in a title position is a title ("The Late Show").
    max_title_words: int = 7
    # A quoted phrase of at most this many words inside the author's own sentence with no speech cue is a scare quote.
    max_scare_words: int = 5
    # How many tokens after a closing mark a ", X said" attribution may reach (long subjects: "the senator, a ...").
    after_cue_tokens: int = 12
    # How many tokens before an opening comma/colon a reporting verb may sit ("X once told him, “…").
    before_cue_tokens: int = 10
    # Confidence multiplier for a quote whose closing mark is missing.
    unclosed_factor: float = 0.6
    # Extract reported (indirect) speech from the parse.
    reported: bool = True
    # Reported content shorter than this many tokens is dropped (e.g. "he said so").
    min_reported_tokens: int = 3
PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "they": "n", "it": "n", "we": "n", "i": "n"}
PERSON_TYPES = {"PERSON", "PER"}
WORD = re.compile(r"\w+")


# ----------------------------------------------------------------------------------------------- context
@dataclass
class Context:
    doc: Any
    article: Document
    config: Config
    blocked: Blocked
    token_starts: list[int] = field(default_factory=list)
    mentions: list[tuple[int, int, Optional[str], str, str]] = field(default_factory=list)  # start, end, id, name, type
    mention_starts: list[int] = field(default_factory=list)
    quoted: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of every span in quotation marks

    @property
    def text(self) -> str:
        return self.article.text

    def token_at(self, char: int) -> Any:
        k = max(0, bisect.bisect_right(self.token_starts, char) - 1)
        return self.doc[k]

    def paragraph(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, len(self.text) if end < 0 else end


def build_context(doc: Any, article: Document, config: Config) -> Context:
    ctx = Context(doc, article, config, Blocked(article))
    ctx.token_starts = [t.idx for t in doc]
    mentions = []
    for entity in article.get("entities"):
        etype = person_type(entity.name, entity.type)
        for m in entity.mentions:
            mentions.append((m.start, m.end, entity.id, entity.name, etype))
    if not mentions:  # no entities layer content: fall back to spaCy's named entities, without ids
        mentions = [(e.start_char, e.end_char, None, e.text, person_type(e.text, e.label_)) for e in doc.ents]
    ctx.mentions = sorted(mentions)
    ctx.mention_starts = [m[0] for m in ctx.mentions]
    return ctx


def person_type(name: str, etype: str) -> str:
    """The type the quote rules read: a "person" that is a place or an acronym ("Kyiv", "SAG") is no one's
    pronoun and no interview's speaker; it is read as the organisation or place it names."""
    if etype in PERSON_TYPES and never_a_person(name):
        return "ORG"
    return etype


def mention_over(ctx: Context, start: int, end: int) -> Optional[tuple]:
    """The entity mention overlapping [start, end) best (longest overlap)."""
    best, best_len = None, 0
    k = bisect.bisect_left(ctx.mention_starts, end)
    for m in ctx.mentions[max(0, k - 40):k]:
        overlap = min(end, m[1]) - max(start, m[0])
        if overlap > best_len:
            best, best_len = m, overlap
    return best


def entity_gender(ctx: Context, entity_id: Optional[str]) -> Optional[str]:
    """m/f when a pronoun inside this entity's mentions says so (cheap, and only when coref put it there)."""
    entity = ctx.article.entity(entity_id) if entity_id else None
    if entity is None:
        return None
    for m in entity.mentions:
        g = PRONOUNS.get(m.text.lower())
        if g in ("m", "f"):
            return g
    return None


def nearest_person_before(ctx: Context, pos: int, gender: Optional[str] = None) -> Optional[tuple]:
    """Nearest preceding PERSON mention, preferring one that is a sentence subject, within ~3 sentences."""
    k = bisect.bisect_left(ctx.mention_starts, pos)
    candidates = [m for m in ctx.mentions[max(0, k - 60):k]
                  if m[4] in PERSON_TYPES and m[1] <= pos and m[3].lower() not in PRONOUNS]
    sent_start = ctx.token_at(pos).sent.start
    window_start = ctx.doc[max(0, sent_start - 1)].sent.start
    window_start = ctx.doc[max(0, window_start - 1)].sent.start
    window_start_char = ctx.doc[window_start].idx
    scored = []
    for m in candidates:
        if gender and entity_gender(ctx, m[2]) not in (None, gender):
            continue
        tok = ctx.token_at(m[0])
        head = tok
        while head.dep_ == "compound" or head.dep_ == "flat":
            head = head.head
        subject = head.dep_ in ("nsubj", "nsubjpass")
        scored.append((m[0] >= window_start_char and subject, m[0], m))
    if not scored:
        return None
    return max(scored)[2]


def inside_quote(ctx: Context, pos: int) -> bool:
    """Is ``pos`` inside quotation marks (marks included)?"""
    k = bisect.bisect_right(ctx.quoted, (pos, float("inf"))) - 1
    return k >= 0 and ctx.quoted[k][0] <= pos < ctx.quoted[k][1]
