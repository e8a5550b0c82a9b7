"""Bounded loopback load test of the web app: do reads stay fast while analyses queue?

The server runs in its own process (as `presslens serve` does), so client threads do not share its GIL.
Two phases in one command: reads on the idle server (the baseline), then the same reads while ANALYSES
concurrent analyse requests arrive at once. Reports read p50/p95 in both phases and their ratio, how
many analyses were accepted (201) and shed (503 + Retry-After), and the server's peak memory.

    python benchmarks/web_load.py                     # analyses take 0.25 s each (a sleeping pipeline)
    python benchmarks/web_load.py --pipeline real     # the real default pipeline (loads the models)

At most ANALYSES + 2 * READS requests (a few hundred); nothing leaves 127.0.0.1.
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ARTICLE = ("Harbour vote\nMayor Lena Ortiz said \"the harbour budget will add {n} jobs this year\". "
           "Opposition leader Tom Reyes said the plan was \"a disaster for ratepayers\" on Monday.\n")


class SleepingPipeline:
    """Takes a fixed time per article and finds nothing: measures the server, not the analyzers."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def analyze(self, raw):
        from presslens.document import Document

        time.sleep(self.seconds)
        return Document(text=raw.text, meta={"id": raw.id, "title": raw.title, "source": raw.source,
                                             "pipeline": [{"name": "sleep", "version": "0"}]})


def serve(db: str, port: int, pipeline: str, seconds: float, queue_size: int) -> None:
    import uvicorn

    import presslens
    from presslens.store import Store
    from presslens.web import create_app

    analysis = presslens.load() if pipeline == "real" else SleepingPipeline(seconds)
    uvicorn.run(create_app(Store(db), analysis, queue_size=queue_size), host="127.0.0.1", port=port,
                log_level="error")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] if ordered else float("nan")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reads(http, url: str, n: int, pause: float) -> list[float]:
    latencies = []
    for _ in range(n):
        started = time.perf_counter()
        http.get(f"{url}/api/articles", params={"limit": 20}).raise_for_status()
        latencies.append(time.perf_counter() - started)
        time.sleep(pause)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pipeline", choices=("sleep", "real"), default="sleep")
    parser.add_argument("--seconds", type=float, default=0.25, help="seconds per analysis (sleep pipeline)")
    parser.add_argument("--analyses", type=int, default=150)
    parser.add_argument("--reads", type=int, default=60)
    parser.add_argument("--queue", type=int, default=32, help="analysis queue size (the app's default)")
    parser.add_argument("--serve", nargs=2, metavar=("DB", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.pipeline, args.seconds, args.queue)
        return

    import httpx

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(Path(tmp) / "load.db"), str(port),
                                   "--pipeline", args.pipeline, "--seconds", str(args.seconds),
                                   "--queue", str(args.queue)])
        try:
            deadline = time.monotonic() + 300
            while True:
                try:
                    httpx.get(f"{url}/api/articles", timeout=2)
                    break
                except httpx.HTTPError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        sys.exit("the server did not start")
                    time.sleep(0.3)
            with httpx.Client(timeout=120) as http:
                http.post(f"{url}/api/analyze", json={"text": ARTICLE.format(n=0)}).raise_for_status()
                idle = reads(http, url, args.reads, 0.02)
            statuses: list[int] = []
            gate = threading.Barrier(args.analyses + 1)

            def analyse(i: int) -> None:
                with httpx.Client(timeout=600) as http:
                    gate.wait()
                    statuses.append(http.post(f"{url}/api/analyze", json={"text": ARTICLE.format(n=i + 1)}).status_code)

            def loaded_reads() -> list[float]:
                with httpx.Client(timeout=120) as http:
                    gate.wait()
                    time.sleep(0.2)  # the burst is in: every analysis is queued, running or refused
                    return reads(http, url, args.reads, 0.05)

            started = time.perf_counter()
            with ThreadPoolExecutor(args.analyses + 1) as pool:
                futures = [pool.submit(analyse, i) for i in range(args.analyses)]
                busy = pool.submit(loaded_reads).result()
                for future in futures:
                    future.result()
            wall = time.perf_counter() - started
            memory = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    result = {
        "pipeline": args.pipeline if args.pipeline == "real" else f"sleep {args.seconds} s", "queue": args.queue,
        "analyses_sent": args.analyses, "accepted_201": statuses.count(201), "shed_503": statuses.count(503),
        "other": len([s for s in statuses if s not in (201, 503)]), "wall_s": round(wall, 1),
        "read_p50_idle_ms": round(1000 * statistics.median(idle), 1),
        "read_p95_idle_ms": round(1000 * percentile(idle, 0.95), 1),
        "read_p50_loaded_ms": round(1000 * statistics.median(busy), 1),
        "read_p95_loaded_ms": round(1000 * percentile(busy, 0.95), 1),
        "read_p95_ratio_loaded_vs_idle": round(percentile(busy, 0.95) / percentile(idle, 0.95), 2),
        "server_peak_rss_mb": round(memory, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
