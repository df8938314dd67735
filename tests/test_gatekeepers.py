"""Access gatekeepers: brute force (delete each actor), Florentine families, kinds, sentences."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from influence.errors import InputError, UnknownActorError
from influence.gatekeepers import gatekeepers

from fixtures import FIXTURES, make_map


def reaches(G, sources, targets, removed=()):
    H = G.subgraph([v for v in G if v not in set(removed)])
    D = H if H.is_directed() else H.to_directed()
    seen = set()
    for s in sources:
        if s in D:
            seen |= {s} | nx.descendants(D, s)
    return bool(seen & set(targets))


def brute_min_cut(G, X, Y):
    outside = [v for v in G if v not in set(X) | set(Y)]
    if not reaches(G, X, Y):
        return 0.0
    for k in range(0, len(outside) + 1):
        for cut in itertools.combinations(outside, k):
            if not reaches(G, X, Y, cut):
                return float(k)
    return math.inf


def test_florentine_scenario():
    G = nx.florentine_families_graph()
    r = gatekeepers(G, community="Pazzi", institution="Strozzi")
    assert r.strict == ["Salviati", "Medici"]
    assert r.resilience == 1.0 and r.cut == ["Medici"]
    assert r.table.loc["Medici", "exposure"] == 1.0
    assert r.table.loc["Albizzi", "exposure"] == 0.0
    assert r.sentences[:2] == [
        "Every route from Pazzi to Strozzi passes through Salviati (stance not recorded).",
        "Every route from Pazzi to Strozzi passes through Medici (stance not recorded)."]
    # from the Albizzi there are two independent routes into the Strozzi/Peruzzi side
    r = gatekeepers(G, community="Albizzi", institution="Strozzi")
    assert r.strict == [] and r.resilience == 2.0
    assert not reaches(G, ["Albizzi"], ["Strozzi"], r.cut) and len(r.cut) == 2
    # two families, one of which depends on the Salviati: partial exposure 1/2
    r = gatekeepers(G, community=["Pazzi", "Acciaiuoli"], institution=["Strozzi", "Peruzzi"])
    assert r.strict == ["Medici"]
    assert r.table.loc["Salviati", ["members", "exposure"]].tolist() == [1, 0.5]


def test_excluded_and_direction():
    # directed: x1 -> g -> y ; x2 has only an incoming tie from g, so no route
    G = nx.DiGraph([("x1", "g"), ("g", "y"), ("g", "x2")])
    r = gatekeepers(G, community=["x1", "x2"], institution="y")
    assert r.strict == ["g"]
    assert list(r.excluded.index) == ["x2"]
    assert r.sentences[-1] == "1 member(s) of x1 and x2 have no route to y at all: x2."
    # reversed ties: nobody reaches y
    r = gatekeepers(G.reverse(), community=["x1", "x2"], institution="y")
    assert r.strict == [] and r.resilience == 0.0 and len(r.excluded) == 2
    assert r.sentences == ["No one in x1 and x2 has any route to y."]


def test_direct_tie_and_overlap_make_resilience_infinite():
    G = nx.Graph([("x", "y"), ("x", "g"), ("g", "y")])
    r = gatekeepers(G, community="x", institution="y")
    assert r.resilience == math.inf and r.strict == []
    assert "tied directly" in r.sentences[0]
    r = gatekeepers(G, community=["x", "g"], institution=["g", "y"])
    assert r.resilience == math.inf
    assert r.table.loc["g", "side"] == "both"


def area():
    return make_map(
        [{"id": "bl", "kind": "big_local_partnership", "name": "Our Big Local"},
         {"id": "ann", "kind": "resident"},
         {"id": "bob", "kind": "resident"},
         {"id": "dan", "kind": "resident"},
         {"id": "vic", "kind": "person", "name": "Vic"},
         {"id": "cllr", "kind": "county_councillor", "name": "Cllr X", "stance": -1},
         {"id": "cc", "kind": "county_council", "name": "the County Council"},
         {"id": "off", "kind": "council_officer", "name": "Officer O"}],
        [{"source": "ann", "target": "bl", "kind": "member_of"},
         {"source": "bob", "target": "bl", "kind": "chairs"},
         {"source": "bob", "target": "vic"},
         {"source": "vic", "target": "cllr"},
         {"source": "cllr", "target": "cc", "kind": "member_of"},
         {"source": "off", "target": "cc", "kind": "works_for"},
         {"source": "dan", "target": "ann"}])


def test_partnership_default_and_institution_kind():
    r = gatekeepers(area(), institution="county_council")
    assert sorted(r.community) == ["ann", "bl", "bob"]  # dan knows ann but is not a member
    assert sorted(r.institution) == ["cc", "cllr", "off"]
    assert r.strict == ["vic"]
    assert r.sentences[0] == ("Every route from the partnership to the County Council passes "
                              "through Vic (stance not recorded).")
    assert r.front_doors.index.tolist() == ["cllr"]
    assert "Cllr X (sceptical) is the only way into the County Council." in r.sentences
    assert r.table.loc["bob", "side"] == "community"
    assert r.internal.loc["bob", "members"] == 2  # ann and the partnership go through bob
    # by id, the institution is the council alone, and the councillor becomes a gatekeeper
    r = gatekeepers(area(), community="partnership", institution="cc")
    assert r.strict == ["vic", "cllr"]
    assert r.sentences[1] == ("Every route from the partnership to the County Council passes "
                              "through Cllr X (sceptical).")
    assert r.table.loc["cllr", ["stance", "stance_label"]].tolist() == [-1, "sceptical"]
    # dropping weak ties can cut access
    weak = area()
    weak.ties.loc[weak.ties["source"] == "vic", "strength"] = 1.0
    weak.ties.loc[weak.ties["source"] != "vic", "strength"] = 2.0
    assert gatekeepers(weak, institution="cc", min_strength=2).resilience == 0.0


def test_errors():
    with pytest.raises(UnknownActorError, match="Unknown institution: nope"):
        gatekeepers(area(), institution="nope")
    with pytest.raises(InputError, match="No institution given"):
        gatekeepers(area(), institution=None)
    G = nx.path_graph(3)
    with pytest.raises(UnknownActorError, match="no big_local_partnership actor"):
        gatekeepers(G, institution=2)


def test_fixtures_run():
    for name, make in FIXTURES.items():
        m = make()
        if not len(m.actors):
            assert len(gatekeepers(m, community=None, institution=[]).table) == 0
            continue
        r = gatekeepers(m, community=m.actors.index[0], institution=m.actors.index[-1])
        assert set(r.table.index) == set(m.actors.index), name


@st.composite
def scenario(draw):
    n = draw(st.integers(3, 9))
    directed = draw(st.booleans())
    G = nx.gnp_random_graph(n, draw(st.floats(0.1, 0.6)), seed=draw(st.integers(0, 9999)),
                            directed=directed)
    nodes = list(G)
    X = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=min(3, n - 1), unique=True))
    rest = [v for v in nodes if v not in X]
    Y = draw(st.lists(st.sampled_from(rest), min_size=1, max_size=2, unique=True))
    return G, X, Y


@settings(max_examples=60, deadline=None)
@given(scenario())
def test_brute_force(case):
    G, X, Y = case
    r = gatekeepers(G, community=X, institution=Y)
    acc = [x for x in X if reaches(G, [x], Y)]
    assert sorted(r.excluded.index) == sorted(set(X) - set(acc))
    for v in G:
        if v in X or v in Y:
            assert not r.table.loc[v, "strict"]
        else:
            # strict <=> deleting v leaves no community -> institution route
            assert r.table.loc[v, "strict"] == (bool(acc) and not reaches(G, X, Y, [v]))
        # exposure: members whose every route passes through v
        members = sum(1 for x in acc if x != v and not reaches(G, [x], Y, [v]))
        assert r.table.loc[v, "members"] == members
        assert r.table.loc[v, "exposure"] == pytest.approx(members / len(acc) if acc else 0.0)
    direct = any(G.has_edge(x, y) for x in X for y in Y)
    assert r.resilience == (math.inf if direct and acc else brute_min_cut(G, X, Y))
    if 0 < r.resilience < math.inf:
        assert len(r.cut) == r.resilience and not reaches(G, X, Y, r.cut)
    assert (r.resilience == 1.0) == bool(r.strict)


@settings(max_examples=60, deadline=None)
@given(scenario())
def test_strict_gatekeepers_as_the_table_lists_them(case):
    """What the map highlights (no maximum flow) is what the full result's table lists."""
    from influence.gatekeepers import highlighted, strict_gatekeepers

    G, X, Y = case
    want = highlighted(gatekeepers(G, community=X, institution=Y).table)
    assert strict_gatekeepers(G, community=X, institution=Y) == want


