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

Other types join on identical normalised text (keeping the majority spaCy type), and an acronym joins
the same-type name it abbreviates. ``resolve_pronoun`` is a simple nearest-person helper for quotes.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Optional

import jellyfish
from rapidfuzz.distance import JaroWinkler

from ..document import Document, Entity, Evidence, Mention, Role
from ..lexicons import entries
from .blocks import credit_patterns
from .shared import token_view

NAME = "entities"
VERSION = "0.3.0"
REQUIRES: tuple[str, ...] = ("blocks",)
ASSIGNS: tuple[str, ...] = ("entities",)

ENT_TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")


@dataclass(frozen=True)
class Config:
    # spaCy entity labels kept as entities (dates, numbers, money belong to other layers).
    types: tuple[str, ...] = ENT_TYPES
    # Sound/spelling similarity (0..1) a one-word name needs to join a person as a garbled variant.
    # Similarity alone cannot tell a garble from another real name (both score 0.8-0.9), so context is
    # required too: not in one sentence with the target, near it, and not recognised by NER as a person.
    variant_min_similarity: float = 0.75
    # A name NER itself tagged as a person joins another only when spelled almost the same (a typo).
    variant_ner_min_similarity: float = 0.93
    # The best variant target must beat the runner-up by this much (else it is ambiguous: no join).
    variant_margin: float = 0.08
    # The variant must occur within this many blocks (paragraphs/captions) of a mention of its target.
    variant_window_blocks: int = 3
    # Two first names of the same surname this similar (Jaro-Winkler) are spellings of one name.
    first_name_min_similarity: float = 0.9
    # Longest pre-modifying role, in tokens ("former U.S. Secretary of State").
    role_max_tokens: int = 8


# ------------------------------------------------------------------------------------------- lexicons
def _lexicon(name: str) -> frozenset[str]:
    return frozenset(entry.lower() for entry in entries(name))


@functools.lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    return _lexicon("titles.txt")


@functools.lru_cache(maxsize=1)
def person_verbs() -> frozenset[str]:
    return _lexicon("person_verbs.txt")


@functools.lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    return frozenset(w.lower() for entry in entries("english_function_words.txt") for w in entry.split())


# Forms of address: cut off names like titles, but they say nothing about a role ("Ms", "Mr.").
HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "madam", "madame", "mister", "messrs", "mme", "m"}
# First words that make a "PERSON" a named storm or similar event ("Cyclone Phailin").
EVENT_HEADS = {"cyclone", "hurricane", "typhoon", "storm", "tropical", "tornado", "operation"}
# Last words that make a "PERSON" an organisation ("Obama White House", "Coastal Herald").
ORG_HEADS = {"house", "department", "ministry", "party", "committee", "council", "university", "college", "school",
             "agency", "office", "administration", "campaign", "foundation", "institute", "times", "post", "news",
             "herald", "network", "group", "company", "inc", "corp", "ltd", "llc", "association", "union", "church",
             "court", "club", "bank", "journal", "magazine", "tribune", "gazette", "press", "radio", "tv"}
# Calendar words spaCy sometimes tags as names; never persons.
CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
            "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}


@functools.lru_cache(maxsize=65536)  # asked for every token of every text: the answer depends on the word alone
def is_title_word(word: str) -> bool:
    w = word.lower()
    return w.strip(".") in titles() or w in titles() or (w.endswith("s") and w[:-1] in titles())


ROLE_HEAD_STOP = re.compile(r"\s(?:of|for|at|in|on|to|with|among|from|and|who|which|that)\s", re.I)


@functools.lru_cache(maxsize=65536)  # clustering compares the role heads of the same few roles over and over
def role_head(text: str) -> Optional[str]:
    """The title a role is about: its last word before a preposition ("U.S. Secretary of State" -> secretary),
    if that word is a title; None for descriptions ("top recipient among the candidates")."""
    words = re.findall(r"[\w.]+", ROLE_HEAD_STOP.split(" " + text + " ")[0].split("-")[-1])
    if not words or not is_title_word(words[-1]):
        return None
    head = words[-1].lower().strip(".")
    return head[:-1] if head.endswith("s") and head[:-1] in titles() else head


def is_honorific(word: str) -> bool:
    return word.lower().strip(".") in HONORIFICS


