"""The interactive HTML map: self-contained, escaped, private columns never written."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import influence
from influence.errors import InputError, OutputError
from influence.html import Map, script_json, to_html

HOSTILE = ('<img src=x onerror="window.__pwned=1"> </script><script>window.__pwned=2</script> '
           "'quotes' \"dq\" & 🙂 \u2028 مرحبا שלום")


def area(hostile: bool = False, extra: int = 0):
    """A small Big Local area: partnership, members, councillors, council, ICB, groups."""
    h = (lambda s: f"{s} {HOSTILE}") if hostile else (lambda s: s)
    actors = [
        {"id": "bl", "kind": "big_local_partnership", "name": h("Riverside Big Local"),
         "sector": "community", "influence": 3},
        {"id": "ann", "kind": "resident", "name": h("Ann Smith"), "sub_area": h("North"),
         "influence": 2, "stance": 2, "themes": h("health") + ";parks", "giving": 200,
         "private_phone": "07700 900123", "favourite": h("Earl Grey tea")},
        {"id": "bob", "kind": "resident", "name": h("Bob Jones"), "sub_area": "South",
         "influence": 1, "stance": 1, "themes": "parks"},
        {"id": "cat", "kind": "resident", "name": h("Cat Brown"), "sub_area": "South",
         "influence": 1, "stance": 0},
        {"id": "cllr", "kind": "ward_councillor", "name": h("Cllr Dee Patel"),
         "sector": "public", "influence": 4, "stance": 1, "themes": "housing"},
        {"id": "cc", "kind": "county_council", "name": h("Shire County Council"),
         "sector": "public", "influence": 5, "stance": -1, "themes": "health;housing"},
        {"id": "off", "kind": "council_officer", "name": h("Ed Officer"), "sector": "public",
         "influence": 3, "stance": 0},
        {"id": "icb", "kind": "icb", "name": h("Shire ICB"), "sector": "public",
         "influence": 5, "stance": 0, "themes": "health"},
        {"id": "grp", "kind": "community_group", "name": h("Friends of the Park"),
         "sector": "community", "sub_area": "North", "influence": 2, "stance": 2},
    ]
    ties = [
        {"source": "ann", "target": "bl", "kind": "member_of", "hours": 120,
         "notes": h("chair since 2019")},
        {"source": "bob", "target": "bl", "kind": "member_of", "hours": 20},
        {"source": "cllr", "target": "bl", "kind": "member_of", "hours": 10},
        {"source": "ann", "target": "grp", "kind": "volunteers_at", "hours": 50},
        {"source": "cat", "target": "grp", "kind": "member_of", "hours": 5},
        {"source": "cllr", "target": "off", "kind": "knows", "strength": 2},
        {"source": "off", "target": "cc", "kind": "works_for"},
        {"source": "bob", "target": "cat", "kind": "knows"},
    ]
    for k in range(extra):
        actors.append({"id": f"r{k}", "kind": "resident", "name": f"Resident number {k}",
                       "sub_area": "North" if k % 2 else "South", "influence": k % 5})
        ties.append({"source": f"r{k}", "target": "grp" if k % 3 else f"r{k // 2}",
                     "kind": "member_of" if k % 3 else "knows"})
    return influence.build(actors=actors, ties=ties)


def hostile_area():
    """Hostile text in every user field, kinds and custom columns included."""
    m = area(hostile=True)
    m.actors["kind"] = m.actors["kind"].astype(object)
    m.actors.loc["grp", "kind"] = f"group {HOSTILE}"  # a custom kind, as a graph could carry
    m.actors["themes"] = [tuple(t) + (HOSTILE,) if isinstance(t, tuple) else (HOSTILE,)
                          for t in m.actors["themes"]]
    m.actors["sector"] = m.actors["sector"].astype(object).fillna(HOSTILE)
    return m


def data_of(page: str) -> dict:
    body = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S)
    return json.loads(body.group(1))


def test_page_is_self_contained_and_has_csp():
    page = to_html(area(), title="Riverside")
    assert page.startswith("<!DOCTYPE html>")
    head = page[: page.index("</head>")]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', head).group(1)
    assert "default-src 'none'" in csp and "img-src data:" in csp
    assert csp.count("'sha256-") == 2 and "unsafe-eval" not in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    # no external resource of any kind
    assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', page)
    assert "cdn" not in page.lower().replace("cdnjs", "")  # no CDN links
    for lib in ("bootstrap", "tom-select"):
        assert lib not in page
    assert page.count("</script>") == 3


def test_script_hashes_match_inline_scripts():
    import base64
    import hashlib

    page = to_html(area())
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for code in scripts:
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in page


def test_data_round_trips_and_is_escaped():
    page = to_html(hostile_area())
    block = page.split('id="map-data">', 1)[1].split("</script>", 1)[0]
    for bad in ("<", ">", "&", "\u2028"):
        assert bad not in block
    data = data_of(page)
    names = {n["label"] for n in data["nodes"]}
    assert f"Ann Smith {HOSTILE}" in names  # the text survives, literally
    kinds = {n["f"]["kind"] for n in data["nodes"]}
    assert f"group {HOSTILE}" in kinds
    assert HOSTILE in data["filters"]["themes"]
    # outside the data block, user text never appears raw
    outside = page.replace(block, "")
    assert "onerror" not in outside.split("<body>", 1)[1].split('id="map-data"')[0]


def test_hostile_title_is_escaped():
    page = to_html(area(), title=HOSTILE)
    assert "<title>&lt;img src=x onerror=" in page
    assert '<img src=x' not in page.split('id="map-data"')[0]


def test_private_columns_never_in_page():
    m = area()
    m.ties["private_note"] = "SECRET-TIE"
    page = to_html(m)
    assert "07700 900123" not in page and "private_phone" not in page
    assert "SECRET-TIE" not in page and "private_note" not in page


def test_anonymise_replaces_residents_shows_office_holders_by_role():
    page = to_html(area(), anonymise=True, salt="s")
    for real in ("Ann Smith", "Bob Jones", "Cat Brown", "chair since 2019", "Earl Grey",
                 "Cllr Dee Patel", "Ed Officer"):
        assert real not in page
    for public in ("Ward councillor", "Shire County Council",
                   "Council officer, Shire County Council", "Shire ICB"):
        assert public in page
    labels = {n["label"] for n in data_of(page)["nodes"]}
    assert sum(lab.startswith("Resident ") for lab in labels) == 3
    again = {n["label"] for n in data_of(to_html(area(), anonymise=True, salt="s"))["nodes"]}
    assert labels == again  # stable


def test_node_fields_and_views():
    data = data_of(to_html(area()))
    ann = next(n for n in data["nodes"] if n["label"] == "Ann Smith")
    fields = dict(ann["fields"])
    # plain words for volunteers: catalogue labels, theme names, no numbers or codes
    assert fields["kind"] == "Resident / individual" and fields["stance"] == "champion"
    assert fields["themes"] == "Health and wellbeing; parks"
    assert fields["favourite"] == "Earl Grey tea"
    # ties travel once, compactly; the pop-up writes "member of -> Riverside Big Local: ..."
    pos = {n["label"]: n["id"] for n in data["nodes"]}
    kinds = data["tieKinds"]
    assert [pos["Ann Smith"], pos["Riverside Big Local"], kinds.index("member of"), 0,
            "chair since 2019"] in data["ties"]
    views = {v["id"]: v for v in data["views"]}
    assert views["map"]["available"] and views["spheres"]["available"]
    rings = [n["sphere"] for n in data["nodes"]]
    assert rings.count(0) >= 1 and None in rings  # the ICB is not reached
    assert data["rings"][0]["label"] == "partnership"


def test_sphere_layout_puts_rings_in_order():
    import numpy as np

    data = data_of(to_html(area()))
    r = {}
    for n in data["nodes"]:
        r.setdefault(4 if n["sphere"] is None else min(n["sphere"], 3), []).append(
            float(np.hypot(n["sx"], n["sy"])))
    keys = sorted(r)
    for a, b in zip(keys, keys[1:], strict=False):
        assert max(r[a]) < min(r[b])


def test_missing_ghosts_and_highlights_given():
    import pandas as pd

    missing = pd.DataFrame({"theme": ["health", "health"], "role": ["commissioner", "provider"],
                            "holder_type": ["icb", "nhs_trust"], "body": ["Shire ICB", HOSTILE],
                            "status": ["unconnected", "absent"], "actor": ["icb", pd.NA]})
    data = data_of(to_html(area(), missing=missing, highlights={"gatekeepers": ["cllr"]}))
    assert data["ghosts"][0]["label"] == f"Missing: {HOSTILE}"
    icb = next(n for n in data["nodes"] if n["label"] == "Shire ICB")
    assert icb["status"] == "unconnected: commissioner for health"
    cllr = next(n for n in data["nodes"] if n["label"] == "Cllr Dee Patel")
    assert "gatekeepers" in cllr["hl"]
    assert {v["id"]: v["available"] for v in data["views"]}["missing"]


def test_networkx_graph_and_size_by_measure():
    G = nx.karate_club_graph()
    data = data_of(to_html(G, color_by="club", size_by="betweenness"))
    assert len(data["nodes"]) == 34 and len(data["edges"]) == 78
    assert {g["name"] for g in data["groups"]} == {"Mr. Hi", "Officer"}
    biggest = max(data["nodes"], key=lambda n: n["size"])
    assert biggest["label"] == "0"  # actor 0 has the highest betweenness in karate


def test_bad_options_give_clear_errors(tmp_path):
    with pytest.raises(InputError, match="Cannot colour by 'nope'.*Fix"):
        to_html(area(), color_by="nope")
    with pytest.raises(InputError, match="Cannot size by 'nope'.*Fix"):
        to_html(area(), size_by="nope")
    out = tmp_path / "m.html"
    to_html(area(), path=out)
    with pytest.raises(OutputError, match="already exists"):
        to_html(area(), path=out)
    assert to_html(area(), path=out, force=True) == out.read_text(encoding="utf-8")


def test_jupyter_repr_is_sandboxed_iframe():
    page = to_html(area())
    assert isinstance(page, Map) and isinstance(page, str)
    frame = page._repr_html_()
    assert frame.startswith('<iframe sandbox="allow-scripts"') and "<script" not in frame


@settings(max_examples=40, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8))
def test_script_json_round_trips_and_never_closes_the_script(value):
    text = script_json(value)
    assert json.loads(text) == value
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text


@settings(max_examples=15, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1,
                        max_size=12), min_size=1, max_size=6, unique=True))
def test_any_names_survive_literally(names):
    G = nx.path_graph(len(names))
    nx.set_node_attributes(G, dict(enumerate(names)), "name")
    nx.set_node_attributes(G, "resident", "kind")
    page = to_html(G)
    assert {n["label"] for n in data_of(page)["nodes"]} == set(names)
    assert page.count("</script>") == 3


def test_cli_map(tmp_path):
    from influence.cli import main

    src = tmp_path / "area.xlsx"
    area().write(src)
    out = tmp_path / "map.html"
    res = CliRunner().invoke(main, ["map", str(src), "-o", str(out), "--anonymise",
                                    "--title", "Riverside"])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "Ann Smith" not in page and "Cllr Dee Patel" not in page and "07700" not in page
    assert "Ward councillor" in page
    res = CliRunner().invoke(main, ["map", str(src), "-o", str(out)])
    assert res.exit_code == 1 and "Error:" in res.output and "already exists" in res.output
    res = CliRunner().invoke(main, ["map", str(src), "-o", str(out), "--force",
                                    "--color-by", "nope"])
    assert res.exit_code == 1 and "Cannot colour by 'nope'" in res.output


def test_residents_grouped_per_sub_area_above_the_threshold():
    m = area(extra=60)
    data = data_of(to_html(m, group_above=50))
    groups = {b["label"]: b for b in data["bundles"]}
    assert set(groups) == {"31 residents, South", "30 residents, North"}
    nodes = data["nodes"]
    for b in data["bundles"]:
        assert all(nodes[k]["c"] == data["bundles"].index(b) for k in b["members"])
        assert all(nodes[k]["f"]["kind"] == "resident" for k in b["members"])
    # the partnership's own members, bodies and named roles stay individual
    individual = {n["label"] for n in nodes if "c" not in n}
    assert {"Ann Smith", "Bob Jones", "Riverside Big Local", "Cllr Dee Patel",
            "Shire County Council"} <= individual
    assert "Cat Brown" not in individual  # a resident outside the partnership
    # everyone is in exactly one place: drawn individually or in one group
    assert len(individual) + sum(len(b["members"]) for b in data["bundles"]) == len(nodes)
    # below the threshold, or switched off: no groups
    assert data_of(to_html(m, group_above=None))["bundles"] == []
    assert data_of(to_html(area(extra=10)))["bundles"] == []


def test_large_maps_draw_communities_as_one_node_each():
    G = nx.connected_caveman_graph(30, 12)  # 360 actors in 30 tight communities
    nx.set_node_attributes(G, {v: {"kind": "charity", "influence": v % 7, "name": f"Org {v}"}
                               for v in G})
    data = data_of(to_html(G, detail_limit=60))
    bundles, nodes = data["bundles"], data["nodes"]
    loose = [n for n in nodes if "c" not in n]
    assert len(loose) == 30 and len(loose) + len(bundles) <= 60 + 30
    # a group is one community of the caveman graph: members are consecutive caves
    for b in bundles:
        caves = {int(nodes[k]["label"].split()[1]) // 12 for k in b["members"]}
        assert len(caves) == 1, b["label"]
        best = min(b["members"], key=lambda k: nodes[k]["rank"])
        assert b["label"] == f"{len(b['members'])} actors around {nodes[best]['label']}"
    # the most important actors stay individual
    assert max(n["rank"] for n in loose) < min(nodes[k]["rank"] for b in bundles
                                               for k in b["members"])
    again = data_of(to_html(G, detail_limit=60))["bundles"]
    assert [b["members"] for b in again] == [b["members"] for b in bundles]  # stable
    assert data_of(to_html(G, detail_limit=None))["bundles"] == []


def test_group_labels_follow_anonymise_and_share():
    m = area(extra=60)
    page = to_html(m, detail_limit=10, group_above=None, anonymise=True, salt="s")
    assert "Resident number" not in page and "Ann Smith" not in page
    for kw in ({"anonymise": True, "salt": "s"}, {"share": True}):
        data = data_of(to_html(m, detail_limit=10, group_above=None, **kw))
        shown = {n["label"] for n in data["nodes"]}
        around = [b["label"].split(" around ")[1] for b in data["bundles"]
                  if " around " in b["label"]]
        assert around and set(around) <= shown  # a group is named after a label as shown


def unitary_area():
    """A map whose only council is a unitary council, reached only through one councillor
    (who knows the council without being part of it)."""
    return influence.build(
        actors=[{"id": "us", "kind": "big_local_partnership", "name": "Whitehawk Big Local"},
                {"id": "ann", "kind": "resident", "sub_area": "Whitehawk"},
                {"id": "bhcc", "kind": "unitary_council",
                 "name": "Brighton and Hove City Council"},
                {"id": "cllr", "kind": "ward_councillor", "name": "Cllr Jo Green", "stance": 1}],
        ties=[{"source": "ann", "target": "us", "kind": "member_of"},
              {"source": "ann", "target": "cllr"},
              {"source": "cllr", "target": "bhcc", "kind": "knows"}])


def test_gatekeepers_view_on_a_unitary_only_map():
    m = unitary_area()
    for institution in ("bhcc", "unitary_council"):
        assert influence.gatekeepers(m, community="big_local_partnership",
                                     institution=institution).strict == ["cllr"]
    data = data_of(to_html(m))
    assert {v["id"]: v["available"] for v in data["views"]}["gatekeepers"]
    marked = [n["label"] for n in data["nodes"] if "gatekeepers" in n.get("hl", ())]
    assert marked == ["Cllr Jo Green"]
    assert not any(n.startswith("gatekeepers") for n in data.get("notes", []))


def test_only_our_own_errors_become_a_note():
    from influence.htmldata import safe_call

    notes = []
    assert safe_call("civic core", lambda: (_ for _ in ()).throw(InputError("no kinds")),
                     notes) is None
    assert notes == ["civic core: not shown (no kinds)"]
    for bug in (KeyError("kind"), AttributeError("x"), TypeError("y"), ValueError("z")):
        with pytest.raises(type(bug)):
            safe_call("civic core", lambda bug=bug: (_ for _ in ()).throw(bug), notes)
    assert len(notes) == 1


# --- the page's data is worked out a column at a time: the same as cell by cell -------------
_ODD = [None, 1, 2.5, -0.0, 0.0, float("nan"), float("inf"), True, "x_y", "", ("a", None, "b"),
        (), ["l", 1], "resident", "health", ("health", "parks"), "  spaced ", 1e20, -2, "2",
        "champion", "council_officer"]


def _odd_columns():
    import numpy as np
    import pandas as pd

    return [pd.Series(_ODD, dtype=object),
            pd.Series([1.23456, None, -0.0, 0.0, float("inf"), 1e-7, 3.0] * 3),
            pd.Series(np.array([1.5, 2.25], dtype=np.float32)),
            pd.Series([1, None, -2, 7], dtype="Int64"),
            pd.Series([1.5, None, 2.0], dtype="Float64"),
            pd.Series([3, 4, -5]), pd.Series([True, False]),
            pd.Series([True, None], dtype="boolean"),
            pd.Series(["a", None, "", "b_c"], dtype="string"),
            pd.Series(["a", None, "a"], dtype="category"),
            pd.Series(pd.to_datetime(["2020-01-02", None])),
            pd.Series([], dtype=object), pd.Series([], dtype=float)]


def test_column_text_is_text_of_each_cell():
    from influence.drawing import text
    from influence.htmldata import column_text

    for column in _odd_columns():
        assert column_text(column) == [text(v) for v in column], column.dtype
        assert column_text(column) == [text(v) for v in column.to_numpy(dtype=object)]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(_ODD), max_size=30))
def test_shown_and_groups_are_those_of_each_cell(values):
    import pandas as pd

    from influence.drawing import text
    from influence.htmldata import (_group_texts, _shown, column_text, display_label,
                                    stance_text)

    def group(v):  # the group of one cell, as the page has always named it
        if isinstance(v, (tuple, list)):
            return "; ".join(map(str, v)) or "(none)"
        return text(v) or "(none)"

    def shown(col, v):  # what the pop-up shows for one cell
        val = stance_text(v) if col == "stance" else text(v)
        if val is not None and col in ("kind", "themes"):
            val = display_label(col, v, val)
        return val

    def outcome(fn, *args):  # the result, or the error (a stance of inf is no whole number)
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001
            return type(exc)

    def each(col, column):
        return [shown(col, v) for v in column]

    for column in [pd.Series(values, dtype=object), *_odd_columns()]:
        texts = column_text(column)
        assert _group_texts(column, texts) == [group(v) for v in column]
        for col in ("stance", "kind", "themes", "sector"):
            assert outcome(_shown, col, column, texts) == outcome(each, col, column)


def test_tie_table_is_that_of_each_tie():
    from influence.drawing import text
    from influence.graph import network
    from influence.htmldata import _tie_table

    G = nx.DiGraph()
    G.add_nodes_from(f"n{i}" for i in range(12))
    for i in range(40):
        G.add_edge(f"n{(i * 7) % 12}", f"n{(i * 5 + 1) % 12}",
                   kind=["member_of", None, "knows", "", "odd_kind"][i % 5],
                   notes=[None, "", "a note", " ", "x"][i % 4])
    for m in (G, influence.datasets.load("hollinford")):
        net = network(m)
        named = [i % 3 == 0 for i in range(net.n)]
        rows, words = [], {}  # tie by tie, as the page has always listed them
        ties = net.ties
        u, v = net.ids.get_indexer(ties["source"]), net.ids.get_indexer(ties["target"])
        directed = ties["directed"] if "directed" in ties else [net.directed] * len(ties)
        for a, b, kind, note, d in zip(u, v, ties["kind"], ties["notes"], directed,
                                       strict=True):
            if a < 0 or b < 0 or a == b:
                continue
            kind = (text(kind) or "tie").replace("_", " ")
            note = None if text(note) and (named[a] or named[b]) else text(note)
            rows.append([int(a), int(b), words.setdefault(kind, len(words)), int(bool(d)), note])
        assert _tie_table(net, named) == (rows, list(words))
