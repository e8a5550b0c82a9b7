"""Layer ``blocks``: what is body text and what is not (title, caption, credit, boilerplate).

News text extracted from web pages carries page furniture inline: photo captions between
paragraphs ("Smith (left) greets Jones on Monday. Photo: J. Ruiz"), bare credits
("Getty Images"), lists of names under a picture, newsletter and copyright lines. Every
non-empty paragraph becomes exactly one Block; blocks never overlap and exclude the
surrounding whitespace.

Paragraphs are lines; a line joins the previous one only when it is a hard-wrap
continuation (the previous line ends mid-sentence and this one starts lower-case).

Cues, each named in the block's evidence:

- ``blocks.boilerplate`` — a short line matching a page-furniture phrase
  (lexicons/boilerplate.txt: "Subscribe…", "All rights reserved", "Read more", ©…).
- ``blocks.byline`` — "By Jane Doe", or a bare person name right after the title or closing the text: ``credit``.
- ``blocks.credit`` — a short line made of a credit marker and a name
  (lexicons/credit_markers.txt: "Photo:", "Getty Images", "Reuters", "Charts:", "Screenshot"…).
- ``blocks.caption_credit`` — a line that ends in a credit tail ("… Image: CBS Video").
  Scheme: the WHOLE line is one ``caption`` block (the credit tail stays inside it and is quoted in
  the evidence); a separate ``credit`` block is emitted only for lines that are nothing but a credit.
  This keeps blocks disjoint and lets readers skip a caption with one offset test.
- ``blocks.colon_credit`` — an unpunctuated line "<words>: <1-4 capitalised words>" ("Mayor: File").
  A caption found by either credit rule has ``Block.credit`` set: readers branch on that field, not on rule ids.
- ``blocks.position_marker`` — "(left)", "(right)", "(first from left)", "(L-R)"…
- ``blocks.name_list`` — a short verbless line that is mostly proper nouns (spaCy POS/NER).
- ``blocks.verbless`` / ``blocks.present_tense`` / ``blocks.unpunctuated`` — a short line with no
  sentence-final punctuation, sitting between paragraphs; weaker, confidence says so.
- ``blocks.title`` — the first line, short and not ending in a full stop (or equal to meta title).
- ``blocks.headline_link`` — a later Title Case line whose function words are capitalised too
  ("Mayor Says No To Bridge"): a related-article link or subheading, marked boilerplate at low confidence.

Lines that open with a quotation mark, end in ":" or a dash (quote/list introductions), or end in
sentence-final punctuation are body paragraphs unless a strong cue (credit, position marker) says
otherwise, so short real sentences ("Of course there is.") stay paragraphs. So are list items
(bullets, lines right after a line ending in ":"), lines without letters, lines that stop on a
function word ("… is the author of", cut before a link), lone words that are not names
(subheadings), and short finite-verb lines that do not sit between two long paragraphs.

Follows the block-classification idea of boilerplate removal (Kohlschütter et al., 2010,
"Boilerplate Detection using Shallow Text Features") with caption-specific cues added.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Optional

from ..document import Block, Document, Evidence
from ..lexicons import entries
from .shared import token_view

NAME = "blocks"
VERSION = "0.3.0"
REQUIRES: tuple[str, ...] = ()
ASSIGNS: tuple[str, ...] = ("blocks",)



@dataclass(frozen=True)
class Config:
    # Captions are short: a line longer than this needs a strong cue (credit tail, position marker).
    caption_max_words: int = 30
    # Even with a strong cue, a block this long is a paragraph (real captions rarely exceed it).
    caption_strong_max_words: int = 60
    # Titles are short headlines.
    title_max_words: int = 25
    # Page furniture lines are short; a long paragraph mentioning "subscribe" is body text.
    boilerplate_max_words: int = 30
    # A stand-alone credit line is a handful of words.
    credit_max_words: int = 12
    # A "long" neighbouring paragraph, for the position cue (short line between long paragraphs).
    long_paragraph_words: int = 25


# ------------------------------------------------------------------------------------------- lexicons
def _lexicon_lines(name: str) -> list[str]:
    return list(entries(name))


@functools.lru_cache(maxsize=1)
def credit_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(label pattern 'Photo:', phrase pattern 'Getty Images'), both case-insensitive."""
    labels, phrases = [], []
    for entry in _lexicon_lines("credit_markers.txt"):
        if entry.endswith(":"):
            labels.append(re.escape(entry[:-1]).replace(r"\ ", r"\s+"))
        else:
            phrases.append(re.escape(entry).replace(r"\ ", r"\s+"))
    label_re = re.compile(r"(?<![\w])(?:%s)\s*:" % "|".join(sorted(labels, key=len, reverse=True)), re.I)
    phrase_re = re.compile(r"(?<![\w])(?:%s)(?![\w])" % "|".join(sorted(phrases, key=len, reverse=True)), re.I)
    return label_re, phrase_re


