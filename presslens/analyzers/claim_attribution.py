"""Who makes a claim and through whom we hear it: the hearsay chain of a quote, read off the dependency parse.

The quote's speaker comes first, then the sources of reporting verbs that govern the quote's cue verb ("X revealed
that Y told him, '…'" gives [Y, X]), then speakers of enclosing quotes whose content holds the cue (PARC's nested
attributions, Pareti 2016). Used by presslens/analyzers/claims.py; reads the quotes and entities layers it is given.
"""
from __future__ import annotations

import functools
from typing import Any, Optional

from ..document import Attribution, Document, Quote
from .shared import reporting_verbs

FIRST_PERSON = {"i", "we", "me", "us"}
# a reporting verb may sit at most this many tokens above the quote's cue verb in the parse
MAX_CHAIN = 4


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


@functools.lru_cache(maxsize=1)
def reporting_lemmas() -> frozenset[str]:
    return reporting_verbs().attribution


def source_name(tok: Any) -> str:
    """The name in a subject phrase: the run of proper nouns ending at its head ('film director Ann Lee' → 'Ann Lee')."""
    if tok.pos_ == "PROPN":
        left = tok.i
        while left > 0 and tok.doc[left - 1].pos_ == "PROPN" and tok.doc[left - 1].head.i in (tok.i, left):
            left -= 1
        return tok.doc[left: tok.i + 1].text
    return tok.doc[tok.left_edge.i: tok.i + 1].text if tok.pos_ != "PRON" else tok.text


def entity_at(article: Document, start: int, end: int) -> Optional[Any]:
    for entity in article.get("entities"):
        for m in entity.mentions:
            if overlap(start, end, m.start, m.end):
                return entity
    return None


def resolve(article: Document, tok: Any, quotes: list[Quote], base: int = 0) -> Attribution:
    """A source token as an Attribution: entity by mention overlap, a quote speaker whose source span it is, or its name.

    ``base`` is the offset of the token's doc in the article text (non-zero for a re-parsed sentence)."""
    at = base + tok.idx
    phrase = [tok] + [c for c in tok.children if c.dep_ in ("appos", "compound", "flat")]
    if tok.pos_ != "PRON":  # 'the former minister Ann Lee': the name may hang off a nominal head (not 'X at Y')
        phrase.append(tok.doc[tok.left_edge.i: tok.i + 1])
    for part in phrase:
        start = base + (part.idx if hasattr(part, "idx") else part.start_char)
        end = start + len(part.text)
        entity = entity_at(article, start, end)
        if entity is not None and entity.name.lower() not in FIRST_PERSON | {"he", "she", "they", "him", "her"}:
            return Attribution(entity.id, entity.name)
    for q in quotes:
        sp = q.speaker
        if sp is not None and sp.start is not None and sp.start <= at < sp.end and (sp.entity or sp.name):
            return Attribution(sp.entity, sp.name)
    if tok.lower_ in FIRST_PERSON:
        return author_of(article)
    return Attribution(None, source_name(tok))


def subject(verb: Any) -> Optional[Any]:
    for _ in range(3):
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        if verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
            verb = verb.head
        else:
            return None
    return None


def is_reporting(tok: Any) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in reporting_lemmas()


def block_at(article: Document, pos: int) -> tuple[int, int]:
    for b in article.get("blocks"):
        if b.start <= pos < b.end:
            return b.start, b.end
    return 0, len(article.text)


@functools.lru_cache(maxsize=64)
def parse_clipped(text: str) -> Any:
    """A clipped sentence parsed again; cached, as every claim in one quote asks for the same sentence."""
    from ..artifacts import load_spacy

    return load_spacy()(text, disable=["ner"])  # the chain reads tags, lemmas and the parse, never entities


