"""time: time expressions (layer ``time``) and a chronological ``timeline`` of dated sentences.

What it finds: TIMEX3-like expressions (Pustejovsky et al. 2005, TimeML; value formats as in the
TIMEX3 guidelines used by TempEval-2/3, UzZaman et al. 2013) — DATE, TIME, DURATION and SET — by
ordered rule patterns over the text (month-day-year, month-year, numeric dates, years, decades,
centuries, weekdays, "last/next/this <unit>", "<n> <unit> ago", durations, sets, vague references from
presslens/lexicons/time_refs.txt), with spaCy DATE/TIME entities as extra candidates that the rules did
not cover, normalised by dateparser.

Normalisation is against the publication date ``article.meta["published"]`` (ISO date). Decisions:
- A month-day or month without a year is the latest such date on or before publication (news reports
  past events; ``Config.grace_days`` of slack for datelines), or the next one when its sentence is in the
  future tense (will/shall/'ll/going to/is due to). "last March" is the most recent March before the
  publication month; "next March" the first one after it. A present-simple verb governing the expression
  in body text counts as future too ("The rally starts on Saturday"), but not in titles and captions, which
  narrate past events in the present ("Workers march on Monday").
- A bare weekday ("on Monday") is the nearest one on or before publication, or the next one after it in a
  future-tense sentence; "last Tuesday" is the most recent Tuesday strictly before publication.
- "the 19th century" -> 18XX (TIMEX3 century granularity); "the 1990s" -> 199X; "the 1800s"/"the 1900s"
  -> 18XX/19XX (the century reading news uses), but "the 2000s" -> 200X (the decade); "the beginning of this century" -> 20XX with mod START (century granularity kept,
  the modifier says which part).
- "before/after X" keep X's value with mod BEFORE/AFTER and the cue word inside the span; early/late/mid
  and "the beginning/end/middle of" give START/END/MID; about/more than/less than give APPROX/MORE_THAN/
  LESS_THAN on durations. Plain prepositions (in, on, since, until) stay outside the span.
- With no publication date, nothing is ever resolved against today: relative values stay underspecified
  ("XXXX-05-19", "XXXX-WXX-1", "XXXX") and dateparser is only called with an explicit RELATIVE_BASE.

Timeline: one entry per DATE/TIME whose value knows at least its century digits (plus PRESENT_REF, placed
on the publication date when that is known), linked to its spaCy sentence and the ids of entities with a
mention in that sentence. Sorted by ``sort_key`` (the first day the value covers; unknown digits count as
0, so 20XX sorts as 2000), then coarser before finer (199X before 1990 before 1990-01), then text order.
Values without a known year ("XXXX-05-19") stay in ``time`` only.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Optional

from ..document import Document, Evidence, TimeExpr, TimelineEntry
from ..lexicons import entries
from .shared import token_view

NAME = "time"
VERSION = "0.1.0"
REQUIRES = ["blocks", "entities"]
ASSIGNS = ["time", "timeline"]



@dataclass(frozen=True)
class Config:
    # Slack, in days, for a month-day after the publication date still read as this year (datelines and
    # time zones put "May 26" in an article stamped May 25).
    grace_days: int = 7
    # Candidates only spaCy proposes (no rule matched) are kept only when dateparser normalises them.
    use_spacy_candidates: bool = True
    # Block kinds whose time expressions are ignored.
    skip_block_kinds: tuple[str, ...] = ("boilerplate",)


# ------------------------------------------------------------------------------------------------ lexicon
MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
          "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
          "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
            "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
            "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
            "nineteenth", "twentieth", "twenty-first", "twenty-second"]
VAGUE_NUMBERS = {"a few", "few", "several", "many", "some"}
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                "eighties": 8, "nineties": 9}
UNIT_CODES = {"second": ("T", "S"), "minute": ("T", "M"), "hour": ("T", "H"), "day": ("", "D"), "week": ("", "W"),
              "month": ("", "M"), "year": ("", "Y"), "decade": ("", "DE"), "century": ("", "CE")}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
MODS = {"early": "START", "beginning": "START", "start": "START", "late": "END", "end": "END", "mid": "MID",
        "middle": "MID", "before": "BEFORE", "after": "AFTER", "around": "APPROX", "circa": "APPROX",
        "about": "APPROX", "nearly": "LESS_THAN", "almost": "LESS_THAN", "roughly": "APPROX", "some": "APPROX",
        "more than": "MORE_THAN", "less than": "LESS_THAN", "under": "LESS_THAN",
        "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS"}
HISTORIC_PRESENT_KINDS = ("title", "caption", "credit")
REPORTING_PRESENT = {"say", "tell", "report", "claim", "write", "be", "have", "remain", "know", "think", "believe"}
FUTURE_CUE = re.compile(r"\b(?:will|shall|going to|(?:is|are) (?:due|set|expected|scheduled) to)\b|'ll\b|’ll\b", re.I)

# Confidence by how much the value depends on assumptions (named, so they can be tuned in one place).
CONF_ABSOLUTE = 0.95  # the text spells the full value out
CONF_ANCHORED = 0.85  # resolved against the publication date by a fixed offset ("last year")
CONF_TENSE = 0.75  # the year/week depends on a tense guess ("on Monday", "May 19")
CONF_VAGUE = 0.7  # PRESENT_REF / PAST_REF / FUTURE_REF
CONF_ANAPHORIC = 0.6  # resolved against the previous date in the text ("the following week")
CONF_SPACY = 0.55  # spaCy proposed it, dateparser normalised it

# ------------------------------------------------------------------------------------------------ regexes
MONTH = (r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|"
         r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![a-z])")
NUM = (r"(?P<n>\d+(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|"
       r"five|six|seven|eight|nine))?|" + "|".join(reversed(SMALL[1:])) +
       r"|a\s+hundred|hundred|a\s+dozen|a\s+couple\s+of|a\s+few|few|several|many|an?)")
UNITS = r"(?P<unit>seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries)"
SPAN_MOD = r"(?:early|late|mid|before|after|(?:the\s+)?(?:beginning|start|end|middle)\s+of)"
MODPRE = r"(?:(?P<mod>(?i:" + SPAN_MOD + r"))[\s-]+)?"
REL_YEAR = r"(?P<rel>,?\s+(?i:this|last|next)\s+year)?"
YEAR = r"(?P<year>1[0-9]\d\d|20\d\d)(?![\d%])"
CUE = r"(?:in|on|since|until|till|by|from|during|through|as\s+of)"


def rx(pattern: str, flags: int = 0) -> re.Pattern:
    return re.compile(pattern, flags)


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


def h_full_date(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    d = safe_date(int(m["year"]), month_num(m["mon"]), int(m["day"]))
    if d is None:
        return None
    return Hit(m.start(), m.end(), "full_date", "DATE", d.isoformat(), "month, day and year are all written out",
               CONF_ABSOLUTE, mod_of(m["mod"]))


def h_numeric(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    raw = m.group(0)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        d = safe_date(*map(int, raw.split("-")))
        order = "YMD"
    else:
        first = int(re.split(r"[/.]", raw)[0])
        order = "DMY" if first > 12 or "." in raw else "MDY"
        parsed = dateparse(raw, ctx.pub or ANY_BASE, {"DATE_ORDER": order})
        d = parsed[0].date() if parsed and parsed[1] == "day" else None
    if d is None:
        return None
    return Hit(m.start(), m.end(), "numeric_date", "DATE", d.isoformat(),
               f"a numeric date read in {order} order (US order unless the first number exceeds 12)", CONF_ABSOLUTE - 0.1)


def h_month_day(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    mon, day = month_num(m["mon"]), int(m["day"])
    if not 1 <= day <= 31:
        return None
    start = m.start()
    year = rel_year(m["rel"], ctx.pub)
    if year is not None:
        d = safe_date(year, mon, day)
        if d is None:
            return None
        return Hit(start, m.end(), "month_day", "DATE", d.isoformat(), f"month and day with '{m['rel'].strip(' ,')}'",
                   CONF_ANCHORED, mod_of(m["mod"]), ctx.anchor)
    if ctx.pub is None:
        return Hit(start, m.end(), "month_day", "DATE", f"XXXX-{mon:02d}-{day:02d}",
                   "month and day without a year, and no publication date to take one from", CONF_ANCHORED,
                   mod_of(m["mod"]), ctx.anchor)
    d, how = resolve_month_day(mon, day, ctx, m.start())
    if d is None:
        return None
    return Hit(start, m.end(), "month_day", "DATE", d.isoformat(), f"month and day without a year: {how}", CONF_TENSE,
               mod_of(m["mod"]), ctx.anchor)


def h_month_year(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    return Hit(m.start(), m.end(), "month_year", "DATE", f"{int(m['year']):04d}-{month_num(m['mon']):02d}",
               "month and year written out", CONF_ABSOLUTE - 0.05, mod_of(m["mod"]))


def h_month(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    mon = month_num(m["mon"])
    if m["mon"] == "May" and not m["which"] and not m["rel"] and re.match(r"\s+(?:I|we|you|he|she|it|they|be|not|have)\b",
                                                                           ctx.text[m.end():]):
        return None  # "In May I ..." is rare; "may be/may not" after a cue word is the modal verb
    start = span_start(m, "which", "mod", "mon")
    mod = mod_of(m["mod"])
    year = rel_year(m["rel"], ctx.pub)
    which = (m["which"] or "").lower()
    if year is not None:
        why = f"month with '{m['rel'].strip(' ,')}'"
    elif ctx.pub is None:
        return Hit(start, m.end(), "month", "DATE", f"XXXX-{mon:02d}", "a month without a year and no publication date",
                   CONF_ANCHORED, mod, ctx.anchor)
    elif which == "last":
        year, why = (ctx.pub.year if mon < ctx.pub.month else ctx.pub.year - 1), "'last <month>': the most recent one before publication"
    elif which in ("next", "coming"):
        year, why = (ctx.pub.year if mon > ctx.pub.month else ctx.pub.year + 1), "'next <month>': the first one after publication"
    elif which == "this":
        year, why = ctx.pub.year, "'this <month>': the publication year"
    elif ctx.future(m.start()):
        year, why = (ctx.pub.year if mon >= ctx.pub.month else ctx.pub.year + 1), "a month in a future-tense sentence: the next one"
    else:
        year, why = (ctx.pub.year if mon <= ctx.pub.month else ctx.pub.year - 1), "a month without a year: the latest one up to publication"
    return Hit(start, m.end(), "month", "DATE", f"{year:04d}-{mon:02d}", why,
               CONF_ANCHORED if (m["rel"] or which) else CONF_TENSE, mod, ctx.anchor)


def h_year(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    cue = (m["cue"] or "").lower()
    span = ctx.doc.char_span(m.start("year"), m.end("year")) if ctx.doc is not None else None
    if span is not None and len(span) == 1 and span[0].head.tag_ == "NNS" and span[0].head.i == span[0].i + 1:
        prev = span[0].nbor(-1) if span[0].i > 0 else None
        if prev is None or prev.tag_ not in ("DT", "PRP$", "POS"):
            return None  # "2000 troops", "in 1500 boats": a count; "the 2019 elections": a year
    if not cue:
        if span is None or len(span) != 1:
            return None
        tok = span[0]
        if tok.ent_type_ not in ("DATE", "") or (tok.ent_type_ != "DATE" and tok.dep_ == "nummod"):
            return None  # "2000 troops", "1500 metres": a count, not a year
        if tok.ent_type_ != "DATE" and not (1800 <= int(m["year"]) <= 2099):
            return None
    mod = mod_of(m["cue"]) if cue else None
    start = m.start("cue") if mod else m.start("year")
    return Hit(start, m.end(), "year", "DATE", m["year"], "a four-digit year" + (f" after '{m['cue']}'" if cue else ""),
               CONF_ABSOLUTE - 0.1 if cue else CONF_ANCHORED, mod)


def h_decade(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    if m["dec"] and m["dec"].endswith("00") and m["dec"] < "2000":
        value = m["dec"][:2] + "XX"  # "the 1800s" is read as the century, as news uses it; "the 2000s" as a decade
    elif m["dec"]:
        value = m["dec"][:3] + "X"
    elif m["dec2"]:
        value = ("20" if m["dec2"] in ("00", "10") else "19") + m["dec2"][0] + "X"
    else:
        if not m["the"]:
            return None
        value = f"19{DECADE_WORDS[m['word'].lower()]}X"
    mod = mod_of(m["pre"]) or mod_of(m["mod2"])
    return Hit(m.start(), m.end(), "decade", "DATE", value, "a decade ('<year>s'): TIMEX3 decade granularity",
               CONF_ABSOLUTE, mod)


def h_century(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    n = int(m["ord"]) if m["ord"] else ORDINALS.index(m["ordw"].lower()) + 1
    if not 1 <= n <= 22:
        return None
    return Hit(m.start(), m.end(), "century", "DATE", f"{n - 1:02d}XX",
               f"the {n}th century is the hundred years starting {n - 1:02d}01 (TIMEX3 century granularity)",
               CONF_ABSOLUTE, mod_of(m["pre"]) or mod_of(m["mod2"]))


def shift_unit(unit: str, k: int, pub: Optional[dt.date]) -> tuple[str, str]:
    """The value of the unit ('week', 'month', ...) containing publication shifted by k; X-filled without pub."""
    if unit in ("week", "weekend"):
        value = week_of(pub + dt.timedelta(weeks=k)) if pub else "XXXX-WXX"
        return (value + "-WE", "weekend") if unit == "weekend" else (value, "week")
    if unit == "month":
        return (("%04d-%02d" % add_months(pub.year, pub.month, k)) if pub else "XXXX-XX"), "month"
    if unit == "year":
        return (f"{pub.year + k:04d}" if pub else "XXXX"), "year"
    if unit == "decade":
        return (f"{pub.year // 10 + k:03d}X" if pub else "XXXX"), "decade"
    if unit == "century":
        return (f"{pub.year // 100 + k:02d}XX" if pub else "XXXX"), "century"
    if unit == "quarter":
        if not pub:
            return "XXXX-QX", "quarter"
        y, mth = add_months(pub.year, pub.month, 3 * k)
        return f"{y:04d}-Q{(mth - 1) // 3 + 1}", "quarter"
    if unit in SEASONS:
        code = SEASONS[unit]
        if not pub:
            return f"XXXX-{code}", "season"
        start = SEASON_START[code]
        if code == "WI":  # a winter is named by the year its December falls in
            in_winter = pub.month in (12, 1, 2)
            current = pub.year if pub.month == 12 else pub.year - 1
            y = {0: current if in_winter else pub.year, -1: current - 1 if in_winter else pub.year - 1,
                 1: current + 1 if in_winter else pub.year}[max(-1, min(1, k))]
        else:
            y = {0: pub.year, -1: pub.year if pub.month >= start + 3 else pub.year - 1,
                 1: pub.year if pub.month < start else pub.year + 1}[max(-1, min(1, k))]
        return f"{y:04d}-{code}", "season"
    if unit in PARTS:
        return ((pub + dt.timedelta(days=k)).isoformat() + "T" + PARTS[unit] if pub else "XXXX-XX-XXT" + PARTS[unit]), "day"
    raise KeyError(unit)


def h_rel_unit(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    which = re.sub(r"\s+", " ", m["which"].lower())
    unit = m["unit"].lower()
    mod = mod_of(m["pre"])
    if which in ("the past", "the coming", "past", "coming", "the last", "the next"):
        if unit in PARTS or unit in SEASONS or unit in ("weekend", "quarter"):
            return None
        code = UNIT_CODES.get(unit)
        return Hit(m.start(), m.end(), "rel_unit", "DURATION", f"P{code[0]}1{code[1]}",
                   f"'{m['which']} {unit}': a stretch of one {unit} up to/after publication", CONF_ANCHORED, mod)
    if which in ("previous", "the previous"):
        return None  # anaphoric: handled by the 'anaphoric' rule
    k = {"this": 0, "current": 0, "the current": 0, "last": -1, "next": 1}[which]
    if unit == "night" and which == "this":
        unit_value = shift_unit("night", 0, ctx.pub)
    else:
        unit_value = shift_unit(unit, k, ctx.pub)
    value = unit_value[0]
    return Hit(m.start(), m.end(), "rel_unit", "TIME" if unit in PARTS else "DATE", value,
               f"'{which} {unit}' counted from the {unit_value[1]} of publication", CONF_ANCHORED, mod, ctx.anchor)


def h_ago(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    n = number(m["n"])
    unit = unit_base(m["unit"])
    if n is None:
        return Hit(m.start(), m.end(), "ago", "DATE", "PAST_REF", f"an unspecified number of {unit}s ago", CONF_VAGUE)
    n = int(n)
    mod = mod_of(m["pre"])
    pub = ctx.pub
    if unit in ("second", "minute", "hour", "day"):
        days = n if unit == "day" else 0
        value = (pub - dt.timedelta(days=days)).isoformat() if pub else "XXXX-XX-XX"
    elif unit == "week":
        value = week_of(pub - dt.timedelta(weeks=n)) if pub else "XXXX-WXX"
    elif unit == "month":
        value = ("%04d-%02d" % add_months(pub.year, pub.month, -n)) if pub else "XXXX-XX"
    elif unit == "year":
        value = f"{pub.year - n:04d}" if pub else "XXXX"
    elif unit == "decade":
        value = f"{(pub.year - 10 * n) // 10:03d}X" if pub else "XXXX"
    else:
        value = f"{pub.year // 100 - n:02d}XX" if pub else "XXXX"
    if pub:
        parsed = dateparse(m.group(0), pub)  # cross-check the arithmetic with dateparser where it can
        if parsed and unit == "day" and parsed[0].date().isoformat() != value:
            return None
    return Hit(m.start(), m.end(), "ago", "DATE", value, f"{fmt_num(n)} {unit}(s) before publication", CONF_ANCHORED,
               mod, ctx.anchor)


def h_duration(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    pre = (m["pre"] or "").lower()
    word = re.sub(r"\s+", " ", m["n"].lower())
    unit = unit_base(m["unit"])
    if word in ("a", "an", "one") and not pre and not m["long"]:
        return None  # "a second round", "one day he ...", "a year" as a rate
    if word in ("a", "an") and unit == "second":
        return None
    if re.match(r"[\s-]+old\b|\s+of\s+age\b", ctx.text[m.end():]):
        return None  # "a 40-year-old driver": an age, not a time anchor
    n = number(word)
    code = UNIT_CODES[unit]
    value = f"P{code[0]}{fmt_num(n)}{code[1]}"
    mod = mod_of(pre)
    start = m.start("pre") if (mod or pre.startswith("the ")) else m.start("n")
    if word in ("a", "an") and m["long"]:
        start = m.start("unit")
    return Hit(start, m.end(), "duration", "DURATION", value, f"a length of time: {fmt_num(n)} {unit}(s)",
               CONF_ANCHORED, mod)


def h_duration_bare(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    unit = unit_base(m["unit"])
    code = UNIT_CODES[unit]
    return Hit(m.start("unit"), m.end(), "duration", "DURATION", f"P{code[0]}X{code[1]}",
               f"'{m.group(0)}': an unspecified number of {unit}s", CONF_VAGUE)


def h_long(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    unit = unit_base(m["unit"])
    code = UNIT_CODES[unit]
    return Hit(m.start(), m.end(), "duration", "DURATION", f"P{code[0]}1{code[1]}", f"'{m.group(0)}': one {unit} long",
               CONF_ANCHORED)


def h_relday(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    word = re.sub(r"\s+", " ", m["day"].lower())
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
              "the day after tomorrow": 2, "last night": -1}[word]
    part = PARTS.get((m["part"] or "").lower()) or ("NI" if word in ("tonight", "last night") else None)
    value = (ctx.pub + dt.timedelta(days=offset)).isoformat() if ctx.pub else "XXXX-XX-XX"
    if part:
        value += "T" + part
    return Hit(m.start(), m.end(), "relday", "TIME" if part else "DATE", value,
               f"'{word}' counted in days from publication", CONF_ANCHORED, None, ctx.anchor)


def h_weekday(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    wd = WEEKDAYS[m["wd"].lower().rstrip(".")]
    following = re.match(r"(?:['’]s)?\s+(\w+)", ctx.text[m.end("wd"):m.end("wd") + 20])
    if not m["part"] and following and following.group(1).lower() in weekday_compounds():
        return None  # "Sunday school", "the Sunday Times": a name, not a date
    which = re.sub(r"\s+", " ", (m["which"] or "").lower())
    part = PARTS.get((m["part"] or "").lower())
    start = m.start("which") if which and which != "on" else m.start("wd")
    if m["pl"]:
        return Hit(start, m.end(), "weekday", "SET", f"XXXX-WXX-{wd + 1}", f"'{m['wd']}s': every such weekday", CONF_ANCHORED)
    suffix = "T" + part if part else ""
    if ctx.pub is None:
        return Hit(start, m.end(), "weekday", "TIME" if part else "DATE", f"XXXX-WXX-{wd + 1}{suffix}",
                   "a weekday and no publication date to count from", CONF_TENSE, None, ctx.anchor)
    pub = ctx.pub
    possessive = re.match(r"['’]s\b", ctx.text[m.end("wd"):])  # "Tuesday's summit": an event already held
    if which in ("next", "coming", "this coming") or (which in ("", "on", "this") and not possessive
                                                      and ctx.future(m.start())):
        delta = (wd - pub.weekday()) % 7 or 7
        d, how = pub + dt.timedelta(days=delta), "the next one after publication"
    elif which in ("last", "past", "this past"):
        delta = (pub.weekday() - wd) % 7 or 7
        d, how = pub - dt.timedelta(days=delta), "the most recent one before publication"
    else:
        delta = (pub.weekday() - wd) % 7
        d, how = pub - dt.timedelta(days=delta), "the nearest one on or before publication (news reports the past)"
    return Hit(start, m.end(), "weekday", "TIME" if part else "DATE", d.isoformat() + suffix, f"a weekday: {how}",
               CONF_TENSE, None, ctx.anchor)


def h_clock(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    h, mi = int(m["h"]), int(m["m"] or 0)
    ap = (m["ap"] or "").lower().replace(".", "").replace(" ", "")
    if ap == "pm" and h < 12:
        h += 12
    elif ap == "am" and h == 12:
        h = 0
    if h > 24 or mi > 59:
        return None
    return Hit(m.start("h"), m.end(), "clock", "TIME", f"T{h:02d}:{mi:02d}", "a clock time", CONF_ABSOLUTE - 0.1)


def h_noon(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    value = "T12:00" if m["w"].lower() == "noon" else "T24:00"
    return Hit(m.start("w"), m.end(), "clock", "TIME", value, f"'{m['w']}' is a clock time", CONF_ABSOLUTE - 0.1)


def h_set(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    unit = m["unit"].lower()
    unit = unit if unit in WEEKDAYS else unit.rstrip("s")
    n = number(m["n"]) if m["n"] else 1
    if unit in WEEKDAYS:
        value = f"XXXX-WXX-{WEEKDAYS[unit] + 1}"
    elif unit in PARTS:
        value = f"XXXX-XX-XXT{PARTS[unit]}"
    elif unit in SEASONS:
        value = f"XXXX-{SEASONS[unit]}"
    elif unit == "weekend":
        value = "XXXX-WXX-WE"
    else:
        code = UNIT_CODES[unit_base(unit)]
        value = f"P{code[0]}{fmt_num(n)}{code[1]}"
    return Hit(m.start(), m.end(), "set", "SET", value, f"'{m.group(0)}' recurs", CONF_ANCHORED)


def h_adverb_set(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    if m.group(0)[0].isupper() and ctx.text[:m.start()].rstrip()[-1:] not in ("", ".", "!", "?", "\n", "\u201c", '"'):
        return None  # "the McGill Daily": a title, not a frequency
    value = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
             "hourly": "PT1H"}[m.group(0).lower()]
    return Hit(m.start(), m.end(), "set", "SET", value, f"'{m.group(0)}' means once per period", CONF_ANCHORED)


def h_freq(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    code = UNIT_CODES[unit_base(m["unit"])]
    return Hit(m.start(), m.end(), "set", "SET", f"P{code[0]}1{code[1]}", f"'{m.group(0)}': a frequency per {m['unit']}",
               CONF_ANCHORED)


def h_season_year(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    return Hit(m.start(), m.end(), "season", "DATE", f"{m['year']}-{SEASONS[m['season'].lower()]}", "a season and year",
               CONF_ABSOLUTE - 0.05, mod_of(m["pre"]))


def h_quarter(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    q = m["q"].lower()
    qn = int(q[0]) if q[0].isdigit() else ORDINALS.index(q) + 1
    return Hit(m.start(), m.end(), "quarter", "DATE", f"{m['year']}-Q{qn}", "a quarter and year", CONF_ABSOLUTE - 0.05)


def h_part_of_unit(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    unit = m["unit"].lower()
    value, _ = shift_unit(unit, 0, ctx.pub)
    return Hit(m.start(), m.end(), "part_of_unit", "DATE", value, f"'the {unit}' is the {unit} of publication",
               CONF_TENSE, mod_of(m["pre"]), ctx.anchor)


def h_the_season(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    code = SEASONS[m["season"].lower()]
    if ctx.pub is None:
        return Hit(m.start("the"), m.end(), "season", "DATE", f"XXXX-{code}", "a season and no publication date",
                   CONF_TENSE, None, ctx.anchor)
    start, pub = SEASON_START[code], ctx.pub
    if ctx.future(m.start()):
        year = pub.year if pub.month < start + 3 else pub.year + 1
        how = "the next one (future-tense sentence)"
    else:
        year = pub.year if pub.month >= start else pub.year - 1
        how = "the latest one begun by publication"
    if code == "WI" and pub.month <= 2:
        year -= 1
    return Hit(m.start("the"), m.end(), "season", "DATE", f"{year:04d}-{code}", f"'the {m['season']}': {how}",
               CONF_TENSE, None, ctx.anchor)


def h_from_now(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    n, unit = number(m["n"]), unit_base(m["unit"])
    if n is None or ctx.pub is None or unit not in ("day", "week", "month", "year"):
        value = "FUTURE_REF" if n is None else {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX"}.get(unit, "XXXX")
    else:
        n, pub = int(n), ctx.pub
        value = {"day": lambda: (pub + dt.timedelta(days=n)).isoformat(),
                 "week": lambda: week_of(pub + dt.timedelta(weeks=n)),
                 "month": lambda: "%04d-%02d" % add_months(pub.year, pub.month, n),
                 "year": lambda: f"{pub.year + n:04d}"}[unit]()
    return Hit(m.start(), m.end(), "from_now", "DATE", value, f"{m['n']} {unit}(s) after publication", CONF_ANCHORED,
               None, ctx.anchor)


def h_anaphoric(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    # the value is filled in by resolve_anaphora() from the previous full date in the text
    return Hit(m.start(), m.end(), "anaphoric", "DATE", "ANAPHORIC:" + m["which"].lower() + ":" + m["unit"].lower(),
               "relative to the previous date in the text", CONF_ANAPHORIC)


def h_vague(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    phrase = re.sub(r"\s+", " ", m.group(0).lower())
    value = vague_lexicon()[phrase]
    after = ctx.text[m.end():m.end() + 12].lower()
    before = ctx.text[max(0, m.start() - 8):m.start()].lower()
    if phrase == "soon" and (after.startswith(" as") or before.endswith("as ")):
        return None  # "as soon as possible"
    if phrase == "now" and after.startswith(" on"):
        return None  # "from now on" is a duration, not a point
    return Hit(m.start(), m.end(), "vague", "DATE", value, f"'{phrase}' refers vaguely to the "
               + {"PRESENT_REF": "present", "PAST_REF": "past", "FUTURE_REF": "future"}[value], CONF_VAGUE)


@lru_cache(maxsize=1)
def weekday_compounds() -> frozenset[str]:
    return frozenset(entry.lower() for entry in entries("time_weekday_compounds.txt"))


@lru_cache(maxsize=1)
def vague_lexicon() -> dict[str, str]:
    found = {}
    for line in entries("time_refs.txt"):
        phrase, value = line.split("\t")
        found[phrase.strip().lower()] = value.strip()
    return found


@lru_cache(maxsize=1)
def rules() -> list[tuple[str, re.Pattern, Callable]]:
    I = re.I
    ordw = "|".join(sorted(ORDINALS, key=len, reverse=True))
    vague = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(vague_lexicon(), key=len, reverse=True))
    weekday_names = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    return [
        ("full_date_mdy", rx(MODPRE + MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+" + YEAR), h_full_date),
        ("full_date_dmy", rx(MODPRE + r"(?<![\d/.])(?:(?i:the)\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
                             + MONTH + r",?\s+" + YEAR), h_full_date),
        ("numeric_date", rx(r"(?<![\w/.-])(?:\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})"
                            r"(?![\w/]|\.\d)"), h_numeric),
        ("month_day", rx(MODPRE + MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?![\d:.,]\d|\s*%)(?!,?\s+\d{4})" + REL_YEAR),
         h_month_day),
        ("day_month", rx(MODPRE + r"(?<![\d/.])(?:(?i:the)\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH
                         + r"(?!,?\s+\d{4})" + REL_YEAR), h_month_day),
        ("month_year", rx(MODPRE + MONTH + r",?\s+(?:of\s+)?" + YEAR), h_month_year),
        ("month", rx(r"(?:(?P<which>(?i:last|next|this|coming))\s+|(?:(?i:" + CUE + r")\s+)?(?P<mod>(?i:" + SPAN_MOD
                     + r"))[\s-]+|(?i:" + CUE + r")\s+)" + MONTH + REL_YEAR), h_month),
        ("year", rx(r"(?:(?P<cue>(?i:in|since|until|till|by|from|during|through|before|after|around|circa|early|late|mid|"
                    r"the\s+year|(?:the\s+)?(?:beginning|start|end|middle)\s+of))[\s-]+)?(?<![\w$€£.,/])" + YEAR
                    + r"(?![\w/]|[.,]\d|\s*(?i:percent|per\s+cent))"), h_year),
        ("season_year", rx(r"(?:(?P<pre>(?i:early|late|mid))[\s-]+)?(?:(?i:the)\s+)?(?P<season>(?i:spring|summer|autumn|"
                           r"fall|winter))\s+(?:of\s+)?" + YEAR), h_season_year),
        ("quarter", rx(r"(?:(?i:the)\s+)?(?P<q>(?i:first|second|third|fourth|1st|2nd|3rd|4th))\s+(?i:quarter)\s+(?:of\s+)?"
                       + YEAR), h_quarter),
        ("decade", rx(r"(?:(?P<pre>(?i:before|after|(?:the\s+)?(?:beginning|start|end|middle)\s+of))\s+)?(?P<the>(?i:the)\s+)?"
                      r"(?:(?P<mod2>(?i:early|late|mid))[\s-]+)?(?:(?P<dec>1\d\d0|20\d0)[’']?s|[’'](?P<dec2>\d0)s|"
                      r"(?P<word>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)))(?!\w)"), h_decade),
        ("century", rx(r"(?:(?P<pre>(?i:before|after|(?:the\s+)?(?:beginning|start|end|middle)\s+of))\s+)?(?:(?i:the)\s+)?"
                       r"(?:(?P<mod2>(?i:early|late|mid))[\s-]+)?(?:(?P<ord>\d{1,2})(?:st|nd|rd|th)|(?P<ordw>(?i:" + ordw
                       + r")))[\s-]+(?i:century)"), h_century),
        ("rel_unit", rx(r"(?:(?P<pre>(?i:early|late|earlier|later|before|after|(?:the\s+)?(?:beginning|start|end|middle)\s+of))"
                        r"\s+)?(?P<which>(?i:this|last|next|current|the\s+current|the\s+past|the\s+last|the\s+next|"
                        r"the\s+previous|the\s+coming|past|previous|coming))\s+(?P<unit>(?i:week|weekend|month|year|decade|"
                        r"century|quarter|spring|summer|autumn|fall|winter|morning|afternoon|evening|night))\b"), h_rel_unit),
        ("ago", rx(r"(?:(?P<pre>about|around|nearly|almost|roughly|some|more\s+than|over|less\s+than|at\s+least)\s+)?"
                   r"(?<![\w-])" + NUM + r"\s+" + UNITS + r"\s+ago\b", I), h_ago),
        ("duration", rx(r"(?:(?P<pre>about|around|nearly|almost|roughly|some|more\s+than|over|less\s+than|under|at\s+least|"
                        r"up\s+to|the\s+past|the\s+last|the\s+next|the\s+first|the\s+previous|the\s+coming|for|within|after|"
                        r"in|during)\s+)?(?<![\w.-])" + NUM + r"[\s-]+" + UNITS + r"(?P<long>[\s-]long)?\b", I), h_duration),
        ("duration_bare", rx(r"(?:for|over|in|within)\s+(?P<unit>years|decades|months|weeks|centuries)\b(?!\s+(?:ago|of\b))",
                             I), h_duration_bare),
        ("long", rx(r"(?<![\w-])(?P<unit>week|month|year|day|hour|decade)[\s-]long\b", I), h_long),
        ("relday", rx(r"\b(?P<day>(?i:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|today|tonight|yesterday|tomorrow|"
                      r"last\s+night))(?:\s+(?P<part>(?i:morning|afternoon|evening|night)))?\b"), h_relday),
        ("weekday", rx(r"(?:(?P<which>(?i:this\s+past|this\s+coming|last|next|this|on|coming|past))\s+)?"
                r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|"
                r"Sun)\.)(?P<pl>s)?(?![a-z])(?:\s+(?P<part>(?i:morning|afternoon|evening|night)))?"), h_weekday),
        ("clock", rx(r"(?:(?:at|by|from|until|around|about|before|after)\s+)?(?<![\w.:])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?"
                     r"\s*(?:(?P<ap>a\.\s?m\.|p\.\s?m\.|a\.m|p\.m|am|pm)(?![\w])|o['’]clock)", I), h_clock),
        ("clock24", rx(r"(?:at|by|from|until|around|before|after)\s+(?P<h>\d{1,2}):(?P<m>\d{2})(?![\d:])(?P<ap>)", I), h_clock),
        ("noon", rx(r"(?:at|by|around|before|after|until)\s+(?P<w>noon|midnight)\b", I), h_noon),
        ("set", rx(r"\b(?:every|each)\s+(?:" + NUM + r"\s+)?(?P<unit>days?|weeks?|months?|years?|decades?|mornings?|"
                   r"afternoons?|evenings?|nights?|weekends?|summers?|winters?|springs?|autumns?|" + weekday_names.lower()
                   + r")\b", I), h_set),
        ("set_adverb", rx(r"\b(?:daily|weekly|monthly|annually|yearly|nightly|hourly)\b", I), h_adverb_set),
        ("freq", rx(r"\b(?:once|twice|(?:\d+|" + "|".join(SMALL[3:]) + r")\s+times)\s+(?:a|an|per|each|every)\s+"
                    r"(?P<unit>day|week|month|year)\b", I), h_freq),
        ("part_of_unit", rx(r"(?P<pre>(?:the\s+)?(?:beginning|start|end|middle)\s+of)\s+the\s+(?P<unit>year|month|week)\b", I),
         h_part_of_unit),
        ("the_season", rx(r"(?:in|during|over|through|since|until)\s+(?P<the>the)\s+(?P<season>spring|summer|autumn|fall|"
                          r"winter)\b(?!\s+(?:of\s+)?\d)", I), h_the_season),
        ("from_now", rx(r"(?<![\w-])" + NUM + r"\s+" + UNITS + r"\s+(?:from\s+now|hence)\b", I), h_from_now),
        ("anaphoric", rx(r"\b(?:the|that)\s+(?P<which>following|previous|preceding|same|next)\s+(?P<unit>day|week|month|"
                         r"year|morning|evening)\b", I), h_anaphoric),
        ("vague", rx(r"(?<![\w-])(?:" + vague + r")(?![\w-])", I), h_vague),
    ]


# ------------------------------------------------------------------------------------------------ anchored scanning
# Most rules open with optional words ("the beginning of", "last", a cue), so `re` tries them at every
# character of the text: 30 rules x every position was most of this analyzer's time. Every match of a rule
# contains a required anchor (a month name, a digit, a unit word, ...) that starts at most `back`
# whitespace-separated tokens after the match start. So a rule is tried (pattern.match) only at the positions
# from `back` tokens before each anchor occurrence to that occurrence's end, in text order, continuing after
# each match's end: exactly the matches finditer gives (the leftmost match at or after where the previous one
# ended), since every position where a match can start is tried. `back` counts every word the pattern can put
# before the anchor, plus one of slack. A rule without an entry here is scanned with plain finditer.
ANCHOR_PATTERNS: dict[str, tuple[re.Pattern, bool]] = {  # name -> (pattern, searched in the lower-cased text)
    # MONTH and weekday names are matched case-sensitively by the rules
    "month": (re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"), False),
    "weekday": (re.compile(r"Mon|Tue|Wed|Thu|Fri|Sat|Sun"), False),
    "digits": (re.compile(r"\d+"), False),
    # case-insensitive words: searched in text.lower() (see Anchors.lower)
    "decade_word": (re.compile(r"ties"), True),
    "quarter": (re.compile(r"quarter"), True),
    "century": (re.compile(r"centur"), True),
    "rel_unit": (re.compile(r"week|month|year|decade|century|quarter|spring|summer|autumn|fall|winter|morning|"
                            r"afternoon|evening|night"), True),
    "ago": (re.compile(r"ago"), True),
    "unit": (re.compile(r"second|minute|hour|day|week|month|year|decade|centur"), True),
    "long": (re.compile(r"long"), True),
    "relday": (re.compile(r"today|tonight|yesterday|tomorrow|night"), True),
    "noon": (re.compile(r"noon|midnight"), True),
    "every": (re.compile(r"every|each"), True),
    "set_adverb": (re.compile(r"daily|weekly|monthly|annually|yearly|nightly|hourly"), True),
    "freq": (re.compile(r"once|twice|times"), True),
    "year_month_week": (re.compile(r"year|month|week"), True),
    "season": (re.compile(r"spring|summer|autumn|fall|winter"), True),
    "from_now": (re.compile(r"now|hence"), True),
    "anaphoric": (re.compile(r"following|previous|preceding|same|next"), True),
}
# rule name -> [(anchor, back)]: the words a match can have before its anchor, counted from each rule's pattern
RULE_ANCHORS: dict[str, list[tuple[str, int]]] = {
    "full_date_mdy": [("month", 4)],  # "the beginning of" March
    "full_date_dmy": [("month", 7)],  # "the beginning of" "the" "5th" "of" March
    "numeric_date": [("digits", 1)],
    "month_day": [("month", 4)],
    "day_month": [("month", 7)],
    "month_year": [("month", 4)],
    "month": [("month", 6)],  # "as of" + "the beginning of" March
    "year": [("digits", 4)],  # "the beginning of" 1990
    "season_year": [("digits", 5)],  # "early" "the" "summer" "of" 1990
    "quarter": [("quarter", 3)],  # "the" "first" quarter
    "decade": [("digits", 6), ("decade_word", 6)],  # "the beginning of" "the" "early" 1990s
    "century": [("century", 7)],  # "the beginning of" "the" "early" "19th" century
    "rel_unit": [("rel_unit", 6)],  # "the beginning of" "the current" year
    "ago": [("ago", 7)],  # "more than" "a couple of" "years" ago
    "duration": [("unit", 6)],  # "more than" "a couple of" years
    "duration_bare": [("unit", 2)],  # "for" years
    "long": [("long", 2)],  # "year" long
    "relday": [("relday", 4)],  # "the day before" yesterday
    "weekday": [("weekday", 3)],  # "this past" Monday
    "clock": [("digits", 2)],  # "at" 8 p.m.
    "clock24": [("digits", 2)],
    "noon": [("noon", 2)],
    "set": [("every", 1)],
    "set_adverb": [("set_adverb", 1)],
    "freq": [("freq", 2)],  # "three" times
    "part_of_unit": [("year_month_week", 5)],  # "the beginning of" "the" year
    "the_season": [("season", 3)],  # "in" "the" summer
    "from_now": [("from_now", 6)],  # "a couple of" "days" "from" now
    "anaphoric": [("anaphoric", 2)],  # "the" following
}
# Characters that `re` matches case-insensitively to an ASCII letter though they are not ASCII (İ ı ſ K), and
# the one whose lower() changes the text's length (İ): with any of them present the lower-cased text is not
# a faithful stand-in, so the rules anchored on it fall back to plain finditer.
CASE_SPECIAL = re.compile("[\u0130\u0131\u017f\u212a]")
TOKEN = re.compile(r"\S+")


class Anchors:
    """Anchor occurrences of one text, found once and shared by the rules."""

    def __init__(self, text: str):
        self.text = text
        self.lower = None if CASE_SPECIAL.search(text) else text.lower()
        self.found: dict[str, list[tuple[int, int]]] = {}
        self._token_starts: Optional[list[int]] = None

    def occurrences(self, name: str) -> list[tuple[int, int]]:
        if name not in self.found:
            pattern, lowered = ANCHOR_PATTERNS[name]
            self.found[name] = [m.span() for m in pattern.finditer(self.lower if lowered else self.text)]
        return self.found[name]

    def back(self, pos: int, tokens: int) -> int:
        """The start of the whitespace-separated token ``tokens`` before the one at ``pos``."""
        if self._token_starts is None:
            self._token_starts = [m.start() for m in TOKEN.finditer(self.text)]
        i = bisect.bisect_right(self._token_starts, pos) - 1 - tokens
        return self._token_starts[i] if i >= 0 else 0

    def finditer(self, rule: str, pattern: re.Pattern):
        spec = RULE_ANCHORS.get(rule)
        if spec is None or (self.lower is None and any(ANCHOR_PATTERNS[a][1] for a, _ in spec)):
            yield from pattern.finditer(self.text)
            return
        regions = sorted((self.back(start, back), end) for name, back in spec for start, end in self.occurrences(name))
        text, pos, tried = self.text, 0, -1  # pos: where the previous match ended; tried: last position tried
        match = pattern.match
        for lo, hi in regions:
            s = max(lo, pos, tried + 1)
            while s <= hi:
                m = match(text, s)
                if m is not None and m.end() > s:
                    yield m
                    pos = m.end()
                    s = pos
                else:
                    s += 1
            tried = max(tried, hi)


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


def h_spacy(span: Any, ctx: Ctx) -> Optional[Hit]:
    text = span.text
    has_year = re.search(r"(?<!\d)(1[5-9]|20)\d\d(?!\d)", text)
    has_month = re.search(r"\b(?:" + "|".join(k.capitalize() for k in MONTHS) + r")\b", text)
    if not (has_month or re.search(r"\d", text)):
        return None
    if ctx.pub is None and not has_year:
        return None
    if has_month and re.fullmatch(r"[A-Z][a-z]+\.?", text):
        return None  # a bare month name ("the warmest April"): the rules take months only after a cue word
    if re.fullmatch(r"\d+", text) and (span.root.dep_ == "nummod" or len(text) != 4):
        return None  # "2000 troops": a count spaCy took for a year
    parsed = dateparse(text, ctx.pub or ANY_BASE)
    if parsed is None:
        return None
    when, period = parsed
    if period == "time":
        if not re.search(r"\d[:.]\d\d|[ap]\.?m\b", text, re.I):
            return None  # dateparser reads "the 1990s" as a clock time
        value = when.strftime("%Y-%m-%dT%H:%M")
    elif period == "day":
        value = when.date().isoformat()
    elif period == "week":
        value = week_of(when.date())
    elif period == "month":
        value = when.strftime("%Y-%m")
    else:
        value = f"{when.year:04d}"
    return Hit(span.start_char, span.end_char, "spacy_dateparser", "TIME" if period == "time" else "DATE", value,
               f"spaCy tagged '{text}' {span.label_}; dateparser normalised it", CONF_SPACY, None,
               ctx.anchor if not has_year else None, priority=99)


# ------------------------------------------------------------------------------------------------ post-passes
def select(hits: list[Hit]) -> list[Hit]:
    """Keep the longest hit where hits overlap (rule order breaks ties)."""
    chosen: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.priority, h.start)):
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def merge_weekday_dates(hits: list[Hit], text: str) -> list[Hit]:
    """'Tuesday, May 24' is one expression: the date's value, the weekday kept in the span."""
    out: list[Hit] = []
    for hit in hits:
        prev = out[-1] if out else None
        if (prev is not None and prev.rule == "weekday" and hit.rule in ("month_day", "full_date")
                and re.fullmatch(r",?\s*(?:the\s+)?", text[prev.end:hit.start])):
            hit.start = prev.start
            hit.why += " (the weekday before it names the same day)" if prev.value[:10] == hit.value[:10] else \
                " (the weekday before it was ignored: the written date wins)"
            out[-1] = hit
            continue
        out.append(hit)
    return out