@functools.lru_cache(maxsize=1)
def boilerplate_patterns() -> list[re.Pattern]:
    return [re.compile(p, re.I) for p in _lexicon_lines("boilerplate.txt")]


# ------------------------------------------------------------------------------------------ patterns
WORD_RE = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
LINE_RE = re.compile(r"[^\n]+")
# Sentence-final punctuation, possibly followed by closing quotes/brackets.
FINAL_PUNCT_RE = re.compile(r"[.!?…]['\"”’»)\]]*$")
# Lines that introduce what follows (a quote, a list): body text.
INTRO_END_RE = re.compile(r"[:;,—–-]$")
OPEN_QUOTE_RE = re.compile(r"^[\"“„«‘']")
POSITION_RE = re.compile(
    r"\(\s*(?:(?:first|second|third|fourth|fifth|far|centre|center|top|bottom|front|back|middle|standing|seated)"
    r"(?:\s+(?:row|from))?\s+)?(?:from\s+)?(?:left|right|centre|center|l-r|l\s*to\s*r|left\s+to\s+right|"
    r"right\s+to\s+left|clockwise(?:\s+from\s+\w+(?:\s+\w+)?)?)\s*\)", re.I)
# "<caption words>: <1-4 capitalised words>" with nothing after: a source/credit tail.
COLON_CREDIT_RE = re.compile(r"^(?P<head>.{1,200}?)\s*:\s*(?P<tail>[A-Z][\w'’.&-]*(?:\s+[A-Z&][\w'’.&-]*){0,3})$")
# Words a caption never ends on; a line ending so is a sentence cut off (e.g. before a link).
DANGLING_WORDS = {"is", "are", "was", "were", "of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "for",
                  "by", "with", "from", "that", "as", "his", "her", "their", "its", "our", "my", "be", "has", "have"}
LETTER_RE = re.compile(r"[^\W\d_]{2}")
# List items ("• …", "- …", "1. …"): body text even when short and unpunctuated.
BULLET_RE = re.compile(r"^\s*(?:[•·▪◦*\-–—]|\d{1,2}[.)]\s)")
FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
PRESENT_TAGS = {"VBZ", "VBP"}


