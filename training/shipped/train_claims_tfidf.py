"""Build presslens/models/claims-tfidf: the check-worthiness baseline (TF-IDF + logistic regression).

Never imported by the package. The shipped check-worthiness model is the claim head of the encoder shared with the
techniques analyzer (training/shipped/train_encoder.py); this baseline is shipped for `[claims] model = "claims-tfidf"`.
Data discipline: fit on CT24 *train*, choose the decision threshold on *dev* (max F1 of the positive class), report
on *dev-test* (the official metric: F1 of "Yes"). Minutes, in the runtime venv (scikit-learn only):

    .venv/bin/python -m training.shipped.train_claims_tfidf --out presslens/models/claims-tfidf

The model carries no pickle: an .npz of arrays plus a JSON vocabulary; manifest.json pins every file by sha256.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..common import MODELS, SEED
from ..ct24 import DATA, SPLITS, best_threshold, read_tsv, report, write_manifest


def train_tfidf(out: Path) -> None:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    t0 = time.time()
    _, texts, labels = read_tsv(SPLITS["train"])
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True,
                          token_pattern=r"(?u)\b\w+\b|[%$]")
    X = vec.fit_transform(texts)
    clf = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced", random_state=SEED)
    clf.fit(X, labels)

    def score(batch: list[str]) -> list[float]:
        return clf.predict_proba(vec.transform(batch))[:, 1].tolist()

    _, dev_texts, dev_gold = read_tsv(SPLITS["dev"])
    threshold = best_threshold(dev_gold, score(dev_texts))
    metrics = report("tfidf", threshold, score)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file() and old.name != "MODEL_CARD.md":
            old.unlink()
    vocab = {term: int(i) for term, i in vec.vocabulary_.items()}
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, sort_keys=True))
    np.savez_compressed(out / "weights.npz", idf=vec.idf_.astype("float32"),
                        coef=clf.coef_[0].astype("float32"), intercept=clf.intercept_.astype("float32"))
    write_manifest(out, ["vocab.json", "weights.npz"], {
        "name": "claims-tfidf", "kind": "tfidf-lr", "threshold": threshold, "metrics": metrics, "seed": SEED,
        "vectorizer": {"ngram_range": [1, 2], "sublinear_tf": True, "lowercase": True,
                       "token_pattern": vec.token_pattern},
        "training_seconds": round(time.time() - t0, 1)})
    print(f"wrote {out} in {time.time() - t0:.0f}s")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=MODELS / "claims-tfidf", help="output folder")
    args = ap.parse_args(argv)
    if not SPLITS["train"].exists():
        sys.exit(f"training data not found at {DATA}")
    train_tfidf(args.out)


if __name__ == "__main__":
    main()
