"""The HTML report as a file: layers nest, absent layers are absent, hostile text stays text, CSP matches."""
from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from presslens.document import Document
from presslens.report.html import render_html
from presslens.report.view import build_view, segments
from report.sample import ARTICLE, HOSTILE, hostile_document, sample_document

VOID = {"meta", "link", "input", "br", "img", "hr"}


class Checker(HTMLParser):
    """Collects tags/attributes and checks that every element closes in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.errors: list[str] = []
        self.text_in: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack:
            self.text_in.setdefault(self.stack[-1], []).append(data)


def parse(html: str) -> Checker:
    checker = Checker()
    checker.feed(html)
    checker.close()
    return checker


def prose_text(html: str) -> str:
    """The article text as rendered inside .pl-prose (tags dropped, entities decoded)."""
    import html as htmlmod

    body = html.split('<div class="pl-prose">', 1)[1].split("</div>", 1)[0]
    return htmlmod.unescape(re.sub(r"<[^>]+>", "", body))


def test_overlapping_layers_nest_and_keep_the_text_exact():
    html = render_html([sample_document()])
    checker = parse(html)
    assert checker.errors == [] and checker.stack == []
    assert prose_text(html) == ARTICLE  # every character once, in order, nothing added
    # the reported quote and the claim cover the same words; the partial quote and a technique overlap
    covering = [seg for seg in build_view(sample_document())["segments"] if "12 percent" in seg["text"]]
    layers = {a["layer"] for seg in covering for a in seg["anns"]}
    assert {"reported", "claims"} <= layers


def test_segments_cut_at_every_boundary():
    from presslens.report.view import Annotation

    anns = [Annotation("a", "quotes", 0, 6, ["L-quotes"], "a"), Annotation("b", "claims", 3, 9, ["L-claims"], "b")]
    segs = segments("abcdefghij", anns)
    assert [s["text"] for s in segs] == ["abc", "def", "ghi", "j"]
    assert [[a["id"] for a in s["anns"]] for s in segs] == [["a"], ["a", "b"], ["b"], []]
    assert [a["first"] for s in segs for a in s["anns"]] == [True, False, True, False]


def test_each_annotation_has_one_focusable_anchor():
    html = render_html([sample_document()])
    tabbable = re.findall(r'<span class="ann [^"]*" data-a="([^"]+)" data-layer="[^"]+" id="\1" tabindex="0">', html)
    view = build_view(sample_document())
    assert len(tabbable) == len(set(tabbable)) == len(view["tips"])


def test_side_panels_show_speakers_entities_claims_timeline_and_labels():
    html = render_html([sample_document()])
    for expected in ("Speakers", "Tom Reyes", "Union leader", "aka Reyes", "Claims", "0.88", "Timeline", "2024-03-04",
                     "Genre", "news", "Frames", "Economic", "Stance", "towards Lena Ortiz", "Name Calling, Labeling"):
        assert expected in html, expected


def test_layers_the_analysis_lacks_are_absent():
    doc = sample_document()
    slim = Document(text=doc.text, meta=doc.meta, layers={"quotes": doc.get("quotes")})
    html = render_html([slim])
    boxes = re.findall(r'data-layer="(\w+)" name="layer-', html)
    assert boxes == ["quotes", "reported"]
    for panel in ("Claims", "Timeline", "Persuasion techniques", "Genre"):
        assert f"<h3>{panel}</h3>" not in html
    bare = render_html([Document(text="Just text.", meta={})])
    assert "Just text." in bare and 'class="pl-toggles"' not in bare


def test_hostile_text_is_escaped_everywhere():
    html = render_html([hostile_document()])
    checker = parse(html)
    assert checker.errors == []
    scripts = [a for t, a in checker.tags if t == "script"]
    assert scripts == [{"type": "application/json", "id": "pl-tips"}, {}]  # the data block and our own script
    for tag, attrs in checker.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not any(str(v).strip().lower().startswith("javascript:") for v in attrs.values()), (tag, attrs)
        assert tag not in ("img", "svg", "b", "textarea", "a") or tag == "a" and attrs.get("href", "#").startswith("#")
    assert prose_text(html) == HOSTILE
    assert "<script>window.__pwned" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;Hostile" in html  # the title, shown as text


def test_csp_allows_exactly_the_inline_style_and_script():
    html = render_html([sample_document()])
    import html as htmlmod

    csp = htmlmod.unescape(re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1))
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)

    def digest(s: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"

    assert "default-src 'none'" in csp
    assert f"style-src {digest(style)};" in csp and f"script-src {digest(script)};" in csp
    assert "unsafe-inline" not in csp
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.replace('href="https://example.org/a"', ""))


def test_several_documents_get_distinct_ids():
    html = render_html([sample_document(), sample_document(title="Second")])
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert "presslens report: 2 articles" in html


def test_cli_writes_one_self_contained_file(tmp_path):
    """`presslens analyze ARTICLE --format html --out report.html` with the real pipeline."""
    article = tmp_path / "strike.txt"
    article.write_text('Mayor Lena Ortiz said on Monday: "We will not let the port die." '
                       'Union leader Tom Reyes called the offer "a disgrace".\n', encoding="utf-8")
    out = tmp_path / "report.html"
    run = subprocess.run([sys.executable, "-m", "presslens", "analyze", str(article), "--format", "html",
                          "--out", str(out), "--published", "2024-03-05"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "Content-Security-Policy" in html
    assert "We will not let the port die." in html and 'data-layer="quotes"' in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_any_overlap_renders_balanced_and_loses_no_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from presslens.document import Span, Technique, TimeExpr

    alphabet = st.sampled_from(list("ab <>&\"'\n"))

    @settings(max_examples=60, deadline=None)
    @given(st.text(alphabet, min_size=1, max_size=40), st.lists(st.tuples(st.integers(0, 40), st.integers(1, 40),
                                                                          st.booleans()), max_size=8))
    def check(text, spans):
        doc = Document(text=text, meta={})
        for i, (start, length, is_time) in enumerate(spans):
            start, end = min(start, len(text) - 1), min(start + length, len(text))
            if start >= end:
                continue
            piece = Span.of(text, start, end)
            if is_time:
                doc.add("time", TimeExpr(f"t{i}", start, end, piece.text, "DATE", "2024"))
            else:
                doc.add("techniques", Technique(start, end, piece.text, "Loaded_Language"))
        html = render_html([doc])
        checker = parse(html)
        assert checker.errors == [] and checker.stack == []
        assert prose_text(html) == text

    check()


@pytest.mark.shared
def test_seed_article_renders_whole(seed_article, pipeline):
    """The motivating article (machine-translated, captions interleaved) renders with every character intact."""
    doc = pipeline.analyze(seed_article, published="2022-05-25")
    html = render_html([doc])
    checker = parse(html)
    assert checker.errors == [] and checker.stack == []
    assert prose_text(html) == doc.text
    assert 'data-layer="quotes"' in html and "<h3>Speakers</h3>" in html
