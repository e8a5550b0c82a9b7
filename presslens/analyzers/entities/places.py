"""Places spaCy typed as persons: a known place name (lexicons/places.txt), or a name after "in"/"near".

The small spaCy model tags some capitals, straits and seas PERSON. A mention NER typed PERSON becomes a place
(``entities.place``) when it is a name of the gazetteer — for a name that is also a common person name
("Jordan", "Victoria"), only right after a place preposition — or, unlisted, a one-word name right after a
locative preposition ("in", "near", …) that is never a person elsewhere in the text. A mention with a role
("President X") stays a person; so does one with a person cue (a speech verb's subject, a possessor) unless it is
a listed name that is never a person's ("Kyiv said …" is the government speaking, and no later "she").
"""
from __future__ import annotations

import re
from typing import Any, Optional

from ..shared import known_places
from .mentions import person_cue
from .records import Cand, full_text

# Prepositions after which a name is a place: all of them for a listed name, the locative ones for any name.
PLACE_PREPOSITIONS = {"in", "near", "across", "through", "into", "outside", "around", "to", "from", "towards", "toward",
                      "via", "off", "inside"}
LOCATIVE = {"in", "near", "across", "through", "into", "outside", "off", "inside"}


WORD_BEFORE = re.compile(r"(\w+)\s+$")


def preposition_before(text: str, start: int) -> Optional[str]:
    """The place preposition right before ``start`` on its line, if any."""
    m = WORD_BEFORE.search(text, max(0, start - 12), start)
    word = m.group(1).lower() if m and "\n" not in m.group() else None
    return word if word in PLACE_PREPOSITIONS else None


def possessed(doc: Any, end: int) -> bool:
    """'in Novak's view': the name owns something, so it is a person."""
    rest = full_text(doc)[end:end + 3]
    return rest.startswith(("'s", "’s"))


def retype_places(doc: Any, cands: list[Cand]) -> None:
    persons_elsewhere: dict[str, int] = {}
    for c in cands:
        if c.type == "PERSON":
            for part in c.text.lower().split():
                persons_elsewhere[part] = persons_elsewhere.get(part, 0) + 1
    known = known_places()
    text = full_text(doc)
    for c in cands:
        if c.type != "PERSON" or c.roles or c.by not in ("entities.ner", "entities.propn_person"):
            continue
        listed = known.get(c.text.lower())
        if (c.cue or c.by != "entities.ner") and (listed is None or listed[1]):
            continue  # acting as a person ("Jordan said"): only a name that is never a person's is a place
        prep = preposition_before(text, c.start) if listed is None or listed[1] else None
        if listed is None and (prep not in LOCATIVE or " " in c.text):
            continue
        why = None
        if listed is None or listed[1]:  # a name that may be a person's: one acting as a person stays one
            span = doc.char_span(c.start, c.end, alignment_mode="expand")
            if span is None or person_cue(span.root, "") is not None:
                continue
        if listed is not None and (not listed[1] or prep in PLACE_PREPOSITIONS):
            why = f"{c.text!r} is a place name (lexicons/places.txt)" + (f" after {prep!r}" if listed[1] else "")
            etype = listed[0]
        elif listed is None and prep in LOCATIVE and " " not in c.text and not possessed(doc, c.end) \
                and persons_elsewhere.get(c.text.lower(), 0) <= 1:
            why, etype = f"a one-word name right after {prep!r}, never a person elsewhere in the text", "GPE"
        if why:
            c.why = f"spaCy said PERSON; re-typed {etype}: {why}"
            c.type, c.by, c.conf = etype, "entities.place", 0.7
