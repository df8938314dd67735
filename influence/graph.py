"""The simple graph every analysis runs on, built once from an InfluenceMap or a networkx graph.

Rules (documented here once, cited by every analysis):

* **Direction.** If any tie is directed the network is directed and each undirected tie becomes
  two arcs (one each way); otherwise it is undirected.
* **Multi-ties** between the same ordered pair (or the same pair, undirected) are combined into
  one tie whose strength is the **maximum** of their strengths: strength is an ordinal 1-3 scale
  ("how well do they know each other"), so two ties of strength 2 make a strength-2 tie, not 4.
  ``combine="sum"`` adds them instead (Burt's structural holes sum parallel ties,
  docs/algorithms.md §2).
* **Self-loops** are ignored.
* **Weights.** Tie ``strength`` (default 1 where missing) is a *strength*, a positive finite
  number or one of the workbook's words (weak 1, medium 2, strong 3); path-based measures
  use distance = 1/strength. ``weight=None`` treats every tie as strength 1. ``min_strength``
  drops ties whose ``weight`` (or, with ``weight=None``, whose ``strength``) is lower, before
  anything else.

Backend graphs (igraph, networkx, scipy) are built from the integer edge arrays, never by
converting one library's graph into another's (see docs/performance.md §6).

**Built once per map.** :func:`network` caches what it builds on the map: the ties' positions
are found once, every option set (``weight``, ``min_strength``, ``directed``, ``combine``) is
derived from them once, and each :class:`Network` keeps its igraph graph, so every analysis
that runs on the same map in a process shares them. Assigning ``m.actors`` or ``m.ties``
clears the cache; a map's frames are otherwise treated as read-only (after editing them in
place, call :meth:`InfluenceMap.changed() <influence.model.InfluenceMap.changed>`), as
networkx asks of code that edits a graph's dicts behind its back.

:class:`Network` is the one owner of the graph primitives the analyses share: the actor index
(:attr:`Network.index`), display text (:attr:`Network.names`, :meth:`Network.text`), the
per-actor table around them (:meth:`Network.table`), tie expansion (:meth:`Network.arcs`,
:meth:`Network.undirected`), grouping (:meth:`Network.partition`), focus resolution
(:meth:`Network.focus`) and breadth-first search (:meth:`Network.hops`).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from .errors import InputError, UnknownActorError, either
from .model import InfluenceMap
from .schema import (
    FOCUS_TIE_KINDS,
    LOCAL_TRUST_NAME,
    PARTNERSHIP_KIND,
    PRIVATE_PREFIX,
    PROGRAMME_KINDS,
)

__all__ = ["Network", "network", "hop_distances"]


class Network:
    """A simple (combined) graph over integer node positions with the actors' attributes.

    Attributes
    ----------
    ids : pandas.Index
        Node labels in position order (actor ids, or a networkx graph's node labels).
    actors : pandas.DataFrame
        Attributes indexed by ``ids`` (for a networkx graph: its node attributes).
    ties : pandas.DataFrame
        The original ties (``source``, ``target`` and attributes), before combining.
    directed : bool
    src, dst : numpy.ndarray of int64
        The combined edges (undirected: each pair once).
    strength : numpy.ndarray of float64
        The combined strength of each edge (all 1 when ``weight=None``).
    """

    def __init__(self, ids, actors, ties, directed, src, dst, strength, imap=None, *,
                 shared=None, options=None):
        self.ids = ids
        self.actors = actors
        self.ties = ties
        self.directed = directed
        self.src = src
        self.dst = dst
        self.strength = strength
        self.map = imap
        # per-actor values every network of the same map shares (index, names, text columns)
        self._shared = {} if shared is None else shared
        # the options it was built with (to derive its undirected twin from the same cache)
        self._options = options
        #: Costly results kept for the life of this network (e.g. raw betweenness), so that
        #: analyses asking again on the same map reuse them.
        self.memo = {}

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.src)

    def __repr__(self):
        kind = "directed" if self.directed else "undirected"
        return f"<Network {kind}: {self.n} nodes, {self.m} edges>"

    @cached_property
    def igraph(self):
        """An ``igraph.Graph`` with edge attributes ``strength`` and ``distance``."""
        from ._igraph import from_arcs

        g = from_arcs(self.n, np.column_stack([self.src, self.dst]), directed=self.directed)
        g.es["strength"] = self.strength
        g.es["distance"] = 1.0 / self.strength
        return g

    @cached_property
    def nx(self):
        """A networkx ``Graph``/``DiGraph`` on the original labels, with ``strength`` and
        ``distance`` on each edge."""
        import networkx as nx

        G = nx.DiGraph() if self.directed else nx.Graph()
        G.add_nodes_from(self.ids)
        ids = self.ids
        G.add_edges_from(
            (ids[u], ids[v], {"strength": float(w), "distance": 1.0 / float(w)})
            for u, v, w in zip(self.src.tolist(), self.dst.tolist(), self.strength.tolist(),
                               strict=False)
        )
        return G

    @property
    def index(self):
        """The actor index every per-actor table uses: the ids, named ``id``.

        The one index rule: a map's string ids, or a networkx graph's node labels as pandas
        infers them (integers stay integers)."""
        idx = self._shared.get("index")
        if idx is None:
            import pandas as pd

            idx = self._shared["index"] = pd.Index(self.ids, name="id", tupleize_cols=False)
        return idx

    @property
    def names(self):
        """Display names in position order (a pandas ``string`` array): an actor's ``name``,
        else its ``label`` attribute (as networkx graphs often carry), else its id.

        The one naming rule every analysis's ``name`` column follows."""
        names = self._shared.get("names")
        if names is None:
            names = self._shared["names"] = self._names()
        return names

    def _names(self):
        import pandas as pd

        given = self.actors["name"] if "name" in self.actors else None
        if given is not None and isinstance(given.dtype, pd.StringDtype) and \
                not given.isna().any():
            return given.astype("string").array.copy()  # a map's own names: no per-row work
        out = pd.Series([str(i) for i in self.ids], dtype="string")
        for col in ("label", "name"):  # the later one wins where it is set
            if col in self.actors:
                values = pd.Series(self.actors[col].to_numpy(dtype=object)).map(_text)
                out = pd.Series(values, dtype="string").fillna(out)
        return out.array

    def text(self, column):
        """An actor attribute as text in position order (a pandas ``string`` array; missing
        values <NA>); ``"name"`` gives :attr:`names`. An attribute the actors lack is all <NA>.
        """
        if column == "name":
            return self.names.copy()
        key = ("text", column)
        out = self._shared.get(key)
        if out is None:
            import pandas as pd

            if column not in self.actors:
                out = pd.array([pd.NA] * self.n, dtype="string")
            elif isinstance(self.actors[column].dtype, pd.StringDtype):
                out = self.actors[column].astype("string").array  # canonical: no per-row work
            else:
                out = pd.array([_text(v) for v in self.actors[column].to_numpy(dtype=object)],
                               dtype="string")
            self._shared[key] = out
        return out.copy()

    def column(self, column):
        """:meth:`text` as a Series on :attr:`index` (the ``kind``/``name`` columns of the
        per-actor tables)."""
        import pandas as pd

        return pd.Series(self.text(column), index=self.index, name=column)

    def table(self, columns):
        """A per-actor table on :attr:`index`: ``kind`` and ``name`` (:meth:`text`), then
        ``columns`` (a dict of arrays in position order, which the table takes over: pass
        arrays no one else holds)."""
        import pandas as pd

        return pd.DataFrame({"kind": self.text("kind"), "name": self.text("name"), **columns},
                            index=self.index, copy=False)

    def partition(self, by, *, needs="Brokerage",
                  because="brokerage roles are defined by a complete partition"):
        """The value of actor attribute ``by`` for every actor in position order (object
        array): a complete partition, or a clear error naming what is missing (``needs`` and
        ``because`` word it for the analysis asking)."""
        import pandas as pd

        if not isinstance(by, str) or not by:
            raise InputError(f"{either(f'by={by!r}', f'--by {by!r}')} is not an actor attribute "
                             "name. Fix: pass a column such as "
                             + either("by='sub_area', by='sector' or by='kind'",
                                      "--by sub_area, --by sector or --by kind") + ".")
        actors = self.actors
        public = [c for c in actors.columns if not str(c).startswith(PRIVATE_PREFIX)]
        if by.startswith(PRIVATE_PREFIX) and by in actors.columns:  # its values would be exported
            raise InputError(f'Cannot group actors by "{by}": private_* columns never leave the '
                             "machine, and the groups are written out. Fix: choose another "
                             "column with --by, e.g. sub_area or sector.")
        if by not in actors.columns:
            have = ", ".join(map(str, public[:12])) or "none"
            raise InputError(f'There is no actor attribute "{by}" to group actors by '
                             f"(attributes: {have}). Fix: add a {by} column to the actors "
                             "sheet, or choose another with --by.")
        values = actors[by]
        missing = values.isna().to_numpy() | values.astype("string").str.strip().eq("") \
            .fillna(True).to_numpy(dtype=bool)
        if missing.any():
            names = [str(i) for i in self.ids[missing]]
            shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more"
                                             if len(names) > 10 else "")
            raise InputError(f'{needs} needs a "{by}" for every actor; {len(names)} '
                             f"have none: {shown}. Fix: fill in {by} for them ({because}).")
        out = values.to_numpy(dtype=object)
        try:
            pd.factorize(out)
        except TypeError:
            raise InputError(f'The "{by}" values cannot be used as groups (they are lists or '
                             "other unhashable values). Fix: group by a single-valued "
                             "attribute.") from None
        return out

    def undirected(self):
        """The same network with undirected ties (itself when it is undirected)."""
        if not self.directed:
            return self
        if self.map is not None and self._options is not None:
            return network(self.map, **{**self._options, "directed": False})
        src, dst, w = _combine(self.src, self.dst, self.strength, np.zeros(self.m, dtype=bool),
                               False)
        return Network(self.ids, self.actors, self.ties, False, src, dst, w, self.map,
                       shared=self._shared)

    def arcs(self, *, programme=False):
        """The ties as arcs ``(src, dst, strength)``: undirected ties both ways.

        ``programme=True`` adds the programme's ties (:meth:`programme_pairs`) both ways at
        strength 2, as spheres of influence count them."""
        src, dst, w = self.src, self.dst, self.strength
        if not self.directed:
            src, dst, w = (np.concatenate([src, dst]), np.concatenate([dst, src]),
                           np.concatenate([w, w]))
        pairs = self.programme_pairs() if programme else []
        if pairs:
            u = np.array([p[0] for p in pairs], dtype=src.dtype)
            v = np.array([p[1] for p in pairs], dtype=src.dtype)
            src, dst = np.concatenate([src, u, v]), np.concatenate([dst, v, u])
            w = np.concatenate([w, np.full(2 * len(pairs), PROGRAMME_STRENGTH, dtype=w.dtype)])
        return src, dst, w

    def local_trust(self):
        """Positions of Local Trust and of the reps and LTOs, on a map with a partnership."""
        if self.n == 0 or "kind" not in self.actors:
            return [], []
        kinds = self.actors["kind"].astype(object).tolist()
        if PARTNERSHIP_KIND not in kinds:
            return [], []
        names = (self.actors["name"].astype(object).tolist() if "name" in self.actors
                 else [None] * self.n)
        trust = [i for i, (a, nm) in enumerate(zip(self.ids, names, strict=True))
                 if str(a).casefold() == "local_trust"
                 or (isinstance(nm, str) and nm.strip().casefold() == LOCAL_TRUST_NAME)]
        links = [i for i, k in enumerate(kinds) if k in PROGRAMME_KINDS]
        return trust, links

    def programme_pairs(self):
        """(rep or LTO, Local Trust) position pairs: every Big Local partnership works with
        Local Trust through its rep and its locally trusted organisation, recorded or not."""
        trust, links = self.local_trust()
        return [(u, v) for v in trust for u in links if u != v]

    def hops(self, seeds):
        """Multi-source hop distances from ``seeds`` (-1 = unreachable) over
        :meth:`arcs(programme=True) <arcs>`, and each reached actor's introducer: the actor one
        hop nearer with the strongest tie to it (equal strengths: the smallest id; -1 for the
        seeds and the unreached)."""
        n = self.n
        src, dst, w = self.arcs(programme=True)
        dist = hop_distances(n, src, dst, seeds)
        via = np.full(n, -1, dtype=np.int64)
        ok = (dist[dst] >= 1) & (dist[src] == dist[dst] - 1)
        s, d, ww = src[ok], dst[ok], w[ok]
        if len(s):
            rank = np.empty(n, dtype=np.int64)  # position of each id in string order
            rank[np.argsort(np.array([str(i) for i in self.ids], dtype=object),
                            kind="stable")] = np.arange(n)
            order = np.lexsort((rank[s], -ww, d))
            d, s = d[order], s[order]
            first = np.ones(len(d), dtype=bool)
            first[1:] = d[1:] != d[:-1]
            via[d[first]] = s[first]
        return dist, via

    def focus(self, focus):
        """Positions of the focus actors, and whether the focus is the partnership.

        ``focus`` is an actor id, a list of ids, or a kind (every actor of that kind; the
        workbook's kind words are understood). None (or the partnership kind) means the
        ``big_local_partnership`` actor(s) and their members (``member_of``/``chairs`` ties to
        it)."""
        import pandas as pd

        kinds = self.actors["kind"] if "kind" in self.actors else pd.Series(dtype=object)
        kind_values = kinds.astype(object).to_numpy()
        if focus is None or (isinstance(focus, str) and focus == PARTNERSHIP_KIND
                             and focus not in self.ids):
            part = (np.flatnonzero(kind_values == PARTNERSHIP_KIND) if len(kinds)
                    else np.zeros(0, int))
            if not len(part):
                raise InputError("No focus given and the map has no big_local_partnership "
                                 f"actor. Fix: pass {either('focus=ID', '--focus ID')}, or add "
                                 "the partnership to the actors sheet with kind "
                                 "big_local_partnership.")
            seeds = set(part.tolist())
            t = self.ties
            if len(t) and "kind" in t:
                tk = t["kind"].astype(object).to_numpy()
                tgt = self.ids.get_indexer(t["target"])
                srcp = self.ids.get_indexer(t["source"])
                member = np.isin(tk, FOCUS_TIE_KINDS) & np.isin(tgt, part) & (srcp >= 0)
                seeds |= set(srcp[member].tolist())
            return np.array(sorted(seeds), dtype=np.int64), True
        items = [focus] if isinstance(focus, str) or not np.iterable(focus) else list(focus)
        seeds, unknown = set(), []
        for item in items:
            pos = self.ids.get_indexer([item])[0] if _hashable(item) else -1
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
                {k for k in kind_values.tolist() if isinstance(k, str)})
                + [str(i) for i in self.ids], n=3, cutoff=0.75)  # only good matches
            raise UnknownActorError(
                f"Unknown focus: {', '.join(map(str, unknown))} is neither an actor id nor a "
                "kind in the map" + (f" (nearest: {', '.join(near)})" if near else "")
                + ". Fix: use an id from the actors sheet (or a kind such as "
                f"{PARTNERSHIP_KIND}).")
        if not seeds:
            raise InputError("The focus is empty. Fix: name at least one actor id or kind.")
        part = bool(len(kinds)) and all(kind_values[s] == PARTNERSHIP_KIND for s in seeds)
        return np.array(sorted(seeds), dtype=np.int64), part

    def adjacency(self, *, weighted: bool = False):
        """The adjacency matrix as scipy CSR (symmetric when undirected)."""
        from scipy import sparse

        data = self.strength if weighted else np.ones(self.m)
        src, dst = self.src, self.dst
        if not self.directed:
            src, dst, data = (np.concatenate([src, dst]), np.concatenate([dst, src]),
                              np.concatenate([data, data]))
        return sparse.csr_matrix((data, (src, dst)), shape=(self.n, self.n))

    def positions(self, labels) -> np.ndarray:
        """Integer positions of the given node labels (raises for unknown labels)."""
        idx = self.ids.get_indexer(list(labels))
        if (idx < 0).any():
            missing = [lab for lab, i in zip(labels, idx, strict=False) if i < 0]
            from .errors import UnknownActorError

            raise UnknownActorError(f"Unknown actor id(s): {', '.join(map(str, missing))}. "
                                    "Fix: use ids from the actors sheet.")
        return idx