# ------------------------------------------------------------------------------------------- records
@dataclass(eq=False)  # identity: two mentions with equal fields are still two
class Cand:
    start: int
    end: int
    text: str
    type: str
    conf: float = 0.85
    by: str = "entities.ner"
    why: str = "spaCy NER tagged it"
    roles: list[Role] = field(default_factory=list)
    cue: Optional[str] = None  # a person cue (speech verb subject, possessor, caption head…)
    block: int = -1

    @property
    def parts(self) -> list[str]:
        return [p for p in self.text.split() if p.lower().strip(".") not in NAME_SUFFIXES]

    @property
    def role_heads(self) -> set[str]:
        return {h for r in self.roles for h in [role_head(r.text)] if h}

    @property
    def title_heads(self) -> set[str]:
        """Head of the title standing before the name ("then-US President Clinton"): a title+surname reference."""
        return {h for r in self.roles if r.evidence and r.evidence.by == "entities.role_premod"
                for h in [role_head(r.text)] if h}


@dataclass(eq=False)
class Cluster:
    type: str
    mentions: list[Cand] = field(default_factory=list)
    conf: float = 0.9
    notes: list[tuple[str, str]] = field(default_factory=list)  # (rule id, why) of each merge
    tentative: bool = False  # non-person mentions tried as garbled person names

    _name: tuple[int, str] = (-1, "")  # (mention count, name) cache

    @property
    def name(self) -> str:
        if self._name[0] == len(self.mentions):
            return self._name[1]
        pool = [m for m in self.mentions if m.by != "entities.variant_join"] or self.mentions  # garbles never name
        texts = [m.text for m in pool if m.type == self.type] or [m.text for m in pool]
        best = max(enumerate(texts), key=lambda it: (len(it[1].split()), len(it[1]), -it[0]))[1]
        self._name = (len(self.mentions), best)
        return best

    @property
    def full(self) -> bool:
        return len(name_parts(self.name)) >= 2

    @property
    def surname(self) -> str:
        return name_parts(self.name)[-1].lower()

    @property
    def first(self) -> str:
        return name_parts(self.name)[0].lower()

    @property
    def roles(self) -> list[Role]:
        seen, out = set(), []
        for m in self.mentions:
            for r in m.roles:
                if (r.start, r.end) not in seen:
                    seen.add((r.start, r.end))
                    out.append(r)
        return sorted(out, key=lambda r: r.start)

    @property
    def role_heads(self) -> set[str]:
        return set().union(*(m.role_heads for m in self.mentions)) if self.mentions else set()

    def last_before(self, pos: int) -> Optional[int]:
        starts = [m.start for m in self.mentions if m.start < pos]
        return max(starts) if starts else None


NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
LEADING_RE = re.compile(r"^(?:[\s\"“”‘’'(\[«•*\-–—]+|(?:the|The|THE)\s+)+")
# Credit words spaCy glues onto an organisation in a caption credit ("CBS Video Screenshot").
CREDIT_TAIL_RE = re.compile(r"(?:\s+(?:video|photo|photos|screenshot|screengrab|footage|file|handout))+$", re.I)
TRAILING_RE = re.compile(r"(?:\s*['’‘ʼ`]s?|[\s,;:!?\"“”‘’)\]\-–—]|\s+(?:and|of|the|for|&))+$")
WORD_RE = re.compile(r"[^\W\d_][\w'’.-]*")


def name_key(text: str) -> str:
    """Lower case with one apostrophe: "O’Neill" and "O'Neill" are one spelling."""
    return text.lower().replace("’", "'").replace("‘", "'").replace("ʼ", "'")


def name_parts(text: str) -> list[str]:
    return list(_name_parts(text))


@functools.lru_cache(maxsize=65536)  # clustering asks for the parts of the same few names over and over
def _name_parts(text: str) -> tuple[str, ...]:
    text = text.replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    parts = [p for p in text.split() if p.lower().strip(".") not in NAME_SUFFIXES]
    return tuple(parts or text.split())


# ------------------------------------------------------------------------------------------- mentions
@functools.lru_cache(maxsize=2)
def full_text(doc: Any) -> str:
    """``doc.text`` rebuilds the string on every call: fetch it once per parsed document."""
    return doc.text


def block_index(blocks: list[Any], pos: int) -> int:
    """Index of the block (sorted by start) holding character ``pos``, or -1."""
    i = bisect.bisect_right([b.start for b in blocks], pos) - 1
    return i if i >= 0 and pos < blocks[i].end else -1


