"""The TF-IDF half of the claims analyzer's check-worthiness score (presslens/models/encoder, claim-tfidf.*).

A logistic regression over two TF-IDF vectors of a sentence, word 1–2-grams and character 2–5-grams inside word
boundaries, each L2-normalised on its own (sublinear tf, lower-cased), as scikit-learn's ``TfidfVectorizer``
computes them in training (training/shipped/train_claim_blend.py). Computed here in plain Python + numpy, so
run time needs no scikit-learn; tests/runtime/test_claim_tfidf.py checks both agree. Each sentence is read
on its own: its score never depends on what else is scored with it.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np

WORD = re.compile(r"(?u)\b\w+\b|[%$]")
SPACES = re.compile(r"\s\s+")
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)


def word_terms(text: str, ngrams: tuple[int, int] = WORD_NGRAMS) -> list[str]:
    """Word n-grams as scikit-learn's word analyzer makes them (lower case, this token pattern)."""
    tokens = WORD.findall(text.lower())
    lo, hi = ngrams
    out = list(tokens) if lo == 1 else []
    for n in range(max(lo, 2), hi + 1):
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out


def char_words(text: str) -> list[str]:
    """The words ``char_wb`` reads n-grams from (lower case, split at white space)."""
    return SPACES.sub(" ", text.lower()).split()


def word_char_terms(word: str, ngrams: tuple[int, int] = CHAR_NGRAMS) -> list[str]:
    """Character n-grams of one space-padded word, as scikit-learn's ``char_wb`` analyzer makes them."""
    out: list[str] = []
    lo, hi = ngrams
    w = f" {word} "
    for n in range(lo, hi + 1):
        out.extend(w[i:i + n] for i in range(max(1, len(w) - n + 1)))
        if len(w) <= n:  # a word no longer than n counts once, whole, and no longer n-grams follow
            break
    return out


def char_terms(text: str, ngrams: tuple[int, int] = CHAR_NGRAMS) -> list[str]:
    """Character n-grams of each space-padded word of ``text``, in order."""
    return [t for word in char_words(text) for t in word_char_terms(word, ngrams)]


class ClaimTfidf:
    """Logit of check-worthiness from the TF-IDF model stored in ``folder`` (vocabularies + arrays, no pickle)."""

    def __init__(self, folder: Path, stem: str = "claim-tfidf"):
        vocab = json.loads((folder / f"{stem}-vocab.json").read_text(encoding="utf-8"))
        with np.load(folder / f"{stem}.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        self.parts = []
        for name in ("word", "char"):
            index = {term: i for i, term in enumerate(vocab[name])}
            self.parts.append((index, arrays[f"{name}_idf"].astype(np.float64), arrays[f"{name}_coef"].astype(np.float64)))
        self.intercept = float(arrays["intercept"][0])
        # a word's character n-grams, as vocabulary columns: char_wb reads words one by one, and words repeat
        self._word_columns: dict[str, list[int]] = {}

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self.logit(t) for t in texts], dtype=np.float64)

    def logit(self, text: str) -> float:
        z = self.intercept
        word_index = self.parts[0][0]
        counts_of = (Counter(word_index[t] for t in word_terms(text) if t in word_index), Counter())
        for word in char_words(text):
            counts_of[1].update(self._columns(word))
        for (_, idf, coef), counts in zip(self.parts, counts_of):
            if not counts:
                continue
            cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[cols]
            z += float(weights @ coef[cols]) / float(np.sqrt(weights @ weights))
        return z

    def _columns(self, word: str) -> list[int]:
        columns = self._word_columns.get(word)
        if columns is None:
            if len(self._word_columns) >= 200_000:  # bounded: a long-running worker reads many words
                self._word_columns.clear()
            index = self.parts[1][0]
            columns = [index[t] for t in word_char_terms(word) if t in index]
            self._word_columns[word] = columns
        return columns
