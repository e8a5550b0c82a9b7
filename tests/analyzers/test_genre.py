"""genre analyzer: texts written for these tests (op-ed, wire report, satire), the dev-set floors, and the seed article."""
from __future__ import annotations

import json

import pytest

from presslens.evaluate import floors
from presslens.analyzers import genre

from .judgement_helpers import make


OPED = """Why We Must Stop Pretending the Bypass Will Save Us

I have lived beside the ring road for twenty years, and I have to say that this council's new bypass plan is the most wasteful idea I have seen.

Do we really believe another lane will end the traffic jams? Of course not. Every study tells us the opposite, and frankly the councillors know it.

We should spend the money on buses and safe cycle lanes instead. You deserve a town you can cross without a car.
"""

WIRE = """Council Approves Bypass After Two-Year Review

The county council voted 9-4 on Wednesday to approve a $62 million bypass around the town centre, officials said.

Construction will begin in March and is expected to take three years, according to a council statement. The road will carry about 18,000 vehicles a day.

"This will take heavy trucks out of our high street," said council leader Mark Osborne. Cycling groups said the money should have gone to public transport.
"""

SATIRE = """Council Solves Traffic By Declaring All Roads One Enormous Car Park

Area council leader Mark Osborne announced Wednesday that traffic jams had been eliminated after officials reclassified every road in the county as parking.

"This is the single greatest achievement in the history of transport," said Osborne, visibly exhausted, from inside a stationary bus. "Nobody is stuck anymore. They are simply parked."

Sources confirmed that local man Dave Pratt, 44, has now been parked on the ring road since March. At press time, the council was reportedly exploring a plan to reclassify rain as a water feature.
"""

TABLE = [(OPED, {}, "opinion"), (WIRE, {}, "reporting"), (SATIRE, {}, "satire"),
         (WIRE, {"source": "https://www.theonion.com/council-approves-bypass"}, "satire")]


@pytest.mark.parametrize("text,meta,expected", TABLE)
def test_genre_table(nlp, text, meta, expected):
    doc, article = make(nlp, text, **meta)
    [label] = genre.analyze(doc, article, genre.Config())["genre"]
    assert label.label == expected, label.evidence.why
    assert set(label.scores) == {"opinion", "reporting", "satire"}
    assert abs(sum(label.scores.values()) - 1) < 0.01 and label.score == label.scores[expected]
    assert label.evidence.by == "genre.cue_weights" and label.evidence.why.startswith(expected)
    assert 0 < label.confidence <= 1
    for span in label.spans:  # evidence spans are whole sentences of the text
        assert text[span.start:span.end] == span.text


def test_opinion_spans_show_the_voice(nlp):
    doc, article = make(nlp, OPED)
    [label] = genre.analyze(doc, article, genre.Config())["genre"]
    shown = " ".join(s.text for s in label.spans)
    assert "I have to say" in shown or "Do we really believe" in shown


def test_first_person_inside_quotes_is_not_the_authors_voice(nlp):
    text = ('The minister spoke on Tuesday. "I think we should cut taxes and I will," she said. '
            '"Do you believe me?" she asked reporters, according to a statement.')
    doc, article = make(nlp, text)
    [label] = genre.analyze(doc, article, genre.Config())["genre"]
    assert label.label == "reporting", label.evidence.why


def test_empty_body_gives_no_label(nlp):
    doc, article = make(nlp, "   ")
    assert genre.analyze(doc, article, genre.Config())["genre"] == []


def test_floors_on_dev_set():
    from presslens.evaluate.genre import evaluate

    result = evaluate()
    assert not floors.shortfalls("genre", "dev", result)


@pytest.mark.shared
def test_seed_article_is_opinion(seed_article):
    import presslens

    article = presslens.load(analyzers=["blocks", "entities", "quotes", "genre"]).analyze(seed_article)
    [label] = article.get("genre")
    assert label.label == "opinion", label.evidence.why
    assert "rhetorical questions" in label.evidence.why
    assert any(s.text.rstrip().endswith("?") or "I " in s.text for s in label.spans)


def test_cli_evaluate_reports_splits_and_errors(tmp_path, capsys):
    from presslens.cli import main

    main(["evaluate", "genre", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert {"tune", "report", "heldout", "heldout2", "all"} <= set(result) and result["all"]["n"] >= 40
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate", "genre", "--data", str(bad)])
    assert exit_info.value.code == 2 and "PL-G03" in capsys.readouterr().err
