"""Who is missing: known answers on small maps, the demo's data card, two real areas."""

import pandas as pd
import networkx as nx
import pytest
from hypothesis import given, settings, strategies as st

import influence
from influence.errors import InputError, UnknownActorError
from influence.missing import STATUSES, introductions, missing
from tests.fixtures import make_map


def _graph():
    """us (partnership) with member ann; one slot in each status for the youth theme."""
    G = nx.Graph()
    kinds = {"us": "big_local_partnership", "ann": "resident", "cllr": "county_councillor",
             "cc": "county_council", "head": "worker", "school": "school",
             "pc": "parish_council", "yo": "youth_org", "far": "person"}
    for n, k in kinds.items():
        G.add_node(n, kind=k, name=n.upper())
    G.add_edge("ann", "us", kind="member_of", strength=3)
    G.add_edge("ann", "cllr", strength=2)
    G.add_edge("cllr", "cc", strength=3)
    G.add_edge("ann", "head", strength=2)
    G.add_edge("us", "head", strength=1)
    G.add_edge("head", "school", strength=3)
    G.add_edge("us", "pc", strength=3)
    G.add_edge("pc", "school", strength=1)  # a second route to the school
    G.nodes["yo"]["stance"] = 1
    G.add_edge("far", "yo")  # on the map, no route from us
    return G


def test_statuses_known_answer():
    gaps = missing(_graph(), priorities="youth", focus=["us", "ann"])
    status = dict(zip(gaps.holder_type, gaps.status, strict=False))
    assert status["county_council"] == "gatekeeper"
    assert status["school"] == "weak"          # one introduction away, two routes in
    assert status["parish_council"] == "connected"
    assert status["youth_org"] == "unconnected"
    assert status["probation_yot"] == "absent"
    cc = gaps[gaps.holder_type == "county_council"].iloc[0]
    assert cc.gatekeeper == "cllr" and cc.path == "ANN → CLLR → CC"
    assert cc.introducers == ("cllr",)
    assert "Education Act 1996 s507B" in cc.reason
    assert set(gaps.status) <= set(STATUSES)
    assert gaps["rank"].tolist() == list(range(1, len(gaps) + 1))
    assert gaps.loc[gaps.status == "connected", "score"].eq(0).all()
    assert gaps.score.is_monotonic_decreasing


def test_opposed_and_weak_direct():
    G = _graph()
    G.nodes["pc"]["stance"] = -2
    G["us"]["pc"]["strength"] = 1
    gaps = missing(G, priorities="youth", focus=["us", "ann"])
    assert dict(zip(gaps.holder_type, gaps.status, strict=False))["parish_council"] == "opposed"
    G.nodes["pc"]["stance"] = 1
    gaps = missing(G, priorities="youth", focus=["us", "ann"])
    assert dict(zip(gaps.holder_type, gaps.status, strict=False))["parish_council"] == "weak"


def test_strongest_shortest_path_and_introducers():
    G = _graph()
    gaps = missing(G, priorities="youth", focus=["us", "ann"])
    school = gaps[gaps.holder_type == "school"].iloc[0]
    # two routes: ann (2) + head (3) is stronger than us (3) + the parish council (1)
    assert school.path == "ANN → HEAD → SCHOOL"
    intro = introductions(G, gaps)
    # the parish council also knows the school, but introducers are people; the councillor
    # is the only route to the county council: flagged and listed after the others
    assert list(intro.index) == ["head", "cllr"]
    assert intro["covers"].tolist() == [1, 1]
    assert intro["gatekeeper"].tolist() == [False, True]
    assert intro.at["cllr", "note"] == "also the only route in — ask another"
    assert intro["note"].isna().tolist() == [True, False]


def test_demo_introducers_are_people_gatekeeper_flagged_last():
    import influence
    from influence.schema import PERSON_KINDS

    m = influence.datasets.load("hollinford")
    intro = introductions(m, missing(m))
    assert m.actors.loc[intro.index, "kind"].isin(PERSON_KINDS).all()
    assert "westshire_icb" not in intro.index   # an organisation, listed before
    assert intro.index[-1] == "cllr_derek_whitlow" and intro["gatekeeper"].sum() == 1
    assert intro.at["cllr_derek_whitlow", "note"] == "also the only route in — ask another"


def test_priority_order_ranks_first_theme_first():
    G = _graph()
    a = missing(G, priorities=["youth", "health"], focus=["us", "ann"])
    b = missing(G, priorities=["health", "youth"], focus=["us", "ann"])
    top = lambda g: g[g.holder_type == "county_council"].sort_values("rank").iloc[0].theme
    assert top(a) == "youth" and top(b) == "health"


