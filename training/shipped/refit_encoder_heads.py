"""Refit the encoder's technique (TC) heads on the shipped int8 graphs' own states (presslens/models/encoder).

Never imported by the package. The joint fine-tune trains the TC heads on moving fp32 states for a few epochs;
here the encoder is frozen as shipped (int8, as the analyzer runs it), the span features of every PTC train span
are computed once, and each exit's MLP is trained further on them (initialised from the joint heads). The epoch
with the best micro-F1 on PTC val is kept; if none beats the joint head, heads.npz is left as it was.

    nice .venv-train/bin/python -m training.shipped.refit_encoder_heads [--model presslens/models/encoder]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path

from .. import ptc as ttq
from ..common import MODELS, SEED


def features(model_dir: Path, items: list[dict], depth: int, threads: int):
    """(x, y) for every gold span of ``items``: [mean span state, window [CLS] state, surface cues]."""
    import numpy as np
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    lower = ort.InferenceSession(str(model_dir / "lower.onnx"), so, providers=["CPUExecutionProvider"])
    upper = ort.InferenceSession(str(model_dir / "upper.onnx"), so, providers=["CPUExecutionProvider"])
    xs, ys = [], []
    order = sorted(range(len(items)), key=lambda i: len(items[i]["ids"]))
    for k in range(0, len(order), 32):
        batch = [items[i] for i in order[k:k + 32] if items[i]["spans"]]
        if not batch:
            continue
        width = max(len(x["ids"]) for x in batch) + 2
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for b, x in enumerate(batch):
            ids[b, :len(x["ids"]) + 2] = [101] + x["ids"] + [102]
            mask[b, :len(x["ids"]) + 2] = 1
        hid, _ = lower.run(None, {"input_ids": ids, "attention_mask": mask})
        if depth == 6:
            hid, _ = upper.run(None, {"hidden_in": hid, "attention_mask": mask})
        for b, x in enumerate(batch):
            for s, e, lab, f in x["spans"]:
                xs.append(np.concatenate([hid[b, 1 + s:1 + e].mean(0), hid[b, 0], np.asarray(f, dtype=np.float32)]))
                ys.append(lab)
    return np.stack(xs).astype("float32"), np.asarray(ys)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=MODELS / "encoder")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="smoke test: N train / N val articles")
    args = ap.parse_args()

    import numpy as np
    import torch
    from tokenizers import Tokenizer

    torch.manual_seed(SEED)
    random.seed(SEED)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    config = json.loads((args.model / "config.json").read_text())
    labels = config["labels"]
    tok = Tokenizer.from_file(str(args.model / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    train_ids, val_ids = ttq.read_ids("train-ids.txt"), ttq.read_ids("val-ids.txt")
    if args.limit:
        train_ids, val_ids = train_ids[:args.limit], val_ids[:args.limit]
    train = ttq.build(train_ids, tok, config["max_len"], labels)
    val = ttq.build(val_ids, tok, config["max_len"], labels)
    heads = dict(np.load(args.model / "heads.npz"))
    report = {}
    for depth in config["exits"]:
        xtr, ytr = features(args.model, train, depth, args.threads)
        xva, yva = features(args.model, val, depth, args.threads)
        print(f"exit {depth}: {len(ytr)} train / {len(yva)} val spans ({time.time() - t0:.0f}s)", flush=True)
        l1 = torch.nn.Linear(xtr.shape[1], heads[f"tc1_{depth}_w"].shape[0])
        l2 = torch.nn.Linear(l1.out_features, len(labels))
        with torch.no_grad():
            for lin, name in ((l1, "tc1"), (l2, "tc2")):
                lin.weight.copy_(torch.from_numpy(heads[f"{name}_{depth}_w"]))
                lin.bias.copy_(torch.from_numpy(heads[f"{name}_{depth}_b"]))
        drop = torch.nn.Dropout(0.2)

        def logits(x, train_mode=False):
            h = torch.nn.functional.gelu(l1(drop(x) if train_mode else x), approximate="tanh")
            return l2(drop(h) if train_mode else h)

        Xtr, Ytr = torch.from_numpy(xtr), torch.from_numpy(ytr).long()
        Xva, Yva = torch.from_numpy(xva), torch.from_numpy(yva).long()
        opt = torch.optim.AdamW(list(l1.parameters()) + list(l2.parameters()), lr=3e-4, weight_decay=0.01)
        with torch.no_grad():
            base = float((logits(Xva).argmax(-1) == Yva).float().mean())
        best = (base, None, 0)
        for epoch in range(1, args.epochs + 1):
            perm = torch.randperm(len(Ytr))
            for k in range(0, len(perm), 64):
                idx = perm[k:k + 64]
                loss = torch.nn.functional.cross_entropy(logits(Xtr[idx], True), Ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
            with torch.no_grad():
                acc = float((logits(Xva).argmax(-1) == Yva).float().mean())
            if acc > best[0]:
                best = (acc, [t.detach().clone().numpy() for t in (l1.weight, l1.bias, l2.weight, l2.bias)], epoch)
        print(f"exit {depth}: val TC {base:.4f} (joint head) -> best {best[0]:.4f} at epoch {best[2]}", flush=True)
        report[str(depth)] = {"joint": round(base, 4), "refit": round(best[0], 4), "epoch": best[2]}
        if best[1] is not None:
            for name, arr in zip(("tc1_w", "tc1_b", "tc2_w", "tc2_b"), best[1]):
                n, part = name.split("_")
                heads[f"{n}_{depth}_{part}"] = arr
    np.savez(args.model / "heads.npz", **heads)
    metrics = json.loads((args.model / "metrics.json").read_text())
    metrics["tc_head_refit"] = {**report, "epochs": args.epochs, "lr": 3e-4, "dropout": 0.2, "seed": SEED}
    (args.model / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
    manifest = json.loads((args.model / "manifest.json").read_text())
    for f in manifest["sha256"]:
        manifest["sha256"][f] = hashlib.sha256((args.model / f).read_bytes()).hexdigest()
    (args.model / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"done in {(time.time() - t0) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
