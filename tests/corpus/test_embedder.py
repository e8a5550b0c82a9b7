"""The corpus sentence encoder: what it costs is cut without changing what it says (texts written for this test)."""
from __future__ import annotations

import numpy as np

from presslens.corpus import index as index_module
from presslens.corpus.embedder import load

SAID = ["The minister said the bridge will reopen in May.",
        "According to the minister, the bridge reopens in May.",
        "Fishermen protested against the new quota in the harbour.",
        "The central bank raised interest rates by half a point."]


def test_paraphrases_are_close_and_unrelated_texts_are_not():
    vectors = load().encode(SAID)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    sims = vectors @ vectors.T
    assert sims[0, 1] > 0.75
    assert sims[0, 2] < 0.3 and sims[0, 3] < 0.3


def test_a_repeated_text_gets_the_vector_it_gets_alone():
    encoder = load()
    alone = encoder.encode(SAID)
    repeated = encoder.encode([SAID[2], SAID[0], SAID[2], SAID[1], SAID[3], SAID[0]])
    assert np.allclose(repeated, alone[[2, 0, 2, 1, 3, 0]], atol=1e-6)
    assert encoder.encode([]).shape == (0, encoder.dims)


class CountingEncoder:
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self):
        self.encoder, self.texts = load(), []

    def encode(self, texts):
        self.texts.extend(texts)
        return self.encoder.encode(texts)


def test_index_encodes_a_text_met_in_an_earlier_batch_once(monkeypatch):
    counting, recent = CountingEncoder(), {}
    first = index_module.vectors_of(SAID[:2], counting, recent)
    second = index_module.vectors_of([SAID[1], SAID[2], SAID[1]], counting, recent)
    assert counting.texts == [SAID[0], SAID[1], SAID[2]]
    assert first.dtype == np.int8 and np.array_equal(second[0], first[1]) and np.array_equal(second[2], first[1])
    monkeypatch.setattr(index_module, "RECENT_TEXTS", 2)
    index_module.vectors_of([SAID[3]], counting, recent)
    assert list(recent) == [SAID[2], SAID[3]]  # the oldest are forgotten first
