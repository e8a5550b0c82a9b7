"""The span-text reading of a technique span's label (presslens/models/technique-labels).

A multinomial logistic regression over the span's own words: word 1–2-grams and character 2–5-grams (TF-IDF, as
presslens/runtime/tfidf.py builds them) and a few surface cues of the span in its article (does it repeat
elsewhere in the article, its length, "?" or "!", quotation marks, words the article keeps using). The techniques
analyzer multiplies the models' label probabilities by these to the power ``alpha`` (a log-linear blend, the
weight chosen on PTC val and the opinion set together: training/shipped/train_technique_labels.py). A span's
reading depends on its article's text, never on the other spans read with it.
"""
from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np

from .tfidf import TfidfPart

MODEL_NAME = "technique-labels"
WORDS = re.compile(r"\w+")
QUOTES = ('"', "“", "”", "«", "»")
# the cues, in the column order of the stored scaling (the training script reads this tuple too)
CUES = ("log_repeats", "repeats", "log_chars", "log_words", "question", "exclamation", "capital_start", "quoted",
        "article_words", "short")


class ArticleView:
    """What every span of one article is read against: its lower-cased text and word counts (built once)."""

    def __init__(self, text: str):
        self.text = text
        self.lower = text.lower()
        self.word_counts = Counter(WORDS.findall(self.lower))


def span_cues(view: ArticleView, start: int, end: int) -> list[float]:
    """Surface cues of the span [start, end) of ``view``'s article, in ``CUES`` order."""
    span = view.text[start:end]
    low = span.lower().strip()
    repeats = view.lower.count(low) - 1 if low else 0
    words = WORDS.findall(low)
    long_words = [w for w in words if len(w) > 3]
    # a repeated phrase (Repetition) often repeats its words, not the exact span
    kept = sum(view.word_counts[w] > 2 for w in long_words) / len(long_words) if long_words else 0.0
    return [math.log1p(max(repeats, 0)), float(repeats > 0), math.log1p(len(span)), math.log1p(len(words)),
            float("?" in span), float("!" in span), float(span[:1].isupper()), float(any(q in span for q in QUOTES)),
            kept, float(len(words) <= 2)]


class SpanLabels:
    """Label probabilities of spans from their text; ``labels`` in the encoder's order."""

    def __init__(self, folder: Path):
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        with np.load(folder / "weights.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        if tuple(vocab["cues"]) != CUES:
            raise ValueError("the model was trained with other span cues than this code computes")
        self.labels: list[str] = list(vocab["labels"])
        self.parts = [TfidfPart(vocab[name], arrays[f"{name}_idf"], name) for name in ("word", "char")]
        self.coef = arrays["coef"].astype(np.float64)  # (features, labels): word columns, char columns, cues
        self.intercept = arrays["intercept"].astype(np.float64)
        self.cue_mean = arrays["cue_mean"].astype(np.float64)
        self.cue_scale = arrays["cue_scale"].astype(np.float64)
        self.alpha = float(arrays["alpha"][0])
        self.id = f"model:{MODEL_NAME}@{vocab.get('version', '0')}"

    def logits(self, view: ArticleView, start: int, end: int) -> np.ndarray:
        span = view.text[start:end]
        z = self.intercept.copy()
        offset = 0
        for part in self.parts:
            cols, values = part.vector(span)
            if len(cols):
                z += values @ self.coef[offset + cols]
            offset += len(part.index)
        cues = (np.asarray(span_cues(view, start, end)) - self.cue_mean) / self.cue_scale
        return z + cues @ self.coef[offset:offset + len(CUES)]

    def probs(self, view: ArticleView, start: int, end: int) -> np.ndarray:
        z = self.logits(view, start, end)
        e = np.exp(z - z.max())
        return e / e.sum()

    def blend(self, model_probs: np.ndarray, view: ArticleView, start: int, end: int) -> np.ndarray:
        """The models' label probabilities times this reading to the power ``alpha``, renormalised."""
        q = np.log(np.clip(model_probs, 1e-9, 1.0)) + self.alpha * np.log(np.clip(self.probs(view, start, end), 1e-6, 1.0))
        e = np.exp(q - q.max())
        return e / e.sum()


@functools.lru_cache(maxsize=2)
def load(name: str = MODEL_NAME) -> SpanLabels:
    from ..artifacts import artifact
    from ..errors import ModelError

    folder = artifact(name)
    try:
        return SpanLabels(folder)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError("K28", f"technique-label model {name!r} cannot be loaded: {exc}",
                         "reinstall presslens, or set [techniques] labels = \"\" to label spans without it") from exc
