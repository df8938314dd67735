"""Benchmark: the review at 1k-100k actors (synthetic areas), CPU time by stage.

Usage::

    python benchmarks/bench_review_scale.py                     # 1k and 10k
    python benchmarks/bench_review_scale.py --sizes 10000,100000

For each size: the CPU time of ``influence.review(m)`` (every section computed), of
``Review.write`` (report.html, share.html, map.html, review.xlsx and the CSVs), and their sum,
against the goals (10 s at 10k, 90 s at 100k). Above 5,000 actors the review estimates
betweenness from 500 sampled sources (it says so in the report). The machine's load average
is printed before and after: on a shared machine, CPU time is the steadier figure. The
pseudonyms are keyed with a fixed salt, so every run writes the same pages (with a random key,
two office-holders at 100k can get one label and share.html is then written without figures,
~5 s less work: a bug of privacy.role_labels, not of the benchmark).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import influence  # noqa: E402
from influence.datasets import synthetic  # noqa: E402

GOALS = {10_000: 10.0, 100_000: 90.0}
SALT = "b"  # one that gives every office-holder of the 100k map a label of their own


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000")
    args = p.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} CPUs)")
    print(f"{'target':>8} {'actors':>8} {'ties':>8} {'review s':>9} {'write s':>8} "
          f"{'total s':>8} {'goal s':>7}")
    influence.review(influence.datasets.load("hollinford"))  # warm imports
    for n in (int(x) for x in args.sizes.split(",")):
        m = synthetic(actors=n, seed=0)
        t = time.process_time()
        r = influence.review(m, salt=SALT)
        review_s = time.process_time() - t
        with tempfile.TemporaryDirectory() as d:
            t = time.process_time()
            r.write(os.path.join(d, "out"))
            write_s = time.process_time() - t
        goal = GOALS.get(n)
        print(f"{n:>8} {len(m.actors):>8} {len(m.ties):>8} {review_s:>9.1f} {write_s:>8.1f} "
              f"{review_s + write_s:>8.1f} {'' if goal is None else f'{goal:.0f}':>7}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
