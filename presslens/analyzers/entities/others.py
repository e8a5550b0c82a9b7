"""Clustering of organisations, places and other non-person names: identical text, acronyms.
"""
from __future__ import annotations

import re

from .records import Cand, Cluster


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
