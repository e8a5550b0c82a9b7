"""The shared encoder: one pass serves techniques and claims; depth 3 or 6; a wrong depth is a clear error."""
from __future__ import annotations

import pytest

import presslens
from presslens.runtime import encoder
from presslens.analyzers import claims, techniques
from presslens.errors import ConfigError

# Text written for these tests (not from any corpus).
TEXT = ("Councillor Ines Varga said on Tuesday that the city spent 14 million euros on the new bridge, "
        "twice the sum approved in 2021.\n\n"
        "\"These reckless, arrogant bureaucrats are robbing every family in this town,\" Varga told reporters.\n\n"
        "The mayor's office said the final cost would be published next month.")


class CountingSession:
    """Wraps an onnxruntime session and counts its runs."""

    def __init__(self, session):
        self.session = session
        self.calls = 0

    def run(self, *args, **kwargs):
        self.calls += 1
        return self.session.run(*args, **kwargs)


@pytest.fixture()
def counted():
    model = encoder.load()
    original = model.sessions[3]
    model.sessions[3] = CountingSession(original)
    yield model.sessions[3]
    model.sessions[3] = original


def test_one_encoder_pass_serves_claims_and_techniques(counted):
    pipe = presslens.load(analyzers=["blocks", "entities", "quotes", "claims", "techniques"])
    doc = pipe.analyze(TEXT)
    assert counted.calls == 1  # three short paragraphs fit one batch of windows: one run for both analyzers
    stamp = {s["name"]: s["model"] for s in doc.meta["pipeline"] if s.get("model")}
    # the same encoder, at the same exit; claims also names the TF-IDF model it blends in, techniques the span reader
    shared, tfidf = stamp["claims"].split("+")
    assert shared.endswith("/exit3") and tfidf.startswith("tfidf@")
    assert stamp["techniques"].startswith(shared + "+model:span-reader")
    assert any("14 million" in c.text for c in doc.get("claims")), [c.text for c in doc.get("claims")]


def test_depth_6_reads_all_layers_and_says_so():
    from presslens.config import load_config
    from presslens.pipeline import Pipeline

    config = load_config()
    config["techniques"]["depth"] = 6
    config["claims"]["depth"] = 6
    pipe = Pipeline(["blocks", "entities", "quotes", "claims", "techniques"], config)
    doc = pipe.analyze(TEXT)
    for record in doc.get("claims") + doc.get("techniques"):
        assert "/exit6" in record.evidence.by
    shallow = presslens.load(analyzers=["blocks", "entities", "quotes", "claims"]).analyze(TEXT)
    deep_scores = [c.checkworthiness for c in doc.get("claims")]
    assert deep_scores != [c.checkworthiness for c in shallow.get("claims")]  # a different reading, not a relabel


def test_a_wrong_depth_is_a_config_error_naming_the_choices():
    with pytest.raises(ConfigError) as err:
        techniques.load_model(depth=4)
    assert "3" in err.value.message and "6" in err.value.message and err.value.hint
    with pytest.raises(ConfigError):
        claims.warm(claims.Config(depth=5))


# Sentences written for this test, of different lengths, so a batch would pad and rescale them.
OTHERS = ["Thank you all for coming tonight.",
          "The agency said it had hired 1,200 new inspectors since March, more than in the previous four years "
          "combined, and that waiting times at the border had fallen by a third.",
          "Well, I think that is just wrong.",
          "Unemployment in the region rose to 11 percent last winter."]


def test_a_sentence_scores_the_same_alone_and_inside_a_batch():
    from presslens.runtime.checkworthiness import load as scorer

    model = encoder.load()
    sentence = "The council spent 14 million euros on the bridge in 2021, twice the approved sum."
    alone = model.score_sentences([sentence])[0]
    mixed = model.score_sentences(OTHERS[:2] + [sentence] + OTHERS[2:])
    assert abs(mixed[2] - alone) <= 1e-6
    # and through the CheckThat!-style scorer, whose rows arrive in any order
    assert abs(scorer().score(OTHERS + [sentence])[-1] - alone) <= 1e-6


def test_a_window_reads_the_same_whatever_else_the_article_holds():
    model = encoder.load()
    short = "Crime fell by 8 percent in the city last year."
    text = short + "\n" + " ".join(OTHERS * 6)
    spans = [(0, len(short)), (len(short) + 1, len(text))]
    wins = model.windows(text, spans)
    assert len(wins) > 2  # the long paragraph needs windows of its own
    model.encode(wins)
    alone = model.windows(short, [(0, len(short))])
    model.encode(alone)
    assert abs(model.pooled(wins, 3, *spans[0]) - model.pooled(alone, 3, 0, len(short))).max() <= 1e-6
