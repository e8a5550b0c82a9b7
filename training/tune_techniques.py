"""Choose the techniques analyzer's SI post-processing ([techniques] threshold, merge_gap, min_chars) on PTC val.

Runs in the runtime venv against the shared encoder in presslens/models/encoder; never imported by the package.
Encodes splits/val-ids.txt once, then grids the settings with the official SI measure, and prints TC micro-F1.

    nice .venv/bin/python training/tune_techniques.py [--depth 3|6]
"""
from __future__ import annotations

import argparse
import itertools
import time

from presslens.analyzers import techniques as T
from presslens.evaluate import techniques as ev


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depth", type=int, default=3, choices=(3, 6))
    depth = ap.parse_args().depth
    ids = ev.read_ids(ev.PTC / "splits" / "val-ids.txt")
    arts = ev.read_articles(ev.PTC / "train-articles", ids)
    gold_si = [r for r in ev.read_si(ev.PTC / "train-task-si.labels") if r[0] in arts]
    gold_tc = [r for r in ev.read_tc(ev.PTC / "train-task-flc-tc.labels") if r[0] in arts]
    model = T.load_model(depth=depth)
    t0 = time.time()
    enc, pieces = {}, 0
    for aid, text in arts.items():
        wins = model.windows(text, T.line_segments(text))
        enc[aid] = wins
        pieces += sum(len(w["ids"]) for w in wins)
    print(f"encoded {len(arts)} articles, {sum(map(len, arts.values()))} chars, {pieces} pieces in "
          f"{time.time() - t0:.1f}s", flush=True)

    def spans(th: float, gap: int, minc: int) -> list:
        rows = []
        for aid, wins in enc.items():
            for w in wins:
                for s, e, _ in T.join_close(T.decode(w["off"], w[f"prob{depth}"], th), gap):
                    s, e = T.trim(arts[aid], s, e)
                    if e - s >= minc:
                        rows.append((aid, s, e))
        return rows

    grid = []
    for th, gap, minc in itertools.product([0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6], [0, 12, 20, 30, 45, 60, 90],
                                           [2, 5, 10, 15, 20]):
        r = ev.si_scores(spans(th, gap, minc), gold_si, set(arts))
        grid.append((r["f1"], th, gap, minc, r["precision"], r["recall"]))
    grid.sort(reverse=True)
    for row in grid[:10]:
        print("SI F1 %.4f  threshold %.2f  merge_gap %d  min_chars %d  (P %.3f R %.3f)" % row)
    _, tc = ev.predict(arts, [(a, "?", s, e) for a, _, s, e in gold_tc], None, config=T.Config(depth=depth))
    print("TC", ev.tc_scores(tc, gold_tc))


if __name__ == "__main__":
    main()
