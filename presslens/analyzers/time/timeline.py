"""The chronological timeline: dated sentences sorted by the first day their value covers.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import Any, Optional

from ...document import Document, Evidence, TimeExpr, TimelineEntry
from ..shared import token_view
from .vocab import SEASON_START


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
