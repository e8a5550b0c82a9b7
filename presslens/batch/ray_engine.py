"""The Ray Data engine (optional extra: ``pip install presslens[ray]``): the same unit function as the
local engine, run by a fixed pool of Ray actors that each build the pipeline once.

    work units (enumerated here, their bytes attached) -> ray.data.from_items
    -> map_batches(Analyzer actors: read, hash, skip what is stored, analyse) -> iter_batches back in
    this process -> the same sinks as the local engine (store or JSONL parts)

Units travel with their bytes (units.materialise), so actors on other machines need no access to this
one's files. Writes stay in the driver process, so resumability and exactly-once storage are the
local engine's. See docs/ray.md for running it on an existing cluster.
"""
from __future__ import annotations

import logging
import pickle
from typing import AbstractSet, Any, Iterable, Iterator, Optional

from ..errors import ConfigError
from .shards import ShardResult, analyze_unit
from .units import WorkUnit, materialise

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
    """Ray Data callable class: one pipeline per actor, one work unit per batch, one row per article."""

    def __init__(self, analyzers: Optional[list[str]], config_path: Optional[str], skip: Any = frozenset()):
        from .local import build_pipeline

        self.pipeline = build_pipeline(analyzers, config_path)
        ray = require_ray()
        self.skip = ray.get(skip) if isinstance(skip, ray.ObjectRef) else skip

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, list] = {"index": [], "count": [], "result": []}
        for index, unit in zip(batch["index"], batch["unit"]):
            results = analyze_unit(self.pipeline, pickle.loads(unit), self.skip)
            for result in results or [None]:  # a unit without articles still says so (count 0)
                out["index"].append(int(index))
                out["count"].append(len(results))
                out["result"].append(pickle.dumps(result) if result is not None else b"")
        return out


class RayEngine:
    """Analyses work units with Ray Data; ``address`` None starts a local Ray with ``workers`` CPUs."""

    def __init__(self, workers: int, analyzers: Optional[list[str]] = None, config_path: Optional[str] = None,
                 address: Optional[str] = None):
        self.ray = require_ray()
        self.workers = max(1, int(workers))
        self.analyzers, self.config_path, self.address = analyzers, config_path, address
        self.skip: AbstractSet[str] = frozenset()

    def start(self, skip: Optional[AbstractSet[str]] = None) -> None:
        if skip is not None:
            self.skip = skip
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

    def map(self, units: Iterable[WorkUnit]) -> Iterator[list[ShardResult]]:
        """One result list per unit, in the units' order."""
        self.start()
        ray = self.ray
        rows = [{"index": i, "unit": pickle.dumps(materialise(unit))} for i, unit in enumerate(units)]
        if not rows:
            return
        skip = ray.put(frozenset(self.skip))
        dataset = ray.data.from_items(rows, override_num_blocks=max(1, min(len(rows), self.workers * 4))).map_batches(
            Analyzer, fn_constructor_args=(self.analyzers, self.config_path, skip), batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=self.workers), num_cpus=1, batch_format="default")
        pending: dict[int, list[ShardResult]] = {}
        expected: dict[int, int] = {}
        next_index = 0
        for batch in dataset.iter_batches(batch_size=None, batch_format="default"):
            for index, count, result in zip(batch["index"], batch["count"], batch["result"]):
                index = int(index)
                expected[index] = int(count)
                found = pending.setdefault(index, [])
                if result:
                    found.append(pickle.loads(result))
            while next_index in expected and len(pending.get(next_index, [])) >= expected[next_index]:
                yield pending.pop(next_index, [])
                del expected[next_index]
                next_index += 1
        while next_index < len(rows):  # (only if Ray lost rows: report what came back)
            yield pending.pop(next_index, [])
            next_index += 1
