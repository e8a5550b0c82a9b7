"""The shipped MiniLM graphs open without onnxruntime's slow SkipLayerNormalization fusion, and read the same without it
(within the int8 rounding that any other CPU's kernels would also bring)."""
from __future__ import annotations

import numpy as np
import onnxruntime as ort

from presslens.artifacts import artifact
from presslens.runtime.onnx import SLOW_FUSIONS, session

SENTENCES = ["The council will review the decision before the end of the month, a spokesperson said.",
             "They always lie to us, and everyone knows it!"]


def fused(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def test_the_encoder_and_the_span_reader_open_without_the_fusion(monkeypatch):
    from presslens.runtime.encoder import SharedEncoder
    from presslens.runtime.span_reader import SpanReader

    seen = []
    real = ort.InferenceSession

    def spy(path, options=None, providers=None, disabled_optimizers=()):
        seen.append((path.rsplit("/", 1)[-1], tuple(disabled_optimizers)))
        return real(path, options, providers=providers, disabled_optimizers=list(disabled_optimizers))

    monkeypatch.setattr(ort, "InferenceSession", spy)
    encoder = SharedEncoder()
    encoder._upper()
    SpanReader()
    assert [name for name, _ in seen] == ["lower.onnx", "upper.onnx", "reader.onnx"]
    assert all("SkipLayerNormFusion" in disabled for _, disabled in seen)
    assert "SkipLayerNormFusion" in SLOW_FUSIONS


def test_the_unfused_encoder_reads_as_the_fused_one_within_rounding():
    folder = artifact("encoder")
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    plain, unfused = fused(folder / "lower.onnx"), session(folder / "lower.onnx")
    for text in SENTENCES:
        ids = np.asarray([tok.encode(text).ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        (h_a, si_a), (h_b, si_b) = plain.run(None, feeds), unfused.run(None, feeds)
        p_a, p_b = 1 / (1 + np.exp(-si_a)), 1 / (1 + np.exp(-si_b))
        assert np.abs(p_a - p_b).max() < 0.02  # the span probability a user sees
        cos = (h_a * h_b).sum(-1) / np.linalg.norm(h_a, axis=-1) / np.linalg.norm(h_b, axis=-1)
        assert cos.min() > 0.999
