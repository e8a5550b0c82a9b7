"""Export a corpus store: JSONL (one full analysis per line, as `analyze --format jsonl` prints it),
Parquet or CSV (one table per layer, joinable on article_id), brat standoff (.txt + .ann per article).

Once the store is indexed (`presslens corpus index`), exports name the corpus actor of each entity and speaker, so
one person can be followed across articles: JSONL lines gain ``meta.actors`` (entity id -> {id, name}); the
entities table gains ``actor_id``/``actor_name``, the quotes table ``speaker_actor_id``/``speaker_actor_name``,
and an ``actors`` table lists them (names, aliases, roles, article count).

Every file is written to a temporary name and renamed into place, so a crash never leaves half a file.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, Iterator, Optional

from ..errors import InputError
from ..store.sqlite import LAYER_TABLES, Store
from ..atomic import write_atomic as atomic_write

FORMATS = ("jsonl", "parquet", "csv", "brat")
# Tables written by the parquet and csv exports (genre too: it is a layer table like the others).
TABLES = ("articles", *LAYER_TABLES)
SQL_TO_ARROW = {"INTEGER": "int64", "REAL": "float64", "TEXT": "string"}


def export(store: Store, format: str, out: Optional[Path]) -> list[Path]:
    """Write the store in ``format``; returns the files written (none for JSONL to stdout)."""
    if format not in FORMATS:
        raise InputError("R20", f"unknown export format {format!r}", f"use one of: {', '.join(FORMATS)}")
    if format == "jsonl":
        return export_jsonl(store, out)
    if out is None:
        raise InputError("R21", f"--format {format} writes a folder of files and needs --out DIR",
                         "add --out and a folder name")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError("R22", f"--out {out} is a file, but --format {format} writes a folder", "give a folder name")
    out.mkdir(parents=True, exist_ok=True)
    if format == "brat":
        return export_brat(store, out)
    return export_tables(store, out, format)


def article_actors(store: Store) -> dict[int, dict[str, dict[str, Any]]]:
    """article id -> entity id -> {id, name} of its corpus actor (empty before `presslens corpus index`)."""
    out: dict[int, dict[str, dict[str, Any]]] = {}
    with store._lock:
        rows = store.conn.execute("SELECT al.article_id, al.entity_id, ac.id, ac.name FROM actor_links al "
                                  "JOIN actors ac ON ac.id = al.actor_id").fetchall()
    for article_id, entity_id, actor_id, name in rows:
        out.setdefault(int(article_id), {})[entity_id] = {"id": int(actor_id), "name": name}
    return out


def with_actors(analysis: str, actors: Optional[dict[str, dict[str, Any]]]) -> str:
    """The analysis line with ``meta.actors`` added; unchanged when none of its entities is linked."""
    if not actors:
        return analysis
    data = json.loads(analysis)
    data.setdefault("meta", {})["actors"] = actors
    return json.dumps(data, ensure_ascii=False)


def export_jsonl(store: Store, out: Optional[Path]) -> list[Path]:
    actors = article_actors(store)
    lines = (with_actors(analysis, actors.get(article_id)) + "\n" for article_id, analysis in store.iter_analyses())
    if out is None:
        for line in lines:
            sys.stdout.write(line)
        sys.stdout.flush()
        return []
    out = Path(out)
    if out.is_dir():
        raise InputError("R23", f"--out {out} is a folder, but --format jsonl writes one file", "give a file name")
    atomic_write(out, "".join(lines))
    return [out]


def column_types(store: Store, table: str) -> dict[str, str]:
    """Column name -> arrow type name, from the table's declared SQL types."""
    with store._lock:
        info = store.conn.execute(f"PRAGMA table_info({table})").fetchall()
    return {row[1]: SQL_TO_ARROW.get(str(row[2]).upper(), "string") for row in info}


