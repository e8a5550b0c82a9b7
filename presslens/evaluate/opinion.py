"""The opinion-prose development set (opinion_dev.jsonl): 30 commentary paragraphs in the style of machine-translated
opinion pieces, written for presslens, every technique span marked with PTC's 14 labels (source:
training/data/opinion_dev.marked.txt, built by training/build_opinion_dev.py). All names in it are invented.

Measured as the techniques analyzer reads an article (spaCy sentences, the blocks layer, the configured decoding):
SI precision/recall/F1 with the SemEval-2020 measure, TC micro-F1 on the gold spans, from one encoder pass per
paragraph.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Optional

from ..errors import InputError

OPINION_SET = Path(__file__).with_name("opinion_dev.jsonl")


def load_set(path: Optional[Path] = None) -> list[dict]:
    path = Path(path or OPINION_SET)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError("K19", f"opinion set {str(path)!r} does not exist", "reinstall presslens or pass an existing file")
    items = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text, spans = item["text"], item["spans"]
            rows = [(int(s["start"]), int(s["end"]), str(s["technique"])) for s in spans]
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError("K25", f"{path}:{n}: not an opinion-set line ({exc})",
                             'each line is {"id", "text", "spans": [{"start", "end", "technique"}]}')
        if any(not 0 <= s < e <= len(text) for s, e, _ in rows):
            raise InputError("K26", f"{path}:{n}: a span lies outside its text", "rebuild with training/build_opinion_dev.py")
        items.append({"id": str(item.get("id", n)), "text": text, "spans": rows})
    return items


def read_paragraph(nlp: Any, text: str, aid: str) -> tuple[Any, list[tuple[int, int]]]:
    """The spaCy Doc and the segments the techniques analyzer reads (sentences, captions and credits skipped)."""
    from ..analyzers import blocks
    from ..runtime.encoder import article_segments
    from ..document import Document

    doc = nlp(text)
    article = Document(text=text, meta={"id": aid})
    article.extend("blocks", blocks.analyze(doc, article, blocks.Config())["blocks"])
    return doc, article_segments(doc, article)


def evaluate_opinion(config: Any = None, path: Optional[Path] = None) -> dict:
    """SI and TC of the configured techniques analyzer on the opinion set."""
    from ..analyzers.techniques import Config, configured_decoding, configured_model
    from ..artifacts import load_spacy
    from .techniques import si_scores, tc_scores

    config = config or Config()
    items = load_set(path)
    model = configured_model(config)
    decoding = configured_decoding(model, config)
    nlp = load_spacy()
    si_pred, si_gold, tc_pred, tc_gold = [], [], [], []
    t0 = time.perf_counter()
    for item in items:
        text, aid = item["text"], item["id"]
        doc, segments = read_paragraph(nlp, text, aid)
        spans = [(s, e) for s, e, _ in item["spans"]]
        found, labelled = model.run(text, segments, decoding, spans, config.batch_size, doc)
        si_pred += [(aid, f.start, f.end) for f in found]
        si_gold += [(aid, s, e) for s, e in spans]
        tc_gold += [(aid, t, s, e) for s, e, t in item["spans"]]
        tc_pred += [(aid, (d.label if d else model.labels[0]), s, e) for (s, e), d in zip(spans, labelled)]
    return {"articles": len(items), "chars": sum(len(i["text"]) for i in items), "ids": str(path or OPINION_SET.name),
            "model": model.id, "si": si_scores(si_pred, si_gold), "tc": tc_scores(tc_pred, tc_gold),
            "seconds": round(time.perf_counter() - t0, 2)}
