"""The self-contained HTML report: one file, CSS and JS inlined, no network, a strict CSP.

The page's Content-Security-Policy allows exactly our inline style and script by their sha256
hashes (``default-src 'none'``), so a script smuggled in through article text could not run even
if escaping failed; and escaping does not fail, because every value passes through Jinja2 with
autoescape on. Our own CSS/JS are the only strings inserted unescaped.
"""
from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import __version__
from ..document import Document
from .view import all_layers, build_views

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


@lru_cache(maxsize=None)
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """Our own CSS/JS, read once. They are inlined raw, so they must never contain a closing tag."""
    text = (STATIC / name).read_text(encoding="utf-8")
    if "</" in text:
        raise ValueError(f"{name} contains '</', which would end its inline element early")
    return text


def csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(css: str, js: str) -> str:
    return ("default-src 'none'; " f"style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def merged_tips(views: list[dict[str, Any]]) -> dict[str, Any]:
    tips: dict[str, Any] = {}
    for view in views:
        tips.update(view["tips"])
    return tips


def render_html(documents: list[Document]) -> str:
    """Render analysed documents as one self-contained HTML page."""
    views = build_views(documents)
    css, js = asset("report.css"), asset("report.js")
    title = views[0]["meta"]["title"] if len(views) == 1 else f"presslens report: {len(views)} articles"
    return environment().get_template("report.html.j2").render(
        views=views, layers=all_layers(views), tips=merged_tips(views), title=title, version=__version__,
        css=Markup(css), js=Markup(js), csp=content_security_policy(css, js))