def test_strict_gatekeepers_on_the_demo_and_errors():
    import influence
    from influence.gatekeepers import highlighted, power_body, strict_gatekeepers

    m = influence.datasets.load("hollinford")
    for community in ("big_local_partnership", "resident"):
        want = highlighted(gatekeepers(m, community=community, institution=power_body(m)).table)
        assert strict_gatekeepers(m, community=community, institution=power_body(m)) == want
    for kw in ({"community": "nobody", "institution": "county_council"},
               {"institution": None}):
        with pytest.raises(InputError) as full:
            gatekeepers(m, **kw)
        with pytest.raises(InputError) as strict:
            strict_gatekeepers(m, **kw)
        assert str(strict.value) == str(full.value)


@settings(max_examples=20, deadline=None)
@given(scenario(), st.randoms(use_true_random=False))
def test_relabelling_invariance(case, rnd):
    G, X, Y = case
    labels = [f"a{i}" for i in range(len(G))]
    rnd.shuffle(labels)
    mapping = dict(zip(G, labels, strict=False))
    a = gatekeepers(G, community=X, institution=Y)
    b = gatekeepers(nx.relabel_nodes(G, mapping), community=[mapping[x] for x in X],
                    institution=[mapping[y] for y in Y])
    assert sorted(mapping[v] for v in a.strict) == sorted(b.strict)
    assert a.resilience == b.resilience
    ta = a.table.rename(index=mapping).loc[b.table.index]
    np.testing.assert_allclose(ta["exposure"].to_numpy(), b.table["exposure"].to_numpy())


