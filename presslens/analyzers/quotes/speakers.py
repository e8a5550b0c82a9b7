"""Who speaks: the subject of a reporting verb, resolved to an entity by mention, pronoun or role.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from ...document import Evidence, Span, Speaker
from ..shared import AUTHOR_PRONOUNS
from .context import Context, PERSON_TYPES, PRONOUNS, WORD, inside_quote, mention_over, nearest_person_before


# How far back from a verb a subject the parser missed may sit ("Jake Sullivan, his adviser, said").
NOUN_BEFORE_TOKENS = 6


def source_span(tok: Any) -> tuple[int, int]:
    """Character span of the source noun phrase headed by tok: names with their compounds, 'the spokesman'."""
    left, right = tok.i, tok.i
    for child in tok.children:
        if child.dep_ in ("compound", "flat", "det", "amod", "poss", "nmod") and child.i < tok.i:
            left = min(left, child.left_edge.i if child.dep_ != "det" else child.i)
        if child.dep_ in ("flat", "compound") and child.i > tok.i:
            right = max(right, child.i)
    doc = tok.doc
    while left < tok.i and (doc[left].is_punct or "\n" in doc[left:tok.i].text):
        left += 1  # a source never starts on an earlier line ("A and B\n\nChancellor C said")
    while right > tok.i and "\n" in doc[tok.i:right + 1].text:
        right -= 1
    return doc[left].idx, doc[right].idx + len(doc[right])


# Words that stand for no one in particular: never a speaker ("one could argue", "half of it", "no-one said").
INDEFINITE = {"one", "half", "some", "many", "most", "all", "none", "nobody", "noone", "no-one", "someone",
              "somebody", "anyone", "anybody", "everyone", "everybody", "each", "both", "few", "several", "others",
              "either", "neither", "any", "much", "little", "more", "less", "nothing", "something", "anything",
              "everything"}
# A source noun that is a document or data, not who issued it ("data released by X", "a report by X").
ISSUED_NOUNS = {"data", "datum", "figure", "figures", "report", "study", "survey", "poll", "statement", "analysis",
                "document", "letter", "memo", "release", "filing", "research", "review", "estimate", "statistic",
                "statistics", "number", "numbers", "finding", "findings", "audit", "assessment", "paper", "record",
                "ruling", "note", "forecast", "projection", "report", "minutes", "paper", "model", "index", "census"}
# Speakers that are no one's report: an indefinite word, or the author's own first person.
NOT_REPORTED = ("quotes.speaker_indefinite", "quotes.speaker_author")


# "No-one", "no one", "some one" split over tokens: read from the source token on.
INDEFINITE_RE = re.compile(r"(?:no|some|any|every)[\s\-‐]?(?:one|body)\b", re.I)


def indefinite(tok: Any, text: str, full: str) -> bool:
    """An indefinite pronoun or quantity word as the whole source ("One", "Half", "No-one"); ``full``: the text."""
    words = WORD.findall(text.lower())
    if INDEFINITE_RE.match(full, tok.idx) and len(words) <= 2:
        return True
    return "".join(words) in INDEFINITE or (
        tok.lower_ in INDEFINITE and tok.pos_ in ("PRON", "NUM", "DET", "ADJ", "NOUN") and len(words) <= 2)


def issuer_of(tok: Any) -> Optional[Any]:
    """Who issued a document/data source: 'data released by X', 'a report by X', 'figures from X', "X's report"."""
    if tok.lemma_.lower() not in ISSUED_NOUNS and tok.lower_ not in ISSUED_NOUNS:
        return None
    for child in tok.children:
        if child.dep_ == "poss" and child.pos_ == "PROPN":
            return child
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "of"):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and (obj.pos_ == "PROPN" or obj.ent_type_):
                return obj
        if child.dep_ in ("acl", "relcl") and child.pos_ == "VERB":
            for agent in child.children:
                if agent.dep_ in ("agent", "prep") and agent.lower_ in ("by", "from"):
                    obj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                    if obj is not None:
                        return obj
    return next((c for c in tok.children if c.dep_ == "compound" and c.ent_type_ in ("ORG", "GPE", "PERSON", "NORP")),
                None)


def resolve_speaker(ctx: Context, tok: Any, why: str) -> Speaker:
    """Speaker for a source token: entity by mention, pronoun by nearest person, nominal by role."""
    start, end = source_span(tok)
    text = ctx.text
    src = Span.of(text, start, end)
    lower = tok.text.lower()
    if indefinite(tok, src.text, text):
        return Speaker(None, None, src.start, src.end, src.text, 0.1,
                       Evidence("quotes.speaker_indefinite", f"{why}; '{src.text}' stands for no one in particular"))
    issuer = issuer_of(tok)
    if issuer is not None and issuer.i != tok.i:
        return resolve_speaker(ctx, issuer, f"{why}; '{src.text}' was issued by '{issuer.text}'")
    if lower in AUTHOR_PRONOUNS and not inside_quote(ctx, tok.idx):
        author = ctx.article.meta.get("author") or None
        return Speaker(None, author, src.start, src.end, src.text, 0.5,
                       Evidence("quotes.speaker_author", f"{why}; '{src.text}' outside quotation marks is the "
                                                         f"author's own voice"))
    m = mention_over(ctx, tok.idx, tok.idx + len(tok)) or mention_over(ctx, start, end)
    if tok.pos_ == "PRON" or lower in PRONOUNS:
        if m is not None and m[2] is not None and m[4] in PERSON_TYPES and ctx.article.entity(m[2]) is not None \
                and ctx.article.entity(m[2]).name.lower() not in PRONOUNS:
            return Speaker(m[2], ctx.article.entity(m[2]).name, src.start, src.end, src.text, 0.8,
                           Evidence("quotes.speaker_coref", f"{why}; '{src.text}' is a mention of {m[3]} in the entities layer"))
        if lower in ("i", "we", "you", "it"):
            return Speaker(None, None, src.start, src.end, src.text, 0.3,
                           Evidence("quotes.speaker_unresolved", f"{why}; '{src.text}' is not resolved to a person"))
        person = nearest_person_before(ctx, start, PRONOUNS.get(lower) if PRONOUNS.get(lower) in ("m", "f") else None)
        if person is not None:
            return Speaker(person[2], person[3], src.start, src.end, src.text, 0.7,
                           Evidence("quotes.speaker_pronoun", f"{why}; '{src.text}' resolved to the nearest preceding "
                                                              f"person, {person[3]}"))
        return Speaker(None, None, src.start, src.end, src.text, 0.3,
                       Evidence("quotes.speaker_unresolved", f"{why}; no person precedes '{src.text}'"))
    if m is not None and (m[2] is not None or m[4] in PERSON_TYPES | {"ORG", "GPE", "NORP"}):
        name = m[3]
        return Speaker(m[2], name, src.start, src.end, src.text, 0.9,
                       Evidence("quotes.speaker_mention", f"{why}; the source '{src.text}' is a mention of {name}"))
    for appos in tok.children:  # "Peskov, the press secretary, ..." parsed the other way round
        if appos.dep_ == "appos":
            a_start, a_end = source_span(appos)
            am = mention_over(ctx, a_start, a_end)
            if am is not None:
                return Speaker(am[2], am[3], src.start, src.end, src.text, 0.8,
                               Evidence("quotes.speaker_appos", f"{why}; '{src.text}' is in apposition to {am[3]}"))
    role = entity_with_role(ctx, tok)
    if role is not None:
        return Speaker(role.id, role.name, src.start, src.end, src.text, 0.7,
                       Evidence("quotes.speaker_role", f"{why}; '{src.text}' is the role of {role.name}"))
    return Speaker(None, src.text, src.start, src.end, src.text, 0.6,
                   Evidence("quotes.speaker_text", f"{why}; the source '{src.text}' names no known entity"))


def entity_with_role(ctx: Context, tok: Any) -> Optional[Any]:
    """The entity whose roles mention this nominal head ('spokesman'), nearest before it."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    word = tok.lemma_.lower()
    best, best_pos = None, -1
    for entity in ctx.article.get("entities"):
        for role in entity.roles:
            if word in {w.lower() for w in WORD.findall(role.text)} and role.start < tok.idx and role.start > best_pos:
                best, best_pos = entity, role.start
    return best


