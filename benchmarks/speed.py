"""Speed benchmarks for presslens: full analysis vs bare spaCy, worker scaling, memory, store writes, Ray.

    python benchmarks/speed.py                 # the full report (markdown on stdout, JSON with --json FILE)
    python benchmarks/speed.py --quick         # a small corpus, no Ray: a smoke test in ~1 min
    python benchmarks/speed.py --single        # the spine's goal: analyze words/s / bare nlp.pipe words/s, peak RSS
    python benchmarks/speed.py --single --config my.toml   # the same with a configuration (e.g. encoder depth 6)
    python benchmarks/speed.py --single --passes 3         # the same, fastest of 3 alternating passes of each

The corpus is assembled at run time, never stored in the repo: articles generated here from templates,
plus the PolNeAR article texts from ../shared/data/quotes/polnear when that folder is present.
Each measurement runs in a fresh subprocess so its peak RSS is its own. Every rate is measured in
steady state (models loaded and a warm-up batch run first) unless it says "end-to-end".
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
POLNEAR = REPO.parent / "shared" / "data" / "quotes" / "polnear"
ARTICLES_PER_DAY_GOAL = 500_000
SHARD_SIZE = 16
WARMUP_ARTICLES = 8

PEOPLE = ["Mara Quell", "Tobias Fenn", "Ilse Varga", "Omar Dace", "Ruth Okafor", "Len Bastable"]
PLACES = ["Lowmouth", "Brackton", "Eastreach", "Pellow Cove", "Harwick"]
ORGS = ["the port authority", "the transport union", "the city council", "the regional water board"]
TEMPLATES = [
    "{person} said on {day} that {org} would review the decision before the end of the month.",
    "“We cannot accept a cut of {n} percent,” {first} told reporters in {place} on {day}.",
    "According to {org}, the dispute has cost {n} million so far this year.",
    "{place} residents were divided: some backed the strike, others said it had gone on too long.",
    "The proposal, which {person} described as “a fair offer”, was rejected by {org} last week.",
    "Officials in {place} expect talks to resume next {day}, a spokesperson for {org} said.",
    "Critics argue the plan will double costs by {year}, while supporters say it will pay for itself.",
    "In a statement, {org} said it “regrets the disruption” and promised a decision by {day}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


# ---------------------------------------------------------------------------- corpus
def generated_articles(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    articles = []
    for i in range(count):
        paragraphs = []
        for _ in range(rng.randint(3, 7)):
            person = rng.choice(PEOPLE)
            sentences = [rng.choice(TEMPLATES).format(person=person, first=person.split()[0], org=rng.choice(ORGS),
                                                      place=rng.choice(PLACES), day=rng.choice(DAYS),
                                                      n=rng.randint(2, 90), year=rng.randint(2026, 2035))
                         for _ in range(rng.randint(2, 5))]
            paragraphs.append(" ".join(s[0].upper() + s[1:] for s in sentences))
        articles.append({"id": f"gen-{i}", "title": f"Harbour dispute, day {i}", "text": "\n\n".join(paragraphs)})
    return articles


def polnear_articles(limit: Optional[int]) -> list[dict]:
    paths = sorted(POLNEAR.glob("dev/text/*.txt")) + sorted(POLNEAR.glob("train/text/*.txt"))
    return [{"id": f"polnear-{p.stem}", "text": p.read_text(encoding="utf-8")} for p in paths[:limit]]


def build_corpus(limit: int, quick: bool) -> list[dict]:
    """Half generated, half PolNeAR (when present), ``limit`` articles in all, interleaved."""
    real = polnear_articles(limit // 2) if POLNEAR.is_dir() else []
    made = generated_articles(limit - len(real))
    mixed = [a for pair in zip(made, real) for a in pair] + made[len(real):] + real[len(made):]
    return mixed[:limit]


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


# ---------------------------------------------------------------------------- measurements (one per subprocess)
def load_raws(corpus: Path) -> list[Any]:
    from presslens.ingest import Failure, read

    return [r for r in read(str(corpus)) if not isinstance(r, Failure)]


def available_analyzers(requested: Optional[str], config_path: Optional[str] = None) -> list[str]:
    """The configured analyzers that import (others are being written while this runs)."""
    from presslens import registry
    from presslens.config import load_config

    names = requested.split(",") if requested else load_config(config_path)["pipeline"]["analyzers"]
    usable = []
    for name in names:
        try:
            registry.get(name)
            usable.append(name)
        except Exception as exc:  # noqa: BLE001 - reported in the results
            print(f"skipping analyzer {name}: {exc}", file=sys.stderr)
    return usable


def measure_bare(raws: list[Any], n_process: int, model: str) -> dict:
    from presslens.artifacts import load_spacy

    nlp = load_spacy(model)
    texts = [r.text for r in raws]
    list(nlp.pipe(texts[:WARMUP_ARTICLES], batch_size=SHARD_SIZE))
    started, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=SHARD_SIZE, n_process=n_process):
        pass
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu if n_process == 1 else None  # children's CPU is not visible here
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_rss_mb": peak_rss_mb()}


def measure_local(corpus: Path, raws: list[Any], workers: int, analyzers: list[str]) -> dict:
    """The local engine: in-process for 1 worker, a process pool (one pipeline per worker) otherwise.

    Both are fed the engine's work units of the corpus file (line ranges), so the measured time includes
    what a worker does to read them (JSON, hashing), as in `presslens batch`.
    """
    import multiprocessing

    from presslens.batch import local
    from presslens.batch.shards import analyze_shard, analyze_unit
    from presslens.batch.units import Planner

    units = list(Planner([str(corpus)], SHARD_SIZE).units())
    wall = time.perf_counter()
    warm = [raws[i % len(raws)] for i in range(WARMUP_ARTICLES)]
    if workers == 1:
        pipeline = local.build_pipeline(analyzers, None)
        analyze_shard(pipeline, warm)
        started, cpu = time.perf_counter(), time.process_time()
        results = [r for unit in units for r in analyze_unit(pipeline, unit)]
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        rss = peak_rss_mb()
        store = measure_store(results)
    else:
        pool = multiprocessing.get_context("fork").Pool(workers, local._init_worker, (analyzers, None))
        pool.map(warm_shard, [warm[:2]] * (workers * 2), chunksize=1)  # every worker has loaded its models
        started = time.perf_counter()
        timed = [pool.apply_async(timed_unit, (unit,)) for unit in units]
        timed = [t.get() for t in timed]
        seconds = time.perf_counter() - started
        results = [r for batch, _ in timed for r in batch]
        cpu_seconds = sum(c for _, c in timed)
        pool.close()
        pool.join()
        rss = peak_rss_mb(resource.RUSAGE_CHILDREN)  # the largest worker's peak
        store = None
    failed = [r for r in results if not r.ok]
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "end_to_end_seconds": time.perf_counter() - wall,
            "peak_rss_mb_per_worker": rss,
            "failed": len(failed), "failed_codes": sorted({r.code for r in failed}), "store": store}


def warm_shard(raws: list[Any]) -> int:
    """Runs in a pool worker: loads what the first articles need (lazy models, caches)."""
    from presslens.batch import local
    from presslens.batch.shards import analyze_shard

    return len(analyze_shard(local._WORKER["pipeline"], raws))


def timed_unit(unit: Any) -> tuple[list[Any], float]:
    """Runs in a pool worker: one unit's results and the worker's CPU seconds spent on it."""
    from presslens.batch import local

    cpu = time.process_time()
    results = local._run_unit(unit)
    return results, time.process_time() - cpu


def measure_store(results: list[Any]) -> dict:
    from presslens.store import Store

    ok = [r for r in results if r.ok]
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "bench.db") as store:
            started = time.perf_counter()
            for i in range(0, len(ok), SHARD_SIZE):
                store.put_many([(r.raw, r.document) for r in ok[i:i + SHARD_SIZE]])
            seconds = time.perf_counter() - started
    return {"articles": len(ok), "seconds": seconds, "articles_per_s": len(ok) / seconds if seconds else None}


def measure_nprocess(raws: list[Any], n_process: int, analyzers: list[str]) -> dict:
    """The alternative to a worker pool: spaCy's own n_process for the parse, analyzers in this process."""
    from presslens.batch import local

    pipeline = local.build_pipeline(analyzers, None)
    list(pipeline.pipe(raws[:WARMUP_ARTICLES]))
    started = time.perf_counter()
    articles = [pipeline.new_document(r) for r in raws]
    for doc, article in zip(pipeline.nlp.pipe([r.text for r in raws], batch_size=SHARD_SIZE, n_process=n_process),
                            articles):
        try:
            pipeline.run_analyzers(doc, article)
        except Exception:  # noqa: BLE001 - the same per-article isolation as the engines
            pass
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": peak_rss_mb()}


