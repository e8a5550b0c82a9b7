"""The stance step of ``ask``: does one item (a quote, reported speech, a claim) support, oppose or only discuss a
proposition? One interface, ``StanceStep.read(proposition, text) -> (label, confidence, evidence)`` with labels
``agree | disagree | discuss | unrelated`` (FNC-1's), and two implementations:

- ``ReaderStance``: the trained stance reader (``presslens.runtime.stance_reader``: ``load_stance_reader()`` and
  ``predict(claim, text) -> (label, confidence)``), used when it is installed;
- ``LexicalStance``: cue words, the fallback: words that weigh a question ("whether", "open question") make an
  item *discuss*; negation and opposition words ("never", "not", "reject", "block") make it *disagree*; an item
  the retrieval found relevant that has neither *agrees* (it states or backs the proposition). It never says
  *unrelated*: relevance is decided by the vectors before it runs.

- ``ReaderWithCues`` (the default when the reader is installed): the reader decides whether an item is related and
  whether it only discusses; the lexical cues add what the reader misses on short items -- a negation or opposition
  word makes it *disagree*, a weighing word makes it *discuss*. On Emergent's 1,354 headline/claim pairs (3-class
  accuracy, unrelated counted wrong): reader 0.635 (against 0.181), lexical 0.525, reader with cues 0.660 (against
  0.456). The reader was trained on that part of Emergent among other data, so its figure there is optimistic.

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

    def read_many(self, proposition: str, texts: list[str]) -> list[tuple[str, float, dict]]:
        ...


def _cue(pattern: re.Pattern, text: str) -> Optional[str]:
    match = pattern.search(text)
    return match.group(0) if match else None


class LexicalStance:
    id = "stance:lexical"

    def read_many(self, proposition: str, texts: list[str]) -> list[tuple[str, float, dict]]:
        return [self.read(proposition, t) for t in texts]

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
    """The trained reader (presslens/models/stance-reader) behind the same interface; loaded once."""

    id = "stance:reader"

    def __init__(self) -> None:
        from ..runtime.stance_reader import load_stance_reader

        self.reader = load_stance_reader()

    def read(self, proposition: str, text: str) -> tuple[str, float, dict]:
        return self.read_many(proposition, [text])[0]

    def read_many(self, proposition: str, texts: list[str]) -> list[tuple[str, float, dict]]:
        """All texts in one reader call (its trees run over every row at once)."""
        out = []
        for label, confidence in self.reader.predict_many([(proposition, t) for t in texts]) if texts else []:
            label = label if label in LABELS else "unrelated"
            out.append((label, float(confidence), {"by": "stance:reader", "why": f"the trained stance reader reads "
                                                                                 f"{label!r} (p = {confidence:.2f})"}))
        return out


class ReaderWithCues:
    id = "stance:reader+cues"

    def __init__(self) -> None:
        self.reader, self.cues = ReaderStance(), LexicalStance()

    def read(self, proposition: str, text: str) -> tuple[str, float, dict]:
        return self.read_many(proposition, [text])[0]

    def read_many(self, proposition: str, texts: list[str]) -> list[tuple[str, float, dict]]:
        return [self._combine(proposition, text, reading)
                for text, reading in zip(texts, self.reader.read_many(proposition, texts))]

    def _combine(self, proposition: str, text: str, reading: tuple[str, float, dict]) -> tuple[str, float, dict]:
        label, confidence, evidence = reading
        if label == "unrelated" or label == "discuss":
            return label, confidence, {"by": self.id, "why": evidence["why"]}
        cue, cue_conf, cue_evidence = self.cues.read(proposition, text)
        if cue in ("disagree", "discuss") and cue != label:
            return cue, cue_conf, {"by": self.id, "why": f"{cue_evidence['why']} (the trained reader read {label!r})"}
        return label, confidence, {"by": self.id, "why": evidence["why"]}


def load(kind: str = "auto") -> StanceStep:
    """``kind``: "reader", "lexical", or "auto" (the reader with cues when it is installed, else the lexical step)."""
    if kind == "lexical":
        return LexicalStance()
    try:
        return ReaderStance() if kind == "reader" else ReaderWithCues()
    except ImportError:
        if kind == "reader":
            from ..errors import ModelError

            raise ModelError("N30", "the trained stance reader is not installed",
                             "use --stance lexical, or install presslens with its stance model")
        return LexicalStance()
