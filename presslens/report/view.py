"""Document -> plain render dict: the text cut into segments, each with the layer annotations covering it.

Like displaCy, the renderer works from plain data, so a stored analysis renders without spaCy.
Every span of every layer becomes an *annotation* (id, layer, css classes, label, confidence,
evidence). The text is cut at every annotation boundary; each segment lists the annotations that
cover it, outermost first, so the template can open one element per annotation inside each
segment and close them all at the segment's end. Overlapping spans therefore always nest.

Nothing here is HTML: values are plain strings, escaped by the template (Jinja2 autoescape).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ..analyzers.shared import FURNITURE_KINDS
from ..document import Document
from .dates import readable
from .stance import StanceSummary, stance_summary

# Layer key -> (title shown on the checkbox, one-line description). Order = order of the checkboxes.
LAYERS: dict[str, tuple[str, str]] = {
    "quotes": ("Quotes", "direct and partial quotes, coloured by speaker"),
    "reported": ("Reported speech", "indirect (reported) speech"),
    "captions": ("Captions", "captions, credits and boilerplate (muted)"),
    "entities": ("People & organisations", "mentions of named entities"),
    "claims": ("Claims", "check-worthy claims"),
    "techniques": ("Persuasion techniques", "underlined by technique"),
    "time": ("Time expressions", "dates, times and durations"),
}
# Blocks that are not body text; they are shown muted.
MUTED_BLOCKS = FURNITURE_KINDS
# Colour classes cycle through this many speaker / technique palettes (report.css defines sp0..sp7, tq0..tq7).
PALETTE_SIZE = 8
UNATTRIBUTED = "Unattributed"


@dataclass
class Annotation:
    id: str
    layer: str
    start: int
    end: int
    classes: list[str]
    label: str
    details: list[str] = field(default_factory=list)
    confidence: Optional[float] = None
    by: Optional[str] = None
    why: Optional[str] = None

    def tip(self) -> dict[str, Any]:
        """The tooltip payload (what hover/focus shows)."""
        return {"key": self.layer, "layer": LAYERS[self.layer][0], "label": self.label, "details": self.details,
                "confidence": fmt_conf(self.confidence), "by": self.by, "why": self.why}


def fmt_conf(value: Optional[float]) -> Optional[str]:
    return None if value is None else f"{value:.2f}"


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def evidence_of(record: Any) -> tuple[Optional[str], Optional[str]]:
    ev = getattr(record, "evidence", None)
    return (ev.by, ev.why) if ev is not None else (None, None)


# ---------------------------------------------------------------------------- speakers & names
def speaker_key(quote: Any, doc: Document) -> str:
    """The name quotes are grouped and coloured by: the speaker's entity name, its own name, or Unattributed."""
    speaker = quote.speaker
    if speaker is None:
        return UNATTRIBUTED
    entity = doc.entity(speaker.entity) if speaker.entity else None
    return (entity.name if entity else None) or speaker.name or speaker.text or UNATTRIBUTED


def attribution_name(attr: Any, doc: Document) -> str:
    if attr is None:
        return "unknown"
    entity = doc.entity(attr.entity) if attr.entity else None
    return (entity.name if entity else None) or attr.name or "unknown"


def palette(keys: list[str]) -> dict[str, int]:
    """Stable colour index per key, in order of first appearance (Unattributed gets none: it stays grey)."""
    out: dict[str, int] = {}
    for key in keys:
        if key not in out and key != UNATTRIBUTED:
            out[key] = len(out) % PALETTE_SIZE
    return out


# ---------------------------------------------------------------------------- annotations per layer
def quote_annotations(doc: Document, colours: dict[str, int]) -> list[Annotation]:
    out = []
    for quote in doc.get("quotes"):
        who = speaker_key(quote, doc)
        layer = "reported" if quote.kind == "reported" else "quotes"
        colour = f"sp{colours[who]}" if who in colours else "sp-none"
        details = [f"speaker: {who}"]
        if quote.speaker is not None and quote.speaker.confidence is not None:
            details.append(f"speaker confidence: {fmt_conf(quote.speaker.confidence)}")
        if quote.speaker is not None and quote.speaker.evidence is not None:
            details.append(f"speaker by {quote.speaker.evidence.by}: {quote.speaker.evidence.why}")
        if quote.cue is not None:
            details.append(f"cue: {quote.cue.text}")
        by, why = evidence_of(quote)
        out.append(Annotation(f"q-{quote.id}", layer, quote.start, quote.end,
                              [f"L-{layer}", f"k-{slug(quote.kind)}", colour],
                              f"{quote.kind} quote — {who}", details, quote.confidence, by, why))
    return out


