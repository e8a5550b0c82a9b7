"""The proposition a question asks about, and the lexical stance step's reading of typical sentences."""
from __future__ import annotations

import pytest

from presslens.corpus.proposition import proposition
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
