"""Ego networks: size, ties, density, Burt's measures, Blau and IQV checked by hand."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from influence.ego import blau, ego
from influence.errors import InputError, UnknownActorError


def _star():
    G = nx.Graph([("hub", "a"), ("hub", "b"), ("hub", "c"), ("hub", "d"), ("a", "b"),
                  ("d", "e"), ("e", "f")])
    kinds = dict(hub="resident", a="resident", b="resident", c="council", d="school",
                 e="resident", f="council")
    sectors = dict(hub="community", a="community", b="community", c="local_government",
                   d=None, e="community", f="local_government")
    nx.set_node_attributes(G, kinds, "kind")
    nx.set_node_attributes(G, sectors, "sector")
    nx.set_node_attributes(G, dict(hub="N", a="N", b="S", c="N", d="S", e="S", f="S"), "area")
    return G


def test_blau_and_iqv_by_hand():
    # kinds of hub's alters: resident 2, council 1, school 1 -> 1 - (4 + 1 + 1)/16 = 0.625
    assert blau([2, 1, 1]) == 0.625
    assert np.isnan(blau([]))
    e = ego(_star(), "hub", by="area")
    row = e.table.loc["hub"]
    assert row["kind_blau"] == pytest.approx(0.625)
    # the map has 3 kinds: IQV = 0.625 * 3 / 2
    assert row["kind_iqv"] == pytest.approx(0.9375)
    # sector: d has none -> shares over a, b, c: community 2, local_government 1
    assert row["sector_blau"] == pytest.approx(1 - (4 + 1) / 9)
    assert row["sector_iqv"] == pytest.approx((1 - 5 / 9) * 2)
    # area: N (a, c), S (b, d) -> 0.5; IQV 0.5 * 2 / 1 = 1 (as even as it can be)
    assert row["area_blau"] == pytest.approx(0.5)
    assert row["area_iqv"] == pytest.approx(1.0)
    comp = e.composition.set_index(["attribute", "value"])
    assert comp.loc[("kind", "resident"), "alters"] == 2
    assert comp.loc[("kind", "resident"), "share"] == pytest.approx(0.5)


def test_size_ties_density_and_burt_measures():
    G = _star()
    e = ego(G, ["hub", "d"])
    t = e.table
    assert t.loc["hub", ["size", "ties"]].tolist() == [4, 1]
    assert t.loc["hub", "density"] == pytest.approx(1 / 6)
    assert t.loc["d", ["size", "ties"]].tolist() == [2, 0]
    assert t.loc["hub", "constraint"] == pytest.approx(nx.constraint(G)["hub"])
    assert t.loc["hub", "effective_size"] == pytest.approx(nx.effective_size(G)["hub"])
    # effective size, binary undirected: n - 2t/n = 4 - 2/4
    assert t.loc["hub", "effective_size"] == pytest.approx(3.5)


def test_radius_two_and_every_actor():
    G = _star()
    e = ego(G, "hub", radius=2)
    assert sorted(e.alters["alter"]) == ["a", "b", "c", "d", "e"]
    assert dict(zip(e.alters["alter"], e.alters["distance"], strict=True))["e"] == 2
    # ties among a, b, c, d, e: a-b, d-e
    assert e.table.loc["hub", "ties"] == 2
    every = ego(G)
    assert list(every.table.index) == list(G)
    for v in G:
        H = nx.ego_graph(G, v, radius=1)
        H.remove_node(v)
        assert every.table.loc[v, "size"] == H.number_of_nodes()
        assert every.table.loc[v, "ties"] == H.number_of_edges()


def test_ego_errors():
    with pytest.raises(UnknownActorError, match="Unknown actor id"):
        ego(_star(), "nobody")
    with pytest.raises(InputError, match=r"The radius \(0\) must be a whole number"):
        ego(_star(), "hub", radius=0)
    with pytest.raises(InputError, match='"colour" is not an actor attribute'):
        ego(_star(), "hub", by="colour")
