"""Bonding and bridging: who is tied to whom across groups (E-I index, assortativity).

:func:`ei_index` is Krackhardt & Stern's E-I index for the whole map, each group and each
actor, with the value expected from the group sizes and a permutation test that shuffles the
groups (UCINET's test), vectorised over permutations. :func:`assortativity` is Newman's
attribute assortativity, equal to networkx's ``attribute_assortativity_coefficient`` and
``numeric_assortativity_coefficient``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError, either
from .result import Result, alias

__all__ = ["ei_index", "assortativity", "EIIndex"]

_CHUNK_CELLS = 20_000_000  # cap on permutations x ties held at once


@dataclass
class EIIndex(Result):
    """The result of :func:`ei_index` (a :class:`~influence.result.Result`).

    Attributes
    ----------
    ei, expected, perm_mean, p_value : float
        The whole map's E-I index, its value expected from the group sizes, the mean over the
        permutations and the permutation p-value (NaN without permutations).
    internal, external : float
        Ties (or tie strength) inside one group and between groups.
    groups : pandas.DataFrame
        One row per group (index ``group``): ``size``, ``internal``, ``external``, ``ei``,
        ``expected``, ``perm_mean``, ``p_value``.
    table : pandas.DataFrame
        The main table, every actor's E-I, indexed by actor id: ``group``, ``internal``,
        ``external``, ``ei``, ``expected``, ``perm_mean``, ``p_value``.
    actors : pandas.DataFrame
        The same table as ``table`` (its name before the result convention).
    by : str
    permutations : int
    sentence : str
        The whole map's E-I in plain English.
    sentences : list of str
        ``[sentence]``.
    """

    ei: float
    expected: float
    perm_mean: float
    p_value: float
    internal: float
    external: float
    groups: object
    table: object
    by: str
    permutations: int

    actors = alias("table")

    def __repr__(self) -> str:
        return f"<EIIndex by {self.by}: E-I {self.ei:+.3f} (expected {self.expected:+.3f})>"

    @property
    def sentence(self) -> str:
        """The whole map's E-I in plain English."""
        if self.ei != self.ei:
            return f"The map has no ties, so no E-I index by {self.by}."
        lean = ("most ties are inside a group (bonding)" if self.ei < -0.1 else
                "most ties cross between groups (bridging)" if self.ei > 0.1 else
                "ties are split about evenly between inside and across groups")
        out = (f"E-I index by {self.by}: {self.ei:+.2f} ({lean}); with these group sizes "
               f"random ties would give {self.expected:+.2f}.")
        if self.permutations:
            out += (f" Shuffling the groups {self.permutations} times gives {self.perm_mean:+.2f}"
                    f" on average; p = {self.p_value:.3f}.")
        return out

    @property
    def sentences(self) -> list:
        """The finding in plain English: ``[sentence]``."""
        return [self.sentence]


