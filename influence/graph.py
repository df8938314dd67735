"""The simple graph every analysis runs on, built once from an InfluenceMap or a networkx graph.

Rules (documented here once, cited by every analysis):

* **Direction.** If any tie is directed the network is directed and each undirected tie becomes
  two arcs (one each way); otherwise it is undirected.
* **Multi-ties** between the same ordered pair (or the same pair, undirected) are combined into
  one tie whose strength is the **maximum** of their strengths: strength is an ordinal 1-3 scale
  ("how well do they know each other"), so two ties of strength 2 make a strength-2 tie, not 4.
  ``combine="sum"`` adds them instead (Burt's structural holes sum parallel ties, spec §2).
* **Self-loops** are ignored.
* **Weights.** Tie ``strength`` (default 1 where missing) is a *strength*, a positive finite
  number or one of the workbook's words (weak 1, medium 2, strong 3); path-based measures
  use distance = 1/strength. ``weight=None`` treats every tie as strength 1. ``min_strength``
  drops ties whose ``weight`` (or, with ``weight=None``, whose ``strength``) is lower, before
  anything else.

Backend graphs (igraph, networkx, scipy) are built from the integer edge arrays, never by
converting one library's graph into another's (see specs/performance.md §6).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from .errors import InputError
from .model import InfluenceMap

__all__ = ["Network", "network"]


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

    def __init__(self, ids, actors, ties, directed, src, dst, strength, imap=None):
        self.ids = ids
        self.actors = actors
        self.ties = ties
        self.directed = directed
        self.src = src
        self.dst = dst
        self.strength = strength
        self.map = imap

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
        from ._igraph import load

        ig = load()

        g = ig.Graph(n=self.n, directed=self.directed)
        if self.m:  # straight from the arrays: no Python lists (specs/performance.md §6)
            g.add_edges(np.column_stack([self.src, self.dst]))
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

    @cached_property
    def names(self):
        """Display names in position order (a pandas ``string`` array): an actor's ``name``,
        else its ``label`` attribute (as networkx graphs often carry), else its id.

        The one naming rule every analysis's ``name`` column follows."""
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


def _text(value):
    """A display value as text; missing (None, NA, NaN) as None."""
    import pandas as pd

    if isinstance(value, str):
        return value
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    return str(value)


def network(obj, *, weight: str | None = "strength", min_strength: float | None = None,
            directed: bool | None = None, combine: str = "max") -> Network:
    """Build the simple :class:`Network` an analysis runs on.

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
    import pandas as pd

    if isinstance(obj, Network):
        return obj
    if isinstance(obj, InfluenceMap):
        actors, ties, imap = obj.actors, obj.ties, obj
        ids = actors.index
        if len(ties):
            u = ids.get_indexer(ties["source"])
            v = ids.get_indexer(ties["target"])
            tie_directed = ties["directed"].to_numpy(dtype=bool)
            w = _weights(ties, weight)
        else:
            u = v = np.zeros(0, dtype=np.int64)
            tie_directed = np.zeros(0, dtype=bool)
            w = np.zeros(0)
    else:
        import networkx as nx

        if not isinstance(obj, nx.Graph):
            raise InputError("Expected an InfluenceMap or a networkx graph, got "
                             f"{type(obj).__name__}. Fix: pass influence.read(path) or a "
                             "networkx graph.")
        imap = None
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
        w = _weights(ties, weight) if len(ties) else np.zeros(0)
    if combine not in ("max", "sum"):
        raise InputError(f"combine={combine!r}: use 'max' or 'sum'.")
    if min_strength is not None and len(w):
        keep = _weights(ties, weight or "strength") >= min_strength
        u, v, w, tie_directed = u[keep], v[keep], w[keep], tie_directed[keep]
    if directed is None:  # a networkx DiGraph stays directed even with no (kept) edges
        directed = bool(tie_directed.any()) or (imap is None and obj.is_directed())
    is_directed = bool(directed)
    src, dst, strength = _combine(np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64),
                                  np.asarray(w, dtype=float), tie_directed, is_directed, combine)
    return Network(ids, actors, ties, is_directed, src, dst, strength, imap)


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
