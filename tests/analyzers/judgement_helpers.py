"""Hermetic inputs for the genre/frames/stance tests: a Document whose blocks (one per paragraph),
entities (spaCy NER, grouped by surname or identical text) and quotes (none: the analyzers mask paired
quotation marks themselves) are built here, so these tests do not move when blocks/entities/quotes change."""
from __future__ import annotations

import re

from presslens.document import Block, Document, Entity, Mention

TYPES = {"PERSON", "ORG", "GPE", "NORP"}


def make(nlp, text: str, **meta):
    doc = nlp(text)
    article = Document(text=text, meta=dict(meta))
    for i, m in enumerate(re.finditer(r"[^\n]+", text)):
        if m.group().strip():
            kind = "title" if i == 0 and not m.group().rstrip().endswith(".") else "paragraph"
            article.add("blocks", Block(m.start(), m.end(), m.group(), kind))
    groups: dict[str, list] = {}
    for ent in doc.ents:
        if ent.label_ in TYPES:
            key = ent.text.split()[-1] if ent.label_ == "PERSON" else ent.text
            groups.setdefault(key, []).append(ent)
    for n, (key, ents) in enumerate(groups.items(), 1):
        mentions = [Mention(e.start_char, e.end_char, e.text) for e in ents]
        name = max((e.text for e in ents), key=len)
        article.add("entities", Entity(id=f"e{n}", name=name, type=ents[0].label_, mentions=mentions))
    return doc, article


def stance_of(article, result, name: str):
    for label in result["stance"]:
        entity = article.entity(label.target)
        if entity is not None and name in entity.name:
            return label
    raise AssertionError(f"no stance for {name!r}: {[(article.entity(l.target).name, l.label) for l in result['stance']]}")