def block_annotations(doc: Document) -> list[Annotation]:
    out = []
    for i, block in enumerate(doc.get("blocks")):
        if block.kind not in MUTED_BLOCKS:
            continue
        by, why = evidence_of(block)
        out.append(Annotation(f"b-{i}", "captions", block.start, block.end, ["L-captions", f"k-{slug(block.kind)}"],
                              block.kind, [], block.confidence, by, why))
    return out


def entity_annotations(doc: Document) -> list[Annotation]:
    out = []
    for entity in doc.get("entities"):
        for j, mention in enumerate(entity.mentions):
            by, why = evidence_of(mention)
            if by is None:
                by, why = evidence_of(entity)
            details = [f"type: {entity.type}"]
            if entity.aliases:
                details.append("aliases: " + ", ".join(entity.aliases))
            if entity.roles:
                details.append("roles: " + ", ".join(r.text for r in entity.roles))
            out.append(Annotation(f"e-{entity.id}-{j}", "entities", mention.start, mention.end,
                                  ["L-entities", f"k-{slug(entity.type)}"], f"{entity.name} ({entity.type})",
                                  details, mention.confidence if mention.confidence is not None else entity.confidence,
                                  by, why))
    return out


def claim_annotations(doc: Document) -> list[Annotation]:
    out = []
    for claim in doc.get("claims"):
        by, why = evidence_of(claim)
        details = [f"claimant: {attribution_name(claim.claimant, doc)} ({claim.claimant_kind})",
                   f"check-worthiness: {claim.checkworthiness:.2f}"]
        if claim.hedges:
            details.append("hedges: " + ", ".join(h.text for h in claim.hedges))
        out.append(Annotation(f"c-{claim.id}", "claims", claim.start, claim.end, ["L-claims"],
                              f"claim by {attribution_name(claim.claimant, doc)}", details, claim.confidence, by, why))
    return out


def technique_annotations(doc: Document, colours: dict[str, int]) -> list[Annotation]:
    out = []
    for i, tech in enumerate(doc.get("techniques")):
        by, why = evidence_of(tech)
        same = tech.semeval2023 and slug(tech.semeval2023) == slug(tech.technique)
        details = [f"SemEval-2023: {tech.semeval2023}"] if tech.semeval2023 and not same else []
        out.append(Annotation(f"t-{i}", "techniques", tech.start, tech.end,
                              ["L-techniques", f"tq{colours[tech.technique]}"], technique_title(tech.technique),
                              details, tech.confidence, by, why))
    return out


def time_annotations(doc: Document) -> list[Annotation]:
    out = []
    for expr in doc.get("time"):
        by, why = evidence_of(expr)
        details = [f"value: {expr.value}"] + ([f"anchored to: {expr.anchor}"] if expr.anchor else [])
        out.append(Annotation(f"d-{expr.id}", "time", expr.start, expr.end, ["L-time"],
                              f"{expr.type} {readable(expr.value)}",
                              details, expr.confidence, by, why))
    return out


# Evidence quotes in the side panel are cut to this many characters (the full span is in the text itself).
CLIP_CHARS = 140


