"""Layer ``stance``: how the article's OWN voice treats each named actor — favourable, unfavourable or
neutral. One Label per PERSON/ORG/GPE/NORP entity (``target`` = entity id).

Only the author's words count: text inside quoted speech (content spans of the ``quotes`` layer plus
paired quotation marks) is masked, so an article that quotes a critic attacking X while praising X
itself is favourable to X. Captions and credits (``blocks``) are not read.

For each author sentence that mentions the entity outside quotes, every evaluative word outside
quotes (lexicons/sentiment_positive.txt, sentiment_negative.txt, written for presslens) adds its
polarity weighted by its distance to the mention in the dependency tree: 1 for a word governing or
modifying the mention directly, decaying with each further arc, so "the admirable X" and "X acted
recklessly" count fully while an evaluation of someone else in a long sentence counts little.
Negation flips and damps a word's polarity ("not a provocation"): a ``neg`` dependent on the word
or its head, or a negator within the three preceding tokens. A following sentence that refers back
with a pronoun ("She has not sneered…") counts at half weight. The entity's polarity is
tanh(sum / scale); beyond ±threshold it is favourable/unfavourable.

Satire speaks in deadpan irony: when the genre layer says satire, the author's evaluative words are
reversed, and the actor the piece is about (mentioned most in the author's paragraphs, the earliest
breaking ties) is labelled unfavourable — satire mocks its protagonist (rule ``stance.satire_target``).

Follows the target-dependent lexicon approach of targeted sentiment analysis (e.g. Ding, Liu & Yu
2008, "A holistic lexicon-based approach to opinion mining": distance-weighted opinion words with
negation rules; a word closer to another actor's mention evaluates that actor), restricted to the
author's voice.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from ..document import Evidence, Label, Span
from .shared import LexiconMatcher, body_sentences, in_ranges, load_words, quote_ranges, quoted_tokens

NAME = "stance"
VERSION = "1.0.0"
REQUIRES = ("blocks", "entities", "quotes", "genre")
ASSIGNS = ("stance",)

TARGET_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
NEGATORS = frozenset({"not", "n't", "never", "no", "without", "hardly", "nothing", "nobody", "neither", "nor"})
# Tokens before an evaluative word that a negator may sit in ("did not act responsibly").
NEGATION_WINDOW = 3
# Pronouns that may refer back to the actor of the previous sentence. Not split by entity type: NER
# often types an organisation as a person ("Acme decided …"), and the carry-over is already limited
# to a next sentence that names no other actor.
PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their"})


@dataclass(frozen=True)
class Config:
    # |polarity| (tanh of the weighted sum) at or above which the stance is not neutral; tuned on the
    # tune half of judgements_dev.jsonl.
    threshold: float = 0.3
    # Divides the weighted sum before tanh: a sum of 2 full-weight words gives polarity ~0.76.
    scale: float = 1.5
    # Weight lost per dependency arc beyond the first between an evaluative word and the mention.
    distance_decay: float = 0.35
    # A negated evaluative word counts this fraction of its polarity, reversed.
    negation_factor: float = 0.6
    # Weight of a next sentence that refers back to the entity by pronoun.
    pronoun_weight: float = 0.5
    # Evidence sentences per entity.
    max_spans: int = 3
    # Satire: when the genre layer (the genre analyzer, with the user's [genre] settings) gives
    # satire at least this probability, the author's praise is read as irony (polarity reversed) and
    # the actor the piece is about (mentioned most in the author's paragraphs, then earliest) is its target.
    satire_probability: float = 0.6


_LEX: dict[str, Any] = {}


def lexicon() -> tuple[LexiconMatcher, dict[str, int]]:
    if not _LEX:
        pos, neg = load_words("sentiment_positive.txt"), load_words("sentiment_negative.txt")
        _LEX["polarity"] = {**{w: 1 for w in pos}, **{w: -1 for w in neg}}
        _LEX["matcher"] = LexiconMatcher(pos + neg)
    return _LEX["matcher"], _LEX["polarity"]


def warm(config: Config) -> None:
    lexicon()


def tree_distance(a: Any, b: Any) -> int:
    """Arcs between two tokens of one sentence in the dependency tree."""
    depth_a = {tok.i: d for d, tok in enumerate([a, *a.ancestors])}
    for d, tok in enumerate([b, *b.ancestors]):
        if tok.i in depth_a:
            return d + depth_a[tok.i]
    return len(list(a.ancestors)) + len(list(b.ancestors)) + 2


def negated(token: Any, quoted: list[bool]) -> bool:
    if any(c.dep_ == "neg" for c in token.children) or any(c.dep_ == "neg" for c in token.head.children):
        return True
    start = max(token.sent.start, token.i - NEGATION_WINDOW)
    return any(token.doc[j].lower_ in NEGATORS and not quoted[j] for j in range(start, token.i))


@dataclass
class Cue:
    word: str
    polarity: float  # signed, after negation
    weight: float
    negated: bool


def sentence_cues(sent: Any, anchors: list[Any], quoted: list[bool], skip: set[int], config: Config,
                  rivals: Sequence[Any] = ()) -> list[Cue]:
    """Evaluative words of the author in ``sent`` with their weight toward the closest anchor token.
    A word closer in the tree to another actor's mention (``rivals``) evaluates that actor, not this one."""
    matcher, polarity = lexicon()
    cues = []
    for i, j, entry in matcher.find(sent.doc, sent.start, sent.end):
        token = sent.doc[i]
        if quoted[i] or i in skip or token.ent_type_ in TARGET_TYPES:
            continue
        dist = min(tree_distance(token, a) for a in anchors)
        if rivals and min(tree_distance(token, r) for r in rivals) < dist:
            continue
        weight = 1.0 / (1.0 + config.distance_decay * max(0, dist - 1))
        neg = negated(token, quoted)
        value = polarity[entry] * (-config.negation_factor if neg else 1.0)
        cues.append(Cue(sent.doc[i:j].text, value, weight, neg))
    return cues


