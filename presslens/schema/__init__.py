"""JSON Schema of the analysis document ("presslens.analysis/1").

The committed file analysis-1.json is the contract. ``build_schema()`` derives it from the record
dataclasses in document.py; tests/test_schema.py fails when the two drift apart, so a change to a
record is always a deliberate change to the contract (regenerate with ``python -m presslens.schema``, see __main__.py).
"""
from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

from ..atomic import write_atomic
from ..document import LAYER_TYPES, SCHEMA

SCHEMA_PATH = Path(__file__).with_name("analysis-1.json")


def type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [type_schema(a, defs) for a in typing.get_args(tp)]
        return {"anyOf": options}
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        return {"type": "array", "items": type_schema(item, defs)}
    if origin is dict:
        args = typing.get_args(tp)
        return {"type": "object", "additionalProperties": type_schema(args[1], defs) if args else {}}
    if tp is type(None):
        return {"type": "null"}
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            hints = typing.get_type_hints(tp)
            fields = dataclasses.fields(tp)
            required = [f.name for f in fields
                        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
            defs[name] = {
                "type": "object",
                "properties": {f.name: type_schema(hints[f.name], defs) for f in fields},
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}
    return {}


def build_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    layers = {name: {"type": "array", "items": type_schema(cls, defs)} for name, cls in LAYER_TYPES.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "presslens.analysis/1",
        "title": "presslens analysis of one article",
        "type": "object",
        "properties": {
            "schema": {"const": SCHEMA},
            "text": {"type": "string"},
            "meta": {"type": "object"},
            **layers,
        },
        "required": ["schema", "text", "meta"],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(analysis: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when an analysis dict does not fit the committed schema."""
    import jsonschema

    jsonschema.validate(analysis, load_schema())


def write_schema() -> Path:
    write_atomic(SCHEMA_PATH, json.dumps(build_schema(), indent=2) + "\n")
    return SCHEMA_PATH
