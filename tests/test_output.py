"""Safe output (influence.output): text never a formula, folders all old or all new."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import influence
from influence.errors import OutputError
from influence.output import atomic_folder, csv_safe, csv_unsafe, write_table

DATA = Path(__file__).parent / "data"
DANGEROUS = ["=1+1", "+cmd", "-1+1", "@SUM(A1)", "\t=x", "\r=x", "'=quoted", "''+twice", "#N/A",
             '=HYPERLINK("http://evil.example","click")']


def formula_cells(path) -> list:
    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if c.data_type in ("f", "e")]


def dangerous_map():
    actors = [{"id": f"a{i}", "name": v, "kind": "resident", "notes": v, "sub_area": v}
              for i, v in enumerate(DANGEROUS)]
    ties = [{"source": "a0", "target": f"a{i}", "notes": v} for i, v in enumerate(DANGEROUS)
            if i]
    return influence.build(actors=actors, ties=ties)


# --- CSV: neutralised, and read back exactly --------------------------------------------------
@given(st.text(max_size=12))
def test_csv_guard_round_trips_any_text(text):
    assert csv_unsafe(csv_safe(text)) == text
    guarded = csv_safe(text)
    # what a spreadsheet sees never starts a formula (a plain number such as -1 is not one)
    assert not guarded[:1] in ("=", "+", "-", "@", "\t", "\r") or \
        pd.to_numeric(pd.Series([guarded]), errors="coerce").notna().all()


def test_csv_guard_leaves_numbers_alone():
    assert [csv_safe(v) for v in (-1, 2.5, "-1", "+3", "1e5", "Ann")] == \
        [-1, 2.5, "-1", "+3", "1e5", "Ann"]
    assert [csv_safe(v) for v in DANGEROUS[:4]] == ["'=1+1", "'+cmd", "'-1+1", "'@SUM(A1)"]


def test_map_with_formula_text_round_trips_through_csv_and_xlsx(tmp_path):
    m = influence.read(DATA / "formulas")  # names, sub-areas and notes that start a formula
    assert m.actors.loc["ann", "name"] == '=HYPERLINK("http://evil.example","click")'
    for out in (tmp_path / "csv", tmp_path / "m.xlsx", tmp_path / "m.kumu.xlsx"):
        influence.write(m, out)
        assert influence.read(out).equals(m), out
    assert formula_cells(tmp_path / "m.xlsx") == []
    text = (tmp_path / "csv" / "actors.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in text and "'+cmd|" in text and ",'-1+1," in text
    assert "'@SUM(1+1)" in text and ",'+North," in text and ",-2\n" in text
    assert "\n=" not in text and ",=" not in text and ",+" not in text and ",@" not in text


def test_every_dangerous_start_round_trips(tmp_path):
    m = dangerous_map()  # (cells are trimmed on reading: "\t=x" is read as "=x")
    assert m.actors["name"].tolist() == [v.strip() for v in DANGEROUS]
    for out in (tmp_path / "csv", tmp_path / "m.xlsx"):
        influence.write(m, out)
        back = influence.read(out)
        assert back.equals(m)
        assert back.actors["notes"].tolist() == m.actors["notes"].tolist()
        assert back.ties["notes"].tolist() == m.ties["notes"].tolist()
    assert formula_cells(tmp_path / "m.xlsx") == []
    frame = pd.DataFrame({"text": DANGEROUS})  # untrimmed text keeps its tab / CR exactly
    write_table(frame, tmp_path / "t.csv")
    back = [csv_unsafe(v) for v in pd.read_csv(tmp_path / "t.csv", index_col=0,
                                               keep_default_na=False)["text"]]
    assert back == DANGEROUS


def test_raw_csv_writes_text_as_typed(tmp_path):
    m = influence.read(DATA / "formulas")
    influence.write(m, tmp_path / "raw", safe_csv=False)
    text = (tmp_path / "raw" / "actors.csv").read_text(encoding="utf-8-sig")
    assert ',"=HYPERLINK(' in text and "\nbo,+cmd|" in text and "'" + "=" not in text


def test_tables_are_written_without_formulas(tmp_path):
    frame = pd.DataFrame({"name": DANGEROUS, "n": range(len(DANGEROUS))},
                         index=pd.Index(DANGEROUS, name="=id"))
    write_table(frame, tmp_path / "t.xlsx")
    assert formula_cells(tmp_path / "t.xlsx") == []
    # xlsxwriter stores a CR as Excel does (_x000D_): Excel and python-calamine read it back
    back = pd.read_excel(tmp_path / "t.xlsx", index_col=0, engine="calamine",
                         keep_default_na=False)
    assert back["name"].tolist() == DANGEROUS and back.index.tolist() == DANGEROUS
    write_table(frame, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text()
    assert text.splitlines()[0] == "'=id,name,n" and text.splitlines()[1] == "'=1+1,'=1+1,0"
    write_table(frame, tmp_path / "raw.csv", safe_csv=False)
    assert (tmp_path / "raw.csv").read_text().splitlines()[1] == "=1+1,=1+1,0"


def test_review_xlsx_has_no_formula_cells(tmp_path):
    m = dangerous_map()
    m.actors.loc["a1", "kind"] = "big_local_partnership"
    r = influence.review(m, as_at="2024-01-01")
    r.write(tmp_path / "rev")
    assert formula_cells(tmp_path / "rev" / "review.xlsx") == []
    spheres = (tmp_path / "rev" / "spheres.csv").read_text()
    assert "'=1+1" in spheres and "\n=" not in spheres and ",=" not in spheres


# --- xlsx through xlsxwriter: text stays text, limits are clear ---------------------------------
def test_xlsx_is_written_by_xlsxwriter_with_text_as_text(tmp_path):
    import zipfile

    texts = ["=1+1", "http://x.example/a", "007", "1e5", "#N/A", "{=SUM(A1)}", " padded "]
    frame = pd.DataFrame({"text": texts, "n": range(len(texts))})
    write_table(frame, tmp_path / "t.xlsx")
    with zipfile.ZipFile(tmp_path / "t.xlsx") as zf:  # openpyxl signs itself as the creator
        assert b"openpyxl" not in zf.read("docProps/core.xml")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["table"]
    assert [ws.cell(r, 2).value for r in range(2, len(texts) + 2)] == texts
    assert {ws.cell(r, 2).data_type for r in range(2, len(texts) + 2)} == {"s"}
    assert [ws.cell(r, 3).value for r in range(2, len(texts) + 2)] == list(range(len(texts)))
    assert not ws.cell(3, 2).hyperlink  # a web address is text, not a link


def test_write_sheets_writes_what_pandas_writes(tmp_path):
    from datetime import date, datetime, timedelta

    from influence.output import excel_writer, write_sheets

    frame = pd.DataFrame({
        "text": ["=1+1", None, "007", "x"], "int": pd.array([1, None, -3, 2**40], dtype="Int64"),
        "float": [1.5, float("nan"), float("inf"), -float("inf")],
        "bool": [True, False, True, False],
        "when": pd.to_datetime(["2024-01-02 03:04:05", None, "1999-12-31 00:00:00",
                                "2024-02-29 23:59:59"]),
        "mixed": ["a", 2, 2.5, date(2024, 5, 1)],
        "other": [datetime(2020, 1, 1, 12), timedelta(days=2), ("t", 1), None],
    }, index=pd.Index(["a", "b", "c", "d"], name="id"))
    unnamed = frame.reset_index(drop=True)
    write_sheets(tmp_path / "ours.xlsx", {"s": frame, "u": unnamed, "n": frame}, index={"s", "u"})
    with excel_writer(tmp_path / "pandas.xlsx") as xw:  # pandas' own xlsxwriter writer
        frame.to_excel(xw, sheet_name="s")
        unnamed.to_excel(xw, sheet_name="u")
        frame.to_excel(xw, sheet_name="n", index=False)
    ours, theirs = (openpyxl.load_workbook(tmp_path / f) for f in ("ours.xlsx", "pandas.xlsx"))
    for sheet in ("s", "u", "n"):
        assert [[(c.value, c.data_type, c.number_format, c.font.b) for c in row]
                for row in ours[sheet].iter_rows()] == \
               [[(c.value, c.data_type, c.number_format, c.font.b) for c in row]
                for row in theirs[sheet].iter_rows()]


def test_map_text_round_trips_exactly_through_xlsx(tmp_path):
    texts = ["Ann\rLee", "_x000D_ literal", "two\nlines", "http://x.example", "007", "=1+1"]
    actors = [{"id": f"a{i}", "name": v, "kind": "resident", "notes": v}
              for i, v in enumerate(texts)]
    m = influence.build(actors=actors, ties=[{"source": "a0", "target": "a1", "notes": "=x"}])
    m.as_at = "2024-05-01"
    influence.write(m, tmp_path / "m.xlsx")
    back = influence.read(tmp_path / "m.xlsx")
    assert back.actors["name"].tolist() == texts and back.actors["notes"].tolist() == texts
    assert back.as_at == "2024-05-01" and formula_cells(tmp_path / "m.xlsx") == []


def test_text_too_long_for_a_cell_is_a_clear_error_not_cut_short(tmp_path):
    from influence.output import XLSX_MAX_CHARS

    frame = pd.DataFrame({"text": ["short", "x" * (XLSX_MAX_CHARS + 1)]})
    with pytest.raises(OutputError) as err:
        write_table(frame, tmp_path / "t.xlsx")
    assert str(err.value) == (
        f"{tmp_path / 't.xlsx'}, sheet 'table', row 3, column 'text': a text of 32,768 "
        "characters is longer than the 32,767 a spreadsheet cell holds, and would be cut short. "
        "Fix: shorten it, or write a CSV folder or a .db store instead (e.g. -o map/ or map.db).")
    assert not list(tmp_path.iterdir())
    write_table(frame.iloc[:1].assign(text="x" * XLSX_MAX_CHARS), tmp_path / "t.xlsx")
    back = pd.read_excel(tmp_path / "t.xlsx", index_col=0, engine="calamine")
    assert back["text"].tolist() == ["x" * XLSX_MAX_CHARS]  # the longest text fits exactly
    m = influence.build(actors=[{"id": "a", "name": "A", "kind": "resident",
                                 "notes": "n" * 40_000}], ties=[])
    with pytest.raises(OutputError, match=r"m.xlsx, sheet 'actors', row 2, column 'notes': a "
                       r"text of 40,000 characters"):
        influence.write(m, tmp_path / "m.xlsx")
    influence.write(m, tmp_path / "m")  # a CSV folder holds it
    assert influence.read(tmp_path / "m").actors.loc["a", "notes"] == "n" * 40_000


def test_a_sheet_longer_than_a_spreadsheet_is_a_clear_error(tmp_path):
    frame = pd.DataFrame({"n": range(1_048_576)})
    with pytest.raises(OutputError) as err:
        write_table(frame, tmp_path / "big.xlsx")
    assert str(err.value) == (
        f"{tmp_path / 'big.xlsx'}: sheet 'table' would have 1,048,576 rows, but a spreadsheet "
        "sheet holds at most 1,048,575 below its header. Fix: write a CSV folder or a .db store "
        "instead (e.g. -o map/ or map.db).")
    assert not list(tmp_path.iterdir())


# --- folders: all old or all new ----------------------------------------------------------------
MARK = ".influence-review"


def test_atomic_folder_keeps_the_old_folder_when_writing_fails(tmp_path):
    out = tmp_path / "review"
    with atomic_folder(out, marker=MARK) as tmp:
        (tmp / "old.txt").write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_folder(out, force=True, marker=MARK) as tmp:
            (tmp / "new.txt").write_text("new")
            raise RuntimeError("disk gone mid-write")
    assert sorted(p.name for p in out.iterdir()) == [MARK, "old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review"]  # no temporary folder left


def test_atomic_folder_replaces_the_whole_folder(tmp_path):
    out = tmp_path / "review"
    with atomic_folder(out, marker=MARK) as tmp:
        (tmp / "changes_actors.csv").write_text("real names")
    with atomic_folder(out, force=True, marker=MARK) as tmp:
        (tmp / "report.html").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == [MARK, "report.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review"]


def test_atomic_folder_never_replaces_a_users_folder(tmp_path):
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "thesis.docx").write_text("years of work")
    with pytest.raises(OutputError) as exc:
        with atomic_folder(mine, marker=MARK, what="review"):
            pass
    assert str(exc.value) == (f"The folder {mine} already has files in it. Fix: choose a new "
                              "folder, or pass force=True to replace the review in it.")
    with pytest.raises(OutputError) as exc:
        with atomic_folder(mine, force=True, marker=MARK, what="review"):
            pass
    assert str(exc.value) == (f"Refusing to replace {mine}: it was not written by influence (it "
                              f"has no {MARK} file), so it may hold your own files. Fix: choose "
                              "a new folder, or move the files out of it.")
    assert [p.name for p in mine.iterdir()] == ["thesis.docx"]


def test_atomic_folder_refuses_a_folder_holding_an_input(tmp_path):
    (tmp_path / "rev").mkdir()
    (tmp_path / "rev" / MARK).write_text("")
    (tmp_path / "rev" / "area.xlsx").write_text("")
    with pytest.raises(OutputError, match="it holds the input"):
        with atomic_folder(tmp_path / "rev", force=True, marker=MARK,
                           inputs=[tmp_path / "rev" / "area.xlsx"]):
            pass


def test_killed_writer_leaves_the_old_folder_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "review"
    with atomic_folder(out, marker=MARK) as tmp:
        (tmp / "old.txt").write_text("old")
    script = textwrap.dedent(f"""
        import time
        from influence.output import atomic_folder
        with atomic_folder({str(out)!r}, force=True, marker={MARK!r}) as tmp:
            (tmp / "new.txt").write_text("new")
            print("writing", flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).parent.parent)
    try:
        assert proc.stdout.readline().strip() == "writing"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:  # pragma: no cover
            proc.kill()
    assert sorted(p.name for p in out.iterdir()) == [MARK, "old.txt"]  # all old
    leftovers = [p for p in tmp_path.iterdir() if p.name != "review"]
    assert len(leftovers) == 1 and leftovers[0].name.endswith(".tmp")  # hidden, beside it
    with atomic_folder(out, force=True, marker=MARK) as tmp:
        (tmp / "new.txt").write_text("new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review"]
    assert sorted(p.name for p in out.iterdir()) == [MARK, "new.txt"]


