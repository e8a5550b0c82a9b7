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
