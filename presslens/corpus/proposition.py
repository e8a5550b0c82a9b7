"""A question -> the proposition it asks about: "Will Iceland join the EU?" -> "Iceland will join the EU".

Yes/no questions open with an auxiliary; the proposition puts it after the subject (spaCy's parse finds the
subject). A "do" auxiliary is dropped ("Does X want Y?" -> "X wants Y"). Other questions ("Who ...?") keep their
words without the question mark: they name a topic, and every item is then "discussing" or takes a side on it.
"""
from __future__ import annotations

from typing import Any

from ..errors import InputError

MAX_QUESTION_CHARS = 500


def check_question(question: str) -> str:
    question = " ".join((question or "").split())
    if not question.strip(" ?"):
        raise InputError("N20", "the question is empty", 'ask a question in words, e.g. "Will Iceland join the EU?"')
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError("N21", f"the question is {len(question)} characters long (at most {MAX_QUESTION_CHARS})",
                         "ask one short question")
    return question


def proposition(question: str, nlp: Any) -> str:
    question = check_question(question)
    doc = nlp(question.rstrip(" ?"))
    tokens = [t for t in doc if not t.is_space]
    if not tokens:
        return question.rstrip(" ?")
    first = tokens[0]
    aux = first.tag_ == "MD" or first.lemma_.lower() in ("be", "have", "do")
    subject = next((t for t in doc if t.dep_ in ("nsubj", "nsubjpass", "expl") and t.i > first.i), None)
    if not aux or subject is None:
        return doc.text
    span = doc[subject.left_edge.i:subject.right_edge.i + 1]
    rest = [t for t in tokens if t.i > span.end - 1]
    words = [span.text]
    if first.lemma_.lower() == "do":
        if rest and first.lower_ == "does" and rest[0].tag_ == "VB":
            words.append(rest[0].text + ("es" if rest[0].text.endswith(("s", "sh", "ch", "x")) else "s"))
            rest = rest[1:]
        elif first.lower_ == "did":
            words.append("did")
    else:
        words.append(first.lower_)
    words.extend(t.text for t in rest)
    text = " ".join(words)
    for punct in (" ,", " .", " 's", " n't", " ;", " :"):
        text = text.replace(punct, punct.strip())
    return text[0].upper() + text[1:]
