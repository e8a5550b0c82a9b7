"""SQLite corpus store: articles, their analyses, one queryable table per layer, failures, full-text search.

One file, stdlib ``sqlite3``, WAL mode (readers never block the writer), foreign keys on.
The schema grows by numbered migrations (``migrations/NNNN_name.sql``) applied in order, each
in its own transaction, and recorded in ``schema_migrations``.

``Store.put`` writes an article, its analysis and every layer row in ONE transaction: a crash
leaves either all of it or none of it. Identity is ``article_key``: the sha256 of the text, plus
the source id when the input gave one, so re-analysing the same input is a no-op.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from .. import __version__
from ..document import SCHEMA, Document
from ..errors import InputError, PresslensError, SchemaError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
MIGRATION_NAME = re.compile(r"^(\d{4})_[\w-]+\.sql$")
# Wait this long for another process's write lock before giving up (a web app reading while a batch writes).
BUSY_TIMEOUT_S = 30.0
# Layer tables filled from an analysis, in the order put() writes them.
LAYER_TABLES = ("entities", "quotes", "claims", "techniques", "time", "genre")
ARTICLE_COLUMNS = ("id", "article_key", "source_id", "title", "url", "published", "language", "source", "created_at")


class StoreError(PresslensError):
    """The corpus store cannot be opened, migrated or written."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def article_key(text: str, source_id: Optional[str] = None) -> str:
    """Identity of an article: sha256 of its text, prefixed by the source id when the input gave one.

    An id presslens made up itself (the first 16 hex digits of the text's hash) is not a source id.
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if not source_id or digest.startswith(str(source_id)):
        return digest
    return hashlib.sha256(f"{source_id}\x00{digest}".encode("utf-8")).hexdigest()


def key_of(raw: Any) -> str:
    """article_key of a RawArticle (or anything with .id and .text)."""
    return article_key(raw.text, getattr(raw, "id", None))


# ---------------------------------------------------------------------------- migrations
def migrations(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration file, in version order."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = MIGRATION_NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    return found


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, upto: Optional[int] = None, directory: Path = MIGRATIONS_DIR) -> int:
    """Apply the migrations newer than the database's version (up to ``upto``); returns the new version."""
    version = current_version(conn)
    for number, name, sql in migrations(directory):
        if number <= version or (upto is not None and number > upto):
            continue
        stamp = f"INSERT INTO schema_migrations(version, name, applied_at) VALUES ({number}, '{name}', '{now()}');"
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\n{stamp}\nCOMMIT;")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            # Another process opening the same new file may have applied it while we waited for the lock.
            if current_version(conn) >= number:
                version = number
                continue
            raise StoreError("D02", f"migration {name} failed: {exc}",
                             "the database was left at the previous version; report this with the file") from exc
        version = number
    return version


