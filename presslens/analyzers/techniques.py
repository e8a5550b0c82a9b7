"""Layer ``techniques``: persuasion-technique spans (PTC / SemEval-2020 Task 11 labels).

Two steps over the encoder shared with the claims analyzer (presslens/runtime/encoder.py, presslens/models/encoder,
see its MODEL_CARD.md):

- span identification (SI): a fine-tuned all-MiniLM-L6-v2 gives every word piece a probability of
  lying inside a persuasive fragment; runs of pieces at or above ``threshold`` become spans;
- technique classification (TC): the mean of the span's encoder states, the window's [CLS] state
  and four surface cues (how often the span text repeats in the article, its length, '?' and '!')
  go through a small MLP over the 14 PTC labels (Da San Martino et al., 2019 "Fine-Grained Analysis
  of Propaganda in News Articles"; SemEval-2020 Task 11 overview, 2020).

With the span reader on (``reader``, the default; presslens/runtime/span_reader.py), every span is read a second time in
its own sentences with the span marked: its label probabilities are blended with the encoder's, and a span found
that it reads as "no technique" (p(none) >= ``none_cut``) is dropped.

Each span also names the corresponding SemEval-2023 Task 3 technique where one exists.

Windows are spaCy sentences, split again at line breaks, packed into at most ``max_len`` word pieces
(the same packing the training script used over PTC's sentence-per-line articles). Caption, credit
and boilerplate blocks are skipped: page furniture is not the author's rhetoric.

Inference runs the int8 ONNX encoder with onnxruntime and the ``tokenizers`` tokenizer; the heads
are numpy. No torch at run time. ``depth`` picks the encoder's exit: 3 of 6 layers (default) or all 6.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from ..document import Document, Evidence, Technique
from .rule_combiner import boosted, decide as decide_candidates, most_boosted, worth_reading
from .technique_rules import RULES, candidates as rule_candidates, hits as rule_hits
# span geometry; line_segments, whole_words and decode are read through this module by tests and training scripts
from .technique_spans import decode, join_close, line_parts, line_segments, whole_words, window_of  # noqa: F401

NAME = "techniques"
VERSION = "0.4.0"
REQUIRES: tuple[str, ...] = ("blocks",)
ASSIGNS: tuple[str, ...] = ("techniques",)

# In the recall-leaning mode the span reader drops a span only when it is this sure there is no technique.
RECALL_NONE_CUT = 0.95


@dataclass(frozen=True)
class Config:
    # Shipped model folder under presslens/models/ (the encoder shared with the claims analyzer).
    model: str = "encoder"
    # Encoder exit: 3 = the first 3 of 6 layers (fast default), 6 = all layers, read together with exit 3's
    # reading (more accurate, about 2x the encoder's cost). Set the same depth in [claims] so both analyzers
    # share one pass.
    depth: int = 3
    # A run of word pieces becomes a span when one of its pieces reaches ``threshold`` and every piece reaches
    # ``extend`` (hysteresis: a confident core grows over its weaker neighbours). 0 = the model's own value for
    # this depth, chosen on PTC val (config.json si_decoding, see MODEL_CARD.md).
    threshold: float = 0.0
    extend: float = 0.0
    # Spans shorter than this many characters are dropped (single letters / punctuation are noise);
    # -1 = the model's own value for this depth.
    min_chars: int = -1
    # Two spans of one window at most this many characters apart are one span (the model's runs
    # break on a low-probability word inside a fragment); -1 = the model's own value for this depth.
    merge_gap: int = -1
    # The span reader (presslens/models/span-reader) reads each span again in its own sentences, span marked, and
    # its label probabilities are blended with the encoder's (weight from the reader's config, chosen on PTC val).
    # "" = label spans from the encoder's states alone (faster: no second read of the spans' sentences).
    reader: str = "span-reader"
    # With the reader on, a span found is dropped when the reader's p(no technique) reaches this; 0 = the reader's
    # own value for this depth (chosen on PTC val), 1 = keep every span found.
    none_cut: float = 0.0
    # Candidate rules for surface techniques (presslens/analyzers/technique_rules.py) read by the models and decided by
    # the combiner of presslens/models/technique-rules; "" = the models alone. Needs the span reader (reader = "" turns
    # the rules off too: the combiner decides from the reader's reading).
    rules: str = "technique-rules"
    # The span-text label model (presslens/models/technique-labels: the span's words and surface cues, such as a phrase
    # the article repeats) multiplied into the models' label probabilities; "" = the models' labels alone.
    labels: str = "technique-labels"
    # "precise" (default) keeps spans the models and the combiner are fairly sure of; "recall" shows more candidate
    # spans (a lower combiner cut, the reader dropping only near-certain "no technique"), each with its confidence.
    mode: str = "precise"
    # A rule candidate is kept when the combiner's probability reaches this; 0 = the combiner's own cut for ``mode``.
    rule_cut: float = 0.0
    # No effect (kept so older config files load): every window and every span read is its own onnxruntime run, so
    # a text's scores never depend on what was batched with it.
    batch_size: int = 32
    # onnxruntime intra-op threads: 1 keeps the analyzer from fighting spaCy / other workers for cores.
    threads: int = 1


@dataclass(frozen=True)
class Detected:
    start: int
    end: int
    si_score: float
    label: str
    label_score: float
    runner_up: str
    runner_up_score: float
    rule: Optional[str] = None  # the rule (technique_rules.RULES) that proposed the span, when one did


def span_features(text: str, lower: str, start: int, end: int) -> list[float]:
    """Surface cues the TC head was trained with (same order as config.json "features")."""
    frag = lower[start:end].strip()
    count = lower.count(frag) if len(frag) >= 3 else 1
    piece = text[start:end]
    return [math.log1p(max(count - 1, 0)), math.log1p(end - start) / 5.0, float("?" in piece), float("!" in piece)]


# The span reader's surface cues: the shared encoder's four, and whether the span's text already occurred earlier in
# the article (65% of such PTC train spans are Repetition).
READER_FEATURES = ("log_repeats", "log_length", "question_mark", "exclamation_mark", "occurred_before")


def reader_features(text: str, lower: str, start: int, end: int) -> list[float]:
    frag = lower[start:end].strip()
    before = len(frag) >= 3 and lower.find(frag) < start
    return span_features(text, lower, start, end) + [float(before)]


class TechniqueModel:
    """Technique reading of the shared encoder: ``detect`` finds and labels spans, ``classify`` labels given spans."""

    def __init__(self, name: str = "encoder", threads: int = 1, depth: int = 3, reader: str = "span-reader",
                 rules: str = "", labels: str = ""):
        from ..runtime.encoder import check_depth, load

        self.depth = check_depth(depth)
        self.encoder = load(name, threads)
        self.labels: list[str] = self.encoder.labels
        self.semeval2023 = self.encoder.semeval2023
        self.reader = None
        if reader:
            from ..runtime.span_reader import load as load_reader

            self.reader = load_reader(reader, threads)
            if self.reader.techniques != self.labels:
                from ..errors import ModelError

                raise ModelError("K04", f"span reader {reader!r} has other labels than encoder {name!r}",
                                 "retrain the span reader with training/shipped/train_span_reader.py")
        self.combiner = None
        if rules and self.reader is not None:  # the combiner decides from the reader's reading: no reader, no rules
            from .rule_combiner import load as load_combiner

            self.combiner = load_combiner(rules)
        self.span_labels = None
        if labels:
            from ..runtime.span_labels import load as load_span_labels

            self.span_labels = load_span_labels(labels)
            if self.span_labels.labels != self.labels:
                from ..errors import ModelError

                raise ModelError("K04", f"technique-label model {labels!r} has other labels than encoder {name!r}",
                                 "retrain it with training/shipped/train_technique_labels.py")
        self.id = (self.encoder.id(self.depth) + (f"+{self.reader.id}" if self.reader else "")
                   + (f"+{self.combiner.id}" if self.combiner else "")
                   + (f"+{self.span_labels.id}" if self.span_labels else ""))

    def decoding(self, threshold: float = 0.0, extend: float = 0.0, merge_gap: int = -1,
                 min_chars: int = -1, none_cut: float = 0.0, mode: str = "precise",
                 rule_cut: float = 0.0) -> dict[str, float]:
        """SI post-processing: the configured values, the model's own for this depth where they are unset (with the
        span reader on, its own threshold / extend / none_cut where it has them)."""
        own = dict(self.encoder.si_decoding(self.depth))
        if self.reader is not None:
            own.update(self.reader.si_setting(self.depth))
        own.setdefault("none_cut", 1.0)
        out = dict(own)
        if threshold > 0:
            out["threshold"] = threshold
        out["extend"] = extend if extend > 0 else min(own["extend"] or out["threshold"], out["threshold"])
        if merge_gap >= 0:
            out["merge_gap"] = merge_gap
        if min_chars >= 0:
            out["min_chars"] = min_chars
        if mode == "recall":  # more candidate spans, each with its confidence: the reader drops only near-certain ones
            out["none_cut"] = max(out["none_cut"], RECALL_NONE_CUT)
        if none_cut > 0:
            out["none_cut"] = none_cut
        if self.combiner is not None:
            out["rule_cut"] = rule_cut if rule_cut > 0 else self.combiner.cuts["recall" if mode == "recall" else "precise"]
        return out

    def piece_probs(self, win: dict) -> Any:
        """Per-piece SI probability: exit 3's, or at depth 6 the blend of both exits' (weight from the model)."""
        if self.depth == 3:
            return win["prob3"]
        w = self.encoder.si_decoding(6)["blend"]
        return win["prob6"] if w >= 1 else (1 - w) * win["prob3"] + w * win["prob6"]

    def windows(self, text: str, segments: Sequence[tuple[int, int]], doc: Any = None, batch_size: int = 32) -> list[dict]:
        from ..runtime.encoder import document_windows

        return document_windows(doc, text, segments, self.encoder, self.depth)

    def label_scores(self, text: str, lower: str, win: dict, start: int, end: int) -> Optional[Any]:
        import numpy as np

        idx = [i for i, (a, b) in enumerate(win["off"]) if a < end and b > start]
        if not idx:
            return None
        feats = np.asarray(span_features(text, lower, start, end), dtype=np.float32)

        def probs(depth: int) -> Any:
            h = win[f"hidden{depth}"]
            return self.encoder.technique_probs(np.concatenate([h[1 + idx[0]:1 + idx[-1] + 1].mean(0), h[0], feats]),
                                                depth)
        if self.depth == 3:
            return probs(3)
        w = self.encoder.si_decoding(6)["tc_blend"]
        return probs(6) if w >= 1 else (1 - w) * probs(3) + w * probs(6)

    def _labelled(self, start: int, end: int, si: float, p: Any) -> Detected:
        top = p.argsort()[::-1]
        return Detected(start, end, si, self.labels[top[0]], float(p[top[0]]), self.labels[top[1]], float(p[top[1]]))

    def detect(self, text: str, segments: Sequence[tuple[int, int]], decoding: dict,
               batch_size: int = 32, doc: Any = None) -> list[Detected]:
        return self.run(text, segments, decoding, None, batch_size, doc)[0]

    def classify(self, text: str, segments: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]],
                 batch_size: int = 32) -> list[Optional[Detected]]:
        return self.run(text, segments, None, spans, batch_size)[1]

    def find(self, text: str, wins: list[dict], decoding: dict) -> list[tuple[int, int, float, dict]]:
        """SI: the spans the encoder's piece probabilities give under ``decoding``, as (start, end, score, window)."""
        found = []
        for win in wins:
            runs = decode(win["off"], self.piece_probs(win), decoding["threshold"], decoding["extend"])
            for start, end, score in join_close(runs, int(decoding["merge_gap"])):
                for start, end in line_parts(text, start, end):  # a fragment never runs across a line break
                    start, end = whole_words(text, start, end)
                    # a part holding none of the window's pieces is a line the window skipped (a caption between
                    # two sentences the run crossed): not read, not a span
                    if end - start >= decoding["min_chars"] and any(a < end and b > start for a, b in win["off"]):
                        found.append((start, end, score, win))
        return found

    def run(self, text: str, segments: Sequence[tuple[int, int]], decoding: Optional[dict],
            spans: Optional[Sequence[tuple[int, int]]], batch_size: int = 32, doc: Any = None,
            collect: Optional[dict] = None) -> tuple[list[Detected], list[Optional[Detected]]]:
        """One encoder pass: detect spans (SI + TC) when ``decoding`` (see ``decoding()``) is given, label ``spans``
        (TC) when given.

        A given span is read in the window holding its start (as in training). Labels blend the encoder's reading
        with the span reader's (each span read again in its own sentences), when the reader is on. With the rules on,
        their candidates are read too: the combiner keeps some as spans, and rule hits nudge every span's label.
        ``collect`` (training) receives the candidates' features and the given spans' unnudged probabilities."""
        import numpy as np

        wins = self.windows(text, segments, doc, batch_size)
        lower = text.lower()
        found = self.find(text, wins, decoding) if decoding is not None else []
        use_rules = self.combiner is not None or collect is not None
        cands = rule_candidates(text, segments) if use_rules else []
        given = [(start, end, 1.0, window_of(wins, start)) for start, end in spans or ()]
        proposed = [(c.start, c.end, 0.0, window_of(wins, c.start)) for c in cands] if decoding is not None else []
        todo = found + given + proposed
        probs = [None if win is None else self.label_scores(text, lower, win, start, end)
                 for start, end, _, win in todo]
        read_cands = cands
        if proposed and self.combiner is not None and collect is None:  # candidates it could never keep: not read
            n = len(found) + len(given)
            w = self.reader.blend(self.depth)  # the reader can lift the rule's technique to (1 - w) p + w at most,
            # and the rule hits' nudge (its own hit at least) lifts that further, to most_boosted at most
            best_p = [None if p is None else most_boosted((1 - w) * float(p[self.labels.index(c.technique)]) + w,
                                                          self.combiner.boost)
                      for c, p in zip(cands, probs[n:])]
            worth = worth_reading(self, cands, [win for _, _, _, win in proposed], [(d[0], d[1]) for d in found],
                                  decoding["rule_cut"], best_p)
            todo = todo[:n] + [t for t, k in zip(proposed, worth) if k]
            probs = probs[:n] + [p for p, k in zip(probs[n:], worth) if k]
            proposed = todo[n:]
            read_cands = [c for c, k in zip(cands, worth) if k]
        keep = [True] * len(found)
        p_none = np.zeros(len(todo))
        if self.reader is not None and todo:
            # one reading per extent: several rules (and the encoder) often propose the same sentence
            extents = list(dict.fromkeys((start, end) for start, end, _, _ in todo))
            feats = [reader_features(text, lower, start, end) for start, end in extents]
            once = self.reader.probs(text, extents, segments, feats)
            row = {span: i for i, span in enumerate(extents)}
            read, p_none = self.reader.split(once[[row[(start, end)] for start, end, _, _ in todo]])
            w = self.reader.blend(self.depth)
            # a given span outside every window is labelled by the reader alone
            probs = [r if p is None else (1 - w) * p + w * r for p, r in zip(probs, read)]
            if decoding is not None:  # the reader checks the spans found: "no technique here" drops one
                keep = [p < decoding["none_cut"] for p in p_none[:len(found)]]
        n_found, n_given = len(found), len(given)
        if use_rules:
            hit_rows = rule_hits([(start, end) for start, end, _, _ in todo], cands, self.labels)
            if collect is not None:
                collect.setdefault("given", []).extend(zip(probs[n_found:n_found + n_given], hit_rows[n_found:]))
            boost = self.combiner.boost if self.combiner is not None else 0.0
            probs = [None if p is None else boosted(p, h, boost) for p, h in zip(probs, hit_rows)]
        shown = probs
        if self.span_labels is not None:  # the span's own words, multiplied in for the label only: the combiner's
            # inputs stay the models' reading it was trained on
            from ..runtime.span_labels import ArticleView

            view = ArticleView(text)
            shown = [None if p is None else self.span_labels.blend(p, view, start, end)
                     for (start, end, _, _), p in zip(todo, probs)]
        labelled = [None if p is None else self._labelled(start, end, score, p)
                    for (start, end, score, _), p in zip(todo, shown)]
        out = [item for item, k in zip(labelled[:n_found], keep) if k]
        if proposed:
            out = decide_candidates(self, read_cands, proposed, probs[n_found + n_given:], p_none[n_found + n_given:],
                                    labelled[n_found + n_given:], out, decoding, collect)
        return out, labelled[n_found:n_found + n_given]


