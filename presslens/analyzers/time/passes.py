"""Passes over the rule hits: spaCy candidates, overlap selection, weekday+date merging, anaphora, clock times.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Optional

from .vocab import CONF_SPACY, MONTHS
from .context import ANY_BASE, Ctx, Hit, add_months, dateparse, week_of


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


# "from 2015 to 2019", "between 2010 and 2012", "2015-2019": two points of one interval.
RANGE_GAP = {"from": re.compile(r"\s*(?:to|until|till|through|thru|-|–|—)\s*", re.I),
             "between": re.compile(r"\s*(?:and|-|–)\s*", re.I),
             "": re.compile(r"\s*[-–—]\s*")}
RANGE_OPEN = re.compile(r"(?:\b(?P<cue>from|between)\s+)$", re.I)
POINT = re.compile(r"^(?:\d{4}|XXXX)(?:-\d\d(?:-\d\d)?)?$")


def merge_ranges(hits: list[Hit], text: str) -> list[Hit]:
    """Two dates of one granularity joined as a range become one interval, valued 'start/end' (ISO 8601)."""
    out: list[Hit] = []
    i = 0
    while i < len(hits):
        a = hits[i]
        b = hits[i + 1] if i + 1 < len(hits) else None
        opener = RANGE_OPEN.search(text[max(0, a.start - 12):a.start])
        cue = opener["cue"].lower() if opener else ""
        if (b is not None and a.type == b.type == "DATE" and not a.mod and not b.mod
                and POINT.match(a.value) and POINT.match(b.value) and len(a.value) == len(b.value)
                and a.value < b.value and RANGE_GAP[cue].fullmatch(text[a.end:b.start])):
            joined = text[a.end:b.start].strip()
            out.append(Hit(a.start, b.end, "range", "DATE", f"{a.value}/{b.value}",
                           f"{'‘' + cue + '’ … ' if cue else ''}‘{joined}’ joins two dates into one interval "
                           f"({a.why}; {b.why})", min(a.confidence, b.confidence), None, a.anchor or b.anchor,
                           a.priority))
            i += 2
            continue
        out.append(a)
        i += 1
    return out
