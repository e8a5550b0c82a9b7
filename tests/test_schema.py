"""The committed JSON Schema is the contract: it matches the record classes and validates real output."""
from __future__ import annotations

import jsonschema
import pytest

from presslens.schema import build_schema, load_schema, validate


def test_committed_schema_matches_record_classes():
    assert load_schema() == build_schema(), "record classes changed: run `python -m presslens.schema` and review the diff"


def test_hand_built_document_validates(sample_document):
    validate(sample_document.to_dict())


def test_schema_rejects_a_quote_without_content(sample_document):
    data = sample_document.to_dict()
    del data["quotes"][0]["content"]
    with pytest.raises(jsonschema.ValidationError):
        validate(data)
