"""Layer ``quotes``: who said what — direct, partial and reported speech, plus quoted titles and scare quotes.

Cues, in the order they are tried for a span in quotation marks (every style: “ ” " « » „ and single
‘ ’ at top level; ‘ ’ and ' nest inside double marks and are left alone):

* where it sits: inside a caption/credit/boilerplate block (blocks layer) it is never speech —
  a title when title-cased, else a scare quote;
* an introduction before it: "X said:" (colon, also at the end of the previous paragraph), a "Name:" label,
  "X pressed, “…”" (reporting verb + comma), "See how X answered—" (dash at the end of the previous paragraph);
* an attribution after it: "“…,” X said." / "“…,” said X." / "“…” — X" / "“Why?” Ann asked." (a comma-ended
  quote followed by subject + verb counts even when the verb is not in the lexicon);
* a quote with no cue of its own right after an attributed one ("“A,” she said. “B.”") continues it;
* a reporting verb that governs it in the dependency parse (a quoted fragment inside reported speech = partial);
* context for a quote paragraph (or whole quoted sentence) with no cue: alternating interview turns once two
  speakers are established, then the source of a report in the previous sentence, then the last person
  introduced in it ("… was led by host X." + quote paragraph → X);
* what is left: a short title-cased phrase after "on"/"the"/a capitalised word or before "show"/"program" is a
  title, a short phrase in the author's own sentence is a scare quote.

Reported speech comes from the parse: a clausal complement (ccomp, or xcomp for verbs marked so) of a reporting
verb listed in lexicons/reporting_verbs.txt, its subject the source; "according to X, …" too.
Speakers are resolved to entities (entities layer): a name by mention overlap, a pronoun to the nearest preceding
person subject, a nominal ("the spokesman") to the entity holding that role.

Follows the cue/content/source decomposition of PARC (Pareti 2016) and PolNeAR (Newell et al., LREC 2018), and the
rule families of the Gender Gap Tracker quote extractor (Asr et al. 2021): syntactic reported speech, quote-mark
speech with adjacent verbs, and heuristic speaker assignment.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ..document import Document, Evidence, Quote, Span, Speaker
from ..lexicons import entries
from .shared import token_view

NAME = "quotes"
VERSION = "0.1.0"
REQUIRES = ("blocks", "entities")
ASSIGNS = ("quotes",)



@dataclass(frozen=True)
class Config:
    # A quoted phrase of at most this many words, title-cased, in a title position is a title ("The Late Show").
    max_title_words: int = 7
    # A quoted phrase of at most this many words inside the author's own sentence with no speech cue is a scare quote.
    max_scare_words: int = 5
    # How many tokens after a closing mark a ", X said" attribution may reach (long subjects: "the senator, a ...").
    after_cue_tokens: int = 12
    # How many tokens before an opening comma/colon a reporting verb may sit ("X once told him, “…").
    before_cue_tokens: int = 10
    # Confidence multiplier for a quote whose closing mark is missing.
    unclosed_factor: float = 0.6
    # Extract reported (indirect) speech from the parse.
    reported: bool = True
    # Reported content shorter than this many tokens is dropped (e.g. "he said so").
    min_reported_tokens: int = 3


# ----------------------------------------------------------------------------------------------- lexicons
@functools.lru_cache(maxsize=1)
def reporting_verbs() -> tuple[frozenset[str], frozenset[str]]:
    """(speech lemmas, lemmas that also take an infinitive xcomp as content)."""
    verbs, xcomp, _ = read_lexicon()
    return verbs, xcomp


@functools.lru_cache(maxsize=1)
def read_lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(speech lemmas, xcomp lemmas, fragment-only lemmas that govern a quoted phrase but report no clause).

    Lemmas marked "intro" ("continued:", "pressed,") cue only a quote right next to them; they are left out of
    the speech set used for parse-based attribution and kept in INTRO_ONLY.
    """
    verbs, xcomp, fragment = set(), set(), set()
    for line in entries("reporting_verbs.txt"):
        parts = line.split()
        lemma = parts[0].lower()
        if "intro" in parts[1:]:
            INTRO_ONLY.add(lemma)
            continue
        (fragment if "fragment" in parts[1:] else verbs).add(lemma)
        if "xcomp" in parts[1:]:
            xcomp.add(lemma)
    return frozenset(verbs), frozenset(xcomp), frozenset(fragment - verbs)


INTRO_ONLY: set[str] = set()  # filled from the lexicon: verbs that cue only an adjacent quote

# opener -> the characters that close it
# (mixed styles happen: '"Nothing we could do,” she said' opens straight and closes curly)
DOUBLE_CLOSERS = {"“": "”\"", "„": "“”", "«": "»", '"': '"”'}
SINGLE_CLOSERS = {"‘": "’"}
# The only characters at which find_marked can open a quote (it steps over every other one).
OPENING_MARK = re.compile("[" + re.escape("".join(DOUBLE_CLOSERS) + "‘") + "]")
NON_SPEECH_BLOCKS = {"caption", "credit", "boilerplate"}
# Words after which a title-cased quoted phrase names a work: 'on “The Late Show”', 'the “Late Show” program'.
TITLE_BEFORE = {"on", "the", "of", "in", "titled", "entitled", "called", "dubbed", "named", "from", "show", "program",
                "programme", "film", "book", "song", "album", "series", "movie", "newspaper", "magazine", "column", "hit"}
TITLE_AFTER = {"show", "program", "programme", "series", "film", "movie", "book", "song", "album", "podcast",
               "magazine", "newspaper", "column", "episode", "documentary", "interview", "article", "report", "play"}
SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "as", "is", "vs"}
PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "they": "n", "it": "n", "we": "n", "i": "n"}
PERSON_TYPES = {"PERSON", "PER"}
WORD = re.compile(r"\w+")
# A speaker label before a colon ('Clinton: “…”') is at most this many name tokens.
MAX_LABEL_TOKENS = 3
# How far back from a verb a subject the parser missed may sit ("Jake Sullivan, his adviser, said").
NOUN_BEFORE_TOKENS = 6
# After a quote that ends its sentence, a capitalised word may still start its attribution ('“Why?” Ann asked.'),
# but only a reporting verb within this many tokens counts.
NEW_SENTENCE_CUE_TOKENS = 4
# Text longer than this between two quotes is narration, not just an attribution ("…,” the senator said. “…").
MAX_ATTRIBUTION_CHARS = 100


