"""Reporting verbs for the quote rules, read through the one reader of lexicons/reporting_verbs.txt (shared):
speech verbs, verbs taking an infinitive as content, verbs that only cue an adjacent quote, and verbs that
characterise in quoted words. Verbs of desire and intention ("wants to join") are none of these.
"""
from __future__ import annotations

from typing import Any

from ..shared import reporting_verbs


def is_reporting(tok: Any, adjacent: bool = False) -> bool:
    """A speech verb; with adjacent=True also the verbs that only cue a quote right next to them ("pressed,")."""
    verbs = reporting_verbs()
    lemma = tok.lemma_.lower()
    return tok.pos_ in ("VERB", "AUX") and (lemma in verbs.speech or (adjacent and lemma in verbs.intro))


def governs_fragment(tok: Any) -> bool:
    """A speech verb, or a verb that characterises in quoted words ("called him “a loser”")."""
    return is_reporting(tok) or (tok.pos_ == "VERB" and tok.lemma_.lower() in reporting_verbs().fragment)
