"""Tests of influence.datasets: the Hollinford demo's designed findings, the classics, synthetic."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import influence
from influence import datasets
from influence.errors import InputError

P2019 = {"margaret_hale", "david_osei", "susan_pike", "janet_okafor", "peter_lang",
         "linda_marsh", "alan_reeve", "ruth_ellis", "tom_baines", "gary_brook"}
P2023 = (P2019 - {"gary_brook"}) | {"amira_hassan"}
COUNTY = ["westshire_cc", "cc_public_health", "cc_highways"]
VILLAGES = {"Nether Wyke", "Copley Green"}


@pytest.fixture(scope="module", params=[2019, 2023])
def demo(request):
    return request.param, datasets.load("hollinford", year=request.param)


def _graph(m):
    G = nx.Graph()
    G.add_nodes_from(m.actors.index)
    G.add_edges_from(zip(m.ties["source"], m.ties["target"], strict=False))
    return G


def _members(m):
    t = m.ties
    return set(t.loc[(t["target"] == "hbl") & (t["kind"] == "member_of"), "source"])


# --- loading ---------------------------------------------------------------------------------
def test_names_and_aliases():
    assert repr(datasets.load("karate")) == "<InfluenceMap karate: 34 actors, 78 ties>"
    assert datasets.load("hollinford").name == "hollinford-2023"
    assert datasets.load("hollinford-2019").equals(datasets.load("hollinford", year=2019))
    assert datasets.load("Hollinford-2023").equals(datasets.load("hollinford"))
    table = datasets.list()
    assert list(table.columns) == ["name", "title", "kind", "snapshots", "actors", "ties",
                                   "bytes", "source", "licence"]
    assert table.set_index("name").loc["hollinford", "bytes"] > 0


def test_load_returns_a_fresh_copy():
    m = datasets.load("karate")
    m.actors.loc["0", "name"] = "changed"
    assert datasets.load("karate").actors.loc["0", "name"] != "changed"


@pytest.mark.parametrize("name, year, text", [
    ("karat", None, 'did you mean "karate"'),
    ("hollinford", 2020, "snapshots 2019 and 2023"),
    ("hollinford-2019", 2023, "disagree"),
    ("karate", 2019, "single snapshot"),
    (3, None, "must be text"),
])
def test_bad_names(name, year, text):
    with pytest.raises(InputError, match=text):
        datasets.load(name, year=year)


def test_demo_files_validate_without_warnings(demo):
    year, m = demo
    report = influence.validate(datasets.path("hollinford", year=year))
    assert not report.errors and not report.warnings
    assert not m.warnings


# --- the data card's requirements --------------------------------------------------------------
def test_composition(demo):
    year, m = demo
    A = m.actors
    assert 200 <= len(A) <= 400
    kinds = set(A["kind"])
    for k in ("big_local_partnership", "locally_trusted_org", "big_local_rep", "worker",
              "parish_council", "district_council", "county_council", "county_councillor",
              "ward_councillor", "parish_councillor", "council_officer", "icb", "nhs_trust",
              "gp_pcn", "developer", "development_corporation", "housing_association",
              "police_force", "school", "faith_group", "local_media", "funder", "mp"):
        assert k in kinds, k
    group_kinds = {"community_group", "working_group", "vcse_org", "social_enterprise",
                   "transport_operator"}
    assert A["kind"].isin(group_kinds).sum() >= 15
    residents = A[A["kind"] == "resident"]
    counts = residents["sub_area"].value_counts()
    assert set(counts.index) == {"Hollinford", *VILLAGES}
    assert counts["Hollinford"] > 2 * counts["Nether Wyke"] > 0  # uneven
    for col in ("influence", "stance", "themes", "sub_area", "age_band"):
        assert A[col].notna().all() if col == "sub_area" else A[col].notna().any()
    assert A["giving"].notna().sum() > 20
    members = _members(m)
    assert members == (P2019 if year == 2019 else P2023)
    t = m.ties
    mem = t[(t["target"] == "hbl") & (t["kind"] == "member_of")]
    assert mem["hours"].gt(0).all()
    assert t["strength"].between(1, 3).all() and t["confirmed"].notna().all()
    stale = t["confirmed"] < np.datetime64(f"{year - 1}-01-01")
    assert 0.05 < stale.mean() < 0.25


def test_gatekeeper_is_the_only_route_to_the_county(demo):
    _, m = demo
    G = _graph(m)
    X = _members(m) | {"hbl"}
    assert all(any(nx.has_path(G, x, c) for x in X) for c in COUNTY)
    H = G.copy()
    H.remove_node("cllr_derek_whitlow")
    assert not any(nx.has_path(H, x, c) for x in X for c in COUNTY)
    # he is the only such actor: deleting anyone else leaves a route
    Gs = nx.Graph(G)
    Gs.add_edges_from(("S", x) for x in X)
    Gs.add_edges_from((c, "T") for c in COUNTY)
    cut = nx.minimum_node_cut(Gs, "S", "T")
    assert cut == {"cllr_derek_whitlow"}
    assert m.actors.loc["cllr_derek_whitlow", "stance"] == -1
    assert m.actors.loc["cllr_derek_whitlow", "kind"] == "county_councillor"


def test_brokers_bridge_the_villages(demo):
    _, m = demo
    A = m.actors
    G = _graph(m)
    from influence.centrality import centrality

    bc = centrality(m, measures=["betweenness"])["betweenness"]  # distance = 1/strength
    people = A.index[A["kind"].isin(influence.schema.PERSON_KINDS)]
    ranked = sorted(people, key=lambda p: -bc[p])
    assert ranked[0] == "ruth_ellis"
    assert "bev_norris" in ranked[:5]
    bridges = [(u, v) for u, v in G.edges
               if {A.loc[u, "sub_area"], A.loc[v, "sub_area"]} == VILLAGES]
    allowed = {"ruth_ellis", "bev_norris"}
    extra = [e for e in bridges if not set(e) & allowed]
    assert extra in ([], [("amira_hassan", "cllr_mike_dunn")], [("cllr_mike_dunn", "amira_hassan")])


def test_civic_core_is_about_a_third(demo):
    year, m = demo
    from influence.civic import civic_core

    core = civic_core(m)
    p = core.people
    share_people = p["civic_core"].mean()
    assert 0.25 <= share_people <= 0.40
    hours_share = p.loc[p["civic_core"], "hours"].sum() / p["hours"].sum()
    assert hours_share >= 2 / 3
    assert p.loc[list(_members(m)), "civic_core"].all()
    assert (len(p), int(p["civic_core"].sum())) == ((237, 67) if year == 2019 else (251, 74))


def test_missing_statutory_holders():
    import csv

    m = datasets.load("hollinford")
    themes = set(m.actors.loc["hbl", "themes"])
    present = set(m.actors["kind"])
    rows = list(csv.DictReader(open(influence.schema.__file__.replace("schema.py", "")
                                    + "data/uk/power_matrix.csv", encoding="utf-8")))
    absent = {(r["theme_id"], r["holder_type_id"]) for r in rows
              if r["theme_id"] in themes and r["holder_type_id"] not in present
              and r["tier_class"] not in ("unitary", "strategic_authority")}
    assert ("environment", "environment_agency") in absent
    assert ("youth", "youth_org") in absent
    assert ("health", "health_wellbeing_board") in absent
    statutory_absent = {(r["theme_id"], r["holder_type_id"]) for r in rows
                        if (r["theme_id"], r["holder_type_id"]) in absent
                        and r["role"] == "statutory_duty_holder"}
    assert ("environment", "environment_agency") in statutory_absent


def test_changes_2019_to_2023():
    a, b = datasets.load("hollinford", year=2019), datasets.load("hollinford", year=2023)
    joined = set(b.actors.index) - set(a.actors.index)
    assert {"amira_hassan", "icb_sam_reid", "brookside_ta", "wg_youth", "wg_health",
            "wg_money"} <= joined
    assert a.actors.loc["janet_okafor", "kind"] == "resident"
    assert b.actors.loc["janet_okafor", "kind"] == "parish_councillor"
    assert "gary_brook" in _members(a) and "gary_brook" not in _members(b)
    pairs = lambda m: {frozenset(p) for p in zip(m.ties["source"], m.ties["target"])}  # noqa
    new = pairs(b) - pairs(a)
    for p in [("margaret_hale", "cllr_derek_whitlow"), ("david_osei", "cllr_sarah_quinn"),
              ("icb_sam_reid", "hbl")]:
        assert frozenset(p) in new
    # 2019: the ICB is reached only through the surgery
    G = _graph(a)
    G.remove_node("market_st_surgery")
    assert not nx.has_path(G, "hbl", "westshire_icb")
    assert nx.has_path(_graph(b).subgraph(set(b.actors.index) - {"market_st_surgery"}),
                       "hbl", "westshire_icb")


def test_review_corrections_on_the_data_card(demo):
    """Data card section 6: what the review must get right on each snapshot."""
    from influence.leadership import leadership
    from influence.missing import introductions, missing

    year, m = demo
    assert leadership(m).model == (1 if year == 2019 else 2)
    gaps = missing(m)
    lt = gaps[gaps.actor == "local_trust"].iloc[0]
    assert lt.status == "weak" and lt.path.endswith("Hollinford Community Trust (LTO) → "
                                                   "Local Trust")
    hwb = gaps[gaps.holder_type == "health_wellbeing_board"].iloc[0]
    assert hwb.status == "absent"
    assert set(hwb.members) == ({"cc_public_health"} if year == 2019 else
                                {"cc_public_health", "icb_sam_reid"})
    intro = introductions(m, gaps)
    flags = intro["gatekeeper"].tolist()
    assert intro.at["cllr_derek_whitlow", "gatekeeper"] and flags == sorted(flags)
    assert m.actors.loc[intro.index, "kind"].isin(influence.schema.PERSON_KINDS).all()
    t = m.ties
    assert not (t["confirmed"] < t["since"]).any()
    police = t[(t.source == "westshire_police") & (t.target == "hbl")].iloc[0]
    assert police.notes == "the PCSO has not been to a meeting since 2019"


def test_compare_2019_to_2023_corrections():
    c = influence.compare(datasets.load("hollinford", year=2019), datasets.load("hollinford"))
    assert (c.model_old, c.model_new) == (1, 2)
    assert c.spheres.loc["gary_brook", "movement"] == "into the community"
    assert c.leadership.loc["wg_outsiders", ["value_old", "value_new"]].tolist() == [0, 6]


# --- classics --------------------------------------------------------------------------------
def test_classics_match_networkx():
    k = datasets.load("karate")
    G = nx.karate_club_graph()
    assert {frozenset(map(int, e)) for e in zip(k.ties.source, k.ties.target, strict=False)} == \
        {frozenset(e) for e in G.edges}
    f = datasets.load("florentine")
    F = nx.florentine_families_graph()
    assert set(f.actors.index) == set(F) and "Pucci" not in f.actors.index
    assert {frozenset(e) for e in zip(f.ties.source, f.ties.target, strict=False)} == \
        {frozenset(e) for e in F.edges}
    s = datasets.load("southern_women")
    D = nx.davis_southern_women_graph()
    assert len(s.ties) == 89 and set(s.ties["kind"]) == {"member_of"}
    assert {frozenset(e) for e in zip(s.ties.source, s.ties.target, strict=False)} == \
        {frozenset(e) for e in D.edges}
    for m in (k, f, s):
        assert not m.warnings


# --- synthetic ---------------------------------------------------------------------------------
def test_synthetic_is_canonical_and_valid():
    m = datasets.synthetic(areas=3, seed=5)
    rebuilt = influence.build(actors=m.actors.reset_index(), ties=m.ties)
    assert rebuilt.equals(m) and not rebuilt.warnings
    assert m.actors.index.is_unique
    # shared regional bodies: one county for up to 12 areas, each area its own councillor
    assert (m.actors["kind"] == "county_council").sum() == 1
    assert (m.actors["kind"] == "county_councillor").sum() == 3


@settings(max_examples=8, deadline=None)
@given(areas=st.integers(1, 6), seed=st.integers(0, 2**31 - 1))
def test_synthetic_deterministic_and_gatekept(areas, seed):
    m = datasets.synthetic(areas=areas, seed=seed)
    assert m.equals(datasets.synthetic(areas=areas, seed=seed))
    G = _graph(m)
    county = m.actors.index[m.actors["kind"] == "county_council"][0]
    part = m.actors.index[m.actors["kind"] == "big_local_partnership"][0]
    assert nx.has_path(G, part, county)


def test_synthetic_size_option_and_errors():
    m = datasets.synthetic(actors=5_000, seed=0)
    assert 4_000 < len(m.actors) < 6_000
    with pytest.raises(InputError, match="areas must be"):
        datasets.synthetic(areas=0)
    with pytest.raises(InputError, match="actors must be"):
        datasets.synthetic(actors=-3)


def test_from_review_to_action_on_the_data_card(demo):
    """Data card section 7: the actions sheet and the relationship held only by the worker."""
    from influence.legacy import legacy

    year, m = demo
    assert (m.actions is not None) == (year == 2019)
    lg = legacy(m)
    assert lg.loc["westshire_police", "holders"] == ("worker_kim_patel",)
    assert lg.loc["westshire_police", "risk"] == "only the paid worker"
    t = m.ties
    assert ((t.source == "worker_kim_patel") & (t.target == "pcso_lee")).sum() == 1


def test_2019_actions_against_2023():
    from influence.actions import follow_up

    f = follow_up(datasets.load("hollinford"), previous=datasets.load("hollinford", year=2019),
                  as_at="2023-09-01").set_index("about")
    assert f["state"].to_dict() == {
        "westshire_icb": "done (the map shows it)", "cllr_derek_whitlow": "done (the map shows it)",
        "cc_public_health": "overdue", "environment_agency": "overdue",
        "westshire_police": "overdue", "westshire_cf": "done"}
