"""Fit the technique-rules combiner (presslens/models/technique-rules) on PTC train; choose its cuts and label boost on
PTC val and the opinion set together (the worse of the two decides).

Every rule candidate (presslens.analyzers.technique_rules) on the 324 PTC train articles is read by the shipped
encoder and span reader; its features (presslens.analyzers.rule_combiner.FEATURES) and whether gold spans cover at
least half of it make one training row of a logistic regression (scikit-learn, standardised features, C=1).

Chosen on PTC val (47 articles) and the opinion set (presslens/evaluate/opinion_dev.jsonl), from one reading of each:
- ``precise`` cut: the highest worst-of-two SI F1 (spans found by the encoder plus the candidates kept);
- ``recall`` cut: the highest worst-of-two SI recall with SI precision >= 0.5 on the opinion set and >= 0.3 on PTC val;
- ``boost`` (label nudge per rule hit): the highest worst-of-two TC micro-F1 on the gold spans, never more than
  0.005 below PTC val's TC without the rules.

    nice .venv/bin/python -m training.shipped.train_rule_combiner --write      # about 4 min on one core
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter

import numpy as np

from presslens.analyzers import techniques as T
from presslens.analyzers.rule_combiner import FEATURES, MODEL_NAME, boosted
from presslens.evaluate import opinion
from presslens.evaluate.techniques import PTC, read_articles, read_ids, read_si, read_tc, si_scores, tc_scores
from ..common import MODELS, REPO

CUTS = [round(x, 2) for x in np.arange(0.05, 0.96, 0.05)]
BOOSTS = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0]
VERSION = "1"


def coverage(start: int, end: int, gold: list[tuple[int, int]]) -> float:
    return sum(max(0, min(end, e) - max(start, s)) for s, e in gold) / max(1, end - start)


def read_ptc(split: str) -> dict[str, dict]:
    ids = read_ids(PTC / "splits" / f"{split}-ids.txt")
    texts = read_articles(PTC / "train-articles", ids)
    si = [r for r in read_si(PTC / "train-task-si.labels") if r[0] in texts]
    tc = [r for r in read_tc(PTC / "train-task-flc-tc.labels") if r[0] in texts]
    out = {aid: {"text": t, "segments": T.line_segments(t), "doc": None, "si": [], "tc": []} for aid, t in texts.items()}
    for aid, s, e in si:
        out[aid]["si"].append((s, e))
    for aid, tech, s, e in tc:
        out[aid]["tc"].append((s, e, tech))
    return out


def read_opinion() -> dict[str, dict]:
    from presslens.artifacts import load_spacy

    nlp = load_spacy()
    out = {}
    for item in opinion.load_set():
        doc, segments = opinion.read_paragraph(nlp, item["text"], item["id"])
        spans = item["spans"]
        out[item["id"]] = {"text": item["text"], "segments": segments, "doc": doc,
                           "si": [(s, e) for s, e, _ in spans], "tc": spans}
    return out


def reading(model: T.TechniqueModel, articles: dict[str, dict], with_gold_spans: bool) -> dict:
    """One model pass per article: spans found, candidate rows (with gold coverage), given spans' probabilities."""
    decoding = model.decoding()
    found, rows, cover, given = [], [], [], []
    for aid, a in articles.items():
        collect: dict = {}
        spans = [(s, e) for s, e, _ in a["tc"]] if with_gold_spans else []
        items, _ = model.run(a["text"], a["segments"], decoding, spans, 32, a["doc"], collect)
        found += [(aid, d.start, d.end) for d in items]
        for cand, row in collect.get("candidates", []):
            rows.append(((aid, cand.start, cand.end), row))
            cover.append(coverage(cand.start, cand.end, a["si"]))
        seen: Counter = Counter()
        for (s, e, tech), (p, hit) in zip(a["tc"] if with_gold_spans else [], collect.get("given", [])):
            given.append((aid, s, e, tech, p, hit, seen[(s, e)]))
            seen[(s, e)] += 1
    gold_si = [(aid, s, e) for aid, a in articles.items() for s, e in a["si"]]
    return {"found": found, "rows": rows, "cover": cover, "given": given, "gold_si": gold_si, "ids": set(articles)}


