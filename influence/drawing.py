"""What the interactive map and the printed figures draw alike: colours, layouts, text, sizes.

The colour palette and ring names, the force-directed and sphere layouts (with the cached
communities behind the two-level layout of very large maps), the display text of a cell and the
value each actor is sized by. Used by :mod:`influence.htmldata` (the interactive map, through
:mod:`influence.html`) and :mod:`influence.figures` (the printed figures).
"""

from __future__ import annotations

import math

import numpy as np

from .errors import InputError

__all__ = ["PALETTE", "OTHER_COLOUR", "RING_LABELS", "layout", "sphere_layout", "communities",
           "forget_communities", "text", "size_values"]

#: Colour-blind-friendly categorical palette (Okabe-Ito, then Tableau 10 extras).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF", "#9467BD")
OTHER_COLOUR = "#B0B0B0"
RING_LABELS = ("partnership", "direct ties", "one introduction away", "further", "not reached")
_STEP = 60.0  # layout units per ring / per sqrt(actor)


def layout(net, *, seed: int = 1, large: int = 5000) -> np.ndarray:
    """A force-directed layout (n x 2) of the combined graph, deterministic for a given seed.

    Fruchterman-Reingold from igraph (grid variant above 1,000 actors), on the undirected
    graph, scaled so that the average actor has about ``60 x 60`` units of room. Above
    ``large`` actors it is done in two levels, so that 50,000 actors take seconds, not minutes:
    the communities (Louvain) are laid out as one node each, then each community on its own,
    in a disc around its place.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.graph import network
    >>> from influence.drawing import layout
    >>> xy = layout(network(nx.path_graph(4)))
    >>> xy.shape, bool((layout(network(nx.path_graph(4))) == xy).all())
    ((4, 2), True)
    """
    n = net.n
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    g = net.igraph
    if g.is_directed():
        g = g.as_undirected(mode="collapse")
    if n >= 5000:
        from ._progress import duration, note

        note(f"Laying out {n:,} actors for the map: about {duration(4e-4 * n)}.")
    rng = np.random.default_rng(seed)
    start = rng.uniform(-math.sqrt(n), math.sqrt(n), size=(n, 2)).tolist()
    import random

    from ._igraph import load

    ig = load()

    # the communities first: finding them sets igraph's random generator back to Python's
    # global one, which would make the layout that follows differ from run to run
    membership = communities(net) if n > large else None
    ig.set_random_number_generator(random.Random(seed))
    try:
        if n > large:
            xy = _two_level(g.copy().simplify(), rng, membership)  # not the cached graph
        else:
            xy = np.asarray(g.layout_fruchterman_reingold(seed=start, niter=500,
                                                          grid=n > 1000).coords)
    finally:
        ig.set_random_number_generator(random)
    xy -= xy.mean(axis=0)
    span = np.abs(xy).max() or 1.0
    return xy / span * (_STEP * math.sqrt(n) * 1.2)


def communities(net) -> np.ndarray:
    """Louvain communities of the network (:func:`influence.communities`, seeded, unweighted):
    one run per network, cached.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.graph import network
    >>> from influence.drawing import communities
    >>> G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(4))
    >>> len(set(communities(network(G)).tolist()))
    2

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast
       unfolding of communities in large networks. *J. Stat. Mech.*, P10008.
    """
    cached = _LOUVAIN.get(id(net))
    if cached is not None and cached[0] is net:
        return cached[1]
    from .communities import communities as find

    membership = find(net, method="louvain", weight=None, seed=1).table["community"].to_numpy()
    _LOUVAIN.clear()  # one network at a time: no growing cache
    _LOUVAIN[id(net)] = (net, membership)
    return membership


_LOUVAIN: dict = {}


def forget_communities():
    """Drop the cached communities of :func:`communities` (once a page is built)."""
    _LOUVAIN.clear()


