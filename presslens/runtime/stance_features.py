"""Features of a (claim, text) pair for the stance reader: words, sentences, TF-IDF, cue lexicons.

Pure numpy/scipy and the standard library, shared by the runtime (stance_reader.py) and the training script
(training/train_stance_reader.py), so both compute exactly the same numbers. The whole text is read: every
sentence is scored against the claim, and the most claim-relevant ones feed the cue features.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import sparse

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace, or at a line break.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+|\s*\n+\s*")
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})

STOP = frozenset("""a an the and or but if of to in on at by for with from as is are was were be been being it its
this that these those he she they we you i his her their our your my me him them us who whom which what when where
why how all any both each few more most other some such only own same so than too very s t can will just do does
did done has have had having into over under again further then once here there about against between through
during before after above below up down out off also would should shall could may might must said says say
""".split())

# Cue lexicons (stems: a word matches when it starts with one). Written for this reader, not taken from a list.
REFUTE = ("fake", "hoax", "false", "falsely", "deni", "deny", "debunk", "bogus", "prank", "untrue", "fabricat",
          "satir", "myth", "baseless", "unfounded", "refut", "reject", "retract", "dismiss", "nonsense", "spoof",
          "misleading", "incorrect", "wrong", "lie", "lied", "lying", "rumour", "rumor", "doctored", "photoshop",
          "scam", "fiction", "joke", "parody", "mistak", "erroneous", "dispel", "disput", "contradict", "disprov",
          "no evidence")
HEDGE = ("report", "allege", "alleged", "claim", "unconfirm", "unverif", "accord", "apparent", "purport",
         "supposed", "possib", "speculat", "suggest", "appear", "seem", "believ", "may", "might", "could", "rumour",
         "rumor", "if", "whether", "unclear", "sources", "source", "told", "said", "says", "reportedly")
SUPPORT = ("confirm", "official", "announc", "reveal", "verif", "indeed", "proven", "prove", "true", "genuine",
           "authentic", "actual", "statement", "admit", "acknowledg", "found", "discover", "show", "evidence")
NEGATION = ("not", "no", "never", "none", "nothing", "neither", "nor", "without", "n't", "nobody", "cannot")
QUESTION_WORDS = ("is", "are", "was", "did", "does", "do", "can", "will", "could", "would", "has", "have")

# How many of the most claim-relevant sentences feed the cue features and the sentence bag of words.
TOP_SENTENCES = 3


def normalize(text: str) -> str:
    return text.translate(QUOTES)


def words(text: str) -> list[str]:
    """Lower-cased word tokens; "n't" is split off so negation is one token."""
    out = []
    for w in WORD.findall(normalize(text).lower()):
        if w.endswith("n't"):
            out.extend((w[:-3] or "n", "n't"))
        else:
            out.append(w)
    return out


def content(tokens: Sequence[str]) -> list[str]:
    return [w for w in tokens if w not in STOP and len(w) > 1]


def stem(word: str) -> str:
    return word[:6]


def sentences(text: str) -> list[str]:
    parts = [p.strip() for p in SENTENCE_END.split(normalize(text))]
    return [p for p in parts if p] or [text.strip() or "."]


def analyzer(text: str) -> list[str]:
    """Terms of the TF-IDF bags: content words and word bigrams."""
    toks = content(words(text))
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]


def cue_count(tokens: Sequence[str], stems: Sequence[str]) -> int:
    singles = tuple(s for s in stems if " " not in s)
    count = sum(1 for w in tokens if w.startswith(singles))
    joined = " ".join(tokens)
    return count + sum(joined.count(s) for s in stems if " " in s)


class Tfidf:
    """TF-IDF transform from a shipped vocabulary and idf (sublinear tf, l2 norm), as sklearn computes it."""

    def __init__(self, vocab: dict[str, int], idf: np.ndarray):
        self.vocab = vocab
        self.idf = idf.astype(np.float32)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for i, text in enumerate(texts):
            counts: dict[int, int] = {}
            for term in analyzer(text):
                j = self.vocab.get(term)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
            weights = tf * self.idf[idx]
            weights /= np.linalg.norm(weights)
            rows.extend([i] * len(idx))
            cols.extend(idx.tolist())
            vals.extend(weights.tolist())
        return sparse.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)),
                                 shape=(len(texts), len(self.vocab)))


@dataclass
class Body:
    """One text, read once: its sentences, their words and TF-IDF rows (a text is shared by many claims)."""

    sentences: list[str]
    tokens: list[list[str]]
    stems: list[set[str]]
    matrix: sparse.csr_matrix  # one TF-IDF row per sentence
    whole: sparse.csr_matrix  # the whole text as one TF-IDF row
    all_stems: set[str]
    n_words: int
    cues_per100: tuple[float, ...]  # each cue lexicon's count per 100 words of the whole text


def read_body(text: str, tfidf: Tfidf) -> Body:
    sents = sentences(text)
    toks = [words(s) for s in sents]
    stems = [{stem(w) for w in content(t)} for t in toks]
    every = [w for t in toks for w in t]
    per100 = tuple(100.0 * cue_count(every, lex) / max(1, len(every)) for _, lex in CUES)
    return Body(sents, toks, stems, tfidf.transform(sents), tfidf.transform([text]),
                set().union(*stems) if stems else set(), len(every), per100)


CUES = (("refute", REFUTE), ("hedge", HEDGE), ("support", SUPPORT), ("negation", NEGATION))


def dense_features(claim: str, claim_vec: sparse.csr_matrix, body: Body) -> tuple[np.ndarray, list[int]]:
    """Relatedness and cue features of one pair, and the indices of its most claim-relevant sentences."""
    ctoks = words(claim)
    cstems = {stem(w) for w in content(ctoks)} or {""}
    sims = np.asarray((body.matrix @ claim_vec.T).todense()).ravel()
    overlap = np.array([len(cstems & s) / len(cstems) for s in body.stems], dtype=np.float32)
    relevance = sims + 0.5 * overlap
    order = np.argsort(-relevance, kind="stable")
    top = sorted(order[:TOP_SENTENCES].tolist())
    first = min(len(sims), 2)
    whole_cos = float((body.whole @ claim_vec.T).todense()[0, 0]) if claim_vec.nnz else 0.0
    top_sims = np.sort(sims)[::-1]
    pad = lambda a, k: np.concatenate([a[:k], np.zeros(max(0, k - len(a)), dtype=np.float32)])
    ctop = [w for i in top for w in body.tokens[i]]
    cfirst = [w for i in range(first) for w in body.tokens[i]]
    feats = [whole_cos, *pad(top_sims, 3), float(sims.mean()), float(overlap.max()), float(overlap[:first].max()),
             len(cstems & body.all_stems) / len(cstems), float(np.mean(overlap > 0)),
             np.log1p(body.n_words), np.log1p(len(body.sentences)), float(len(ctoks)),
             float(order[0]) / max(1, len(body.sentences))]
    for (_, lex), per100 in zip(CUES, body.cues_per100):
        c_claim = cue_count(ctoks, lex)
        c_top = cue_count(ctop, lex)
        feats += [c_claim, c_top, cue_count(cfirst, lex), per100,
                  float(c_claim > 0) * c_top]
    feats += [float("?" in claim), float(bool(ctoks) and ctoks[0] in QUESTION_WORDS),
              float(claim.count('"') + claim.count("'") > 1), float("?" in " ".join(body.sentences[i] for i in top))]
    return np.asarray(feats, dtype=np.float32), top


DENSE_NAMES = (["whole_cos", "top1_cos", "top2_cos", "top3_cos", "mean_cos", "max_overlap", "first_overlap",
                "body_coverage", "share_sentences_touching", "log_words", "log_sentences", "claim_words",
                "best_position"]
               + [f"{name}_{where}" for name, _ in CUES for where in ("claim", "top", "first", "per100", "claimxtop")]
               + ["claim_question_mark", "claim_question_word", "claim_quoted", "top_question_mark"])
