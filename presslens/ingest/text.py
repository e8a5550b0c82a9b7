"""Bytes -> str for plain-text articles: BOMs, UTF-8, common legacy encodings; binary files refused."""
from __future__ import annotations

import codecs
import threading
import unicodedata

from ..errors import InputError

# Magic numbers of files people pass by mistake, so the error can say what the file looks like.
BINARY_SIGNATURES = [
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip file"),
    (b"\x7fELF", "an executable"),
    (b"{\\rtf", "an RTF document"),
]
BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Legacy encodings tried, in order, when a text is not UTF-8 (Western news archives).
LEGACY_ENCODINGS = ("cp1252", "latin-1")


def sniff_binary(data: bytes, name: str) -> None:
    for signature, what in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise InputError("I12", f"{name} is not text or HTML (it looks like {what})",
                             "pass a .txt, .html or .jsonl article")
    if any(data.startswith(bom) for bom, _ in BOMS):
        return
    head = data[:4096]
    if b"\x00" in head:
        raise InputError("I12", f"{name} is not text or HTML (it contains binary NUL bytes)",
                         "pass a .txt, .html or .jsonl article")


def decode_bytes(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode article bytes; returns the text and warnings about how it was decoded."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), []
            except UnicodeDecodeError:
                raise InputError("I13", f"{name} starts with a {encoding} byte-order mark but is not valid {encoding}",
                                 "re-save the file as UTF-8")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text, bad = decode_utf8_replacing(data)
    if mostly_utf8(text, bad):
        return text, [replacement_warning(bad)]
    guess = guess_encoding(data)
    if guess is not None:
        legacy = data.decode(guess)
        if control_share(legacy) <= 0.01:
            return legacy, [f"decoded as {guess}: the file is not valid UTF-8 "
                            f"(first bad byte at offset {utf8_error.start})"]
    if control_share(text) > 0.01:
        raise InputError("I14", f"{name} is not valid UTF-8 (byte {utf8_error.start}) and no legacy encoding fits",
                         "re-save the file as UTF-8")
    return text, [replacement_warning(bad)]


# Byte offsets of bad UTF-8 sequences named in the warning (the count is always given in full).
SHOWN_BAD_OFFSETS = 5


def decode_utf8_replacing(data: bytes) -> tuple[str, list[int]]:
    """UTF-8 with each invalid sequence replaced by U+FFFD; returns the text and the bad sequences' byte offsets."""
    _NOTED.offsets = []
    try:
        return data.decode("utf-8", errors="presslens-note"), _NOTED.offsets
    finally:
        _NOTED.offsets = []


_NOTED = threading.local()  # the offsets of the decode running in this thread


def _note_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _NOTED.offsets.append(exc.start)
    return "\ufffd", exc.end


codecs.register_error("presslens-note", _note_and_replace)


def mostly_utf8(text: str, bad: list[int]) -> bool:
    """A UTF-8 file with a few damaged bytes: it decodes to more good non-ASCII characters than bad sequences."""
    good = sum(1 for ch in text if ord(ch) > 127) - len(bad)
    return good > 0 and len(bad) <= good


def replacement_warning(bad: list[int]) -> str:
    shown = ", ".join(str(offset) for offset in bad[:SHOWN_BAD_OFFSETS])
    more = f" and {len(bad) - SHOWN_BAD_OFFSETS} more" if len(bad) > SHOWN_BAD_OFFSETS else ""
    return (f"not valid UTF-8: {len(bad)} bad byte sequence(s) replaced by U+FFFD, at byte offset(s) {shown}{more}")


# Multi-byte legacy encodings charset-normalizer may find; single-byte guesses are overruled by cp1252,
# which is by far the most common legacy encoding of Western news text (short texts fool the detector).
MULTIBYTE_PREFIXES = ("gb", "big5", "shift_jis", "cp932", "euc", "cp949", "iso2022", "hz", "johab", "cp950")


def guess_encoding(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding.lower().startswith(MULTIBYTE_PREFIXES):
            data.decode(best.encoding)
            return best.encoding
    except (ImportError, UnicodeDecodeError, LookupError):
        pass
    for encoding in LEGACY_ENCODINGS:
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


def control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return bad / len(text)


def normalise_text(text: str) -> str:
    """Line endings to \\n and a leading BOM dropped; nothing else, so offsets stay faithful to the source."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")
