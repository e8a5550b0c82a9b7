"""Layer ``claims``: check-worthy factual claims, who makes them, and through whom we hear them.

Units are body sentences (blocks of kind caption/credit/boilerplate are skipped), split into clauses
when a sentence bundles independent claims (";" or ", and/but" joining verbs with their own subjects),
and trimmed to the quotation when a sentence is "X told him, “…" (the intro is attribution, not claim).
Questions are never claims (rhetorical questions assert nothing checkable).

Each unit is scored by the claim head of the encoder shared with the techniques analyzer
(presslens/runtime/encoder.py: all-MiniLM-L6-v2 fine-tuned on CLEF CheckThat! 2024 Task 1 together with PTC; its
exit-3 claim head retrained on debates and tweets, CT24 + CT22 + CT21 1A, over the frozen encoder): the mean
of the unit's word-piece states, read in context from the article's encoded windows (one pass serves both
analyzers). At depth 3 that head's logit is blended with a multi-source TF-IDF model's logit of the unit's text
(presslens/runtime/claim_tfidf.py): one score, one cut. Or, with ``model = "claims-tfidf"``, the TF-IDF baseline (presslens/runtime/checkworthiness.py). A unit is
kept when the probability reaches ``threshold``. Cues recorded on each claim:

- ``claimant``: the speaker of the innermost quote (quotes layer) whose content covers the unit, else the
  article's author (meta author, or "author").
- ``attribution``: the hearsay chain, nearest source first — the quote's speaker, then the sources of
  reporting verbs that govern the quote's cue verb in the dependency parse ("X revealed that Y told him,
  '…'" gives [Y, X]), then speakers of enclosing quotes whose content holds the cue. The author is implicit. Read by
  presslens/analyzers/claim_attribution.py.
- ``markers``: attribution markers (lexicons/claim_attribution_markers.txt: "according to", "reportedly").
- ``hedges``: hedges (lexicons/claim_hedges.txt: "may", "allegedly", "I suspect"); modal verbs only when
  tagged MD, so the month "May" is no hedge.

Follows the check-worthiness task of CLEF CheckThat! 2024 Task 1 (Hasanain et al., 2024; data from
ClaimBuster, Arslan et al., ICWSM 2020) and the source/cue/content view of attribution of PARC
(Pareti, 2016), whose nested attributions give the hearsay chain.
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any, Optional

from ..document import Attribution, Claim, Document, Evidence, Quote, Span
from ..lexicons import entries
from .claim_attribution import attribution_chain, author_of, overlap, reporting_lemmas  # noqa: F401 (reporting_lemmas: tests)
from .shared import FURNITURE_KINDS

NAME = "claims"
VERSION = "0.4.0"
REQUIRES: tuple[str, ...] = ("blocks", "entities", "quotes")
ASSIGNS: tuple[str, ...] = ("claims",)

log = logging.getLogger(__name__)
SPEECH_KINDS = ("direct", "partial", "reported")
MODALS = {"may", "might", "could", "can", "would", "should"}
QUOTE_CHARS = "\"'“”‘’«»„()[] "


@dataclass(frozen=True)
class Config:
    # Keep a unit when the model's probability reaches this; 0 = the model's own threshold for its depth (exit 3: one
    # cut chosen on CT24, CT22 and CT21 dev sets together; see presslens/models/encoder/MODEL_CARD.md).
    threshold: float = 0.0
    # Units shorter than this many words are fragments or exclamations, not claims.
    min_words: int = 4
    # Split sentences into clauses at ";" and ", and/but" when both sides have their own subject and verb.
    split_clauses: bool = True
    # A quote covers a unit when its content overlaps at least this share of the unit's characters.
    quote_overlap: float = 0.5
    # Block kinds that are never claims (page furniture).
    skip_blocks: tuple[str, ...] = FURNITURE_KINDS
    # Shipped model folder under presslens/models/: "encoder" (shared MiniLM, int8) or "claims-tfidf" (baseline,
    # faster, less accurate; its threshold comes from its manifest).
    model: str = "encoder"
    # Encoder exit (3 or 6 layers); keep it equal to [techniques] depth so both read one pass.
    depth: int = 3


# ---------------------------------------------------------------------------------------------- model
def warm(config: Config) -> None:
    from ..runtime.checkworthiness import load

    scorer = load(config.model, config.depth)
    if scorer.encoder is not None and scorer.encoder.blends(scorer.depth):
        scorer.encoder.claim_tfidf()  # its vocabularies too, so the first article does not pay for them


def model_id(config: Config) -> str:
    from ..runtime.checkworthiness import load

    return load(config.model, config.depth).id


def unit_scores(doc: Any, article: Document, units: list["Unit"], scorer: Any, depth: int) -> list[float]:
    """Probability per unit. With the shared encoder: pooled from the article's encoded windows (cached on the
    Doc, so the techniques analyzer's pass is reused); units outside those windows are read alone."""
    text = article.text
    if scorer.encoder is None or not units:
        return scorer.score([text[u.start:u.end] for u in units])
    import numpy as np

    from ..runtime.encoder import article_windows

    wins = article_windows(doc, article, scorer.encoder, depth)
    vectors = [scorer.encoder.pooled(wins, depth, u.start, u.end) for u in units]
    scores = [0.0] * len(units)
    inside = [i for i, v in enumerate(vectors) if v is not None]
    if inside:
        probs = scorer.encoder.claim_probs(np.stack([vectors[i] for i in inside]), depth,
                                           [text[units[i].start:units[i].end] for i in inside])
        for i, p in zip(inside, probs):
            scores[i] = float(p)
    alone = [i for i, v in enumerate(vectors) if v is None]
    if alone:
        for i, p in zip(alone, scorer.score([text[units[i].start:units[i].end] for i in alone])):
            scores[i] = float(p)
    return scores


