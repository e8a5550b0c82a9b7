"""Name words: titles, honorifics and the other word lists a name is read against, and name keys/parts.
"""
from __future__ import annotations

import functools
import re
from typing import Optional

from ...lexicons import entries


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
