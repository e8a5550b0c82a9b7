"""`presslens evaluate quotes`: the matching rules on hand-written brat files, and the PolNeAR dev floors."""
from __future__ import annotations

from pathlib import Path

import pytest

from presslens.evaluate import floors
from presslens.cli import main
from presslens.evaluate import quotes as ev


TEXT = "“We will win,” Ana Ruiz said. Officials said that the port would reopen soon.\n"
ANN = (
    "T1\tContent 0 14\t“We will win,”\n"
    "T2\tSource 15 23\tAna Ruiz\n"
    "T3\tCue 24 28\tsaid\n"
    "T4\tAttribution 24 28\tsaid\n"
    "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n"
    "T5\tSource 30 39\tOfficials\n"
    "T6\tCue 40 44\tsaid\n"
    "T7\tContent 45 77\tthat the port would reopen soon\n"
    "T8\tAttribution 40 44\tsaid\n"
    "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5\n"
)


def write_split(root: Path, split: str = "dev") -> Path:
    (root / split / "text").mkdir(parents=True)
    (root / split / "attributions").mkdir(parents=True)
    (root / split / "text" / "port.txt").write_text(TEXT, encoding="utf-8")
    (root / split / "attributions" / "port_b2.ann").write_text("T1\tContent 30 39\tOfficials\nE1\tAttribution:T9 Content:T1\n")
    (root / split / "attributions" / "port_a1.ann").write_text(ANN, encoding="utf-8")
    return root


def test_gold_reading_and_direct_split(tmp_path):
    golds = ev.read_gold(write_split(tmp_path) / "dev" / "attributions" / "port_a1.ann", TEXT)
    assert [g.direct for g in golds] == [True, False]
    assert golds[0].source == [(15, 23)]


def test_overlap_is_shared_words_over_the_longer_span():
    a = ev.tokens_of(TEXT, [(45, 77)])  # that the port would reopen soon: 6 words
    b = ev.tokens_of(TEXT, [(50, 77)])  # the port would reopen soon: 5 words
    assert ev.overlap(a, b) == pytest.approx(5 / 6)
    assert ev.overlap(a, frozenset()) == 0.0


def test_perfect_prediction_scores_one(tmp_path, pipe):
    result = ev.evaluate(write_split(tmp_path), "dev", pipeline=pipe)
    scores = result["scores"]
    assert result["articles"] == 1  # the lowest annotator id (a1) is the one read
    assert scores["direct"]["f1@0.8"] == 1.0 and scores["direct"]["speaker_acc"] == 1.0
    assert scores["other"]["f1@0.3"] == 1.0 and scores["other"]["speaker_acc"] == 1.0


def test_missing_data_folder_is_a_user_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["evaluate", "quotes", "--data", str(tmp_path / "nowhere"), "--limit", "1"])
    assert exit_.value.code == 2
    assert "PL-Q01" in capsys.readouterr().err


@pytest.fixture(scope="module")
def pipe():
    import presslens

    return presslens.load(analyzers=["blocks", "entities", "quotes"])


@pytest.mark.shared
def test_polnear_dev_floors(shared_data, pipe):
    # The whole dev split (84 articles, ~1 min): the gate is the figure we report, not a subset of it.
    data = shared_data / "data" / "quotes" / "polnear"
    result = ev.evaluate(data, "dev", None, pipeline=pipe)
    assert not floors.shortfalls("quotes", "dev-full", result)