def ei_index(m, *, by, permutations=0, seed=None, weight=None, min_strength=None):
    """Krackhardt & Stern's E-I index: ties inside groups against ties between them.

    ``E-I = (E - I) / (E + I)`` where ``E`` counts ties between two groups (external) and
    ``I`` ties inside one group (internal): -1 when every tie is inside a group (bonding, an
    inward-looking network), +1 when every tie crosses between groups (bridging). It is
    computed for

    * the **whole map** (every tie once);
    * each **group**: ``I`` = ties between two members, ``E`` = ties from a member to a
      non-member;
    * each **actor**: ``I`` = ties to its own group, ``E`` = ties to other groups (NaN for an
      actor without ties).

    Ties are taken undirected (a directed tie, or a reciprocated pair, links two actors once)
    and binary unless ``weight`` names a tie attribute, whose values are then summed (as
    UCINET does with valued data).

    ``expected`` is the E-I index that random ties would give with these group sizes (the
    E-I of the complete graph: ``I_max`` pairs inside groups, ``E_max`` between; for an actor
    ``n_g - 1`` and ``N - n_g``). Large groups make ties inside more likely, so compare ``ei``
    with ``expected``, not with 0.

    With ``permutations > 0`` the group labels are shuffled among the actors that many times
    (group sizes and ties kept: UCINET's permutation test), and ``p_value`` is the two-sided
    share of permutations whose E-I is at least as far from the permutation mean as the
    observed one, ``(1 + count) / (1 + permutations)``. The permutations are computed as
    arrays (no Python loop per permutation): 1,000 permutations at 10k actors take seconds.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    by : str or mapping
        The actor attribute that defines the groups (``sub_area``, ``sector``, ``kind`` ...), or
        a Series/dict from actor id to group (e.g. ``communities(m).table["community"]``).
        Every actor needs a group.
    permutations : int
        Number of random relabellings for the p-values (0: none).
    seed : int, optional
        Seed of the permutations (numpy ``default_rng``): the same seed gives the same p-values.
    weight : str, optional
        Tie attribute to sum instead of counting ties (e.g. ``"strength"``).
    min_strength : float, optional
        Ignore ties weaker than this.

    Returns
    -------
    EIIndex
        ``.ei`` (whole map), ``.groups`` and ``.actors`` tables.

    Raises
    ------
    InputError
        ``by`` is not an actor attribute, some actors have no group (named), or
        ``permutations`` is negative.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises:
       an experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.
    .. [2] Borgatti, S. P., Everett, M. G. & Freeman, L. C. (2002). UCINET for Windows,
       Network > Cohesion > E-I Index (expected values and the permutation test).
    .. [3] Everett, M. G. & Borgatti, S. P. (2012). Categorical attribute based centrality:
       E-I and G-F centrality. *Social Networks* 34(4), 562-569.

    Examples
    --------
    Two teams of three: four ties inside the teams, two between them.

    >>> import networkx as nx
    >>> from influence.mixing import ei_index
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("x", "y"), ("y", "z"), ("c", "x"), ("a", "z")])
    >>> nx.set_node_attributes(G, dict(a="A", b="A", c="A", x="X", y="X", z="X"), "team")
    >>> r = ei_index(G, by="team")
    >>> round(r.ei, 3), round(r.expected, 3)
    (-0.333, 0.2)
    >>> r.actors.loc[["a", "b"], ["internal", "external", "ei"]]
        internal  external   ei
    id
    a        1.0       1.0  0.0
    b        2.0       0.0 -1.0
    """
    from .graph import network

    permutations = permutation_count(permutations)

    net = network(m, weight=weight, min_strength=min_strength, directed=False).undirected()
    groups = partition(net, by)
    import pandas as pd

    codes, labels = pd.factorize(pd.Series(groups, dtype=object), sort=True)
    codes = np.asarray(codes, dtype=np.int64)
    n, k = net.n, len(labels)
    w = net.strength if weight is not None else np.ones(net.m)
    sizes = np.bincount(codes, minlength=k).astype(float)
    deg = (np.bincount(net.src, weights=w, minlength=n)
           + np.bincount(net.dst, weights=w, minlength=n)) if n else np.zeros(0)
    g_int, g_ext, a_int = (x.astype(float) for x in _counts(codes, net.src, net.dst, w, n, k))
    deg = np.asarray(deg, dtype=float)
    total = float(w.sum())
    internal = float(g_int.sum())
    N = float(n)
    pairs_in = (sizes * (sizes - 1) / 2).sum()
    exp_net = _ei(N * (N - 1) / 2 - pairs_in, pairs_in)
    exp_grp = _ei(sizes * (N - sizes), sizes * (sizes - 1) / 2)
    exp_act = _ei(N - sizes[codes], sizes[codes] - 1) if n else np.zeros(0)
    obs = (_ei(total - internal, internal), _ei(g_ext, g_int), _ei(deg - a_int, a_int))
    perm = _permute(codes, net.src, net.dst, w, n, k, deg, total, obs, permutations, seed)
    (pm_net, p_net), (pm_grp, p_grp), (pm_act, p_act) = perm
    names = np.array([str(x) for x in labels], dtype=object)
    table_g = pd.DataFrame({"size": sizes.astype(np.int64), "internal": g_int,
                            "external": g_ext, "ei": obs[1], "expected": exp_grp,
                            "perm_mean": pm_grp, "p_value": p_grp},
                           index=pd.Index(names, dtype=object, name="group"))
    table_a = pd.DataFrame({"group": pd.array(names[codes], dtype="string"),
                            "internal": a_int, "external": deg - a_int, "ei": obs[2],
                            "expected": exp_act, "perm_mean": pm_act, "p_value": p_act},
                           index=net.index)
    name = by if isinstance(by, str) else (getattr(by, "name", None) or "group")
    return EIIndex(ei=float(obs[0]), expected=float(exp_net), perm_mean=float(pm_net),
                   p_value=float(p_net), internal=internal, external=total - internal,
                   groups=table_g, table=table_a, by=str(name), permutations=permutations)


def permutation_count(permutations):
    """The number of permutations as a whole number >= 0, or a clear error."""
    try:
        value = int(permutations)
    except (TypeError, ValueError):
        value = -1
    if value < 0 or value != permutations:
        raise InputError(f"The number of permutations ({permutations!r}) must be a whole "
                         f"number, 0 or more. Fix: pass e.g. "
                         f"{either('permutations=1000', '--permutations 1000')} (0 for no test).")
    return value


