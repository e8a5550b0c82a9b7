"""Evaluate the ``entities`` layer against GUM coreference gold (CoNLL, ``gum`` scheme).

Rules (printed with the results):

* Text: the gold tokens joined by single spaces, except no space before closing punctuation
  (``. , ; : ! ? ) ] %`` and clitics ``'s n't``) or after ``( [ $``. The pipeline runs blocks + entities on it.
* Gold *named* mentions: GUM mentions of type person, organization or place whose words — after leading
  lower-case words ("the", "all", "interviewee"; but not when one of them links a common-noun head, as in
  "children in mainland Australia") and a trailing "'s" — all start with a capital letter (glue words
  of/the/and/&/de/von… aside), that are not pronouns nor only titles ("the President", "Madam Speaker",
  lexicons/titles.txt), at most 8 tokens long, and — for a one-token name at
  the start of a sentence — whose lower-case form never occurs in the document ("Researchers say").
* Predictions: the mentions of our PERSON / ORG / GPE / LOC / FAC / NORP entities. A NORP prediction that
  matches no gold named mention is not counted (GUM never marks an adjectival "Indian" on its own).
* Alignment: a prediction matches a gold mention when their token spans overlap and end on the same token,
  a trailing possessive or an apposition after a comma of the gold aside (names are head-final: "President Obama" ~ "Obama",
  "the United States" ~ "United States", "Trump 's" ~ "Trump"); pairs are made one-to-one, tightest
  (highest token overlap ratio) first, so nested gold mentions ending on one token pair correctly. A prediction that matches no gold named mention is a false positive,
  except an unmatched NORP prediction (not counted, see above).
* Mention detection: precision, recall, F1 of predictions vs gold named mentions.
* Clustering, over matched gold named mentions: B³ precision/recall/F1 (Bagga & Baldwin 1998) and pairwise
  link precision/recall/F1, each gold mention's predicted cluster being its prediction's entity id.
"""
from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..analyzers.entities import is_honorific, is_title_word
from ..errors import InputError
from .metrics import prf

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "entities" / "gum_news" / "gum" / "dev"
GOLD_TYPES = {"person", "organization", "place"}
PRED_TYPES = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "%", "'s", "’s", "n't", "'", "'re", "'ve", "'ll", "'m", "'d"}
NO_SPACE_AFTER = {"(", "[", "$"}
GLUE = {"of", "the", "and", "&", "de", "del", "della", "da", "van", "von", "der", "den", "du", "la", "le", "al", "bin",
        "for", "on", "in", "at", "-", "'s", "’s", "."}
PRONOUNS = {"i", "we", "you", "he", "she", "it", "they", "me", "us", "him", "her", "them", "my", "our", "your",
            "his", "its", "their", "mine", "ours", "yours", "hers", "theirs", "myself", "ourselves", "yourself",
            "himself", "herself", "itself", "themselves", "this", "that", "these", "those", "who", "which"}
# Lower-case words that link a common-noun head to a name after it: such a mention is not a name.
LINKING = {"in", "of", "at", "on", "for", "from", "with", "by", "to", "called", "named", "like", "including", "and", "or"}
SENTENCE_END = {".", "!", "?", '"', "''", "``", ":"}
MAX_NAME_TOKENS = 8
PIECE_RE = re.compile(r"\(|\)|[^()]+")
LABEL_RE = re.compile(r"(?:([a-z]+)-)?(\d+)")


@dataclass
class GoldMention:
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    type: str
    entity: str


@dataclass
class GoldDoc:
    name: str
    tokens: list[str] = field(default_factory=list)
    mentions: list[GoldMention] = field(default_factory=list)


def parse_column(col: str, tok: int, stack: list[tuple[str, str, int]], out: list[GoldMention]) -> None:
    """Apply one token's bracket column ("(person-1(place-2)", "person-1)") to the open-mention stack."""
    if col in ("_", ""):
        return
    pieces = PIECE_RE.findall(col)
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        if piece == "(" and i + 1 < len(pieces):
            m = LABEL_RE.match(pieces[i + 1])
            etype, eid = (m.group(1) or "", m.group(2)) if m else ("", pieces[i + 1])
            stack.append((eid, etype, tok))
            i += 2
            if i < len(pieces) and pieces[i] == ")":
                close(eid, tok, stack, out)
                i += 1
        elif piece not in ("(", ")") and i + 1 < len(pieces) and pieces[i + 1] == ")":
            m = LABEL_RE.match(piece)
            close(m.group(2) if m else piece, tok, stack, out)
            i += 2
        else:
            i += 1


