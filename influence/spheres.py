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

from .errors import InputError, UnknownActorError, either
from .graph import network
from .schema import PARTNERSHIP_KIND

__all__ = ["spheres", "frontier", "programme_ties", "RINGS", "PROGRAMME_KINDS"]

#: Ring labels by sphere (sphere 0 is "partnership" when the focus is the partnership).
RINGS = {0: "focus", 1: "direct ties", 2: "one introduction away"}
FURTHER, NOT_REACHED = "further", "not reached"
_FOCUS_TIE_KINDS = ("member_of", "chairs")
#: The kinds through which every Big Local partnership works with Local Trust.
PROGRAMME_KINDS = ("big_local_rep", "locally_trusted_org")
_LOCAL_TRUST = "local trust"
_PROGRAMME_STRENGTH = 2.0


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
    from .centrality import _index, _labels

    index = _index(net)
    if net.n == 0:
        frame = pd.DataFrame({"sphere": pd.array([], dtype="Int64"),
                              "ring": pd.array([], dtype="string"),
                              "via": pd.array([], dtype=_via_dtype(net))}, index=index)
    else:
        seeds, is_partnership = _focus(net, focus)
        dist, via = _bfs(net, seeds)
        counted = dist >= 0 if steps is None else (dist >= 0) & (dist <= steps)
        sphere = pd.array(np.where(counted, dist, 0), dtype="Int64")
        sphere[~counted] = pd.NA
        rings = np.array([_ring(d, is_partnership) for d in dist.tolist()], dtype=object)
        rings[(dist >= 0) & ~counted] = FURTHER
        via_labels = [net.ids[v] if (v >= 0 and c) else pd.NA
                      for v, c in zip(via, counted, strict=False)]
        frame = pd.DataFrame({"sphere": sphere,
                              "ring": pd.array(rings, dtype="string"),
                              "via": pd.array(via_labels, dtype=_via_dtype(net))}, index=index)
    frame.insert(0, "name", _labels(net, "name"))
    frame.insert(0, "kind", _labels(net, "kind"))
    return frame


def frontier(m, *, focus=None, steps=1):
    """The shortest list of introducers who would bring outside actors one step closer.

    The sphere within ``steps`` of the focus is known; the actors just outside it (``steps+1``
    ties away) can each be introduced by someone on its edge. Greedy set cover (spec §7):
    repeatedly take the introducer who reaches the most actors not yet covered (equal counts:
    the smallest id), until every reachable outside actor is covered. Greedy is within a
    factor ln(n) of the shortest such list (Johnson 1974) and is exact on most small maps.

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
    from .centrality import _index, _labels

    chosen = []
    if net.n:
        seeds, _ = _focus(net, focus)
        dist, _ = _bfs(net, seeds)
        src, dst, _ = _arcs(net)
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
    all_index, kinds, names = _index(net), _labels(net, "kind"), _labels(net, "name")
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
    return [(net.ids[u], net.ids[v]) for u, v in _programme_pairs(net)]


def _local_trust(net):
    """Positions of Local Trust and of the reps and LTOs, on a map with a partnership."""
    if net.n == 0 or "kind" not in net.actors:
        return [], []
    kinds = net.actors["kind"].astype(object).tolist()
    if PARTNERSHIP_KIND not in kinds:
        return [], []
    names = (net.actors["name"].astype(object).tolist() if "name" in net.actors
             else [None] * net.n)
    trust = [i for i, (a, nm) in enumerate(zip(net.ids, names, strict=True))
             if str(a).casefold() == "local_trust"
             or (isinstance(nm, str) and nm.strip().casefold() == _LOCAL_TRUST)]
    links = [i for i, k in enumerate(kinds) if k in PROGRAMME_KINDS]
    return trust, links


def _programme_pairs(net):
    trust, links = _local_trust(net)
    return [(u, v) for v in trust for u in links if u != v]


def _arcs(net):
    """Arcs followed outward (undirected ties both ways) with their strength, plus the
    programme's ties with Local Trust (:func:`programme_ties`), both ways."""
    src, dst, w = net.src, net.dst, net.strength
    if not net.directed:
        src, dst, w = (np.concatenate([src, dst]), np.concatenate([dst, src]),
                       np.concatenate([w, w]))
    pairs = _programme_pairs(net)
    if pairs:
        u = np.array([p[0] for p in pairs], dtype=src.dtype)
        v = np.array([p[1] for p in pairs], dtype=src.dtype)
        src, dst = np.concatenate([src, u, v]), np.concatenate([dst, v, u])
        w = np.concatenate([w, np.full(2 * len(pairs), _PROGRAMME_STRENGTH, dtype=w.dtype)])
    return src, dst, w


