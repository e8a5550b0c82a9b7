"""The shared per-Doc layer of the rule analyzers: what more than one analyzer reads. Not an analyzer.

- Block kinds: ``BODY_KINDS`` (the article's own text) and ``FURNITURE_KINDS`` (page furniture: captions,
  credits, boilerplate), the one spelling of the kinds the ``blocks`` layer assigns.
- ``reporting_verbs``: lexicons/reporting_verbs.txt read once into named lists (``ReportingVerbs``).
- ``known_places`` / ``never_a_person``: the place gazetteer (lexicons/places.txt), and whether a name is no
  person's (a listed place that is never a person's name, or one word in capitals: an acronym).
- ``load_words``: a lexicon file under presslens/lexicons/ as a list of lower-cased entries
  (one a line, ``#`` comments). Multi-word entries are phrases; a trailing ``*`` is a prefix.
- Range helpers: ``body_ranges``, ``in_ranges``, ``merge``, ``quote_ranges``, ``quoted_tokens``.
- ``body_sentences``: the spaCy sentences cut to body blocks (title and paragraphs), so captions,
  credits and page furniture never count as the article's voice.
- ``quote_ranges``: character ranges that hold other people's words: the content spans of the
  ``quotes`` layer (except those the writer attributes to "I"/"we": that is the writer's own voice)
  plus any text between paired quotation marks (a safety net for quotes the quotes analyzer missed;
  the same typographic rule a reader uses).
- ``LexiconMatcher`` (in the spirit of spaCy's PhraseMatcher): finds lexicon entries in a Doc by
  lower-case form or lemma, so "cuts" matches "cut" and "economic*" matches "economics"; "right/ADJ"
  matches only the adjective (not "rights"). Token forms are read once per Doc (``token_view``).

Cost: every rule analyzer reads the same Doc, and spaCy builds a Token object per attribute access.
``token_view`` reads each token's forms once per Doc and keeps what depends on the Doc alone: sentence
bounds, entities, the body sentences of a set of body ranges, and per matcher the tokens where any of its
entries can start (a set intersection of the Doc's forms with the matcher's first words, so a matcher
looks only there). It holds no analyzer's results: what one analyzer passes to another is a layer.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from ..lexicons import entries
from ..scan import paired_quotes


# The kinds the blocks layer assigns: the article's own text, and page furniture around it.
BODY_KINDS = ("title", "paragraph")
FURNITURE_KINDS = ("caption", "credit", "boilerplate")
BLOCK_KINDS = BODY_KINDS + FURNITURE_KINDS

# Paired quotation marks: straight double quotes and typographic double quotes. Single quotes are
# left out: they are apostrophes far more often than quote marks in English news.
# (presslens.scan.paired_quotes finds them; this regex says the same, but quadratically on a run of “).
QUOTED = re.compile(r"\"[^\"\n]{2,}?\"|“[^”\n]{2,}?”|«[^»\n]{2,}?»")


# A quote whose speaker is one of these is the writer speaking ("I suspect …", "we were told …").
AUTHOR_PRONOUNS = frozenset({"i", "me", "we", "us"})


@dataclass(frozen=True)
class ReportingVerbs:
    """lexicons/reporting_verbs.txt as named lists of lemmas (flags after a lemma: xcomp, intro, fragment, intent).

    ``speech``: verbs whose subject reports a clause ("X said (that) ..."); the quotes analyzer attributes by them.
    ``xcomp``: speech verbs that also take an infinitive as content ("promised to cut taxes").
    ``intro``: verbs that cue only a quote right next to them ("pressed, ...", "continued: ..."), not a clause.
    ``fragment``: verbs that govern a quoted phrase but report no clause ("called him ...").
    ``attribution``: every lemma on the list: a claim next to any of them is attributed to someone (claims).
    ``intent``: verbs of desire and intention ("wants to join"): on the list, but no cue of speech (quotes).
    """
    speech: frozenset[str]
    xcomp: frozenset[str]
    intro: frozenset[str]
    fragment: frozenset[str]
    attribution: frozenset[str]
    intent: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=1)
def reporting_verbs() -> ReportingVerbs:
    speech: set[str] = set()
    xcomp: set[str] = set()
    intro: set[str] = set()
    fragment: set[str] = set()
    intent: set[str] = set()
    listed: list[str] = []
    for line in entries("reporting_verbs.txt"):
        lemma, *flags = line.split()
        lemma = lemma.lower()
        listed.append(lemma)
        if "intent" in flags:
            intent.add(lemma)
            continue
        if "intro" in flags:
            intro.add(lemma)
            continue
        (fragment if "fragment" in flags else speech).add(lemma)
        if "xcomp" in flags:
            xcomp.add(lemma)
    return ReportingVerbs(frozenset(speech), frozenset(xcomp), frozenset(intro), frozenset(fragment - speech),
                          frozenset(listed), frozenset(intent))


@functools.lru_cache(maxsize=1)
def known_places() -> dict[str, tuple[str, bool]]:
    """lexicons/places.txt: lower-case name -> (spaCy type, also a common person name)."""
    out = {}
    for line in entries("places.txt"):
        name, _, rest = line.partition("\t")
        fields = rest.split()
        out[name.strip().lower()] = (fields[0] if fields else "GPE", "ambiguous" in fields[1:])
    return out


# One word of capital letters: an agency, guild or party ("SAG", "NTSB", "WHO"), not a person's name.
ACRONYM = re.compile(r"[A-Z]{2,6}")


def never_a_person(name: str) -> bool:
    """A name no person has: a listed place that is never a person's name ("Kyiv"), or an acronym ("NTSB")."""
    if ACRONYM.fullmatch(name):
        return True
    listed = known_places().get(name.lower())
    return listed is not None and not listed[1]


