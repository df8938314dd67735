"""Benchmark: communities and the E-I index against igraph's own calls, and E-I permutations.

Run:  python benchmarks/bench_toolkit.py [--sizes 1000 10000 100000] [--perm-size 10000]
                                         [--permutations 1000] [--repeat 3]

Graphs are igraph Barabasi-Albert graphs (``m=3``: ~3n ties, heavy-tailed degrees) with
12 ``sub_area`` groups and tie strengths 1-3, built once per size as a prepared
:class:`influence.graph.Network` (not timed), whose ``.igraph`` is also built before timing.
For each size:

* ``communities(net)`` (Leiden, modularity objective, weighted, plus
  the modularity and both result tables) against igraph's own
  ``g.community_leiden(objective_function="modularity", weights="strength",
  n_iterations=...)`` (the same iterations: until stable up to 50,000 ties, else 2)
  followed by ``g.modularity(membership, weights="strength")``;
* ``ei_index(net, by="sub_area")`` (network, group and actor tables) against igraph's
  ``VertexClustering(g, membership).crossing()`` counted into the whole-network E-I (igraph has
  no E-I function; this is the least it takes there).

Then ``ei_index(..., permutations=N)`` at ``--perm-size`` actors. Times are medians of
``--repeat`` runs; the machine is shared, so absolute times are noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _timing import median_wall as timed  # noqa: E402

from influence.communities import communities, leiden_iterations  # noqa: E402
from influence.graph import Network  # noqa: E402
from influence.mixing import ei_index  # noqa: E402


def make(n, seed=0):
    import random

    import igraph as ig

    random.seed(seed)
    g = ig.Graph.Barabasi(n, 3)
    edges = np.array(g.get_edgelist(), dtype=np.int64)
    src, dst = np.minimum(edges[:, 0], edges[:, 1]), np.maximum(edges[:, 0], edges[:, 1])
    key = np.unique(src * n + dst)
    src, dst = key // n, key % n
    rng = np.random.default_rng(seed)
    strength = rng.integers(1, 4, size=len(src)).astype(float)
    ids = pd.Index([f"a{i}" for i in range(n)], name="id")
    actors = pd.DataFrame({"sub_area": [f"area{x}" for x in rng.integers(12, size=n)]},
                          index=ids)
    ties = pd.DataFrame({"source": ids[src], "target": ids[dst], "strength": strength})
    net = Network(ids, actors, ties, False, src, dst, strength)
    net.igraph  # build once, outside the timings  # noqa: B018
    return net


def igraph_communities(net):
    import random

    import igraph as ig

    ig.set_random_number_generator(random.Random(0))
    try:
        g = net.igraph
        part = g.community_leiden(objective_function="modularity", weights="strength",
                                  n_iterations=leiden_iterations(g.ecount()))
        return g.modularity(part.membership, weights="strength")
    finally:
        ig.set_random_number_generator(random)


def igraph_ei(net):
    import igraph as ig

    membership = pd.factorize(net.actors["sub_area"])[0].tolist()  # labels -> igraph codes
    crossing = np.asarray(ig.VertexClustering(net.igraph, membership).crossing(), dtype=bool)
    external = int(crossing.sum())
    internal = len(crossing) - external
    return (external - internal) / (external + internal)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--perm-size", type=int, default=10000)
    ap.add_argument("--permutations", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    print(f"{'actors':>8} {'ties':>8} {'analysis':<12} {'ours s':>8} {'igraph s':>9} "
          f"{'ratio':>6}")
    for n in args.sizes:
        net = make(n)
        ours_c = timed(lambda net=net: communities(net), args.repeat)
        ref_c = timed(lambda net=net: igraph_communities(net), args.repeat)
        ours_e = timed(lambda net=net: ei_index(net, by="sub_area"), args.repeat)
        ref_e = timed(lambda net=net: igraph_ei(net), args.repeat)
        assert abs(ei_index(net, by="sub_area").ei - igraph_ei(net)) < 1e-12
        for name, ours, ref in (("communities", ours_c, ref_c), ("ei_index", ours_e, ref_e)):
            print(f"{n:>8} {net.m:>8} {name:<12} {ours:>8.3f} {ref:>9.3f} {ours / ref:>6.2f}")
    net = make(args.perm_size)
    t = timed(lambda: ei_index(net, by="sub_area", permutations=args.permutations, seed=1), 1)
    print(f"ei_index with {args.permutations} permutations at {args.perm_size} actors "
          f"({net.m} ties): {t:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