def sentence_index(sents: list[Any]) -> tuple[list[int], list[Any]]:
    return [s.start_char for s in sents], sents


def sentence_of(pos: int, index: tuple[list[int], list[Any]]) -> Optional[int]:
    starts, sents = index
    k = bisect.bisect_right(starts, pos) - 1
    return k if k >= 0 and sents[k].start_char <= pos < sents[k].end_char else None


def mention_anchors(entity: Any, doc: Any, index: Any, quotes: list[tuple[int, int]]) -> dict[int, list[Any]]:
    """sentence number -> root tokens of the entity's mentions there that are in the author's voice."""
    anchors: dict[int, list[Any]] = {}
    for m in entity.mentions:
        if m.start is None or in_ranges(m.start, quotes):
            continue
        k = sentence_of(m.start, index)
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if k is None or span is None or len(span) == 0:
            continue
        anchors.setdefault(k, []).append(span.root)
    return anchors


def pronoun_anchors(k: int, entity: Any, sents: list[Any], quoted: list[bool], mentioned: dict[int, set[str]]) -> list[Any]:
    """Pronouns in sentence k+1 that may refer back to the entity mentioned in sentence k."""
    nxt = k + 1
    if nxt >= len(sents) or nxt in mentioned.get(entity.id, set()) or mentioned.get("_any", {}).get(nxt):
        return []
    return [t for t in sents[nxt] if t.lower_ in PRONOUNS and not quoted[t.i]][:1]


def trim(text: str, start: int, end: int) -> Span:
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span.of(text, start, end)


