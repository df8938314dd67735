"""influence.formats: the fast CSV reader gives exactly what the row-by-row reader gives."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from influence import formats
from influence.parsing import clean_cells
from influence.validate import Collector


def _fast(text, name="actors.csv"):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    decoded = formats._decode(data)
    first = decoded.split("\n", 1)[0]
    delim = max(",;\t", key=first.count) if first else ","
    return formats._csv_fast(decoded, delim, name, None, Collector(), data)


def _both(tmp_path, text, name="actors.csv"):
    """(fast table or None, careful table, fast problems, careful problems) for one file."""
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    c1, c2 = Collector(), Collector()
    data = path.read_bytes()
    decoded = formats._decode(data)
    first = decoded.split("\n", 1)[0]
    delim = max(",;\t", key=first.count) if first else ","
    fast = formats._csv_fast(decoded, delim, name, None, c1, data)
    careful = formats._rows_table(formats._csv_rows(decoded, delim, name), name, None, c2,
                                  letters=False)
    return fast, careful, c1, c2


def _same(fast, careful, c1, c2):
    assert list(fast.frame.columns) == list(careful.frame.columns)
    assert list(fast.rows) == list(careful.rows)
    for i in range(careful.frame.shape[1]):
        assert clean_cells(fast.frame.iloc[:, i], True).tolist() == \
            clean_cells(careful.frame.iloc[:, i]).tolist()
        present = [v is not None for v in clean_cells(careful.frame.iloc[:, i])]
        assert fast.present[i].tolist() == present
    assert [str(p) for p in c1.problems] == [str(p) for p in c2.problems]


PLAIN = [
    "id,name,kind\na,Ann,resident\nb,Bo,group\n",
    "id,name,kind\r\na,Ann,resident\r\n\r\nb,,group\r\n,,\r\n",
    'id,name,kind\na,"Smith;Ann",resident\nb,"two\nlines",group\n',
    "id;name;kind\na;Ann;resident\n",
    "\ufeffid\tname\tkind\na\tAnn\tresident\n",
    "id,name,,kind\na,Ann,stray,resident\n",
    "id,name,kind,\na,Ann,resident,x\nb,Bo\n",
    'id,name,kind\na,"x"y,resident\nb,a"b",group',
    "id,name,kind\na,élève,résident\n",
    "id,name,kind\n\n\na,Ann,resident\n",
]


@pytest.mark.parametrize("text", PLAIN)
def test_fast_reader_equals_careful_reader(tmp_path, text):
    fast, careful, c1, c2 = _both(tmp_path, text)
    assert fast is not None and fast.clean
    _same(fast, careful, c1, c2)


@pytest.mark.parametrize("text", [
    "id,name,kind\na, Ann,resident\n",          # a padded cell: stripped by the careful reader
    "id,name,kind\na,Ann\t,resident\n",          # a tab in a comma file
    "id,name,kind\na,A\x01nn,resident\n",        # a control character
    "id,name,kind\na,Ann\u00a0,resident\n",      # a non-breaking space
    "Wykeham contacts\nid,name,kind\na,Ann,resident\n",  # a title line: rows of two widths
    "id,name\na,Ann,resident,extra\n",           # a row wider than the first
    "id,name,kind\ra,Ann,resident\r",            # bare carriage returns
    'id,name,kind\na,"never closed,resident\n',  # an open quote
])
def test_anything_unusual_takes_the_careful_reader(text):
    assert _fast(text) is None


def test_windows_1252_file(tmp_path):
    fast, careful, c1, c2 = _both(tmp_path, "id,name,kind\na,Caf\xe9 \xa3,resident\n".encode(
        "cp1252").replace(b" ", b""))
    assert fast is not None
    _same(fast, careful, c1, c2)


def test_long_cell_is_left_to_the_careful_reader(tmp_path):
    long = "x" * (formats.MAX_CELL_CHARS + 10)
    for text in (f"id,name\na,{long}\n", f'id,name\na,"{long}"\n'):
        assert _fast(text) is None
    lines = "x" * 1000 + "\n"  # a quoted cell of short lines, longer than a cell may be
    assert _fast(f'id,name\na,"{lines * 200}y"\n') is None


def test_a_big_file_with_short_quoted_cells_takes_the_fast_reader(tmp_path):
    rows = "".join(f'a{i},"Smith,Ann {i}",resident\nb{i},"two\nlines",group\n'
                   for i in range(5000))
    text = "id,name,kind\n" + rows
    assert len(text) > formats.MAX_CELL_CHARS
    fast, careful, c1, c2 = _both(tmp_path, text)
    assert fast is not None and len(fast.frame) == 10_000
    _same(fast, careful, c1, c2)


cell = st.one_of(st.sampled_from(["", "a", "Ann", "b", "1", "2.5", "yes", "x y", '"q"', "'=1",
                                  "O'Neil", "'"]),
                 st.text(alphabet="abc ,;\n\"\r\t", max_size=4))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell, min_size=1, max_size=4), min_size=1, max_size=6))
def test_fast_reader_property(tmp_path, rows):
    """Any file: either the fast reader declines, or it agrees with the careful one."""
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    text = buf.getvalue()
    if _fast(text) is not None:
        _same(*_both(tmp_path, text))


# --- xlsx through python-calamine -------------------------------------------------------------
def _xlsx_both(path, monkeypatch):
    c1, c2 = Collector(), Collector()
    fast = formats._xlsx_fast(path, c1)
    with monkeypatch.context() as mp:
        mp.setattr(formats, "_xlsx_fast", lambda *a: None)
        careful = formats.read_xlsx_tables(path, c2)
    return fast, careful, c1, c2


def _same_tables(fast, careful, c1, c2):
    assert fast is not None
    assert fast[2] == careful[2]
    for a, b in zip(fast[:2], careful[:2], strict=True):
        assert (a is None) == (b is None)
        if a is None:
            continue
        assert list(a.frame.columns) == list(b.frame.columns)
        assert list(a.rows) == list(b.rows)
        for i in range(b.frame.shape[1]):
            x = clean_cells(a.frame.iloc[:, i]).tolist()
            y = clean_cells(b.frame.iloc[:, i]).tolist()
            assert [(type(v), v) for v in x] == [(type(v), v) for v in y]
    assert [str(p) for p in c1.problems] == [str(p) for p in c2.problems]


def test_xlsx_fast_reader_equals_openpyxl(tmp_path, monkeypatch):
    import influence

    m = influence.datasets.load("hollinford", year=2023)
    path = influence.write(m, tmp_path / "area.xlsx")
    _same_tables(*_xlsx_both(path, monkeypatch))


def test_xlsx_fast_reader_odd_cells(tmp_path, monkeypatch):
    from datetime import date, datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Actors"
    ws.append(["Parish contacts 2024"])
    ws.append([])
    ws.append(["ID", "Name", "Type", "Influence", None, "Joined", "Active"])
    ws.append([1, " Ann ", "Resident", 2.5, "stray", datetime(2024, 3, 1), True])
    ws.append([2.0, "Bo", "Cllr", "4", None, date(2023, 1, 2), False])
    ws.append([None, None, None])
    ws.row_dimensions[9].height = 30  # a formatted, empty row
    ws.append(["c", "Cy", "Faith", None, None, "2024-01-01", None])
    ties = wb.create_sheet("ties")
    ties.append(["From", "To", "Strength"])
    ties.append([1, 2, "strong"])
    ties.append(["c", 1, 9])
    path = tmp_path / "odd.xlsx"
    wb.save(path)
    _same_tables(*_xlsx_both(path, monkeypatch))


xcell = st.one_of(st.none(), st.sampled_from(["", " ", "id", "name", "kind", "source", "Ann",
                                             " Bo ", "x\ty", "a\nb", "\u00a0c", "é", "2"]),
                  st.integers(-3, 3), st.sampled_from([2.0, 2.5, -0.5, 1e20, 3]), st.booleans(),
                  st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(grid=st.lists(st.one_of(st.lists(xcell, min_size=1, max_size=5),
                             st.lists(st.sampled_from([None, 1, 2.5, True, False, "Ann"]),
                                      min_size=1, max_size=5)), min_size=1, max_size=8))
def test_xlsx_fast_reader_property(tmp_path, monkeypatch, grid):
    """Any sheet: the column-at-a-time reader of calamine's grid agrees with openpyxl's (its
    first rows, taken cell by cell, made short so that the rest is taken as whole arrays)."""
    from openpyxl import Workbook

    monkeypatch.setattr(formats, "_GRID_HEAD", 2)

    wb = Workbook()
    ws = wb.active
    ws.title = "actors"
    for r, row in enumerate(grid, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(r, c, v)
    path = tmp_path / "p.xlsx"
    wb.save(path)
    fast, careful, c1, c2 = _xlsx_both(path, monkeypatch)
    if fast is not None:
        _same_tables(fast, careful, c1, c2)


def test_xlsx_far_cells_take_the_careful_reader(tmp_path):
    from openpyxl import Workbook

    for far in ("AAA1", "B900000", "A20"):
        wb = Workbook()
        ws = wb.active
        ws.title = "actors"
        ws.append(["id", "kind"])
        ws.append(["a", "resident"])
        ws[far] = "x"
        path = tmp_path / "far.xlsx"
        wb.save(path)
        fast = formats._xlsx_fast(path, Collector())
        assert (fast is None) == (far != "A20"), far


def test_as_at_is_read_without_loading_the_workbook_and_agrees_with_openpyxl(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.packaging.custom import DateTimeProperty, IntProperty, StringProperty

    cases = [([StringProperty(name="as_at", value="2024-05-01")], "2024-05-01"),
             ([StringProperty(name="other", value="x"),
               StringProperty(name="as_at", value="2019-09-01")], "2019-09-01"),
             ([IntProperty(name="as_at", value=2024)], 2024),
             ([DateTimeProperty(name="as_at", value=datetime(2024, 5, 1))],
              datetime(2024, 5, 1)),
             ([StringProperty(name="other", value="x")], None),
             ([], None)]
    for i, (props, want) in enumerate(cases):
        path = tmp_path / f"p{i}.xlsx"
        wb = Workbook()
        for p in props:
            wb.custom_doc_props.append(p)
        wb.save(path)
        assert formats.xlsx_as_at(path) == formats._xlsx_as_at_openpyxl(path) == want
        assert formats.xlsx_sheet_names(path) == ["Sheet"]
    (tmp_path / "not.xlsx").write_bytes(b"not a zip")
    assert formats.xlsx_as_at(tmp_path / "not.xlsx") is None
    assert formats.xlsx_sheet_names(tmp_path / "not.xlsx") is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["", "x", "yes"]), max_size=20), st.integers(0, 2))
def test_text_cells_match_a_cell_by_cell_comparison(cells, fill):
    """The fast reader's empty-cell pass: full and empty columns (below the rows a header may
    be on) take a shortcut, and it gives what comparing every cell with '' gives."""
    import numpy as np

    cells = cells[:6] + [["", "x"][fill % 2] if fill < 2 else c for c in cells[6:]]
    a = np.array(cells, dtype=object)
    before = a.copy()
    out, filled = formats._text_cells(a)
    assert filled.dtype == bool and filled.tolist() == [c != "" for c in cells]
    assert out.dtype == object and out.tolist() == [c or None for c in cells]
    assert a.tolist() == before.tolist()  # the parsed column is left as it was


def _big_map(folder, rng, *, errors):
    """A map folder over formats._SAMPLE_ROWS lines: columns of few values (kinds, stances,
    yes/no, scores) with unusual and wrong cells in them, an empty column, and a column of few
    values in its first lines and many after."""
    import csv as _csv

    n = formats._SAMPLE_ROWS + 700
    kinds = ["resident", "community_group", "Allotment Society", "ward_councillor"]
    stances = ["supportive", "opposed", "2", "-1", ""] + (["maybe"] if errors else [])
    folder.mkdir()
    with open(folder / "actors.csv", "w", newline="", encoding="utf-8") as fh:
        w = _csv.writer(fh)
        w.writerow(["id", "name", "kind", "sector", "sub_area", "influence", "stance", "notes",
                    "org_code"])
        for i in range(n):
            w.writerow([f"a{i}", f"Actor {i}", rng.choice(kinds + ([""] if errors else [])),
                        rng.choice(["public", "voluntary", ""]),
                        "north" if i < formats._SAMPLE_ROWS else f"street {i}",
                        rng.choice(["1", "2.5", "4", ""] + (["7"] if errors else [])),
                        rng.choice(stances), "", f"{i:05d}"])  # last: many values, text
    with open(folder / "ties.csv", "w", newline="", encoding="utf-8") as fh:
        w = _csv.writer(fh)
        w.writerow(["source", "target", "kind", "directed", "strength"])
        for _ in range(n):
            a, b = (f"a{rng.randrange(n // 50)}" for _ in range(2))  # repeats and self-loops
            w.writerow([a, b if rng.random() > 0.001 or not errors else "nobody",
                        rng.choice(["knows", "works_with", "gossips with"]),
                        rng.choice(["yes", "no", ""] + (["perhaps"] if errors else [])),
                        rng.choice(["1", "2", "3", "strong", ""] + (["high"] if errors else []))])


@pytest.mark.parametrize("errors, seed", [(False, 3), (True, 3), (False, 4), (True, 5)])
def test_columns_read_as_categories_give_the_same_map_and_problems(tmp_path, monkeypatch,
                                                                    errors, seed):
    """Above formats._SAMPLE_ROWS lines the fast CSV reader parses columns of few values as
    categories (formats._few_values) and hands their numbering to validation. The map and
    every problem (rows, columns, values, messages) are what reading each cell gives."""
    import random

    import pandas as pd

    import influence
    from influence.errors import ValidationError

    _big_map(tmp_path / "map", random.Random(seed), errors=errors)

    def read():
        try:
            m = influence.read(tmp_path / "map")
        except ValidationError as exc:
            return None, [str(p) for p in exc.problems]
        return m, [str(p) for p in m.warnings]

    guessed = formats._few_values
    calls = []
    monkeypatch.setattr(formats, "_few_values", lambda *a: calls.append(guessed(*a)) or calls[-1])
    fast, fast_problems = read()
    assert len(calls) == 2 and all(few for _, few in calls)  # both files had categories
    monkeypatch.setattr(formats, "_few_values", lambda *a: (0, set()))
    plain, plain_problems = read()
    assert fast_problems == plain_problems and len(plain_problems) > 3
    if not errors:
        pd.testing.assert_frame_equal(fast.actors, plain.actors)
        pd.testing.assert_frame_equal(fast.ties, plain.ties)