def measure_ray(corpus: Path, workers: int, analyzers: list[str]) -> dict:
    try:
        import ray
    except ImportError:
        return {"skipped": "ray is not installed (pip install -r requirements-ray.txt)"}
    from presslens.batch.ray_engine import RayEngine
    from presslens.batch.units import Planner

    started = time.perf_counter()
    engine = RayEngine(workers, analyzers=analyzers)
    engine.start()
    init_seconds = time.perf_counter() - started
    started = time.perf_counter()
    results = [r for batch in engine.map(Planner([str(corpus)], SHARD_SIZE).units()) for r in batch]
    seconds = time.perf_counter() - started
    ray.shutdown()
    return {"seconds_including_actor_startup": seconds, "ray_init_seconds": init_seconds,
            "failed": sum(not r.ok for r in results)}


def measure_local_end_to_end(corpus: Path, workers: int, analyzers: list[str]) -> dict:
    """The local engine as `presslens batch` runs it (pool start and model loading included), for the Ray comparison."""
    from presslens.batch.local import LocalEngine
    from presslens.batch.units import Planner

    started = time.perf_counter()
    units = Planner([str(corpus)], SHARD_SIZE).units()
    results = [r for batch in LocalEngine(workers, analyzers=analyzers).map(units) for r in batch]
    return {"seconds": time.perf_counter() - started, "failed": sum(not r.ok for r in results)}


