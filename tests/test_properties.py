"""Property-based: no analyzer of the default pipeline crashes, and every record each one returns has spans
that index the text they claim and evidence (by, why). Checked on the analyzers' own output, before the
pipeline's safety net (which drops a bad record and records a warning) could hide one."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from presslens.ingest import VISIBLE, RawArticle, guard_text
from presslens.pipeline import check_evidence

WORDS = ["said", "“", "”", "\"", "«", "»", "‘", "’", "The", "Mayor", "Ana", "Ruiz", "told", "reporters", "on",
         "Monday", "May", "3", "1990s", ",", ".", ":", "?", "\n\n", "\n", "Photo:", "according", "to", "he", "she",
         "that", "NATO", "Russia", "President", "Putin", "last", "year", "Image", "(left)", "—", "'", "é", "中"]

texts = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map(" ".join),
    st.text(min_size=1, max_size=200),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(text=texts)
def test_any_text_gives_valid_offsets_or_a_clear_input_error(pipeline, text):
    from presslens.errors import InputError

    raw = RawArticle.from_text(text, published="2022-05-25")
    try:
        guard_text(raw, pipeline.ingest)
    except InputError:
        assert VISIBLE.search(text) is None  # refused only when nothing in it shows (blank, controls, zero-width)
        return
    article = pipeline.new_document(raw)
    doc = pipeline.nlp(article.text)
    for step in pipeline.steps:  # the pipeline's own order; each analyzer reads the layers before it
        for layer, records in step.module.analyze(doc, article, step.config).items():
            assert layer in step.module.ASSIGNS, (step.name, layer)
            article.layers.setdefault(layer, [])
            for record in records:
                check_evidence(layer, record)  # raises SchemaError: a decision without by/why
                article.add(layer, record)  # raises SchemaError: a span outside the text or not matching it
