"""Rules for dates relative to publication ('last week', 'two years ago', weekdays) and durations.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from .vocab import CONF_ANCHORED, CONF_TENSE, CONF_VAGUE, PARTS, SEASONS, SEASON_START, UNIT_CODES, WEEKDAYS, weekday_compounds
from .context import Ctx, Hit, add_months, dateparse, fmt_num, mod_of, number, unit_base, week_of


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
