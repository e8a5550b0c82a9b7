"""The shared MiniLM encoder behind the `techniques` and `claims` analyzers (presslens/models/encoder).

One fine-tuned all-MiniLM-L6-v2 reads an article's sentences once, packed into windows of at most ``max_len``
word pieces; both analyzers read their answers off the same states:

- techniques: a per-piece "inside a persuasive span" probability (computed in the ONNX graph) and a technique
  classifier over a span's mean state, the window's [CLS] state and four surface cues;
- claims: a check-worthiness classifier over the mean state of a sentence's (or clause's) pieces, in context.

The model has two exits: ``depth=3`` stops after 3 of the 6 layers (lower.onnx; the fast default) and ``depth=6``
continues through upper.onnx (more accurate, about twice the cost). Heads for each exit live in heads.npz.
Training: training/shipped/train_encoder.py; scores and limits: presslens/models/encoder/MODEL_CARD.md.

Inference is onnxruntime + ``tokenizers`` + numpy; no torch. The windows of one spaCy Doc are cached in
``doc.user_data`` so the second analyzer to ask pays nothing.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from typing import Any, Optional, Sequence

import numpy as np

from ..errors import ConfigError, ModelError

MODEL_NAME = "encoder"
CLAIM_TFIDF = "claim-tfidf"  # the TF-IDF model blended into the claim score (presslens/runtime/claim_tfidf.py)
DEPTHS = (3, 6)
CACHE_KEY = "presslens.encoder"


def check_depth(depth: Any) -> int:
    if depth not in DEPTHS:
        raise ConfigError("K03", f"encoder depth must be one of {', '.join(map(str, DEPTHS))}, got {depth!r}",
                          "set depth = 3 (fast) or depth = 6 (accurate) in [techniques] and [claims]")
    return int(depth)


def gelu(x: np.ndarray) -> np.ndarray:
    """tanh-approximate GELU (the heads were trained with it)."""
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))


def softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def sigmoid(x: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


NUMBER = re.compile(r"\d")
CLAIM_CUES = ("has_digit", "log1p_numbers", "percent_or_money", "log1p_words", "question", "first_person",
              "social_marks")


def claim_cues(text: str) -> list[float]:
    """Surface cues of a sentence read by the claim head next to its mean state (names in CLAIM_CUES)."""
    words = text.split()
    lower = f" {text.lower()} "
    numbers = len(re.findall(r"\d[\d,.]*", text))
    return [float(bool(NUMBER.search(text))), float(np.log1p(numbers)),
            float(any(m in lower for m in ("%", "percent", "$", "million", "billion", "dollars"))),
            float(np.log1p(len(words))), float(text.rstrip().endswith("?")),
            float(any(f" {w} " in lower for w in ("i", "we", "my", "our"))),
            float(any(m in text for m in ("http", "@", "#")))]


def pack_windows(text: str, segments: Sequence[tuple[int, int]], tok: Any, max_len: int) -> list[dict]:
    """Pack segments into windows of <= max_len-2 word pieces with article char offsets per piece.

    Shared with the training scripts, so the model is trained on exactly the windows it sees here."""
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


def claim_tfidf_error(exc: Exception) -> ModelError:
    return ModelError("K27", f"the encoder's claim TF-IDF model cannot be loaded: {exc}", "reinstall presslens")


class SharedEncoder:
    """The shipped encoder graphs + heads. Windows are dicts; ``encode`` adds ``hidden<d>``/``prob<d>`` to them."""

    def __init__(self, name: str = MODEL_NAME, threads: int = 1):
        from tokenizers import Tokenizer

        from ..artifacts import artifact, manifest
        from .onnx import session

        self.folder = artifact(name)
        try:
            self.config = json.loads((self.folder / "config.json").read_text())
            with np.load(self.folder / "heads.npz", allow_pickle=False) as heads:
                self.heads = {k: heads[k] for k in heads.files}
            self.tok = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
            self.threads = max(1, int(threads))
            self.sessions = {3: session(self.folder / "lower.onnx", self.threads)}
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError("K01", f"encoder model {name!r} cannot be loaded: {exc}",
                             "reinstall presslens or rebuild it with `presslens train encoder`") from exc
        self._claim_tfidf = None  # vocabularies loaded at the first blended claim score
        self.claim_blend: dict[str, float] = {}
        if (self.folder / f"{CLAIM_TFIDF}.npz").exists():
            try:
                with np.load(self.folder / f"{CLAIM_TFIDF}.npz", allow_pickle=False) as z:
                    head, tfidf, bias = (float(v) for v in z["blend"])
                    self.claim_blend = dict(depth=int(z["depth"][0]), head=head, tfidf=tfidf, bias=bias,
                                            threshold=float(z["threshold"][0]))
            except (OSError, ValueError, KeyError) as exc:
                raise claim_tfidf_error(exc) from exc
        self.tok.no_truncation()
        self.tok.no_padding()
        self.labels: list[str] = self.config["labels"]
        self.semeval2023: dict[str, Optional[str]] = self.config.get("semeval2023", {})
        self.max_len = int(self.config["max_len"])
        self.cls_id = int(self.config.get("cls_id", 101))
        self.sep_id = int(self.config.get("sep_id", 102))
        info = manifest(name)
        # the digest names what both analyzers read; the claim TF-IDF files are named in claim_id only
        shared = {k: v for k, v in info["sha256"].items() if not k.startswith(CLAIM_TFIDF)}
        digest = hashlib.sha256(json.dumps(shared, sort_keys=True).encode()).hexdigest()
        self.claim_digest = info["sha256"].get(f"{CLAIM_TFIDF}.npz", "")[:12]
        self.name = info.get("name", name)
        self.digest = digest[:12]

    def id(self, depth: int) -> str:
        return f"model:{self.name}@{self.digest}/exit{depth}"

    def si_threshold(self, depth: int) -> float:
        return float(self.config["si_threshold"][str(depth)])

    def si_decoding(self, depth: int) -> dict[str, float]:
        """The SI post-processing chosen on PTC val for this depth (config.json ``si_decoding``): threshold,
        extend, merge_gap, min_chars, and at depth 6 the weight of exit 6 in the blend of both exits' readings."""
        chosen = self.config.get("si_decoding", {}).get(str(depth), {})
        return {"threshold": self.si_threshold(depth), "extend": 0.0, "merge_gap": 60, "min_chars": 10,
                "blend": 1.0, "tc_blend": 1.0, **chosen}

    def claim_id(self, depth: int) -> str:
        """The claim score's model: the encoder at this depth, and the TF-IDF blended with it there."""
        return self.id(depth) + (f"+tfidf@{self.claim_digest}" if self.blends(depth) else "")

    def blends(self, depth: int) -> bool:
        return self.claim_blend.get("depth") == depth

    def claim_threshold(self, depth: int) -> float:
        if self.blends(depth):
            return self.claim_blend["threshold"]
        return float(self.config["claim_threshold"][str(depth)])

    def _upper(self):
        if 6 not in self.sessions:
            from .onnx import session

            try:
                self.sessions[6] = session(self.folder / "upper.onnx", self.threads)
            except (OSError, ValueError) as exc:
                raise ModelError("K02", f"the encoder's upper layers cannot be loaded: {exc}",
                                 "use depth 3, or reinstall presslens") from exc
        return self.sessions[6]

    # -- windows -------------------------------------------------------------------------------------------
    def windows(self, text: str, segments: Sequence[tuple[int, int]]) -> list[dict]:
        return pack_windows(text, segments, self.tok, self.max_len)

    def encode(self, wins: list[dict], depth: int = 3) -> None:
        """Run the graphs up to ``depth`` on windows that lack it; per window store ``hidden<d>`` ([CLS] +
        pieces + [SEP]) and ``prob<d>`` (SI probability per piece).

        Each window is its own run, with no padding: dynamic int8 quantisation scales a run's activations by
        their range, so a window batched with others (or padded) would read differently than alone. A window's
        states depend on its own pieces only (tests/analyzers/test_encoder.py); batching bought no speed here."""
        check_depth(depth)
        for w in wins:
            if f"hidden{depth}" in w:
                continue
            mask = np.ones((1, len(w["ids"]) + 2), dtype=np.int64)
            if "hidden3" in w:
                hidden = w["hidden3"][None]
            else:
                ids = np.array([[self.cls_id] + w["ids"] + [self.sep_id]], dtype=np.int64)
                hidden, si = self.sessions[3].run(None, {"input_ids": ids, "attention_mask": mask})
                self._store([w], 3, hidden, si)
            if depth == 6:
                hidden, si = self._upper().run(None, {"hidden_in": hidden, "attention_mask": mask})
                self._store([w], 6, hidden, si)

    @staticmethod
    def _store(group: list[dict], depth: int, hidden: np.ndarray, si: np.ndarray) -> None:
        for b, w in enumerate(group):
            n = len(w["ids"])
            w[f"hidden{depth}"] = hidden[b, :n + 2]
            w[f"prob{depth}"] = sigmoid(si[b, :n])

    # -- heads ---------------------------------------------------------------------------------------------
    def technique_probs(self, vector: np.ndarray, depth: int) -> np.ndarray:
        h = self.heads
        z = gelu(vector @ h[f"tc1_{depth}_w"].T + h[f"tc1_{depth}_b"])
        return softmax(z @ h[f"tc2_{depth}_w"].T + h[f"tc2_{depth}_b"])

    def claim_head_logits(self, vectors: np.ndarray, depth: int) -> np.ndarray:
        """The claim head's logit per row of mean piece states (n, dim) -> (n,)."""
        h = self.heads
        z = gelu(vectors @ h[f"cl1_{depth}_w"].T + h[f"cl1_{depth}_b"])
        return (z @ h[f"cl2_{depth}_w"].T + h[f"cl2_{depth}_b"]).reshape(-1)

    def claim_probs(self, vectors: np.ndarray, depth: int, texts: Sequence[str]) -> np.ndarray:
        """Check-worthiness of each unit from its mean piece state (a row of ``vectors``) and its text.

        At the depth claim-tfidf.npz blends (3), the probability is sigmoid(head · head logit + tfidf · TF-IDF
        logit + bias): one model, one cut (``claim_threshold``), each unit scored on its own."""
        z = self.claim_head_logits(vectors, depth)
        if self.blends(depth):
            blend = self.claim_blend
            if len(texts) != len(z):
                raise ValueError(f"claim_probs: {len(z)} vectors but {len(texts)} texts")
            tfidf = self.claim_tfidf().logits(texts)
            z = blend["head"] * z.astype(np.float64) + blend["tfidf"] * tfidf + blend["bias"]
        return sigmoid(z)

    def claim_tfidf(self):
        """The TF-IDF model of the claim blend, loaded once."""
        if self._claim_tfidf is None:
            from .claim_tfidf import ClaimTfidf

            try:
                self._claim_tfidf = ClaimTfidf(self.folder)
            except (OSError, ValueError, KeyError) as exc:
                raise claim_tfidf_error(exc) from exc
        return self._claim_tfidf

    def pooled(self, wins: Sequence[dict], depth: int, start: int, end: int) -> Optional[np.ndarray]:
        """Mean state of the pieces overlapping [start, end), over every window holding some."""
        parts = []
        for w in wins:
            off = w["off"]
            if not off or off[0][0] >= end or off[-1][1] <= start:
                continue
            idx = [i for i, (a, b) in enumerate(off) if a < end and b > start]
            if idx:
                parts.append(w[f"hidden{depth}"][1 + idx[0]:1 + idx[-1] + 1])
        if not parts:
            return None
        return np.concatenate(parts).mean(0)

    def score_sentences(self, texts: Sequence[str], depth: int = 3) -> np.ndarray:
        """Check-worthiness of sentences read alone (the CheckThat! setting): one window per sentence."""
        vectors = self.sentence_vectors(texts, depth)
        if not len(vectors):
            return np.zeros(0, dtype=np.float32)
        return self.claim_probs(vectors, depth, texts)

    def sentence_vectors(self, texts: Sequence[str], depth: int = 3) -> np.ndarray:
        """Mean piece state of each sentence read alone, its own window (n, dim)."""
        wins = []
        for enc in self.tok.encode_batch(list(texts), add_special_tokens=False):
            ids = list(enc.ids)[: self.max_len - 2] or [self.tok.token_to_id("[UNK]") or 100]
            wins.append({"ids": ids, "off": [(0, 0)] * len(ids)})
        self.encode(wins, depth)
        if not wins:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([w[f"hidden{depth}"][1:-1].mean(0) for w in wins])


