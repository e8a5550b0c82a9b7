"""SemEval-2020 Task 11 measures and file formats (SI and TC), and the PTC evaluation of the shipped model.

SI (span identification), Da San Martino et al. (2019), as in the task's scorer: overlapping spans are
merged per article, then over all articles

    P = (1/|S|) * sum_{s in S, t in T} |s ∩ t| / |s|        R = (1/|T|) * sum_{s in S, t in T} |s ∩ t| / |t|

with S the predicted and T the gold character spans; F1 = 2PR/(P+R). Partial overlaps earn partial credit.

TC (technique classification) is micro-F1 over the given gold spans; a span carrying two gold labels appears
twice and is matched best-first (multiset intersection of labels per span).

File formats (tab-separated, offsets into the article .txt, end exclusive):
SI ``article_id start end``; TC ``article_id technique start end`` (``?`` as technique in the template).
"""
from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from ..errors import InputError
from .metrics import prf

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
PTC = SHARED / "data" / "persuasion" / "ptc-semeval2020"
ARTICLE_ID = re.compile(r"article(\d+)\.txt$")

SIRow = tuple[str, int, int]
TCRow = tuple[str, str, int, int]


# ----------------------------------------------------------------------------- file formats
def _lines(path: Path) -> Iterable[tuple[int, list[str]]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("K10", f"label file {str(path)!r} does not exist", "pass an existing SI/TC labels file")
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield n, line.rstrip("\r\n").split("\t")


def read_si(path: Path) -> list[SIRow]:
    rows = []
    for n, parts in _lines(path):
        if len(parts) != 3 or not parts[1].strip().isdigit() or not parts[2].strip().isdigit():
            raise InputError("K11", f"{path}:{n}: an SI line needs article_id<TAB>start<TAB>end",
                             "check the file is SemEval-2020 Task 11 SI format")
        rows.append((parts[0].strip(), int(parts[1]), int(parts[2])))
    return rows


def read_tc(path: Path) -> list[TCRow]:
    rows = []
    for n, parts in _lines(path):
        if len(parts) != 4 or not parts[2].strip().isdigit() or not parts[3].strip().isdigit():
            raise InputError("K12", f"{path}:{n}: a TC line needs article_id<TAB>technique<TAB>start<TAB>end",
                             "check the file is SemEval-2020 Task 11 TC format (use ? as the technique in templates)")
        rows.append((parts[0].strip(), parts[1].strip(), int(parts[2]), int(parts[3])))
    return rows


def format_si(rows: Iterable[SIRow]) -> str:
    return "".join(f"{a}\t{s}\t{e}\n" for a, s, e in rows)


def format_tc(rows: Iterable[TCRow]) -> str:
    return "".join(f"{a}\t{t}\t{s}\t{e}\n" for a, t, s, e in rows)


def read_articles(folder: Path, ids: Optional[Sequence[str]] = None) -> dict[str, str]:
    """article id (digits of the file name) -> text, for article*.txt in folder (optionally only ``ids``)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("K13", f"articles folder {str(folder)!r} does not exist", "pass a folder of article*.txt files")
    wanted = set(ids) if ids is not None else None
    out = {}
    for path in sorted(folder.glob("article*.txt")):
        m = ARTICLE_ID.search(path.name)
        if m and (wanted is None or m.group(1) in wanted):
            with path.open(encoding="utf-8", newline="") as fh:  # keep \r\n: offsets count every character
                out[m.group(1)] = fh.read()
    if not out:
        raise InputError("K14", f"no article*.txt files in {folder}" + (" for the given ids" if wanted else ""),
                         "article files are named article<ID>.txt")
    return out


def read_ids(path: Path) -> list[str]:
    try:
        return [x for x in Path(path).read_text().split() if x.strip()]
    except FileNotFoundError:
        raise InputError("K15", f"ids file {str(path)!r} does not exist", "pass a file with one article id per line")


# ----------------------------------------------------------------------------- measures
def merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def si_scores(pred: Iterable[SIRow], gold: Iterable[SIRow], ids: Optional[Iterable[str]] = None) -> dict[str, float]:
    """Official SI precision/recall/F1 (see module docstring); restricted to ``ids`` when given."""
    by_pred: dict[str, list] = defaultdict(list)
    by_gold: dict[str, list] = defaultdict(list)
    for a, s, e in pred:
        by_pred[a].append((s, e))
    for a, s, e in gold:
        by_gold[a].append((s, e))
    articles = set(ids) if ids is not None else set(by_pred) | set(by_gold)
    p_num = r_num = 0.0
    p_den = r_den = 0
    for a in articles:
        p_spans, g_spans = merge(by_pred.get(a, [])), merge(by_gold.get(a, []))
        p_den += len(p_spans)
        r_den += len(g_spans)
        for s, e in p_spans:
            for gs, ge in g_spans:
                inter = min(e, ge) - max(s, gs)
                if inter > 0:
                    p_num += inter / (e - s)
                    r_num += inter / (ge - gs)
    precision, recall, f1 = prf(p_num, p_den, r_den, matched_gold=r_num)  # partial credit per span
    return {"precision": precision, "recall": recall, "f1": f1, "predicted": p_den, "gold": r_den}


def tc_scores(pred: Iterable[TCRow], gold: Iterable[TCRow]) -> dict[str, float]:
    """Micro P/R/F1 of technique labels on spans; labels matched per (article, start, end) as multisets."""
    g: dict[tuple, Counter] = defaultdict(Counter)
    p: dict[tuple, Counter] = defaultdict(Counter)
    for a, t, s, e in gold:
        g[(a, s, e)][t] += 1
    for a, t, s, e in pred:
        p[(a, s, e)][t] += 1
    correct = sum(sum((p[k] & g[k]).values()) for k in g)
    n_pred = sum(sum(c.values()) for c in p.values())
    n_gold = sum(sum(c.values()) for c in g.values())
    precision, recall, f1 = prf(correct, n_pred, n_gold)
    return {"precision": precision, "recall": recall, "f1": f1, "correct": correct, "gold": n_gold}


def template_labels(rows: Iterable[tuple[str, int, int, Any]], labels: Sequence[str]) -> list[TCRow]:
    """TC rows from label probabilities: ``rows`` are (article, start, end, probabilities over ``labels``) in template
    order; a span listed twice gets its top label, then the runner-up (the rule ``predict`` follows)."""
    seen: Counter = Counter()
    out = []
    for aid, s, e, p in rows:
        top = p.argsort()[::-1]
        out.append((aid, labels[top[1] if seen[(aid, s, e)] else top[0]], s, e))
        seen[(aid, s, e)] += 1
    return out


# ----------------------------------------------------------------------------- the model on articles
def predict(articles: dict[str, str], template: Sequence[TCRow], threshold: Optional[float],
            model_name: str = "encoder", threads: int = 1, config: Any = None) -> tuple[list[SIRow], list[TCRow]]:
    """One encoder pass per article: SI spans (when ``threshold`` is given) and the filled TC template.

    Windows follow the PTC layout (lines). In the TC template a span listed twice (two gold labels) gets the
    top label, then the runner-up."""
    from dataclasses import replace

    from ..analyzers.techniques import Config, configured_decoding, configured_model, line_segments

    config = replace(config or Config(), model=model_name, threads=threads)
    model = configured_model(config)
    decoding = None if threshold is None else configured_decoding(model, config, threshold)
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(template):
        if row[0] not in articles:
            raise InputError("K16", f"the spans file names article {row[0]}, which is not in the articles folder",
                             "pass the folder holding article<ID>.txt for every id in the spans file")
        by_article[row[0]].append(i)
    si_rows: list[SIRow] = []
    tc_out: list[Optional[TCRow]] = [None] * len(template)
    for aid, text in articles.items():
        idx = by_article.get(aid, [])
        spans = [(template[i][2], template[i][3]) for i in idx]
        for s, e in spans:
            if not 0 <= s < e <= len(text):
                raise InputError("K17", f"span {s}-{e} of article {aid} is outside its text (length {len(text)})",
                                 "offsets are character offsets into article<ID>.txt")
        if threshold is None and not spans:
            continue
        found, labelled = model.run(text, line_segments(text), decoding, spans, config.batch_size)
        si_rows += [(aid, item.start, item.end) for item in found]
        seen: Counter = Counter()
        for i, item in zip(idx, labelled):
            _, _, s, e = template[i]
            if item is None:
                label = model.labels[0]
            else:
                label = item.runner_up if seen[(s, e)] else item.label
            seen[(s, e)] += 1
            tc_out[i] = (aid, label, s, e)
    return si_rows, [row for row in tc_out if row is not None]


def predict_si(articles: dict[str, str], threshold: float, model_name: str = "encoder",
               threads: int = 1, config: Any = None) -> list[SIRow]:
    return predict(articles, [], threshold, model_name, threads, config)[0]


def predict_tc(articles: dict[str, str], template: Sequence[TCRow], model_name: str = "encoder",
               threads: int = 1, config: Any = None) -> list[TCRow]:
    return predict(articles, template, None, model_name, threads, config)[1]


def evaluate(articles_dir: Optional[Path] = None, gold_si: Optional[Path] = None, gold_tc: Optional[Path] = None,
             ids_file: Optional[Path] = None, threshold: Optional[float] = None, config: Any = None) -> dict:
    """SI F1 and TC micro-F1 of the shipped model; defaults: PTC train-articles restricted to splits/val-ids.txt."""
    defaults = articles_dir is None and gold_si is None and gold_tc is None
    if defaults and not PTC.is_dir():
        raise InputError("K18", f"the PTC data folder {PTC} is absent",
                         "pass --articles, --gold-si and --gold-tc, or run next to ../shared")
    articles_dir = Path(articles_dir or PTC / "train-articles")
    gold_si = Path(gold_si or PTC / "train-task-si.labels")
    gold_tc = Path(gold_tc or PTC / "train-task-flc-tc.labels")
    if ids_file is None and defaults:
        ids_file = PTC / "splits" / "val-ids.txt"
    ids = read_ids(ids_file) if ids_file else None
    articles = read_articles(articles_dir, ids)
    keep = set(articles)
    si_gold = [r for r in read_si(gold_si) if r[0] in keep]
    tc_gold = [r for r in read_tc(gold_tc) if r[0] in keep]
    from ..analyzers.techniques import Config, configured_model

    config = config or Config()
    model = configured_model(config)
    t0 = time.perf_counter()
    si_pred, tc_pred = predict(articles, [(a, "?", s, e) for a, _, s, e in tc_gold],
                               config.threshold if threshold is None else threshold,
                               config.model, config.threads, config)
    seconds = time.perf_counter() - t0

    return {
        "articles": len(articles), "chars": sum(len(t) for t in articles.values()),
        "ids": str(ids_file) if ids_file else None, "model": model.id,
        "si": si_scores(si_pred, si_gold, keep), "tc": tc_scores(tc_pred, tc_gold),
        "seconds": round(seconds, 2),
    }
