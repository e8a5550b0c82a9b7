"""Choose the techniques analyzer's SI post-processing per encoder depth on PTC val (config.json ``si_decoding``).

Runs in the runtime venv against the shared encoder in presslens/models/encoder; never imported by the package.
Encodes splits/val-ids.txt once, then grids threshold, extend (hysteresis), merge_gap and min_chars -- and at depth
6 the weights of exit 6 in the blend of both exits' SI and TC readings -- with the official SI measure and TC
micro-F1, through the analyzer's own decoding (line breaks, whole words). ``--write`` stores the best setting in the
model's config.json and refreshes manifest.json.

    nice .venv/bin/python -m training.shipped.tune_techniques --depth 6 [--write]
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import time
from typing import Callable

import numpy as np

from presslens.analyzers import techniques as T
from presslens.evaluate import techniques as ev
from presslens.artifacts import artifact


def val_split() -> tuple[dict[str, str], list, list]:
    """PTC val (splits/val-ids.txt): {article id: text}, and the gold SI and TC rows of those articles."""
    arts = ev.read_articles(ev.PTC / "train-articles", ev.read_ids(ev.PTC / "splits" / "val-ids.txt"))
    gold_si = [r for r in ev.read_si(ev.PTC / "train-task-si.labels") if r[0] in arts]
    gold_tc = [r for r in ev.read_tc(ev.PTC / "train-task-flc-tc.labels") if r[0] in arts]
    return arts, gold_si, gold_tc


def update_config(name: str, change: Callable[[dict], None]) -> None:
    """Apply ``change`` to the shipped model's config.json and refresh its sha256 in manifest.json."""
    folder = artifact(name)
    config = json.loads((folder / "config.json").read_text())
    change(config)
    (folder / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["sha256"]["config.json"] = hashlib.sha256((folder / "config.json").read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {folder / 'config.json'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depth", type=int, default=3, choices=(3, 6))
    ap.add_argument("--write", action="store_true", help="store the best setting in the model's config.json")
    args = ap.parse_args()
    depth = args.depth
    arts, gold_si, gold_tc = val_split()
    model = T.load_model(depth=depth)
    t0 = time.time()
    enc, tc_rows = {}, []
    for aid, text in arts.items():
        wins = model.windows(text, T.line_segments(text))
        enc[aid] = wins
        lower = text.lower()
        for _, _, s, e in (r for r in gold_tc if r[0] == aid):  # TC probabilities of every exit, once
            win = next((w for w in wins if w["off"][0][0] <= s < w["off"][-1][1]), None) or wins[-1]
            probs = {}
            for d in ((3, 6) if depth == 6 else (3,)):
                idx = [i for i, (a, b) in enumerate(win["off"]) if a < e and b > s]
                h = win[f"hidden{d}"]
                x = [h[1 + idx[0]:1 + idx[-1] + 1].mean(0), h[0], T.span_features(text, lower, s, e)]
                probs[d] = model.encoder.technique_probs(np.concatenate([x[0], x[1], np.asarray(x[2], "float32")]), d)
            tc_rows.append((aid, s, e, probs))
    print(f"encoded {len(arts)} articles in {time.time() - t0:.1f}s", flush=True)

    def si_rows(blend: float, th: float, ext: float, gap: int, minc: int) -> list:
        rows = []
        for aid, wins in enc.items():
            text = arts[aid]
            for w in wins:
                p = w["prob3"] if depth == 3 else (1 - blend) * w["prob3"] + blend * w["prob6"]
                for s, e, _ in T.join_close(T.decode(w["off"], p, th, ext), gap):
                    for s, e in T.line_parts(text, s, e):
                        s, e = T.whole_words(text, s, e)
                        if e - s >= minc:
                            rows.append((aid, s, e))
        return rows

    def tc_f1(blend: float) -> float:
        rows = [(aid, s, e, probs[3] if depth == 3 else (1 - blend) * probs[3] + blend * probs[6])
                for aid, s, e, probs in tc_rows]
        return ev.tc_scores(ev.template_labels(rows, model.labels), gold_tc)["f1"]

    blends = [1.0] if depth == 3 else [0.3, 0.5, 0.7, 1.0]
    grid = []
    for blend, th, ext, gap, minc in itertools.product(blends, [0.25, 0.3, 0.35, 0.4, 0.45, 0.5],
                                                       [0.15, 0.2, 0.25, 0.3, 0.35], [20, 30, 45, 60, 90], [5, 10, 15]):
        if ext > th:
            continue
        r = ev.si_scores(si_rows(blend, th, ext, gap, minc), gold_si, set(arts))
        grid.append((r["f1"], blend, th, ext, gap, minc, r["precision"], r["recall"]))
    grid.sort(reverse=True)
    for row in grid[:8]:
        print("SI F1 %.4f  blend %.1f threshold %.2f extend %.2f merge_gap %d min_chars %d  (P %.3f R %.3f)" % row)
    tc = sorted(((tc_f1(b), b) for b in ([1.0] if depth == 3 else [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0])),
                reverse=True)
    print("TC micro-F1 by exit-6 weight:", ", ".join(f"{b:.1f}: {f:.4f}" for f, b in sorted(tc, key=lambda x: x[1])))
    f1, blend, th, ext, gap, minc, *_ = grid[0]
    chosen = {"threshold": th, "extend": ext, "merge_gap": gap, "min_chars": minc}
    if depth == 6:
        chosen.update(blend=blend, tc_blend=tc[0][1])
    print("chosen", json.dumps(chosen), f"SI F1 {f1:.4f} TC {tc[0][0]:.4f}")
    if args.write:
        def change(config: dict) -> None:
            config.setdefault("si_decoding", {})[str(depth)] = chosen
            config["si_threshold"][str(depth)] = th

        update_config("encoder", change)


if __name__ == "__main__":
    main()