def _bfs(net, seeds):
    """Multi-source hop distances (-1 = unreachable) and the chosen introducer of each actor."""
    n = net.n
    src, dst, w = _arcs(net)
    dist = np.full(n, -1, dtype=np.int64)
    dist[seeds] = 0
    level = 0
    frontier_mask = np.zeros(n, dtype=bool)
    frontier_mask[seeds] = True
    while frontier_mask.any():
        hit = frontier_mask[src] & (dist[dst] < 0)
        new = np.unique(dst[hit])
        level += 1
        dist[new] = level
        frontier_mask = np.zeros(n, dtype=bool)
        frontier_mask[new] = True
    via = np.full(n, -1, dtype=np.int64)
    ok = (dist[dst] >= 1) & (dist[src] == dist[dst] - 1)
    s, d, ww = src[ok], dst[ok], w[ok]
    if len(s):
        rank = np.empty(n, dtype=np.int64)  # position of each id in string order
        rank[np.argsort(np.array([str(i) for i in net.ids], dtype=object), kind="stable")] = \
            np.arange(n)
        order = np.lexsort((rank[s], -ww, d))
        d, s = d[order], s[order]
        first = np.ones(len(d), dtype=bool)
        first[1:] = d[1:] != d[:-1]
        via[d[first]] = s[first]
    return dist, via


def _focus(net, focus):
    """Positions of the focus actors, and whether the focus is the partnership."""
    import pandas as pd

    kinds = net.actors["kind"] if "kind" in net.actors else pd.Series(dtype=object)
    kind_values = kinds.astype(object).to_numpy()
    if focus is None or (isinstance(focus, str) and focus == PARTNERSHIP_KIND
                         and focus not in net.ids):
        part = np.flatnonzero(kind_values == PARTNERSHIP_KIND) if len(kinds) else np.zeros(0, int)
        if not len(part):
            raise InputError("No focus given and the map has no big_local_partnership actor. "
                             f"Fix: pass {either('focus=ID', '--focus ID')}, or add the "
                             "partnership "
                             "to the actors sheet with kind big_local_partnership.")
        seeds = set(part.tolist())
        t = net.ties
        if len(t) and "kind" in t:
            tk = t["kind"].astype(object).to_numpy()
            tgt = net.ids.get_indexer(t["target"])
            srcp = net.ids.get_indexer(t["source"])
            member = np.isin(tk, _FOCUS_TIE_KINDS) & np.isin(tgt, part) & (srcp >= 0)
            seeds |= set(srcp[member].tolist())
        return np.array(sorted(seeds), dtype=np.int64), True
    items = [focus] if isinstance(focus, str) or not np.iterable(focus) else list(focus)
    seeds, unknown = set(), []
    for item in items:
        pos = net.ids.get_indexer([item])[0] if _hashable(item) else -1
        if pos < 0 and isinstance(item, str) and item not in set(kind_values.tolist()):
            from .parsing import resolve_kind

            item = resolve_kind(item)[0]  # the workbook's kind words: "Parish Council" ...
        if pos >= 0:
            seeds.add(int(pos))
        elif len(kinds) and item in set(kind_values.tolist()):
            seeds |= set(np.flatnonzero(kind_values == item).tolist())
        else:
            unknown.append(item)
    if unknown:
        import difflib

        near = difflib.get_close_matches(str(unknown[0]), sorted(
            {k for k in kind_values.tolist() if isinstance(k, str)}) + [str(i) for i in net.ids],
            n=3, cutoff=0.75)  # only good matches: a look-alike guess would mislead
        raise UnknownActorError(
            f"Unknown focus: {', '.join(map(str, unknown))} is neither an actor id nor a kind "
            "in the map" + (f" (nearest: {', '.join(near)})" if near else "") + ". Fix: use an "
            f"id from the actors sheet (or a kind such as {PARTNERSHIP_KIND}).")
    if not seeds:
        raise InputError("The focus is empty. Fix: name at least one actor id or kind.")
    part = bool(len(kinds)) and all(kind_values[s] == PARTNERSHIP_KIND for s in seeds)
    return np.array(sorted(seeds), dtype=np.int64), part


def _hashable(x):
    try:
        hash(x)
        return True
    except TypeError:
        return False