#: The strength of the programme's ties with Local Trust (:meth:`Network.programme_pairs`).
PROGRAMME_STRENGTH = 2.0


def _hashable(x):
    try:
        hash(x)
        return True
    except TypeError:
        return False


def _text(value):
    """A display value as text; missing (None, NA, NaN) as None."""
    import pandas as pd

    if isinstance(value, str):
        return value
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    return str(value)



def hop_distances(n, src, dst, seeds):
    """Multi-source hop distances over the arcs ``src -> dst`` among ``n`` actors, from the
    positions ``seeds`` (-1 = unreachable): a breadth-first search a level at a time."""
    dist = np.full(n, -1, dtype=np.int64)
    dist[seeds] = 0
    level = 0
    frontier = np.zeros(n, dtype=bool)
    frontier[seeds] = True
    while frontier.any():
        new = np.unique(dst[frontier[src] & (dist[dst] < 0)])
        level += 1
        dist[new] = level
        frontier = np.zeros(n, dtype=bool)
        frontier[new] = True
    return dist


def network(obj, *, weight: str | None = "strength", min_strength: float | None = None,
            directed: bool | None = None, combine: str = "max") -> Network:
    """Build the simple :class:`Network` an analysis runs on.

    On an :class:`~influence.model.InfluenceMap` the result is cached on the map, one per set
    of options, so every analysis of the same map shares it (and its igraph graph); assigning
    ``m.actors``/``m.ties`` or calling ``m.changed()`` drops it. A networkx graph is converted
    on every call.

    Parameters
    ----------
    obj : InfluenceMap or networkx.Graph
        A map, or any networkx graph (Graph, DiGraph, MultiGraph, MultiDiGraph).
    weight : str or None
        Tie attribute holding the strength (default ``"strength"``; missing values count as 1).
        None treats every tie as strength 1.
    min_strength : float, optional
        Ignore ties weaker than this (measured by ``weight``, or by ``strength`` when
        ``weight=None``; the kept ties then count 1).
    directed : bool, optional
        Force the network to be undirected (False) or directed (True).
    combine : {"max", "sum"}
        How parallel ties combine: the strongest (default) or their sum.

    Returns
    -------
    Network

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.graph import network
    >>> G = nx.MultiGraph([(1, 2), (1, 2), (2, 3), (3, 3)])
    >>> net = network(G)
    >>> net.n, net.m, net.directed
    (3, 2, False)
    """
    if isinstance(obj, Network):
        return obj
    if combine not in ("max", "sum"):
        raise InputError(f"combine={combine!r}: use 'max' or 'sum'.")
    if isinstance(obj, InfluenceMap):
        return _cached(obj, weight, min_strength, directed, combine)
    import networkx as nx
    import pandas as pd

    if not isinstance(obj, nx.Graph):
        raise InputError("Expected an InfluenceMap or a networkx graph, got "
                         f"{type(obj).__name__}. Fix: pass influence.read(path) or a "
                         "networkx graph.")
    nodes = list(obj.nodes)
    ids = pd.Index(nodes, tupleize_cols=False)
    if ids.has_duplicates:  # pragma: no cover - networkx nodes are unique
        raise InputError("Duplicate node labels.")
    actors = pd.DataFrame.from_records([dict(d) for _, d in obj.nodes(data=True)], index=ids)
    actors.index.name = "id"
    edge_rows = [(a, b, d) for a, b, d in obj.edges(data=True)]
    ties = pd.DataFrame({"source": [e[0] for e in edge_rows],
                         "target": [e[1] for e in edge_rows]})
    if edge_rows:
        attrs = pd.DataFrame.from_records([e[2] for e in edge_rows])
        attrs = attrs.drop(columns=["source", "target"], errors="ignore")
        ties = pd.concat([ties, attrs], axis=1)
    u = ids.get_indexer(ties["source"]) if len(ties) else np.zeros(0, dtype=np.int64)
    v = ids.get_indexer(ties["target"]) if len(ties) else np.zeros(0, dtype=np.int64)
    tie_directed = np.full(len(ties), obj.is_directed())
    if directed is None and obj.is_directed():  # a DiGraph stays directed with no (kept) edges
        directed = True
    return _derive(ids, actors, ties, None, u, v, tie_directed,
                   lambda col: _weights(ties, col) if len(ties) else np.zeros(0),
                   weight, min_strength, directed, combine, {})