# ----------------------------------------------------------------------------------------------- marked spans
@dataclass
class Marked:
    """A stretch of text in quotation marks: start/end include the marks; closed=False when the closing mark is missing."""

    start: int
    end: int
    content_start: int
    content_end: int
    closed: bool
    paragraphs: int = 1


def straight_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–―-/") and not after.isspace()


def next_paragraph_start(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def scan_one(text: str, i: int, closers: str, blocked: "Blocked") -> Marked:
    """Follow an opening mark at i to its closing mark, across paragraphs that reopen with the same mark."""
    opener = text[i]
    j, paragraphs = i + 1, 1
    fallback = None  # a ’ after sentence punctuation: a mistyped closing mark, used if no real one comes
    while j < len(text):
        ch = text[j]
        if ch == "’" and opener != '"' and text[j - 1] in ".,!?" and (j + 1 == len(text) or text[j + 1].isspace()):
            fallback = fallback or j
        if ch in closers and (ch != '"' or not straight_opens(text, j) or j + 1 == len(text)):
            return Marked(i, j + 1, i + 1, j, True, paragraphs)
        if ch == "\n":
            k = next_paragraph_start(text, j)
            if k < len(text) and text[k] == opener and not blocked.at(k):
                j, paragraphs = k + 1, paragraphs + 1  # English convention: the quote continues
                continue
            break
        if ch == opener and opener != '"' and ch not in closers:
            break  # a fresh opening mark: the earlier quote was never closed
        j += 1
    if fallback is not None and paragraphs == 1:
        return Marked(i, fallback + 1, i + 1, fallback, True, paragraphs)
    end = j
    while end > i + 1 and text[end - 1].isspace():
        end -= 1
    return Marked(i, end, i + 1, end, False, paragraphs)


def find_marked(text: str, blocked: "Blocked") -> list[Marked]:
    out: list[Marked] = []
    i = 0
    while i < len(text):
        found = OPENING_MARK.search(text, i)  # skip straight to the next character that may open a quote
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if ch in DOUBLE_CLOSERS and (ch != '"' or straight_opens(text, i)):
            marked = scan_one(text, i, DOUBLE_CLOSERS[ch], blocked)
            if marked.content_end > marked.content_start:
                out.append(marked)
            i = max(marked.end, i + 1)
            continue
        if ch == "‘" and (i == 0 or text[i - 1].isspace() or text[i - 1] in "([—–―-"):
            marked = scan_single(text, i)
            if marked is not None:
                out.append(marked)
                i = marked.end
                continue
        i += 1
    return out


def scan_single(text: str, i: int) -> Optional[Marked]:
    """Top-level single marks: ‘…’ closed by a ’ that is not an apostrophe (not followed by a letter)."""
    j = i + 1
    while j < len(text) and text[j] != "\n":
        if text[j] == "’" and (j + 1 == len(text) or not text[j + 1].isalpha()) and text[j - 1] != "s":
            return Marked(i, j + 1, i + 1, j, True) if j > i + 1 else None
        j += 1
    return None


class Blocked:
    """Character ranges of caption/credit/boilerplate blocks."""

    def __init__(self, article: Document):
        self.ranges = sorted((b.start, b.end) for b in article.get("blocks") if b.kind in NON_SPEECH_BLOCKS)
        self.starts = [r[0] for r in self.ranges]

    def at(self, pos: int) -> bool:
        k = bisect.bisect_right(self.starts, pos) - 1
        return k >= 0 and self.ranges[k][0] <= pos < self.ranges[k][1]


# ----------------------------------------------------------------------------------------------- context
@dataclass
class Context:
    doc: Any
    article: Document
    config: Config
    blocked: Blocked
    token_starts: list[int] = field(default_factory=list)
    mentions: list[tuple[int, int, Optional[str], str, str]] = field(default_factory=list)  # start, end, id, name, type
    mention_starts: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

    def token_at(self, char: int) -> Any:
        k = max(0, bisect.bisect_right(self.token_starts, char) - 1)
        return self.doc[k]

    def paragraph(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, len(self.text) if end < 0 else end


def build_context(doc: Any, article: Document, config: Config) -> Context:
    ctx = Context(doc, article, config, Blocked(article))
    ctx.token_starts = [t.idx for t in doc]
    mentions = []
    for entity in article.get("entities"):
        for m in entity.mentions:
            mentions.append((m.start, m.end, entity.id, entity.name, entity.type))
    if not mentions:  # no entities layer content: fall back to spaCy's named entities, without ids
        mentions = [(e.start_char, e.end_char, None, e.text, e.label_) for e in doc.ents]
    ctx.mentions = sorted(mentions)
    ctx.mention_starts = [m[0] for m in ctx.mentions]
    return ctx


def mention_over(ctx: Context, start: int, end: int) -> Optional[tuple]:
    """The entity mention overlapping [start, end) best (longest overlap)."""
    best, best_len = None, 0
    k = bisect.bisect_left(ctx.mention_starts, end)
    for m in ctx.mentions[max(0, k - 40):k]:
        overlap = min(end, m[1]) - max(start, m[0])
        if overlap > best_len:
            best, best_len = m, overlap
    return best


def entity_gender(ctx: Context, entity_id: Optional[str]) -> Optional[str]:
    """m/f when a pronoun inside this entity's mentions says so (cheap, and only when coref put it there)."""
    entity = ctx.article.entity(entity_id) if entity_id else None
    if entity is None:
        return None
    for m in entity.mentions:
        g = PRONOUNS.get(m.text.lower())
        if g in ("m", "f"):
            return g
    return None


def nearest_person_before(ctx: Context, pos: int, gender: Optional[str] = None) -> Optional[tuple]:
    """Nearest preceding PERSON mention, preferring one that is a sentence subject, within ~3 sentences."""
    k = bisect.bisect_left(ctx.mention_starts, pos)
    candidates = [m for m in ctx.mentions[max(0, k - 60):k]
                  if m[4] in PERSON_TYPES and m[1] <= pos and m[3].lower() not in PRONOUNS]
    sent_start = ctx.token_at(pos).sent.start
    window_start = ctx.doc[max(0, sent_start - 1)].sent.start
    window_start = ctx.doc[max(0, window_start - 1)].sent.start
    window_start_char = ctx.doc[window_start].idx
    scored = []
    for m in candidates:
        if gender and entity_gender(ctx, m[2]) not in (None, gender):
            continue
        tok = ctx.token_at(m[0])
        head = tok
        while head.dep_ == "compound" or head.dep_ == "flat":
            head = head.head
        subject = head.dep_ in ("nsubj", "nsubjpass")
        scored.append((m[0] >= window_start_char and subject, m[0], m))
    if not scored:
        return None
    return max(scored)[2]


def source_span(tok: Any) -> tuple[int, int]:
    """Character span of the source noun phrase headed by tok: names with their compounds, 'the spokesman'."""
    left, right = tok.i, tok.i
    for child in tok.children:
        if child.dep_ in ("compound", "flat", "det", "amod", "poss", "nmod") and child.i < tok.i:
            left = min(left, child.left_edge.i if child.dep_ != "det" else child.i)
        if child.dep_ in ("flat", "compound") and child.i > tok.i:
            right = max(right, child.i)
    doc = tok.doc
    while left < tok.i and doc[left].is_punct:
        left += 1
    return doc[left].idx, doc[right].idx + len(doc[right])


def resolve_speaker(ctx: Context, tok: Any, why: str) -> Speaker:
    """Speaker for a source token: entity by mention, pronoun by nearest person, nominal by role."""
    start, end = source_span(tok)
    text = ctx.text
    src = Span.of(text, start, end)
    lower = tok.text.lower()
    m = mention_over(ctx, tok.idx, tok.idx + len(tok)) or mention_over(ctx, start, end)
    if tok.pos_ == "PRON" or lower in PRONOUNS:
        if m is not None and m[2] is not None and m[4] in PERSON_TYPES and ctx.article.entity(m[2]) is not None \
                and ctx.article.entity(m[2]).name.lower() not in PRONOUNS:
            return Speaker(m[2], ctx.article.entity(m[2]).name, src.start, src.end, src.text, 0.8,
                           Evidence("quotes.speaker_coref", f"{why}; '{src.text}' is a mention of {m[3]} in the entities layer"))
        if lower in ("i", "we", "you", "it"):
            return Speaker(None, src.text, src.start, src.end, src.text, 0.4,
                           Evidence("quotes.speaker_unresolved", f"{why}; '{src.text}' is not resolved to a person"))
        person = nearest_person_before(ctx, start, PRONOUNS.get(lower) if PRONOUNS.get(lower) in ("m", "f") else None)
        if person is not None:
            return Speaker(person[2], person[3], src.start, src.end, src.text, 0.7,
                           Evidence("quotes.speaker_pronoun", f"{why}; '{src.text}' resolved to the nearest preceding "
                                                              f"person, {person[3]}"))
        return Speaker(None, src.text, src.start, src.end, src.text, 0.3,
                       Evidence("quotes.speaker_unresolved", f"{why}; no person precedes '{src.text}'"))
    if m is not None and (m[2] is not None or m[4] in PERSON_TYPES | {"ORG", "GPE", "NORP"}):
        name = m[3]
        return Speaker(m[2], name, src.start, src.end, src.text, 0.9,
                       Evidence("quotes.speaker_mention", f"{why}; the source '{src.text}' is a mention of {name}"))
    for appos in tok.children:  # "Peskov, the press secretary, ..." parsed the other way round
        if appos.dep_ == "appos":
            a_start, a_end = source_span(appos)
            am = mention_over(ctx, a_start, a_end)
            if am is not None:
                return Speaker(am[2], am[3], src.start, src.end, src.text, 0.8,
                               Evidence("quotes.speaker_appos", f"{why}; '{src.text}' is in apposition to {am[3]}"))
    role = entity_with_role(ctx, tok)
    if role is not None:
        return Speaker(role.id, role.name, src.start, src.end, src.text, 0.7,
                       Evidence("quotes.speaker_role", f"{why}; '{src.text}' is the role of {role.name}"))
    return Speaker(None, src.text, src.start, src.end, src.text, 0.6,
                   Evidence("quotes.speaker_text", f"{why}; the source '{src.text}' names no known entity"))


def entity_with_role(ctx: Context, tok: Any) -> Optional[Any]:
    """The entity whose roles mention this nominal head ('spokesman'), nearest before it."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    word = tok.lemma_.lower()
    best, best_pos = None, -1
    for entity in ctx.article.get("entities"):
        for role in entity.roles:
            if word in {w.lower() for w in WORD.findall(role.text)} and role.start < tok.idx and role.start > best_pos:
                best, best_pos = entity, role.start
    return best


def subject_of(verb: Any) -> Optional[Any]:
    """nsubj of a verb, inherited through conj/xcomp chains ("X arrived and said …")."""
    seen = 0
    while verb is not None and seen < 4:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                    return verb.head  # "people who say …": the antecedent speaks
                return child
        if verb.dep_ in ("conj", "xcomp", "advcl", "pcomp", "prep", "pobj") and verb.head is not verb:
            verb = verb.head
            seen += 1
            continue
        if verb.tag_ == "VBG" and verb.dep_ == "acl":
            # "She criticised the plan, adding, “…”": the parser hangs the participle on the object;
            # the speaker is the subject of the clause the object sits in.
            verb = verb.head
            while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb and seen < 6:
                verb = verb.head
                seen += 1
            seen += 1
            continue
        return None
    return None


def subject_near(ctx: Context, verb: Any) -> Optional[Any]:
    """The verb's subject when it sits in the verb's own paragraph outside captions; else the noun right before it.

    The parser sometimes runs a caption line into the next paragraph's sentence and hands the verb a subject from
    the caption; the nearest noun before the verb in its own paragraph is the better guess then.
    """
    subj = subject_of(verb)
    para_start, para_end = ctx.paragraph(verb.idx)
    if subj is not None and para_start <= subj.idx < para_end and not ctx.blocked.at(subj.idx) \
            and subj.ent_type_ not in ("DATE", "TIME"):
        return outside_parentheses(ctx, subj)
    for k in range(verb.i - 1, max(-1, verb.i - NOUN_BEFORE_TOKENS), -1):
        tok = ctx.doc[k]
        if tok.idx < para_start or tok.text in ("”", "“", '"', ".", ":"):
            break
        if tok.pos_ in ("PROPN", "NOUN", "PRON") and tok.ent_type_ not in ("DATE", "TIME"):
            while tok.dep_ in ("compound", "flat") and tok.head.i > tok.i and tok.head.i < verb.i:
                tok = tok.head
            return tok
        if tok.pos_ not in ("ADV", "AUX", "PART", "PUNCT"):
            break
    return None


def outside_parentheses(ctx: Context, tok: Any) -> Any:
    """'Sen. Ann Lee (D-MA) said': a subject found inside the parentheses stands for the name before them."""
    k = tok.i
    while k > 0 and k > tok.i - 4 and ctx.doc[k].text != "(":
        k -= 1
    if ctx.doc[k].text == "(" and k > 0 and ctx.doc[k - 1].pos_ == "PROPN":
        close = next((t for t in ctx.doc[tok.i:tok.i + 4] if t.text == ")"), None)
        if close is not None:
            return ctx.doc[k - 1]
    return tok


def is_reporting(tok: Any, adjacent: bool = False) -> bool:
    """A speech verb; with adjacent=True also the verbs that only cue a quote right next to them ("pressed,")."""
    verbs, _ = reporting_verbs()
    lemma = tok.lemma_.lower()
    return tok.pos_ in ("VERB", "AUX") and (lemma in verbs or (adjacent and lemma in INTRO_ONLY))


def governs_fragment(tok: Any) -> bool:
    """A speech verb, or a verb that characterises in quoted words ("called him “a loser”")."""
    return is_reporting(tok) or (tok.pos_ == "VERB" and tok.lemma_.lower() in read_lexicon()[2])


# ----------------------------------------------------------------------------------------------- cues
@dataclass
class Cue:
    kind: str  # colon | comma | after | dash | govern | previous_sentence | alternation
    cue: Optional[Span]
    speaker: Optional[Speaker]
    confidence: float
    why: str


def find_cue_before(ctx: Context, q: Marked) -> Optional[Cue]:
    """'X said: “…”', 'X pressed, “…”', or the previous paragraph ending in ':' or a dash."""
    text = ctx.text
    para_start, _ = ctx.paragraph(q.start)
    before = text[para_start:q.start].rstrip()
    if not before:
        prev_end = para_start - 1
        while prev_end > 0 and text[prev_end - 1].isspace():
            prev_end -= 1
        if prev_end <= 0 or ctx.blocked.at(prev_end - 1):
            return None
        before_end, last = prev_end, text[prev_end - 1]
        if last not in ":—–―-":
            return None
        where = "at the end of the previous paragraph"
    else:
        before_end, last = para_start + len(before), before[-1]
        if last not in ":,—–―":
            return None
        where = "before the quote"
    punct_pos = before_end - 1
    punct = ctx.token_at(punct_pos)
    verb = None
    for k in range(punct.i - 1, max(-1, punct.i - 1 - ctx.config.before_cue_tokens), -1):
        tok = ctx.doc[k]
        if tok.text in ("”", "“", '"', ".", "?", "!") or (tok.is_space and "\n" in tok.text):
            break
        if is_reporting(tok, adjacent=True):
            verb = tok
            break
    kind = "colon" if last == ":" else ("dash" if last in "—–―-" else "comma")
    if verb is None and kind == "colon":
        label = name_label(ctx, punct)
        if label is not None:
            why = f"introduced by the name label '{label.text}:'"
            return Cue("colon", Span.of(text, punct_pos, punct_pos + 1), resolve_speaker(ctx, label, why), 0.8, why)
    if verb is None:
        if kind == "comma":
            return None
        # a colon or dash with no reporting verb: the subject of the clause before it
        head = punct.head if punct.head.pos_ in ("VERB", "AUX") else punct.sent.root
        subj = subject_near(ctx, head) if head.pos_ in ("VERB", "AUX") else None
        if subj is None or subj.idx >= q.start or ctx.blocked.at(subj.idx):
            return None
        cue = Span.of(text, punct_pos, punct_pos + 1)
        speaker = resolve_speaker(ctx, subj, f"introduced by '{last}' {where}")
        return Cue(kind, cue, speaker, 0.75, f"introduced by '{last}' {where}")
    subj = subject_near(ctx, verb)
    if subj is None:
        subj = next((c for c in verb.children if c.dep_ in ("dobj", "attr") and c.i > verb.i
                     and c.pos_ in ("PROPN", "NOUN")), None)
    cue = Span.of(text, verb.idx, verb.idx + len(verb))
    why = f"introduced by '{verb.text}{last}' {where}"
    if subj is None:
        return Cue(kind, cue, None, 0.6, why)
    return Cue(kind, cue, resolve_speaker(ctx, subj, why), 0.9 if kind == "colon" else 0.85, why)


def name_label(ctx: Context, colon: Any) -> Optional[Any]:
    """'Clinton: “…”' / 'SEN. LEE: “…”': a short name alone before the colon (after a sentence end or line start)."""
    k = colon.i - 1
    names = []
    while k >= 0 and len(names) <= MAX_LABEL_TOKENS and ctx.doc[k].pos_ == "PROPN" and "\n" not in ctx.doc[k].text:
        names.append(ctx.doc[k])
        k -= 1
    if not names or len(names) > MAX_LABEL_TOKENS:
        return None
    before = ctx.doc[k] if k >= 0 else None
    if before is not None and not (before.is_space or before.text in (".", "!", "?", "”", '"')):
        return None
    return names[0]


def find_cue_after(ctx: Context, q: Marked) -> Optional[Cue]:
    """'“…,” X said.' / '“…,” said X.' / '“…” — X'."""
    text = ctx.text
    _, para_end = ctx.paragraph(q.end - 1)
    after = text[q.end:para_end]
    stripped = after.lstrip()
    if not stripped:
        return None
    offset = q.end + len(after) - len(stripped)
    if stripped[0] in "—–―" :
        tok = ctx.token_at(offset)
        nxt = ctx.doc[tok.i + 1] if tok.i + 1 < len(ctx.doc) else None
        if nxt is not None and nxt.pos_ == "PROPN":
            head = nxt
            while head.dep_ in ("compound", "flat") and head.head.i > head.i:
                head = head.head
            cue = Span.of(text, offset, offset + 1)
            return Cue("dash", cue, resolve_speaker(ctx, head, "attributed with a dash after the quote"), 0.8,
                       "attributed with a dash after the quote")
    first = ctx.token_at(offset)
    comma_ended = text[q.content_end - 1:q.content_end] in ",?!" or stripped[:1] == ","
    reach = ctx.config.after_cue_tokens
    if text[q.content_end - 1:q.content_end] in ".!?" and stripped[:1].isupper():
        reach = NEW_SENTENCE_CUE_TOKENS  # '“Who are they?” Trump said': only a verb right there attributes it
    for k in range(first.i, min(len(ctx.doc), first.i + reach)):
        tok = ctx.doc[k]
        if tok.idx >= para_end or tok.text in ("“", '"', "«", "„") or (tok.text in (".", "?", "!", ";") and k > first.i):
            break
        if is_reporting(tok, adjacent=True):
            subj = subject_near(ctx, tok)
            cue = Span.of(text, tok.idx, tok.idx + len(tok))
            why = f"attributed by '{tok.text}' after the quote"
            if subj is not None and subj.idx < q.end:
                subj = None  # the verb's subject sits before or inside the quote: not an after-attribution
            if subj is None:
                subj = noun_between(ctx, first.i, tok.i)
            if subj is None and all(ctx.doc[x].is_punct for x in range(first.i, tok.i)):
                # "…,” said X": the first name after the verb (parsed as dobj/attr sometimes)
                subj = next((c for c in tok.children if c.i > tok.i and c.pos_ in ("PROPN", "NOUN", "PRON")
                             and c.dep_ not in ("punct", "prep")), None)
            if subj is None:
                return None
            return Cue("after", cue, resolve_speaker(ctx, subj, why), 0.9, why)
        if tok.pos_ == "VERB" and comma_ended:
            # '“…,” exhorted X.' with a verb missing from the lexicon: a comma-ended quote followed by a clause
            # of subject + verb and nothing else is its attribution.
            return unlisted_verb_cue(ctx, q, first, tok)
    return None


def unlisted_verb_cue(ctx: Context, q: Marked, first: Any, verb: Any) -> Optional[Cue]:
    subj = noun_between(ctx, first.i, verb.i)
    if subj is None and all(ctx.doc[x].is_punct for x in range(first.i, verb.i)):
        subj = next((c for c in verb.children if c.i > verb.i and c.pos_ in ("PROPN", "NOUN")
                     and c.dep_ in ("nsubj", "dobj", "attr", "npadvmod")), None)
    if subj is None or subj.pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    end = verb.i + 1
    while end < len(ctx.doc) and ctx.doc[end].text not in (".", "!", "?", "“", '"', "\n") and end - verb.i < 12:
        end += 1
    if any(t.dep_ in ("ccomp", "dobj") and t.head.i == verb.i and t.i > verb.i and t.pos_ == "VERB"
           for t in ctx.doc[verb.i + 1:end]):
        return None
    cue = Span.of(ctx.text, verb.idx, verb.idx + len(verb))
    why = f"attributed by '{verb.text}' right after the comma-ended quote"
    return Cue("after", cue, resolve_speaker(ctx, subj, why), 0.75, why)


def noun_between(ctx: Context, first: int, verb: int) -> Optional[Any]:
    """Head of the first noun phrase between a closing mark and the verb after it ("…,” the senator said")."""
    for k in range(first, verb):
        tok = ctx.doc[k]
        if tok.pos_ in ("PROPN", "NOUN", "PRON"):
            while tok.dep_ in ("compound", "flat", "amod") and tok.head.i > tok.i and tok.head.i < verb:
                tok = tok.head
            return tok
    return None


def governing_verb(ctx: Context, q: Marked) -> Optional[Cue]:
    """A reporting verb in the same sentence whose subtree holds the quote (a quoted fragment of reported speech)."""
    tok = ctx.token_at(q.content_start)
    head, steps = tok, 0
    while head.head is not head and steps < 12:
        head = head.head
        steps += 1
        if governs_fragment(head) and not (head.idx >= q.start and head.idx < q.end):
            subj = subject_near(ctx, head)
            if subj is None or (q.start <= subj.idx < q.end):
                continue
            if subj.lower_ in ("i", "we"):
                return None
            cue = Span.of(ctx.text, head.idx, head.idx + len(head))
            why = f"inside what '{subj.text}' reports with '{head.text}'"
            return Cue("govern", cue, resolve_speaker(ctx, subj, why), 0.7, why)
    return None


# ----------------------------------------------------------------------------------------------- classify
def word_count(s: str) -> int:
    return len(WORD.findall(s))


def title_like(content: str, max_words: int) -> bool:
    words = content.strip().rstrip(".,!?").split()
    if not words or len(words) > max_words:
        return False
    significant = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(significant) and all(w[:1].isupper() or not w[:1].isalpha() for w in significant)


def title_position(ctx: Context, q: Marked) -> bool:
    text = ctx.text
    prev = re.findall(r"[\w’']+", text[max(0, q.start - 30):q.start])
    nxt = re.findall(r"\w+", text[q.end:q.end + 30])
    prev_word = prev[-1] if prev else ""
    next_word = nxt[0].lower() if nxt else ""
    return (prev_word.lower() in TITLE_BEFORE or next_word in TITLE_AFTER
            or (prev_word[:1].isupper() and q.start > 0 and text[q.start - 1] == " "
                and text[max(0, q.start - 2)] not in ".:,"))


def is_fragment(ctx: Context, q: Marked) -> bool:
    """Opening mark right after a word of the same sentence (not after , : — or a sentence end)."""
    text = ctx.text
    k = q.start - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    if k < 0 or text[k] == "\n":
        return False
    return text[k].isalnum() or text[k] in "’'%)"


def standalone(ctx: Context, q: Marked) -> bool:
    para_start, _ = ctx.paragraph(q.start)
    _, para_end = ctx.paragraph(q.end - 1)
    return not ctx.text[para_start:q.start].strip() and not ctx.text[q.end:para_end].strip(" \t.,")


def classify(ctx: Context, q: Marked, history: list[Said]) -> tuple[str, Optional[Cue]]:
    """(kind, cue) for one marked span."""
    cfg = ctx.config
    content = ctx.text[q.content_start:q.content_end]
    if ctx.blocked.at(q.start):
        return ("title" if title_like(content, cfg.max_title_words) else "scare"), None
    fragment = is_fragment(ctx, q)
    cue = None if fragment else find_cue_before(ctx, q)
    cue = cue or find_cue_after(ctx, q)
    if fragment:
        if cue is not None and cue.kind == "after" and word_count(content) > cfg.max_scare_words:
            return "partial", cue
        if title_like(content, cfg.max_title_words) and title_position(ctx, q):
            return "title", None
        governed = governing_verb(ctx, q)
        if governed is not None:
            return "partial", governed
        if word_count(content) <= cfg.max_scare_words or cue is None:
            return "scare", None
        return "partial", cue
    if cue is None and title_like(content, cfg.max_title_words) and title_position(ctx, q) \
            and not content.rstrip().endswith(("?", "!", ".")):
        return "title", None
    if cue is None:
        cue = context_speaker(ctx, q, history)
    if cue is None:
        cue = governing_verb(ctx, q)
    if cue is None and word_count(content) <= cfg.max_scare_words and not content.rstrip().endswith((".", "?", "!")):
        return ("title" if title_like(content, cfg.max_title_words) else "scare"), None
    return "direct", cue


def context_speaker(ctx: Context, q: Marked, history: list["Said"]) -> Optional[Cue]:
    """A quote with no cue: interview turns, a continuation of the previous quote, or the person introduced in the
    previous sentence."""
    alone = standalone(ctx, q)
    last = history[-1] if history else None
    if last is not None and last.speaker is not None and not only_quotes_between(ctx, last, q):
        last = None
    if alone and last is not None and len(history) >= 2 and history[-2].turn and last.turn:
        a, b = history[-2].speaker, last.speaker
        if a is not None and a.name and speaker_key(a) != speaker_key(b):
            sp = Speaker(a.entity, a.name, None, None, None, 0.7, Evidence(
                "quotes.interview_turn", f"interview turns alternate: {b.name} spoke last, so {a.name} answers"))
            return Cue("alternation", None, sp, 0.7, f"interview turns alternate between {a.name} and {b.name}")
    if last is not None and last.speaker is not None:
        sp = last.speaker
        why = f"continues the quote of {sp.name} just before it"
        return Cue("continuation", last.cue.cue if last.cue else None,
                   Speaker(sp.entity, sp.name, sp.start, sp.end, sp.text, sp.confidence,
                           Evidence("quotes.continuation", why)), 0.75, why)
    if not (alone or starts_sentence(ctx, q)):
        return None
    prev = previous_sentence(ctx, q.start)
    if prev is None:
        return None
    reported = reporter_in(ctx, prev)
    if reported is not None:
        return reported
    people = [m for m in ctx.mentions if prev[0] <= m[0] < prev[1] and m[4] in PERSON_TYPES
              and m[3].lower() not in PRONOUNS]
    if not people:
        return None
    m = people[-1]
    sentence = ctx.text[prev[0]:prev[1]].strip()
    short_ = sentence if len(sentence) <= 90 else "…" + sentence[-80:]
    why = f"speaker introduced in the previous sentence: '{short_}'"
    sp = Speaker(m[2], m[3], m[0], m[1], ctx.text[m[0]:m[1]], 0.65, Evidence("quotes.previous_sentence", why))
    return Cue("previous_sentence", None, sp, 0.65, why)


@dataclass
class Said:
    """A direct quote already classified: where, who, how it was cued, and whether it is an interview-like turn."""

    marked: Marked
    speaker: Optional[Speaker]
    cue: Optional[Cue]
    turn: bool


def starts_sentence(ctx: Context, q: Marked) -> bool:
    """A whole sentence in quotation marks, after another sentence of the same paragraph."""
    k = q.start - 1
    while k >= 0 and ctx.text[k] in " \t\u00a0":
        k -= 1
    return k >= 0 and ctx.text[k] in ".!?”\"" and ctx.text[q.content_end - 1:q.content_end] in ".!?"


def reporter_in(ctx: Context, sent: tuple[int, int]) -> Optional[Cue]:
    """The source of the last reporting verb of a sentence ('She said his record doesn't fly.')."""
    tokens = [t for t in ctx.doc[ctx.token_at(sent[0]).i:ctx.token_at(max(sent[0], sent[1] - 1)).i + 1]]
    for verb in reversed(tokens):
        if not is_reporting(verb):
            continue
        subj = subject_near(ctx, verb)
        if subj is None or not (sent[0] <= subj.idx < sent[1]):
            continue
        why = f"speaker of the report '{subj.text} … {verb.text}' in the previous sentence"
        speaker = resolve_speaker(ctx, subj, why)
        if speaker.entity is None and (speaker.text or "").lower() in PRONOUNS:
            continue
        return Cue("previous_sentence", None, speaker, 0.6, why)
    return None


def speaker_key(s: Speaker) -> str:
    return s.entity or (s.name or "").lower()


def only_quotes_between(ctx: Context, said: "Said", q: Marked) -> bool:
    """Only an attribution ("he said.") or captions between the last quote and this one, at most a paragraph apart."""
    prev = said.marked
    gap = ctx.text[prev.end:q.start]
    cue = said.cue.cue if said.cue else None
    if "\n" not in gap and cue is not None and prev.end <= cue.start < q.start and gap.count(". ") <= 1:
        return True  # '“…,” X told Reuters in an interview when asked about it. “…”': the gap is the attribution
    if gap.count("\n") and any(line.strip() and not ctx.blocked.at(prev.end + gap.index(line))
                               for line in gap.split("\n")[1:]):
        return False  # a paragraph of narration sits between them
    first_line = gap.split("\n")[0]
    return len(first_line.strip()) < MAX_ATTRIBUTION_CHARS


def previous_sentence(ctx: Context, pos: int) -> Optional[tuple[int, int]]:
    """(start, end) of the last sentence before pos, clipped to its paragraph, skipping caption/credit/boilerplate."""
    text = ctx.text
    para_start, _ = ctx.paragraph(pos)
    before = text[para_start:pos]
    if before.strip():  # an earlier sentence in the same paragraph
        end = para_start + len(before.rstrip())
    else:
        end = para_start
        while True:
            end = end - 1
            while end > 0 and text[end - 1].isspace():
                end -= 1
            if end <= 0:
                return None
            if not ctx.blocked.at(end - 1):
                break
            end = ctx.paragraph(end - 1)[0]
    p_start, _ = ctx.paragraph(end - 1)
    sent = ctx.token_at(end - 1).sent
    start = max(p_start, sent.start_char)
    return (start, end) if end > start else None


# ----------------------------------------------------------------------------------------------- reported speech
def find_reported(ctx: Context, taken: list[tuple[int, int]],
                  direct: list[tuple[int, int]] = ()) -> list[tuple[Span, Span, Speaker, str, float]]:
    """Clausal complements of reporting verbs and 'according to X' clauses: (content, cue, speaker, rule, conf).

    Each verb is tried on its own: a parse oddity loses that one report, never the document."""
    out = []
    view = token_view(ctx.doc)  # token forms read once per Doc
    # report_of finds nothing at a token that is neither 'according' nor a verb (speech verbs and verbs that
    # characterise in quoted words are VERB/AUX): only those become Token objects and are tried
    for tok in (ctx.doc[i] for i, (lower, pos) in enumerate(zip(view.lower, view.pos))
                if lower == "according" or pos in ("verb", "aux")):
        try:
            item = report_of(ctx, tok, taken, direct)
        except Exception:  # degrade per item
            item = None
        if item is not None:
            out.append(item)
    return out


def report_of(ctx: Context, tok: Any, taken: list[tuple[int, int]],
              direct: list[tuple[int, int]]) -> Optional[tuple[Span, Span, Speaker, str, float]]:
    _, xcomp_ok = reporting_verbs()
    doc, text = ctx.doc, ctx.text
    if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
        item = according_to(ctx, tok)
        if item is None:
            return None
        start, end = stop_at_direct(ctx, direct, item[0].start, item[0].end)
        return (Span.of(text, start, end),) + item[1:] if end - start >= 2 else None
    if inside(taken, tok.idx):
        return None
    if is_reporting(tok):
        comps = [c for c in tok.children if c.dep_ == "ccomp" or (c.dep_ == "xcomp" and tok.lemma_.lower() in xcomp_ok)]
    elif governs_fragment(tok):
        comps = [fragment_complement(tok, taken)]
    else:
        return None
    if not comps or comps[0] is None:
        return None
    subj = subject_near(ctx, tok)
    if subj is None:
        return None
    comp = comps[0]
    left, right = comp.left_edge.i, comp.right_edge.i
    if comp.i > tok.i:  # material the parser hung on the verb after the clause still belongs to what was said
        right = max(right, min(tok.right_edge.i, tok.sent.end - 1))
    right = extend_into_quote(ctx, taken, right)
    bounds = clause_chars(ctx, left, right, skip_marks=True)
    if bounds is None:
        return None
    start, end = clip_to_paragraph(ctx, tok.idx, *bounds)
    start, end = stop_at_direct(ctx, direct, start, end)
    if end - start < 2 or ctx.blocked.at(start) or within_quote(taken, start, end):
        return None
    why = (f"clause reported by '{subj.text} … {tok.text}'" if subj.i < tok.i
           else f"clause reported by '{tok.text} {subj.text}'")
    speaker = resolve_speaker(ctx, subj, why)
    return (Span.of(text, start, end), Span.of(text, tok.idx, tok.idx + len(tok)), speaker,
            "quotes.reported_ccomp" if comp.dep_ == "ccomp" else "quotes.reported_xcomp", 0.7)


def fragment_complement(verb: Any, taken: list[tuple[int, int]]) -> Optional[Any]:
    """For 'called him “a total stiff”': the object whose subtree holds a quoted phrase (the quoted words are what
    was said; the object is reported with them)."""
    for child in verb.children:
        if child.i > verb.i and child.dep_ in ("dobj", "oprd", "prep", "xcomp", "ccomp", "attr", "pcomp"):
            lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
            if any(lo <= s < hi for s, _ in taken):
                return child
    return None


def extend_into_quote(ctx: Context, taken: list[tuple[int, int]], right: int) -> int:
    """A reported clause that ends inside quotation marks ends at the closing mark instead."""
    end_char = ctx.doc[right].idx
    for s, e in taken:
        if s <= end_char < e:
            k = right
            while k + 1 < len(ctx.doc) and ctx.doc[k + 1].idx < e:
                k += 1
            return k
    return right


def clause_chars(ctx: Context, left: int, right: int, skip_marks: bool = False) -> Optional[tuple[int, int]]:
    """Character bounds of tokens left..right without edge punctuation (and a leading 'that' when skip_marks);
    None when fewer than min_reported_tokens remain."""
    doc = ctx.doc
    while left <= right and ((skip_marks and doc[left].dep_ == "mark") or doc[left].is_punct or doc[left].is_space):
        left += 1
    while right >= left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    if right - left + 1 < ctx.config.min_reported_tokens:
        return None
    return doc[left].idx, doc[right].idx + len(doc[right])


def according_to(ctx: Context, tok: Any) -> Optional[tuple]:
    to = next(c for c in tok.children if c.lower_ == "to")
    src = next((c for c in to.children if c.dep_ == "pobj"), None)
    if src is None:
        return None
    sent = tok.sent
    phrase = (tok.left_edge.i, tok.right_edge.i)
    before = (sent.start, phrase[0] - 1)
    after = (phrase[1] + 1, sent.end - 1)
    left, right = max([before, after], key=lambda r: r[1] - r[0])
    bounds = clause_chars(ctx, left, right)
    if bounds is None:
        return None
    start, end = bounds
    if ctx.blocked.at(start):
        return None
    cue_end = to.idx + len(to)
    why = f"attributed with '{ctx.text[tok.idx:cue_end]} {src.text}'"
    speaker = resolve_speaker(ctx, src, why)
    return (Span.of(ctx.text, start, end), Span.of(ctx.text, tok.idx, cue_end), speaker, "quotes.according_to", 0.75)


def inside(ranges: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in ranges)


def stop_at_direct(ctx: Context, direct: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """A reported clause ends where a direct quote with its own attribution begins ('…, saying, “…”')."""
    for s, e in direct:
        if s <= start < e:
            return start, start  # starts inside a direct quote: not a separate report
        if start < s < end:
            end = s
    text = ctx.text
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–―-"):
        end -= 1
    return start, end


def within_quote(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """[start, end) lies inside one quotation (marks included): it is that direct quote, not reported speech."""
    return any(s <= start and end <= e + 1 for s, e in ranges)


def clip_to_paragraph(ctx: Context, anchor: int, start: int, end: int) -> tuple[int, int]:
    """Keep a reported clause inside the paragraph of its verb (the parser runs sentences over line breaks)."""
    para_start, para_end = ctx.paragraph(anchor)
    start, end = max(start, para_start), min(end, para_end)
    text = ctx.text
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


# ----------------------------------------------------------------------------------------------- analyze
# Cues that make a quote an interview-like turn (introduced before it, or by context), for alternation.
TURN_CUES = {"colon", "comma", "dash", "previous_sentence", "alternation"}
RULE_BY_CUE = {"continuation": "quotes.continuation", "colon": "quotes.colon_intro", "comma": "quotes.comma_intro", "dash": "quotes.dash_intro",
               "after": "quotes.after_attribution", "govern": "quotes.governed_fragment",
               "previous_sentence": "quotes.previous_sentence", "alternation": "quotes.interview_turn"}


def analyze(doc: Any, article: Document, config: Config) -> dict[str, list[Quote]]:
    ctx = build_context(doc, article, config)
    text = article.text
    records: list[tuple[int, dict]] = []
    history: list[Said] = []
    # Quote marks around nothing but whitespace ("“ ”") quote nothing: skip them, they have no content span.
    marked = [q for q in find_marked(text, ctx.blocked) if text[q.content_start:q.content_end].strip()]
    for q in marked:
        try:
            kind, cue = classify(ctx, q, history)
        except Exception:  # degrade per quote: a parse oddity must not lose the document
            kind, cue = "direct", None
        records.append((q.start, build_quote(ctx, q, kind, cue)))
        if kind == "direct":
            turn = cue is not None and cue.kind in TURN_CUES
            history.append(Said(q, cue.speaker if cue else None, cue, turn))
    if config.reported:
        taken = [(q.start, q.end) for q in marked]
        direct = [(r["start"], r["end"]) for _, r in records if r["kind"] == "direct"]
        for content, cue, speaker, rule, conf in find_reported(ctx, taken, direct):
            records.append((content.start, dict(kind="reported", start=content.start, end=content.end, text=content.text,
                                                content=content, cue=cue, speaker=speaker, confidence=conf,
                                                evidence=Evidence(rule, speaker.evidence.why if speaker.evidence else rule))))
    records.sort(key=lambda r: r[0])
    return {"quotes": [Quote(id=f"q{i + 1}", **fields) for i, (_, fields) in enumerate(records)]}


def build_quote(ctx: Context, q: Marked, kind: str, cue: Optional[Cue]) -> dict:
    text = ctx.text
    cs, ce = q.content_start, q.content_end
    while cs < ce and text[cs].isspace():
        cs += 1
    while ce > cs and text[ce - 1].isspace():
        ce -= 1
    content = Span.of(text, cs, ce)
    if kind in ("title", "scare"):
        where = "in a caption/credit block" if ctx.blocked.at(q.start) else "with no speech cue"
        what = "a title-cased name of a work" if kind == "title" else "a short phrase in the author's own sentence"
        confidence, evidence = 0.7, Evidence(f"quotes.{kind}", f"“{short(content.text)}” is {what}, {where}")
        speaker, cue_span = None, None
    elif cue is None:
        confidence, speaker, cue_span = 0.4, None, None
        evidence = Evidence("quotes.no_cue", f"quoted speech “{short(content.text)}” has no reporting verb or speaker nearby")
    else:
        confidence, speaker, cue_span = cue.confidence, cue.speaker, cue.cue
        evidence = Evidence(RULE_BY_CUE[cue.kind], cue.why)
    if not q.closed:
        confidence *= ctx.config.unclosed_factor
        evidence = Evidence(evidence.by + "+unclosed", evidence.why + "; the closing quotation mark is missing, so the "
                                                                      "quote is taken to run to the end of its paragraph")
    if q.paragraphs > 1:
        evidence = Evidence(evidence.by, evidence.why + f"; the quote runs over {q.paragraphs} paragraphs")
    return dict(kind=kind, start=q.start, end=q.end, text=text[q.start:q.end], content=content, cue=cue_span,
                speaker=speaker, confidence=round(confidence, 3), evidence=evidence)


def short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
