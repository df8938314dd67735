"""Gould-Fernandez brokerage roles: hand-enumerated toys, sna's moments, brute force, brokers()."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influence.brokerage import ROLES, brokerage, brokers
from influence.errors import InputError

from fixtures import FIXTURES, make_map


def brute(G, group, fractional=False):
    """Independent enumeration of every open two-path a -> b -> c (sna's classification order)."""
    D = G if G.is_directed() else G.to_directed()
    out = {v: dict.fromkeys(ROLES, 0.0) for v in D}
    for a in D:
        for b in D.successors(a):
            if b == a:
                continue
            for c in D.successors(b):
                if c in (a, b) or D.has_edge(a, c):
                    continue
                k = sum(1 for x in D.successors(a) if x not in (a, c) and D.has_edge(x, c))
                ga, gb, gc = group[a], group[b], group[c]
                if gb == ga:
                    role = "coordinator" if gb == gc else "representative"
                elif gb == gc:
                    role = "gatekeeper"
                elif ga == gc:
                    role = "itinerant"
                else:
                    role = "liaison"
                out[b][role] += 1.0 / k if fractional else 1.0
    return out


def toy():
    """Groups X = {a, b, f}, Y = {c, d}, Z = {e}; every open two-path enumerated below."""
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("b", "e"), ("e", "c"), ("d", "b"),
                    ("b", "f")])
    nx.set_node_attributes(G, {"a": "X", "b": "X", "f": "X", "c": "Y", "d": "Y", "e": "Z"}, "g")
    return G


def test_hand_enumerated_directed_toy():
    # b: in {a, d}, out {c, e, f}
    #   a->b->c  X X Y representative     a->b->e  X X Z representative
    #   a->b->f  X X X coordinator        d->b->c  Y X Y itinerant (c->d does not close it)
    #   d->b->e  Y X Z liaison            d->b->f  Y X X gatekeeper
    # c: b->c->d  X Y Y gatekeeper; e->c->d  Z Y Y gatekeeper
    # d: c->d->b  Y Y X representative
    # e: b->e->c is closed by b->c
    r = brokerage(toy(), by="g")
    assert r.loc["b", list(ROLES)].tolist() == [1, 1, 2, 1, 1]
    assert r.loc["c", list(ROLES)].tolist() == [0, 0, 0, 2, 0]
    assert r.loc["d", list(ROLES)].tolist() == [0, 0, 1, 0, 0]
    assert r.loc[["a", "e", "f"], "total"].tolist() == [0, 0, 0]
    assert r.loc["b", "total"] == 6
    assert r["group"].tolist() == ["X", "X", "Y", "Y", "Z", "X"]


def test_undirected_ties_count_both_ways():
    # one open path a - b - c, all in one group: a->b->c and c->b->a
    G = nx.Graph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, "A", "g")
    assert brokerage(G, by="g").loc["b", "coordinator"] == 2
    half = brokerage(G, by="g", ordered=False)
    assert half.loc["b", "coordinator"] == 1
    # z-scores do not change when counts and expectations are halved
    full = brokerage(G, by="g")
    assert half.loc["b", "total_expected"] == pytest.approx(full.loc["b", "total_expected"] / 2)
    assert half.loc["b", "total_z"] == pytest.approx(full.loc["b", "total_z"])
    # across groups: representative == gatekeeper for every actor
    H = nx.Graph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(H, {"a": "A", "b": "A", "c": "B"}, "g")
    r = brokerage(H, by="g")
    assert (r.loc["b", "representative"], r.loc["b", "gatekeeper"]) == (1, 1)


def test_ordered_false_rejects_directed():
    with pytest.raises(InputError, match="ordered=True"):
        brokerage(toy(), by="g", ordered=False)


def test_fractional_credit():
    # a reaches c through b1 and b2: each broker gets 1/2 with fractional=True
    G = nx.DiGraph([("a", "b1"), ("a", "b2"), ("b1", "c"), ("b2", "c")])
    nx.set_node_attributes(G, "A", "g")
    full = brokerage(G, by="g")
    frac = brokerage(G, by="g", fractional=True)
    assert full.loc[["b1", "b2"], "coordinator"].tolist() == [1, 1]
    assert frac.loc[["b1", "b2"], "coordinator"].tolist() == [0.5, 0.5]
    assert frac["coordinator_z"].isna().all()


