"""/ask and the actor pages in Chromium: the brief of the written corpus, its timeline chart, spans in their article,
merge/split through the forms, and a hostile on-topic article whose markup stays text."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

TESTS = str(Path(__file__).resolve().parents[1])
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from report.browser import artifacts, browser, page  # noqa: E402,F401  (fixtures)
from web.conftest import LiveServer  # noqa: E402
from web.fakes import FakePipeline  # noqa: E402

from .conftest import QUESTION, build_store  # noqa: E402

pytestmark = pytest.mark.browser
PAYLOAD = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script>"
HOSTILE = {"id": "hostile", "published": "2024-02-01", "url": "https://bad.example/x",
           "title": f"Iceland and Brussels {PAYLOAD}",
           "text": f"Iceland and Brussels {PAYLOAD}\n\nThe trade envoy Mira Stone said on Thursday that Iceland will "
                   f"join the European Union {PAYLOAD} by 2030.\n\nOfficials in Brussels did not comment."}


@pytest.fixture(scope="module")
def server(analysed_store, tmp_path_factory, pipeline):
    from presslens.corpus.index import index
    from presslens.store import Store
    from presslens.web import create_app

    db = tmp_path_factory.mktemp("web") / "iceland.db"
    shutil.copy(analysed_store, db)
    build_store(db, pipeline, [json.dumps(HOSTILE)])
    index(db)
    store = Store(db)
    with LiveServer(create_app(store, FakePipeline()), store, None) as live:
        yield live
    store.close()


def assert_clean(page) -> None:
    assert page.evaluate("window.__pwned") is None
    violations = [v for v in page.evaluate("window.__csp") if not v.startswith("style-src-elem inline .maplibregl")]
    assert violations == []
    assert [e for e in page.console_errors if not e.startswith("Applying inline style violates")] == []


def test_the_brief_in_the_browser(page, server, artifacts):
    page.goto(server.url + "/ask")
    page.fill("#ask-q", QUESTION)
    page.click("form.ask-form button[type=submit]")
    page.wait_for_url("**/ask?q=*")
    assert page.locator("#proposition").inner_text() == "Iceland will join the European Union"
    against = page.locator("#brief-against").inner_text()
    assert "Bjorn Karlsson" in against and "author" in against and "never join" in against
    assert "open question" in page.locator("#brief-discussing").inner_text()
    pro = page.locator("#brief-for")
    assert pro.locator(".speaker", has_text="Helga Arnadottir").count() == 2
    assert "Valur" not in page.content()
    helga_groups = {el.evaluate("e => e.closest('.claim-group').dataset.group")
                    for el in pro.locator(".brief-item", has_text="Helga Arnadottir").element_handles()}
    assert len(helga_groups) == 1
    assert page.locator(".positions-table tr.changed").inner_text().startswith("Bjorn Karlsson")
    page.locator("#chart-positions[data-drawn=true]").wait_for()
    assert page.locator("#chart-positions .scatterlayer .point").count() >= 6
    page.screenshot(path=str(artifacts / "corpus-ask.png"), full_page=True)
    assert_clean(page)
    # the item links to its span, highlighted in the article
    page.locator("#brief-against a.said", has_text="never join").click()
    page.wait_for_url("**/ask/span/*")
    assert page.locator("mark#span").inner_text() == "Iceland will never join the European Union while I lead this party,"
    assert_clean(page)


def test_hostile_text_stays_text(page, server):
    page.goto(server.url + "/ask?q=" + QUESTION.replace(" ", "+"))
    hostile = page.locator(".brief-item", has_text="Mira Stone")
    assert hostile.count() >= 1
    assert "<script>" in hostile.first.inner_text() or "<img" in hostile.first.inner_text()
    assert page.locator(".brief img, .brief script").count() == 0
    hostile.first.locator("a.said").click()
    page.wait_for_url("**/ask/span/*")
    assert page.locator("h1").inner_text().endswith(PAYLOAD)
    assert_clean(page)


def test_actor_page_and_corrections(page, server):
    page.goto(server.url + "/entities?q=Karlsson")
    page.click("a:has-text('Bjorn Karlsson')")
    page.wait_for_url("**/actors/*")
    said = page.locator(".entity-quotes li").all_inner_texts()
    assert said[0].startswith("2024-01-10") and "never join the European Union" in said[0]
    assert said[-1].startswith("2024-06-15") and "island-post.example" in said[-1]
    page.locator("#chart-said-over-time .main-svg").first.wait_for()
    assert "actors.context" in page.locator("table.links").inner_text()
    bjorn = int(page.url.rsplit("/", 1)[1])
    page.goto(server.url + "/actors?q=Anna")
    anna = int(page.locator("a:has-text('Anna Karlsson')").get_attribute("href").rsplit("/", 1)[1])
    page.goto(f"{server.url}/actors/{bjorn}")
    page.fill("#merge-other", str(anna))
    page.click("form.actor-merge button")
    page.wait_for_url(f"**/actors/{bjorn}")
    assert "Anna Karlsson" in page.locator(".muted").first.inner_text()
    page.select_option("#split-name", "Anna Karlsson")
    page.click("form.actor-split button")
    page.wait_for_url("**/actors/*")
    assert page.locator("h1").inner_text() == "Anna Karlsson"
    assert_clean(page)
