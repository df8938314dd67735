"""Civic core (spec §4): tie-inclusive thresholds, exact arithmetic, population, Davis."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fixtures import make_map, permutation, relabel
from influence.civic import _core, civic_core
from influence.errors import InputError, UnknownActorError

DAVIS_DEGREES = {"Evelyn Jefferson": 8, "Laura Mandeville": 7, "Theresa Anderson": 8,
                 "Brenda Rogers": 7, "Charlotte McDowd": 4, "Frances Anderson": 4,
                 "Eleanor Nye": 4, "Pearl Oglethorpe": 3, "Ruth DeSand": 4, "Verne Sanderson": 4,
                 "Myra Liddel": 4, "Katherina Rogers": 6, "Sylvia Avondale": 7,
                 "Nora Fayette": 8, "Helen Lloyd": 5, "Dorothy Murchison": 2,
                 "Olivia Carleton": 2, "Flora Price": 2}


def test_davis_southern_women_participation_core():
    core = civic_core(nx.davis_southern_women_graph())
    p = core.people
    assert len(p) == 18 and p["participation"].to_dict() == DAVIS_DEGREES
    # 2/3 of 89 = 59.33: 8+8+8+7+7+7+6+5 = 56 < 59.33 <= 60 -> threshold 4, ties included
    d = core.dimensions.loc["participation"]
    assert d["threshold"] == 4 and d["core_size"] == 14
    assert d["core_share_total"] == pytest.approx(80 / 89)
    assert set(p.index[~p["civic_core"]]) == {"Pearl Oglethorpe", "Dorothy Murchison",
                                              "Olivia Carleton", "Flora Price"}
    assert core.overlap.tolist() == [4, 14, 0, 0]
    # groups: event E7 has 10 women, all but none outside the core?
    g = core.groups
    assert g["members"].sum() == 89 and len(g) == 14
    assert ((g["core_share"] >= 0) & (g["core_share"] <= 1)).all()


def test_tie_inclusive_threshold_and_exact_arithmetic():
    # total 9, 2/3 = 6: 3 + 3 reaches 6 exactly -> threshold 3, both 3s (and only they)
    x = np.array([3.0, 1.0, 3.0, 1.0, 1.0])
    core, tau = _core(x, Fraction(2, 3))
    assert tau == 3 and core.tolist() == [True, False, True, False, False]
    # ties at the threshold all join: 4 people of 2, total 8, 2/3 -> k=3 -> tau 2 -> all four
    core, tau = _core(np.array([2.0, 2.0, 2.0, 2.0]), Fraction(2, 3))
    assert core.all() and tau == 2
    # zeros never join, and an all-zero dimension has an empty core
    core, tau = _core(np.zeros(3), Fraction(2, 3))
    assert not core.any() and np.isnan(tau)
    # exactly reaching the share is enough (no rounding): 0.5 of a total of 1.0
    core, _ = _core(np.array([0.25, 0.5, 0.25]), Fraction(1, 2))
    assert core.tolist() == [False, True, False]
    # share given as the float 2/3 is read as exactly two thirds: 2 of 3 reaches it
    core, _ = _core(np.array([2.0, 1.0]), Fraction(2 / 3).limit_denominator(1000))
    assert core.tolist() == [True, False]


def area():
    return make_map(
        [{"id": "bl", "kind": "big_local_partnership"},
         {"id": "club", "kind": "community_group"},
         {"id": "pc", "kind": "parish_council"},
         {"id": "ann", "kind": "resident", "giving": 500.0},
         {"id": "bob", "kind": "resident", "giving": 10.0},
         {"id": "cat", "kind": "ward_councillor"},
         {"id": "dan", "kind": "resident"},  # no group: still in the population
         {"id": "eve", "kind": "resident", "giving": 20.0}],
        [{"source": "ann", "target": "bl", "kind": "chairs", "hours": 200.0},
         {"source": "ann", "target": "club", "kind": "member_of", "hours": 50.0},
         {"source": "ann", "target": "pc", "kind": "member_of"},
         {"source": "bob", "target": "bl", "kind": "member_of", "hours": 10.0},
         {"source": "bob", "target": "bl", "kind": "member_of", "hours": 5.0},  # duplicate
         {"source": "cat", "target": "pc", "kind": "member_of", "hours": 40.0},
         {"source": "eve", "target": "club", "kind": "volunteers_at", "hours": 10.0},
         {"source": "eve", "target": "ann", "kind": "knows"}])


def test_area_hand_computed():
    core = civic_core(area())
    p = core.people
    assert list(p.index) == ["ann", "bob", "cat", "dan", "eve"]  # people only, dan included
    assert p["participation"].tolist() == [3, 1, 1, 0, 1]  # duplicate ties collapse
    assert p["hours"].tolist() == [250, 15, 40, 0, 10]  # hours add up over ties
    assert p.loc["ann", "giving"] == 500 and p.loc["dan", "giving"] == 0
    # hours total 315, 2/3 = 210: ann alone (250) -> core {ann}
    assert p["core_hours"].tolist() == [True, False, False, False, False]
    # participation total 6, 2/3 = 4: 3 + 1 -> threshold 1 -> everyone with >= 1
    assert p["core_participation"].tolist() == [True, True, True, False, True]
    assert p["core_giving"].tolist() == [True, False, False, False, False]
    assert p["n_cores"].tolist() == [3, 1, 1, 0, 1]
    assert core.dimensions.loc["hours", "core_share_people"] == pytest.approx(1 / 5)
    assert core.sentence == ("80% of the 5 people on our map, not of the area's residents, "
                             "provide 100% of volunteering hours, 100% of giving and 100% of "
                             "participation in groups (the civic core: 4 people).")
    g = core.groups
    assert g.loc["bl", "members"] == 2 and g.loc["pc", "hours"] == 40
    assert g.loc["club", "core_hours_share"] == pytest.approx(1.0)
    assert core.many_roles.index.tolist() == ["ann"]
    assert core.many_roles.loc["ann", "groups"] == ("bl", "club", "pc")


def test_share_changes_the_core_and_is_validated():
    strict = civic_core(area(), share=Fraction(1, 2))
    assert strict.people["core_participation"].sum() == 1  # 3 >= 6/2
    with pytest.raises(InputError, match="share=1.5 must be a fraction"):
        civic_core(area(), share=1.5)


def test_negative_values_are_rejected():
    m = area()
    m.ties.loc[0, "hours"] = -1.0
    with pytest.raises(InputError, match="Negative hours .* Fix"):
        civic_core(m)


def test_people_option_for_a_plain_graph():
    B = nx.Graph([("p1", "g1"), ("p1", "g2"), ("p2", "g1")])
    with pytest.raises(InputError, match="Cannot tell the people"):
        civic_core(B)
    core = civic_core(B, people=["p1", "p2"])
    assert core.people["participation"].to_dict() == {"p1": 2, "p2": 1}
    with pytest.raises(UnknownActorError):
        civic_core(B, people=["nobody"])


def test_no_people():
    core = civic_core(make_map([{"id": "g", "kind": "community_group"}]))
    assert core.people.empty and "no people" in core.sentence


@st.composite
def populations(draw):
    n = draw(st.integers(1, 10))
    k = draw(st.integers(1, 4))
    actors = [{"id": f"p{i}", "kind": "resident",
               "giving": draw(st.sampled_from([None, 0.0, 5.0, 12.5, 100.0]))} for i in range(n)]
    actors += [{"id": f"g{j}", "kind": "community_group"} for j in range(k)]
    ties = [{"source": f"p{i}", "target": f"g{j}", "kind": "member_of",
             "hours": draw(st.sampled_from([None, 0.0, 1.0, 2.5, 10.0]))}
            for i, j in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, k - 1)),
                                      max_size=20))]
    return make_map(actors, ties)


@settings(max_examples=30, deadline=None)
@given(populations())
def test_properties(m):
    core = civic_core(m)
    d = core.dimensions
    for col in ["core_share_people", "core_share_total", "civic_core_share_total"]:
        vals = d[col].dropna()
        assert ((vals >= 0) & (vals <= 1 + 1e-12)).all()
    # each non-empty dimension core provides at least two thirds
    for _dim, row in d.iterrows():
        if row["total"] > 0:
            assert row["core_share_total"] >= 2 / 3 - 1e-12
    assert (core.people["civic_core"] == (core.people["n_cores"] > 0)).all()
    mapping = permutation(list(m.actors.index), seed=3)
    back = {v: k for k, v in mapping.items()}
    other = civic_core(relabel(m, mapping))
    p = other.people.rename(index=back).loc[core.people.index]
    pd.testing.assert_frame_equal(p.drop(columns="name"), core.people.drop(columns="name"),
                                  check_index_type=False)
    pd.testing.assert_frame_equal(other.dimensions, d)
    assert other.sentence == core.sentence


# --- the demo area (datasets/hollinford/README.md, finding 3) ----------------------------------
MANY_ROLES = {"ruth_ellis", "margaret_hale", "david_osei", "janet_okafor", "susan_pike",
              "linda_marsh"}


@pytest.mark.parametrize("year,people,core,hours_core,hours_share", [
    (2019, 237, 67, 10, 0.93), (2023, 251, 74, 11, 0.92)])
def test_demo_area_civic_core_as_the_data_card_says(year, people, core, hours_core,
                                                    hours_share):
    import influence

    m = influence.datasets.load("hollinford", year=year)
    c = civic_core(m)
    assert len(c.people) == people and int(c.people["civic_core"].sum()) == core
    d = c.dimensions
    assert d.loc["participation", "threshold"] == 2 and d.loc["hours", "threshold"] == 310
    assert d.loc["giving", "threshold"] == pytest.approx(230, abs=10)
    assert d.loc["hours", "core_size"] == hours_core
    assert round(d.loc["hours", "civic_core_share_total"], 2) == hours_share
    assert round(d.loc["giving", "civic_core_share_total"], 2) == 0.94
    assert 0.74 <= round(d.loc["participation", "civic_core_share_total"], 2) <= 0.75
    t = m.ties
    members = t.loc[(t["target"] == "hbl") & t["kind"].isin(["member_of", "chairs"]), "source"]
    assert c.people.loc[list(members), "civic_core"].all()
    if year == 2023:
        assert c.people.loc[list(members), "core_hours"].all()
    assert MANY_ROLES <= set(c.many_roles.index)
    assert c.sentence.startswith(f"{round(100 * core / people)}% of the {people} people on our "
                                 "map, not of the area's residents, provide "
                                 f"{round(100 * hours_share)}% of volunteering hours")
