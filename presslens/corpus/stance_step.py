"""The stance step of ``ask``: does one item (a quote, reported speech, a claim) support, oppose or only discuss a
proposition? One interface, ``StanceStep.read(proposition, text) -> (label, confidence, evidence)`` with labels
``agree | disagree | discuss | unrelated`` (FNC-1's), and two implementations:

- ``ReaderStance``: the trained stance reader (``presslens.runtime.stance_reader``: ``load()`` and
  ``predict(claim, text) -> (label, confidence)``), used when it is installed;
- ``LexicalStance``: cue words, the fallback: words that weigh a question ("whether", "open question") make an
  item *discuss*; negation and opposition words ("never", "not", "reject", "block") make it *disagree*; an item
  the retrieval found relevant that has neither *agrees* (it states or backs the proposition). It never says
  *unrelated*: relevance is decided by the vectors before it runs.

``ask`` maps agree -> for, disagree -> against, discuss -> discussing and drops unrelated.
"""
from __future__ import annotations

import re
from typing import Optional, Protocol

LABELS = ("agree", "disagree", "discuss", "unrelated")
BRIEF = {"agree": "for", "disagree": "against", "discuss": "discussing"}

NEGATION = re.compile(
    r"\b(never|not|no longer|cannot|can't|won't|wouldn't|shouldn't|isn't|aren't|doesn't|don't|didn't|unlikely|"
    r"impossible|rules? out|ruled out|rejects?|rejected|opposes?|opposed|against|den(?:y|ies|ied)|mistake|"
    r"no chance|no way|out of the question|blocks?|blocked|will block|far from|refuses?|refused)\b|n't\b", re.I)
WEIGHING = re.compile(
    r"\b(whether|open question|remains to be seen|undecided|uncertain|unclear|debat(?:e|es|ed|ing)|"
    r"both camps|both sides|depends on|might or might not|may or may not|speculat\w*|weigh(?:s|ed|ing)?|"
    r"if and when|too early to (?:say|tell))\b", re.I)
BACKING = re.compile(
    r"\b(should|must|only way|in the interest|welcome[sd]?|benefit\w*|inevitable|matter of time|predict\w*|"
    r"expect\w*|will|would|set to|plans? to|ready to|support\w*|in favou?r)\b", re.I)


class StanceStep(Protocol):
    id: str

    def read(self, proposition: str, text: str) -> tuple[str, float, dict]:
        ...


def _cue(pattern: re.Pattern, text: str) -> Optional[str]:
    match = pattern.search(text)
    return match.group(0) if match else None


class LexicalStance:
    id = "stance:lexical"

    def read(self, proposition: str, text: str) -> tuple[str, float, dict]:
        flipped = _cue(NEGATION, proposition) is not None  # "X will not join": agreeing with "no"
        weighing, negation = _cue(WEIGHING, text), _cue(NEGATION, text)
        if weighing and not negation:
            return "discuss", 0.6, {"by": self.id, "why": f"{weighing!r} weighs the question without taking a side"}
        if negation:
            label = "agree" if flipped else "disagree"
            return label, 0.7, {"by": self.id, "why": f"{negation!r} negates or opposes what the question asks"}
        backing = _cue(BACKING, text)
        label = "disagree" if flipped else "agree"
        if backing:
            return label, 0.65, {"by": self.id, "why": f"states it, backed by {backing!r}, with no negation"}
        return label, 0.55, {"by": self.id, "why": "states what the question asks, with no negation or hedge"}


class ReaderStance:
    """The trained reader behind the same interface (loaded once)."""

    id = "stance:reader"

    def __init__(self) -> None:
        from ..runtime import stance_reader  # type: ignore[attr-defined]

        self.reader = stance_reader.load() if hasattr(stance_reader, "load") else None
        self.module = stance_reader

    def read(self, proposition: str, text: str) -> tuple[str, float, dict]:
        predict = getattr(self.reader, "predict", None) or self.module.predict
        label, confidence = predict(proposition, text)
        label = label if label in LABELS else "unrelated"
        return label, float(confidence), {"by": self.id, "why": f"the trained stance reader reads {label!r}"}


def load(kind: str = "auto") -> StanceStep:
    """``kind``: "reader", "lexical", or "auto" (the reader when it is installed, else the lexical step)."""
    if kind == "lexical":
        return LexicalStance()
    try:
        return ReaderStance()
    except ImportError:
        if kind == "reader":
            from ..errors import ModelError

            raise ModelError("N30", "the trained stance reader is not installed",
                             "use --stance lexical, or install presslens with its stance model")
        return LexicalStance()
