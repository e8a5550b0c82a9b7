"""Evaluate the ``quotes`` layer against PolNeAR attribution relations (brat standoff).

Matching rule (documented here and printed with the results):

* A span is a set of word tokens (``\\w+`` runs, identified by character offset); punctuation and quotation
  marks do not count, so a predicted content without its marks matches a gold content with them.
* overlap(pred, gold) = |tokens in both| / |tokens of the longer one|  (in [0, 1]; 1 = same words).
* Predicted and gold items are paired one-to-one, greedily by descending overlap; a pair counts at
  threshold t when its overlap is >= t (reported at t = 0.3 and t = 0.8).
* Predictions are the quotes of kind direct / partial / reported (titles and scare quotes are not
  attributions). Quotes sharing one cue and speaker are merged into one item, since PolNeAR annotates
  a quote interrupted by its attribution ("“A,” she said, “B.”") as one discontinuous content.
* Split: a gold item is *direct* when its content contains a double quotation mark (" “ ” « » „), else *other*;
  a prediction is direct when its kind is direct/partial or its content holds such a mark. Recall is
  computed per gold category, precision per predicted category.
* Speaker accuracy, on pairs matched at t = 0.3 whose gold attribution has a Source: correct when the
  predicted speaker mention overlaps the gold Source span, or the predicted speaker entity has a mention
  overlapping it, or the speaker's name shares a content word with the Source text ("Trump" / "Donald Trump").
* Articles annotated by several annotators use the lowest annotator id.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from ..errors import InputError
from .metrics import prf

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "quotes" / "polnear"
QUOTE_MARKS = set('"“”«»„')
SPEECH_KINDS = ("direct", "partial", "reported")
THRESHOLDS = (0.3, 0.8)
WORD = re.compile(r"\w+")
# Words that say nothing about who the source is ("the", "he"): ignored by the name rule of speaker accuracy.
NAME_STOP = {"the", "a", "an", "of", "and", "he", "she", "they", "it", "his", "her", "their", "its", "we", "i", "you",
             "mr", "mrs", "ms", "dr", "who", "that", "this", "s"}


@dataclass
class Item:
    """One attribution: content spans (possibly discontinuous), source spans, plus what is needed to score it."""

    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    direct: bool = False
    speaker_name: Optional[str] = None
    speaker_mentions: list[tuple[int, int]] = field(default_factory=list)
    tokens: frozenset = frozenset()


def tokens_of(text: str, spans: list[tuple[int, int]]) -> frozenset:
    out = set()
    for start, end in spans:
        out.update(start + m.start() for m in WORD.finditer(text[start:end]))
    return frozenset(out)


def parse_spans(field_: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (part.split() for part in field_.split(";"))]


def read_gold(ann: Path, text: str) -> list[Item]:
    """Attribution events of one brat .ann file."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (label, parse_spans(offsets))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    items = []
    for event in events:
        content = [s for key in ("Content",) if key in event for s in spans.get(event[key], ("", []))[1]]
        if not content:
            continue
        source = spans.get(event["Source"], ("", []))[1] if "Source" in event else []
        content_text = "".join(text[a:b] for a, b in content)
        items.append(Item(content, source, direct=bool(QUOTE_MARKS & set(content_text)), tokens=tokens_of(text, content)))
    return [i for i in items if i.tokens]


def predicted_items(article: Any) -> list[Item]:
    """Speech quotes of an analysed Document, merged by (cue, speaker)."""
    groups: dict[Any, Item] = {}
    text = article.text
    for q in article.get("quotes"):
        if q.kind not in SPEECH_KINDS:
            continue
        sp = q.speaker
        key = (q.cue.start, q.cue.end, sp.name if sp else None) if q.cue is not None else ("q", q.id)
        item = groups.get(key)
        if item is None:
            mentions = []
            if sp is not None and sp.start is not None:
                mentions.append((sp.start, sp.end))
            if sp is not None and sp.entity:
                entity = article.entity(sp.entity)
                mentions += [(m.start, m.end) for m in (entity.mentions if entity else [])]
            item = groups[key] = Item([], speaker_name=sp.name if sp else None, speaker_mentions=mentions)
        item.content.append((q.content.start, q.content.end))
        item.direct = item.direct or q.kind in ("direct", "partial") or bool(QUOTE_MARKS & set(q.content.text))
    for item in groups.values():
        item.tokens = tokens_of(text, item.content)
    return [i for i in groups.values() if i.tokens]


def overlap(a: frozenset, b: frozenset) -> float:
    return len(a & b) / max(len(a), len(b)) if a and b else 0.0


