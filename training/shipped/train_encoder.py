"""Build presslens/models/encoder: one MiniLM encoder shared by the `techniques` and `claims` analyzers.

Never imported by the package. all-MiniLM-L6-v2 (6 layers) fine-tuned on two tasks at once, with heads at two
depths ("exits") so the analyzers can stop early:

- exit 3 (the fast default): the first 3 layers, one ONNX graph (lower.onnx);
- exit 6 (the accurate option): lower.onnx, then layers 4-6 in a second graph (upper.onnx) fed with exit 3's states.

Heads at each exit:
- SI (PTC span identification): per word piece, an MLP over its state and its two neighbours' -> "inside a span";
  inside the ONNX graphs, so it is quantised with the encoder;
- TC (PTC technique classification): MLP over [mean span states, window [CLS] state, 4 surface cues] -> 14 labels;
- claim (CheckThat! 2024 check-worthiness): MLP over the mean of a sentence's piece states -> "check-worthy".
TC and claim heads are numpy (heads.npz): they see a few vectors per article.

Why one encoder: the two tasks read the same article text, so one pass over its windows serves both; two separate
models cost 2.3x a spaCy parse. Claims are pooled from sentences *in context* (a window of neighbouring
sentences), as the analyzer sees them in an article: CT24 train sentences, sorted by Sentence_id (debate order),
are packed into windows of consecutive sentences.

Data discipline: PTC splits/train-ids.txt and CT24 train for fitting; PTC val ids and CT24 dev for choosing the
epoch and thresholds; CT24 dev-test only for reporting.

    nice .venv-train/bin/python -m training.shipped.train_encoder --epochs 3 --budget-min 55 --threads 2
"""
from __future__ import annotations

import argparse
import copy
import json
import random
import time
from pathlib import Path

from .. import ct24 as tcl  # CT24 reader, prf, threshold search
from .. import ptc as ttq  # PTC reader, windows, SI measure
from ..common import MODELS, SEED, length_groups, minilm_dir, start
from ..ptc import N_FEATS

from .encoder_export import EXITS, export

