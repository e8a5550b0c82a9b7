"""Check-worthiness scorer: sentence -> probability that it states a fact worth checking.

Loads a shipped model (checked against its manifest's sha256) and scores batches of sentences. Three
artifact kinds, named in manifest.json ``kind``:

- ``minilm-onnx-shared`` (the default, presslens/models/encoder): the claim head of the encoder shared with the
  techniques analyzer (presslens/runtime/encoder.py); each sentence is read alone, at the chosen ``depth`` (3 or 6 layers);
- ``minilm-onnx``: all-MiniLM-L6-v2 fine-tuned on CLEF CheckThat! 2024 Task 1 (English), exported to
  ONNX (int8), run with onnxruntime and the ``tokenizers`` library — no torch/transformers at run time.
- ``tfidf-lr``: TF-IDF word 1–2-grams + logistic regression, stored as arrays (no pickle).

Built by training/shipped/train_encoder.py and training/shipped/train_claims_tfidf.py; see the model cards.
"""
from __future__ import annotations

import csv
import functools
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from ..errors import InputError, ModelError
from ..artifacts import artifact, manifest

MODEL_NAME = "encoder"
# Sentences are scored in batches of this many, sorted by length so little padding is computed.
BATCH = 64


class Scorer:
    """Scores sentences with the shipped model; ``id`` names the model and its sha for Evidence."""

    def __init__(self, name: str = MODEL_NAME, depth: int = 3):
        self.folder = artifact(name)
        self.manifest = manifest(name)
        self.kind = self.manifest.get("kind")
        digest = self.manifest["sha256"].get("model.onnx") or self.manifest["sha256"].get("weights.npz", "")
        self.id = f"model:{self.manifest.get('name', name)}@{digest[:12]}"
        self.threshold = float(self.manifest.get("threshold", 0.5))
        self.encoder = None
        if self.kind == "minilm-onnx-shared":
            from . import encoder

            self.depth = encoder.check_depth(depth)
            self.encoder = encoder.load(name)
            self.id = self.encoder.claim_id(self.depth)
            self.threshold = self.encoder.claim_threshold(self.depth)
            self._score = lambda texts: self.encoder.score_sentences(texts, self.depth)
        elif self.kind == "minilm-onnx":
            self._score = self._onnx_scorer()
        elif self.kind == "tfidf-lr":
            self._score = self._tfidf_scorer()
        else:
            raise ModelError("L01", f"model {name!r} has unknown kind {self.kind!r}",
                             "rebuild it with `presslens train claims`")

    def cut(self, configured: float) -> float:
        """A configured threshold, or this model's own (dev-tuned) one when it is 0."""
        return configured if configured > 0 else self.threshold

    def score(self, texts: list[str]) -> list[float]:
        if not texts:
            return []
        return [float(s) for s in self._score(texts)]

    def _onnx_scorer(self):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        tok.enable_truncation(int(self.manifest.get("max_len", 128)))
        tok.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # the pipeline is per-article; several workers may share a machine
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(str(self.folder / "model.onnx"), options, providers=["CPUExecutionProvider"])

        def run(texts: list[str]) -> np.ndarray:
            encoded = [e.ids for e in tok.encode_batch(texts)]
            out = np.zeros(len(texts), dtype=np.float32)
            order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
            for j in range(0, len(order), BATCH):
                part = order[j: j + BATCH]
                width = max(len(encoded[i]) for i in part)
                ids = np.zeros((len(part), width), dtype=np.int64)
                mask = np.zeros((len(part), width), dtype=np.int64)
                for row, i in enumerate(part):
                    ids[row, : len(encoded[i])] = encoded[i]
                    mask[row, : len(encoded[i])] = 1
                logits = session.run(None, {"input_ids": ids, "attention_mask": mask})[0].reshape(-1)
                out[part] = 1.0 / (1.0 + np.exp(-logits))
            return out
        return run

    def _tfidf_scorer(self):
        from sklearn.feature_extraction.text import TfidfVectorizer

        settings = self.manifest.get("vectorizer", {})
        vocab = json.loads((self.folder / "vocab.json").read_text(encoding="utf-8"))
        with np.load(self.folder / "weights.npz", allow_pickle=False) as arrays:
            idf, coef, intercept = arrays["idf"], arrays["coef"], float(arrays["intercept"][0])
        vec = TfidfVectorizer(vocabulary=vocab, ngram_range=tuple(settings.get("ngram_range", (1, 2))),
                              sublinear_tf=settings.get("sublinear_tf", True), lowercase=settings.get("lowercase", True),
                              token_pattern=settings.get("token_pattern", r"(?u)\b\w\w+\b"), dtype=np.float32)
        vec.idf_ = idf

        def run(texts: list[str]) -> np.ndarray:
            logits = vec.transform(texts) @ coef + intercept
            return 1.0 / (1.0 + np.exp(-np.asarray(logits).reshape(-1)))
        return run


@functools.lru_cache(maxsize=4)
def load(name: str = MODEL_NAME, depth: int = 3) -> Scorer:
    """The scorer, loaded once per process."""
    return Scorer(name, depth)


# ---------------------------------------------------------------------------- CheckThat!-style TSV
@dataclass(frozen=True)
class Row:
    id: str
    text: str
    label: Optional[str] = None  # "Yes" | "No" | None


def read_tsv(path: str | Path) -> list[Row]:
    """Read Sentence_id<TAB>Text[<TAB>class_label] (header optional, CRLF fine). Raises InputError."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("L10", f"TSV file {str(path)!r} does not exist", "pass an existing CheckThat!-style TSV file")
    except (UnicodeDecodeError, IsADirectoryError) as exc:
        raise InputError("L11", f"{str(path)!r} is not a UTF-8 text file ({type(exc).__name__})",
                         "pass a UTF-8 TSV: Sentence_id<TAB>Text[<TAB>class_label]")
    rows: list[Row] = []
    for n, cells in enumerate(csv.reader(io.StringIO(raw, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE), 1):
        cells = [c.strip() for c in cells]
        if not any(cells) or (n == 1 and cells[0].lower() in ("sentence_id", "id")):
            continue
        if len(cells) < 2 or not cells[1]:
            raise InputError("L12", f"{path.name} line {n}: expected Sentence_id<TAB>Text[<TAB>class_label], "
                             f"got {len(cells)} field(s)", "separate the fields with a single TAB character")
        label = cells[2] if len(cells) > 2 and cells[2] else None
        if label is not None and label not in ("Yes", "No"):
            raise InputError("L13", f"{path.name} line {n}: class_label must be Yes or No, got {label!r}",
                             "use the CheckThat! labels Yes/No, or leave the third column out")
        rows.append(Row(cells[0], cells[1], label))
    if not rows:
        raise InputError("L14", f"{path.name} holds no sentences", "give one Sentence_id<TAB>Text line per sentence")
    return rows


def score_rows(rows: Iterable[Row], threshold: Optional[float] = None, scorer: Optional[Scorer] = None
               ) -> list[tuple[Row, float, bool]]:
    scorer = scorer or load()
    rows = list(rows)
    cut = scorer.threshold if threshold is None else threshold
    return [(row, s, s >= cut) for row, s in zip(rows, scorer.score([r.text for r in rows]))]
