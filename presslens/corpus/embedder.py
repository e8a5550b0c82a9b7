"""Sentence vectors for what was said: all-MiniLM-L6-v2 (sentence-transformers), int8 ONNX, run with onnxruntime.

Shipped in presslens/models/sentence-encoder (built by training/shipped/export_sentence_encoder.py; card there). Only the
corpus items are embedded -- quotes, reported speech and claims, each cut to ``max_len`` word pieces -- in
batches of similar length, so padding costs little; a text given twice is run once.
"""
from __future__ import annotations

import functools
from typing import Sequence

import numpy as np

from ..errors import ModelError

MODEL_NAME = "sentence-encoder"
BATCH = 32


class SentenceEncoder:
    def __init__(self, threads: int = 1):
        from ..artifacts import artifact, manifest
        from ..runtime.onnx import open_model

        folder = artifact(MODEL_NAME)
        try:
            # opened without SkipLayerNormFusion (runtime/onnx.py): 22% of this model's CPU time with it, and the
            # vectors as close to the float model's without it (mean cosine 0.9928 either way; benchmarks/CORPUS.md)
            self.config, self.tok, self.session = open_model(folder, "model.onnx", threads)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError("N03", f"sentence encoder cannot be loaded: {exc}",
                             "reinstall presslens or rebuild it with training/shipped/export_sentence_encoder.py") from exc
        self.max_len = int(self.config["max_len"])
        self.dims = int(self.config["dims"])
        self.tok.no_padding()
        self.tok.enable_truncation(self.max_len)
        self.id = f"model:{manifest(MODEL_NAME)['name']}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors (float32, one row per text); identical texts are encoded once."""
        distinct = list(dict.fromkeys(texts))
        if len(distinct) < len(texts):
            rows = {text: i for i, text in enumerate(distinct)}
            return self.encode(distinct)[[rows[t] for t in texts]]
        out = np.zeros((len(texts), self.dims), np.float32)
        if not texts:
            return out
        encs = self.tok.encode_batch(list(texts))
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
        for b in range(0, len(order), BATCH):
            rows = order[b:b + BATCH]
            length = max(len(encs[i].ids) for i in rows)
            ids = np.zeros((len(rows), length), np.int64)
            mask = np.zeros_like(ids)
            for r, i in enumerate(rows):
                n = len(encs[i].ids)
                ids[r, :n] = encs[i].ids
                mask[r, :n] = 1
            out[rows] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out


@functools.lru_cache(maxsize=2)
def load(threads: int = 1) -> SentenceEncoder:
    return SentenceEncoder(threads)
