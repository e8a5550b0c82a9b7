"""The analysis queue: one thread runs analyses one at a time; request handlers wait for them without
holding a thread, so the threads that serve reads are never taken by analyses.

The queue is bounded: when it is full, a new analysis is refused at once with 503 and a Retry-After
estimated from how long recent analyses took, instead of piling up requests that time out.
"""
from __future__ import annotations

import asyncio
import math
import queue
import threading
import time
from concurrent.futures import Future
from typing import Any, Callable, Optional

# Recent analyses' mean duration starts here (seconds) and follows them with this weight per analysis.
INITIAL_ESTIMATE_S = 2.0
ESTIMATE_WEIGHT = 0.2


class AnalysisQueue:
    def __init__(self, size: int):
        self.size = max(1, int(size))
        self.jobs: queue.Queue[tuple[Future, Callable[[], Any]]] = queue.Queue(maxsize=self.size)
        self.mean_s = INITIAL_ESTIMATE_S
        self.thread: Optional[threading.Thread] = None
        self.start_lock = threading.Lock()

    def submit(self, job: Callable[[], Any]) -> Future:
        """Queue ``job``; raises a 503 WebError when ``size`` analyses are already waiting."""
        from .app import WebError

        self.ensure_thread()
        future: Future = Future()
        try:
            self.jobs.put_nowait((future, job))
        except queue.Full:
            wait = max(1, math.ceil(self.mean_s * (self.jobs.qsize() + 1)))
            raise WebError(503, "W53", f"the server is busy: {self.size} analyses are already waiting",
                           f"send the article again in about {wait} s", headers={"retry-after": str(wait)})
        return future

    async def run(self, job: Callable[[], Any]) -> Any:
        return await asyncio.wrap_future(self.submit(job))

    @property
    def waiting(self) -> int:
        return self.jobs.qsize()

    def ensure_thread(self) -> None:
        with self.start_lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.work, name="presslens-analysis", daemon=True)
                self.thread.start()

    def work(self) -> None:
        while True:
            future, job = self.jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            started = time.perf_counter()
            try:
                future.set_result(job())
            except BaseException as exc:  # the request gets the error (a coded one becomes its answer)
                future.set_exception(exc)
            finally:
                took = time.perf_counter() - started
                self.mean_s += ESTIMATE_WEIGHT * (took - self.mean_s)
