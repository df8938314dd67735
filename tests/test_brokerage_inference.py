"""Brokerage inference: sna's network-level z (z.gli) re-derived, permutation p-values."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influence.brokerage import brokerage, brokers
from influence.brokerage_inference import _roles, brokerage_totals, open_two_paths
from influence.errors import InputError
from influence.graph import network


def sna_gli(N, m_arcs, n):
    """sna::brokerage's exp.gli and sd.gli, transcribed loop by loop from R/models.R."""
    d = m_arcs / (N * (N - 1))
    q = d ** 2 * (1 - d)
    a3, a4, a5 = d ** 3 * (1 - d) ** 3, d ** 4 * (1 - d) ** 2, d ** 5 * (1 - d)
    e, v = [0.0] * 6, [0.0] * 6
    e[0] = q * sum(x * (x - 1) * (x - 2) for x in n)
    v[0] = e[0] * (1 - q) + sum(x * (x - 1) * (x - 2) * ((4 * x - 10) * a3 - 4 * (x - 3) * a4
                                                         + (x - 3) * a5) for x in n)
    e[1] = q * sum(x * (N - x) * (x - 1) for x in n)
    v[1] = e[1] * (1 - q) + (
        sum(x * y * (x - 1) * ((2 * x + 2 * y - 6) * a3 + (N - x - 1) * a5)
            for x in n for y in n)
        - sum(x * x * (x - 1) * ((4 * x - 6) * a3 + (N - x - 1) * a5) for x in n))
    e[2] = q * sum(x * (N - x) * (x - 1) for x in n)
    v[2] = e[2] * (1 - q) + sum(x * (N - x) * (x - 1) * ((N - 3) * a3 + (x - 2) * a5)
                                for x in n)
    e[3], v[3] = e[2], v[2]
    e[4] = q * (sum(x * y * (N - x - y) for x in n for y in n) - sum(x * x * (N - 2 * x)
                                                                     for x in n))
    v[4] = e[4] * (1 - q)
    k = len(n)
    for i in range(k):
        for j in range(k):
            for h in range(k):
                if i != j and j != h and i != h:
                    v[4] += n[i] * n[j] * n[h] * (
                        (4 * (N - n[j]) - 2 * (n[i] + n[h] + 1)) * a3
                        - (4 * (N - n[h]) - 2 * (n[i] + n[j] + 1)) * a4
                        + (N - (n[i] + n[h] + 1)) * a5)
    e[5] = q * N * (N - 1) * (N - 2)
    v[5] = e[5] * (1 - q) + N * (N - 1) * (N - 2) * ((4 * N - 10) * a3 - 4 * (N - 3) * a4
                                                      + (N - 3) * a5)
    return np.array(e), np.sqrt(np.maximum(v, 0))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(4, 25), p=st.floats(0.1, 0.6), k=st.integers(1, 5),
       seed=st.integers(0, 10_000), directed=st.booleans())
def test_totals_equal_sna_z_gli_rederived(n, p, k, seed, directed):
    G = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    rng = np.random.default_rng(seed)
    nx.set_node_attributes(G, {v: int(rng.integers(0, k)) for v in G}, "g")
    t = brokerage_totals(G, by="g")
    roles = brokerage(G, by="g")
    cols = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total"]
    assert t["observed"].tolist() == pytest.approx(roles[cols].sum().tolist())
    arcs = G.number_of_edges() * (1 if directed else 2)
    sizes = [float(x) for x in pd.Series([G.nodes[v]["g"] for v in G]).value_counts()]
    exp, sd = sna_gli(float(n), arcs, sizes)
    assert t["expected"].to_numpy() == pytest.approx(exp, rel=1e-9, abs=1e-9)
    assert t["sd"].to_numpy() == pytest.approx(sd, rel=1e-7, abs=1e-7)
    ok = sd > 1e-9
    z = (t["observed"].to_numpy() - exp) / np.where(ok, sd, 1)
    assert t["z"].to_numpy()[ok] == pytest.approx(z[ok], rel=1e-6, abs=1e-6)
    # the global expectation is the sum of the per-actor expectations (spec 1.2)
    per_actor = roles[[f"{c}_expected" for c in cols]].sum().to_numpy()
    assert exp == pytest.approx(per_actor, rel=1e-9, abs=1e-9)