def table_rows(store: Store, table: str) -> list[dict[str, Any]]:
    """Every row of a table, the article text included (store.rows leaves it out)."""
    if table != "articles":
        return store.rows(table)
    with store._lock:
        cursor = store.conn.execute("SELECT * FROM articles ORDER BY id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


# table -> (entity id column, prefix of the actor columns added to it)
ACTOR_COLUMNS = {"entities": ("entity_id", "actor"), "quotes": ("speaker_entity", "speaker_actor")}


def add_actor_columns(table: str, rows: list[dict], types: dict[str, str], actors: dict) -> None:
    entity_column, prefix = ACTOR_COLUMNS[table]
    types.update({f"{prefix}_id": "int64", f"{prefix}_name": "string"})
    for row in rows:
        actor = actors.get(row["article_id"], {}).get(row[entity_column]) or {}
        row[f"{prefix}_id"], row[f"{prefix}_name"] = actor.get("id"), actor.get("name")


def actor_table(store: Store) -> tuple[list[dict], dict[str, str]]:
    with store._lock:
        cursor = store.conn.execute("SELECT id, name, type, aliases, roles, article_count FROM actors ORDER BY id")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    types = {"id": "int64", "name": "string", "type": "string", "aliases": "string", "roles": "string",
             "article_count": "int64"}
    return rows, types  # aliases and roles stay JSON text, as in the entities table


def export_tables(store: Store, out: Path, format: str) -> list[Path]:
    written = []
    actors = article_actors(store)
    for table in (*TABLES, "actors") if actors else TABLES:
        if table == "actors":
            rows, types = actor_table(store)
        else:
            rows, types = table_rows(store, table), column_types(store, table)
        if actors and table in ACTOR_COLUMNS:
            add_actor_columns(table, rows, types, actors)
        path = out / f"{table}.{format}"
        if format == "parquet":
            write_parquet(path, rows, types)
        else:
            write_csv(path, rows, list(types))
        written.append(path)
    return written


def write_parquet(path: Path, rows: list[dict], types: dict[str, str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, getattr(pa, kind)()) for name, kind in types.items()])
    table = pa.Table.from_pylist(rows, schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    atomic_write(path, buffer.getvalue())


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula, with a leading ' (shown as text; numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in rows)
    atomic_write(path, buffer.getvalue())


# ---------------------------------------------------------------------------- brat
def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split [start, end) at line breaks: brat spans are one line each, joined by ';'."""
    pieces, at = [], start
    for line in text[start:end].split("\n"):
        stripped_start = at + (len(line) - len(line.lstrip()))
        stripped_end = at + len(line.rstrip())
        if stripped_end > stripped_start:
            pieces.append((stripped_start, stripped_end))
        at += len(line) + 1
    return pieces


class AnnWriter:
    """Numbers T and E lines and renders brat standoff."""

    def __init__(self, text: str):
        self.text, self.lines, self.t, self.e = text, [], 0, 0

    def span(self, label: str, start: Optional[int], end: Optional[int]) -> Optional[str]:
        if start is None or end is None or not (0 <= start < end <= len(self.text)):
            return None
        pieces = fragments(self.text, start, end)
        if not pieces:
            return None
        self.t += 1
        where = ";".join(f"{s} {e}" for s, e in pieces)
        surface = " ".join(self.text[s:e] for s, e in pieces)
        self.lines.append(f"T{self.t}\t{label} {where}\t{surface}")
        return f"T{self.t}"

    def event(self, trigger: str, args: list[tuple[str, Optional[str]]]) -> None:
        self.e += 1
        roles = " ".join(f"{role}:{tid}" for role, tid in args if tid)
        self.lines.append(f"E{self.e}\tAttribution:{trigger} {roles}")

    def render(self) -> str:
        return "".join(line + "\n" for line in self.lines)


def brat_ann(data: dict[str, Any]) -> str:
    """Standoff for one analysis: entity mentions as T lines typed by entity type, quotes as
    Source/Cue/Content spans tied by an Attribution event (PolNeAR's scheme)."""
    ann = AnnWriter(data["text"])
    for entity in data.get("entities") or []:
        label = str(entity.get("type") or "Entity").replace(" ", "_")
        for mention in entity.get("mentions") or []:
            ann.span(label, mention.get("start"), mention.get("end"))
    for quote in data.get("quotes") or []:
        content, cue, speaker = quote.get("content") or {}, quote.get("cue") or {}, quote.get("speaker") or {}
        source_id = ann.span("Source", speaker.get("start"), speaker.get("end"))
        cue_id = ann.span("Cue", cue.get("start"), cue.get("end"))
        content_id = ann.span("Content", content.get("start"), content.get("end"))
        if content_id is None:
            continue
        anchor = cue if cue_id else content
        trigger = ann.span("Attribution", anchor.get("start"), anchor.get("end"))
        if trigger:
            ann.event(trigger, [("Content", content_id), ("Cue", cue_id), ("Source", source_id)])
    return ann.render()


def brat_files(store: Store) -> Iterator[tuple[str, str, str]]:
    for article_id, analysis in store.iter_analyses():
        data = json.loads(analysis)
        yield f"article-{article_id:06d}", data["text"], brat_ann(data)


def export_brat(store: Store, out: Path) -> list[Path]:
    written = []
    for stem, text, ann in brat_files(store):
        for suffix, content in ((".txt", text), (".ann", ann)):
            path = out / f"{stem}{suffix}"
            atomic_write(path, content)
            written.append(path)
    return written
