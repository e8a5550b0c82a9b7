"""The corpus layer at scale: embedding cost vs batch analysis, and `ask` latency on a 100,000-article store.

    nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python benchmarks/corpus_scale.py --base 600 --articles 100000 \
        --work /tmp/corpus-bench [--keep]

1. Base: the first ``--base`` FNC-1 training bodies (../shared/data/stance/fnc-1/train_bodies.csv, read at run time,
   never stored in the repo) are written to a JSONL file with made-up dates and outlets, analysed by `presslens
   batch --workers 1` into base.db (timed), then indexed by `presslens corpus index` (timed; the index reports the
   seconds spent in the sentence encoder). Embedding cost = encoder seconds / batch seconds, same articles, same run.
2. Scale: base.db is copied and every row that belongs to an article (articles, analyses, layer tables, corpus
   items, item vectors, actor links, index marks) is replicated with new ids until the store holds ``--articles``
   articles. Replica r of article a gets article_key "<key>-r<r>", its outlet host "outlet<r mod 97>.example" and
   its date moved r days; text, analysis and vectors are the original's, so each replica item keeps its original's
   claim family (its vector is the same) and speakers keep their actors. FTS5 indexes are filled by the triggers.
3. Ask: ``--questions`` questions (FNC-1 headlines written about the base bodies, read at run time, each asked as
   "Is it true that <headline>?") are asked in one process with models loaded (p50/p95 over all, each asked once, so the proposition
   vector cache is cold), then 3 of them again with a fresh `presslens ask` process each (wall time, cold start).

Prints a markdown report; writes JSON with --json FILE. The store is deleted at the end unless --keep.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "data"
BIN = Path(sys.executable).parent
REPLICATED = ("entities", "quotes", "claims", "techniques", "time", "genre")


def base_corpus(n: int, path: Path) -> int:
    csv.field_size_limit(10**8)
    rows = []
    with (SHARED / "stance" / "fnc-1" / "train_bodies.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows.append(row)
            if len(rows) >= n:
                break
    rng = random.Random(13)
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for i, row in enumerate(rows):
            text = row["articleBody"].strip()
            words += len(text.split())
            day = 1 + rng.randrange(28)
            out.write(json.dumps({"id": f"fnc{row['Body ID']}", "text": text, "title": text.split(".")[0][:90],
                                  "published": f"2015-{1 + i % 12:02d}-{day:02d}",
                                  "url": f"https://outlet{i % 23}.example/a/{row['Body ID']}"}) + "\n")
    return words


def run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one command."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - t, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def replicate(src: Path, dst: Path, target: int) -> dict:
    from presslens.corpus.db import connect

    shutil.copy(src, dst)
    conn = connect(dst)
    base = int(conn.execute("SELECT max(id) FROM articles").fetchone()[0])
    n_base = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    item_max = int(conn.execute("SELECT coalesce(max(id), 0) FROM corpus_items").fetchone()[0])
    an_max = int(conn.execute("SELECT max(id) FROM analyses").fetchone()[0])
    replicas = -(-target // n_base) - 1
    t = time.perf_counter()
    for r in range(1, replicas + 1):
        need = min(n_base, target - n_base * r)
        if need <= 0:
            break
        off, ioff, aoff = r * base, r * item_max, r * an_max
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO articles(id, article_key, source_id, title, url, published, language, source, text, "
            "created_at) SELECT id + ?, article_key || '-r' || ?, source_id || '-r' || ?, title, "
            "'https://outlet' || (? % 97) || '.example/r' || ? || '/' || id, date(published, '+' || ? || ' days'), "
            "language, source, text, created_at FROM articles WHERE id <= ? ORDER BY id LIMIT ?",
            (off, r, r, r, r, r, base, need))
        limit_ids = f"article_id + {off} IN (SELECT id FROM articles WHERE id > {off} AND id <= {off + base})"
        conn.execute(f"INSERT INTO analyses(id, article_id, schema_version, presslens_version, pipeline, "
                     f"analysis_json, created_at) SELECT id + {aoff}, article_id + {off}, schema_version, "
                     f"presslens_version, pipeline, analysis_json, created_at FROM analyses WHERE article_id <= {base} "
                     f"AND {limit_ids}")
        for table in REPLICATED:
            cols = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")
                    if row[1] not in ("id", "analysis_id", "article_id")]
            names = ", ".join(f'"{c}"' for c in cols)
            conn.execute(f"INSERT INTO {table}(analysis_id, article_id, {names}) SELECT analysis_id + {aoff}, "
                         f"article_id + {off}, {names} FROM {table} WHERE article_id <= {base} AND {limit_ids}")
        conn.execute(f"INSERT INTO corpus_items(id, article_id, kind, ref, text, start, end, speaker_entity, "
                     f"speaker_name, family_id, published) SELECT id + {ioff}, article_id + {off}, kind, ref, text, "
                     f"start, end, speaker_entity, speaker_name, family_id, date(published, '+{r} days') "
                     f"FROM corpus_items WHERE id <= {item_max} AND {limit_ids}")
        conn.execute(f"INSERT INTO item_vectors(item_id, embedding) SELECT v.item_id + {ioff}, v.embedding "
                     f"FROM item_vectors v JOIN corpus_items i ON i.id = v.item_id WHERE v.item_id <= {item_max} "
                     f"AND {limit_ids}")
        conn.execute(f"INSERT INTO actor_links(actor_id, article_id, entity_id, entity_key, name, confidence, evidence)"
                     f" SELECT actor_id, article_id + {off}, entity_id, entity_key || '-r{r}', name, confidence, "
                     f"evidence FROM actor_links WHERE article_id <= {base} AND {limit_ids}")
        conn.execute(f"INSERT INTO corpus_indexed(article_id, indexed_at) SELECT article_id + {off}, indexed_at "
                     f"FROM corpus_indexed WHERE article_id <= {base} AND {limit_ids}")
        conn.execute("COMMIT")
    conn.execute("UPDATE actors SET article_count = (SELECT count(DISTINCT article_id) FROM actor_links "
                 "WHERE actor_id = actors.id)")
    counts = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
              for t in ("articles", "corpus_items", "claim_families", "actors")}
    counts["replicate_s"] = round(time.perf_counter() - t, 1)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return counts


def store_size(db: Path) -> dict:
    from presslens.corpus.db import connect

    conn = connect(db)
    try:
        pages, free, size = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count",
                                                                                 "page_size"))
        tables = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                  for t in ("articles", "corpus_items", "item_vectors", "claim_families", "actors")}
        return {"store_file_bytes": db.stat().st_size, "store_used_bytes": (pages - free) * size, "rows": tables}
    finally:
        conn.close()


def questions(n: int, corpus: Path) -> list[str]:
    """FNC-1 headlines written about the base bodies (stance other than unrelated), asked as "Is it true that ...?"."""
    bodies = {json.loads(line)["id"][3:] for line in corpus.open(encoding="utf-8")}
    seen, out = set(), []
    with (SHARED / "stance" / "fnc-1" / "train_stances.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            head = row["Headline"].strip().rstrip(".")
            if row["Body ID"] in bodies and row["Stance"] != "unrelated" and head not in seen:
                seen.add(head)
                out.append(f"Is it true that {head[0].lower() + head[1:]}?")
    random.Random(7).shuffle(out)
    return out[:n]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=int, default=600)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--questions", type=int, default=40)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--reuse-store", action="store_true", help="ask against an existing big.db (kept with --keep)")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    report: dict = {}
    base_db, big_db, corpus = args.work / "base.db", args.work / "big.db", args.work / "base.jsonl"
    if not base_db.exists():
        report["base_words"] = base_corpus(args.base, corpus)
        wall, cpu = run([str(BIN / "presslens"), "batch", str(corpus), "--db", str(base_db), "--workers", "1"])
        report["batch_s"], report["batch_cpu_s"] = round(wall, 1), round(cpu, 1)
        from presslens.corpus.index import index

        t, c = time.perf_counter(), time.process_time()
        counts = index(base_db)
        report["index_s"], report["index_cpu_s"] = round(time.perf_counter() - t, 1), round(time.process_time() - c, 1)
        report["embed_s"], report["embed_cpu_s"] = counts["embed_seconds"], counts["embed_cpu_seconds"]
        report["base_items"] = counts["items"]
        # CPU-second ratios: the wall clock of this shared machine moves with other people's jobs
        report["embed_ratio_cpu"] = round(report["embed_cpu_s"] / report["batch_cpu_s"], 4)
        report["index_ratio_cpu"] = round(report["index_cpu_s"] / report["batch_cpu_s"], 4)
        report["embed_ratio_wall"] = round(report["embed_s"] / report["batch_s"], 4)
        print(json.dumps(report), flush=True)
    if not (args.reuse_store and big_db.exists()):
        report["scale"] = replicate(base_db, big_db, args.articles)
    report.update(store_size(big_db))
    print(json.dumps(report), flush=True)
    from presslens.corpus.ask import Asker

    asks = questions(args.questions, corpus)
    t = time.perf_counter()
    asker = Asker(big_db, stance="lexical")
    report["ask_load_s"] = round(time.perf_counter() - t, 2)
    times, sizes = [], []
    for q in asks:
        t = time.perf_counter()
        brief = asker.ask(q)
        times.append(time.perf_counter() - t)
        sizes.append(brief["matched"])
    asker.close()
    report["ask_p50_s"] = round(statistics.median(times), 3)
    report["ask_p95_s"] = round(pct(times, 0.95), 3)
    report["ask_max_s"] = round(max(times), 3)
    report["ask_matched_median"] = statistics.median(sizes)
    report["ask_cli_cold_s"] = [round(run([str(BIN / "presslens"), "ask", "--db", str(big_db), q, "--format",
                                           "json", "--stance", "lexical"])[0], 2) for q in asks[:3]]
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    if not args.keep:
        for p in args.work.glob("big.db*"):
            p.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