# ---------------------------------------------------------------------------------------------- lexicons
@functools.lru_cache(maxsize=4)
def lexicon_pattern(name: str) -> re.Pattern:
    phrases = []
    for line in entries(name):
        phrases.append(r"\s+".join(re.escape(w) for w in line.split()))
    phrases.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)", re.IGNORECASE)


def find_spans(doc: Any, text: str, start: int, end: int, lexicon: str) -> list[Span]:
    spans = []
    for m in lexicon_pattern(lexicon).finditer(text, start, end):
        if m.group(0).lower() in MODALS:
            tok = doc.char_span(m.start(), m.end())
            if tok is None or tok[0].tag_ != "MD":
                continue
        spans.append(Span.of(text, m.start(), m.end()))
    return spans


# ---------------------------------------------------------------------------------------------- units
@dataclass
class Unit:
    start: int
    end: int
    split: bool = False  # a clause of a longer sentence


def body_ranges(article: Document, config: Config) -> list[tuple[int, int]]:
    blocks = article.get("blocks")
    if not blocks:
        return [(0, len(article.text))]
    return [(b.start, b.end) for b in blocks if b.kind not in config.skip_blocks]


def strip_span(text: str, start: int, end: int, chars: str = " \t\r\n") -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def has_subject_verb(tokens: list[Any]) -> bool:
    return any(t.dep_ in ("nsubj", "nsubjpass", "expl") and t.head.pos_ in ("VERB", "AUX") and t.head in tokens
               for t in tokens)


def clause_splits(sent: Any) -> list[int]:
    """Token indexes where an independent clause starts: after ';' or at ', and/but' before a verb with its own subject."""
    cuts = []
    for tok in sent:
        if tok.text == ";" and tok.i + 1 < sent.end:
            cuts.append(tok.i + 1)
        elif (tok.dep_ == "cc" and tok.lower_ in ("and", "but") and tok.i > sent.start
              and tok.doc[tok.i - 1].text == "," and tok.head.pos_ in ("VERB", "AUX")):
            conj = [c for c in tok.head.children if c.dep_ == "conj" and c.i > tok.i and c.pos_ in ("VERB", "AUX")]
            if conj and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in conj[0].children):
                cuts.append(tok.i)
    return cuts


