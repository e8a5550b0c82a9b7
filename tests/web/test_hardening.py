"""The web app's guards against a live uvicorn on loopback: Host allow-list (DNS rebinding), same-origin from
the socket's port, analyses queued off the request threads (503 + Retry-After when full, reads stay fast),
and the smaller defects (huge integers, quote-mark searches, title caps, lone surrogates, empty layers)."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from presslens.store import Store
from presslens.web import create_app
from web.conftest import LiveServer, free_port
from web.corpus import HARBOUR, RIVER
from web.fakes import FakePipeline


def serve(tmp_path, pipeline=None, **options) -> LiveServer:
    store = Store(tmp_path / "web.db")
    pipeline = pipeline or FakePipeline()
    return LiveServer(create_app(store, pipeline, **options), store, pipeline)


def test_foreign_host_header_is_refused(live_server):
    ok = httpx.get(f"{live_server.url}/api/articles", timeout=10)
    assert ok.status_code == 200
    for host in ("evil.example", f"evil.example:{live_server.port}", "127.0.0.1.evil.example"):
        r = httpx.get(f"{live_server.url}/api/articles", headers={"host": host}, timeout=10)
        assert r.status_code == 421 and r.json()["error"]["code"] == "PL-W21", host
    r = httpx.post(f"{live_server.url}/api/analyze", json={"text": HARBOUR}, headers={"host": "evil.example"},
                   timeout=10)
    assert r.status_code == 421 and live_server.pipeline.calls == 0
    page = httpx.get(f"{live_server.url}/", headers={"host": "rebound.example"}, timeout=10)
    assert page.status_code == 421 and "PL-W21" in page.text and "content-security-policy" in page.headers
    assert httpx.get(f"http://localhost:{live_server.port}/api/articles", timeout=10).status_code == 200


def test_allowed_host_is_configurable(tmp_path):
    with serve(tmp_path, allowed_hosts=["presslens.lan"]) as server:
        r = httpx.get(f"{server.url}/api/articles", headers={"host": f"presslens.lan:{server.port}"}, timeout=10)
        assert r.status_code == 200
        assert httpx.get(f"{server.url}/api/articles", headers={"host": "other.lan"}, timeout=10).status_code == 421
    server.store.close()


def test_same_origin_check_does_not_trust_the_host_header(live_server):
    # a page on another port of this machine (or a rebound name) posting with a Host matching its Origin
    other = f"http://localhost:{live_server.port + 1}"
    r = httpx.post(f"{live_server.url}/api/analyze", json={"text": HARBOUR},
                   headers={"origin": other, "host": f"localhost:{live_server.port + 1}"}, timeout=10)
    assert r.status_code == 403 and r.json()["error"]["code"] == "PL-W03"
    r = httpx.post(f"{live_server.url}/api/analyze", json={"text": HARBOUR},
                   headers={"origin": f"http://localhost:{live_server.port}"}, timeout=10)
    assert r.status_code == 201


def start_slow_server(tmp_path, seconds: float, queue_size: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("slow_server.py")), str(tmp_path / "w.db"),
                             str(port), str(seconds), str(queue_size)], stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url + "/api/articles", timeout=2)
            return proc, url
        except httpx.HTTPError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"server did not start: {proc.communicate()[1][-2000:]}")
            time.sleep(0.2)


def test_reads_stay_fast_while_analyses_queue(tmp_path):
    """150 concurrent analyses (the report's scenario) against a queue of 8: the excess gets 503 + Retry-After
    at once, and reads issued meanwhile answer in well under a second (they took 30 s before)."""
    proc, url = start_slow_server(tmp_path, 0.25, 8)
    try:
        httpx.post(f"{url}/api/analyze", json={"text": RIVER}, timeout=30).raise_for_status()
        statuses: list[int] = []
        retry_after: list[str] = []
        read_latencies: list[float] = []
        gate = threading.Barrier(150)

        def analyse(i: int) -> None:
            with httpx.Client(timeout=120) as http:
                gate.wait()
                r = http.post(f"{url}/api/analyze", json={"text": f"{HARBOUR} Vote {i}."})
            statuses.append(r.status_code)
            if r.status_code == 503:
                retry_after.append(r.headers.get("retry-after", ""))

        def read() -> None:
            with httpx.Client(timeout=60) as http:
                for _ in range(30):
                    started = time.perf_counter()
                    assert http.get(f"{url}/api/articles").status_code == 200
                    read_latencies.append(time.perf_counter() - started)
                    time.sleep(0.05)

        with ThreadPoolExecutor(151) as pool:
            jobs = [pool.submit(analyse, i) for i in range(150)] + [pool.submit(read)]
            for job in jobs:
                job.result(timeout=240)
        stored = httpx.get(f"{url}/api/articles", params={"limit": 500}, timeout=30).json()["total"]
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert set(statuses) <= {201, 503} and statuses.count(201) >= 8 and statuses.count(503) > 0
    assert all(value.isdigit() and int(value) >= 1 for value in retry_after)
    assert stored == statuses.count(201) + 1
    read_latencies.sort()
    assert read_latencies[int(0.95 * (len(read_latencies) - 1))] < 1.0, read_latencies


def test_numbers_too_large_for_sqlite_are_a_client_error(live_server):
    huge = "9" * 30
    for path in (f"/api/articles/{huge}", f"/api/articles?offset={huge}", f"/articles/{huge}",
                 f"/corpus?offset={huge}", f"/api/search?q=port&offset={huge}"):
        r = httpx.get(live_server.url + path, timeout=10)
        assert 400 <= r.status_code < 500, (path, r.status_code)


def test_search_of_quote_marks_only_finds_nothing(live_server):
    httpx.post(f"{live_server.url}/api/analyze", json={"text": HARBOUR}, timeout=30).raise_for_status()
    for q in ('"', '""', '" "'):
        body = httpx.get(f"{live_server.url}/api/search", params={"q": q}, timeout=10).json()
        assert body["total"] == 0 and body["items"] == [], q
        assert httpx.get(f"{live_server.url}/api/articles", params={"q": q}, timeout=10).json()["total"] == 0
    assert "No articles" in httpx.get(f"{live_server.url}/corpus", params={"q": '""'}, timeout=10).text or \
        "0 articles" in httpx.get(f"{live_server.url}/corpus", params={"q": '""'}, timeout=10).text


def test_paste_form_caps_the_title_like_the_api(live_server):
    r = httpx.post(f"{live_server.url}/analyze", data={"text": HARBOUR, "title": "T" * 200_000}, timeout=30)
    assert r.status_code == 422 and live_server.pipeline.calls == 0
    r = httpx.post(f"{live_server.url}/analyze", data={"text": HARBOUR, "title": "T" * 1000}, timeout=30,
                   follow_redirects=False)
    assert r.status_code == 303


def test_lone_surrogate_is_a_coded_400_not_a_500(live_server):
    body = b'{"text": "Broken emoji \\ud83d in an otherwise fine article about the harbour."}'
    r = httpx.post(f"{live_server.url}/api/analyze", content=body, headers={"content-type": "application/json"},
                   timeout=30)
    assert r.status_code == 400 and r.json()["error"]["code"] == "PL-I33"
    assert httpx.post(f"{live_server.url}/api/analyze", json={"text": RIVER}, timeout=30).status_code == 201


def test_api_and_export_show_one_shape(live_server, tmp_path):
    created = httpx.post(f"{live_server.url}/api/analyze", json={"text": RIVER}, timeout=30).json()
    reread = httpx.get(f"{live_server.url}/api/articles/{created['id']}", timeout=10).json()
    assert set(reread["analysis"]) == set(created["analysis"])
    from presslens.batch.export import export

    out = tmp_path / "all.jsonl"
    export(live_server.store, "jsonl", out)
    exported = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert set(exported) == set(reread["analysis"])


def test_serve_on_a_busy_port_is_a_coded_error(tmp_path):
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "presslens", "serve", "--db", str(tmp_path / "c.db"),
                              "--port", str(port)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "PL-W31" in run.stderr and "already in use" in run.stderr
    assert "Traceback" not in run.stderr and "Errno" not in run.stderr
