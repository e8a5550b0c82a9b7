"""The opinion-prose development set: well-formed (every span indexes its text, PTC's 14 labels), built from its
marked-up source, large enough (30+ paragraphs of a couple of hundred words and more), and names nobody from the
seed article."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from presslens.errors import InputError
from presslens.evaluate.opinion import OPINION_SET, load_set

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "will-russia-join-nato.txt"
PTC_LABELS = {"Appeal_to_Authority", "Appeal_to_fear-prejudice", "Bandwagon,Reductio_ad_hitlerum",
              "Black-and-White_Fallacy", "Causal_Oversimplification", "Doubt", "Exaggeration,Minimisation",
              "Flag-Waving", "Loaded_Language", "Name_Calling,Labeling", "Repetition", "Slogans",
              "Thought-terminating_Cliches", "Whataboutism,Straw_Men,Red_Herring"}


def builder():
    spec = importlib.util.spec_from_file_location("build_opinion_dev", REPO / "training" / "build_opinion_dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_span_indexes_its_text():
    raw = [json.loads(line) for line in OPINION_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(raw) >= 30
    for item in raw:
        assert len(item["text"].split()) >= 190, item["id"]
        assert item["spans"], item["id"]
        for span in item["spans"]:
            assert item["text"][span["start"]:span["end"]] == span["text"]
            assert span["technique"] in PTC_LABELS
            assert span["text"] == span["text"].strip() and span["text"]
    used = {s["technique"] for item in raw for s in item["spans"]}
    assert used == PTC_LABELS  # every technique is represented


def test_the_shipped_file_is_built_from_its_source():
    module = builder()
    assert module.render(module.build(module.SOURCE.read_text(encoding="utf-8"))) == OPINION_SET.read_text(encoding="utf-8")


def test_markup_errors_are_reported():
    module = builder()
    with pytest.raises(ValueError, match="unknown technique code"):
        module.parse("[ZZ: nothing]", "x")
    with pytest.raises(ValueError, match="left open"):
        module.parse("[DO: open", "x")
    assert module.parse("A [DO: b [LL: c]] d", "x") == (
        "A b c d", [{"start": 2, "end": 5, "technique": "Doubt", "text": "b c"},
                    {"start": 4, "end": 5, "technique": "Loaded_Language", "text": "c"}])


def test_a_broken_set_file_is_a_coded_input_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "short", "spans": [{"start": 2, "end": 40, "technique": "Doubt"}]}\n')
    with pytest.raises(InputError, match="outside its text"):
        load_set(bad)
    bad.write_text("not json\n")
    with pytest.raises(InputError, match="not an opinion-set line"):
        load_set(bad)


@pytest.mark.skipif(not SEED.exists(), reason="the seed article (../shared/seed) is absent")
def test_no_name_from_the_seed_article():
    seed_words = set(re.findall(r"\b[A-Z][a-z]+\b", SEED.read_text(encoding="utf-8")))
    ours = {m.group() for item in load_set() for m in re.finditer(r"(?<=[a-z,;] )[A-Z][a-z]+\b", item["text"])}
    # only general words of place and direction are shared; no person, outlet or organisation of the seed
    assert ours & seed_words <= {"Europe", "Foreign", "Pact", "South", "West", "Western"}


def test_shipped_analyzer_stays_above_the_opinion_floors():
    from presslens.evaluate import floors
    from presslens.evaluate.opinion import evaluate_opinion

    r = evaluate_opinion()
    assert r["articles"] >= 30
    assert not floors.shortfalls("techniques", "opinion", r)


def test_evaluate_cli_reports_the_opinion_set(capsys):
    from presslens.cli import main

    def code_of(args):
        try:
            main(args)
            return 0
        except SystemExit as exc:
            return exc.code or 0

    assert code_of(["evaluate", "techniques", "--set", "opinion"]) == 0
    out = capsys.readouterr().out
    assert "opinion_dev.jsonl" in out and "SI F1" in out and "TC micro-F1" in out
    assert code_of(["evaluate", "techniques", "--set", "tweets"]) == 2
    err = capsys.readouterr().err
    assert "PL-K24" in err and "--set opinion" in err and "Traceback" not in err
