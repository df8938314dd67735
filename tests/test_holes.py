"""Burt's structural holes: hand-computed values, networkx's per-node path, igraph, UCINET ego."""

from __future__ import annotations

import math

import igraph as ig
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influence.errors import InputError
from influence.holes import structural_holes

from fixtures import FIXTURES


def star_with_tie():
    return nx.Graph([("hub", "a"), ("hub", "b"), ("hub", "c"), ("a", "b")])


def test_hand_computed_star():
    r = structural_holes(star_with_tie())
    # hub: 3 contacts, 1 tie among them: ES = n - 2t/n = 3 - 2/3 (Borgatti 1997)
    assert r.loc["hub", "effective_size"] == pytest.approx(3 - 2 / 3)
    assert r.loc["hub", "efficiency"] == pytest.approx((3 - 2 / 3) / 3)
    # c_hub,a = (1/3 + 1/3 * 1/2)^2 = 1/4 (twice), c_hub,c = 1/9
    assert r.loc["hub", "constraint"] == pytest.approx(0.5 + 1 / 9)
    c = np.array([0.25, 0.25, 1 / 9])
    ratio = c / c.mean()
    assert r.loc["hub", "hierarchy"] == pytest.approx((ratio * np.log(ratio)).sum()
                                                      / (3 * math.log(3)))
    # a pendant: one contact, fully constrained, hierarchy 1 by convention
    assert r.loc["c"].tolist()[:4] == [1, 1.0, 1.0, 1.0]
    assert r.loc["c", "hierarchy"] == 1.0


def test_isolates_are_nan():
    G = nx.Graph([(1, 2)])
    G.add_node(3)
    G.add_edge(4, 4)
    r = structural_holes(G)
    assert r.loc[[3, 4], ["effective_size", "efficiency", "constraint", "hierarchy"]] \
        .isna().all().all()
    assert r.loc[[3, 4], "contacts"].tolist() == [0, 0]


def weighted(seed, directed):
    rnd = np.random.default_rng(seed)
    G = nx.gnp_random_graph(14, 0.35, seed=seed, directed=directed)
    for u, v in G.edges:
        G[u][v]["strength"] = float(rnd.integers(1, 4))
    return G


@pytest.mark.parametrize("directed", [False, True])
def test_weighted_matches_networkx_per_node_path(directed):
    """The pitfall of specs/algorithms.md §2: networkx's nodes=None path is wrong when weighted."""
    G = weighted(7, directed)
    ours = structural_holes(G)
    per_node = nx.effective_size(G, nodes=list(G), weight="strength")
    constraint = nx.constraint(G, weight="strength")
    # networkx's per-node path treats a node with only in-ties as isolated (it looks at G[v])
    nodes = [v for v in G if not directed or G.out_degree(v)]
    for v in nodes:
        assert ours.loc[v, "effective_size"] == pytest.approx(per_node[v], nan_ok=True)
        assert ours.loc[v, "constraint"] == pytest.approx(constraint[v], nan_ok=True)
    # ... and the vectorised nodes=None path differs (the networkx bug this test catches)
    vectorised = nx.effective_size(G, weight="strength")
    assert any(not math.isclose(vectorised[v], per_node[v]) for v in nodes)


def test_matches_igraph_constraint_weighted():
    G = weighted(11, False)
    nodes = list(G)
    g = ig.Graph(n=len(nodes), edges=[(nodes.index(u), nodes.index(v)) for u, v in G.edges])
    g.es["w"] = [G[u][v]["strength"] for u, v in G.edges]
    expected = g.constraint(weights="w")
    ours = structural_holes(G)["constraint"]
    for i, v in enumerate(nodes):
        if G.degree(v):
            assert ours.loc[v] == pytest.approx(expected[i])


def test_unweighted_borgatti_shortcut():
    G = nx.karate_club_graph()
    r = structural_holes(G, weight=None)
    for v in G:
        alters = set(G[v])
        t = G.subgraph(alters).number_of_edges()
        n = len(alters)
        assert r.loc[v, "effective_size"] == pytest.approx(n - 2 * t / n)


