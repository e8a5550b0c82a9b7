"""Normalised time values (ISO 8601 / TIMEX3, with X for what the text leaves open) as a reader says them:
``2024-03-05`` -> "5 March 2024", ``XXXX-WXX-1`` -> "a Monday", ``P3D`` -> "3 days". Unknown shapes are shown
as they are (the value itself is always kept next to the reading, for the record)."""
from __future__ import annotations

import re

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
PARTS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night"}
UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day", "H": "hour", "S": "second", "DE": "decade",
         "CE": "century"}
REFS = {"PRESENT_REF": "now", "PAST_REF": "in the past", "FUTURE_REF": "in the future"}


def month(number: str) -> str:
    index = int(number)
    return MONTHS[index - 1] if 1 <= index <= 12 else number


def clock(time: str) -> str:
    """The time of day after ISO's T: 14:30 stays, a named part of the day is said."""
    return PARTS.get(time, time[:5])


def readable(value: str) -> str:
    if not value:
        return value
    if value in REFS:
        return REFS[value]
    date, _, time = value.partition("T")
    said = readable_date(date) if date else None
    if said is None:
        return readable_duration(value) or value
    return f"{said}, {clock(time)}" if time else said


def readable_date(date: str) -> str | None:
    year = r"(\d{4}|XXXX)"
    if m := re.fullmatch(year + r"-(\d{2})-(\d{2})", date):
        day = f"{int(m.group(3))} {month(m.group(2))}"
        return day if m.group(1) == "XXXX" else f"{day} {m.group(1)}"
    if m := re.fullmatch(year + r"-(\d{2})", date):
        return month(m.group(2)) if m.group(1) == "XXXX" else f"{month(m.group(2))} {m.group(1)}"
    if m := re.fullmatch(year + r"-W(\d{2}|XX)(?:-(\d))?", date):
        day = DAYS[int(m.group(3)) - 1] if m.group(3) and 1 <= int(m.group(3)) <= 7 else None
        if m.group(2) == "XX":
            return f"a {day}" if day else None
        week = f"week {int(m.group(2))}" + ("" if m.group(1) == "XXXX" else f" of {m.group(1)}")
        return f"{day}, {week}" if day else week
    if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", date):
        return f"{SEASONS[m.group(2)]} {m.group(1)}"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", date):
        return f"Q{m.group(2)} {m.group(1)}"
    if re.fullmatch(r"\d{4}", date):
        return date
    if m := re.fullmatch(r"(\d{3})X", date):
        return f"the {m.group(1)}0s"
    if m := re.fullmatch(r"(\d{2})XX", date):
        return f"the {int(m.group(1)) * 100}s"
    return None


def readable_duration(value: str) -> str | None:
    m = re.fullmatch(r"P(T?)(\d+|X)(DE|CE|Y|M|W|D|H|S)", value)
    if m is None:
        return None
    unit = "minute" if m.group(1) and m.group(3) == "M" else UNITS[m.group(3)]
    if m.group(2) == "X":
        return f"some {unit}s"
    n = int(m.group(2))
    return f"{n} {unit}" + ("" if n == 1 else "s")
