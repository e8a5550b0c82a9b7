"""The batch driver and the local engine: enumerate work units, analyse them in worker processes
(each builds the pipeline once, reads and hashes its own articles), write results in THIS process only.

Resumable and idempotent: an article's identity is its ``article_key``; what a sink already holds
with the current analysis schema version is skipped (the workers get a snapshot of those keys when
the batch starts; this process checks every result against them and against what it wrote in this run
before writing). Writes are one transaction per unit (store) or one atomically renamed file per unit
(JSONL), so a run killed at any moment and run again ends with every article written exactly once.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import AbstractSet, Any, Callable, Iterable, Iterator, Optional

from ..document import SCHEMA
from ..errors import ConfigError, InputError, ModelError, PresslensError
from ..ingest import Failure, check_published
from .shards import ShardResult, analyze_unit, from_failure, identify
from .sinks import JsonlSink, Sink, StoreSink  # noqa: F401  (the sinks lived here)
from .units import Planner, WorkUnit

# Articles per unit (JSONL lines; a file is one unit): large enough for nlp.pipe batching, small
# enough that a kill loses little work.
DEFAULT_SHARD_SIZE = 16
# Units queued per worker: keeps every worker busy without reading the whole corpus into memory.
SHARDS_IN_FLIGHT_PER_WORKER = 2


@dataclass
class BatchReport:
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    words: int = 0
    seconds: float = 0.0
    failures_by_code: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # code -> "source: message" of its first failure
    interrupted: bool = False  # stopped by Ctrl-C / SIGTERM: what it stored is kept, a rerun finishes the rest

    def add_failures(self, results: list[ShardResult]) -> None:
        self.failed += len(results)
        for r in results:
            code = r.code or "PL-R90"
            self.failures_by_code[code] += 1
            self.examples.setdefault(code, f"{r.source}: {r.message}")

    def as_dict(self) -> dict[str, Any]:
        return {"stored": self.stored, "skipped": self.skipped, "failed": self.failed, "words": self.words,
                "seconds": round(self.seconds, 2), "failures_by_code": dict(sorted(self.failures_by_code.items()))}


# ---------------------------------------------------------------------------- local engine
# Code for an article during which its worker process died (out of memory, a crash in native code).
WORKER_DIED_CODE = "PL-R91"
_WORKER: dict[str, Any] = {}


@dataclass
class SetupFailure:
    """A worker could not build the pipeline (a config or model error): sent back instead of results."""

    kind: str
    code: str
    message: str
    hint: str

    def error(self) -> PresslensError:
        cls = {"ConfigError": ConfigError, "ModelError": ModelError, "InputError": InputError}.get(self.kind,
                                                                                                  PresslensError)
        return cls(self.code, self.message, self.hint)


def build_pipeline(analyzers: Optional[list[str]], config_path: Optional[str]) -> Any:
    from .. import load

    return load(analyzers=analyzers, config_path=config_path)


# Native thread pools capped at one thread per worker: N workers on N cores, each with a multi-threaded
# BLAS / OpenMP, would oversubscribe the cores. Read by the libraries when they load (after the fork).
WORKER_THREAD_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


# A worker checks this often whether the batch that started it is still alive.
PARENT_CHECK_S = 1.0


def end_with_parent(parent: int, forked_by_main_thread: bool) -> None:
    """Make this worker end when the batch process that forked it does, however that one ends.

    A worker never hears of its parent's death on its own: it inherited both ends of the pool's pipes, so
    it would wait on them forever (~250 MB each). Linux delivers SIGKILL on the parent's death
    (PR_SET_PDEATHSIG; it fires when the forking *thread* ends, so only for a pool forked by the main
    thread); everywhere, a daemon thread also watches for the parent to be gone.
    """
    if forked_by_main_thread:
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # not Linux: the watch thread alone
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="presslens-parent-watch", daemon=True).start()


def _init_worker(analyzers: Optional[list[str]], config_path: Optional[str],
                 skip: AbstractSet[str] = frozenset(), parent: Optional[tuple[int, bool]] = None) -> None:
    # Ctrl-C reaches the whole process group: the driver handles it and ends the workers; a fork keeps the
    # driver's SIGTERM handler, which belongs to the driver alone
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if parent is not None:
        end_with_parent(*parent)
    for name in WORKER_THREAD_ENV:
        os.environ.setdefault(name, "1")
    _WORKER["skip"] = skip  # inherited from the parent's memory with fork: nothing is copied
    try:
        _WORKER["pipeline"] = build_pipeline(analyzers, config_path)
        # pools already loaded (numpy's BLAS imported before the fork): one thread per worker, whatever
        # [pipeline] native_threads says, as N workers already fill N cores
        from ..pipeline import limit_native_threads

        limit_native_threads(1)
    except PresslensError as exc:  # reported by the first unit: a dying initializer would be respawned forever
        _WORKER["setup"] = SetupFailure(type(exc).__name__, exc.code, exc.message, exc.hint)


def _run_unit(unit: WorkUnit) -> list[ShardResult] | SetupFailure:
    if "setup" in _WORKER:
        return _WORKER["setup"]
    return analyze_unit(_WORKER["pipeline"], unit, _WORKER.get("skip", frozenset()))


def _identify(unit: WorkUnit) -> list[tuple[str, str, int]]:
    return identify(unit)


def _ready() -> None:
    """Submitted by start(): makes the pool fork its workers now, before the caller starts any thread."""


class LocalEngine:
    """Analyses work units in ``workers`` processes (one pipeline each); ``workers=1`` runs in this process.

    A worker that dies (killed for memory, a native crash) costs only the articles it was on: the pool
    is restarted, the lost units are re-run article by article, and an article that kills its worker
    again is recorded as a failure (PL-R91). Call ``start()`` before any thread exists (a live progress
    bar): it forks the workers.
    """

    def __init__(self, workers: int, analyzers: Optional[list[str]] = None, config_path: Optional[str] = None):
        self.workers = max(1, int(workers))
        self.analyzers, self.config_path = analyzers, config_path
        self.executor: Optional[ProcessPoolExecutor] = None
        self.generation = 0
        self.pipeline: Any = None
        self.skip: AbstractSet[str] = frozenset()

    def start(self, skip: Optional[AbstractSet[str]] = None) -> None:
        """Load the pipeline (1 worker) or fork the pool; ``skip``: article keys the workers need not analyse."""
        if skip is not None and skip is not self.skip:
            self.skip = skip
            self.stop()  # workers forked with another snapshot: fork them again with this one
        if self.workers == 1:
            if self.pipeline is None:
                self.pipeline = build_pipeline(self.analyzers, self.config_path)
        elif self.executor is None:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self.executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(method),
                                                initializer=_init_worker,
                                                initargs=(self.analyzers, self.config_path, self.skip,
                                                          (os.getpid(), threading.current_thread() is
                                                           threading.main_thread())))
            self.generation += 1
            self.executor.submit(_ready)  # with fork, the pool forks every worker on its first submit

    def stop(self, kill: bool = False) -> None:
        """Shut the pool down; ``kill``: end the workers now, mid-article (an interrupted batch)."""
        if self.executor is not None:
            processes = list((getattr(self.executor, "_processes", None) or {}).values())
            self.executor.shutdown(wait=False, cancel_futures=True)
            if kill:
                for process in processes:
                    process.terminate()
                for process in processes:
                    process.join(timeout=5)
            self.executor = None

    def map(self, units: Iterable[WorkUnit]) -> Iterator[list[ShardResult]]:
        """One result list per unit, in the units' order."""
        self.start()
        if self.workers == 1:
            for unit in units:
                yield analyze_unit(self.pipeline, unit, self.skip)
            return
        window = self.workers * SHARDS_IN_FLIGHT_PER_WORKER
        pending: deque[tuple[WorkUnit, int, Future]] = deque()
        try:
            for unit in units:
                future = self.submit(_run_unit, unit)  # (may replace a broken pool: read the generation after)
                pending.append((unit, self.generation, future))
                while len(pending) >= window or (pending and pending[0][2].done()):
                    yield self.collect(*pending.popleft())
            while pending:
                yield self.collect(*pending.popleft())
        except BaseException:  # interrupted (Ctrl-C, SIGTERM) or the driver failed: the workers end with it
            self.stop(kill=True)
            raise
        finally:
            self.stop()

    def submit(self, fn: Callable, unit: WorkUnit) -> Future:
        self.start()
        assert self.executor is not None
        try:
            return self.executor.submit(fn, unit)
        except BrokenProcessPool:  # a worker died since the last submit: the units in flight are isolated
            self.restart(self.generation)  # when collected; this one goes to the new pool
            assert self.executor is not None
            return self.executor.submit(fn, unit)

    def collect(self, unit: WorkUnit, generation: int, future: Future) -> list[ShardResult]:
        try:
            return checked(future.result())
        except BrokenProcessPool:
            self.restart(generation)
            return self.isolate(unit)

    def restart(self, generation: int) -> None:
        """Replace a broken pool once (every unit that was in flight reports the same break)."""
        if generation == self.generation:
            self.stop()
            self.start()

    def isolate(self, unit: WorkUnit) -> list[ShardResult]:
        """Re-run a unit lost with its worker one article at a time, to find the article that kills workers."""
        try:
            items = self.submit(_identify, unit).result()
        except BrokenProcessPool:  # even reading it kills a worker: one failure for the unit
            self.restart(self.generation)
            return [died(unit.label, unit.label, 0, "reading")]
        results = []
        for index, (key, source, words) in enumerate(items):
            try:
                results.extend(checked(self.submit(_run_unit, replace(unit, pick=index)).result()))
            except BrokenProcessPool:
                self.restart(self.generation)
                results.append(died(key, source, words, "analysing"))
        return results


