"""Stance in the web app's article page, in Chromium against a live server: the same folding as the HTML report,
while the API's JSON keeps every judgement."""
from __future__ import annotations

import httpx
import pytest

from report.stance_sample import crowded_document
from report.test_stance_browser import check_stance_panel

pytestmark = pytest.mark.browser


def test_article_page_folds_neutral_stances(page, live_server, artifacts):
    article_id = live_server.store.put(None, crowded_document())
    page.goto(f"{live_server.url}/articles/{article_id}")
    check_stance_panel(page)
    page.locator("[data-panel=stance]").screenshot(path=str(artifacts / "web-stance-folded.png"))
    stored = httpx.get(f"{live_server.url}/api/articles/{article_id}", timeout=10).json()
    analysis = stored.get("analysis", stored)
    assert len(analysis["stance"]) == 15