@functools.lru_cache(maxsize=8)
def load_model(name: str = "encoder", threads: int = 1, depth: int = 3, reader: str = "span-reader",
               rules: str = "", labels: str = "") -> TechniqueModel:
    return TechniqueModel(name, threads, depth, reader, rules, labels)


def configured_model(config: Config) -> TechniqueModel:
    if config.mode not in ("precise", "recall"):
        from ..errors import ConfigError

        raise ConfigError("K08", f"[techniques] mode must be \"precise\" or \"recall\", got {config.mode!r}",
                          "set mode = \"precise\" (the default) or mode = \"recall\" (more candidate spans)")
    return load_model(config.model, config.threads, config.depth, config.reader, config.rules, config.labels)


def configured_decoding(model: TechniqueModel, config: Config, threshold: Optional[float] = None) -> dict:
    return model.decoding(config.threshold if threshold is None else threshold, config.extend, config.merge_gap,
                          config.min_chars, config.none_cut, config.mode, config.rule_cut)


def warm(config: Config) -> None:
    configured_model(config)


def model_id(config: Config) -> str:
    return configured_model(config).id


def to_record(text: str, item: Detected, model: TechniqueModel) -> Technique:
    how = "encoder states and the span read in its sentence" if model.reader else "encoder states"
    if model.span_labels is not None:
        how += " and its own words"
    if item.rule:
        why = (f"proposed by rule {item.rule} ({RULES[item.rule]}); kept by the combiner over the models' reading "
               f"(p={item.si_score:.2f}); top technique {item.label} p={item.label_score:.2f}, next {item.runner_up} "
               f"p={item.runner_up_score:.2f} (from {how}, rule hits counted)")
        return Technique(item.start, item.end, text[item.start:item.end], item.label, model.semeval2023.get(item.label),
                         round(item.si_score * item.label_score, 4),
                         Evidence(f"techniques.rule.{item.rule}+{model.id}", why))
    why = (f"word pieces inside a persuasive span (mean p={item.si_score:.2f}); top technique {item.label} "
           f"p={item.label_score:.2f}, next {item.runner_up} p={item.runner_up_score:.2f} (from {how})")
    return Technique(item.start, item.end, text[item.start:item.end], item.label, model.semeval2023.get(item.label),
                     round(item.si_score * item.label_score, 4), Evidence(model.id, why))


def analyze(doc: Any, article: Document, config: Config) -> dict[str, list[Technique]]:
    from ..runtime.encoder import article_segments

    model = configured_model(config)
    segments = article_segments(doc, article)
    decoding = configured_decoding(model, config)
    found = model.detect(article.text, segments, decoding, config.batch_size, doc)
    return {"techniques": [to_record(article.text, item, model) for item in found]}
