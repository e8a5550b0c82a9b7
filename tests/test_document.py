"""The document model: offsets validated on entry, JSON round trip, versioned schema."""
from __future__ import annotations

import pytest

from presslens.document import Block, Document, Entity, Mention, Quote, Span

TEXT = "Mayor Ana Ruiz said: “We will reopen the port on Monday.”"
from presslens.errors import SchemaError

def test_round_trip_keeps_every_layer(sample_document):
    doc = sample_document
    again = Document.from_dict(doc.to_dict())
    assert again.to_dict() == doc.to_dict()
    assert again.get("quotes")[0].speaker.entity == "e1"
    assert isinstance(again.get("quotes")[0].content, Span)


def test_dict_carries_schema_version_and_text(sample_document):
    data = sample_document.to_dict()
    assert data["schema"] == "presslens.analysis/1"
    assert data["text"] == TEXT
    quote = data["quotes"][0]
    assert TEXT[quote["content"]["start"]:quote["content"]["end"]] == quote["content"]["text"]


@pytest.mark.parametrize("start,end,text", [(0, 999, "x"), (5, 5, ""), (-1, 3, "May"), (6, 14, "Ana Ruiz!")])
def test_bad_offsets_are_refused(start, end, text):
    doc = Document(TEXT)
    with pytest.raises(SchemaError):
        doc.add("entities", Entity("e1", "x", "PERSON", [Mention(start, end, text)]))


def test_nested_spans_are_validated_too():
    doc = Document(TEXT)
    bad = Quote("q1", "direct", 0, 5, TEXT[:5], Span(3, 9, "wrong"))
    with pytest.raises(SchemaError, match="S04"):
        doc.add("quotes", bad)


def test_unknown_layer_and_wrong_record_type():
    doc = Document(TEXT)
    with pytest.raises(SchemaError, match="unknown layer"):
        doc.add("vibes", Block(0, 5, TEXT[:5], "paragraph"))
    with pytest.raises(SchemaError, match="takes Block"):
        doc.add("blocks", Mention(0, 5, TEXT[:5]))


def test_other_schema_versions_are_refused(sample_document):
    data = sample_document.to_dict()
    data["schema"] = "presslens.analysis/0"
    with pytest.raises(SchemaError, match="unsupported analysis schema"):
        Document.from_dict(data)