def sentence_units(doc: Any, text: str, sent: Any, lo: int, hi: int, config: Config) -> list[Unit]:
    # `text` is the article text (== doc.text, which spaCy rebuilds from every token on each access)
    start, end = strip_span(text, max(sent.start_char, lo), min(sent.end_char, hi))
    if end <= start:
        return []
    if not config.split_clauses:
        return [Unit(start, end)]
    cuts = [i for i in clause_splits(sent) if lo <= doc[i].idx < hi]
    if not cuts:
        return [Unit(start, end)]
    bounds = [sent.start] + cuts + [sent.end]
    pieces = [list(doc[a:b]) for a, b in zip(bounds, bounds[1:])]
    if not all(has_subject_verb(p) and sum(not t.is_punct for t in p) >= config.min_words for p in pieces):
        return [Unit(start, end)]
    units = []
    for piece in pieces:
        while piece and (piece[0].is_punct or piece[0].dep_ == "cc"):
            piece = piece[1:]
        while piece and piece[-1].text in (",", ";"):
            piece = piece[:-1]
        if piece:
            s, e = strip_span(text, max(piece[0].idx, start), min(piece[-1].idx + len(piece[-1]), end))
            if e > s:
                units.append(Unit(s, e, split=True))
    return units


def trim_to_quote(unit: Unit, quotes: list[Quote], text: str) -> Unit:
    """'X told him, “S…' → the quoted part; '“S…,” X said.' → the quoted part (the rest is attribution)."""
    for q in quotes:
        if q.kind != "direct" or q.cue is None:
            continue
        c = q.content
        if unit.start < c.start < unit.end and unit.start <= q.cue.start < c.start:
            s, e = strip_span(text, c.start, min(unit.end, c.end), " \t\r\n" + QUOTE_CHARS)
            return Unit(s, e, unit.split) if e > s else unit
        if unit.start <= c.start and c.end < unit.end and c.end <= q.cue.start < unit.end and c.start - unit.start <= 2:
            s, e = strip_span(text, max(unit.start, c.start), c.end, " \t\r\n" + QUOTE_CHARS)
            return Unit(s, e, unit.split) if e > s else unit
    return unit


def is_question(text: str) -> bool:
    return text.rstrip(QUOTE_CHARS + ".").endswith("?")


def is_introduction(text: str) -> bool:
    """'X said:' or 'Here is what she wrote —' introduces someone else's words; it claims nothing itself."""
    return text.rstrip().endswith((":", "—", "–"))


OPENERS, CLOSERS = "“‘«„\"", "”’»\""


def trim_marks(text: str, unit: Unit) -> Unit:
    """Drop an opening mark at the start (or a closing one at the end) whose partner lies outside the unit."""
    start, end = unit.start, unit.end
    if end - start > 1 and text[start] in OPENERS and not any(c in CLOSERS for c in text[start + 1:end]):
        start, end = strip_span(text, start + 1, end)
    if end - start > 1 and text[end - 1] in CLOSERS and not any(c in OPENERS for c in text[start:end - 1]):
        start, end = strip_span(text, start, end - 1)
    return Unit(start, end, unit.split)


def find_units(doc: Any, article: Document, config: Config) -> list[Unit]:
    text = article.text
    quotes = [q for q in article.get("quotes") if q.kind in SPEECH_KINDS]
    units = []
    for lo, hi in body_ranges(article, config):
        block = doc.char_span(lo, hi, alignment_mode="expand")
        for sent in block.sents if block is not None else []:
            for unit in sentence_units(doc, text, sent, lo, hi, config):
                for _ in range(3):  # nested quotes: 'A wrote: "B says, 'S.'"' → S
                    trimmed = trim_to_quote(unit, quotes, text)
                    if (trimmed.start, trimmed.end) == (unit.start, unit.end):
                        break
                    unit = trimmed
                unit = trim_marks(text, unit)
                words, unit_text = len(text[unit.start:unit.end].split()), text[unit.start:unit.end]
                if words >= config.min_words and not is_question(unit_text) and not is_introduction(unit_text):
                    units.append(unit)
    return units


