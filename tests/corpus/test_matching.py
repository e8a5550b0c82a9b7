"""`presslens evaluate matching` on Emergent (needs ../shared): recall floors, and the family cut it chooses."""
from __future__ import annotations

import pytest

from presslens.corpus.families import FAMILY_SIM
from presslens.corpus.matching import evaluate
from presslens.evaluate.floors import shortfalls

pytestmark = pytest.mark.shared


def test_emergent_recall_stays_above_its_floor(shared_data):
    result = evaluate(shared_data / "data")
    assert result["headlines"] == 1354 and result["claims"] == 164
    assert shortfalls("matching", "emergent", result) == []
    assert result["family_threshold"] == pytest.approx(FAMILY_SIM)


def test_missing_data_is_a_clear_error(tmp_path):
    from presslens.errors import InputError

    with pytest.raises(InputError) as err:
        evaluate(tmp_path)
    assert err.value.code == "N40"