def clean_span(text: str, start: int, end: int) -> Optional[tuple[int, int]]:
    """Trim a mention to the name: first line, no leading 'the', no trailing possessive or punctuation."""
    piece = text[start:end]
    if "\n" in piece:
        piece = piece.split("\n")[0]
        end = start + len(piece)
    if "(" in piece and ")" not in piece:
        piece = piece.split("(")[0].rstrip()
        end = start + len(piece)
    lead = LEADING_RE.match(piece)
    if lead:
        start += lead.end()
    trail = TRAILING_RE.search(text[start:end])
    if trail and trail.start() > 0:
        end = start + trail.start()
    credit = CREDIT_TAIL_RE.search(text[start:end])
    if credit and credit.start() > 0:
        end = start + credit.start()
    if end <= start or not text[start:end].strip():
        return None
    return start, end


def split_title(doc: Any, ent: Any) -> tuple[int, Optional[Role]]:
    """A PERSON entity that starts with titles ("President Putin"): index of the first name token and the role."""
    i = ent.start
    while i < ent.end - 1 and is_honorific(doc[i].text):
        i += 1
    honorific_end = i
    while i < ent.end - 1 and (is_title_word(doc[i].text) or is_honorific(doc[i].text)):
        i += 1
    if i == honorific_end:
        return i, None
    first, last = doc[honorific_end], doc[i - 1]
    role = Role(first.idx, last.idx + len(last.text), full_text(doc)[first.idx:last.idx + len(last.text)], 0.8,
                Evidence("entities.role_premod", "a title word stands before the name inside the entity"))
    return i, role


def ner_mentions(doc: Any, blocks: list[Any], config: Config) -> list[Cand]:
    cands = []
    for ent in doc.ents:
        if ent.label_ not in config.types:
            continue
        for k, piece in enumerate(line_pieces(doc, ent)):
            if k > 0 and ent.label_ != "PERSON":
                continue  # "The Evening Show”\n\nSee": what spills onto the next line is rarely a name
            if len(piece) == 1 and piece[0].pos_ in NOT_NAME_POS:
                continue  # "Currently", "See": a sentence-initial adverb or verb spaCy took for a name
            cand = ner_candidate(doc, piece, ent.label_, blocks)
            if cand is not None:
                cands.append(cand)
    return cands


def line_pieces(doc: Any, ent: Any) -> list[Any]:
    """An entity spaCy ran across a line break ("Coastal Herald\n\nLindqvist") is two mentions."""
    pieces, start = [], ent.start
    for tok in ent:
        if "\n" in tok.text_with_ws and tok.i + 1 < ent.end:
            pieces.append(doc[start:tok.i + 1])
            start = tok.i + 1
    pieces.append(doc[start:ent.end])
    return [p for p in pieces if p.text.strip()]


def ner_candidate(doc: Any, ent: Any, label: str, blocks: list[Any]) -> Optional[Cand]:
    if True:
        role = None
        start_tok = ent.start
        if label == "PERSON":
            start_tok, role = split_title(doc, ent)
        span = clean_span(full_text(doc), doc[start_tok].idx, ent.end_char)
        if span is None or not WORD_RE.search(full_text(doc)[span[0]:span[1]]):
            return None
        text = full_text(doc)[span[0]:span[1]]
        if text.lower() in function_words():
            return None
        spacy_label = label
        if text.lower() in CALENDAR:
            return None
        if label == "PERSON" and text.split()[0].lower() in EVENT_HEADS:
            label = "EVENT"  # "Cyclone Phailin"
        elif label == "PERSON" and len(text.split()) > 1 and text.split()[-1].lower().strip(".") in ORG_HEADS:
            label = "ORG"  # "Obama White House"
        b = block_index(blocks, span[0])
        cand = Cand(span[0], span[1], text, label, block=b,
                    why=f"spaCy NER tagged {text!r} as {spacy_label}" + (
                        f" (re-typed {label}: its first/last word names a storm/event or an organisation)"
                        if label != spacy_label else ""))
        if role:
            cand.roles.append(role)
        if label in MAYBE_PERSON_TYPES and " " not in text and not text.isupper():
            tok = doc.char_span(span[0], span[1], alignment_mode="expand")
            if tok is not None:
                cand.cue = person_cue(tok.root, blocks[b].kind if b >= 0 else "")
        return cand


