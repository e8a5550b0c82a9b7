"""A readable terminal report (rich): speakers and their quotes, people with roles and aliases,
claims, techniques, timeline, captions. Renders from Documents; layers that are absent are skipped."""
from __future__ import annotations

import io
from collections import defaultdict
from typing import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..analyzers.shared import BODY_KINDS
from ..document import Document
from .stance import stance_summary

# Long spans are shortened in tables so a report stays scannable; the JSON keeps everything.
SNIPPET_CHARS = 160


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_text(documents: Iterable[Document], color: bool = False, width: int = 110) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, color_system="standard" if color else None,
                      width=width, highlight=False)
    for index, doc in enumerate(documents):
        if index:
            console.rule()
        render_document(doc, console)
    return buffer.getvalue()


def render_document(doc: Document, console: Console) -> None:
    meta = doc.meta
    title = meta.get("title") or next((b.text for b in doc.get("blocks") if b.kind == "title"), None) or meta.get("id")
    console.print(Text(str(title), style="bold"))
    facts = [f"{k}: {meta[k]}" for k in ("published", "author", "url", "source", "language") if meta.get(k)]
    console.print(Text(" · ".join(facts), style="dim"))
    for warning in meta.get("warnings", []):
        console.print(Text(f"warning: {warning}", style="yellow"))
    for section in (genre_section, speakers_section, people_section, claims_section, techniques_section,
                    timeline_section, blocks_section):
        table = section(doc)
        if table is not None and table.row_count:
            console.print()
            console.print(table)


def speaker_label(doc: Document, quote) -> str:
    if quote.speaker is None:
        return "(unattributed)"
    return quote.speaker.name or quote.speaker.text or "(unattributed)"


def speakers_section(doc: Document):
    speech = [q for q in doc.get("quotes") if q.kind in ("direct", "partial", "reported")]
    if not speech:
        return None
    by_speaker = defaultdict(list)
    for quote in speech:
        by_speaker[speaker_label(doc, quote)].append(quote)
    table = Table(title="Who said what", title_justify="left", show_lines=True)
    table.add_column("Speaker", style="bold", max_width=24)
    table.add_column("Kind", max_width=9)
    table.add_column("What was said")
    table.add_column("Conf.", justify="right")
    for speaker, quotes in by_speaker.items():
        for i, quote in enumerate(quotes):
            table.add_row(speaker if i == 0 else "", quote.kind, snippet(quote.content.text),
                          f"{quote.confidence:.2f}" if quote.confidence is not None else "")
    return table


def people_section(doc: Document):
    entities = [e for e in doc.get("entities") if e.type in ("PERSON", "ORG", "NORP", "GPE")]
    if not entities:
        return None
    table = Table(title="Who is who", title_justify="left")
    table.add_column("Name", style="bold")
    table.add_column("Type")
    table.add_column("Roles")
    table.add_column("Also written as")
    table.add_column("Mentions", justify="right")
    order = sorted(entities, key=lambda e: (e.type != "PERSON", -len(e.mentions)))
    for entity in order:
        roles = "; ".join(dict.fromkeys(r.text for r in entity.roles))
        aliases = ", ".join(a for a in entity.aliases if a != entity.name)
        table.add_row(entity.name, entity.type, snippet(roles, 60), snippet(aliases, 60), str(len(entity.mentions)))
    return table


def claims_section(doc: Document):
    claims = doc.get("claims")
    if not claims:
        return None
    table = Table(title="Check-worthy claims", title_justify="left", show_lines=True)
    table.add_column("Claimant", style="bold", max_width=24)
    table.add_column("Claim")
    table.add_column("Score", justify="right")
    for claim in sorted(claims, key=lambda c: -c.checkworthiness):
        chain = " ← ".join(a.name or "?" for a in claim.attribution)
        who = claim.claimant.name or claim.claimant_kind
        table.add_row(who + (f"\n(via {chain})" if chain and len(claim.attribution) > 1 else ""),
                      snippet(claim.text), f"{claim.checkworthiness:.2f}")
    return table


def techniques_section(doc: Document):
    techniques = doc.get("techniques")
    if not techniques:
        return None
    table = Table(title="Persuasion techniques", title_justify="left")
    table.add_column("Technique", style="bold")
    table.add_column("Span")
    table.add_column("Conf.", justify="right")
    for item in sorted(techniques, key=lambda t: t.start):
        table.add_row(item.technique, snippet(item.text, 90), f"{item.confidence:.2f}" if item.confidence else "")
    return table


def timeline_section(doc: Document):
    entries = doc.get("timeline")
    if not entries:
        times = doc.get("time")
        if not times:
            return None
        table = Table(title="Time expressions", title_justify="left")
        table.add_column("Value", style="bold")
        table.add_column("Expression")
        for t in times:
            table.add_row(t.value, t.text)
        return table
    table = Table(title="Timeline", title_justify="left", show_lines=True)
    table.add_column("When", style="bold")
    table.add_column("Expression")
    table.add_column("What happened")
    table.add_column("Who")
    time_text = {t.id: t.text for t in doc.get("time")}
    names = {e.id: e.name for e in doc.get("entities")}
    for entry in entries:
        who = ", ".join(names.get(e, e) for e in entry.entities)
        table.add_row(entry.value, time_text.get(entry.time, ""), snippet(entry.text, 100), snippet(who, 40))
    return table


def blocks_section(doc: Document):
    blocks = [b for b in doc.get("blocks") if b.kind not in BODY_KINDS]
    if not blocks:
        return None
    table = Table(title="Not body text", title_justify="left")
    table.add_column("Kind", style="bold")
    table.add_column("Text")
    table.add_column("Why")
    for block in blocks:
        table.add_row(block.kind, snippet(block.text, 80), snippet(block.evidence.why if block.evidence else "", 50))
    return table


def genre_section(doc: Document):
    rows = [("genre", g) for g in doc.get("genre")] + [("frame", f) for f in doc.get("frames")]
    if not rows and not doc.get("stance"):
        return None
    table = Table(title="What it is", title_justify="left")
    table.add_column("Judgement", style="bold")
    table.add_column("Label")
    table.add_column("Score", justify="right")
    for kind, label in rows:
        table.add_row(kind, label.label, f"{label.score:.2f}")
    summary = stance_summary(doc)  # the actors the article is about and every non-neutral stance; the rest folded
    for row in summary.rows:
        table.add_row("stance", f"{row.label.label} toward {row.name}", f"{row.label.score:.2f}")
    if summary.folded:
        table.add_row("stance", summary.folded_line(), "")
    return table
