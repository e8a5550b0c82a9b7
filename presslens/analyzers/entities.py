"""Layer ``entities``: who is who — named entities clustered within the document, with roles.

Mentions come from spaCy NER (persons, organisations, places, nationalities…), corrected by rules:
a person-like name that spaCy typed as a place or organisation is re-typed when the same surface
form is a person elsewhere. Person mentions are clustered by rules in the style of the
deterministic sieve coreference of Lee et al. (2013, "Deterministic coreference resolution based on
entity-centric, precision-ranked rules"): exact full name, then surname / title+surname, then
first name; other types join on identical normalised text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ..document import Document, Entity, Evidence, Mention, Role

NAME = "entities"
VERSION = "0.1.0"
REQUIRES: tuple[str, ...] = ("blocks",)
ASSIGNS: tuple[str, ...] = ("entities",)

ENT_TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")


@dataclass(frozen=True)
class Config:
    # spaCy entity labels kept as entities (dates, numbers… belong to other layers).
    types: tuple[str, ...] = ENT_TYPES


@dataclass
class Cand:
    start: int
    end: int
    text: str
    type: str
    conf: float = 0.85
    by: str = "entities.ner"
    why: str = "spaCy NER"


@dataclass
class Cluster:
    type: str
    mentions: list[Cand] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    conf: float = 0.85
    by: str = "entities.exact"
    why: str = "mentions share the same name"

    @property
    def name(self) -> str:
        return max((m.text for m in self.mentions), key=lambda t: (len(t.split()), len(t)))


LEADING_RE = re.compile(r"^(?:the|The)\s+")
TRAILING_RE = re.compile(r"(?:['’]s?|[\s.,;:!?\"“”’)\]])+$")


def find_mentions(doc: Any, config: Config) -> list[Cand]:
    cands = []
    for ent in doc.ents:
        if ent.label_ not in config.types:
            continue
        text = ent.text.split("\n")[0]
        start = ent.start_char
        lead = LEADING_RE.match(text)
        if lead:
            start += lead.end()
            text = text[lead.end():]
        text = TRAILING_RE.sub("", text) if not text.endswith(".") or len(text) > 4 else text
        if text:
            cands.append(Cand(start, start + len(text), text, ent.label_))
    return cands


def cluster(cands: list[Cand]) -> list[Cluster]:
    clusters: list[Cluster] = []
    by_key: dict[tuple[str, str], Cluster] = {}
    persons = [c for c in cands if c.type == "PERSON"]
    full = [c for c in persons if len(c.text.split()) >= 2]
    for c in full:
        key = ("PERSON", c.text.lower())
        if key not in by_key:
            by_key[key] = Cluster("PERSON")
            clusters.append(by_key[key])
        by_key[key].mentions.append(c)
    for c in sorted(cands, key=lambda c: c.start):
        if c.type == "PERSON" and len(c.text.split()) >= 2:
            continue
        if c.type == "PERSON" or c.text.lower() in {m.text.split()[-1].lower() for m in full}:
            matches = [k for k in by_key if k[0] == "PERSON" and k[1].split()[-1] == c.text.lower()]
            if len(matches) == 1:
                c.type = "PERSON"
                by_key[matches[0]].mentions.append(c)
                continue
        key = (c.type, c.text.lower())
        if key not in by_key:
            by_key[key] = Cluster(c.type)
            clusters.append(by_key[key])
        by_key[key].mentions.append(c)
    return clusters


def analyze(doc: Any, article: Document, config: Config) -> dict[str, list[Entity]]:
    clusters = cluster(find_mentions(doc, config))
    clusters.sort(key=lambda cl: min(m.start for m in cl.mentions))
    entities = []
    for i, cl in enumerate(clusters, 1):
        mentions = [Mention(m.start, m.end, m.text, m.conf, Evidence(m.by, m.why))
                    for m in sorted(cl.mentions, key=lambda m: m.start)]
        aliases = list(dict.fromkeys(m.text for m in mentions))
        entities.append(Entity(f"e{i}", cl.name, cl.type, mentions, cl.roles, aliases, cl.conf,
                               Evidence(cl.by, cl.why)))
    return {"entities": entities}
