"""Exact betweenness on Dask: one machine vs 1 and 2 local workers, and a projection to 1M.

1. A synthetic map of ``--actors`` actors (default 20,000): exact betweenness with
   ``influence.centrality`` on this machine, then with ``scheduler=client`` on a
   ``LocalCluster`` of 1 and of 2 worker processes (one thread each). Prints wall time, the
   CPU time of this process and of the workers, the speed-up of 2 workers over 1 (goal >= 1.7x)
   and the largest difference from the one-machine values (goal <= 1e-9). The same for
   sampled betweenness (``--k`` sources, seeded) on a map of ``--sampled-actors`` actors
   (default 1,000,000; 0 skips it), its ties made two-way as in step 2.
2. The cost of one source (one shortest-path search and its accumulation) on a bigger map
   (``--big``, default 100,000 actors; ``--sources`` sampled sources), and from it the
   arithmetic for exact betweenness at 1,000,000 actors: the time on one core and how many
   workers finish it in a working day (8 h). Its ties are made two-way first (``--directed``
   keeps them as generated), as in a national network where every source reaches its whole
   component.

    python benchmarks/bench_dask.py [--actors 20000] [--big 100000] [--sources 20]

The machine's load (``uptime``) is printed before and after: on a shared 2-core machine the
2-worker figure competes with everything else running and is noisy.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's influence
from _timing import uptime  # noqa: E402


def _warm():
    """Import the worker side once per worker, outside the timing."""
    import influence.distributed  # noqa: F401


def worker_cpu(client):
    return sum(client.run(time.process_time).values())


def two_way(m, directed):
    """The map with two-way ties, as in a national network where every source reaches its
    whole component (unless ``directed``: the synthetic map's one-way ties are kept)."""
    import influence

    if directed:
        return m
    return influence.build(actors=m.actors.reset_index(), ties=m.ties.assign(directed=False))


def compare(m, what, **opts):
    """``what`` on one machine, then on 1 and 2 local workers: times, CPU, largest difference;
    returns the speed-up of 2 workers over 1."""
    import numpy as np
    from distributed import Client, LocalCluster

    import influence

    net = influence.network(m)
    print(f"map: {net.n:,} actors, {net.m:,} ties (combined), {what}")
    c0, w0 = time.process_time(), time.perf_counter()
    here = influence.centrality(m, measures=["betweenness"], **opts)["betweenness"].to_numpy()
    one = time.perf_counter() - w0
    print(f"  one machine, no Dask     wall {one:7.1f} s  CPU {time.process_time() - c0:7.1f} s")
    walls = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            client.run(_warm)
            cw, c0, w0 = worker_cpu(client), time.process_time(), time.perf_counter()
            there = influence.centrality(m, measures=["betweenness"], scheduler=client, **opts)
            walls[workers] = time.perf_counter() - w0
            diff = float(np.max(np.abs(there["betweenness"].to_numpy() - here)))
            print(f"  Dask, {workers} worker{'s' if workers > 1 else ' '}         wall "
                  f"{walls[workers]:7.1f} s  CPU here {time.process_time() - c0:5.1f} s, "
                  f"workers {worker_cpu(client) - cw:7.1f} s  max |diff| {diff:.1e}")
    speedup = walls[1] / walls[2]
    print(f"  speed-up of 2 workers over 1: {speedup:.2f}x (goal >= 1.7x); Dask overhead on 1 "
          f"worker: {walls[1] / one:.2f}x one machine")
    return speedup


def main(argv=None):
    import numpy as np

    import influence
    from influence.datasets import synthetic

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actors", type=int, default=20_000)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--sources", type=int, default=20)
    ap.add_argument("--sampled-actors", type=int, default=1_000_000,
                    help="map size for sampled betweenness on 1 vs 2 workers (0: skip)")
    ap.add_argument("--k", type=int, default=40, help="sampled sources at that size")
    ap.add_argument("--directed", action="store_true",
                    help="keep the synthetic maps' one-way ties for the sampled run and the "
                         "projection (each source then reaches only part of the map: far "
                         "cheaper)")
    args = ap.parse_args(argv)
    print("load before:", uptime())
    m = synthetic(actors=args.actors, seed=0)
    speedup = compare(m, "exact betweenness")
    if args.sampled_actors:
        huge = two_way(synthetic(actors=args.sampled_actors, seed=0), args.directed)
        compare(huge, f"sampled betweenness (k={args.k})", k=args.k, seed=0)
        del huge

    big = two_way(synthetic(actors=args.big, seed=0), args.directed)
    bnet = influence.network(big)
    from influence.centrality import _distance

    g, (w, _) = bnet.igraph, _distance(bnet)  # built outside the timing
    sources = np.random.default_rng(1).choice(bnet.n, args.sources, replace=False).tolist()
    t0 = time.process_time()
    g.betweenness(directed=True, weights=w, sources=sources)  # what each worker runs
    per_source = (time.process_time() - t0) / args.sources
    ties_per_actor = bnet.m / bnet.n
    n1m, m1m = 1_000_000, 1_000_000 * ties_per_actor
    # one source: Dijkstra O(m + n log n), about linear in the ties at this density
    scale = (m1m + n1m * np.log2(n1m)) / (bnet.m + bnet.n * np.log2(bnet.n))
    src_1m = per_source * scale
    total = n1m * src_1m
    eff = speedup / 2
    day = 8 * 3600
    print(f"\nprojection: {bnet.n:,} actors, {bnet.m:,} ties "
          f"({'directed' if bnet.directed else 'undirected'}): {per_source:.4f} s CPU per source "
          f"({args.sources} sources)")
    print(f"  1,000,000 actors, ~{m1m:,.0f} ties: per source {per_source:.3f} s x "
          f"(m + n log2 n ratio {scale:.1f}) = {src_1m:.2f} s")
    print(f"  exact = 1,000,000 sources x {src_1m:.2f} s = {total:,.0f} CPU s = "
          f"{total / 86400:.1f} days on one core")
    for label, e in ((f"the efficiency measured here ({speedup:.2f}x / 2)", eff),
                     ("0.9 per worker (dedicated cores; 2 processes gave 1.95x in "
                      "docs/performance.md §8)", 0.9)):
        print(f"  in one working day (8 h = {day:,} s) at {label}: {total:,.0f} / ({day:,} x "
              f"{e:.2f}) = {math.ceil(total / (day * e)):,} workers")
    print("load after: ", uptime())


if __name__ == "__main__":
    main()
