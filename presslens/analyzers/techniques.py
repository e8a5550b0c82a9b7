"""Layer ``techniques``: persuasion-technique spans (PTC / SemEval-2020 Task 11 labels).

Two steps, one shipped model (presslens/models/techniques, see its MODEL_CARD.md):

- span identification (SI): a fine-tuned all-MiniLM-L6-v2 gives every word piece a probability of
  lying inside a persuasive fragment; runs of pieces at or above ``threshold`` become spans;
- technique classification (TC): the mean of the span's encoder states, the window's [CLS] state
  and four surface cues (how often the span text repeats in the article, its length, '?' and '!')
  go through a small MLP over the 14 PTC labels (Da San Martino et al., 2019 "Fine-Grained Analysis
  of Propaganda in News Articles"; SemEval-2020 Task 11 overview, 2020).

Each span also names the corresponding SemEval-2023 Task 3 technique where one exists.

Windows are spaCy sentences, split again at line breaks, packed into at most ``max_len`` word pieces
(the same packing the training script used over PTC's sentence-per-line articles). Caption, credit
and boilerplate blocks are skipped: page furniture is not the author's rhetoric.

Inference runs the int8 ONNX encoder with onnxruntime and the ``tokenizers`` tokenizer; the heads
are numpy. No torch at run time.
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from ..document import Document, Evidence, Technique
from ..errors import ModelError

NAME = "techniques"
VERSION = "0.1.0"
REQUIRES: tuple[str, ...] = ("blocks",)
ASSIGNS: tuple[str, ...] = ("techniques",)

SKIP_BLOCKS = frozenset({"caption", "credit", "boilerplate"})


@dataclass(frozen=True)
class Config:
    # Shipped model folder under presslens/models/.
    model: str = "techniques"
    # A word piece is inside a span when its probability reaches this (chosen on PTC val, see MODEL_CARD.md).
    threshold: float = 0.25
    # Spans shorter than this many characters are dropped (single letters / punctuation are noise).
    min_chars: int = 10
    # Two spans of one window at most this many characters apart are one span (the model's runs
    # break on a low-probability word inside a fragment); tuned with min_chars on PTC val.
    merge_gap: int = 12
    # Windows per onnxruntime call: larger batches amortise call overhead; padding is by the longest.
    batch_size: int = 32
    # onnxruntime intra-op threads: 1 keeps the analyzer from fighting spaCy / other workers for cores.
    threads: int = 1


@dataclass(frozen=True)
class Detected:
    start: int
    end: int
    si_score: float
    label: str
    label_score: float
    runner_up: str
    runner_up_score: float


def _gelu(x: Any) -> Any:
    import numpy as np

    u = x * x  # tanh-approximate GELU, in place: 0.5 x (1 + tanh(0.79788 (x + 0.044715 x^3)))
    u *= x
    u *= 0.044715
    u += x
    u *= 0.7978845608
    np.tanh(u, out=u)
    u += 1.0
    u *= x
    u *= 0.5
    return u


def _softmax(x: Any) -> Any:
    import numpy as np

    z = np.exp(x - x.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def si_inputs(hidden: Any) -> Any:
    """Per piece: its state and its left and right neighbours' ([CLS]/[SEP] at the edges), on the last axis.

    hidden: (..., width, dim) -> (..., width - 2, 3 * dim)."""
    import numpy as np

    return np.concatenate([hidden[..., 1:-1, :], hidden[..., :-2, :], hidden[..., 2:, :]], axis=-1)


def span_features(text: str, lower: str, start: int, end: int) -> list[float]:
    """Surface cues the TC head was trained with (same order as config.json "features")."""
    frag = lower[start:end].strip()
    count = lower.count(frag) if len(frag) >= 3 else 1
    piece = text[start:end]
    return [math.log1p(max(count - 1, 0)), math.log1p(end - start) / 5.0, float("?" in piece), float("!" in piece)]


class TechniqueModel:
    """The shipped encoder + heads; ``detect`` finds and labels spans, ``classify`` labels given spans."""

    def __init__(self, name: str = "techniques", threads: int = 1):
        import numpy as np
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from ..models import artifact, manifest

        folder = artifact(name)
        try:
            self.config = json.loads((folder / "config.json").read_text())
            heads = np.load(folder / "heads.npz")
            self.heads = {k: heads[k] for k in heads.files}
            self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
            options = ort.SessionOptions()
            options.intra_op_num_threads = max(1, int(threads))
            options.inter_op_num_threads = 1
            self.session = ort.InferenceSession(str(folder / "encoder.onnx"), options,
                                                providers=["CPUExecutionProvider"])
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError("K01", f"technique model {name!r} cannot be loaded: {exc}",
                             "reinstall presslens or rebuild it with `presslens train techniques`") from exc
        self.tok.no_truncation()
        self.tok.no_padding()
        self.labels: list[str] = self.config["labels"]
        self.semeval2023: dict[str, Optional[str]] = self.config.get("semeval2023", {})
        self.max_len: int = int(self.config["max_len"])
        info = manifest(name)
        # one digest over every pinned file (encoder and heads can change separately)
        digest = hashlib.sha256(json.dumps(info["sha256"], sort_keys=True).encode()).hexdigest()
        self.id = f"model:{info.get('name', 'techniques')}@{digest[:12]}"

    # -- windows ---------------------------------------------------------------
    def windows(self, text: str, segments: Sequence[tuple[int, int]]) -> list[dict]:
        return pack_windows(text, segments, self.tok, self.max_len)

    def encode(self, wins: list[dict], batch_size: int = 32) -> None:
        """Run the encoder; stores per window ``hidden`` (pieces incl. [CLS]) and ``prob`` (SI, per piece)."""
        import numpy as np

        order = sorted(range(len(wins)), key=lambda i: len(wins[i]["ids"]))
        cls_id, sep_id = self.config.get("cls_id", 101), self.config.get("sep_id", 102)
        for k in range(0, len(order), batch_size):
            group = [wins[i] for i in order[k:k + batch_size]]
            width = max(len(w["ids"]) for w in group) + 2
            ids = np.zeros((len(group), width), dtype=np.int64)
            mask = np.zeros((len(group), width), dtype=np.int64)
            for b, w in enumerate(group):
                seq = [cls_id] + w["ids"] + [sep_id]
                ids[b, :len(seq)] = seq
                mask[b, :len(seq)] = 1
            hidden, si = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            # refit SI head over the whole batch at once (one large matmul); else the encoder's own logit
            logits = self.si_head(hidden) if "si1_w" in self.heads else si[:, 1:-1]
            for b, w in enumerate(group):
                n = len(w["ids"])
                w["hidden"] = hidden[b, :n + 2]  # [CLS] + pieces + [SEP]
                w["prob"] = 1.0 / (1.0 + np.exp(-np.clip(logits[b, :n], -30, 30)))

    # -- heads -----------------------------------------------------------------
    def si_head(self, hidden: Any) -> Any:
        """SI logits from the refit MLP: hidden (batch, width, dim) -> (batch, width - 2), piece i at column i-1."""
        batch, width, _ = hidden.shape
        x = si_inputs(hidden).reshape(batch * (width - 2), -1)
        z = _gelu(x @ self.heads["si1_w"].T + self.heads["si1_b"])
        return (z @ self.heads["si2_w"].T + self.heads["si2_b"]).reshape(batch, width - 2)

    def label_scores(self, text: str, lower: str, win: dict, start: int, end: int) -> Optional[Any]:
        import numpy as np

        idx = [i for i, (a, b) in enumerate(win["off"]) if a < end and b > start]
        if not idx:
            return None
        h = win["hidden"]
        x = np.concatenate([h[1 + idx[0]:1 + idx[-1] + 1].mean(0), h[0],
                            np.asarray(span_features(text, lower, start, end), dtype=np.float32)])
        z = _gelu(x @ self.heads["tc1_w"].T + self.heads["tc1_b"])
        return _softmax(z @ self.heads["tc2_w"].T + self.heads["tc2_b"])

    def _labelled(self, text: str, lower: str, win: dict, start: int, end: int, si: float) -> Optional[Detected]:
        p = self.label_scores(text, lower, win, start, end)
        if p is None:
            return None
        top = p.argsort()[::-1]
        return Detected(start, end, si, self.labels[top[0]], float(p[top[0]]),
                        self.labels[top[1]], float(p[top[1]]))

    def detect(self, text: str, segments: Sequence[tuple[int, int]], threshold: float,
               min_chars: int = 2, batch_size: int = 32, merge_gap: int = 0) -> list[Detected]:
        return self.run(text, segments, threshold, None, min_chars, batch_size, merge_gap)[0]

    def classify(self, text: str, segments: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]],
                 batch_size: int = 32) -> list[Optional[Detected]]:
        return self.run(text, segments, None, spans, 2, batch_size)[1]

    def run(self, text: str, segments: Sequence[tuple[int, int]], threshold: Optional[float],
            spans: Optional[Sequence[tuple[int, int]]], min_chars: int = 2,
            batch_size: int = 32, merge_gap: int = 0) -> tuple[list[Detected], list[Optional[Detected]]]:
        """One encoder pass: detect spans (SI + TC) when ``threshold`` is given, label ``spans`` (TC) when given.

        A given span is read in the window holding its start (as in training)."""
        wins = self.windows(text, segments)
        self.encode(wins, batch_size)
        lower = text.lower()
        found: list[Detected] = []
        if threshold is not None:
            for win in wins:
                for start, end, score in join_close(decode(win["off"], win["prob"], threshold), merge_gap):
                    start, end = trim(text, start, end)
                    if end - start < min_chars:
                        continue
                    item = self._labelled(text, lower, win, start, end, score)
                    if item is not None:
                        found.append(item)
        labelled: list[Optional[Detected]] = []
        for start, end in spans or ():
            win = next((w for w in wins if w["off"][0][0] <= start < w["off"][-1][1]), None)
            if win is None:  # the span starts in whitespace between windows: use the next window
                win = next((w for w in wins if w["off"][0][0] >= start), wins[-1] if wins else None)
            labelled.append(None if win is None else self._labelled(text, lower, win, start, end, 1.0))
        return found, labelled


def decode(off: Sequence[tuple[int, int]], probs: Any, threshold: float) -> list[tuple[int, int, float]]:
    """Runs of pieces with probability >= threshold -> (char start, char end, mean probability)."""
    spans: list[tuple[int, int, float]] = []
    run: list[int] = []
    for i, p in enumerate(probs):
        if p >= threshold:
            run.append(i)
            continue
        if run:
            spans.append((off[run[0]][0], off[run[-1]][1], float(sum(probs[j] for j in run) / len(run))))
            run = []
    if run:
        spans.append((off[run[0]][0], off[run[-1]][1], float(sum(probs[j] for j in run) / len(run))))
    return spans


def join_close(spans: list[tuple[int, int, float]], gap: int) -> list[tuple[int, int, float]]:
    """Join consecutive spans at most ``gap`` characters apart (score: length-weighted mean)."""
    out: list[tuple[int, int, float]] = []
    for s, e, p in spans:
        if out and s - out[-1][1] <= gap:
            s0, e0, p0 = out[-1]
            out[-1] = (s0, e, (p0 * (e0 - s0) + p * (e - s)) / (e - s0 - (s - e0)))
        else:
            out.append((s, e, p))
    return out


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def line_segments(text: str) -> list[tuple[int, int]]:
    """Non-empty lines (the PTC layout: one sentence per line)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


