"""One person's sphere over time, in words about the person."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import influence
from influence.cli import main
from influence.errors import InputError, UnknownActorError
from influence.history import sphere_history


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def maps():
    return [influence.datasets.load("hollinford", year=2019), influence.datasets.load("hollinford")]


def test_margaret_now_knows_the_mp(maps):
    h = sphere_history(maps, person="margaret_hale")
    assert h.loc["mp_claire_moss", "change"] == "closer"
    assert (h.loc["mp_claire_moss", "2019"], h.loc["mp_claire_moss", "2023"]) == (5, 1)
    assert h.loc["cllr_derek_whitlow", ["2019", "2023"]].tolist() == [2, 1]
    s = h.attrs["sentences"]
    assert s[0] == ("Margaret Hale has been on the partnership throughout (2019 to 2023). Own "
                    "ties: 21 in 2019, 23 in 2023.")
    assert ("Margaret Hale now knows Claire Moss MP directly; in 2019 Margaret was four "
            "introductions away.") in s
    assert ("Margaret Hale now knows Cllr Derek Whitlow directly; in 2019 Margaret was one "
            "introduction away.") in s
    summary = h.attrs["summary"]
    assert summary.loc["2023", "power_direct"] == 2 and summary.loc["2019", "power_direct"] == 0


def test_gary_takes_influence_into_the_community(maps):
    s = sphere_history(maps, person="gary_brook").attrs["sentences"]
    assert s[0].startswith("Gary Brook left the partnership after 2019 and now chairs Brookside "
                           "Tenants' Association: influence carried into the community.")


def test_a_newcomer(maps):
    h = sphere_history(maps, person="amira_hassan")
    assert h.attrs["sentences"][0] == (
        "Amira Hassan is not on the 2019 map; this is what Amira reaches in 2023.")
    assert "Amira Hassan now knows Cllr Mike Dunn directly." in h.attrs["sentences"]
    assert (h["change"] == "new").all()


def test_distances_match_spheres(maps):
    h = sphere_history(maps, person="ruth_ellis")
    for lab, m in zip(("2019", "2023"), maps, strict=True):
        sph = influence.spheres(m, focus="ruth_ellis")["sphere"]
        known = h[lab].dropna()
        assert (sph.loc[known.index].astype(int) == known.astype(int)).all()


def test_errors(maps):
    with pytest.raises(InputError, match="at least two snapshots"):
        sphere_history(maps[:1], person="margaret_hale")
    with pytest.raises(UnknownActorError, match="Unknown person 'nobody'"):
        sphere_history(maps, person="nobody")


def test_cli(tmp_path):
    from influence import datasets

    old = tmp_path / "area-2019.xlsx"
    new = tmp_path / "area-2023.xlsx"
    old.write_bytes(datasets.path("hollinford", year=2019).read_bytes())
    new.write_bytes(datasets.path("hollinford").read_bytes())
    r = run("sphere-history", old, new, "--focus", "margaret_hale")
    assert r.exit_code == 0
    assert ("Margaret Hale now knows Claire Moss MP directly; in 2019 Margaret was four "
            "introductions away.") in r.stdout.splitlines()
    r = run("sphere-history", old, new, "--focus", "nobody")
    assert r.exit_code == 1 and r.stderr == (
        "Error: Unknown person 'nobody': not an actor id in any snapshot. Fix: use an id from "
        "the actors sheet, e.g. margaret_hale.\n")
