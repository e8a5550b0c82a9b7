"""A question -> the proposition it asks about: "Will Iceland join the EU?" -> "Iceland will join the EU".

Yes/no questions open with an auxiliary; the proposition puts it after the subject (spaCy's parse finds the
subject). A "do" auxiliary is dropped ("Does X want Y?" -> "X wants Y"). Other questions ("Who ...?") keep their
words without the question mark: they name a topic, and every item is then "discussing" or takes a side on it.
"Is it true that X?" asks about X itself.

The parse is the only costly part (importing and loading spaCy is most of a cold `presslens ask`), so it is done
only when needed: a question that does not open with an auxiliary needs none, nor one whose subject is a pronoun
("Is it true that ...", "Will they ..."): a pronoun is the whole subject. Otherwise the tagger and parser alone are
loaded (``artifacts.load_spacy_parser``).
"""
from __future__ import annotations

import re
from typing import Any, Callable, Optional, Union

from ..errors import InputError

MAX_QUESTION_CHARS = 500
MODALS = frozenset({"will", "would", "can", "could", "should", "shall", "may", "might", "must"})
BE_HAVE = frozenset({"is", "are", "am", "was", "were", "has", "have", "had"})
DO = frozenset({"do", "does", "did"})
# Subjects that are one word whatever follows them.
PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they", "there"})
# "Is it true that X?" asks whether X: the proposition is X.
TRUE_THAT = re.compile(r"^(?:is|isn't) it (?:really )?(?:true|the case) that\s+(.+)$", re.I)
# Third-person forms a dropped "does" leaves on its verb that the -s/-es rule gets wrong.
THIRD_PERSON = {"have": "has", "do": "does", "go": "goes", "be": "is"}

NLP = Union[Any, Callable[[], Any], None]


def check_question(question: str) -> str:
    question = " ".join((question or "").split())
    if not question.strip(" ?"):
        raise InputError("N20", "the question is empty", 'ask a question in words, e.g. "Will Iceland join the EU?"')
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError("N21", f"the question is {len(question)} characters long (at most {MAX_QUESTION_CHARS})",
                         "ask one short question")
    return question


def proposition(question: str, nlp: NLP = None) -> str:
    """``nlp``: a spaCy pipeline, a function returning one (called only when a parse is needed), or None (the
    tagger and parser of the default pipeline, loaded when needed)."""
    text = check_question(question).rstrip(" ?")
    claim = TRUE_THAT.match(text)
    if claim:
        return _capitalised(claim.group(1))
    words = text.split()
    if _auxiliary(words[0]) is None:
        return text
    light = _pronoun_subject(words)
    return light if light is not None else _parsed(text, _pipeline(nlp))


def _auxiliary(word: str) -> Optional[str]:
    """The auxiliary a question opens with ("Will", "Doesn't" -> "does"), or None."""
    bare = word.lower().replace("’", "'")
    bare = bare[:-3] if bare.endswith("n't") else bare
    return bare if bare in MODALS | BE_HAVE | DO or bare in ("wo", "ca", "sha") else None


def _pronoun_subject(words: list[str]) -> Optional[str]:
    """"Will they join the EU" -> "They will join the EU"; None unless the subject is a pronoun. Contractions
    and "does" (whose verb takes an -s only when it is one) are left to the parser."""
    aux = words[0].lower()
    if len(words) < 3 or words[1].lower() not in PRONOUNS or aux not in MODALS | BE_HAVE | {"do", "did"}:
        return None
    subject = words[1] if words[1] == "I" else words[1].lower()
    kept = [] if aux == "do" else [aux]  # "Do they want it" -> "They want it"; "Did they" keeps "did"
    return " ".join([_capitalised(subject), *kept, *words[2:]])


def third_person(verb: str) -> str:
    """The verb after a dropped "does": "want" -> "wants", "push" -> "pushes", "try" -> "tries"."""
    if verb in THIRD_PERSON:
        return THIRD_PERSON[verb]
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "z", "o")) else "s")


def _pipeline(nlp: NLP) -> Any:
    if nlp is None:
        from ..artifacts import load_spacy_parser

        return load_spacy_parser()
    return nlp() if callable(nlp) and not hasattr(nlp, "pipe_names") else nlp


def _parsed(text: str, nlp: Any) -> str:
    doc = nlp(text)
    tokens = [t for t in doc if not t.is_space]
    if not tokens:
        return text
    first = tokens[0]
    aux = _auxiliary(first.text)
    subject = next((t for t in doc if t.dep_ in ("nsubj", "nsubjpass", "expl") and t.i > first.i), None)
    if aux is None or subject is None:
        return doc.text
    span = doc[subject.left_edge.i:subject.right_edge.i + 1]
    rest = [t for t in tokens if t.i > span.end - 1]
    words = [span.text]
    if aux in DO:
        if rest and first.lower_ == "does" and rest[0].tag_ == "VB":
            words.append(third_person(rest[0].text))
            rest = rest[1:]
        elif first.lower_ == "did":
            words.append("did")
    else:
        words.append(first.lower_)
    words.extend(t.text for t in rest)
    text = " ".join(words)
    for punct in (" ,", " .", " 's", " n't", " ;", " :"):
        text = text.replace(punct, punct.strip())
    return _capitalised(text)


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:] if text else text
