"""Which stance judgements a reader is shown: those toward the actors the article is about, and every judgement that
is not neutral; the other neutral ones fold into one line ("neutral toward 57 others").

An article names dozens of actors in passing, and a table of 60 "neutral" rows buries the few that matter. The
stored analysis (JSON) keeps every judgement; only the shells (terminal, HTML report, web app) fold, all through
``stance_summary`` so they agree. It reads the Document alone (no spaCy), so stored analyses render the same way.

An actor's prominence: its mentions in body text (captions and credits do not count), plus a bonus for a role
given in the text ("Mayor", "union leader") and for a mention in the title. The article is about the most
prominent actors: at most ``CENTRAL_MAX`` of them, each with at least ``CENTRAL_MIN_MENTIONS`` mentions (or a
title mention) and at least ``CENTRAL_SHARE`` of the top actor's prominence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..document import Document

CENTRAL_MAX = 5
CENTRAL_MIN_MENTIONS = 2
CENTRAL_SHARE = 0.25
ROLE_BONUS = 2.0
TITLE_BONUS = 3.0
NOT_BODY = ("caption", "credit", "boilerplate")


@dataclass
class StanceRow:
    label: Any  # the stance Label
    name: str
    central: bool
    prominence: float


@dataclass
class StanceSummary:
    rows: list[StanceRow] = field(default_factory=list)  # shown: central actors first, then other non-neutral ones
    folded: list[str] = field(default_factory=list)  # names of the neutral actors not shown

    def folded_line(self) -> Optional[str]:
        n = len(self.folded)
        return f"neutral toward {n} other{'s' if n != 1 else ''}" if n else None


def inside(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def prominence(entity: Any, muted: list[tuple[int, int]], titles: list[tuple[int, int]]) -> tuple[float, int, bool]:
    """(prominence, body mentions, mentioned in the title) of one entity."""
    starts = [m.start for m in entity.mentions if m.start is not None]
    body = [s for s in starts if not inside(s, muted) and not inside(s, titles)]
    in_title = any(inside(s, titles) for s in starts)
    score = len(body) + (ROLE_BONUS if entity.roles else 0.0) + (TITLE_BONUS if in_title else 0.0)
    return score, len(body), in_title


def central_actors(doc: Document) -> dict[str, float]:
    """entity id -> prominence, for the actors the article is about (see the module docstring)."""
    blocks = doc.get("blocks")
    muted = [(b.start, b.end) for b in blocks if b.kind in NOT_BODY]
    titles = [(b.start, b.end) for b in blocks if b.kind == "title"]
    scored = []
    for entity in doc.get("entities"):
        score, mentions, in_title = prominence(entity, muted, titles)
        if mentions >= CENTRAL_MIN_MENTIONS or in_title:
            scored.append((score, entity.id))
    scored.sort(key=lambda x: -x[0])
    top = scored[0][0] if scored else 0.0
    return {eid: score for score, eid in scored[:CENTRAL_MAX] if score >= CENTRAL_SHARE * top}


def stance_summary(doc: Document) -> StanceSummary:
    labels = doc.get("stance")
    if not labels:
        return StanceSummary()
    names = {e.id: e.name for e in doc.get("entities")}
    central = central_actors(doc)
    summary = StanceSummary()
    others = []
    for lab in labels:
        name = names.get(lab.target, lab.target) if lab.target else "the article"
        if lab.target in central:
            summary.rows.append(StanceRow(lab, name, True, central[lab.target]))
        elif lab.label != "neutral":
            others.append(StanceRow(lab, name, False, 0.0))
        else:
            summary.folded.append(name)
    summary.rows.sort(key=lambda r: -r.prominence)
    summary.rows += sorted(others, key=lambda r: -r.label.score)
    return summary
