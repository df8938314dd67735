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
    assert lead["evidence"].str.contains("as in Model 1").sum() == 2  # both Model 1 signs
    assert lead.model == 1


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


def test_demo_model_2019_is_1_and_2023_is_2():
    old = leadership(influence.datasets.load("hollinford", year=2019))
    new = leadership(influence.datasets.load("hollinford"))
    assert old.model == 1 and new.model == 2
    assert old.sentence.startswith("The map looks most like Model 1 (it is all about the "
                                   "partnership): no working group takes in people")
    assert new.sentence.startswith("The map looks most like Model 2")
    assert "6 people on working groups are not partnership members" in new.sentence
    assert new.loc["wg_devolved", "value"] == 2 and old.loc["wg_devolved", "value"] == 0
    # the table is kept: the column "model" is still the indicator's model
    assert list(new["model"].unique()) == [1, 2, 3]
    # no indicator claims a model its value does not support (2019 reads Model 1 only)
    assert not old["evidence"].str.contains("Model 3").any()
    assert not old["evidence"].str.contains("suggests Model 1").any()


def _groups_map(n_groups, devolved=False):
    G = nx.Graph()
    G.add_node("p", kind="big_local_partnership")
    for i in range(3):
        G.add_node(f"m{i}", kind="resident")
        G.add_edge(f"m{i}", "p", kind="member_of")
        G.add_edge(f"m{i}", f"r{i}", kind="knows")
        G.add_node(f"r{i}", kind="resident")
    G.add_edge("r0", "r1", kind="knows")
    G.add_edge("r1", "r2", kind="knows")
    G.add_node("wg", kind="working_group")
    G.add_edge("wg", "p", kind="reports_to")
    G.add_edge("m0", "wg", kind="member_of")
    if devolved:
        G.add_edge("r0", "wg", kind="member_of")
    for j in range(n_groups):
        G.add_node(f"g{j}", kind="community_group")
        G.add_edge("p", f"g{j}", kind="funds")
        G.add_edge(f"g{j}", f"r{j % 3}", kind="member_of")
    return G


def test_decision_rule_each_model():
    us = ["p", "m0", "m1", "m2"]
    assert leadership(_groups_map(0), focus=us).model == 1
    lead = leadership(_groups_map(0, devolved=True), focus=us)
    assert lead.model == 2 and lead.loc["wg_outsiders", "value"] == 1
    assert "(1 person on a working group is not a partnership member)" in lead.sentence
    lead = leadership(_groups_map(3, devolved=True), focus=us)
    assert lead.loc["enabled", "value"] == 3 and lead.model == 3
    assert "funds, supports or works with 3 community groups" in lead.sentence
    # two groups enabled is not yet Model 3
    assert leadership(_groups_map(2), focus=us).model == 1


def test_leadership_and_sphere_history_results_pickle():
    """The DataFrame results that are also Results (result.frame_result) survive pickling,
    with their findings."""
    import pickle

    import influence

    m = influence.datasets.load("hollinford")
    lead = influence.leadership(m)
    again = pickle.loads(pickle.dumps(lead))
    assert type(again).__name__ == "Leadership" and isinstance(again, influence.Result)
    assert again.model == lead.model and again.sentences == lead.sentences
    old = influence.datasets.load("hollinford", year=2019)
    hist = influence.sphere_history([old, m], person="margaret_hale")
    back = pickle.loads(pickle.dumps(hist))
    assert type(back).__name__ == "SphereHistory" and back.sentences == hist.sentences
    assert back.table is back and type(back.head(1)).__name__ == "DataFrame"
