"""The Ray Data engine gives the same analyses as the local engine (skips when Ray is not installed)."""
from __future__ import annotations

import json

import pytest

ray = pytest.importorskip("ray", reason="the ray engine is an optional extra: pip install -r requirements-ray.txt")
pytest.importorskip("ray.data", reason="the ray engine needs Ray Data: pip install -r requirements-ray.txt")

from presslens.batch import LocalEngine, StoreSink, run_batch  # noqa: E402
from presslens.batch.ray_engine import RayEngine  # noqa: E402
from presslens.store import Store  # noqa: E402

from .conftest import small_analyzers, write_corpus  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=200 * 1024 * 1024, log_to_driver=False)
    yield ray
    ray.shutdown()


def documents(db) -> dict[str, dict]:
    """Stored analyses keyed by article key, minus anything that records when it was made."""
    with Store(db) as store:
        keys = {row["id"]: row["article_key"] for row in store.rows("articles")}
        found = {}
        for article_id, analysis in store.iter_analyses():
            data = json.loads(analysis)
            data["meta"] = {k: v for k, v in data["meta"].items() if not k.endswith(("_at", "time"))}
            found[keys[article_id]] = data
    return found


def test_ray_engine_output_equals_local_engine(local_ray, tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", 20, paragraphs=2)
    (tmp_path / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    names = [small_analyzers()]
    inputs = [str(corpus), str(tmp_path / "bad.jsonl")]

    local_sink = StoreSink(tmp_path / "local.db")
    local = run_batch(inputs, local_sink, LocalEngine(1, analyzers=names), shard_size=4)
    local_sink.close()
    sink = StoreSink(tmp_path / "ray.db")
    remote = run_batch(inputs, sink, RayEngine(2, analyzers=names), shard_size=4)
    sink.close()
    assert (remote.stored, remote.failed) == (local.stored, local.failed) == (20, 1)
    assert remote.failures_by_code == local.failures_by_code == {"PL-I30": 1}
    assert documents(tmp_path / "ray.db") == documents(tmp_path / "local.db")

    sink = StoreSink(tmp_path / "ray.db")
    again = run_batch(inputs, sink, RayEngine(2, analyzers=names), shard_size=4)
    sink.close()
    assert (again.stored, again.skipped) == (0, 20)  # resumable on Ray too: stored articles are skipped