# ---------------------------------------------------------------------------------------------- attribution
def covering_quotes(unit: Unit, quotes: list[Quote], share: float) -> list[Quote]:
    """Speech quotes whose content covers the unit: most of the unit first, then innermost (latest opened)."""
    length = unit.end - unit.start

    def covers(q: Quote) -> bool:
        if overlap(unit.start, unit.end, q.content.start, q.content.end) >= share * length:
            return True
        # reported speech told whole: cue and content both inside the unit ("Some say that X is Y.")
        return (q.kind == "reported" and q.cue is not None and unit.start <= q.cue.start < unit.end
                and unit.start <= q.content.start and q.content.end <= unit.end)

    def share_of(q: Quote) -> float:  # in tenths, so near-equal covers tie and the innermost wins
        return round(overlap(unit.start, unit.end, q.content.start, q.content.end) / length, 1)

    hits = [q for q in quotes if covers(q)]
    return sorted(hits, key=lambda q: (-share_of(q), -q.content.start, q.content.end))


# ---------------------------------------------------------------------------------------------- analyze
def analyze(doc: Any, article: Document, config: Config) -> dict[str, list[Claim]]:
    from ..runtime.checkworthiness import load

    scorer = load(config.model, config.depth)
    threshold = scorer.cut(config.threshold)
    quotes = [q for q in article.get("quotes") if q.kind in SPEECH_KINDS]
    units = find_units(doc, article, config)
    scores = unit_scores(doc, article, units, scorer, config.depth)
    claims: list[Claim] = []
    chains: dict = {}
    for unit, score in zip(units, scores):
        if score < threshold:
            continue
        claims.append(build_claim(doc, article, unit, score, quotes, scorer.id, config, len(claims) + 1, threshold,
                                  chains))
    return {"claims": claims}


def build_claim(doc: Any, article: Document, unit: Unit, score: float, quotes: list[Quote], model: str,
                config: Config, n: int, threshold: float, chains: Optional[dict] = None) -> Claim:
    text = article.text
    covering = covering_quotes(unit, quotes, config.quote_overlap)
    why = f"score {score:.2f} >= {threshold:.2f}"
    if unit.split:
        why += "; one clause of a sentence that joins several"
    if covering:
        q = covering[0]
        if chains is not None and q.id in chains:  # every claim of one quote has the same chain: read it once
            chain, chain_why = chains[q.id]
        else:
            try:
                chain, chain_why = attribution_chain(doc, article, q, quotes)
            except Exception as exc:  # degrade per claim: keep the quote's own speaker, say why the chain is missing
                log.warning("claims: attribution chain failed for %s", q.id, exc_info=True)
                sp = q.speaker
                chain = [Attribution(sp.entity, sp.name)] if sp is not None and (sp.entity or sp.name) else []
                chain_why = f"the hearsay chain could not be read ({type(exc).__name__})"
            if chains is not None:
                chains[q.id] = (chain, chain_why)
        chain = list(chain)
        claimant = chain[0] if chain else Attribution(None, None)
        kind, quote_id = "speaker", q.id
        confidence = score * (q.confidence if q.confidence is not None else 1.0)
        why += f"; in {q.kind} quote {q.id} by {claimant.name or 'an unknown speaker'}"
        if len(chain) > 1:
            why += f", heard through {' <- '.join(c.name or '?' for c in chain[1:])}" + (f" ({chain_why})" if chain_why else "")
    else:
        claimant, chain, kind, quote_id, confidence = author_of(article), [], "author", None, score
        why += "; no quote covers it, so it is the author's own claim"
    return Claim(
        id=f"c{n}", start=unit.start, end=unit.end, text=text[unit.start:unit.end], checkworthiness=round(score, 4),
        claimant=claimant, claimant_kind=kind, quote=quote_id, attribution=chain,
        markers=find_spans(doc, text, unit.start, unit.end, "claim_attribution_markers.txt"),
        hedges=find_spans(doc, text, unit.start, unit.end, "claim_hedges.txt"),
        confidence=round(confidence, 4), evidence=Evidence(model, why + "."))
