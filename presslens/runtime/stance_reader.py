"""Stance of a text toward a claim: agree | disagree | discuss | unrelated.

API (what other commands call)::

    from presslens.runtime.stance_reader import load_stance_reader
    reader = load_stance_reader()                  # cached; checks presslens/models/stance-reader against its sha256
    label, confidence = reader.predict(claim, text)
    results = reader.predict_many([(claim, text), ...])   # list of (label, confidence), in input order

``label`` is one of ``LABELS``; ``confidence`` is the model's probability of that label (0-1). A text shared by
several claims is read once per ``predict_many`` call.

How it reads (the model card in presslens/models/stance-reader has data, command, seed and scores): the whole text is
split into sentences and every sentence is scored against the claim (TF-IDF cosine and word overlap). Stage 1, a
gradient-boosted tree ensemble over relatedness features, says related or unrelated. Stage 2, for related pairs: a
logistic regression over bags of words (claim, the three most claim-relevant sentences, the whole text) and cue
features (refutation / hedging / support / negation counts in those sentences, in the claim, their products), whose
probabilities, with the same cue features, feed a second tree ensemble; the two are blended. Everything is numpy
arrays (``weights.npz``) and a JSON vocabulary: no pickle, no sklearn or torch at run time.
"""
from __future__ import annotations

import functools
import json
from typing import Iterable, Sequence

import numpy as np
from scipy import sparse

from ..errors import InputError, ModelError
from . import stance_features as F

MODEL_NAME = "stance-reader"
LABELS = ("agree", "disagree", "discuss", "unrelated")
RELATED = LABELS[:3]


class TreeEnsemble:
    """Gradient-boosted trees exported from sklearn's HistGradientBoostingClassifier as flat node arrays.

    ``roots[i, k]`` is the root node of iteration i's tree for output k; a sample goes left when
    ``x[feature] <= threshold`` (NaN follows ``missing_left``). Raw scores start at ``baseline``.
    """

    def __init__(self, arrays: dict[str, np.ndarray], prefix: str):
        get = lambda key: arrays[f"{prefix}_{key}"]
        self.feature, self.threshold = get("feature"), get("threshold")
        self.left, self.right, self.leaf = get("left"), get("right"), get("leaf").astype(bool)
        self.value, self.missing_left = get("value"), get("missing_left").astype(bool)
        self.roots, self.baseline = get("roots"), get("baseline")

    def raw(self, x: np.ndarray) -> np.ndarray:
        n, outputs = len(x), self.roots.shape[1]
        out = np.tile(self.baseline.astype(np.float64), (n, 1))
        rows = np.arange(n)
        for k in range(outputs):
            for root in self.roots[:, k]:
                node = np.full(n, root, dtype=np.int64)
                active = ~self.leaf[node]
                while active.any():
                    cur = node[active]
                    v = x[rows[active], self.feature[cur]]
                    go_left = (v <= self.threshold[cur]) | (np.isnan(v) & self.missing_left[cur])
                    node[active] = np.where(go_left, self.left[cur], self.right[cur])
                    active = ~self.leaf[node]
                out[:, k] += self.value[node]
        return out

    def proba(self, x: np.ndarray) -> np.ndarray:
        raw = self.raw(x)
        if raw.shape[1] == 1:  # binary: one output, the log-odds of class 1
            p1 = 1.0 / (1.0 + np.exp(-raw[:, 0]))
            return np.column_stack([1.0 - p1, p1])
        raw -= raw.max(axis=1, keepdims=True)
        e = np.exp(raw)
        return e / e.sum(axis=1, keepdims=True)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class StanceReader:
    def __init__(self, name: str = MODEL_NAME):
        from ..artifacts import artifact, manifest

        folder = artifact(name)
        self.manifest = manifest(name)
        if self.manifest.get("kind") != "stance-trees-lr":
            raise ModelError("P01", f"model {name!r} has unknown kind {self.manifest.get('kind')!r}",
                             "rebuild it with `python -m training.shipped.train_stance_reader --out presslens/models/stance-reader`")
        self.id = f"model:{self.manifest['name']}@{self.manifest['sha256']['weights.npz'][:12]}"
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        with np.load(folder / "weights.npz") as arrays:
            w = {key: arrays[key] for key in arrays.files}
        self.tfidf = F.Tfidf(vocab, w["idf"])
        self.scale = w["dense_scale"].astype(np.float32)
        self.coef, self.intercept = w["lr_coef"].astype(np.float32), w["lr_intercept"].astype(np.float32)
        self.related = TreeEnsemble(w, "rel")
        self.stance = TreeEnsemble(w, "st")
        rule = self.manifest["decision"]
        self.cut, self.mix = float(rule["related_cut"]), float(rule["tree_mix"])
        self.weights = np.asarray(rule["class_weights"], dtype=np.float64)

    def predict(self, claim: str, text: str) -> tuple[str, float]:
        return self.predict_many([(claim, text)])[0]

    def predict_many(self, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, float]]:
        pairs = list(pairs)
        if not pairs:
            return []
        for i, (claim, text) in enumerate(pairs):
            if not isinstance(claim, str) or not isinstance(text, str) or not claim.strip() or not text.strip():
                raise InputError("P02", f"pair {i + 1}: the claim and the text must both be non-empty strings",
                                 "give each pair as (claim, text)")
        dense, bags = self.inputs(pairs)
        p_related = self.related.proba(dense)[:, 1]
        p_lr = softmax(np.asarray(bags @ self.coef.T) + self.intercept)
        p_tree = self.stance.proba(np.hstack([dense, np.log(p_lr + 1e-4)]))
        p_stance = (1 - self.mix) * p_lr + self.mix * p_tree
        out = []
        for pr, ps in zip(p_related, p_stance):
            if pr < self.cut:
                out.append(("unrelated", float(1.0 - pr)))
            else:
                k = int(np.argmax(ps * self.weights))
                out.append((RELATED[k], float(pr * ps[k])))
        return out

    def inputs(self, pairs: Sequence[tuple[str, str]]) -> tuple[np.ndarray, sparse.csr_matrix]:
        """Dense features (one row per pair) and the stage-2 bag rows [dense scaled | claim | top | text]."""
        bodies: dict[str, F.Body] = {}
        claims = {c: v for c, v in zip(dict.fromkeys(c for c, _ in pairs),
                                       self.tfidf.transform(list(dict.fromkeys(c for c, _ in pairs))))}
        dense, tops, wholes = [], [], []
        for claim, text in pairs:
            body = bodies.get(text)
            if body is None:
                body = bodies[text] = F.read_body(text, self.tfidf)
            x, top = F.dense_features(claim, claims[claim], body)
            dense.append(x)
            tops.append(" ".join(body.sentences[i] for i in top))
            wholes.append(body.whole)
        dense = np.vstack(dense)
        bags = sparse.hstack([sparse.csr_matrix(dense / self.scale), sparse.vstack([claims[c] for c, _ in pairs]),
                              self.tfidf.transform(tops), sparse.vstack(wholes)]).tocsr()
        return dense, bags


@functools.lru_cache(maxsize=2)
def load_stance_reader(name: str = MODEL_NAME) -> StanceReader:
    """The shipped stance reader, loaded once per process."""
    return StanceReader(name)
