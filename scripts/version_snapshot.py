"""Each analyzer's output on a fixed set of our own texts, keyed by its VERSION (tests/test_versions.py).

tests/snapshots/versions.json holds, per analyzer, its VERSION, the VERSIONs of the analyzers it reads from
(``upstream``: the providers of its REQUIRES, and theirs), and a digest of what it assigned on each text. The test
fails when an analyzer's output moved while neither its VERSION nor an upstream VERSION did. After changing an
analyzer's output on purpose, bump its VERSION, then regenerate the snapshot:

    .venv/bin/python scripts/version_snapshot.py
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = REPO / "tests" / "snapshots" / "versions.json"
TEXTS = [REPO / "presslens" / "examples" / "harbour-strike.txt", *sorted((REPO / "tests" / "snapshots" / "texts").glob("*.txt"))]
PUBLISHED = "2024-05-13"


def rounded(value: Any) -> Any:
    """Floats to 3 places: last-digit noise of the ONNX runtimes is not a change of output."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return {k: rounded(v) for k, v in value.items()} if isinstance(value, dict) else value


def digest(records: list[Any]) -> str:
    from presslens.document import to_plain

    data = json.dumps(rounded(to_plain(records)), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def compute() -> dict[str, dict[str, Any]]:
    """{analyzer: {"version", "upstream": {analyzer: version}, "outputs": {text: {layer: digest}}}} for the default
    pipeline."""
    from presslens.ingest import RawArticle
    from presslens.pipeline import Pipeline

    pipeline = Pipeline()
    out: dict[str, dict[str, Any]] = {}
    for step in pipeline.steps:
        out[step.name] = {"version": step.module.VERSION, "upstream": upstream(pipeline.steps, step.name),
                          "outputs": {}}
    for path in TEXTS:
        raw = RawArticle.from_text(path.read_text(encoding="utf-8"), id=path.stem, published=PUBLISHED)
        document = pipeline.analyze(raw)
        for step in pipeline.steps:
            out[step.name]["outputs"][path.name] = {layer: digest(document.get(layer)) for layer in step.module.ASSIGNS}
    return out


def upstream(steps: list[Any], name: str) -> dict[str, str]:
    """VERSION of every analyzer whose layers ``name`` reads, directly or through another analyzer."""
    provider = {layer: step for step in steps for layer in step.module.ASSIGNS}
    by_name = {step.name: step for step in steps}
    found: dict[str, str] = {}
    todo = list(by_name[name].module.REQUIRES)
    while todo:
        step = provider[todo.pop()]
        if step.name not in found:
            found[step.name] = step.module.VERSION
            todo.extend(step.module.REQUIRES)
    return dict(sorted(found.items()))


def main() -> None:
    from presslens.atomic import write_atomic

    write_atomic(SNAPSHOT, json.dumps(compute(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {SNAPSHOT.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
