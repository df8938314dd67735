"""Compare two snapshots: a hand-made pair and the demo's 2019 -> 2023 data card."""

import networkx as nx
import pytest

import influence
from influence.compare import compare


def test_small_known_answer():
    old = nx.Graph([("us", "ann"), ("ann", "cllr"), ("ann", "bob")])
    new = nx.Graph([("us", "ann"), ("us", "cllr"), ("cllr", "mp")])
    new.edges["us", "ann"]["strength"] = 3
    c = compare(old, new, focus="us")
    assert c.actors["change"].to_dict() == {"mp": "joined", "bob": "left"}
    ch = {(r.source, r.target): r.change for r in c.ties.itertuples()}
    assert ch == {("ann", "us"): "strengthened", ("cllr", "us"): "gained",
                  ("cllr", "mp"): "gained", ("ann", "cllr"): "lost", ("ann", "bob"): "lost"}
    assert c.spheres.loc["cllr", "movement"] == "closer"
    assert c.spheres.loc["mp", "movement"] == "joined"
    assert "bob" in c.spheres.index and c.spheres.loc["bob", "movement"] == "left"
    assert c.centrality.loc["ann", "betweenness_old"] > c.centrality.loc["ann", "betweenness_new"]
    assert any("joined" in s for s in c.sentences)


@pytest.fixture(scope="module")
def demo():
    return compare(influence.datasets.load("hollinford", year=2019),
                   influence.datasets.load("hollinford"))


def test_demo_joined_and_left(demo):
    a = demo.actors
    joined = set(a.index[a.change == "joined"])
    named = {"amira_hassan", "icb_sam_reid", "brookside_ta", "wg_youth", "wg_health", "wg_money"}
    residents = {f"res{i:03d}" for r in ((135, 140), (185, 190), (219, 224))
                 for i in range(r[0], r[1] + 1)}
    assert joined == named | residents
    assert set(a.index[a.change == "left"]) == {"res004", "res018", "res144", "res158",
                                                "res194", "res208"}
    assert a.loc["janet_okafor", "change"] == "changed"
    assert (a.loc["janet_okafor", "kind_old"], a.loc["janet_okafor", "kind_new"]) == \
        ("resident", "parish_councillor")


def test_demo_ties_and_spheres(demo):
    t = demo.ties
    gained = {(r.source, r.target, r.kind) for r in t[t.change == "gained"].itertuples()}
    lost = {(r.source, r.target, r.kind) for r in t[t.change == "lost"].itertuples()}
    assert ("cllr_derek_whitlow", "margaret_hale", "knows") in gained
    assert ("cllr_sarah_quinn", "david_osei", "knows") in gained
    assert ("hbl", "icb_sam_reid", "works_with") in gained  # undirected: sorted pair
    assert ("gary_brook", "hbl", "member_of") in lost
    s = demo.spheres
    # left the partnership to chair the tenants' association: influence spreading, not a loss
    assert s.loc["gary_brook", "movement"] == "into the community"
    assert s.loc["gary_brook", "role"] == "chairs Brookside Tenants' Association"
    assert "Gary Brook left the partnership and now chairs Brookside Tenants' Association: " \
        "influence spreading into the community, not a loss." in demo.sentences
    further = next(x for x in demo.sentences if "moved further away" in x)
    assert "Gary Brook" not in further
    assert s.loc["cllr_derek_whitlow", "movement"] == "closer"


def test_demo_gaps(demo):
    g = demo.gaps
    icb = g[g.holder_type == "icb"].iloc[0]
    assert (icb.status_old, icb.status_new, icb.change) == ("gatekeeper", "weak", "better")
    cc = g[g.holder_type == "county_council"]
    assert set(cc.status_old) == set(cc.status_new) == {"gatekeeper"}


def test_demo_leadership_model_1_towards_2(demo):
    assert (demo.model_old, demo.model_new) == (1, 2)
    lead = demo.leadership
    assert (lead.at["working_groups", "value_old"], lead.at["working_groups", "value_new"]) \
        == (2, 5)
    assert (lead.at["wg_outsiders", "value_old"], lead.at["wg_outsiders", "value_new"]) \
        == (0, 6)
    assert ("Leadership: from Model 1 (it is all about the partnership) towards Model 2 "
            "(working groups with devolved decisions): working groups 2 → 5; non-members on "
            "working groups 0 → 6") in " ".join(demo.sentences)


def test_member_into_community_role_vs_moving_away():
    old = nx.DiGraph()
    old.add_nodes_from([("p", {"kind": "big_local_partnership"}), ("ann", {"kind": "resident"}),
                        ("bob", {"kind": "resident"}), ("ta", {"kind": "community_group",
                                                               "name": "Tenants"})])
    old.add_edge("ann", "p", kind="member_of")
    old.add_edge("bob", "p", kind="member_of")
    old.add_edge("ann", "bob", kind="knows")
    old.add_edge("bob", "ann", kind="knows")
    new = old.copy()
    new.remove_edge("ann", "p")
    new.remove_edge("bob", "p")
    new.add_edge("ann", "ta", kind="chairs")
    new.add_edge("ta", "p", kind="works_with")
    new.add_edge("p", "ta", kind="works_with")
    new.add_edge("p", "bob", kind="knows")
    c = compare(old, new)
    assert c.spheres.loc["ann", "movement"] == "into the community"
    assert c.spheres.loc["bob", "movement"] == "further"   # no community role: a real move
    assert "ann left the partnership and now chairs Tenants: influence spreading into the " \
        "community, not a loss." in c.sentences
    assert "1 moved further away (bob)." in c.sentences
