"""The pipeline orders analyzers by requires/assigns, validates their records, and wraps crashes per article."""
from __future__ import annotations

import types
from dataclasses import dataclass

import pytest

from presslens import registry
from presslens.config import load_config
from presslens.document import Block, Evidence
from presslens.errors import AnalyzerError, ConfigError
from presslens.ingest import Failure, RawArticle
from presslens.pipeline import Pipeline, order_steps


def fake(name, requires=(), assigns=(), analyze=None):
    @dataclass(frozen=True)
    class Config:
        pass

    def default(doc, article, config):
        return {layer: [] for layer in assigns}

    return types.SimpleNamespace(NAME=name, VERSION="0", REQUIRES=list(requires), ASSIGNS=list(assigns),
                                 Config=Config, analyze=analyze or default)


def install(monkeypatch, *modules):
    table = {m.NAME: m for m in modules}
    monkeypatch.setattr(registry, "ANALYZERS", {name: name for name in table})
    monkeypatch.setattr(registry, "get", lambda name: table[name])


def test_order_follows_requirements_not_listing_order():
    mods = {"quotes": fake("quotes", ["blocks", "entities"], ["quotes"]),
            "entities": fake("entities", ["blocks"], ["entities"]),
            "blocks": fake("paragraphs", [], ["blocks"])}
    assert order_steps(mods) == ["blocks", "entities", "quotes"]


def test_missing_requirement_names_the_analyzer_and_the_layer():
    with pytest.raises(ConfigError, match="quotes requires 'entities'"):
        order_steps({"quotes": fake("quotes", ["entities"], ["quotes"])})


def test_cycle_is_reported():
    with pytest.raises(ConfigError, match="cycle"):
        order_steps({"a": fake("a", ["y"], ["x"]), "b": fake("b", ["x"], ["y"])})


def whole_text_block(doc, article, config):
    text = article.text
    return {"blocks": [Block(0, len(text), text, "paragraph", 1.0, Evidence("test.whole", "whole text"))]}


def test_records_are_written_and_stamped(monkeypatch):
    install(monkeypatch, fake("paragraphs", [], ["blocks"], whole_text_block))
    pipe = Pipeline(["paragraphs"], config=load_config())
    doc = pipe.analyze("The harbour reopened on Monday after a strike.", published="2024-03-05")
    assert doc.get("blocks")[0].kind == "paragraph"
    assert doc.meta["published"] == "2024-03-05"
    assert [s["name"] for s in doc.meta["pipeline"]] == ["spacy", "paragraphs"]


def test_crash_in_one_article_does_not_stop_the_others(monkeypatch):
    def fragile(doc, article, config):
        if "boom" in article.text:
            raise ValueError("bad state")
        return whole_text_block(doc, article, config)

    install(monkeypatch, fake("paragraphs", [], ["blocks"], fragile))
    pipe = Pipeline(["paragraphs"], config=load_config())
    raws = [RawArticle.from_text(t) for t in ("First story is fine.", "This one goes boom.", "Third is fine too.")]
    results = list(pipe.pipe(raws))
    assert [type(r).__name__ for r in results] == ["Document", "Failure", "Document"]
    failure = results[1]
    assert isinstance(failure, Failure) and isinstance(failure.error, AnalyzerError)
    assert "paragraphs" in failure.error.message and "bad state" in failure.error.message


def test_analyzer_returning_undeclared_layer_is_a_config_error(monkeypatch):
    install(monkeypatch, fake("paragraphs", [], ["blocks"], lambda d, a, c: {"quotes": []}))
    pipe = Pipeline(["paragraphs"], config=load_config())
    with pytest.raises(ConfigError, match="does not declare"):
        pipe.analyze("Some text here.")


def test_an_invalid_record_is_dropped_and_reported_not_the_whole_article(monkeypatch):
    def one_bad(doc, article, config):
        good = whole_text_block(doc, article, config)["blocks"]
        return {"blocks": [Block(0, 4, "nope", "paragraph", 1.0, Evidence("test.bad", "a wrong span"))] + good}

    install(monkeypatch, fake("paragraphs", [], ["blocks"], one_bad))
    pipe = Pipeline(["paragraphs"], config=load_config())
    doc = pipe.analyze("Text that does not start with nope.")
    assert len(doc.get("blocks")) == 1
    assert any("PL-S04" in w and "paragraphs" in w for w in doc.meta["warnings"])


def test_unknown_analyzer_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown analyzer 'vibes'"):
        Pipeline(["vibes"], config=load_config())


def test_unknown_setting_is_refused(tmp_path):
    from presslens.config import build

    @dataclass(frozen=True)
    class Config:
        threshold: float = 0.5

    with pytest.raises(ConfigError, match="unknown setting"):
        build(Config, "x", {"x": {"treshold": 0.2}})


def test_two_analyzers_assigning_one_layer_is_an_error_at_build(monkeypatch):
    install(monkeypatch, fake("paragraphs", [], ["blocks"], whole_text_block), fake("lines", [], ["blocks"]))
    with pytest.raises(ConfigError, match="'blocks' is assigned by both paragraphs and lines") as caught:
        Pipeline(["paragraphs", "lines"], config=load_config())
    assert caught.value.code == "C23"


@pytest.mark.parametrize("evidence", [None, Evidence("", "a reason"), Evidence("test.rule", " ")])
def test_a_decision_without_evidence_is_rejected(monkeypatch, evidence):
    def unexplained(doc, article, config):
        good = whole_text_block(doc, article, config)["blocks"]
        return {"blocks": good + [Block(0, 4, article.text[:4], "title", 0.9, evidence)]}

    install(monkeypatch, fake("paragraphs", [], ["blocks"], unexplained))
    doc = Pipeline(["paragraphs"], config=load_config()).analyze("Text with one explained block.")
    assert [b.evidence.by for b in doc.get("blocks")] == ["test.whole"]
    assert any("PL-S06" in w and "paragraphs" in w for w in doc.meta["warnings"])


@pytest.mark.parametrize("toml, code, words", [
    ("[pipeline]\nbatch_sise = 8\n", "C04", "batch_sise"),
    ("[ingest]\nmax_char = 10\n", "C04", "max_char"),
    ("[genr]\ntemperature = 1.0\n", "C06", "[genr]"),
])
def test_pipeline_and_ingest_settings_are_checked_like_an_analyzers(tmp_path, toml, code, words):
    path = tmp_path / "presslens.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Pipeline(["blocks"], config=load_config(path))
    assert caught.value.code == code and words in caught.value.message


def test_ingest_settings_reach_the_guard(tmp_path):
    path = tmp_path / "presslens.toml"
    path.write_text("[ingest]\nmax_chars = 20\n[pipeline]\nbatch_size = 2\n", encoding="utf-8")
    pipe = Pipeline(["blocks"], config=load_config(path))
    assert pipe.batch_size == 2
    raws = [RawArticle.from_text("Short text.", id="short"), RawArticle.from_text("A text longer than twenty.", id="long")]
    results = {r.meta["id"] if hasattr(r, "meta") else r.article_id: r for r in pipe.pipe(raws)}
    assert type(results["short"]).__name__ == "Document" and results["long"].error.code == "I11"
