"""blocks: captions, credits, boilerplate and titles are told apart from body paragraphs (texts written for these tests)."""
from __future__ import annotations

import pytest

from presslens.analyzers import blocks
from presslens.document import Document

LONG_BEFORE = ("The council met on Monday to discuss the budget for the coming year, and members argued for hours "
               "about the cost of the new bridge over the river.")
LONG_AFTER = ("Officials said the final vote would take place next month, after a public consultation that is "
              "expected to draw hundreds of comments from residents and local firms.")

# (line placed between two long paragraphs, expected kind, rule that should fire or None)
CASES = [
    ("Mayor Jane Doe (left) greets residents at the opening. Photo: John Smith / City Gazette", "caption",
     "blocks.caption_credit"),
    ("Is the mayor worried? Figure: Screenshot of the council livestream", "caption", "blocks.caption_credit"),
    ("Councillor Brown (second from right) at the bridge site", "caption", "blocks.position_marker"),
    ("Jane Doe, Tom Brown and Ann Green", "caption", "blocks.name_list"),
    ("Doe and Transport Minister Green", "caption", "blocks.name_list"),
    ("Protesters gather outside the town hall", "caption", "blocks.present_tense"),
    ("Steel girders carried by barge to the bridge site", "caption", "blocks.verbless"),
    ("Green: File", "caption", "blocks.colon_credit"),
    ("Workers hand over the keys of the new depot: City Network", "caption", "blocks.colon_credit"),
    ("Getty Images", "credit", "blocks.credit"),
    ("Photo: Reuters/Jane Roe", "credit", "blocks.credit"),
    ("Subscribe to our newsletter for daily updates.", "boilerplate", "blocks.boilerplate"),
    ("© 2024 City Gazette. All rights reserved.", "boilerplate", "blocks.boilerplate"),
    ("Read more: Council delays vote on bridge", "boilerplate", "blocks.boilerplate"),
    ("Share this article", "boilerplate", "blocks.boilerplate"),
    ("Mayor Says No To New Bridge Tax", "boilerplate", "blocks.headline_link"),
    ("- The council leads the state in new housing [Gazette]", "paragraph", None),
    ("Senator Ruiz (R) and Senator Okafor (D) voted against the plan", "caption", "blocks.unpunctuated"),
    ("Of course there is.", "paragraph", None),
    ("“We will not give up,” she said.", "paragraph", None),
    ("“We will not give up on this bridge, whatever the cost", "paragraph", None),
    ("Asked what comes next, the mayor said:", "paragraph", None),
    ("See how the mayor answered—", "paragraph", None),
]


def run(nlp, text: str, **meta) -> list:
    return blocks.analyze(nlp(text), Document(text=text, meta=meta), blocks.Config())["blocks"]


@pytest.mark.parametrize("line,kind,rule", CASES)
def test_line_between_paragraphs(nlp, line, kind, rule):
    text = f"Bridge vote delayed again\n\n{LONG_BEFORE}\n\n{line}\n\n{LONG_AFTER}\n"
    found = run(nlp, text)
    target = next(b for b in found if b.text == line)
    assert target.kind == kind, (line, target)
    if rule:
        assert target.evidence.by == rule
    assert 0 < target.confidence <= 1
    # the typed field readers branch on: set exactly for captions that end in a credit
    assert target.credit == (rule in ("blocks.caption_credit", "blocks.colon_credit")), (line, target)


def test_title_and_body(nlp):
    text = f"Bridge vote delayed again\n\n{LONG_BEFORE}\n\n{LONG_AFTER}"
    kinds = [b.kind for b in run(nlp, text)]
    assert kinds == ["title", "paragraph", "paragraph"]


def test_title_from_meta(nlp):
    text = f"Council news\n\n{LONG_BEFORE}"
    first = run(nlp, text, title="Council news")[0]
    assert first.kind == "title" and "metadata" in first.evidence.why


def test_blocks_cover_lines_without_whitespace_or_overlap(nlp):
    text = f"  Title here \n\n{LONG_BEFORE}  \n\n\n Getty Images\n{LONG_AFTER}\n"
    found = run(nlp, text)
    assert [b.text for b in found] == ["Title here", LONG_BEFORE, "Getty Images", LONG_AFTER]
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start
    for b in found:
        assert text[b.start:b.end] == b.text and b.text == b.text.strip()


def test_hard_wrapped_paragraph_is_one_block(nlp):
    text = "Title\n\nThe council met on Monday to discuss\nthe budget for the coming year.\n\nAnother paragraph here."
    found = run(nlp, text)
    assert [b.text for b in found][1] == "The council met on Monday to discuss\nthe budget for the coming year."


def test_credit_tail_is_quoted_in_evidence(nlp):
    line = "Dockers march along the quay. Photo: J. Ruiz / Harbour Times"
    text = f"Title\n\n{LONG_BEFORE}\n\n{line}\n\n{LONG_AFTER}"
    caption = next(b for b in run(nlp, text) if b.text == line)
    assert caption.kind == "caption" and "Photo: J. Ruiz / Harbour Times" in caption.evidence.why


def test_empty_and_single_line_texts_degrade(nlp):
    assert run(nlp, "   \n\n  ") == []
    only = run(nlp, "Just one line without a stop")
    assert len(only) == 1 and only[0].kind in ("paragraph", "caption")


@pytest.mark.shared
def test_seed_article_captions(nlp, seed_article):
    found = run(nlp, seed_article)
    captions = [b.text for b in found if b.kind == "caption"]

    def has(prefix: str) -> bool:
        return any(c.startswith(prefix) for c in captions)

    for prefix in ("Blinken (left) appeared on", "Peskov Charts: Information", "Putin, Clinton meeting",
                   "Putin and Hillary Clinton", "Blinken and Russian Foreign Minister Lavrov", "Presto: Information",
                   "Russian-made S400 missiles carried by large transport aircraft", "American astronauts hand over",
                   "Is Kobel an open mind? Figure:", "Before his trip to South Korea and Japan, U.S. President Biden"):
        assert has(prefix), prefix
    assert len(captions) == 10
    assert found[0].kind == "title"
    for body in ("Of course there is.", "See how Blinken answered—", "Colbert pressed, “And then what?”"):
        assert next(b for b in found if b.text == body).kind == "paragraph", body


@pytest.mark.parametrize("layout,expected", [
    ("Bridge vote delayed again\n\nBy Jane Doe\n\n{body}", ["title", "credit", "paragraph"]),
    ("Bridge vote delayed again\n\nJane Doe\n\n{body}", ["title", "credit", "paragraph"]),
    ("Bridge vote delayed again\n\n{body}\n\nJane Doe", ["title", "paragraph", "credit"]),
])
def test_bylines_are_credits(nlp, layout, expected):
    text = layout.format(body=LONG_BEFORE)
    assert [b.kind for b in run(nlp, text)] == expected