def _ei(external, internal):
    external = np.asarray(external, dtype=float)
    internal = np.asarray(internal, dtype=float)
    tot = external + internal
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(tot > 0, (external - internal) / np.where(tot > 0, tot, 1.0), np.nan)


def _counts(codes, src, dst, w, n, k):
    """Internal and external tie weight per group, internal weight per actor."""
    cu, cv = codes[src], codes[dst]
    same = cu == cv
    g_int = np.bincount(cu[same], weights=w[same], minlength=k)
    g_ext = (np.bincount(cu[~same], weights=w[~same], minlength=k)
             + np.bincount(cv[~same], weights=w[~same], minlength=k))
    a_int = (np.bincount(src[same], weights=w[same], minlength=n)
             + np.bincount(dst[same], weights=w[same], minlength=n))
    return g_int, g_ext, a_int


def _permute(codes, src, dst, w, n, k, deg, total, obs, permutations, seed):
    """(perm mean, two-sided p) for the network, groups and actors under shuffled labels."""
    nan = (float("nan"), float("nan"))
    if not permutations or not n:
        return (nan, (np.full(k, np.nan), np.full(k, np.nan)),
                (np.full(n, np.nan), np.full(n, np.nan)))
    rng = np.random.default_rng(seed)
    perms = np.empty((permutations, n), dtype=np.int64)
    for b in range(permutations):
        perms[b] = codes[rng.permutation(n)]
    m = len(src)
    net_ei = np.empty(permutations)
    grp_ei = np.empty((permutations, k))
    act_ei = np.empty((permutations, n))
    step = max(1, _CHUNK_CELLS // max(m, n, 1))
    for start in range(0, permutations, step):
        P = perms[start:start + step]
        c = len(P)
        cu, cv = P[:, src], P[:, dst]
        same = cu == cv
        ws = same * w
        internal = ws.sum(axis=1)
        net_ei[start:start + c] = _ei(total - internal, internal)
        row = np.arange(c)[:, None]
        gi = np.bincount((row * k + cu).ravel(), weights=ws.ravel(), minlength=c * k)
        wx = (~same) * w
        ge = (np.bincount((row * k + cu).ravel(), weights=wx.ravel(), minlength=c * k)
              + np.bincount((row * k + cv).ravel(), weights=wx.ravel(), minlength=c * k))
        grp_ei[start:start + c] = _ei(ge, gi).reshape(c, k)
        ai = (np.bincount((row * n + src).ravel(), weights=ws.ravel(), minlength=c * n)
              + np.bincount((row * n + dst).ravel(), weights=ws.ravel(), minlength=c * n))
        act_ei[start:start + c] = _ei(np.tile(deg, c) - ai, ai).reshape(c, n)
    return (_pvalue(net_ei[:, None], np.atleast_1d(obs[0])),
            _pvalue(grp_ei, obs[1]), _pvalue(act_ei, obs[2]))


def _pvalue(samples, observed):
    """(mean, two-sided p) per column; NaN where the statistic is undefined."""
    with np.errstate(invalid="ignore"):
        valid = ~np.isnan(samples)
        count = valid.sum(axis=0)
        mean = np.where(count > 0, np.nansum(samples, axis=0) / np.maximum(count, 1), np.nan)
        dist = np.abs(samples - mean)
        far = np.abs(observed - mean)
        hits = (valid & (dist >= far - 1e-12)).sum(axis=0)
        p = np.where((count > 0) & ~np.isnan(observed), (1 + hits) / (1 + count), np.nan)
    if mean.shape == (1,):
        return float(mean[0]), float(p[0])
    return mean, p


def partition(net, by):
    """The group of every actor in node order (a complete partition), or a clear error."""
    import pandas as pd

    if isinstance(by, str):
        return net.partition(by, needs="Grouping", because="groups need a complete partition")
    if isinstance(by, dict):
        by = pd.Series(by, dtype=object)
    if not isinstance(by, pd.Series):
        raise InputError(f"by={type(by).__name__} is not an attribute name or a mapping from "
                         "actor id to group. Fix: pass e.g. by='sub_area', or a Series indexed "
                         "by actor id.")  # Python only: the command line always gives a name
    values = by.reindex(net.ids)
    missing = [str(i) for i, v in zip(net.ids, values.tolist(), strict=True) if v is None or v != v]
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more"
                                           if len(missing) > 10 else "")
        raise InputError(f"{len(missing)} actors have no group: {shown}. Fix: give every actor "
                         "a group.")
    return values.to_numpy(dtype=object)


