"""The invite list: beyond the partnership and its civic core, one introduction away."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import influence
from influence.cli import main
from influence.civic import civic_core
from influence.errors import InputError
from influence.invite import invite, sentence


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def m():
    return influence.datasets.load("hollinford")


def test_nobody_from_the_partnership_or_the_civic_core(m):
    core = civic_core(m).people
    core = set(core.index[core["civic_core"]])
    sph = influence.spheres(m)
    members = set(sph.index[sph["sphere"] == 0])
    for kw in ({"theme": "youth"}, {"sub_area": "Copley Green"}, {"theme": "environment"}):
        inv = invite(m, **kw)
        assert len(inv) and not (set(inv.index) & (core | members))
        assert set(inv["steps"]) <= {1, 2}
        assert (sph.loc[inv.index, "sphere"] == inv["steps"]).all()


def test_theme_and_introducer(m):
    inv = invite(m, theme="youth")
    assert inv.loc["res140", "introducer"] == "amira_hassan"
    assert inv.loc["res140", "how"] == "Amira Hassan can ask them at Young People working group"
    assert all("youth" in c for c in inv["cares_about"])


def test_sub_area(m):
    inv = invite(m, sub_area="copley green")
    assert (inv["sub_area"] == "Copley Green").all()
    direct = inv[inv["steps"] == 1]
    assert set(direct["introducer"]) <= {"ruth_ellis", "amira_hassan", "tom_baines"}
    assert sentence(inv) == (
        "18 people outside the partnership and its civic core who live in Copley Green can be "
        "invited: 4 know a partnership member already, 14 are one introduction away.")
    both = invite(m, theme="youth", sub_area="Copley Green")
    assert len(both) == 0 and sentence(both) == (
        "Nobody outside the partnership and its civic core who cares about youth and lives in "
        "Copley Green is within one introduction of us yet: ask the groups there to pass the "
        "invitation on.")


def test_errors(m):
    with pytest.raises(InputError, match="Say who to invite"):
        invite(m)
    with pytest.raises(InputError) as err:
        invite(m, sub_area="Atlantis")
    assert str(err.value) == (
        "Unknown sub-area 'Atlantis': nobody on the map lives there. Fix: use one of "
        "'Area-wide', 'Copley Green', 'Hollinford', 'Nether Wyke', 'Outside the area'.")
    with pytest.raises(InputError, match="Unknown theme 'yoof'"):
        invite(m, theme="yoof")


def test_cli():
    from influence import datasets

    r = run("invite", datasets.path("hollinford"), "--sub-area", "Copley Green")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0].startswith("18 people outside the partnership")
    assert "Ruth Ellis knows them" in r.stdout
    r = run("invite", datasets.path("hollinford"))
    assert r.exit_code == 1 and r.stderr == (
        "Error: Say who to invite: give a theme (--theme), a sub-area (--sub-area) or both. "
        'Fix: e.g. --theme youth or --sub-area "Copley Green".\n')
