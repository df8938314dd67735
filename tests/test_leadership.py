"""Leadership models: hand-computed indicators, the demo's 2019 -> 2023 move towards Model 2."""

import networkx as nx

import influence
from influence.leadership import leadership


def test_star_known_answer():
    G = nx.Graph([("us", "a"), ("us", "b"), ("us", "c"), ("a", "b")])
    lead = leadership(G, focus="us")
    # pairs among a, b, c: 3 connected with us, 1 (a-b) without
    assert lead.loc["depend", "value"] == 0.667
    assert lead.loc["hub_only", "value"] == 1.0   # the focus is its own "partnership body"
    assert lead.loc["reach", "value"] == 1.0
    assert set(lead["model"]) == {1, 2, 3}
    assert lead["evidence"].str.contains("suggest").any()


def test_partnership_body_vs_members():
    G = nx.Graph([("p", "m1"), ("p", "x"), ("m1", "y"), ("m1", "x")])
    nx.set_node_attributes(G, {"p": "big_local_partnership", "m1": "resident",
                               "x": "community_group", "y": "resident"}, "kind")
    G.edges["p", "m1"]["kind"] = "member_of"
    lead = leadership(G, focus=["p", "m1"])
    assert lead.loc["hub_only", "value"] == 0.0  # x also knows m1; y only m1
    lead = leadership(nx.Graph([("p", "x"), ("p", "y")]), focus="p")
    assert lead.loc["depend", "value"] == 1.0


def test_demo_model_2_evidence_grows():
    old = leadership(influence.datasets.load("hollinford", year=2019))
    new = leadership(influence.datasets.load("hollinford"))
    assert old.loc["working_groups", "value"] == 2 and new.loc["working_groups", "value"] == 5
    assert old.loc["wg_outsiders", "value"] == 0 and new.loc["wg_outsiders", "value"] > 0
    assert new.loc["wg_outside_ties", "value"] >= 1  # wg_health works with the ICB
