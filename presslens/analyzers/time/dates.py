"""Rules for written dates: full and numeric dates, month-day, month-year, months, years, decades, centuries.
"""
from __future__ import annotations

import re
from typing import Optional

from .vocab import CONF_ABSOLUTE, CONF_ANCHORED, CONF_TENSE, DECADE_WORDS, ORDINALS
from .context import ANY_BASE, Ctx, Hit, dateparse, mod_of, month_num, rel_year, resolve_month_day, safe_date, span_start


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
