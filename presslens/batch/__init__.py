"""Corpus-scale analysis: the driver enumerates work units (units.py), workers read and analyse them
with one shard function (shards.py), run by the local process pool (local.py) or by Ray Data
(ray_engine.py, optional extra); only the driver writes, into the corpus store or JSONL parts."""
from __future__ import annotations

from .local import BatchProgress, BatchReport, JsonlSink, LocalEngine, StoreSink, run_batch
from .shards import ShardResult, analyze_shard, analyze_unit
from .units import Planner, WorkUnit

__all__ = ["BatchProgress", "BatchReport", "JsonlSink", "LocalEngine", "Planner", "ShardResult", "StoreSink",
           "WorkUnit", "analyze_shard", "analyze_unit", "run_batch"]