def _cached(m, weight, min_strength, directed, combine):
    """The map's network for these options: from its cache, else derived from the ties'
    positions (found once per map by :func:`_positions`) and cached."""
    cache = m._network_cache
    key = (weight, min_strength, directed, combine)
    net = cache.get(key)
    if net is not None:
        return net
    if "positions" not in cache:
        cache["positions"] = _positions(m)
    u, v, tie_directed = cache["positions"]

    def weights(col):
        if ("weights", col) not in cache:
            cache[("weights", col)] = (_weights(m.ties, col) if len(m.ties)
                                       else np.zeros(0))
        return cache[("weights", col)]

    shared = cache.setdefault("shared", {})
    net = _derive(m.actors.index, m.actors, m.ties, m, u, v, tie_directed, weights, weight,
                  min_strength, directed, combine, shared)
    cache[key] = net
    return net


def _positions(m):
    """The one costly step of building a map's network: each tie's end positions (and its
    direction), found once per map and cached with the networks derived from them."""
    ties, ids = m.ties, m.actors.index
    if not len(ties):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=bool)
    return (np.asarray(ids.get_indexer(ties["source"]), dtype=np.int64),
            np.asarray(ids.get_indexer(ties["target"]), dtype=np.int64),
            ties["directed"].to_numpy(dtype=bool))


