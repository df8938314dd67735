"""Spheres of influence around a focus (the partnership), and the frontier of introducers.

Sphere 0 is the focus, sphere 1 its direct ties, sphere 2 one introduction away, and so on;
actors that cannot be reached are kept and marked "not reached". Directed ties are followed in
their direction ("who we reach"), undirected ties both ways; tie strength does not change the
sphere (hop distance), only which introducer is named in ``via``.

One relationship is known from the kinds alone: every Big Local partnership works with Local
Trust, the programme's national funder, through its rep (``big_local_rep``) and its locally
trusted organisation (``locally_trusted_org``). When a map has a partnership, Local Trust and a
rep or LTO, the rep and LTO are tied to Local Trust (both ways, strength 2) even if the map
records no such tie (:func:`programme_ties`).
"""

from __future__ import annotations

import heapq

import numpy as np

from .errors import InputError
from .graph import network
from .schema import PARTNERSHIP_KIND, PROGRAMME_KINDS  # noqa: F401  (PROGRAMME_KINDS: public)

__all__ = ["spheres", "frontier", "programme_ties", "RINGS", "PROGRAMME_KINDS"]

#: Ring labels by sphere (sphere 0 is "partnership" when the focus is the partnership).
RINGS = {0: "focus", 1: "direct ties", 2: "one introduction away"}
FURTHER, NOT_REACHED = "further", "not reached"


def spheres(m, *, focus=None, steps=None):
    """Concentric spheres of influence around a focus.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    focus : str, list of str, optional
        An actor id, a list of ids, or an actor kind (every actor of that kind). Default: the
        ``big_local_partnership`` actor(s) and their members (``member_of``/``chairs`` ties to
        it); naming the partnership kind gives the same focus.
    steps : int, optional
        Count only actors at most ``steps`` ties away. Those further away keep ring
        "further" (or "not reached" if no path exists) and ``sphere`` <NA>, so every sphere
        given for ``steps=k`` is the same for ``steps=k+1`` (spheres are monotone in steps).

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (every actor, none dropped): ``kind``, ``name``, ``sphere``
        (Int64: 0 focus, 1 direct ties, 2 one introduction away, ...; <NA> not counted),
        ``ring`` ("partnership" or "focus", "direct ties", "one introduction away", "further",
        "not reached") and ``via``: an actor in the previous sphere with a tie to this one (the
        strongest such tie; equal strengths: the smallest id), <NA> in sphere 0.

    Raises
    ------
    UnknownActorError
        A focus id or kind is not in the map.
    InputError
        No focus given and the map has no partnership.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.spheres import spheres
    >>> G = nx.Graph([("us", "ann"), ("ann", "cllr"), ("cllr", "icb")])
    >>> G.add_node("alone")
    >>> spheres(G, focus="us")[["sphere", "ring", "via"]]
            sphere                   ring   via
    id
    us           0                  focus  <NA>
    ann          1            direct ties    us
    cllr         2  one introduction away   ann
    icb          3                further  cllr
    alone     <NA>            not reached  <NA>

    References
    ----------
    .. [1] Local Trust (2024). *Spheres of community influence*: influence spreads from the
       individual to the partnership, the wider community and the bodies with power over it.
    .. [2] Local Trust (2023). *Our Bigger Story*: "review who is in their sphere of influence
       (and who is missing)".
    """
    import pandas as pd

    net = network(m)
    if steps is not None and (not isinstance(steps, (int, np.integer)) or steps < 0):
        raise InputError(f"steps={steps!r} is not a whole number of steps. Fix: pass steps=1, "
                         "2, ... or leave it out.")
    if net.n == 0:
        frame = net.table({"sphere": pd.array([], dtype="Int64"),
                           "ring": pd.array([], dtype="string"),
                           "via": pd.array([], dtype=_via_dtype(net))})
    else:
        seeds, is_partnership = net.focus(focus)
        dist, via = net.hops(seeds)
        counted = dist >= 0 if steps is None else (dist >= 0) & (dist <= steps)
        sphere = pd.array(np.where(counted, dist, 0), dtype="Int64")
        sphere[~counted] = pd.NA
        rings = np.array([_ring(d, is_partnership) for d in dist.tolist()], dtype=object)
        rings[(dist >= 0) & ~counted] = FURTHER
        via_labels = [net.ids[v] if (v >= 0 and c) else pd.NA
                      for v, c in zip(via, counted, strict=False)]
        frame = net.table({"sphere": sphere,
                           "ring": pd.array(rings, dtype="string"),
                           "via": pd.array(via_labels, dtype=_via_dtype(net))})
    return frame


