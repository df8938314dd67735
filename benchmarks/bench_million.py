"""Benchmark: read a national-scale map and compute degree, PageRank and core number, against
igraph alone, in CPU time and peak memory.

Usage::

    python benchmarks/bench_million.py                 # 1,000,000 actors (a few minutes)
    python benchmarks/bench_million.py --actors 100000

A synthetic map (``influence.datasets.synthetic``) is written once as a CSV folder. Then, each
in a fresh process (so that peak memory is each one's own):

* ours: ``influence.read(folder)`` (parse, validate, build the map) and
  ``influence.centrality(m, measures=["degree", "pagerank", "core_number"])``;
* igraph alone: ``pandas.read_csv`` of the two files (the fastest way to get them into Python),
  the ids turned into vertex numbers (``pandas.factorize``), ``igraph.Graph`` built from the edge
  array, and ``degree``, ``pagerank(weights=...)`` and ``coreness`` on it: no validation, no
  table of results.

Prints each side's CPU time (user + sys of the process) and peak resident memory
(``ru_maxrss``), and the ratios (goals: CPU <= 2x, memory <= 1.5x), with the machine's load.
Both sides run with ``OMP_NUM_THREADS=1`` (``--threads``): see :data:`THREADS`.

``--brokers`` also runs, each in a fresh process, ``influence.read`` alone and then the read
followed by ``influence.brokerage(m, by="sub_area")`` and ``influence.structural_holes(m)``:
the two analyses that are not split over Dask workers, against the goal of staying within
8 GB on one machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(__file__), "..")

OURS = """
import influence
m = influence.read(FOLDER)
t = influence.centrality(m, measures=["degree", "pagerank", "core_number"])
assert len(t) == len(m.actors)
"""

IGRAPH = """
import numpy as np, pandas as pd
import igraph as ig
actors = pd.read_csv(FOLDER + "/actors.csv", dtype=str, keep_default_na=False)
ties = pd.read_csv(FOLDER + "/ties.csv", dtype={"source": str, "target": str})
codes, ids = pd.factorize(pd.concat([actors["id"], ties["source"], ties["target"]]))
n = len(actors)
edges = codes[n:].reshape(2, -1).T
g = ig.Graph(n=len(ids), edges=edges, directed=False)
w = pd.to_numeric(ties["strength"], errors="coerce").fillna(1).to_numpy()
g.es["strength"] = w
g.degree(); g.pagerank(weights="strength"); g.coreness()
"""

READ = """
import influence
m = influence.read(FOLDER)
"""

BROKERS = """
import influence
m = influence.read(FOLDER)
b = influence.brokerage(m, by="sub_area")
h = influence.structural_holes(m)
assert len(b) == len(m.actors) and len(h) == len(m.actors)
"""


#: OpenMP threads for both sides (``--threads``): igraph's PageRank runs on OpenMP, whose
#: waiting threads count as CPU time; on a shared machine that waiting, not the work, can
#: dominate (0.6 s of PageRank CPU at 100k actors on one thread, 1.3-5.9 s on two).
THREADS = 1


def measure(code, folder):
    """(CPU seconds, peak RSS in MB) of running ``code`` in a fresh Python."""
    wrapped = (f"FOLDER = {folder!r}\n" + code + "\nimport resource, json\n"
               "u = resource.getrusage(resource.RUSAGE_SELF)\n"
               "print(json.dumps([u.ru_utime + u.ru_stime, u.ru_maxrss / 1024]))\n")
    out = subprocess.run([sys.executable, "-c", wrapped], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": ROOT,
                                         "OMP_NUM_THREADS": str(THREADS)})
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    global THREADS
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--actors", type=int, default=1_000_000)
    p.add_argument("--threads", type=int, default=THREADS,
                   help="OMP_NUM_THREADS for both sides (default 1: see THREADS)")
    p.add_argument("--brokers", action="store_true",
                   help="also measure brokerage and structural holes (goal: within 8 GB)")
    args = p.parse_args(argv)
    THREADS = args.threads
    sys.path.insert(0, ROOT)
    import influence
    from influence.datasets import synthetic

    print(f"load average before: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} CPUs); "
          f"OMP_NUM_THREADS={THREADS} on both sides")
    with tempfile.TemporaryDirectory() as d:
        folder = os.path.join(d, "map")
        m = synthetic(actors=args.actors, seed=0)
        influence.write(m, folder + "/")
        size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        print(f"{len(m.actors):,} actors, {len(m.ties):,} ties, {size / 1e6:.0f} MB of CSV")
        del m
        ours = measure(OURS, folder)
        theirs = measure(IGRAPH, folder)
        if args.brokers:
            read = measure(READ, folder)
            brokers = measure(BROKERS, folder)
    print(f"{'':<14} {'CPU s':>8} {'peak MB':>9}")
    print(f"{'influence':<14} {ours[0]:>8.1f} {ours[1]:>9.0f}")
    print(f"{'igraph alone':<14} {theirs[0]:>8.1f} {theirs[1]:>9.0f}")
    print(f"{'ratio':<14} {ours[0] / theirs[0]:>7.2f}x {ours[1] / theirs[1]:>8.2f}x   "
          "(goals: CPU <= 2x, memory <= 1.5x)")
    if args.brokers:
        print(f"{'read alone':<14} {read[0]:>8.1f} {read[1]:>9.0f}")
        print(f"{'read+brokers':<14} {brokers[0]:>8.1f} {brokers[1]:>9.0f}   brokerage and "
              f"structural holes: {brokers[0] - read[0]:.1f} CPU s after the read, peak "
              f"{brokers[1] / 1024:.2f} GB (goal: within 8 GB)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