def load(name: str = MODEL_NAME, threads: int = 1) -> SharedEncoder:
    """The encoder, loaded once per process (one cache key however the arguments are spelled)."""
    return _load(name, int(threads))


@functools.lru_cache(maxsize=4)
def _load(name: str, threads: int) -> SharedEncoder:
    return SharedEncoder(name, threads)


def document_windows(doc: Any, text: str, segments: Sequence[tuple[int, int]], encoder: SharedEncoder,
                     depth: int) -> list[dict]:
    """The encoded windows of one article, computed once per (model, segments) and kept on the spaCy Doc.

    Both analyzers pass the same segments (body sentences), so the second one reuses the first one's pass; a
    deeper request continues from the cached exit-3 states instead of starting again."""
    key = (encoder.name, encoder.digest, hashlib.sha1(repr(list(segments)).encode()).hexdigest())
    store = doc.user_data.setdefault(CACHE_KEY, {}) if doc is not None else {}
    wins = store.get(key)
    if wins is None:
        wins = encoder.windows(text, segments)
        store[key] = wins
    encoder.encode(wins, depth)
    return wins



def article_segments(doc: Any, article: Any) -> list[tuple[int, int]]:
    """The spans an article's windows are packed from: spaCy sentences cut at line breaks, trimmed of
    whitespace, without caption/credit/boilerplate blocks. Every analyzer reading the encoder asks for these,
    so one pass (one cache key) serves them all."""
    from ..analyzers.shared import FURNITURE_KINDS

    skip = [(b.start, b.end) for b in article.get("blocks") if b.kind in FURNITURE_KINDS]
    text = article.text
    out: list[tuple[int, int]] = []
    for sent in doc.sents:
        s0 = sent.start_char
        for m in re.finditer(r"[^\n]+", text[s0:sent.end_char]):
            start, end = s0 + m.start(), s0 + m.end()
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start and not any(a < end and start < b for a, b in skip):
                out.append((start, end))
    return out


def article_windows(doc: Any, article: Any, encoder: SharedEncoder, depth: int) -> list[dict]:
    """The encoded windows of an analysed article (its ``article_segments``), shared by every analyzer."""
    return document_windows(doc, article.text, article_segments(doc, article), encoder, depth)
