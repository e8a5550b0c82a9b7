"""The presslens document model: one text, typed standoff span layers, metadata.

Every analyzer reads and writes this one model. Offsets are Python ``str`` indices into
``Document.text``, end exclusive (as in spaCy's ``Doc.to_json``). Layers hold frozen
record dataclasses; links between records use ids, never nested copies.

``Document.add`` validates each record on entry: every span inside it must satisfy
``0 <= start < end <= len(text)`` and ``text[start:end] == span.text``.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional, Union

from .errors import SchemaError

SCHEMA = "presslens.analysis/1"


@dataclass(frozen=True)
class Evidence:
    """Why a decision was made: ``by`` is a stable rule/model id, ``why`` one checkable sentence."""

    by: str
    why: str


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])


# ---------------------------------------------------------------------------- records
# Each layer record carries its own fields. Records that sit on the text have
# start/end/text; every record may carry confidence and evidence.


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    text: str
    kind: str  # title | paragraph | caption | credit | boilerplate
    confidence: Optional[float] = None
    evidence: Optional[Evidence] = None
    # a caption whose line ends in a photo/source credit ("Ana Ruiz: File photo", "… Image: CBS Video")
    credit: bool = False


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    confidence: Optional[float] = None
    evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class Role:
    start: int
    end: int
    text: str
    confidence: Optional[float] = None
    evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str
    mentions: list[Mention] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    confidence: Optional[float] = None
    evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class Speaker:
    entity: Optional[str]
    name: Optional[str]
    start: Optional[int] = None
    end: Optional[int] = None
    text: Optional[str] = None
    confidence: Optional[float] = None
    evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class Quote:
    id: str
    kind: str  # direct | partial | reported | title | scare
    start: int
    end: int
    text: str
    content: Span
    cue: Optional[Span] = None
    speaker: Optional[Speaker] = None
    confidence: Optional[float] = None
    evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class TimeExpr:
    id: str
    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str  # ISO 8601 / TIMEX3-like, underspecified with X when unknown
    anchor: Optional[str] = None  # what the value was resolved against
    confidence: Optional[float] = None
    evidence: Optional[Evidence] = None
    mod: Optional[str] = None  # TIMEX3 modifier: BEFORE | AFTER | ON_OR_AFTER | START | MID | END | APPROX | ...


@dataclass(frozen=True)
class TimelineEntry:
    time: str  # TimeExpr id
    value: str
    start: int  # the sentence the expression dates
    end: int
    text: str
    entities: list[str] = field(default_factory=list)
    confidence: Optional[float] = None
    evidence: Optional[Evidence] = None
    sort_key: Optional[str] = None  # ISO date of the earliest day the value covers (what the timeline is sorted by)
    mod: Optional[str] = None  # the TimeExpr's modifier, copied for readers of the timeline alone


@dataclass(frozen=True)
class Attribution:
    entity: Optional[str]
    name: Optional[str]


@dataclass(frozen=True)
class Claim:
    id: str
    start: int
    end: int
    text: str
    checkworthiness: float
    claimant: Attribution
    claimant_kind: str  # speaker | author
    quote: Optional[str] = None
    attribution: list[Attribution] = field(default_factory=list)
    markers: list[Span] = field(default_factory=list)
    hedges: list[Span] = field(default_factory=list)
    confidence: Optional[float] = None
    evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class Technique:
    start: int
    end: int
    text: str
    technique: str  # PTC (SemEval-2020 Task 11) label
    semeval2023: Optional[str] = None
    confidence: Optional[float] = None
    evidence: Optional[Evidence] = None


@dataclass(frozen=True)
class Label:
    """A document-level judgement (genre, frame, stance) with its evidence spans."""

    label: str
    score: float
    target: Optional[str] = None  # e.g. the entity id a stance is about
    spans: list[Span] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    confidence: Optional[float] = None
    evidence: Optional[Evidence] = None


# layer name -> record class; a layer not listed here cannot be added or read back.
LAYER_TYPES: dict[str, type] = {
    "blocks": Block,
    "entities": Entity,
    "quotes": Quote,
    "time": TimeExpr,
    "timeline": TimelineEntry,
    "claims": Claim,
    "techniques": Technique,
    "genre": Label,
    "frames": Label,
    "stance": Label,
}


@dataclass
class Document:
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    layers: dict[str, list[Any]] = field(default_factory=dict)

    # -- building ---------------------------------------------------------------
    def add(self, layer: str, record: Any) -> None:
        expected = LAYER_TYPES.get(layer)
        if expected is None:
            raise SchemaError("S01", f"unknown layer {layer!r}", f"use one of: {', '.join(LAYER_TYPES)}")
        if not isinstance(record, expected):
            raise SchemaError("S02", f"layer {layer!r} takes {expected.__name__}, got {type(record).__name__}",
                              "construct the layer's record class from presslens.document")
        for span in iter_spans(record):
            self.check_span(span, layer)
        self.layers.setdefault(layer, []).append(record)

    def extend(self, layer: str, records: list[Any]) -> None:
        for record in records:
            self.add(layer, record)

    def check_span(self, span: Any, layer: str = "?") -> None:
        start, end, text = span.start, span.end, span.text
        if start is None and end is None:
            return
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(self.text)):
            raise SchemaError("S03", f"{layer}: span [{start}, {end}) is outside the text (length {len(self.text)})",
                              "offsets are Python str indices into Document.text, end exclusive")
        if self.text[start:end] != text:
            raise SchemaError("S04", f"{layer}: span [{start}, {end}) says {text!r} but the text there is "
                              f"{self.text[start:end]!r}", "build spans with Span.of(text, start, end)")

    def get(self, layer: str) -> list[Any]:
        return self.layers.get(layer, [])

    def entity(self, entity_id: Optional[str]) -> Optional[Entity]:
        return next((e for e in self.get("entities") if e.id == entity_id), None)

    # -- serialisation ----------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "text": self.text,
            "meta": self.meta,
            **{name: [to_plain(r) for r in records] for name, records in self.layers.items()},
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        if data.get("schema") != SCHEMA:
            raise SchemaError("S05", f"unsupported analysis schema {data.get('schema')!r}",
                              f"this presslens reads {SCHEMA}; re-run the analysis with this version")
        doc = cls(text=data["text"], meta=dict(data.get("meta") or {}))
        for name, record_type in LAYER_TYPES.items():
            if name in data:  # an empty layer stays (analysed, nothing found), so a reload has the same shape
                doc.layers.setdefault(name, [])
            for item in data.get(name) or []:
                doc.add(name, from_plain(record_type, item))
        return doc


def iter_spans(value: Any) -> Iterator[Any]:
    """Yield every object inside a record that carries start/end/text offsets."""
    if dataclasses.is_dataclass(value):
        names, is_span = record_fields(value if isinstance(value, type) else type(value))
        if is_span:
            yield value
        for name in names:
            yield from iter_spans(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from iter_spans(item)


@functools.lru_cache(maxsize=None)
def record_fields(cls: type) -> tuple[tuple[str, ...], bool]:
    """(field names, whether it carries start/end/text) of a record class: asked for every record added."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    return names, {"start", "end", "text"} <= set(names)


def to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


def from_plain(tp: Any, value: Any) -> Any:
    """Rebuild a (possibly nested) record from plain JSON data, guided by type hints."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return from_plain(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        (item_type,) = typing.get_args(tp) or (Any,)
        return [from_plain(item_type, v) for v in value]
    if origin is dict:
        return dict(value)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        return tp(**{k: from_plain(hints[k], v) for k, v in value.items() if k in known})
    return value
