"""The working records of clustering: a candidate mention and a cluster of mentions.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Optional

from ...document import Role
from .names import NAME_SUFFIXES, name_parts, role_head


ENT_TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")


@dataclass(frozen=True)
class Config:
    # spaCy entity labels kept as entities (dates, numbers, money belong to other layers).
    types: tuple[str, ...] = ENT_TYPES
    # Sound/spelling similarity (0..1) a one-word name needs to join a person as a garbled variant.
    # Similarity alone cannot tell a garble from another real name (both score 0.8-0.9), so context is
    # required too: not in one sentence with the target, near it, and not recognised by NER as a person.
    variant_min_similarity: float = 0.75
    # A name NER itself tagged as a person joins another only when spelled almost the same (a typo).
    variant_ner_min_similarity: float = 0.93
    # The best variant target must beat the runner-up by this much (else it is ambiguous: no join).
    variant_margin: float = 0.08
    # The variant must occur within this many blocks (paragraphs/captions) of a mention of its target.
    variant_window_blocks: int = 3
    # Two first names of the same surname this similar (Jaro-Winkler) are spellings of one name.
    first_name_min_similarity: float = 0.9
    # Longest pre-modifying role, in tokens ("former U.S. Secretary of State").
    role_max_tokens: int = 8


# ------------------------------------------------------------------------------------------- records
@dataclass(eq=False)  # identity: two mentions with equal fields are still two
class Cand:
    start: int
    end: int
    text: str
    type: str
    conf: float = 0.85
    by: str = "entities.ner"
    why: str = "spaCy NER tagged it"
    roles: list[Role] = field(default_factory=list)
    cue: Optional[str] = None  # a person cue (speech verb subject, possessor, caption head…)
    block: int = -1

    @property
    def parts(self) -> list[str]:
        return [p for p in self.text.split() if p.lower().strip(".") not in NAME_SUFFIXES]

    @property
    def role_heads(self) -> set[str]:
        return {h for r in self.roles for h in [role_head(r.text)] if h}

    @property
    def title_heads(self) -> set[str]:
        """Head of the title standing before the name ("then-US President Clinton"): a title+surname reference."""
        return {h for r in self.roles if r.evidence and r.evidence.by == "entities.role_premod"
                for h in [role_head(r.text)] if h}


@dataclass(eq=False)
class Cluster:
    type: str
    mentions: list[Cand] = field(default_factory=list)
    conf: float = 0.9
    notes: list[tuple[str, str]] = field(default_factory=list)  # (rule id, why) of each merge
    tentative: bool = False  # non-person mentions tried as garbled person names

    _name: tuple[int, str] = (-1, "")  # (mention count, name) cache

    @property
    def name(self) -> str:
        if self._name[0] == len(self.mentions):
            return self._name[1]
        pool = [m for m in self.mentions if m.by != "entities.variant_join"] or self.mentions  # garbles never name
        texts = [m.text for m in pool if m.type == self.type] or [m.text for m in pool]
        best = max(enumerate(texts), key=lambda it: (len(it[1].split()), len(it[1]), -it[0]))[1]
        self._name = (len(self.mentions), best)
        return best

    @property
    def full(self) -> bool:
        return len(name_parts(self.name)) >= 2

    @property
    def surname(self) -> str:
        return name_parts(self.name)[-1].lower()

    @property
    def first(self) -> str:
        return name_parts(self.name)[0].lower()

    @property
    def roles(self) -> list[Role]:
        seen, out = set(), []
        for m in self.mentions:
            for r in m.roles:
                if (r.start, r.end) not in seen:
                    seen.add((r.start, r.end))
                    out.append(r)
        return sorted(out, key=lambda r: r.start)

    @property
    def role_heads(self) -> set[str]:
        return set().union(*(m.role_heads for m in self.mentions)) if self.mentions else set()

    def last_before(self, pos: int) -> Optional[int]:
        starts = [m.start for m in self.mentions if m.start < pos]
        return max(starts) if starts else None


# ------------------------------------------------------------------------------------------- mentions
@functools.lru_cache(maxsize=2)
def full_text(doc: Any) -> str:
    """``doc.text`` rebuilds the string on every call: fetch it once per parsed document."""
    return doc.text
