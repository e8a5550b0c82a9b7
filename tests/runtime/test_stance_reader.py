"""The stance reader: its API, `presslens stance pairs`, `presslens evaluate stance`, and the hold-out floor.

The pairs are written for these tests (no data text): one claim, texts that confirm it, debunk it, only report
it, or are about something else.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from presslens.runtime.stance_reader import LABELS, load_stance_reader

REPO = Path(__file__).resolve().parents[2]

CLAIM = "A crocodile was found living in the city reservoir of Dunmore"
UNRELATED = ("The county council voted on Tuesday to raise parking fees in the town centre. Shop owners said the "
             "change would drive customers to the retail park outside town. The new fees start in March.")
DEBUNKED = ("Reports that a crocodile was found living in the Dunmore city reservoir are a hoax. Water officials "
            "said the photo was fake and had been doctored: it shows a zoo in another country. 'There is no "
            "crocodile in the reservoir and there never was,' a spokesman said, dismissing the rumour as a prank.")
CONFIRMED = ("Wildlife officers confirmed on Monday that a crocodile was found living in the Dunmore city "
             "reservoir. The two-metre animal was caught in a net and taken to a sanctuary, officials announced. "
             "Workers had spotted the crocodile in the reservoir last week.")


@pytest.fixture(scope="module")
def reader():
    return load_stance_reader()


def test_unrelated_text_is_called_unrelated(reader):
    label, confidence = reader.predict(CLAIM, UNRELATED)
    assert label == "unrelated"
    assert 0.5 <= confidence <= 1.0


def test_debunking_text_disagrees_and_confirming_text_does_not(reader):
    assert reader.predict(CLAIM, DEBUNKED)[0] == "disagree"
    assert reader.predict(CLAIM, CONFIRMED)[0] in ("agree", "discuss")


def test_predict_many_keeps_order_and_equals_predict(reader):
    pairs = [(CLAIM, UNRELATED), (CLAIM, DEBUNKED), (CLAIM, CONFIRMED), ("Parking fees in the town centre rise in "
                                                                          "March", UNRELATED)]
    many = reader.predict_many(pairs)
    assert many == [reader.predict(c, t) for c, t in pairs]
    assert all(label in LABELS and 0.0 <= conf <= 1.0 for label, conf in many)
    assert many[3][0] != "unrelated"  # the same text, now with its own topic as the claim


def test_long_text_is_read_to_the_end(reader):
    filler = " ".join(f"Paragraph {i} describes the weather, the markets and a cup final in detail." for i in range(400))
    assert len(filler.split()) > 4000
    alone = reader.predict(CLAIM, filler)
    with_tail = reader.predict(CLAIM, filler + " " + DEBUNKED)
    assert alone[0] == "unrelated"
    assert with_tail[0] != "unrelated"


def test_empty_claim_is_a_coded_error(reader):
    from presslens.errors import InputError

    with pytest.raises(InputError) as err:
        reader.predict("  ", DEBUNKED)
    assert err.value.full_code == "PL-P02"


def test_changed_weights_are_refused(tmp_path, monkeypatch):
    import presslens.artifacts as models
    from presslens.errors import ModelError
    from presslens.runtime.stance_reader import StanceReader

    shutil.copytree(models.MODELS_DIR / "stance-reader", tmp_path / "stance-reader")
    with open(tmp_path / "stance-reader" / "vocab.json", "a", encoding="utf-8") as fh:
        fh.write(" ")
    monkeypatch.setattr(models, "MODELS_DIR", tmp_path)
    models.manifest.cache_clear()
    try:
        with pytest.raises(ModelError) as err:
            StanceReader()
        assert err.value.full_code == "PL-M04"
    finally:
        models.manifest.cache_clear()


def presslens(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "presslens", *args], capture_output=True, text=True, cwd=REPO)


def test_stance_pairs_writes_one_line_per_pair(tmp_path):
    tsv = tmp_path / "pairs.tsv"
    body = DEBUNKED.replace(". ", ".\\n", 1) + "\tA tab inside the text is kept."
    tsv.write_text(f"p1\t{CLAIM}\t{UNRELATED}\n\np2\t{CLAIM}\t{body}\r\np3\t{CLAIM}\t{CONFIRMED}\n", encoding="utf-8")
    done = presslens("stance", "pairs", "--tsv", str(tsv))
    assert done.returncode == 0, done.stderr
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    assert [r[0] for r in rows] == ["p1", "p2", "p3"]
    assert [r[1] for r in rows][:2] == ["unrelated", "disagree"]
    assert all(0.0 <= float(r[2]) <= 1.0 for r in rows)


@pytest.mark.parametrize("content, code", [(f"p1\t{CLAIM}\n", "PL-P13"), (f"p1\t\t{UNRELATED}\n", "PL-P14"),
                                           ("\n\n", "PL-P15")])
def test_bad_tsv_is_a_coded_error_and_writes_nothing(tmp_path, content, code):
    tsv = tmp_path / "bad.tsv"
    tsv.write_text(f"ok\t{CLAIM}\t{UNRELATED}\n" + content if code != "PL-P15" else content, encoding="utf-8")
    done = presslens("stance", "pairs", "--tsv", str(tsv))
    assert done.returncode == 2
    assert code in done.stderr
    assert done.stdout == ""


def test_missing_tsv_is_a_coded_error(tmp_path):
    done = presslens("stance", "pairs", "--tsv", str(tmp_path / "nope.tsv"))
    assert done.returncode == 2 and "PL-P11" in done.stderr


def test_evaluate_stance_rejects_an_unknown_set():
    done = presslens("evaluate", "stance", "--set", "everything")
    assert done.returncode == 2 and "PL-P16" in done.stderr


@pytest.mark.shared
def test_hold_out_figures_stay_above_floor(shared_data):
    from presslens.evaluate.stance_pairs import evaluate

    from presslens.evaluate import floors

    result = evaluate(shared_data / "data" / "stance" / "fnc-1")
    assert result["pairs"] == floors.gate("stance_pairs", "hold_out")["measured"]["pairs"]
    assert not floors.shortfalls("stance_pairs", "hold_out", result)


@pytest.mark.shared
def test_evaluate_stance_prints_fnc_score_and_macro_f1(shared_data):
    done = presslens("evaluate", "stance", "--limit", "60", "--data", str(shared_data / "data" / "stance" / "fnc-1"))
    assert done.returncode == 0, done.stderr
    assert "FNC score" in done.stdout and "macro-F1" in done.stdout and "60 pairs" in done.stdout
    as_json = presslens("evaluate", "stance", "--set", "pairs", "--limit", "60", "--json")
    result = json.loads(as_json.stdout)
    assert result["pairs"] == 60 and 0 <= result["macro_f1"] <= 1 and set(result["f1"]) == set(LABELS)


def test_the_ask_stance_step_uses_the_reader():
    from presslens.corpus.stance_step import load

    assert load("auto").id == "stance:reader+cues"  # ask's default: the reader, with lexical negation cues over it
    step = load("reader")
    assert step.id == "stance:reader"
    label, confidence, evidence = step.read(CLAIM, DEBUNKED)
    assert (label, evidence["by"]) == ("disagree", "stance:reader") and 0.5 <= confidence <= 1.0
