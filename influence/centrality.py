"""Centrality: degree, betweenness, closeness, harmonic, eigenvector, PageRank and core number.

Every value equals what networkx returns for the same simple graph (see
:func:`influence.graph.network` for how multi-ties, self-loops and direction are combined), but
the heavy measures run in python-igraph's C core, built straight from the edge arrays: 10-500x
faster than networkx on graphs of 10k+ actors (docs/performance.md).
"""

from __future__ import annotations

import math
import random
import warnings

import numpy as np

from .errors import InputError
from .graph import network

__all__ = ["centrality", "MEASURES"]

#: The measures :func:`centrality` computes, in column order.
MEASURES = ("degree", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank",
            "core_number")
_ALIASES = {"in_degree": "degree", "out_degree": "degree", "core": "core_number",
            "coreness": "core_number", "kcore": "core_number", "k_core": "core_number"}


def centrality(m, *, measures=None, weight="strength", normalized=True, k=None, seed=None,
               scheduler=None, chunks=None):
    """Classic centrality measures, one row per actor, in networkx's conventions.

    Tie ``strength`` is a *strength* (1 weak ... 3 strong), so the path-based measures
    (betweenness, closeness, harmonic) use **distance = 1/strength**: a strong tie is a short
    step. Eigenvector and PageRank use the strength itself as the tie weight. Degree and core
    number count ties and ignore strength. Multi-ties between the same pair are combined into
    one tie of the strongest strength and self-loops are ignored (:func:`influence.graph.network`).

    ================  ==============================================================
    column            equals (networkx, on the combined graph ``G``)
    ================  ==============================================================
    ``degree``        ``degree_centrality(G)`` (``in_degree``/``out_degree`` too when
                      directed); ``normalized=False``: the number of ties
    ``betweenness``   ``betweenness_centrality(G, weight="distance", k=k, seed=seed)``
                      (``normalized`` passed on)
    ``closeness``     ``closeness_centrality(G, distance="distance")``, Wasserman-Faust
                      scaling on disconnected graphs; ``normalized=False`` gives
                      ``wf_improved=False``. Directed: distances *to* the actor.
    ``harmonic``      ``harmonic_centrality(G, distance="distance")`` (sum of 1/d over
                      actors that reach it; networkx does not normalise it)
    ``eigenvector``   ``eigenvector_centrality(G, weight="strength")``: unit L2 norm
    ``pagerank``      ``pagerank(G, alpha=0.85, weight="strength")`` (sums to 1), on
                      the combined graph: parallel ties count once, at their
                      *maximum* strength (networkx on a MultiGraph *sums* them)
    ``core_number``   ``core_number(G)`` (directed: in+out degree)
    ================  ==============================================================

    Weighted betweenness counts every shortest path, ties in path length included. networkx
    compares float path lengths exactly, so with distances 1/strength it can miss paths whose
    lengths differ only by rounding (1/3 + 2/3 versus 1); its normalised values then differ from
    ours by up to ~7.5e-3 (the largest seen in testing; about 2e-3 on the demo area). Ours
    agree with networkx run on exact distances (e.g. 6/strength) to 1e-15.
    PageRank is solved to convergence: compare with networkx's ``tol=1e-10``.

    Eigenvector centrality is only meaningful on a connected graph. On a disconnected
    undirected graph we return the limit networkx's power iteration converges to from its
    uniform start: the leading eigenvector of the component(s) with the largest eigenvalue,
    every other actor 0 (networkx stops early, at ``tol``, so its values for those actors are
    small but not 0). On a directed graph the left eigenvector is taken (centrality comes from
    actors pointing at you); on an acyclic one, where networkx fails to converge, the sinks
    share the centrality, as in igraph.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    measures : str or list of str, optional
        Any of ``degree``, ``betweenness``, ``closeness``, ``harmonic``, ``eigenvector``,
        ``pagerank``, ``core_number``; default all.
    weight : str or None
        Tie attribute holding the **strength** (default ``"strength"``: bigger = closer);
        None: all ties equal. This is not networkx's ``weight``/``distance``: for the path
        measures (betweenness, closeness, harmonic) networkx reads its ``weight`` or
        ``distance`` attribute as a *distance* (bigger = further), so passing strengths to
        networkx directly makes strong ties long. Here the distance is 1/strength; to compare
        with networkx, give it ``distance = 1/strength`` as above.
    normalized : bool
        networkx's normalisation (default); False gives raw degree and betweenness counts and
        closeness without the Wasserman-Faust factor.
    k : int, optional
        Estimate betweenness from ``k`` sampled sources (for 100k+ actors), rescaled exactly as
        networkx's ``betweenness_centrality(G, k=k, seed=seed)``, which it equals for the same
        integer ``seed``.
    seed : int, optional
        Seed of the source sample (``random.Random(seed).sample``, as networkx).
    scheduler : distributed.Client, str or int, optional
        Run betweenness, closeness and harmonic centrality on a Dask cluster, split by
        source: a ``Client``, a scheduler address (``"tcp://host:8786"``) or a number of local
        worker processes (a ``LocalCluster`` started and stopped for this call). The values
        equal the single-machine ones to ~1e-12 (the sums are added in another order); the
        other measures run here. Needs ``pip install 'influence[dask]'``; see
        :mod:`influence.distributed`.
    chunks : int, optional
        With ``scheduler``: how many chunks of sources each measure is split into (default:
        four per worker thread, so a lost worker's share is spread over the others).

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id: ``kind``, ``name``, then one float column per measure
        (``core_number`` and raw ``degree`` are integers).

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.centrality import centrality
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> centrality(G, measures=["degree", "betweenness"])
       kind name  degree  betweenness
    id
    a  <NA>    a     0.5          0.0
    b  <NA>    b     1.0          1.0
    c  <NA>    c     0.5          0.0

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
       *Social Networks* 1(3), 215-239.
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
       Mathematical Sociology* 25(2), 163-177; Brandes, U. & Pich, C. (2007), sampled sources.
    .. [3] Wasserman, S. & Faust, K. (1994). *Social Network Analysis*. Cambridge UP.
    .. [4] Boldi, P. & Vigna, S. (2014). Axioms for centrality. *Internet Mathematics* 10.
    .. [5] Bonacich, P. (1987). Power and centrality: a family of measures. *AJS* 92(5).
    .. [6] Page, L., Brin, S., Motwani, R. & Winograd, T. (1999). The PageRank citation ranking.
    .. [7] Batagelj, V. & Zaversnik, M. (2003). An O(m) algorithm for cores decomposition.
    .. [8] Opsahl, T., Agneessens, F. & Skvoretz, J. (2010). Node centrality in weighted
       networks: generalizing degree and shortest paths. *Social Networks* 32(3), 245-251.
    """
    wanted = _measures(measures)
    if scheduler is not None:
        return _on_dask(m, wanted, scheduler=scheduler, weight=weight, normalized=normalized,
                        k=k, seed=seed, chunks=chunks)
    net = network(m, weight=weight)
    n = net.n
    from ._progress import note, path_measure_estimate

    note(path_measure_estimate(n, net.m, [x for x in wanted if not (x == "betweenness" and k)]))
    cols = {}
    if "degree" in wanted:
        cols.update(_degree(net, normalized))
    if "betweenness" in wanted:
        cols["betweenness"] = _betweenness(net, normalized, k, seed)
    if "closeness" in wanted:
        cols["closeness"] = _closeness(net, normalized)
    if "harmonic" in wanted:
        w, unit = _distance(net)
        cols["harmonic"] = _zero_nan(net.igraph.harmonic_centrality(
            weights=w, mode="in", normalized=False)) / unit if n else _f([])
    if "eigenvector" in wanted:
        cols["eigenvector"] = _eigenvector(net)
    if "pagerank" in wanted:
        cols["pagerank"] = (np.asarray(net.igraph.pagerank(weights="strength", damping=0.85,
                                                          directed=True), dtype=float)
                            if n else _f([]))
    if "core_number" in wanted:
        cols["core_number"] = np.asarray(net.igraph.coreness(mode="all"), dtype=np.int64)
    return net.table(cols)