# ------------------------------------------------------------------------------------------ segmenting
def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines as (start, end) without surrounding whitespace; hard-wrapped lines are joined."""
    spans: list[tuple[int, int]] = []
    prev_blank = True
    for match in LINE_RE.finditer(text):
        raw = match.group()
        if not raw.strip():
            prev_blank = True
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        end = match.end() - (len(raw) - len(raw.rstrip()))
        if spans and not prev_blank and is_continuation(text[spans[-1][0]:spans[-1][1]], text[start:end]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        prev_blank = False
    return spans


def is_continuation(previous: str, line: str) -> bool:
    """A hard wrap: the previous line stops mid-sentence and this one goes on in lower case."""
    if FINAL_PUNCT_RE.search(previous) or previous.endswith(":"):
        return False
    return line[:1].islower() or previous.endswith(("-", ","))


# ------------------------------------------------------------------------------------------ cues
@dataclass
class Features:
    text: str
    words: int
    final_punct: bool
    intro_end: bool
    opens_quote: bool
    credit_tail: Optional[str]
    colon_tail: Optional[str]
    position: Optional[str]
    finite: bool
    present: bool
    propn_share: float
    dangling: bool  # ends in a function word: a sentence cut off before a link, not a caption
    named: bool  # spaCy found a person/organisation/place name in it
    person_only: bool  # the line is one or more person names and nothing else


def find_credit_tail(text: str, config: Config) -> Optional[str]:
    """The credit at the end of a line ("… Image: CBS Video Screenshot"), or None."""
    label_re, phrase_re = credit_patterns()
    starts = [m.start() for m in label_re.finditer(text)] + [m.start() for m in phrase_re.finditer(text)]
    for start in sorted(s for s in starts if s > 0):  # earliest qualifying start = the whole credit
        tail = text[start:]
        if len(WORD_RE.findall(tail)) <= config.credit_max_words and not FINAL_PUNCT_RE.search(tail.rstrip(")")):
            return tail.strip()
    return None


def is_credit_only(text: str, config: Config) -> bool:
    """The whole line is a credit: it starts with a credit marker or consists of credit phrases."""
    label_re, phrase_re = credit_patterns()
    words = len(WORD_RE.findall(text))
    if words > config.credit_max_words or FINAL_PUNCT_RE.search(text) and not text.endswith(")"):
        return False
    stripped = text.strip("()[] ")
    if label_re.match(stripped):
        return True
    leftover = phrase_re.sub(" ", stripped)
    return phrase_re.search(stripped) is not None and not WORD_RE.search(re.sub(r"[/|,;·•-]", " ", leftover)
                                                                         .replace("via", " "))


def features(text: str, span: Any, config: Config) -> Features:
    # token indices, read from the per-Doc token view (no Token object per word)
    view = token_view(span.doc) if span is not None else None
    tokens = [i for i in range(span.start, span.end) if not view.is_space[i]] if span is not None else []
    alpha = [i for i in tokens if view.is_alpha[i]]
    colon = COLON_CREDIT_RE.match(text)
    final = bool(FINAL_PUNCT_RE.search(text))
    return Features(
        text=text,
        words=len(WORD_RE.findall(text)),
        final_punct=final,
        intro_end=bool(INTRO_END_RE.search(text)),
        opens_quote=bool(OPEN_QUOTE_RE.match(text)),
        credit_tail=find_credit_tail(text, config),
        colon_tail=colon.group("tail") if colon and not final else None,
        position=(POSITION_RE.search(text).group() if POSITION_RE.search(text) else None),
        finite=any(view.tag[i] in FINITE_TAGS for i in tokens),
        present=any(view.tag[i] in PRESENT_TAGS and view.pos[i] in ("verb", "aux") for i in tokens),
        dangling=bool(tokens) and view.is_alpha[tokens[-1]] and view.lower[tokens[-1]] in DANGLING_WORDS,
        person_only=bool(alpha) and all(view.ent_type[i] == "PERSON" or view.pos[i] in ("cconj", "punct")
                                        for i in tokens),
        named=any(view.ent_type[i] in ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC") for i in tokens),
        propn_share=(sum(view.pos[i] == "propn" or view.ent_type[i] in ("PERSON", "ORG", "GPE", "NORP") for i in alpha)
                     / len(alpha)) if alpha else 0.0,
    )


def is_headline(f: Features, config: Config) -> bool:
    """A Title Case Line In Which Even Function Words Are Capitalised ("Mayor Says No To Bridge").

    Every word starts upper-case and some non-initial function word does too: a list of names
    ("Jane Doe, Tom Brown") has no function word, a name-list caption keeps "and" lower-case.
    """
    words = WORD_RE.findall(f.text)
    if not (HEADLINE_MIN_WORDS <= len(words) <= config.title_max_words) or f.text.endswith("."):
        return False
    if any(not w[0].isupper() for w in words if w[0].isalpha()):
        return False
    return any(w.lower() in HEADLINE_FUNCTION_WORDS for w in words[1:])


# Fewer capitalised words than this is a name list, not a headline ("Jane Doe, Tom Brown").
HEADLINE_MIN_WORDS = 5
HEADLINE_FUNCTION_WORDS = {"a", "an", "the", "to", "in", "of", "on", "for", "and", "or", "with", "at", "by", "from",
                           "is", "are", "as", "into", "over", "after", "about"}


BYLINE_RE = re.compile(r"^(?:by|text by|words by|reporting by|written by)\s+[A-Z]", re.I)


def byline_cue(index: int, feats: list[Features], config: Config) -> Optional[str]:
    """A byline: "By Jane Doe", or a bare name line right after the title or at the very end of the text."""
    f = feats[index]
    if f.words > config.credit_max_words or f.final_punct:
        return None
    if BYLINE_RE.match(f.text):
        return "a 'By …' line naming the author"
    at_edge = index == len(feats) - 1 or (index == 1 and feats[0].words <= config.title_max_words)
    if at_edge and f.person_only and f.words <= 4:
        return "a bare person name " + ("right after the title" if index == 1 else "closing the text") + " (byline)"
    return None


def boilerplate_cue(f: Features, config: Config) -> Optional[str]:
    if f.words > config.boilerplate_max_words:
        return None
    for pattern in boilerplate_patterns():
        m = pattern.search(f.text)
        if m:
            return m.group().strip() or pattern.pattern
    return None


def caption_decision(f: Features, between_long: bool, after_intro: bool,
                     config: Config) -> Optional[tuple[float, str, str]]:
    """(confidence, rule id, why) when the line reads as a caption, else None."""
    if f.words > config.caption_strong_max_words or not LETTER_RE.search(f.text) or BULLET_RE.match(f.text):
        return None
    if f.credit_tail and (not f.opens_quote or not f.final_punct):
        return 0.9, "blocks.caption_credit", f"the line ends in a photo credit {f.credit_tail!r}"
    if f.position:
        conf = 0.85 if not f.final_punct else 0.7
        return conf, "blocks.position_marker", f"the line places people in a picture with {f.position!r}"
    if f.final_punct or f.intro_end or f.opens_quote or f.words > config.caption_max_words or after_intro:
        return None
    if f.dangling or (f.words == 1 and not f.named):
        return None  # a cut-off sentence ("… is the author of") or a lone word (a subheading)
    bonus = 0.05 if between_long else 0.0
    where = " between longer paragraphs" if between_long else ""
    if f.colon_tail:
        return 0.75 + bonus, "blocks.colon_credit", (f"an unpunctuated line ending in a short source tail "
                                                    f"': {f.colon_tail}'{where}")
    if not f.finite and f.propn_share >= NAME_LIST_MIN_PROPN:
        return 0.8 + bonus, "blocks.name_list", (f"a short verbless line of names ({f.propn_share:.0%} proper nouns) "
                                                f"without sentence-final punctuation{where}")
    if not f.finite:
        return 0.7 + bonus, "blocks.verbless", f"a short line with no finite verb and no sentence-final punctuation{where}"
    if f.present:
        return 0.6 + bonus, "blocks.present_tense", (f"a short present-tense line without sentence-final punctuation"
                                                    f"{where} (caption style)")
    if not between_long:
        return None  # a finite verb and no other cue: a caption only where it sits between paragraphs
    return 0.5 + bonus, "blocks.unpunctuated", f"a short line without sentence-final punctuation{where}"


# Caption rules that decide on a credit at the end of the line (Block.credit).
CREDIT_CAPTION_RULES = ("blocks.caption_credit", "blocks.colon_credit")
# Share of proper nouns among a verbless line's words that makes it a list of names.
NAME_LIST_MIN_PROPN = 0.6


def classify(index: int, spans: list[tuple[int, int]], feats: list[Features], article: Document,
             config: Config) -> tuple[str, float, Evidence]:
    f = feats[index]
    cue = boilerplate_cue(f, config)
    if cue:
        return "boilerplate", 0.85, Evidence("blocks.boilerplate", f"a short line with page-furniture phrase {cue!r}")
    byline = byline_cue(index, feats, config)
    if byline:
        return "credit", 0.7, Evidence("blocks.byline", byline)
    if index > 0 and is_headline(f, config) and not f.credit_tail and not f.position:
        return "boilerplate", 0.5, Evidence("blocks.headline_link", "a Title-Case headline inside the text: a "
                                                                    "related-article link or a subheading, not body")
    if is_credit_only(f.text, config):
        return "credit", 0.85, Evidence("blocks.credit", "the line consists of a photo/graphic credit marker and a source")
    first = all(feats[j].words == 0 for j in range(index))
    meta_title = (article.meta.get("title") or "").strip()
    if first and meta_title and f.text == meta_title:
        return "title", 0.95, Evidence("blocks.title", "the first line equals the article's title in its metadata")
    if first and f.words <= config.title_max_words and not f.text.endswith((".", ":")) and len(spans) > 1 \
            and not f.credit_tail and not f.position:
        return "title", 0.85, Evidence("blocks.title", "a short first line without a closing full stop (headline)")
    neighbours = [feats[j].words for j in (index - 1, index + 1) if 0 <= j < len(feats)]
    between_long = bool(neighbours) and all(w >= config.long_paragraph_words for w in neighbours)
    after_intro = index > 0 and feats[index - 1].text.endswith(":")  # list items / quoted lines follow a colon
    caption = caption_decision(f, between_long, after_intro, config) if not first or len(spans) > 1 else None
    if caption:
        conf, rule, why = caption
        return "caption", round(min(conf, 0.95), 2), Evidence(rule, why)
    return "paragraph", 0.8 if f.final_punct or f.words > config.caption_max_words else 0.6, \
        Evidence("blocks.paragraph", "body text: " + ("a punctuated sentence line" if f.final_punct
                                                      else "no caption, credit or boilerplate cue"))


def analyze(doc: Any, article: Document, config: Config) -> dict[str, list[Block]]:
    text = article.text
    spans = split_paragraphs(text)
    feats = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
        feats.append(features(text[start:end], span, config))
    blocks = []
    for i, (start, end) in enumerate(spans):
        kind, conf, evidence = classify(i, spans, feats, article, config)
        credit = kind == "caption" and evidence.by in CREDIT_CAPTION_RULES
        blocks.append(Block(start, end, text[start:end], kind, conf, evidence, credit))
    return {"blocks": blocks}
