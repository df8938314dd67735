"""Reading a map: ``influence.read`` against pandas reading the same files, as ratios.

A synthetic map (``influence.datasets.synthetic``) is written once as a CSV folder (and, at a
smaller size, as an ``.xlsx`` workbook), then read ``--repeat`` times each way, alternating:

* CSV: ``influence.read(folder)`` (parse, validate, build the map) against
  ``pandas.read_csv`` of ``actors.csv`` and ``ties.csv`` (parse only); goal <= 2x;
* xlsx: ``influence.read(workbook)`` against ``pandas.read_excel(engine="calamine")`` of its
  two sheets (python-calamine); goal <= 1.5x.

Reports the median CPU time (``time.process_time``) and median wall time of each, their ratios,
and the machine load (``uptime``) before and after, so that a noisy run shows as one::

    python benchmarks/bench_read.py [--actors 100000] [--xlsx-actors 10000] [--repeat 5]

Add ``--profile`` to print the top of a ``cProfile`` of one ``influence.read`` of the CSV folder.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's influence
from _timing import uptime, cpu_and_wall as timed  # noqa: E402


def compare(label, ours, theirs, repeat, goal):
    ours(), theirs()  # warm up: imports, file cache
    runs = {"influence": [], "reference": []}
    for _ in range(repeat):
        runs["influence"].append(timed(ours))
        runs["reference"].append(timed(theirs))
    med = {k: (statistics.median(c for c, _ in v), statistics.median(w for _, w in v))
           for k, v in runs.items()}
    (oc, ow), (rc, rw) = med["influence"], med["reference"]
    verdict = "met" if oc / rc <= goal else "NOT met"
    print(f"{label:<34} influence CPU {oc:7.2f} s  wall {ow:7.2f} s | reference CPU {rc:7.2f} s "
          f" wall {rw:7.2f} s | ratio CPU {oc / rc:5.2f}x  wall {ow / rw:5.2f}x "
          f"(goal <= {goal}x: {verdict})")
    return oc / rc


def main(argv=None):
    import pandas as pd

    import influence
    from influence.datasets import synthetic

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actors", type=int, default=100_000)
    ap.add_argument("--xlsx-actors", type=int, default=10_000,
                    help="size of the workbook (writing one is slow: 0 to skip)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)
    print("load before:", uptime())
    tmp = Path(tempfile.mkdtemp(prefix="influence-bench-read-"))
    m = synthetic(actors=args.actors, seed=0)
    folder = influence.write(m, tmp / "csv")
    size = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
    print(f"CSV: {len(m.actors):,} actors, {len(m.ties):,} ties, {size:.1f} MB")

    def pandas_csv():
        pd.read_csv(folder / "actors.csv", low_memory=False)
        pd.read_csv(folder / "ties.csv", low_memory=False)

    compare(f"CSV read ({len(m.actors):,} actors)", lambda: influence.read(folder), pandas_csv,
            args.repeat, 2.0)
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(influence.read, folder)
        pstats.Stats(prof).sort_stats("cumtime").print_stats(25)
    if args.xlsx_actors:
        mx = synthetic(actors=args.xlsx_actors, seed=0)
        book = tmp / "map.xlsx"
        t0 = time.perf_counter()
        influence.write(mx, book)
        print(f"xlsx: {len(mx.actors):,} actors, {len(mx.ties):,} ties, "
              f"{book.stat().st_size / 2**20:.1f} MB (written in {time.perf_counter() - t0:.1f} s)")

        def calamine():
            pd.read_excel(book, sheet_name=["actors", "ties"], engine="calamine")

        compare(f"xlsx read ({len(mx.actors):,} actors)", lambda: influence.read(book), calamine,
                args.repeat, 1.5)
    print("load after: ", uptime())


if __name__ == "__main__":
    main()