# --- helpers shared with other analyses -------------------------------------------------------
def _on_dask(m, wanted, *, scheduler, weight, normalized, k, seed, chunks):
    """:func:`centrality` with betweenness, closeness and harmonic split by source over Dask
    (:func:`influence.distributed.by_sources`) and the other measures run here."""
    from .distributed import DISTRIBUTED_MEASURES, by_sources

    there = [x for x in DISTRIBUTED_MEASURES if x in wanted]
    net = network(m, weight=weight)  # built once here (a networkx graph too), used throughout
    if not there or net.n == 0:
        return centrality(net, measures=sorted(wanted), weight=weight, normalized=normalized)
    here = [x for x in MEASURES if x in wanted and x not in DISTRIBUTED_MEASURES]
    n = net.n
    w, unit = _distance(net)
    sources = None
    jobs = {}
    if "betweenness" in there:
        sources = _sources(net, k, seed)
        jobs["betweenness"] = np.arange(n) if sources is None else sources
    for x in ("closeness", "harmonic"):
        if x in there:
            jobs[x] = np.arange(n)
    parts = by_sources(net, jobs, scheduler=scheduler, distance=w, chunks=chunks)
    frame = centrality(net, measures=here or ["degree"], weight=weight, normalized=normalized)
    if not here:
        frame = frame.drop(columns=["degree", "in_degree", "out_degree"], errors="ignore")
    if "betweenness" in parts:
        raw = np.sum(parts["betweenness"], axis=0)
        total = raw if net.directed else 2.0 * raw
        frame["betweenness"] = _nx_rescale(total, n, normalized=normalized,
                                           directed=net.directed, sources=sources)
    if "closeness" in parts:
        frame["closeness"] = closeness_from_inverse(net, np.concatenate(parts["closeness"]),
                                                    unit, normalized)
    if "harmonic" in parts:
        frame["harmonic"] = _zero_nan(np.concatenate(parts["harmonic"])) / unit
    order = [c for x in MEASURES for c in ((x, "in_degree", "out_degree") if x == "degree"
                                           else (x,)) if c in frame.columns]
    return frame[["kind", "name"] + order]


