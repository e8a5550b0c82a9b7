"""The fuzz campaign: 10,000 generated hostile inputs (fuzz_inputs.py) through ingest and every rule layer,
and a sample through the full default pipeline: zero crashes, zero hangs, every span indexing its text.

An input may be refused, but only with a coded InputError (lone surrogates, nothing visible); an analyzer
crash (PL-A01), an uncaught exception or a record the document model had to drop fails the campaign. The
10,000 run every rule layer on spaCy without its NER (half of spaCy's cost; the analyzers' own code is what
is fuzzed) and without the encoder analyzers (techniques, claims); the sample runs everything.
"""
from __future__ import annotations

import importlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_inputs import inputs  # noqa: E402

from presslens.document import Document  # noqa: E402
from presslens.errors import InputError, PresslensError  # noqa: E402
from presslens.ingest import Failure, RawArticle, article_from_json_line, read_document  # noqa: E402

CAMPAIGN = 10_000
SAMPLE_EVERY = 49  # the full pipeline reads every 49th input (205, every kind: the kinds cycle by 5)
# No single input may take longer than this (a hang or a quadratic path shows up here first).
MAX_SECONDS_PER_INPUT = 20.0
RULE_LAYERS = ["blocks", "entities", "quotes", "time", "genre", "frames", "stance"]


@pytest.fixture(scope="module")
def campaign() -> list[tuple[str, str]]:
    return list(inputs(CAMPAIGN))


def cheap_nlp():
    import spacy

    from presslens.artifacts import SPACY_PACKAGES
    from presslens.tokenizer import bound_tokenizer

    package, folder = SPACY_PACKAGES["en_core_web_sm"]
    # the parser stays: the analyzers walk its trees (spaCy's Token.children is not safe on a Doc never parsed)
    nlp = spacy.load(Path(importlib.import_module(package).__file__).parent / folder, exclude=["ner"])
    nlp.max_length = 2_000_000
    return bound_tokenizer(nlp)


def to_raw(index: int, text: str) -> RawArticle | Failure:
    try:
        return RawArticle.from_text(text, id=f"fuzz{index}")
    except InputError as exc:
        return Failure(f"fuzz{index}", "fuzz", exc)


def check_document(doc: Document, where: str) -> None:
    dropped = [w for w in doc.meta.get("warnings", []) if "dropped an invalid" in w]
    assert not dropped, f"{where}: {dropped}"
    again = Document.from_dict(json.loads(doc.to_json()))  # re-validates every span against the text
    assert again.text == doc.text and set(again.layers) == set(doc.layers), where


def run_campaign(pipeline, items: list[tuple[int, str, str]]) -> Counter:
    outcomes: Counter = Counter()
    raws = [to_raw(index, text) for index, _, text in items]
    started = last = time.perf_counter()
    for (index, kind, _), result in zip(items, pipeline.pipe(raws)):
        now = time.perf_counter()
        # pipe() parses 16 at a time: the time between two results bounds one batch, so one input too
        assert now - last < MAX_SECONDS_PER_INPUT * pipeline.batch_size, f"input {index} ({kind}) hung"
        last = now
        where = f"input {index} ({kind})"
        if isinstance(result, Failure):
            assert isinstance(result.error, InputError) and result.code.startswith("PL-I"), \
                f"{where}: {result.code} {result.error.message}"
            outcomes[result.code] += 1
        else:
            check_document(result, where)
            outcomes["analysed"] += 1
    outcomes["seconds"] = round(time.perf_counter() - started)
    return outcomes


def test_ingest_survives_every_input(campaign):
    """The same texts as files (UTF-8, cp1252-ish bytes, HTML) and as JSONL lines: a RawArticle or a coded error."""
    for index, (kind, text) in enumerate(campaign):
        encoded = text.encode("utf-8", errors="surrogatepass")
        for attempt in (lambda: read_document(encoded, f"f{index}.txt", None),
                        lambda: read_document(encoded, f"f{index}.html", None, html_hint=index % 7 == 0),
                        lambda: article_from_json_line(json.dumps({"id": index, "text": text}), f"f:{index}", None)):
            try:
                raw = attempt()
            except PresslensError as exc:
                assert isinstance(exc, InputError), f"input {index} ({kind}): {exc}"
                continue
            assert isinstance(raw, RawArticle)
            raw.text.encode("utf-8")  # storable: no surrogate left (this raises on one)


@pytest.mark.slow  # about 2 minutes on one idle core (4-5 on a loaded one)
def test_rule_layers_on_ten_thousand_inputs(campaign, pipeline):
    from presslens.pipeline import Pipeline

    rules = Pipeline(analyzers=RULE_LAYERS, config=pipeline.config)
    rules.nlp = cheap_nlp()
    outcomes = run_campaign(rules, [(i, kind, text) for i, (kind, text) in enumerate(campaign)])
    print("\nfuzz campaign (rule layers):", dict(outcomes))
    assert outcomes["analysed"] > CAMPAIGN * 0.8
    assert set(outcomes) <= {"analysed", "seconds", "PL-I10", "PL-I33"}


def test_full_pipeline_on_a_sample(campaign, pipeline):
    sample = [(i, kind, text) for i, (kind, text) in enumerate(campaign) if i % SAMPLE_EVERY == 0]
    outcomes = run_campaign(pipeline, sample)
    print("\nfuzz campaign (full pipeline sample):", dict(outcomes))
    assert outcomes["analysed"] > len(sample) * 0.6
    assert set(outcomes) <= {"analysed", "seconds", "PL-I10", "PL-I33"}


def test_stored_and_searched_without_error(campaign, tmp_path):
    """Every refused-or-not text as a search query, and a sample stored: the store never raises on them."""
    from presslens.store import Store
    from presslens.store import queries

    with Store(tmp_path / "fuzz.db") as store:
        for index, (kind, text) in enumerate(campaign[:200]):
            raw = to_raw(index, text)
            if isinstance(raw, RawArticle) and raw.text.strip():
                store.put(raw, Document(text=raw.text, meta={"id": raw.id}))
        for kind, text in campaign[:2000]:
            query = text[:500].encode("utf-8", errors="replace").decode("utf-8")
            result = queries.search_articles(store, {"q": query}, limit=5)
            assert result["total"] >= 0
