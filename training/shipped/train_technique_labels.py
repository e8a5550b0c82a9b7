"""Fit the span-text label model (presslens/models/technique-labels) on PTC train; choose its blend weight on PTC val
and the opinion set together (the worse of the two TC micro-F1 decides).

Each gold technique span of the PTC train articles (splits/train-ids.txt) is one training row: TF-IDF word 1–2-grams
and character 2–5-grams of the span's text (min_df 3, at most 30,000 character n-grams) and the span cues of
presslens/runtime/span_labels.py (standardised), label its gold technique; a multinomial logistic regression
(scikit-learn, C=1). The models' own labels are not inputs: on PTC train the encoder and span reader, trained there,
label 83% of gold spans right (65% on val), so a learner fitted on top of them would trust them too much. Instead the
analyzer multiplies the models' probabilities by this model's to the power alpha; alpha is chosen from ALPHAS by the
worse of PTC val TC and opinion-set TC (the models read both once, as shipped: encoder, span reader, rule nudges).

    nice .venv/bin/python -m training.shipped.train_technique_labels [--write]     # about 3 min on one core
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from presslens.analyzers import techniques as T
from presslens.analyzers.rule_combiner import boosted
from presslens.runtime.span_labels import CUES, ArticleView, SpanLabels, span_cues
from presslens.runtime.tfidf import CHAR_NGRAMS, WORD, WORD_NGRAMS

from ..common import MODELS, SEED, sha256
from .train_rule_combiner import read_opinion, read_ptc

ALPHAS = [round(a, 1) for a in np.arange(0.0, 1.21, 0.1)]
VERSION = "1"
NAME = "technique-labels"


def model_probs(model: T.TechniqueModel, articles: dict[str, dict]) -> list[tuple[str, int, int, str, np.ndarray]]:
    """(article, start, end, gold technique, the models' label probabilities) for every gold span, as the analyzer
    labels it without this model (encoder and span reader blended, rule hits nudged)."""
    rows = []
    boost = model.combiner.boost if model.combiner is not None else 0.0
    for aid, a in articles.items():
        spans = sorted({(s, e) for s, e, _ in a["tc"]})
        collect: dict = {}
        model.run(a["text"], a["segments"], None, spans, 32, a["doc"], collect)
        by_span = {span: boosted(p, hit, boost) for span, (p, hit) in zip(spans, collect.get("given", []))}
        rows += [(aid, s, e, tech, by_span[(s, e)]) for s, e, tech in a["tc"] if by_span.get((s, e)) is not None]
    return rows


def tc_micro(rows: list, scores: np.ndarray, labels: list[str]) -> float:
    """TC micro-F1 on gold spans (the evaluation's rule: a span listed k times gets its k best labels)."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, (aid, s, e, _, _) in enumerate(rows):
        groups[(aid, s, e)].append(i)
    correct = 0
    for idx in groups.values():
        best = np.argsort(-scores[idx[0]])[:len(idx)]
        correct += sum((Counter(labels[j] for j in best) & Counter(rows[i][3] for i in idx)).values())
    return correct / max(1, len(rows))


def features(rows: list, articles: dict[str, dict]) -> tuple[list[str], np.ndarray]:
    views = {aid: ArticleView(a["text"]) for aid, a in articles.items()}
    return ([articles[aid]["text"][s:e] for aid, s, e, _, _ in rows],
            np.array([span_cues(views[aid], s, e) for aid, s, e, _, _ in rows], dtype=np.float64))


def fit(texts: list[str], cues: np.ndarray, y: list[str], labels: list[str], C: float):
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vecs = {"word": TfidfVectorizer(ngram_range=WORD_NGRAMS, min_df=3, sublinear_tf=True, lowercase=True,
                                    token_pattern=WORD.pattern, dtype=np.float64),
            "char": TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, min_df=3, sublinear_tf=True,
                                    lowercase=True, max_features=30_000, dtype=np.float64)}
    mean, scale = cues.mean(0), cues.std(0) + 1e-9
    X = sparse.hstack([v.fit_transform(texts) for v in vecs.values()] + [sparse.csr_matrix((cues - mean) / scale)])
    clf = LogisticRegression(C=C, max_iter=3000, random_state=SEED)
    clf.fit(X.tocsr(), [labels.index(t) for t in y])
    if list(clf.classes_) != list(range(len(labels))):
        raise SystemExit("every technique must occur in PTC train")
    return vecs, clf, mean, scale


def save(folder: Path, vecs: dict, clf, mean: np.ndarray, scale: np.ndarray, labels: list[str], alpha: float) -> None:
    vocab = {"version": VERSION, "labels": labels, "cues": list(CUES)}
    arrays = {"coef": clf.coef_.T.astype(np.float32), "intercept": clf.intercept_.astype(np.float32),
              "cue_mean": mean.astype(np.float32), "cue_scale": scale.astype(np.float32), "alpha": np.array([alpha])}
    for name, v in vecs.items():
        vocab[name] = sorted(v.vocabulary_, key=v.vocabulary_.get)
        arrays[f"{name}_idf"] = v.idf_.astype(np.float32)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    np.savez_compressed(folder / "weights.npz", **arrays)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--C", type=float, default=1.0, help="inverse L2 strength of the logistic regression")
    ap.add_argument("--write", action="store_true", help="write the model into presslens/models/technique-labels")
    args = ap.parse_args()
    t0 = time.time()
    model = T.TechniqueModel(reader="span-reader", rules="technique-rules")  # the models alone, as shipped
    labels = model.labels
    sets = {"train": read_ptc("train"), "ptc_val": read_ptc("val"), "opinion": read_opinion()}
    rows = {name: model_probs(model, arts) for name, arts in sets.items()}
    feats = {name: features(rows[name], sets[name]) for name in sets}
    print(f"read {', '.join(f'{n} {len(r)} spans' for n, r in rows.items())} in {time.time() - t0:.0f} s", flush=True)
    vecs, clf, mean, scale = fit(*feats["train"], [r[3] for r in rows["train"]], labels, args.C)
    tmp = Path(tempfile.mkdtemp(prefix="technique-labels-"))
    save(tmp, vecs, clf, mean, scale, labels, 0.0)
    reader = SpanLabels(tmp)
    table = {}
    for name in ("ptc_val", "opinion"):
        views = {aid: ArticleView(a["text"]) for aid, a in sets[name].items()}
        q = np.stack([reader.probs(views[aid], s, e) for aid, s, e, _, _ in rows[name]])
        from scipy import sparse

        texts, cues = feats[name]
        X = sparse.hstack([v.transform(texts) for v in vecs.values()] + [sparse.csr_matrix((cues - mean) / scale)])
        gap = float(np.abs(q - clf.predict_proba(X.tocsr())).max())
        print(f"{name}: run-time probabilities vs scikit-learn: max |diff| {gap:.2e}", flush=True)
        assert gap < 1e-4, name
        p = np.stack([r[4] for r in rows[name]])
        table[name] = {a: tc_micro(rows[name], np.log(np.clip(p, 1e-9, 1)) + a * np.log(np.clip(q, 1e-6, 1)), labels)
                       for a in ALPHAS}
        table[name]["text_alone"] = tc_micro(rows[name], q, labels)
    for a in ALPHAS:
        print(f"alpha {a:.1f}: PTC val TC {table['ptc_val'][a]:.4f}  opinion TC {table['opinion'][a]:.4f}", flush=True)
    best = max(ALPHAS, key=lambda a: (min(table["ptc_val"][a], table["opinion"][a]), -a))
    print(f"text model alone: PTC val {table['ptc_val']['text_alone']:.4f}, opinion {table['opinion']['text_alone']:.4f}")
    print(f"chosen alpha {best}: PTC val {table['ptc_val'][best]:.4f} (models alone {table['ptc_val'][0.0]:.4f}), "
          f"opinion {table['opinion'][best]:.4f} (models alone {table['opinion'][0.0]:.4f}); {time.time() - t0:.0f} s")
    if args.write:
        folder = MODELS / NAME
        save(folder, vecs, clf, mean, scale, labels, best)
        metrics = {"seed": SEED, "C": args.C, "alpha": best, "train_spans": len(rows["train"]),
                   "features": {name: len(v.vocabulary_) for name, v in vecs.items()} | {"cues": len(CUES)},
                   "tc_micro_f1": {name: {str(a): round(v, 4) for a, v in t.items()} for name, t in table.items()}}
        (folder / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
        manifest = {"name": "technique-labels-logreg", "kind": "span-label-reader",
                    "sha256": {f: sha256(folder / f) for f in ("vocab.json", "weights.npz", "metrics.json")}}
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
        print(f"wrote {folder}", flush=True)


if __name__ == "__main__":
    main()
