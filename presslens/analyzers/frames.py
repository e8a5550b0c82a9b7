"""Layer ``frames``: which of the 14 Media Frames Corpus frames an article uses. One Label per frame
whose score passes the threshold (``scores`` on every label holds all 14), evidence spans = the
sentences with the most cues of that frame.

Frames and their definitions follow the Policy Frames Codebook of Boydstun et al. (2014) as used in
the Media Frames Corpus (Card et al., 2015). Cues are word lists written for presslens, one file per
frame in lexicons/frames/<frame>.txt (words, phrases, ``prefix*``; matched by lower-case form or
lemma). The body text (title and paragraphs from ``blocks``; captions and credits are skipped) is
read in full, quotes included: who speaks does not change the frame a passage puts on the issue.

Score of a frame = 1 - exp(-density / saturation), density = cue hits per 100 body words. A frame is
labelled when its score reaches ``threshold`` and it has at least ``min_hits`` cues; the strongest
frame is always labelled when it has ``min_hits`` cues (an article has a primary frame).
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..document import Evidence, Label, Span
from .shared import LexiconMatcher, body_sentences, load_words, token_view

NAME = "frames"
VERSION = "1.0.0"
REQUIRES = ("blocks",)
ASSIGNS = ("frames",)

# label -> lexicon file stem (lexicons/frames/<stem>.txt). Labels are the short MFC names.
FRAMES: dict[str, str] = {
    "Economic": "economic",
    "Capacity and resources": "capacity_and_resources",
    "Morality": "morality",
    "Fairness and equality": "fairness_and_equality",
    "Legality": "legality",
    "Policy prescription and evaluation": "policy_prescription_and_evaluation",
    "Crime and punishment": "crime_and_punishment",
    "Security and defense": "security_and_defense",
    "Health and safety": "health_and_safety",
    "Quality of life": "quality_of_life",
    "Cultural identity": "cultural_identity",
    "Public opinion": "public_opinion",
    "Political": "political",
    "External regulation and reputation": "external_regulation_and_reputation",
}


@dataclass(frozen=True)
class Config:
    # Minimum frame score (0..1) to label a frame; tuned on the tune half of judgements_dev.jsonl.
    threshold: float = 0.55
    # Cue hits per 100 words at which a frame's score reaches 1 - 1/e (0.63).
    saturation: float = 2.5
    # A frame needs at least this many cue hits to be labelled at all (one stray word is no frame).
    min_hits: int = 2
    # At most this many frames are labelled (the MFC codes a primary frame plus a few secondary ones).
    max_frames: int = 3
    # Evidence sentences per frame.
    max_spans: int = 3


_MATCHERS: dict[str, LexiconMatcher] = {}


def matchers() -> dict[str, LexiconMatcher]:
    if not _MATCHERS:
        for label, stem in FRAMES.items():
            _MATCHERS[label] = LexiconMatcher(load_words(f"frames/{stem}.txt"))
    return _MATCHERS


def warm(config: Config) -> None:
    matchers()


def find_cues(doc: Any, sents: list[Any]) -> dict[str, list[tuple[Any, str]]]:
    """frame -> [(sentence, cue entry)] for every cue hit in the body sentences."""
    hits: dict[str, list[tuple[Any, str]]] = {label: [] for label in FRAMES}
    for label, matcher in matchers().items():
        for sent in sents:
            for _, _, entry in matcher.find(doc, sent.start, sent.end):
                hits[label].append((sent, entry))
    return hits


def frame_score(n_hits: int, n_words: int, config: Config) -> float:
    density = 100.0 * n_hits / max(n_words, 1)
    return round(1.0 - math.exp(-density / config.saturation), 4)


def top_sentences(hits: list[tuple[Any, str]], text: str, limit: int) -> list[Span]:
    per_sent = Counter(sent.start_char for sent, _ in hits)
    by_start = {sent.start_char: sent for sent, _ in hits}
    chosen = sorted(sorted(per_sent, key=lambda s: (-per_sent[s], s))[:limit])
    spans = []
    for start in chosen:
        sent = by_start[start]
        end = sent.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append(Span.of(text, start, end))
    return spans


def select(scores: dict[str, float], counts: dict[str, int], config: Config) -> list[str]:
    ranked = sorted(scores, key=lambda f: (-scores[f], f))
    chosen = [f for f in ranked if scores[f] >= config.threshold and counts[f] >= config.min_hits]
    if not chosen and ranked and counts[ranked[0]] >= config.min_hits:
        chosen = [ranked[0]]
    return chosen[: config.max_frames]


def analyze(doc: Any, article: Any, config: Config) -> dict[str, list[Label]]:
    sents = body_sentences(doc, article)
    is_alpha = token_view(doc).is_alpha
    n_words = sum(1 for s in sents for i in range(s.start, s.end) if is_alpha[i])
    if not sents or not n_words:
        return {"frames": []}
    hits = find_cues(doc, sents)
    counts = {f: len(h) for f, h in hits.items()}
    scores = {f: frame_score(counts[f], n_words, config) for f in FRAMES}
    records = []
    for rank, frame in enumerate(select(scores, counts, config)):
        cues = Counter(entry for _, entry in hits[frame]).most_common(4)
        listed = ", ".join(f"'{c}' x{n}" for c, n in cues)
        why = (f"{counts[frame]} {frame} cues in {n_words} body words "
               f"({100 * counts[frame] / n_words:.1f} per 100 words): {listed}"
               + ("; strongest frame." if rank == 0 else "."))
        records.append(Label(
            label=frame, score=scores[frame], scores=dict(scores),
            spans=top_sentences(hits[frame], article.text, config.max_spans),
            confidence=round(min(0.9, 0.3 + 0.6 * scores[frame]), 3),
            evidence=Evidence(f"frames.lexicon:{FRAMES[frame]}", why),
        ))
    return {"frames": records}
