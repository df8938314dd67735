"""Legacy: relationships with power-holders that hang on one person, the worker, or no one."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

import influence
from influence.cli import main
from influence.legacy import RISKS, legacy


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def lg():
    return {y: legacy(influence.datasets.load("hollinford", year=y)) for y in (2019, 2023)}


def test_a_relationship_held_only_by_the_worker(lg):
    row = lg[2023].loc["westshire_police"]
    assert row["holders"] == ("worker_kim_patel",) and row["risk"] == "only the paid worker"
    assert row["through"] == ("pcso_lee",) and row["others"] == ()
    assert row["sentence"] == (
        "Our relationship with Westshire Police (Hollinford neighbourhood team) rests on Kim "
        "Patel, paid by the programme (through PCSO Chris Lee): it would be lost when the post "
        "ends. Nobody else on our map has a tie there: introduce a second partnership member "
        "now.")


def test_one_person_and_who_could_take_it_on(lg):
    cc = lg[2023].loc["westshire_cc"]
    assert cc["holders"] == ("margaret_hale",) and cc["risk"] == "one person"
    assert set(cc["others"]) == {"cllr_ian_frost", "tc_clerk_pat_wood"}
    icb = lg[2023].loc["westshire_icb"]
    assert icb["holders"] == ("amira_hassan",) and icb["others"] == ("gp_link_worker",)
    assert lg[2023].loc["mp_claire_moss", "others"] == ("cllr_sarah_quinn",)


def test_held_only_as_a_body_and_shared_ties(lg):
    cf = lg[2023].loc["westshire_cf"]
    assert cf["holders"] == () and cf["bodies"] == ("hbl",) and cf["risk"] == "only as a body"
    # the district council: three people in 2023, only the worker in 2019
    assert lg[2023].loc["vale_dc", "risk"] is pd.NA
    assert lg[2019].loc["vale_dc", "risk"] == "only the paid worker"
    assert "local_trust" not in lg[2023].index  # ends with the programme anyway


def test_order_and_columns(lg):
    t = lg[2023]
    assert list(t.columns) == ["name", "kind", "holders", "bodies", "through", "risk", "others",
                               "sentence", "share_sentence"]
    assert t.at["westshire_cc", "share_sentence"] == (
        "Our relationship with Westshire County Council hangs on one person. 2 other people on "
        "our map already know someone there.")
    members = {"Margaret", "Amira", "Peter", "David", "Susan", "Kim"}
    assert not any(w in s for s in t["share_sentence"].dropna() for w in members)
    ranks = t["risk"].map({r: i for i, r in enumerate(RISKS)}).fillna(9).tolist()
    assert ranks == sorted(ranks)
    assert t["sentence"].isna().tolist() == t["risk"].isna().tolist()


def test_small_map_known_answer():
    m = influence.build(
        actors=[{"id": "us", "kind": "big_local_partnership"},
                {"id": "ann", "kind": "resident", "name": "Ann"},
                {"id": "bo", "kind": "resident", "name": "Bo"},
                {"id": "cc", "kind": "county_council", "name": "County", "influence": 5},
                {"id": "dc", "kind": "district_council", "name": "District", "influence": 4},
                {"id": "low", "kind": "community_group", "influence": 1}],
        ties=[{"source": "ann", "target": "us", "kind": "member_of"},
              {"source": "bo", "target": "us", "kind": "member_of"},
              {"source": "ann", "target": "cc"}, {"source": "ann", "target": "dc"},
              {"source": "bo", "target": "dc"}, {"source": "ann", "target": "low"}])
    t = legacy(m)
    assert t["risk"].astype(object).where(t["risk"].notna(), None).to_dict() == {
        "cc": "one person", "dc": None}


def test_review_and_cli(tmp_path):
    r = influence.review(influence.datasets.load("hollinford"), as_at="2023-09-01")
    assert r.sentences["legacy"][0] == (
        "8 of our 10 relationships with power-holders would be lost or weakened when Big Local "
        "ends: they hang on one person, on the paid worker, or on the partnership as a body.")
    from influence import datasets

    res = run("legacy", datasets.path("hollinford"))
    assert res.exit_code == 0
    assert res.stdout.splitlines()[:2] == r.sentences["legacy"][:2]
    out = tmp_path / "legacy.csv"
    res = run("legacy", datasets.path("hollinford"), "-o", out)
    assert res.exit_code == 0 and res.stderr.endswith(f"Wrote {out}\n")
    assert out.read_text().count("\n") == 9  # header + 8 at risk


def test_a_second_member_takes_the_risk_away():
    """Metamorphic: for every relationship that hangs on one person, a tie from a second
    partnership member to the same power-holder makes it shared (and nothing else changes)."""
    m = influence.datasets.load("hollinford")
    before = legacy(m)
    one = before.index[before["risk"] == "one person"]
    assert len(one) >= 4
    for g in one:
        other = next(p for p in ("linda_marsh", "alan_reeve", "susan_pike")
                     if p not in before.at[g, "holders"])
        m2 = m.copy()
        m2.ties = pd.concat([m.ties, _tie(m.ties, other, g)], ignore_index=True)
        after = legacy(m2)
        assert after.at[g, "risk"] is pd.NA, g
        assert set(after.at[g, "holders"]) == set(before.at[g, "holders"]) | {other}
        rest = before.index.difference([g])
        assert after.loc[rest, "risk"].fillna("-").equals(before.loc[rest, "risk"].fillna("-"))


def _tie(ties, source, target):
    """One more canonical tie row (``knows``, strength 2) in the dtypes of ``ties``."""
    values = {"source": source, "target": target, "kind": "knows", "strength": 2.0,
              "directed": False}
    return pd.DataFrame({c: pd.Series([values.get(c)], dtype=ties[c].dtype)
                         for c in ties.columns})
