"""The action loop: the actions sheet, follow-up against the map, suggestions, saving them."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import influence
from influence.cli import main
from influence.actions import (actions_frame, follow_up, save_actions, sentences_of,
                               suggest_actions)
from influence.errors import OutputError, ValidationError

ICB = ("We said we'd contact the ICB about health listening events — did we? Yes: we now work "
       "with Sam Reid there.")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def demo():
    return influence.datasets.load("hollinford"), influence.datasets.load("hollinford", year=2019)


@pytest.fixture
def demo_files(tmp_path):
    from influence import datasets

    for y in (2019, 2023):
        (tmp_path / f"area-{y}.xlsx").write_bytes(datasets.path("hollinford", year=y).read_bytes())
    return tmp_path / "area-2019.xlsx", tmp_path / "area-2023.xlsx"


# --- the sheet ------------------------------------------------------------------------------
def test_demo_2019_has_the_actions_sheet(demo):
    new, old = demo
    assert new.actions is None
    a = old.actions
    assert list(a.columns) == ["action", "about", "owner", "due", "status", "notes", "added"]
    assert len(a) == 6 and a["status"].tolist().count("done") == 1
    assert str(a["due"].dtype) == "datetime64[ns]" and a.loc[0, "about"] == "westshire_icb"


@pytest.mark.parametrize("suffix", [".xlsx", ""])
def test_actions_round_trip(demo, tmp_path, suffix):
    _, old = demo
    out = influence.write(old, tmp_path / f"copy{suffix}")
    back = influence.read(out)
    pd.testing.assert_frame_equal(back.actions, old.actions)
    assert back.equals(old)


def test_bad_actions_are_reported_by_row_and_column(tmp_path):
    m = influence.build(actors=[{"id": "ann", "kind": "resident"}])
    folder = tmp_path / "area"
    influence.write(m, folder)
    (folder / "actions.csv").write_text("action,about,status,due\nMeet Ann,ann,maybe,2024-01-01\n"
                                        ",ann,open,\nCall Bo,bo,open,next week\n")
    with pytest.raises(ValidationError) as err:
        influence.read(folder)
    assert err.value.report() == (
        "3 problems found:\n"
        '  - actions.csv, row 2, column "status": status must be open, done or dropped '
        "(value: 'maybe'). Fix: pick open, done or dropped from the drop-down\n"
        '  - actions.csv, row 3, column "action": this action is empty. Fix: say what we said '
        "we would do, or delete the row\n"
        '  - actions.csv, row 4, column "due": due is not a date (value: \'next week\'). Fix: '
        + err.value.problems[2].fix)
    report = influence.validate(folder)
    assert [p.column for p in report.errors] == ["status", "action", "due"]
    assert [p.column for p in report.warnings] == ["about"]  # bo is not on the map


def test_an_actions_sheet_needs_an_action_column():
    with pytest.raises(ValidationError, match='the actions sheet has no "action" column'):
        actions_frame([{"about": "ann"}])


# --- follow-up ------------------------------------------------------------------------------
def test_follow_up_with_the_previous_map(demo):
    new, old = demo
    f = follow_up(new, previous=old, as_at="2023-09-01").set_index("about")
    assert f.loc["westshire_icb", "state"] == "done (the map shows it)"
    assert f.loc["westshire_icb", "sentence"] == ICB
    assert f.loc["cllr_derek_whitlow", "evidence"] == "Margaret Hale now knows Cllr Derek Whitlow"
    assert f.loc["cc_public_health", "state"] == "overdue"
    assert f.loc["cc_public_health", "sentence"] == (
        "We said we'd ask the county's public health consultant to meet the partnership — did "
        "we? Not yet: Dr Helen Achebe is one introduction away, through Cllr Derek Whitlow. It "
        "was due by 30 Jun 2020.")
    assert f.loc["environment_agency", "evidence"] == (
        "nobody from the Environment Agency is on our map yet")
    assert f.loc["westshire_police", "state"] == "overdue"  # the old stale tie is not new
    assert f.loc["westshire_cf", "state"] == "done"
    assert sentences_of(f.reset_index())[0] == (
        "We said we'd do 6 things: 1 done, 2 done (the map shows it), 3 overdue.")


def test_follow_up_on_the_same_snapshot(demo):
    _, old = demo
    f = follow_up(old, as_at="2019-09-01")
    assert f["state"].tolist() == ["open"] * 5 + ["done"]
    later = follow_up(old, as_at="2020-04-01")
    assert later["state"].tolist() == ["overdue", "overdue", "open", "overdue", "overdue", "done"]


def test_a_tie_counts_only_if_it_began_after_the_action_was_agreed():
    m = influence.build(
        actors=[{"id": "us", "kind": "big_local_partnership"},
                {"id": "ann", "kind": "resident", "name": "Ann"},
                {"id": "cc", "kind": "county_council", "name": "County Council"},
                {"id": "jo", "kind": "council_officer", "name": "Jo Bell (officer)"}],
        ties=[{"source": "ann", "target": "us", "kind": "member_of"},
              {"source": "jo", "target": "cc", "kind": "works_for"},
              {"source": "ann", "target": "jo", "since": "2023-05-01"}])
    base = {"action": "Meet the county", "about": "cc", "owner": "ann", "due": "2024-01-01"}
    done = "done (the map shows it)"
    for added, state in ((None, done), ("2023-01-01", done), ("2023-06-01", "open")):
        m.actions = actions_frame([dict(base, added=added)])
        f = follow_up(m, as_at="2023-09-01")
        assert f.loc[0, "state"] == state, added
    m.actions = actions_frame([dict(base, added="2023-01-01")])
    assert follow_up(m, as_at="2023-09-01").loc[0, "sentence"] == (
        "We said we'd meet the county — Ann now knows Jo Bell there. It is still marked open: "
        "mark it done in the actions sheet.")


def test_no_actions_no_rows(demo):
    new, _ = demo
    assert len(follow_up(new)) == 0


# --- suggestions and saving ------------------------------------------------------------------
def test_suggested_actions_name_the_member_who_starts_the_route(demo):
    new, _ = demo
    s = suggest_actions(new, as_at="2023-09-01").set_index("about")
    assert s.loc["westshire_cc", "owner"] == "margaret_hale"
    assert s.loc["westshire_cc", "action"] == (
        "Build a second route to Westshire County Council, not only through Cllr Derek Whitlow")
    assert (s["status"] == "open").all() and (s["due"] == pd.Timestamp("2023-12-01")).all()


def test_save_actions_writes_a_copy_and_keeps_everything_else(tmp_path):
    src = tmp_path / "area.xlsx"
    influence.template(src)
    wb = load_workbook(src)
    wb["actors"]["M1"] = "private_phone"
    wb["actors"]["M2"] = "0123"
    wb.save(src)
    before = src.read_bytes()
    m = influence.read(src)
    new = actions_frame([{"action": "=HYPERLINK(\"x\")", "about": "ann"},
                         {"action": "Ask Cllr Patel to meet the housing group",
                          "about": "cllr_patel"}])
    with pytest.raises(OutputError, match="it is the map you are reviewing"):
        save_actions(m, src, new)
    info = save_actions(m, tmp_path / "copy.xlsx", new)
    assert (info["added"], info["skipped"], info["replaced"]) == (1, 1, False)
    assert src.read_bytes() == before
    wb = load_workbook(tmp_path / "copy.xlsx")
    assert wb["actors"]["M2"].value == "0123" and "README" in wb.sheetnames
    cell = wb["actions"]["A3"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"  # text, not a formula
    with pytest.raises(OutputError, match="already exists"):
        save_actions(m, tmp_path / "copy.xlsx", new)
    assert save_actions(m, src, new, force=True)["replaced"] is True
    assert len(influence.read(src).actions) == 2


def test_save_actions_into_a_csv_folder(tmp_path):
    m = influence.build(actors=[{"id": "ann", "kind": "resident"}])
    influence.write(m, tmp_path / "area")
    m = influence.read(tmp_path / "area")
    save_actions(m, tmp_path / "copy", actions_frame([{"action": "Call Ann", "about": "ann"}]))
    assert not (tmp_path / "area" / "actions.csv").exists()
    assert influence.read(tmp_path / "copy").actions["action"].tolist() == ["Call Ann"]


def test_save_actions_into_a_csv_folder_keeps_the_formula_guard(tmp_path):
    m = influence.build(actors=[{"id": "ann", "kind": "resident"}])
    influence.write(m, tmp_path / "area")
    m = influence.read(tmp_path / "area")
    save_actions(m, tmp_path / "copy", actions_frame([{"action": "=cmd|calc!A1", "about": "ann",
                                                       "notes": "@SUM(1)"}]))
    text = (tmp_path / "copy" / "actions.csv").read_text(encoding="utf-8-sig")
    assert "'=cmd|calc!A1" in text and "'@SUM(1)" in text  # never a live formula
    assert influence.read(tmp_path / "copy").actions["action"].tolist() == ["=cmd|calc!A1"]


# --- the review and the CLI ------------------------------------------------------------------
def test_review_sections(demo):
    new, old = demo
    r = influence.review(new, previous=old, as_at="2023-09-01")
    assert ICB in r.sentences["actions"]
    assert r.sentences["changes"][-1] == (
        "We said we'd do 6 things at the last review — did we? 3 done (2 of them shown by new "
        "ties on the map), 3 overdue: see \"What we said we'd do\".")
    assert len(r.tables["suggested_actions"]) == 6
    from influence.report import render

    assert "<h2>What we said we&#39;d do</h2>" in render(r)


def test_cli_actions(demo_files):
    old, new = demo_files
    r = run("actions", new, "--previous", old, "--as-at", "2023-09-01")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "We said we'd do 6 things: 1 done, 2 done (the map shows it), 3 overdue."
    assert lines[1] == ICB
    r = run("actions", new)
    assert r.exit_code == 1 and r.stderr == (
        f"Error: {new} has no actions sheet. Fix: add a sheet named actions (see influence "
        "template), or accept the review's suggestions with influence review FILE -o review/ "
        "--save-actions COPY.xlsx.\n")


def test_cli_review_save_actions(demo_files, tmp_path):
    _, new = demo_files
    r = run("review", new, "--as-at", "2023-09-01", "-o", tmp_path / "rev",
            "--save-actions", new)
    assert r.exit_code == 1 and r.stderr == (
        f"Error: Refusing to write the actions into {new}: it is the map you are reviewing. "
        "Fix: give a new file name (e.g. area-2023-actions.xlsx), or pass --force to add them "
        "to it.\n")
    assert not (tmp_path / "rev").exists()  # refused before anything was written
    copy = tmp_path / "area-2023-actions.xlsx"
    r = run("review", new, "--as-at", "2023-09-01", "-o", tmp_path / "rev",
            "--save-actions", copy)
    assert r.exit_code == 0
    assert r.stderr.splitlines()[-1] == (
        f"Saved 6 suggested actions to {copy}: a copy of {new} with the actions sheet; "
        f"{new} is unchanged.")
    r = run("review", copy, "--as-at", "2023-09-01", "-o", tmp_path / "rev2",
            "--save-actions", copy, "--force")
    assert r.stderr.splitlines()[-1] == (
        f"Added 0 suggested actions (6 already on the sheet) to the actions sheet of {copy} "
        "(--force: the file was rewritten safely; everything else in it is as it was).")
    assert (tmp_path / "rev2" / "actions.csv").exists()


def test_cli_convert_says_when_the_actions_cannot_go(demo_files, tmp_path):
    old, _ = demo_files
    r = run("convert", old, tmp_path / "a.graphml")
    assert r.exit_code == 0 and r.stderr.splitlines()[0] == (
        f"Warning: the actions sheet of {old} is not written to {tmp_path / 'a.graphml'} (only "
        "a workbook or a folder of CSVs holds it).")
    r = run("convert", old, tmp_path / "copy")
    assert r.exit_code == 0 and "Warning" not in r.stderr
    assert len(influence.read(tmp_path / "copy").actions) == 6


def test_an_anonymised_review_leaves_the_actions_out_and_says_so(demo):
    new, old = demo
    r = influence.review(new, previous=old, as_at="2023-09-01", anonymise=True)
    assert "actions" not in r.tables and "actions" not in r.sentences
    assert r.meta["notes"] == ["The actions sheet is left out of an anonymised review: its "
                               "actions name the people they concern."]


def test_a_new_tie_from_a_member_completes_an_overdue_action(demo):
    """Metamorphic: give each overdue 2019 action about an actor a new tie from its owner to
    that actor; the follow-up then says the map shows it done, naming the owner."""
    from tests.test_legacy import _tie

    new, old = demo
    f = follow_up(new, previous=old, as_at="2023-09-01")
    late = f[(f["state"] == "overdue") & f["about"].isin(new.actors.index)]
    assert len(late) == 2
    for r in late.itertuples():
        m2 = new.copy()
        m2.ties = pd.concat([new.ties, _tie(new.ties, r.owner, r.about)], ignore_index=True)
        g = follow_up(m2, previous=old, as_at="2023-09-01").set_index("about")
        assert g.at[r.about, "state"] == "done (the map shows it)"
        assert g.at[r.about, "evidence"].startswith(new.actors.at[r.owner, "name"] + " now knows")
