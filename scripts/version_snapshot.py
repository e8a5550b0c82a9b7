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
import re
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = REPO / "tests" / "snapshots" / "versions.json"
TEXTS = [REPO / "presslens" / "examples" / "harbour-strike.txt", *sorted((REPO / "tests" / "snapshots" / "texts").glob("*.txt"))]
PUBLISHED = "2024-05-13"


# Two machines' onnxruntime kernels (AVX2, AVX-512, VNNI) give the same model slightly different floats, and any
# rounding has values on its edge. So a layer's output is kept as its shape (every number replaced by '#', numbers
# written inside strings too) plus the numbers, compared within TOLERANCE: a confidence that moves by noise is the
# same output; a span, label, speaker or evidence that changes is not.
TOLERANCE = 0.02
NUMBER_IN_TEXT = re.compile(r"(?<![\w.])-?\d+\.\d+")


def split_numbers(value: Any, numbers: list[float]) -> Any:
    """``value`` with every float (and decimal written in a string) replaced by '#', appended to ``numbers``."""
    if isinstance(value, float):
        numbers.append(round(value, 4))
        return "#"
    if isinstance(value, str):
        def take(match: re.Match[str]) -> str:
            numbers.append(round(float(match.group()), 4))
            return "#"
        return NUMBER_IN_TEXT.sub(take, value)
    if isinstance(value, list):
        return [split_numbers(v, numbers) for v in value]
    if isinstance(value, dict):
        return {k: split_numbers(v, numbers) for k, v in value.items()}
    return value


def digest(records: list[Any]) -> dict[str, Any]:
    """{"shape": digest of the records with their numbers taken out, "numbers": those numbers, in order}."""
    from presslens.document import to_plain

    numbers: list[float] = []
    shape = json.dumps(split_numbers(to_plain(records), numbers), sort_keys=True, ensure_ascii=False)
    return {"shape": hashlib.sha256(shape.encode("utf-8")).hexdigest()[:16], "numbers": numbers}


def same_output(then: Any, now: dict[str, Any]) -> bool:
    """Equal shape and every number within TOLERANCE."""
    if not isinstance(then, dict) or then.get("shape") != now["shape"]:
        return False
    return len(then["numbers"]) == len(now["numbers"]) and all(
        abs(a - b) <= TOLERANCE for a, b in zip(then["numbers"], now["numbers"]))


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
