"""Work units: what the batch driver hands its workers, cheaply, and how a worker reads one.

The driver (local.py) only *enumerates*: a file path is one unit; a ``.jsonl`` file becomes units of
``shard_size`` lines, each a byte range the worker reads itself; a ``.jsonl.gz`` file becomes the same
line ranges, but with the decompressed bytes attached (a gzip stream cannot be entered in the middle).
To cut a JSONL file the driver streams it once in binary (constant memory, no JSON, no decoding beyond a
UTF-8 check): splitting, JSON parsing, HTML extraction and hashing all happen in the workers.

A unit's articles are exactly the ones ``presslens.ingest.read`` yields for that part of the input,
with the same ids, sources (``file.jsonl:LINE``) and texts, so the article identities, the stored
analyses and the exports do not depend on how the input was cut or how many workers ran. A JSONL file
the scan cannot cut faithfully (not UTF-8, UTF-16 byte-order mark, line breaks other than ``\\n`` and
``\\r\\n``, no article line, unreadable or broken gzip) is one whole-file unit read exactly as before.
"""
from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Iterable, Iterator, Optional

from ..errors import InputError, PresslensError
from ..ingest import (HTML_SUFFIXES, JSONL_SUFFIXES, Failure, RawArticle, article_from_json_line,
                      expand, read_bytes, read_document, read_jsonl, read_path)
from ..ingest.text import decode_bytes

GZ_SUFFIXES = (".jsonl.gz", ".ndjson.gz")
# The scan reads JSONL files in blocks of whole lines of about this many bytes.
SCAN_BLOCK_BYTES = 1 << 20
# Bytes read from the head of a JSONL file to estimate its article count before it is scanned.
ESTIMATE_SAMPLE_BYTES = 1 << 18
UTF8_BOM = b"\xef\xbb\xbf"
# Whitespace as str.strip() sees it in ASCII (bytes.strip() leaves out the \x1c-\x1f separators).
ASCII_WHITESPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
# Line breaks str.splitlines() honours besides \n and \r\n: a file holding one is read whole, so its
# line numbers stay the ones ingest gives (they count these breaks too).
OTHER_LINE_BREAKS = re.compile(rb"\r(?!\n)|[\x0b\x0c\x1c\x1d\x1e]|\xc2\x85|\xe2\x80[\xa8\xa9]")


@dataclass(frozen=True)
class WorkUnit:
    """One piece of input for a worker: a whole file, or a range of lines of a JSONL file."""

    path: str                                # the input file as expand() found it ('-' for stdin)
    span: Optional[tuple[int, int]] = None   # JSONL lines: [start, end) bytes of the (decompressed) file
    first_line: int = 1                      # the line number of the span's first line
    articles: int = 1                        # article lines in the span (1 for a whole file)
    payload: Optional[bytes] = None          # the bytes, when the driver had them (stdin, .jsonl.gz, Ray)
    published: Optional[str] = None          # --published, already checked
    pick: Optional[int] = None               # analyse only this article (re-running a unit lost with its worker)

    @property
    def label(self) -> str:
        """Where the unit is, for a failure that concerns all of it."""
        name = "<stdin>" if self.path == "-" else self.path
        if self.span is None:
            return name
        return f"{name}:{self.first_line}+"


# ---------------------------------------------------------------------------- worker side: read a unit
# Code for a unit whose bytes could not be read by the worker (the file vanished or shrank since the scan).
UNIT_UNREADABLE = "R60"
# Code for an unexpected exception while reading a unit (a bug, or a library failing on odd input).
UNIT_READ_CRASHED = "R61"


def read_unit(unit: WorkUnit) -> list[RawArticle | Failure]:
    """The articles (or read failures) of a unit, in input order; never raises."""
    try:
        if unit.span is None:
            items = list(read_whole(unit))
        else:
            items = list(read_span(unit))
    except PresslensError as exc:
        items = [Failure(unit.label, unit.label, exc)]
    except Exception as exc:  # e.g. zlib.error from a damaged gzip: one failure for the unit, the batch goes on
        items = [Failure(unit.label, unit.label, InputError(UNIT_READ_CRASHED, f"{unit.label} cannot be read "
                                                            f"({type(exc).__name__}: {exc})", "check the file"))]
    if unit.pick is not None:
        items = items[unit.pick:unit.pick + 1]
    return items


