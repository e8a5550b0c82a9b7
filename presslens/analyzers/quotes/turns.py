"""Interview transcripts: paragraphs introduced by a turn label ("Q:", "A:", "Novak:", a bold name in HTML).

A label is a name (or Q/A) and a colon at the start of a paragraph; or, with no colon, a name in bold: on an
HTML page the bold text opening a paragraph (``meta.bold_leads``, kept by ingest), in Markdown ``**Novak**``,
followed by text that opens like a sentence.

A text is read as a transcript when at least two body paragraphs (or the first line, for "Q:") open with a
label and one of them is an answer.
Each labelled paragraph is a direct quote, without quotation marks:

* a name label is the person of that name — resolved to the full name the text introduces ("Novak:" → the
  "Lena Novak" of the standfirst) — or the outlet when it names the interviewer ("Harbour Ledger:");
* "A:" / "Answer:" is the interviewee: the person answering under a name label elsewhere, else the person of
  "interview with (economist) X" in the title or standfirst, else the first person the title or standfirst names,
  else "the interviewee" (no entity, low confidence);
* "Q:" / "Question:" is the interviewer: the byline, else the outlet of "interview with the X", else the source,
  else "the interviewer" (no entity, low confidence). "Interviewer:" / "Interviewee:" labels are Q / A.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from ...document import Evidence, Span, Speaker
from .context import Context, PERSON_TYPES

NAME_LABEL = (r"Q|A|Question|Answer|(?:[A-Z][\w'’.-]*)(?:\s+(?:[A-Z][\w'’.-]*|von|van|de|der|da|di|"
              r"bin|al|el|la|le)){0,3}")
LABEL = re.compile(rf"(?P<label>{NAME_LABEL})\s*:\s+(?=\S)")
# "**Novak:** …" or "**Novak** …": a bold label written in Markdown (a .md article, text pasted from one).
MD_LABEL = re.compile(rf"\*\*(?P<label>{NAME_LABEL})\s*:?\s*\*\*(?:\s*[:—–-])?\s+(?=\S)")
# After a bold label with no colon the answer opens like a sentence; "<b>Ana Ruiz</b>, the mayor, said" is no turn.
AFTER_BOLD = re.compile(r"\s*(?:[:—–-]\s*)?(?=[A-Z0-9“\"‘'«])")
QUESTION, ANSWER = {"q", "question", "interviewer"}, {"a", "answer", "interviewee"}
INTERVIEW_WITH = re.compile(r"interview(?:ed)?\s+with\s+(?P<who>(?:the\s+)?(?:[a-z]+\s+){0,3}"
                            r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|von|van|de|der|bin|al))*)")
# Labels that open an ordinary paragraph, not a turn.
NOT_SPEAKERS = {"note", "update", "editor's note", "correction", "disclaimer", "source", "sources", "photo", "video",
                "read more", "related", "see also", "warning", "watch", "listen", "background", "context", "update"}
# Who asks (answers) when neither a byline nor an outlet (nor a name) is known.
UNNAMED_INTERVIEWER = "the interviewer"
UNNAMED_INTERVIEWEE = "the interviewee"
# The standfirst: how many blocks from the top name the interviewee and the outlet.
HEAD_BLOCKS = 3


@dataclass
class Turn:
    start: int  # where the label (and its bold marks) starts
    cue_end: int  # the end of the label with its colon or marks
    label_span: tuple[int, int]  # the name itself
    content: tuple[int, int]
    label: str
    speaker: Optional[Speaker] = None


def find_turns(ctx: Context) -> list[Turn]:
    """Labelled paragraphs of an interview transcript, speakers resolved; [] when the text is no transcript."""
    bold = bold_leads(ctx)
    turns = []
    for block in ctx.article.get("blocks"):
        if block.kind not in ("paragraph", "title"):
            continue
        turn = read_label(ctx.text, block.start, block.end, bold.get(block.start))
        if turn is None or turn.label.lower() in NOT_SPEAKERS:
            continue
        if block.kind == "title" and turn.label.lower() not in QUESTION | ANSWER:
            continue  # "Novak: the tariff changes nothing" as a headline is a headline, not a turn
        if turn.label.lower() not in QUESTION | ANSWER and entity_named(ctx, turn.label, turn.label_span) is None \
                and not names_interviewer(ctx, turn.label):
            continue
        turns.append(turn)
    if len(turns) < 2 or all(t.label.lower() in QUESTION for t in turns):
        return []
    interviewee = find_interviewee(ctx, turns)
    interviewer = find_interviewer(ctx)
    for t in turns:
        t.speaker = turn_speaker(ctx, t, interviewee, interviewer)
    return turns


def read_label(text: str, start: int, end: int, bold_end: Optional[int]) -> Optional[Turn]:
    """The turn label opening the paragraph [start, end): "Novak:", "**Novak**", or bold text on an HTML page."""
    m = LABEL.match(text, start, end)
    if m is not None:
        return Turn(start, text.index(":", m.end("label")) + 1, m.span("label"), (m.end(), end), m["label"])
    m = MD_LABEL.match(text, start, end)
    if m is not None and (":" in m.group() or AFTER_BOLD.match(text, m.end(), end)):
        return Turn(start, m.end() - (len(m.group()) - len(m.group().rstrip())), m.span("label"), (m.end(), end),
                    m["label"])
    if bold_end is None:
        return None
    label = text[start:bold_end].rstrip(": ")
    after = AFTER_BOLD.match(text, bold_end, end)
    if after is None or not re.fullmatch(NAME_LABEL, label) or after.end() >= end:
        return None
    return Turn(start, bold_end, (start, start + len(label)), (after.end(), end), label)


def bold_leads(ctx: Context) -> dict[int, int]:
    """start -> end of the bold text opening a paragraph of an HTML page (meta ``bold_leads``, from ingest)."""
    out = {}
    for span in ctx.article.meta.get("bold_leads") or ():
        if isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(x, int) for x in span) \
                and 0 <= span[0] < span[1] <= len(ctx.text):
            out[span[0]] = span[1]
    return out


def entity_named(ctx: Context, label: str, span: tuple[int, int]) -> Optional[Any]:
    """The person/organisation entity a name label names: by a mention of the label, else by the name's last word.

    A mention that runs on past the label is not the label's: with no colon between them, NER may read the bold
    name and the answer's first word as one name ("Novak Training")."""
    start, end = span
    for entity in ctx.article.get("entities"):
        if any(m.start <= start < m.end <= end for m in entity.mentions) and entity.type in PERSON_TYPES | {"ORG"}:
            return entity
    words = label.lower().split()
    for entity in ctx.article.get("entities"):
        if entity.type in PERSON_TYPES and entity.name.lower().split()[-len(words):] == words:
            return entity
    return None