def run_measure(args: argparse.Namespace) -> None:
    raws = load_raws(Path(args.corpus))
    analyzers = available_analyzers(args.analyzers)
    kind = args.measure
    if kind == "bare":
        result = measure_bare(raws, args.workers, args.model)
    elif kind == "local":
        result = measure_local(Path(args.corpus), raws, args.workers, analyzers)
    elif kind == "nprocess":
        result = measure_nprocess(raws, args.workers, analyzers)
    elif kind == "ray":
        result = measure_ray(Path(args.corpus), args.workers, analyzers)
    elif kind == "local_e2e":
        result = measure_local_end_to_end(Path(args.corpus), args.workers, analyzers)
    else:
        raise SystemExit(f"unknown measurement {kind}")
    result["analyzers"] = analyzers
    print("RESULT " + json.dumps(result))


def measure(kind: str, corpus: Path, workers: int, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--measure", kind, "--corpus", str(corpus), "--workers", str(workers),
               "--model", args.model]
    if args.analyzers:
        command += ["--analyzers", args.analyzers]
    print(f"… {kind} workers={workers}", file=sys.stderr, flush=True)
    run = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    if run.returncode != 0 or not lines:
        raise SystemExit(f"measurement {kind} failed:\n{run.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT "):])


# ---------------------------------------------------------------------------- the report
def single(args: argparse.Namespace) -> None:
    """In this process: full analysis words/s ÷ bare nlp.pipe words/s on the same texts, and peak RSS.

    With ``--passes N`` both are timed N times, alternating, and the ratio is of the fastest pass of each: on a
    shared machine a pass only gets slower than it would alone, so the minimum is the least disturbed figure."""
    from presslens.artifacts import load_spacy
    from presslens.ingest import RawArticle

    from presslens.pipeline import limit_native_threads

    corpus = build_corpus(args.limit or 120, args.quick)
    raws = [RawArticle.from_text(a["text"], id=a["id"], title=a.get("title")) for a in corpus]
    texts, total = [r.text for r in raws], words([r.text for r in raws])
    limit_native_threads(1)  # the pipeline caps numpy's BLAS at 1 thread ([pipeline] native_threads): so does bare
    nlp = load_spacy(args.model)
    list(nlp.pipe(texts[:WARMUP_ARTICLES], batch_size=SHARD_SIZE))
    import presslens

    pipeline = presslens.load(analyzers=available_analyzers(args.analyzers, args.config), config_path=args.config)
    list(pipeline.pipe(raws[:WARMUP_ARTICLES]))
    print(f"articles {len(texts)}, words {total}, analyzers {','.join(s.name for s in pipeline.steps)}")
    bare, full = [], []
    for n in range(max(1, args.passes)):
        bare.append(timed(lambda: [None for _ in nlp.pipe(texts, batch_size=SHARD_SIZE)]))
        full.append(timed(lambda: list(pipeline.pipe(raws))))
        if args.passes > 1:
            print(f"pass {n + 1}: bare {total / bare[-1][0]:,.0f} words/s, presslens {total / full[-1][0]:,.0f} words/s, "
                  f"ratio {bare[-1][0] / full[-1][0]:.2f} (CPU {bare[-1][1] / full[-1][1]:.2f})")
    (seconds, cpu_seconds), (bare_seconds, bare_cpu) = min(full), min(bare)
    fastest = " (fastest pass of each)" if args.passes > 1 else ""
    print(f"bare nlp.pipe   {total / bare_seconds:,.0f} words/s  (CPU {bare_cpu:.1f} s){fastest}")
    print(f"presslens       {total / seconds:,.0f} words/s  (CPU {cpu_seconds:.1f} s)")
    print(f"ratio {bare_seconds / seconds:.2f} (goal >= 0.5; by CPU time {min(b[1] for b in bare) / min(f[1] for f in full):.2f})  "
          f"peak RSS {peak_rss_mb():,.0f} MB")
    if args.profile:
        spent = profile_analyzers(pipeline, raws)
        print("CPU seconds per 1,000 words: " + ", ".join(f"{k} {v / total * 1000:.3f}" for k, v in spent.items()))