# Parts of speech a one-word name never has.
NOT_NAME_POS = {"ADV", "ADP", "AUX", "VERB", "DET", "PRON", "SCONJ", "CCONJ", "PART", "INTJ", "NUM"}
# Types a garbled person name gets from spaCy; such a mention with a person cue may turn out a variant.
MAYBE_PERSON_TYPES = {"GPE", "LOC", "FAC", "WORK_OF_ART", "PRODUCT", "ORG", "EVENT", "LAW"}


class Coverage:
    """Which characters already belong to a mention (a byte mask: linear in text length, not in mentions²)."""

    def __init__(self, length: int, cands: Iterable[Cand] = ()):
        self.mask = bytearray(length + 1)
        for c in cands:
            self.add(c)

    def add(self, c: Cand) -> None:
        self.mask[c.start:c.end] = b"\x01" * (c.end - c.start)

    def hit(self, start: int, end: int) -> bool:
        return any(self.mask[start:end])


def person_cue(tok: Any, block_kind: str) -> Optional[str]:
    """Why a proper noun acts like a person here, or None."""
    head = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in person_verbs():
        return f"subject of the speech/cognition verb {head.text!r}"
    if tok.dep_ == "pobj" and head.dep_ == "agent" and head.head.lemma_.lower() in person_verbs():
        return f"agent of the passive {head.head.text!r}"
    if any(c.dep_ == "case" and c.text in ("'s", "’s") for c in tok.children) and tok.head.pos_ == "NOUN":
        return f"possessor of {tok.head.text!r}"
    if block_kind == "caption" and tok.dep_ in ("nsubj", "nsubjpass"):
        return "subject of a photo caption"
    return None


# Longest name taken after a title word by the title_name rule ("Mayor Ana Maria Ruiz").
TITLE_NAME_MAX_TOKENS = 3
CAPTION_HEAD_RE = re.compile(r"^((?:[A-Z][\w'’-]+\s?){1,3})(?=\s*(?:[A-Z]\w*\s*)?:)")


def propn_mentions(doc: Any, blocks: list[Any], existing: list[Cand]) -> list[Cand]:
    """Proper nouns NER missed that behave like persons (speech verb subject, possessor, caption head)."""
    out: list[Cand] = []
    cover = Coverage(len(full_text(doc)), existing)
    view = token_view(doc)  # token forms read once per Doc: only the tokens that can qualify become Token objects
    for tok in (doc[i] for i, pos in enumerate(view.pos) if pos == "propn"):
        if tok.pos_ != "PROPN" or tok.tag_ == "NNPS" or not tok.is_title or len(tok.text) < 3 \
                or tok.lower_ in function_words() or tok.lower_ in CALENDAR:
            continue
        if is_title_word(tok.text) or cover.hit(tok.idx, tok.idx + len(tok.text)):
            continue
        b = block_index(blocks, tok.idx)
        cue = person_cue(tok, blocks[b].kind if b >= 0 else "")
        if cue:
            out.append(Cand(tok.idx, tok.idx + len(tok.text), tok.text, "PERSON", 0.6, "entities.propn_person",
                            f"{tok.text!r} is a proper noun acting as a person: {cue}", cue=cue, block=b))
            cover.add(out[-1])
    # "Mayor Ana Ruiz" that NER missed: capitalised proper nouns right after a title word
    for tok in (doc[i] for i, text in enumerate(view.text) if is_title_word(text)):
        if not is_title_word(tok.text) or tok.i + 1 >= len(doc) or is_honorific(tok.text):
            continue
        run = []
        for nxt in doc[tok.i + 1:tok.i + 1 + TITLE_NAME_MAX_TOKENS]:
            if nxt.pos_ != "PROPN" or not nxt.is_title or is_title_word(nxt.text) or nxt.ent_type_ not in ("", "PERSON"):
                break
            run.append(nxt)
        after = doc[run[-1].i + 1] if run and run[-1].i + 1 < len(doc) else None
        if not run or (after is not None and after.pos_ == "PROPN" and not is_title_word(after.text)):
            continue  # the run goes on into a longer name (an organisation): not this rule's call
        start, end = run[0].idx, run[-1].idx + len(run[-1].text)
        if cover.hit(start, end) or run[-1].lower_ in function_words() or run[-1].lower_ in CALENDAR:
            continue
        b = block_index(blocks, start)
        out.append(Cand(start, end, full_text(doc)[start:end], "PERSON", 0.65, "entities.title_name",
                        f"a proper name right after the title {tok.text!r}", cue=f"after the title {tok.text!r}",
                        block=b))
        cover.add(out[-1])
    credit_label_re = credit_patterns()[0]
    for b, block in enumerate(blocks):  # "Name: File photo", "Name Charts: Information"
        if block.kind != "caption" or block.evidence is None or block.evidence.by not in (
                "blocks.colon_credit", "blocks.caption_credit"):
            continue
        m = CAPTION_HEAD_RE.match(block.text)
        if not m:
            continue
        words = list(re.finditer(r"[A-Z][\w'’-]+", m.group(1)))
        if words and credit_label_re.fullmatch(words[-1].group() + ":"):
            words = words[:-1]  # "Name Charts: …" — the last capitalised word is the credit label
        if not words:
            continue
        start, end = block.start + words[0].start(), block.start + words[-1].end()
        text = full_text(doc)[start:end]
        if text.lower() in function_words() or cover.hit(start, end):
            continue
        out.append(Cand(start, end, text, "PERSON", 0.55, "entities.propn_person",
                        f"{text!r} heads a photo caption that ends in a credit", cue="caption head", block=b))
        cover.add(out[-1])
    return out


