"""Build presslens/evaluate/opinion_dev.jsonl from training/data/opinion_dev.marked.txt (the marked-up source).

Each paragraph becomes one JSON line: {"id", "text", "spans": [{"start", "end", "technique", "text"}]}, offsets
into "text" (end exclusive). Run again after editing the source; tests/evaluate/test_opinion_set.py checks the two
agree.

    .venv/bin/python training/build_opinion_dev.py
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "training" / "data" / "opinion_dev.marked.txt"
TARGET = REPO / "presslens" / "evaluate" / "opinion_dev.jsonl"

CODES = {
    "AA": "Appeal_to_Authority", "AF": "Appeal_to_fear-prejudice", "BR": "Bandwagon,Reductio_ad_hitlerum",
    "BW": "Black-and-White_Fallacy", "CO": "Causal_Oversimplification", "DO": "Doubt",
    "EM": "Exaggeration,Minimisation", "FW": "Flag-Waving", "LL": "Loaded_Language", "NC": "Name_Calling,Labeling",
    "RE": "Repetition", "SL": "Slogans", "TC": "Thought-terminating_Cliches", "WS": "Whataboutism,Straw_Men,Red_Herring",
}
OPEN = re.compile(r"\[([A-Z]{2}): ")


def parse(marked: str, where: str) -> tuple[str, list[dict]]:
    """Plain text and spans of one marked paragraph; spans may nest."""
    out: list[str] = []
    stack: list[tuple[str, int]] = []
    spans = []
    i, pos = 0, 0
    while i < len(marked):
        m = OPEN.match(marked, i)
        if m:
            if m.group(1) not in CODES:
                raise ValueError(f"{where}: unknown technique code {m.group(1)!r}")
            stack.append((CODES[m.group(1)], pos))
            i = m.end()
        elif marked[i] == "]":
            if not stack:
                raise ValueError(f"{where}: ']' closes no span")
            technique, start = stack.pop()
            spans.append({"start": start, "end": pos, "technique": technique})
            i += 1
        else:
            out.append(marked[i])
            pos += 1
            i += 1
    if stack:
        raise ValueError(f"{where}: {len(stack)} span(s) left open")
    text = "".join(out)
    for s in spans:
        s["text"] = text[s["start"]:s["end"]]
    return text, sorted(spans, key=lambda s: (s["start"], -s["end"]))


def build(source: str) -> list[dict]:
    lines = [line for line in source.splitlines() if not line.startswith("#")]
    items, current, body = [], None, []
    for line in lines + ["=== end"]:
        if line.startswith("=== "):
            if current is not None:
                text, spans = parse(" ".join(x.strip() for x in body if x.strip()), current)
                items.append({"id": current, "text": text, "spans": spans})
            current, body = line[4:].strip(), []
        else:
            body.append(line)
    return items


def render(items: list[dict]) -> str:
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)


def main() -> int:
    items = build(SOURCE.read_text(encoding="utf-8"))
    TARGET.write_text(render(items), encoding="utf-8")
    n = sum(len(i["spans"]) for i in items)
    words = sum(len(i["text"].split()) for i in items)
    print(f"{len(items)} paragraphs, {words} words, {n} spans -> {TARGET.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
