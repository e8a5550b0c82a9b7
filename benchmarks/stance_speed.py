"""Speed of the stance reader: pairs/s and words/s, as a ratio to plain word splitting of the same texts.

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/stance_speed.py            # 2,000 FNC-1 hold-out pairs
    .venv/bin/python benchmarks/stance_speed.py --pairs 500 --json out.json

The pairs are FNC-1 hold-out pairs taken one body at a time (../shared/data/stance/fnc-1) when that folder is present, otherwise
generated here from templates. The baseline is `str.split` plus lower-casing of every claim and text in the same
process (the least any reader must do), so the ratio is stable on a loaded machine where raw rates are not.
CPU seconds are reported next to wall seconds; peak RSS is the process's.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def generated_pairs(n: int) -> list[tuple[str, str]]:
    rng = random.Random(13)
    topics = ["a bridge collapsed in the harbour district", "the mayor resigned after a vote", "a rare bird was seen"
              " on the island", "the factory will close next year", "a painting was stolen from the museum"]
    verbs = ["Officials confirmed that", "Reports claimed that", "Police denied that", "Witnesses said that"]
    out = []
    for _ in range(n):
        topic = rng.choice(topics)
        text = " ".join(f"{rng.choice(verbs)} {rng.choice(topics)}." for _ in range(rng.randint(5, 40)))
        out.append((topic.capitalize(), text))
    return out


def hold_out_pairs(n: int) -> list[tuple[str, str]]:
    from presslens.evaluate.stance_pairs import FNC, read_fnc

    if not (FNC / "train_stances.csv").exists():
        return []
    data = read_fnc()
    hold = [p for p in data["pairs"] if p["split"] == "hold_out"]
    # Interleave by body so the first n pairs hold as many distinct texts as they can (each text is read once).
    by_body: dict[str, list] = {}
    for p in hold:
        by_body.setdefault(p["body"], []).append(p)
    rounds = [[group[i] for group in by_body.values() if i < len(group)] for i in range(max(map(len, by_body.values())))]
    return [(p["claim"], data["bodies"][p["body"]]) for p in (q for r in rounds for q in r)][:n]


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=2000)
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args()
    from presslens.runtime.stance_reader import load_stance_reader

    pairs = hold_out_pairs(args.pairs)
    source = "FNC-1 hold-out" if pairs else "generated"
    pairs = pairs or generated_pairs(args.pairs)
    reader = load_stance_reader()
    reader.predict_many(pairs[:20])  # warm-up: arrays paged in
    words = sum(len(c.split()) + len(t.split()) for c, t in pairs)
    base_wall, base_cpu = timed(lambda: [(c.lower().split(), t.lower().split()) for c, t in pairs])
    wall, cpu = timed(lambda: reader.predict_many(pairs))
    result = {"source": source, "pairs": len(pairs), "texts": len({t for _, t in pairs}), "words": words,
              "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "pairs_per_second": round(len(pairs) / wall, 1),
              "words_per_second": round(words / wall), "pairs_per_cpu_second": round(len(pairs) / cpu, 1), "ratio_to_word_split": round(base_wall / wall, 5),
              "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
