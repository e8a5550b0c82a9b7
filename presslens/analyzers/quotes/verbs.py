"""Reporting verbs from lexicons/reporting_verbs.txt: speech verbs, verbs taking an infinitive as content,
verbs that only cue an adjacent quote, and verbs that characterise in quoted words.
"""
from __future__ import annotations

import functools
from typing import Any

from ...lexicons import entries


# ----------------------------------------------------------------------------------------------- lexicons
@functools.lru_cache(maxsize=1)
def reporting_verbs() -> tuple[frozenset[str], frozenset[str]]:
    """(speech lemmas, lemmas that also take an infinitive xcomp as content)."""
    verbs, xcomp, _ = read_lexicon()
    return verbs, xcomp


@functools.lru_cache(maxsize=1)
def read_lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(speech lemmas, xcomp lemmas, fragment-only lemmas that govern a quoted phrase but report no clause).

    Lemmas marked "intro" ("continued:", "pressed,") cue only a quote right next to them; they are left out of
    the speech set used for parse-based attribution and kept in INTRO_ONLY.
    """
    verbs, xcomp, fragment = set(), set(), set()
    for line in entries("reporting_verbs.txt"):
        parts = line.split()
        lemma = parts[0].lower()
        if "intent" in parts[1:]:
            continue  # desire/intention ("wants to join"): not a cue of speech
        if "intro" in parts[1:]:
            INTRO_ONLY.add(lemma)
            continue
        (fragment if "fragment" in parts[1:] else verbs).add(lemma)
        if "xcomp" in parts[1:]:
            xcomp.add(lemma)
    return frozenset(verbs), frozenset(xcomp), frozenset(fragment - verbs)


INTRO_ONLY: set[str] = set()  # filled from the lexicon: verbs that cue only an adjacent quote


def is_reporting(tok: Any, adjacent: bool = False) -> bool:
    """A speech verb; with adjacent=True also the verbs that only cue a quote right next to them ("pressed,")."""
    verbs, _ = reporting_verbs()
    lemma = tok.lemma_.lower()
    return tok.pos_ in ("VERB", "AUX") and (lemma in verbs or (adjacent and lemma in INTRO_ONLY))


def governs_fragment(tok: Any) -> bool:
    """A speech verb, or a verb that characterises in quoted words ("called him “a loser”")."""
    return is_reporting(tok) or (tok.pos_ == "VERB" and tok.lemma_.lower() in read_lexicon()[2])