def test_bad_input():
    with pytest.raises(InputError, match="Unknown theme 'helth'.*Did you mean health"):
        missing(_graph(), priorities="helth", focus="us")
    with pytest.raises(UnknownActorError, match="Unknown focus"):
        missing(_graph(), priorities="youth", focus="nobody")
    with pytest.raises(InputError, match="No priorities"):
        missing(_graph(), priorities=" , ", focus="us")


@settings(max_examples=15, deadline=None)
@given(st.permutations(list(range(9))))
def test_relabelling_invariance(perm):
    G = _graph()
    names = list(G.nodes)
    H = nx.relabel_nodes(G, {n: f"x{perm[i]}" for i, n in enumerate(names)})
    focus = [f"x{perm[names.index('us')]}", f"x{perm[names.index('ann')]}"]
    a = missing(G, priorities="youth", focus=["us", "ann"])
    b = missing(H, priorities="youth", focus=focus)
    assert a[["holder_type", "status", "score"]].values.tolist() == \
        b[["holder_type", "status", "score"]].values.tolist()


# --- the demo area (datasets/hollinford/README.md, "4. Who is missing") -------------------
@pytest.fixture(scope="module")
def demo():
    return influence.datasets.load("hollinford"), influence.datasets.load("hollinford", year=2019)


def test_demo_absent_power_holders_match_data_card(demo):
    m23, _ = demo
    gaps = missing(m23)  # the partnership's own themes
    assert set(gaps.theme) - {"all"} == {"health", "youth", "environment", "community_spaces",
                                          "cost_of_living"}
    absent = set(gaps.loc[gaps.status == "absent", "holder_type"])
    assert absent == {"environment_agency", "water_company", "youth_org", "probation_yot",
                      "health_wellbeing_board", "integrated_care_partnership", "healthwatch",
                      "jobcentre_dwp"}
    assert not (gaps.tier_class == "unitary").any()          # two-tier area
    assert not (gaps.tier_class == "strategic_authority").any()


def test_demo_county_council_only_through_the_gatekeeper(demo):
    for m in demo:
        gaps = missing(m, priorities="health,youth,environment")
        cc = gaps[gaps.holder_type == "county_council"]
        assert set(cc.actor) == {"westshire_cc"}
        assert set(cc.status) == {"gatekeeper"}
        assert set(cc.gatekeeper) == {"cllr_derek_whitlow"}


def test_demo_icb_2019_through_the_surgery_2023_weak(demo):
    m23, m19 = demo
    icb19 = missing(m19, priorities="health").query("holder_type == 'icb'").iloc[0]
    icb23 = missing(m23, priorities="health").query("holder_type == 'icb'").iloc[0]
    assert (icb19.status, icb19.gatekeeper) == ("gatekeeper", "market_st_surgery")
    assert icb23.status == "weak" and "icb_sam_reid" in icb23.introducers


def test_demo_opposed_developer(demo):
    gaps = missing(demo[0], priorities="housing")
    dev = gaps[gaps.actor == "castlegate_homes"]
    assert len(dev) and set(dev.status) == {"opposed"}


# --- real areas, checked by hand against the council lists -------------------------------
def _one_member(org_code=None, name="County Hall", kind="county_council"):
    return make_map(
        actors=[dict(id="us", kind="big_local_partnership"), dict(id="ann", kind="resident"),
                dict(id="escc", kind=kind, name=name, org_code=org_code)],
        ties=[dict(source="ann", target="us", kind="member_of", strength=3),
              dict(source="ann", target="escc", kind="knows", strength=3)])


def test_two_tier_area_hastings():
    gaps = missing(_one_member(), priorities="health", area="Hastings", as_at="2025-06-01")
    body = dict(zip(zip(gaps.holder_type, gaps.role, strict=False), gaps.body, strict=False))
    # Hastings is a district in East Sussex; NHS Sussex ICB until April 2026
    assert body[("county_council", "statutory_duty_holder")] == "East Sussex County Council"
    assert body[("district_council", "provider")] == "Hastings Borough Council"
    assert body[("icb", "commissioner")] == "NHS Sussex Integrated Care Board"
    assert body[("mp", "influencer")] == "Helena Dollimore"
    codes = dict(zip(gaps.body, gaps.code, strict=False))
    assert codes["East Sussex County Council"] == "E10000011"
    assert gaps.vintage.str.len().gt(0).any()
    # one county-council actor of the map, named differently: matched because it is the only one
    assert gaps.loc[gaps.code == "E10000011", "actor"].eq("escc").all()


