"""Summary: known counts on a small map, stale ties, networkx input."""

from __future__ import annotations

import networkx as nx
import pytest

import influence
from influence.errors import InputError
from influence.summary import stale_ties


def as_dict(frame, section):
    rows = frame[frame["section"] == section]
    return dict(zip(rows["item"], rows["value"], strict=False))


def test_summary_known_answers(good_map):
    s = influence.summary(good_map, stale_months=12, today="2025-07-31")
    assert list(s.columns) == ["section", "item", "value"]
    assert as_dict(s, "actors") == {"total": 5}
    assert as_dict(s, "actors by kind") == {"resident": 2, "big_local_partnership": 1,
                                            "ward_councillor": 1, "parish_council": 1}
    assert as_dict(s, "actors by sector") == {"community": 2, "public": 2, "(no sector)": 1}
    assert as_dict(s, "ties") == {"total": 4, "directed": 1, "never confirmed": 1}
    assert as_dict(s, "ties by kind") == {"chairs": 1, "knows": 1, "member_of": 1,
                                          "influences": 1}
    # the directed influences tie makes the network directed: 4 pairs -> 7 arcs of 5*4
    assert as_dict(s, "network") == {"components": 2, "largest component": 4,
                                     "density": 0.35, "isolates": 1}
    assert as_dict(s, "isolates") == {"loner": "Lone resident"}
    assert as_dict(s, "stale ties") == {
        "confirmed over 12 months before 2025-07-31": 2,
        "Ann - Cllr Bo (knows)": "last confirmed 2021-02-03",
        "Our Big Local - Upton Parish Council (influences)": "last confirmed 2024-06-30"}


def test_stale_ties_threshold(good_map):
    assert len(stale_ties(good_map, months=12, today="2025-07-31")) == 2
    assert len(stale_ties(good_map, months=0, today="2025-07-31")) == 3
    assert len(stale_ties(good_map, months=100, today="2025-07-31")) == 0
    with pytest.raises(InputError, match="stale_months must be a number of months >= 0"):
        stale_ties(good_map, months=-1)


def test_summary_of_networkx_graph():
    s = influence.summary(nx.path_graph(4))
    assert as_dict(s, "network") == {"components": 1, "largest component": 4,
                                     "density": 0.5, "isolates": 0}
    assert as_dict(s, "actors by kind") == {"person": 4}