@functools.lru_cache(maxsize=4)
def load_model(name: str = "techniques", threads: int = 1) -> TechniqueModel:
    return TechniqueModel(name, threads)


def warm(config: Config) -> None:
    load_model(config.model, config.threads)


def model_id(config: Config) -> str:
    return load_model(config.model, config.threads).id


def sentence_segments(doc: Any, article: Document) -> list[tuple[int, int]]:
    """spaCy sentences cut at line breaks, without caption/credit/boilerplate blocks."""
    skip = [(b.start, b.end) for b in article.get("blocks") if b.kind in SKIP_BLOCKS]
    text = article.text
    out: list[tuple[int, int]] = []
    for sent in doc.sents:
        s0 = sent.start_char
        for m in re.finditer(r"[^\n]+", text[s0:sent.end_char]):
            start, end = trim(text, s0 + m.start(), s0 + m.end())
            if end > start and not any(a < end and start < b for a, b in skip):
                out.append((start, end))
    return out


def to_record(text: str, item: Detected, model: TechniqueModel) -> Technique:
    why = (f"word pieces inside a persuasive span (mean p={item.si_score:.2f}); top technique {item.label} "
           f"p={item.label_score:.2f}, next {item.runner_up} p={item.runner_up_score:.2f}")
    return Technique(item.start, item.end, text[item.start:item.end], item.label, model.semeval2023.get(item.label),
                     round(item.si_score * item.label_score, 4), Evidence(model.id, why))


