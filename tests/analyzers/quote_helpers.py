"""What the quotes test tables ask of a document: the quote opening with some words, and who said it."""
from __future__ import annotations


def quote_starting(doc, words: str):
    found = [q for q in doc.get("quotes") if q.content.text.startswith(words)]
    assert found, f"no quote starts with {words!r}: {[(q.kind, q.content.text) for q in doc.get('quotes')]}"
    return found[0]


def speaker_name(q) -> str | None:
    return q.speaker.name if q.speaker is not None else None
