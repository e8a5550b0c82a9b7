"""The ordered rule table (pattern + handler) and the anchor words that let each rule skip most of a text.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Callable, Optional

from .vocab import CUE, MODPRE, MONTH, NUM, ORDINALS, REL_YEAR, SMALL, SPAN_MOD, UNITS, YEAR, rx, vague_lexicon
from .dates import h_century, h_decade, h_full_date, h_month, h_month_day, h_month_year, h_numeric, h_year
from .relative import h_ago, h_duration, h_duration_bare, h_long, h_rel_unit, h_relday, h_weekday
from .holidays import HOLIDAY_PATTERN, h_holiday
from .periods import h_adverb_set, h_anaphoric, h_clock, h_freq, h_from_now, h_noon, h_part_of_unit, h_quarter, h_season_year, h_set, h_the_season, h_vague


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
        ("holiday", rx(HOLIDAY_PATTERN), h_holiday),
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
    "holiday": (re.compile(r"christmas|boxing|new year|epiphany|valentine|patrick|may day|halloween|saints|fawkes|"
                           r"bonfire|bastille|easter|good friday|thanksgiving|memorial|labor"), True),
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
    "holiday": [("holiday", 2)],  # "St." "Patrick's" Day
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
