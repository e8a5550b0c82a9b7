"""Stance in the terminal report and the JSON: the actors the article is about and every non-neutral judgement
are shown, the other neutral ones fold into one line; the stored analysis keeps every judgement."""
from __future__ import annotations

import json

from presslens.document import Document, Label
from presslens.report.stance import central_actors, stance_summary
from presslens.report.text import render_text
from report.stance_sample import PASSING, crowded_document


def test_the_actors_it_is_about_are_the_prominent_ones():
    doc = crowded_document()
    # Halden: 3 body mentions, a role and the title; the Union: 2 body mentions and the title. A caption mention
    # (the photo line names Halden) does not count; a single passing mention never makes an actor central.
    assert list(central_actors(doc)) == ["e1", "e2"]
    summary = stance_summary(doc)
    assert [(r.name, r.label.label, r.central) for r in summary.rows] == [
        ("Mira Halden", "neutral", True), ("Coastal Union", "unfavourable", True), ("Port Serin", "unfavourable", False)]
    assert sorted(summary.folded) == sorted(PASSING)
    assert summary.folded_line() == "neutral toward 12 others"


def test_terminal_report_folds_the_neutral_passers_by():
    out = render_text([crowded_document()], width=120)
    assert "neutral toward Mira Halden" in out
    assert "unfavourable toward Coastal Union" in out and "unfavourable toward Port Serin" in out
    assert "neutral toward 12 others" in out
    assert not any(name in out.split("What it is")[1].split("Who is who")[0] for name in PASSING)


def test_json_keeps_every_judgement():
    doc = crowded_document()
    back = Document.from_dict(json.loads(doc.to_json()))
    assert len(back.get("stance")) == 15
    assert sum(1 for lab in back.get("stance") if lab.label == "neutral") == 13


def test_one_folded_actor_is_singular_and_no_stance_layer_shows_nothing():
    doc = Document(text="Nothing here.\n", meta={"id": "x"})
    doc.add("stance", Label("neutral", 1.0, target="e9"))
    assert stance_summary(doc).folded_line() == "neutral toward 1 other"
    assert "stance" not in render_text([Document(text="Plain.\n", meta={"id": "y"})])
