"""Ego networks: one person's (or body's) contacts, how tied together they are, and their mix.

:func:`ego` gives, for each focal actor (the *ego*), the size of its ego network, the ties
among its contacts and their density, Burt's effective size and constraint (from
:mod:`influence.holes`), and the composition of its contacts by kind, sector and any
attribute, with Blau's heterogeneity index and the index of qualitative variation (IQV).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError, either
from .result import Result

__all__ = ["ego", "EgoNetworks", "blau"]

_ATTRIBUTES = ("kind", "sector")


@dataclass
class EgoNetworks(Result):
    """The result of :func:`ego` (a :class:`~influence.result.Result`).

    Attributes
    ----------
    table : pandas.DataFrame
        The main table, one row per ego (indexed by actor id): ``name``, ``kind``, ``size``,
        ``ties``, ``density``, ``effective_size``, ``efficiency``, ``constraint``, and for each
        attribute ``<attribute>_blau`` and ``<attribute>_iqv``.
    composition : pandas.DataFrame
        One row per ego, attribute and value: ``ego``, ``attribute``, ``value``, ``alters``
        (how many contacts have that value) and ``share`` (of the contacts with a value).
    alters : pandas.DataFrame
        One row per ego and contact: ``ego``, ``alter``, ``distance`` (steps from the ego).
    radius : int
    sentences : list of str
        ``[]``: the result is in the tables.
    """

    table: object
    composition: object
    alters: object
    radius: int

    def __repr__(self) -> str:
        return f"<EgoNetworks radius {self.radius}: {len(self.table)} egos>"

    @property
    def sentences(self) -> list:
        """Findings in plain English: none (``[]``); the figures are in the tables."""
        return []


def blau(counts):
    """Blau's heterogeneity index ``1 - sum p_k^2`` of category counts (NaN if none).

    Examples
    --------
    >>> from influence.ego import blau
    >>> blau([2, 1, 1])
    0.625
    """
    c = np.asarray(counts, dtype=float)
    total = c.sum()
    return float(1 - ((c / total) ** 2).sum()) if total > 0 else float("nan")


def ego(m, focus=None, *, radius=1, by=None, min_strength=None):
    """Ego networks: size, ties, density, Burt's measures and composition of each ego's contacts.

    The ego network of an actor (the ego) is the ego, its *alters* (every actor within
    ``radius`` steps, ties taken in either direction) and the ties among them. For each ego:

    * ``size``: number of alters; ``ties``: ties among the alters (not counting the ego's own
      ties; a pair counts once); ``density`` = ``ties / (size (size - 1) / 2)`` (NaN below two
      alters), as UCINET's ego-network density;
    * ``effective_size``, ``efficiency``, ``constraint``: Burt's measures of the ego's direct
      contacts, from :func:`influence.structural_holes` (whole-network scope, as networkx;
      unweighted unless the map's strengths matter to you: ``structural_holes`` has the
      options);
    * composition: for ``kind``, ``sector`` and the ``by`` attributes, how many alters have
      each value; Blau's heterogeneity ``1 - sum_k p_k^2`` (``p_k`` the share of alters with
      value ``k``; 0 when all alters are alike) and the IQV ``blau * K / (K - 1)`` with ``K``
      the number of values the attribute takes in the whole map (1 = the alters are spread
      evenly over every value; Agresti & Agresti 1978). Alters with no value are left out of
      the shares.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    focus : str, list or None
        The ego(s): actor ids. None: every actor.
    radius : int
        How many steps out the alters go (1: direct contacts).
    by : str or list of str, optional
        Further attributes for the composition (e.g. ``"sub_area"``).
    min_strength : float, optional
        Ignore ties weaker than this.

    Returns
    -------
    EgoNetworks
        ``.table`` (one row per ego), ``.composition``, ``.alters``.

    Raises
    ------
    UnknownActorError
        A focus that is not an actor id.
    InputError
        ``radius`` below 1, or a ``by`` that is not an actor attribute.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes*. Harvard University Press (effective size,
       constraint).
    .. [2] Blau, P. M. (1977). *Inequality and Heterogeneity*. Free Press.
    .. [3] Agresti, A. & Agresti, B. F. (1978). Statistical analysis of qualitative variation.
       *Sociological Methodology* 9, 204-237 (IQV).
    .. [4] Crossley, N., Bellotti, E., Edwards, G., Everett, M. G., Koskinen, J. & Tranmer, M.
       (2015). *Social Network Analysis for Ego-Nets*. Sage.

    Examples
    --------
    ``hub`` has three contacts (two residents and a council), one tie among them:

    >>> import networkx as nx
    >>> from influence.ego import ego
    >>> G = nx.Graph([("hub", "a"), ("hub", "b"), ("hub", "c"), ("a", "b")])
    >>> nx.set_node_attributes(G, dict(hub="resident", a="resident", b="resident",
    ...                                c="council"), "kind")
    >>> e = ego(G, "hub")
    >>> e.table.loc["hub", ["size", "ties", "density", "kind_blau", "kind_iqv"]].round(3).tolist()
    [3.0, 1.0, 0.333, 0.444, 0.889]
    """
    import pandas as pd

    from .graph import network
    from .holes import structural_holes

    if not isinstance(radius, (int, np.integer)) or isinstance(radius, bool) or radius < 1:
        raise InputError(f"The radius ({radius!r}) must be a whole number, 1 or more. Fix: "
                         f"pass {either('radius=1', '--radius 1')} for direct contacts, 2 to "
                         "include their contacts.")
    net = network(m, weight=None, min_strength=min_strength, directed=False).undirected()
    attrs = list(_ATTRIBUTES) + [a for a in ([by] if isinstance(by, str) else list(by or []))
                                 if a not in _ATTRIBUTES]
    for a in attrs[len(_ATTRIBUTES):]:
        if a not in net.actors.columns or str(a).startswith("private_"):
            raise InputError(f'"{a}" is not an actor attribute that can be shown. Fix: use a '
                             "column of the actors sheet such as sub_area (not private_*).")
    ids = net.index
    if focus is None:
        egos = np.arange(net.n, dtype=np.int64)
    else:
        items = [focus] if isinstance(focus, str) or not np.iterable(focus) else list(focus)
        egos = np.asarray(net.positions(items), dtype=np.int64)
        egos = egos[np.sort(np.unique(egos, return_index=True)[1])]
    A = net.adjacency().tocsr()
    A.data[:] = 1.0
    alters = _alters(A, egos, radius)
    sizes = np.array([len(a) for a, _ in alters], dtype=np.int64)
    ties = _ties_among(A, egos, alters, radius)
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.where(sizes > 1, ties / (sizes * (sizes - 1) / 2.0), np.nan)
    holes = structural_holes(net, weight=None)
    table = pd.DataFrame(index=ids[egos] if len(egos) else ids[:0])
    table["name"] = net.text("name")[egos] if len(egos) else net.text("name")[:0]
    table["kind"] = net.text("kind")[egos] if len(egos) else net.text("kind")[:0]
    table["size"] = sizes
    table["ties"] = ties.astype(np.int64)
    table["density"] = density.astype(float)
    for col in ("effective_size", "efficiency", "constraint"):
        table[col] = holes[col].to_numpy(dtype=float)[egos]
    comp_rows = []
    for attr in attrs:
        values = (net.actors[attr].reindex(net.ids).astype(object).to_numpy()
                  if attr in net.actors.columns else np.full(net.n, None, dtype=object))
        known = np.array([not isinstance(v, (list, tuple, np.ndarray)) and not pd.isna(v)
                          for v in values], dtype=bool)
        codes, labels = pd.factorize(pd.Series(np.where(known, values, None), dtype=object))
        K = len(labels)
        b_col, q_col = [], []
        for e, (alt, _) in zip(egos.tolist(), alters, strict=True):
            c = codes[alt]
            c = c[c >= 0]
            counts = np.bincount(c, minlength=K)
            b = blau(counts)
            b_col.append(b)
            q_col.append(b * K / (K - 1) if K > 1 else float("nan"))
            for j in np.flatnonzero(counts):
                comp_rows.append((ids[e], attr, str(labels[j]), int(counts[j]),
                                  counts[j] / counts.sum()))
        table[f"{attr}_blau"] = np.asarray(b_col, dtype=float)
        table[f"{attr}_iqv"] = np.asarray(q_col, dtype=float)
    composition = pd.DataFrame(comp_rows, columns=["ego", "attribute", "value", "alters",
                                                   "share"])
    composition = composition.astype({"ego": object, "attribute": "string", "value": "string",
                                      "alters": np.int64, "share": float})
    alter_rows = [(ids[e], ids[a], int(d))
                  for e, (alt, dist) in zip(egos.tolist(), alters, strict=True)
                  for a, d in zip(alt.tolist(), dist.tolist(), strict=True)]
    alter_frame = pd.DataFrame(alter_rows, columns=["ego", "alter", "distance"]).astype(
        {"ego": object, "alter": object, "distance": np.int64})
    return EgoNetworks(table=table, composition=composition, alters=alter_frame, radius=radius)


def _alters(A, egos, radius):
    """For each ego: (alter positions sorted, their distances), by breadth-first search."""
    out = []
    indptr, indices = A.indptr, A.indices
    for e in egos.tolist():
        seen = {e: 0}
        frontier = np.array([e], dtype=np.int64)
        for step in range(1, radius + 1):
            if not len(frontier):
                break
            nxt = np.unique(np.concatenate([indices[indptr[u]:indptr[u + 1]]
                                            for u in frontier.tolist()]))
            nxt = np.array([v for v in nxt.tolist() if v not in seen], dtype=np.int64)
            for v in nxt.tolist():
                seen[v] = step
            frontier = nxt
        del seen[e]
        alt = np.array(sorted(seen), dtype=np.int64)
        out.append((alt, np.array([seen[a] for a in alt.tolist()], dtype=np.int64)))
    return out


def _ties_among(A, egos, alters, radius):
    """Ties among each ego's alters (pairs, once)."""
    if radius == 1 and len(egos):
        # direct contacts: ties among them are the triangles through the ego
        tri = np.asarray((A @ A).multiply(A).sum(axis=1)).ravel() / 2.0
        return tri[egos]
    out = np.zeros(len(egos))
    for i, (alt, _) in enumerate(alters):
        if len(alt) > 1:
            out[i] = A[alt][:, alt].sum() / 2.0
    return out