def read_whole(unit: WorkUnit) -> Iterator[RawArticle | Failure]:
    if unit.payload is None:
        yield from read_path(Path(unit.path), unit.published)
        return
    # ingest.read_path after its read_bytes, on bytes the driver read (stdin; a file sent to a Ray actor)
    name = "<stdin>" if unit.path == "-" else unit.path
    try:
        if name.lower().endswith(tuple(JSONL_SUFFIXES)):
            yield from read_jsonl(unit.payload, name, unit.published)
            return
        yield read_document(unit.payload, name, unit.published, html_hint=Path(name).suffix.lower() in HTML_SUFFIXES,
                            article_id=Path(name).stem if unit.path != "-" else None)
    except PresslensError as exc:
        yield Failure(Path(name).stem, name, exc)


def read_span(unit: WorkUnit) -> Iterator[RawArticle | Failure]:
    """ingest.read_jsonl on a range of lines: the same articles, sources and line numbers."""
    assert unit.span is not None
    start, end = unit.span
    data = unit.payload if unit.payload is not None else read_range(unit.path, start, end)
    text = data.decode("utf-8-sig" if start == 0 else "utf-8")  # the scan checked the file is UTF-8
    for offset, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        where = f"{unit.path}:{unit.first_line + offset}"
        try:
            yield article_from_json_line(line, where, unit.published)
        except PresslensError as exc:
            yield Failure(where, where, exc)


def read_range(path: str, start: int, end: int) -> bytes:
    try:
        with open(path, "rb") as fh:
            fh.seek(start)
            data = fh.read(end - start)
    except OSError as exc:
        raise InputError(UNIT_UNREADABLE, f"{path} cannot be read any more ({exc})",
                         "keep input files in place until the batch ends, then run it again") from exc
    if len(data) != end - start:
        raise InputError(UNIT_UNREADABLE, f"{path} is shorter than when the batch started",
                         "do not rewrite input files during a batch; run it again to finish them")
    return data


def materialise(unit: WorkUnit) -> WorkUnit:
    """The unit with its bytes attached (for workers that cannot see this machine's files: Ray actors).

    A unit that cannot be read here, a whole ``.jsonl.gz`` or a file over ingest's size limit stays a
    path: the worker reads it and reports the same error the local engine would.
    """
    if unit.payload is not None or unit.path == "-":
        return unit
    try:
        if unit.span is not None:
            return replace(unit, payload=read_range(unit.path, *unit.span))
        if unit.path.lower().endswith(GZ_SUFFIXES):
            return unit
        return replace(unit, payload=read_bytes(Path(unit.path)))
    except (PresslensError, OSError):
        return unit


# ---------------------------------------------------------------------------- driver side: enumerate
class Planner:
    """Turns inputs into work units, reading no more than it must; knows (or estimates) the article total.

    ``total`` is exact for every file already enumerated and an estimate for the rest (JSONL files are
    estimated from their first 256 KiB); ``exact`` says whether any estimate is left in it.
    """

    def __init__(self, inputs: Iterable[str], shard_size: int, published: Optional[str] = None):
        self.shard_size, self.published = max(1, int(shard_size)), published
        self.items: list[Path | Failure | str] = [item for source in inputs for item in expand(source)]
        estimates = [estimate_articles(item) for item in self.items]
        self.counts = [count for count, _ in estimates]
        self.known = [exact for _, exact in estimates]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def exact(self) -> bool:
        return all(self.known)

    def units(self) -> Iterator[WorkUnit | Failure]:
        for index, item in enumerate(self.items):
            if isinstance(item, Failure):
                yield item
            elif item == "-":
                yield WorkUnit("-", payload=read_bytes("-"), published=self.published)
            elif is_jsonl(item):
                yield from self.jsonl_units(index, Path(item))
            else:
                yield WorkUnit(str(item), published=self.published)

    def jsonl_units(self, index: int, path: Path) -> Iterator[WorkUnit | Failure]:
        gz = str(path).lower().endswith(GZ_SUFFIXES)
        try:
            with open_lines(path, gz) as fh:
                articles = scan(fh)
        except (OSError, EOFError, ValueError, zlib.error):  # unreadable or a broken gzip: ingest reports it
            self.counts[index], self.known[index] = 1, True
            yield WorkUnit(str(path), published=self.published)
            return
        if not articles:  # cannot be cut faithfully (its estimate stands), or empty (one failure)
            if articles == 0:
                self.counts[index], self.known[index] = 1, True
            yield WorkUnit(str(path), published=self.published)
            return
        self.counts[index], self.known[index] = articles, True
        try:
            with open_lines(path, gz) as fh:
                for start, end, first_line, count, lines in cut(fh, self.shard_size, keep=gz):
                    yield WorkUnit(str(path), (start, end), first_line, count,
                                   payload=b"".join(lines) if gz else None, published=self.published)
        except (OSError, EOFError, ValueError, zlib.error) as exc:  # changed since the scan: a failure, no crash
            yield Failure(str(path), str(path), InputError(
                UNIT_UNREADABLE, f"{path} could not be read to the end ({exc})",
                "do not rewrite input files during a batch; run it again to finish them"))


