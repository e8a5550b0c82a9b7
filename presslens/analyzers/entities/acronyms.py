"""Organisations spaCy typed as persons: a one-word name in capitals ("SAG", "NTSB", "WHO").

The small spaCy model tags some agency and guild acronyms PERSON, and a proper noun acting like a person
("NTSB said") is taken as one; either then becomes a speaker, or what a later "she" refers to. A mention typed
PERSON that is a single word of two to six capital letters, with no person title before it ("Rep. X"), is an
organisation (``entities.acronym``), unless it is a word of a person's name the text writes in capitals
("HARRIS" of "KAMALA HARRIS": a transcript's style). People are named in capitals only in bylines, captions and
transcripts, and there by more than one word.
"""
from __future__ import annotations

from ..shared import ACRONYM
from .mentions import capitalised_name_words
from .records import Cand


def retype_acronyms(cands: list[Cand]) -> None:
    name_words = capitalised_name_words(cands)
    for c in cands:
        if c.type != "PERSON" or c.roles or c.by == "entities.title_name" or not ACRONYM.fullmatch(c.text) \
                or c.text in name_words:
            continue
        c.why = f"spaCy said PERSON; re-typed ORG: {c.text!r} is one word in capitals, an acronym"
        c.type, c.by, c.conf = "ORG", "entities.acronym", 0.7
