"""HTML pages -> article text and metadata with trafilatura (then its baseline extractor as a fallback)."""
from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from typing import Any

from ..errors import InputError

PAGE_START = re.compile(r"<(!doctype\s+html|html|head|body)\b", re.I)
TAG = re.compile(r"</?(p|div|span|a|body|head|article|section|h[1-6]|br|table|ul|li)\b[^>]*>", re.I)
# A text is treated as HTML when it opens like a page, or is this dense in common tags.
MIN_TAGS_FOR_HTML = 5


def looks_like_html(text: str) -> bool:
    head = text[:5000]
    return opens_like_a_page(head) or len(TAG.findall(head)) >= MIN_TAGS_FOR_HTML


def opens_like_a_page(head: str) -> bool:
    """Whether ``head`` starts, after blanks and <!-- comments -->, with <!doctype html>, <html>, <head> or <body>.

    A scan, not one regex: comments matched by a lazy ``.*?`` inside a repeated group can be split in
    exponentially many ways, and a page of many comments then takes forever to refuse."""
    position = 0
    while True:
        while position < len(head) and head[position].isspace():
            position += 1
        if not head.startswith("<!--", position):
            break
        end = head.find("-->", position + 4)
        if end == -1:
            return False
        position = end + 3
    return PAGE_START.match(head, position) is not None


def forget_other_pages() -> None:
    """Make HTML extraction a function of the page alone.

    trafilatura (deduplicate=True) drops a text segment it has seen more than twice *in this process*,
    so a page's text (and its article_key) would depend on which pages were extracted before it: in a
    batch, on how units were spread over workers and on whether the run was resumed. Its cache is emptied
    before every page (repeats within one page are still dropped)."""
    dedup = sys.modules.get("trafilatura.deduplication")
    if dedup is not None:
        dedup.LRU_TEST.clear()


def extract_html(html: str, name: str) -> dict[str, Any]:
    import trafilatura

    forget_other_pages()
    warnings: list[str] = []
    result = trafilatura.extract(html, output_format="json", with_metadata=True, include_comments=False,
                                 include_tables=False, deduplicate=True)
    data = json.loads(result) if result else {}
    text = (data.get("text") or "").strip()
    if not text:
        _, baseline_text, _ = trafilatura.baseline(html)
        text = (baseline_text or "").strip()
        if text:
            warnings.append("trafilatura found no main content; used its baseline extractor (may include boilerplate)")
    if not text:  # e.g. a page nested deeper than lxml parses (about 255 levels): it drops everything below
        text = plain_text(html)
        if text:
            warnings.append("the page could not be parsed as a document (nested too deeply?): "
                            "used its plain text, tags removed (may include boilerplate)")
    if not text:
        raise InputError("I15", f"{name} is HTML but holds no article text", "pass the article page, not an index or empty page")
    return {
        "text": text,
        "title": data.get("title"),
        "published": (data.get("date") or None),
        "author": data.get("author"),
        "url": data.get("url") or data.get("source"),
        "warnings": warnings,
        "bold_leads": bold_leads(html),
    }


# Elements whose content is never article text.
HIDDEN_ELEMENTS = frozenset({"script", "style", "noscript", "template", "head", "title", "svg"})
BLOCK_ELEMENTS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section",
                            "blockquote", "pre", "table", "ul", "ol", "header", "footer"})


class _TextCollector(HTMLParser):
    """The text of a page, tags removed, one line per block element: a tokenizer, so no depth limit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
        elif tag in BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_ELEMENTS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def plain_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


# Bold elements, and the most lead-ins a page keeps (an interview has dozens of turns, not thousands).
BOLD_ELEMENTS = frozenset({"b", "strong"})
MAX_BOLD_LEADS = 2000
HAS_BOLD = re.compile(r"<(?:b|strong)\b", re.I)


class _BoldLeads(HTMLParser):
    """The bold text that opens a block and has more text after it in that block ("<p><b>Novak</b> The …").

    Extraction drops the marks; these strings let the text be searched for where they begin (an interview
    turn label without a colon is told from an ordinary paragraph only by its bold face)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.leads: list[str] = []
        self.hidden = 0
        self.fresh = False  # in a block, no text seen yet
        self.bold: list[str] | None = None  # the bold text being read at a block's start
        self.pending: str | None = None  # a closed bold lead waiting for text after it

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
        elif tag in BLOCK_ELEMENTS:
            self.fresh, self.bold, self.pending = True, None, None
        elif tag in BOLD_ELEMENTS and self.fresh and self.bold is None:
            self.bold = []

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_ELEMENTS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCK_ELEMENTS:
            self.fresh, self.bold, self.pending = False, None, None
        elif tag in BOLD_ELEMENTS and self.bold is not None:
            lead = " ".join("".join(self.bold).split())
            self.fresh, self.bold, self.pending = False, None, lead or None

    def handle_data(self, data: str) -> None:
        if self.hidden or not data.strip():
            return
        if self.bold is not None:
            self.bold.append(data)
        elif self.pending is not None:
            if len(self.leads) < MAX_BOLD_LEADS:
                self.leads.append(self.pending)
            self.pending = None
        self.fresh = False


def bold_leads(html: str) -> list[str]:
    """Bold text opening a block of the page, in page order (see _BoldLeads); [] for a page with no bold."""
    if HAS_BOLD.search(html) is None:
        return []
    collector = _BoldLeads()
    collector.feed(html)
    collector.close()
    return collector.leads


# How many lines past the last one found a lead may open (extraction drops a few paragraphs, never many in a row);
# bounded, so a page of many leads the text does not hold costs leads x this, not leads x lines.
LEAD_LOOKAHEAD_LINES = 40


def locate_leads(text: str, leads: list[str]) -> list[list[int]]:
    """[start, end) of each lead where it opens a line of the extracted text, searched in page order."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    found, next_line = [], 0
    for lead in leads:
        for k in range(next_line, min(next_line + LEAD_LOOKAHEAD_LINES, len(line_starts))):
            if text.startswith(lead, line_starts[k]):
                found.append([line_starts[k], line_starts[k] + len(lead)])
                next_line = k + 1
                break
    return found
