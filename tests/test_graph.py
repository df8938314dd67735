"""The analysis graph built from a networkx graph: strengths as in a workbook, non-finite
strengths refused, and a directed graph without edges kept directed."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

import influence
from influence.errors import InputError, ValidationError
from influence.graph import network


def test_strength_words_mean_what_they_mean_in_a_workbook():
    G = nx.Graph([(1, 2, {"strength": "strong"}), (2, 3, {"strength": "Weak"}),
                  (3, 4, {"strength": 2})])
    assert network(G).strength.tolist() == [3.0, 1.0, 2.0]
    assert influence.from_networkx(G).ties["strength"].tolist() == [3.0, 1.0, 2.0]
    a = influence.centrality(G, measures=["betweenness"])
    b = influence.centrality(influence.from_networkx(G), measures=["betweenness"])
    assert np.allclose(a["betweenness"].to_numpy(), b["betweenness"].to_numpy())


@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), "lots", 0])
def test_bad_strengths_on_a_graph_are_refused(bad):
    G = nx.Graph([(1, 2, {"strength": bad}), (2, 3)])
    with pytest.raises(InputError, match='Tie attribute "strength" must be'):
        network(G)
    with pytest.raises(ValidationError):
        influence.from_networkx(G)


def test_inf_strength_message():
    G = nx.Graph([(1, 2, {"strength": float("inf")})])
    with pytest.raises(InputError) as err:
        influence.structural_holes(G)
    assert str(err.value) == (
        'Tie attribute "strength" must be positive and finite (it is a strength; distance = '
        "1/strength); found inf. Fix: use weight=None, or give positive strengths.")


def test_directed_graph_without_edges_keeps_in_and_out_degree():
    G = nx.DiGraph()
    G.add_nodes_from(["a", "b"])
    assert network(G).directed
    out = influence.centrality(G)
    assert {"in_degree", "out_degree"} <= set(out.columns)
    assert out["in_degree"].tolist() == [0.0, 0.0]
    assert not network(nx.Graph([(1, 2)])).directed


def test_names_follow_one_rule_in_every_analysis():
    import networkx as nx

    import influence

    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("b", "d")])
    nx.set_node_attributes(G, {"a": "Ann", "b": "Bob", "c": "Cat"}, "label")
    nx.set_node_attributes(G, {"b": "Robert"}, "name")
    nx.set_node_attributes(G, {"a": "x", "b": "y", "c": "x", "d": "y"}, "group")
    want = {"a": "Ann", "b": "Robert", "c": "Cat", "d": "d"}  # name, then label, then id
    assert list(influence.network(G).names) == ["Ann", "Robert", "Cat", "d"]
    tables = {
        "centrality": influence.centrality(G),
        "spheres": influence.spheres(G, focus="a"),
        "brokers": influence.brokers(G, by="group").sort_index(),
        "gatekeepers": influence.gatekeepers(G, community="a", institution="d").table,
        "communities": influence.communities(G).table,
        "ego": influence.ego(G).table,
        "structural_holes": influence.structural_holes(G).assign(
            name=influence.centrality(G)["name"]),
    }
    for what, table in tables.items():
        assert table["name"].to_dict() == want, what


def test_one_index_rule_in_every_analysis():
    """Integer node labels stay integers, and every per-actor table has the same index."""
    import networkx as nx
    import pandas as pd

    import influence

    G = nx.Graph([(1, 2), (2, 3), (3, 4), (2, 4)])
    nx.set_node_attributes(G, {1: "x", 2: "y", 3: "x", 4: "y"}, "group")
    want = pd.Index([1, 2, 3, 4], name="id")
    tables = {
        "centrality": influence.centrality(G),
        "spheres": influence.spheres(G, focus=1),
        "brokerage": influence.brokerage(G, by="group"),
        "brokers": influence.brokers(G, by="group").sort_index(),
        "structural_holes": influence.structural_holes(G),
        "gatekeepers": influence.gatekeepers(G, community=1, institution=4).table.sort_index(),
        "communities": influence.communities(G).table,
        "ei_index": influence.ei_index(G, by="group").actors,
        "ego": influence.ego(G).table,
        "core_periphery": influence.core_periphery(G).table,
    }
    for what, table in tables.items():
        pd.testing.assert_index_equal(table.index, want, obj=what)


def _counting(monkeypatch):
    """Count the costly step of building a map's network (finding the ties' positions)."""
    from influence import graph

    calls = []
    real = graph._positions

    def counted(m):
        calls.append(m)
        return real(m)

    monkeypatch.setattr(graph, "_positions", counted)
    return calls


def test_a_map_network_is_built_once_and_reused(monkeypatch):
    import influence

    calls = _counting(monkeypatch)
    m = influence.datasets.load("karate")
    net = influence.network(m)
    assert influence.network(m) is net and net.igraph is influence.network(m).igraph
    unweighted = influence.network(m, weight=None)
    assert unweighted is not net and unweighted is influence.network(m, weight=None)
    assert (unweighted.src == net.src).all() and set(unweighted.strength) == {1.0}
    influence.centrality(m)
    influence.communities(m)
    assert len(calls) == 1


def test_changing_a_map_forgets_its_network(monkeypatch):
    import influence

    calls = _counting(monkeypatch)
    m = influence.build(actors=[{"id": x, "kind": "resident"} for x in "abc"],
                        ties=[{"source": "a", "target": "b", "strength": 1}])
    assert influence.network(m).m == 1
    m.ties = influence.build(actors=[{"id": x, "kind": "resident"} for x in "abc"],
                             ties=[{"source": "a", "target": "b"},
                                   {"source": "b", "target": "c"}]).ties
    assert influence.network(m).m == 2  # assigning a frame drops the old network
    m.ties.loc[0, "strength"] = 3
    assert influence.network(m).strength.tolist() == [1.0, 1.0]  # in place: not seen ...
    m.changed()
    assert influence.network(m).strength.tolist() == [3.0, 1.0]  # ... until changed()
    assert len(calls) == 3
    assert influence.network(m.copy()) is not influence.network(m)


def test_a_review_builds_the_network_once_and_betweenness_once(monkeypatch):
    import influence
    from influence import _igraph

    calls = _counting(monkeypatch)
    ig = _igraph.load()
    runs = []
    real = ig.Graph.betweenness

    def betweenness(self, *args, **kwargs):
        runs.append(self.vcount())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ig.Graph, "betweenness", betweenness)
    m = influence.datasets.load("hollinford")
    influence.review(m)
    assert len(calls) == 1  # the public copy of the map the review works on
    assert runs == [len(m.actors)]  # both groupings of the brokers share one betweenness


def test_a_pickled_or_copied_map_leaves_its_networks_behind():
    import copy
    import pickle

    import influence

    m = influence.datasets.load("karate")
    influence.network(m).igraph  # noqa: B018  (built and cached)
    for other in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m), copy.copy(m)):
        assert other._network_cache == {} and other.equals(m)
        assert influence.network(other).m == influence.network(m).m


def test_table_puts_kind_and_name_first_and_shares_no_text_with_the_cache():
    import pandas as pd

    m = influence.datasets.load("hollinford")
    net = network(m)
    t = net.table({"x": np.arange(net.n, dtype=float)})
    assert list(t.columns) == ["kind", "name", "x"] and t.index.equals(net.index)
    pd.testing.assert_series_equal(t["name"], net.column("name"))
    pd.testing.assert_series_equal(t["kind"], net.column("kind"))
    t["name"].array[0] = "edited"  # a raw edit of the returned array
    assert net.table({})["name"].iloc[0] != "edited"
