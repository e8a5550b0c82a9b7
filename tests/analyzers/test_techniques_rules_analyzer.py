"""techniques with the candidate rules: the combiner keeps rule candidates the models agree with, each span names
its rule in its evidence id, the recall-leaning mode shows more candidates, and rules = "" turns them off."""
from __future__ import annotations

from dataclasses import replace

import pytest

from presslens.analyzers import techniques
from presslens.errors import ConfigError
from presslens.runtime.encoder import article_segments

from .test_techniques import run

# Opinion prose written for this test (invented names), in the style of a translated commentary.
OPINION = ("The governor of the province, Arlo Menz, promised the new bridge three years ago. "
           "But where is the bridge? Who has seen even one stone of it? "
           "Is it only an accident that the contract went to the company of his cousin? "
           "Either the bridge is built this year, or the governor must go home. "
           "And what about the new villa of the governor, built in six months? "
           "The people of this valley deserve the truth, and we will not be silent. "
           "No bridge, no governor!\n")


@pytest.fixture(scope="module")
def config() -> techniques.Config:
    return techniques.Config()


def test_rhetorical_questions_become_doubt_spans_with_the_rule_named(nlp, config):
    records = run(nlp, OPINION, config)
    by_rule = [r for r in records if r.evidence.by.startswith("techniques.rule.")]
    assert by_rule, [(r.text, r.evidence.by) for r in records]
    questions = [r for r in records if "where is the bridge?" in r.text or "Who has seen" in r.text]
    assert questions and all(r.technique == "Doubt" for r in questions)
    for r in by_rule:
        assert 0 < r.confidence <= 1 and "kept by the combiner" in r.evidence.why
        rule = r.evidence.by.split("+")[0].removeprefix("techniques.rule.")
        assert rule in techniques.RULES


def test_recall_mode_shows_at_least_the_precise_spans(nlp, config):
    precise = {(r.start, r.end) for r in run(nlp, OPINION, config)}
    recall = {(r.start, r.end) for r in run(nlp, OPINION, replace(config, mode="recall"))}
    assert len(recall) > len(precise)
    covered = lambda span, spans: any(s < span[1] and span[0] < e for s, e in spans)  # noqa: E731
    assert all(covered(span, recall) for span in precise)


def test_without_rules_no_span_names_a_rule(nlp, config):
    records = run(nlp, OPINION, replace(config, rules=""))
    assert not any(r.evidence.by.startswith("techniques.rule.") for r in records)


def test_a_calm_report_gets_no_rule_spans(nlp, config):
    calm = ("The council met on Tuesday. It approved the library budget after a short discussion. "
            "The vote was seven to two, and the new hours start in May.\n")
    assert not [r for r in run(nlp, calm, config) if r.evidence.by.startswith("techniques.rule.")]


def test_unknown_mode_is_a_config_error(nlp, config):
    with pytest.raises(ConfigError, match="mode"):
        run(nlp, OPINION, replace(config, mode="loud"))


@pytest.mark.parametrize("mode", ["precise", "recall"])
def test_candidates_left_unread_could_never_have_been_kept(nlp, config, mode):
    # the combiner's bound lets the analyzer skip reading hopeless candidates; reading them all (as training does,
    # with ``collect``) must give the same spans and labels
    cfg = replace(config, mode=mode)
    model = techniques.configured_model(cfg)
    text = OPINION + "Critics said the plan is reckless. The professor said the bridge is safe. It rained all week.\n"
    doc = nlp(text)
    article = techniques.Document(text=text)
    segments = article_segments(doc, article)
    decoding = techniques.configured_decoding(model, cfg)
    pruned, _ = model.run(text, segments, decoding, None)
    collected: dict = {}
    everything, _ = model.run(text, segments, decoding, None, collect=collected)
    assert [(d.start, d.end, d.label, d.rule) for d in pruned] == [(d.start, d.end, d.label, d.rule) for d in everything]
    assert len(collected["candidates"]) > len([d for d in pruned if d.rule])  # some candidates were judged and dropped


def test_the_bound_on_a_candidates_technique_holds_after_the_rule_hits_nudge():
    # worth_reading skips a candidate from an upper bound on its technique's probability; the labels it is judged
    # on are nudged by the rule hits afterwards (its own hit at least), so the bound must cover the nudge
    import numpy as np

    from presslens.analyzers.rule_combiner import boosted, most_boosted

    rng = np.random.default_rng(5)
    for _ in range(200):
        p = rng.dirichlet(np.ones(14) * 0.3)
        hits = (rng.random(14) < 0.2).astype(float)
        hits[3] = 1.0  # the candidate's own technique is always hit by its own rule
        assert boosted(p, hits, 1.0)[3] <= most_boosted(float(p[3]), 1.0) + 1e-12
    assert most_boosted(0.5, 1.0) > 0.5 and most_boosted(0.5, 0.0) == 0.5