def died(key: str, source: str, words: int, doing: str) -> ShardResult:
    return ShardResult(key=key, source=source, raw=None, code=WORKER_DIED_CODE, words=words,
                       message=f"the worker process died while {doing} this article (out of memory, "
                               "or a crash in native code)")


def checked(outcome: list[ShardResult] | SetupFailure) -> list[ShardResult]:
    if isinstance(outcome, SetupFailure):
        raise outcome.error()
    return outcome


# ---------------------------------------------------------------------------- the driver
class BatchProgress:
    """What run_batch tells a progress display (any object with these three methods will do)."""

    def started(self) -> None:
        """The engine is up (workers forked, models loading): a display may start its own thread now."""

    def total(self, articles: int, exact: bool) -> None:
        """The article total: an estimate (``exact`` False) until every input file has been enumerated."""

    def advance(self, articles: int, words: int) -> None:
        """Articles done (stored, skipped or failed) and words analysed since the last call."""


class CallbackProgress(BatchProgress):
    def __init__(self, tick: Callable[[int, int], None]):
        self.tick = tick

    def advance(self, articles: int, words: int) -> None:
        self.tick(articles, words)


Progress = BatchProgress | Callable[[int, int], None]  # an object, or just (articles, words) since the last call


def run_batch(inputs: list[str], sink: Sink, engine: Any, shard_size: int = DEFAULT_SHARD_SIZE,
              published: Optional[str] = None, progress: Optional[Progress] = None) -> BatchReport:
    """Analyse every article in ``inputs`` not already in ``sink``; returns counts and failures per code."""
    report = BatchReport()
    started = time.perf_counter()
    hook: Any = progress if hasattr(progress, "advance") else CallbackProgress(progress or (lambda a, w: None))
    planner = Planner(inputs, shard_size, check_published(published))  # a bad --published stops here
    stored = frozenset(sink.done_keys())  # the workers' snapshot (shared with them, not copied, with fork)
    written: set[str] = set()  # keys read in this run: an article given twice is written (or failed) once
    hook.total(planner.total, planner.exact)
    engine.start(skip=stored)
    hook.started()
    shown = (planner.total, planner.exact)
    handled = 0

    def units() -> Iterator[WorkUnit]:
        nonlocal shown, handled
        for item in planner.units():
            if (planner.total, planner.exact) != shown:
                shown = (planner.total, planner.exact)
                hook.total(*shown)
            if isinstance(item, Failure):  # an input that does not exist, an empty folder: nothing to read
                result = from_failure(item)
                sink.record_failures([result])
                report.add_failures([result])
                handled += 1
                hook.advance(1, 0)
                continue
            yield item

    try:
        for results in engine.map(units()):
            fresh, skipped = [], 0
            for r in results:
                if r.skipped or (r.raw is not None and (r.key in stored or r.key in written)):
                    skipped += 1
                    continue
                if r.raw is not None:
                    written.add(r.key)
                fresh.append(r)
            ok = [r for r in fresh if r.ok]
            unwritable = sink.write(ok)
            bad = [r for r in fresh if not r.ok] + unwritable
            sink.record_failures(bad)
            report.stored += len(ok) - len(unwritable)
            report.skipped += skipped
            report.add_failures(bad)
            words = sum(r.words for r in fresh)
            report.words += words
            handled += len(results)
            hook.advance(len(results), words)
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM turned into one by the CLI: every finished unit is written
        report.interrupted = True
        return report
    finally:
        report.seconds = time.perf_counter() - started
    hook.total(handled, True)
    return report
