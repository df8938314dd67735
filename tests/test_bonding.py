"""Bonding and bridging (the review section) and the toolkit's CLI commands."""

from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner

import influence
from influence.cli import main
from influence.bonding import bonding_bridging


def test_partnership_ei_by_hand():
    # members a, b, c: ties a-b, b-c, a-c inside; c-x, c-y outside -> (2 - 3) / 5
    G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "x"), ("c", "y")])
    b = bonding_bridging(G, focus=["a", "b", "c"])
    assert b.ei == pytest.approx(-0.2)
    assert (b.internal, b.external) == (3.0, 2.0)
    # 3 members of 5: 3 pairs inside, 3 * 2 = 6 to outsiders -> (6 - 3) / 9
    assert b.expected == pytest.approx(1 / 3)
    assert b.members.index[0] == "c" and b.members.loc["c", "ei"] == 0.0
    assert b.members.loc["a", "ei"] == -1.0
    assert b.sentences[0] == ("Our ties are split between ourselves and outside: E-I -0.20 "
                              "(3 ties between members, 2 to people and bodies outside).")
    assert b.sentences[1].startswith("With 3 of the 5 actors on the map in the partnership, "
                                     "ties made at random would give E-I +0.33: we are more "
                                     "inward-looking than chance.")


def test_inward_looking_partnership_points_to_model_1():
    G = nx.complete_graph(["a", "b", "c", "d"])
    G.add_edge("a", "x")
    b = bonding_bridging(G, focus=["a", "b", "c", "d"])
    assert b.sentences[0].startswith("Most of our ties are among ourselves: E-I -0.71")
    assert any("as in Model 1." in s for s in b.sentences)


def test_review_has_the_bonding_section():
    m = influence.datasets.load("hollinford")
    r = influence.review(m, priorities=["health"])
    assert "bonding" in r.tables and len(r.bonding)
    assert r.sentences["bonding"][0].startswith("Most of our ties reach outside the partnership: "
                                                "E-I +0.53")
    assert any("Model 1 figure above" in s for s in r.sentences["bonding"])
    # the section agrees with the leadership verdict instead of contradicting it
    assert r.leadership.model == 2
    assert r.sentences["bonding"][-1].endswith(
        "the map looks most like Model 2 (working groups with devolved decisions).")
    from influence.report import render

    page = render(r)
    assert "Bonding and bridging: our ties among ourselves and beyond" in page
    assert "Most of our ties reach outside the partnership" in page


# --- CLI -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo():
    return str(influence.datasets.path("hollinford"))


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_communities(demo):
    r = _run("communities", demo, "--table", "groups")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("10 communities (leiden): sizes 53, 38, 36")


def test_cli_ei_index(demo):
    r = _run("ei-index", demo, "--by", "sub_area", "--permutations", "50", "--seed", "1")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("E-I index by sub_area: -0.79 (most ties are inside a group "
                               "(bonding)); with these group sizes random ties would give +0.19.")
    bad = _run("ei-index", demo, "--by", "colour")
    assert bad.exit_code == 1
    assert bad.output.startswith('Error: There is no actor attribute "colour"')


def test_cli_assortativity_ego_totals_bonding(demo):
    r = _run("assortativity", demo, "--by", "sector,sub_area", "-f", "csv")
    assert r.exit_code == 0 and r.output.splitlines()[0] == "attribute,nominal,numeric,actors,ties"
    r = _run("ego", demo, "--focus", "hbl", "--table", "composition", "-f", "csv")
    assert r.exit_code == 0 and r.output.splitlines()[0] == "ego,attribute,value,alters,share"
    r = _run("ego", demo, "--focus", "nobody")
    assert r.exit_code == 1
    assert r.output == "Error: Unknown actor id(s): nobody. Fix: use ids from the actors sheet.\n"
    r = _run("brokerage-totals", demo, "--by", "sub_area", "-f", "csv")
    assert r.exit_code == 0
    assert r.output.splitlines()[0] == "role,sna,observed,expected,sd,z,perm_mean,p_value"
    r = _run("bonding", demo)
    assert r.exit_code == 0 and r.output.startswith("Most of our ties reach outside")


def test_cli_brokers_without_by_says_it_uses_communities():
    runner = CliRunner()
    with runner.isolated_filesystem():
        influence.write(influence.datasets.load("karate"), "karate.xlsx")
        r = runner.invoke(main, ["brokers", "karate.xlsx", "-f", "csv"])
    assert r.exit_code == 0, r.output
    assert "Groups: no grouping was given, so the 4 communities found by the Leiden method" in (
        r.output)


def test_cli_brokerage_permutations(demo):
    r = _run("brokerage", demo, "--by", "sub_area", "--permutations", "20", "--seed", "2",
             "-f", "csv")
    assert r.exit_code == 0
    assert r.output.splitlines()[0].endswith("coordinator_p,itinerant_p,representative_p,"
                                             "gatekeeper_p,liaison_p")