def clip(text: str, limit: int = CLIP_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def technique_title(label: str) -> str:
    return label.replace("_", " ").replace(",", ", ").replace("  ", " ")


# ---------------------------------------------------------------------------- segmentation
def segments(text: str, annotations: list[Annotation]) -> list[dict[str, Any]]:
    """Cut the text at every annotation boundary; each piece lists its covering annotations outermost first.

    The first piece of each annotation is its anchor (``first``): the one focusable element that carries
    its id, so keyboard users tab once per annotation.
    """
    bounds = sorted({0, len(text)} | {a.start for a in annotations} | {a.end for a in annotations})
    # outermost first: earlier start, then longer; a stable tie-break by id keeps nesting identical per segment
    ordered = sorted(annotations, key=lambda a: (a.start, -a.end, a.id))
    order = {id(a): i for i, a in enumerate(ordered)}
    seen: set[str] = set()
    out = []
    active: list[Annotation] = []
    upcoming = 0
    for lo, hi in zip(bounds, bounds[1:]):
        # one sweep: annotations enter when their start is reached and leave when their end is passed
        while upcoming < len(ordered) and ordered[upcoming].start <= lo:
            active.append(ordered[upcoming])
            upcoming += 1
        active = sorted((a for a in active if a.end > lo), key=lambda a: order[id(a)])
        covering = []
        for ann in active:
            classes = list(ann.classes)
            first = ann.id not in seen
            seen.add(ann.id)
            if first:
                classes.append("a-first")
            if ann.end == hi:
                classes.append("a-last")
            covering.append({"id": ann.id, "layer": ann.layer, "classes": " ".join(classes), "first": first})
        out.append({"text": text[lo:hi], "anns": covering})
    return out


# ---------------------------------------------------------------------------- side panels
def speakers_panel(doc: Document, colours: dict[str, int]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for quote in sorted(doc.get("quotes"), key=lambda q: q.start):
        groups.setdefault(speaker_key(quote, doc), []).append(
            {"anchor": f"q-{quote.id}", "text": quote.content.text, "kind": quote.kind,
             "confidence": fmt_conf(quote.confidence)})
    rows = [{"name": name, "colour": f"sp{colours[name]}" if name in colours else "sp-none", "quotes": quotes}
            for name, quotes in groups.items()]
    return sorted(rows, key=lambda r: (r["name"] == UNATTRIBUTED, -len(r["quotes"]), r["name"]))


def role_text(text: str) -> str:
    """A role as a reader says it: a possessive left at its start ("'s chief executive") is dropped."""
    return re.sub(r"^[\'’]s\s+", "", text.strip())


def entities_panel(doc: Document) -> list[dict[str, Any]]:
    rows = [{"id": e.id, "name": e.name, "type": e.type, "roles": sorted({role_text(r.text) for r in e.roles}),
             "aliases": [a for a in dict.fromkeys(e.aliases) if a != e.name], "mentions": len(e.mentions), "confidence": fmt_conf(e.confidence),
             "anchor": f"e-{e.id}-0" if e.mentions else None}
            for e in doc.get("entities")]
    return sorted(rows, key=lambda r: (r["type"] not in ("PERSON", "ORG"), -r["mentions"], r["name"]))


def claims_panel(doc: Document) -> list[dict[str, Any]]:
    rows = [{"anchor": f"c-{c.id}", "text": c.text, "claimant": attribution_name(c.claimant, doc),
             "claimant_kind": c.claimant_kind, "checkworthiness": f"{c.checkworthiness:.2f}",
             "score": c.checkworthiness, "hedges": [h.text for h in c.hedges], "confidence": fmt_conf(c.confidence)}
            for c in doc.get("claims")]
    return sorted(rows, key=lambda r: -r["score"])


def timeline_panel(doc: Document) -> list[dict[str, Any]]:
    entries = doc.get("timeline")
    if entries:
        names = {e.id: e.name for e in doc.get("entities")}
        rows = [{"value": t.value, "text": t.text, "anchor": f"d-{t.time}",
                 "entities": [names.get(i, i) for i in t.entities]} for t in entries]
    else:  # no timeline layer: list the time expressions themselves
        rows = [{"value": t.value, "text": t.text, "anchor": f"d-{t.id}", "entities": []} for t in doc.get("time")]
    for row in rows:
        row["when"] = readable(row["value"])
    return sorted(rows, key=lambda r: r["value"])


def labels_panel(doc: Document) -> list[dict[str, Any]]:
    """Genre, frames and stance: one group each, present only when the analysis has the layer."""
    names = {e.id: e.name for e in doc.get("entities")}
    groups = []
    for layer, title in (("genre", "Genre"), ("frames", "Frames"), ("stance", "Stance")):
        labels = doc.get(layer)
        if not labels:
            continue
        folded: list[str] = []
        if layer == "stance":  # the actors the article is about and every non-neutral stance; the rest folded
            summary = stance_summary(doc)
            labels, folded = [row.label for row in summary.rows], summary.folded
        else:
            labels = sorted(labels, key=lambda x: -x.score)
        items = [label_item(lab, names) for lab in labels]
        groups.append({"title": title, "items": items, "folded": folded,
                       "folded_line": StanceSummary(folded=folded).folded_line()})
    return groups


def label_item(lab: Any, names: dict[str, str]) -> dict[str, Any]:
    by, why = evidence_of(lab)
    return {"label": lab.label, "score": f"{lab.score:.2f}",
            "target": names.get(lab.target, lab.target) if lab.target else None,
            "spans": [clip(s.text) for s in lab.spans][:3], "by": by, "why": why}


def techniques_legend(doc: Document, colours: dict[str, int]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for tech in doc.get("techniques"):
        counts[tech.technique] = counts.get(tech.technique, 0) + 1
    return [{"name": technique_title(k), "colour": f"tq{colours[k]}", "count": n}
            for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]


def safe_url(url: Optional[str]) -> Optional[str]:
    """Only http(s) URLs become links; anything else (javascript:, data:) is shown as text."""
    if url and re.match(r"^https?://", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


# ---------------------------------------------------------------------------- the view
def build_view(doc: Document, index: int = 0) -> dict[str, Any]:
    """The plain render dict for one Document (``index`` keeps ids unique when several share a page)."""
    quotes = sorted(doc.get("quotes"), key=lambda q: q.start)
    colours = palette([speaker_key(q, doc) for q in quotes])
    tq_colours = palette([t.technique for t in sorted(doc.get("techniques"), key=lambda t: t.start)])
    annotations = (block_annotations(doc) + entity_annotations(doc) + quote_annotations(doc, colours)
                   + claim_annotations(doc) + technique_annotations(doc, tq_colours) + time_annotations(doc))
    prefix = f"d{index}-"
    for ann in annotations:
        ann.id = prefix + ann.id
    present = {a.layer for a in annotations}
    meta = doc.meta or {}
    view = {
        "index": index,
        "prefix": prefix,
        "meta": {"title": meta.get("title") or meta.get("id") or "Untitled article",
                 "published": meta.get("published"), "url": meta.get("url"), "link": safe_url(meta.get("url")),
                 "author": meta.get("author"), "source": meta.get("source"), "id": meta.get("id"),
                 "warnings": list(meta.get("warnings") or []),
                 "pipeline": [f"{p.get('name')} {p.get('version') or ''}".strip() for p in meta.get("pipeline") or []
                              if isinstance(p, dict)]},
        "layers": [{"key": k, "title": t, "description": d,
                    "count": sum(1 for a in annotations if a.layer == k)} for k, (t, d) in LAYERS.items() if k in present],
        "segments": segments(doc.text, annotations),
        "tips": {a.id: a.tip() for a in annotations},
        "speakers": [dict(s, quotes=[dict(q, anchor=prefix + q["anchor"]) for q in s["quotes"]])
                     for s in speakers_panel(doc, colours)],
        "entities": [dict(e, anchor=prefix + e["anchor"] if e["anchor"] else None) for e in entities_panel(doc)],
        "claims": [dict(c, anchor=prefix + c["anchor"]) for c in claims_panel(doc)],
        "timeline": [dict(t, anchor=prefix + t["anchor"]) for t in timeline_panel(doc)],
        "labels": labels_panel(doc),
        "techniques": techniques_legend(doc, tq_colours),
    }
    known = {a.id for a in annotations}
    for group in ("claims", "timeline"):  # a link whose target is absent is dropped, not left dangling
        for row in view[group]:
            if row["anchor"] not in known:
                row["anchor"] = None
    return view


def build_views(documents: list[Document]) -> list[dict[str, Any]]:
    return [build_view(doc, i) for i, doc in enumerate(documents)]


def all_layers(views: list[dict[str, Any]], shown: Optional[frozenset[str]] = None) -> list[dict[str, Any]]:
    """The union of the layers present in any of the views, in LAYERS order, with summed counts; ``shown``:
    the layers switched on when the page opens (default: all)."""
    counts: dict[str, int] = {}
    for view in views:
        for layer in view["layers"]:
            counts[layer["key"]] = counts.get(layer["key"], 0) + layer["count"]
    return [{"key": k, "title": t, "description": d, "count": counts[k], "on": shown is None or k in shown}
            for k, (t, d) in LAYERS.items() if k in counts]
