"""The front door: any article source -> RawArticle records (or Failures), never a silent None.

accept (path, directory, glob, ``-``, ``.jsonl``/``.jsonl.gz``) -> decode (BOM, legacy encodings)
-> sniff (binary / HTML / text) -> extract (trafilatura for HTML) -> guard (empty, too big,
not English). One bad file or line never stops the others: it becomes a ``Failure``.
"""
from __future__ import annotations

import glob as globlib
import hashlib
import json
import re
import stat
import sys
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from ..errors import InputError, PresslensError
from .language import detect_language
from .text import decode_bytes, normalise_text, sniff_binary

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# Files larger than this are refused before decoding (a 4-byte-per-char worst case of max_chars).
MAX_FILE_BYTES = 64 * 1024 * 1024
# A lone UTF-16 surrogate: valid in JSON ("\\ud800"), but no UTF-8 encoder, hash or database can take it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class RawArticle:
    id: str
    text: str
    title: Optional[str] = None
    published: Optional[str] = None
    url: Optional[str] = None
    author: Optional[str] = None
    source: Optional[str] = None
    language: Optional[str] = None
    warnings: list[str] = field(default_factory=list)
    # [start, end) of bold text opening a paragraph of an HTML page (extraction drops the marks; a bold
    # "Novak" before an answer is an interview turn label). Empty for plain text.
    bold_leads: list[list[int]] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @classmethod
    def from_text(cls, text: str, id: Optional[str] = None, **meta: Any) -> "RawArticle":
        where = meta.get("source") or id or "the article"
        for name, value in (("text", text), ("id", id), *meta.items()):
            if isinstance(value, str):
                refuse_surrogates(value, where, name)
        text = normalise_text(text)
        article = cls(id=id or "", text=text, **meta)
        if not article.id:
            article.id = article.content_hash[:16]
        article.published = check_published(article.published)
        return article


@dataclass
class Failure:
    """An input that could not be read or analysed; batches report these at the end."""

    article_id: str
    source: str
    error: PresslensError

    @property
    def code(self) -> str:
        return self.error.full_code


def refuse_surrogates(value: str, where: str, field_name: str) -> None:
    found = LONE_SURROGATE.search(value)
    if found is not None:
        raise InputError("I33", f"{where}: its {field_name} holds a lone surrogate "
                         f"(U+{ord(found.group()):04X} at character {found.start()}), which is not a character",
                         "the source mangled an emoji or other character: fix or drop that escape (e.g. \\ud800) "
                         "and analyse it again")


def check_published(value: Optional[str]) -> Optional[str]:
    """Accept YYYY-MM-DD (or a longer ISO timestamp, cut to its date); reject anything else clearly."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise InputError("I20", f"publication date {text!r} is not a date in YYYY-MM-DD form",
                         "pass --published like 2022-05-25")


def read(source: str | Path, published: Optional[str] = None) -> Iterator[RawArticle | Failure]:
    """Yield every article found at ``source``: a file, a directory, a glob, ``-`` (stdin) or JSONL."""
    published = check_published(published)
    for item in expand(source):
        if isinstance(item, Failure):
            yield item
            continue
        yield from read_path(item, published)


def expand(source: str | Path) -> Iterator[Path | Failure | str]:
    text = str(source)
    if text == "-":
        yield "-"
        return
    path = Path(text)
    if path.is_dir():
        found, refused = [], []
        for entry in path.rglob("*"):
            if entry.is_file():
                if is_article_file(entry):
                    found.append(entry)
            elif is_article_file(entry) and not entry.is_dir():  # a named pipe, a socket, a broken link
                refused.append(entry)
        if not found and not refused:
            yield Failure(text, text, InputError("I01", f"directory {text!r} holds no .txt, .html or .jsonl files",
                                                 "point presslens at article files or a folder of them"))
        yield from sorted(found)
        for entry in sorted(refused):
            yield not_a_file(entry)
        return
    if path.exists() or path.is_symlink():
        yield path if path.is_file() or path.is_dir() else not_a_file(path)
        return
    if any(ch in text for ch in "*?["):
        matches = sorted(Path(p) for p in globlib.glob(text, recursive=True) if not Path(p).is_dir())
        if not matches:
            yield Failure(text, text, InputError("I02", f"no files match {text!r}", "check the pattern"))
        for match in matches:
            yield match if match.is_file() else not_a_file(match)
        return
    yield Failure(text, text, InputError("I03", f"{text!r} does not exist", "check the path"))


def file_kind(path: Path) -> str:
    """What a path that is not a regular file is, in words."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a broken symbolic link (its target does not exist)" if path.is_symlink() else "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def not_a_file(path: Path) -> Failure:
    """A path that is not a regular file: refused without opening it (a named pipe would block forever)."""
    name = str(path)
    return Failure(path.stem, name, InputError("I08", f"{name} is {file_kind(path)}, not a regular file",
                                               "pass article files; to read from a pipe, use '-' for stdin"))


