"""The Ray Data engine (optional extra: ``pip install presslens[ray]``): the same shard function as the
local engine, run by a fixed pool of Ray actors that each build the pipeline once.

    articles (read here by presslens.ingest) -> ray.data.from_items -> map_batches(Analyzer actors)
    -> iter_batches back in this process -> the same sinks as the local engine (store or JSONL parts)

Writes stay in the driver process, so resumability and exactly-once storage are the local engine's.
See docs/ray.md for running it on an existing cluster.
"""
from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any, Iterable, Iterator, Optional

from ..errors import ConfigError
from ..ingest import RawArticle
from .shards import ShardResult, analyze_shard

# Memory for Ray's object store when this process starts a local Ray: articles and their analyses
# are small (kilobytes), so a small store leaves the machine's memory to the analysers.
LOCAL_OBJECT_STORE_BYTES = 256 * 1024 * 1024


def require_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise ConfigError("R50", f"the ray engine needs Ray Data, which is not installed ({exc})",
                          "pip install 'presslens[ray]' (or -r requirements-ray.txt), or use --engine local") from exc
    return ray


class Analyzer:
    """Ray Data callable class: one pipeline per actor, one shard per batch."""

    def __init__(self, analyzers: Optional[list[str]], config_path: Optional[str]):
        from .local import build_pipeline

        self.pipeline = build_pipeline(analyzers, config_path)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        raws = [RawArticle(**json.loads(raw)) for raw in batch["raw"]]
        results = analyze_shard(self.pipeline, raws)
        return {
            "index": [int(i) for i in batch["index"]],
            "document": [r.document or "" for r in results],
            "code": [r.code or "" for r in results],
            "message": [r.message or "" for r in results],
        }


class RayEngine:
    """Analyses shards with Ray Data; ``address`` None starts a local Ray with ``workers`` CPUs."""

    def __init__(self, workers: int, analyzers: Optional[list[str]] = None, config_path: Optional[str] = None,
                 address: Optional[str] = None):
        self.ray = require_ray()
        self.workers = max(1, int(workers))
        self.analyzers, self.config_path, self.address = analyzers, config_path, address

    def start(self) -> None:
        ray = self.ray
        if ray.is_initialized():
            return
        options: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.WARNING,
                                   "log_to_driver": False}
        if self.address:
            ray.init(address=self.address, **options)
        else:
            ray.init(num_cpus=self.workers, object_store_memory=LOCAL_OBJECT_STORE_BYTES, **options)
        ray.data.DataContext.get_current().enable_progress_bars = False  # presslens draws its own
        logging.getLogger("ray.data").setLevel(logging.WARNING)

    def map(self, shard_iter: Iterable[list[RawArticle]]) -> Iterator[list[ShardResult]]:
        self.start()
        shard_list = list(shard_iter)
        raws = [raw for shard in shard_list for raw in shard]
        if raws:
            yield from self.run(raws, max(len(shard) for shard in shard_list))

    def run(self, raws: list[RawArticle], shard_size: int) -> Iterator[list[ShardResult]]:
        ray = self.ray
        rows = [{"index": i, "raw": json.dumps(dataclasses.asdict(raw), ensure_ascii=False)}
                for i, raw in enumerate(raws)]
        blocks = max(1, min(len(rows) // shard_size + 1, self.workers * 4))
        dataset = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
            Analyzer, fn_constructor_args=(self.analyzers, self.config_path), batch_size=shard_size,
            compute=ray.data.ActorPoolStrategy(size=self.workers), num_cpus=1, batch_format="default")
        for batch in dataset.iter_batches(batch_size=shard_size, batch_format="default"):
            yield [to_result(raws[int(i)], document, code, message)
                   for i, document, code, message in zip(batch["index"], batch["document"], batch["code"],
                                                          batch["message"])]


def to_result(raw: RawArticle, document: str, code: str, message: str) -> ShardResult:
    from ..store.sqlite import key_of
    from .shards import count_words

    return ShardResult(key=key_of(raw), source=raw.source or raw.id, raw=raw,
                       document=str(document) if document else None, code=code or None,
                       message=message or None, words=count_words(raw.text))
