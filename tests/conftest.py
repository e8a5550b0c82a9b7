"""Shared fixtures. Tests that need ../shared skip with a reason when it is absent (a user's fresh clone)."""
from __future__ import annotations

from pathlib import Path

import pytest

from presslens.document import (Attribution, Block, Claim, Document, Entity, Evidence, Mention, Quote, Span, Speaker,
                                TimeExpr)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"needs the shared data folder at {SHARED} (present in CI, absent in a fresh clone)")
    return SHARED


@pytest.fixture(scope="session")
def seed_article(shared_data: Path) -> str:
    path = shared_data / "seed" / "will-russia-join-nato.txt"
    if not path.exists():
        pytest.skip(f"needs the seed article at {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def nlp():
    from presslens.artifacts import load_spacy

    return load_spacy("en_core_web_sm")


@pytest.fixture(scope="session")
def pipeline():
    """The full default pipeline, built once for the whole test session."""
    import presslens

    return presslens.load()


SAMPLE_TEXT = "Mayor Ana Ruiz said: “We will reopen the port on Monday.”"


@pytest.fixture
def sample_document() -> Document:
    """A small hand-built analysis touching every core layer."""
    text = SAMPLE_TEXT
    doc = Document(text, meta={"title": "Port"})
    doc.add("blocks", Block(0, len(text), text, "paragraph", 0.9, Evidence("blocks.default", "a full sentence")))
    doc.add("entities", Entity("e1", "Ana Ruiz", "PERSON", [Mention(6, 14, "Ana Ruiz")]))
    start = text.index("“")
    doc.add("quotes", Quote("q1", "direct", start, len(text), text[start:], Span.of(text, start + 1, len(text) - 1),
                            Span.of(text, 15, 19), Speaker("e1", "Ana Ruiz", 6, 14, "Ana Ruiz"), 0.95,
                            Evidence("quotes.colon_intro", "introduced by 'said:'")))
    monday = text.index("Monday")
    doc.add("time", TimeExpr("t1", monday, monday + 6, "Monday", "DATE", "2024-03-04"))
    doc.add("claims", Claim("c1", start + 1, len(text) - 1, text[start + 1:-1], 0.7, Attribution("e1", "Ana Ruiz"),
                            "speaker", "q1"))
    return doc
