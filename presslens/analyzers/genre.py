"""Layer ``genre``: is the article opinion, reporting or satire? One Label per document.

The judgement rests on the writer's OWN voice: text inside quoted speech (the ``quotes`` layer
plus paired quotation marks) is masked out for the voice cues, and captions/credits (``blocks``)
are not read at all. Cues, counted per body sentence and named in the evidence:

- opinion: first-person singular ("I", "my") and plural ("we", "our") outside quotes, second-person
  address ("you"), rhetorical questions (an author sentence ending in "?"), stance markers
  (lexicons/genre/opinion_markers.txt: "I have to say", "we should", "surely"), hedges
  (genre/hedges.txt), evaluative words (lexicons/sentiment_positive.txt / sentiment_negative.txt);
- reporting: attribution density (genre/attribution.txt: "said", "according to", "officials" per
  sentence), share of the body in quoted speech, sentences carrying figures and dates;
- satire: the outlet (meta source/url/title/author against genre/satire_outlets.txt), deadpan
  formulae (genre/satire_cues.txt: "at press time", "area man", "sources confirmed") and
  over-the-top hyperbole (genre/hyperbole.txt), inside or outside mock quotes.

Each class score is a weighted sum of per-sentence rates (weights below, set by hand on the tune half
of presslens/evaluate/judgements_dev.jsonl) turned into probabilities with a softmax. The cue set
follows the stylistic genre features of Krüger et al. (2017, "Classifying news versus opinions in
newspapers: linguistic features for domain independence") and the satire cues of Rubin et al. (2016,
"Fake news or truth? Using satirical cues to detect potentially misleading news").
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..document import Evidence, Label, Span
from .shared import LexiconMatcher, body_ranges, body_sentences, load_words, quote_ranges, quoted_tokens, token_view

NAME = "genre"
VERSION = "1.0.0"
REQUIRES = ("blocks", "quotes")
ASSIGNS = ("genre",)

LABELS = ("opinion", "reporting", "satire")

FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves"})
# Entity types whose mention marks a sentence as carrying figures or dates (a wire-report habit).
FIGURE_ENTS = frozenset({"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "DATE", "TIME"})

# feature -> (label it supports, weight per sentence-rate). Hand-set on the tune half of the dev set;
# the rates are "hits per body sentence", so a weight of 3 means one hit in every sentence adds 3.
WEIGHTS: dict[str, tuple[str, float]] = {
    "first_singular": ("opinion", 4.0),
    "first_plural": ("opinion", 2.0),
    "second_person": ("opinion", 2.0),
    "rhetorical_question": ("opinion", 5.0),
    "opinion_marker": ("opinion", 3.0),
    "hedge": ("opinion", 1.0),
    "evaluative": ("opinion", 2.0),
    "attribution": ("reporting", 2.5),
    "figures": ("reporting", 1.5),
    "quoted_share": ("reporting", 1.0),
    "satire_cue": ("satire", 8.0),
    "hyperbole": ("satire", 4.0),
}
# Plain-language names for the evidence sentence.
FEATURE_NAMES = {
    "first_singular": "first-person singular words outside quotes",
    "first_plural": "first-person plural words outside quotes",
    "second_person": "second-person address",
    "rhetorical_question": "rhetorical questions in the author's voice",
    "opinion_marker": "stance markers",
    "hedge": "hedges",
    "evaluative": "evaluative words outside quotes",
    "attribution": "attributions to sources",
    "figures": "sentences with figures or dates",
    "satire_cue": "satire formulae",
    "hyperbole": "hyperbolic phrases",
}


@dataclass(frozen=True)
class Config:
    # Softmax temperature over the class scores: higher flattens the probabilities.
    temperature: float = 1.0
    # Score added to satire when the outlet in meta is a known satirical one: about what a full wire-style
    # profile gives reporting (attribution in most sentences, figures, much of the body quoted), so the
    # outlet wins over deadpan reporting style but not over strong opinion cues (outlets also run columns).
    satire_outlet_bonus: float = 5.0
    # Prior added to reporting: news text is reporting unless voice cues say otherwise.
    reporting_prior: float = 0.5
    # Evidence sentences returned in the label's spans.
    max_spans: int = 3


@dataclass
class SentenceCues:
    sent: Any
    counts: dict[str, int]


def matchers() -> dict[str, LexiconMatcher]:
    return _MATCHERS or _build_matchers()


_MATCHERS: dict[str, LexiconMatcher] = {}


def _build_matchers() -> dict[str, LexiconMatcher]:
    _MATCHERS.update({
        "opinion_marker": LexiconMatcher(load_words("genre/opinion_markers.txt")),
        "hedge": LexiconMatcher(load_words("genre/hedges.txt")),
        "evaluative": LexiconMatcher(load_words("sentiment_positive.txt") + load_words("sentiment_negative.txt")),
        "attribution": LexiconMatcher(load_words("genre/attribution.txt")),
        "satire_cue": LexiconMatcher(load_words("genre/satire_cues.txt")),
        "hyperbole": LexiconMatcher(load_words("genre/hyperbole.txt")),
    })
    return _MATCHERS


def warm(config: Config) -> None:
    matchers()


def count_sentence(sent: Any, quoted: list[bool]) -> dict[str, int]:
    """Cue counts of one sentence; voice cues only from tokens outside quoted speech."""
    counts = dict.fromkeys(WEIGHTS, 0)
    doc = sent.doc
    view = token_view(doc)  # token forms read once per Doc (spaCy builds a Token object per access)
    own = [view.lower[i] for i in range(sent.start, sent.end) if not quoted[i]]
    for low in own:
        counts["first_singular"] += low in FIRST_SINGULAR
        counts["first_plural"] += low in FIRST_PLURAL
        counts["second_person"] += low in SECOND_PERSON
    last = next((i for i in range(sent.end - 1, sent.start - 1, -1) if not view.is_space[i]), None)
    if last is not None and view.lower[last] == "?" and not quoted[last] and len(own) >= 3:
        counts["rhetorical_question"] = 1
    for feature in ("opinion_marker", "hedge", "evaluative", "attribution"):
        hits = matchers()[feature].find(doc, sent.start, sent.end)
        n = sum(1 for i, _, _ in hits if not quoted[i])
        counts[feature] = min(n, 1) if feature == "attribution" else n
    for feature in ("satire_cue", "hyperbole"):  # mock quotes count too
        counts[feature] = len(matchers()[feature].find(doc, sent.start, sent.end))
    counts["figures"] = int(any(label in FIGURE_ENTS and not quoted[start]
                                for start, _, label in view.ents_within(sent.start, sent.end)))
    return counts


def sentence_counts(sents: list[Any], quoted: list[bool]) -> list[dict[str, int]]:
    """``count_sentence`` of each sentence."""
    return [count_sentence(s, quoted) for s in sents]


def satire_outlet(article: Any) -> str:
    """The satirical outlet named in the article's meta, or ''."""
    meta = article.meta or {}
    fields = " ".join(str(meta.get(k) or "") for k in ("source", "url", "title", "author", "outlet", "site")).lower()
    return next((name for name in load_words("genre/satire_outlets.txt") if name in fields), "")