def timed(work: Any) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``work()``."""
    started, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - started, time.process_time() - cpu


def profile_analyzers(pipeline: Any, raws: list[Any]) -> dict[str, float]:
    """CPU seconds per analyzer over the corpus (spaCy's parse as 'spacy'), to show where the time goes."""
    from collections import Counter

    spent: Counter = Counter()
    cpu = time.process_time()
    docs = list(pipeline.nlp.pipe([r.text for r in raws], batch_size=SHARD_SIZE))
    spent["spacy"] += time.process_time() - cpu
    for raw, doc in zip(raws, docs):
        article = pipeline.new_document(raw)
        for step in pipeline.steps:
            cpu = time.process_time()
            try:
                produced = step.module.analyze(doc, article, step.config)
                for layer, records in produced.items():
                    article.extend(layer, records)
            except Exception:  # noqa: BLE001 - a crash is the analyzer's bug, not the profile's
                pass
            spent[step.name] += time.process_time() - cpu
    return dict(spent.most_common())


def full_report(args: argparse.Namespace) -> dict:
    corpus_rows = build_corpus(args.limit or (40 if args.quick else 240), args.quick)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(a) + "\n" for a in corpus_rows), encoding="utf-8")
        texts = [a["text"] for a in corpus_rows]
        n, w = len(texts), words(texts)
        r: dict[str, Any] = {"articles": n, "words": w,
                             "polnear_articles": sum(a["id"].startswith("polnear") for a in corpus_rows),
                             "cpu_count": os.cpu_count(), "model": args.model}
        r["bare_1"] = measure("bare", corpus, 1, args)
        r["bare_2"] = measure("bare", corpus, 2, args)
        r["local_1"] = measure("local", corpus, 1, args)
        r["local_2"] = measure("local", corpus, 2, args)
        r["nprocess_2"] = measure("nprocess", corpus, 2, args)
        if not args.quick:
            r["local_e2e_2"] = measure("local_e2e", corpus, 2, args)
            r["ray_2"] = measure("ray", corpus, 2, args)
    return r


