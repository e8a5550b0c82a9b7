"""Garbled spellings of a person's surname joined to that person (sound/spelling similarity plus context).
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

import jellyfish
from rapidfuzz.distance import JaroWinkler

from .names import name_parts
from .records import Cluster, Config


# ------------------------------------------------------------------------------------------- variants
def phonetic_key(word: str) -> str:
    return jellyfish.metaphone(word) or word.upper()


def normalise_spelling(word: str) -> str:
    w = word.lower()
    w = re.sub(r"c(?=[eiy])", "s", w)
    return w.replace("ph", "f").replace("ck", "k").replace("c", "k").replace("q", "k").replace("w", "v")


def name_similarity(a: str, b: str) -> float:
    """Spelling/sound similarity of two one-word names (0..1): mean of spelling and metaphone Jaro-Winkler."""
    a2, b2 = normalise_spelling(a), normalise_spelling(b)
    if not a2 or not b2 or a2[0] != b2[0]:
        return 0.0  # garbles keep the first sound
    spelling = JaroWinkler.similarity(a2, b2)
    sound = JaroWinkler.similarity(phonetic_key(a), phonetic_key(b))
    return (spelling + sound) / 2  # either alone over-rates short keys (metaphone) or shared letters


def established(cl: Cluster) -> bool:
    """A person the text clearly introduces: a full name or a role."""
    return cl.type == "PERSON" and (cl.full or bool(cl.roles))


def variant_targets(cl: Cluster, clusters: list[Cluster], sentence_of: dict[int, tuple[int, int]],
                    config: Config) -> Optional[tuple[Cluster, float, int]]:
    word = cl.name
    scored = []
    for target in clusters:
        if target is cl or not established(target):
            continue
        surname = name_parts(target.name)[-1]
        if word.lower() in (surname.lower() + "s", surname.lower() + "es"):
            continue  # "the Clintons": the family, not a spelling of one of them
        sim = name_similarity(word, surname)
        scored.append((sim, target))
    if not scored:
        return None
    scored.sort(key=lambda x: -x[0])
    best_sim, best = scored[0]
    runner = scored[1][0] if len(scored) > 1 else 0.0
    if best_sim < config.variant_min_similarity or best_sim - runner < config.variant_margin:
        return None
    blocks_of_target = {m.block for m in best.mentions}
    near = min((abs(m.block - b) for m in cl.mentions for b in blocks_of_target if m.block >= 0 and b >= 0),
               default=10 ** 6)
    if near > config.variant_window_blocks:
        return None
    sentences = {sentence_of.get(m.start) for m in best.mentions}
    if any(sentence_of.get(m.start) in sentences for m in cl.mentions):
        return None  # two spellings in one sentence are two people
    return best, best_sim, near


def variant_floor(cl: Cluster, config: Config) -> Optional[float]:
    """Similarity a one-word person name needs to join another person as a variant; None: it may not.

    Names NER did not firmly take as persons (re-typed, or found by a person cue) are the usual garbles;
    a name NER tagged as a person needs a near-identical spelling ("Bauchtman"/"Buchtmann").
    """
    if cl.type != "PERSON" or cl.full or len(cl.name) < 3 or cl.roles:
        return None
    if cl.tentative and all(m.type == "ORG" for m in cl.mentions):
        return config.variant_ner_min_similarity  # organisations also speak and own: only near-identical spellings
    if cl.tentative or any(m.by in ("entities.retype", "entities.propn_person") for m in cl.mentions):
        return config.variant_min_similarity
    return config.variant_ner_min_similarity


def merge_variants(clusters: list[Cluster], sentence_of: dict[int, tuple[int, int]], config: Config) -> list[Cluster]:
    """Join unexplained one-word person names to the person whose surname they garble."""
    out = list(clusters)
    for cl in clusters:
        floor = variant_floor(cl, config)
        if floor is None:
            continue
        strict = floor > config.variant_min_similarity
        targets = [c for c in out if c is not cl and (c.full or not strict)]
        found = variant_targets(cl, targets, sentence_of, replace(config, variant_min_similarity=floor))
        if not found:
            continue
        target, sim, near = found
        for m in cl.mentions:
            retyped = f" (spaCy typed it {m.type}; it acts as a person: {m.cue})" if m.type != "PERSON" else ""
            m.type, m.conf, m.by = "PERSON", min(m.conf, 0.5), "entities.variant_join"
            m.why = (f"{m.text!r} reads as a garbled spelling of {target.name!r} (similarity {sim:.2f}) "
                     f"and sits within {near} block(s) of its mentions{retyped}")
        target.mentions.extend(cl.mentions)
        cl.tentative = False
        target.conf = min(target.conf, 0.6)
        target.notes.append(("entities.variant_join", f"variant {cl.name!r} joined {target.name!r}: spelling/sound "
                                                      f"similarity {sim:.2f}, {near} block(s) away, no other person fits"))
        out.remove(cl)
    return out
