"""Stance in the HTML report, in Chromium: the actors the article is about and the non-neutral judgements are listed,
the neutral passers-by are one line that opens to their names."""
from __future__ import annotations

import pytest

from presslens.report.html import render_html
from report.stance_sample import PASSING, crowded_document

pytestmark = pytest.mark.browser


def check_stance_panel(page) -> None:
    """Shared with the web app's test: both shells render the same panel."""
    panel = page.locator("[data-panel=stance]")
    items = panel.locator("ul.labels > li")
    shown = [items.nth(i).inner_text() for i in range(items.count())]
    assert len(shown) == 4
    assert "towards Mira Halden" in shown[0] and "towards Coastal Union" in shown[1]
    assert "unfavourable" in shown[2] and "towards Port Serin" in shown[2]
    folded = panel.locator("li.folded")
    assert folded.locator("summary").inner_text().strip() == "neutral toward 12 others"
    names = folded.locator("span.muted")
    assert not names.is_visible()  # folded: the names are there but closed
    folded.locator("summary").click()
    assert names.is_visible() and all(name in names.inner_text() for name in PASSING)


def test_report_folds_neutral_stances_into_one_line(page, tmp_path, artifacts):
    path = tmp_path / "report.html"
    path.write_text(render_html([crowded_document()]), encoding="utf-8")
    page.goto(path.as_uri())
    check_stance_panel(page)
    page.locator("[data-panel=stance]").screenshot(path=str(artifacts / "report-stance-folded.png"))
    assert page.evaluate("window.__csp") == [] and page.console_errors == []