def test_open_two_paths_reclassified_equal_the_sparse_counts():
    G = nx.gnp_random_graph(40, 0.12, seed=4, directed=True)
    nx.set_node_attributes(G, {v: v % 4 for v in G}, "g")
    net = network(G)
    a, b, c = open_two_paths(net)
    codes = np.array([G.nodes[v]["g"] for v in G])
    r = _roles(codes[a], codes[b], codes[c])
    counts = np.zeros((net.n, 5))
    np.add.at(counts, (b, r), 1)
    roles = brokerage(G, by="g")
    cols = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]
    assert np.array_equal(counts, roles[cols].to_numpy())


def test_per_actor_pvalues_match_a_plain_loop_and_repeat_with_a_seed():
    G = nx.karate_club_graph()
    a = brokerage(G, by="club", permutations=60, seed=3)
    b = brokerage(G, by="club", permutations=60, seed=3)
    pd.testing.assert_frame_equal(a, b)
    rng = np.random.default_rng(3)
    labels = np.array([G.nodes[v]["club"] for v in G], dtype=object)
    codes, _ = pd.factorize(pd.Series(labels))
    cols = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]
    observed = a[cols].to_numpy()
    hits = np.zeros_like(observed)
    for _ in range(60):
        perm = codes[rng.permutation(len(codes))]
        H = G.copy()
        nx.set_node_attributes(H, dict(zip(H, perm.tolist(), strict=True)), "p")
        hits += brokerage(H, by="p")[cols].to_numpy() >= observed
    expected = (1 + hits) / 61
    assert np.allclose(a[[f"{c}_p" for c in cols]].to_numpy(), expected)


def test_permutation_pvalues_are_uniform_under_the_null():
    """Random groups on random graphs: the network coordinator p-value is ~uniform."""
    rng = np.random.default_rng(7)
    ps = []
    for _ in range(150):
        G = nx.gnp_random_graph(20, 0.2, seed=int(rng.integers(1 << 30)), directed=True)
        nx.set_node_attributes(G, {v: int(rng.integers(0, 3)) for v in G}, "g")
        t = brokerage_totals(G, by="g", permutations=99, seed=int(rng.integers(1 << 30)))
        ps.append(t.loc["coordinator", "p_value"])
    ps = np.array(ps)
    for cut in (0.1, 0.25, 0.5):
        assert (ps <= cut).mean() <= cut + 0.1
        assert (ps <= cut).mean() >= cut - 0.15  # slightly conservative: ties in counts


def test_small_groups_z_is_undefined_but_permutation_works():
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    nx.set_node_attributes(G, dict(a="X", b="X", c="Y", d="Y"), "g")
    roles = brokerage(G, by="g", permutations=20, seed=1)
    assert roles["coordinator_z"].isna().all()  # groups of two: variance 0
    assert roles["coordinator_p"].notna().all()


def test_permutations_cannot_be_fractional():
    G = nx.path_graph(4)
    nx.set_node_attributes(G, {v: v % 2 for v in G}, "g")
    with pytest.raises(InputError, match="cannot be combined with fractional=True"):
        brokerage(G, by="g", fractional=True, permutations=10)


def test_brokers_without_by_uses_communities_and_says_so():
    import influence

    karate = influence.datasets.load("karate")
    t = brokers(karate)
    assert t["group"].str.startswith("community ").all()
    assert t.attrs["groups"].startswith("Groups: no grouping was given, so the ")
    assert "communities found by the Leiden method" in t.attrs["groups"]
    assert brokers(karate, by="sector").attrs["groups"] == "Groups: the actors' sector."
