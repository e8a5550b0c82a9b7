"""People & organisations in the web app once the store is indexed: corpus actors, one page per actor with everything
they said across articles, search by actor, and names that stay text (in-process TestClient; no browser)."""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from presslens.corpus.index import index
from presslens.document import Entity, Evidence, Mention
from presslens.store import Store
from presslens.web import create_app

from .test_actors import actor_of, store_with

TESTS = str(Path(__file__).resolve().parents[1])
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)
from web.fakes import FakePipeline  # noqa: E402

HOSTILE_NAME = 'Mara <img src=x onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def iceland(indexed_store, tmp_path_factory):
    db = tmp_path_factory.mktemp("pages") / "iceland.db"
    shutil.copy(indexed_store, db)
    store = Store(db)
    with TestClient(create_app(store, FakePipeline()), base_url="http://127.0.0.1") as client:
        yield client, db
    store.close()


def test_entities_lists_actors_with_their_names_roles_and_counts(iceland):
    client, db = iceland
    bjorn = actor_of(db, "Minister sets five-year path to EU membership", "Bjorn Karlsson")
    html = client.get("/entities").text
    row = re.search(rf'<tr><th scope="row"><a href="/actors/{bjorn}">Bjorn Karlsson</a>.*?</tr>', html, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[:3] == ["PERSON", "2", "3"]  # type, articles, things said
    assert "opposition leader" in cells[3] and "Karlsson" in cells[4]
    only = client.get("/entities", params={"q": "karlsson"}).text
    assert "Bjorn Karlsson" in only and "Anna Karlsson" in only and "Helga Arnadottir" not in only
    listed = client.get("/api/actors", params={"q": "karlsson"}).json()["items"]
    assert {a["name"] for a in listed} == {"Bjorn Karlsson", "Anna Karlsson"}


def test_a_name_opens_the_actor_page_with_everything_they_said_by_date(iceland):
    client, db = iceland
    bjorn = actor_of(db, "Minister sets five-year path to EU membership", "Bjorn Karlsson")
    moved = client.get("/entities/Karlsson", follow_redirects=False)  # the bare surname is his alias
    assert moved.status_code == 303 and moved.headers["location"] == f"/actors/{bjorn}"
    html = client.get(moved.headers["location"]).text
    said = re.findall(r"<li><time>(.*?)</time>.*?“(.*?)”.*?</li>", html, re.S)
    assert [d for d, _ in said] == ["2024-01-10", "2024-06-15", "2024-06-15"]
    assert said[0][1].startswith("Iceland will never join") and said[1][1].startswith("Iceland should join")
    assert "reykjavik-herald.example" in html and "island-post.example" in html
    assert 'id="chart-said-over-time"' in html
    info = client.get(f"/api/actors/{bjorn}").json()
    assert {i["kind"] for i in info["items"]} == {"direct", "reported"}
    assert client.get("/actors", params={"q": "Anna"}, follow_redirects=False).headers["location"] == "/entities?q=Anna"
    assert client.get("/actors/999999").status_code == 404


def test_search_filters_by_actor(iceland):
    client, db = iceland
    bjorn = actor_of(db, "Minister sets five-year path to EU membership", "Bjorn Karlsson")
    found = client.get("/api/articles", params={"actor": bjorn}).json()
    assert sorted(a["title"] for a in found["items"]) == ["Karlsson drops his opposition to Brussels",
                                                          "Minister sets five-year path to EU membership"]
    assert client.get("/api/search", params={"q": "union", "actor": bjorn}).json()["total"] == 2
    page = client.get("/corpus", params={"actor": str(bjorn)}).text
    assert "2 articles" in page and f'<option value="{bjorn}" selected>Bjorn Karlsson (2)</option>' in page
    bad = client.get("/corpus", params={"actor": "Bjorn"})
    assert bad.status_code == 400 and "PL-W23" in bad.text


@pytest.fixture
def wrens(tmp_path):
    """Two people surnamed Wren (each also called "Wren" in their article), and one with markup in their name."""
    texts = ["Tom Wren, the harbour master, said the pier stays shut. Wren spoke on Monday.",
             "Amy Wren, a marine biologist, said the seals came back. Wren counted forty of them.",
             f"{HOSTILE_NAME}, a ferry captain, said the crossing was rough."]
    docs = []
    for text, name, published in zip(texts, ["Tom Wren", "Amy Wren", HOSTILE_NAME],
                                     ["2024-01-01", "2024-01-02", "2024-01-03"]):
        start = text.index(name)
        aliases = [name, "Wren"] if "Wren" in name else [name]
        docs.append((text, published, [Entity("e1", name, "PERSON", [Mention(start, start + len(name), name)], [],
                                              aliases, 0.9, Evidence("test", "written by hand"))]))
    db = store_with(tmp_path / "wrens.db", docs)
    index(db, embed=False)
    store = Store(db)
    with TestClient(create_app(store, FakePipeline()), base_url="http://127.0.0.1") as client:
        yield client
    store.close()


def test_two_people_with_one_name_are_a_choice_and_markup_in_names_stays_text(wrens):
    choice = wrens.get("/entities/Wren", follow_redirects=False)
    assert choice.status_code == 200 and "2 different actors are called Wren" in choice.text
    assert "Tom Wren" in choice.text and "Amy Wren" in choice.text
    listing = wrens.get("/entities").text
    assert "<img" not in listing and "Mara &lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in listing
    hostile = re.search(r'href="(/actors/\d+)">Mara &lt;img', listing).group(1)
    assert "<img" not in wrens.get(hostile).text
