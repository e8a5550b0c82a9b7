"""Candidate rules for persuasion techniques that show on the surface of the text.

Each rule proposes spans with the technique it suggests and its own evidence id (``techniques.rule.<name>``); it
decides nothing. The techniques analyzer reads every candidate with the trained models and a small combiner
(presslens/models/technique-rules, trained by training/shipped/train_rule_combiner.py) keeps or drops it from the
models' reading plus the rule's signal, and the rule hits over a span nudge its label. Word lists are data:
presslens/lexicons/techniques/*.txt.

Rules work on text and sentence segments only (no spaCy), so the PTC evaluation (lines) and the analyzer (spaCy
sentences) propose alike.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Sequence

from ..lexicons import entries

DOUBT, DILEMMA, WHATABOUT = "Doubt", "Black-and-White_Fallacy", "Whataboutism,Straw_Men,Red_Herring"
HITLER, AUTHORITY, REPETITION = "Bandwagon,Reductio_ad_hitlerum", "Appeal_to_Authority", "Repetition"
FLAG, SLOGAN, LABEL, LOADED = "Flag-Waving", "Slogans", "Name_Calling,Labeling", "Loaded_Language"
CLICHE, CAUSAL = "Thought-terminating_Cliches", "Causal_Oversimplification"

# rule name -> the technique it suggests; the order is the combiner's feature order (never reorder, only append).
RULES: dict[str, str] = {
    "question": DOUBT, "either_or": DILEMMA, "what_about": WHATABOUT, "hitler": HITLER, "authority": AUTHORITY,
    "repeated_phrase": REPETITION, "group_appeal": FLAG, "slogan": SLOGAN, "label": LABEL, "loaded_word": LOADED,
    "cliche": CLICHE, "only_because": CAUSAL, "bandwagon": HITLER, "exaggeration": "Exaggeration,Minimisation",
    "fear": "Appeal_to_fear-prejudice", "because": CAUSAL, "when_contrast": WHATABOUT, "is_a_label": LABEL,
    "short_verdict": CLICHE,
}

SENTENCE = re.compile(r"[^.!?]*[.!?]+[\"”’')]*|[^.!?]+$")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
FIRST_PLURAL = re.compile(r"\b(we|our|us|ours|ourselves)\b", re.IGNORECASE)
SAYING = re.compile(r"\b(said|says|say|wrote|writes|showed|shows|warned|warns|told|tells|stated|states|declared|"
                    r"confirmed|confirms|proved|proves|found|according to|as)\b", re.IGNORECASE)
EITHER_OR = re.compile(r"\beither\b[^.!?;]{3,160}?\bor\b", re.IGNORECASE)
NO_THIRD = re.compile(r"\b(no third (way|road|option|path|choice)|no middle (way|ground|road)|only two (ways|options|"
                      r"choices|roads|paths)|there is no (other )?alternative|the choice is (simple|clear))\b", re.IGNORECASE)
WHAT_ABOUT = re.compile(r"^\W*(and |but |so )?(what about|where were|where was|why (did|does|do|didn't|doesn't)|"
                        r"when [^,]{5,120}, (did|does|nobody|no one|where|why))\b", re.IGNORECASE)
ONLY_BECAUSE = re.compile(r"\b(only because|simply because|for one reason only|the (only|one) reason|"
                          r"the reason is (only )?one|all because of|is to blame for (everything|all))\b", re.IGNORECASE)
GROUP_CLAIM = re.compile(r"\b(must|deserves?|belongs?|owes?|rights?|loves?|proud|defend|fought|built)\b", re.IGNORECASE)
FUTURE = re.compile(r"(^\W*(if|then|tomorrow|soon|one day)\b|\bwill\b|\bwould\b)", re.IGNORECASE)
BECAUSE = re.compile(r"\b(because|the real cause|the reason (is|was)|this happens|all this happens|every time)\b",
                     re.IGNORECASE)
WHEN_CONTRAST = re.compile(r"^\W*(but )?when\b.{5,200}\b(nobody|no one|not one|never|nothing|did not|didn't|no money|"
                           r"immediately|in one day|the same day)\b", re.IGNORECASE)
IS_A = re.compile(r"\b[A-Z][\w'-]+ (?:is|are|was|were) (?:a|an|the) (?:[a-z'-]+ ){0,4}[a-z'-]+", re.UNICODE)
NAME_MID = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
# a noun phrase ending in a label: a determiner, up to two modifiers (never a function word or a form of "be"),
# the label noun, and an "of" phrase naming whom it labels
NOT_MODIFIER = (r"(?!(?:is|are|was|were|be|been|being|a|an|the|and|or|but|to|of|in|on|at|by|for|with|that|which|who|"
                r"he|she|they|it|we|you|i|this|these|those|his|her|their|our|its|my|not|no|so|as|than|like)\b)")
LABEL_NP = (r"(?:\b(?:a|an|the|this|that|these|those|such|his|her|their|our|its)\s+)?"
            r"(?:" + NOT_MODIFIER + r"[a-z][a-z'-]*\s+){0,2}")


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    technique: str
    rule: str


@functools.lru_cache(maxsize=None)
def phrases(name: str) -> re.Pattern:
    """One case-insensitive whole-word pattern for a lexicon of lexicons/techniques/<name>.txt: the longest entry
    that fits at a position wins."""
    return re.compile(r"(?<![A-Za-z])" + trie_alternation(entries(f"techniques/{name}.txt")) + r"(?![A-Za-z])",
                      re.IGNORECASE)


def trie_alternation(words: Sequence[str]) -> str:
    """The entries as one regex that shares their prefixes (a trie): a plain "a|b|c…" over a few hundred entries is
    tried entry by entry at every position of every sentence, the rules' main cost. Matches as the plain
    alternation sorted longest first: the entries fitting at one position are prefixes of one another, so they lie
    on one path of the trie, tried longest first (optional tails are greedy)."""
    if not all(w.isascii() for w in words):  # lower() keeps lengths and case-insensitive classes only for ASCII
        return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word.lower():
            node = node.setdefault(ch, {})
        node[""] = {}  # an entry ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + pattern(trie) + ")"


@functools.lru_cache(maxsize=None)
def label_pattern() -> re.Pattern:
    """The noun phrase around a label noun, matched backwards from the noun (found first by the plain word list)."""
    return re.compile(LABEL_NP + r"$", re.IGNORECASE)


LABEL_TAIL = re.compile(r"\s+of\s+(?:the\s+|a\s+|an\s+)?[A-Za-z][a-z'-]*")


def label_phrases(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """(start, end) of each noun phrase headed by a label in [a, b): the label noun, up to a determiner and two
    modifiers before it (within 40 characters), and an "of" phrase after it."""
    out = []
    for m in phrases("labels").finditer(text, a, b):
        left = max(a, m.start() - 40)
        head = label_pattern().search(text, left, m.start())
        start = head.start() if head else m.start()
        tail = LABEL_TAIL.match(text, m.end(), b)
        out.append((start, tail.end() if tail else m.end()))
    return out


def sentences(text: str, segments: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences inside the segments (a PTC line or a spaCy sentence may hold several), trimmed."""
    out = []
    for s0, e0 in segments:
        for m in SENTENCE.finditer(text, s0, e0):
            a, b = m.start(), m.end()
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b - a >= 3 and WORD.search(text, a, b):
                out.append((a, b))
    return out


