"""The brief in the terminal: for / against / discussing, items of one claim family together, position changes."""
from __future__ import annotations

from itertools import groupby
from typing import Any

from rich.console import Console
from rich.markup import escape

HEADINGS = {"for": "FOR (supports or predicts yes)", "against": "AGAINST (opposes or predicts no)",
            "discussing": "DISCUSSING (reports or weighs it, no side)"}


def speaker_label(item: dict) -> str:
    speaker = item["speaker"]
    if speaker is None:
        return "author"
    name = speaker.get("actor_name") or speaker["name"]
    return f"{name} (actor {speaker['actor']})" if speaker.get("actor") is not None else name


def render_text(brief: dict[str, Any], console: Console) -> None:
    console.print(f"[bold]{escape(brief['question'])}[/]")
    console.print(f"proposition: {escape(brief['proposition'])}   ({brief['matched']} items matched, "
                  f"stance step {brief['stance_step']})")
    if not brief["items"]:
        console.print("nothing in the store speaks to this question")
    for stance in ("for", "against", "discussing"):
        items = [it for it in brief["items"] if it["stance"] == stance]
        if not items:
            continue
        console.print(f"\n[bold]{HEADINGS[stance]}[/] — {len(items)}")
        for group, members in groupby(items, key=lambda it: it["group"]):
            members = list(members)
            console.print(f"  claim {group}" + (f" — carried by {len(members)} items" if len(members) > 1 else ""))
            for it in members:
                art = it["article"]
                console.print(f"    {escape(speaker_label(it))}: “{escape(it['text'])}”")
                console.print(f"      {escape(art['title'] or '(untitled)')} · {escape(art['source'] or '')} · "
                              f"{art['published'] or 'undated'} · confidence {it['confidence']:.2f}", style="dim")
                console.print("      " + escape(f"[{it['evidence']['by']}] {it['evidence']['why']}"), style="dim")
    changed = [a for a in brief["actors"] if a.get("changed")]
    if changed:
        console.print("\n[bold]Positions that changed[/]")
        for actor in changed:
            steps = " → ".join(f"{p['stance']} ({p['published'] or 'undated'})" for p in actor["positions"])
            console.print(f"  {escape(actor['name'])}: {steps}")
