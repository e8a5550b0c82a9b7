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

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from ...document import Document, Evidence, TimeExpr
from .vocab import HISTORIC_PRESENT_KINDS
from .context import Ctx, Hit, dateparse
from .rules import Anchors, rules
from .passes import attach_clock_times, h_spacy, merge_ranges, merge_weekday_dates, resolve_anaphora, select
from .timeline import build_timeline, sentence_bounds, sort_key


NAME = "time"
VERSION = "0.2.0"
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
    chosen = merge_ranges(chosen, text)
    attach_clock_times(chosen, ctx)
    resolve_anaphora(chosen)
    for h in chosen:  # trim whitespace/punctuation a pattern may have swallowed
        while h.end > h.start and text[h.end - 1] in " ,\n\t":
            h.end -= 1
    return chosen


def analyze(doc: Any, article: Document, config: Config) -> dict[str, list]:
    published = parse_published(article.meta.get("published"))
    hits = find(article.text, published, doc, config, skipped_ranges(article, config), historic_ranges(article))
    records = []
    for i, h in enumerate(hits, 1):
        records.append(TimeExpr(f"t{i}", h.start, h.end, article.text[h.start:h.end], h.type, h.value, h.anchor,
                                round(h.confidence, 2), Evidence(f"time.{h.rule}", h.why), h.mod))
    return {"time": records, "timeline": build_timeline(records, doc, article, published)}


__all__ = ['ASSIGNS', 'Anchors', 'Config', 'Ctx', 'Hit', 'NAME', 'REQUIRES', 'VERSION', 'analyze', 'dateparse', 'find', 'historic_ranges', 'parse_published', 'rules', 'skipped_ranges', 'sort_key']
