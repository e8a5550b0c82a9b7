"""frames analyzer: texts written for these tests, the dev-set floors, and the seed article."""
from __future__ import annotations


import pytest

from presslens.evaluate import floors
from presslens.analyzers import frames

from .judgement_helpers import make


TABLE = [
    ("The central bank raised interest rates again on Thursday as inflation hit 6 percent. Mortgage costs "
     "for a typical household will rise by 200 dollars a month, and economists expect slower growth, "
     "weaker investment and higher unemployment next year.", {"Economic"}),
    ("Troops and tanks massed along the border overnight, and the defence ministry put its air defence "
     "batteries on alert. The alliance warned that any attack on a member would be met with a military "
     "response, and ministers discussed missile deterrence.", {"Security and defense"}),
    ("The man was sentenced to nine years in prison for armed robbery. Police arrested him after a "
     "burglary last spring; prosecutors said he was convicted of two earlier thefts and the judge called "
     "the crimes violent.", {"Crime and punishment"}),
    ("Measles cases doubled this winter, and hospitals in the region opened an emergency vaccination "
     "clinic. Doctors said unvaccinated patients faced a serious health risk and urged parents to "
     "protect their children from the disease.", {"Health and safety"}),
]


@pytest.mark.parametrize("text,expected", TABLE)
def test_frames_table(nlp, text, expected):
    doc, article = make(nlp, text)
    labels = frames.analyze(doc, article, frames.Config())["frames"]
    found = {label.label for label in labels}
    assert expected <= found, [(l.label, l.score) for l in labels]
    top = labels[0]
    assert top.label in expected and set(top.scores) == set(frames.FRAMES)
    assert top.evidence.by.startswith("frames.lexicon:") and "strongest frame" in top.evidence.why
    assert top.spans and all(text[s.start:s.end] == s.text for s in top.spans)


def test_threshold_limits_frames(nlp):
    doc, article = make(nlp, TABLE[0][0] + " " + TABLE[1][0])
    strict = frames.analyze(doc, article, frames.Config(threshold=0.99, min_hits=50))["frames"]
    loose = frames.analyze(doc, article, frames.Config(threshold=0.0, min_hits=1, max_frames=14))["frames"]
    assert strict == [] and len(loose) > 2


def test_every_frame_has_a_lexicon():
    for label, stem in frames.FRAMES.items():
        assert len(frames.load_words(f"frames/{stem}.txt")) >= 20, label
    assert len(frames.FRAMES) == 14


def test_floors_on_dev_set():
    from presslens.evaluate.frames import evaluate

    result = evaluate()
    assert not floors.shortfalls("frames", "dev", result)


@pytest.mark.shared
def test_seed_article_frames(seed_article):
    import presslens

    article = presslens.load(analyzers=["blocks", "frames"]).analyze(seed_article)
    found = {label.label for label in article.get("frames")}
    assert "Security and defense" in found
    assert found & {"Political", "External regulation and reputation"}