@pytest.mark.parametrize("year", [2019, 2023])
def test_demo_area_gatekeeper(year):
    """The data card (datasets/hollinford/README.md) names cllr_derek_whitlow."""
    from influence.datasets import load

    m = load("hollinford", year=year)
    r = gatekeepers(m, institution=["westshire_cc", "cc_public_health", "cc_highways"])
    assert r.strict == ["cllr_derek_whitlow"] and r.resilience == 1.0
    assert r.sentences[0].startswith("Every route from the partnership to Westshire County "
                                     "Council")
    assert r.sentences[0].endswith("passes through Cllr Derek Whitlow (Hollinford and Wykes "
                                   "division) (sceptical).")
    # by kind, the councillor is part of the council: its only way in
    r = gatekeepers(m, institution="county_council")
    assert r.front_doors.index[r.front_doors["exposure"] == 1].tolist() == ["cllr_derek_whitlow"]


def test_cli(tmp_path):
    from click.testing import CliRunner

    from influence.cli import main

    path = tmp_path / "area.xlsx"
    area().write(str(path))
    runner = CliRunner()
    res = runner.invoke(main, ["gatekeepers", str(path), "--institution", "cc"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("Every route from the partnership to the County Council "
                                 "passes through Vic (stance not recorded).\n")
    res = runner.invoke(main, ["gatekeepers", str(path), "--institution", "nope"])
    assert res.exit_code == 1
    assert res.output.startswith("Error: Unknown institution: nope is neither an actor id nor "
                                 "a kind in the map.")
    res = runner.invoke(main, ["brokerage", str(path), "--by", "sector"])
    assert res.exit_code == 1 and 'Error: Brokerage needs a "sector" for every actor' in res.output
    res = runner.invoke(main, ["brokers", str(path), "--by", "kind", "-f", "csv"])
    assert res.exit_code == 0 and res.output.startswith("id,kind,name,group,coordinator")
    res = runner.invoke(main, ["structural-holes", str(path), "--scope", "ego", "-f", "json"])
    assert res.exit_code == 0, res.output


def test_min_strength_filters_by_strength():
    # regression: min_strength compared the ignored all-1 weights and dropped every tie
    G = nx.Graph()
    G.add_edge("us", "vic", strength=3.0)
    G.add_edge("vic", "cc", strength=2.0)
    G.add_edge("us", "cc", strength=1.0)  # a weak direct tie
    assert math.isinf(gatekeepers(G, community="us", institution="cc").resilience)
    r = gatekeepers(G, community="us", institution="cc", min_strength=2)
    assert r.strict == ["vic"] and r.resilience == 1.0 and r.excluded.empty
    assert gatekeepers(G, community="us", institution="cc", min_strength=3).resilience == 0.0


def test_front_doors_only_for_an_institution_of_two_or_more():
    # spec §5.2: a single institution actor trivially "dominates" the sink; not a front door
    G = nx.florentine_families_graph()
    r = gatekeepers(G, community="Pazzi", institution="Strozzi")
    assert r.front_doors.empty
    G.add_edge("Strozzi", "clerk")  # the clerk is reached only through the Strozzi
    r = gatekeepers(G, community="Pazzi", institution=["Strozzi", "clerk"])
    assert r.front_doors.index.tolist() == ["Strozzi"]
    assert r.front_doors.loc["Strozzi", "exposure"] == 1.0


def test_power_bodies_are_catalogue_kinds():
    from influence.schema import POWER_BODY_KINDS, stakeholder_types

    assert set(POWER_BODY_KINDS) <= set(stakeholder_types())
    assert "unitary_council" in POWER_BODY_KINDS and "strategic_authority" in POWER_BODY_KINDS