def frontier(m, *, focus=None, steps=1):
    """The shortest list of introducers who would bring outside actors one step closer.

    The sphere within ``steps`` of the focus is known; the actors just outside it (``steps+1``
    ties away) can each be introduced by someone on its edge. Greedy set cover
    (docs/algorithms.md §7): repeatedly take the introducer who reaches the most actors not yet
    covered (equal counts: the smallest id), until every reachable outside actor is covered.
    Greedy is within a factor ln(n) of the shortest such list (Johnson 1974) and is exact on most
    small maps.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    focus : str, list of str, optional
        As in :func:`spheres` (default: the partnership and its members).
    steps : int
        The sphere already reached (default 1: the focus and its direct ties).

    Returns
    -------
    pandas.DataFrame
        One row per introducer, in order, indexed by actor id: ``kind``, ``name``, ``rank``
        (1 = ask first), ``introduces`` (how many new actors), ``actors`` (tuple of their ids,
        sorted).

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.spheres import frontier
    >>> G = nx.Graph([("us", "a"), ("us", "b"), ("a", "x"), ("b", "x"), ("b", "y")])
    >>> frontier(G, focus="us")[["rank", "introduces", "actors"]]
        rank  introduces  actors
    id
    b      1           2  (x, y)

    References
    ----------
    .. [1] Johnson, D. S. (1974). Approximation algorithms for combinatorial problems.
       *Journal of Computer and System Sciences* 9(3), 256-278 (greedy set cover).
    .. [2] Local Trust (2023). *Our Bigger Story* (who is missing from our sphere).
    """
    import pandas as pd

    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise InputError(f"steps={steps!r} is not a whole number of steps. Fix: pass steps=1, "
                         "2, ...")
    net = network(m)
    chosen = []
    if net.n:
        seeds, _ = net.focus(focus)
        dist, _ = net.hops(seeds)
        src, dst, _ = net.arcs(programme=True)
        keep = (dist[src] == steps) & (dist[dst] == steps + 1)
        covers = {}
        for f, v in zip(src[keep].tolist(), dst[keep].tolist(), strict=False):
            covers.setdefault(f, set()).add(v)
        key = {i: str(net.ids[i]) for i in covers}
        heap = [(-len(s), key[f], f) for f, s in covers.items()]
        heapq.heapify(heap)
        covered = set()
        while heap:
            neg, k, f = heapq.heappop(heap)
            new = covers[f] - covered
            if not new:
                continue
            if len(new) != -neg:  # stale count: push back with the true one
                heapq.heappush(heap, (-len(new), k, f))
                continue
            covered |= new
            chosen.append((f, tuple(sorted((net.ids[v] for v in new), key=str))))
    all_index, kinds, names = net.index, net.column("kind"), net.column("name")
    pos = [f for f, _ in chosen]
    frame = pd.DataFrame({
        "kind": kinds.iloc[pos].array,
        "name": names.iloc[pos].array,
        "rank": np.arange(1, len(chosen) + 1, dtype=np.int64),
        "introduces": np.array([len(a) for _, a in chosen], dtype=np.int64),
        "actors": pd.Series([a for _, a in chosen], dtype=object).array,
    }, index=all_index[pos])
    return frame


# --- helpers ---------------------------------------------------------------------------------
def _via_dtype(net):
    """``via`` holds actor ids: string dtype when every id is a string, else object."""
    return "string" if all(isinstance(i, str) for i in net.ids) else object


def _ring(d, is_partnership):
    if d < 0:
        return NOT_REACHED
    if d == 0:
        return "partnership" if is_partnership else "focus"
    return RINGS.get(d, FURTHER)


def programme_ties(m):
    """The ties every Big Local has with Local Trust, known from the kinds alone.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph

    Returns
    -------
    list of tuple
        ``(rep_or_lto_id, local_trust_id)`` for each rep and locally trusted organisation on a
        map that has a ``big_local_partnership`` and an actor named "Local Trust" (or with id
        ``local_trust``); empty otherwise.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("us", "lto")])
    >>> G.add_node("lt", name="Local Trust", kind="funder")
    >>> nx.set_node_attributes(G, {"us": "big_local_partnership",
    ...                            "lto": "locally_trusted_org"}, "kind")
    >>> programme_ties(G)
    [('lto', 'lt')]

    References
    ----------
    .. [1] Local Trust (2023). *Our Bigger Story*: each Big Local area has a rep appointed by
       Local Trust and a locally trusted organisation that holds and accounts for its funding.
    """
    net = network(m)
    return [(net.ids[u], net.ids[v]) for u, v in net.programme_pairs()]