def whole_sentence(text: str, a: int, b: int) -> bool:
    """Whether [a, b) reads as a sentence of its own: it starts with a capital (after opening quotes) and its final
    period is followed by white space or the end. A piece cut at "U.S." ("Even if U.") or out of a garbled line
    ("year of fight.") is a fragment, never a verdict."""
    first = text[a:b].lstrip("\"“‘'(")[:1]
    return first.isupper() and (b == len(text) or text[b].isspace())


def sentence_rules(text: str, a: int, b: int) -> list[Candidate]:
    """The rules that judge a whole sentence."""
    sent = text[a:b]
    words = WORD.findall(sent)
    out = []

    def add(rule: str, start: int = a, end: int = b) -> None:
        out.append(Candidate(start, end, RULES[rule], rule))

    if sent.rstrip("\"”’') ").endswith("?") and len(words) >= 3:
        add("question")
    m = EITHER_OR.search(sent)
    if m:
        add("either_or", a + m.start())
    elif NO_THIRD.search(sent):
        add("either_or")
    if WHAT_ABOUT.search(sent):
        add("what_about")
    if phrases("hitler").search(sent):
        add("hitler")
    if phrases("bandwagon").search(sent):
        add("bandwagon")
    if phrases("authorities").search(sent) and SAYING.search(sent):
        add("authority")
    if phrases("group_appeals").search(sent) and (FIRST_PLURAL.search(sent) or GROUP_CLAIM.search(sent)):
        add("group_appeal")
    if sent.rstrip("\"”’') ").endswith("!") and 1 <= len(words) <= 7:
        add("slogan")
    if phrases("cliches").search(sent) and len(words) <= 14:
        add("cliche")
    if ONLY_BECAUSE.search(sent):
        add("only_because")
    elif BECAUSE.search(sent):
        add("because")
    if phrases("exaggeration").search(sent):
        add("exaggeration")
    if phrases("fear").search(sent) and FUTURE.search(sent):
        add("fear")
    if WHEN_CONTRAST.search(sent):
        add("when_contrast")
    m = IS_A.search(sent)
    if m and len(words) <= 16:
        add("is_a_label", a + m.start())
    if (sent.endswith(".") and 3 <= len(words) <= 6 and not any(ch.isdigit() for ch in sent)
            and not NAME_MID.search(sent) and "said" not in sent.lower() and whole_sentence(text, a, b)):
        add("short_verdict")
    return out


