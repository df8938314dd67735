"""Communities: the groups a map falls into (Leiden, Louvain, label propagation) and modularity.

The partition is found by igraph (C code) on the simple undirected graph of
:func:`influence.graph.network` (a directed tie links its two actors like an undirected one),
and scored with Newman's modularity computed here with numpy, equal to
``networkx.algorithms.community.modularity`` on the same partition.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError, either
from .result import Result

__all__ = ["communities", "modularity", "Communities", "METHODS"]

METHODS = ("leiden", "louvain", "label_propagation")


@dataclass
class Communities(Result):
    """The result of :func:`communities` (a :class:`~influence.result.Result`).

    Attributes
    ----------
    table : pandas.DataFrame
        The main table, indexed by actor id: ``kind``, ``name``, ``community`` (0 is the
        largest community, then by size; ties broken by first actor) and ``community_size``.
    groups : pandas.DataFrame
        One row per community (index ``community``): ``size``, ``ties_inside`` (ties between
        two members), ``ties_outside`` (ties from a member to a non-member) and ``members``
        (up to five names).
    modularity : float
        Newman's modularity of the partition (NaN for a map with no ties).
    method : str
    resolution : float
    sentence : str
        The partition in plain English.
    sentences : list of str
        ``[sentence]``.
    """

    table: object
    groups: object
    modularity: float
    method: str
    resolution: float

    def __repr__(self) -> str:
        return (f"<Communities {self.method}: {len(self.groups)} communities, "
                f"modularity {self.modularity:.3f}>")

    @property
    def sentence(self) -> str:
        """The partition in one plain-English sentence."""
        k = len(self.groups)
        if not k:
            return "The map has no actors, so no communities."
        sizes = ", ".join(str(int(s)) for s in self.groups["size"].head(8))
        more = ", ..." if k > 8 else ""
        return (f"{k} communit{'y' if k == 1 else 'ies'} ({self.method.replace('_', ' ')}): "
                f"sizes {sizes}{more}; modularity {self.modularity:.2f} (above about 0.3 the "
                "groups are clearly more tied inside than between).")

    @property
    def sentences(self) -> list:
        """The finding in plain English: ``[sentence]``."""
        return [self.sentence]


def communities(m, *, method="leiden", resolution=1.0, weight="strength", seed=0,
                min_strength=None):
    """Find the communities of a map with igraph, and the partition's modularity.

    Three methods from igraph, each maximising (or approximating) Newman's modularity on the
    undirected simple graph (parallel ties combined, self-loops dropped, a directed tie counted
    as a link between its two actors):

    * ``"leiden"`` (default): Traag, Waltman & van Eck (2019), ``Graph.community_leiden`` with
      ``objective_function="modularity"``, iterated until the partition is stable on maps of
      up to 50,000 ties (every partnership's map), and igraph's default two iterations above
      that (converging can take ten times longer there); communities are guaranteed to be
      connected;
    * ``"louvain"``: Blondel et al. (2008), ``Graph.community_multilevel``;
    * ``"label_propagation"``: Raghavan, Albert & Kumara (2007),
      ``Graph.community_label_propagation`` (no resolution parameter).

    Modularity is ``Q = sum_c [L_c / m - resolution * (d_c / 2m)^2]`` with ``L_c`` the
    (weighted) ties inside community ``c``, ``d_c`` the (weighted) degree of its members and
    ``m`` the total tie weight: the same number as
    ``networkx.algorithms.community.modularity(G, parts, weight=..., resolution=...)``.

    The methods are randomised; ``seed`` (default 0) makes the result repeatable. Pass
    ``seed=None`` for a fresh random run. Actors without ties form communities of one.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    method : {"leiden", "louvain", "label_propagation"}
    resolution : float
        Higher values give more, smaller communities (Reichardt & Bornholdt 2006).
    weight : str or None
        Tie strength used as the edge weight (default ``"strength"``); None: all ties equal.
    seed : int or None
        Seed of igraph's random number generator for this call.
    min_strength : float, optional
        Ignore ties weaker than this.

    Returns
    -------
    Communities
        ``.table`` (per actor), ``.groups`` (per community), ``.modularity``.

    Raises
    ------
    InputError
        Unknown ``method``, or ``resolution`` not a positive number.

    See Also
    --------
    ei_index : how inward-looking each community is.
    brokers : without ``by``, brokers between these communities.

    References
    ----------
    .. [1] Newman, M. E. J. & Girvan, M. (2004). Finding and evaluating community structure in
       networks. *Physical Review E* 69, 026113.
    .. [2] Traag, V. A., Waltman, L. & van Eck, N. J. (2019). From Louvain to Leiden:
       guaranteeing well-connected communities. *Scientific Reports* 9, 5233.
    .. [3] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast
       unfolding of communities in large networks. *J. Stat. Mech.* P10008.
    .. [4] Raghavan, U. N., Albert, R. & Kumara, S. (2007). Near linear time algorithm to
       detect community structures in large-scale networks. *Physical Review E* 76, 036106.
    .. [5] Csardi, G. & Nepusz, T. (2006). The igraph software package for complex network
       research. *InterJournal Complex Systems* 1695.

    Examples
    --------
    Two triangles joined by one tie fall into two communities:

    >>> import networkx as nx
    >>> from influence.communities import communities
    >>> G = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> c = communities(G)
    >>> c.table["community"].tolist()
    [0, 0, 0, 1, 1, 1]
    >>> round(c.modularity, 4)
    0.3571
    >>> parts = [{1, 2, 3}, {4, 5, 6}]
    >>> round(nx.algorithms.community.modularity(G, parts), 4)
    0.3571
    """
    from .graph import network

    if method not in METHODS:
        raise InputError(f"method={method!r} is not known. Fix: use one of "
                         f"{', '.join(METHODS)}.")
    try:
        resolution = float(resolution)
    except (TypeError, ValueError):
        resolution = float("nan")
    if not resolution > 0 or not np.isfinite(resolution):
        raise InputError("resolution must be a positive number (1 is standard modularity). "
                         f"Fix: pass e.g. {either('resolution=1.0', '--resolution 1.0')}, or "
                         "higher for smaller communities.")
    net = network(m, weight=weight, min_strength=min_strength, directed=False).undirected()
    membership = _membership(net, method, resolution, weight, seed)
    q = modularity(net, membership, resolution=resolution, weighted=weight is not None)
    return _result(net, membership, q, method, resolution)


def _membership(net, method, resolution, weight, seed):
    """Community codes (0 = largest) from igraph, in node order."""
    n = net.n
    if not n:
        return np.zeros(0, dtype=np.int64)
    if not net.m:
        return np.arange(n, dtype=np.int64)
    import random

    import igraph as ig

    g = net.igraph
    w = "strength" if weight is not None else None
    rng = random.Random(seed)
    ig.set_random_number_generator(rng)
    try:
        if method == "leiden":
            part = g.community_leiden(objective_function="modularity", weights=w,
                                      resolution=resolution, n_iterations=leiden_iterations(net.m))
        elif method == "louvain":
            part = g.community_multilevel(weights=w, resolution=resolution)
        else:
            part = g.community_label_propagation(weights=w)
    finally:
        ig.set_random_number_generator(random)
    return _relabel(np.asarray(part.membership, dtype=np.int64))


def leiden_iterations(ties):
    """Leiden iterations: until stable (-1) up to 50,000 ties, else igraph's default 2."""
    return -1 if ties <= 50_000 else 2


def _relabel(codes):
    """Renumber communities by size (largest first), ties by first member."""
    if not len(codes):
        return codes
    _, first, inverse, counts = np.unique(codes, return_index=True, return_inverse=True,
                                          return_counts=True)
    order = np.lexsort((first, -counts))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[inverse.ravel()]


def modularity(m, membership, *, resolution=1.0, weighted=True):
    """Newman's modularity of a partition, as ``networkx.algorithms.community.modularity``.

    Parameters
    ----------
    m : InfluenceMap, networkx.Graph or Network
        The graph (taken undirected, as :func:`communities` does).
    membership : array-like of int
        The community of each actor, in the map's actor order.
    resolution : float
    weighted : bool
        Use tie strength as the weight.

    Returns
    -------
    float
        NaN when there are no ties.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.communities import modularity
    >>> G = nx.Graph([(0, 1), (1, 2), (2, 3)])
    >>> round(modularity(G, [0, 0, 1, 1], weighted=False), 6)
    0.166667
    """
    from .graph import network

    net = network(m, weight="strength" if weighted else None, directed=False).undirected()
    codes = np.asarray(membership, dtype=np.int64)
    if len(codes) != net.n:
        raise InputError(f"membership has {len(codes)} values for {net.n} actors. Fix: give "
                         "one community per actor, in actor order.")
    w = net.strength if weighted else np.ones(net.m)
    total = float(w.sum())
    if not net.m or total <= 0:
        return float("nan")
    k = int(codes.max()) + 1 if len(codes) else 0
    cu, cv = codes[net.src], codes[net.dst]
    inside = np.bincount(cu[cu == cv], weights=w[cu == cv], minlength=k)
    degree = (np.bincount(cu, weights=w, minlength=k) + np.bincount(cv, weights=w, minlength=k))
    return float((inside / total).sum() - resolution * ((degree / (2 * total)) ** 2).sum())


def _result(net, membership, q, method, resolution):
    import pandas as pd

    n = net.n
    k = int(membership.max()) + 1 if n else 0
    sizes = np.bincount(membership, minlength=k).astype(np.int64)
    table = pd.DataFrame(index=net.index)
    table["kind"] = net.text("kind")
    table["name"] = net.text("name")
    table["community"] = membership.astype(np.int64)
    table["community_size"] = sizes[membership] if n else np.zeros(0, dtype=np.int64)
    cu, cv = membership[net.src], membership[net.dst]
    same = cu == cv
    inside = np.bincount(cu[same], minlength=k).astype(np.int64)
    outside = (np.bincount(cu[~same], minlength=k)
               + np.bincount(cv[~same], minlength=k)).astype(np.int64)
    names = table["name"].to_numpy(dtype=object)
    order = np.argsort(membership, kind="stable")
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]]) if k else np.zeros(0, dtype=np.int64)
    rank = np.arange(n) - np.repeat(start, sizes) if n else np.zeros(0, dtype=np.int64)
    first = order[rank < 5]
    members = [[] for _ in range(k)]
    for i, c in zip(first.tolist(), membership[first].tolist(), strict=True):
        members[c].append(str(names[i]))
    groups = pd.DataFrame({
        "size": sizes, "ties_inside": inside, "ties_outside": outside,
        "members": pd.array([", ".join(x) + (", ..." if sizes[c] > 5 else "")
                             for c, x in enumerate(members)], dtype="string")},
        index=pd.Index(np.arange(k, dtype=np.int64), name="community"))
    return Communities(table=table, groups=groups, modularity=q, method=method,
                       resolution=resolution)


def by_communities(net, weight):
    """The network with a ``community`` attribute from :func:`influence.communities`."""
    from .graph import Network

    c = communities(net, weight=weight)
    labels = [f"community {int(x) + 1}" for x in c.table["community"].tolist()]
    actors = net.actors.copy()
    actors["community"] = labels
    out = Network(net.ids, actors, net.ties, net.directed, net.src, net.dst, net.strength,
                  net.map)
    note = (f"Groups: no grouping was given, so the {len(c.groups)} communities found by the "
            f"Leiden method (modularity {c.modularity:.2f}) are used; give an attribute such as "
            "sub_area as the grouping (by) to use your own groups instead.")
    return out, "community", note