@functools.lru_cache(maxsize=None)
def load_words(relpath: str) -> tuple[str, ...]:
    """Entries of lexicons/<relpath>, lower-cased, comments and blank lines dropped, order kept."""
    return tuple(dict.fromkeys(entry.lower() for entry in entries(relpath)))


def body_ranges(article: Any) -> list[tuple[int, int]]:
    """(start, end) of body blocks; the whole text when the blocks layer is empty or absent."""
    blocks = [b for b in article.get("blocks") if b.kind in BODY_KINDS]
    if not article.get("blocks"):
        return [(0, len(article.text))]
    return sorted((b.start, b.end) for b in blocks)


def in_ranges(pos: int, ranges: list[tuple[int, int]]) -> bool:
    """Is character offset ``pos`` inside one of the sorted, disjoint ``ranges``?"""
    i = bisect.bisect_right(ranges, (pos, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= pos < ranges[i][1]


def body_sentences(doc: Any, article: Any) -> list[Any]:
    """spaCy sentences cut to the body blocks: a sentence never runs from a title into a paragraph, and
    captions/credits between paragraphs are left out."""
    ranges = tuple(body_ranges(article))
    view = token_view(doc)
    found = view.body.get(ranges)
    if found is None:
        found = view.body[ranges] = _body_sentences(doc, view, ranges)
    return list(found)


def _body_sentences(doc: Any, view: "TokenView", ranges: Iterable[tuple[int, int]]) -> list[Any]:
    out = []
    starts, sents = view.sentences()
    for start, end in ranges:
        first = doc.char_span(start, end, alignment_mode="expand")
        if first is None or not len(first):
            continue
        k = bisect.bisect_right(starts, first.start) - 1  # every sentence holding a token of the block
        while k < len(sents) and sents[k].start < first.end:
            sent = sents[k]
            k += 1
            span = doc.char_span(max(sent.start_char, start), min(sent.end_char, end), alignment_mode="contract")
            if span is not None and len(span) and span.text.strip():
                out.append(span)
    return out


def quote_ranges(article: Any) -> list[tuple[int, int]]:
    """Character ranges of quoted words (quotes layer content + paired quotation marks), sorted and merged."""
    ranges = []
    for quote in article.get("quotes"):
        speaker = getattr(quote, "speaker", None)
        if speaker is not None and (speaker.text or "").lower() in AUTHOR_PRONOUNS:
            continue  # "I think X is right": the writer reporting their own view is the writer's voice
        content = getattr(quote, "content", None)
        if content is not None and content.start is not None:
            ranges.append((content.start, content.end))
    ranges.extend(paired_quotes(article.text))  # what QUOTED finds, in linear time
    return merge(ranges)


def merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def quoted_tokens(doc: Any, ranges: list[tuple[int, int]]) -> list[bool]:
    """One flag per token: does it sit inside a quoted range?"""
    flags = [False] * len(doc)
    for start, end in ranges:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                flags[i] = True
    return flags


class TokenView:
    """Lower-case form, lemma and part of speech of every token, read from spaCy once per document, and
    what is derived from the Doc alone (sentences, entities, body sentences, matcher start tokens)."""

    def __init__(self, doc: Any):
        self.doc = doc
        self.text: list[str] = []
        self.lower: list[str] = []
        self.lemma: list[str] = []
        self.pos: list[str] = []  # lower-cased: "propn", "verb"
        self.tag: list[str] = []
        self.ent_type: list[str] = []
        self.is_alpha: list[bool] = []
        self.is_space: list[bool] = []
        for t in doc:  # one pass: every Token object spaCy builds costs
            self.text.append(t.text)
            self.lower.append(t.lower_)
            self.lemma.append(t.lemma_.lower())
            self.pos.append(t.pos_.lower())
            self.tag.append(t.tag_)
            self.ent_type.append(t.ent_type_)
            self.is_alpha.append(t.is_alpha)
            self.is_space.append(t.is_space)
        self.body: dict[tuple, list[Any]] = {}  # body ranges -> body sentences
        self._sentences: Optional[tuple[list[int], list[Any]]] = None
        self._ents: Optional[list[tuple[int, int, str]]] = None
        self._starts: dict[Any, list[int]] = {}  # matcher -> tokens where one of its entries may start
        self._index: Optional[tuple[dict[str, list[int]], dict[str, list[int]]]] = None

    def sentences(self) -> tuple[list[int], list[Any]]:
        """(first token of each sentence, the sentence spans) of doc.sents."""
        if self._sentences is None:
            sents = list(self.doc.sents)
            self._sentences = ([s.start for s in sents], sents)
        return self._sentences

    def ents(self) -> list[tuple[int, int, str]]:
        """(start token, end token, label) of doc.ents, in order."""
        if self._ents is None:
            self._ents = [(e.start, e.end, e.label_) for e in self.doc.ents]
        return self._ents

    def ents_within(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The entities wholly inside tokens [start, end), as ``Span.ents`` gives them."""
        return [e for e in self.ents() if e[0] >= start and e[1] <= end]

    def starts(self, matcher: "LexiconMatcher") -> list[int]:
        """Sorted indices of the tokens at which ``matcher`` has a candidate entry (see its ``_candidates``)."""
        found = self._starts.get(matcher)
        if found is None:
            if "" in matcher.wild_by_head:
                found = list(range(len(self.lower)))
            else:
                by_key, by_head = self.index()
                hit: set[int] = set()
                for key in by_key.keys() & matcher.by_first.keys():
                    hit.update(by_key[key])
                for head in by_head.keys() & matcher.wild_by_head.keys():
                    hit.update(by_head[head])
                found = sorted(hit)
            self._starts[matcher] = found
        return found

    def index(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Tokens by every key ``LexiconMatcher._candidates`` looks up: lower, lemma, lower/pos, lemma/pos;
        and by the first three letters of lower and lemma (prefix entries)."""
        if self._index is None:
            by_key: dict[str, list[int]] = {}
            by_head: dict[str, list[int]] = {}
            for i, (lower, lemma, pos) in enumerate(zip(self.lower, self.lemma, self.pos)):
                for key in {lower, lemma, f"{lower}/{pos}", f"{lemma}/{pos}"}:
                    by_key.setdefault(key, []).append(i)
                for head in {lower[:3], lemma[:3]}:
                    by_head.setdefault(head, []).append(i)
            self._index = (by_key, by_head)
        return self._index


_VIEWS: dict[int, tuple[Any, TokenView]] = {}


def token_view(doc: Any) -> TokenView:
    """The TokenView of ``doc``, built once and reused while the same Doc object is alive."""
    hit = _VIEWS.get(id(doc))
    if hit is not None and hit[0] is doc:
        return hit[1]
    if len(_VIEWS) > 8:  # a few documents at a time; the pipeline runs one after another
        _VIEWS.clear()
    view = TokenView(doc)
    _VIEWS[id(doc)] = (doc, view)
    return view


class LexiconMatcher:
    """Finds lexicon entries (words, phrases, ``prefix*``, ``word/POS``) in a spaCy Doc by lower form or lemma."""

    def __init__(self, entries: Iterable[str]):
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        self.wild_by_head: dict[str, list[tuple[str, ...]]] = {}  # first 3 letters of a prefix entry
        for entry in entries:
            words = tuple(entry.split())
            if words[0].endswith("*"):  # a prefix shorter than 3 letters is checked at every token
                self.wild_by_head.setdefault(words[0][:3] if len(words[0]) > 3 else "", []).append(words)
            else:
                key = words[0]
                if "/" in key:
                    word, pos = key.rsplit("/", 1)
                    key = f"{word}/{pos.lower()}"
                    words = (key, *words[1:])
                self.by_first.setdefault(key, []).append(words)

    @staticmethod
    def _fits(word: str, view: TokenView, j: int) -> bool:
        if "/" in word:  # "right/adj": only with that part of speech
            word, pos = word.rsplit("/", 1)
            if view.pos[j] != pos:
                return False
        lower, lemma = view.lower[j], view.lemma[j]
        if word.endswith("*"):
            return lower.startswith(word[:-1]) or lemma.startswith(word[:-1])
        return word == lower or word == lemma

    def _at(self, view: TokenView, i: int, words: tuple[str, ...], stop: int) -> Optional[int]:
        j = i
        for word in words:
            if j >= stop or not self._fits(word, view, j):
                return None
            j += 1
        return j

    def _candidates(self, view: TokenView, i: int) -> list[tuple[str, ...]]:
        lower, lemma, pos = view.lower[i], view.lemma[i], view.pos[i]
        out = list(self.by_first.get(lower, ()))
        if lemma != lower:
            out += self.by_first.get(lemma, ())
        out += self.by_first.get(f"{lower}/{pos}", ())
        if lemma != lower:
            out += self.by_first.get(f"{lemma}/{pos}", ())
        if self.wild_by_head:
            out += self.wild_by_head.get("", ())
            out += self.wild_by_head.get(lower[:3], ())
            if lemma[:3] != lower[:3]:
                out += self.wild_by_head.get(lemma[:3], ())
        return out

    def find(self, doc: Any, start: int = 0, end: Optional[int] = None) -> list[tuple[int, int, str]]:
        """(token start, token end, entry) for each match in doc[start:end], longest match per start."""
        view = token_view(doc)
        stop = len(doc) if end is None else end
        starts = view.starts(self)  # tokens with no candidate entry cannot start a match
        hits = []
        for i in starts[bisect.bisect_left(starts, start):bisect.bisect_left(starts, stop)]:
            best = None
            for words in self._candidates(view, i):
                j = self._at(view, i, words, stop)
                if j is not None and (best is None or j > best[1]):
                    best = (i, j, " ".join(words))
            if best is not None:
                hits.append(best)
        return hits
