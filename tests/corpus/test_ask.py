"""`presslens ask` on the written test corpus gives the brief a person would write: terminal, JSON (schema'd)."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from presslens.corpus.ask import ask

from .conftest import QUESTION

SCHEMA = Path(__file__).resolve().parents[2] / "presslens" / "schema" / "ask-1.json"
# (stance, speaker, article title) of every item a reader of the five articles would put in the brief
EXPECTED = {
    ("for", "Helga Arnadottir", "Minister sets five-year path to EU membership"),
    ("for", "Helga Arnadottir", "Iceland's EU debate heats up"),
    ("for", "Bjorn Karlsson", "Karlsson drops his opposition to Brussels"),
    ("against", "Bjorn Karlsson", "Minister sets five-year path to EU membership"),
    ("against", "author", "Opinion: the fishing fleet will decide"),
    ("discussing", "Sigrun Olafsdottir", "Iceland's EU debate heats up"),
}


def summary(brief: dict) -> set[tuple[str, str, str]]:
    return {(it["stance"], (it["speaker"] or {}).get("actor_name") or "author", it["article"]["title"])
            for it in brief["items"]}


@pytest.fixture(scope="module")
def brief(indexed_store) -> dict:
    return ask(indexed_store, QUESTION, stance="lexical")


def test_brief_holds_exactly_the_expected_positions(brief):
    assert brief["proposition"] == "Iceland will join the European Union"
    assert summary(brief) == EXPECTED


def test_off_topic_article_contributes_nothing(brief):
    assert all("cup" not in it["article"]["title"] for it in brief["items"])
    assert all(it["speaker"] is None or "Anna" not in it["speaker"]["name"] for it in brief["items"])


def test_same_claim_in_two_articles_shares_a_group(brief):
    helga = [it for it in brief["items"] if (it["speaker"] or {}).get("actor_name") == "Helga Arnadottir"]
    assert len({it["article"]["id"] for it in helga}) == 2
    assert "within five years" in helga[0]["text"] and "member of the EU" in helga[1]["text"]
    assert helga[0]["group"] == helga[1]["group"]
    assert helga[0]["speaker"]["actor"] == helga[1]["speaker"]["actor"]


def test_changed_position_is_shown_with_dates(brief):
    karlsson = next(a for a in brief["actors"] if a["name"] == "Bjorn Karlsson")
    assert karlsson["changed"] is True
    assert [(p["stance"], p["published"]) for p in karlsson["positions"]] == [("against", "2024-01-10"),
                                                                            ("for", "2024-06-15")]
    assert not next(a for a in brief["actors"] if a["name"] == "Helga Arnadottir")["changed"]


def test_offsets_index_the_stored_text_and_items_carry_evidence(brief, indexed_store):
    conn = sqlite3.connect(indexed_store)
    for it in brief["items"]:
        text = conn.execute("SELECT text FROM articles WHERE id = ?", (it["article"]["id"],)).fetchone()[0]
        assert text[it["start"]:it["end"]] == it["text"]
        assert it["evidence"]["by"] == "stance:lexical" and "cosine" in it["evidence"]["why"]
        assert 0 < it["confidence"] <= 1
    conn.close()
    sources = {it["article"]["source"] for it in brief["items"]}
    assert sources == {"reykjavik-herald.example", "nordic-wire.example", "island-post.example"}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "presslens", *args], capture_output=True, text=True,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})


def test_json_output_fits_the_schema_and_matches(indexed_store):
    run = cli("ask", "--db", str(indexed_store), QUESTION, "--format", "json", "--stance", "lexical")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert summary(data) == EXPECTED


def test_terminal_brief_reads_like_a_brief(indexed_store):
    run = cli("ask", "--db", str(indexed_store), QUESTION, "--stance", "lexical")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert out.index("FOR") < out.index("AGAINST") < out.index("DISCUSSING")
    assert "author: “For all the speeches in parliament, Iceland will not join" in out
    assert "Bjorn Karlsson: against (2024-01-10) → for (2024-06-15)" in out
    assert "Valur" not in out and "cup" not in out


def test_question_that_the_store_cannot_answer_says_so(indexed_store):
    brief = ask(indexed_store, "Will the central bank cut interest rates?", stance="lexical")
    assert brief["items"] == [] and brief["actors"] == []


def test_bad_input_gets_coded_errors(tmp_path, indexed_store):
    missing = cli("ask", "--db", str(tmp_path / "nope.db"), QUESTION)
    assert missing.returncode == 2 and "PL-N02" in missing.stderr and "Traceback" not in missing.stderr
    empty = cli("ask", "--db", str(indexed_store), "  ? ")
    assert empty.returncode == 2 and "PL-N20" in empty.stderr
    bad_format = cli("ask", "--db", str(indexed_store), QUESTION, "--format", "xml")
    assert bad_format.returncode == 2 and "PL-N22" in bad_format.stderr