# --- progress: on a terminal only ---------------------------------------------------------------
def test_progress_is_off_when_stderr_is_not_a_terminal(capsys):
    from influence import _progress

    rows = list(range(20_000))
    assert _progress.bar(rows, at_least=10_000) is rows  # pytest's stderr is not a terminal
    _progress.note("hello")
    assert capsys.readouterr().err == ""


def test_reading_a_big_file_shows_progress_on_a_terminal(tmp_path, capsys, monkeypatch):
    from influence import _progress

    folder = tmp_path / "big"
    folder.mkdir()
    n = 10_000
    (folder / "actors.csv").write_text("id,kind\n" + "".join(f"a{i},resident\n"
                                                             for i in range(n)))
    (folder / "ties.csv").write_text("source,target\n" + "".join(f"a{i},a{i + 1}\n"
                                                                 for i in range(n - 1)))
    monkeypatch.setattr(_progress, "ENABLED", True)
    influence.read(folder)
    err = capsys.readouterr().err
    assert "Reading actors.csv:   0%| " in err and "/10000 [" in err
    assert "Reading ties.csv" not in err  # 9,999 rows: under the threshold


def test_exact_path_measures_on_many_actors_come_with_an_estimate(monkeypatch):
    from influence import _progress
    from influence.errors import for_cli, for_python

    assert _progress.path_measure_estimate(4999, 20_000, ["betweenness"]) == ""
    assert _progress.path_measure_estimate(9000, 20_000, ["degree", "pagerank"]) == ""
    text = _progress.path_measure_estimate(12_000, 40_000, ["betweenness", "closeness"])
    assert for_cli(text) == ("Computing exact betweenness, closeness on 12,000 actors and "
                             "40,000 ties: about 2 min. For a quick estimate of betweenness use "
                             "--sample 500 (sampled sources).")
    assert "use k=500 (sampled sources)" in for_python(text)
    seen = []
    monkeypatch.setattr(_progress, "note", seen.append)
    from influence.centrality import centrality

    centrality(influence.datasets.load("karate"), measures=["betweenness"])
    assert seen == [""]  # 34 actors: nothing to say


def test_a_review_folder_from_before_the_marker_can_still_be_replaced(tmp_path):
    old = tmp_path / "rev"
    old.mkdir()
    for name in ("report.html", "map.html", "review.xlsx", "missing.csv"):
        (old / name).write_text("old")
    m = influence.datasets.load("hollinford")
    influence.review(m).write(old, force=True)
    assert (old / ".influence-review").is_file() and (old / "spheres.csv").is_file()
    (old / ".influence-review").unlink()
    (old / "thesis.docx").write_text("mine")  # not a review's file: never replaced
    with pytest.raises(OutputError, match="Refusing to replace"):
        influence.review(m).write(old, force=True)
    assert (old / "thesis.docx").read_text() == "mine"
