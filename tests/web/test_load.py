"""A bounded load test on loopback: 20 concurrent clients analysing and searching through a live uvicorn.

Bounded in count (20 clients x 3 articles + 3 searches + 2 reads) and time (each request 60 s, the whole run
120 s). It asserts no errors, no lost or duplicated articles, and that the pipeline never ran two articles at
once. By default the pipeline is the test fake (this measures the server, store and locking, not spaCy);
PRESSLENS_LOAD_PIPELINE=real runs the real default pipeline instead. Numbers go to artifacts/load.json.
"""
from __future__ import annotations

import json
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from web.conftest import start_server

pytestmark = pytest.mark.slow

CLIENTS = 20
ARTICLES_PER_CLIENT = 3
SEARCHES_PER_CLIENT = 3
REQUEST_TIMEOUT_S = 60
RUN_BUDGET_S = 120
TOWNS = ["Calloway", "Bramford", "Eastmere", "Holt", "Kingsbridge", "Lowick", "Marston", "Northam", "Oakley",
         "Pelham", "Quarry", "Redhill", "Stanton", "Thorne", "Upton", "Vale", "Westby", "Yarrow", "Zennor", "Ashby"]


def article(client: int, n: int) -> dict:
    town = TOWNS[client % len(TOWNS)]
    return {"title": f"{town} council vote {n}", "published": f"2024-0{1 + n}-{10 + client:02d}",
            "url": f"https://paper{client % 4}.example.org/{client}/{n}",
            "text": (f"{town} council vote {n}\n"
                     f"Mayor Lena Ortiz said \"the {town} budget will add {client * 10 + n} jobs this year\". "
                     f"Opposition leader Tom Reyes said the plan was \"a disaster for ratepayers number {client}-{n}\".\n")}


def client_run(base: str, client: int, barrier: threading.Barrier) -> dict:
    latencies: dict[str, list[float]] = {"analyze": [], "search": [], "read": []}
    errors: list[str] = []
    ids: list[int] = []
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_S) as http:
        barrier.wait()

        def timed(kind: str, method: str, url: str, **kwargs) -> httpx.Response | None:
            start = time.perf_counter()
            try:
                r = http.request(method, url, **kwargs)
            except httpx.HTTPError as exc:
                errors.append(f"{kind} {url}: {type(exc).__name__}: {exc}")
                return None
            latencies[kind].append(time.perf_counter() - start)
            if r.status_code >= 400:
                errors.append(f"{kind} {url}: {r.status_code} {r.text[:200]}")
            return r

        for n in range(ARTICLES_PER_CLIENT):
            r = timed("analyze", "POST", "/api/analyze", json=article(client, n))
            if r is not None and r.status_code == 201:
                ids.append(r.json()["id"])
            town = TOWNS[(client + n) % len(TOWNS)]
            if n < SEARCHES_PER_CLIENT:
                timed("search", "GET", "/api/search", params={"q": f"{town} budget", "speaker": "Lena Ortiz"})
        timed("read", "GET", "/api/articles", params={"limit": 20})
        if ids:
            timed("read", "GET", f"/api/articles/{ids[0]}")
    return {"latencies": latencies, "errors": errors, "ids": ids}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] if ordered else 0.0


def test_twenty_concurrent_clients_lose_nothing(tmp_path, artifacts):
    pipeline = None
    if os.environ.get("PRESSLENS_LOAD_PIPELINE") == "real":
        import presslens

        pipeline = presslens.load()
    with start_server(tmp_path / "load.db", pipeline) as server:
        barrier = threading.Barrier(CLIENTS)
        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            futures = [pool.submit(client_run, server.url, c, barrier) for c in range(CLIENTS)]
            results = [f.result(timeout=RUN_BUDGET_S) for f in futures]
        wall = time.perf_counter() - started
        errors = [e for r in results for e in r["errors"]]
        ids = [i for r in results for i in r["ids"]]
        listing = httpx.get(f"{server.url}/api/articles", params={"limit": 500}, timeout=30).json()
        stored_titles = sorted(a["title"] for a in listing["items"])
        overlaps = getattr(server.pipeline, "overlaps", 0)
    server.store.close()

    expected = CLIENTS * ARTICLES_PER_CLIENT
    lat = {k: [x for r in results for x in r["latencies"][k]] for k in ("analyze", "search", "read")}
    summary = {"pipeline": "real" if pipeline is not None else "fake", "clients": CLIENTS, "wall_s": round(wall, 2),
               "requests": sum(len(v) for v in lat.values()), "errors": len(errors),
               "articles_stored": listing["total"], "articles_expected": expected,
               **{f"{k}_p50_ms": round(1000 * statistics.median(v), 1) for k, v in lat.items() if v},
               **{f"{k}_p95_ms": round(1000 * percentile(v, 0.95), 1) for k, v in lat.items() if v},
               "requests_per_s": round(sum(len(v) for v in lat.values()) / wall, 1)}
    (artifacts / "load.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print("\nload test:", json.dumps(summary))

    assert errors == []
    assert len(ids) == len(set(ids)) == expected
    assert listing["total"] == expected
    assert stored_titles == sorted(article(c, n)["title"] for c in range(CLIENTS) for n in range(ARTICLES_PER_CLIENT))
    assert overlaps == 0
    assert wall < RUN_BUDGET_S
