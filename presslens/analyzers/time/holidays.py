"""Named holidays ("by Christmas", "on Easter Monday", "after Thanksgiving"), normalised against publication.

A holiday with no year is the latest one on or before publication (news reports the past), or the next one on or
after it when its sentence is about the future, or a deadline cue stands before it ("by", "until", "before") in a
sentence not in the past tense ("finished by Christmas", but "ended before Easter").
Dates: fixed days of the Gregorian calendar, Easter by the anonymous Gregorian computus (Meeus/Jones/Butcher),
US Thanksgiving (fourth Thursday of November), Memorial Day (last Monday of May), Labor Day (first Monday of
September).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Optional

from .context import Ctx, Hit
from .vocab import CONF_ABSOLUTE, CONF_TENSE, YEAR


def easter(year: int) -> dt.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based; -1 = last) given weekday (Monday = 0) of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def fixed(month: int, day: int) -> Callable[[int], dt.date]:
    return lambda year: dt.date(year, month, day)


# Lower-case name (apostrophes straight, single spaces) -> the day it falls on in a given year.
HOLIDAYS: dict[str, Callable[[int], dt.date]] = {
    "christmas": fixed(12, 25), "christmas day": fixed(12, 25), "christmas eve": fixed(12, 24),
    "boxing day": fixed(12, 26), "new year's eve": fixed(12, 31), "new year's day": fixed(1, 1),
    "new year": fixed(1, 1), "epiphany": fixed(1, 6), "valentine's day": fixed(2, 14),
    "st patrick's day": fixed(3, 17), "st. patrick's day": fixed(3, 17), "saint patrick's day": fixed(3, 17),
    "may day": fixed(5, 1), "halloween": fixed(10, 31), "all saints' day": fixed(11, 1),
    "guy fawkes night": fixed(11, 5), "bonfire night": fixed(11, 5), "bastille day": fixed(7, 14),
    "easter": easter, "easter sunday": easter, "easter monday": lambda y: easter(y) + dt.timedelta(days=1),
    "good friday": lambda y: easter(y) - dt.timedelta(days=2),
    "thanksgiving": lambda y: nth_weekday(y, 11, 3, 4), "thanksgiving day": lambda y: nth_weekday(y, 11, 3, 4),
    "memorial day": lambda y: nth_weekday(y, 5, 0, -1), "labor day": lambda y: nth_weekday(y, 9, 0, 1),
}
DEADLINE_CUES = ("by", "until", "till", "before", "ahead of")
NAMES = "|".join(sorted((re.escape(n).replace(r"\ ", r"\s+").replace("'", "['’]") for n in HOLIDAYS),
                        key=len, reverse=True))
HOLIDAY_PATTERN = r"(?<![\w-])(?P<name>(?i:" + NAMES + r"))(?![\w-])(?:\s+(?:of\s+)?" + YEAR + r")?"


def key(name: str) -> str:
    return re.sub(r"\s+", " ", name.lower().replace("’", "'"))


def h_holiday(m: re.Match, ctx: Ctx) -> Optional[Hit]:
    name = m["name"]
    if not name[0].isupper():
        return None  # "the new year" is not a date of New Year's Day
    day_of = HOLIDAYS[key(name)]
    if m["year"]:
        d = day_of(int(m["year"]))
        return Hit(m.start(), m.end(), "holiday", "DATE", d.isoformat(), f"'{name}' in the year written with it",
                   CONF_ABSOLUTE)
    if ctx.pub is None:
        return None  # no year to place it in: the month-day alone would be a guess for movable feasts
    before = ctx.text[max(0, m.start() - 10):m.start()].lower().split()
    deadline = bool(before) and (before[-1] in DEADLINE_CUES or " ".join(before[-2:]) == "ahead of")
    pub = ctx.pub
    verb = ctx.governing_verb(m.start())
    past = verb is not None and (verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in verb.children
                                                           if c.dep_ in ("aux", "auxpass")))
    if ctx.future(m.start()) or (deadline and not past):
        d = day_of(pub.year)
        d = d if d >= pub else day_of(pub.year + 1)
        how = "the next one on or after publication (" + ("a deadline" if deadline else "future-tense sentence") + ")"
    else:
        d = day_of(pub.year)
        d = d if d <= pub + dt.timedelta(days=ctx.grace) else day_of(pub.year - 1)
        how = "the latest one up to publication (news reports the past)"
    return Hit(m.start(), m.end(), "holiday", "DATE", d.isoformat(), f"the holiday '{name}': {how}", CONF_TENSE,
               None, ctx.anchor)
