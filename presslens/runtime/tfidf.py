"""TF-IDF terms as scikit-learn's ``TfidfVectorizer`` makes them, in plain Python, shared by the models that read
text through a TF-IDF logistic regression (claim-tfidf in presslens/models/encoder, presslens/models/technique-labels).

Word 1–2-grams (lower case, the token pattern ``WORD``) and character 2–5-grams inside word boundaries (``char_wb``).
Training fits scikit-learn with these settings; run time rebuilds the same vectors here, without scikit-learn
(tests/runtime/test_claim_tfidf.py and tests/runtime/test_span_labels.py check both agree).
"""
from __future__ import annotations

import re
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


class TfidfPart:
    """One vectorizer's vocabulary and idf: the L2-normalised sublinear TF-IDF vector of a text, as (columns, values)."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray, kind: str):
        self.index = {term: i for i, term in enumerate(terms)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.kind = kind  # "word" or "char"
        self._word_columns: dict[str, np.ndarray] = {}  # char_wb reads words one by one, and words repeat

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        if self.kind == "word":
            found = [self.index[t] for t in word_terms(text) if t in self.index]
            terms = np.asarray(found, dtype=np.int64)
        else:
            pieces = [self._columns(word) for word in char_words(text)]
            terms = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
        if not len(terms):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        cols, counts = np.unique(terms, return_counts=True)  # sorted columns: the sum order is the same every time
        weights = (1.0 + np.log(counts)) * self.idf[cols]
        return cols, weights / float(np.sqrt(weights @ weights))

    def _columns(self, word: str) -> np.ndarray:
        columns = self._word_columns.get(word)
        if columns is None:
            if len(self._word_columns) >= 200_000:  # bounded: a long-running worker reads many words
                self._word_columns.clear()
            columns = np.asarray([self.index[t] for t in word_char_terms(word) if t in self.index], dtype=np.int64)
            self._word_columns[word] = columns
        return columns