# ------------------------------------------------------------------------------------------- roles
ROLE_STOP_POS = {"VERB", "AUX", "PRON", "DET", "ADP", "SCONJ", "CCONJ", "PUNCT", "NUM", "PART", "SPACE", "INTJ"}
ROLE_GLUE = {"of", "-", "then", "ex", "former", "acting", "late", "the", "for", "and"}


def premod_role(doc: Any, first_tok: int, config: Config) -> Optional[Role]:
    """Title words right before a name: 'U.S. Secretary of State', 'host', 'American film director'."""
    i = first_tok - 1
    taken: list[Any] = []
    while i >= 0 and len(taken) < config.role_max_tokens:
        tok = doc[i]
        if "\n" in tok.text_with_ws or tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "PERSON"):
            break
        if tok.lower_ in ROLE_GLUE or is_title_word(tok.text) or (
                tok.pos_ not in ROLE_STOP_POS and not tok.is_punct and (
                    tok.dep_ not in ("nsubj", "dobj", "pobj", "ROOT") or (i > 0 and doc[i - 1].lower_ == "of"))):
            taken.append(tok)
            i -= 1
            continue
        break
    while taken and taken[-1].lower_ in ROLE_GLUE - {"former", "acting", "late", "ex", "then"}:
        taken.pop()  # leading glue: "of", "the", "-"
    if not any(is_title_word(t.text) for t in taken):
        return None
    first, last = taken[-1], taken[0]
    text = full_text(doc)[first.idx:last.idx + len(last.text)]
    return Role(first.idx, last.idx + len(last.text), text, 0.8,
                Evidence("entities.role_premod", f"title phrase {text!r} stands right before the name"))


def subtree_span(doc: Any, tokens: list[Any]) -> Optional[tuple[int, int]]:
    tokens = [t for t in tokens if not t.is_space]
    while tokens and (tokens[0].pos_ in ("DET", "PUNCT") or tokens[0].dep_ == "poss"):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def cut_clause(tokens: list[Any]) -> list[Any]:
    """Stop a noun phrase at its relative clause or next comma."""
    out = []
    for t in tokens:
        if t.dep_ in ("relcl", "acl") or t.lower_ in ("who", "which", "that") or t.text in (",", ";", "(", "—", "–"):
            break
        out.append(t)
    return out


def role_from_noun(doc: Any, noun: Any, rule: str, why: str, exclude: set[int]) -> Optional[Role]:
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    tokens = cut_clause([t for t in noun.subtree if t.i not in exclude and t.i >= min(x.i for x in noun.subtree)])
    if not any(is_title_word(t.text) for t in tokens) or len(tokens) > 14:
        return None
    if "\n" in full_text(doc)[tokens[0].idx:tokens[-1].idx + len(tokens[-1].text)]:
        return None
    span = subtree_span(doc, tokens)
    if span is None:
        return None
    text = full_text(doc)[span[0]:span[1]]
    return Role(span[0], span[1], text, 0.75, Evidence(rule, why.format(text=text)))