def use_wal(conn: sqlite3.Connection, wait_s: float = BUSY_TIMEOUT_S) -> None:
    """Switch the file to WAL. While another connection holds the write lock of a new file, SQLite answers
    SQLITE_BUSY at once, without the busy timeout, so wait for it here (two batches opening one new store)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = exc.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


# ---------------------------------------------------------------------------- layer rows
def _confidence(record: dict) -> Optional[float]:
    return record.get("confidence")


def entity_rows(data: dict) -> Iterator[tuple]:
    for e in data.get("entities") or []:
        roles = [r.get("text") for r in e.get("roles") or []]
        yield (e["id"], e.get("name"), e.get("type"), json.dumps(roles, ensure_ascii=False),
               json.dumps(list(e.get("aliases") or []), ensure_ascii=False), len(e.get("mentions") or []),
               _confidence(e))


def quote_rows(data: dict) -> Iterator[tuple]:
    for q in data.get("quotes") or []:
        speaker = q.get("speaker") or {}
        content = q.get("content") or {}
        yield (q["id"], q.get("kind"), speaker.get("entity"), speaker.get("name"), content.get("text"),
               q.get("start"), q.get("end"), _confidence(q))


def claim_rows(data: dict) -> Iterator[tuple]:
    for c in data.get("claims") or []:
        claimant = c.get("claimant") or {}
        yield (c["id"], c.get("text"), c.get("checkworthiness"), claimant.get("name"), c.get("claimant_kind"),
               c.get("start"), c.get("end"), _confidence(c))


def technique_rows(data: dict) -> Iterator[tuple]:
    for t in data.get("techniques") or []:
        yield (t["technique"], t.get("start"), t.get("end"), t.get("text"), _confidence(t))


def time_rows(data: dict) -> Iterator[tuple]:
    for t in data.get("time") or []:
        yield (t["id"], t.get("value"), t.get("type"), t.get("text"), t.get("start"), t.get("end"), _confidence(t))


def genre_rows(data: dict) -> Iterator[tuple]:
    for g in data.get("genre") or []:
        yield (g["label"], g.get("score"))


# table -> (columns after analysis_id/article_id, row builder)
LAYER_WRITERS = {
    "entities": (("entity_id", "name", "type", "roles", "aliases", "mention_count", "confidence"), entity_rows),
    "quotes": (("quote_id", "kind", "speaker_entity", "speaker_name", "content", "start", "end", "confidence"),
               quote_rows),
    "claims": (("claim_id", "text", "checkworthiness", "claimant_name", "claimant_kind", "start", "end", "confidence"),
               claim_rows),
    "techniques": (("technique", "start", "end", "text", "confidence"), technique_rows),
    "time": (("time_id", "value", "type", "text", "start", "end", "confidence"), time_rows),
    "genre": (("label", "score"), genre_rows),
}


# ---------------------------------------------------------------------------- the store
class Store:
    """The corpus store. ``with Store(path) as store: store.put(raw, document)``.

    Safe to share between threads of one process (calls are serialised by a lock); several
    processes may read while one writes (WAL).
    """

    def __init__(self, path: str | Path, migrations_dir: Path = MIGRATIONS_DIR):
        self.path = Path(path)
        if str(path) != ":memory:" and not self.path.parent.exists():
            raise InputError("D01", f"folder {self.path.parent} for the store does not exist", "create it first")
        self._lock = threading.RLock()
        try:
            self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                                        timeout=BUSY_TIMEOUT_S)
            self.conn.row_factory = sqlite3.Row
            use_wal(self.conn)
            self.conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process crashes
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.version = migrate(self.conn, directory=migrations_dir)
        except sqlite3.DatabaseError as exc:
            raise StoreError("D03", f"{path} cannot be opened as a presslens store: {exc}",
                             "pass a new file name or an existing presslens .db file") from exc

    # -- context manager --------------------------------------------------------
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self.conn is not None:
                self.conn.close()
                self.conn = None  # type: ignore[assignment]

    # -- writing ----------------------------------------------------------------
    def has_analysis(self, article_key: str, schema_version: str = SCHEMA) -> bool:
        with self._lock:
            row = self.conn.execute(
                "SELECT 1 FROM analyses JOIN articles ON articles.id = analyses.article_id "
                "WHERE articles.article_key = ? AND analyses.schema_version = ?", (article_key, schema_version)).fetchone()
        return row is not None

    def analysed_keys(self, schema_version: str = SCHEMA) -> set[str]:
        """Every article_key already analysed with this schema version (for a batch to skip them)."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT articles.article_key FROM analyses JOIN articles ON articles.id = analyses.article_id "
                "WHERE analyses.schema_version = ?", (schema_version,)).fetchall()
        return {row[0] for row in rows}

    def put(self, raw: Any, document: Document | dict | str) -> int:
        """Store one article and its analysis atomically; returns the article id (the existing one on a re-put).

        ``raw`` is the RawArticle (or None: then id/title/... come from ``document.meta``); ``document`` a
        Document, its ``to_dict()`` or its ``to_json()``.
        """
        return self.put_many([(raw, document)])[0]

    def put_many(self, items: Iterable[tuple[Any, Document | dict | str]]) -> list[int]:
        """Store several (raw, document) pairs in ONE transaction: all of them or none."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                ids = [self._put_one(raw, document) for raw, document in items]
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        return ids

    def _put_one(self, raw: Any, document: Document | dict | str) -> int:
        if isinstance(document, str):  # the analysis JSON as Document.to_json() wrote it (batch workers send this)
            analysis_json, data = document, json.loads(document)
        else:
            data = document if isinstance(document, dict) else document.to_dict()
            analysis_json = json.dumps(data, ensure_ascii=False)
        meta = data.get("meta") or {}
        text = data["text"]
        source_id = getattr(raw, "id", None) if raw is not None else meta.get("id")
        key = article_key(text, source_id)
        schema_version = data.get("schema", SCHEMA)
        row = self.conn.execute("SELECT id FROM articles WHERE article_key = ?", (key,)).fetchone()
        if row is None:
            pick = (lambda name: getattr(raw, name, None) or meta.get(name)) if raw is not None else meta.get
            cursor = self.conn.execute(
                "INSERT INTO articles(article_key, source_id, title, url, published, language, source, text, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, source_id, pick("title"), pick("url"), pick("published"), pick("language"), pick("source"),
                 text, now()))
            article_id = int(cursor.lastrowid)
        else:
            article_id = int(row[0])
        exists = self.conn.execute("SELECT 1 FROM analyses WHERE article_id = ? AND schema_version = ?",
                                   (article_id, schema_version)).fetchone()
        if exists is not None:
            return article_id
        cursor = self.conn.execute(
            "INSERT INTO analyses(article_id, schema_version, presslens_version, pipeline, analysis_json, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (article_id, schema_version, str(meta.get("presslens") or __version__),
             json.dumps(meta.get("pipeline") or [], ensure_ascii=False), analysis_json, now()))
        analysis_id = int(cursor.lastrowid)
        for table in LAYER_TABLES:
            columns, build = LAYER_WRITERS[table]
            rows = [(analysis_id, article_id, *values) for values in build(data)]
            if rows:
                names = ", ".join(("analysis_id", "article_id", *columns))
                marks = ", ".join("?" * (len(columns) + 2))
                self.conn.executemany(f"INSERT INTO {table}({names}) VALUES ({marks})", rows)
        return article_id

    def record_failure(self, article_key: str, source: Optional[str], code: str, message: str) -> None:
        """Record why an input could not be analysed; the same input failing the same way again updates its row."""
        with self._lock:
            self.conn.execute(
                "INSERT INTO failures(article_key, source, code, message, created_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(article_key, code) DO UPDATE SET source = excluded.source, message = excluded.message, "
                "created_at = excluded.created_at", (article_key, source, code, message, now()))

    def clear_failure(self, article_key: str) -> None:
        """Forget earlier failures of an input that has now been stored."""
        with self._lock:
            self.conn.execute("DELETE FROM failures WHERE article_key = ?", (article_key,))

    # -- reading ----------------------------------------------------------------
    def get_document(self, article_id: int, schema_version: str = SCHEMA) -> Document:
        with self._lock:
            row = self.conn.execute("SELECT analysis_json FROM analyses WHERE article_id = ? AND schema_version = ?",
                                    (article_id, schema_version)).fetchone()
        if row is None:
            raise InputError("D10", f"no article {article_id} with a {schema_version} analysis in {self.path}",
                             "list the stored articles with `presslens export --db ...` or the web app")
        try:
            return Document.from_dict(json.loads(row[0]))
        except (ValueError, SchemaError) as exc:
            raise StoreError("D11", f"stored analysis of article {article_id} cannot be read: {exc}",
                             "re-run `presslens batch` on the article with this version") from exc

    def iter_analyses(self, schema_version: str = SCHEMA) -> Iterator[tuple[int, str]]:
        """(article_id, analysis JSON text) of every stored analysis, in article id order."""
        with self._lock:
            rows = self.conn.execute("SELECT article_id, analysis_json FROM analyses WHERE schema_version = ? "
                                     "ORDER BY article_id", (schema_version,)).fetchall()
        for row in rows:
            yield int(row[0]), row[1]

    def list_articles(self, limit: int = 50, offset: int = 0, filters: Optional[dict[str, Any]] = None) -> list[dict]:
        """Article rows (no text), newest id first. Filters: source, language, published_from, published_to, q (FTS)."""
        where, params = self._where(filters or {})
        columns = ", ".join(f"articles.{c}" for c in ARTICLE_COLUMNS)
        sql = f"SELECT {columns} FROM articles {where} ORDER BY articles.id DESC LIMIT ? OFFSET ?"
        with self._lock:
            rows = self.conn.execute(sql, (*params, int(limit), int(offset))).fetchall()
        return [dict(row) for row in rows]

    def count(self, filters: Optional[dict[str, Any]] = None) -> int:
        where, params = self._where(filters or {})
        with self._lock:
            return int(self.conn.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()[0])

    def search(self, query: str, limit: int = 20) -> list[dict]:
        """Full-text search over title + text (FTS5 syntax); best matches first, with a highlighted snippet."""
        sql = ("SELECT articles.id, articles.title, articles.source, articles.published, "
               "snippet(article_fts, 1, '[', ']', '…', 12) AS snippet FROM article_fts "
               "JOIN articles ON articles.id = article_fts.rowid WHERE article_fts MATCH ? ORDER BY rank LIMIT ?")
        match = fts_query(query)
        if not match:  # only quote marks or spaces: nothing to search for
            return []
        with self._lock:
            try:
                rows = self.conn.execute(sql, (match, int(limit))).fetchall()
            except sqlite3.OperationalError as exc:
                raise InputError("D12", f"search query {query!r} cannot be parsed: {exc}",
                                 "use plain words, or quote a phrase") from exc
        return [dict(row) for row in rows]

    def failures(self) -> list[dict]:
        with self._lock:
            rows = self.conn.execute("SELECT article_key, source, code, message, created_at FROM failures "
                                     "ORDER BY id").fetchall()
        return [dict(row) for row in rows]

    def failure_counts(self) -> dict[str, int]:
        with self._lock:
            rows = self.conn.execute("SELECT code, count(*) FROM failures GROUP BY code ORDER BY code").fetchall()
        return {row[0]: int(row[1]) for row in rows}

    def rows(self, table: str) -> list[dict]:
        """Every row of one table (articles without text, or a layer table), for exports."""
        if table not in ("articles", "analyses", "failures", *LAYER_TABLES):
            raise InputError("D13", f"unknown table {table!r}", f"use one of: articles, {', '.join(LAYER_TABLES)}")
        columns = ", ".join(ARTICLE_COLUMNS) if table == "articles" else "*"
        with self._lock:
            cursor = self.conn.execute(f"SELECT {columns} FROM {table} ORDER BY id")
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def _where(self, filters: dict[str, Any]) -> tuple[str, tuple]:
        clauses, params = [], []
        for name, sql in (("source", "articles.source = ?"), ("language", "articles.language = ?"),
                          ("published_from", "articles.published >= ?"), ("published_to", "articles.published <= ?")):
            if filters.get(name):
                clauses.append(sql)
                params.append(filters[name])
        if filters.get("q") and fts_query(str(filters["q"])):
            clauses.append("articles.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)")
            params.append(fts_query(str(filters["q"])))
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", tuple(params)


CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def fts_query(query: str) -> str:
    """A user's words -> a safe FTS5 query: closed "phrases" kept, every other word quoted as a literal term.

    Stray quote marks are dropped, so no input can produce an FTS5 syntax error or use its operators.
    Returns "" when nothing searchable is left.
    """
    terms = []
    query = CONTROL_CHARS.sub(" ", query)  # SQLite reads a NUL as the end of the query: "unterminated string"
    for phrase, word in re.findall(r'"([^"]*)"|([^\s"]+)', query):
        term = (phrase or word).replace('"', "").strip()
        if term:
            terms.append(f'"{term}"')
    return " ".join(terms)
