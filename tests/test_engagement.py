"""Engagement grid: known quadrants, thresholds, the demo's data card."""

import networkx as nx
import pytest
from hypothesis import given, settings, strategies as st

import influence
from influence.engagement import ACTIONS, engagement
from influence.errors import InputError


def _g(values):
    G = nx.Graph()
    G.add_node("us", kind="big_local_partnership")
    for n, (infl, stance, interest, w) in values.items():
        G.add_node(n, influence=infl, stance=stance, interest=interest, kind="person")
        if w:
            G.add_edge("us", n, strength=w)
    return G


def test_quadrants_known_answer():
    G = _g({"ally": (4, 2, 3, 3), "foe": (4.5, -2, 1, 0), "fan": (1, 1, 1, 1),
            "curious": (1, 0, 4, 0), "idle": (1, -1, 1, 1), "edge": (2.5, 0, 0, 1),
            "blank": (None, 1, 1, 1)})
    G.add_edge("fan", "foe")
    e = engagement(G)
    assert "us" not in e.index
    act = e["action"].to_dict()
    assert act["ally"] == "keep close" and act["foe"] == "win over"
    assert act["fan"] == "keep informed" and act["curious"] == "keep informed"
    assert act["idle"] == "watch" and act["edge"] == "win over"  # 2.5 is high (>=)
    assert e.loc["blank", "quadrant"] == "not scored" and e["action"].isna()["blank"]
    assert e.loc["ally", "our_tie"] == 3 and e.loc["foe", "our_tie"] == 0
    assert e.loc["foe", "evidence"] == ("influence 4.5 out of 5, opposes, interest 1 out of 5, "
                                        "no direct tie (2 steps away)")
    assert list(e.index[:2]) == ["ally", "foe"]  # action order


def test_threshold_option_and_errors():
    G = _g({"a": (3, 1, 1, 1)})
    assert engagement(G, threshold=3.5).loc["a", "action"] == "keep informed"
    with pytest.raises(InputError, match="between 0 and 5"):
        engagement(G, threshold=9)


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 5), st.integers(-2, 2), st.floats(0, 5))
def test_action_is_a_function_of_the_scores(infl, stance, interest):
    G = _g({"a": (infl, stance, interest, 1)})
    act = engagement(G).loc["a", "action"]
    assert act in ACTIONS
    assert (act in ("keep close", "win over")) == (infl >= 2.5)
    if infl >= 2.5:
        assert (act == "keep close") == (stance > 0)


def test_demo_data_card():
    e = engagement(influence.datasets.load("hollinford"))
    for who in ("cllr_derek_whitlow", "castlegate_homes"):
        assert e.loc[who, "action"] == "win over"
    for who in ("westshire_icb", "cc_public_health"):
        assert e.loc[who, "action"] == "keep close"
    assert "hbl" not in e.index and "margaret_hale" not in e.index