def dependency_roles(doc: Any, cand: Cand) -> list[Role]:
    """Appositions, 'who served as Y', copulas: roles the parse links to the name."""
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None:
        return []
    root = span.root
    own = {t.i for t in root.subtree} | {t.i for t in span}
    roles = []
    for child in root.children:
        if child.dep_ == "appos" and child.i > root.i:
            role = role_from_noun(doc, child, "entities.role_appos", "apposition after the name: {text!r}", set())
            if role:
                roles.append(role)
            for rc in child.children:
                roles.extend(relcl_roles(doc, rc))
        roles.extend(relcl_roles(doc, child))
    head = root.head
    if root.dep_ == "appos" and head.i < root.i and head.pos_ == "NOUN":
        role = role_from_noun(doc, head, "entities.role_appos", "the name is in apposition to {text!r}", own)
        if role and role.end <= cand.start:
            roles.append(role)
    if root.dep_ in ("nsubj", "nsubjpass") and head.lemma_ in ("be", "serve", "become", "remain", "work"):
        for c in head.children:
            if c.dep_ == "attr" or (c.dep_ == "prep" and c.lower_ == "as"):
                noun = c if c.dep_ == "attr" else next((p for p in c.children if p.dep_ == "pobj"), None)
                if noun is not None and noun.i > root.i:
                    role = role_from_noun(doc, noun, "entities.role_copula", f"'{root.text} {head.text} {{text}}'", set())
                    if role:
                        roles.append(role)
    return roles


def relcl_roles(doc: Any, rc: Any) -> list[Role]:
    if rc.dep_ != "relcl" or rc.lemma_ not in ("serve", "be", "become", "work", "act"):
        return []
    roles = []
    for c in rc.children:
        noun = None
        if c.dep_ == "attr":
            noun = c
        elif c.dep_ == "prep" and c.lower_ == "as":
            noun = next((p for p in c.children if p.dep_ == "pobj"), None)
        if noun is not None:
            role = role_from_noun(doc, noun, "entities.role_relcl", f"relative clause '{rc.text} … {{text}}'", set())
            if role:
                roles.append(role)
    return roles


def attach_roles(doc: Any, cands: list[Cand], config: Config) -> None:
    for cand in cands:
        if cand.type != "PERSON" and not cand.roles:
            continue
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is None:
            continue
        if not cand.roles:
            role = premod_role(doc, span.start, config)
            if role:
                cand.roles.append(role)
        for role in dependency_roles(doc, cand):
            if all(r.start != role.start for r in cand.roles) and not (role.start < cand.end and cand.start < role.end):
                cand.roles.append(role)


