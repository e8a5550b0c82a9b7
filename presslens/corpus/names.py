"""Person-name structure for linking across articles: titles stripped, particles kept with the surname, initials.

"Dr. Anna M. van der Berg" -> given ("anna", "m"), surname "van der berg". Two names are compatible when their
surnames agree and each given name of the shorter form agrees with the other's (equal, or an initial of it);
a name with no given name ("Berg") is compatible with any given name, which is why linking such a name needs
support from context.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..lexicons import entries

# Lower-case particles that belong to the surname ("van der Berg", "bin Salman", "de la Cruz").
PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
                       "al", "el", "bin", "ibn", "ben", "ter", "zu", "st"})
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Honorifics not in the role lexicon (which holds role heads such as "minister", "president").
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "sen", "rep", "gov",
                        "gen", "col", "capt", "lt", "sgt", "rev", "fr", "hon", "mx"})


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    return frozenset(entries("titles.txt")) | HONORIFICS


def fold(text: str) -> str:
    """Lower case, accents dropped, punctuation other than hyphens and apostrophes turned into spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[’`]", "'", text)
    text = re.sub(r"'s\b", "", text)
    return " ".join(re.sub(r"[^\w'\- ]+", " ", text).split())


@dataclass(frozen=True)
class PersonName:
    given: tuple[str, ...]
    surname: str

    @property
    def full(self) -> bool:
        return bool(self.given)

    @property
    def initials_only(self) -> bool:
        return all(len(g) == 1 for g in self.given)


def parse(name: str) -> PersonName:
    words = [w.strip("'-") for w in fold(name).replace(".", " ").split()]
    words = [w for w in words if w]
    titles = title_words()
    while words and words[0] in titles and len(words) > 1:
        words.pop(0)
    while words and words[-1] in SUFFIXES and len(words) > 1:
        words.pop()
    if not words:
        return PersonName((), "")
    # the surname is the last word plus the particles directly before it
    i = len(words) - 1
    while i > 0 and words[i - 1] in PARTICLES:
        i -= 1
    return PersonName(tuple(words[:i]), " ".join(words[i:]))


def given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    """'same' | 'initial' | 'missing' | 'conflict' for two given-name tuples (first names compared, then the rest)."""
    if not a or not b:
        return "missing"
    how = "same"
    for x, y in zip(a, b):
        if x == y:
            continue
        if (len(x) == 1 or len(y) == 1) and x[0] == y[0]:
            how = "initial"
            continue
        return "conflict"
    return how


def org_key(name: str) -> str:
    """Key of a non-person name: folded, a leading "the" dropped."""
    key = fold(name)
    return key[4:] if key.startswith("the ") else key
