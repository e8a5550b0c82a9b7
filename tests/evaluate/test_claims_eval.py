"""`presslens claims score` TSV in/out, `presslens evaluate claims`, and the accuracy floors on CT24 dev-test."""
from __future__ import annotations


import pytest

from presslens.evaluate import floors
from presslens.cli import main



def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out = capsys.readouterr()
    return code, out.out, out.err


def test_score_writes_id_score_label_per_sentence(tmp_path, capsys):
    tsv = tmp_path / "in.tsv"
    tsv.write_bytes("Sentence_id\tText\tclass_label\r\n"
                    "a1\tThe state cut its school budget by 14 percent in 2021.\tYes\r\n"
                    "a2\tThanks so much, it is great to be here tonight.\tNo\r\n".encode())
    code, out, err = run_cli(["claims", "score", "--tsv", str(tsv)], capsys)
    assert code == 0, err
    rows = [line.split("\t") for line in out.splitlines()]
    assert [r[0] for r in rows] == ["a1", "a2"]
    assert all(len(r) == 3 and r[2] in ("Yes", "No") and 0.0 <= float(r[1]) <= 1.0 for r in rows)
    assert rows[0][2] == "Yes" and rows[1][2] == "No"


def test_score_accepts_headerless_two_column_input_and_a_threshold(tmp_path, capsys):
    tsv = tmp_path / "in.tsv"
    tsv.write_text("7\tCrime rose 8 percent last year.\n8\tWhat a night!\n", encoding="utf-8")
    code, out, _ = run_cli(["claims", "score", "--tsv", str(tsv), "--threshold", "1.0"], capsys)
    assert code == 0
    assert [line.split("\t")[2] for line in out.splitlines()] == ["No", "No"]


@pytest.mark.parametrize("content, code_text", [
    ("only-one-field\n", "PL-L12"),
    ("1\tSome text here.\tMaybe\n", "PL-L13"),
])
def test_score_rejects_malformed_tsv_with_a_hint(tmp_path, capsys, content, code_text):
    tsv = tmp_path / "bad.tsv"
    tsv.write_text(content, encoding="utf-8")
    code, _, err = run_cli(["claims", "score", "--tsv", str(tsv)], capsys)
    assert code == 2 and code_text in err and "hint" in err


def test_missing_tsv_is_an_input_error(tmp_path, capsys):
    code, _, err = run_cli(["claims", "score", "--tsv", str(tmp_path / "nope.tsv")], capsys)
    assert code == 2 and "PL-L10" in err


def test_evaluate_prints_f1_precision_recall(tmp_path, capsys):
    tsv = tmp_path / "gold.tsv"
    tsv.write_text("1\tThe city has 42 fire stations and 900 firefighters.\tYes\n"
                   "2\tHello and welcome, everyone.\tNo\n", encoding="utf-8")
    code, out, err = run_cli(["evaluate", "claims", "--tsv", str(tsv)], capsys)
    assert code == 0, err
    assert "F1 (Yes)   1.0000" in out and "precision" in out and "recall" in out


@pytest.mark.shared
def test_dev_test_f1_stays_above_floor(shared_data):
    from presslens.evaluate.claims import evaluate

    tsv = shared_data / "data" / "claims" / "checkthat2024_en" / "CT24_checkworthy_english_dev-test.tsv"
    result = evaluate(tsv)
    assert result["n"] == 318
    assert not floors.shortfalls("claims", "dev-test", result)


@pytest.mark.shared
@pytest.mark.parametrize("name, gate", [("ct22", "ct22-dev-test"), ("ct21", "ct21-dev")])
def test_other_sources_stay_above_their_floors(shared_data, name, gate):
    from presslens.evaluate.claims import evaluate_set

    assert not floors.shortfalls("claims", gate, evaluate_set(name))


def test_curve_shows_the_trade_off_at_every_cut(tmp_path, capsys):
    tsv = tmp_path / "gold.tsv"
    tsv.write_text("1\tThe city has 42 fire stations and 900 firefighters.\tYes\n"
                   "2\tUnemployment fell to 3.9 percent in May, the lowest since 2000.\tYes\n"
                   "3\tHello and welcome, everyone.\tNo\n", encoding="utf-8")
    code, out, err = run_cli(["evaluate", "claims", "--tsv", str(tsv), "--curve"], capsys)
    assert code == 0, err
    rows = [line.split() for line in out.splitlines() if line[:4] in {f"{0.05 * k:.2f}" for k in range(1, 20)}]
    assert [r[0] for r in rows] == [f"{0.05 * k:.2f}" for k in range(1, 20)]
    recall = [float(r[3]) for r in rows]
    assert recall == sorted(recall, reverse=True)  # a higher cut never finds more claims
    assert recall[0] == 1.0 and float(rows[0][1]) >= 0.8  # at 0.05 both claims are found, the greeting at most


def test_an_unknown_dev_set_is_a_coded_error(capsys):
    code, _, err = run_cli(["evaluate", "claims", "--set", "ct99"], capsys)
    assert code == 2 and "PL-L25" in err and "ct24" in err


def test_set_and_tsv_together_are_refused(tmp_path, capsys):
    tsv = tmp_path / "gold.tsv"
    tsv.write_text("1\tThe city has 42 fire stations.\tYes\n", encoding="utf-8")
    code, _, err = run_cli(["evaluate", "claims", "--set", "ct24", "--tsv", str(tsv)], capsys)
    assert code == 2 and "PL-L26" in err


def test_map_ranks_within_each_group():
    from presslens.evaluate.claim_sets import Labelled, mean_average_precision

    items = [Labelled("a1", "", True, "a"), Labelled("a2", "", False, "a"),
             Labelled("b1", "", False, "b"), Labelled("b2", "", True, "b")]
    # group a: the claim ranks first (AP 1); group b: second (AP 0.5). One pooled ranking would say otherwise.
    assert mean_average_precision(items, [0.9, 0.1, 0.8, 0.2]) == 0.75
