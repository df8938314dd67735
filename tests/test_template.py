"""The blank workbook: sheets, drop-downs, README, and that it reads back as a valid map."""

from __future__ import annotations

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