def test_expected_values_and_z_by_hand():
    # chain a->b->c->d, two groups of 2: N=4, m=3, d=1/4
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y", "d": "Y"}, "g")
    r = brokerage(G, by="g")
    d = 3 / 12
    q, rr = d * d * (1 - d), d ** 3 * (1 - d) ** 3
    e_t = q * 3 * 2
    v_t = e_t * (1 - q) + 2 * 3 * 2 * 1 * rr
    assert r.loc["b", "total_expected"] == pytest.approx(e_t)
    assert r.loc["b", "total_z"] == pytest.approx((1 - e_t) / math.sqrt(v_t))
    e_rep = q * (4 - 2) * (2 - 1)
    v_rep = e_rep * (1 - q) + 2 * ((2 - 1) * math.comb(2, 2) + 2 * math.comb(1, 2)) * rr
    assert r.loc["b", "representative_z"] == pytest.approx((1 - e_rep) / math.sqrt(v_rep))
    # variance 0 -> NaN: coordinator in groups of two, liaison with only two groups
    assert r["coordinator_z"].isna().all() and r["liaison_z"].isna().all()
    assert (r["coordinator_expected"] == 0).all()


def sna_moments(sizes, N, arcs, i):
    """A literal transcription of the loop in sna::brokerage (R/models.R) for broker class i."""
    n = np.asarray(sizes, float)
    d = arcs / (N * (N - 1))
    o = np.delete(n, i)

    def ch(x):
        return x * (x - 1) / 2

    e = [d**2 * (1 - d) * (n[i] - 1) * (n[i] - 2),
         d**2 * (1 - d) * np.sum(o * (o - 1)),
         d**2 * (1 - d) * (N - n[i]) * (n[i] - 1),
         d**2 * (1 - d) * (N - n[i]) * (n[i] - 1),
         d**2 * (1 - d) * (np.sum(np.outer(o, o)) - np.sum(o**2)),
         d**2 * (1 - d) * (N - 1) * (N - 2)]
    v = [e[0] * (1 - d**2 * (1 - d)) + 2 * (n[i] - 1) * (n[i] - 2) * (n[i] - 3) * d**3 * (1 - d)**3,
         e[1] * (1 - d**2 * (1 - d)) + 2 * np.sum(o * (o - 1) * (o - 2)) * d**3 * (1 - d)**3,
         e[2] * (1 - d**2 * (1 - d)) + 2 * ((n[i] - 1) * ch(N - n[i]) + (N - n[i]) * ch(n[i] - 1))
         * d**3 * (1 - d)**3]
    v += [v[2],
          e[4] * (1 - d**2 * (1 - d)) + 4 * np.sum(o * ch(N - o - n[i]) * d**3 * (1 - d)**3),
          e[5] * (1 - d**2 * (1 - d)) + 2 * (N - 1) * (N - 2) * (N - 3) * d**3 * (1 - d)**3]
    return e, v


def test_moments_match_sna_transcription():
    G = nx.gnp_random_graph(30, 0.15, seed=3, directed=True)
    groups = {v: "ABCD"[v % 4] for v in G}
    nx.set_node_attributes(G, groups, "g")
    r = brokerage(G, by="g")
    sizes = [sum(1 for v in G if groups[v] == k) for k in "ABCD"]
    cols = [*ROLES, "total"]
    for v in (0, 1, 2, 3):
        e, var = sna_moments(sizes, 30.0, G.number_of_edges(), "ABCD".index(groups[v]))
        for col, ev, vv in zip(cols, e, var, strict=False):
            assert r.loc[v, f"{col}_expected"] == pytest.approx(ev)
            z = (r.loc[v, col] - ev) / math.sqrt(vv) if vv > 0 else math.nan
            assert r.loc[v, f"{col}_z"] == pytest.approx(z, nan_ok=True)


def test_missing_labels_are_named():
    G = nx.path_graph(4)
    nx.set_node_attributes(G, {0: "A", 1: "A", 2: None}, "g")
    with pytest.raises(InputError, match=r'"g" for every actor; 2 have none: 2, 3'):
        brokerage(G, by="g")
    with pytest.raises(InputError, match='no actor attribute "sector"'):
        brokerage(G, by="sector")


def test_influence_map_and_min_strength():
    m = make_map(
        [{"id": "a", "kind": "resident", "sub_area": "N"},
         {"id": "b", "kind": "resident", "sub_area": "N"},
         {"id": "c", "kind": "resident", "sub_area": "S"}],
        [{"source": "a", "target": "b", "strength": 3.0},
         {"source": "b", "target": "c", "strength": 1.0}])
    r = brokerage(m, by="sub_area")
    assert r.index.name == "id" and list(r.index) == ["a", "b", "c"]
    assert (r.loc["b", "representative"], r.loc["b", "gatekeeper"]) == (1, 1)
    assert brokerage(m, by="sub_area", min_strength=2)["total"].sum() == 0


