"""Reported (indirect) speech from the parse: clausal complements of reporting verbs and 'according to X'.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from ...document import Span, Speaker
from ..shared import reporting_verbs, token_view
from .context import Context
from .verbs import governs_fragment, is_reporting
from .speakers import NOT_REPORTED, resolve_speaker, subject_near


log = logging.getLogger(__name__)


# ----------------------------------------------------------------------------------------------- reported speech
def find_reported(ctx: Context, taken: list[tuple[int, int]],
                  direct: list[tuple[int, int]] = ()) -> list[tuple[Span, Span, Speaker, str, float]]:
    """Clausal complements of reporting verbs and 'according to X' clauses: (content, cue, speaker, rule, conf).

    Each verb is tried on its own: a parse oddity loses that one report, never the document."""
    out = []
    view = token_view(ctx.doc)  # token forms read once per Doc
    # report_of finds nothing at a token that is neither 'according' nor a verb (speech verbs and verbs that
    # characterise in quoted words are VERB/AUX): only those become Token objects and are tried
    for tok in (ctx.doc[i] for i, (lower, pos) in enumerate(zip(view.lower, view.pos))
                if lower == "according" or pos in ("verb", "aux")):
        try:
            item = report_of(ctx, tok, taken, direct)
        except Exception:  # degrade per item, visibly: the report at this verb is lost, the document is not
            log.warning("quotes: reading the report at token %d (%r) failed", tok.i, tok.text, exc_info=True)
            item = None
        if item is not None:
            out.append(item)
    return out


def report_of(ctx: Context, tok: Any, taken: list[tuple[int, int]],
              direct: list[tuple[int, int]]) -> Optional[tuple[Span, Span, Speaker, str, float]]:
    xcomp_ok = reporting_verbs().xcomp
    doc, text = ctx.doc, ctx.text
    if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
        item = according_to(ctx, tok)
        if item is None:
            return None
        start, end = stop_at_direct(ctx, direct, item[0].start, item[0].end)
        return (Span.of(text, start, end),) + item[1:] if end - start >= 2 else None
    if inside(taken, tok.idx):
        return None
    if is_reporting(tok):
        comps = [c for c in tok.children if c.dep_ == "ccomp" or (c.dep_ == "xcomp" and tok.lemma_.lower() in xcomp_ok)]
    elif governs_fragment(tok):
        comps = [fragment_complement(tok, taken)]
    else:
        return None
    if not comps or comps[0] is None:
        return None
    subj = subject_near(ctx, tok)
    if subj is None:
        return None
    comp = comps[0]
    left, right = comp.left_edge.i, comp.right_edge.i
    if comp.i > tok.i:  # material the parser hung on the verb after the clause still belongs to what was said
        right = max(right, min(tok.right_edge.i, tok.sent.end - 1))
    right = extend_into_quote(ctx, taken, right)
    bounds = clause_chars(ctx, left, right, skip_marks=True)
    if bounds is None:
        return None
    start, end = clip_to_paragraph(ctx, tok.idx, *bounds)
    start, end = stop_at_direct(ctx, direct, start, end)
    if end - start < 2 or ctx.blocked.at(start) or within_quote(taken, start, end):
        return None
    why = (f"clause reported by '{subj.text} … {tok.text}'" if subj.i < tok.i
           else f"clause reported by '{tok.text} {subj.text}'")
    speaker = resolve_speaker(ctx, subj, why)
    if speaker.evidence.by in NOT_REPORTED:
        return None  # "one could argue …", the author's "I recall …": no one else's report
    return (Span.of(text, start, end), Span.of(text, tok.idx, tok.idx + len(tok)), speaker,
            "quotes.reported_ccomp" if comp.dep_ == "ccomp" else "quotes.reported_xcomp", 0.7)


def fragment_complement(verb: Any, taken: list[tuple[int, int]]) -> Optional[Any]:
    """For 'called him “a total stiff”': the object whose subtree holds a quoted phrase (the quoted words are what
    was said; the object is reported with them)."""
    for child in verb.children:
        if child.i > verb.i and child.dep_ in ("dobj", "oprd", "prep", "xcomp", "ccomp", "attr", "pcomp"):
            lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
            if any(lo <= s < hi for s, _ in taken):
                return child
    return None


def extend_into_quote(ctx: Context, taken: list[tuple[int, int]], right: int) -> int:
    """A reported clause that ends inside quotation marks ends at the closing mark instead."""
    end_char = ctx.doc[right].idx
    for s, e in taken:
        if s <= end_char < e:
            k = right
            while k + 1 < len(ctx.doc) and ctx.doc[k + 1].idx < e:
                k += 1
            return k
    return right


def clause_chars(ctx: Context, left: int, right: int, skip_marks: bool = False) -> Optional[tuple[int, int]]:
    """Character bounds of tokens left..right without edge punctuation (and a leading 'that' when skip_marks);
    None when fewer than min_reported_tokens remain."""
    doc = ctx.doc
    while left <= right and ((skip_marks and doc[left].dep_ == "mark") or doc[left].is_punct or doc[left].is_space):
        left += 1
    while right >= left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    if right - left + 1 < ctx.config.min_reported_tokens:
        return None
    return doc[left].idx, doc[right].idx + len(doc[right])


def according_to(ctx: Context, tok: Any) -> Optional[tuple]:
    to = next(c for c in tok.children if c.lower_ == "to")
    src = next((c for c in to.children if c.dep_ == "pobj"), None)
    if src is None:
        return None
    sent = tok.sent
    phrase = (tok.left_edge.i, tok.right_edge.i)
    before = (sent.start, phrase[0] - 1)
    after = (phrase[1] + 1, sent.end - 1)
    left, right = max([before, after], key=lambda r: r[1] - r[0])
    bounds = clause_chars(ctx, left, right)
    if bounds is None:
        return None
    start, end = bounds
    if ctx.blocked.at(start):
        return None
    cue_end = to.idx + len(to)
    why = f"attributed with '{ctx.text[tok.idx:cue_end]} {src.text}'"
    speaker = resolve_speaker(ctx, src, why)
    if speaker.evidence.by in NOT_REPORTED:
        return None
    return (Span.of(ctx.text, start, end), Span.of(ctx.text, tok.idx, cue_end), speaker, "quotes.according_to", 0.75)


def inside(ranges: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in ranges)


def stop_at_direct(ctx: Context, direct: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """A reported clause ends where a direct quote with its own attribution begins ('…, saying, “…”')."""
    for s, e in direct:
        if s <= start < e:
            return start, start  # starts inside a direct quote: not a separate report
        if start < s < end:
            end = s
    text = ctx.text
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–―-"):
        end -= 1
    return start, end


def within_quote(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """[start, end) lies inside one quotation (marks included): it is that direct quote, not reported speech."""
    return any(s <= start and end <= e + 1 for s, e in ranges)


def clip_to_paragraph(ctx: Context, anchor: int, start: int, end: int) -> tuple[int, int]:
    """Keep a reported clause inside the paragraph of its verb (the parser runs sentences over line breaks)."""
    para_start, para_end = ctx.paragraph(anchor)
    start, end = max(start, para_start), min(end, para_end)
    text = ctx.text
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end
