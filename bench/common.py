"""Shared by the benchmarks: a median timer, a run in a child process and the plain-Python peer of the fluid
backlog."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable


def median_s(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` over ``repeat`` calls, seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_child(code: str, *args: str) -> dict:
    """Run ``code`` in a new interpreter with ``args`` (its ``sys.argv[1:]``), so that its peak memory is its own;
    returns the JSON object its last line prints."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def python_fifo(arrivals: list[float], capacity: list[float], weeks: int = 3) -> list[float]:
    """Peer of ``model.operations.backlog.fluid_fifo``: Lindley's recursion and FIFO delays with Python loops.

    Same conventions: the week repeats from an empty queue, week number ``weeks`` is measured and
    one more week drains it; delays are in steps.
    """
    a, c = arrivals * (weeks + 1), capacity * (weeks + 1)
    q, cum_a, cum_d = 0.0, [0.0], [0.0]
    for x, y in zip(a, c):
        served = min(q + x, y)
        q += x - served
        cum_a.append(cum_a[-1] + x)
        cum_d.append(cum_d[-1] + served)
    steps, first, j, delays = len(arrivals), (weeks - 1) * len(arrivals), 0, []
    for k in range(first, first + steps):
        target = 0.5 * (cum_a[k] + cum_a[k + 1])
        while j < len(cum_d) - 1 and cum_d[j + 1] < target:
            j += 1
        span = cum_d[j + 1] - cum_d[j]
        delays.append(max(0.0, j + ((target - cum_d[j]) / span if span > 0 else 0.0) - (k + 0.5)))
    return delays