def analyze(doc: Any, article: Document, config: Config) -> dict[str, list[Technique]]:
    model = load_model(config.model, config.threads)
    segments = sentence_segments(doc, article)
    found = model.detect(article.text, segments, config.threshold, config.min_chars, config.batch_size,
                         config.merge_gap)
    return {"techniques": [to_record(article.text, item, model) for item in found]}


def pack_windows(text: str, segments: Sequence[tuple[int, int]], tok: Any, max_len: int) -> list[dict]:
    """Pack segments into windows of <= max_len-2 word pieces with article char offsets per piece.

    Shared with training/train_techniques.py, so the model is trained on exactly the windows it sees here."""
    budget = max_len - 2
    wins: list[dict] = []
    cur_ids: list[int] = []
    cur_off: list[tuple[int, int]] = []
    segments = [(s, e) for s, e in segments if e > s]
    encs = tok.encode_batch([text[s:e] for s, e in segments], add_special_tokens=False) if segments else []
    for (s, _e), enc in zip(segments, encs):
        ids = list(enc.ids)
        offs = [(s + a, s + b) for a, b in enc.offsets]
        if not ids:
            continue
        if cur_ids and len(cur_ids) + len(ids) > budget:
            wins.append({"ids": cur_ids, "off": cur_off})
            cur_ids, cur_off = [], []
        while len(ids) > budget:
            wins.append({"ids": ids[:budget], "off": offs[:budget]})
            ids, offs = ids[budget:], offs[budget:]
        cur_ids += ids
        cur_off += offs
    if cur_ids:
        wins.append({"ids": cur_ids, "off": cur_off})
    return wins
