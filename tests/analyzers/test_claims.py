"""claims: check-worthy sentences, their claimant, hearsay chains, markers and hedges."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from presslens.analyzers import claims
from presslens.document import Block, Document, Entity, Mention, Quote, Span, Speaker

LOOSE = claims.Config(threshold=1e-9)  # keep every unit: these tests are about structure, not the model's cut


def make_article(text: str, quotes=(), entities=(), blocks=None, author=None) -> Document:
    article = Document(text=text, meta={"author": author})
    if blocks is None:
        start = 0
        blocks = []
        for para in text.split("\n"):
            if para.strip():
                blocks.append(Block(start, start + len(para), para, "paragraph"))
            start += len(para) + 1
    article.extend("blocks", list(blocks))
    article.extend("entities", list(entities))
    article.extend("quotes", list(quotes))
    return article


def person(text: str, eid: str, name: str) -> Entity:
    i = text.index(name)
    return Entity(eid, name, "PERSON", mentions=[Mention(i, i + len(name), name)])


def run(nlp, article: Document, config: claims.Config = LOOSE):
    return claims.analyze(nlp(article.text), article, config)["claims"]


def test_model_loads_from_shipped_artifacts_without_torch():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('torch', 'transformers'):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from presslens.runtime.checkworthiness import load\n"
        "s = load()\n"
        "assert 'presslens/models/encoder' in str(s.folder).replace('\\\\', '/'), s.folder\n"
        "print(s.id, s.score(['The deficit grew by 2 percent in 2019.'])[0])\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("model:encoder-")


def test_statistic_scores_higher_than_opinion_or_greeting():
    from presslens.runtime.checkworthiness import load

    fact, opinion, greeting = load().score([
        "Unemployment in the region fell from 9 percent to 4 percent between 2015 and 2022.",
        "I just think she is a really lovely person.",
        "Good evening, everybody, and thank you so much for having me.",
    ])
    assert fact > opinion and fact > greeting
    assert fact >= load().threshold > max(opinion, greeting)


def test_claimant_is_the_speaker_inside_a_quote_and_the_author_otherwise(nlp):
    text = ('The city spent 40 million dollars on new buses last year.\n'
            'Mayor Ilse Varga said: "Ticket sales doubled between 2019 and 2023."')
    opening = text.index('"')
    quote = Quote("q1", "direct", opening, len(text), text[opening:],
                  content=Span.of(text, opening + 1, len(text) - 1), cue=Span.of(text, text.index("said"), text.index("said") + 4),
                  speaker=Speaker("e1", "Ilse Varga", text.index("Ilse"), text.index("Ilse") + 10, "Ilse Varga", 0.9),
                  confidence=0.9)
    found = run(nlp, make_article(text, [quote], [person(text, "e1", "Ilse Varga")], author="Dana Ruiz"))
    by_text = {c.text: c for c in found}
    own = by_text["The city spent 40 million dollars on new buses last year."]
    assert (own.claimant.name, own.claimant_kind, own.quote) == ("Dana Ruiz", "author", None)
    quoted = by_text["Ticket sales doubled between 2019 and 2023."]
    assert (quoted.claimant.entity, quoted.claimant_kind, quoted.quote) == ("e1", "speaker", "q1")
    assert "q1" in quoted.evidence.why and quoted.evidence.by.startswith("model:encoder-")
    # no author in the metadata: the claimant is the generic author
    anonymous = run(nlp, make_article(text, [quote], [person(text, "e1", "Ilse Varga")]))
    assert anonymous[0].claimant.name == "author"


def test_hearsay_chain_lists_the_nearest_source_first(nlp):
    text = ("The former minister Anna Berg revealed that Tomas Lind told her, "
            "\u201cThe harbour handled 4 million containers in 2019, twice as many as in 2010.\u201d")
    opening = text.index("\u201c")
    told = text.index("told")
    quote = Quote("q1", "direct", opening, len(text), text[opening:], content=Span.of(text, opening + 1, len(text) - 1),
                  cue=Span.of(text, told, told + 4),
                  speaker=Speaker("e2", "Tomas Lind", text.index("Tomas"), text.index("Tomas") + 10, "Tomas Lind", 0.9))
    entities = [person(text, "e1", "Anna Berg"), person(text, "e2", "Tomas Lind")]
    found = run(nlp, make_article(text, [quote], entities))
    assert found, "the quoted statistic should be a claim"
    claim = found[0]
    assert claim.text.startswith("The harbour handled")  # the intro 'X revealed that Y told her,' is not the claim
    assert [a.name for a in claim.attribution] == ["Tomas Lind", "Anna Berg"]
    assert [a.entity for a in claim.attribution] == ["e2", "e1"]
    assert claim.claimant.entity == "e2"


def test_nested_quote_adds_the_outer_speaker(nlp):
    text = ('Rosa Prieto wrote: "Our auditor Karl Obi says, \'The fund lost 30 percent of its value in 2021.\'"')
    outer_open, inner_open = text.index('"'), text.index("'")
    outer = Quote("q1", "direct", outer_open, len(text), text[outer_open:], content=Span.of(text, outer_open + 1, len(text) - 1),
                  cue=Span.of(text, text.index("wrote"), text.index("wrote") + 5),
                  speaker=Speaker("e1", "Rosa Prieto", 0, 11, "Rosa Prieto"))
    inner_end = text.rindex("'") + 1
    inner = Quote("q2", "direct", inner_open, inner_end, text[inner_open:inner_end],
                  content=Span.of(text, inner_open + 1, inner_end - 1),
                  cue=Span.of(text, text.index("says"), text.index("says") + 4),
                  speaker=Speaker("e2", "Karl Obi", text.index("Karl"), text.index("Karl") + 8, "Karl Obi"))
    entities = [person(text, "e1", "Rosa Prieto"), person(text, "e2", "Karl Obi")]
    found = [c for c in run(nlp, make_article(text, [outer, inner], entities)) if "30 percent" in c.text]
    assert found and [a.name for a in found[0].attribution] == ["Karl Obi", "Rosa Prieto"]


def test_markers_hedges_questions_captions_and_clauses(nlp):
    text = ("Storm damage reportedly cost the port 12 million euros, and the insurer may refuse to pay in May.\n"
            "Harbour cranes stand idle on Monday. Photo: K. Osei\n"
            "Who will pay for the repairs?\n"
            "The company cut 300 jobs in 2020; its profits rose by 12 percent the following year.")
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    kinds = ["paragraph", "caption", "paragraph", "paragraph"]
    blocks = [Block(s, s + len(line), line, kind) for s, line, kind in zip(starts, lines, kinds)]
    found = run(nlp, make_article(text, blocks=blocks))
    texts = [c.text for c in found]
    assert not any("cranes" in t for t in texts), "caption lines are never claims"
    assert not any(t.endswith("?") for t in texts), "questions are never claims"
    assert "The company cut 300 jobs in 2020" in texts
    assert "its profits rose by 12 percent the following year." in texts
    storm = [c for c in found if "reportedly" in c.text or "insurer" in c.text]
    markers = {m.text.lower() for c in storm for m in c.markers}
    hedges = {h.text for c in storm for h in c.hedges}
    assert "reportedly" in markers
    assert "may" in hedges and "May" not in hedges


def test_threshold_filters_low_scores(nlp):
    text = "Thank you all very much for coming tonight."
    assert run(nlp, make_article(text), replace(LOOSE, threshold=0.99)) == []


@pytest.fixture(scope="module")
def claims_pipeline():
    import presslens

    return presslens.load(analyzers=["blocks", "entities", "quotes", "claims"])


@pytest.mark.shared
def test_seed_hearsay_chain_and_no_caption_claims(seed_article, claims_pipeline):
    article = claims_pipeline.analyze(seed_article)
    found = article.get("claims")
    assert found
    chains = [[(a.name or "").split()[-1] for a in c.attribution] for c in found if len(c.attribution) >= 2]
    assert ["Robertson", "Stone"] in [chain[:2] for chain in chains], chains
    furniture = [b for b in article.get("blocks") if b.kind in ("caption", "credit", "boilerplate")]
    for claim in found:
        assert not any(b.start < claim.end and claim.start < b.end for b in furniture), claim.text
