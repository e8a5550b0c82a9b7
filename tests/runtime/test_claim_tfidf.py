"""The run-time TF-IDF of the claim score computes what scikit-learn computed in training, sentence by sentence."""
from __future__ import annotations

import numpy as np
import pytest

from presslens.runtime.claim_tfidf import CHAR_NGRAMS, WORD, WORD_NGRAMS, ClaimTfidf, char_terms, word_terms

# Sentences written for this test: short words, runs of spaces, digits, money and percent signs, accents, a tab.
TEXTS = ["The city spent $14 million on 3 bridges, up 20% since 2019.",
         "I  think   we   should go.",
         "A b c d e f — ok?",
         "Unemployment fell to 4.1 percent in Zürich\tlast year, the office said.",
         "We will win. We will win again!",
         "Nobody ever saw the money; it went to other programmes.",
         "x",
         "Premiums rose by double digits in 12 states, the report found."]
LABELS = [1, 0, 0, 1, 0, 1, 0, 1]


def test_terms_are_the_ones_scikit_learn_makes():
    sk = pytest.importorskip("sklearn.feature_extraction.text")
    word = sk.TfidfVectorizer(ngram_range=WORD_NGRAMS, token_pattern=WORD.pattern).build_analyzer()
    char = sk.TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS).build_analyzer()
    for text in TEXTS:
        assert word_terms(text) == word(text)
        assert char_terms(text) == char(text)


def test_logits_match_scikit_learn_and_do_not_depend_on_the_batch(tmp_path):
    sk = pytest.importorskip("sklearn.feature_extraction.text")
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from training.shipped.train_claim_blend import save_tfidf

    vecs = {"word": sk.TfidfVectorizer(ngram_range=WORD_NGRAMS, sublinear_tf=True, token_pattern=WORD.pattern),
            "char": sk.TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True)}
    X = sparse.hstack([v.fit_transform(TEXTS) for v in vecs.values()]).tocsr()
    clf = LogisticRegression(C=10.0).fit(X, LABELS)
    save_tfidf(vecs, clf, tmp_path)
    model = ClaimTfidf(tmp_path)
    unseen = ["The bridge cost 14 million, twice the plan.", "Thank you all.", "ǂǂǂ ǂǂǂ"]
    texts = TEXTS + unseen
    reference = sparse.hstack([v.transform(texts) for v in vecs.values()]).tocsr() @ clf.coef_[0] + clf.intercept_[0]
    got = model.logits(texts)
    assert np.abs(got - reference).max() < 1e-5
    # a text with no known term scores the intercept alone
    assert abs(got[-1] - clf.intercept_[0]) < 1e-6
    # one sentence alone reads the same as inside a batch
    assert abs(model.logits([unseen[0]])[0] - got[len(TEXTS)]) <= 1e-9
    # and the model learnt something a reader would notice: the written claims outscore the rest
    assert got[:len(TEXTS)][np.array(LABELS) == 1].min() > got[:len(TEXTS)][np.array(LABELS) == 0].max()
