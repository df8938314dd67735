"""The UK reference catalogue: integrity of the bundled data, and known area resolutions.

The known answers were read by hand from the CSVs in influence/data/uk (and match the worked
example in its README): Hastings is two-tier, unparished, 16 wards, Hastings and Rye.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import time
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from influence import uk
from influence.errors import InputError, UnknownActorError

DATA = resources.files("influence") / "data" / "uk"
TIER_CLASSES = {"upper_tier", "lower_tier", "unitary", "strategic_authority", "icb",
                "police_force_area", "csp_area", "fire_authority_area", "parish", "ward",
                "constituency"}


def _read(name):
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


# --- integrity -------------------------------------------------------------------------------
def test_row_counts_match_sources_csv():
    declared = _read("SOURCES.csv").set_index("file")["rows"].astype(int)
    m = uk.manifest()
    assert set(m.index) == set(declared.index)
    for file, rows in declared.items():
        with (DATA / file).open(encoding="utf-8") as fh:
            assert sum(1 for _ in csv.reader(fh)) - 1 == rows == m.at[file, "rows"], file


def test_manifest_hashes_and_flags():
    m = uk.manifest()
    for file in m.index:
        assert m.at[file, "sha256"] == hashlib.sha256((DATA / file).read_bytes()).hexdigest()
    assert m.loc[["icb_2026.csv", "lad_sicbl_icb.csv", "lad_strategic_authority_2025.csv",
                  "lad_police_csp_fire.csv"], "verify"].all()
    assert not m.at["wards_england.csv", "verify"]
    assert m["licence"].str.len().gt(0).all() and m["vintage"].str.len().gt(0).all()


def test_every_holder_type_exists():
    types = set(uk.stakeholder_types().index)
    assert set(uk.power_matrix().holder_type_id) <= types
    assert set(_read("stakeholder_types.csv").type_id) <= types


def test_every_source_id_resolves():
    register = set(uk.sources().index)
    used = {s for ids in uk.power_matrix().source_ids for s in ids.split(";") if s}
    assert used and used <= register


def test_power_matrix_themes_roles_and_tiers():
    pm = uk.power_matrix()
    assert len(pm) == 82
    assert set(pm.theme_id) - {"all"} == set(uk.themes().index)
    assert set(pm.role) <= set(uk.ROLE_WEIGHTS)
    territorial = set(pm.tier_class) - {"non_territorial_or_user_entered", "national_park"}
    assert territorial <= TIER_CLASSES
    # "no source retrieved" rows are flagged
    assert pm.loc[pm.confidence.str.contains("no source"), "verify"].all()


def test_power_matrix_filter_and_weights():
    pm = uk.power_matrix(["youth", "health"])
    assert set(pm.theme_id) == {"youth", "health", "all"}
    assert len(pm) == 10 + 7 + 3
    w = pm.set_index("role")["role_weight"].groupby(level=0).first()
    assert w["statutory_duty_holder"] > w["commissioner"] > w["provider"] > w["consultee"] \
        if "consultee" in w else w["scrutiny_voice"] > w["influencer"]
    with pytest.raises(InputError, match="Did you mean youth"):
        uk.power_matrix("yuoth")


def test_every_lad_in_lookups_exists():
    las = uk.local_authorities()
    codes = set(las.index) | set(las.gss_code_2025)
    lower = las[las.la_type != "CTY"]
    for file, col in [("lad_police_csp_fire.csv", "lad24_code"),
                      ("lad_strategic_authority_2025.csv", "lad_code"),
                      ("lad_sicbl_icb.csv", "lad24_code"),
                      ("constituency_lad_overlap.csv", "lad23_code"),
                      ("parishes_england.csv", "lad_code"), ("wards_england.csv", "lad_code")]:
        assert set(_read(file)[col]) <= codes, file
    # every district/unitary has an ICB, police force, wards and constituencies
    for file, col in [("lad_police_csp_fire.csv", "lad24_code"),
                      ("lad_sicbl_icb.csv", "lad24_code"),
                      ("constituency_lad_overlap.csv", "lad23_code")]:
        assert set(lower.index) <= set(_read(file)[col]), file
    assert set(lower.gss_code_2025) <= set(_read("wards_england.csv").lad_code)
    # county parents exist and are counties
    parents = set(lower.county_gss_code) - {""}
    assert parents <= set(las.index[las.la_type == "CTY"]) and len(parents) == 21


def test_icb_and_constituency_referential_integrity():
    links = _read("lad_sicbl_icb.csv")
    assert set(links.icb24_ods_code) <= set(_read("icb_2024.csv").icb_ods_code)
    assert set(links.icb26_ods_code_derived) <= set(_read("icb_2026.csv").icb_ods_code)
    shares = links.assign(s=links.share_of_lad_lsoas.astype(float)).groupby("lad24_code").s.sum()
    assert shares.between(0.999, 1.001).all()
    pcon = _read("constituency_lad_overlap.csv")
    assert set(pcon.pcon24_code) <= set(_read("mps_england.csv").pcon24_code)
    sa = _read("lad_strategic_authority_2025.csv")
    assert set(sa.cauth_code) <= set(_read("strategic_authorities_2025.csv").cauth_code)


def test_stakeholder_types_shared_with_schema():
    from influence.schema import EXTRA_KINDS, stakeholder_types

    frame = uk.stakeholder_types()
    assert set(frame.index) == set(stakeholder_types())
    assert (frame.loc[list(EXTRA_KINDS), "origin"] == "project").all()


def test_notice_carries_every_attribution():
    text = uk.notice()
    for phrase in ["Open Government Licence v3.0", "Office for National Statistics",
                   "Crown copyright and database right 2024/2025", "Open Parliament Licence v3.0",
                   "mySociety (CC BY 4.0)", "NHS ODS (OGL v3)",
                   "British Red Cross geographr (MIT)"]:
        assert phrase in text
    top = Path(__file__).resolve().parents[1] / "NOTICE"
    if top.exists():  # the repository's NOTICE includes the bundled text verbatim
        assert text in top.read_text(encoding="utf-8")


# --- known resolutions -----------------------------------------------------------------------
def _one(a, tier, type_id=None):
    rows = a.slots(tier)
    if type_id:
        rows = rows[rows.type_id == type_id]
    assert len(rows) == 1, rows
    return SimpleNamespace(**rows.iloc[0].to_dict())


def test_hastings_before_april_2026():
    a = uk.area("E07000062", as_at="2026-03-31")
    assert (a.code, a.name, a.structure, a.as_at) == ("E07000062", "Hastings", "two-tier",
                                                       dt.date(2026, 3, 31))
    assert _one(a, "lower_tier").name == "Hastings Borough Council"
    upper = _one(a, "upper_tier")
    assert (upper.code, upper.name, upper.type_id) == ("E10000011", "East Sussex County Council",
                                                      "county_council")
    assert a.slots("unitary").empty and a.slots("strategic_authority").empty
    assert not a.parished and len(a.slots("ward")) == 16
    assert (a.slots("parish").tier_class == "ward").all() and len(a.slots("parish")) == 16
    mp = _one(a, "constituency")
    assert (mp.code, mp.place, mp.name, mp.share) == ("E14001274", "Hastings and Rye",
                                                      "Helena Dollimore", 1.0)
    icb = _one(a, "icb")
    assert (icb.code, icb.name, icb.basis, icb.verify, icb.share) == (
        "E54000064", "NHS Sussex Integrated Care Board", "ons_lookup", False, 1.0)
    assert _one(a, "police_force_area", "police_force").name == "Sussex Police"
    pcc = _one(a, "police_force_area", "pcc")
    assert pcc.name == "Sussex Police and Crime Commissioner" and pcc.verify
    assert _one(a, "csp_area").code == "E22000296"
    fire = _one(a, "fire_authority_area")
    assert (fire.code, fire.place) == ("E31000014", "East Sussex")
    text = a.describe()
    assert "two-tier" in text and "none yet" in text and "Unparished" in text
    assert "Helena Dollimore (Hastings and Rye)" in text and str(a) == text


def test_hastings_from_april_2026_icb_is_derived():
    a = uk.area("hastings", as_at=dt.date(2026, 4, 1))
    icb = _one(a, "icb")
    assert (icb.code, icb.name, icb.basis, icb.verify) == (
        "E54000069", "NHS Surrey and Sussex Integrated Care Board", "derived", True)
    assert "[verify]" in a.describe()


def test_unitary_metropolitan_borough_in_mayoral_ca():
    # Manchester: metropolitan borough in Greater Manchester, where the mayor holds PCC functions
    a = uk.area("Manchester", as_at="2025-06-01")
    assert a.structure == "unitary"
    for tier in ("unitary", "upper_tier", "lower_tier"):
        row = _one(a, tier)
        assert (row.code, row.name, row.type_id) == ("E08000003", "Manchester City Council",
                                                     "unitary_council")
    sa = a.slots("strategic_authority").set_index("type_id")
    assert sa.at["strategic_authority", "code"] == "E47000001"
    assert sa.at["strategic_authority", "name"] == "Greater Manchester Combined Authority"
    assert sa.at["strategic_authority", "basis"] == "ons_lookup"
    assert sa.at["mayor", "name"] == "Mayor of Greater Manchester"
    assert _one(a, "police_force_area", "pcc").name == "Mayor of Greater Manchester"
    assert _one(a, "icb").name == "NHS Greater Manchester Integrated Care Board"
    mps = a.slots("constituency")
    assert abs(mps.share.sum() - 1) < 0.002 and mps.share.is_monotonic_decreasing
    assert len(a.slots("ward")) == 32


def test_barnsley_new_code_and_split_area():
    # Barnsley changed code in April 2025; both codes resolve; wards use the 2025 parent code
    old, new = uk.area("E08000016", as_at="2025-01-01"), uk.area("E08000038", as_at="2025-06-01")
    assert (old.code, new.code) == ("E08000016", "E08000038")
    assert old.bodies.drop(columns="note").equals(new.bodies.drop(columns="note"))
    assert len(new.slots("ward")) == 21 and new.parished


def test_split_icb_shares():
    # East Suffolk straddles two ICB24s (about 50/50); both merge into new ICBs in April 2026
    a = uk.area("East Suffolk", as_at="2025-01-01")
    icbs = a.slots("icb")
    assert len(icbs) == 2 and abs(icbs.share.sum() - 1) < 1e-3
    b = uk.area("East Suffolk", as_at="2026-06-01").slots("icb")
    assert b.name.tolist() == ["NHS Norfolk and Suffolk Integrated Care Board"] and b.verify.all()


def test_curated_strategic_authority_flagged():
    a = uk.area("Lancaster", as_at="2025-06-01")
    sa = _one(a, "strategic_authority")
    assert sa.code == "E47000018" and sa.basis == "curated" and sa.verify
    assert (a.slots("strategic_authority").type_id != "mayor").all()  # non-mayoral CCA


def test_names_are_typo_tolerant():
    assert uk.area("Hastngs").code == "E07000062"
    assert uk.area("hastings borough council").code == "E07000062"
    assert uk.area("Brighton & Hove").name == "Brighton and Hove"
    assert uk.area("  e07000062 ").code == "E07000062"


def test_bad_areas_raise_clear_errors():
    with pytest.raises(InputError, match=r"more than one.*Kingston upon Hull.*Kingston upon "
                                         r"Thames.*Fix"):
        uk.area("Kingston")
    with pytest.raises(InputError, match="county council.*Fix: give one of Eastbourne, Hastings"):
        uk.area("East Sussex")
    with pytest.raises(UnknownActorError, match="E07999999.*Fix"):
        uk.area("E07999999")
    with pytest.raises(UnknownActorError, match="Fix"):
        uk.area("Qwertyuiop")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        uk.area("Hastings", as_at="31/31/2026")


def test_area_is_fast():
    uk.area("Hastings")
    start = time.perf_counter()
    for code in ("Cornwall", "Birmingham", "Westminster", "North Yorkshire", "Hastings"):
        uk.area(code)
    assert (time.perf_counter() - start) / 5 < 0.5


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(sorted(uk.local_authorities().query("la_type != 'CTY'").index)),
       st.dates(dt.date(2024, 6, 1), dt.date(2027, 12, 31)))
def test_every_area_resolves_completely(code, day):
    a = uk.area(code, as_at=day)
    b = a.bodies
    assert list(b.columns) == uk.BODY_COLUMNS and set(b.tier_class) <= TIER_CLASSES
    for tier in ("upper_tier", "lower_tier", "icb", "police_force_area", "csp_area",
                 "fire_authority_area", "constituency", "ward"):
        assert len(a.slots(tier)) >= 1, tier
    assert abs(a.slots("icb").share.sum() - 1) < 2e-3
    assert abs(a.slots("constituency").share.sum() - 1) < 2e-3
    assert (a.slots("icb").basis == ("derived" if day >= uk.ICB_2026_DATE else "ons_lookup")).all()
    assert b.loc[b.basis.isin(["derived", "curated"]), "verify"].all()
    assert set(b.type_id) <= set(uk.stakeholder_types().index)
    assert a.structure == ("unitary" if len(a.slots("unitary")) else "two-tier")


# --- CLI -------------------------------------------------------------------------------------
def test_cli_area_and_catalogue(tmp_path):
    from influence.cli import main

    r = CliRunner().invoke(main, ["area", "E07000062", "--as-at", "2026-04-01"])
    assert r.exit_code == 0, r.output
    assert "NHS Surrey and Sussex Integrated Care Board [verify]" in r.output
    assert "Helena Dollimore" in r.output
    out = tmp_path / "bodies.csv"
    r = CliRunner().invoke(main, ["area", "Hastings", "-o", str(out)])
    assert r.exit_code == 0 and list(pd.read_csv(out).columns) == uk.BODY_COLUMNS
    r = CliRunner().invoke(main, ["area", "Kingston"])
    assert r.exit_code == 1 and r.output.startswith("Error: 'Kingston' matches more than one")
    r = CliRunner().invoke(main, ["catalogue"])
    assert r.exit_code == 0 and "icb_2026.csv" in r.output
    r = CliRunner().invoke(main, ["catalogue", "power-matrix", "--theme", "youth", "-f", "csv"])
    assert r.exit_code == 0 and "Education Act 1996 s507B" in r.output
    r = CliRunner().invoke(main, ["catalogue", "notice"])
    assert r.exit_code == 0 and "Open Parliament Licence" in r.output
    r = CliRunner().invoke(main, ["catalogue", "power-matrix", "--theme", "nope"])
    assert r.exit_code == 1 and "Error: Unknown theme 'nope'" in r.output