def assortativity(m, *, by, min_strength=None):
    """Newman's attribute assortativity: do actors tie to others like themselves?

    For each attribute in ``by``, ``nominal`` is the assortativity coefficient of the
    categories, ``r = (sum_i e_ii - sum_i a_i b_i) / (1 - sum_i a_i b_i)`` with ``e`` the
    share of ties between categories (networkx's ``attribute_assortativity_coefficient``),
    and ``numeric`` (when every value is a number) the Pearson correlation of the values at
    the two ends of a tie (networkx's ``numeric_assortativity_coefficient``). Both run from
    -1 (ties always join different values) through 0 (no pattern) to +1 (ties only join equal
    values). An undirected tie counts both ways and a directed tie from source to target, as
    in networkx; parallel ties count once and self-loops are dropped
    (:func:`influence.graph.network`).

    Actors with no value for an attribute are left out of it with their ties; ``actors`` and
    ``ties`` say how many were used.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    by : str or list of str
        Actor attributes (e.g. ``["sector", "kind", "sub_area"]``).
    min_strength : float, optional
        Ignore ties weaker than this.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``attribute``: ``nominal``, ``numeric`` (NaN unless numeric), ``actors``,
        ``ties``.

    References
    ----------
    .. [1] Newman, M. E. J. (2003). Mixing patterns in networks. *Physical Review E* 67,
       026126.
    .. [2] Hagberg, A., Schult, D. & Swart, P. (2008). Exploring network structure, dynamics,
       and function using NetworkX (``networkx.algorithms.assortativity``).

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.mixing import assortativity
    >>> G = nx.Graph([(0, 1), (1, 2), (2, 3), (3, 0)])
    >>> nx.set_node_attributes(G, {0: 1, 1: 1, 2: 5, 3: 5}, "age")
    >>> assortativity(G, by="age")
             nominal  numeric  actors  ties
    attribute
    age          0.0      0.0       4     4
    >>> nx.attribute_assortativity_coefficient(G, "age")
    0.0
    """
    import pandas as pd

    from .graph import network

    attrs = [by] if isinstance(by, str) else list(by or [])
    if not attrs:
        one = either("by='sector'", "--by sector")
        two = either("by=['sector', 'kind']", "--by sector --by kind")
        raise InputError(f"assortativity needs at least one attribute. Fix: pass {one} or a "
                         f"list such as {two}.")
    net = network(m, weight=None, min_strength=min_strength)
    src, dst = net.src, net.dst
    if not net.directed:
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    rows = []
    for attr in attrs:
        if not isinstance(attr, str) or attr not in net.actors.columns:
            raise InputError(f'"{attr}" is not an actor attribute. Fix: use one of '
                             f"{', '.join(map(str, net.actors.columns[:12]))}.")
        if attr.startswith("private_"):
            raise InputError(f'Cannot use "{attr}": private_* columns never leave the '
                             "machine. Fix: choose another attribute.")
        values = net.actors[attr].reindex(net.ids).astype(object)
        known = values.notna().to_numpy() & np.array([not isinstance(v, (list, tuple))
                                                      for v in values.tolist()], dtype=bool)
        keep = known[src] & known[dst] if len(src) else np.zeros(0, dtype=bool)
        s, d = src[keep], dst[keep]
        codes, _ = pd.factorize(values.where(pd.Series(known, index=values.index)))
        nominal = _nominal(codes[s], codes[d], int(codes.max()) + 1 if len(codes) else 0)
        numbers = pd.to_numeric(values[known], errors="coerce")
        numeric = float("nan")
        if len(numbers) and numbers.notna().all() and not values[known].map(
                lambda v: isinstance(v, (bool, np.bool_, str))).any():
            x = np.full(net.n, np.nan)
            x[np.flatnonzero(known)] = numbers.to_numpy(dtype=float)
            numeric = _pearson(x[s], x[d])
        n_ties = int(keep.sum()) // (1 if net.directed else 2)
        rows.append((attr, nominal, numeric, int(known.sum()), n_ties))
    frame = pd.DataFrame(rows, columns=["attribute", "nominal", "numeric", "actors", "ties"])
    frame = frame.set_index("attribute")
    return frame.astype({"nominal": float, "numeric": float, "actors": np.int64,
                         "ties": np.int64})


def _nominal(a, b, k):
    if not len(a) or not k:
        return float("nan")
    e = np.bincount(a * k + b, minlength=k * k).reshape(k, k) / len(a)
    s = float((e.sum(axis=0) * e.sum(axis=1)).sum())
    return float((np.trace(e) - s) / (1 - s)) if abs(1 - s) > 1e-15 else float("nan")


def _pearson(x, y):
    if len(x) < 2:
        return float("nan")
    xm, ym = x - x.mean(), y - y.mean()
    den = np.sqrt((xm ** 2).mean() * (ym ** 2).mean())
    return float((xm * ym).mean() / den) if den > 0 else float("nan")