def _derive(ids, actors, ties, imap, u, v, tie_directed, weights, weight, min_strength,
            directed, combine, shared):
    """A Network for one option set, from the ties' positions (``weights(col)`` gives the
    ties' values of a strength column)."""
    options = {"weight": weight, "min_strength": min_strength, "directed": directed,
               "combine": combine}
    w = weights(weight) if weight is not None else np.ones(len(u))
    if min_strength is not None and len(w):
        keep = weights(weight or "strength") >= min_strength
        u, v, w, tie_directed = u[keep], v[keep], w[keep], tie_directed[keep]
    if directed is None:
        directed = bool(tie_directed.any())
    is_directed = bool(directed)
    src, dst, strength = _combine(u, v, np.asarray(w, dtype=float), tie_directed, is_directed,
                                  combine)
    return Network(ids, actors, ties, is_directed, src, dst, strength, imap, shared=shared,
                   options=options)


def _weights(ties, weight) -> np.ndarray:
    """The ties' strengths: numbers, or the workbook's strength words ("strong" is 3)."""
    import pandas as pd

    if weight is None or weight not in ties:
        return np.ones(len(ties))
    col = ties[weight]
    if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
        from .parsing import STRENGTH_FIX, STRENGTH_WORDS

        def word(x):
            return STRENGTH_WORDS.get(x.strip().lower(), x) if isinstance(x, str) else x

        col = col.map(word)
        num = pd.to_numeric(col, errors="coerce")
        bad = num.isna() & col.notna()
        if bad.any():
            raise InputError(f'Tie attribute "{weight}" must be a number; found '
                             f"{col[bad].iloc[0]!r}. Fix: {STRENGTH_FIX}.")
        col = num
    w = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    w = np.where(np.isnan(w), 1.0, w)
    if (w <= 0).any() or np.isinf(w).any():
        bad = float(w[(w <= 0) | np.isinf(w)][0])
        raise InputError(f'Tie attribute "{weight}" must be positive and finite (it is a '
                         f"strength; distance = 1/{weight}); found {bad!r}. Fix: use "
                         "weight=None, or give positive strengths.")
    return w


def _combine(u, v, w, tie_directed, directed, combine="max"):
    """Drop self-loops, expand undirected ties, combine parallel ties (max or sum)."""
    keep = u != v
    u, v, w, tie_directed = u[keep], v[keep], w[keep], tie_directed[keep]
    if directed:
        back = ~tie_directed
        u, v, w = (np.concatenate([u, v[back]]), np.concatenate([v, u[back]]),
                   np.concatenate([w, w[back]]))
    else:
        u, v = np.minimum(u, v), np.maximum(u, v)
    if not len(u):
        return u, v, w
    n = int(max(u.max(), v.max())) + 1
    key = u * n + v
    order = np.lexsort((-w, key))  # by key, strongest first
    key, u, v, w = key[order], u[order], v[order], w[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    if combine == "sum":
        return u[first], v[first], np.add.reduceat(w, np.flatnonzero(first))
    return u[first], v[first], w[first]
