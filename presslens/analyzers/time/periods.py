"""Rules for clock times, sets ('every week'), seasons, quarters, parts of units and vague references.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from .vocab import CONF_ABSOLUTE, CONF_ANAPHORIC, CONF_ANCHORED, CONF_TENSE, CONF_VAGUE, ORDINALS, PARTS, SEASONS, SEASON_START, UNIT_CODES, WEEKDAYS, vague_lexicon
from .context import Ctx, Hit, add_months, fmt_num, mod_of, number, unit_base, week_of
from .relative import shift_unit


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
