"""A connection to the store's SQLite file that can read and write vectors (the sqlite-vec extension).

The stdlib ``sqlite3`` module here cannot load extensions, so the corpus layer talks to the same file through
``pysqlite3`` (a drop-in DB-API build of SQLite with FTS5): the store keeps its own connection and migrations,
this one adds the ``family_vectors`` vec0 table beside them (one 384-bit sign vector per claim family, searched by
KNN). Item vectors are int8 (a unit vector times 127): 384 bytes per item instead of 1,536.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, ModelError
from ..store import Store

DIMS = 384
BUSY_TIMEOUT_S = 30.0
# One 384-bit sign vector per claim family (its first item's), searched first by ask.
FAMILY_TABLE = f"CREATE VIRTUAL TABLE IF NOT EXISTS family_vectors USING vec0(embedding bit[{DIMS}])"


def sqlite_module() -> Any:
    try:
        from pysqlite3 import dbapi2
    except ImportError as exc:
        raise ModelError("N01", "the corpus layer needs pysqlite3-binary, which is not installed",
                         "run scripts/setup.sh (it installs requirements-corpus.txt)") from exc
    return dbapi2


def connect(path: str | Path) -> Any:
    """An open connection with sqlite-vec loaded and the corpus tables present (migrating the store first)."""
    path = Path(path)
    if not path.exists():
        raise InputError("N02", f"no store at {path}", "create one with `presslens batch ... --db FILE` first")
    with Store(path):  # applies the store's migrations, the corpus tables among them
        pass
    sqlite = sqlite_module()
    try:
        import sqlite_vec
    except ImportError as exc:
        raise ModelError("N01", "the corpus layer needs sqlite-vec, which is not installed",
                         "run scripts/setup.sh (it installs requirements-corpus.txt)") from exc
    conn = sqlite.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    conn.row_factory = sqlite.Row
    conn.enable_load_extension(True)
    sqlite_vec.load(conn)
    conn.enable_load_extension(False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(FAMILY_TABLE)
    return conn


def to_int8(vectors: np.ndarray) -> np.ndarray:
    """Unit float vectors -> int8 (x127, rounded); cosine between int8 vectors stays within ~0.01 of the float one."""
    return np.clip(np.rint(np.asarray(vectors, np.float32) * 127.0), -127, 127).astype(np.int8)


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.int8)
