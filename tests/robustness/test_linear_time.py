"""Pathological input finishes in time linear in its length: one test per path that used to be quadratic
(or worse), each on a 100,000-character input that the old code did not finish in minutes.

The bound (SECONDS) is generous for a loaded machine and far below what the quadratic versions took
(20,000 quote marks alone took 44 s in spaCy's tokenizer; 100,000 take well over ten minutes).
"""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from presslens.document import Document

SECONDS = 10.0
N = 100_000
RUNS = {
    "straight quotes": '"' * N,
    "typographic quotes": "“" * N,
    "opening brackets": "(" * N,
    "closing brackets": ")" * N,
    "mixed marks": '"([' * (N // 3),
    "guillemets": "«a" * (N // 2),
    "letters": "a" * N,
    "url-like": "http://" + "a/" * (N // 2),
}


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


@pytest.mark.parametrize("name", list(RUNS))
def test_tokenizer_is_linear_on_long_runs(nlp, name):
    text = RUNS[name]
    doc, seconds = timed(nlp.make_doc, text)
    assert seconds < SECONDS, f"{name}: {seconds:.1f} s"
    assert doc.text == text  # offsets stay faithful: the Doc is the input to the character


def test_tokenizer_keeps_ordinary_text_as_spacy_tokenises_it(nlp):
    from presslens.tokenizer import BoundedTokenizer

    text = 'The mayor said "we will build it" (on Monday), at https://example.org/a.\n\nIt cost $5m.'
    assert isinstance(nlp.tokenizer, BoundedTokenizer)
    assert [t.text for t in nlp.make_doc(text)] == [t.text for t in nlp.tokenizer.tokenizer(text)]
    mixed = "Words before. " + '"' * 500 + " and after, quoted: \"yes\"."
    doc = nlp.make_doc(mixed)
    assert doc.text == mixed and [t.text for t in doc][-6:] == ["quoted", ":", '"', "yes", '"', "."]


def test_paired_quote_scan_is_linear():
    from presslens.analyzers.shared import quote_ranges

    for text in ("“" * N, '"' * N, "«" * N, "“a" * (N // 2)):
        ranges, seconds = timed(quote_ranges, Document(text=text))
        assert seconds < SECONDS and ranges == []


def test_html_sniffing_is_linear_on_many_comments():
    from presslens.ingest.html import looks_like_html

    result, seconds = timed(looks_like_html, "<!-- -->" * (N // 8) + "plain text")
    assert seconds < SECONDS and result is False
    assert looks_like_html("<!-- a --> <!-- b -->\n<html><body>x</body></html>")


def test_decoding_many_bad_bytes_is_linear():
    from presslens.ingest.text import decode_bytes

    data = "café ".encode() * (N // 6) + b"\xff " * (N // 6)  # UTF-8 with a bad byte per good letter
    (text, warnings), seconds = timed(decode_bytes, data, "x.txt")
    assert seconds < SECONDS and text.count("\ufffd") == N // 6 and "U+FFFD" in warnings[0]


def test_deep_html_is_read_in_linear_time():
    from presslens.ingest import read_document

    page = "<html><body>" + "<div>" * (N // 5) + "<p>The bridge reopened on Monday.</p></body></html>"
    raw, seconds = timed(read_document, page.encode(), "deep.html", None, True)
    assert seconds < 60 and "The bridge reopened on Monday." in raw.text


def test_search_query_of_quote_marks_is_linear():
    from presslens.store.sqlite import fts_query

    query, seconds = timed(fts_query, '"' * N + 'a"b' * 1000)
    assert seconds < SECONDS


def test_analyze_twenty_thousand_quote_marks_through_the_cli(tmp_path, pipeline):
    """The issue's reproduction, through a real process and the full default pipeline."""
    path = tmp_path / "q.txt"
    path.write_text('"' * 20_000 + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "presslens", "analyze", str(path), "--format", "json"],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-2000:]
    assert '"schema": "presslens.analysis/1"' in run.stdout


def test_bold_leads_of_a_page_are_found_in_linear_time():
    from presslens.ingest.html import MAX_BOLD_LEADS, bold_leads, locate_leads

    page = "<p><b>a</b> x</p>" * (N // 16)  # thousands of bold leads, each a substring of every line
    leads, seconds = timed(bold_leads, page)
    assert len(leads) == MAX_BOLD_LEADS and seconds < SECONDS
    text = ("b a x" + "\n") * N  # none opens a line: the old search walked the whole text once per lead
    found, seconds = timed(locate_leads, text, leads)
    assert found == [] and seconds < SECONDS, f"{seconds:.1f} s"
