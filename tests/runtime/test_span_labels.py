"""The span-text label model: run time computes what scikit-learn computed in training, and the shipped model reads
the surface of a span the way a reader would (a phrase the article repeats, a question)."""
from __future__ import annotations

import numpy as np
import pytest

from presslens.runtime.span_labels import CUES, ArticleView, SpanLabels, load, span_cues

# An article written for this test: a slogan repeated three times, a question, a quotation.
ARTICLE = ("Stop the closure now. The council wants to close the library, but we say: stop the closure now. "
           "Parents agree. Teachers agree. Why should anyone trust a council that has broken every promise? "
           "One resident called the plan \"a betrayal\". Stop the closure now.")


def span_of(phrase: str, text: str = ARTICLE) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def test_cues_see_repeats_questions_and_quotes():
    view = ArticleView(ARTICLE)
    repeated = dict(zip(CUES, span_cues(view, *span_of("Stop the closure now"))))
    once = dict(zip(CUES, span_cues(view, *span_of("Parents agree"))))
    question = dict(zip(CUES, span_cues(view, *span_of("Why should anyone trust a council that has broken every promise?"))))
    quoted = dict(zip(CUES, span_cues(view, *span_of("\"a betrayal\""))))
    assert repeated["repeats"] == 1.0 and once["repeats"] == 0.0
    assert question["question"] == 1.0 and repeated["question"] == 0.0
    assert quoted["quoted"] == 1.0 and once["quoted"] == 0.0


def test_probabilities_match_scikit_learn(tmp_path):
    pytest.importorskip("sklearn")
    from scipy import sparse

    from training.shipped.train_technique_labels import fit, save

    spans = ["Stop the closure now", "broken every promise", "a betrayal", "Why should anyone trust a council",
             "Parents agree", "close the library", "Teachers agree", "stop the closure now"]
    labels = ["Repetition", "Loaded_Language", "Name_Calling,Labeling", "Doubt"]
    gold = ["Repetition", "Loaded_Language", "Name_Calling,Labeling", "Doubt"] * 2
    view = ArticleView(ARTICLE)
    offsets = [span_of(s) for s in spans]
    texts = [ARTICLE[s:e] for s, e in offsets]
    cues = np.array([span_cues(view, s, e) for s, e in offsets])
    vecs, clf, mean, scale = fit(texts + texts, np.vstack([cues, cues]), gold + gold, labels, C=5.0)
    save(tmp_path, vecs, clf, mean, scale, labels, 0.5)
    model = SpanLabels(tmp_path)
    X = sparse.hstack([v.transform(texts) for v in vecs.values()] + [sparse.csr_matrix((cues - mean) / scale)]).tocsr()
    reference = clf.predict_proba(X)
    got = np.stack([model.probs(view, s, e) for s, e in offsets])
    assert np.abs(got - reference).max() < 1e-5
    # the blend leans the models' reading toward the span's words, and stays a distribution
    flat = np.full(len(labels), 1 / len(labels))
    blended = model.blend(flat, view, *offsets[3])
    assert abs(blended.sum() - 1) < 1e-9 and labels[int(blended.argmax())] == "Doubt"


def test_shipped_model_reads_a_repeated_slogan_and_a_leading_question():
    model = load()
    view = ArticleView(ARTICLE)
    repeated = dict(zip(model.labels, model.probs(view, *span_of("Stop the closure now"))))
    said_once = dict(zip(model.labels, model.probs(view, *span_of("close the library"))))
    assert repeated["Repetition"] > 0.3 and said_once["Repetition"] < 0.1
    question = dict(zip(model.labels, model.probs(view, *span_of(
        "Why should anyone trust a council that has broken every promise?"))))
    assert max(question, key=question.get) == "Doubt"
    # a span's reading depends on its article only: read alone or among others, the same numbers
    alone = model.probs(ArticleView(ARTICLE), *span_of("a betrayal"))
    again = [model.probs(view, *span_of(p)) for p in ("Parents agree", "a betrayal")][1]
    assert np.array_equal(alone, again)
