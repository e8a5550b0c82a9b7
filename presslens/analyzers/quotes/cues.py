"""Speech cues next to a quote: an introduction before it, an attribution after it, a verb that governs it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ...document import Span, Speaker
from .marks import Marked
from .context import Context
from .verbs import governs_fragment, is_reporting
from .speakers import resolve_speaker, subject_near


# A speaker label before a colon ('Clinton: “…”') is at most this many name tokens.
MAX_LABEL_TOKENS = 3
# After a quote that ends its sentence, a capitalised word may still start its attribution ('“Why?” Ann asked.'),
# but only a reporting verb within this many tokens counts.
NEW_SENTENCE_CUE_TOKENS = 4


# ----------------------------------------------------------------------------------------------- cues
@dataclass
class Cue:
    kind: str  # colon | comma | after | dash | govern | previous_sentence | alternation
    cue: Optional[Span]
    speaker: Optional[Speaker]
    confidence: float
    why: str


def find_cue_before(ctx: Context, q: Marked) -> Optional[Cue]:
    """'X said: “…”', 'X pressed, “…”', or the previous paragraph ending in ':' or a dash."""
    text = ctx.text
    para_start, _ = ctx.paragraph(q.start)
    before = text[para_start:q.start].rstrip()
    if not before:
        prev_end = para_start - 1
        while prev_end > 0 and text[prev_end - 1].isspace():
            prev_end -= 1
        if prev_end <= 0 or ctx.blocked.at(prev_end - 1):
            return None
        before_end, last = prev_end, text[prev_end - 1]
        if last not in ":—–―-":
            return None
        where = "at the end of the previous paragraph"
    else:
        before_end, last = para_start + len(before), before[-1]
        if last not in ":,—–―":
            return None
        where = "before the quote"
    punct_pos = before_end - 1
    punct = ctx.token_at(punct_pos)
    verb = None
    for k in range(punct.i - 1, max(-1, punct.i - 1 - ctx.config.before_cue_tokens), -1):
        tok = ctx.doc[k]
        if tok.text in ("”", "“", '"', ".", "?", "!") or (tok.is_space and "\n" in tok.text):
            break
        if is_reporting(tok, adjacent=True):
            verb = tok
            break
    kind = "colon" if last == ":" else ("dash" if last in "—–―-" else "comma")
    if verb is None and kind == "colon":
        label = name_label(ctx, punct)
        if label is not None:
            why = f"introduced by the name label '{label.text}:'"
            return Cue("colon", Span.of(text, punct_pos, punct_pos + 1), resolve_speaker(ctx, label, why), 0.8, why)
    if verb is None:
        if kind == "comma":
            return None
        # a colon or dash with no reporting verb: the subject of the clause before it
        head = punct.head if punct.head.pos_ in ("VERB", "AUX") else punct.sent.root
        subj = subject_near(ctx, head) if head.pos_ in ("VERB", "AUX") else None
        if subj is None or subj.idx >= q.start or ctx.blocked.at(subj.idx):
            return None
        cue = Span.of(text, punct_pos, punct_pos + 1)
        speaker = resolve_speaker(ctx, subj, f"introduced by '{last}' {where}")
        return Cue(kind, cue, speaker, 0.75, f"introduced by '{last}' {where}")
    subj = subject_near(ctx, verb)
    if subj is None:
        subj = next((c for c in verb.children if c.dep_ in ("dobj", "attr") and c.i > verb.i
                     and c.pos_ in ("PROPN", "NOUN")), None)
    if subj is None:  # "Said Ellis: “…”": the name between an inverted verb and the colon
        subj = next((t for t in reversed(ctx.doc[verb.i + 1:punct.i]) if t.pos_ == "PROPN"), None)
    cue = Span.of(text, verb.idx, verb.idx + len(verb))
    why = f"introduced by '{verb.text}{last}' {where}"
    if subj is None:
        return Cue(kind, cue, None, 0.6, why)
    return Cue(kind, cue, resolve_speaker(ctx, subj, why), 0.9 if kind == "colon" else 0.85, why)


def name_label(ctx: Context, colon: Any) -> Optional[Any]:
    """'Clinton: “…”' / 'SEN. LEE: “…”': a short name alone before the colon (after a sentence end or line start)."""
    k = colon.i - 1
    names = []
    while k >= 0 and len(names) <= MAX_LABEL_TOKENS and ctx.doc[k].pos_ == "PROPN" and "\n" not in ctx.doc[k].text:
        names.append(ctx.doc[k])
        k -= 1
    if not names or len(names) > MAX_LABEL_TOKENS:
        return None
    before = ctx.doc[k] if k >= 0 else None
    if before is not None and not (before.is_space or before.text in (".", "!", "?", "”", '"')):
        return None
    return names[0]


def find_cue_after(ctx: Context, q: Marked) -> Optional[Cue]:
    """'“…,” X said.' / '“…,” said X.' / '“…” — X'."""
    text = ctx.text
    _, para_end = ctx.paragraph(q.end - 1)
    after = text[q.end:para_end]
    stripped = after.lstrip()
    if not stripped:
        return None
    offset = q.end + len(after) - len(stripped)
    if stripped[0] in "—–―" :
        tok = ctx.token_at(offset)
        nxt = ctx.doc[tok.i + 1] if tok.i + 1 < len(ctx.doc) else None
        if nxt is not None and nxt.pos_ == "PROPN":
            head = nxt
            while head.dep_ in ("compound", "flat") and head.head.i > head.i:
                head = head.head
            cue = Span.of(text, offset, offset + 1)
            return Cue("dash", cue, resolve_speaker(ctx, head, "attributed with a dash after the quote"), 0.8,
                       "attributed with a dash after the quote")
    first = ctx.token_at(offset)
    comma_ended = text[q.content_end - 1:q.content_end] in ",?!" or stripped[:1] == ","
    reach = ctx.config.after_cue_tokens
    if text[q.content_end - 1:q.content_end] in ".!?" and stripped[:1].isupper():
        reach = NEW_SENTENCE_CUE_TOKENS  # '“Who are they?” Trump said': only a verb right there attributes it
    for k in range(first.i, min(len(ctx.doc), first.i + reach)):
        tok = ctx.doc[k]
        if tok.idx >= para_end or tok.text in ("“", '"', "«", "„") or (tok.text in (".", "?", "!", ";") and k > first.i):
            break
        if is_reporting(tok, adjacent=True):
            subj = subject_near(ctx, tok)
            cue = Span.of(text, tok.idx, tok.idx + len(tok))
            why = f"attributed by '{tok.text}' after the quote"
            if subj is not None and subj.idx < q.end:
                subj = None  # the verb's subject sits before or inside the quote: not an after-attribution
            if subj is None:
                subj = noun_between(ctx, first.i, tok.i)
            if subj is None and all(ctx.doc[x].is_punct for x in range(first.i, tok.i)):
                # "…,” said X": the first name after the verb (parsed as dobj/attr sometimes)
                subj = next((c for c in tok.children if c.i > tok.i and c.pos_ in ("PROPN", "NOUN", "PRON")
                             and c.dep_ not in ("punct", "prep")), None)
            if subj is None:
                return None
            return Cue("after", cue, resolve_speaker(ctx, subj, why), 0.9, why)
        if tok.pos_ == "VERB" and comma_ended:
            # '“…,” exhorted X.' with a verb missing from the lexicon: a comma-ended quote followed by a clause
            # of subject + verb and nothing else is its attribution.
            return unlisted_verb_cue(ctx, q, first, tok)
    return None


def unlisted_verb_cue(ctx: Context, q: Marked, first: Any, verb: Any) -> Optional[Cue]:
    subj = noun_between(ctx, first.i, verb.i)
    if subj is None and all(ctx.doc[x].is_punct for x in range(first.i, verb.i)):
        subj = next((c for c in verb.children if c.i > verb.i and c.pos_ in ("PROPN", "NOUN")
                     and c.dep_ in ("nsubj", "dobj", "attr", "npadvmod")), None)
    if subj is None or subj.pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    end = verb.i + 1
    while end < len(ctx.doc) and ctx.doc[end].text not in (".", "!", "?", "“", '"', "\n") and end - verb.i < 12:
        end += 1
    if any(t.dep_ in ("ccomp", "dobj") and t.head.i == verb.i and t.i > verb.i and t.pos_ == "VERB"
           for t in ctx.doc[verb.i + 1:end]):
        return None
    cue = Span.of(ctx.text, verb.idx, verb.idx + len(verb))
    why = f"attributed by '{verb.text}' right after the comma-ended quote"
    return Cue("after", cue, resolve_speaker(ctx, subj, why), 0.75, why)


def noun_between(ctx: Context, first: int, verb: int) -> Optional[Any]:
    """Head of the first noun phrase between a closing mark and the verb after it ("…,” the senator said")."""
    for k in range(first, verb):
        tok = ctx.doc[k]
        if tok.pos_ in ("PROPN", "NOUN", "PRON"):
            while tok.dep_ in ("compound", "flat", "amod") and tok.head.i > tok.i and tok.head.i < verb:
                tok = tok.head
            return tok
    return None


def governing_verb(ctx: Context, q: Marked) -> Optional[Cue]:
    """A reporting verb in the same sentence whose subtree holds the quote (a quoted fragment of reported speech)."""
    tok = ctx.token_at(q.content_start)
    head, steps = tok, 0
    while head.head is not head and steps < 12:
        head = head.head
        steps += 1
        if governs_fragment(head) and not (head.idx >= q.start and head.idx < q.end):
            subj = subject_near(ctx, head)
            if subj is None or (q.start <= subj.idx < q.end):
                continue
            if subj.lower_ in ("i", "we"):
                return None
            cue = Span.of(ctx.text, head.idx, head.idx + len(head))
            why = f"inside what '{subj.text}' reports with '{head.text}'"
            return Cue("govern", cue, resolve_speaker(ctx, subj, why), 0.7, why)
    return None
