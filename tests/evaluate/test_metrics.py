"""The one precision/recall/F1 definition: the edge cases every evaluation relies on."""
from __future__ import annotations

import pytest

from presslens.evaluate.metrics import binary_prf, f1, prf


def test_prf_counts_and_partial_credit():
    assert prf(3, 4, 6) == pytest.approx((0.75, 0.5, 0.6))
    assert prf(1.5, 2, 4, matched_gold=1.0) == pytest.approx((0.75, 0.25, 0.375))  # fractional overlaps


def test_nothing_predicted_or_nothing_gold_scores_zero_not_a_crash():
    assert prf(0, 0, 5) == (0.0, 0.0, 0.0)
    assert prf(0, 3, 0) == (0.0, 0.0, 0.0)
    assert f1(0.0, 0.0) == 0.0


def test_binary_prf_of_the_positive_class():
    m = binary_prf([True, True, False, False], [True, False, True, False])
    assert (m["tp"], m["fp"], m["fn"]) == (1, 1, 1) and m["f1"] == pytest.approx(0.5)