def sentence_parse(doc: Any, article: Document, pos: int) -> tuple[Any, int]:
    """(parsed sentence holding ``pos``, its offset). spaCy's sentences can run across a caption line into the
    next paragraph, which garbles the parse; such a sentence is clipped to its block and parsed again."""
    tok = doc.char_span(pos, pos + 1, alignment_mode="expand")
    if tok is None or not len(tok):
        return None, 0
    sent = tok[0].sent
    lo, hi = block_at(article, pos)
    words = [t for t in sent if not t.is_space]
    if not words or (lo <= words[0].idx and words[-1].idx + len(words[-1]) <= hi):
        return sent, 0
    start, end = max(lo, sent.start_char), min(hi, sent.end_char)
    sub = parse_clipped(article.text[start:end])
    inner = sub.char_span(pos - start, pos - start + 1, alignment_mode="expand")
    return (inner[0].sent if inner is not None and len(inner) else sub[:]), start


def cue_verb(doc: Any, article: Document, q: Quote) -> tuple[Optional[Any], int]:
    """(reporting verb that introduces a quote, offset of its parse): the cue's own verb, else the nearest reporting
    verb with a subject before the content in its sentence."""
    if q.cue is not None:
        sent, base = sentence_parse(doc, article, q.cue.start)
        if sent is not None:
            verbs = [t for t in sent if is_reporting(t) and q.cue.start <= base + t.idx < q.cue.end]
            if verbs:
                return verbs[0], base
    sent, base = sentence_parse(doc, article, q.content.start)
    if sent is None:
        return None, 0
    before = [t for t in sent if base + t.idx < q.content.start and is_reporting(t) and subject(t) is not None]
    return (before[-1], base) if before else (None, 0)


def outer_sources(verb: Any) -> list[Any]:
    """Subjects of reporting verbs above ``verb`` in the parse, nearest first ('X revealed that Y told him' → [X])."""
    found, tok = [], verb
    own = subject(verb)
    for _ in range(MAX_CHAIN):
        if tok.head is tok:
            break
        tok = tok.head
        if is_reporting(tok):
            subj = subject(tok)
            if subj is not None and (own is None or subj.i != own.i):
                found.append(subj)
    return found


def same(a: Attribution, b: Attribution) -> bool:
    if a.entity and b.entity:
        return a.entity == b.entity
    na, nb = (a.name or "").lower().split(), (b.name or "").lower().split()
    return bool(na and nb) and na[-1] == nb[-1]


def attribution_chain(doc: Any, article: Document, quote: Quote, quotes: list[Quote]) -> tuple[list[Attribution], str]:
    """[speaker, who reported the speaker, …] for a claim inside ``quote``, and a why-clause naming the cues."""
    sp = quote.speaker
    chain = [Attribution(sp.entity, sp.name)] if sp is not None and (sp.entity or sp.name) else []
    why = []
    verb, base = cue_verb(doc, article, quote)
    covered = (base + verb.sent.start_char, base + verb.sent.end_char) if verb is not None else (quote.start, quote.start)
    if verb is not None:
        if not chain and subject(verb) is not None:
            chain.append(resolve(article, subject(verb), quotes, base))
        for subj in outer_sources(verb):
            link = resolve(article, subj, quotes, base)
            if not any(same(link, c) for c in chain):
                chain.append(link)
                why.append(f"'{subj.text} {subj.head.text}' governs '{verb.text}'")
    anchor = quote.cue.start if quote.cue is not None else quote.start
    for outer in sorted(quotes, key=lambda o: -o.content.start):  # enclosing speech whose content holds the cue
        if outer is quote or outer.speaker is None or not outer.content.start <= anchor < outer.content.end:
            continue
        if outer.cue is not None and covered[0] <= outer.cue.start < covered[1]:
            continue  # its cue is in the sentence the parse already read
        link = Attribution(outer.speaker.entity, outer.speaker.name)
        if not any(same(link, c) for c in chain):
            chain.append(link)
            why.append(f"the cue sits inside quote {outer.id}")
    return chain, "; ".join(why)


def author_of(article: Document) -> Attribution:
    author = article.meta.get("author")
    return Attribution(None, author if isinstance(author, str) and author.strip() else "author")
