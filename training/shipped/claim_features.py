"""Sentence features of the shipped (frozen) encoder for every claims source, cached as .npz outside the repo.

For each sentence: the mean state of its word pieces after exit 3 (and after exit 6 unless ``--depth 3``), read alone (the CheckThat!
setting, as ``presslens evaluate claims`` reads it) and, for sources kept in document order (CT24 train by
Sentence_id, CT21 1B debates), read in context, packed into windows of consecutive sentences exactly as the
claims analyzer packs an article's sentences. The encoder is the shipped int8 one, one window per run.

    nice -n 10 .venv/bin/python -m training.shipped.claim_features      # into FEATURES (below), never the repo
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from presslens.runtime.encoder import load, pack_windows
from presslens.evaluate import claim_sets as cs

FEATURES = Path(tempfile.gettempdir()) / "presslens-claim-features"
# (name, reader, split, in context?)
SOURCES = [
    ("ct24-train", cs.ct24, "train", True), ("ct24-dev", cs.ct24, "dev", False),
    ("ct24-devtest", cs.ct24, "dev-test", False),
    ("ct21-train", cs.ct21, "train", True), ("ct21-dev", cs.ct21, "dev", True),
    ("ct22-train", cs.ct22, "train", False), ("ct22-dev", cs.ct22, "dev", False),
    ("ct22-devtest", cs.ct22, "dev_test", False),
    ("ct21t-train", cs.ct21_tweets, "train", False), ("ct21t-dev", cs.ct21_tweets, "dev", False),
]


def alone(enc, texts: list[str], depth: int, chunk: int = 2000) -> dict[str, np.ndarray]:
    """Each sentence as its own window; in chunks, so the windows' states never all sit in memory."""
    out: dict[str, list] = {f"a{d}": [] for d in (3, 6) if d <= depth}
    for k in range(0, len(texts), chunk):
        wins = []
        for enc_ in enc.tok.encode_batch(texts[k:k + chunk], add_special_tokens=False):
            ids = list(enc_.ids)[: enc.max_len - 2] or [100]
            wins.append({"ids": ids, "off": [(0, 0)] * len(ids)})
        enc.encode(wins, depth)
        for key in out:
            out[key].append(np.stack([w[f"hidden{key[1]}"][1:-1].mean(0) for w in wins]).astype(np.float32))
    return {key: np.concatenate(parts) for key, parts in out.items()}


def documents(items: list[cs.Labelled]) -> list[list[int]]:
    """Runs of consecutive sentences: one per CT21 file; CT24 by Sentence_id, broken at gaps > 3."""
    runs: list[list[int]] = []
    prev = None
    for i, item in enumerate(items):
        key = item.group
        num = int(item.id.split(":")[-1]) if item.id.split(":")[-1].isdigit() else None
        if prev is None or prev[0] != key or num is None or prev[1] is None or not 0 < num - prev[1] <= 3:
            runs.append([])
        runs[-1].append(i)
        prev = (key, num)
    return runs


def in_context(enc, items: list[cs.Labelled], depth: int) -> dict[str, np.ndarray]:
    dim = enc.heads["cl1_3_w"].shape[1]
    out = {f"c{d}": np.zeros((len(items), dim), np.float32) for d in (3, 6) if d <= depth}
    if items[0].group == "ct24":
        order = sorted(range(len(items)), key=lambda i: int(items[i].id))
        items_sorted = [items[i] for i in order]
    else:
        order, items_sorted = list(range(len(items))), items
    for run in documents(items_sorted):
        parts, spans, pos = [], [], 0
        for i in run:
            t = items_sorted[i].text
            parts.append(t)
            spans.append((pos, pos + len(t)))
            pos += len(t) + 1
        text = " ".join(parts)
        wins = pack_windows(text, spans, enc.tok, enc.max_len)
        enc.encode(wins, depth)
        for i, (s, e) in zip(run, spans):
            for key, array in out.items():
                v = enc.pooled(wins, int(key[1]), s, e)
                if v is not None:
                    array[order[i]] = v
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=FEATURES)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--graphs", type=Path, help="read with lower.onnx/upper.onnx from this folder instead (e.g. the "
                                                "fp32-activation copies of training/experiments/dequantize_encoder.py)")
    ap.add_argument("--depth", type=int, default=6, choices=(3, 6), help="3: exit-3 features only (half the time)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    enc = load()
    if args.graphs:
        from presslens.runtime.onnx import session

        enc.sessions = {3: session(args.graphs / "lower.onnx", enc.threads),
                        6: session(args.graphs / "upper.onnx", enc.threads)}
    for name, reader, split, context in SOURCES:
        if args.only and name not in args.only:
            continue
        target = args.out / f"{name}.npz"
        if target.exists():
            continue
        t0 = time.time()
        items = reader(split)
        texts = [it.text for it in items]
        arrays = dict(alone(enc, texts, args.depth), y=np.array([it.label for it in items]),
                      group=np.array([it.group for it in items]), ids=np.array([it.id for it in items]))
        if context:
            arrays.update(in_context(enc, items, args.depth))
        np.savez(target, **arrays)
        print(f"{name}: {len(items)} sentences, {time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