def resolve_anaphora(hits: list[Hit]) -> None:
    """'the following week' etc. -> relative to the previous day-precise date in the text."""
    last: Optional[tuple[Hit, dt.date]] = None
    for hit in hits:
        if hit.value.startswith("ANAPHORIC:"):
            _, which, unit = hit.value.split(":")
            if last is None:
                hit.value = {"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}.get(unit, "XXXX-XX-XX")
                hit.why = "relative to an earlier date, but no earlier full date in the text"
                continue
            ref_hit, ref = last
            k = {"following": 1, "next": 1, "previous": -1, "preceding": -1, "same": 0}[which]
            if unit in ("day", "morning", "evening"):
                hit.value = (ref + dt.timedelta(days=k)).isoformat() + ({"morning": "TMO", "evening": "TEV"}.get(unit, ""))
            elif unit == "week":
                hit.value = week_of(ref + dt.timedelta(weeks=k))
            elif unit == "month":
                hit.value = "%04d-%02d" % add_months(ref.year, ref.month, k)
            else:
                hit.value = f"{ref.year + k:04d}"
            hit.anchor = f"previous date '{ref_hit.value}'"
            hit.why = f"'{which} {unit}' counted from the previous full date in the text ({ref.isoformat()})"
            continue
        day = re.match(r"(\d{4})-(\d{2})-(\d{2})", hit.value)
        if day and hit.type in ("DATE", "TIME"):
            last = (hit, dt.date(*map(int, day.groups())))


def attach_clock_times(hits: list[Hit], ctx: Ctx) -> None:
    """'8 p.m. on Monday' / 'Monday at 8 p.m.': give the clock time the day next to it."""
    for i, hit in enumerate(hits):
        if hit.rule != "clock" or not hit.value.startswith("T"):
            continue
        for other in (hits[i - 1] if i > 0 else None, hits[i + 1] if i + 1 < len(hits) else None):
            if other is None or not re.fullmatch(r"(\d{4}|XXXX)-\S\S-\S\S", other.value):
                continue
            gap = ctx.text[min(hit.end, other.end):max(hit.start, other.start)]
            if len(gap) <= 6 and re.fullmatch(r"[\s,]*(?:on|at)?[\s,]*", gap, re.I):
                hit.value = other.value + hit.value
                hit.why += f", on the day given next to it ('{other.value}')"
                hit.anchor = other.anchor
                break


# ------------------------------------------------------------------------------------------------ analyze
def parse_published(value: Any) -> Optional[dt.date]:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def skipped_ranges(article: Document, config: Config) -> list[tuple[int, int]]:
    return [(b.start, b.end) for b in article.get("blocks") if getattr(b, "kind", None) in config.skip_block_kinds]


def historic_ranges(article: Document) -> list[tuple[int, int]]:
    """Titles and captions (present tense for past events); without blocks, the first line if unpunctuated."""
    blocks = article.get("blocks")
    if blocks:
        return [(b.start, b.end) for b in blocks if getattr(b, "kind", None) in HISTORIC_PRESENT_KINDS]
    first = article.text.split("\n", 1)[0]
    return [(0, len(first))] if first.strip() and first.rstrip()[-1:] not in ".!?\"”" else []


def find(text: str, published: Optional[dt.date], doc: Any = None, config: Config = Config(),
         skip: list[tuple[int, int]] = (), historic: list[tuple[int, int]] = ()) -> list[Hit]:
    """All time expressions in ``text`` as Hits (the analyzer's core, usable without a Document).

    ``skip``: ranges whose expressions are dropped (boilerplate); ``historic``: ranges (titles, captions)
    whose present tense narrates the past."""
    sentences = sentence_bounds(doc, text)
    ctx = Ctx(text, published, config.grace_days, sentences, doc, list(historic))
    hits: list[Hit] = []
    anchors = Anchors(text)
    for priority, (name, pattern, handler) in enumerate(rules()):
        for m in anchors.finditer(name, pattern):
            try:
                hit = handler(m, ctx)
            except (ValueError, KeyError, IndexError, OverflowError):
                hit = None  # degrade per candidate
            if hit is not None and hit.end > hit.start:
                hit.priority = priority
                hits.append(hit)
    chosen = select(hits)
    if doc is not None and config.use_spacy_candidates:
        extra = []
        for ent in doc.ents:
            if ent.label_ in ("DATE", "TIME") and all(ent.end_char <= h.start or ent.start_char >= h.end for h in chosen):
                hit = h_spacy(ent, ctx)
                if hit is not None:
                    extra.append(hit)
        chosen = sorted(chosen + extra, key=lambda h: h.start)
    chosen = [h for h in chosen if not any(s <= h.start < e for s, e in skip)]
    chosen = merge_weekday_dates(chosen, text)
    attach_clock_times(chosen, ctx)
    resolve_anaphora(chosen)
    for h in chosen:  # trim whitespace/punctuation a pattern may have swallowed
        while h.end > h.start and text[h.end - 1] in " ,\n\t":
            h.end -= 1
    return chosen


def sentence_bounds(doc: Any, text: str) -> list[tuple[int, int]]:
    """(start, end) characters of each spaCy sentence (read once per Doc); the whole text without a Doc."""
    if doc is None:
        return [(0, len(text))]
    return [(s.start_char, s.end_char) for s in token_view(doc).sentences()[1]]


GRANULARITY = [(r"^\d\dXX", 0), (r"^\d{3}X", 1), (r"^\d{4}$", 2), (r"^\d{4}-(?:Q\d|SP|SU|FA|WI)", 3),
               (r"^\d{4}-\d\d$", 4), (r"^\d{4}-W", 5), (r"^\d{4}-\d\d-\d\d$", 6)]


def sort_key(value: str) -> Optional[tuple[str, int]]:
    """(ISO date of the first day the value covers, granularity rank) or None when the year is unknown."""
    m = re.match(r"^(\d\d)([\dX])([\dX])", value)
    if not m:
        return None
    year = int(value[:4].replace("X", "0"))
    rank = next((r for pattern, r in GRANULARITY if re.match(pattern, value)), 7)
    first = dt.date(max(year, 1), 1, 1)
    try:
        if (w := re.match(r"^\d{4}-W(\d\d)", value)):
            first = dt.date.fromisocalendar(year, int(w.group(1)), 1)
        elif (q := re.match(r"^\d{4}-Q(\d)", value)):
            first = dt.date(year, 3 * int(q.group(1)) - 2, 1)
        elif (s := re.match(r"^\d{4}-(SP|SU|FA|WI)", value)):
            first = dt.date(year, SEASON_START[s.group(1)], 1)
        elif (d := re.match(r"^\d{4}-(\d\d)(?:-(\d\d))?", value)):
            first = dt.date(year, int(d.group(1)), int(d.group(2) or 1))
    except ValueError:
        pass
    return first.isoformat(), rank


def build_timeline(records: list[TimeExpr], doc: Any, article: Document, published: Optional[dt.date]) -> list[TimelineEntry]:
    text = article.text
    sentences = sentence_bounds(doc, text)
    starts = [s for s, _ in sentences]
    mentions = [(m.start, m.end, e.id) for e in article.get("entities") for m in (getattr(e, "mentions", None) or [])]
    rows = []
    for rec in records:
        if rec.type not in ("DATE", "TIME"):
            continue
        value = rec.value
        if value == "PRESENT_REF" and published is not None:
            value = published.isoformat()
        key = sort_key(value)
        if key is None:
            continue
        i = max(bisect.bisect_right(starts, rec.start) - 1, 0)
        s, e = sentences[i]
        # a sentence never crosses a line break: in plain-text articles lines are headlines, captions, paragraphs
        s = max(s, text.rfind("\n", s, rec.start) + 1)
        nl = text.find("\n", rec.end, e)
        e = nl if nl != -1 else e
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            s, e = rec.start, rec.end
        ents = sorted({eid for ms, me, eid in mentions if ms < e and me > s}, key=lambda x: (len(x), x))
        why = f"'{rec.text}' ({rec.value}) dates the sentence it stands in"
        if rec.value == "PRESENT_REF":
            why += "; the present is the publication date"
        rows.append((key, rec.start, TimelineEntry(rec.id, value, s, e, text[s:e], ents, rec.confidence,
                                                   Evidence("time.timeline", why), key[0], rec.mod)))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]


def analyze(doc: Any, article: Document, config: Config) -> dict[str, list]:
    published = parse_published(article.meta.get("published"))
    hits = find(article.text, published, doc, config, skipped_ranges(article, config), historic_ranges(article))
    records = []
    for i, h in enumerate(hits, 1):
        records.append(TimeExpr(f"t{i}", h.start, h.end, article.text[h.start:h.end], h.type, h.value, h.anchor,
                                round(h.confidence, 2), Evidence(f"time.{h.rule}", h.why), h.mod))
    return {"time": records, "timeline": build_timeline(records, doc, article, published)}
