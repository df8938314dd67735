"""Benchmark: brokerage roles, structural holes and access gatekeepers at 1k, 10k, 100k actors.

Run:  python benchmarks/bench_brokers.py [--sizes 1000 10000 100000] [--repeat 3]

Maps are synthetic social-network-like graphs (networkx ``powerlaw_cluster_graph(n, 3, 0.1)``:
heavy-tailed degrees and triangles, ~3n ties) with 12 ``sub_area`` groups, tie strengths 1-3,
a 12-member community and a 4-member institution. The graph is built once per size (not timed);
each analysis gets the prepared :class:`influence.graph.Network`. Times are medians of
``--repeat`` runs. Where a naive reference is affordable (pure-Python enumeration of every
two-path for brokerage, networkx's per-node ``effective_size``/``constraint``, "delete each
actor and test reachability" for gatekeepers, timed on 50 deletions and scaled up to all n)
the ratio reference / ours is printed too.
The machine is shared, so absolute times are noisy.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _timing import median_wall as timed  # noqa: E402

from influence.brokerage import brokerage  # noqa: E402
from influence.gatekeepers import gatekeepers  # noqa: E402
from influence.graph import network  # noqa: E402
from influence.holes import structural_holes  # noqa: E402


def make(n, seed=0):
    G = nx.powerlaw_cluster_graph(n, 3, 0.1, seed=seed)
    rng = np.random.default_rng(seed)
    nx.set_node_attributes(G, {v: f"area{rng.integers(12)}" for v in G}, "sub_area")
    for u, v in G.edges:
        G[u][v]["strength"] = float(rng.integers(1, 4))
    nodes = rng.permutation(n)
    community, institution = nodes[:12].tolist(), nodes[12:16].tolist()
    return G, network(G), community, institution


def brute_brokerage(G):
    """A pure-Python loop over the open two-paths (counting only; undirected)."""
    group = nx.get_node_attributes(G, "sub_area")
    counts = dict.fromkeys(G, 0)
    for b in G:
        nb = list(G[b])
        for a in nb:
            for c in nb:
                if a != c and not G.has_edge(a, c):
                    counts[b] += group[a] != group[c]  # any classification work
    return counts


SAMPLE = 50


def brute_gatekeepers(G, X, Y, sample):
    """Delete each actor and test reachability; timed on ``sample`` actors (scaled up below)."""
    return [v for v in list(G)[:sample] if v not in X and v not in Y
            and not _reaches(G, X, Y, v)]


def _reaches(G, X, Y, removed):
    H = nx.restricted_view(G, [removed], [])
    seen = set()
    for x in X:
        seen |= {x} | nx.node_connected_component(H, x)
    return bool(seen & set(Y))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"{'actors':>8} {'ties':>8} {'analysis':<18} {'ours (s)':>9} {'reference (s)':>14} "
          f"{'ratio':>7}")
    for n in args.sizes:
        G, net, X, Y = make(n)
        rows = [
            ("brokerage", lambda: brokerage(net, by="sub_area"),
             (lambda: brute_brokerage(G)) if n <= 10_000 else None),
            ("brokerage 1/k", lambda: brokerage(net, by="sub_area", fractional=True), None),
            ("structural_holes", lambda: structural_holes(net),
             (lambda: (nx.effective_size(G, nodes=list(G), weight="strength"),
                       nx.constraint(G, weight="strength"))) if n <= 1000 else None),
            ("gatekeepers", lambda: gatekeepers(net, community=X, institution=Y),
             (lambda: brute_gatekeepers(G, X, Y, SAMPLE)) if n <= 10_000 else None),
        ]
        brokerage(net, by="sub_area")  # warm up (imports)
        for name, ours, ref in rows:
            t = timed(ours, args.repeat)
            r = timed(ref, 1) if ref else float("nan")
            if name == "gatekeepers":
                r *= n / SAMPLE  # extrapolated from SAMPLE deletions
            ratio = f"{r / t:6.1f}x" if ref else "      -"
            print(f"{n:>8} {net.m:>8} {name:<18} {t:>9.3f} {r:>14.3f} {ratio:>7}", flush=True)


if __name__ == "__main__":
    main()
