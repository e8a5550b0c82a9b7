"""Web test fixtures: a live uvicorn server on a random loopback port, with a temporary store."""
from __future__ import annotations

import sys
from pathlib import Path

# tests/ on sys.path, so the report and web helpers (report.sample, web.fakes, ...) import the same way everywhere
TESTS = str(Path(__file__).resolve().parents[1])
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

import socket
import threading
import time
from pathlib import Path

import pytest

from report.browser import artifacts, browser, page  # noqa: F401  (fixtures)
from web.fakes import FakePipeline


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, app, store, pipeline):
        import uvicorn

        self.app, self.store, self.pipeline = app, store, pipeline
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_server(db: Path, pipeline=None) -> LiveServer:
    from presslens.store import Store
    from presslens.web import create_app

    store = Store(db)
    pipeline = pipeline or FakePipeline()
    return LiveServer(create_app(store, pipeline), store, pipeline)


@pytest.fixture
def live_server(tmp_path):
    with start_server(tmp_path / "web.db") as server:
        yield server
    server.store.close()
