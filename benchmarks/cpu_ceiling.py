"""How well this machine's cores scale on pure CPU work, as a yardstick for the batch scaling figures.

Runs the same pure-Python loop twice in one process, then once in each of two processes, and prints the speed-up.
A loop touches almost no memory, so it shows the scaling the cores allow; spaCy's parse (and presslens on top of
it) also shares caches and memory bandwidth, and scales less.

    python benchmarks/cpu_ceiling.py
"""
from __future__ import annotations

import multiprocessing
import time

ITERATIONS = 25_000_000


def spin(n: int = ITERATIONS) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def main() -> None:
    started = time.perf_counter()
    spin()
    spin()
    serial = time.perf_counter() - started
    started = time.perf_counter()
    with multiprocessing.Pool(2) as pool:
        pool.map(spin, [ITERATIONS, ITERATIONS])
    parallel = time.perf_counter() - started
    print(f"two loops one after the other {serial:.2f} s, in two processes {parallel:.2f} s: "
          f"scaling {serial / parallel:.2f}x")


if __name__ == "__main__":
    main()