def test_match_by_org_code_first():
    m = make_map(
        actors=[dict(id="us", kind="big_local_partnership"),
                dict(id="a", kind="county_council", name="Some county"),
                dict(id="b", kind="county_council", name="ESCC", org_code="E10000011")],
        ties=[dict(source="us", target="a", strength=3)])
    gaps = missing(m, priorities="youth", area="E07000062", as_at="2025-06-01")
    assert set(gaps.loc[gaps.holder_type == "county_council", "actor"]) == {"b"}
    assert set(gaps.loc[gaps.holder_type == "county_council", "status"]) == {"unconnected"}


def test_unitary_area_brighton_and_hove():
    m = _one_member(kind="unitary_council", name="Brighton & Hove City Council")
    gaps = missing(m, priorities="health,youth", area="E06000043", as_at="2025-06-01")
    assert "county_council" not in set(gaps.holder_type)
    council = gaps[gaps.holder_type == "unitary_council"]
    assert set(council.body) == {"Brighton and Hove City Council"}
    assert set(council.actor) == {"escc"} and set(council.status) == {"connected"}
    # the public-health duty appears once (county and unitary rows merged)
    duty = council[(council.theme == "health") & (council.role == "statutory_duty_holder")]
    assert len(duty) == 1
    assert set(gaps.loc[gaps.holder_type == "mp", "body"]) == {"Siân Berry", "Peter Kyle",
                                                               "Chris Ward"}
    assert "NHS Sussex Integrated Care Board" in set(gaps.body)


def test_stance_words_on_a_networkx_graph():
    # regression: a word stance ("opposes", as in the spreadsheet) raised TypeError
    G = nx.Graph([("us", "ann"), ("us", "cc")])
    nx.set_node_attributes(G, {"us": "big_local_partnership", "ann": "resident",
                               "cc": "county_council"}, "kind")
    nx.set_node_attributes(G, {"cc": "opposes", "ann": "n/a"}, "stance")
    row = missing(G, priorities="youth").set_index("holder_type").loc["county_council"]
    assert (row["status"], row["stance"]) == ("opposed", -2)
    G.nodes["cc"]["stance"] = "1"
    row = missing(G, priorities="youth").set_index("holder_type").loc["county_council"]
    assert (row["status"], row["stance"]) == ("weak", 1)


def _big_local(with_lto=True):
    G = nx.DiGraph()
    G.add_node("us", kind="big_local_partnership", name="Our Big Local",
               themes=("community_spaces",))
    G.add_node("ann", kind="resident", name="Ann")
    G.add_node("lt", kind="funder", name="Local Trust")
    G.add_edge("ann", "us", kind="member_of")
    if with_lto:
        G.add_node("lto", kind="locally_trusted_org", name="Our LTO")
        G.add_edge("lto", "us", kind="works_with")
        G.add_edge("us", "lto", kind="works_with")
        G.add_edge("lt", "lto", kind="funds")  # directed: no route from us without the rule
        G.add_node("rep", kind="big_local_rep", name="Our rep")
        G.add_edge("rep", "us", kind="advises")
        G.add_edge("ann", "rep", kind="knows")
    return G


def test_local_trust_reached_through_the_lto():
    gaps = missing(_big_local(), priorities="community_spaces")
    lt = gaps[gaps.actor == "lt"].iloc[0]
    # two routes (the LTO and the rep): one introduction away, not through a gatekeeper
    assert lt.status == "weak" and lt.path == "Our Big Local → Our LTO → Local Trust"
    assert set(lt.introducers) == {"lto", "rep"}
    from influence.spheres import spheres
    assert spheres(_big_local()).loc["lt", "sphere"] == 2


def test_local_trust_without_rep_or_lto_says_so():
    gaps = missing(_big_local(with_lto=False), priorities="community_spaces")
    lt = gaps[gaps.actor == "lt"].iloc[0]
    assert lt.status == "weak"
    assert lt.path == ("through our Big Local rep and our locally trusted organisation (every "
                       "Big Local works with Local Trust through them): add them to our map")
    # another funder with no route stays unconnected
    G = _big_local(with_lto=False)
    nx.relabel_nodes(G, {"lt": "cf"}, copy=False)
    G.nodes["cf"]["name"] = "Community Foundation"
    gaps = missing(G, priorities="community_spaces")
    assert gaps[gaps.actor == "cf"].iloc[0].status == "unconnected"


def test_demo_local_trust_is_not_unreachable():
    import influence

    m = influence.datasets.load("hollinford")
    gaps = missing(m)
    lt = gaps[gaps.actor == "local_trust"].iloc[0]
    assert lt.status == "weak"
    assert lt.path == ("Hollinford Big Local partnership → Hollinford Community Trust (LTO) → "
                       "Local Trust")