def match(preds: list[Item], golds: list[Item]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one pairing by descending overlap: (pred index, gold index, overlap)."""
    pairs = sorted(((overlap(p.tokens, g.tokens), i, j) for i, p in enumerate(preds) for j, g in enumerate(golds)
                    if p.tokens & g.tokens), reverse=True)
    used_p, used_g, out = set(), set(), []
    for score, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j, score))
    return out


def speaker_correct(pred: Item, gold: Item, text: str) -> bool:
    for gs, ge in gold.source:
        if any(s < ge and gs < e for s, e in pred.speaker_mentions):
            return True
    names = {w.lower() for w in WORD.findall(pred.speaker_name or "")} - NAME_STOP
    gold_words = {w.lower() for a, b in gold.source for w in WORD.findall(text[a:b])} - NAME_STOP
    return bool(names & gold_words)


@dataclass
class Tally:
    gold: dict = field(default_factory=lambda: {"direct": 0, "other": 0})
    pred: dict = field(default_factory=lambda: {"direct": 0, "other": 0})
    hit_gold: dict = field(default_factory=lambda: {(c, t): 0 for c in ("direct", "other") for t in THRESHOLDS})
    hit_pred: dict = field(default_factory=lambda: {(c, t): 0 for c in ("direct", "other") for t in THRESHOLDS})
    speaker: dict = field(default_factory=lambda: {c: [0, 0] for c in ("direct", "other")})

    def add(self, preds: list[Item], golds: list[Item], text: str) -> None:
        for g in golds:
            self.gold[cat(g)] += 1
        for p in preds:
            self.pred[cat(p)] += 1
        for i, j, score in match(preds, golds):
            for t in THRESHOLDS:
                if score >= t:
                    self.hit_gold[(cat(golds[j]), t)] += 1
                    self.hit_pred[(cat(preds[i]), t)] += 1
            if score >= THRESHOLDS[0] and golds[j].source:
                row = self.speaker[cat(golds[j])]
                row[1] += 1
                row[0] += speaker_correct(preds[i], golds[j], text)

    def scores(self) -> dict:
        out: dict = {}
        for c in ("direct", "other", "all"):
            cats = ("direct", "other") if c == "all" else (c,)
            n_gold = sum(self.gold[k] for k in cats)
            n_pred = sum(self.pred[k] for k in cats)
            row = {"gold": n_gold, "predicted": n_pred}
            for t in THRESHOLDS:
                hg = sum(self.hit_gold[(k, t)] for k in cats)
                hp = sum(self.hit_pred[(k, t)] for k in cats)
                p, r, f = prf(hp, n_pred, n_gold, matched_gold=hg)  # a gold quote may be matched by several
                row[f"p@{t}"], row[f"r@{t}"] = round(p, 4), round(r, 4)
                row[f"f1@{t}"] = round(f, 4)
            ok, n = (sum(self.speaker[k][0] for k in cats), sum(self.speaker[k][1] for k in cats))
            row["speaker_acc"], row["speaker_n"] = (round(ok / n, 4) if n else 0.0), n
            out[c] = row
        return out


def cat(item: Item) -> str:
    return "direct" if item.direct else "other"


def articles(data: Path, split: str, limit: Optional[int]) -> Iterator[tuple[str, str, Path]]:
    text_dir, ann_dir = data / split / "text", data / split / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise InputError("Q01", f"{data} has no PolNeAR split {split!r} (expected {text_dir} and {ann_dir})",
                         "pass --data pointing at the PolNeAR folder holding train/ and dev/")
    count = 0
    for path in sorted(text_dir.glob("*.txt")):
        anns = sorted(ann_dir.glob(f"{path.stem}_*.ann"))
        if not anns:
            continue
        yield path.stem, path.read_text(encoding="utf-8"), anns[0]
        count += 1
        if limit is not None and count >= limit:
            break


def evaluate(data: Optional[Path] = None, split: str = "dev", limit: Optional[int] = None,
             pipeline: Any = None, errors: Optional[list] = None) -> dict:
    """Run blocks+entities+quotes over a PolNeAR split and score it; returns a JSON-able dict."""
    from ..ingest import RawArticle

    data = Path(data) if data is not None else DEFAULT_DATA
    if limit is not None and limit < 1:
        raise InputError("Q02", f"--limit must be at least 1, got {limit}", "give a positive number of articles")
    if pipeline is None:
        import presslens

        pipeline = presslens.load(analyzers=["blocks", "entities", "quotes"])
    started = time.perf_counter()
    items = list(articles(data, split, limit))
    if not items:
        raise InputError("Q03", f"no annotated articles found in {data / split}", "check the --data folder")
    gold_by_id = {stem: (text, ann) for stem, text, ann in items}
    raws = [RawArticle(id=stem, text=text) for stem, text, _ in items]
    tally, skipped = Tally(), []
    for result in pipeline.pipe(raws):
        if not hasattr(result, "layers"):
            skipped.append(getattr(result, "article_id", "?"))
            continue
        text, ann = gold_by_id[result.meta["id"]]
        if result.text != text:
            skipped.append(result.meta["id"])
            continue
        golds, preds = read_gold(ann, text), predicted_items(result)
        tally.add(preds, golds, text)
        if errors is not None:
            errors.append((result.meta["id"], text, preds, golds))
    return {"data": str(data), "split": split, "articles": len(items) - len(skipped), "skipped": skipped,
            "seconds": round(time.perf_counter() - started, 1), "overlap": "shared word tokens / tokens of the longer span",
            "scores": tally.scores()}
