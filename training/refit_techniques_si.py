"""Refit the SI (span identification) head of the shipped techniques model on frozen encoder states.

Never imported by the package. Encodes PTC train/val windows once with the shipped ONNX encoder, then trains
an MLP over [state of the piece, states of its left and right neighbours] -> "inside a span" logit, keeping the
epoch with the lowest val loss; writes si1_w/si1_b/si2_w/si2_b into heads.npz (the analyzer then uses them
instead of the encoder's linear si_logit). Thresholds are re-tuned after with training/tune_techniques.py.

    nice .venv-train/bin/python training/refit_techniques_si.py
"""
from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SEED = 13


def collect(model, ids, ev, T):
    import numpy as np

    xs, ys = [], []
    for aid in ids:
        text = ev.read_articles(ev.PTC / "train-articles", [aid])[aid]
        gold = ev.merge((s, e) for _, _, s, e in
                        ev.read_tc(ev.PTC / "train-labels-task-flc-tc" / f"article{aid}.task-flc-tc.labels"))
        wins = model.windows(text, T.line_segments(text))
        model.encode(wins, 32)
        for w in wins:
            xs.append(T.si_inputs(w["hidden"]))
            ys.append(np.asarray([any(a < ge and b > gs for gs, ge in gold) for a, b in w["off"]], dtype=np.float32))
    return np.concatenate(xs).astype("float32"), np.concatenate(ys)


def main() -> None:
    import numpy as np
    import torch

    from presslens.analyzers import techniques as T
    from presslens.evaluate import techniques as ev

    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    t0 = time.time()
    model = T.TechniqueModel("techniques", 1)
    model.heads = {k: v for k, v in model.heads.items() if not k.startswith("si")}  # states come from the encoder
    xv, yv = collect(model, ev.read_ids(ev.PTC / "splits" / "val-ids.txt"), ev, T)
    xt, yt = collect(model, ev.read_ids(ev.PTC / "splits" / "train-ids.txt"), ev, T)
    print(f"features: train {xt.shape} ({yt.mean():.3f} inside) val {xv.shape} in {time.time() - t0:.0f}s", flush=True)
    lin1 = torch.nn.Linear(xt.shape[1], 256)
    lin2 = torch.nn.Linear(256, 1)
    drop = torch.nn.Dropout(0.1)

    def logit(x, train):
        z = torch.nn.functional.gelu(lin1(drop(x) if train else x), approximate="tanh")
        return lin2(drop(z) if train else z).squeeze(-1)

    Xt, Yt, Xv, Yv = map(torch.from_numpy, (xt, yt, xv, yv))
    opt = torch.optim.AdamW(list(lin1.parameters()) + list(lin2.parameters()), lr=5e-4, weight_decay=0.01)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    best = (float("inf"), None, 0)
    for epoch in range(1, 7):
        perm = torch.randperm(len(Xt))
        for i in range(0, len(perm), 256):
            j = perm[i:i + 256]
            loss = bce(logit(Xt[j], True), Yt[j])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            vl = bce(logit(Xv, False), Yv).item()
        print(f"epoch {epoch} val loss {vl:.4f} ({time.time() - t0:.0f}s)", flush=True)
        if vl < best[0]:
            best = (vl, {k: v.detach().numpy().copy() for k, v in
                         (("si1_w", lin1.weight), ("si1_b", lin1.bias), ("si2_w", lin2.weight), ("si2_b", lin2.bias))},
                    epoch)
    folder = REPO / "presslens" / "models" / "techniques"
    heads = dict(np.load(folder / "heads.npz"))
    heads.update(best[1])
    np.savez(folder / "heads.npz", **heads)
    metrics = json.loads((folder / "metrics.json").read_text())
    metrics["si_head_refit"] = {"val_bce": round(best[0], 4), "epochs": best[2], "lr": 5e-4, "seed": SEED,
                                "inputs": "piece state + left/right neighbour states",
                                "script": "training/refit_techniques_si.py"}
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in manifest["sha256"]:
        manifest["sha256"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote SI head (epoch {best[2]}, val loss {best[0]:.4f}); {time.time() - t0:.0f}s total")


if __name__ == "__main__":
    main()
