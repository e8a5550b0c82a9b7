"""The JSON API and the server's guards, in-process (FastAPI TestClient): fast, no browser."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from presslens.store import Store
from presslens.web import create_app
from web.corpus import HARBOUR, HOSTILE, HOSTILE_TITLE, HOSTILE_URL, RIVER, SCHOOL
from web.fakes import FakePipeline


@pytest.fixture
def client(tmp_path):
    store = Store(tmp_path / "api.db")
    with TestClient(create_app(store, FakePipeline(), max_upload_bytes=200_000), base_url="http://127.0.0.1") as c:
        yield c
    store.close()


def analyze(client, text, **meta):
    r = client.post("/api/analyze", json={"text": text, **meta})
    assert r.status_code == 201, r.text
    return r.json()


def test_analyze_returns_the_stored_analysis(client):
    body = analyze(client, HARBOUR, title="Harbour", published="2024-03-05", url="https://news.example.org/a")
    assert body["analysis"]["schema"] == "presslens.analysis/1"
    assert body["analysis"]["text"] == HARBOUR.replace("\r", "")
    assert [q["speaker"]["name"] for q in body["analysis"]["quotes"]] == ["Tom Reyes", "Lena Ortiz"]
    again = client.get(f"/api/articles/{body['id']}").json()
    assert again["analysis"] == body["analysis"] and again["article"]["title"] == "Harbour"
    assert analyze(client, HARBOUR, title="Harbour")["id"] == body["id"]  # same text: same article


def test_analyze_html_extracts_the_article(client):
    page = ("<html><head><title>Barrier</title></head><body><nav>Home | News</nav><article><h1>Flood barrier opens</h1>"
            + "".join(f"<p>{line}</p>" for line in RIVER.splitlines()[1:] * 3) + "</article></body></html>")
    r = client.post("/api/analyze", json={"html": page, "published": "2024-04-01"})
    assert r.status_code == 201, r.text
    assert "protect 4000 jobs" in r.json()["analysis"]["text"] and "<p>" not in r.json()["analysis"]["text"]


def test_list_search_filters_entities_and_dashboard(client):
    analyze(client, HARBOUR, title="Harbour", published="2024-03-05", url="https://news.example.org/a")
    analyze(client, RIVER, title="River", published="2024-04-01", url="https://www.daily.example.com/b")
    analyze(client, SCHOOL, title="School", published="2024-05-02")
    listing = client.get("/api/articles").json()
    assert listing["total"] == 3 and [a["title"] for a in listing["items"]] == ["School", "River", "Harbour"]
    found = client.get("/api/search", params={"q": "barrier"}).json()
    assert [a["title"] for a in found["items"]] == ["River"]
    assert any(part["hit"] and part["text"].lower() == "barrier" for part in found["items"][0]["snippet"])
    by_speaker = client.get("/api/articles", params={"speaker": "lena ortiz"}).json()
    assert sorted(a["title"] for a in by_speaker["items"]) == ["Harbour", "River"]
    assert client.get("/api/articles", params={"technique": "Loaded_Language", "date_from": "2024-04-01"}).json()["total"] == 2
    assert client.get("/api/articles", params={"genre": "news", "date_to": "2024-03-31"}).json()["total"] == 1
    assert client.get("/api/search", params={"q": 'barrier "unbalanced'}).status_code == 200  # no FTS syntax error
    people = {e["name"]: e for e in client.get("/api/entities").json()["items"]}
    assert people["Lena Ortiz"]["articles"] == 2 and people["Lena Ortiz"]["quotes"] == 2
    ortiz = client.get("/api/entities/Lena Ortiz").json()
    assert [q["published"] for q in ortiz["quotes"]] == ["2024-03-05", "2024-04-01"]  # over time, oldest first
    dash = client.get("/api/dashboard").json()
    assert dash["totals"]["articles"] == 3
    assert dash["techniques_per_outlet"]["categories"] == ["daily.example.com", "news.example.org", "without a URL"]
    assert dash["most_quoted"][0] == {"name": "Lena Ortiz", "quotes": 2, "articles": 2}


@pytest.mark.parametrize("request_kwargs, status, code", [
    ({"json": {"text": "a", "html": "<p>b</p>"}}, 400, "PL-W10"),
    ({"json": {}}, 400, "PL-W10"),
    ({"json": {"text": "x", "colour": "red"}}, 422, "PL-W22"),
    ({"json": {"text": "Some text.", "published": "last week"}}, 400, "PL-I20"),
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "PL-W22"),
    ({"json": {"text": "x" * 300_000}}, 413, "PL-W13"),
])
def test_bad_requests_get_an_error_object(client, request_kwargs, status, code):
    r = client.post("/api/analyze", **request_kwargs)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code and error["message"] and "hint" in error


def test_not_found_and_wrong_method(client):
    assert client.get("/api/articles/12345").json()["error"]["code"] == "PL-W01"
    assert client.get("/api/entities/Nobody Here").status_code == 404
    assert client.get("/api/nothing").json()["error"]["code"] == "PL-W04"
    assert client.delete("/api/articles").status_code == 405
    page = client.get("/articles/12345")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"] and "no analysed article" in page.text


def test_uploads_are_limited_and_typed(client):
    r = client.post("/analyze", files={"file": ("big.txt", b"word " * 60_000)}, follow_redirects=False)
    assert r.status_code == 413 and "larger than the 0.2 MB limit" in r.text
    r = client.post("/analyze", files={"file": ("photo.png", b"\x89PNG\r\n")}, follow_redirects=False)
    assert r.status_code == 415 and "only .txt and .html" in r.text
    r = client.post("/analyze", files={"file": ("../../etc/passwd.txt", HARBOUR.encode())}, follow_redirects=False)
    assert r.status_code == 303  # the name is a label only
    stored = client.get(r.headers["location"].replace("/articles/", "/api/articles/")).json()
    assert stored["article"]["source"] == "upload:passwd.txt"


def test_security_headers_and_static_files_by_fixed_name(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/report.js").headers["content-type"].startswith("text/javascript")
    plotly = client.get("/static/plotly.min.js")
    assert plotly.status_code == 200 and len(plotly.content) > 1_000_000
    for probe in ("/static/..%2Fapp.py", "/static/%2e%2e/web/app.py", "/static/app.py", "/static/plotly.js"):
        assert client.get(probe).status_code == 404, probe


def test_docs_page_is_offline_and_openapi_is_served(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/analyze" in docs.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", docs.text)
    spec = client.get("/openapi.json").json()
    assert {"/api/analyze", "/api/articles", "/api/articles/{article_id}", "/api/search", "/api/entities"} <= set(spec["paths"])


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_pages_escape_hostile_articles(client):
    body = analyze(client, HOSTILE, title=HOSTILE_TITLE, url=HOSTILE_URL)
    urls = ["/", f"/articles/{body['id']}", "/corpus?q=pwned", "/corpus", "/entities", "/entities/Evil Person",
            "/dashboard"]
    for url in urls:
        html = client.get(url).text
        assert "<script>window.__pwned" not in html, url
        parser = Tags()
        parser.feed(html)
        for tag, attrs in parser.tags:
            assert tag not in ("img", "svg", "textarea") or tag == "textarea" and url == "/", (url, tag, attrs)
            assert not any(name.startswith("on") for name in attrs), (url, tag, attrs)
            assert not any(str(v).strip().lower().startswith("javascript:") for v in attrs.values()), (url, tag)
            if tag == "script":
                assert attrs.get("src", "").startswith("/static/") or attrs.get("type") == "application/json", url
        assert "window.__pwned" in html or url in ("/entities", "/dashboard"), url  # the payload is there, as text


@pytest.fixture
def real_pipeline(request):
    from presslens.errors import ModelError

    try:
        return request.getfixturevalue("pipeline")  # tests/conftest.py: the default pipeline, built once
    except ModelError as exc:  # the one resource it may lack: a model not installed (spaCy wheel, model files)
        pytest.skip(f"the default pipeline needs a model that is not installed: {exc}")


def test_real_pipeline_through_the_app(tmp_path, real_pipeline):
    store = Store(tmp_path / "real.db")
    with TestClient(create_app(store, real_pipeline), base_url="http://127.0.0.1") as client:
        body = analyze(client, HARBOUR, title="Harbour", published="2024-03-05")
        analysis = body["analysis"]
        assert analysis["quotes"] and analysis["entities"]
        assert [p["name"] for p in analysis["meta"]["pipeline"]][0] == "spacy"
        page = client.get(f"/articles/{body['id']}").text
        assert 'data-layer="quotes"' in page and "Tom Reyes" in page
        assert client.get("/api/search", params={"q": "disgrace"}).json()["total"] == 1
    store.close()


def test_a_chunked_body_over_the_limit_gets_413(client):
    def chunks():
        yield b'{"text": "'
        for _ in range(30):
            yield b"x" * 10_000
        yield b'"}'

    for url, headers in (("/api/analyze", {"content-type": "application/json"}),
                         ("/analyze", {"content-type": "application/x-www-form-urlencoded"})):
        r = client.post(url, content=chunks(), headers=headers)
        assert r.status_code == 413, (url, r.status_code, r.text[:200])
        assert "larger than the 0.2 MB limit" in r.text


def test_posts_from_another_site_are_refused(client):
    r = client.post("/analyze", data={"text": HARBOUR}, headers={"origin": "https://evil.example"},
                    follow_redirects=False)
    assert r.status_code == 403 and "another site" in r.text
    r = client.post("/api/analyze", json={"text": HARBOUR}, headers={"origin": "https://evil.example"})
    assert r.json()["error"]["code"] == "PL-W03"
    r = client.post("/analyze", data={"text": HARBOUR}, headers={"origin": "http://127.0.0.1"}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/articles").json()["total"] == 1


def test_corpus_pages_and_entity_filter(client):
    for n in range(30):
        analyze(client, f"Budget report {n}\nAna Silva said \"number {n} is final\" today.\n", title=f"Report {n:02d}")
    first = client.get("/corpus").text
    assert first.count('class="article-link"') == 25 and "Older ›" in first and "Newer" not in first
    older = re.search(r'href="(/corpus\?[^"]*offset=25[^"]*)"', first).group(1)
    second = client.get(older.replace("&amp;", "&")).text
    assert second.count('class="article-link"') == 5 and "Report 00" in second and "‹ Newer" in second
    filtered = client.get("/corpus", params={"q": "final", "speaker": "Ana Silva", "offset": 25}).text
    assert 'name="q" value="final"' in filtered and "speaker=Ana+Silva" in filtered
    assert "Ana Silva" in client.get("/entities", params={"q": "silva"}).text
    assert "Ana Silva" not in client.get("/entities", params={"q": "nobody"}).text


def test_pipeline_refusals_reach_the_client(client):
    r = client.post("/api/analyze", json={"text": "   \n  "})
    assert r.status_code == 400 and r.json()["error"]["code"] == "PL-W10"
    r = client.post("/analyze", data={"text": "<p>only markup</p>", "kind": "html"}, follow_redirects=False)
    assert r.status_code in (400, 303)
    if r.status_code == 400:
        assert "PL-I" in r.text  # an ingest error, shown with its hint


def test_article_page_links_people_to_their_corpus_page(client):
    body = analyze(client, HARBOUR, title="Harbour")
    page = client.get(f"/articles/{body['id']}").text
    assert 'href="/entities/Lena%20Ortiz"' in page and 'href="/entities/Tom%20Reyes"' in page
    assert client.get("/entities/Lena%20Ortiz").status_code == 200
