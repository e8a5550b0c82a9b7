"""shared per-Doc layer: the per-Doc shortcuts (matcher start tokens, body sentences from sentence bounds) find
exactly what a plain token-by-token reading finds."""
from __future__ import annotations

import dataclasses

from presslens.analyzers import shared
from presslens.analyzers.shared import LexiconMatcher, body_sentences, token_view

from .judgement_helpers import make

TEXT = ("Tax cuts are right, the minister said\n\n"
        "The economic plan cut taxes and cuts spending. It is the right thing, and rights groups disagree: "
        "“Economics is not a science,” one wrote. Abolishing the abbey tax would be absurd.\n\n"
        "Photo: A. Person\n\n"
        "Critics called the plan reckless and said the rich benefit. Was that fair? Nobody knows.")
ENTRIES = ["cut", "tax cut", "right/adj", "economic*", "rights group", "fair", "reckless", "plan cut taxes",
           "abolish", "ab*"]  # "ab*" is too short for the prefix index: it is tried at every token


def reference_find(matcher, doc, start, stop):
    """The plain reading: every token of doc[start:stop] tried as a match start."""
    view = token_view(doc)
    hits = []
    for i in range(start, stop):
        best = None
        for words in matcher._candidates(view, i):
            j = matcher._at(view, i, words, stop)
            if j is not None and (best is None or j > best[1]):
                best = (i, j, " ".join(words))
        if best is not None:
            hits.append(best)
    return hits


def test_matcher_finds_what_a_token_by_token_scan_finds(nlp):
    doc, _ = make(nlp, TEXT)
    for entries in (ENTRIES, ENTRIES[:-1]):
        matcher = LexiconMatcher(entries)
        assert matcher.find(doc) == reference_find(matcher, doc, 0, len(doc))
        for sent in doc.sents:
            assert matcher.find(doc, sent.start, sent.end) == reference_find(matcher, doc, sent.start, sent.end)
    found = {entry for _, _, entry in LexiconMatcher(ENTRIES[:-1]).find(doc)}
    assert {"tax cut", "cut", "right/adj", "economic*", "rights group", "fair", "reckless", "abolish"} <= found


def test_body_sentences_are_the_sentences_cut_to_body_blocks(nlp):
    doc, article = make(nlp, TEXT)
    article.layers["blocks"] = [dataclasses.replace(b, kind="caption") if b.text.startswith("Photo") else b
                                for b in article.get("blocks")]
    expected = []
    for start, end in shared.body_ranges(article):  # the plain reading: each token's sentence, once
        seen = set()
        for token in doc.char_span(start, end, alignment_mode="expand"):
            if token.sent.start not in seen:
                seen.add(token.sent.start)
                span = doc.char_span(max(token.sent.start_char, start), min(token.sent.end_char, end),
                                     alignment_mode="contract")
                if span is not None and len(span) and span.text.strip():
                    expected.append((span.start, span.end))
    assert [(s.start, s.end) for s in body_sentences(doc, article)] == expected
    assert not any("Photo" in s.text for s in body_sentences(doc, article))


def test_reporting_verbs_are_read_once_into_named_lists():
    from presslens.analyzers import claims
    from presslens.analyzers.shared import reporting_verbs

    verbs = reporting_verbs()
    assert "say" in verbs.speech and "warn" in verbs.xcomp and "press" in verbs.intro and "want" in verbs.intent
    assert "press" not in verbs.speech  # "X pressed, “…”" cues only a quote next to it, never a clause
    assert verbs.attribution == verbs.speech | verbs.intro | verbs.fragment | verbs.intent  # every lemma on the list
    assert "want" in verbs.intent and "want" not in verbs.speech  # wanting is not saying
    assert claims.reporting_lemmas() == verbs.attribution  # a claim next to any of them is attributed
    from presslens.analyzers.quotes import verbs as quote_verbs
    assert quote_verbs.reporting_verbs is reporting_verbs  # the quotes analyzer reads the same lists
    assert "want" not in verbs.xcomp
