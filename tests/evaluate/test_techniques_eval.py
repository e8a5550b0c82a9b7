"""SemEval-2020 Task 11 measures (SI span overlap, TC micro-F1), file formats, and the PTC val floor."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from presslens.evaluate import floors
from presslens.errors import InputError
from presslens.evaluate import techniques as ev



def test_si_exact_match_is_one():
    gold = [("1", 0, 10), ("1", 20, 30), ("2", 5, 9)]
    assert ev.si_scores(gold, gold)["f1"] == pytest.approx(1.0)


def test_si_half_overlap():
    # predicted 0-10 inside gold 0-20: precision 10/10, recall 10/20 -> F1 2/3
    r = ev.si_scores([("1", 0, 10)], [("1", 0, 20)])
    assert (r["precision"], r["recall"], r["f1"]) == pytest.approx((1.0, 0.5, 2 / 3))
    # shifted by half: 5/10 both ways
    assert ev.si_scores([("1", 5, 15)], [("1", 0, 10)])["f1"] == pytest.approx(0.5)


def test_si_merges_overlaps_and_counts_missed_articles():
    # two overlapping predictions merge into 0-20 = gold
    assert ev.si_scores([("1", 0, 12), ("1", 8, 20)], [("1", 0, 20)])["f1"] == pytest.approx(1.0)
    # article 2 has gold but no prediction: recall halves
    r = ev.si_scores([("1", 0, 20)], [("1", 0, 20), ("2", 0, 4)])
    assert (r["precision"], r["recall"]) == pytest.approx((1.0, 0.5))
    assert ev.si_scores([], [("1", 0, 4)])["f1"] == 0.0


def test_tc_micro_f1_with_double_labels():
    gold = [("1", "Doubt", 0, 5), ("1", "Loaded_Language", 10, 20), ("1", "Repetition", 10, 20)]
    pred = [("1", "Doubt", 0, 5), ("1", "Repetition", 10, 20), ("1", "Slogans", 10, 20)]
    r = ev.tc_scores(pred, gold)
    assert r["correct"] == 2 and r["f1"] == pytest.approx(2 / 3)
    assert ev.tc_scores(gold[::-1], gold)["f1"] == pytest.approx(1.0)


def test_formats_round_trip(tmp_path: Path):
    si = [("111", 3, 9), ("222", 0, 4)]
    tc = [("111", "Doubt", 3, 9), ("222", "?", 0, 4)]
    (tmp_path / "a.si").write_text(ev.format_si(si))
    (tmp_path / "a.tc").write_text(ev.format_tc(tc))
    assert ev.read_si(tmp_path / "a.si") == si
    assert ev.read_tc(tmp_path / "a.tc") == tc
    (tmp_path / "bad.si").write_text("111\t3\n")
    with pytest.raises(InputError) as err:
        ev.read_si(tmp_path / "bad.si")
    assert err.value.code == "K11"


def test_article_ids_from_file_names(tmp_path: Path):
    (tmp_path / "article0012.txt").write_text("a\r\nb", encoding="utf-8")
    (tmp_path / "readme.txt").write_text("x")
    assert ev.read_articles(tmp_path) == {"0012": "a\r\nb"}  # \r\n kept: offsets count it
    with pytest.raises(InputError):
        ev.read_articles(tmp_path / "missing")


@pytest.mark.shared
def test_val_subset_stays_above_floors(shared_data: Path, tmp_path: Path):
    val = (ev.PTC / "splits" / "val-ids.txt").read_text().split()[: floors.gate("techniques", "val")["params"]["val_articles"]]
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(val))
    t0 = time.perf_counter()
    r = ev.evaluate(ids_file=ids)
    assert r["articles"] == len(val)
    assert not floors.shortfalls("techniques", "val", r)
    assert time.perf_counter() - t0 < 90


def test_train_names_the_problem_for_an_unknown_model_or_a_missing_training_venv(tmp_path, capsys):
    from presslens.cli import main

    def code_of(args):
        try:
            main(args)
            return 0
        except SystemExit as exc:
            return exc.code or 0

    assert code_of(["train", "techniques", "--model", "bert-large"]) == 2
    assert "PL-K23" in capsys.readouterr().err
    missing = tmp_path / "no-venv" / "python"
    assert code_of(["train", "techniques", "--model", "span-reader", "--python", str(missing)]) != 0
    err = capsys.readouterr().err
    assert "PL-K21" in err and str(missing) in err and "Traceback" not in err
