"""Is a brokerage score more than chance? Network totals with z-scores, and permutation tests.

Two ways to judge the Gould-Fernandez counts of :func:`influence.brokerage`:

* :func:`brokerage_totals`: the network-level sums of each role with their expected values,
  standard deviations and z-scores exactly as R's ``sna::brokerage`` (``raw.gli``,
  ``exp.gli``, ``sd.gli``, ``z.gli``), under a random graph of the same density;
* permutation tests (``permutations=``, also ``brokerage(m, by=..., permutations=1000)``):
  the group labels are shuffled among the actors (group sizes and ties kept) and each count
  compared with its distribution. Every open two-path ``a -> b -> c`` is listed once and
  re-classified for all permutations at once with numpy, so 1,000 permutations of a map of a
  few thousand actors take seconds.

**Which to use.** The z-scores assume the counts are roughly normal under a Bernoulli random
graph; sna's documentation warns that this is not established, and it is poor for small
groups and sparse maps (counts of 0, 1, 2 ...), where z-scores can be huge or undefined. The
permutation test keeps the observed ties and asks only whether the *grouping* matters: use it
for small maps and small groups, and whenever you report a p-value. The z-scores are a quick
screen on large maps.
"""

from __future__ import annotations

import numpy as np

from .errors import InputError, either

__all__ = ["brokerage_totals", "permutation_pvalues"]

_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total")
_SNA = ("w_I", "w_O", "b_IO", "b_OI", "b_O", "t")
_CHUNK_CELLS = 20_000_000


def brokerage_totals(m, *, by, permutations=0, seed=None, ordered=True, min_strength=None):
    """Network-level brokerage: each role's total with sna's expected value, sd and z.

    The observed total of a role is the sum of every actor's count (:func:`brokerage`). Its
    expectation and variance under a Bernoulli random digraph of the map's density ``d`` are
    those of ``sna::brokerage`` (``exp.gli``, ``sd.gli``, ``z.gli``; Gould & Fernandez
    1989): with ``n_i`` the group sizes, ``N`` the actors, ``q = d^2 (1-d)``,
    ``E[w_I] = q sum_i n_i (n_i-1)(n_i-2)``, ``E[w_O] = E[b_IO] = E[b_OI] =
    q sum_i n_i (N-n_i)(n_i-1)``, ``E[b_O] = q sum_{i != j} n_i n_j (N-n_i-n_j)``,
    ``E[t] = q N (N-1)(N-2)``, and the variances of sna's ``R/models.R``. z is NaN where the
    variance is 0.

    With ``permutations > 0``, ``perm_mean`` and ``p_value`` come from shuffling the groups
    among the actors: ``p_value = (1 + #{permuted total >= observed}) / (1 + permutations)``,
    one-sided (more brokerage of this kind than the grouping explains). The total over all
    roles does not depend on the groups, so its permutation columns are NaN. See the module
    notes on when to prefer the permutation test.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    by : str
        Actor attribute defining the groups (every actor needs a value).
    permutations : int
        Number of random relabellings (0: none).
    seed : int, optional
        Seed of the permutations (the same seed gives the same p-values).
    ordered : bool
        False halves the counts of an undirected map (as :func:`brokerage`).
    min_strength : float, optional
        Ignore ties weaker than this.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``role`` (the five roles and ``total``): ``sna`` (sna's name),
        ``observed``, ``expected``, ``sd``, ``z``, ``perm_mean``, ``p_value``.

    References
    ----------
    .. [1] Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal approach
       to brokerage in transaction networks. *Sociological Methodology* 19, 89-126.
    .. [2] Butts, C. T. sna: Tools for Social Network Analysis, ``brokerage`` (R/models.R).
       https://CRAN.R-project.org/package=sna
    .. [3] Hanneman, R. A. & Riddle, M. (2005). *Introduction to Social Network Methods*,
       ch. 18 (permutation tests for network statistics). University of California, Riverside.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.brokerage_inference import brokerage_totals
    >>> G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("b", "d")])
    >>> nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"}, "team")
    >>> t = brokerage_totals(G, by="team")
    >>> t.loc[["representative", "total"], ["observed", "expected"]].round(3)
                    observed  expected
    role
    representative       3.0     0.810
    total                5.0     2.431
    """
    import pandas as pd

    from .graph import network
    from .mixing import permutation_count

    permutations = permutation_count(permutations)
    net = network(m, weight=None, min_strength=min_strength)
    groups = net.partition(by)
    check_ordered(net, ordered)
    codes, _ = pd.factorize(pd.Series(groups, dtype=object)) if net.n else ([], [])
    observed = _observed(net, np.asarray(codes, dtype=np.int64), ordered)
    exp, var = global_moments(net, np.asarray(codes, dtype=np.int64))
    if not ordered:
        exp, var = exp / 2.0, var / 4.0
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(np.where(var > 0, var, 0.0))
        z = np.where(var > 0, (observed - exp) / np.where(var > 0, sd, 1.0), np.nan)
    perm_mean = np.full(6, np.nan)
    p = np.full(6, np.nan)
    if permutations and net.n:
        sums, _ = _permuted(net, np.asarray(codes, dtype=np.int64), permutations, seed)
        scale = 1.0 if ordered else 0.5
        sums = sums * scale
        perm_mean[:5] = sums.mean(axis=0)
        p[:5] = (1 + (sums >= observed[:5] - 1e-9).sum(axis=0)) / (1 + permutations)
    return pd.DataFrame({"sna": pd.array(_SNA, dtype="string"), "observed": observed,
                         "expected": exp, "sd": sd, "z": z, "perm_mean": perm_mean,
                         "p_value": p}, index=pd.Index(_ROLES, name="role"))


