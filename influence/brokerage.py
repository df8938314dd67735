"""Brokers: Gould-Fernandez brokerage roles, and one table that puts the broker measures together.

:func:`brokerage` counts, for every actor, the open two-paths ``a -> b -> c`` it sits in the
middle of, classified by the groups of ``a``, ``b`` and ``c`` (Gould & Fernandez 1989), with
expected values and z-scores exactly as R's ``sna::brokerage``. networkx has no such function.
The counts are computed with sparse matrix products (no loop over node triples), so a map of
100k actors takes seconds.

:func:`brokers` combines the roles with Burt's structural holes (:mod:`influence.holes`) and
betweenness (:mod:`influence.centrality`) into one table with a plain-English line per actor.
"""

from __future__ import annotations

import numpy as np

from .brokerage_inference import check, check_ordered
from .graph import network

__all__ = ["brokerage", "brokers", "highlighted", "ROLES"]

#: The five Gould-Fernandez roles, in column order, with their sna and UCINET names.
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
_SNA = {"coordinator": "w_I", "itinerant": "w_O", "representative": "b_IO",
        "gatekeeper": "b_OI", "liaison": "b_O", "total": "t"}
_COLUMNS = ROLES + ("total",)
_CHUNK_CELLS = 4_000_000  # cap on the non-zeros of one chunk of a masked sparse product


