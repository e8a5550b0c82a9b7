"""Words and regex pieces of time expressions: months, weekdays, numbers, units, modifiers, confidences.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...lexicons import entries


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
