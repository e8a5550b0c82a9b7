"""stance analyzer: the author's own voice toward each actor (quotes excluded), on texts written for these tests."""
from __future__ import annotations


import pytest

from presslens.evaluate import floors
from presslens.analyzers import stance

from .judgement_helpers import make, stance_of


TABLE = [
    # the author praises Rivera; a quoted critic attacks her: quotes are excluded -> favourable
    ("Governor Elena Rivera has been admirable and remarkably honest throughout the crisis. "
     "\"Rivera is a disgraceful, incompetent liar,\" said one rival.", "Rivera", "favourable"),
    # the author attacks Hale; a quote praises him -> unfavourable
    ("Senator Tom Hale was reckless and shamefully dishonest about the budget. "
     "\"Hale is a brilliant, honest leader,\" his spokesman said.", "Hale", "unfavourable"),
    # a plain report: evaluation only inside the quote -> neutral
    ("Mayor Dana Whitfield opened the new library on Monday. \"This is a wonderful, inspiring day,\" "
     "Whitfield said.", "Whitfield", "neutral"),
    # negation flips: "not honest"
    ("Frankly, Minister Paul Grady was not honest with voters, and his plan was not effective.", "Grady",
     "unfavourable"),
]


@pytest.mark.parametrize("text,name,expected", TABLE)
def test_stance_table(nlp, text, name, expected):
    doc, article = make(nlp, text)
    result = stance.analyze(doc, article, stance.Config())
    label = stance_of(article, result, name)
    assert label.label == expected, label.evidence.why
    assert set(label.scores) == {"favourable", "unfavourable", "neutral"} and label.score == label.scores[expected]
    assert label.evidence.by.startswith("stance.") and name in label.evidence.why
    assert label.target == article.entity(label.target).id
    for span in label.spans:
        assert text[span.start:span.end] == span.text


def test_spans_are_the_authors_sentences(nlp):
    text, name, _ = TABLE[0]
    doc, article = make(nlp, text)
    label = stance_of(article, stance.analyze(doc, article, stance.Config()), name)
    assert label.spans and all("disgraceful" not in s.text for s in label.spans)
    assert "admirable" in label.spans[0].text


def test_evaluation_of_someone_else_counts_less(nlp):
    text = ("Ms Clara Moss, who chairs the committee, met Mr Victor Lang on Friday to discuss the report; "
            "Lang was arrogant, evasive and dishonest throughout.")
    doc, article = make(nlp, text)
    result = stance.analyze(doc, article, stance.Config())
    assert stance_of(article, result, "Lang").label == "unfavourable"
    assert stance_of(article, result, "Moss").label != "unfavourable"


def test_no_entities_no_labels(nlp):
    doc, article = make(nlp, "the weather was fine and everyone was happy.")
    assert stance.analyze(doc, article, stance.Config())["stance"] == []


def test_floors_on_dev_set():
    from presslens.evaluate.stance import evaluate

    result = evaluate()
    assert not floors.shortfalls("stance", "dev", result)


@pytest.mark.shared
def test_seed_article_stance_runs_on_authors_voice(seed_article):
    import presslens

    article = presslens.load(analyzers=["blocks", "entities", "quotes", "genre", "stance"]).analyze(seed_article)
    labels = article.get("stance")
    assert labels and all(l.label in {"favourable", "unfavourable", "neutral"} for l in labels)
    assert {article.entity(l.target).type for l in labels} <= {"PERSON", "ORG", "GPE", "NORP"}


def test_stance_reads_the_genre_layer_with_the_users_genre_settings():
    # The same piece from a satirical outlet: by default genre says satire (the outlet bonus) and stance reads the
    # author's words as irony about the piece's protagonist; with the bonus set to 0 in [genre], both change.
    from presslens.config import load_config
    from presslens.pipeline import Pipeline

    text = ("Mayor Dana Whitfield Unveils Plan\n\n"
            "Mayor Dana Whitfield announced a plan on Monday to repaint every bridge in the city. "
            "Whitfield said the work would take two years. Council members will vote on the plan next week.")
    assert "genre" in stance.REQUIRES

    def read(bonus=None):
        overrides = {"genre": {"satire_outlet_bonus": bonus}} if bonus is not None else None
        pipe = Pipeline(analyzers=["blocks", "entities", "quotes", "genre", "stance"],
                                  config=load_config(overrides=overrides))
        doc = pipe.analyze(text, source="The Onion")
        return doc.get("genre")[0].label, {label.evidence.by for label in doc.get("stance")}

    genre_label, rules = read()
    assert genre_label == "satire" and "stance.satire_target" in rules
    genre_label, rules = read(bonus=0.0)
    assert genre_label != "satire" and "stance.satire_target" not in rules