def word_rules(text: str, a: int, b: int) -> list[Candidate]:
    """The rules that mark a few words inside a sentence: labels and loaded words."""
    out = []
    for s, e in label_phrases(text, a, b):
        while s < e and text[s].isspace():
            s += 1
        out.append(Candidate(s, e, LABEL, "label"))
    for m in phrases("loaded_words").finditer(text, a, b):
        if not any(c.start <= m.start() < c.end for c in out):
            out.append(Candidate(m.start(), m.end(), LOADED, "loaded_word"))
    return out


def repeated(text: str, sents: list[tuple[int, int]]) -> list[Candidate]:
    """A sentence, or a run of 4+ words, said again later: the later saying is a candidate."""
    out = []
    seen: dict[str, int] = {}
    grams: dict[tuple[str, ...], int] = {}
    for a, b in sents:
        key = " ".join(w.lower() for w in WORD.findall(text[a:b]))
        if key and key in seen and len(key.split()) >= 2:
            out.append(Candidate(a, b, REPETITION, "repeated_phrase"))
            continue
        seen.setdefault(key, a)
        tokens = [(m.group().lower(), m.start(), m.end()) for m in WORD.finditer(text, a, b)]
        for i in range(len(tokens) - 3):
            gram = tuple(t[0] for t in tokens[i:i + 4])
            if gram in grams and grams[gram] < a and not all(len(w) <= 3 for w in gram):
                out.append(Candidate(tokens[i][1], tokens[i + 3][2], REPETITION, "repeated_phrase"))
                break
        for i in range(len(tokens) - 3):
            grams.setdefault(tuple(t[0] for t in tokens[i:i + 4]), a)
    return out


def candidates(text: str, segments: Sequence[tuple[int, int]]) -> list[Candidate]:
    """Every rule's candidates over the article's segments, in text order."""
    sents = sentences(text, segments)
    out: list[Candidate] = []
    for a, b in sents:
        out += sentence_rules(text, a, b) + word_rules(text, a, b)
    out += repeated(text, sents)
    return sorted(set(out), key=lambda c: (c.start, c.end, c.rule))


def hits(spans: Sequence[tuple[int, int]], cands: Sequence[Candidate], labels: Sequence[str]) -> list[list[float]]:
    """Per span: for each technique of ``labels``, 1 when a candidate suggesting it covers at least half the span
    and half the candidate lies inside it (the rule's signal for labelling)."""
    index = {t: i for i, t in enumerate(labels)}
    out = []
    for s, e in spans:
        row = [0.0] * len(labels)
        for c in cands:
            inter = min(e, c.end) - max(s, c.start)
            if inter > 0 and inter >= 0.5 * (e - s) and inter >= 0.5 * (c.end - c.start) and c.technique in index:
                row[index[c.technique]] = 1.0
        out.append(row)
    return out
