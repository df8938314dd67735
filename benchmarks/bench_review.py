"""Benchmark: ``influence demo`` (the whole review on the bundled demo area), end to end.

Usage::

    python benchmarks/bench_review.py               # 3 runs
    python benchmarks/bench_review.py --repeat 5

Runs ``influence demo -o DIR`` in a fresh process each time (imports, both snapshots read, every
section computed, report.html / map.html / review.xlsx / CSVs written) and prints wall-clock
and CPU time (user + sys of the child), the median, and the ratio to ``influence --help`` (the
start-up floor) and to a 3-second target. Then times the library stages in-process (one run,
warm imports) so a slow stage is easy to spot. Timings on a shared 2-core machine are noisy:
the CPU time is the steadier figure; compare medians.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(__file__), "..")
TARGET_S = 3.0


def _run(args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "influence", *args], cwd=ROOT, check=True,
                   capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    help_wall, help_cpu = _run(["--help"])
    walls, cpus = [], []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            w, c = _run(["demo", "-o", os.path.join(tmp, "review")])
        walls.append(w)
        cpus.append(c)
        print(f"run {i + 1}: wall {w:6.2f} s   cpu {c:6.2f} s")
    mw, mc = statistics.median(walls), statistics.median(cpus)
    print(f"influence --help: wall {help_wall:.2f} s, cpu {help_cpu:.2f} s")
    print(f"influence demo (median of {args.repeat}): wall {mw:.2f} s, cpu {mc:.2f} s")
    print(f"ratio demo/--help (cpu): {mc / max(help_cpu, 1e-9):.1f}x;  "
          f"ratio demo/target {TARGET_S:g} s (cpu): {mc / TARGET_S:.2f}")

    sys.path.insert(0, ROOT)
    import influence
    from influence.review import review

    t = time.perf_counter()
    new, old = influence.datasets.load("hollinford"), influence.datasets.load("hollinford",
                                                                               year=2019)
    t_load = time.perf_counter() - t
    review(new, previous=old, as_at="2023-09-01")  # warm every import
    t = time.perf_counter()
    r = review(new, previous=old, as_at="2023-09-01")
    t_review = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        r.write(os.path.join(tmp, "review"))
        t_write = time.perf_counter() - t
    print(f"in-process, warm: load both snapshots {t_load:.2f} s, review {t_review:.2f} s, "
          f"write folder {t_write:.2f} s")


if __name__ == "__main__":
    main()
