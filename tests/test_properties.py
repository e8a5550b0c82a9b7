"""Property-based: the whole default pipeline never crashes and every span indexes the text it claims."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from presslens.document import iter_spans

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

    try:
        doc = pipeline.analyze(text, published="2022-05-25")
    except InputError:
        assert not text.strip()
        return
    for layer, records in doc.layers.items():
        for record in records:
            for span in iter_spans(record):
                if span.start is None:
                    continue
                assert doc.text[span.start:span.end] == span.text, (layer, span)
