"""What every rule reads: a Hit record, the text's context (publication date, sentences, tense), date helpers
and the dateparser wrapper that never reads the clock.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Optional

from .vocab import FUTURE_CUE, MODS, MONTHS, REPORTING_PRESENT, SMALL, TENS, VAGUE_NUMBERS


@dataclass
class Hit:
    start: int
    end: int
    rule: str
    type: str
    value: str
    why: str
    confidence: float
    mod: Optional[str] = None
    anchor: Optional[str] = None
    priority: int = 0


@dataclass
class Ctx:
    text: str
    pub: Optional[dt.date]
    grace: int
    sentences: list[tuple[int, int]]
    doc: Any
    # titles and captions use the present tense for past events ("Workers march on Monday")
    historic_present: list[tuple[int, int]] = ()

    @property
    def anchor(self) -> str:
        return f"published {self.pub.isoformat()}" if self.pub else "publication date unknown"

    def sentence(self, pos: int) -> tuple[int, int]:
        starts = [s for s, _ in self.sentences]
        i = bisect.bisect_right(starts, pos) - 1
        return self.sentences[i] if i >= 0 else (0, len(self.text))

    def future(self, pos: int) -> bool:
        """Is the expression at ``pos`` about the future? Decided by the verb governing it: will/shall/'ll -> yes;
        past tense or participle -> no; present simple in body text -> yes ("The rally starts on Saturday", a
        schedule), but not in titles and captions, which narrate the past in the present. With no governing verb,
        a future cue anywhere in the sentence decides."""
        start, end = self.sentence(pos)
        sentence_cue = bool(FUTURE_CUE.search(self.text[start:end]))
        verb = self.governing_verb(pos)
        if verb is None:
            return sentence_cue
        aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if any(c.lower_ in ("will", "shall", "'ll", "’ll", "wo") for c in aux):
            return True
        if verb.tag_ in ("VBD", "VBN") or any(c.tag_ in ("VBD", "VBN") for c in aux):
            return False
        if verb.tag_ in ("VBZ", "VBP") and not aux and verb.lemma_ not in REPORTING_PRESENT:
            return not any(s <= pos < e for s, e in self.historic_present)
        return sentence_cue

    def governing_verb(self, pos: int) -> Any:
        if self.doc is None:
            return None
        span = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        if span is None or not len(span):
            return None
        tok = span[0]
        for _ in range(6):  # up the tree: "on" -> "arrested"; "June" -> "in" -> "resume"
            if tok.pos_ in ("VERB", "AUX"):
                return tok
            if tok.head is tok:
                return None
            tok = tok.head
        return None


# ------------------------------------------------------------------------------------------------ helpers
def month_num(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def number(word: str) -> Optional[float]:
    """A count word or digits -> number; None for vague counts ("several")."""
    w = re.sub(r"\s+", " ", word.lower())
    if w in VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    if w in ("a", "an"):
        return 1
    if w in ("hundred", "a hundred"):
        return 100
    if w == "a dozen":
        return 12
    if w == "a couple of":
        return 2
    if w in SMALL:
        return SMALL.index(w)
    tens, _, unit = w.partition("-")
    return TENS.get(tens, 0) + (SMALL.index(unit) if unit else 0)


def fmt_num(n: Optional[float]) -> str:
    if n is None:
        return "X"
    return str(int(n)) if float(n).is_integer() else str(n)


def unit_base(unit: str) -> str:
    u = unit.lower()
    return "century" if u.startswith("centur") else u.rstrip("s")


def mod_of(word: Optional[str]) -> Optional[str]:
    if not word:
        return None
    w = re.sub(r"\s+", " ", word.lower()).strip(" -")
    w = re.sub(r"^(?:the |by the )", "", w)
    w = re.sub(r" of$", "", w)
    return MODS.get(w)


def week_of(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def add_months(year: int, month: int, k: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + k
    return n // 12, n % 12 + 1


def safe_date(y: int, m: int, d: int) -> Optional[dt.date]:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def rel_year(rel: Optional[str], pub: Optional[dt.date]) -> Optional[int]:
    """ "this year" / "last year" / "next year" after a month -> a year (None when unknown)."""
    if not rel or pub is None:
        return None
    word = rel.strip(" ,").split()[0].lower()
    return pub.year + {"this": 0, "last": -1, "next": 1}[word]


def resolve_month_day(m: int, d: int, ctx: Ctx, pos: int) -> tuple[Optional[dt.date], str]:
    pub = ctx.pub
    assert pub is not None
    cand = safe_date(pub.year, m, d) or safe_date(pub.year - 1, m, d)
    if cand is None:
        return None, ""
    if ctx.future(pos):
        if cand < pub:
            cand = safe_date(cand.year + 1, m, d) or cand
        return cand, "the next such date after publication (future-tense sentence)"
    if cand > pub + dt.timedelta(days=ctx.grace):
        cand = safe_date(cand.year - 1, m, d) or cand
    return cand, "the latest such date up to publication (news reports the past)"


# ------------------------------------------------------------------------------------------------ handlers
# Each handler gets the match and context and returns a Hit (with start/end of the span to keep) or None.
def span_start(m: re.Match, *groups: str) -> int:
    for g in groups:
        if m.groupdict().get(g):
            return m.start(g)
    return m.start()


# ------------------------------------------------------------------------------------------------ dateparser
ANY_BASE = dt.datetime(2000, 1, 1)  # base for texts that spell out their own year (never "today")


def dateparse(text: str, base: Any, extra: Optional[dict] = None) -> Optional[tuple[dt.datetime, str]]:
    """dateparser with an explicit RELATIVE_BASE (never the clock); returns (datetime, period) or None."""
    if base is None:
        raise ValueError("dateparse needs an explicit base; the current date is never used")
    from dateparser.date import DateDataParser

    if isinstance(base, dt.date) and not isinstance(base, dt.datetime):
        base = dt.datetime(base.year, base.month, base.day)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True,
                "STRICT_PARSING": False, "REQUIRE_PARTS": [], **(extra or {})}
    try:
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input; a candidate is simply dropped
        return None
    if data is None or data.date_obj is None:
        return None
    return data.date_obj, data.period or "day"
