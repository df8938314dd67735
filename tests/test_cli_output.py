"""What a volunteer reads and gets from the command line: clean errors, safe files, readable
tables (exact messages)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import influence
from influence.cli import main

DATA = Path(__file__).parent / "data"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "hollinford.xlsx"
    influence.datasets.load("hollinford").write(out)
    return out


# --- unexpected errors: one line, the file named; the traceback only with --debug ------------
def test_an_unexpected_error_is_one_line_naming_the_file(monkeypatch):
    def broken(*a, **k):
        raise OverflowError("cannot convert float infinity to integer\nsecond line")

    monkeypatch.setattr(influence, "summary", broken)
    r = run("summary", DATA / "good")
    assert r.exit_code == 1
    assert r.output == (f"Error: influence summary stopped on {DATA / 'good'}: OverflowError: "
                        "cannot convert float infinity to integer. This is unexpected: run "
                        "`influence --debug summary ...` to see the details, and please report "
                        "it.\n")
    r = run("--debug", "summary", DATA / "good")
    assert r.exit_code == 1 and isinstance(r.exception, OverflowError)


def test_library_errors_are_shown_as_they_are():
    r = run("summary", DATA / "bad_values")
    assert r.exit_code == 1 and r.output.startswith("Error: 6 problems found:")


# --- messages name the command line, not the Python API ----------------------------------------
def test_messages_name_options_and_commands_not_python(tmp_path):
    r = run("engagement", DATA / "formulas")
    assert r.output == ("Error: No focus given and the map has no big_local_partnership actor. "
                        "Fix: pass --focus ID, or add the partnership to the actors sheet with "
                        "kind big_local_partnership.\n")
    out = tmp_path / "s.csv"
    out.write_text("")
    r = run("summary", DATA / "good", "-o", out)
    assert r.output == (f"Error: {out} already exists. Fix: choose another name, or pass "
                        "--force to overwrite it.\n")
    r = run("missing", DATA / "good", "--area", "Nowhereshire Borough")
    assert r.exit_code == 1 and "influence catalogue authorities" in r.output
    assert "()" not in r.output and "uk." not in r.output
    r = run("brokerage", DATA / "good", "--by", "")
    assert r.output == ("Error: --by '' is not an actor attribute name. Fix: pass a column such "
                        "as --by sub_area, --by sector or --by kind.\n")
    with pytest.raises(influence.InfluenceError, match=r"by='sub_area', by='sector' or by='kind'"):
        influence.brokerage(influence.read(DATA / "good"), by="")


def test_library_messages_keep_the_python_form():
    with pytest.raises(influence.InfluenceError) as exc:
        influence.uk.area("Nowhereshire Borough")
    assert "influence.uk.local_authorities()" in str(exc.value)
    assert "\x02" not in str(exc.value) and "catalogue" not in str(exc.value)


# --- CSV guard on the command line --------------------------------------------------------------
def test_convert_guards_csv_and_raw_csv_turns_it_off(tmp_path):
    assert run("convert", DATA / "formulas", tmp_path / "safe").exit_code == 0
    text = (tmp_path / "safe" / "actors.csv").read_text(encoding="utf-8-sig")
    assert "\nbo,'+cmd|" in text
    assert run("convert", DATA / "formulas", tmp_path / "raw", "--raw-csv").exit_code == 0
    assert "\nbo,+cmd|" in (tmp_path / "raw" / "actors.csv").read_text(encoding="utf-8-sig")
    m = influence.read(DATA / "formulas")
    assert influence.read(tmp_path / "safe").equals(m)
    assert run("convert", tmp_path / "safe", tmp_path / "m.xlsx").exit_code == 0
    assert influence.read(tmp_path / "m.xlsx").equals(m)  # nothing lost: "=..." text is kept
    wb = openpyxl.load_workbook(tmp_path / "m.xlsx")
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_table_csv_on_screen_and_in_files_is_guarded(tmp_path):
    r = run("engagement", DATA / "formulas", "--focus", "ann", "-f", "csv")
    assert r.exit_code == 0 and "\nbo,resident,'+cmd|" in r.output
    r = run("engagement", DATA / "formulas", "--focus", "ann", "-f", "csv", "--raw-csv")
    assert "\nbo,resident,+cmd|" in r.output
    r = run("engagement", DATA / "formulas", "--focus", "ann", "-o", tmp_path / "e.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "e.xlsx")
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert "=1+1" not in [c.value for c in cells if c.data_type == "f"]
    assert not [c for c in cells if c.data_type == "f"]


# --- review folders: replaced whole, and only if a review wrote them ---------------------------
def test_review_force_replaces_only_an_earlier_review(tmp_path, demo):
    out = tmp_path / "rev"
    args = ("review", demo, "--previous", demo, "--priorities", "health,community_spaces",
            "-o", out)
    r = run(*args)
    assert r.exit_code == 0 and r.output.endswith(
        f"files to {out}: open {out / 'report.html'} (13 gaps for Health and wellbeing; "
        "Community spaces, culture and leisure). It is the partnership's working copy; circulate "
        "share.html.\n")
    assert "2023-09-01" in (out / "report.html").read_text()  # the map's own date
    assert (out / "changes_actors.csv").exists() and (out / ".influence-review").exists()
    r = run(*args)
    assert r.exit_code == 1 and r.output == (
        f"Error: The folder {out} already has files in it. Fix: choose a new folder, or pass "
        "--force to replace the review in it.\n")
    # a second review without --previous: the old changes_*.csv (real names) must go
    assert run("review", demo, "--anonymise", "--as-at", "2023-09-01", "-o", out,
               "--force").exit_code == 0
    assert not list(out.glob("changes_*.csv"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rev"]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.docx").write_text("mine")
    r = run("review", demo, "-o", mine, "--force")
    assert r.exit_code == 1 and r.output == (
        f"Error: Refusing to replace {mine}: it was not written by influence (it has no "
        ".influence-review file), so it may hold your own files. Fix: choose a new folder, or "
        "move the files out of it.\n")
    assert [p.name for p in mine.iterdir()] == ["notes.docx"]


# --- summary a person can read ----------------------------------------------------------------
def test_summary_lists_ten_stale_ties_by_name_judged_on_the_maps_date(demo):
    r = run("summary", demo)
    lines = r.output.splitlines()
    assert lines[0] == "hollinford.xlsx: 293 actors, 832 ties (as at 2023-09-01)"
    assert "Stale ties: 105 confirmed over 12 months before 2023-09-01" in lines
    i = lines.index("Stale ties: 105 confirmed over 12 months before 2023-09-01")
    assert lines[i + 1] == "  Grace Zielinski - Grace Bishop (knows), last confirmed 2019-01-01"
    assert lines[i + 11:] == ["  95 more: use -o stale.csv for every stale tie"]
    assert "<InfluenceMap" not in r.output and "council_officer" not in r.output
    assert "6 Council officer" in r.output
    r = run("summary", demo, "--as-at", "2026-01-01")
    assert "Stale ties: 832 confirmed over 12 months before 2026-01-01" in r.output


def test_the_maps_date_travels_with_the_workbook(tmp_path):
    m = influence.datasets.load("hollinford", year=2019)
    assert m.as_at == "2019-09-01"
    m.write(tmp_path / "h.xlsx")
    assert influence.read(tmp_path / "h.xlsx").as_at == "2019-09-01"
    assert influence.read(DATA / "good").as_at is None


# --- wide tables --------------------------------------------------------------------------------
def test_wide_tables_are_readable_on_screen(demo):
    r = run("brokers", demo, "--by", "sub_area")
    lines = r.stdout.splitlines()
    assert max(map(len, lines[:-1])) <= 110
    assert lines[0] == ("Little Steps parent and toddler group (Community group / residents' or "
                        "tenants' association): coordinator")
    assert lines[1] == ("    Mostly links people within their own sub-area (Hollinford) (536 "
                        "of 582 brokered paths).")
    assert lines[-1] == ("273 more. Every column (role counts, z-scores, betweenness, "
                         "constraint): --all-columns on screen, or -o FILE (.csv, .xlsx, .json).")
    r = run("brokers", demo, "--all-columns")
    assert r.stderr.startswith("Groups: no grouping was given, so the 10 communities found")
    assert "total_z" in r.stdout.splitlines()[0]
    r = run("brokerage", demo, "--by", "sub_area")
    assert r.output.splitlines()[:3] == [
        "Most brokered paths first:",
        "Little Steps parent and toddler group (Hollinford): 582 brokered paths (z = 28.9)",
        "    coordinator 536, itinerant 0, representative 23, gatekeeper 23, liaison 0"]
    r = run("spheres", demo, "--frontier")
    lines = r.output.splitlines()
    assert lines[0] == ("1. Little Steps parent and toddler group (Community group / residents' "
                        "or tenants' association): introduces 20")
    assert lines[1].startswith("    Hollinford Primary Academy, Tomasz Allen,")  # names, not ids
    assert max(map(len, lines[1:-1])) <= 110
    r = run("missing", demo, "--priorities", "health")
    lines = r.output.splitlines()
    assert lines[0] == ("1. Integrated care board: Health and wellbeing, commissioner: weakly "
                        "tied")
    assert max(map(len, lines[:-1])) <= 110
    assert lines[1] == ("    Plan and commission NHS services (GP, hospital, community, mental "
                        "health). Route: Amira Hassan →")


# --- friendly kind words -----------------------------------------------------------------------
def test_gatekeepers_accept_the_workbooks_kind_words(demo):
    plain = run("gatekeepers", demo, "--institution", "county_council").output
    assert run("gatekeepers", demo, "--institution", "County Council").output == plain
    assert run("gatekeepers", demo, "--community", "Parish Council",
               "--institution", "county council").exit_code == 0
    r = run("gatekeepers", demo, "--institution", "County Councl")
    assert r.exit_code == 1 and r.output.startswith(
        "Error: Unknown institution: County Councl is neither an actor id nor a kind in the map "
        "(nearest: county_council, county_councillor")


def _message_texts(node):
    """The literal text of an error message (what is not an either() choice)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        for v in node.values:
            yield from _message_texts(v)
    elif isinstance(node, ast.BinOp):
        yield from _message_texts(node.left)
        yield from _message_texts(node.right)


