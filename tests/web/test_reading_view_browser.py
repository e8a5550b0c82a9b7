"""The reading view as a product, in Chromium: claims marked without bracket glyphs, a calm default set of
layers (switchable with the keyboard), side panels that scroll with the page, readable dates in the
timeline, no "(no url)" filler, people-only "most-quoted", and roles read cleanly."""
from __future__ import annotations

import pytest

from presslens.document import (Attribution, Block, Claim, Document, Entity, Evidence, Mention, Quote, Role, Span,
                                Speaker, TimeExpr, TimelineEntry)
from presslens.ingest import RawArticle

pytestmark = pytest.mark.browser

TEXT = ("The authority's chief executive, Mara Quell, said on Monday that fares would rise 4 percent. "
        "“We cannot keep the ferries running otherwise,” Quell told reporters.\n\n"
        "The Harbour Board said in a statement that 300 jobs were at risk. " * 12)


def seeded_article(store) -> int:
    text = TEXT
    doc = Document(text, meta={"id": "ferry", "title": "Ferry fares", "source": "test"})
    doc.add("blocks", Block(0, len(text), text, "paragraph"))
    name = text.index("Mara Quell")
    board = text.index("The Harbour Board")
    role = text.index("'s chief")  # what the role extraction gives for "The authority's chief executive, X"
    doc.add("entities", Entity("e1", "Mara Quell", "PERSON", [Mention(name, name + 10, "Mara Quell")],
                               [Role(role, role + 18, text[role:role + 18])]))
    doc.add("entities", Entity("e2", "Harbour Board", "ORG", [Mention(board + 4, board + 17, "Harbour Board")]))
    qs = text.index("“")
    qe = text.index("”") + 1
    doc.add("quotes", Quote("q1", "direct", qs, qe, text[qs:qe], Span.of(text, qs + 1, qe - 1), None,
                            Speaker("e1", "Mara Quell"), 0.9, Evidence("test", "a quote")))
    said = text.index("said in a statement")
    doc.add("quotes", Quote("q2", "reported", board, said + 40, text[board:said + 40],
                            Span.of(text, said + 20, said + 40), None, Speaker("e2", "Harbour Board"), 0.8))
    fares = text.index("fares would rise")
    doc.add("claims", Claim("c1", fares, fares + 26, text[fares:fares + 26], 0.8, Attribution("e1", "Mara Quell"),
                            "speaker"))
    monday = text.index("Monday")
    doc.add("time", TimeExpr("t1", monday, monday + 6, "Monday", "DATE", "XXXX-WXX-1"))
    doc.add("timeline", TimelineEntry("t1", "XXXX-WXX-1", 0, text.index(".") + 1, text[:text.index(".") + 1]))
    return store.put(RawArticle(id="ferry", text=text, title="Ferry fares", source="test"), doc)


def test_reading_view_is_calm_and_keyboard_friendly(page, live_server, artifacts):
    article_id = seeded_article(live_server.store)
    page.goto(f"{live_server.url}/articles/{article_id}")
    claim = page.locator(".ann.L-claims").first
    for pseudo in ("::before", "::after"):  # no ⟦ ⟧ glyphs inside the prose
        assert claim.evaluate(f"el => getComputedStyle(el, '{pseudo}').content") in ("none", "normal")
    assert "⟦" not in page.locator(".pl-prose").inner_text()
    # default layers: quotes, reported speech, claims on; entities, techniques, time off
    assert page.is_checked('input[data-layer="quotes"]') and page.is_checked('input[data-layer="claims"]')
    assert not page.is_checked('input[data-layer="entities"]') and not page.is_checked('input[data-layer="time"]')
    entity = page.locator(".ann.L-entities").first
    assert entity.evaluate("el => getComputedStyle(el).fontWeight") == "400"
    assert page.get_attribute(".ann.L-time[id]", "tabindex") == "-1"  # hidden layers leave the tab order
    page.screenshot(path=str(artifacts / "web-reading-default.png"), full_page=True)
    # the keyboard switches a layer on
    page.focus('input[data-layer="entities"]')
    page.keyboard.press("Space")
    assert entity.evaluate("el => getComputedStyle(el).fontWeight") in ("600", "700")
    # side panels scroll with the page: no nested scroll box
    side = page.locator(".pl-side")
    assert side.evaluate("el => getComputedStyle(el).overflowY") == "visible"
    assert side.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
    # the timeline says when, readably; the normalised value stays in the title
    when = page.locator("[data-panel=timeline] time").first
    assert when.inner_text() == "a Monday" and when.get_attribute("title") == "normalised: XXXX-WXX-1"
    assert "XXXX" not in page.locator("[data-panel=timeline]").inner_text()
    # roles read cleanly
    roles = page.locator("[data-panel=entities] .roles").first.inner_text()
    assert roles == "chief executive"
    # Tab reaches the claims panel's link without a scroll trap
    page.locator("[data-panel=claims] a").first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash").startswith("#")
    page.screenshot(path=str(artifacts / "web-reading-entities-on.png"), full_page=True)


def test_listing_has_no_url_filler_and_most_quoted_holds_people(page, live_server, artifacts):
    seeded_article(live_server.store)
    page.goto(f"{live_server.url}/")
    listing = page.locator("ol.articles").inner_text()
    assert "Ferry fares" in listing and "(no url)" not in listing and "· ·" not in listing
    page.goto(f"{live_server.url}/corpus")
    assert "(no url)" not in page.locator("main").inner_text()
    data = page.request.get(f"{live_server.url}/api/dashboard").json()
    assert [r["name"] for r in data["most_quoted"]] == ["Mara Quell"]  # the Harbour Board is an organisation
    page.goto(f"{live_server.url}/dashboard")
    page.locator("#chart-most-quoted .main-svg").first.wait_for()
    chart = page.locator("#chart-most-quoted").inner_text()
    assert "Mara Quell" in chart and "Harbour Board" not in chart
    page.screenshot(path=str(artifacts / "web-dashboard.png"), full_page=True)
