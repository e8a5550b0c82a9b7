"""Corpus-scale analysis: one shard function (shards.py) run by the local process pool (local.py)
or by Ray Data (ray_engine.py, optional extra), writing into the corpus store or JSONL parts."""
from __future__ import annotations

from .local import BatchReport, JsonlSink, LocalEngine, StoreSink, run_batch
from .shards import ShardResult, analyze_shard

__all__ = ["BatchReport", "JsonlSink", "LocalEngine", "ShardResult", "StoreSink", "analyze_shard", "run_batch"]
