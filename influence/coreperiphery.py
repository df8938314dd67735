"""Borgatti-Everett core/periphery: the discrete (core or not) and continuous (coreness) models.

"Core" here means a *densely interconnected block* of actors, not "well connected to
everyone": the UCINET default pattern in particular tends to pick a small dense clique.
k-cores (Seidman) are the ``core_number`` column of :func:`influence.centrality`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError, either
from .graph import network
from .result import Result

__all__ = ["core_periphery", "CorePeriphery", "PATTERNS"]

#: Discrete ideal patterns: UCINET's default first.
PATTERNS = ("core_block", "core_periphery_tie")
_EXHAUSTIVE_MAX = 16


@dataclass
class CorePeriphery(Result):
    """The result of :func:`core_periphery` (a :class:`~influence.result.Result`).

    Attributes
    ----------
    table : pandas.DataFrame
        The main table, indexed by actor id: ``kind``, ``name`` and ``core`` (bool, discrete
        model) or ``coreness`` (float, unit length, continuous model).
    fit : float
        Pearson correlation between the data and the ideal pattern (NaN when undefined, e.g.
        no ties).
    model : str
        ``"discrete"`` or ``"continuous"``.
    pattern : str or None
        The discrete pattern used.
    method : str
        ``"exhaustive"`` (the optimum), ``"hill-climbing"`` or ``"minres"``.
    sentences : list of str
        ``[]``: the result is in the table and the fit.
    """

    table: object
    fit: float
    model: str
    pattern: str | None
    method: str

    def __repr__(self) -> str:
        what = (f"{int(self.table['core'].sum())} of {len(self.table)} actors in the core"
                if self.model == "discrete" else f"{len(self.table)} actors")
        return f"<CorePeriphery {self.model} ({self.method}): {what}, fit {self.fit:.3f}>"

    @property
    def sentences(self) -> list:
        """Findings in plain English: none (``[]``); the figures are in the tables."""
        return []


def core_periphery(m, *, model="discrete", pattern="core_block", seed=0, weight=None,
                   starts=None, exhaustive=None, max_iter=10000, tol=1e-5):
    """Borgatti & Everett (2000) core/periphery structure.

    **Discrete model.** Split the actors into core C and periphery P to maximise the Pearson
    correlation between the adjacency matrix and an ideal pattern, diagonal excluded
    (docs/algorithms.md §3.2). ``pattern="core_block"`` (UCINET's default): core-core cells
    ideally 1, periphery-periphery 0, core-periphery cells left out.
    ``pattern="core_periphery_tie"``: every cell touching the core ideally 1,
    periphery-periphery 0, all cells used (the pattern of ``cpnet.BE``). Directed data are used as
    they are (both cells of a pair enter). Up to 16 actors every split is tried, so the optimum is
    exact (``exhaustive=True`` forces it up to 22); otherwise steepest-ascent single-actor flips
    from a degree-based start and random starts (each actor in the core with p = 0.384; 20 starts
    below 50 actors, 10 below 150, 3 above, as UCINET), deterministic for a ``seed``. Equal fits:
    the first split found.

    **Continuous model** (docs/algorithms.md §3.3). Coreness c >= 0 minimising sum over i != j of
    (s_ij - c_i c_j)^2 with S = (A + A^T)/2, by UCINET's MINRES iteration: start from the
    principal eigenvector, put c_i^2 on the diagonal and take the leading eigenpair
    (c = sqrt(lambda) v) until the loadings move less than ``tol``. Coreness is reported with
    unit length (sum c^2 = 1) as UCINET does; fit is the Pearson correlation of S and c c^T
    over the off-diagonal cells. When the leading eigenvalue is repeated (e.g. two equal
    separate cliques) the optimum is not unique: the values are, which actors get them is not.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    model : {"discrete", "continuous"}
    pattern : {"core_block", "core_periphery_tie"}
        Discrete pattern (ignored by the continuous model).
    seed : int
        Seed of the random starts.
    weight : str, optional
        Use tie strengths as values (default None: 1 per tie).
    starts : int, optional
        Number of random starts (default as UCINET).
    exhaustive : bool, optional
        Force (True) or forbid (False) trying every split; default: when at most 16 actors.
    max_iter, tol :
        Limits of the MINRES iteration.

    Returns
    -------
    CorePeriphery

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.coreperiphery import core_periphery
    >>> G = nx.complete_graph(4)
    >>> G.add_edges_from([(0, 4), (1, 5), (2, 6)])
    >>> cp = core_periphery(G)
    >>> cp.table["core"].tolist(), round(cp.fit, 3)
    ([True, True, True, False, False, False, False], 1.0)
    >>> cp = core_periphery(G, model="continuous")
    >>> int(cp.table["coreness"].idxmax()) in {0, 1, 2}
    True

    References
    ----------
    .. [1] Borgatti, S. P. & Everett, M. G. (2000). Models of core/periphery structures.
       *Social Networks* 21(4), 375-395.
    .. [2] Borgatti, S. P., Everett, M. G. & Freeman, L. C. (2002). *UCINET for Windows:
       Software for Social Network Analysis*. Analytic Technologies.
    .. [3] Estevez, J. L. & Nordlund, C. (2025). Revising the Borgatti-Everett core-periphery
       model. *Social Networks* 81, 31-51.
    """
    if model not in ("discrete", "continuous"):
        raise InputError(f"Unknown core/periphery model {model!r}. Fix: use model='discrete' "
                         "or model='continuous'.")
    if model == "discrete" and pattern not in PATTERNS:
        raise InputError(f"Unknown core/periphery pattern {pattern!r}. Fix: use one of "
                         f"{', '.join(PATTERNS)}.")
    net = network(m, weight=weight)
    A = net.adjacency(weighted=weight is not None).tocsr()
    A.setdiag(0)
    A.eliminate_zeros()
    if model == "discrete":
        core, fit, method = _discrete(A, pattern, seed, starts, exhaustive)
        col = {"core": core}
    else:
        coreness, fit = _minres(A, max_iter, tol)
        col, method, pattern = {"coreness": coreness}, "minres", None
    return CorePeriphery(net.table(col), float(fit), model, pattern, method)


# --- discrete --------------------------------------------------------------------------------
def _pearson(sxy, sx, sxx, sy, syy, N):
    """Pearson correlation from sums (arrays allowed); NaN where a variance is 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = sxy - sx * sy / N
        vx = sxx - sx * sx / N
        vy = syy - sy * sy / N
        ok = (vx > 1e-12) & (vy > 1e-12) & (N > 1)
        return np.where(ok, cov / np.sqrt(np.where(ok, vx * vy, 1.0)), np.nan)


def _fit(pattern, nC, n, s_cc, s_pp, q_cc, q_pp, tot, tot2):
    """Fit of splits given core size and within-block sums of a and a^2 (ordered cells)."""
    nP = n - nC
    ccells, pcells = nC * (nC - 1), nP * (nP - 1)
    if pattern == "core_block":
        N = ccells + pcells
        return _pearson(s_cc, s_cc + s_pp, q_cc + q_pp, ccells, ccells, N)
    N = n * (n - 1)
    ones = N - pcells
    return _pearson(tot - s_pp, tot, tot2, ones, ones, N)


def _discrete(A, pattern, seed, starts, exhaustive):
    n = A.shape[0]
    A2 = A.multiply(A).tocsr()
    M, M2 = (A + A.T).tocsr(), (A2 + A2.T).tocsr()
    tot, tot2 = float(A.sum()), float(A2.sum())
    if exhaustive is None:
        exhaustive = n <= _EXHAUSTIVE_MAX
    if exhaustive and n > 22:
        raise InputError(f"Exhaustive search over {n} actors (2^{n} splits) is too slow. Fix: "
                         "leave exhaustive unset (hill-climbing) or use at most 22 actors.")
    if n < 2 or tot == 0:
        return np.zeros(n, dtype=bool), np.nan, "exhaustive" if exhaustive else "hill-climbing"
    if exhaustive:
        best, fit = _enumerate(A.toarray(), A2.toarray(), pattern, tot, tot2)
        return best, fit, "exhaustive"
    rng = np.random.default_rng(seed)
    if starts is None:
        starts = 20 if n < 50 else 10 if n < 150 else 3
    deg = np.asarray(M.sum(axis=1)).ravel()
    first = np.zeros(n, dtype=bool)  # degree-based cut: the top sqrt(n) by degree
    first[np.argsort(-deg, kind="stable")[: max(2, int(round(np.sqrt(n))))]] = True
    best, best_fit = None, -np.inf
    for s in range(starts + 1):
        c = first if s == 0 else rng.random(n) < 0.384
        c, f = _climb(c.copy(), M, M2, pattern, n, tot, tot2)
        if f > best_fit + 1e-12:
            best, best_fit = c, f
    if best is None:
        return np.zeros(n, dtype=bool), np.nan, "hill-climbing"
    return best, best_fit, "hill-climbing"


def _sums(c, M, M2):
    ci = c.astype(float)
    rc, rc2 = M @ ci, M2 @ ci  # each actor's ties (both directions) to the core
    return rc, rc2


def _climb(c, M, M2, pattern, n, tot, tot2, max_steps=100000):
    deg, deg2 = np.asarray(M.sum(axis=1)).ravel(), np.asarray(M2.sum(axis=1)).ravel()
    for _ in range(max_steps):
        rc, rc2 = _sums(c, M, M2)
        rp, rp2 = deg - rc, deg2 - rc2
        s_cc, q_cc = rc[c].sum() / 2, rc2[c].sum() / 2
        s_pp, q_pp = rp[~c].sum() / 2, rp2[~c].sum() / 2
        nC = int(c.sum())
        now = _fit(pattern, nC, n, s_cc, s_pp, q_cc, q_pp, tot, tot2)
        now = -np.inf if np.isnan(now) else float(now)
        sign = np.where(c, -1, 1)  # flipping i: out of the core (-1) or into it (+1)
        f_cc = s_cc + sign * rc
        f_pp = s_pp - sign * rp
        g_cc = q_cc + sign * rc2
        g_pp = q_pp - sign * rp2
        fits = _fit(pattern, nC + sign, n, f_cc, f_pp, g_cc, g_pp, tot, tot2)
        fits = np.where(np.isnan(fits), -np.inf, fits)
        i = int(np.argmax(fits))
        if not fits[i] > now + 1e-12:
            return c, now
        c[i] = ~c[i]
    return c, now  # pragma: no cover


def _enumerate(A, A2, pattern, tot, tot2):
    """Every split (core non-empty, periphery non-empty); the first best in bit order."""
    n = A.shape[0]
    best_fit, best_mask = -np.inf, None
    bits = 1 << np.arange(n)
    chunk = 1 << 15
    for lo in range(1, (1 << n) - 1, chunk):
        masks = np.arange(lo, min(lo + chunk, (1 << n) - 1))
        B = ((masks[:, None] & bits) > 0).astype(float)
        P = 1.0 - B
        s_cc = np.einsum("ij,ij->i", B @ A, B)
        s_pp = np.einsum("ij,ij->i", P @ A, P)
        q_cc = np.einsum("ij,ij->i", B @ A2, B)
        q_pp = np.einsum("ij,ij->i", P @ A2, P)
        nC = B.sum(axis=1)
        fits = _fit(pattern, nC, n, s_cc, s_pp, q_cc, q_pp, tot, tot2)
        fits = np.where(np.isnan(fits), -np.inf, fits)
        i = int(np.argmax(fits))
        if fits[i] > best_fit + 1e-12:
            best_fit, best_mask = float(fits[i]), int(masks[i])
    if best_mask is None:
        return np.zeros(n, dtype=bool), np.nan
    return (best_mask & bits) > 0, best_fit


# --- continuous ------------------------------------------------------------------------------
def _minres(A, max_iter, tol):
    n = A.shape[0]
    if n == 0:
        return np.zeros(0), np.nan
    S = ((A + A.T) / 2).toarray() if n <= 2000 else None
    if S is None:
        discrete = either("model='discrete'", "--model discrete")
        raise InputError(f"The continuous core/periphery model is limited to 2000 actors "
                         f"(this map has {n}). Fix: use {discrete}, or a subset.")
    np.fill_diagonal(S, 0.0)
    if not S.any():
        return np.zeros(n), np.nan
    lam, vec = np.linalg.eigh(S)
    c = np.abs(vec[:, -1]) * np.sqrt(max(lam[-1], 0.0))
    for _ in range(max_iter):
        np.fill_diagonal(S, c * c)
        lam, vec = np.linalg.eigh(S)
        new = np.abs(vec[:, -1]) * np.sqrt(max(lam[-1], 0.0))
        done = np.max(np.abs(new - c)) < tol
        c = new
        if done:
            break
    np.fill_diagonal(S, 0.0)
    norm = np.linalg.norm(c)
    core = c / norm if norm else c
    off = ~np.eye(n, dtype=bool)
    pred = np.outer(core, core)[off]
    obs = S[off]
    fit = _pearson(float((obs * pred).sum()), float(obs.sum()), float((obs ** 2).sum()),
                   float(pred.sum()), float((pred ** 2).sum()), float(off.sum()))
    return core, float(fit)
