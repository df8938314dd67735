"""Spheres of influence and the frontier: hand-computed toys, spec §7 conventions, properties."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fixtures import FIXTURES, make_map, permutation, relabel
from influence.errors import InputError, UnknownActorError
from influence.spheres import frontier, spheres


def area():
    """Partnership bl with members ann (chair) and bob; outward ties of varying strength."""
    return make_map(
        [{"id": "bl", "kind": "big_local_partnership"},
         {"id": "ann", "kind": "resident"}, {"id": "bob", "kind": "resident"},
         {"id": "pc", "kind": "parish_council"}, {"id": "cllr", "kind": "county_councillor"},
         {"id": "cc", "kind": "county_council"}, {"id": "icb", "kind": "icb"},
         {"id": "dev", "kind": "developer"}, {"id": "hermit", "kind": "resident"}],
        [{"source": "ann", "target": "bl", "kind": "chairs"},
         {"source": "bob", "target": "bl", "kind": "member_of"},
         {"source": "ann", "target": "pc", "strength": 1.0},
         {"source": "bob", "target": "pc", "strength": 3.0},
         {"source": "pc", "target": "cllr"},
         {"source": "bob", "target": "cllr", "kind": "knows", "strength": 2.0},
         {"source": "cllr", "target": "cc", "kind": "member_of"},
         {"source": "cc", "target": "icb", "kind": "works_with"},
         {"source": "dev", "target": "cc", "kind": "influences"}])  # directed, into cc


def test_default_focus_is_partnership_and_members():
    s = spheres(area())
    assert s["sphere"].dtype == "Int64" and s["ring"].dtype == "string"
    assert s.loc[["bl", "ann", "bob"], "sphere"].tolist() == [0, 0, 0]
    assert (s.loc[["bl", "ann", "bob"], "ring"] == "partnership").all()
    assert s.loc["pc", "sphere"] == 1 and s.loc["cllr", "sphere"] == 1
    assert s.loc["cc", "sphere"] == 2 and s.loc["cc", "ring"] == "one introduction away"
    assert s.loc["icb", "sphere"] == 3 and s.loc["icb", "ring"] == "further"
    # dev influences cc (directed): we cannot reach dev by following ties outward
    assert s.loc["dev", "ring"] == "not reached" and pd.isna(s.loc["dev", "sphere"])
    assert s.loc["hermit", "ring"] == "not reached"
    assert len(s) == 9  # nobody dropped


def test_via_is_the_strongest_tie_from_the_previous_sphere():
    s = spheres(area())
    assert s.loc["pc", "via"] == "bob"  # strength 3 beats ann's 1
    assert s.loc["cllr", "via"] == "bob"
    assert s.loc["cc", "via"] == "cllr" and s.loc["icb", "via"] == "cc"
    assert pd.isna(s.loc["bl", "via"]) and pd.isna(s.loc["dev", "via"])


def test_via_ties_broken_by_smallest_id():
    G = nx.Graph([("us", "b"), ("us", "a"), ("a", "x"), ("b", "x")])
    assert spheres(G, focus="us").loc["x", "via"] == "a"


def test_focus_by_id_list_and_kind():
    m = area()
    s = spheres(m, focus="cc")
    assert s.loc["cc", "ring"] == "focus" and s.loc["icb", "sphere"] == 1
    assert s.loc["dev", "ring"] == "not reached"
    s = spheres(m, focus=["dev"])
    assert s.loc["cc", "sphere"] == 1 and s.loc["cllr", "sphere"] == 2
    s = spheres(m, focus="county_council")  # a kind
    assert s.loc["cc", "sphere"] == 0
    pd.testing.assert_frame_equal(spheres(m, focus="big_local_partnership"), spheres(m))


def test_steps_counts_only_the_near_spheres():
    s = spheres(area(), steps=1)
    assert s.loc["cc", "ring"] == "further" and pd.isna(s.loc["cc", "sphere"])
    assert pd.isna(s.loc["cc", "via"])
    assert s.loc["dev", "ring"] == "not reached"
    assert s.loc["pc", "sphere"] == 1


def test_unknown_focus_names_it_and_the_fix():
    with pytest.raises(UnknownActorError, match=r"Unknown focus: zed .*Fix: use an id"):
        spheres(area(), focus=["ann", "zed"])


def test_no_partnership_needs_a_focus():
    with pytest.raises(InputError, match="no big_local_partnership actor. Fix: pass focus"):
        spheres(nx.path_graph(3))


def test_matches_networkx_multi_source_distances():
    G = nx.gnp_random_graph(80, 0.03, seed=4, directed=True)
    focus = [0, 5, 9]
    s = spheres(G, focus=focus)
    dist = nx.multi_source_dijkstra_path_length(G, set(focus))
    for v in G:
        got = s.loc[v, "sphere"]
        assert (pd.isna(got) and v not in dist) or got == dist[v]


def test_frontier_greedy_set_cover():
    # from sphere 1 {a, b, c}: a reaches x, y; b reaches y, z, w; c reaches w
    G = nx.Graph([("us", "a"), ("us", "b"), ("us", "c"), ("a", "x"), ("a", "y"),
                  ("b", "y"), ("b", "z"), ("b", "w"), ("c", "w")])
    f = frontier(G, focus="us")
    assert f.index.tolist() == ["b", "a"]
    assert f["introduces"].tolist() == [3, 1]
    assert f["actors"].tolist() == [("w", "y", "z"), ("x",)]
    assert f["rank"].tolist() == [1, 2]
    # every actor two steps away is covered exactly once
    s = spheres(G, focus="us")
    covered = [a for t in f["actors"] for a in t]
    assert sorted(covered) == sorted(s.index[s["sphere"] == 2])


def test_frontier_on_the_area():
    f = frontier(area())
    assert f.index.tolist() == ["cllr"] and f.loc["cllr", "actors"] == ("cc",)
    f2 = frontier(area(), steps=2)
    assert f2.index.tolist() == ["cc"] and f2.loc["cc", "actors"] == ("icb",)


@st.composite
def maps(draw):
    n = draw(st.integers(1, 12))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                    st.sampled_from(["knows", "influences", "member_of"])),
                          max_size=25))
    actors = [{"id": f"a{i}", "kind": "big_local_partnership" if i == 0 else "resident"}
              for i in range(n)]
    ties = [{"source": f"a{u}", "target": f"a{v}", "kind": k} for u, v, k in edges]
    return make_map(actors, ties)


@settings(max_examples=30, deadline=None)
@given(maps(), st.integers(0, 4))
def test_properties(m, steps):
    full = spheres(m)
    part = spheres(m, steps=steps)
    # monotone in steps: what is counted with `steps` is the same with steps + 1
    nxt = spheres(m, steps=steps + 1)
    counted = part["sphere"].notna()
    assert nxt.loc[counted, "sphere"].equals(part.loc[counted, "sphere"])
    assert counted.sum() <= nxt["sphere"].notna().sum()
    assert (part.loc[counted, "sphere"] <= steps).all()
    assert full.loc[counted, "sphere"].equals(part.loc[counted, "sphere"])
    # via is in the previous sphere
    for _v, row in full[full["sphere"] > 0].iterrows():
        assert full.loc[row["via"], "sphere"] == row["sphere"] - 1
    # relabelling permutes rows only
    mapping = permutation(list(m.actors.index), seed=2)
    back = {v: k for k, v in mapping.items()}
    r = spheres(relabel(m, mapping)).rename(index=back).loc[full.index]
    assert r["sphere"].equals(full["sphere"]) and r["ring"].equals(full["ring"])
    pd.testing.assert_frame_equal(full, spheres(m))
    f = frontier(m)
    assert (f["introduces"] >= 1).all() and f["introduces"].is_monotonic_decreasing
    assert sum(f["introduces"]) == int((full["sphere"] == 2).sum())


def test_every_fixture_keeps_every_actor():
    for name, make in FIXTURES.items():
        m = make()
        focus = m.actors.index[0] if len(m.actors) else None
        s = spheres(m, focus=focus)
        assert s.index.equals(m.actors.index), name
        assert set(s["ring"].dropna()) <= {"partnership", "focus", "direct ties",
                                           "one introduction away", "further", "not reached"}
        assert np.all(s["sphere"].dropna() >= 0)


# --- the demo area (datasets/hollinford/README.md: partnership, gatekeeper) --------------------
@pytest.mark.parametrize("year,whitlow", [(2019, 2), (2023, 1)])
def test_demo_area_spheres_as_the_data_card_says(year, whitlow):
    import influence

    m = influence.datasets.load("hollinford", year=year)
    s = spheres(m)
    t = m.ties
    members = set(t.loc[(t["target"] == "hbl") & t["kind"].isin(["member_of", "chairs"]),
                        "source"])
    assert set(s.index[s["sphere"] == 0]) == members | {"hbl"}
    assert (s.loc[list(members), "ring"] == "partnership").all()
    # every route to the county council passes through its gatekeeper councillor
    assert s.loc["cllr_derek_whitlow", "sphere"] == whitlow
    for body in ("westshire_cc", "cc_public_health", "cc_highways"):
        assert s.loc[body, "sphere"] == whitlow + 1
        assert s.loc[body, "via"] == "cllr_derek_whitlow"
    if year == 2023:  # the new tie made after the leadership training
        assert s.loc["cllr_derek_whitlow", "via"] == "margaret_hale"
    f = frontier(m)
    assert f["introduces"].sum() == int((s["sphere"] == 2).sum())
