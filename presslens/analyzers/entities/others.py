"""Clustering of organisations, places and other non-person names: identical text (possessives and leading
lower-case modifiers aside), acronyms, other names of one entity (lexicons/name_aliases.txt), short forms.
"""
from __future__ import annotations

import functools
import re

from ...lexicons import entries
from .records import Cand, Cluster


# Types whose names join by alias or by a shorter form ending the longer one.
PLACE_ORG_TYPES = ("ORG", "GPE", "LOC", "FAC")
POSSESSIVE = re.compile(r"['’]s\b")


# ------------------------------------------------------------------------------------------- others
def norm_key(text: str) -> str:
    """Lower case, no dots, no possessive 's, no leading lower-case modifiers ("pro-Beijing New People's Party")."""
    words = POSSESSIVE.sub("", text.replace(".", "")).split()
    while len(words) > 1 and words[0][:1].islower():
        words = words[1:]
    return " ".join(words).lower()


@functools.lru_cache(maxsize=1)
def aliases() -> dict[str, int]:
    """norm_key of every name in lexicons/name_aliases.txt -> the number of its line (one entity a line)."""
    out: dict[str, int] = {}
    for i, line in enumerate(entries("name_aliases.txt")):
        for name in line.split("|"):
            out.setdefault(norm_key(name.strip().removeprefix("the ")), i)
    return out


def join_aliases(clusters: list[Cluster]) -> list[Cluster]:
    """Clusters named by two names of one place/organisation ("America" / "United States") become one."""
    by_alias: dict[int, Cluster] = {}
    out = []
    for cl in sorted(clusters, key=lambda c: -len(c.mentions)):
        line = aliases().get(norm_key(cl.name)) if cl.type in PLACE_ORG_TYPES else None
        target = by_alias.get(line) if line is not None else None
        if target is None:
            if line is not None:
                by_alias[line] = cl
            out.append(cl)
            continue
        target.mentions.extend(cl.mentions)
        target.conf = min(target.conf, 0.75)
        target.notes.append(("entities.alias", f"{cl.name!r} is another name of {target.name!r} "
                                               f"(lexicons/name_aliases.txt)"))
    return out


def join_short_forms(clusters: list[Cluster]) -> list[Cluster]:
    """A name of two or more words that ends a longer name of the same type is its short form
    ("Home Office" / "United Kingdom Home Office"), when exactly one longer name fits."""
    out = list(clusters)
    keys = {id(cl): norm_key(cl.name).split() for cl in clusters if cl.type in PLACE_ORG_TYPES}
    for cl in clusters:
        words = keys.get(id(cl))
        if words is None or len(words) < 2:
            continue
        longer = [o for o in out if o is not cl and o.type == cl.type and len(keys[id(o)]) > len(words)
                  and keys[id(o)][-len(words):] == words]
        if len(longer) != 1:
            continue
        target = longer[0]
        target.mentions.extend(cl.mentions)
        target.conf = min(target.conf, 0.75)
        target.notes.append(("entities.short_form", f"{cl.name!r} is the short form of {target.name!r}"))
        out.remove(cl)
    return out


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
    return join_short_forms(join_aliases(out))