def is_article_file(path: Path) -> bool:
    suffixes = "".join(path.suffixes[-2:]).lower()
    return (path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
            or suffixes in {".jsonl.gz", ".ndjson.gz"})


def read_path(path: Path | str, published: Optional[str]) -> Iterator[RawArticle | Failure]:
    name = "<stdin>" if path == "-" else str(path)
    try:
        data = read_bytes(path)
        lower = name.lower()
        if lower.endswith((".jsonl.gz", ".ndjson.gz")):
            data, problem = gunzip_readable(data)
            if problem is None:
                yield from read_jsonl(data, name, published)
                return
            readable = data[:data.rfind(b"\n") + 1]  # the line the damage cut in two is lost with it
            if not readable.strip():
                raise InputError("I04", f"{name} is not a valid gzip file ({problem})", "re-compress it with gzip")
            yield from read_jsonl(readable, name, published)
            lines = readable.count(b"\n")
            yield Failure(f"{name}:{lines + 1}", f"{name}:{lines + 1}", InputError(
                "I09", f"{name} is damaged after line {lines} ({problem}): its first {lines} lines were read, "
                "the rest is lost", "re-download or re-compress the file, then run again (what was read is kept)"))
            return
        if lower.endswith(tuple(JSONL_SUFFIXES)):
            yield from read_jsonl(data, name, published)
            return
        yield read_document(data, name, published, html_hint=Path(name).suffix.lower() in HTML_SUFFIXES,
                            article_id=Path(name).stem if path != "-" else None)
    except PresslensError as exc:
        yield Failure(Path(name).stem, name, exc)


# Compressed bytes fed to zlib at a time, so the output before a damaged spot is kept.
GUNZIP_CHUNK = 1 << 16


def gunzip_readable(data: bytes) -> tuple[bytes, Optional[str]]:
    """Decompress gzip data (every member); on damage or truncation, what came before it and what went wrong."""
    out: list[bytes] = []
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=31)
        try:
            for start in range(0, len(rest), GUNZIP_CHUNK):
                out.append(inflater.decompress(rest[start:start + GUNZIP_CHUNK]))
                if inflater.eof:
                    break
        except zlib.error as exc:
            return b"".join(out), str(exc)
        if not inflater.eof:
            return b"".join(out) + inflater.flush(), "the file ends in the middle of its compressed data"
        rest = inflater.unused_data
        if rest and not rest.strip(b"\x00"):  # padding after the last member
            break
    return b"".join(out), None


def read_bytes(path: Path | str) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)  # one byte more than allowed tells "too large" apart
        if len(data) > MAX_FILE_BYTES:
            raise InputError("I05", f"stdin holds more than {MAX_FILE_BYTES / 1e6:.0f} MB, too large for one article",
                             "split it into articles, e.g. one per line in a .jsonl file")
        return data
    try:
        info = Path(path).stat()
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            raise not_a_file(Path(path)).error
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise InputError("I05", f"{path} is {size / 1e6:.0f} MB, too large for one article",
                             "split it into articles, e.g. one per line in a .jsonl file")
        return Path(path).read_bytes()
    except PermissionError:
        raise InputError("I06", f"{path} cannot be read (permission denied)", "check the file's permissions")
    except IsADirectoryError:
        raise InputError("I07", f"{path} is a directory", "pass the directory itself, not a file inside")