def subject_of(verb: Any) -> Optional[Any]:
    """nsubj of a verb, inherited through conj/xcomp chains ("X arrived and said …")."""
    seen = 0
    while verb is not None and seen < 4:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                    return verb.head  # "people who say …": the antecedent speaks
                return child
        if verb.dep_ in ("conj", "xcomp", "advcl", "pcomp", "prep", "pobj") and verb.head is not verb:
            verb = verb.head
            seen += 1
            continue
        if verb.tag_ == "VBG" and verb.dep_ == "acl":
            # "She criticised the plan, adding, “…”": the parser hangs the participle on the object;
            # the speaker is the subject of the clause the object sits in.
            verb = verb.head
            while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb and seen < 6:
                verb = verb.head
                seen += 1
            seen += 1
            continue
        return None
    return None


def subject_near(ctx: Context, verb: Any) -> Optional[Any]:
    """The verb's subject when it sits in the verb's own paragraph outside captions; else the noun right before it.

    The parser sometimes runs a caption line into the next paragraph's sentence and hands the verb a subject from
    the caption; the nearest noun before the verb in its own paragraph is the better guess then.
    """
    subj = subject_of(verb)
    para_start, para_end = ctx.paragraph(verb.idx)
    if subj is not None and para_start <= subj.idx < para_end and not ctx.blocked.at(subj.idx) \
            and subj.ent_type_ not in ("DATE", "TIME"):
        return outside_parentheses(ctx, subj)
    for k in range(verb.i - 1, max(-1, verb.i - NOUN_BEFORE_TOKENS), -1):
        tok = ctx.doc[k]
        if tok.idx < para_start or tok.text in ("”", "“", '"', ".", ":"):
            break
        if tok.pos_ in ("PROPN", "NOUN", "PRON") and tok.ent_type_ not in ("DATE", "TIME"):
            while tok.dep_ in ("compound", "flat") and tok.head.i > tok.i and tok.head.i < verb.i:
                tok = tok.head
            return tok
        if tok.pos_ not in ("ADV", "AUX", "PART", "PUNCT"):
            break
    return None


def outside_parentheses(ctx: Context, tok: Any) -> Any:
    """'Sen. Ann Lee (D-MA) said': a subject found inside the parentheses stands for the name before them."""
    k = tok.i
    while k > 0 and k > tok.i - 4 and ctx.doc[k].text != "(":
        k -= 1
    if ctx.doc[k].text == "(" and k > 0 and ctx.doc[k - 1].pos_ == "PROPN":
        close = next((t for t in ctx.doc[tok.i:tok.i + 4] if t.text == ")"), None)
        if close is not None:
            return ctx.doc[k - 1]
    return tok