def _sources(net, k, seed):
    """The sampled betweenness sources (positions; ``random.Random(seed).sample`` of the ids,
    as networkx), or None for exact betweenness."""
    if k is None:
        return None
    n = net.n
    if not isinstance(k, (int, np.integer)) or not 1 <= k <= n:
        raise InputError(f"k={k!r} sampled sources is not between 1 and the number of "
                         f"actors ({n}). Fix: pass an integer k in that range, or leave "
                         "k out for exact betweenness.")
    sample = random.Random(seed).sample(list(net.ids), int(k))
    return net.ids.get_indexer(sample)


def _measures(measures):
    if measures is None:
        return set(MEASURES)
    if isinstance(measures, str):
        measures = [measures]
    out = set()
    for name in measures:
        key = str(name).strip().lower().replace("-", "_")
        key = _ALIASES.get(key, key)
        if key not in MEASURES:
            raise InputError(f"Unknown centrality measure {name!r}. Fix: use any of "
                             f"{', '.join(MEASURES)}.")
        out.add(key)
    return out


def _f(values):
    return np.asarray(values, dtype=float)


def _zero_nan(values):
    arr = _f(values)
    arr[np.isnan(arr)] = 0.0
    return arr


def _degree(net, normalized):
    """Degree (and in/out degree when directed), counted from the combined edge arrays with
    ``numpy.bincount``: the same numbers as igraph's ``degree`` on :attr:`Network.igraph`,
    without building that graph or converting igraph's Python lists. The columns are kept
    (read-only) in :attr:`Network.memo`, so a repeated call copies them; every call returns
    new arrays."""
    key = ("degree", normalized)
    cols = net.memo.get(key)
    if cols is None:
        n = net.n
        scale = 1.0 / (n - 1) if normalized and n > 1 else 1.0

        def norm(arr):
            if not normalized:
                return arr
            if n == 1:  # networkx: a lone node has degree centrality 1
                return np.ones(1)
            return arr * scale

        out_deg = np.bincount(net.src, minlength=n).astype(np.int64)
        in_deg = np.bincount(net.dst, minlength=n).astype(np.int64)
        cols = {"degree": norm(out_deg + in_deg)}
        if net.directed:
            cols["in_degree"] = norm(in_deg)
            cols["out_degree"] = norm(out_deg)
        for arr in cols.values():
            arr.flags.writeable = False
        net.memo[key] = cols
    return {name: arr.copy() for name, arr in cols.items()}


def _distance(net):
    """Edge weights for shortest paths, and the length of one step when all are equal.

    With equal strengths, breadth-first search (no weights) is faster than Dijkstra and gives
    the same paths; path lengths are then counted in steps of ``unit`` = 1/strength.
    """
    if net.m == 0:
        return None, 1.0
    s = net.strength
    if np.all(s == s[0]):
        return None, 1.0 / float(s[0])
    return "distance", 1.0