def render(r: dict) -> str:
    n, w = r["articles"], r["words"]
    rate = lambda seconds: (n / seconds, w / seconds)  # noqa: E731
    b1, b2 = rate(r["bare_1"]["seconds"]), rate(r["bare_2"]["seconds"])
    l1, l2 = rate(r["local_1"]["seconds"]), rate(r["local_2"]["seconds"])
    np2 = rate(r["nprocess_2"]["seconds"])
    per_day = l1[0] * 86400
    lines = [
        f"Corpus: {n} articles, {w:,} words ({r['polnear_articles']} PolNeAR texts, the rest generated); "
        f"spaCy {r['model']}; analyzers: {', '.join(r['local_1']['analyzers'])}; {r['cpu_count']} cores.",
        "",
        "| configuration | articles/s | words/s | ÷ bare nlp.pipe (same processes) | peak RSS per worker |",
        "|---|---|---|---|---|",
        f"| bare spaCy nlp.pipe, 1 process | {b1[0]:.1f} | {b1[1]:,.0f} | 1.00 | {r['bare_1']['peak_rss_mb']:,.0f} MB |",
        f"| bare spaCy nlp.pipe, n_process=2 | {b2[0]:.1f} | {b2[1]:,.0f} | 1.00 | – |",
        f"| presslens, 1 worker | {l1[0]:.1f} | {l1[1]:,.0f} | {l1[1] / b1[1]:.2f} | "
        f"{r['local_1']['peak_rss_mb_per_worker']:,.0f} MB |",
        f"| presslens, 2 workers (process pool) | {l2[0]:.1f} | {l2[1]:,.0f} | {l2[1] / b2[1]:.2f} | "
        f"{r['local_2']['peak_rss_mb_per_worker']:,.0f} MB |",
        f"| presslens, spaCy n_process=2 + analyzers in parent | {np2[0]:.1f} | {np2[1]:,.0f} | {np2[1] / b2[1]:.2f} | "
        f"{r['nprocess_2']['peak_rss_mb']:,.0f} MB (parent) |",
        "",
        f"- Scaling 1 → 2 workers: **{l2[1] / l1[1]:.2f}×** (goal ≥ 1.8×); bare spaCy's own 1 → 2 process scaling "
        f"in the same run: {b2[1] / b1[1]:.2f}× (the ceiling the parse sets on this machine). Pool vs spaCy "
        f"n_process=2: {l2[1] / np2[1]:.2f}× ({'pool faster' if l2[1] > np2[1] else 'n_process faster'}).",
        f"- Store writes (SQLite, one transaction per {SHARD_SIZE} articles): "
        f"**{r['local_1']['store']['articles_per_s']:,.0f} articles/s**.",
        f"- One core sustains **{per_day:,.0f} articles/day** (these articles average {w / n:,.0f} words); "
        f"{ARTICLES_PER_DAY_GOAL:,} articles/day need **{ARTICLES_PER_DAY_GOAL / per_day:.1f} cores** at 1-worker speed, "
        f"{ARTICLES_PER_DAY_GOAL / (l2[0] * 86400) * 2:.1f} cores at the measured 2-worker speed.",
    ]
    if "ray_2" in r:
        ray = r["ray_2"]
        if "skipped" in ray:
            lines.append(f"- Ray engine: skipped ({ray['skipped']}).")
        else:
            local_e2e = r["local_e2e_2"]["seconds"]
            lines.append(f"- Ray engine, 2 actors, same input, end-to-end after ray.init: "
                         f"{ray['seconds_including_actor_startup']:.1f} s vs local engine {local_e2e:.1f} s "
                         f"(overhead {ray['seconds_including_actor_startup'] / local_e2e:.2f}×; both include model "
                         f"loading); ray.init itself {ray['ray_init_seconds']:.1f} s.")
    cpu_bare, cpu_1, cpu_2 = r["bare_1"]["cpu_seconds"], r["local_1"]["cpu_seconds"], r["local_2"]["cpu_seconds"]
    lines.append(f"- CPU time (robust to a busy machine): bare nlp.pipe {cpu_bare / w * 1000:.3f} s, presslens "
                 f"{cpu_1 / w * 1000:.3f} s (1 worker) / {cpu_2 / w * 1000:.3f} s (2 workers) per 1,000 words; "
                 f"CPU ratio bare ÷ presslens {cpu_bare / cpu_1:.2f}; by CPU time one core sustains "
                 f"{n / cpu_1 * 86400:,.0f} articles/day → {ARTICLES_PER_DAY_GOAL / (n / cpu_1 * 86400):.1f} cores "
                 f"for {ARTICLES_PER_DAY_GOAL:,}/day.")
    if cpu_2 >= cpu_1:
        lines.append(f"- CPU per word with 2 workers is {cpu_2 / cpu_1:.2f}× that with 1 (contention between workers): "
                     f"on 2 otherwise idle cores that implies a 1 → 2 worker speed-up of about {2 * cpu_1 / cpu_2:.2f}× "
                     f"(an inference from CPU time; the wall-clock ratio is only exact on an idle machine).")
    else:
        lines.append(f"- CPU per word with 2 workers is {cpu_2 / cpu_1:.2f}× that with 1: pool workers run one native "
                     f"thread each, while 1 worker (in-process) keeps the libraries' default thread pools, whose extra "
                     f"threads cost CPU time; so no speed-up is inferred from CPU time here.")
    failed = r["local_1"]["failed"]
    if failed:
        lines.append(f"- {failed} articles failed in the 1-worker run: {', '.join(r['local_1']['failed_codes'])}.")
    return "\n".join(lines)


