"""The proposition a question asks about, and the lexical stance step's reading of typical sentences."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from presslens.corpus.proposition import _parsed, proposition
from presslens.corpus.stance_step import LexicalStance, load
from presslens.errors import InputError


@pytest.mark.parametrize("question, expected", [
    ("Will Iceland join the European Union?", "Iceland will join the European Union"),
    ("Should the central bank raise interest rates?", "The central bank should raise interest rates"),
    ("Does Norway want the euro?", "Norway wants the euro"),
    ("Is the strike over?", "The strike is over"),
    ("Who will win the election?", "Who will win the election"),
])
def test_question_becomes_its_proposition(nlp, question, expected):
    assert proposition(question, nlp) == expected


def test_the_parser_alone_reads_questions_as_the_full_pipeline_does(nlp):
    from presslens.artifacts import load_spacy_parser

    parser = load_spacy_parser()
    assert "ner" not in parser.pipe_names and "parser" in parser.pipe_names
    for question in ("Will Iceland join the European Union?", "Does Norway want the euro?",
                     "Should the central bank raise interest rates?", "Did the EU leaders agree on a deal?"):
        assert proposition(question, parser) == proposition(question, nlp)


def no_parse():
    raise AssertionError("this question should not need spaCy")


@pytest.mark.parametrize("question, expected", [
    ("Is it true that Iceland will join the European Union?", "Iceland will join the European Union"),
    ("Isn't it the case that prices rose?", "Prices rose"),
    ("Will they join the union?", "They will join the union"),
    ("Is there a chance of a deal?", "There is a chance of a deal"),
    ("Do we need more ferries?", "We need more ferries"),
    ("Did it rain in May?", "It did rain in May"),
    ("Could I lose my pension?", "I could lose my pension"),
    ("Who will win the election?", "Who will win the election"),
])
def test_questions_that_need_no_parse_get_none(nlp, question, expected):
    assert proposition(question, no_parse) == expected
    if not question.lower().startswith(("is it", "isn't it", "who")):  # the parse agrees where it is needed
        assert _parsed(question.rstrip("?"), nlp) == expected


def test_a_cold_ask_on_a_pronoun_question_never_imports_spacy(indexed_store):
    root = Path(__file__).resolve().parents[2]
    code = ("import sys; from presslens.corpus.ask import ask; "
            f"b = ask({str(indexed_store)!r}, 'Is it true that Iceland will join the European Union?'); "
            "print('spacy' in sys.modules, b['proposition'], len(b['items']) > 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(root)}, cwd=root)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "Iceland", "will", "join", "the", "European", "Union", "True"]


def test_empty_or_huge_question_is_refused(nlp):
    with pytest.raises(InputError) as err:
        proposition(" ? ", nlp)
    assert err.value.code == "N20"
    with pytest.raises(InputError) as err:
        proposition("Will " + "x " * 400 + "?", nlp)
    assert err.value.code == "N21"


@pytest.mark.parametrize("text, label", [
    ("Iceland will never join the union", "disagree"),
    ("Voters rejected membership twice", "disagree"),
    ("It is an open question whether Iceland will join", "discuss"),
    ("Iceland should join the union after all", "agree"),
    ("Iceland joins the union next year", "agree"),
])
def test_lexical_stance(text, label):
    got, confidence, evidence = LexicalStance().read("Iceland will join the European Union", text)
    assert got == label and 0 < confidence < 1 and evidence["by"] == "stance:lexical" and evidence["why"]


def test_a_negated_proposition_flips_the_reading():
    assert LexicalStance().read("Iceland will not join the union", "Iceland will never join")[0] == "agree"


def test_lexical_step_can_be_chosen_explicitly():
    assert load("lexical").id == "stance:lexical"