def close(eid: str, tok: int, stack: list[tuple[str, str, int]], out: list[GoldMention]) -> None:
    for j in range(len(stack) - 1, -1, -1):
        if stack[j][0] == eid:
            _, etype, start = stack.pop(j)
            out.append(GoldMention(start, tok + 1, etype, eid))
            return


def read_conll(path: Path) -> GoldDoc:
    doc = GoldDoc(path.stem)
    stack: list[tuple[str, str, int]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        tok = len(doc.tokens)
        doc.tokens.append(cols[1])
        parse_column(cols[2] if len(cols) > 2 else "_", tok, stack, doc.mentions)
    return doc


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    parts, offsets, pos = [], [], 0
    for i, tok in enumerate(tokens):
        if i > 0 and tok not in NO_SPACE_BEFORE and tokens[i - 1] not in NO_SPACE_AFTER:
            parts.append(" ")
            pos += 1
        offsets.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
    return "".join(parts), offsets


def core_end(m: GoldMention, doc: GoldDoc) -> int:
    """The mention's end without a trailing possessive or punctuation ("Trump 's" ends at "Trump"), or an
    apposition or relative clause after a comma ("Mark Tedeschi , QC" ends at "Tedeschi")."""
    end = m.end
    for i in range(m.start + 1, m.end):  # "Mark Tedeschi , QC", "Jason , who is our editor": the name ends first
        if doc.tokens[i] in (",", "[", "(", "-LRB-"):
            end = i
            break
    while end - 1 > m.start and (doc.tokens[end - 1] in ("'s", "’s", "'") or not re.search(r"\w", doc.tokens[end - 1])):
        end -= 1
    return end


def is_named(m: GoldMention, doc: GoldDoc, lower_vocab: set[str]) -> bool:
    if m.type not in GOLD_TYPES:
        return False
    toks = doc.tokens[m.start:core_end(m, doc)]
    lead = 0
    while lead < len(toks) and toks[lead][:1].islower() and toks[lead].lower() not in LINKING:
        lead += 1  # "the", "all", "interviewee" before the name; not "children in mainland Australia"
    if lead < len(toks) and toks[lead].lower() in LINKING:
        lead = 0
    toks = toks[lead:]
    content = [t for t in toks if t.lower() not in GLUE and re.search(r"\w", t)]
    if not content or len(toks) > MAX_NAME_TOKENS:
        return False
    if any(not t[0].isupper() for t in content) or (len(content) == 1 and content[0].lower() in PRONOUNS):
        return False
    if all(is_title_word(t) or is_honorific(t) for t in content):
        return False  # "the President", "Madam Speaker", "Senators": titles used as names, not proper names
    if len(content) == 1:
        first = core_end(m, doc) - 1
        sentence_start = first == 0 or doc.tokens[first - 1] in SENTENCE_END
        if sentence_start and content[0].lower() in lower_vocab:
            return False
    return True


def token_span(offsets: list[tuple[int, int]], start: int, end: int) -> Optional[tuple[int, int]]:
    toks = [i for i, (s, e) in enumerate(offsets) if s < end and start < e]
    return (toks[0], toks[-1] + 1) if toks else None


def score_document(gold: GoldDoc, document: Any) -> dict[str, Any]:
    lower_vocab = {t for t in gold.tokens if t.islower()}
    named = [m for m in gold.mentions if is_named(m, gold, lower_vocab)]
    _, offsets = detokenize(gold.tokens)
    preds = []  # (tok_start, tok_end, entity id, type)
    for ent in document.get("entities"):
        if ent.type not in PRED_TYPES:
            continue
        for mention in ent.mentions:
            span = token_span(offsets, mention.start, mention.end)
            if span:
                preds.append((span[0], span[1], ent.id, ent.type))
    preds.sort()
    matched: dict[int, int] = {}  # named gold index -> pred index
    used: set[int] = set()
    candidates = []  # (overlap ratio, gold index, pred index): tightest pairs first
    for gi, g in enumerate(named):
        for pi, p in enumerate(preds):
            if p[0] < g.end and g.start < p[1] and p[1] == core_end(g, gold):
                inter = min(p[1], g.end) - max(p[0], g.start)
                candidates.append((inter / (max(p[1], g.end) - min(p[0], g.start)), gi, pi))
    for _, gi, pi in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if gi not in matched and pi not in used:
            matched[gi] = pi
            used.add(pi)
    false_pos = 0
    for pi, p in enumerate(preds):
        if pi in used:
            continue
        if p[3] == "NORP":
            continue  # GUM marks no adjectival "Indian"/"Australian" on its own: an unmatched NORP is not an error
        false_pos += 1
    pairs = [(named[gi].entity, preds[pi][2]) for gi, pi in matched.items()]
    return {"gold": len(named), "tp": len(matched), "fp": false_pos, "pairs": pairs}


def b_cubed(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    if not pairs:
        return 0.0, 0.0
    p_sum = r_sum = 0.0
    for gold_id, pred_id in pairs:
        same_gold = [q for q in pairs if q[0] == gold_id]
        same_pred = [q for q in pairs if q[1] == pred_id]
        both = sum(1 for q in same_gold if q[1] == pred_id)
        p_sum += both / len(same_pred)
        r_sum += both / len(same_gold)
    return p_sum / len(pairs), r_sum / len(pairs)


def pairwise(pairs: list[tuple[str, str]]) -> tuple[int, int, int]:
    """(links in both, predicted links, gold links) over all mention pairs."""
    both = pred = gold = 0
    for a, b in itertools.combinations(pairs, 2):
        same_gold, same_pred = a[0] == b[0], a[1] == b[1]
        both += same_gold and same_pred
        pred += same_pred
        gold += same_gold
    return both, pred, gold


def evaluate(data: Optional[Path] = None, pipeline: Any = None, limit: Optional[int] = None) -> dict[str, Any]:
    folder = Path(data) if data is not None else DEFAULT_DATA
    if not folder.is_dir():
        raise InputError("E90", f"GUM folder {str(folder)!r} does not exist",
                         "pass --data pointing at a folder of GUM .conll files (e.g. ../shared/data/entities/gum_news/gum/dev)")
    files = sorted(folder.glob("*.conll"))[:limit] if limit else sorted(folder.glob("*.conll"))
    if not files:
        raise InputError("E91", f"no .conll files in {str(folder)!r}", "point --data at a GUM coref/conll folder")
    if pipeline is None:
        import presslens

        pipeline = presslens.load(analyzers=["blocks", "entities"])
    t0 = time.perf_counter()
    tp = fp = gold_n = 0
    b3_p = b3_r = 0.0
    link_both = link_pred = link_gold = 0
    per_doc = []
    n_pairs = 0
    for path in files:
        gold = read_conll(path)
        text, _ = detokenize(gold.tokens)
        document = pipeline.analyze(text, id=gold.name)
        s = score_document(gold, document)
        tp, fp, gold_n = tp + s["tp"], fp + s["fp"], gold_n + s["gold"]
        bp, br = b_cubed(s["pairs"])
        b3_p, b3_r, n_pairs = b3_p + bp * len(s["pairs"]), b3_r + br * len(s["pairs"]), n_pairs + len(s["pairs"])
        lb, lp, lg = pairwise(s["pairs"])
        link_both, link_pred, link_gold = link_both + lb, link_pred + lp, link_gold + lg
        per_doc.append({"doc": gold.name, "gold": s["gold"], "tp": s["tp"], "fp": s["fp"]})
    mp, mr, mf = prf(tp, tp + fp, gold_n)
    bp, br = (b3_p / n_pairs, b3_r / n_pairs) if n_pairs else (0.0, 0.0)
    lp, lr, lf = prf(link_both, link_pred, link_gold)
    r3 = lambda x: round(x, 3)  # noqa: E731
    return {
        "data": str(folder),
        "documents": len(files),
        "seconds": round(time.perf_counter() - t0, 1),
        "mentions": {"gold": gold_n, "predicted": tp + fp, "tp": tp, "p": r3(mp), "r": r3(mr), "f1": r3(mf)},
        "b_cubed": {"p": r3(bp), "r": r3(br), "f1": r3(2 * bp * br / (bp + br) if bp + br else 0.0)},
        "pairwise": {"gold_links": link_gold, "predicted_links": link_pred, "p": r3(lp), "r": r3(lr), "f1": r3(lf)},
        "per_document": per_doc,
    }
