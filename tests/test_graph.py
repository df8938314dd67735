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
        "brokers": influence.brokers(G, by="group"),
        "gatekeepers": influence.gatekeepers(G, community="a", institution="d").table,
    }
    for what, table in tables.items():
        assert table["name"].to_dict() == want, what