def head_text(ctx: Context) -> tuple[int, str]:
    """(end, text) of the title and standfirst: the first few blocks."""
    blocks = sorted(ctx.article.get("blocks"), key=lambda b: b.start)[:HEAD_BLOCKS]
    end = blocks[-1].end if blocks else 0
    return end, ctx.text[:end]


def names_interviewer(ctx: Context, label: str) -> bool:
    outlet = find_interviewer(ctx)
    return outlet is not None and (outlet.name or "").lower().removeprefix("the ") == label.lower()


def find_interviewee(ctx: Context, turns: list[Turn]) -> Optional[Speaker]:
    for t in turns:
        if t.label.lower() not in QUESTION | ANSWER and not names_interviewer(ctx, t.label):
            entity = entity_named(ctx, t.label, t.label_span)
            if entity is not None and entity.type in PERSON_TYPES:
                return Speaker(entity.id, entity.name, None, None, None, 0.75,
                               Evidence("quotes.interview_turn", f"{entity.name} answers under a name label"))
    end, head = head_text(ctx)
    people = [(m.start, e) for e in ctx.article.get("entities") if e.type in PERSON_TYPES
              for m in e.mentions if m.start < end]
    found = INTERVIEW_WITH.search(head)
    if found:
        named = [e for s, e in people if found.start("who") <= s < found.end("who")]
        if named:
            return Speaker(named[0].id, named[0].name, None, None, None, 0.75,
                           Evidence("quotes.interview_turn", f"the text is an interview with {named[0].name}"))
    if people:  # a full name before a one-word one: a headline's capitalised word may be tagged a person
        entity = min(people, key=lambda p: (len(p[1].name.split()) < 2, p[0]))[1]
        return Speaker(entity.id, entity.name, None, None, None, 0.6,
                       Evidence("quotes.interview_turn", f"{entity.name} is the first person the standfirst names"))
    return Speaker(None, UNNAMED_INTERVIEWEE, None, None, None, 0.3,
                   Evidence("quotes.interview_turn", "the answers are the interviewee's; the text names no one who "
                                                     "answers"))


