"""Person clustering by precision-ordered sieves: full names, first names, surnames.
"""
from __future__ import annotations

import functools
from typing import Optional

from rapidfuzz.distance import JaroWinkler

from ...lexicons import entries
from .names import name_key, name_parts
from .records import Cand, Cluster, Config


# ------------------------------------------------------------------------------------------- clustering
@functools.lru_cache(maxsize=1)
def given_name_table() -> dict[str, frozenset[int]]:
    table: dict[str, set[int]] = {}
    for i, line in enumerate(entries("given_name_variants.txt")):
        for form in line.split("|"):
            table.setdefault(form.strip().lower(), set()).add(i)
    return {k: frozenset(v) for k, v in table.items()}


def given_name_forms(name: str) -> frozenset[int]:
    """The lines of lexicons/given_name_variants.txt a given name is a form of."""
    return given_name_table().get(name, frozenset())


def first_names_agree(a: str, b: str, config: Config) -> Optional[str]:
    a, b = a.lower().strip("."), b.lower().strip(".")
    if a == b:
        return "same first name"
    if len(a) == 1 and b.startswith(a) or len(b) == 1 and a.startswith(b):
        return "first name given as an initial"
    if given_name_forms(a) & given_name_forms(b):
        return f"{a!r}/{b!r} are forms of one given name (lexicons/given_name_variants.txt)"
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
