"""A store built from tests/corpus/iceland.jsonl (articles written for these tests) by the real pipeline, indexed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURE = Path(__file__).with_name("iceland.jsonl")
QUESTION = "Will Iceland join the European Union?"


def build_store(path: Path, pipeline, lines: list[str] | None = None) -> Path:
    from presslens.ingest import article_from_json_line
    from presslens.store import Store

    lines = lines if lines is not None else FIXTURE.read_text(encoding="utf-8").splitlines()
    with Store(path) as store:
        for n, line in enumerate(lines, 1):
            raw = article_from_json_line(line, f"{FIXTURE.name}:{n}", None)
            store.put(raw, pipeline.analyze(raw))
    return path


@pytest.fixture(scope="session")
def analysed_store(tmp_path_factory, pipeline) -> Path:
    """The fixture articles analysed and stored, not yet indexed (copy it before changing it)."""
    return build_store(tmp_path_factory.mktemp("corpus") / "iceland.db", pipeline)


@pytest.fixture(scope="session")
def indexed_store(analysed_store, tmp_path_factory) -> Path:
    from presslens.corpus.index import index

    path = tmp_path_factory.mktemp("indexed") / "iceland.db"
    shutil.copy(analysed_store, path)
    index(path)
    return path


@pytest.fixture
def fresh_store(analysed_store, tmp_path) -> Path:
    path = tmp_path / "iceland.db"
    shutil.copy(analysed_store, path)
    return path