def results_page(report: str, figures: dict) -> str:
    command = "python benchmarks/speed.py " + " ".join(a for a in sys.argv[1:])
    load = os.getloadavg()
    return (f"# presslens speed\n\nMeasured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with\n\n"
            f"```\n{command}\n```\n\non a {figures['cpu_count']}-core machine (load average at the end "
            f"{load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}: other jobs share it, so wall-clock rates are low and "
            f"noisy; the CPU-time line is the steadier figure).\n\n{report}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--single", action="store_true", help="Only the spine's single-process ratio and peak RSS.")
    parser.add_argument("--quick", action="store_true", help="40 articles, no Ray.")
    parser.add_argument("--limit", type=int, help="Articles in the corpus (default 240; --single 120).")
    parser.add_argument("--analyzers", help="Comma-separated analyzers (default: the configured ones that import).")
    parser.add_argument("--model", default="en_core_web_sm", help="spaCy pipeline for the bare baseline.")
    parser.add_argument("--config", help="With --single: a presslens TOML config for the analysis (e.g. depth = 6).")
    parser.add_argument("--profile", action="store_true", help="With --single: CPU time per analyzer.")
    parser.add_argument("--passes", type=int, default=1, help="With --single: time bare spaCy and the analysis this "
                                                             "many times, alternating; the ratio of the fastest of each.")
    parser.add_argument("--json", type=Path, help="Also write the raw figures here.")
    parser.add_argument("--markdown", type=Path, help="Also write the report, with how it was made, here "
                                                        "(benchmarks/RESULTS.md).")
    parser.add_argument("--render", type=Path, help="Re-render a report from the --json file of an earlier run.")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        run_measure(args)
    elif args.render:
        figures = json.loads(args.render.read_text())
        print(render(figures))
        if args.markdown:
            args.markdown.write_text(results_page(render(figures), figures), encoding="utf-8")
    elif args.single:
        single(args)
    else:
        figures = full_report(args)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n")
        report = render(figures)
        print(report)
        if args.markdown:
            args.markdown.write_text(results_page(report, figures), encoding="utf-8")


if __name__ == "__main__":
    main()
