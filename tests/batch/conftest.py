"""Corpus fixtures for the batch tests: small articles written here, never copied from shared data."""
from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PLACES = ["Lowmouth", "Brackton", "Eastreach", "Pellow Cove"]
PEOPLE = ["Mara Quell", "Tobias Fenn", "Ilse Varga", "Omar Dace"]


def article_text(i: int, paragraphs: int = 2) -> str:
    rng = random.Random(i)
    body = []
    for p in range(paragraphs):
        person, place = rng.choice(PEOPLE), rng.choice(PLACES)
        body.append(
            f"Workers in {place} voted on Tuesday to continue the strike at the harbour, union leader {person} said. "
            f"“We will not accept a pay cut of {i + p + 3} percent,” {person.split()[0]} told reporters on Monday. "
            f"The port authority said the dispute had cost {i * 10 + p + 50} million so far this year, and that "
            f"ferries to {rng.choice(PLACES)} would run on a reduced timetable until the end of the month.")
    return "\n\n".join(body)


def write_corpus(path: Path, n: int, paragraphs: int = 2) -> Path:
    lines = [json.dumps({"id": f"a{i}", "title": f"Strike day {i}", "text": article_text(i, paragraphs),
                         "published": f"2024-03-{i % 28 + 1:02d}"}) for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def small_analyzers() -> str:
    """A cheap analyzer set: blocks alone (no trained model)."""
    return "blocks"


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "presslens", *args]


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("FORCE_COLOR", None)
    return env


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus.jsonl", 12)
