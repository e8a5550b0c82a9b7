"""Layer ``entities``: who is who — named entities clustered within one document, with their roles.

Mentions come from spaCy NER (persons, organisations, places, nationalities…) plus rules:

- ``entities.ner`` — a spaCy entity; leading titles ("President Putin") are cut off into a role.
- ``entities.retype`` — a mention spaCy typed as a place/organisation becomes a person when the same
  name is a person elsewhere in the text, or a person title stands right before it ("spokesman X").
- ``entities.propn_person`` — a proper noun spaCy missed that acts like a person: subject of a speech or
  cognition verb (lexicons/person_verbs.txt), agent of a passive, possessor, or the name heading a
  caption ("X: File photo").
- ``entities.name_match`` — a later untagged occurrence of a known person's name.
- ``entities.title_name`` — capitalised proper nouns right after a title word that NER missed ("Mayor Ana Ruiz").
- ``entities.name_particles`` — a person mention grown over the particles of its name ("von der", "bin"), or two
  mentions with only particles between them made one ("Hendrik ter Horst"; see particles.py).
- ``entities.place`` — a mention spaCy typed PERSON that is a known place (lexicons/places.txt) or a one-word
  name right after "in"/"near"… that is no person elsewhere: a place (see places.py).
- ``entities.acronym`` — a mention typed PERSON that is one word in capitals ("SAG", "NTSB"): an organisation
  (see acronyms.py).

Roles (lexicons/titles.txt heads them): pre-modifiers ("host X", "U.S. Secretary of State X"),
appositions ("X, the press secretary of …,"), relative clauses ("X, who served as Y"), copulas
("when X was Y").

Person clustering follows the precision-ordered sieves of Lee et al. (2013, "Deterministic
coreference resolution based on entity-centric, precision-ranked rules"), adapted to names:

1. ``entities.full_name`` — identical full names; the same surname with a first name that is an initial
   or a spelling variant of the other ("Anthony"/"Antony") joins too.
2. ``entities.first_name_join`` — a first-name-only mention joins the one person with that first name
   (run before surnames, so "Hillary"'s roles are known when a bare "Clinton" is decided).
3. ``entities.surname_join`` — a surname-only or title+surname mention joins the person with that
   surname. When two people share it: the one whose role head matches the mention's title, else the one
   already called by the bare surname, else the one mentioned most recently; a mention whose own title
   ("then-President X") contradicts every such person's known role heads starts a new person.
4. ``entities.variant_join`` — an otherwise unexplained one-word name (no title of its own; NER typed it
   otherwise or missed it, and it acts as a person: speech-verb subject, passive agent, possessor,
   caption head) that looks/sounds like the surname of a person the text introduces (full name or role),
   sits within a few blocks of that person but never in one sentence with them, and beats every other
   candidate clearly, joins with low confidence (jellyfish metaphone + rapidfuzz Jaro-Winkler). A name
   NER did tag as a person joins only with a near-identical spelling (typos: "Bauchtman"/"Buchtmann").
   False merges are worse than misses: each condition above only removes candidates.

Other types join on identical normalised text (keeping the majority spaCy type; possessives and leading lower-case
modifiers aside), an acronym joins the same-type name it abbreviates, two names of one place or organisation join
(``entities.alias``, lexicons/name_aliases.txt: "America"/"United States"), and a name of two or more words that
ends exactly one longer name of its type is its short form (``entities.short_form``: "Home Office").
First names that are forms of one given name agree (lexicons/given_name_variants.txt: "Larry"/"Lawrence"). ``resolve_pronoun`` is a simple nearest-person helper for quotes.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Optional

from ...document import Document, Entity, Evidence, Mention
from ..shared import FURNITURE_KINDS, token_view
from .names import EVENT_HEADS, is_honorific, is_title_word, name_parts, role_head
from .records import Cand, Cluster, Config
from .mentions import MAYBE_PERSON_TYPES, name_matches, ner_mentions, propn_mentions, retype
from .roles import attach_roles
from .persons import cluster_persons
from .variants import merge_variants, name_similarity
from .particles import join_particles
from .places import retype_places
from .acronyms import retype_acronyms
from .others import cluster_others


NAME = "entities"
VERSION = "0.5.0"
REQUIRES: tuple[str, ...] = ("blocks",)
ASSIGNS: tuple[str, ...] = ("entities",)


# ------------------------------------------------------------------------------------------- output
def to_entity(i: int, cl: Cluster) -> Entity:
    mentions = []
    for m in sorted(cl.mentions, key=lambda m: m.start):
        if mentions and mentions[-1].start == m.start:
            continue
        mentions.append(Mention(m.start, m.end, m.text, round(m.conf, 2), Evidence(m.by, m.why)))
    aliases = list(dict.fromkeys(m.text for m in mentions))
    joins = [n for n in cl.notes if n[0] not in ("entities.full_name", "entities.exact", "entities.single_name")
             or "joined" in n[1] or "part of" in n[1]]
    notes = joins or cl.notes[:1]
    by = notes[0][0] if notes else "entities.exact"
    why = "; ".join(n[1] for n in notes[:4]) if notes else f"mentions of {cl.name!r}"
    return Entity(f"e{i}", cl.name, cl.type, mentions, cl.roles, aliases, round(cl.conf, 2), Evidence(by, why))


def drop_title_parts(cands: list[Cand]) -> list[Cand]:
    """"State" in "Secretary of State X" is part of the title, not an organisation mention."""
    spans = [(r.start, r.end) for c in cands if c.type == "PERSON" for r in c.roles
             if r.evidence and r.evidence.by == "entities.role_premod"]
    text_of = {(r.start, r.end): r.text for c in cands for r in c.roles}

    def inside_title(c: Cand) -> bool:
        for s, e in spans:
            if s <= c.start and c.end <= e and re.search(r"\bof\s+$", text_of[(s, e)][:c.start - s]):
                return True
        return False

    return [c for c in cands if not (c.type == "ORG" and " " not in c.text and inside_title(c))]


def retype_event_names(cands: list[Cand]) -> None:
    """"Phailin" after "Cyclone Phailin" is the storm, not a person."""
    events = {c.text.split()[-1] for c in cands if c.type == "EVENT" and c.text.split()[0].lower() in EVENT_HEADS}
    for c in cands:
        if c.type == "PERSON" and c.text in events and not c.roles:
            c.type, c.by, c.conf = "EVENT", "entities.retype", 0.7
            c.why = f"{c.text!r} is the name of a storm/event named in full elsewhere in this text"


def tentative_persons(cands: list[Cand]) -> list[Cand]:
    """One-word non-person mentions whose name acts like a person somewhere (speech verb subject, possessor…)."""
    groups: dict[str, list[Cand]] = {}
    for c in cands:
        if c.type in MAYBE_PERSON_TYPES:
            groups.setdefault(c.text, []).append(c)
    # A place named often and acting like a person once ("Turkey said") is still a place: at least half
    # of the name's mentions must act like a person.
    return [c for group in groups.values() if 2 * sum(bool(m.cue) for m in group) >= len(group) for c in group]


def tentative_clusters(tentative: list[Cand]) -> list[Cluster]:
    """Candidates for the variant sieve only: kept as persons only if they join one (then re-typed)."""
    groups: dict[str, Cluster] = {}
    for c in sorted(tentative, key=lambda c: c.start):
        groups.setdefault(c.text, Cluster("PERSON", [], 0.6, [], tentative=True)).mentions.append(c)
    return list(groups.values())


@functools.lru_cache(maxsize=2)
def lower_words(doc: Any) -> frozenset[str]:
    flags = doc.to_array("IS_LOWER").tolist()  # one array read instead of a Token object per word
    return frozenset(text for text, lower in zip(token_view(doc).text, flags) if lower)


def looks_common(cl: Cluster, doc: Any) -> bool:
    """A one-word "person" seen only at sentence starts whose lower-case form is a word of this text ("Iodine")."""
    if cl.type != "PERSON" or cl.full or cl.roles or any(m.cue for m in cl.mentions):
        return False
    if cl.name.lower() not in lower_words(doc):
        return False
    for m in cl.mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not span[0].is_sent_start:
            return False
    return True


def sentence_index(doc: Any, pos: int) -> int:
    span = doc.char_span(pos, pos + 1, alignment_mode="expand")
    return span.sent.start if span is not None else -1


def analyze(doc: Any, article: Document, config: Config) -> dict[str, list[Entity]]:
    blocks = sorted(article.get("blocks"), key=lambda b: b.start)
    cands = join_particles(ner_mentions(doc, blocks, config), article.text)
    cands += propn_mentions(doc, blocks, cands)
    retype_places(doc, cands)  # after the proper nouns acting as persons: "Kyiv said" is one of them
    retype(doc, cands, config)
    cands = join_particles(cands + name_matches(doc, blocks, cands), article.text)
    retype(doc, cands, config)
    retype_acronyms(cands)
    attach_roles(doc, cands, config)
    cands = drop_title_parts(cands)
    retype_event_names(cands)
    persons = [c for c in cands if c.type == "PERSON"]
    tentative = tentative_persons(cands)
    sentence_of = {c.start: (c.block, sentence_index(doc, c.start)) for c in persons + tentative}
    clusters = cluster_persons(persons, config)
    clusters = merge_variants(clusters + tentative_clusters(tentative), sentence_of, config)
    clusters = [cl for cl in clusters if not cl.tentative and not looks_common(cl, doc)]
    clusters += cluster_others([c for c in cands if c.type != "PERSON"], article.text)
    clusters = [cl for cl in clusters if cl.mentions]
    clusters.sort(key=lambda cl: min(m.start for m in cl.mentions))
    return {"entities": [to_entity(i, cl) for i, cl in enumerate(clusters, 1)]}


def resolve_pronoun(article: Document, doc: Any, token_offset: Any) -> Optional[str]:
    """Entity id of the nearest person mentioned before a pronoun, or None. Deliberately simple.

    ``token_offset`` is the pronoun's character offset in the text (a spaCy Token is accepted too).
    Mentions in captions, credits and boilerplate are skipped (a caption's "Smith (left)" is not
    who "he" refers to in the next paragraph); plural pronouns (they/them/their) get None.
    No gender agreement: the quotes analyzer uses this only as a fallback for pronoun speakers.
    """
    pos = getattr(token_offset, "idx", token_offset)
    if not isinstance(pos, int):
        return None
    if doc is not None and hasattr(doc, "char_span"):
        span = doc.char_span(pos, pos + 1, alignment_mode="expand")
        if span is not None and span[0].lower_ in ("they", "them", "their", "theirs", "themselves"):
            return None
    skipped = [(b.start, b.end) for b in article.get("blocks") if b.kind in FURNITURE_KINDS]
    best, best_start = None, -1
    for ent in article.get("entities"):
        if ent.type != "PERSON":
            continue
        for m in ent.mentions:
            if best_start < m.start < pos and not any(s <= m.start < e for s, e in skipped):
                best, best_start = ent.id, m.start
    return best


__all__ = ['ASSIGNS', 'Cand', 'Cluster', 'Config', 'NAME', 'REQUIRES', 'VERSION', 'analyze', 'cluster_others', 'cluster_persons', 'drop_title_parts', 'is_honorific', 'is_title_word', 'looks_common', 'lower_words', 'name_parts', 'name_similarity', 'resolve_pronoun', 'retype_event_names', 'role_head', 'sentence_index', 'tentative_clusters', 'tentative_persons', 'to_entity']