def test_board_reachable_through_its_members():
    G = nx.Graph()
    for n, k, th in (("us", "big_local_partnership", ("health",)), ("ann", "resident", ()),
                     ("cc", "county_council", ()), ("dph", "council_officer", ("health",)),
                     ("roads", "council_officer", ("transport",)), ("icb", "icb", ()),
                     ("lead", "worker", ("health",))):
        G.add_node(n, kind=k, name=n.upper(), themes=th)
    G.add_edge("ann", "us", kind="member_of")
    for a, b, k in (("dph", "cc", "works_for"), ("roads", "cc", "works_for"),
                    ("lead", "icb", "works_for"), ("ann", "lead", "knows"),
                    ("ann", "roads", "knows"), ("roads", "dph", "knows")):
        G.add_edge(a, b, kind=k)
    gaps = missing(G, priorities="health", focus=["us", "ann"])
    hwb = gaps[gaps.holder_type == "health_wellbeing_board"].iloc[0]
    assert hwb.status == "absent"   # the board itself is not on the map
    # statutory members (HSCA 2012 s194): the ICB and the director of public health's team;
    # the highways officer works for the council too, but not on health
    assert hwb.members == ("lead", "dph")
    assert hwb.path == "reachable through its members: LEAD at ICB and DPH at CC"
    # no member body on the map: nobody to go through
    G.remove_nodes_from(["cc", "icb"])
    gaps = missing(G, priorities="health", focus=["us", "ann"])
    hwb = gaps[gaps.holder_type == "health_wellbeing_board"].iloc[0]
    assert hwb.members == () and pd.isna(hwb.path)


def test_demo_health_and_wellbeing_board_through_its_members():
    import influence

    gaps = missing(influence.datasets.load("hollinford"))
    hwb = gaps[gaps.holder_type == "health_wellbeing_board"].iloc[0]
    assert set(hwb.members) == {"cc_public_health", "icb_sam_reid"}
    assert hwb.path == ("reachable through its members: Sam Reid (ICB community engagement "
                        "lead) at NHS Westshire and Vale Integrated Care Board and Dr Helen "
                        "Achebe (public health consultant) at Westshire County Council")


@given(st.integers(2, 25), st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)),
                                     max_size=60), st.integers(0, 24))
@settings(max_examples=60, deadline=None)
def test_dominators_equal_networkx(n, arcs, seed):
    """The focus's dominator tree (igraph, C) equals networkx's immediate_dominators."""
    import networkx as nx
    import numpy as np

    from influence._slots import _dominators

    arcs = [(u % n, v % n) for u, v in arcs]
    seed %= n
    src = np.array([u for u, _ in arcs], dtype=np.int64)
    dst = np.array([v for _, v in arcs], dtype=np.int64)
    G = nx.DiGraph()
    G.add_nodes_from(range(-1, n))
    G.add_edges_from(arcs)
    G.add_edge(-1, seed)
    want = {v: d for v, d in nx.immediate_dominators(G, -1).items() if v != -1}
    assert _dominators(n, src, dst, np.array([seed])) == want


@given(st.integers(2, 14), st.lists(st.tuples(st.integers(0, 13), st.integers(0, 13),
                                               st.sampled_from([1, 2, 3])), max_size=50),
       st.lists(st.integers(0, 13), min_size=1, max_size=3), st.booleans())
@settings(max_examples=60, deadline=None)
def test_reach_equals_arc_by_arc(n, ties, seeds, directed):
    """Best parents and every parent on a shortest path (found level by level with arrays) are
    those of the arc-by-arc walk: strongest path first, then the smaller id."""
    import numpy as np

    from influence._slots import reach_from
    from influence.graph import network

    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from((u % n, v % n, {"strength": w}) for u, v, w in ties)
    net = network(G)
    seeds = np.unique(np.array([s % n for s in seeds]))
    info = reach_from(net, seeds)
    src, dst, w = net.arcs(programme=True)
    dist = info["dist"]
    ok = (dist[src] >= 0) & (dist[dst] == dist[src] + 1)
    s, d, ww = src[ok], dst[ok], w[ok]
    best = np.full(n, -np.inf)
    best[seeds] = 0.0
    parent = np.full(n, -1)
    parents = {}
    key = [str(i) for i in net.ids]
    for level in range(1, int(dist.max()) + 1):
        sel = np.flatnonzero(dist[d] == level)
        for k in sorted(sel.tolist(), key=lambda k: (-(best[s[k]] + ww[k]), key[s[k]])):
            u, v, wt = int(s[k]), int(d[k]), float(ww[k])
            parents.setdefault(v, []).append((wt, u))
            if best[u] + wt > best[v]:
                best[v], parent[v] = best[u] + wt, u
    for lst in parents.values():
        lst.sort(key=lambda p: (-p[0], key[p[1]]))
    assert np.array_equal(info["best"], best) and np.array_equal(info["parent"], parent)
    assert all(info["parents"].get(v) == parents.get(v) for v in range(n))
