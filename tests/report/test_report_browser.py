"""The HTML report in Chromium: layers switch, tooltips show label/confidence/evidence, keyboard works,
hostile articles execute nothing, the CSP blocks nothing of ours, print hides the controls."""
from __future__ import annotations

import pytest

from presslens.report.html import render_html
from report.sample import HOSTILE_TITLE, hostile_document, sample_document

pytestmark = pytest.mark.browser


@pytest.fixture
def report_file(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render_html([sample_document(), hostile_document()]), encoding="utf-8")
    return path


def background(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor")


def test_hover_a_quote_shows_its_speaker_and_evidence(page, report_file, artifacts):
    page.goto(report_file.as_uri())
    page.hover('[data-a="d0-q-q1"]')
    tip = page.locator("#pl-tip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "direct quote — Lena Ortiz" in text
    assert "confidence 0.92" in text
    assert "by quotes.straight_marks: text between straight double quotes after a colon" in text
    page.screenshot(path=str(artifacts / "report-hover-quote.png"))
    assert page.evaluate("window.__csp") == [] and page.console_errors == []


def test_layers_switch_off_and_on(page, report_file, artifacts):
    page.goto(report_file.as_uri())
    quote = '[data-a="d0-q-q1"]'
    coloured = background(page, quote)
    assert coloured not in ("rgba(0, 0, 0, 0)", "transparent")
    page.uncheck('input[data-layer="quotes"]')
    assert background(page, quote) == "rgba(0, 0, 0, 0)"
    assert page.get_attribute(f"{quote}[id]", "tabindex") == "-1"  # switched-off layers leave the tab order
    page.hover(quote)
    assert page.locator("#pl-tip").is_hidden() or "direct quote" not in page.locator("#pl-tip").inner_text()
    page.screenshot(path=str(artifacts / "report-quotes-off.png"))
    page.check('input[data-layer="quotes"]')
    assert background(page, quote) == coloured
    # the technique underline switches the same way
    tech = '[data-a="d0-t-0"]'
    assert "wavy" in page.eval_on_selector(tech, "el => getComputedStyle(el).textDecorationStyle")
    page.uncheck('input[data-layer="techniques"]')
    assert page.eval_on_selector(tech, "el => getComputedStyle(el).textDecorationLine") == "none"


def test_keyboard_focus_shows_the_tooltip(page, report_file):
    page.goto(report_file.as_uri())
    page.focus('[id="d0-d-t1"]')  # the time expression 'Monday'
    tip = page.locator("#pl-tip")
    tip.wait_for(state="visible")
    assert "DATE 4 March 2024" in tip.inner_text() and "value: 2024-03-04" in tip.inner_text()
    assert "anchored to: 2024-03-05" in tip.inner_text()
    assert page.get_attribute('[id="d0-d-t1"]', "aria-describedby") == "pl-tip"
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    # Tab walks from one annotation to the next
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('ann')")


def test_hostile_article_executes_nothing(page, report_file, artifacts):
    page.goto(report_file.as_uri())
    title = page.title()
    for selector in ('[data-a="d1-q-q1"]', '[data-a="d1-c-c1"]', '[data-a="d1-t-0"]'):
        page.hover(selector)
        page.focus(f'[id="{selector[9:-2]}"]')
    page.click("text=this")  # the would-be javascript: link is plain text
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert page.title() == title == "presslens report: 2 articles"
    assert page.locator("img, svg, textarea, b").count() == 0
    assert page.locator("h2", has_text="Hostile").inner_text() == HOSTILE_TITLE
    tip = page.locator("#pl-tip")
    page.hover('[data-a="d1-q-q1"]')
    assert "<img src=x onerror=window.__pwned=7>" in tip.inner_text()  # shown as text
    page.screenshot(path=str(artifacts / "report-hostile.png"), full_page=True)


def test_print_hides_the_controls(page, report_file, artifacts):
    page.goto(report_file.as_uri())
    page.emulate_media(media="print")
    assert page.locator(".pl-toggles").is_hidden()
    assert page.eval_on_selector(".pl-body", "el => getComputedStyle(el).display") == "block"
    page.screenshot(path=str(artifacts / "report-print.png"))


def test_side_panel_links_focus_their_span(page, report_file):
    page.goto(report_file.as_uri())
    page.click('[data-panel=claims] a[href="#d0-c-c2"]')
    assert page.evaluate("document.activeElement.id") == "d0-c-c2"
    tip = page.locator("#pl-tip")
    tip.wait_for(state="visible")
    assert "claim by Lena Ortiz" in tip.inner_text() and "check-worthiness: 0.61" in tip.inner_text()
    page.goto(report_file.as_uri() + "#d0-q-q2")
    assert page.evaluate("document.activeElement.id") == "d0-q-q2"
