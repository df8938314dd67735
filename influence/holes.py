"""Burt's structural holes: effective size, efficiency, constraint and hierarchy.

Computed with sparse matrix products over the combined graph (one pass, no per-actor Python
loop), so they agree with networkx's per-node formulas but run at 100k actors. We do not use
``networkx.effective_size(G, weight=...)`` with ``nodes=None``: its vectorised path normalises
by the row maxima along the wrong axis and gives wrong weighted and directed values
(networkx PR #8906; docs/algorithms.md §2).
"""

from __future__ import annotations

import numpy as np

from .errors import InputError

__all__ = ["structural_holes"]

_SCOPES = ("network", "ego")
_CHUNK_CELLS = 4_000_000


def structural_holes(m, *, weight="strength", scope="network", min_strength=None):
    """Burt's structural-hole measures for every actor.

    With ``a_ij`` the tie strength (1 for every tie when ``weight=None``), the mutual weight is
    ``w_ij = a_ij + a_ji`` (ties in both directions summed; undirected ties count once each
    way, which cancels in every ratio), ``N(i)`` the actor's contacts (in or out),
    ``p_ij = w_ij / sum_k w_ik`` the share of ``i``'s network time spent on ``j`` and
    ``m_jq = w_jq / max_k w_jk`` the marginal strength of ``j``'s tie to ``q``:

    * ``effective_size`` = ``sum_j [1 - sum_{q != j} p_iq m_jq]`` over ``j, q`` in ``N(i)``:
      the number of contacts less their redundancy (binary undirected: ``n - 2t/n`` with ``t``
      ties among the ``n`` contacts, Borgatti 1997);
    * ``efficiency`` = effective size / number of contacts;
    * ``constraint`` = ``sum_j (p_ij + sum_{q != i, j} p_iq p_qj)^2``: how much ``i``'s contacts
      are tied to each other (high: no holes to broker across);
    * ``hierarchy`` = ``sum_j (c_ij / c) ln(c_ij / c) / (n ln n)`` with ``c_ij`` the terms of
      constraint and ``c`` their mean: how far the constraint is concentrated on one contact
      (1 by convention for a single contact).

    ``scope="network"`` (default) is Burt's whole-network definition, as networkx and igraph:
    ``p_qj`` is ``q``'s share over all of ``q``'s ties. ``scope="ego"`` reproduces UCINET's
    default ego-network constraint, where ``p_qj`` is normalised over ``q``'s ties inside ``i``'s
    ego network only (UCINET's values can exceed 1); effective size and efficiency use the
    whole-network marginal strength in both scopes (the two agree on binary data).

    Actors with no contacts get NaN (networkx's convention; UCINET reports effective size 0).
    Parallel ties between the same pair are **summed** into one weighted tie, as Burt's measures
    expect (docs/algorithms.md §2; the other analyses keep the strongest), and self-loops are
    dropped (:func:`influence.graph.network` with ``combine="sum"``).

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    weight : str or None
        Tie attribute holding the strength (default ``"strength"``); None: every tie is 1.
    scope : {"network", "ego"}
        Normalisation of the indirect term of constraint (see above).
    min_strength : float, optional
        Ignore ties weaker than this.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (every actor): ``contacts``, ``effective_size``, ``efficiency``,
        ``constraint``, ``hierarchy``.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*.
       Harvard University Press.
    .. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures.
       *Connections* 20(1), 35-38.
    .. [3] Everett, M. G. & Borgatti, S. P. (2020). Unpacking Burt's constraint measure.
       *Social Networks* 62, 50-57.

    Examples
    --------
    The hub's contacts are barely tied to each other, so it spans holes and is least
    constrained; ``c``, with one contact, is fully constrained.

    >>> import networkx as nx
    >>> from influence.holes import structural_holes
    >>> G = nx.Graph([("hub", "a"), ("hub", "b"), ("hub", "c"), ("a", "b")])
    >>> structural_holes(G).round(3)
         contacts  effective_size  efficiency  constraint  hierarchy
    id
    hub         3           2.333       0.778       0.611      0.052
    a           2           1.000       0.500       1.007      0.010
    b           2           1.000       0.500       1.007      0.010
    c           1           1.000       1.000       1.000      1.000
    """
    import pandas as pd
    from scipy import sparse

    if scope not in _SCOPES:
        raise InputError(f"scope={scope!r} is not known. Fix: use scope='network' (Burt, as "
                         "networkx) or scope='ego' (UCINET's ego-network constraint).")
    from .graph import network

    net = network(m, weight=weight, min_strength=min_strength, combine="sum")
    n = net.n
    A = net.adjacency(weighted=weight is not None).astype(np.float64).tocsr()
    W = (A + A.T).tocsr() if net.directed else A.copy()
    W.setdiag(0)
    W.eliminate_zeros()
    W.sort_indices()
    S = W.copy()
    S.data[:] = 1.0
    contacts = np.diff(W.indptr).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rowsum = np.asarray(W.sum(axis=1)).ravel()
        rowmax = W.max(axis=1).toarray().ravel() if n else np.zeros(0)
        P = sparse.diags(np.where(rowsum > 0, 1.0 / rowsum, 0.0)) @ W
        M = sparse.diags(np.where(rowmax > 0, 1.0 / rowmax, 0.0)) @ W
        P, M = P.tocsr(), M.tocsr()
        # redundancy of contacts: sum_j sum_q p_iq m_jq = rowsum(P * (S @ M)) on P's pattern
        redundancy = _masked_rowsum(S, M, P)
        effective = contacts - redundancy
        if scope == "network":
            Q = P
        else:
            # p^(i)_qj = w_qj / (w_qi + sum_{k in N(i)} w_qk): q's ties inside i's ego network
            D = _masked_product(S, W, S)  # D[i, q] = sum_{k in N(i)} w_qk on the pattern of S
            D = (D + W.multiply(S)).tocsr()  # + w_qi (W symmetric)
            D.sort_indices()
            Q = P.copy()
            Q.data = P.data / _aligned(D, P)
        indirect = _masked_product(Q, P, P) if scope == "network" else _masked_product(Q, W, P)
        local = (P + indirect).tocsr()
        local.data = local.data ** 2
        constraint = np.asarray(local.sum(axis=1)).ravel()
        hierarchy = _hierarchy(local, constraint, contacts)
        isolated = contacts == 0
        efficiency = np.where(isolated, np.nan, effective / np.where(isolated, 1, contacts))
        effective = np.where(isolated, np.nan, effective)
        constraint = np.where(isolated, np.nan, constraint)
    return pd.DataFrame({"contacts": contacts, "effective_size": effective,
                         "efficiency": efficiency, "constraint": constraint,
                         "hierarchy": hierarchy}, index=net.index)


