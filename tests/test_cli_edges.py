"""The user-facing edges of the CLI: bad input, privacy, outputs (regression tests).

Each test pins a defect found in review: a traceback, silently dropped data, a private value
in an export, or an output written where it must not be.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import influence
from influence.cli import main

ACTORS = (
    "id,name,kind,sub_area,influence,stance,themes,private_phone\n"
    "us,Our Big Local,big_local_partnership,North,4,2,health;youth,PRIVPHONE-US\n"
    "ann,Ann,resident,North,2,1,health,PRIVPHONE-ANN\n"
    "bo,Cllr Bo,ward_councillor,South,4,0,,PRIVPHONE-BO\n"
    "cc,County Council,county_council,South,5,-1,health,PRIVPHONE-CC\n"
    "gp,Surgery,gp_pcn,South,3,1,health,PRIVPHONE-GP\n"
)
TIES = (
    "source,target,kind,strength,private_notes\n"
    "ann,us,member_of,3,PRIVNOTE-1\n"
    "ann,bo,knows,2,PRIVNOTE-2\n"
    "bo,cc,member_of,2,PRIVNOTE-3\n"
    "us,gp,works_with,1,PRIVNOTE-4\n"
)


def _run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def area(tmp_path):
    folder = tmp_path / "area"
    folder.mkdir()
    (folder / "actors.csv").write_text(ACTORS)
    (folder / "ties.csv").write_text(TIES)
    return folder


# --- privacy ---------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["summary"], ["centrality", "-m", "degree"], ["spheres"], ["brokerage", "--by", "sub_area"],
    ["brokers"], ["structural-holes"], ["gatekeepers", "--institution", "county_council"],
    ["engagement"], ["missing"], ["civic-core"], ["validate"],
])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_no_private_value_in_any_table(area, args, fmt):
    result = _run(args[0], area, *args[1:], "-f", fmt)
    assert result.exit_code == 0, result.output
    assert "PRIV" not in result.output and "private_" not in result.output


def test_no_private_value_in_the_map_convert_or_review(area, tmp_path):
    assert _run("map", area, "-o", tmp_path / "m.html").exit_code == 0
    assert _run("convert", area, tmp_path / "m.graphml").exit_code == 0
    assert _run("review", area, "-o", tmp_path / "rev").exit_code == 0
    texts = [(tmp_path / "m.html").read_text(), (tmp_path / "m.graphml").read_text()]
    texts += [p.read_text() for p in (tmp_path / "rev").glob("*.[hc]*")]  # html and csv
    assert texts and not any("PRIV" in t for t in texts)


@pytest.mark.parametrize("command", ["brokerage", "brokers"])
def test_grouping_by_a_private_column_is_refused(area, command):
    result = _run(command, area, "--by", "private_phone", "-f", "csv")
    assert result.exit_code == 1
    assert result.output == (
        'Error: Cannot group actors by "private_phone": private_* columns never leave the '
        "machine, and the groups are written out. Fix: choose another column with --by, e.g. "
        "sub_area or sector.\n")


def test_unknown_grouping_does_not_list_private_columns(area):
    result = _run("brokerage", area, "--by", "ward")
    assert result.exit_code == 1
    assert result.output == (
        'Error: There is no actor attribute "ward" to group actors by (attributes: name, kind, '
        "sector, sub_area, influence, stance, interest, giving, themes, age_band, org_code). "
        "Fix: add a ward column to the actors sheet, or choose another with --by.\n")


# --- unknown option values -----------------------------------------------------------------
def test_map_with_an_unknown_focus_is_an_error_not_a_note(area, tmp_path):
    result = _run("map", area, "-o", tmp_path / "m.html", "--focus", "nobody")
    assert result.exit_code == 1
    assert result.output == (
        "Error: Unknown focus: nobody is neither an actor id nor a kind in the map. Fix: use an "
        "id from the actors sheet (or a kind such as big_local_partnership).\n")
    assert not (tmp_path / "m.html").exists()


def test_missing_with_a_bad_date_without_an_area(area):
    result = _run("missing", area, "--as-at", "notadate")
    assert result.exit_code == 1
    assert result.output == ("Error: Cannot read the date 'notadate'. Fix: write it as "
                             "YYYY-MM-DD, e.g. 2026-04-01.\n")


def test_review_with_an_unreadable_profile_is_an_error(area, tmp_path):
    prof = tmp_path / "profile.txt"
    prof.write_text("hello\n")
    result = _run("review", area, "--profile", prof, "-o", tmp_path / "rev")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: The area profile {prof} has no column attribute, value, share. Fix: use the "
        "columns attribute, value, share (e.g. sub_area,Nether Wyke,0.22).\n")


def test_review_and_compare_take_the_focus_the_error_asks_for(tmp_path):
    folder = tmp_path / "nopartnership"
    folder.mkdir()
    (folder / "actors.csv").write_text("id,kind\nann,resident\nbo,ward_councillor\n")
    (folder / "ties.csv").write_text("source,target\nann,bo\n")
    result = _run("review", folder, "-o", tmp_path / "rev")
    assert result.exit_code == 1 and "Fix: pass --focus ID, or add" in result.output
    assert _run("review", folder, "-o", tmp_path / "rev", "--focus", "ann").exit_code == 0
    assert _run("compare", folder, folder, "--focus", "ann").exit_code == 0


# --- bad input files -------------------------------------------------------------------------
def test_workbook_without_ties_sheet_warns(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "actors"
    wb.active.append(["id", "kind"])
    wb.active.append(["ann", "resident"])
    wb.save(tmp_path / "noties.xlsx")
    result = _run("validate", tmp_path / "noties.xlsx")
    assert result.exit_code == 0
    assert result.output == (
        'Warning: noties.xlsx: there is no sheet named "ties" (sheets: actors), so the map has '
        'no ties. Fix: add a sheet named "ties" with source and target columns (see '
        "`influence template`)\nOK: 1 actors, 0 ties (1 warning)\n")


def test_header_only_workbook_warns_and_every_figure_draws(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "actors"
    wb.active.append(["id", "name", "kind"])
    wb.create_sheet("ties").append(["source", "target"])
    wb.save(tmp_path / "header.xlsx")
    result = _run("validate", tmp_path / "header.xlsx")
    assert result.output == (
        'Warning: header.xlsx, sheet "actors": there are no actors. Fix: add one row per '
        "person, group or body below the header (see `influence template`)\n"
        "OK: 0 actors, 0 ties (1 warning)\n")
    for view in ("spheres", "map", "engagement"):
        out = tmp_path / f"{view}.png"
        assert _run("figure", tmp_path / "header.xlsx", "-o", out, "--view", view).exit_code == 0
        assert out.stat().st_size > 0


def test_values_without_a_header_are_not_dropped_silently(tmp_path):
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "actors.csv").write_text("id,name,kind\nann,Ann,Smith,resident\n")
    (folder / "ties.csv").write_text("source,target\n")
    result = _run("validate", folder)
    assert ("Warning: actors.csv, row 2: 1 value in column 4 without a header (ignored) "
            "(value: 'resident'). Fix: give the column a header, or delete the value (a comma "
            "inside a name needs the name in double quotes)\n") in result.output


def test_utf16_csv_is_read(tmp_path):
    folder = tmp_path / "u16"
    folder.mkdir()
    (folder / "actors.csv").write_bytes("id,name,kind\nzoe,Zoë,resident\n".encode("utf-16"))
    (folder / "ties.csv").write_bytes("source,target\n".encode("utf-16"))
    assert influence.read(folder).actors.loc["zoe", "name"] == "Zoë"


def test_control_characters_do_not_break_xlsx_or_graphml(tmp_path):
    folder = tmp_path / "ctrl"
    folder.mkdir()
    (folder / "actors.csv").write_text("id,name,kind\nus,Our\x07 Big Local,big_local_partnership\n"
                                       "ann,Ann\x0b,resident\n")
    (folder / "ties.csv").write_text("source,target,notes\nann,us,rang\x07 twice\n")
    for name in ("m.xlsx", "m.graphml", "m.gexf"):
        assert _run("convert", folder, tmp_path / name).exit_code == 0
        back = influence.read(tmp_path / name)
        assert back.actors.loc["us", "name"] == "Our Big Local"
    assert _run("review", folder, "-o", tmp_path / "rev").exit_code == 0


def test_summary_counts_are_whole_numbers(area):
    rows = json.loads(_run("summary", area, "-f", "json").output)
    total = next(r for r in rows if r["section"] == "actors" and r["item"] == "total")
    assert total["value"] == 5 and isinstance(total["value"], int)


# --- outputs ---------------------------------------------------------------------------------
def test_never_overwrites_a_file_of_an_input_folder(area):
    before = (area / "actors.csv").read_text()
    for args in (["summary", area, "-o", area / "actors.csv", "--force"],
                 ["compare", area, area / "ties.csv", "-o", area / "ties.csv", "--force"]):
        result = _run(*args)
        assert result.exit_code == 1
        assert result.output.endswith(f"Error: Refusing to write {args[-2]}: it is one of the "
                                      "inputs. Fix: choose another output name.\n")
    assert (area / "actors.csv").read_text() == before
    assert (area / "ties.csv").read_text() == TIES


def test_output_under_a_file_is_a_clean_error(area, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x")
    for args in (["convert", area, blocker / "m.graphml"],
                 ["map", area, "-o", blocker / "m.html"],
                 ["summary", area, "-o", blocker / "s.csv"]):
        result = _run(*args)
        assert result.exit_code == 1
        out = args[2] if args[0] == "convert" else args[-1]
        assert result.output == (f"Error: Cannot write {out}: {blocker} is a file, not a "
                                 "folder. Fix: choose another output name.\n")
    result = _run("review", area, "-o", blocker / "rev")
    assert result.output == (f"Error: Cannot write {blocker / 'rev'}: {blocker} "
                             "is a file, not a folder. Fix: choose another output name.\n")


def test_output_into_a_new_folder_and_no_silent_overwrite(area, tmp_path):
    out = tmp_path / "new" / "deeper" / "s.csv"
    assert _run("summary", area, "-o", out).exit_code == 0 and out.exists()
    result = _run("summary", area, "-o", out)
    assert result.exit_code == 1
    assert result.output == (f"Error: {out} already exists. Fix: choose another name, or pass "
                             "--force to overwrite it.\n")


def test_flat_map_figure_keeps_its_axes():
    """A collinear layout (a star of three) used to squash the axes to nothing."""
    import matplotlib

    matplotlib.use("Agg")
    import networkx as nx

    from influence.figures import plot_map

    G = nx.Graph([("us", "ann"), ("us", "bo")])
    nx.set_node_attributes(G, {"us": "big_local_partnership", "ann": "resident",
                               "bo": "ward_councillor"}, "kind")
    ax = plot_map(G)
    ax.figure.canvas.draw()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert y1 - y0 > 0.5 * (x1 - x0)  # was ~1e-8: the axes box shrank to a line


def test_civic_core_share_out_of_range_quotes_what_was_typed(tmp_path):
    from click.testing import CliRunner

    from influence import cli

    path = tmp_path / "area.xlsx"
    assert CliRunner().invoke(cli.main, ["template", str(path)]).exit_code == 0
    res = CliRunner().invoke(cli.main, ["civic-core", str(path), "--share", "2"])
    assert res.exit_code == 2
    assert ("Error: Invalid value for --share: '2' is not a fraction between 0 and 1 (e.g. 2/3 "
            "or 0.75).") in res.output
