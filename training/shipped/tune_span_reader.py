"""Choose, per encoder depth, how the techniques analyzer uses the span reader, on PTC val: its weight in the label
blend and, when the reader has a "none" class, the SI setting (threshold, extend, none_cut) of the checked decoder.

Runs in the runtime venv against the shipped models (presslens/models/encoder and span-reader); never imported by
the package. Reads every gold span of splits/val-ids.txt once with each (the encoder's label probabilities at this
depth, as the analyzer blends its exits; the span reader's), then scores TC micro-F1 at weights 0, 0.1 … 1 with the
evaluator's rule for spans listed twice. Then decodes SI at a few thresholds (the encoder's own and lower ones), reads
each span found with the reader once, and scores the official SI F1 for each none_cut. ``--write`` stores the best
weight ("blend") and SI setting ("si"), per depth, in span-reader/config.json and refreshes its manifest.json.

    nice .venv/bin/python -m training.shipped.tune_span_reader --depth 3 [--write]
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np

from presslens.analyzers import techniques as T
from presslens.evaluate import techniques as ev
from presslens.runtime.span_reader import MODEL_NAME, load
from .tune_techniques import update_config, val_split  # the same val split and config writer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depth", type=int, default=3, choices=(3, 6))
    ap.add_argument("--write", action="store_true", help="store the best weight in span-reader/config.json")
    args = ap.parse_args()
    arts, gold_si, gold = val_split()
    encoder = T.load_model(depth=args.depth, reader="")
    reader = load()
    t0 = time.time()
    rows, wins = [], {}
    for aid, text in arts.items():
        lower, segs = text.lower(), T.line_segments(text)
        wins[aid] = encoder.windows(text, segs)
        spans = [(s, e) for a, _, s, e in gold if a == aid]
        read, _ = reader.split(reader.probs(text, spans, segs, [T.reader_features(text, lower, s, e) for s, e in spans]))
        for (s, e), r in zip(spans, read):
            win = next((w for w in wins[aid] if w["off"][0][0] <= s < w["off"][-1][1]), None) or wins[aid][-1]
            rows.append((aid, s, e, encoder.label_scores(text, lower, win, s, e), r))
    print(f"read {len(rows)} val spans in {time.time() - t0:.1f}s", flush=True)

    def f1(w: float) -> float:
        blended = [(aid, s, e, r if p is None else (1 - w) * p + w * r) for aid, s, e, p, r in rows]
        return ev.tc_scores(ev.template_labels(blended, reader.techniques), gold)["f1"]

    scores = [(round(w, 1), f1(w)) for w in np.linspace(0, 1, 11)]
    print("TC micro-F1 by span-reader weight:", ", ".join(f"{w:.1f}: {f:.4f}" for w, f in scores))
    best_f1, best_w = max((f, w) for w, f in scores)  # ties: the larger weight
    print(f"chosen weight {best_w} (TC {best_f1:.4f}; encoder alone {scores[0][1]:.4f}, reader alone {scores[-1][1]:.4f})")
    si_best = None
    if reader.none is not None:
        own = encoder.decoding()
        cache: dict = {}
        grid = []
        for th, ext in sorted({(own["threshold"], own["extend"]), (own["threshold"], 0.1), (0.25, 0.1), (0.2, 0.1),
                               (0.25, 0.15), (0.2, 0.15), (0.15, 0.1)}):
            if ext > th:
                continue
            setting = dict(own, threshold=th, extend=ext)
            found = []
            for aid, text in arts.items():
                spans = [(a, b) for a, b, _, _ in encoder.find(text, wins[aid], setting)]
                todo = [x for x in spans if (aid,) + x not in cache]
                if todo:
                    lower = text.lower()
                    _, p_none = reader.split(reader.probs(text, todo, T.line_segments(text),
                                                          [T.reader_features(text, lower, a, b) for a, b in todo]))
                    cache.update({(aid, a, b): float(p) for (a, b), p in zip(todo, p_none)})
                found += [(aid, a, b) for a, b in spans]
            for cut in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01):
                r = ev.si_scores([x for x in found if cache[x] < cut], gold_si, set(arts))
                grid.append((r["f1"], th, ext, cut, r["precision"], r["recall"]))
        grid.sort(reverse=True)
        for row in grid[:6]:
            print("SI F1 %.4f  threshold %.2f extend %.2f none_cut %.2f  (P %.3f R %.3f)" % row)
        plain = next(g for g in grid if g[1] == own["threshold"] and g[2] == own["extend"] and g[3] > 1)
        print(f"without the reader's check: SI F1 {plain[0]:.4f}")
        f, th, ext, cut, *_ = grid[0]
        si_best = {"threshold": th, "extend": ext, "none_cut": min(cut, 1.0)}
        print("chosen SI setting", json.dumps(si_best), f"SI F1 {f:.4f}")
    if args.write:
        def change(config: dict) -> None:
            config.setdefault("blend", {})[str(args.depth)] = best_w
            if si_best is not None:
                config.setdefault("si", {})[str(args.depth)] = si_best

        update_config(MODEL_NAME, change)

if __name__ == "__main__":
    main()
