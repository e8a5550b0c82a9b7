"""Opening a shipped ONNX model folder: its config, its tokenizer and one CPU session with a bounded thread count."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence


def open_model(folder: Path, graph: str, threads: int = 1,
               disabled_optimizers: Sequence[str] = ()) -> tuple[dict[str, Any], Any, Any]:
    """(config.json, tokenizer.json, session of `graph`) from `folder`.

    ``disabled_optimizers``: onnxruntime graph rewrites (by name) this model runs faster without.

    Raises OSError, ValueError or KeyError as the files do; each caller turns them into its own coded ModelError.
    """
    import onnxruntime as ort
    from tokenizers import Tokenizer

    config = json.loads((folder / "config.json").read_text())
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, int(threads))
    options.inter_op_num_threads = 1  # one op at a time: batch workers already fill the cores
    session = ort.InferenceSession(str(folder / graph), options, providers=["CPUExecutionProvider"],
                                   disabled_optimizers=list(disabled_optimizers))
    return config, tokenizer, session
