"""HTML pages -> article text and metadata with trafilatura (then its baseline extractor as a fallback)."""
from __future__ import annotations

import json
import sys
import re
from typing import Any

from ..errors import InputError

HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
TAG = re.compile(r"</?(p|div|span|a|body|head|article|section|h[1-6]|br|table|ul|li)\b[^>]*>", re.I)
# A text is treated as HTML when it opens like a page, or is this dense in common tags.
MIN_TAGS_FOR_HTML = 5


def looks_like_html(text: str) -> bool:
    head = text[:5000]
    return bool(HTML_START.match(head)) or len(TAG.findall(head)) >= MIN_TAGS_FOR_HTML


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
