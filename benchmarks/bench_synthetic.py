"""Time influence.datasets.synthetic at 1k, 10k, 100k and 1M actors.

Run: ``python benchmarks/bench_synthetic.py [--repeat 3] [--max 1000000]``. Prints the best of
``repeat`` wall-clock times, actors and ties generated, the rate, and each time as a ratio to
the 1k time (a machine-independent view of how generation scales).
"""

from __future__ import annotations

import argparse
import time

from influence.datasets import synthetic


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--max", type=int, default=1_000_000)
    args = ap.parse_args(argv)
    synthetic(areas=1)  # warm up imports
    base = None
    print(f"{'target':>9} {'actors':>9} {'ties':>9} {'best s':>8} {'actors/s':>10} {'x 1k':>7}")
    for n in (1_000, 10_000, 100_000, 1_000_000):
        if n > args.max:
            break
        best = float("inf")
        for _ in range(args.repeat if n < 1_000_000 else 1):
            t0 = time.perf_counter()
            m = synthetic(actors=n, seed=0)
            best = min(best, time.perf_counter() - t0)
        base = base or best
        print(f"{n:>9,} {len(m.actors):>9,} {len(m.ties):>9,} {best:>8.2f} "
              f"{len(m.actors) / best:>10,.0f} {best / base:>7.1f}")


if __name__ == "__main__":
    main()