# ------------------------------------------------------------------------------------------- typing
def retype(doc: Any, cands: list[Cand], config: Config) -> None:
    """Persons mis-typed as places/organisations: same name as a person elsewhere, or a title right before."""
    person_names = {c.text.lower() for c in cands if c.type == "PERSON"}
    for c in cands:
        if len(name_parts(c.text)) >= 2 and c.type == "PERSON":
            parts = name_parts(c.text)
            person_names.update({parts[-1].lower()})
    for c in cands:
        if c.type not in ("GPE", "ORG", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART") or len(c.text.split()) > 3:
            continue
        if c.text.isupper():
            continue  # acronyms are organisations
        why = None
        if c.text.lower() in person_names:
            why = f"{c.text!r} is a person's name elsewhere in this text"
        else:
            span = doc.char_span(c.start, c.end, alignment_mode="expand")
            if span is not None and span.start > 0 and is_title_word(doc[span.start - 1].text) \
                    and doc[span.start - 1].lower_ not in ("state", "general") and c.type != "NORP":
                why = f"the person title {doc[span.start - 1].text!r} stands right before it"
                role = premod_role(doc, span.start, config)
                if role:
                    c.roles.append(role)
        if why:
            c.why = f"spaCy said {c.type}; re-typed PERSON: {why}"
            c.type, c.by, c.conf = "PERSON", "entities.retype", 0.75


def name_matches(doc: Any, blocks: list[Any], cands: list[Cand]) -> list[Cand]:
    """Later untagged occurrences of a known person's surname or full name."""
    names = set()
    for c in cands:
        if c.type == "PERSON":
            parts = name_parts(c.text)
            if len(parts) >= 2:
                names.add(parts[-1])
            names.add(c.text)
    out: list[Cand] = []
    names = {n for n in names if len(n) >= 3 and n.lower() not in function_words() and n[:1].isupper()}
    if not names:
        return out
    cover = Coverage(len(full_text(doc)), cands)
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))  # longest name first
    for m in re.finditer(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", full_text(doc)):
        if cover.hit(m.start(), m.end()):
            continue
        name = m.group()
        out.append(Cand(m.start(), m.end(), name, "PERSON", 0.7, "entities.name_match",
                        f"{name!r} is the name of a person mentioned elsewhere in this text",
                        block=block_index(blocks, m.start())))
        cover.add(out[-1])
    return out


# ------------------------------------------------------------------------------------------- clustering
def first_names_agree(a: str, b: str, config: Config) -> Optional[str]:
    a, b = a.lower().strip("."), b.lower().strip(".")
    if a == b:
        return "same first name"
    if len(a) == 1 and b.startswith(a) or len(b) == 1 and a.startswith(b):
        return "first name given as an initial"
    if JaroWinkler.similarity(a, b) >= config.first_name_min_similarity and a[0] == b[0]:
        return f"first names {a!r}/{b!r} are spellings of one name"
    return None


def cluster_full_names(persons: list[Cand], config: Config) -> list[Cluster]:
    clusters: list[Cluster] = []
    for c in sorted(persons, key=lambda c: (-len(c.parts), c.start)):
        parts = name_parts(c.text)
        if len(parts) < 2:
            continue
        for cl in clusters:
            cparts = name_parts(cl.name)
            if parts[-1].lower() != cparts[-1].lower():
                continue
            if [p.lower() for p in parts] == [p.lower() for p in cparts]:
                cl.mentions.append(c)
                break
            if set(p.lower() for p in parts) <= set(p.lower() for p in cparts):
                cl.mentions.append(c)
                cl.notes.append(("entities.full_name", f"{c.text!r} is part of the full name {cl.name!r}"))
                break
            agree = first_names_agree(parts[0], cparts[0], config)
            if agree:
                cl.mentions.append(c)
                if agree != "same first name":
                    cl.conf = min(cl.conf, 0.75)
                    cl.notes.append(("entities.full_name", f"{c.text!r} joined {cl.name!r}: {agree}"))
                break
        else:
            clusters.append(Cluster("PERSON", [c], 0.9, [("entities.full_name", f"introduced as {c.text!r}")]))
    return clusters


def roles_conflict(heads: set[str], cl: Cluster) -> bool:
    other = cl.role_heads
    return bool(heads) and bool(other) and not (heads & other)


def choose_surname_cluster(c: Cand, options: list[Cluster]) -> tuple[Optional[Cluster], str]:
    heads = c.title_heads
    fitting = [cl for cl in options if not roles_conflict(heads, cl)]
    if not fitting:
        return None, "its title contradicts the known roles of every person with that surname"
    if heads:
        matching = [cl for cl in fitting if heads & cl.role_heads]
        if len(matching) == 1:
            return matching[0], f"same surname and a matching role ({', '.join(sorted(heads & matching[0].role_heads))})"
    bare = [cl for cl in fitting if any(m.start < c.start and name_key(m.text) == name_key(c.text) for m in cl.mentions)]
    if len(bare) == 1 and len(fitting) > 1:
        return bare[0], "same surname; the one person already called by the bare surname"
    before = [(cl.last_before(c.start), cl) for cl in fitting if cl.last_before(c.start) is not None]
    if before:
        cl = max(before, key=lambda x: x[0])[1]
        return cl, "same surname; the most recently mentioned person with it" if len(fitting) > 1 else "same surname"
    if len(fitting) == 1:
        return fitting[0], "same surname (the full name follows later)"
    return None, "several people share the surname and none was mentioned before"


def join_first_names(singles: list[Cand], clusters: list[Cluster]) -> list[Cand]:
    """First-name-only mentions ('Hillary') join the one full-name person with that first name; the rest remain."""
    surnames = {cl.surname for cl in clusters if cl.full}
    rest = []
    for c in singles:
        key = name_key(c.text)
        options = [cl for cl in clusters if cl.full and cl.first == key]
        if key in surnames or len(options) != 1:
            rest.append(c)
            continue
        cl = options[0]
        cl.mentions.append(c)
        cl.conf = min(cl.conf, 0.8)
        note = f"{c.text!r} joined {cl.name!r}: the only person with that first name"
        if note not in (n[1] for n in cl.notes):
            cl.notes.append(("entities.first_name_join", note))
    return rest


def cluster_persons(persons: list[Cand], config: Config) -> list[Cluster]:
    clusters = cluster_full_names(persons, config)
    singles = sorted([c for c in persons if len(name_parts(c.text)) < 2], key=lambda c: c.start)
    singles = join_first_names(singles, clusters)
    single_clusters: dict[str, Cluster] = {}
    by_surname: dict[str, list[Cluster]] = {}
    for cl in clusters:
        if cl.full:
            by_surname.setdefault(cl.surname, []).append(cl)
    for c in singles:
        key = name_key(c.text)
        surname_opts = by_surname.get(key, [])
        own = single_clusters.get(key)
        options = surname_opts + ([own] if own else [])
        if options:
            cl, why = choose_surname_cluster(c, options)
            if cl is not None:
                note = f"{c.text!r} joined {cl.name!r}: {why}"
                if cl is not own and note not in (n[1] for n in cl.notes):
                    cl.notes.append(("entities.surname_join", note))
                cl.mentions.append(c)
                continue
        if own is not None and not roles_conflict(c.title_heads, own):
            own.mentions.append(c)
            continue
        cl = Cluster("PERSON", [c], 0.8, [("entities.single_name", f"a person named only {c.text!r}")])
        clusters.append(cl)
        single_clusters.setdefault(key, cl)
    return clusters


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


# ------------------------------------------------------------------------------------------- others
def norm_key(text: str) -> str:
    return re.sub(r"[.\s]+", " ", text.replace(".", "")).strip().lower()


def cluster_others(cands: list[Cand], text: str = "") -> list[Cluster]:
    by_text: dict[str, list[Cand]] = {}
    for c in sorted(cands, key=lambda c: c.start):
        by_text.setdefault(norm_key(c.text), []).append(c)
    clusters: dict[tuple[str, str], Cluster] = {}
    for text_key, group in by_text.items():  # one name, one entity: spaCy's type varies between mentions
        types = [c.type for c in group]
        etype = max(dict.fromkeys(types), key=types.count)
        why = f"mentions of {group[0].text!r}"
        if len(set(types)) > 1:
            why += f" (spaCy typed them {', '.join(sorted(set(types)))}; the majority type {etype} is kept)"
        clusters[(etype, text_key)] = Cluster(etype, group, 0.85 if len(set(types)) == 1 else 0.7,
                                              [("entities.exact", why)])
    out = list(clusters.values())
    # Acronyms: "NPP" joins "New People Party" of the same type when it spells its initials and has 3+
    # letters or is introduced in brackets after it ("European Union (EU)"); two letters alone are too
    # ambiguous ("US" ~ "University of Sheffield") except between places ("US" ~ "United States").
    for key, cl in list(clusters.items()):
        word = key[1].replace(" ", "").upper()
        if not (2 <= len(word) <= 6 and all(m.text.replace(".", "").isupper() for m in cl.mentions)):
            continue
        for other_key, other in clusters.items():
            if other is cl or other not in out or other_key[0] != key[0] or key[0] not in ("ORG", "GPE", "LOC", "FAC"):
                continue
            words = [w for w in re.findall(r"[A-Za-z]+", other.name) if w[0].isupper()]
            if len(words) < 2 or "".join(w[0] for w in words).upper() != word:
                continue
            introduced = re.search(re.escape(other.name) + r"\s*[(\[]\s*" + re.escape(cl.name) + r"\s*[)\]]", text)
            if introduced or len(word) >= 3 or key[0] == "GPE":
                other.mentions.extend(cl.mentions)
                other.conf = min(other.conf, 0.75)
                other.notes.append(("entities.acronym", f"{cl.name!r} is the acronym of {other.name!r}"))
                out.remove(cl)
                break
    return out


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
    cands = ner_mentions(doc, blocks, config)
    cands += propn_mentions(doc, blocks, cands)
    retype(doc, cands, config)
    cands += name_matches(doc, blocks, cands)
    retype(doc, cands, config)
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
    skipped = [(b.start, b.end) for b in article.get("blocks") if b.kind in ("caption", "credit", "boilerplate")]
    best, best_start = None, -1
    for ent in article.get("entities"):
        if ent.type != "PERSON":
            continue
        for m in ent.mentions:
            if best_start < m.start < pos and not any(s <= m.start < e for s, e in skipped):
                best, best_start = ent.id, m.start
    return best
