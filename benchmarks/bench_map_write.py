"""Writing the interactive map page: CPU time of ``influence.to_html(m, path=..., force=True)``.

For each size a synthetic map (``influence.datasets.synthetic(actors=N, seed=0)``) is built
and its network made (``influence.graph.network``, cached on the map, as a review has it), then
the page is written ``--repeat`` times. Reports the CPU time (``time.process_time``) of the
first write and the median of all writes, the wall time's median and the file size, with the
machine load (``uptime``) before and after (a shared machine inflates wall time far more than
CPU time). The whole review at 100k actors writes this page (issue 17: review <= 90 s CPU)::

    python benchmarks/bench_map_write.py [--sizes 1000,10000,50000] [--repeat 3]

``--profile N`` instead prints a cProfile of one write at N actors (cumulative, top 40).
``--hash`` also prints the SHA-256 of each page (and of the demo area's), to check that a
change leaves the pages byte-identical: run it on both commits. Python's ``random`` is seeded
before each write, since igraph's layouts may fall back to it (above 5,000 actors).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's influence
from _timing import uptime  # noqa: E402


def main(argv=None):
    import influence
    from influence.datasets import synthetic
    from influence.graph import network

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--repeat", type=int, default=3, help="writes per size (median shown)")
    ap.add_argument("--profile", type=int, default=0, help="profile one write at this size")
    ap.add_argument("--hash", action="store_true", help="print each page's SHA-256")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="influence-bench-map-write-"))
    path = tmp / "map.html"
    influence.to_html(synthetic(actors=300, seed=0), path=path, force=True)  # warm up: imports
    if args.profile:
        import cProfile
        import pstats

        m = synthetic(actors=args.profile, seed=0)
        network(m)
        prof = cProfile.Profile()
        prof.runcall(influence.to_html, m, path=path, force=True)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
        return
    print("load before:", uptime())

    def digest():
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if args.hash else ""

    if args.hash:
        random.seed(0)
        influence.to_html(influence.datasets.load("hollinford"), path=path, force=True)
        print(f"demo area (hollinford): sha256 {digest()}")
    print(f"{'actors':>7} {'ties':>8} | {'CPU first':>9} {'CPU median':>10} {'wall median':>11} "
          f"{'size':>8} | CPU of each write" + (" | sha256" if args.hash else ""))
    for n in (int(s) for s in args.sizes.split(",")):
        m = synthetic(actors=n, seed=0)
        network(m)
        cpu, wall = [], []
        for _ in range(max(args.repeat, 1)):
            random.seed(0)
            c0, w0 = time.process_time(), time.perf_counter()
            influence.to_html(m, path=path, force=True)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        mb = path.stat().st_size / 2**20
        print(f"{len(m.actors):>7,} {len(m.ties):>8,} | {cpu[0]:>7.2f} s "
              f"{statistics.median(cpu):>8.2f} s {statistics.median(wall):>9.2f} s {mb:>6.1f}MB | "
              + ", ".join(f"{c:.2f}" for c in cpu) + (f" | {digest()}" if args.hash else ""),
              flush=True)
    print("load after: ", uptime())


if __name__ == "__main__":
    main()
