"""Timing helpers shared by the benchmark scripts (run them as ``python benchmarks/NAME.py``)."""

from __future__ import annotations

import gc
import statistics
import subprocess
import time


def uptime() -> str:
    """The machine's load, as ``uptime`` prints it: benchmarks here run on shared machines."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "(uptime not available)"


def cpu_and_wall(fn):
    """``(CPU seconds, wall seconds)`` of one call of ``fn`` (after a garbage collection)."""
    gc.collect()
    c0, w0 = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - c0, time.perf_counter() - w0


def _median(fn, repeat, clock):
    times = []
    for _ in range(repeat):
        t = clock()
        fn()
        times.append(clock() - t)
    return statistics.median(times)


def median_cpu(fn, repeat=3):
    """The median CPU time of ``repeat`` calls of ``fn``."""
    return _median(fn, repeat, time.process_time)


def median_wall(fn, repeat=3):
    """The median wall time of ``repeat`` calls of ``fn``."""
    return _median(fn, repeat, time.perf_counter)
