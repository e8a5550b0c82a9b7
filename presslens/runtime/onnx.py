"""Opening a shipped ONNX model folder: its config, its tokenizer and one CPU session with a bounded thread count."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

# onnxruntime fuses each residual Add + LayerNormalization into one SkipLayerNormalization node; on the shipped int8
# MiniLM graphs (encoder, span reader, sentence encoder) that node costs several times the two it replaces, about
# 10% of a run. Unfused, the float sums round differently, so a dynamically quantised activation can land one int8
# step over: outputs move like another CPU's kernels would move them (README.md, Speed), the evaluations do not.
SLOW_FUSIONS = ("SkipLayerNormFusion",)


def session(path: Path, threads: int = 1, disabled_optimizers: Sequence[str] = SLOW_FUSIONS) -> Any:
    """One CPU onnxruntime session of the graph at ``path``, ``threads`` intra-op threads, one op at a time.

    ``disabled_optimizers``: onnxruntime graph rewrites (by name) the model runs faster without.

    Raises what onnxruntime raises for a missing or broken graph; callers turn it into their own coded ModelError."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, int(threads))
    options.inter_op_num_threads = 1  # one op at a time: batch workers already fill the cores
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"],
                                disabled_optimizers=list(disabled_optimizers))


def open_model(folder: Path, graph: str, threads: int = 1,
               disabled_optimizers: Sequence[str] = SLOW_FUSIONS) -> tuple[dict[str, Any], Any, Any]:
    """(config.json, tokenizer.json, session of `graph`) from `folder`.

    Raises OSError, ValueError or KeyError as the files do; each caller turns them into its own coded ModelError.
    """
    from tokenizers import Tokenizer

    config = json.loads((folder / "config.json").read_text())
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    return config, tokenizer, session(folder / graph, threads, disabled_optimizers)