def brokerage(m, *, by, fractional=False, ordered=True, min_strength=None, permutations=0,
              seed=None):
    """Gould-Fernandez brokerage roles of every actor for a partition ``by``.

    Actor ``b`` brokers the ordered pair ``(a, c)`` when ``a -> b`` and ``b -> c`` are ties,
    ``a``, ``b``, ``c`` are three different actors and there is no tie ``a -> c`` (a tie
    ``c -> a`` does not matter). Each such open two-path is one of five roles, by the groups
    ``g`` of the three actors (Gould & Fernandez 1989; names as in sna, UCINET in brackets):

    ==================  ==========================  ====================================
    column              pattern (g(a), g(b), g(c))  in words
    ==================  ==========================  ====================================
    ``coordinator``     A -> A -> A  (sna ``w_I``)  links two members of its own group
    ``itinerant``       A -> B -> A  (``w_O``;      links two members of another group
                        UCINET *consultant*)        from outside it
    ``representative``  A -> A -> B  (``b_IO``)     carries its own group's message out
    ``gatekeeper``      A -> B -> B  (``b_OI``)     lets an outsider's message in
    ``liaison``         A -> B -> C  (``b_O``)      links two groups, neither its own
    ==================  ==========================  ====================================

    ``total`` is their sum. For each role (and the total) ``<role>_expected`` and ``<role>_z``
    are the expected count and z-score under a random graph of the same density, exactly as
    ``sna::brokerage`` (``exp.nli``, ``z.nli``); z is NaN where the variance is 0 (e.g. a
    coordinator in a group of two, a liaison when there are only two groups). sna warns that
    these z-scores are not known to be normal; a permutation test (shuffling ``by``) is the
    robust alternative.

    Conventions: tie strength is ignored (any tie counts; ``min_strength`` drops weak ties
    first); multi-ties collapse and self-loops are dropped (:func:`influence.graph.network`).
    **An undirected tie counts both ways**, as sna does with a symmetric matrix: every open path
    ``a - b - c`` is counted twice (``a -> b -> c`` and ``c -> b -> a``), so coordinator,
    itinerant and liaison counts are doubled compared with counting unordered paths, and each
    actor's representative count equals its gatekeeper count. ``ordered=False`` (undirected maps
    only) halves every count and expected value (z-scores are unchanged). Each broker of a pair
    gets full credit (sna, UCINET's default); ``fractional=True`` gives UCINET's alternative:
    each of the ``k`` brokers of a pair ``(a, c)`` gets ``1/k`` (expected values and z-scores
    then still refer to the full-credit counts, so they are NaN).

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    by : str
        The actor attribute that partitions the actors: ``sector``, ``sub_area``, ``kind``, ...
        Every actor needs a value.
    fractional : bool
        Give each of ``k`` brokers of the same pair ``1/k`` credit (UCINET option).
    ordered : bool
        Count ordered pairs (default, as sna). False halves the counts of an undirected map.
    min_strength : float, optional
        Ignore ties weaker than this.
    permutations : int
        With ``permutations > 0``, add ``<role>_p``: the one-sided permutation p-value of each
        role count, ``(1 + #{count under shuffled groups >= observed}) / (1 + permutations)``
        (groups shuffled among the actors, ties kept). Prefer it to z for small groups, where
        the normal approximation is poor (:mod:`influence.brokerage_inference`).
    seed : int, optional
        Seed of the permutations.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (every actor): ``group`` (the actor's ``by`` value), the five role
        counts, ``total``, then ``<role>_expected`` and ``<role>_z`` for each role and the total
        (and ``<role>_p`` for the five roles with ``permutations``).

    Raises
    ------
    InputError
        ``by`` is not an actor attribute, or some actors have no value for it (they are named).

    See Also
    --------
    brokers : roles, structural holes and betweenness in one table.

    References
    ----------
    .. [1] Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal approach to
       brokerage in transaction networks. *Sociological Methodology* 19, 89-126.
    .. [2] Butts, C. T. sna: Tools for Social Network Analysis, ``brokerage`` (R/models.R,
       src/gli.c). https://CRAN.R-project.org/package=sna
    .. [3] Borgatti, S. P., Everett, M. G. & Freeman, L. C. UCINET for Windows, Network > Ego
       Networks > Brokerage (the 1/k option). http://www.analytictech.com/ucinet/help/hs4157.htm

    Examples
    --------
    A directed chain across two groups: ``b`` passes ``a``'s message on to group Y.

    >>> import networkx as nx
    >>> from influence.brokerage import brokerage
    >>> G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"}, "team")
    >>> roles = brokerage(G, by="team")
    >>> roles.loc[["b", "c"], ["representative", "gatekeeper", "total"]]
        representative  gatekeeper  total
    id
    b              1.0         0.0    1.0
    c              0.0         1.0    1.0
    """
    import pandas as pd

    net = network(m, weight=None, min_strength=min_strength)
    groups = net.partition(by)
    codes, labels = pd.factorize(groups)
    n = net.n
    check_ordered(net, ordered)
    raw = _raw_roles(net, codes, fractional) if n else np.zeros((0, 5))
    if permutations:
        from .brokerage_inference import permutation_pvalues
        from .mixing import permutation_count

        check(fractional, permutation_count(permutations))
        pvalues = permutation_pvalues(net, np.asarray(codes, np.int64), raw, permutations, seed)
    exp, var = _moments(net, codes)
    total = raw.sum(axis=1)
    raw = np.column_stack([raw, total])
    if fractional:
        z = np.full(raw.shape, np.nan)
        exp = np.full(raw.shape, np.nan)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            sd = np.sqrt(var)
            z = np.where(var > 0, (raw - exp) / np.where(var > 0, sd, 1.0), np.nan)
    if not ordered:
        raw, exp = raw / 2.0, exp / 2.0
    data = {"group": pd.array([str(g) for g in groups], dtype="string")}
    for j, col in enumerate(_COLUMNS):
        data[col] = raw[:, j].astype(float)
    for j, col in enumerate(_COLUMNS):
        data[f"{col}_expected"] = exp[:, j].astype(float)
        data[f"{col}_z"] = z[:, j].astype(float)
    for j, col in enumerate(ROLES if permutations else ()):
        data[f"{col}_p"] = pvalues[:, j]
    frame = pd.DataFrame(data, index=net.index)
    return frame


