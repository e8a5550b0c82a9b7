"""Roles of person mentions: pre-modifiers, appositions, relative clauses and copulas headed by a title.
"""
from __future__ import annotations

from typing import Any, Optional

from ...document import Evidence, Role
from .names import is_title_word
from .records import Cand, Config, full_text


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
