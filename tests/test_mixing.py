"""E-I index (hand-computed toy, permutation test) and assortativity (equal to networkx)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influence.errors import InputError
from influence.mixing import assortativity, ei_index


def _toy():
    """Teams A = {a, b, c} and X = {x, y, z, w}; 5 ties inside teams, 3 between them."""
    G = nx.Graph([("a", "b"), ("b", "c"), ("x", "y"), ("y", "z"), ("z", "w"),
                  ("c", "x"), ("a", "z"), ("a", "w")])
    nx.set_node_attributes(G, dict(a="A", b="A", c="A", x="X", y="X", z="X", w="X"), "team")
    return G


def test_hand_computed_ei_on_a_toy():
    r = ei_index(_toy(), by="team")
    # whole network: E = 3, I = 5 -> (3 - 5) / 8
    assert r.ei == pytest.approx(-0.25)
    assert (r.internal, r.external) == (5.0, 3.0)
    # expected from the sizes: 21 pairs, inside 3 + 6 = 9, between 12 -> (12 - 9) / 21
    assert r.expected == pytest.approx(3 / 21)
    g = r.groups
    # team A: inside a-b, b-c (2); outside c-x, a-z, a-w (3) -> 1/5
    assert g.loc["A", ["internal", "external"]].tolist() == [2.0, 3.0]
    assert g.loc["A", "ei"] == pytest.approx(0.2)
    # team X: inside x-y, y-z, z-w (3); outside 3 -> 0
    assert g.loc["X", "ei"] == pytest.approx(0.0)
    # expected for A: pairs inside 3, to X 3 * 4 = 12 -> 9/15
    assert g.loc["A", "expected"] == pytest.approx(9 / 15)
    a = r.actors
    # actor a: ties b (inside), z, w (outside) -> 1/3; expected (4 - 2) / 6
    assert a.loc["a", ["internal", "external"]].tolist() == [1.0, 2.0]
    assert a.loc["a", "ei"] == pytest.approx(1 / 3)
    assert a.loc["a", "expected"] == pytest.approx(2 / 6)
    assert a.loc["b", "ei"] == -1.0
    assert a["p_value"].isna().all() and np.isnan(r.p_value)


def test_weighted_ei_sums_strengths_and_directed_pairs_count_once():
    G = nx.DiGraph()
    G.add_edge("a", "b", strength=3)
    G.add_edge("b", "a", strength=1)
    G.add_edge("b", "c", strength=2)
    nx.set_node_attributes(G, dict(a="A", b="A", c="C"), "g")
    binary = ei_index(G, by="g")
    assert (binary.internal, binary.external) == (1.0, 1.0)
    weighted = ei_index(G, by="g", weight="strength")
    assert (weighted.internal, weighted.external) == (3.0, 2.0)  # strongest of the pair


def test_a_mapping_gives_the_groups():
    G = _toy()
    by = pd.Series({n: d["team"] for n, d in G.nodes(data=True)})
    assert ei_index(G, by=by).ei == ei_index(G, by="team").ei


def test_missing_groups_and_bad_permutations_are_clear_errors():
    G = _toy()
    G.nodes["b"]["team"] = None
    with pytest.raises(InputError, match=r'Grouping needs a "team" for every actor; 1 have '
                                         r"none: b"):
        ei_index(G, by="team")
    with pytest.raises(InputError, match="1 actors have no group: b"):
        ei_index(G, by={n: "A" for n in G if n != "b"})
    with pytest.raises(InputError, match=r"The number of permutations \(-1\) must be a whole"):
        ei_index(_toy(), by="team", permutations=-1)


def test_permutation_pvalues_are_reproducible_with_a_seed():
    G = nx.karate_club_graph()
    a = ei_index(G, by="club", permutations=300, seed=7)
    b = ei_index(G, by="club", permutations=300, seed=7)
    assert a.p_value == b.p_value
    pd.testing.assert_frame_equal(a.actors, b.actors)
    # the two factions are strongly inward-looking: far from chance
    assert a.ei < a.expected and a.p_value < 0.01
    assert a.perm_mean == pytest.approx(a.expected, abs=0.05)


def test_permutations_match_a_plain_loop():
    """The vectorised permutations equal recomputing the E-I for each relabelling."""
    G = nx.gnp_random_graph(25, 0.2, seed=2)
    nx.set_node_attributes(G, {n: "ABC"[n % 3] for n in G}, "g")
    r = ei_index(G, by="g", permutations=50, seed=11)
    rng = np.random.default_rng(11)
    labels = np.array([G.nodes[n]["g"] for n in G], dtype=object)
    codes, _ = pd.factorize(pd.Series(labels), sort=True)
    values = []
    for _ in range(50):
        perm = codes[rng.permutation(len(codes))]
        values.append(ei_index(G, by=dict(zip(G, perm.tolist(), strict=True))).ei)
    assert r.perm_mean == pytest.approx(np.mean(values), abs=1e-12)
    hits = sum(abs(v - np.mean(values)) >= abs(r.ei - np.mean(values)) - 1e-12 for v in values)
    assert r.p_value == pytest.approx((1 + hits) / 51)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_pvalue_is_uniform_under_the_null_single(seed):
    """A single draw: the p-value is a valid probability (property-style smoke check)."""
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(30, 0.15, seed=int(rng.integers(1 << 30)))
    labels = {n: int(rng.integers(0, 3)) for n in G}
    r = ei_index(G, by=labels, permutations=49, seed=seed)
    assert np.isnan(r.p_value) or 1 / 50 <= r.p_value <= 1


def test_pvalues_are_uniform_under_the_null():
    """Random labels on random graphs: p-values spread evenly over (0, 1]."""
    rng = np.random.default_rng(2026)
    ps = []
    for _ in range(200):
        G = nx.gnp_random_graph(40, 0.12, seed=int(rng.integers(1 << 30)))
        labels = {n: int(rng.integers(0, 3)) for n in G}
        ps.append(ei_index(G, by=labels, permutations=99,
                           seed=int(rng.integers(1 << 30))).p_value)
    ps = np.array(ps)
    # the share below each cut is close to the cut (a valid test is at most slightly
    # conservative because the E-I index takes few distinct values)
    for cut in (0.1, 0.25, 0.5, 0.75):
        assert abs((ps <= cut).mean() - cut) < 0.1, (cut, (ps <= cut).mean())
    from scipy import stats

    assert stats.kstest(ps, "uniform").pvalue > 0.001


# --- assortativity ----------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(n=st.integers(3, 30), p=st.floats(0.1, 0.6), seed=st.integers(0, 10_000),
       k=st.integers(2, 4), directed=st.booleans())
def test_assortativity_equals_networkx(n, p, seed, k, directed):
    G = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    rng = np.random.default_rng(seed)
    for v in G:
        G.nodes[v]["colour"] = "rgby"[int(rng.integers(0, k))]
        G.nodes[v]["age"] = int(rng.integers(18, 90))
    if not G.number_of_edges():
        return
    ours = assortativity(G, by=["colour", "age"])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nominal = nx.attribute_assortativity_coefficient(G, "colour")
        numeric = nx.numeric_assortativity_coefficient(G, "age")
        age_nominal = nx.attribute_assortativity_coefficient(G, "age")
    for got, want in ((ours.loc["colour", "nominal"], nominal),
                      (ours.loc["age", "numeric"], numeric),
                      (ours.loc["age", "nominal"], age_nominal)):
        if np.isfinite(want):
            assert got == pytest.approx(want, abs=1e-9)
        else:
            assert np.isnan(got)
    assert np.isnan(ours.loc["colour", "numeric"])
    assert ours.loc["colour", "ties"] == G.number_of_edges()


def test_assortativity_leaves_out_actors_without_a_value_and_says_so():
    G = nx.Graph([(0, 1), (1, 2), (2, 3)])
    nx.set_node_attributes(G, {0: "a", 1: "a", 2: "b"}, "g")
    r = assortativity(G, by="g")
    assert r.loc["g", "actors"] == 3 and r.loc["g", "ties"] == 2
    H = G.subgraph([0, 1, 2])
    assert r.loc["g", "nominal"] == pytest.approx(nx.attribute_assortativity_coefficient(H, "g"))


def test_assortativity_errors():
    G = nx.path_graph(3)
    with pytest.raises(InputError, match='"colour" is not an actor attribute'):
        assortativity(G, by="colour")
    with pytest.raises(InputError, match="needs at least one attribute"):
        assortativity(G, by=[])