def find_interviewer(ctx: Context) -> Optional[Speaker]:
    author = ctx.article.meta.get("author")
    if author:
        return Speaker(None, author, None, None, None, 0.7,
                       Evidence("quotes.interview_turn", f"the questions are the byline's, {author}"))
    _, head = head_text(ctx)
    found = INTERVIEW_WITH.search(head)
    if found:
        orgs = [e for e in ctx.article.get("entities") if e.type == "ORG"
                and any(found.start("who") <= m.start < found.end("who") for m in e.mentions)]
        if orgs:
            return Speaker(orgs[0].id, orgs[0].name, None, None, None, 0.7,
                           Evidence("quotes.interview_turn", f"the interview is {orgs[0].name}'s"))
    source = ctx.article.meta.get("source")
    if source and not re.search(r"[/\\.]", str(source)):
        return Speaker(None, str(source), None, None, None, 0.5,
                       Evidence("quotes.interview_turn", f"the questions are the outlet's, {source}"))
    # No byline and no outlet: the questions are still someone's, the interviewer's, whom the text does not name.
    return Speaker(None, UNNAMED_INTERVIEWER, None, None, None, 0.4,
                   Evidence("quotes.interview_turn", "the questions are the interviewer's; no byline or outlet names "
                                                     "them"))


def turn_speaker(ctx: Context, t: Turn, interviewee: Optional[Speaker],
                 interviewer: Optional[Speaker]) -> Optional[Speaker]:
    label = t.label.lower()
    cue = Span.of(ctx.text, t.start, t.cue_end)
    if label in QUESTION:
        who = interviewer
    elif label in ANSWER:
        who = interviewee
    elif names_interviewer(ctx, t.label):
        who = interviewer
    else:
        entity = entity_named(ctx, t.label, t.label_span)
        who = Speaker(entity.id, entity.name, None, None, None, 0.8,
                      Evidence("quotes.interview_turn", f"the label '{t.label}:' names {entity.name}")) \
            if entity is not None else None
    if who is None:
        return None
    why = f"an interview turn introduced by '{cue.text}'; {who.evidence.why if who.evidence else ''}".rstrip("; ")
    start, end = t.label_span
    return Speaker(who.entity, who.name, start, end, ctx.text[start:end], who.confidence,
                   Evidence("quotes.interview_turn", why))


# '“…”: an interview with economist X' — a headline quote followed by who is interviewed.
HEADLINE_INTERVIEW = re.compile(r"\s*[:—–-]\s*(?:an?\s+|the\s+)?(?:exclusive\s+)?interview\s+with\s+", re.I)


def headline_interviewee(ctx: Context, start: int, end: int) -> Optional[Speaker]:
    """The person a headline quote ending at ``end`` belongs to, when the headline says it is an interview with them."""
    m = HEADLINE_INTERVIEW.match(ctx.text, end)
    if m is None:
        return None
    blocks = ctx.article.get("blocks")
    first = min(blocks, key=lambda b: b.start) if blocks else None
    if first is None or not (first.start <= start < first.end):
        return None  # only in the headline
    line_end = first.end
    for entity in ctx.article.get("entities"):
        if entity.type in PERSON_TYPES and any(m.end() <= x.start < line_end for x in entity.mentions):
            return Speaker(entity.id, entity.name, None, None, None, 0.8,
                           Evidence("quotes.interview_headline", f"the headline presents an interview with "
                                                                 f"{entity.name}"))
    name = TAIL_NAME.search(ctx.text, m.end(), line_end)  # a name NER missed: the capitalised words ending the line
    if name is not None:
        return Speaker(None, name.group().strip(), name.start(), name.start() + len(name.group().strip()),
                       name.group().strip(), 0.6,
                       Evidence("quotes.interview_headline", f"the headline presents an interview with "
                                                             f"{name.group().strip()}"))
    return None


TAIL_NAME = re.compile(r"(?:[A-Z][\w'’-]+\s+){1,3}[A-Z][\w'’-]+\s*$")