def _betweenness(net, normalized, k, seed):
    g, n = net.igraph, net.n
    w, _ = _distance(net)
    sources = _sources(net, k, seed)
    key = ("betweenness", None if sources is None else tuple(sources.tolist()))
    raw = net.memo.get(key)  # the costliest measure: once per network (a review asks twice)
    if raw is None:
        if sources is None:
            raw = _f(g.betweenness(directed=True, weights=w)) if n else _f([])
        else:
            raw = _f(g.betweenness(directed=True, weights=w, sources=sources.tolist()))
        net.memo[key] = raw
    raw = raw.copy()
    # networkx accumulates ordered (s, t) pairs; igraph counts undirected pairs once
    total = raw if net.directed else 2.0 * raw
    return _nx_rescale(total, n, normalized=normalized, directed=net.directed, sources=sources)


def _nx_rescale(b, n, *, normalized, directed, sources):
    """networkx 3.6 ``_rescale`` (endpoints=False), for the exact and the sampled estimate."""
    N = n - 1
    if N < 2:
        return b
    corr = 1 if directed else 2
    if sources is None:
        scale = 1 / (N * (N - 1)) if normalized else N / (N * corr)
        return b * scale
    k = len(sources)
    if normalized:
        s_src = 1 / ((k - 1) * (N - 1)) if k > 1 else math.nan
        s_non = 1 / (k * (N - 1))
    else:
        s_src = N / ((k - 1) * corr) if k > 1 else math.nan
        s_non = N / (k * corr)
    scale = np.full(n, s_non)
    scale[sources] = s_src
    return b * scale


def _closeness(net, normalized):
    g, n = net.igraph, net.n
    if n == 0:
        return _f([])
    w, unit = _distance(net)
    inv = g.closeness(mode="in", weights=w, normalized=False)  # 1/sum d within reach
    return closeness_from_inverse(net, inv, unit, normalized)


def closeness_from_inverse(net, inv, unit, normalized):
    """Closeness in networkx's convention (Wasserman-Faust scaling) from igraph's per-vertex
    ``1/sum(d)`` (``inv``) and the distance ``unit``; the one rule for the local and the
    distributed (:mod:`influence.distributed`) computation."""
    g, n = net.igraph, net.n
    inv_total = _zero_nan(inv) / unit
    if net.directed:  # actors that reach each actor (itself included)
        reach = _f(g.neighborhood_size(order=n, mode="in"))
    else:
        memb = np.asarray(g.connected_components().membership)
        reach = np.bincount(memb)[memb].astype(float)
    close = (reach - 1) * inv_total
    if normalized and n > 1:
        close = close * (reach - 1) / (n - 1)
    return close


def _eigenvector(net):
    """Unit-L2 eigenvector centrality (networkx's scale), per the rule in the docstring."""
    g, n = net.igraph, net.n
    if n == 0:
        return _f([])
    if net.m == 0:
        return np.full(n, 1 / math.sqrt(n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if net.directed:
            x = np.abs(_f(g.eigenvector_centrality(directed=True, weights="strength")))
            return x / np.linalg.norm(x)
        comps = g.connected_components()
        memb = np.asarray(comps.membership)
        # lambda_max of a component is at most its largest weighted degree: only components
        # whose bound reaches the best eigenvalue found so far need computing
        strength = _f(g.strength(weights="strength"))
        bound = np.zeros(len(comps))
        np.maximum.at(bound, memb, strength)
        x = np.zeros(n)
        best, parts = -1.0, []
        for c in np.argsort(-bound, kind="stable"):
            if bound[c] < best * (1 - 1e-9):
                break
            members = np.flatnonzero(memb == c)
            if len(members) == 1:
                vec, lam = np.ones(1), 0.0
            else:
                sub = g.induced_subgraph(members.tolist()) if len(comps) > 1 else g
                vec, lam = sub.eigenvector_centrality(weights="strength",
                                                      return_eigenvalue=True)
                vec = np.abs(_f(vec))
                vec /= np.linalg.norm(vec)
            if lam > best * (1 + 1e-9):
                best, parts = lam, [(members, vec)]
            elif lam >= best * (1 - 1e-9):
                parts.append((members, vec))
        for members, vec in parts:  # projection of the all-ones start on each component
            x[members] = vec.sum() * vec
        return x / np.linalg.norm(x)