# --- the counts ------------------------------------------------------------------------------
def _raw_roles(net, codes, fractional):
    """(n, 5) role counts for every broker, by sparse products (see the module docstring)."""
    from scipy import sparse

    n = net.n
    A = net.adjacency().astype(np.float64)
    A.data[:] = 1.0
    A.eliminate_zeros()
    A = A.tocsr()
    codes = np.asarray(codes, dtype=np.int64)
    W = _within(A, codes)  # arcs inside one group
    if fractional:
        # R[a, c] = 1/k for every open pair (a != c, no arc a -> c) with k two-paths a -> . -> c
        A2 = (A @ A).tocsr()
        A2.setdiag(0)
        A2.eliminate_zeros()
        A2 = A2 - A2.multiply(A)  # drop closed pairs
        A2 = sparse.csr_matrix(A2)
        A2.eliminate_zeros()
        R = A2.copy()
        R.data = 1.0 / R.data
        T, Pa, Pc, C, Pac = _masked_scores(A, W, R, _within(R, codes))
    else:
        k = int(codes.max()) + 1 if n else 0
        G = sparse.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, k))
        I = (A.T @ G).tocsr()  # I[b, p]: in-neighbours of b in group p
        O = (A @ G).tocsr()  # O[b, p]: out-neighbours of b in group p
        rows = np.arange(n)
        I_same = np.asarray(I[rows, codes]).ravel()
        O_same = np.asarray(O[rows, codes]).ravel()
        indeg = np.asarray(A.sum(axis=0)).ravel()
        outdeg = np.asarray(A.sum(axis=1)).ravel()
        mutual = np.asarray(A.multiply(A.T).sum(axis=1)).ravel()
        mutual_same = np.asarray(W.multiply(W.T).sum(axis=1)).ravel()
        io_dot = np.asarray(I.multiply(O).sum(axis=1)).ravel()
        # all two-paths a -> b -> c with a != c, by group condition ...
        all_ = (indeg * outdeg - mutual, I_same * outdeg - mutual_same,
                indeg * O_same - mutual_same, I_same * O_same - mutual_same, io_dot - mutual)
        # ... minus the closed ones (arc a -> c present)
        closed = _masked_scores(A, W, A, W)
        T, Pa, Pc, C, Pac = (x - y for x, y in zip(all_, closed, strict=False))
    coordinator = C
    representative = Pa - C
    gatekeeper = Pc - C
    itinerant = Pac - C
    liaison = T - Pa - Pc - Pac + 2 * C
    out = np.column_stack([coordinator, itinerant, representative, gatekeeper, liaison])
    return np.where(np.abs(out) < 1e-9, 0.0, out)


def _within(X, codes):
    """The entries of sparse X whose row and column are in the same group."""
    X = X.tocoo()
    keep = codes[X.row] == codes[X.col]
    from scipy import sparse

    return sparse.csr_matrix((X.data[keep], (X.row[keep], X.col[keep])), shape=X.shape)


def _masked_scores(A, W, X, Xw):
    """For every broker b, sum of A[a,b] X[a,c] A[b,c] over (a, c), split by group conditions.

    Returns (all, g(a)=g(b), g(c)=g(b), g(a)=g(b)=g(c), g(a)=g(c)); ``W``/``Xw`` are ``A``/``X``
    restricted to same-group pairs. Each is ``rowsum((L^T X) * R)`` computed in row chunks so
    that only the entries on the mask ``R`` are kept.
    """
    T = _masked(A, X, A)
    Pc = _masked(A, X, W)
    Pa = _masked(W, X, A)
    C = _masked(W, X, W)
    Pac = _masked(A, Xw, A)
    return T, Pa, Pc, C, Pac


