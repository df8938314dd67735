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
    assert s.loc["gary_brook", "movement"] == "further"   # left the partnership
    assert s.loc["cllr_derek_whitlow", "movement"] == "closer"


def test_demo_gaps(demo):
    g = demo.gaps
    icb = g[g.holder_type == "icb"].iloc[0]
    assert (icb.status_old, icb.status_new, icb.change) == ("gatekeeper", "weak", "better")
    cc = g[g.holder_type == "county_council"]
    assert set(cc.status_old) == set(cc.status_new) == {"gatekeeper"}
