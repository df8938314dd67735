"""The blank workbook: sheets, drop-downs, README, and that it reads back as a valid map."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

import influence
from influence.errors import OutputError
from influence.template import ACTOR_HELP, TIE_HELP


def test_template_sheets_and_dropdowns(tmp_path):
    out = influence.template(tmp_path / "area.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["actors", "ties", "actions", "README", "lists"]
    assert wb["lists"].sheet_state == "hidden"
    headers = [c.value for c in wb["actors"][1]]
    assert headers == [h for h in ACTOR_HELP if h != "private_..."]
    assert [c.value for c in wb["ties"][1]] == list(TIE_HELP)
    dv = {str(d.sqref): d for d in wb["actors"].data_validations.dataValidation}
    assert dv["C2:C2000"].formula1.startswith("lists!$A$2") and dv["C2:C2000"].type == "list"
    assert dv["C2:C2000"].errorStyle == "warning"  # custom kinds allowed
    assert dv["G2:G2000"].errorStyle == "stop"  # stance
    ties_dv = {str(d.sqref) for d in wb["ties"].data_validations.dataValidation}
    assert {"C2:C2000", "D2:D2000", "E2:E2000", "F2:F2000"} <= ties_dv
    readme = [r[1] for r in wb["README"].iter_rows(values_only=True)]
    for col in list(ACTOR_HELP) + list(TIE_HELP):
        assert col in readme, col
    kinds = [r[0].value for r in wb["lists"].iter_rows(min_row=2, max_col=1) if r[0].value]
    assert "ward_councillor" in kinds and "icb" in kinds


def test_template_reads_back_clean(tmp_path):
    out = influence.template(tmp_path / "area.xlsx")
    m = influence.read(out)
    assert (len(m.actors), len(m.ties), m.warnings) == (3, 2, [])
    assert m.ties.loc[0, "hours"] == 200.0
    blank = influence.template(tmp_path / "blank.xlsx", examples=False)
    assert len(influence.read(blank)) == 0


def test_template_refuses_overwrite_and_other_suffix(tmp_path):
    out = influence.template(tmp_path / "area.xlsx")
    with pytest.raises(OutputError, match="already exists"):
        influence.template(out)
    influence.template(out, force=True)
    with pytest.raises(OutputError, match="does not end in .xlsx"):
        influence.template(tmp_path / "area.csv")


def test_template_for_an_area_starts_from_its_real_bodies(tmp_path):
    out = influence.template(tmp_path / "hastings.xlsx", area="E07000062", as_at="2025-06-01")
    m = influence.read(out)
    assert m.warnings == [] and len(m.ties) == 0
    a = m.actors
    assert a.loc["hastings_borough_council", ["kind", "org_code"]].tolist() == [
        "district_council", "E07000062"]
    assert a.loc["east_sussex_county_council", "kind"] == "county_council"
    assert set(a["kind"]) >= {"district_council", "county_council", "icb", "police_force", "pcc",
                              "fire_rescue", "mp", "ward_councillor",
                              "community_safety_partnership"}
    assert (a["kind"] == "ward_councillor").sum() == 16  # Hastings has 16 wards
    assert "health" in a.loc[a.kind == "icb", "themes"].iloc[0]
    assert a.loc["sussex_police_and_crime_commissioner", "verify"].startswith("verify: ")
    assert a.loc["hastings_borough_council", "verify"] is pd.NA
    assert a.loc["hastings_borough_council", "place"] == "Hastings"


def test_template_for_a_parished_area_lists_its_parishes(tmp_path):
    from influence.template import area_actors

    rows = area_actors("Wiltshire", as_at="2025-06-01")
    assert (rows["kind"] == "parish_council").sum() > 200
    assert rows["kind"].isin(["unitary_council"]).sum() == 1
    assert rows["id"].is_unique


def test_template_ods(tmp_path):
    out = influence.template(tmp_path / "area.ods", area="Hastings")
    assert len(influence.read(out).actors) == len(
        influence.read(influence.template(tmp_path / "area.xlsx", area="Hastings")).actors)


def test_cli_template_area(tmp_path):
    from click.testing import CliRunner

    from influence.cli import main

    r = CliRunner().invoke(main, ["template", str(tmp_path / "h.xlsx"), "--area", "Hastings"])
    assert r.exit_code == 0, r.output
    assert len(influence.read(tmp_path / "h.xlsx").actors) > 20


def test_template_has_ok_to_name_and_mapping_people_fairly(tmp_path):
    out = influence.template(tmp_path / "area.xlsx")
    wb = load_workbook(out)
    headers = [c.value for c in wb["actors"][1]]
    letter = wb["actors"].cell(row=1, column=headers.index("ok_to_name") + 1).column_letter
    dv = {str(d.sqref): d for d in wb["actors"].data_validations.dataValidation}
    assert dv[f"{letter}2:{letter}2000"].errorStyle == "stop"  # yes or no only
    rows = [r for r in wb["README"].iter_rows(values_only=True)]
    start = [k for k, r in enumerate(rows) if r[0] == "Mapping people fairly"]
    assert len(start) == 1
    fair = {r[0]: r[1] for r in rows[start[0] + 1:]}
    assert list(fair) == ["What to record", "Lawful basis", "Tell people", "Keep it short",
                          "Who sees what"]
    assert "health, religion or beliefs, politics" in fair["What to record"]
    assert "legitimate interests" in fair["Lawful basis"]
    assert "ok_to_name" in fair["Tell people"]
    assert "share.html" in fair["Who sees what"]
    m = influence.read(out)
    assert m.actors.loc["ann", "ok_to_name"]  # the example reads back as yes


def test_readme_says_the_same_about_mapping_people_fairly():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Mapping people fairly"):]
    section = section[:section.index("\n## ", 5)] if "\n## " in section[5:] else section
    flat = " ".join(section.split())
    for phrase in ("health, religion or beliefs, politics", "legitimate interests",
                   "Tell people they are on the map", "Keep it only as long as you need it",
                   "Who sees the working copy", "`ok_to_name`", "`share.html`"):
        assert phrase in flat, phrase
