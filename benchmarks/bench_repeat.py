"""Benchmark: repeated centrality calls on the same map vs igraph's own call.

Usage::

    python benchmarks/bench_repeat.py                    # 10k and 100k actors
    python benchmarks/bench_repeat.py --sizes 10000,100000,1000000 --repeat 7

The network (and its igraph graph) is built once per map and cached on it
(:func:`influence.graph.network`), so a second ``influence.centrality(m, measures=[x])`` costs
igraph's call plus the table around it. For each cheap measure this prints the median CPU time
of our repeated call, of igraph's call on the same prebuilt graph (same weights, same options),
and the ratio (goal: <= 1.5). It also prints the first call (which builds the network) and the
machine's load. Timings on a shared machine are noisy: compare the medians, in one run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from _timing import median_cpu as cpu  # noqa: E402

from influence.centrality import centrality  # noqa: E402
from influence.datasets import synthetic  # noqa: E402
from influence.graph import network  # noqa: E402


def run(n, repeat):
    m = synthetic(actors=n, seed=0)
    t = time.process_time()
    centrality(m, measures=["degree"])
    first = time.process_time() - t
    g = network(m).igraph  # the same graph our calls use: igraph's own call on it
    calls = {
        "degree": lambda: g.degree(mode="all"),
        "pagerank": lambda: g.pagerank(weights="strength", damping=0.85, directed=True),
        "core_number": lambda: g.coreness(mode="all"),
        "eigenvector": lambda: g.eigenvector_centrality(weights="strength"),
    }
    rows = []
    for name, ig_call in calls.items():
        ours = cpu(lambda name=name: centrality(m, measures=[name]), repeat)
        theirs = cpu(ig_call, repeat)
        rows.append((len(m.actors), name, ours, theirs))
    return first, rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000")
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} CPUs)")
    print(f"{'actors':>8} {'measure':<12} {'ours s':>9} {'igraph s':>9} {'ratio':>6}")
    for n in (int(x) for x in args.sizes.split(",")):
        first, rows = run(n, args.repeat)
        print(f"{n:>8} {'(first call, builds the network)':<40} {first:.3f} s")
        for actors, name, ours, theirs in rows:
            ratio = ours / theirs if theirs > 0 else float("nan")
            print(f"{actors:>8} {name:<12} {ours:>9.4f} {theirs:>9.4f} {ratio:>6.2f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