#: Messages that name Python keywords and that the command line never shows (it checks or fixes
#: those values itself), with the option that guards each.
PYTHON_ONLY = {
    ("civic.py", "many="), ("civic.py", "share="),  # not an option / --share checked by the CLI
    ("coreperiphery.py", "model="),  # --model is a choice
    ("holes.py", "scope="),  # --scope is a choice
    ("spheres.py", "steps="),  # --steps is a whole number >= 0
    ("graph.py", "weight="),  # strengths are checked when a map is read
    ("civic.py", "bipartite="), ("civic.py", "people="),  # networkx graphs only
    ("mixing.py", "by="),  # a Series or mapping as by: Python only (the CLI always gives names)
}


def test_library_messages_shown_on_the_cli_do_not_ask_for_python():
    import ast
    import re

    bad = []
    for path in sorted((Path(influence.__file__).parent).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            text = "".join(t for a in node.exc.args for t in _message_texts(a))
            for hit in re.findall(r"[a-z_]+=(?:True|False|None|'|\[|\d)|\w\(\)|\(CLI", text):
                key = (path.name, re.sub(r"=.*", "=", hit))
                if key not in PYTHON_ONLY:
                    bad.append(f"{path.name}:{node.lineno}: {hit!r} in {text[:80]!r}")
    assert bad == []


def test_focus_takes_kind_words_and_suggests_only_good_matches(demo):
    r = run("spheres", demo, "--focus", "Parish Council")
    assert r.exit_code == 0 and r.output == run("spheres", demo, "--focus",
                                                "parish_council").output
    r = run("spheres", demo, "--focus", "parish_councl")
    assert r.output == ("Error: Unknown focus: parish_councl is neither an actor id nor a kind in "
                        "the map (nearest: parish_council, parish_councillor). Fix: use an id "
                        "from the actors sheet (or a kind such as big_local_partnership).\n")
    r = run("spheres", demo, "--focus", "nobody")
    assert "nearest" not in r.output


def test_a_message_built_on_another_keeps_the_command_line_form(tmp_path):
    folder = tmp_path / "nopartnership"
    folder.mkdir()
    (folder / "actors.csv").write_text("id,kind\nann,resident\nbo,ward_councillor\n")
    (folder / "ties.csv").write_text("source,target\nann,bo\n")
    r = run("compare", folder, folder)
    assert r.output == ("Error: Cannot compare spheres: No focus given and the map has no "
                        "big_local_partnership actor. Fix: pass --focus ID, or add the "
                        "partnership to the actors sheet with kind big_local_partnership.\n")
    with pytest.raises(influence.InfluenceError, match=r"Fix: pass focus=ID, or add"):
        influence.compare(influence.read(folder), influence.read(folder))