def is_jsonl(item: Path | Failure | str) -> bool:
    if not isinstance(item, Path):
        return False
    name = str(item).lower()
    return name.endswith(GZ_SUFFIXES) or name.endswith(tuple(JSONL_SUFFIXES))


def open_lines(path: Path, gz: bool) -> IO[bytes]:
    return gzip.open(path, "rb") if gz else open(path, "rb")


def is_article_line(line: bytes, first: bool) -> bool:
    """Whether ingest.read_jsonl would read this line (it skips lines that are blank as str.strip() sees it)."""
    if first and line.startswith(UTF8_BOM):
        line = line[len(UTF8_BOM):]
    stripped = line.strip(ASCII_WHITESPACE)
    if not stripped:
        return False
    return stripped.isascii() or bool(stripped.decode("utf-8").strip())


def scan(fh: IO[bytes]) -> Optional[int]:
    """Article lines in a JSONL file, or None when it cannot be cut into line ranges faithfully."""
    articles, first = 0, True
    while True:
        lines = fh.readlines(SCAN_BLOCK_BYTES)
        if not lines:
            return articles
        block = b"".join(lines)
        if OTHER_LINE_BREAKS.search(block):
            return None
        if not block.isascii():
            try:
                block.decode("utf-8")  # blocks hold whole lines, so no character is split between two
            except UnicodeDecodeError:
                return None
        for line in lines:
            articles += is_article_line(line, first)
            first = False


def cut(fh: IO[bytes], size: int, keep: bool) -> Iterator[tuple[int, int, int, int, list[bytes]]]:
    """(start, end, first line number, article lines, the lines if ``keep``) per ``size`` article lines.

    Blank lines go with the range that follows them; blank lines after the last article go nowhere.
    """
    offset, lineno, first = 0, 0, True
    start, start_line, count, kept = 0, 1, 0, []
    while True:
        lines = fh.readlines(SCAN_BLOCK_BYTES)
        if not lines:
            break
        for line in lines:
            lineno += 1
            offset += len(line)
            count += is_article_line(line, first)
            first = False
            if keep:
                kept.append(line)
            if count >= size:
                yield start, offset, start_line, count, kept
                start, start_line, count, kept = offset, lineno + 1, 0, []
    if count:
        yield start, offset, start_line, count, kept


def estimate_articles(item: Path | Failure | str) -> tuple[int, bool]:
    """(articles, exact) for the progress bar before the item is enumerated: 1 per non-JSONL input;
    a JSONL file's article lines, counted in its head and scaled to its size (exact when it is small)."""
    if not is_jsonl(item):
        return 1, True
    path = Path(item)  # type: ignore[arg-type]
    try:
        size = path.stat().st_size
        with open(path, "rb") as raw:
            if str(path).lower().endswith(GZ_SUFFIXES):
                with gzip.GzipFile(fileobj=raw) as fh:
                    head = fh.read(ESTIMATE_SAMPLE_BYTES)
                    complete = fh.read(1) == b""
            else:
                head = raw.read(ESTIMATE_SAMPLE_BYTES)
                complete = raw.read(1) == b""
            consumed = raw.tell() or 1
    except (OSError, EOFError, zlib.error):
        return 1, True
    if complete:  # the whole file: count what ingest.read_jsonl will yield (an empty file is one failure)
        try:
            text, _ = decode_bytes(head, str(path))
        except PresslensError:
            return 1, True
        return max(1, sum(1 for line in text.splitlines() if line.strip())), True
    lines = head.splitlines(keepends=True)[:-1]  # the sample cut the last line
    try:
        count = sum(is_article_line(line, i == 0) for i, line in enumerate(lines))
    except UnicodeDecodeError:
        count = len(lines)
    return max(1, round(count * size / consumed)), False