def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=MODELS / "encoder")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--budget-min", type=float, default=0.0, help="stop after this many minutes (LR decays on time)")
    ap.add_argument("--save-torch", type=Path, default=None, help="also write the torch weights here (not shipped)")
    ap.add_argument("--limit", type=int, default=0, help="smoke test: N PTC articles, 40N CT24 sentences")
    args = ap.parse_args(argv)

    import torch
    from transformers import AutoModel

    src = minilm_dir()
    tok = start(args.threads, src / "tokenizer.json")
    rng = random.Random(SEED)
    t0 = time.time()
    labels = sorted(ttq.SEMEVAL2023)

    train_ids, val_ids = ttq.read_ids("train-ids.txt"), ttq.read_ids("val-ids.txt")
    c_ids, c_texts, c_labels = tcl.read_tsv(tcl.SPLITS["train"])
    d_ids, d_texts, d_labels = tcl.read_tsv(tcl.SPLITS["dev"])
    t_ids, t_texts, t_labels = tcl.read_tsv(tcl.SPLITS["dev-test"])
    if args.limit:
        train_ids, val_ids = train_ids[: args.limit], val_ids[: max(2, args.limit // 4)]
        n = 40 * args.limit
        c_ids, c_texts, c_labels = c_ids[:n], c_texts[:n], c_labels[:n]
        d_ids, d_texts, d_labels = d_ids[:n // 4], d_texts[:n // 4], d_labels[:n // 4]
    ptc_train = ttq.build(train_ids, tok, args.max_len, labels)
    ptc_val = ttq.build(val_ids, tok, args.max_len, labels)
    for x in ptc_train + ptc_val:
        x["task"] = "ptc"
    print(f"PTC train windows {len(ptc_train)} ({sum(len(x['ids']) for x in ptc_train)} pieces), "
          f"val {len(ptc_val)}; CT24 train {len(c_ids)} dev {len(d_ids)} ({time.time() - t0:.0f}s)", flush=True)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = AutoModel.from_pretrained(str(src))
            h = self.enc.config.hidden_size
            self.h = h
            self.heads = torch.nn.ModuleDict()
            for e in EXITS:
                self.heads[f"si1_{e}"] = torch.nn.Linear(3 * h, 256)
                self.heads[f"si2_{e}"] = torch.nn.Linear(256, 1)
                self.heads[f"tc1_{e}"] = torch.nn.Linear(2 * h + N_FEATS, 256)
                self.heads[f"tc2_{e}"] = torch.nn.Linear(256, len(labels))
                self.heads[f"cl1_{e}"] = torch.nn.Linear(h, 256)
                self.heads[f"cl2_{e}"] = torch.nn.Linear(256, 1)
            self.drop = torch.nn.Dropout(0.1)

        def gelu(self, x):
            return torch.nn.functional.gelu(x, approximate="tanh")

        def forward(self, input_ids, attention_mask):
            out = self.enc(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
            return {e: out.hidden_states[e] for e in EXITS}

        def si_logits(self, hid, e):
            x = torch.cat([hid[:, 1:-1], hid[:, :-2], hid[:, 2:]], dim=-1)
            return self.heads[f"si2_{e}"](self.drop(self.gelu(self.heads[f"si1_{e}"](x)))).squeeze(-1)

        def tc_logits(self, hid, rows, e):
            pooled = torch.stack([hid[b, 1 + s:1 + t].mean(0) for b, s, t, _, _ in rows])
            cls = torch.stack([hid[b, 0] for b, *_ in rows])
            feats = torch.tensor([f for *_, f in rows], dtype=torch.float32)
            x = torch.cat([pooled, cls, feats], dim=1)
            return self.heads[f"tc2_{e}"](self.drop(self.gelu(self.heads[f"tc1_{e}"](self.drop(x)))))

        def claim_logits(self, hid, rows, e):
            pooled = torch.stack([hid[b, 1 + s:1 + t].mean(0) for b, s, t, *_ in rows])
            return self.heads[f"cl2_{e}"](self.drop(self.gelu(self.heads[f"cl1_{e}"](self.drop(pooled))))).squeeze(-1)

    model = Net()
    # the word-piece embeddings stay as pre-trained: 11.7M of the 22.7M weights, little to learn from this data,
    # and their optimizer step is a tenth of the step time on a 2-core CPU
    model.enc.embeddings.word_embeddings.weight.requires_grad_(False)

    def pad(batch):
        width = max(len(x["ids"]) for x in batch) + 2
        ids = torch.zeros(len(batch), width, dtype=torch.long)
        mask = torch.zeros(len(batch), width, dtype=torch.long)
        for i, x in enumerate(batch):
            seq = [101] + x["ids"] + [102]
            ids[i, : len(seq)] = torch.tensor(seq)
            mask[i, : len(seq)] = 1
        return ids, mask

    def groups(items, shuffle):
        return [[items[i] for i in g] for g in length_groups(items, args.batch, rng if shuffle else None)]

    def epoch_batches():
        ct = tcl.claim_windows(c_ids, c_texts, c_labels, tok, args.max_len, True, rng)
        for x in ct:
            x["task"] = "ct"
        batches = groups(ptc_train, True) + groups(ct, True)
        rng.shuffle(batches)
        return batches

    steps_per_epoch = len(epoch_batches())
    total = steps_per_epoch * args.epochs
    budget_s = args.budget_min * 60 if args.budget_min else float("inf")
    head_params = [p for n, p in model.named_parameters() if not n.startswith("enc.")]
    opt = torch.optim.AdamW([{"params": [p for p in model.enc.parameters() if p.requires_grad], "lr": args.lr},
                             {"params": head_params, "lr": 1e-3}], weight_decay=0.01)
    warm = max(1, int(0.06 * total))
    t_train = time.time()

    def progress(step: int) -> float:
        return min(1.0, max(step / total, (time.time() - t_train) / budget_s))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, 1.0 - progress(s)))
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")
    ce = torch.nn.CrossEntropyLoss()
    claim_bce = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(1.5))

    def loss_of(batch):
        ids, mask = pad(batch)
        hid = model(ids, mask)
        loss = torch.zeros(())
        if batch[0]["task"] == "ptc":
            L = ids.shape[1] - 2
            tgt = torch.zeros(len(batch), L)
            m = torch.zeros(len(batch), L)
            for b, x in enumerate(batch):
                tgt[b, :len(x["si"])] = torch.tensor(x["si"])
                m[b, :len(x["si"])] = 1
            rows = [(b, s, e, lab, f) for b, x in enumerate(batch) for s, e, lab, f in x["spans"]]
            for e in EXITS:
                loss = loss + (bce(model.si_logits(hid[e], e), tgt) * m).sum() / m.sum()
                if rows:
                    loss = loss + ce(model.tc_logits(hid[e], rows, e), torch.tensor([r[3] for r in rows]))
        else:
            rows = [(b, s, t, lab) for b, x in enumerate(batch) for s, t, lab, _ in x["claims"]]
            y = torch.tensor([float(r[3]) for r in rows])
            for e in EXITS:
                loss = loss + claim_bce(model.claim_logits(hid[e], rows, e), y)
        return loss

    @torch.no_grad()
    def ptc_eval(e):
        model.eval()
        probs, tc_pred, tc_gold = [], [], []
        for batch in groups(ptc_val, False):
            ids, mask = pad(batch)
            hid = model(ids, mask)[e]
            p = torch.sigmoid(model.si_logits(hid, e))
            rows = [(b, s, t, lab, f) for b, x in enumerate(batch) for s, t, lab, f in x["spans"]]
            if rows:
                tc_pred += model.tc_logits(hid, rows, e).argmax(-1).tolist()
                tc_gold += [r[3] for r in rows]
            for b, x in enumerate(batch):
                probs.append((x, p[b, :len(x["ids"])].tolist()))
        model.train()
        return si_tc(probs, tc_pred, tc_gold)

    def si_tc(probs, tc_pred, tc_gold):
        best = ttq.best_si(probs)
        acc = sum(int(a == b) for a, b in zip(tc_pred, tc_gold)) / max(1, len(tc_gold))
        return best, acc

    @torch.no_grad()
    def claim_scores(ids_, texts_, labels_, e, context):
        """Scores per row (context=False: each sentence alone, the CheckThat! setting)."""
        model.eval()
        wins = tcl.claim_windows(ids_, texts_, labels_, tok, args.max_len, context)
        scores = [0.0] * len(ids_)
        for batch in groups(wins, False):
            ids, mask = pad(batch)
            hid = model(ids, mask)[e]
            rows = [(b, s, t, lab, i) for b, x in enumerate(batch) for s, t, lab, i in x["claims"]]
            for r, p in zip(rows, torch.sigmoid(model.claim_logits(hid, rows, e)).tolist()):
                scores[r[4]] = p
        model.train()
        return scores

    def claim_eval(e, context):
        dev = claim_scores(d_ids, d_texts, d_labels, e, context)
        th = tcl.best_threshold(d_labels, dev)
        out = {"threshold": th, "dev": tcl.prf(d_labels, [int(s >= th) for s in dev])}
        test = claim_scores(t_ids, t_texts, t_labels, e, context)
        out["dev-test"] = tcl.prf(t_labels, [int(s >= th) for s in test])  # reported, never used for choices
        return out

    def evaluate_all():
        res = {}
        for e in EXITS:
            si, tc = ptc_eval(e)
            res[e] = {"si": si, "tc": tc, "claims_alone": claim_eval(e, False), "claims_context": claim_eval(e, True)}
        return res

    def selection_score(res):  # val/dev only: SI F1 + TC + claims dev F1, summed over exits
        return sum(r["si"]["f1"] + r["tc"] + r["claims_alone"]["dev"]["f1"] for r in res.values())

    history = []
    best = (-1.0, None, None, 0)
    step = 0
    model.train()
    for epoch in range(args.epochs):
        te = time.time()
        run = 0.0
        batches = epoch_batches()
        for i, batch in enumerate(batches):
            if progress(step) >= 1.0:
                break
            loss = loss_of(batch)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            run += loss.item()
            if step % 100 == 0:
                el = time.time() - te
                print(f"epoch {epoch} step {i + 1}/{len(batches)} loss {run / 100:.3f} {el / (i + 1):.2f}s/step "
                      f"lr {sched.get_last_lr()[0]:.2e}", flush=True)
                run = 0.0
        res = evaluate_all()
        history.append({"epoch": epoch + 1, "steps": step, "minutes": round((time.time() - t0) / 60, 1),
                        **{f"exit{e}": r for e, r in res.items()}})
        print(json.dumps(history[-1]), flush=True)
        score = selection_score(res)
        if score > best[0]:
            best = (score, copy.deepcopy(model.state_dict()), res, epoch + 1)
        if progress(step) >= 1.0:
            print(f"stopped after {step} steps ({(time.time() - t0) / 60:.1f} min)", flush=True)
            break
    train_minutes = (time.time() - t0) / 60
    if args.save_torch:
        torch.save({"best": best[1], "last": model.state_dict(), "step": step}, args.save_torch)
    model.load_state_dict(best[1])
    model.eval()
    export(model, args, labels, best, history, train_minutes, src, pad, groups, ptc_val, si_tc,
           (d_ids, d_texts, d_labels), (t_ids, t_texts, t_labels), tok, t0)


if __name__ == "__main__":
    main()