def global_moments(net, codes):
    """sna's network-level expectations and variances of the six totals (``exp.gli``, ...)."""
    N = float(net.n)
    e = np.zeros(6)
    v = np.zeros(6)
    if net.n < 3:
        return e, v
    arcs = float(net.m if net.directed else 2 * net.m)
    d = arcs / (N * (N - 1))
    n = np.bincount(codes).astype(float)
    n = n[n > 0]
    q = d ** 2 * (1 - d)
    a3, a4, a5 = d ** 3 * (1 - d) ** 3, d ** 4 * (1 - d) ** 2, d ** 5 * (1 - d)
    p1, p2, p3 = n.sum(), (n ** 2).sum(), (n ** 3).sum()
    e[0] = q * (n * (n - 1) * (n - 2)).sum()
    v[0] = e[0] * (1 - q) + (n * (n - 1) * (n - 2) * ((4 * n - 10) * a3 - 4 * (n - 3) * a4
                                                      + (n - 3) * a5)).sum()
    e[1] = q * (n * (N - n) * (n - 1)).sum()
    # sum over all pairs (x, y) of x y (x-1) [(2x + 2y - 6) a3 + (N - x - 1) a5], in O(k)
    xx = n * (n - 1)
    outer = (xx * ((2 * n - 6) * a3 + (N - n - 1) * a5)).sum() * p1 + 2 * a3 * xx.sum() * p2
    diag = (n * n * (n - 1) * ((4 * n - 6) * a3 + (N - n - 1) * a5)).sum()
    v[1] = e[1] * (1 - q) + outer - diag
    e[2] = q * (n * (N - n) * (n - 1)).sum()
    v[2] = e[2] * (1 - q) + (n * (N - n) * (n - 1) * ((N - 3) * a3 + (n - 2) * a5)).sum()
    e[3], v[3] = e[2], v[2]
    e[4] = q * ((N * p1 ** 2 - 2 * p1 * p2) - (n * n * (N - 2 * n)).sum())
    # sna's triple loop over distinct groups i, j, k, summed with power sums in O(k):
    # S0 = sum n_i n_j n_k, T = sum n_i^2 n_j n_k over ordered distinct triples
    s0 = p1 ** 3 - 3 * p1 * p2 + 2 * p3
    t = (n ** 2 * ((p1 - n) ** 2 - (p2 - n ** 2))).sum()
    v[4] = e[4] * (1 - q) + (s0 * ((4 * N - 2) * a3 - (4 * N - 2) * a4 + (N - 1) * a5)
                             + t * (-8 * a3 + 8 * a4 - 2 * a5))
    e[5] = q * N * (N - 1) * (N - 2)
    v[5] = e[5] * (1 - q) + N * (N - 1) * (N - 2) * ((4 * N - 10) * a3 - 4 * (N - 3) * a4
                                                      + (N - 3) * a5)
    v = np.where(np.abs(v) < 1e-9 * np.maximum(1.0, np.abs(e)), 0.0, v)
    return e, v


