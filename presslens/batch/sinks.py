"""Where a batch writes: the SQLite store (StoreSink) or a folder of JSONL parts (JsonlSink).

Only the driver process writes. A sink holds a lock on its store or folder for the whole run (an
``flock`` the kernel drops when the process ends, however it ends): a second batch into the same place
waits for the first to finish and then skips what it stored, so two runs never write over each other's
parts nor analyse the same articles twice.
"""
from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import IO, Callable, Optional, Protocol

from ..atomic import write_atomic as atomic_write
from ..document import SCHEMA
from ..errors import InputError
from ..store.sqlite import Store
from .shards import ShardResult

# Told who holds the lock when a run has to wait for it (the CLI prints it).
WaitNotice = Callable[[str], None]


class BatchLock:
    """An exclusive lock on ``path`` (created if missing) held until ``release()`` or the process ends."""

    def __init__(self, path: Path, what: str, on_wait: Optional[WaitNotice] = None):
        self.path = path
        try:
            self.fh: Optional[IO[str]] = open(path, "a+", encoding="utf-8")
        except OSError as exc:
            raise InputError("R05", f"cannot create the batch lock {path} ({exc.strerror})",
                             "check that the folder is writable") from exc
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                self.fh.seek(0)
                holder = self.fh.read().strip() or "?"
                on_wait(f"another batch (pid {holder}) is writing into {what}: waiting for it to finish")
            fcntl.flock(self.fh, fcntl.LOCK_EX)
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(f"{os.getpid()}\n")
        self.fh.flush()

    def release(self) -> None:
        if self.fh is not None:
            fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()
            self.fh = None


class Sink(Protocol):
    def done_keys(self) -> set[str]: ...
    def write(self, results: list[ShardResult]) -> list[ShardResult]: ...  # returns the results that failed to write
    def record_failures(self, results: list[ShardResult]) -> None: ...
    def close(self) -> None: ...


class StoreSink:
    """Writes into the SQLite store: one transaction per shard (per article when the shard's write fails)."""

    def __init__(self, path: str | Path, on_wait: Optional[WaitNotice] = None):
        self.store = Store(path)  # checks the path first (a missing folder is a clear error)
        db = Path(path)
        self.lock = BatchLock(db.with_name(f".{db.name}.batch-lock"), str(db), on_wait)
        self.failed_before = {f["article_key"] for f in self.store.failures()}

    def done_keys(self) -> set[str]:
        return self.store.analysed_keys(SCHEMA)

    def write(self, results: list[ShardResult]) -> list[ShardResult]:
        try:
            self.store.put_many([(r.raw, r.document) for r in results])
            self.forget_old_failures(results)
            return []
        except Exception:  # one bad document must not cost the shard: retry one by one, keep the culprits
            bad = []
            for result in results:
                try:
                    self.store.put(result.raw, result.document)
                except Exception as exc:
                    result.document, result.code, result.message = None, "PL-R30", f"cannot store: {exc}"
                    bad.append(result)
            self.forget_old_failures([r for r in results if r.ok])
            return bad

    def forget_old_failures(self, results: list[ShardResult]) -> None:
        """An article that failed in an earlier run and is stored now is no longer a failure."""
        for result in results:
            if result.key in self.failed_before:
                self.store.clear_failure(result.key)

    def record_failures(self, results: list[ShardResult]) -> None:
        for r in results:
            self.store.record_failure(r.key, r.source, r.code or "PL-R90", r.message or "")

    def close(self) -> None:
        self.store.close()
        self.lock.release()


class JsonlSink:
    """Writes ``part-NNNNNN.jsonl`` files into a folder, each with a ``.keys`` file renamed in last as its commit mark."""

    def __init__(self, out_dir: str | Path, on_wait: Optional[WaitNotice] = None):
        self.dir = Path(out_dir)
        if self.dir.exists() and not self.dir.is_dir():
            raise InputError("R04", f"--out {self.dir} is a file", "give a folder for the JSONL parts")
        self.dir.mkdir(parents=True, exist_ok=True)
        self.lock = BatchLock(self.dir / ".batch-lock", str(self.dir), on_wait)  # before touching any part
        for part in self.dir.glob("part-*.jsonl"):  # a part without its keys file was cut off by a kill
            if not part.with_suffix(".keys").exists():
                part.unlink()
        numbers = [int(p.stem.split("-")[1]) for p in self.dir.glob("part-*.keys")]
        self.next_part = max(numbers, default=-1) + 1

    def done_keys(self) -> set[str]:
        keys: set[str] = set()
        for path in self.dir.glob("part-*.keys"):
            keys.update(line for line in path.read_text().splitlines() if line)
        return keys

    def write(self, results: list[ShardResult]) -> list[ShardResult]:
        if not results:
            return []
        stem = self.dir / f"part-{self.next_part:06d}"
        self.next_part += 1
        lines = "".join(r.document + "\n" for r in results if r.document)
        atomic_write(stem.with_suffix(".jsonl"), lines)
        atomic_write(stem.with_suffix(".keys"), "".join(r.key + "\n" for r in results))
        return []

    def record_failures(self, results: list[ShardResult]) -> None:
        if results:
            with (self.dir / "failures.jsonl").open("a", encoding="utf-8") as fh:
                for r in results:
                    fh.write(json.dumps({"article_key": r.key, "source": r.source, "code": r.code,
                                         "message": r.message}, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.lock.release()