def test_ego_scope_ucinet():
    # a's ego network {a, hub, b}: p_hub,b = 1/2 inside it (1/3 in the whole network), so
    # c_a,hub = (1/2 + 1/2 * 1/2)^2 and c_a,b = (1/2 + 1/2 * 1/2)^2: constraint 1.125 > 1
    ego = structural_holes(star_with_tie(), scope="ego")
    whole = structural_holes(star_with_tie())
    assert ego.loc["a", "constraint"] == pytest.approx(1.125)
    assert whole.loc["a", "constraint"] == pytest.approx(0.5625 + (0.5 + 0.5 / 3) ** 2)
    assert ego.loc["a", "hierarchy"] == pytest.approx(0.0)
    # effective size is the same in both scopes on binary data
    np.testing.assert_allclose(ego["effective_size"], whole["effective_size"])
    # every tie of the hub's contacts lies inside the hub's ego network: same as whole
    assert ego.loc["hub", "constraint"] == pytest.approx(whole.loc["hub", "constraint"])


def test_ego_scope_matches_direct_formula():
    G = weighted(5, False)
    ego = structural_holes(G, scope="ego")
    W = {u: {v: d["strength"] for v, d in G[u].items()} for u in G}
    for i in G:
        N = set(W[i])
        if not N:
            continue
        tot = sum(W[i].values())
        total = 0.0
        for j in N:
            indirect = 0.0
            for q in N - {j}:
                inside = sum(w for k, w in W[q].items() if k in N or k == i)
                indirect += W[i][q] / tot * W[q].get(j, 0.0) / inside
            total += (W[i][j] / tot + indirect) ** 2
        assert ego.loc[i, "constraint"] == pytest.approx(total)


def test_bad_scope():
    with pytest.raises(InputError, match="scope='ego'"):
        structural_holes(star_with_tie(), scope="local")


def test_fixtures_run():
    for name, make in FIXTURES.items():
        r = structural_holes(make())
        assert list(r.columns) == ["contacts", "effective_size", "efficiency", "constraint",
                                   "hierarchy"], name


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 12), st.floats(0.1, 0.9), st.integers(0, 1000), st.booleans())
def test_property_networkx_agreement_and_relabelling(n, p, seed, directed):
    G = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    rnd = np.random.default_rng(seed)
    for u, v in G.edges:
        G[u][v]["strength"] = float(rnd.integers(1, 4))
    ours = structural_holes(G)
    con = nx.constraint(G, weight="strength")
    for v in G:
        assert ours.loc[v, "constraint"] == pytest.approx(con[v], nan_ok=True)
    mapping = {v: f"x{(v * 7919) % 10007}" for v in G}
    again = structural_holes(nx.relabel_nodes(G, mapping)).loc[[mapping[v] for v in G]]
    np.testing.assert_allclose(again.to_numpy(dtype=float), ours.to_numpy(dtype=float),
                               equal_nan=True)


def test_min_strength_with_weight_none_filters_by_strength():
    # regression: with weight=None, min_strength compared the all-1 weights and dropped every tie
    G = nx.Graph()
    G.add_edge("a", "b", strength=3.0)
    G.add_edge("b", "c", strength=3.0)
    G.add_edge("a", "c", strength=1.0)
    r = structural_holes(G, weight=None, min_strength=2)
    want = structural_holes(nx.Graph([("a", "b"), ("b", "c")]), weight=None)
    np.testing.assert_allclose(r.to_numpy(dtype=float), want.to_numpy(dtype=float),
                               equal_nan=True)
    assert r.loc["b", ["contacts", "effective_size", "constraint"]].tolist() == [2, 2.0, 0.5]


def test_parallel_ties_are_summed_as_burt_expects():
    """Spec §2: multi-edges are summed into one weighted edge before the measures."""
    import networkx as nx

    from influence import structural_holes

    M = nx.MultiGraph()
    M.add_edge("i", "j", strength=1)
    M.add_edge("i", "j", strength=2)
    M.add_edge("i", "k", strength=3)
    M.add_edge("j", "k", strength=1)
    G = nx.Graph()
    G.add_edge("i", "j", strength=3)
    G.add_edge("i", "k", strength=3)
    G.add_edge("j", "k", strength=1)
    ours = structural_holes(M)
    ref = nx.effective_size(G, nodes=list(G), weight="strength")
    for v in G:
        assert abs(ours.loc[v, "effective_size"] - ref[v]) < 1e-12
        assert abs(ours.loc[v, "constraint"] - nx.constraint(G, weight="strength")[v]) < 1e-12
