"""Speed of the rule analyzers (blocks, entities, quotes, time) against an earlier revision, on the same parses.

    python benchmarks/rule_speed.py --baseline HEAD~3          # ratio of this tree's analyzer time to HEAD~3's
    python benchmarks/rule_speed.py --baseline main --limit 40 --rounds 3

The texts (PolNeAR dev articles from ../shared/data when present, plus articles generated from templates) are
parsed once with spaCy; both source trees then run the same analyzers on the same Docs, in alternating fresh
subprocesses (A B A B …), and the best round of each counts. The baseline tree is ``git archive`` of the revision,
unpacked to a temporary folder. Only analyzer CPU time is measured (no parsing, no I/O; CPU time, because wall time
on a shared machine swings with other jobs); peak RSS is per process.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ANALYZERS = ("blocks", "entities", "quotes", "time")


def corpus(limit: int) -> list[str]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from speed import POLNEAR, generated_articles

    texts = []
    dev = POLNEAR / "dev" / "text"
    if dev.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(dev.glob("*.txt"))[:limit]]
    texts += [a["text"] for a in generated_articles(max(8, limit // 4))]
    return texts


def parse(texts: list[str], path: Path) -> None:
    from spacy.tokens import DocBin

    sys.path.insert(0, str(REPO))
    from presslens.pipeline import Pipeline

    nlp = Pipeline(analyzers=["blocks"]).nlp
    DocBin(store_user_data=False, docs=list(nlp.pipe(texts, batch_size=16))).to_disk(path)


def measure(tree: str, docs_path: str, analyzers: list[str]) -> dict:
    """Run in a child: analyzer seconds over every Doc, importing presslens from ``tree``."""
    sys.path.insert(0, tree)
    from spacy.tokens import DocBin

    import presslens
    from presslens.ingest import RawArticle
    from presslens.pipeline import Pipeline

    assert Path(presslens.__file__).resolve().is_relative_to(Path(tree).resolve()), presslens.__file__
    pipeline = Pipeline(analyzers=analyzers)
    docs = list(DocBin().from_disk(docs_path).get_docs(pipeline.nlp.vocab))
    docs = [pipeline.nlp(d.text) if not d.has_annotation("DEP") else d for d in docs]
    seconds = {step.name: 0.0 for step in pipeline.steps}
    for doc in docs:
        article = pipeline.new_document(RawArticle.from_text(doc.text))
        for step in pipeline.steps:
            t0 = time.process_time()  # CPU time: steadier than wall time on a machine other jobs share
            produced = step.module.analyze(doc, article, step.config)
            seconds[step.name] += time.process_time() - t0
            for layer, records in produced.items():
                article.layers.setdefault(layer, [])
                for record in records:
                    pipeline.add_record(article, step.name, layer, record)
        doc.user_data.clear()
    return {"seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def baseline_tree(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "presslens", ":(exclude)presslens/models"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default="HEAD", help="git revision to compare with (default HEAD)")
    parser.add_argument("--limit", type=int, default=60, help="PolNeAR dev articles (default 60)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per tree (default 3)")
    parser.add_argument("--analyzers", default=",".join(ANALYZERS))
    parser.add_argument("--current", default=str(REPO), help="source tree to measure (default: this checkout)")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    analyzers = args.analyzers.split(",")
    if args.measure:
        print(json.dumps(measure(args.measure[0], args.measure[1], analyzers)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        docs_path = Path(tmp) / "docs.spacy"
        texts = corpus(args.limit)
        parse(texts, docs_path)
        trees = {"baseline": str(baseline_tree(args.baseline, Path(tmp))), "current": args.current}
        best: dict[str, dict] = {}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                out = subprocess.run([sys.executable, __file__, "--analyzers", args.analyzers,
                                      "--measure", tree, str(docs_path)], capture_output=True, text=True)
                if out.returncode != 0:
                    sys.exit(f"measuring {name} ({tree}) failed:\n{out.stderr[-3000:]}")
                run = json.loads(out.stdout.strip().splitlines()[-1])
                prev = best.get(name)
                if prev is None or sum(run["seconds"].values()) < sum(prev["seconds"].values()):
                    best[name] = run
    base, cur = best["baseline"], best["current"]
    print(f"{len(texts)} texts, best of {args.rounds} alternating rounds; baseline = {args.baseline}")
    print(f"{'analyzer':<10} {'baseline s':>10} {'current s':>10} {'ratio':>7}   (CPU seconds)")
    for name in analyzers:
        b, c = base["seconds"].get(name, 0.0), cur["seconds"].get(name, 0.0)
        print(f"{name:<10} {b:>10.3f} {c:>10.3f} {c / b if b else float('nan'):>7.3f}")
    tb, tc = sum(base["seconds"].values()), sum(cur["seconds"].values())
    print(f"{'all':<10} {tb:>10.3f} {tc:>10.3f} {tc / tb:>7.3f}")
    print(f"peak RSS: baseline {base['peak_rss_mb']:.0f} MB, current {cur['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
