"""Candidate rules for surface techniques: (text, expected rule) tables, written for these tests. The rules only
propose; the analyzer's combiner decides (tests/analyzers/test_techniques_rules_analyzer.py)."""
from __future__ import annotations

import pytest

from presslens.analyzers.technique_rules import RULES, candidates, hits


def proposed(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in candidates(text, [(0, len(text))]):
        out.setdefault(c.rule, []).append(text[c.start:c.end])
    return out


@pytest.mark.parametrize("text, rule, span", [
    ("The council met. But who will pay for all this, in the end?", "question", "But who will pay for all this, in the end?"),
    ("We face a choice. Either the bridge is rebuilt now, or the valley dies.", "either_or",
     "Either the bridge is rebuilt now, or the valley dies."),
    ("There is no third way for the province.", "either_or", "There is no third way for the province."),
    ("And what about the ministers who flew to the summit twice?", "what_about",
     "And what about the ministers who flew to the summit twice?"),
    ("Why did the board stay silent when the fund lost its money?", "what_about",
     "Why did the board stay silent when the fund lost its money?"),
    ("His speeches sound like the Nazis before the war.", "hitler", "His speeches sound like the Nazis before the war."),
    ("The renowned physicist Anna Reel said the dam is unsafe.", "authority",
     "The renowned physicist Anna Reel said the dam is unsafe."),
    ("Our nation will never bow, and we will stand together.", "group_appeal",
     "Our nation will never bow, and we will stand together."),
    ("The march went on. Bread for all!", "slogan", "Bread for all!"),
    ("The mayor is a corrupt puppet of the builders.", "label", "a corrupt puppet of the builders"),
    ("The plan is a shameless betrayal.", "loaded_word", "shameless"),
    ("The costs rose. Enough is enough.", "cliche", "Enough is enough."),
    ("Prices rose only because the bank printed money.", "only_because",
     "Prices rose only because the bank printed money."),
    ("Everybody knows the vote was rigged.", "bandwagon", "Everybody knows the vote was rigged."),
    ("Hands off our river. The town spoke loudly. Hands off our river.", "repeated_phrase", "Hands off our river."),
    ("After this vote the harbour will be the biggest ruin in the history of the coast.", "exaggeration",
     "After this vote the harbour will be the biggest ruin in the history of the coast."),
    ("If the plant opens, our children will breathe poison.", "fear", "If the plant opens, our children will breathe poison."),
    ("The mill closed because the governor hates the valley.", "because",
     "The mill closed because the governor hates the valley."),
    ("When the farmers asked for help, nobody answered them.", "when_contrast",
     "When the farmers asked for help, nobody answered them."),
    ("Kern is a clown in a borrowed uniform.", "is_a_label", "Kern is a clown in a borrowed uniform."),
    ("The plan is dead. Fear is their only programme.", "short_verdict", "Fear is their only programme."),
])
def test_rule_proposes_the_span(text, rule, span):
    assert span in proposed(text).get(rule, []), proposed(text)


@pytest.mark.parametrize("text, rule", [
    ("The council approved the library budget on Tuesday.", "question"),
    ("Either way, the meeting ended at noon.", "either_or"),  # no 'or' alternative: not a forced choice
    ("The committee asked what the plan would cost.", "what_about"),
    ("The professor arrived late to the lecture.", "authority"),  # an authority, but cited for nothing
    ("The nation's rainfall was average this year.", "group_appeal"),  # no we/our: a plain description
    ("The meeting ended after a long and detailed discussion of the costs!", "slogan"),  # too long for a slogan
    ("The report was published on Monday.", "loaded_word"),
    ("The ferry will leave at nine and arrive at noon.", "fear"),
    ("Dana Kell said it was late.", "short_verdict"),  # a name and a verb of saying: reporting, not a verdict
    # pieces cut at an abbreviation or out of a garbled line are fragments, not verdicts
    ("Even if U.S. envoys came to Perrin in May, the talks stalled.", "short_verdict"),
    ("The missiles stayed in storage near the border for 3 years. year of quarrel. The talks went on all winter, "
     "slowly and without any result.", "short_verdict"),
])
def test_rule_stays_quiet(text, rule):
    assert rule not in proposed(text)


def test_every_rule_names_a_ptc_technique_and_hits_mark_its_label():
    labels = sorted(set(RULES.values()))
    text = "Is this really fair? Nobody asked."
    cands = candidates(text, [(0, len(text))])
    row = hits([(0, 20)], cands, labels)[0]
    assert row[labels.index("Doubt")] == 1.0 and sum(row) == 1.0
    assert hits([(21, 34)], cands, labels)[0] == [0.0] * len(labels)  # the next sentence is not hit


def test_lexicon_trie_matches_as_the_plain_longest_first_alternation():
    import re

    from presslens.analyzers.technique_rules import trie_alternation

    words = ["war", "War crime", "warlord", "war crimes", "wa", "crime wave", "Crime"]
    text = ("The warlord spoke of war crimes; a war crime is no crime wave. WAR, warfare, crimes, a wa-wa sound, "
            "swarm, war crime-ridden, Crime.")
    plain = re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                       + r")(?![A-Za-z])", re.IGNORECASE)
    trie = re.compile(r"(?<![A-Za-z])" + trie_alternation(words) + r"(?![A-Za-z])", re.IGNORECASE)
    found = [m.span() for m in trie.finditer(text)]
    assert found == [m.span() for m in plain.finditer(text)]
    assert [text[a:b] for a, b in found][:4] == ["warlord", "war crimes", "war crime", "crime wave"]
