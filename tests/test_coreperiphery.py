"""Borgatti-Everett core/periphery (spec §3.2-3.3): exact optima, recomputable fits, MINRES."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import least_squares

from fixtures import from_graph, permutation, relabel
from influence.coreperiphery import core_periphery
from influence.errors import InputError


def pearson_fit(A, core, pattern):
    """The spec's fit, recomputed naively from the matrix (diagonal excluded)."""
    n = len(A)
    obs, ideal = [], []
    for i, j in itertools.product(range(n), repeat=2):
        if i == j:
            continue
        if pattern == "core_block":
            if core[i] != core[j]:
                continue
            ideal.append(1.0 if core[i] else 0.0)
        else:
            ideal.append(1.0 if (core[i] or core[j]) else 0.0)
        obs.append(A[i, j])
    return np.corrcoef(obs, ideal)[0, 1]


def brute_force(A, pattern):
    n = len(A)
    best, arg = -np.inf, None
    for mask in range(1, 2 ** n - 1):
        core = [(mask >> i) & 1 == 1 for i in range(n)]
        with np.errstate(invalid="ignore", divide="ignore"):
            f = pearson_fit(A, core, pattern)
        if not np.isnan(f) and f > best + 1e-12:
            best, arg = f, core
    return best, arg


@pytest.mark.parametrize("pattern", ["core_block", "core_periphery_tie"])
def test_exhaustive_optimum_matches_brute_force(pattern):
    G = nx.Graph([(0, 1), (0, 2), (1, 2), (2, 3), (0, 4), (3, 5), (1, 6), (5, 6)])
    A = nx.to_numpy_array(G, nodelist=range(7))
    best, arg = brute_force(A, pattern)
    cp = core_periphery(G, pattern=pattern)
    assert cp.method == "exhaustive"
    assert cp.fit == pytest.approx(best)
    assert cp.table["core"].tolist() == arg


@pytest.mark.parametrize("pattern", ["core_block", "core_periphery_tie"])
def test_florentine_exact_optimum_and_hill_climbing_agree(pattern):
    G = nx.florentine_families_graph()
    exact = core_periphery(G, pattern=pattern)
    climbed = core_periphery(G, pattern=pattern, exhaustive=False, seed=1)
    assert exact.method == "exhaustive" and climbed.method == "hill-climbing"
    assert climbed.fit == pytest.approx(exact.fit)
    A = nx.to_numpy_array(G, nodelist=list(G))
    assert exact.fit == pytest.approx(pearson_fit(A, exact.table["core"].tolist(), pattern))
    if pattern == "core_block":
        assert set(exact.table.index[exact.table["core"]]) == {"Medici", "Ridolfi",
                                                               "Tornabuoni"}


@pytest.mark.parametrize("pattern", ["core_block", "core_periphery_tie"])
def test_karate_hill_climbing_is_a_local_optimum_with_a_true_fit(pattern):
    G = nx.karate_club_graph()
    cp = core_periphery(G, pattern=pattern, seed=0)
    A = nx.to_numpy_array(G, nodelist=list(G), weight=None)
    core = cp.table["core"].to_numpy()
    assert cp.fit == pytest.approx(pearson_fit(A, core, pattern))
    for i in range(len(core)):  # no single flip improves the fit
        flipped = core.copy()
        flipped[i] = ~flipped[i]
        with np.errstate(invalid="ignore", divide="ignore"):
            f = pearson_fit(A, flipped, pattern)
        assert np.isnan(f) or f <= cp.fit + 1e-12
    again = core_periphery(G, pattern=pattern, seed=0)
    pd.testing.assert_frame_equal(cp.table, again.table)  # deterministic for a seed
    assert {0, 33} <= set(cp.table.index[cp.table["core"]])