def read_document(data: bytes, name: str, published: Optional[str], html_hint: bool = False,
                  article_id: Optional[str] = None, **meta: Any) -> RawArticle:
    """Bytes of one article (text or HTML) -> RawArticle."""
    if not data.strip():
        raise InputError("I10", f"{name} is empty", "pass a file with article text")
    sniff_binary(data, name)
    text, warnings = decode_bytes(data, name)
    if not text.strip():
        raise InputError("I10", f"{name} holds only whitespace", "pass a file with article text")
    return article_from_text(text, name, published, html_hint, article_id, warnings, **meta)


def article_from_text(text: str, name: str, published: Optional[str], html_hint: bool,
                      article_id: Optional[str], warnings: list[str], **meta: Any) -> RawArticle:
    from .html import extract_html, locate_leads, looks_like_html

    refuse_surrogates(text, name, "text")
    leads: list[str] = []
    if html_hint or looks_like_html(text):
        extracted = extract_html(text, name)
        warnings = warnings + extracted.pop("warnings", [])
        leads = extracted.pop("bold_leads", [])
        for key, value in extracted.items():
            if key != "text" and value and not meta.get(key):
                meta[key] = value
        text = extracted["text"]
    meta["published"] = check_published(published or meta.get("published"))
    article = RawArticle.from_text(text, id=article_id, source=name, warnings=warnings, **meta)
    article.bold_leads = locate_leads(article.text, leads) if leads else []
    return article


def read_jsonl(data: bytes, name: str, published: Optional[str]) -> Iterator[RawArticle | Failure]:
    text, _ = decode_bytes(data, name)
    seen_any = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        seen_any = True
        where = f"{name}:{lineno}"
        try:
            yield article_from_json_line(line, where, published)
        except PresslensError as exc:
            yield Failure(where, where, exc)
    if not seen_any:
        yield Failure(name, name, InputError("I10", f"{name} is empty", "pass one JSON article per line"))


def article_from_json_line(line: str, where: str, published: Optional[str]) -> RawArticle:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError("I30", f"{where} is not JSON ({exc.msg} at column {exc.colno})",
                         "each line must be one JSON object like {\"id\": ..., \"text\": ...}")
    if not isinstance(record, dict):
        raise InputError("I31", f"{where} is JSON but not an object", "each line must be one JSON object")
    body, is_html = record.get("text"), False
    if not body and record.get("html"):
        body, is_html = record["html"], True
    if not isinstance(body, str) or not body.strip():
        raise InputError("I32", f"{where} has no 'text' or 'html' field with content", "add the article text")
    meta = {k: str(record[k]) for k in ("title", "url", "author") if record.get(k)}
    article_id = str(record["id"]) if record.get("id") not in (None, "") else None
    return article_from_text(body, where, published or record.get("published"), is_html, article_id, [], **meta)


# A character that shows: not whitespace, not a control, not an invisible format character (zero-width
# space and joiners, direction marks, soft hyphen, word joiner, BOM).
VISIBLE = re.compile("[^\\s\x00-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


@dataclass(frozen=True)
class IngestSettings:
    """The [ingest] section of defaults.toml (documented there)."""
    max_chars: int = 1_000_000
    min_chars: int = 1
    english_min_function_word_share: float = 0.12


def guard_text(article: RawArticle, settings: IngestSettings) -> None:
    """Refuse what cannot be analysed; flag (but keep) probable non-English text."""
    stripped = article.text.strip()
    if len(stripped) < int(settings.min_chars):
        raise InputError("I10", f"{article.source or article.id} has no text to analyse", "pass a non-empty article")
    if VISIBLE.search(article.text) is None:
        raise InputError("I10", f"{article.source or article.id} holds only invisible characters "
                         "(zero-width spaces, joiners, direction marks or controls)", "pass a file with article text")
    max_chars = int(settings.max_chars)
    if len(article.text) > max_chars:
        raise InputError("I11", f"{article.source or article.id} has {len(article.text):,} characters, "
                         f"more than the {max_chars:,} one article may have",
                         "split it into separate articles, or raise [ingest] max_chars with --config")
    if article.language is None:
        language, share = detect_language(article.text, float(settings.english_min_function_word_share))
        article.language = language
        if language != "en":
            article.warnings.append(
                f"text looks like it is not English (detected {language!r}; English function words {share:.0%}): "
                "presslens' analyzers are English-only, so results will be partial")


def iter_texts(texts: Iterable[str]) -> Iterator[RawArticle]:
    for text in texts:
        yield RawArticle.from_text(text)