def permutation_pvalues(net, codes, observed, permutations, seed):
    """Per-actor one-sided permutation p-values of the five role counts, shape (n, 5)."""
    _, counts_ge = _permuted(net, codes, permutations, seed, observed=observed)
    return (1 + counts_ge) / (1 + permutations)


def _observed(net, codes, ordered):
    """The five role totals and their sum over all brokers (halved when not ordered): the
    open two-paths counted by the role their three ends' groups make."""
    a, b, c = open_two_paths(net)
    counts = np.bincount(_roles(codes[a], codes[b], codes[c]), minlength=5).astype(float) \
        if len(a) else np.zeros(5)
    observed = np.append(counts, counts.sum())
    return observed if ordered else observed / 2.0


def check_ordered(net, ordered):
    """Reject ``ordered=False`` on a directed network (it halves an undirected map's counts)."""
    if not ordered and net.directed:
        raise InputError(f"{either('ordered=False', '--unordered')} halves the doubled counts of "
                         "an undirected map, but this map has directed ties. Fix: leave "
                         f"{either('ordered=True', 'out --unordered')} for a directed map.")


def open_two_paths(net):
    """Every open two-path ``a -> b -> c`` (a != c, no arc a -> c) as arrays (a, b, c)."""
    A = net.adjacency().tocsr()
    A.data[:] = 1.0
    A.sum_duplicates()
    A.sort_indices()
    n = net.n
    AT = A.T.tocsr()
    AT.sort_indices()
    indeg, outdeg = np.diff(AT.indptr), np.diff(A.indptr)
    cnt = indeg * outdeg
    total = int(cnt.sum())
    if not total:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    b = np.repeat(np.arange(n, dtype=np.int64), cnt)
    t = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    od = outdeg[b]
    a = AT.indices[AT.indptr[b] + t // od].astype(np.int64)
    c = A.indices[A.indptr[b] + t % od].astype(np.int64)
    keys = np.repeat(np.arange(n, dtype=np.int64), outdeg) * n + A.indices
    pair = a * n + c
    pos = np.searchsorted(keys, pair).clip(0, len(keys) - 1)
    closed = keys[pos] == pair
    keep = (a != c) & ~closed
    return a[keep], b[keep], c[keep]


def _roles(ga, gb, gc):
    """Role code 0..4 (coordinator, itinerant, representative, gatekeeper, liaison)."""
    ab, bc, ac = ga == gb, gb == gc, ga == gc
    return np.where(ab, np.where(bc, 0, 2), np.where(bc, 3, np.where(ac, 1, 4)))


def _permuted(net, codes, permutations, seed, observed=None):
    """Role totals per permutation (B, 5) and, with ``observed`` (n, 5), per-actor counts
    of permutations at or above the observed count."""
    n = net.n
    a, b, c = open_two_paths(net)
    rng = np.random.default_rng(seed)
    sums = np.zeros((permutations, 5))
    ge = np.zeros((n, 5))
    if not len(a):
        if observed is not None:
            ge += permutations * (observed <= 1e-9)
        return sums, ge
    step = max(1, _CHUNK_CELLS // len(a))
    done = 0
    while done < permutations:
        k = min(step, permutations - done)
        P = np.empty((k, n), dtype=np.int64)
        for i in range(k):
            P[i] = codes[rng.permutation(n)]
        r = _roles(P[:, a], P[:, b], P[:, c])
        row = np.arange(k)[:, None]
        sums[done:done + k] = np.bincount((row * 5 + r).ravel(),
                                          minlength=k * 5).reshape(k, 5)
        if observed is not None:
            per = np.bincount(((row * n + b) * 5 + r).ravel(), minlength=k * n * 5)
            per = per.reshape(k, n, 5)
            ge += (per >= observed[None, :, :] - 1e-9).sum(axis=0)
        done += k
    return sums, ge


def check(fractional, permutations):
    """Reject options that cannot be combined with a permutation test."""
    if permutations and fractional:
        raise InputError("The permutation test counts whole two-paths; it cannot be combined "
                         f"with {either('fractional=True', '--fractional')}. Fix: drop "
                         f"{either('fractional', '--fractional')}, or "
                         f"{either('permutations', '--permutations')}.")