def _masked(L, X, R):
    n = L.shape[0]
    LT = L.T.tocsr()
    out = np.zeros(n)
    if not n or not L.nnz or not X.nnz or not R.nnz:
        return out
    # size the chunks by the work of the product: sum over rows of |row of LT| x avg |row of X|
    xrow = np.diff(X.indptr)
    work = np.asarray(LT @ xrow.astype(np.float64)).ravel() + 1.0
    cum = np.cumsum(work)
    cuts = np.searchsorted(cum, _CHUNK_CELLS * np.arange(1, int(cum[-1] // _CHUNK_CELLS) + 1))
    edges = np.unique(np.concatenate([[0], cuts + 1, [n]]).clip(0, n))
    for start, stop in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=False):
        block = (LT[start:stop] @ X).multiply(R[start:stop])
        out[start:stop] = np.asarray(block.sum(axis=1)).ravel()
    return out


def _moments(net, codes):
    """Expected values and variances of the six counts for each broker (sna::brokerage)."""
    n_nodes = net.n
    exp = np.zeros((n_nodes, 6))
    var = np.zeros((n_nodes, 6))
    if n_nodes < 2:
        return exp, var
    N = float(n_nodes)
    arcs = float(net.m if net.directed else 2 * net.m)
    d = arcs / (N * (N - 1))
    q = d * d * (1 - d)
    r = d ** 3 * (1 - d) ** 3
    sizes = np.bincount(codes).astype(float)

    def choose2(x):
        return x * (x - 1) / 2.0

    ni = sizes
    sum_nn1 = (sizes * (sizes - 1)).sum()
    sum_nn1n2 = (sizes * (sizes - 1) * (sizes - 2)).sum()
    sum_sq = (sizes ** 2).sum()
    e = np.zeros((len(sizes), 6))
    v = np.zeros((len(sizes), 6))
    e[:, 0] = q * (ni - 1) * (ni - 2)
    v[:, 0] = e[:, 0] * (1 - q) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * r
    e[:, 1] = q * (sum_nn1 - ni * (ni - 1))
    v[:, 1] = e[:, 1] * (1 - q) + 2 * (sum_nn1n2 - ni * (ni - 1) * (ni - 2)) * r
    e[:, 2] = q * (N - ni) * (ni - 1)
    v[:, 2] = e[:, 2] * (1 - q) + 2 * ((ni - 1) * choose2(N - ni) + (N - ni) * choose2(ni - 1)) * r
    e[:, 3], v[:, 3] = e[:, 2], v[:, 2]
    e[:, 4] = q * ((N - ni) ** 2 - (sum_sq - ni ** 2))
    # sum over the other groups j of n_j * C(N - n_j - n_i, 2)
    liaison_v = np.array([(np.delete(sizes, i) * choose2(N - np.delete(sizes, i) - sizes[i])).sum()
                          for i in range(len(sizes))])
    v[:, 4] = e[:, 4] * (1 - q) + 4 * liaison_v * r
    e[:, 5] = q * (N - 1) * (N - 2)
    v[:, 5] = e[:, 5] * (1 - q) + 2 * (N - 1) * (N - 2) * (N - 3) * r
    # sna computes these in floating point; round-off can leave -0.0-ish variances
    v = np.where(np.abs(v) < 1e-12, 0.0, v)
    return e[codes], v[codes]


# --- brokers -----------------------------------------------------------------------------------
_WORDS = {
    "coordinator": "links people within their own {by} ({group})",
    "itinerant": "a go-between for another {by}: links two of its people from outside it",
    "representative": "speaks for their {by} ({group}): carries its contacts out to other groups",
    "gatekeeper": "lets others into their {by} ({group})",
    "liaison": "links different groups, neither of them their own",
}
#: Plain phrases for the Gould-Fernandez roles, for text that volunteers read (the tables keep
#: the standard names).
PLAIN_ROLES = {
    "coordinator": "links people within one group",
    "itinerant": "a go-between for another group",
    "representative": "speaks for their group",
    "gatekeeper": "lets others into their group",
    "liaison": "links different groups",
    "none": "brokers nothing",
}


def brokers(m, *, by=None, weight="strength", min_strength=None, k=None, seed=None):
    """Who bridges the groups of a map: brokerage roles, structural holes and betweenness.

    One row per actor, sorted with the strongest brokers first (by total open two-paths
    brokered, then betweenness), with a short plain-English explanation of the actor's main
    role, so a partnership can see who connects its villages, sectors or groups.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    by : str, optional
        The actor attribute whose groups are bridged (``sub_area``, ``sector`` ...). None
        (default): the communities found by :func:`influence.communities` (Leiden, seed 0),
        named ``community 1``, ``community 2`` ... (1 the largest); ``table.attrs["groups"]``
        says so in words.
    weight : str or None
        Tie strength for structural holes, betweenness and communities (distance =
        1/strength). Brokerage roles ignore strength.
    min_strength : float, optional
        Ignore ties weaker than this everywhere.
    k, seed : int, optional
        Estimate betweenness from ``k`` sampled sources (seeded), as
        :func:`influence.centrality` does; the other columns stay exact.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id: ``kind``, ``name``, ``group``, the five role counts and ``total``
        (:func:`brokerage`, undirected ties counted both ways), ``total_z``, ``betweenness``
        (normalised, as networkx), ``effective_size``, ``efficiency``, ``constraint``,
        ``hierarchy`` (:func:`influence.structural_holes`), ``main_role`` and ``explanation``.

    References
    ----------
    .. [1] Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation. *Sociological
       Methodology* 19, 89-126.
    .. [2] Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard
       University Press.
    .. [3] Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
       *Sociometry* 40(1), 35-41.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.brokerage import brokers
    >>> G = nx.Graph([("a1", "a2"), ("a2", "b1"), ("b1", "b2")])
    >>> nx.set_node_attributes(G, {"a1": "A", "a2": "A", "b1": "B", "b2": "B"}, "village")
    >>> table = brokers(G, by="village")
    >>> table.loc["a2", ["representative", "gatekeeper", "total"]].tolist()
    [1.0, 1.0, 2.0]
    >>> print(table.loc["a2", "explanation"])  # doctest: +NORMALIZE_WHITESPACE
    A link for A (village): speaks for their village and lets others into it
    (2 of 2 brokered paths).
    """
    import pandas as pd

    from .centrality import centrality
    from .holes import structural_holes

    net = network(m, weight=weight, min_strength=min_strength)
    note = None
    if by is None:
        from .communities import by_communities

        net, by, note = by_communities(net, weight)
    roles = brokerage(net, by=by)
    holes = structural_holes(net, weight=weight)
    btw = centrality(net, measures=["betweenness"], weight=weight, k=k, seed=seed)["betweenness"]
    frame = pd.DataFrame(index=roles.index)
    frame["kind"] = net.text("kind")
    frame["name"] = net.text("name")
    frame = pd.concat([frame, roles[["group", *_COLUMNS, "total_z"]]], axis=1)
    frame["betweenness"] = btw.to_numpy(dtype=float)
    for col in ("effective_size", "efficiency", "constraint", "hierarchy"):
        frame[col] = holes[col].to_numpy(dtype=float)
    main, text = [], []
    for row in roles.itertuples(index=False):
        counts = [getattr(row, r) for r in ROLES]
        role, line = _explain(counts, row.total, str(row.group), by)
        main.append(role)
        text.append(line)
    frame["main_role"] = pd.array(main, dtype="string")
    frame["explanation"] = pd.array(text, dtype="string")
    order = np.lexsort((np.arange(len(frame)), -frame["betweenness"].fillna(0).to_numpy(),
                        -frame["total"].to_numpy()))
    frame = frame.iloc[order]
    frame.attrs["groups"] = note or f"Groups: the actors' {by}."
    return frame


def highlighted(table, *, top):
    """Ids of the brokers to highlight: the first ``top`` actors of a :func:`brokers` table
    (strongest first) that broker at least one open two-path, once each.

    The one rule the interactive map and the review share.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of :func:`brokers` tables (indexed by actor id, with ``total``), in the order to
        choose from.
    top : int
        How many to highlight at most.

    Returns
    -------
    list

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"total": [6, 2, 6, 0]}, index=["a", "b", "a", "c"])
    >>> highlighted(t, top=5)
    ['a', 'b']

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989), see :func:`brokerage`.
    """
    ids = table.index[table["total"].to_numpy(dtype=float) > 0]
    return list(dict.fromkeys(ids))[:top]


def _explain(counts, total, group, by):
    """(main role, one sentence) for an actor's role counts."""
    if total <= 0:
        return "none", ("Brokers nothing: fewer than two contacts, or their contacts are "
                        "already tied to each other.")
    best = int(np.argmax(counts))
    role = ROLES[best]
    share = f"({_num(counts[best])} of {_num(total)} brokered paths)"
    rep, gk = counts[2], counts[3]
    by = str(by).replace("_", "-")
    if role in ("representative", "gatekeeper") and rep == gk:
        # undirected ties: every path out is also a path in
        lead = f"Our link to {group}" if by == "sub-area" else f"A link for {group} ({by})"
        line = (f"{lead}: speaks for their {by} and lets others into it "
                f"({_num(rep + gk)} of {_num(total)} brokered paths).")
        return "representative", line
    words = _WORDS[role].format(by=by, group=group)
    return role, f"Mostly {words} {share}."


def _num(x):
    return f"{x:g}" if float(x) != int(x) else str(int(x))
