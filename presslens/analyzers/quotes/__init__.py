"""Layer ``quotes``: who said what — direct, partial and reported speech, plus quoted titles and scare quotes.

Cues, in the order they are tried for a span in quotation marks (every style: “ ” " « » „ and single
‘ ’ at top level; ‘ ’ and ' nest inside double marks and are left alone):

* where it sits: inside a caption/credit/boilerplate block (blocks layer) it is never speech —
  a title when title-cased, else a scare quote; a title-cased phrase listed next to another one
  ('“Parasite”, “Little Women” and “1917”') names works; a headline '“…”: an interview with X' quotes X;
* an introduction before it: "X said:" (colon, also at the end of the previous paragraph), a "Name:" label,
  "X pressed, “…”" (reporting verb + comma), "See how X answered—" (dash at the end of the previous paragraph);
* an attribution after it: "“…,” X said." / "“…,” said X." / "“…” — X" / "“Why?” Ann asked." (a comma-ended
  quote followed by subject + verb counts even when the verb is not in the lexicon);
* a quote with no cue of its own right after an attributed one ("“A,” she said. “B.”") continues it;
* a reporting verb that governs it in the dependency parse (a quoted fragment inside reported speech = partial);
* context for a quote paragraph (or whole quoted sentence) with no cue: alternating interview turns once two
  speakers are established, then the source of a report in the previous sentence, then the last person
  introduced in it ("… was led by host X." + quote paragraph → X);
* what is left: a short title-cased phrase after "on"/"the"/a capitalised word or before "show"/"program" is a
  title, a short phrase in the author's own sentence is a scare quote.

Interview transcripts (turns.py): paragraphs opened by "Q:", "A:" or a name label ("Novak:", or a bold name with no
colon: ``meta.bold_leads`` of an HTML page, ``**Novak**`` in Markdown) are direct quotes without marks, the answers
the named interviewee's, the questions the byline's or outlet's — else "the interviewer", unnamed, low confidence.

Reported speech comes from the parse: a clausal complement (ccomp, or xcomp for verbs marked so) of a reporting
verb listed in lexicons/reporting_verbs.txt, its subject the source; "according to X, …" too. Verbs of desire and
intention (marked "intent" there: "wants to join") are no cue.
Speakers are resolved to entities (entities layer): a name by mention overlap, a pronoun to the nearest preceding
person subject (else unknown, with low confidence; a "person" named like a listed place or an acronym, "Kyiv",
"SAG", is none), a nominal ("the spokesman") to the entity holding that role, a
document or data ("a report by X", "data released by X") to who issued it. A source never crosses a line break.
An indefinite word ("one", "no-one", "half") is never a speaker, and the author's own first person outside
quotation marks is no one's report. A cue search that fails is logged and marked ``quotes.cue_failed``.

Follows the cue/content/source decomposition of PARC (Pareti 2016) and PolNeAR (Newell et al., LREC 2018), and the
rule families of the Gender Gap Tracker quote extractor (Asr et al. 2021): syntactic reported speech, quote-mark
speech with adjacent verbs, and heuristic speaker assignment.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from ...document import Document, Evidence, Quote, Span
from .marks import Blocked, DOUBLE_CLOSERS, Marked, find_marked, scan_one, scan_single, straight_opens
from .context import Config, Context, build_context
from .cues import Cue
from .attribution import Said, classify
from .reported import find_reported
from .turns import Turn, find_turns


log = logging.getLogger(__name__)

NAME = "quotes"
VERSION = "0.3.0"
REQUIRES = ("blocks", "entities")
ASSIGNS = ("quotes",)


# ----------------------------------------------------------------------------------------------- analyze
# Cues that make a quote an interview-like turn (introduced before it, or by context), for alternation.
TURN_CUES = {"colon", "comma", "dash", "previous_sentence", "alternation"}
RULE_BY_CUE = {"continuation": "quotes.continuation", "colon": "quotes.colon_intro", "comma": "quotes.comma_intro", "dash": "quotes.dash_intro",
               "after": "quotes.after_attribution", "govern": "quotes.governed_fragment",
               "previous_sentence": "quotes.previous_sentence", "alternation": "quotes.interview_turn", "interview": "quotes.interview_headline"}


def analyze(doc: Any, article: Document, config: Config) -> dict[str, list[Quote]]:
    ctx = build_context(doc, article, config)
    text = article.text
    records: list[tuple[int, dict]] = []
    history: list[Said] = []
    # Quote marks around nothing but whitespace ("“ ”") quote nothing: skip them, they have no content span.
    marked = [q for q in find_marked(text, ctx.blocked) if text[q.content_start:q.content_end].strip()]
    turns = find_turns(ctx)  # an interview transcript's answers and questions are quotes without marks
    if turns:
        marked = [q for q in marked if not any(t.content[0] <= q.start < t.content[1] for t in turns)]
        records += [(t.content[0], turn_record(ctx, t)) for t in turns]
    ctx.quoted = sorted([(q.start, q.end) for q in marked] + [(t.start, t.content[1]) for t in turns])
    for q in marked:
        failed = None
        try:
            kind, cue = classify(ctx, q, history)
        except Exception as exc:  # degrade per quote, visibly: logged, and the record says the cue search failed
            log.warning("quotes: finding the cue of the quote at %d failed", q.start, exc_info=True)
            kind, cue, failed = "direct", None, exc
        records.append((q.start, build_quote(ctx, q, kind, cue, failed)))
        if kind == "direct":
            turn = cue is not None and cue.kind in TURN_CUES
            history.append(Said(q, cue.speaker if cue else None, cue, turn))
    if config.reported:
        taken = [(q.start, q.end) for q in marked] + [(t.start, t.content[1]) for t in turns]
        direct = [(r["start"], r["end"]) for _, r in records if r["kind"] == "direct"]
        for content, cue, speaker, rule, conf in find_reported(ctx, taken, direct):
            records.append((content.start, dict(kind="reported", start=content.start, end=content.end, text=content.text,
                                                content=content, cue=cue, speaker=speaker, confidence=conf,
                                                evidence=Evidence(rule, speaker.evidence.why if speaker.evidence else rule))))
    records.sort(key=lambda r: r[0])
    return {"quotes": [Quote(id=f"q{i + 1}", **fields) for i, (_, fields) in enumerate(records)]}


def build_quote(ctx: Context, q: Marked, kind: str, cue: Optional[Cue], failed: Optional[Exception] = None) -> dict:
    text = ctx.text
    cs, ce = q.content_start, q.content_end
    while cs < ce and text[cs].isspace():
        cs += 1
    while ce > cs and text[ce - 1].isspace():
        ce -= 1
    content = Span.of(text, cs, ce)
    if kind in ("title", "scare"):
        where = "in a caption/credit block" if ctx.blocked.at(q.start) else "with no speech cue"
        what = "a title-cased name of a work" if kind == "title" else "a short phrase in the author's own sentence"
        confidence, evidence = 0.7, Evidence(f"quotes.{kind}", f"“{short(content.text)}” is {what}, {where}")
        speaker, cue_span = None, None
    elif failed is not None:
        confidence, speaker, cue_span = 0.2, None, None
        evidence = Evidence("quotes.cue_failed", f"quoted speech “{short(content.text)}”: looking for its cue failed "
                                                 f"({type(failed).__name__}), so it has no speaker")
    elif cue is None:
        confidence, speaker, cue_span = 0.4, None, None
        evidence = Evidence("quotes.no_cue", f"quoted speech “{short(content.text)}” has no reporting verb or speaker nearby")
    else:
        confidence, speaker, cue_span = cue.confidence, cue.speaker, cue.cue
        evidence = Evidence(RULE_BY_CUE[cue.kind], cue.why)
        if speaker is not None and speaker.evidence is not None and speaker.evidence.by == "quotes.speaker_indefinite":
            speaker, confidence = None, min(confidence, 0.4)  # "no-one said": the cue stays, no one speaks
            evidence = Evidence(evidence.by, evidence.why + "; its source is an indefinite word, not a speaker")
    if not q.closed:
        confidence *= ctx.config.unclosed_factor
        evidence = Evidence(evidence.by + "+unclosed", evidence.why + "; the closing quotation mark is missing, so the "
                                                                      "quote is taken to run to the end of its paragraph")
    if q.paragraphs > 1:
        evidence = Evidence(evidence.by, evidence.why + f"; the quote runs over {q.paragraphs} paragraphs")
    return dict(kind=kind, start=q.start, end=q.end, text=text[q.start:q.end], content=content, cue=cue_span,
                speaker=speaker, confidence=round(confidence, 3), evidence=evidence)


def turn_record(ctx: Context, t: Turn) -> dict:
    start, end = t.content
    content = Span.of(ctx.text, start, end)
    cue = Span.of(ctx.text, t.start, t.cue_end)
    if t.speaker is None:
        evidence = Evidence("quotes.interview_turn", f"an interview turn introduced by '{cue.text}'; "
                                                     f"no one in the text answers to that label")
    else:
        evidence = t.speaker.evidence
    confidence = t.speaker.confidence if t.speaker is not None else 0.4
    return dict(kind="direct", start=start, end=end, text=content.text, content=content, cue=cue, speaker=t.speaker,
                confidence=round(confidence, 3), evidence=evidence)


def short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


__all__ = ['ASSIGNS', 'Blocked', 'Config', 'Context', 'DOUBLE_CLOSERS', 'Marked', 'NAME', 'REQUIRES', 'RULE_BY_CUE', 'TURN_CUES', 'VERSION', 'analyze', 'build_context', 'build_quote', 'classify', 'find_marked', 'find_reported', 'scan_one', 'scan_single', 'short', 'straight_opens']
