"""Shared fixtures. Tests that need ../shared skip with a reason when it is absent (a user's fresh clone)."""
from __future__ import annotations

from pathlib import Path

import pytest

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
    from presslens.models import load_spacy

    return load_spacy("en_core_web_sm")


@pytest.fixture(scope="session")
def pipeline():
    """The full default pipeline, built once for the whole test session."""
    import presslens

    return presslens.load()
