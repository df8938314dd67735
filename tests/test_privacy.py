"""Pseudonyms for residents: stable, unique, office-holders and bodies keep their names."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from influence.privacy import anonymise, pseudonyms
from test_html import area


def test_residents_pseudonymised_office_holders_and_bodies_kept():
    m = area()
    a = anonymise(m, salt="s")
    names = dict(zip(a.actors.index, a.actors["name"]))
    residents = [i for i, k in zip(a.actors.index, a.actors["kind"]) if k == "resident"]
    assert len(residents) == 3 and all(names[i].startswith("Resident ") for i in residents)
    assert all(i == names[i] for i in residents)  # ids replaced too
    for i in ("cllr", "off", "cc", "icb", "bl", "grp"):
        assert names[i] == m.actors.loc[i, "name"]
    assert not any(c.startswith("private_") for c in a.actors.columns)
    assert a.actors["favourite"].isna().loc[residents].all()  # custom columns blanked
    assert "chair since 2019" not in a.ties["notes"].dropna().tolist()
    assert set(a.ties["source"]) | set(a.ties["target"]) <= set(a.actors.index)
    assert len(a.ties) == len(m.ties) and not {"ann", "bob", "cat"} & set(a.ties["source"])


def test_pseudonyms_are_stable_and_depend_on_salt():
    m = area()
    assert pseudonyms(m, salt="a") == pseudonyms(area(), salt="a")
    assert pseudonyms(m, salt="a") != pseudonyms(m, salt="b")
    assert anonymise(m, salt="a").actors.equals(anonymise(m, salt="a").actors)


def test_known_pseudonym():
    # BLAKE2b-128 of "ann" keyed with "s", first four hex digits, upper case
    import hashlib

    want = hashlib.blake2b(b"ann", key=b"s", digest_size=16).hexdigest()[:4].upper()
    assert pseudonyms(area(), salt="s")["ann"] == f"Resident {want}"


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=1, max_value=3000))
def test_pseudonyms_unique_even_with_many_residents(n):
    G = nx.empty_graph(n)
    nx.set_node_attributes(G, "resident", "kind")
    p = pseudonyms(G)
    assert len(p) == n and len(set(p.values())) == n


def test_networkx_graph_keeps_structure():
    G = nx.MultiGraph()
    G.add_node("ann", kind="resident", name="Ann", private_x=1)
    G.add_node("mp", kind="mp", name="The MP")
    G.add_edge("ann", "mp", notes="met at surgery")
    G.add_edge("ann", "mp")
    H = anonymise(G, salt="z")
    assert H.number_of_edges() == 2 and "mp" in H
    assert all("notes" not in d for _, _, d in H.edges(data=True))
    assert all("private_x" not in d for _, d in H.nodes(data=True))
