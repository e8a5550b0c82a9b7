"""VERSION means something: each analyzer's output on a fixed set of our own texts is compared with the committed
snapshot (tests/snapshots/versions.json, written by scripts/version_snapshot.py); output that moved while neither
the analyzer's VERSION nor that of an analyzer it reads from moved fails, and so does a VERSION the snapshot does not
know yet."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "version_snapshot.py"
REGENERATE = ".venv/bin/python scripts/version_snapshot.py"


def snapshot_module():
    spec = importlib.util.spec_from_file_location("version_snapshot", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def problems(snapshot: dict, current: dict) -> list[str]:
    same_output = snapshot_module().same_output
    out = []
    for name, now in sorted(current.items()):
        then = snapshot.get(name)
        if then is None:
            out.append(f"{name}: not in the snapshot; run {REGENERATE}")
            continue
        moved = sorted(f"{text}:{layer}" for text, layers in now["outputs"].items()
                       for layer, d in layers.items() if not same_output(then["outputs"].get(text, {}).get(layer), d))
        if then["version"] == now["version"] and then.get("upstream") == now["upstream"] and moved:
            out.append(f"{name}: output moved ({', '.join(moved)}) but VERSION is still {now['version']}: "
                       f"bump {name}.VERSION, then run {REGENERATE}")
        elif then["version"] != now["version"] or then.get("upstream") != now["upstream"]:
            out.append(f"{name}: VERSION {now['version']} (upstream {now['upstream']}) is new; run {REGENERATE} "
                       "and commit the snapshot")
    return out


def test_output_moved_only_with_a_new_version():
    module = snapshot_module()
    snapshot = json.loads(module.SNAPSHOT.read_text(encoding="utf-8"))
    assert not problems(snapshot, module.compute())


def test_the_comparison_catches_a_silent_change():
    def entry(version, blocks, shape, numbers):
        return {"quotes": {"version": version, "upstream": {"blocks": blocks},
                           "outputs": {"a.txt": {"quotes": {"shape": shape, "numbers": numbers}}}}}

    then = entry("1.0", "0.2", "abc", [0.71, 0.5])
    assert "output moved (a.txt:quotes) but VERSION is still 1.0" in problems(then, entry("1.0", "0.2", "abd", [0.71, 0.5]))[0]
    assert "output moved" in problems(then, entry("1.0", "0.2", "abc", [0.81, 0.5]))[0]   # a confidence that moved
    assert "output moved" in problems(then, entry("1.0", "0.2", "abc", [0.71]))[0]
    assert problems(then, entry("1.0", "0.2", "abc", [0.7151, 0.4949])) == []          # kernel noise is no change
    assert "is new" in problems(then, entry("1.1", "0.2", "abd", [0.71, 0.5]))[0]
    assert "is new" in problems(then, entry("1.0", "0.3", "abd", [0.71, 0.5]))[0]
    assert problems(then, then) == []


def test_a_record_change_changes_the_digest():
    module = snapshot_module()
    from presslens.document import Evidence, Label

    label = Label("opinion", 0.71, evidence=Evidence("genre.cue_weights", "3 first-person pronouns, score 0.64"))
    base = module.digest([label])
    assert base["numbers"] == [0.71, 0.64]
    assert module.digest([Label("reporting", 0.71, evidence=label.evidence)])["shape"] != base["shape"]
    assert module.digest([Label("opinion", 0.7101, evidence=label.evidence)]) == {**base, "numbers": [0.7101, 0.64]}
    assert module.same_output(base, module.digest([Label("opinion", 0.7101, evidence=label.evidence)]))
    assert not module.same_output(base, module.digest([Label("opinion", 0.9, evidence=label.evidence)]))