def judge(entity: Any, doc: Any, sents: list[Any], index: Any, quotes: Any, quoted: list[bool],
          others: dict[int, set[str]], config: Config, text: str, satire: Optional[str] = None,
          all_roots: Optional[dict[int, list[tuple[str, Any]]]] = None) -> Label:
    """Stance toward one entity; ``satire`` is None, "irony" (reverse the words) or "target" (mocked)."""
    anchors = mention_anchors(entity, doc, index, quotes)
    scored: list[tuple[int, float, list[Cue]]] = []  # (sentence, weighted sum, cues)
    for k, roots in sorted(anchors.items()):
        skip = {t.i for r in roots for t in r.subtree if t.ent_type_}
        rivals = [tok for eid, tok in (all_roots or {}).get(k, []) if eid != entity.id]
        cues = sentence_cues(sents[k], roots, quoted, skip, config, rivals)
        scored.append((k, sum(c.polarity * c.weight for c in cues), cues))
        back = pronoun_anchors(k, entity, sents, quoted, {entity.id: set(anchors), "_any": others})
        if back:
            cues = sentence_cues(sents[k + 1], back, quoted, set(), config)
            scored.append((k + 1, config.pronoun_weight * sum(c.polarity * c.weight for c in cues), cues))
    total = sum(s for _, s, _ in scored) * (-1 if satire else 1)
    if satire == "target":  # mocked protagonist: at least the threshold's worth of unfavourable
        total = min(total, -config.scale * math.atanh(min(0.99, config.threshold + 0.2)))
    polarity = math.tanh(total / config.scale)
    label = "favourable" if polarity >= config.threshold else "unfavourable" if polarity <= -config.threshold else "neutral"
    scores = {"favourable": round(max(0.0, polarity), 4), "unfavourable": round(max(0.0, -polarity), 4),
              "neutral": round(1.0 - abs(polarity), 4)}
    sign = 1 if label == "favourable" else -1 if label == "unfavourable" else 0
    sums: dict[int, float] = {}
    for k, value, _ in scored:
        sums[k] = sums.get(k, 0.0) + value * (-1 if satire else 1)
    # the sentences that push hardest toward the label; else (neutral, or a mocked target with no
    # evaluative words) the first author sentences that mention it
    candidates = sorted((k for k in sums if sums[k] * sign > 0), key=lambda k: -sums[k] * sign) if sign else []
    candidates = candidates or sorted(sums)
    chosen = sorted(candidates[: config.max_spans])
    spans = [trim(text, sents[k].start_char, sents[k].end_char) for k in chosen]
    words = [f"'{c.word}'{' (negated)' if c.negated else ''} {'+' if c.polarity > 0 else '-'}" for _, _, cs in scored for c in cs]
    n_author = len(anchors)
    if satire == "target":
        why = (f"satire: {entity.name} is the actor the piece is about (most mentions, then earliest); satire mocks its "
               f"protagonist, and its mock praise ({', '.join(words[:3]) or 'none'}) is read as irony -> polarity {polarity:+.2f}.")
    elif not n_author:
        why = f"{entity.name} is mentioned only in quoted speech or captions; the author's own voice says nothing about it."
    else:
        listed = ", ".join(words[:5]) if words else "no evaluative words"
        why = (f"{n_author} author sentence(s) mention {entity.name} outside quotes; evaluative words near it: "
               f"{listed}; weighted sum {total:+.2f}{' (reversed: satire reads as irony)' if satire else ''} "
               f"-> polarity {polarity:+.2f}.")
    confidence = 0.3 if not n_author else round(min(0.85, 0.45 + 0.4 * abs(polarity) if sign else 0.6 - 0.3 * abs(polarity)), 3)
    rule = "stance.satire_target" if satire == "target" else "stance.lexicon_proximity"
    return Label(label=label, score=scores[label], target=entity.id, spans=spans, scores=scores,
                 confidence=round(confidence * (0.8 if satire else 1.0), 3), evidence=Evidence(rule, why))


def satire_roles(entities: list[Any], article: Any, doc: Any, quotes: Any, index: Any, config: Config) -> dict[str, str]:
    """entity id -> "target" | "irony" when the piece reads as satire; empty otherwise."""
    labels = article.get("genre")
    if not labels or labels[0].scores.get("satire", 0.0) < config.satire_probability:
        return {}
    # Count mentions in paragraphs only: title-case headlines mislead NER into long junk names.
    titles = [(b.start, b.end) for b in article.get("blocks") if b.kind == "title"]
    counts, first = {}, {}
    for e in entities:
        starts = [m.start for m in e.mentions if m.start is not None and not in_ranges(m.start, titles)
                  and not in_ranges(m.start, quotes)]
        counts[e.id], first[e.id] = len(starts), min(starts, default=len(article.text))
    order = sorted(entities, key=lambda e: (-counts[e.id], first[e.id]))  # most mentioned, then earliest
    targets = {order[0].id} if order and counts[order[0].id] else set()
    return {e.id: "target" if e.id in targets else "irony" for e in entities}


def analyze(doc: Any, article: Any, config: Config) -> dict[str, list[Label]]:
    entities = [e for e in article.get("entities") if e.type in TARGET_TYPES]
    sents = body_sentences(doc, article)
    if not entities or not sents:
        return {"stance": []}
    quotes = quote_ranges(article)
    quoted = quoted_tokens(doc, quotes)
    index = sentence_index(sents)
    # sentence number -> ids of every entity mentioned there (blocks pronoun carry-over across actors).
    others: dict[int, set[str]] = {}
    all_roots: dict[int, list[tuple[str, Any]]] = {}  # sentence -> (entity id, mention root) in the author's voice
    for e in entities:
        for m in e.mentions:
            k = sentence_of(m.start, index) if m.start is not None else None
            if k is not None:
                others.setdefault(k, set()).add(e.id)
        for k, roots in mention_anchors(e, doc, index, quotes).items():
            all_roots.setdefault(k, []).extend((e.id, r) for r in roots)
    roles = satire_roles(entities, article, doc, quotes, index, config)
    return {"stance": [judge(e, doc, sents, index, quotes, quoted, others, config, article.text, roles.get(e.id),
                             all_roots) for e in entities]}
