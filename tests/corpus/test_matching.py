"""`presslens evaluate matching` on Emergent (needs ../shared): recall floors, and the family cut it chooses."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from presslens.corpus.families import FAMILY_SIM
from presslens.corpus.matching import evaluate

FLOORS = json.loads((Path(__file__).resolve().parents[2] / "benchmarks" / "floors" / "matching.json").read_text())

pytestmark = pytest.mark.shared


def test_emergent_recall_stays_above_its_floor(shared_data):
    result = evaluate(shared_data / "data")
    assert result["headlines"] == 1354 and result["claims"] == 164
    for key, floor in FLOORS["emergent"].items():
        assert result[key] >= floor, f"{key} {result[key]} fell below its floor {floor}"
    assert result["family_threshold"] == pytest.approx(FAMILY_SIM)


def test_missing_data_is_a_clear_error(tmp_path):
    from presslens.errors import InputError

    with pytest.raises(InputError) as err:
        evaluate(tmp_path)
    assert err.value.code == "N40"
