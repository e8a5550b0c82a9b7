"""The one list of analyzers: name -> module. tests/test_registry.py diffs it against a snapshot.

Each module exposes NAME, VERSION, REQUIRES, ASSIGNS, a frozen ``Config`` dataclass and
``analyze(doc, article, config)`` returning ``{layer: [records]}`` for the layers it ASSIGNS.
"""
from __future__ import annotations

import importlib
from types import ModuleType

from .errors import ConfigError

# name -> dotted module path. Order here is only a tie-breaker; the pipeline orders by requires/assigns.
ANALYZERS: dict[str, str] = {
    "blocks": "presslens.analyzers.blocks",
    "entities": "presslens.analyzers.entities",
    "quotes": "presslens.analyzers.quotes",
    "time": "presslens.analyzers.time",
    "claims": "presslens.analyzers.claims",
    "genre": "presslens.analyzers.genre",
    "frames": "presslens.analyzers.frames",
    "stance": "presslens.analyzers.stance",
    "techniques": "presslens.analyzers.techniques",
}


def get(name: str) -> ModuleType:
    path = ANALYZERS.get(name)
    if path is None:
        raise ConfigError("C10", f"unknown analyzer {name!r}", f"known analyzers: {', '.join(ANALYZERS)}")
    try:
        return importlib.import_module(path)
    except ImportError as exc:
        raise ConfigError("C11", f"analyzer {name!r} cannot be imported: {exc}",
                          "install presslens with all its dependencies (see README)") from exc


def describe() -> list[dict]:
    """Name, version, requires and assigns of every registered analyzer (for the snapshot test and `presslens analyzers`)."""
    rows = []
    for name in ANALYZERS:
        mod = get(name)
        rows.append({"name": mod.NAME, "version": mod.VERSION, "requires": list(mod.REQUIRES), "assigns": list(mod.ASSIGNS)})
    return rows