def _masked_product(L, X, R):
    """``(L @ X)`` kept only on the non-zero pattern of ``R`` (CSR), computed in row chunks."""
    from scipy import sparse

    n = L.shape[0]
    if not n or not L.nnz or not X.nnz or not R.nnz:
        return sparse.csr_matrix(R.shape)
    pattern = R.copy()
    pattern.data[:] = 1.0
    work = np.asarray(L @ np.diff(X.indptr).astype(np.float64)).ravel() + 1.0
    cum = np.cumsum(work)
    cuts = np.searchsorted(cum, _CHUNK_CELLS * np.arange(1, int(cum[-1] // _CHUNK_CELLS) + 1))
    edges = np.unique(np.concatenate([[0], cuts + 1, [n]]).clip(0, n))
    blocks = [(L[a:b] @ X).multiply(pattern[a:b]).tocsr()
              for a, b in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=False)]
    return sparse.vstack(blocks).tocsr()


def _masked_rowsum(L, X, R):
    """``rowsum(R * (L @ X))`` without forming ``L @ X`` off ``R``'s pattern."""
    prod = _masked_product(L, X, R)
    return np.asarray(prod.multiply(R).sum(axis=1)).ravel() if prod.nnz else np.zeros(L.shape[0])


def _aligned(D, P):
    """Values of D at the positions of P's non-zeros (both CSR with sorted indices)."""
    rows = np.repeat(np.arange(P.shape[0]), np.diff(P.indptr))
    return np.asarray(D[rows, P.indices]).ravel()


def _hierarchy(local, constraint, contacts):
    """Burt's hierarchy from the dyadic constraint terms (rows of ``local``)."""
    n = len(contacts)
    out = np.full(n, np.nan)
    if not n:
        return out
    rows = np.repeat(np.arange(n), np.diff(local.indptr))
    k = contacts[rows].astype(float)
    mean = constraint[rows] / np.where(k > 0, k, 1)
    ratio = local.data / mean
    terms = ratio * np.log(ratio)
    sums = np.bincount(rows, weights=terms, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = sums / (contacts * np.log(contacts))
    out = np.where(contacts > 1, h, out)
    out = np.where(contacts == 1, 1.0, out)
    return out
