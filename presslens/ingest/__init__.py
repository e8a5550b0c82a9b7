"""The front door: any article source -> RawArticle records (or Failures), never a silent None.

accept (path, directory, glob, ``-``, ``.jsonl``/``.jsonl.gz``) -> decode (BOM, legacy encodings)
-> sniff (binary / HTML / text) -> extract (trafilatura for HTML) -> guard (empty, too big,
not English). One bad file or line never stops the others: it becomes a ``Failure``.
"""
from __future__ import annotations

import glob as globlib
import gzip
import hashlib
import json
import sys
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

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @classmethod
    def from_text(cls, text: str, id: Optional[str] = None, **meta: Any) -> "RawArticle":
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
        found = sorted(p for p in path.rglob("*") if p.is_file() and is_article_file(p))
        if not found:
            yield Failure(text, text, InputError("I01", f"directory {text!r} holds no .txt, .html or .jsonl files",
                                                 "point presslens at article files or a folder of them"))
        yield from found
        return
    if path.exists():
        yield path
        return
    if any(ch in text for ch in "*?["):
        matches = sorted(Path(p) for p in globlib.glob(text, recursive=True) if Path(p).is_file())
        if not matches:
            yield Failure(text, text, InputError("I02", f"no files match {text!r}", "check the pattern"))
        yield from matches
        return
    yield Failure(text, text, InputError("I03", f"{text!r} does not exist", "check the path"))


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
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as exc:
                raise InputError("I04", f"{name} is not a valid gzip file ({exc})", "re-compress it with gzip")
            yield from read_jsonl(data, name, published)
            return
        if lower.endswith(tuple(JSONL_SUFFIXES)):
            yield from read_jsonl(data, name, published)
            return
        yield read_document(data, name, published, html_hint=Path(name).suffix.lower() in HTML_SUFFIXES,
                            article_id=Path(name).stem if path != "-" else None)
    except PresslensError as exc:
        yield Failure(Path(name).stem, name, exc)


def read_bytes(path: Path | str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    try:
        size = Path(path).stat().st_size
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
    from .html import extract_html, looks_like_html

    if html_hint or looks_like_html(text):
        extracted = extract_html(text, name)
        warnings = warnings + extracted.pop("warnings", [])
        for key, value in extracted.items():
            if key != "text" and value and not meta.get(key):
                meta[key] = value
        text = extracted["text"]
    meta["published"] = check_published(published or meta.get("published"))
    article = RawArticle.from_text(text, id=article_id, source=name, warnings=warnings, **meta)
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
