"""The span reader: a technique label for one span, read in its own sentence with the span marked.

The shared encoder (presslens/runtime/encoder.py) reads each window once for everything and labels a span from the mean of
its states; the span reader reads every span's context again with [unused0] / [unused1] around the span, so each
layer knows which words are judged (the "span in context" input of the strongest SemEval-2020 TC systems). The
techniques analyzer blends both readings. Trained by training/shipped/train_span_reader.py; see
presslens/models/span-reader/MODEL_CARD.md. int8 ONNX with onnxruntime, no torch.
"""
from __future__ import annotations

import functools
import hashlib
import json
from typing import Any, Sequence

import numpy as np

from ..errors import ModelError

MODEL_NAME = "span-reader"


# [unused0] / [unused1] of the BERT vocabulary: free ids the span reader learned as "span starts" / "span ends".
SPAN_OPEN, SPAN_CLOSE = 1, 2


def span_context(segments: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The run of segments (sentences, or PTC lines) that holds the span [start, end): its reading context."""
    covering = [(s, e) for s, e in segments if s < end and e > start]
    if not covering:
        return start, end
    return min(covering[0][0], start), max(covering[-1][1], end)


def marked_inputs(text: str, spans: Sequence[tuple[int, int]], contexts: Sequence[tuple[int, int]], tok: Any,
                  max_len: int) -> list[dict]:
    """One input per span: its context's word pieces with SPAN_OPEN / SPAN_CLOSE around the span's pieces, cut to
    ``max_len`` (with [CLS] and [SEP]) keeping the span and as much context on each side as fits.

    ``span`` in each result is the (first, last + 1) position of the span's pieces in ``ids`` (no [CLS] counted).
    Shared with training/shipped/train_span_reader.py, so the model is trained on exactly these inputs."""
    budget = max_len - 4
    encs = tok.encode_batch([text[a:b] for a, b in contexts], add_special_tokens=False) if contexts else []
    out = []
    for (start, end), (a, _b), enc in zip(spans, contexts, encs):
        ids, offs = list(enc.ids), [(a + x, a + y) for x, y in enc.offsets]
        inside = [i for i, (x, y) in enumerate(offs) if x < end and y > start]
        if not inside:  # whitespace or a span the tokenizer drops: read the context with an empty span
            first = next((i for i, (x, _) in enumerate(offs) if x >= start), len(ids))
            inside_lo, inside_hi = first, first
        else:
            inside_lo, inside_hi = inside[0], inside[-1] + 1
        inside_hi = min(inside_hi, inside_lo + budget)
        room = budget - (inside_hi - inside_lo)
        left = min(inside_lo, room // 2)
        right = min(len(ids) - inside_hi, room - left)
        left = min(inside_lo, room - right)
        lo, hi = inside_lo - left, inside_hi + right
        seq = ids[lo:inside_lo] + [SPAN_OPEN] + ids[inside_lo:inside_hi] + [SPAN_CLOSE] + ids[inside_hi:hi]
        span_at = (inside_lo - lo + 1, inside_hi - lo + 1)
        out.append({"ids": seq, "span": span_at})
    return out


class SpanReader:
    """The shipped span reader: ``probs(text, spans, segments, features)`` -> (n spans, n labels)."""

    def __init__(self, name: str = MODEL_NAME, threads: int = 1):
        from ..artifacts import artifact, manifest
        from .onnx import open_model

        folder = artifact(name)
        try:
            self.config, self.tok, self.session = open_model(folder, "reader.onnx", threads)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError("K05", f"span reader model {name!r} cannot be loaded: {exc}",
                             "reinstall presslens, or set [techniques] reader = \"\" to label spans without it") from exc
        self.tok.no_truncation()
        self.tok.no_padding()
        self.labels: list[str] = self.config["labels"]  # the model's classes, with "none" when it was trained with it
        none = self.config.get("none_label")
        self.none = self.labels.index(none) if none in self.labels else None
        self.techniques = [label for i, label in enumerate(self.labels) if i != self.none]
        self.max_len = int(self.config["max_len"])
        self._blend: dict[str, float] = self.config.get("blend", {})  # per encoder depth, chosen on PTC val
        info = manifest(name)
        digest = hashlib.sha256(json.dumps(info["sha256"], sort_keys=True).encode()).hexdigest()
        self.id = f"model:{info.get('name', name)}@{digest[:12]}"

    def si_setting(self, depth: int) -> dict[str, float]:
        """SI decoding when this reader checks the spans found (config.json ``si``, per depth, chosen on PTC val):
        ``none_cut`` drops a span whose p(no technique) reaches it; ``threshold`` / ``extend`` (when present) replace
        the encoder's own, since a checked decoder can afford to propose more."""
        chosen = self.config.get("si", {}).get(str(depth), {})
        return {"none_cut": 1.0, **chosen} if self.none is not None else {"none_cut": 1.0}

    def split(self, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(technique probabilities renormalised without "none", p(none)) per row."""
        if self.none is None:
            return probs, np.zeros(len(probs), dtype=probs.dtype)
        p_none = probs[:, self.none]
        tech = np.delete(probs, self.none, axis=1)
        return tech / np.clip(tech.sum(1, keepdims=True), 1e-9, None), p_none

    def blend(self, depth: int) -> float:
        """The reader's weight against the encoder's labels at this encoder depth (chosen on PTC val)."""
        return float(self._blend.get(str(depth), 0.5))

    def probs(self, text: str, spans: Sequence[tuple[int, int]], segments: Sequence[tuple[int, int]],
              features: Sequence[Sequence[float]]) -> np.ndarray:
        """Label probabilities per span (rows follow ``spans``; columns follow ``self.labels``).

        Each span is its own run, with no padding: dynamic int8 quantisation scales a run's activations by their
        range, so a span batched with others (or padded) would read differently than alone (by up to 0.3 in a
        probability on the speed benchmark's corpus). Alone is also faster: the cost is per word piece, and padding
        to the longest span of a batch only added pieces."""
        out = np.zeros((len(spans), len(self.labels)), dtype=np.float32)
        if not spans:
            return out
        contexts = [span_context(segments, s, e) for s, e in spans]
        inputs = marked_inputs(text, spans, contexts, self.tok, self.max_len)
        for i, item in enumerate(inputs):
            seq = [101] + item["ids"] + [102]
            ids = np.asarray([seq], dtype=np.int64)
            span = np.zeros((1, len(seq)), dtype=np.float32)
            lo, hi = item["span"]
            span[0, 1 + lo:1 + hi] = 1.0
            feats = np.asarray([features[i]], dtype=np.float32)
            out[i] = self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids), "span_mask": span,
                                             "feats": feats})[0][0]
        return out


@functools.lru_cache(maxsize=4)
def load(name: str = MODEL_NAME, threads: int = 1) -> SpanReader:
    return SpanReader(name, threads)