def si_at(r: dict, keep_p: np.ndarray, cut: float) -> dict:
    kept = [span for (span, _), p in zip(r["rows"], keep_p) if p >= cut]
    return si_scores(r["found"] + kept, r["gold_si"], r["ids"])


def tc_at(r: dict, labels: list[str], boost: float) -> float:
    pred, gold = [], []
    for aid, s, e, tech, p, hit, nth in r["given"]:
        q = boosted(p, hit, boost)
        top = q.argsort()[::-1]
        pred.append((aid, labels[top[1] if nth else top[0]], s, e))
        gold.append((aid, tech, s, e))
    return tc_scores(pred, gold)["f1"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="write presslens/models/technique-rules")
    args = ap.parse_args()
    from sklearn.linear_model import LogisticRegression

    t0 = time.perf_counter()
    model = T.TechniqueModel(rules="")
    train = reading(model, read_ptc("train"), with_gold_spans=False)
    print(f"train: {len(train['rows'])} candidates read in {time.perf_counter() - t0:.0f}s", flush=True)
    x = np.asarray([row for _, row in train["rows"]], dtype=np.float64)
    y = (np.asarray(train["cover"]) >= 0.5).astype(int)
    mean, scale = x.mean(0), x.std(0) + 1e-6
    clf = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    print(f"train: {y.mean():.3f} of candidates are covered by gold; train accuracy {clf.score((x - mean) / scale, y):.3f}")

    dev = {"ptc_val": reading(model, read_ptc("val"), True), "opinion": reading(model, read_opinion(), True)}
    probs = {k: clf.predict_proba((np.asarray([row for _, row in r["rows"]]) - mean) / scale)[:, 1]
             for k, r in dev.items()}
    table = {cut: {k: si_at(r, probs[k], cut) for k, r in dev.items()} for cut in [1.01] + CUTS}
    for cut, res in table.items():
        print(f"cut {cut:.2f}  " + "  ".join(f"{k} SI {v['f1']:.4f} (P {v['precision']:.3f} R {v['recall']:.3f})"
                                            for k, v in res.items()))
    precise = max(CUTS, key=lambda c: min(v["f1"] for v in table[c].values()))
    ok = [c for c in CUTS if table[c]["opinion"]["precision"] >= 0.5 and table[c]["ptc_val"]["precision"] >= 0.3]
    recall = max(ok or [precise], key=lambda c: min(v["recall"] for v in table[c].values()))
    labels = model.labels
    tcs = {b: {k: tc_at(r, labels, b) for k, r in dev.items()} for b in BOOSTS}
    for b, res in tcs.items():
        print(f"boost {b:.2f}  " + "  ".join(f"{k} TC {v:.4f}" for k, v in res.items()))
    floor = tcs[0.0]["ptc_val"] - 0.005
    boost = max([b for b in BOOSTS if tcs[b]["ptc_val"] >= floor], key=lambda b: min(tcs[b].values()))
    print(f"chosen: precise cut {precise}, recall cut {recall}, boost {boost}; {time.perf_counter() - t0:.0f}s in all")
    if not args.write:
        return 0
    folder = MODELS / MODEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    config = {"version": VERSION, "features": list(FEATURES), "weights": clf.coef_[0].round(6).tolist(),
              "bias": round(float(clf.intercept_[0]), 6), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
              "cuts": {"precise": precise, "recall": recall}, "boost": boost}
    metrics = {"train_candidates": len(y), "train_covered_share": round(float(y.mean()), 4),
               "si": {k: {m: round(v, 4) if isinstance(v, float) else v for m, v in table[precise][k].items()} for k in dev},
               "si_without_rules": {k: round(table[1.01][k]["f1"], 4) for k in dev},
               "si_recall_mode_cut": {k: {m: round(v, 4) if isinstance(v, float) else v
                                          for m, v in table[recall][k].items()} for k in dev},
               "tc": {k: round(v, 4) for k, v in tcs[boost].items()}, "tc_without_rules": tcs[0.0]}
    (folder / "combiner.json").write_text(json.dumps(config, indent=1) + "\n")
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
    from presslens.artifacts import sha256_file

    manifest = {"name": f"{MODEL_NAME}-logreg", "kind": "rule-combiner",
                "sha256": {f: sha256_file(folder / f) for f in ("combiner.json", "metrics.json")}}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {folder.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