def test_fixtures_run():
    for name, make in FIXTURES.items():
        r = brokerage(make(), by="kind")
        assert np.allclose(r[list(ROLES)].sum(axis=1), r["total"]), name


graphs = st.builds(
    lambda n, p, seed, directed, k: (nx.gnp_random_graph(n, p, seed=seed, directed=directed), k),
    st.integers(1, 12), st.floats(0.0, 0.8), st.integers(0, 10_000), st.booleans(),
    st.integers(1, 4))


@settings(max_examples=60, deadline=None)
@given(graphs, st.booleans(), st.randoms(use_true_random=False))
def test_matches_brute_force(gk, fractional, rnd):
    G, k = gk
    group = {v: rnd.randrange(k) for v in G}
    nx.set_node_attributes(G, group, "g")
    r = brokerage(G, by="g", fractional=fractional)
    expected = brute(G, group, fractional)
    for v in G:
        for role in ROLES:
            assert r.loc[v, role] == pytest.approx(expected[v][role])
    assert np.allclose(r[list(ROLES)].sum(axis=1), r["total"])
    if not G.is_directed():
        assert np.allclose(r["representative"], r["gatekeeper"])


@settings(max_examples=25, deadline=None)
@given(graphs, st.randoms(use_true_random=False))
def test_relabelling_invariance(gk, rnd):
    G, k = gk
    nx.set_node_attributes(G, {v: rnd.randrange(k) for v in G}, "g")
    perm = list(G)
    rnd.shuffle(perm)
    mapping = {v: f"n{perm[i]}" for i, v in enumerate(G)}
    H = nx.relabel_nodes(G, mapping)
    a = brokerage(G, by="g").rename(index=mapping)
    b = brokerage(H, by="g").loc[a.index]
    np.testing.assert_allclose(a.drop(columns="group").to_numpy(dtype=float),
                               b.drop(columns="group").to_numpy(dtype=float), equal_nan=True)


def test_brokers_table():
    G = nx.Graph([("a1", "a2"), ("a2", "b1"), ("b1", "d1"), ("b1", "c1")])
    nx.set_node_attributes(G, {"a1": "A", "a2": "A", "b1": "B", "d1": "D", "c1": "C"}, "village")
    t = brokers(G, by="village")
    assert t.index[0] == "b1"  # most brokered paths
    assert t.loc["b1", "main_role"] == "liaison" and t.loc["b1", "liaison"] == 6
    assert t.loc["b1", "explanation"] == ("Mostly links different groups, neither of them "
                                          "their own (6 of 6 brokered paths).")
    gf = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
    assert not any(w in x.lower() for x in t["explanation"] for w in gf)  # plain words only
    assert t.loc["a1", "main_role"] == "none"
    assert t.loc["b1", "betweenness"] == pytest.approx(nx.betweenness_centrality(G)["b1"])
    assert t.loc["b1", "effective_size"] == pytest.approx(3.0)
    assert {"kind", "name", "group", "total_z", "constraint", "hierarchy"} <= set(t.columns)


@pytest.mark.parametrize("year", [2019, 2023])
def test_demo_area_brokers(year):
    """The data card (datasets/hollinford/README.md) names ruth_ellis and bev_norris."""
    from influence.datasets import load
    from influence.schema import PERSON_KINDS

    t = brokers(load("hollinford", year=year), by="sub_area")
    people = t[t["kind"].isin(list(PERSON_KINDS))]
    assert people.index[0] == "ruth_ellis"  # highest total brokerage of any person
    assert people["betweenness"].idxmax() == "ruth_ellis"
    assert "bev_norris" in people.nlargest(5, "betweenness").index
    roles = brokerage(load("hollinford", year=year), by="sub_area")
    assert roles.loc["bev_norris", "representative_z"] > 5
    assert roles.loc["ruth_ellis", "total_z"] > 5


def test_min_strength_filters_by_strength_not_the_ignored_weights():
    # regression: min_strength compared the all-1 weights (weight=None), dropping every tie
    G = nx.Graph()
    G.add_edge("a", "b", strength=3.0)
    G.add_edge("b", "c", strength=3.0)
    G.add_edge("a", "c", strength=1.0)  # weak: closes the triangle unless dropped
    nx.set_node_attributes(G, {"a": "N", "b": "N", "c": "S"}, "g")
    assert brokerage(G, by="g")["total"].sum() == 0
    r = brokerage(G, by="g", min_strength=2)
    assert r.loc["b", ["representative", "gatekeeper", "total"]].tolist() == [1.0, 1.0, 2.0]
    assert r["total"].sum() == 2
    t = brokers(G, by="g", weight=None, min_strength=2)
    assert t.loc["b", "total"] == 2 and t.loc["b", "effective_size"] == 2.0