def _two_level(g, rng, membership) -> np.ndarray:
    """Communities placed by Fruchterman-Reingold on their quotient graph, then each laid out
    on its own inside a disc of radius ~ sqrt(size) around its place."""
    k = int(membership.max()) + 1
    sizes = np.bincount(membership, minlength=k)
    q = g.copy()
    q.contract_vertices(membership.tolist(), combine_attrs=None)
    q.simplify()
    qstart = rng.uniform(-1, 1, size=(k, 2)).tolist()
    centre = np.asarray(q.layout_fruchterman_reingold(seed=qstart, niter=300,
                                                      grid=k > 1000).coords)
    centre -= centre.mean(axis=0)
    # spread the communities so that their discs (radius sqrt(size)) rarely overlap
    pick = centre if k <= 2000 else centre[rng.choice(k, 2000, replace=False)]
    if len(pick) > 1:
        dist = np.linalg.norm(pick[:, None] - pick[None, :], axis=2)
        np.fill_diagonal(dist, np.inf)
        spacing = float(np.median(dist.min(axis=1))) or 1.0
    else:
        spacing = 1.0
    centre *= 2.2 * math.sqrt(float(np.median(sizes))) / spacing
    xy = np.zeros((g.vcount(), 2))
    order = np.argsort(membership, kind="stable")
    bounds = np.searchsorted(membership[order], np.arange(k + 1))
    for c in range(k):
        members = order[bounds[c]:bounds[c + 1]]
        if len(members) == 1:
            xy[members] = centre[c]
            continue
        sub = g.induced_subgraph(members.tolist())
        local = np.asarray(sub.layout_fruchterman_reingold(
            seed=rng.uniform(-1, 1, size=(len(members), 2)).tolist(), niter=50,
            grid=len(members) > 300).coords)
        local -= local.mean(axis=0)
        local /= np.abs(local).max() or 1.0
        xy[members] = centre[c] + local * math.sqrt(len(members))
    return xy


def sphere_layout(sphere, via, *, ids) -> tuple[np.ndarray, list[float]]:
    """Concentric rings: sphere 0 in the centre, then 1, 2, "further", "not reached".

    Returns the positions (n x 2) and the ring radii (5 values, by ring index). Actors on a ring
    are ordered by the angle of their ``via`` actor, so introductions point outwards.
    ``sphere`` and ``via`` are lists aligned with ``ids`` (None where missing).
    """
    n = len(ids)
    ring = np.array([4 if s is None else min(int(s), 3) for s in sphere], dtype=int)
    counts = np.bincount(ring, minlength=5)
    radii, r = [], 0.0
    for k in range(5):
        # room for the actors on this ring: circumference >= 28 units per actor
        need = counts[k] * 28 / (2 * math.pi)
        r = max(need, 0.0) if k == 0 and counts[0] <= 1 else max(r + 2.2 * _STEP, need)
        radii.append(r)
    xy = np.zeros((n, 2))
    angle = np.zeros(n)
    pos = {i: k for k, i in enumerate(ids)}
    for k in range(5):
        members = np.flatnonzero(ring == k)
        if not len(members):
            continue
        parent = np.array([angle[pos[via[i]]] if via[i] is not None and via[i] in pos
                           else 2 * math.pi for i in members])
        order = members[np.lexsort((members, parent))]
        # half a step off the top, so the ring's label (drawn at the top) is never covered
        theta = 2 * math.pi * (np.arange(len(order)) + 0.5) / len(order) - math.pi / 2
        if k == 0 and len(order) > 1:
            rr = radii[0] if radii[0] > 0 else 0.6 * _STEP
            radii[0] = rr
        else:
            rr = radii[k]
        xy[order, 0] = rr * np.cos(theta)
        xy[order, 1] = rr * np.sin(theta)
        angle[order] = np.mod(theta + math.pi / 2, 2 * math.pi)
    return xy, radii


def text(value) -> str | None:
    """A cell as display text (tuples joined, floats compact, stance in words); None if missing."""
    if type(value) is str:  # most cells: the text as it is
        return value
    import pandas as pd

    if isinstance(value, (tuple, list)):
        parts = [str(v) for v in value if v is not None]
        return "; ".join(parts) if parts else None
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def size_values(net, m, size_by, notes) -> np.ndarray:
    """The value each actor is sized by: an actor column, a Series by actor id or a measure of
    :func:`influence.centrality` (degree instead, with a note, when the column has no numbers).
    """
    import pandas as pd

    n = net.n
    if isinstance(size_by, pd.Series):
        values = pd.to_numeric(size_by.reindex(net.ids), errors="coerce")
        return values.to_numpy(float, na_value=np.nan)
    if size_by is None:
        return np.ones(n)
    actors = net.actors
    if size_by in actors and not str(size_by).startswith("private_"):
        values = pd.to_numeric(actors[size_by], errors="coerce").to_numpy(float, na_value=np.nan)
        if np.isfinite(values).any():
            return values
        notes.append(f"size: column {size_by!r} has no numbers; sized by degree instead")
        size_by = "degree"
    elif size_by == "influence":
        notes.append("size: no influence column; sized by degree instead")
        size_by = "degree"
    from .centrality import MEASURES, centrality

    if size_by not in MEASURES:
        raise InputError(f"Cannot size by {size_by!r}. Fix: use a numeric actor column (such as "
                         f"influence) or a measure: {', '.join(MEASURES)}.")
    frame = centrality(net if m is None else m, measures=[size_by])
    return pd.to_numeric(frame[size_by].reindex(net.ids), errors="coerce").to_numpy(
        float, na_value=np.nan)
