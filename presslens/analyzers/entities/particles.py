"""Names with particles and compound surnames: "Karla von der Heide", "Jan van der Berg", "Ali bin Rashid".

spaCy's small model often cuts such a name at the particle ("Karla von" + "Heide", "Hendrik" + "Horst") or drops
the particle of a later mention ("Van der Berg" → "Berg"). A person mention is grown over the particles next to it
(``entities.name_particles``): backwards over "van der" before it, forwards over "von der Heide" after it, and two
person mentions with only particles between them become one. Hyphenated names ("Meyer-Schulz", "al-Hassan") are
single tokens already.
"""
from __future__ import annotations

import re

from .records import Cand

PARTICLES = ("von", "van", "de", "der", "den", "del", "della", "degli", "da", "das", "dos", "di", "du", "la",
             "le", "bin", "ibn", "ben", "bint", "al", "el", "ter", "ten", "zu", "vom", "zum", "af", "av")
PARTICLE = r"(?:" + "|".join(re.escape(p) for p in PARTICLES) + r")"
NAME_WORD = r"[A-Z][\w'’-]*"
# particles right before a mention: "van der " / "Van der " (capitalised at a sentence start)
BEFORE = re.compile(r"(?<![\w'’-])(?:(?i:" + PARTICLE + r")\s+)+$")
# a lower-case particle run, then a capitalised name word, right after a mention: " von der Heide"
AFTER = re.compile(r"(?:\s+" + PARTICLE + r")+\s+" + NAME_WORD)
# a mention NER cut right after its particles ("Karla von der"): the name word that follows finishes it
AFTER_CUT = re.compile(r"(?:\s+" + PARTICLE + r")*\s+" + NAME_WORD)
ENDS_IN_PARTICLE = re.compile(r"\s" + PARTICLE + r"$")
# only particles between two mentions: "Hendrik ter Horst"
BETWEEN = re.compile(r"(?:\s+" + PARTICLE + r")+\s+")


def grow(c: Cand, text: str, start: int, end: int, why: str) -> None:
    c.start, c.end, c.text = start, end, text[start:end]
    c.by, c.why = "entities.name_particles", f"{c.why}; {why}"


def join_particles(cands: list[Cand], text: str) -> list[Cand]:
    persons = sorted((c for c in cands if c.type == "PERSON"), key=lambda c: c.start)
    dropped: set[int] = set()
    for i, c in enumerate(persons):
        if id(c) in dropped:
            continue
        nxt = persons[i + 1] if i + 1 < len(persons) else None
        gap = text[c.end:nxt.start] if nxt is not None else ""
        if nxt is not None and "\n" not in gap and BETWEEN.fullmatch(gap):
            grow(c, text, c.start, nxt.end, f"the particles {gap.strip()!r} join it to {nxt.text!r}: one name")
            dropped.add(id(nxt))
            continue
        after = (AFTER_CUT if ENDS_IN_PARTICLE.search(c.text) else AFTER).match(text, c.end)
        if after and "\n" not in after.group():
            grow(c, text, c.start, after.end(), f"the particles and name {after.group().strip()!r} after it "
                                                f"belong to the name")
        before = BEFORE.search(text, max(0, c.start - 20), c.start)
        if before and before.end() == c.start and c.text[:1].isupper():
            grow(c, text, before.start(), c.end, f"the particles {before.group().strip()!r} before it belong "
                                                 f"to the name")
    return [c for c in cands if id(c) not in dropped]
