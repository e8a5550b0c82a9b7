"""A presslens web server in its own process, over a pipeline that takes a fixed time per article (the
test fake, slowed): for load tests that measure the server, not the client threads sharing its GIL.

    python tests/web/slow_server.py DB PORT SECONDS_PER_ARTICLE QUEUE_SIZE
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from web.fakes import FakePipeline  # noqa: E402


class SlowPipeline(FakePipeline):
    """The fake pipeline taking ``seconds`` per article (sleeping, as a real analysis waits on native code)."""

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds = seconds

    def _analyze(self, raw):
        time.sleep(self.seconds)
        return super()._analyze(raw)


def main(db: str, port: str, seconds: str, queue_size: str) -> None:
    import uvicorn

    from presslens.store import Store
    from presslens.web import create_app

    app = create_app(Store(db), SlowPipeline(float(seconds)), queue_size=int(queue_size))
    uvicorn.run(app, host="127.0.0.1", port=int(port), log_level="warning")


if __name__ == "__main__":
    main(*sys.argv[1:5])
