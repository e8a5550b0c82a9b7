"""The TF-IDF half of the claims analyzer's check-worthiness score (presslens/models/encoder, claim-tfidf.*).

A logistic regression over two TF-IDF vectors of a sentence, word 1–2-grams and character 2–5-grams inside word
boundaries, each L2-normalised on its own (sublinear tf, lower-cased), as scikit-learn's ``TfidfVectorizer``
computes them in training (training/shipped/train_claim_blend.py). Computed here in plain Python + numpy, so
run time needs no scikit-learn; tests/runtime/test_claim_tfidf.py checks both agree. Each sentence is read
on its own: its score never depends on what else is scored with it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np

from .tfidf import CHAR_NGRAMS, WORD, WORD_NGRAMS, TfidfPart, char_terms, word_terms

__all__ = ["CHAR_NGRAMS", "WORD", "WORD_NGRAMS", "ClaimTfidf", "char_terms", "word_terms"]


class ClaimTfidf:
    """Logit of check-worthiness from the TF-IDF model stored in ``folder`` (vocabularies + arrays, no pickle)."""

    def __init__(self, folder: Path, stem: str = "claim-tfidf"):
        vocab = json.loads((folder / f"{stem}-vocab.json").read_text(encoding="utf-8"))
        with np.load(folder / f"{stem}.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        self.parts = [(TfidfPart(vocab[name], arrays[f"{name}_idf"], name), arrays[f"{name}_coef"].astype(np.float64))
                      for name in ("word", "char")]
        self.intercept = float(arrays["intercept"][0])

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self.logit(t) for t in texts], dtype=np.float64)

    def logit(self, text: str) -> float:
        z = self.intercept
        for part, coef in self.parts:
            cols, values = part.vector(text)
            if len(cols):
                z += float(values @ coef[cols])
        return z
