"""Communities: modularity equal to networkx's, igraph's partitions, options and errors."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influence.communities import METHODS, communities, modularity
from influence.errors import InputError


def _parts(table):
    return [set(g.index) for _, g in table.groupby("community")]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 30), p=st.floats(0.05, 0.6), seed=st.integers(0, 10_000),
       k=st.integers(1, 5), resolution=st.sampled_from([0.5, 1.0, 2.0]),
       weighted=st.booleans())
def test_modularity_equals_networkx_on_random_graphs(n, p, seed, k, resolution, weighted):
    G = nx.gnp_random_graph(n, p, seed=seed)
    if not G.number_of_edges():
        return
    rng = np.random.default_rng(seed)
    for u, v in G.edges:
        G.edges[u, v]["strength"] = float(rng.integers(1, 4))
    labels = rng.integers(0, k, size=n)
    parts = [set(np.flatnonzero(labels == c).tolist()) for c in range(k)]
    parts = [x for x in parts if x]
    ours = modularity(G, labels, resolution=resolution, weighted=weighted)
    theirs = nx.algorithms.community.modularity(
        G, parts, weight="strength" if weighted else None, resolution=resolution)
    assert ours == pytest.approx(theirs, abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(3, 40), p=st.floats(0.05, 0.5), seed=st.integers(0, 10_000),
       method=st.sampled_from(METHODS))
def test_reported_modularity_is_networkx_modularity_of_the_partition(n, p, seed, method):
    G = nx.gnp_random_graph(n, p, seed=seed)
    c = communities(G, method=method, weight=None, seed=seed)
    assert len(c.table) == n
    if not G.number_of_edges():
        assert np.isnan(c.modularity)
        return
    theirs = nx.algorithms.community.modularity(G, _parts(c.table))
    assert c.modularity == pytest.approx(theirs, abs=1e-12)
    # sizes and the groups table agree with the per-actor table
    assert c.groups["size"].sum() == n
    assert (c.table["community_size"] == c.groups["size"].reindex(
        c.table["community"]).to_numpy()).all()
    assert list(c.groups["size"]) == sorted(c.groups["size"], reverse=True)


def test_karate_leiden_finds_the_known_optimum_and_matches_igraph():
    import igraph as ig

    G = nx.karate_club_graph()
    c = communities(G, weight=None)
    # the best known modularity of the karate club (Brandes et al. 2008): 0.4198
    assert c.modularity == pytest.approx(0.4198, abs=1e-4)
    g = ig.Graph.Famous("Zachary")
    assert c.modularity == pytest.approx(g.modularity(c.table["community"].tolist()), abs=1e-12)


def test_two_triangles_and_isolates():
    G = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    G.add_node(7)
    for method in METHODS:
        c = communities(G, method=method)
        com = c.table["community"]
        assert com[1] == com[2] == com[3] and com[4] == com[5] == com[6] and com[1] != com[4]
        assert (com == com[7]).sum() == 1  # the isolate is a community of one
    assert c.groups.loc[com[1], "ties_inside"] == 3
    assert c.groups.loc[com[1], "ties_outside"] == 1


def test_seed_makes_it_repeatable_and_directed_ties_count_once():
    G = nx.gnp_random_graph(60, 0.08, seed=3, directed=True)
    a = communities(G, seed=5)
    b = communities(G, seed=5)
    assert (a.table["community"] == b.table["community"]).all()
    U = G.to_undirected()
    assert a.modularity == pytest.approx(
        nx.algorithms.community.modularity(U, _parts(a.table)), abs=1e-12)


def test_resolution_gives_more_communities():
    G = nx.karate_club_graph()
    few = communities(G, weight=None, resolution=0.5)
    many = communities(G, weight=None, resolution=2.0)
    assert len(many.groups) > len(few.groups)


def test_bad_options_are_clear_errors():
    G = nx.path_graph(3)
    with pytest.raises(InputError, match="method='walktrap' is not known"):
        communities(G, method="walktrap")
    with pytest.raises(InputError, match="resolution must be a positive number"):
        communities(G, resolution=0)
    with pytest.raises(InputError, match="membership has 2 values for 3 actors"):
        modularity(G, [0, 1])


def test_empty_map():
    c = communities(nx.Graph())
    assert len(c.table) == 0 and len(c.groups) == 0 and np.isnan(c.modularity)
    assert "no actors" in c.sentence
