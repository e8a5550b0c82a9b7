"""Workers read their own inputs: 1 and 2 workers store the same analyses as ingest + the pipeline would,
export the same files, and a re-run skips what is stored before analysing anything."""
from __future__ import annotations

import gzip
import json
import types

import pytest

import presslens
from presslens.batch import LocalEngine, StoreSink, run_batch
from presslens.batch.export import export
from presslens.ingest.html import forget_other_pages
from presslens.ingest import Failure, read
from presslens.store import Store
from presslens.store.sqlite import LAYER_TABLES, key_of

from .conftest import article_text, small_analyzers
from .test_units import html_page


def analyzer_names() -> list[str]:
    return [] if small_analyzers() == "none" else [small_analyzers()]


@pytest.fixture(scope="module")
def mixed_inputs(tmp_path_factory):
    """.txt, .html (sharing a paragraph), .jsonl.gz and .jsonl with a broken line, an empty file and one
    article given twice."""
    folder = tmp_path_factory.mktemp("mixed") / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"note{i}.txt").write_text(f"Harbour note {i}\n\n" + article_text(20 + i, 1), encoding="utf-8")
    for i in range(4):  # pages of one site: a repeated paragraph must not depend on which worker read what
        (folder / f"page{i}.html").write_text(html_page(10 + i, boilerplate=True), encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    rows = [json.dumps({"id": f"g{i}", "title": f"Packed {i}", "text": article_text(40 + i, 1),
                        "published": "2024-04-02"}) for i in range(8)]
    rows.insert(5, "{broken")
    with gzip.open(folder / "packed.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")
    twice = json.dumps({"id": "d1", "title": "First copy", "text": article_text(60, 1)})
    again = json.dumps({"id": "d1", "title": "Second copy", "text": article_text(60, 1)})
    lines = [json.dumps({"id": f"p{i}", "text": article_text(50 + i, 1)}) for i in range(4)]
    (folder / "plain.jsonl").write_text("\n".join([twice, *lines, again]) + "\n", encoding="utf-8")
    return folder


def stored(db) -> dict[str, object]:
    """Everything a user reads back: analyses by article key, layer rows, failures, the JSONL export."""
    with Store(db) as store:
        keys = {row["id"]: row["article_key"] for row in store.rows("articles")}
        analyses = {keys[article_id]: analysis for article_id, analysis in store.iter_analyses()}
        titles = {row["article_key"]: row["title"] for row in store.rows("articles")}
        layers = {table: [{k: v for k, v in row.items() if k != "created_at"} for row in store.rows(table)]
                  for table in LAYER_TABLES}
        failures = sorted((f["article_key"], f["source"], f["code"], f["message"]) for f in store.failures())
        out = db.parent / f"{db.stem}-export.jsonl"
        export(store, "jsonl", out)
    return {"analyses": analyses, "titles": titles, "layers": layers, "failures": failures,
            "export": out.read_text(encoding="utf-8")}


def reference(inputs: list[str], names: list[str]) -> dict[str, str]:
    """What ingest + the pipeline make of the inputs in one process (the batch engine's job, done by hand)."""
    pipeline = presslens.load(analyzers=names)
    analyses: dict[str, str] = {}
    for item in read(inputs[0]):
        forget_other_pages()
        if isinstance(item, Failure) or key_of(item) in analyses:
            continue
        document = next(iter(pipeline.pipe([item])))
        if not isinstance(document, Failure):
            analyses[key_of(item)] = document.to_json()
    return analyses


def test_one_and_two_workers_store_and_export_the_same(mixed_inputs, tmp_path):
    names, inputs = analyzer_names(), [str(mixed_inputs)]
    reports, found = [], []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        sink = StoreSink(db)
        reports.append(run_batch(inputs, sink, LocalEngine(workers, analyzers=names), shard_size=2))
        sink.close()
        found.append(stored(db))
    one, two = reports
    assert (one.stored, one.skipped, one.failed) == (two.stored, two.skipped, two.failed) == (20, 1, 2)
    assert one.failures_by_code == two.failures_by_code == {"PL-I10": 1, "PL-I30": 1}
    assert found[0] == found[1]
    assert found[0]["analyses"] == reference(inputs, names)
    assert "First copy" in found[0]["titles"].values() and "Second copy" not in found[0]["titles"].values()
    assert len(found[0]["export"].splitlines()) == 20
    pages = [json.loads(a) for a in found[0]["analyses"].values() if (json.loads(a)["meta"]["source"] or "").endswith(".html")]
    assert len(pages) == 4 and all("independent harbour reporting" in page["text"] for page in pages)


def test_a_rerun_skips_stored_articles_in_the_workers(mixed_inputs, tmp_path, monkeypatch):
    """The second run's pipeline fails every article it is given: nothing stored may reach it."""
    from presslens.batch import local
    from presslens.pipeline import Step

    names, inputs, db = analyzer_names(), [str(mixed_inputs)], tmp_path / "c.db"
    sink = StoreSink(db)
    first = run_batch(inputs, sink, LocalEngine(2, analyzers=names), shard_size=3)
    sink.close()

    def refusing_pipeline(analyzers, config_path):
        pipeline = presslens.load(analyzers=[])
        module = types.SimpleNamespace(VERSION="0", ASSIGNS=(), REQUIRES=(),
                                       analyze=lambda doc, article, config: 1 / 0)
        pipeline.steps.append(Step("refuses", module, None))
        return pipeline

    monkeypatch.setattr(local, "build_pipeline", refusing_pipeline)  # inherited by the forked workers
    sink = StoreSink(db)
    again = run_batch(inputs, sink, LocalEngine(2), shard_size=3)
    sink.close()
    assert first.stored == 20
    assert (again.stored, again.skipped, again.failed) == (0, 21, 2)
    assert again.failures_by_code == {"PL-I10": 1, "PL-I30": 1}  # the unreadable inputs, never PL-A01
    assert again.words == 0
