"""Refit the TC head of the shipped techniques model on its frozen (shipped ONNX) encoder states.

Never imported by the package. The joint fine-tuning (train_techniques.py) gives the encoder and a head
trained for the epochs the CPU allowed; this script encodes PTC train/val windows once with the shipped
encoder, then trains the same MLP head (init from the shipped one) for more epochs, keeping the epoch with the
best val micro-F1, and rewrites heads.npz + manifest.json only if val improves.

    nice .venv-train/bin/python training/refit_techniques_heads.py
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

    lab = {l: i for i, l in enumerate(model.labels)}
    xs, ys = [], []
    for aid in ids:
        text = ev.read_articles(ev.PTC / "train-articles", [aid])[aid]
        lower = text.lower()
        tc = [r for r in ev.read_tc(ev.PTC / "train-labels-task-flc-tc" / f"article{aid}.task-flc-tc.labels")]
        wins = model.windows(text, T.line_segments(text))
        model.encode(wins, 32)
        for _, label, s, e in tc:
            win = next((w for w in wins if w["off"][0][0] <= s < w["off"][-1][1]), None)
            if win is None:
                continue
            idx = [i for i, (a, b) in enumerate(win["off"]) if a < e and b > s]
            if not idx:
                continue
            h = win["hidden"]
            xs.append(np.concatenate([h[1 + idx[0]:1 + idx[-1] + 1].mean(0), h[0],
                                      np.asarray(T.span_features(text, lower, s, e), dtype=np.float32)]))
            ys.append(lab[label])
    return np.stack(xs).astype("float32"), np.asarray(ys)


def main() -> None:
    import numpy as np
    import torch

    from presslens.analyzers import techniques as T
    from presslens.evaluate import techniques as ev

    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    t0 = time.time()
    model = T.TechniqueModel("techniques", 1)
    train_ids = ev.read_ids(ev.PTC / "splits" / "train-ids.txt")
    val_ids = ev.read_ids(ev.PTC / "splits" / "val-ids.txt")
    xv, yv = collect(model, val_ids, ev, T)
    xt, yt = collect(model, train_ids, ev, T)
    print(f"features: train {xt.shape} val {xv.shape} in {time.time() - t0:.0f}s", flush=True)
    np.savez("/tmp/tc_feats.npz", xt=xt, yt=yt, xv=xv, yv=yv)
    heads = model.heads
    lin1 = torch.nn.Linear(xt.shape[1], heads["tc1_w"].shape[0])
    lin2 = torch.nn.Linear(heads["tc1_w"].shape[0], len(model.labels))
    with torch.no_grad():
        for layer, w, b in ((lin1, "tc1_w", "tc1_b"), (lin2, "tc2_w", "tc2_b")):
            layer.weight.copy_(torch.from_numpy(heads[w]))
            layer.bias.copy_(torch.from_numpy(heads[b]))
    drop = torch.nn.Dropout(0.2)

    def logits(x, train):
        z = torch.nn.functional.gelu(lin1(drop(x) if train else x), approximate="tanh")
        return lin2(drop(z) if train else z)

    Xt, Yt, Xv, Yv = map(torch.from_numpy, (xt, yt, xv, yv))
    with torch.no_grad():
        base = (logits(Xv, False).argmax(-1) == Yv).float().mean().item()
    print(f"shipped head: val TC {base:.4f}", flush=True)
    opt = torch.optim.AdamW(list(lin1.parameters()) + list(lin2.parameters()), lr=3e-4, weight_decay=0.01)
    best = (base, None, 0)
    for epoch in range(1, 41):
        perm = torch.randperm(len(Xt))
        for i in range(0, len(perm), 64):
            j = perm[i:i + 64]
            loss = torch.nn.functional.cross_entropy(logits(Xt[j], True), Yt[j])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            acc = (logits(Xv, False).argmax(-1) == Yv).float().mean().item()
        if acc > best[0]:
            best = (acc, {k: v.detach().numpy().copy() for k, v in
                          (("tc1_w", lin1.weight), ("tc1_b", lin1.bias), ("tc2_w", lin2.weight), ("tc2_b", lin2.bias))},
                    epoch)
        if epoch % 5 == 0:
            print(f"epoch {epoch} val TC {acc:.4f} (best {best[0]:.4f} @ {best[2]})", flush=True)
    if best[1] is None:
        print("no improvement over the shipped head; nothing written")
        return
    folder = REPO / "presslens" / "models" / "techniques"
    np.savez(folder / "heads.npz", **best[1])
    metrics = json.loads((folder / "metrics.json").read_text())
    metrics["tc_head_refit"] = {"val_tc_micro_f1_before": round(base, 4), "val_tc_micro_f1": round(best[0], 4),
                                "epochs": best[2], "lr": 3e-4, "dropout": 0.2, "seed": SEED,
                                "script": "training/refit_techniques_heads.py"}
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in manifest["sha256"]:
        manifest["sha256"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote heads.npz: val TC {base:.4f} -> {best[0]:.4f} (epoch {best[2]}); {time.time() - t0:.0f}s total")


if __name__ == "__main__":
    main()
