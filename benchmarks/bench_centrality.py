"""Benchmark: influence.centrality vs networkx vs python-igraph, per measure and size.

Usage::

    python benchmarks/bench_centrality.py                # 1k and 10k (a few minutes)
    python benchmarks/bench_centrality.py --sizes 1000,10000,100000

Prints, per measure and size, our time (building the graph from the map included),
igraph's own time on the same graph (graph built from the edge list, included), networkx's time,
and the ratios ours/igraph (target <= 1.5) and networkx/ours. Exact networkx betweenness and
closeness are infeasible beyond 1k on a shared machine: they are *estimated* from a sample of
sources (cost per source x n) and marked "est". At 100k, exact betweenness is replaced by
sampled betweenness (k=200) for everyone, and closeness/harmonic (O(n m)) are estimated from
200 sources for igraph and networkx and not run for us (ours is igraph's run plus O(n) work).
Timings on a shared 2-core machine are noisy: take the medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from _timing import median_wall as timed  # noqa: E402

import igraph as ig  # noqa: E402
import networkx as nx  # noqa: E402

from influence.centrality import centrality  # noqa: E402

SAMPLE_K = 200


def graph(n, seed=1):
    """(what we are given, the same simple graph as networkx, edges, weights, directed).

    The project's generator ``influence.datasets.synthetic`` (areas shaped like the demo, with
    tie strengths and some directed ties) when it exists, else a powerlaw_cluster graph.
    igraph and networkx get the same combined simple graph and the same distances 1/strength.
    """
    from influence.graph import network

    try:
        from influence.datasets import synthetic

        obj = synthetic(actors=n, seed=seed)
    except Exception:
        obj = nx.powerlaw_cluster_graph(n, 5, 0.1, seed=seed)
    net = network(obj)
    edges = list(zip(net.src.tolist(), net.dst.tolist(), strict=False))
    return obj, net.nx, net.n, edges, net.strength.tolist(), net.directed


def run(n, repeat):
    obj, G, nn, edges, strength, directed = graph(n)
    dist = [1.0 / w for w in strength]
    big = n >= 100_000
    rng = random.Random(0)
    sources = rng.sample(range(nn), SAMPLE_K) if big or n >= 10_000 else None

    def ig_build():
        return ig.Graph(n=nn, edges=edges, directed=directed)

    def ig_call(f):
        return lambda: f(ig_build())

    measures = {
        "degree": (lambda g: g.degree(), lambda: nx.degree_centrality(G), {}),
        "betweenness": (
            (lambda g: g.betweenness(sources=sources[:SAMPLE_K], weights=dist)) if big else
            (lambda g: g.betweenness(weights=dist)),
            (lambda: nx.betweenness_centrality(G, k=SAMPLE_K, seed=0, weight="distance"))
            if big else (lambda: nx.betweenness_centrality(G, weight="distance")),
            {"k": SAMPLE_K, "seed": 0} if big else {}),
        "closeness": (lambda g: g.closeness(weights=dist, mode="in"),
                      lambda: nx.closeness_centrality(G, distance="distance"), {}),
        "harmonic": (lambda g: g.harmonic_centrality(weights=dist, mode="in"),
                     lambda: nx.harmonic_centrality(G, distance="distance"), {}),
        "eigenvector": (lambda g: g.eigenvector_centrality(weights=strength),
                        lambda: nx.eigenvector_centrality(G, weight="strength", max_iter=1000),
                        {}),
        "pagerank": (lambda g: g.pagerank(weights=strength),
                     lambda: nx.pagerank(G, weight="strength"), {}),
        "core_number": (lambda g: g.coreness(), lambda: nx.core_number(G), {}),
    }
    for name, (ig_f, nx_f, opts) in measures.items():
        label = name + (f" (k={SAMPLE_K})" if opts.get("k") else "")
        slow = name in ("betweenness", "closeness", "harmonic")
        if big and name in ("closeness", "harmonic"):
            f = {"closeness": "closeness", "harmonic": "harmonic_centrality"}[name]
            g = ig_build()
            t_ig = timed(lambda: getattr(g, f)(vertices=sources, weights=dist), 1) * nn / SAMPLE_K
            t_nx = _nx_per_source(G, name, 5) * nn
            yield (n, label, None, t_ig, t_nx, "igraph+nx est")
            continue
        t_ours = timed(lambda: centrality(obj, measures=[name], **opts), repeat)
        t_ig = timed(ig_call(ig_f), repeat)
        if slow and n > 1000 and not opts.get("k"):
            t_nx, note = _nx_per_source(G, name, 10) * nn, "nx est"
        else:
            try:
                t_nx, note = timed(nx_f, 1), ""
            except nx.NetworkXException as exc:  # e.g. power iteration fails to converge
                t_nx, note = float("nan"), f"nx failed: {type(exc).__name__}"
        yield (n, label, t_ours, t_ig, t_nx, note)


def _nx_per_source(G, name, k):
    """networkx cost per source (single-source Brandes / Dijkstra), from k sources."""
    from networkx.algorithms.centrality.betweenness import (
        _accumulate_basic,
        _single_source_dijkstra_path_basic,
    )

    nodes = random.Random(1).sample(list(G), k)
    t = time.perf_counter()
    for s in nodes:
        if name == "betweenness":
            S, P, sigma, _ = _single_source_dijkstra_path_basic(G, s, "distance")
            _accumulate_basic(dict.fromkeys(G, 0.0), S, P, sigma, s)
        else:
            nx.single_source_dijkstra_path_length(G, s, weight="distance")
    return (time.perf_counter() - t) / k


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    print(f"{'n':>7} {'measure':<18} {'ours s':>9} {'igraph s':>9} {'networkx s':>11} "
          f"{'ours/igraph':>12} {'nx/ours':>8}  note")
    for n in [int(s) for s in args.sizes.split(",")]:
        for n_, label, t_ours, t_ig, t_nx, note in run(n, args.repeat):
            ours = f"{t_ours:9.3f}" if t_ours is not None else f"{'-':>9}"
            r1 = f"{t_ours / t_ig:12.2f}" if t_ours is not None else f"{'-':>12}"
            r2 = f"{t_nx / t_ours:8.1f}" if t_ours is not None else f"{'-':>8}"
            print(f"{n_:>7} {label:<18} {ours} {t_ig:9.3f} {t_nx:11.3f} {r1} {r2}  {note}",
                  flush=True)


if __name__ == "__main__":
    main()
