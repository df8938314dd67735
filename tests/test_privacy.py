"""Pseudonyms for residents: stable, unique, office-holders and bodies keep their names."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from influence.model import InfluenceMap
from influence.privacy import (anonymise, office_holders, ok_to_name, pseudonyms, share_names,
                               shareable)
from influence.schema import PERSON_KINDS
from test_html import area


def test_residents_pseudonymised_office_holders_by_role_bodies_kept():
    m = area()
    a = anonymise(m, salt="s")
    names = dict(zip(a.actors.index, a.actors["name"], strict=False))
    residents = list(a.actors.index[a.actors["kind"] == "resident"])
    assert len(residents) == 3 and all(names[i].startswith("Resident ") for i in residents)
    assert all(i == names[i] for i in residents)  # ids replaced too
    for i in ("cc", "icb", "bl", "grp"):
        assert names[i] == m.actors.loc[i, "name"]
    assert names["Ward councillor"] == "Ward councillor"  # by role, never by name
    assert names["Council officer, Shire County Council"] == "Council officer, Shire County Council"
    assert not {"Cllr Dee Patel", "Ed Officer"} & set(names.values())
    assert not any(c.startswith("private_") for c in a.actors.columns)
    assert a.actors["favourite"].isna().loc[residents].all()  # custom columns blanked
    assert "chair since 2019" not in a.ties["notes"].dropna().tolist()
    assert set(a.ties["source"]) | set(a.ties["target"]) <= set(a.actors.index)
    assert len(a.ties) == len(m.ties) and not {"ann", "bob", "cat"} & set(a.ties["source"])


def test_one_rule_for_every_person_in_the_demo():
    import influence

    m = influence.datasets.load("hollinford")
    p = pseudonyms(m, salt="s")
    # every person is renamed: nobody keeps a personal name in an anonymised output
    people = m.actors.index[m.actors["kind"].isin(PERSON_KINDS)]
    assert set(people) == set(p)
    # office-holders, whether their kind is an office or they work for a body, by role
    assert p["icb_sam_reid"] == ("ICB community engagement lead, NHS Westshire and Vale "
                                 "Integrated Care Board")
    assert p["head_lucy_ford"] == "Headteacher, Hollinford Primary Academy"
    assert p["dc_priya_nair"] == "Community development officer, Vale of Holling District Council"
    assert p["cllr_derek_whitlow"] == ("County councillor, Westshire County Council "
                                       "(Hollinford and Wykes division)")
    assert p["pcso_lee"] == "PCSO, Westshire Police (Hollinford neighbourhood team)"
    # fellow parish councillors are all labelled the same way (told apart by a hash)
    parish = [p[i] for i in ("janet_okafor", "cllr_helen_burke")]
    assert all(x.startswith("Parish councillor, Hollinford Town Council (") for x in parish)
    assert len(set(parish)) == 2
    # residents are pseudonymised, and no label carries a personal name
    assert p["margaret_hale"].startswith("Resident ")
    surnames = {str(n).split(" (")[0].split()[-1] for n in m.actors.loc[people, "name"]}
    assert not any(s in label for label in p.values() for s in surnames if len(s) > 3)
    a = anonymise(m, salt="s")
    assert len(set(a.actors.index)) == len(m.actors)


def test_ok_to_name_no_is_always_pseudonymised():
    import influence

    m = influence.datasets.load("hollinford")
    actors = m.actors.copy()
    actors["ok_to_name"] = None
    actors.loc["head_lucy_ford", "ok_to_name"] = "no"
    actors.loc["margaret_hale", "ok_to_name"] = "N"
    actors.loc["ruth_ellis", "ok_to_name"] = "yes"
    m2 = InfluenceMap(actors, m.ties, name=m.name)
    assert not ok_to_name(m2)["head_lucy_ford"] and ok_to_name(m2)["ruth_ellis"]
    p = pseudonyms(m2, salt="s")
    assert p["head_lucy_ford"].startswith("Person ")
    assert "head_lucy_ford" not in office_holders(m2)
    s = share_names(m2, salt="s")
    assert s["margaret_hale"].startswith("Resident ") and s["head_lucy_ford"].startswith("Person ")
    assert "ruth_ellis" not in s  # private but OK to name: named in a shared output
    shared = shareable(m2, salt="s")
    assert "Lucy Ford (headteacher)" not in set(shared.actors["name"])
    assert "Margaret Hale" not in set(shared.actors["name"])
    assert "Ruth Ellis" in set(shared.actors["name"])
    assert "ok_to_name" not in shared.actors


def test_shareable_map_carries_no_judgement_of_a_person():
    m = area()
    s = shareable(m, salt="s")
    people = s.actors["kind"].isin(PERSON_KINDS)
    for col in ("influence", "stance", "interest", "giving"):
        if col in s.actors:
            assert s.actors.loc[people, col].isna().all(), col
    assert s.actors.loc["cc", "stance"] == -1  # bodies keep theirs
    touched = s.ties["source"].isin(s.actors.index[people]) | s.ties["target"].isin(
        s.actors.index[people])
    assert s.ties.loc[touched, "hours"].isna().all()
    assert s.actors.loc["ann", "name"] == "Ann Smith"  # private, OK to name
    assert s.actors.loc["Ward councillor", "name"] == "Ward councillor"
    assert not any(c.startswith("private_") for c in s.actors.columns)
    assert s.actors["favourite"].isna().all()


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
    assert H.number_of_edges() == 2 and "MP" in H and "mp" not in H
    assert all("notes" not in d for _, _, d in H.edges(data=True))
    assert all("private_x" not in d for _, d in H.nodes(data=True))


def _workbook(path, answers):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Actors"
    ws.append(("id", "name", "kind", "OK to name"))
    for k, v in enumerate(answers):
        ws.append((f"p{k}", f"Person {k}", "resident", v))
    ws2 = wb.create_sheet("Ties")
    ws2.append(("source", "target"))
    ws2.append(("p0", "p1"))
    wb.save(path)


def test_ok_to_name_column_read_as_yes_no(tmp_path):
    import influence

    _workbook(tmp_path / "m.xlsx", ["no", None, "Yes", "N"])
    m = influence.read(tmp_path / "m.xlsx")
    assert m.actors["ok_to_name"].tolist()[0] is False or not m.actors["ok_to_name"].iloc[0]
    assert ok_to_name(m).tolist() == [False, True, True, False]


def test_validate_rejects_other_ok_to_name_words(tmp_path):
    from click.testing import CliRunner

    from influence import cli

    _workbook(tmp_path / "m.xlsx", ["no", "maybe"])
    res = CliRunner().invoke(cli.main, ["validate", str(tmp_path / "m.xlsx")])
    assert res.exit_code == 1
    assert ('m.xlsx, sheet "Actors", row 3, column "OK to name": ok_to_name must be yes or no '
            "(value: 'maybe'). Fix: write yes (this person may be named in what we share) or no "
            "(show them only by a pseudonym), or leave it empty") in res.output


def test_names_in_shared_text_are_replaced_whole():
    from influence.share import _text_relabeller

    swap = _text_relabeller({"Ann": "Resident 1A2B", "Sam Reid (ICB lead)": "ICB lead, NHS ICB"})
    assert swap("Ann → Sam Reid (ICB lead) → Annfield Trust; Ann's group") == (
        "Resident 1A2B → ICB lead, NHS ICB → Annfield Trust; Resident 1A2B's group")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(PERSON_KINDS | {"school", "icb"})),
                          st.booleans(), st.sampled_from(["yes", "no", None])),
                min_size=1, max_size=30),
       st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29),
                          st.sampled_from(["works_for", "represents", "knows"])), max_size=40))
def test_every_person_renamed_uniquely_and_never_by_name(people, ties):
    actors = [{"id": f"a{k}", "name": (f"Zed{k} Quill{k}" if kind in PERSON_KINDS else
                                       f"Body {k}") + (" (lead)" if titled else ""),
               "kind": kind, "ok_to_name": ok} for k, (kind, titled, ok) in enumerate(people)]
    n = len(actors)
    links = [{"source": f"a{u}", "target": f"a{v}", "kind": kind} for u, v, kind in ties
             if u < n and v < n and u != v]
    import influence

    m = influence.build(actors=actors, ties=links)
    p = pseudonyms(m, salt="s")
    persons = {a["id"] for a in actors if a["kind"] in PERSON_KINDS}
    assert set(p) == persons  # one rule: every person, and only people, renamed
    assert len(set(p.values())) == len(p)  # never two people with one name
    assert not any("Zed" in label or "Quill" in label for label in p.values())
    holders = office_holders(m)
    for a in actors:
        if a["ok_to_name"] == "no" and a["kind"] in PERSON_KINDS:
            assert a["id"] not in holders and p[a["id"]].startswith(("Resident ", "Person "))
    a = anonymise(m, salt="s")
    assert len(a.actors) == n and set(a.ties["source"]) | set(a.ties["target"]) <= set(
        a.actors.index)


def test_pseudonyms_without_a_salt_cannot_be_reversed_by_hashing_ids():
    import hashlib

    from influence.privacy import pseudonym_code as _digest

    unkeyed = hashlib.blake2b(b"margaret_hale", digest_size=16).hexdigest()[:4].upper()
    assert _digest("margaret_hale", None, 4) == _digest("margaret_hale", None, 4)  # one run
    assert _digest("margaret_hale", None, 32) != hashlib.blake2b(
        b"margaret_hale", digest_size=16).hexdigest().upper()
    assert _digest("margaret_hale", "k", 4) == _digest("margaret_hale", "k", 4)
    assert len(unkeyed) == 4


def test_role_labels_stay_unique_when_their_codes_collide():
    """3,000 MPs share one label; four hex digits give some of them the same code (58 labels
    repeated before this was fixed), so those are lengthened until every label is unique."""
    from influence.privacy import pseudonym_code, role_labels

    import influence

    m = influence.build(actors=[{"id": f"mp{i}", "kind": "mp"} for i in range(3000)])
    labels = role_labels(m, salt="a")
    assert len(set(labels.values())) == 3000
    codes = [pseudonym_code(i, "a", 4) for i in labels]
    assert len(set(codes)) < 3000  # the four-digit codes do collide
    short = [v for v in labels.values() if len(v) == len("MP (0005)")]
    assert 2800 < len(short) < 3000  # only the colliding ones were lengthened
    assert labels == role_labels(m, salt="a")  # the same labels for the same salt
