"""Mention candidates: spaCy entities trimmed to the name, proper nouns that act like persons, later
occurrences of a known person's name, and re-typing of places/organisations that are persons.
"""
from __future__ import annotations

import bisect
import re
from typing import Any, Iterable, Optional

from ...document import Evidence, Role
from ..blocks import credit_patterns
from ..shared import token_view
from .names import CALENDAR, CREDIT_TAIL_RE, EVENT_HEADS, LEADING_RE, ORG_HEADS, TRAILING_RE, WORD_RE, function_words, is_honorific, is_title_word, name_parts, person_verbs
from .records import Cand, Config, full_text
from .roles import premod_role


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


def given_names_before(doc: Any, tok: Any, cover: Coverage) -> Any:
    """The first of the capitalised proper nouns compounding a name on its line ("Ines" of "Mayor Ines Varga")."""
    first = tok
    while first.i > 0:
        prev = doc[first.i - 1]
        if prev.dep_ not in ("compound", "flat") or prev.head.i != tok.i or prev.pos_ != "PROPN" or not prev.is_title \
                or is_title_word(prev.text) or is_honorific(prev.text) or "\n" in prev.text_with_ws \
                or cover.hit(prev.idx, prev.idx + len(prev.text)):
            break
        first = prev
    return first


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
            first = given_names_before(doc, tok, cover)
            text = full_text(doc)[first.idx:tok.idx + len(tok.text)]
            out.append(Cand(first.idx, tok.idx + len(tok.text), text, "PERSON", 0.6, "entities.propn_person",
                            f"{text!r} is a proper noun acting as a person: {cue}", cue=cue, block=b))
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
        if block.kind != "caption" or not block.credit:
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


# ------------------------------------------------------------------------------------------- typing
def capitalised_name_words(cands: list[Cand]) -> set[str]:
    """Words of the persons' names a text writes in capitals ("KAMALA HARRIS" in a transcript): there a one-word
    name in capitals ("HARRIS") is that person's, not an acronym."""
    return {w for c in cands if c.type == "PERSON" and " " in c.text and c.text.isupper() for w in c.text.split()}


def retype(doc: Any, cands: list[Cand], config: Config) -> None:
    """Persons mis-typed as places/organisations: same name as a person elsewhere, or a title right before."""
    person_names = {c.text.lower() for c in cands if c.type == "PERSON"}
    for c in cands:
        if len(name_parts(c.text)) >= 2 and c.type == "PERSON":
            parts = name_parts(c.text)
            person_names.update({parts[-1].lower(), parts[0].lower()})  # "Ahmed" of "Ahmed Mohamed" too
    single_persons = {c.text.lower() for c in cands if c.type == "PERSON" and " " not in c.text}
    caps_names = capitalised_name_words(cands)
    for c in cands:
        if c.type not in ("GPE", "ORG", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART") or len(c.text.split()) > 3:
            continue
        if c.text.isupper() and c.text not in caps_names:
            continue  # acronyms are organisations; "OKAFOR" of a "RUTH OKAFOR" in capitals is that person
        why = None
        words = c.text.split()
        if c.text.lower() in person_names:
            why = f"{c.text!r} is a person's name elsewhere in this text"
        elif c.type in ("ORG", "WORK_OF_ART", "PRODUCT") and len(words) == 2 and words[0].lower() in single_persons \
                and words[1][:1].isupper() and words[1].lower().strip(".") not in ORG_HEADS:
            why = f"{words[0]!r} alone is a person in this text, so {c.text!r} is that person's full name"
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
