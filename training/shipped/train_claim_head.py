"""Train the claims analyzer's check-worthiness head on several sources at once, over the frozen shared encoder.

Input: the cached sentence features of training/shipped/claim_features.py. Training data: CT24 train + dev (ClaimBuster,
debates), CT21 1B train (debates and speeches, read alone and in context), CT22 train + dev and CT21 1A train + dev
(tweets; CT21 1A tweets that also occur in CT22 dev-test are dropped). Every source weighs the same in the loss
in proportion to its size ** --power (0.5: the square root), and positives are up-weighted within each source to half its weight.

Epoch and cut are chosen by the WORST of three dev scores from different sources: CT24 dev-test F1, CT22 dev-test
F1, CT21 1B dev MAP (so those three are selection sets, not held-out ones). Scores are calibrated with Platt scaling
fitted on the pooled F1 dev sets (CT24 dev-test + CT22 dev-test, where the one cut is used), folded into the last layer, so the
head is the same two-layer MLP the encoder already reads (``cl1_<d>``, ``cl2_<d>`` in heads.npz); input
standardisation is folded into the first layer.

    nice -n 10 .venv/bin/python -m training.shipped.train_claim_head [--features DIR] [--write]

At exit 3 the shipped score blends this head with a TF-IDF model: after writing a new exit-3 head, run
training/shipped/train_claim_blend.py --write again (it chooses the blend and the cut on this head's logits).
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from presslens.runtime.encoder import claim_cues, gelu, sigmoid
from presslens.evaluate import claim_sets as cs
from presslens.evaluate.claim_sets import Labelled, mean_average_precision
from presslens.evaluate.metrics import binary_prf

from training.common import MODELS, SEED
from training.shipped.claim_features import FEATURES

TRAIN = ["ct24-train", "ct24-dev", "ct21-train", "ct22-train", "ct22-dev", "ct21t-train", "ct21t-dev"]
SELECT = {"ct24-devtest": "f1", "ct22-devtest": "f1", "ct21-dev": "map"}
TARGETS = {"ct24-devtest": 0.85, "ct22-devtest": 0.70, "ct21-dev": 0.45}


def load(folder: Path, name: str) -> dict:
    with np.load(folder / f"{name}.npz", allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


READERS = {"ct24": (cs.ct24, {"train": "train", "dev": "dev", "devtest": "dev-test"}),
           "ct22": (cs.ct22, {"train": "train", "dev": "dev", "devtest": "dev_test"}),
           "ct21": (cs.ct21, {"train": "train", "dev": "dev"}),
           "ct21t": (cs.ct21_tweets, {"train": "train", "dev": "dev"})}


def with_cues(name: str, d: dict) -> dict:
    """Add surface cues of each sentence's text (claim_cues) to its cached features."""
    source, split = name.split("-")
    reader, splits = READERS[source]
    items = reader(splits[split])
    assert [it.id for it in items] == d["ids"].tolist(), name
    cues = np.array([claim_cues(it.text) for it in items], np.float32)
    for key in [k for k in d if k[0] in "ac" and k[1:] in ("3", "6")]:
        d[key] = np.concatenate([d[key], cues], 1)
    return d


