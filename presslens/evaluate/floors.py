"""The accuracy floors in benchmarks/floors/<name>.json: one format, one reader.

Each file holds a ``note`` and named ``gates``; a gate names the ``command`` whose ``--json`` output it gates,
what was ``measured`` when the floors were set, and ``floors``: a metric path into that output ("all/micro_f1",
"scores/direct/f1@0.3") -> the lowest value allowed. Optional ``params`` say how the command is run (a subset size).
The tests read the floors through ``shortfalls``; a floor is raised when an analyzer improves, and never lowered
without saying why in the note.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FLOORS_DIR = Path(__file__).resolve().parents[2] / "benchmarks" / "floors"


def load(name: str) -> dict[str, Any]:
    """The floors file of ``name`` (an analyzer or evaluation), checked to have the one format."""
    data = json.loads((FLOORS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    if set(data) - {"note", "gates"} or not data.get("gates"):
        raise ValueError(f"{name}.json: expected only 'note' and 'gates', got {sorted(data)}")
    for gate_name, gate in data["gates"].items():
        if not isinstance(gate.get("command"), str) or not gate.get("floors"):
            raise ValueError(f"{name}.json gate {gate_name!r}: needs a 'command' and 'floors'")
        if not all(isinstance(v, (int, float)) for v in gate["floors"].values()):
            raise ValueError(f"{name}.json gate {gate_name!r}: every floor is a number")
    return data


def gate(name: str, gate_name: str) -> dict[str, Any]:
    return load(name)["gates"][gate_name]


def metric(result: dict[str, Any], path: str) -> float:
    """The value at ``path`` ("a/b/c") in a nested result."""
    value: Any = result
    for key in path.split("/"):
        value = value[key]
    return value


def shortfalls(name: str, gate_name: str, result: dict[str, Any]) -> list[str]:
    """Each floor of the gate that ``result`` falls below, as "path: measured < floor"; empty when all hold."""
    out = []
    for path, floor in gate(name, gate_name)["floors"].items():
        measured = metric(result, path)
        if measured < floor:
            out.append(f"{name} {gate_name} {path}: {measured} < floor {floor}")
    return out
