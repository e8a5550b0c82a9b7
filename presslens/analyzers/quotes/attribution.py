"""What a quoted span is (direct, partial, title, scare) and, for a quote with no cue of its own, who says
it from context: interview turns, continuation of the previous quote, the person of the previous sentence.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Optional

from ...document import Evidence, Span, Speaker
from .marks import Marked
from .context import Context, PERSON_TYPES, PRONOUNS, WORD
from .verbs import is_reporting
from .speakers import resolve_speaker, subject_near
from .cues import Cue, find_cue_after, find_cue_before, governing_verb
from .turns import headline_interviewee


# Words after which a title-cased quoted phrase names a work: 'on “The Late Show”', 'the “Late Show” program'.
TITLE_BEFORE = {"on", "the", "of", "in", "titled", "entitled", "called", "dubbed", "named", "from", "show", "program",
                "programme", "film", "book", "song", "album", "series", "movie", "newspaper", "magazine", "column", "hit"}
TITLE_AFTER = {"show", "program", "programme", "series", "film", "movie", "book", "song", "album", "podcast",
               "magazine", "newspaper", "column", "episode", "documentary", "interview", "article", "report", "play"}
SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "as", "is", "vs"}
# Text longer than this between two quotes is narration, not just an attribution ("…,” the senator said. “…").
MAX_ATTRIBUTION_CHARS = 100


# ----------------------------------------------------------------------------------------------- classify
def word_count(s: str) -> int:
    return len(WORD.findall(s))


def title_like(content: str, max_words: int) -> bool:
    words = content.strip().rstrip(".,!?").split()
    if not words or len(words) > max_words:
        return False
    significant = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(significant) and all(w[:1].isupper() or not w[:1].isalpha() for w in significant)


def title_position(ctx: Context, q: Marked) -> bool:
    text = ctx.text
    prev = re.findall(r"[\w’']+", text[max(0, q.start - 30):q.start])
    nxt = re.findall(r"\w+", text[q.end:q.end + 30])
    prev_word = prev[-1] if prev else ""
    next_word = nxt[0].lower() if nxt else ""
    return (prev_word.lower() in TITLE_BEFORE or next_word in TITLE_AFTER
            or (prev_word[:1].isupper() and q.start > 0 and text[q.start - 1] == " "
                and text[max(0, q.start - 2)] not in ".:,"))


# What joins the items of a list: '“A”, “B” and “C”'.
LIST_GAP = re.compile(r"\s*(?:,|;|&|and|or|,\s*and|,\s*or)\s*", re.I)


def in_title_list(ctx: Context, q: Marked, max_words: int) -> bool:
    """A title-cased quoted phrase listed next to another one ('nominees are “A”, “B” and “C”'): names of works."""
    k = bisect.bisect_left(ctx.quoted, (q.start, q.end))
    text = ctx.text
    for j in (k - 1, k + 1):
        if 0 <= j < len(ctx.quoted):
            s, e = ctx.quoted[j]
            gap = text[e:q.start] if j < k else text[q.end:s]
            if LIST_GAP.fullmatch(gap) and title_like(text[s + 1:e - 1], max_words) \
                    and not text[s + 1:e - 1].rstrip().endswith((".", "?", "!")):
                return True
    return False


def is_fragment(ctx: Context, q: Marked) -> bool:
    """Opening mark right after a word of the same sentence (not after , : — or a sentence end)."""
    text = ctx.text
    k = q.start - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    if k < 0 or text[k] == "\n":
        return False
    return text[k].isalnum() or text[k] in "’'%)"


def standalone(ctx: Context, q: Marked) -> bool:
    para_start, _ = ctx.paragraph(q.start)
    _, para_end = ctx.paragraph(q.end - 1)
    return not ctx.text[para_start:q.start].strip() and not ctx.text[q.end:para_end].strip(" \t.,")


def classify(ctx: Context, q: Marked, history: list[Said]) -> tuple[str, Optional[Cue]]:
    """(kind, cue) for one marked span."""
    cfg = ctx.config
    content = ctx.text[q.content_start:q.content_end]
    if ctx.blocked.at(q.start):
        return ("title" if title_like(content, cfg.max_title_words) else "scare"), None
    interviewee = headline_interviewee(ctx, q.start, q.end)
    if interviewee is not None:
        why = interviewee.evidence.why
        return "direct", Cue("interview", Span.of(ctx.text, q.end, q.end + 1), interviewee, 0.8, why)
    if title_like(content, cfg.max_title_words) and not content.rstrip().endswith((".", "?", "!")) \
            and in_title_list(ctx, q, cfg.max_title_words):
        return "title", None
    fragment = is_fragment(ctx, q)
    cue = None if fragment else find_cue_before(ctx, q)
    cue = cue or find_cue_after(ctx, q)
    if fragment:
        if cue is not None and cue.kind == "after" and word_count(content) > cfg.max_scare_words:
            return "partial", cue
        if title_like(content, cfg.max_title_words) and title_position(ctx, q):
            return "title", None
        governed = governing_verb(ctx, q)
        if governed is not None:
            return "partial", governed
        if word_count(content) <= cfg.max_scare_words or cue is None:
            return "scare", None
        return "partial", cue
    if cue is None and title_like(content, cfg.max_title_words) and title_position(ctx, q) \
            and not content.rstrip().endswith(("?", "!", ".")):
        return "title", None
    if cue is None:
        cue = context_speaker(ctx, q, history)
    if cue is None:
        cue = governing_verb(ctx, q)
    if cue is None and word_count(content) <= cfg.max_scare_words and not content.rstrip().endswith((".", "?", "!")):
        return ("title" if title_like(content, cfg.max_title_words) else "scare"), None
    return "direct", cue


def context_speaker(ctx: Context, q: Marked, history: list["Said"]) -> Optional[Cue]:
    """A quote with no cue: interview turns, a continuation of the previous quote, or the person introduced in the
    previous sentence."""
    alone = standalone(ctx, q)
    last = history[-1] if history else None
    if last is not None and last.speaker is not None and not only_quotes_between(ctx, last, q):
        last = None
    if alone and last is not None and len(history) >= 2 and history[-2].turn and last.turn:
        a, b = history[-2].speaker, last.speaker
        if a is not None and a.name and speaker_key(a) != speaker_key(b):
            sp = Speaker(a.entity, a.name, None, None, None, 0.7, Evidence(
                "quotes.interview_turn", f"interview turns alternate: {b.name} spoke last, so {a.name} answers"))
            return Cue("alternation", None, sp, 0.7, f"interview turns alternate between {a.name} and {b.name}")
    if last is not None and last.speaker is not None:
        sp = last.speaker
        why = f"continues the quote of {sp.name} just before it"
        return Cue("continuation", last.cue.cue if last.cue else None,
                   Speaker(sp.entity, sp.name, sp.start, sp.end, sp.text, sp.confidence,
                           Evidence("quotes.continuation", why)), 0.75, why)
    if not (alone or starts_sentence(ctx, q)):
        return None
    prev = previous_sentence(ctx, q.start)
    if prev is None:
        return None
    reported = reporter_in(ctx, prev)
    if reported is not None:
        return reported
    people = [m for m in ctx.mentions if prev[0] <= m[0] < prev[1] and m[4] in PERSON_TYPES
              and m[3].lower() not in PRONOUNS]
    if not people:
        return None
    m = people[-1]
    sentence = ctx.text[prev[0]:prev[1]].strip()
    short_ = sentence if len(sentence) <= 90 else "…" + sentence[-80:]
    why = f"speaker introduced in the previous sentence: '{short_}'"
    sp = Speaker(m[2], m[3], m[0], m[1], ctx.text[m[0]:m[1]], 0.65, Evidence("quotes.previous_sentence", why))
    return Cue("previous_sentence", None, sp, 0.65, why)


@dataclass
class Said:
    """A direct quote already classified: where, who, how it was cued, and whether it is an interview-like turn."""

    marked: Marked
    speaker: Optional[Speaker]
    cue: Optional[Cue]
    turn: bool


def starts_sentence(ctx: Context, q: Marked) -> bool:
    """A whole sentence in quotation marks, after another sentence of the same paragraph."""
    k = q.start - 1
    while k >= 0 and ctx.text[k] in " \t\u00a0":
        k -= 1
    return k >= 0 and ctx.text[k] in ".!?”\"" and ctx.text[q.content_end - 1:q.content_end] in ".!?"


def reporter_in(ctx: Context, sent: tuple[int, int]) -> Optional[Cue]:
    """The source of the last reporting verb of a sentence ('She said his record doesn't fly.')."""
    tokens = [t for t in ctx.doc[ctx.token_at(sent[0]).i:ctx.token_at(max(sent[0], sent[1] - 1)).i + 1]]
    for verb in reversed(tokens):
        if not is_reporting(verb):
            continue
        subj = subject_near(ctx, verb)
        if subj is None or not (sent[0] <= subj.idx < sent[1]):
            continue
        why = f"speaker of the report '{subj.text} … {verb.text}' in the previous sentence"
        speaker = resolve_speaker(ctx, subj, why)
        if speaker.entity is None and (speaker.text or "").lower() in PRONOUNS:
            continue
        return Cue("previous_sentence", None, speaker, 0.6, why)
    return None


def speaker_key(s: Speaker) -> str:
    return s.entity or (s.name or "").lower()


def only_quotes_between(ctx: Context, said: "Said", q: Marked) -> bool:
    """Only an attribution ("he said.") or captions between the last quote and this one, at most a paragraph apart."""
    prev = said.marked
    gap = ctx.text[prev.end:q.start]
    cue = said.cue.cue if said.cue else None
    if "\n" not in gap and cue is not None and prev.end <= cue.start < q.start and gap.count(". ") <= 1:
        return True  # '“…,” X told Reuters in an interview when asked about it. “…”': the gap is the attribution
    if gap.count("\n") and any(line.strip() and not ctx.blocked.at(prev.end + gap.index(line))
                               for line in gap.split("\n")[1:]):
        return False  # a paragraph of narration sits between them
    first_line = gap.split("\n")[0]
    return len(first_line.strip()) < MAX_ATTRIBUTION_CHARS


def previous_sentence(ctx: Context, pos: int) -> Optional[tuple[int, int]]:
    """(start, end) of the last sentence before pos, clipped to its paragraph, skipping caption/credit/boilerplate."""
    text = ctx.text
    para_start, _ = ctx.paragraph(pos)
    before = text[para_start:pos]
    if before.strip():  # an earlier sentence in the same paragraph
        end = para_start + len(before.rstrip())
    else:
        end = para_start
        while True:
            end = end - 1
            while end > 0 and text[end - 1].isspace():
                end -= 1
            if end <= 0:
                return None
            if not ctx.blocked.at(end - 1):
                break
            end = ctx.paragraph(end - 1)[0]
    p_start, _ = ctx.paragraph(end - 1)
    sent = ctx.token_at(end - 1).sent
    start = max(p_start, sent.start_char)
    return (start, end) if end > start else None