def quoted_share(article: Any, quotes: list[tuple[int, int]]) -> float:
    body = body_ranges(article)
    total = sum(e - s for s, e in body) or 1
    inside = sum(max(0, min(e, qe) - max(s, qs)) for s, e in body for qs, qe in quotes)
    return inside / total


def score_classes(rates: dict[str, float], outlet: str, config: Config) -> dict[str, float]:
    raw = {label: 0.0 for label in LABELS}
    raw["reporting"] += config.reporting_prior
    for feature, (label, weight) in WEIGHTS.items():
        raw[label] += weight * rates.get(feature, 0.0)
    if outlet:
        raw["satire"] += config.satire_outlet_bonus
    top = max(raw.values())
    exp = {k: math.exp((v - top) / max(config.temperature, 1e-6)) for k, v in raw.items()}
    total = sum(exp.values())
    return {k: round(v / total, 4) for k, v in exp.items()}


def explain(label: str, totals: dict[str, int], n: int, share: float, outlet: str) -> str:
    cues = sorted(((totals[f], f) for f, (lab, _) in WEIGHTS.items() if lab == label and f in FEATURE_NAMES and totals[f]),
                  reverse=True)[:4]
    parts = [f"{count} {FEATURE_NAMES[f]}" for count, f in cues]
    if label == "satire" and outlet:
        parts.insert(0, f"satirical outlet {outlet!r} in the metadata")
    if label == "reporting":
        parts.append(f"{share:.0%} of the body in quoted speech")
    return f"{label}: " + (", ".join(parts) if parts else "no strong cue for another genre") + f" (in {n} body sentences)."


def evidence_spans(label: str, cues: list[SentenceCues], text: str, limit: int) -> list[Span]:
    def weight(c: SentenceCues) -> float:
        return sum(w * c.counts[f] for f, (lab, w) in WEIGHTS.items() if lab == label and f in c.counts)

    ranked = sorted((c for c in cues if weight(c) > 0), key=weight, reverse=True)[:limit]
    spans = []
    for c in sorted(ranked, key=lambda c: c.sent.start_char):
        start, end = c.sent.start_char, c.sent.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append(Span.of(text, start, end))
    return spans


def analyze(doc: Any, article: Any, config: Config) -> dict[str, list[Label]]:
    sents = body_sentences(doc, article)
    if not sents:
        return {"genre": []}
    quotes = quote_ranges(article)
    quoted = quoted_tokens(doc, quotes)
    cues = [SentenceCues(s, c) for s, c in zip(sents, sentence_counts(sents, quoted))]
    totals = {f: sum(c.counts[f] for c in cues) for f in WEIGHTS}
    n = len(cues)
    share = quoted_share(article, quotes)
    rates = {f: totals[f] / n for f in WEIGHTS}
    rates["quoted_share"] = share
    outlet = satire_outlet(article)
    scores = score_classes(rates, outlet, config)
    label = max(scores, key=scores.get)
    margin = scores[label] - sorted(scores.values())[-2]
    record = Label(
        label=label, score=scores[label], scores=scores,
        spans=evidence_spans(label, cues, article.text, config.max_spans),
        confidence=round(min(0.95, 0.4 + margin), 3),
        evidence=Evidence("genre.cue_weights", explain(label, totals, n, share, outlet)),
    )
    return {"genre": [record]}


def features(doc: Any, article: Any) -> dict[str, float]:
    """The raw per-sentence rates (for evaluation and tuning)."""
    sents = body_sentences(doc, article)
    quotes = quote_ranges(article)
    quoted = quoted_tokens(doc, quotes)
    cues = sentence_counts(sents, quoted)
    n = max(1, len(cues))
    rates = {f: sum(c[f] for c in cues) / n for f in WEIGHTS}
    rates["quoted_share"] = quoted_share(article, quotes)
    rates["outlet"] = float(bool(satire_outlet(article)))
    return rates