def training_rows(folder: Path, depth: int, context: bool, sources: list[str], cues: bool = False,
                  power: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    held = set(load(folder, "ct22-devtest")["ids"].tolist())
    xs, ys, ws = [], [], []
    for name in sources:
        d = load(folder, name)
        if cues:
            d = with_cues(name, d)
        keep = np.array([i not in held for i in d["ids"].tolist()]) if name.startswith("ct21t") else np.ones(len(d["y"]), bool)
        views = [d[f"a{depth}"]] + ([d[f"c{depth}"]] if context and f"c{depth}" in d else [])
        for x in views:
            y = d["y"][keep].astype(np.float32)
            pos = max(y.mean(), 1e-3)
            # a source weighs sqrt(its size) (small sources count, without a few hundred rows ruling the loss);
            # half of it on its positives, half on its negatives
            total = len(y) ** power / len(views)
            w = np.where(y > 0, 0.5 / (pos * len(y)), 0.5 / ((1 - pos) * len(y))) * total
            xs.append(x[keep]), ys.append(y), ws.append(w.astype(np.float32))
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(ws)


class MLP:
    def __init__(self, dim: int, hidden: int, rng: np.random.Generator):
        self.w1 = (rng.standard_normal((hidden, dim)) / np.sqrt(dim)).astype(np.float32)
        self.b1 = np.zeros(hidden, np.float32)
        self.w2 = (rng.standard_normal((1, hidden)) / np.sqrt(hidden)).astype(np.float32)
        self.b2 = np.zeros(1, np.float32)
        self.params = [self.w1, self.b1, self.w2, self.b2]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def logits(self, x: np.ndarray) -> np.ndarray:
        return (gelu(x @ self.w1.T + self.b1) @ self.w2.T + self.b2).reshape(-1)

    def step(self, x, y, w, lr, decay, dropout, rng):
        a = x @ self.w1.T + self.b1
        t = np.tanh(0.7978845608 * (a + 0.044715 * a ** 3))
        h = 0.5 * a * (1 + t)
        mask = (rng.random(h.shape) >= dropout) / (1 - dropout) if dropout else 1.0
        hd = h * mask
        z = (hd @ self.w2.T + self.b2).reshape(-1)
        g = (sigmoid(z) - y) * w  # d(weighted BCE)/dz
        gw2 = g[None] @ hd
        gb2 = np.array([g.sum()], np.float32)
        gh = (g[:, None] @ self.w2) * mask
        dgelu = 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * 0.7978845608 * (1 + 3 * 0.044715 * a * a)
        ga = gh * dgelu
        grads = [ga.T @ x, ga.sum(0), gw2, gb2]
        self.t += 1
        for p, gr, m, v in zip(self.params, grads, self.m, self.v):
            m *= 0.9
            m += 0.1 * gr
            v *= 0.999
            v += 0.001 * gr * gr
            mh, vh = m / (1 - 0.9 ** self.t), v / (1 - 0.999 ** self.t)
            p -= (lr * (mh / (np.sqrt(vh) + 1e-8) + (decay * p if p.ndim > 1 else 0))).astype(np.float32)


def f1_at(y: np.ndarray, p: np.ndarray, cut: float) -> float:
    return binary_prf(y.tolist(), (p >= cut).tolist())["f1"]


def platt(z: np.ndarray, y: np.ndarray, steps: int = 100) -> tuple[float, float]:
    """a, b with sigmoid(a z + b) the calibrated probability: Newton on the log loss, step halved until it falls."""
    def loss(a, b):
        p = np.clip(sigmoid(a * z + b), 1e-7, 1 - 1e-7)
        return -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean()

    a, b = 1.0 / max(z.std(), 1e-3), -z.mean() / max(z.std(), 1e-3)
    current = loss(a, b)
    for _ in range(steps):
        p = sigmoid(a * z + b)
        g = np.array([((p - y) * z).sum(), (p - y).sum()])
        s = p * (1 - p)
        hess = np.array([[(s * z * z).sum(), (s * z).sum()], [(s * z).sum(), s.sum()]]) + 1e-6 * np.eye(2)
        da, db = np.linalg.solve(hess, g)
        step = 1.0
        while step > 1e-4 and loss(a - step * da, b - step * db) > current:
            step /= 2
        if step <= 1e-4:
            break
        a, b = a - step * da, b - step * db
        new = loss(a, b)
        if current - new < 1e-10:
            current = new
            break
        current = new
    return float(a), float(b)


def select_scores(dev: dict, probs: dict, cut: float) -> dict:
    out = {}
    for name, metric in SELECT.items():
        y = dev[name]["y"].astype(bool)
        if metric == "f1":
            out[name] = f1_at(y, probs[name], cut)
        else:
            items = [Labelled("", "", bool(v), str(g)) for v, g in zip(y, dev[name]["group"])]
            out[name] = mean_average_precision(items, probs[name].tolist())
    return out


def relative(scores: dict) -> float:
    """The worst dev score as a share of its target (F1 and MAP differ in scale)."""
    return min(scores[n] / TARGETS[n] for n in scores)


def best_cut(dev: dict, probs: dict) -> tuple[float, dict]:
    """The one cut: the one whose worst F1 (relative to its target) over the F1 dev sets is highest."""
    best = (-1.0, 0.5, {})
    for cut in np.round(np.arange(0.05, 0.951, 0.01), 2):
        scores = select_scores(dev, probs, float(cut))
        worst = min(scores[n] / TARGETS[n] for n, m in SELECT.items() if m == "f1")
        if worst > best[0]:
            best = (worst, float(cut), scores)
    return best[1], best[2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--features", type=Path, default=FEATURES, help="claim_features' output folder")
    ap.add_argument("--depth", type=int, default=3, choices=(3, 6))
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--decay", type=float, default=1e-4)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--sources", nargs="+", default=TRAIN, help="training sources (cached feature names)")
    ap.add_argument("--power", type=float, default=0.5, help="a source weighs (its size) ** power")
    ap.add_argument("--cues", action="store_true", help="add the surface cues of claim_cues() to the features")
    ap.add_argument("--no-context", action="store_true", help="train on sentences read alone only")
    ap.add_argument("--write", action="store_true", help="write the head into presslens/models/encoder")
    args = ap.parse_args()
    t0 = time.time()
    rng = np.random.default_rng(SEED)
    x, y, w = training_rows(args.features, args.depth, not args.no_context, args.sources, args.cues, args.power)
    mu, sd = x.mean(0), x.std(0) + 1e-6
    xn = (x - mu) / sd
    w = w * (len(w) / w.sum())
    dev = {name: load(args.features, name) for name in SELECT}
    if args.cues:
        dev = {name: with_cues(name, d) for name, d in dev.items()}
    devx = {name: (d[f"a{args.depth}"] - mu) / sd for name, d in dev.items()}
    model = MLP(x.shape[1], args.hidden, rng)
    print(f"{len(y)} training rows ({int(y.sum())} positive), dim {x.shape[1]}", flush=True)
    best = None
    for epoch in range(1, args.epochs + 1):
        order = rng.permutation(len(y))
        for k in range(0, len(order), args.batch):
            idx = order[k:k + args.batch]
            model.step(xn[idx], y[idx], w[idx] / len(idx), args.lr, args.decay, args.dropout, rng)
        z = {name: model.logits(v) for name, v in devx.items()}
        f1_sets = [n for n, m in SELECT.items() if m == "f1"]
        a, b = platt(np.concatenate([z[n] for n in f1_sets]), np.concatenate([dev[n]["y"] for n in f1_sets]).astype(float))
        probs = {name: sigmoid(a * v + b) for name, v in z.items()}
        cut, scores = best_cut(dev, probs)
        worst = relative(scores)
        print(f"epoch {epoch:2d}  worst/target {worst:.3f}  cut {cut:.2f}  " +
              "  ".join(f"{n} {s:.4f}" for n, s in scores.items()), flush=True)
        if best is None or worst > best["worst"]:
            best = dict(worst=worst, epoch=epoch, cut=cut, scores=scores, a=a, b=b,
                        params=[p.copy() for p in model.params])
    print(f"best epoch {best['epoch']}: worst/target {best['worst']:.3f} at cut {best['cut']:.2f}; "
          f"{time.time() - t0:.0f} s", flush=True)
    if args.write:
        write(args, best, mu, sd)


def write(args, best: dict, mu: np.ndarray, sd: np.ndarray) -> None:
    """Fold standardisation into layer 1 and Platt scaling into layer 2; store as cl1_<d>/cl2_<d>."""
    w1, b1, w2, b2 = best["params"]
    folder = MODELS / "encoder"
    with np.load(folder / "heads.npz", allow_pickle=False) as z:
        heads = {k: z[k] for k in z.files}
    d = args.depth
    heads[f"cl1_{d}_w"] = (w1 / sd).astype(np.float32)
    heads[f"cl1_{d}_b"] = (b1 - (w1 / sd) @ mu).astype(np.float32)
    heads[f"cl2_{d}_w"] = (best["a"] * w2).astype(np.float32)
    heads[f"cl2_{d}_b"] = (best["a"] * b2 + best["b"]).astype(np.float32)
    np.savez(folder / "heads.npz", **heads)
    config = json.loads((folder / "config.json").read_text())
    config["claim_threshold"][str(d)] = best["cut"]
    (folder / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    print(f"wrote heads.npz cl*_{d} and claim_threshold {best['cut']}; update manifest.json sha256", flush=True)


if __name__ == "__main__":
    main()