def test_directed_cells_enter_as_they_are():
    D = nx.DiGraph([(0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1), (3, 0), (4, 1), (5, 2)])
    cp = core_periphery(D)
    assert cp.table["core"].tolist() == [True, True, True, False, False, False]
    A = nx.to_numpy_array(D, nodelist=range(6))
    assert cp.fit == pytest.approx(pearson_fit(A, cp.table["core"].tolist(), "core_block"))


def test_continuous_minres_equals_least_squares():
    G = nx.florentine_families_graph()
    A = nx.to_numpy_array(G, nodelist=list(G), weight=None)
    n = len(A)
    off = ~np.eye(n, dtype=bool)
    res = least_squares(lambda c: (A - np.outer(c, c))[off], np.full(n, 0.5),
                        xtol=1e-15, ftol=1e-15, gtol=1e-15)
    ref = np.abs(res.x) / np.linalg.norm(res.x)
    cp = core_periphery(G, model="continuous")
    c = cp.table["coreness"].to_numpy()
    np.testing.assert_allclose(c, ref, atol=1e-3)
    assert np.linalg.norm(c) == pytest.approx(1.0)
    assert cp.fit == pytest.approx(np.corrcoef(A[off], np.outer(c, c)[off])[0, 1], abs=1e-9)


@pytest.mark.parametrize("G", [nx.karate_club_graph(), nx.davis_southern_women_graph()])
def test_continuous_minres_is_a_stationary_point(G):
    """The gradient of sum_{i != j} (a_ij - c_i c_j)^2 vanishes at the reported solution."""
    A = nx.to_numpy_array(G, nodelist=list(G), weight=None)
    off = ~np.eye(len(A), dtype=bool)
    u = core_periphery(G, model="continuous").table["coreness"].to_numpy()
    U = np.outer(u, u)
    c = u * np.sqrt((A * U)[off].sum() / (U[off] ** 2).sum())  # best scale of the direction
    R = np.where(off, A - np.outer(c, c), 0.0)
    grad = -4 * R @ c
    assert np.abs(grad).max() < 1e-3


def test_degenerate_and_bad_input():
    empty = core_periphery(nx.empty_graph(3))
    assert not empty.table["core"].any() and np.isnan(empty.fit)
    assert np.isnan(core_periphery(nx.empty_graph(3), model="continuous").fit)
    with pytest.raises(InputError, match="Unknown core/periphery model 'fuzzy'. Fix"):
        core_periphery(nx.path_graph(3), model="fuzzy")
    with pytest.raises(InputError, match="pattern 'x'"):
        core_periphery(nx.path_graph(3), pattern="x")
    with pytest.raises(InputError, match="too slow"):
        core_periphery(nx.path_graph(30), exhaustive=True)


@settings(max_examples=15, deadline=None)
@given(st.integers(4, 11), st.floats(0.15, 0.7), st.integers(0, 1000))
def test_relabelling_invariance_and_bounds(n, p, seed):
    G = nx.gnp_random_graph(n, p, seed=seed)
    m = from_graph(G)
    mapping = permutation(list(m.actors.index), seed=seed)
    back = {v: k for k, v in mapping.items()}
    for model in ("discrete", "continuous"):
        a = core_periphery(m, model=model)
        b = core_periphery(relabel(m, mapping), model=model)
        assert (np.isnan(a.fit) and np.isnan(b.fit)) or a.fit == pytest.approx(b.fit)
        assert a.fit != a.fit or -1 <= a.fit <= 1 + 1e-12
        if model == "continuous":
            # the same coreness values (when the leading eigenvalue is repeated the optimum is
            # not unique, so which actors get them may differ; the values cannot)
            np.testing.assert_allclose(np.sort(b.table["coreness"]),
                                       np.sort(a.table["coreness"]), atol=1e-4)
            if len(set(np.round(a.table["coreness"], 6))) == len(a.table):
                t = b.table.rename(index=back).loc[a.table.index]
                np.testing.assert_allclose(t["coreness"], a.table["coreness"], atol=1e-4)
