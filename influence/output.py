"""Writing results: atomic writes, no silent overwrites, never over an input, never a formula.

Every command and every ``write`` method goes through :func:`atomic_write` (one file) or
:func:`atomic_folder` (a folder of files, all old or all new), so a crash or a full disk never
leaves half an output, an existing output is kept unless ``force=True``, and an input file is
never overwritten (even with ``force``).

Text that a spreadsheet would run as a formula is never written as one: workbooks store every
text cell as text (:func:`excel_writer`, :func:`text_only`), and CSV files prefix a text cell
that starts with ``= + - @``, a tab or a carriage return with a single quote (the OWASP advice
against CSV injection; :func:`csv_safe`). :func:`csv_unsafe` undoes it exactly, so a CSV that
``influence`` wrote reads back unchanged; ``safe_csv=False`` writes the text as it is.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError, either
from .schema import ACTOR_SHEETS, PRIVATE_PREFIX, TIE_SHEETS

__all__ = ["atomic_write", "atomic_folder", "check_output", "write_table", "write_csv",
           "excel_writer", "write_sheets", "xlsx_engine", "check_sheets", "set_xlsx_property",
           "text_only", "csv_safe", "csv_unsafe", "join_lists", "same_file", "TABLE_FORMATS",
           "XLSX_TEXT_OPTIONS", "XLSX_MAX_CHARS", "XLSX_MAX_ROWS"]

TABLE_FORMATS = ("table", "csv", "json", "xlsx")


def check_output(path, *, force: bool = False, inputs=()) -> Path:
    """Refuse to write over an input, or over an existing file without ``force``.

    Examples
    --------
    >>> from influence.output import check_output
    >>> check_output("out.csv", inputs=["out.csv"])
    Traceback (most recent call last):
    ...
    influence.errors.OutputError: Refusing to write out.csv: it is one of the inputs. Fix: ...
    >>> import tempfile, pathlib
    >>> existing = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> _ = existing.write_text("")
    >>> check_output(existing)
    Traceback (most recent call last):
    ...
    influence.errors.OutputError: ... already exists. Fix: ... pass force=True to overwrite it.
    """
    path = Path(path)
    for src in inputs:
        if src is not None and any(same_file(path, f) for f in _input_files(Path(src))):
            raise OutputError(f"Refusing to write {path}: it is one of the inputs. "
                              "Fix: choose another output name.")
    if path.exists() and not force:
        raise OutputError(f"{path} already exists. Fix: choose another name, or pass "
                          f"{either('force=True', '--force')} to overwrite it.")
    return path


def _input_files(src: Path) -> list:
    """The files an input stands for: itself, and for a folder of CSVs (or one CSV of it, which
    reads the whole folder) the actors/ties CSVs beside it."""
    folder = src if src.is_dir() else (
        src.parent if src.suffix.lower() == ".csv" and src.stem.lower() in
        ACTOR_SHEETS + TIE_SHEETS else None)
    if folder is None:
        return [src]
    names = {f"{n}.csv" for n in ACTOR_SHEETS + TIE_SHEETS}
    return [src] + [f for f in folder.iterdir() if f.name.lower() in names]


def same_file(a: Path, b: Path) -> bool:
    """True when two paths name the same file (resolved, or the same inode); False on errors."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:  # pragma: no cover
        return False


@contextmanager
def atomic_write(path, *, force: bool = False, inputs=(), mode: str = "w", encoding="utf-8"):
    """Open a temporary file beside ``path``; rename it over ``path`` only on success.

    Yields a file object (text by default, ``mode="wb"`` for bytes). ``mode=None`` yields the
    temporary *path* instead, for libraries that insist on writing a file themselves.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from influence.output import atomic_write
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "hello.txt"
    >>> with atomic_write(out) as fh:
    ...     _ = fh.write("hello")
    >>> out.read_text()
    'hello'
    """
    path = check_output(path, force=force, inputs=inputs)
    if path.is_dir():
        raise OutputError(f"Cannot write {path}: it is a folder. Fix: give a file name, "
                          f"e.g. {path / ('out' + (path.suffix or '.csv'))}.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp" + path.suffix,
                                   dir=path.parent)
    except OSError as exc:
        raise _os_error(path, exc) from None
    os.close(fd)
    try:
        if mode is None:
            yield Path(tmp)
        else:
            kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
            with open(tmp, mode, **kwargs) as fh:
                yield fh
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):  # disk full, permission denied ...: no traceback
            raise _os_error(path, exc) from None
        raise


def _os_error(path, exc) -> OutputError:
    """An OSError while writing ``path`` as an OutputError naming the cause and the fix."""
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        return OutputError(f"Cannot write {path}: {blocker} is a file, not a folder. "
                           "Fix: choose another output name.")
    return OutputError(f"Cannot write {path}: {exc.strerror or exc}. Fix: check that you may "
                       f"write in {path.parent} and that the disk is not full, or choose "
                       "another output name.")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_table(frame, path, *, fmt: str | None = None, force: bool = False, inputs=(),
                sheet_name: str = "table", safe_csv: bool = True) -> Path:
    """Write a DataFrame as CSV, JSON (records) or XLSX, atomically.

    ``fmt`` defaults to the file's extension. ``private_*`` columns are dropped. Text is never
    written as a formula: see the module notes (``safe_csv=False`` writes CSV text as it is).

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> from influence.output import write_table
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_table(pd.DataFrame({"name": ["=HYPERLINK(1)", "Ann"], "n": [-1, 2]}), out)
    >>> print(out.read_text().strip())  # (CRLF line ends, read here as plain new lines)
    ,name,n
    0,'=HYPERLINK(1),-1
    1,Ann,2
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "csv").lower()
    frame = frame.drop(columns=[c for c in frame.columns if str(c).startswith(PRIVATE_PREFIX)])
    frame = join_lists(frame)
    if fmt == "csv":
        with atomic_write(path, force=force, inputs=inputs) as fh:
            write_csv(frame, fh, safe=safe_csv)
    elif fmt == "json":
        with atomic_write(path, force=force, inputs=inputs) as fh:
            fh.write(frame_to_json(frame))
    elif fmt == "xlsx":
        with atomic_write(path, force=force, inputs=inputs, mode=None) as tmp:
            if xlsx_engine(tmp) == "xlsxwriter":
                write_sheets(tmp, {sheet_name[:31]: frame}, name=path)
            else:
                with excel_writer(tmp, sheets={sheet_name[:31]: frame}, name=path) as xw:
                    frame.to_excel(xw, sheet_name=sheet_name[:31])
    else:
        raise OutputError(f"Unknown output format {fmt!r}. Fix: use one of csv, json, xlsx.")
    return path


def join_lists(frame):
    """A copy with tuple cells (e.g. ``themes``) as ';'-joined text, for flat formats."""
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object and frame[col].map(
                lambda x: isinstance(x, (tuple, list))).any():
            frame[col] = frame[col].map(lambda x: ";".join(map(str, x))
                                        if isinstance(x, (tuple, list)) else x)
    return frame


def frame_to_json(frame) -> str:
    """Records JSON with the index as a column, NaN as null, dates as ISO strings."""
    out = frame.reset_index() if frame.index.name or not frame.index.equals(
        __import__("pandas").RangeIndex(len(frame))) else frame
    return out.to_json(orient="records", date_format="iso", indent=2, force_ascii=False)


# --- never a formula -------------------------------------------------------------------------
#: A CSV text cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEUTRALISED = re.compile("'+[=+\\-@\t\r]")
_NEEDS_QUOTE = re.compile("'*[=+\\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def csv_safe(value):
    """A text cell as written to CSV: prefixed with ``'`` if a spreadsheet would run it.

    Numbers (and text that is just a number, such as ``-1``) are left alone. Text that already
    starts with quotes before such a character gets one more quote, so that :func:`csv_unsafe`
    gives back exactly what was written.

    Examples
    --------
    >>> from influence.output import csv_safe, csv_unsafe
    >>> [csv_safe(v) for v in ["=1+1", "-1+1", "@SUM(A1)", "-1", "Ann", "'=x", -3]]
    ["'=1+1", "'-1+1", "'@SUM(A1)", '-1', 'Ann', "''=x", -3]
    >>> all(csv_unsafe(csv_safe(v)) == v for v in ["=1", "'=1", "''+1", "'", "-2", "x"])
    True
    """
    if isinstance(value, str) and _NEEDS_QUOTE.match(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_unsafe(text):
    """Undo :func:`csv_safe`: drop the single quote in front of ``= + - @``, tab or CR."""
    if isinstance(text, str) and _NEUTRALISED.match(text):
        return text[1:]
    return text


def _csv_frame(frame):
    """The frame with every text cell, column name and index label passed through csv_safe."""
    from pandas.api import types

    def text(dtype):
        return not (types.is_numeric_dtype(dtype) or types.is_bool_dtype(dtype)
                    or types.is_datetime64_any_dtype(dtype))

    frame = frame.copy()
    for i in range(frame.shape[1]):
        if text(frame.dtypes.iloc[i]):
            frame.isetitem(i, frame.iloc[:, i].map(csv_safe, na_action="ignore"))
    frame.columns = frame.columns.map(csv_safe)
    if text(frame.index.dtype):
        frame.index = frame.index.map(csv_safe)
    frame.index.names = [csv_safe(n) for n in frame.index.names]
    return frame


def write_csv(frame, fh, *, safe: bool = True, **kwargs):
    """``frame.to_csv(fh, **kwargs)``, text made safe for spreadsheets unless ``safe=False``.

    Lines end in CRLF (RFC 4180) unless ``lineterminator`` is given, so that a carriage return
    inside a cell is quoted and reads back as part of the cell.
    """
    kwargs.setdefault("lineterminator", "\r\n")
    (_csv_frame(frame) if safe else frame).to_csv(fh, **kwargs)


def text_only(workbook):
    """Make every text cell of an openpyxl workbook text: never a formula or an error value.

    openpyxl stores a string that starts with ``=`` as a formula and ``#N/A`` as an error;
    this turns them back into plain text, so what was written is what a reader sees.
    """
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type in ("f", "e") and isinstance(cell.value, str):
                    cell.data_type = "s"
    return workbook


#: xlsxwriter's workbook options that keep every text cell text: never a formula, a link or
#: a number (``"=1+1"``, ``"http://..."`` and ``"007"`` are written as the text they are).
XLSX_TEXT_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False,
                     "strings_to_numbers": False}
#: The longest text an ``.xlsx`` cell holds (Excel's limit; xlsxwriter and openpyxl would cut
#: a longer text short).
XLSX_MAX_CHARS = 32_767
#: The rows of an ``.xlsx`` sheet, header included.
XLSX_MAX_ROWS = 1_048_576


def _long_text(frame):
    """The first text in a frame (column names, index, cells) longer than an xlsx cell holds,
    as ``(excel_row, column, length)``, or None."""

    def first_long(values):
        values = values.tolist() if hasattr(values, "tolist") else list(values)
        longest = max((len(v) for v in values if isinstance(v, str)), default=0)
        if longest <= XLSX_MAX_CHARS:  # the usual case, in one pass
            return None
        return next((i, len(v)) for i, v in enumerate(values)
                    if isinstance(v, str) and len(v) > XLSX_MAX_CHARS)

    hit = first_long([str(c) for c in frame.columns])
    if hit:
        return 1, str(frame.columns[hit[0]])[:20] + "...", hit[1]
    for column, values in [(frame.index.name or "index", frame.index), *frame.items()]:
        if values.dtype.kind not in "biufcmM" and (hit := first_long(values)):
            return hit[0] + 2, str(column), hit[1]
    return None


def xlsx_engine(path) -> str:
    """The pandas engine :func:`excel_writer` uses for ``path``.

    ``.xlsx`` is written by ``xlsxwriter`` (about ten times faster than openpyxl on a big
    map), ``.ods`` by ``odf``; other suffixes (``.xlsm``) by ``openpyxl``.

    Examples
    --------
    >>> from influence.output import xlsx_engine
    >>> xlsx_engine("map.xlsx"), xlsx_engine("map.ods"), xlsx_engine("map.xlsm")
    ('xlsxwriter', 'odf', 'openpyxl')
    """
    return {".xlsx": "xlsxwriter", ".ods": "odf"}.get(Path(path).suffix.lower(), "openpyxl")


def check_sheets(sheets, *, name="the workbook") -> None:
    """Refuse what an ``.xlsx`` sheet cannot hold, before anything is written.

    ``sheets`` maps a sheet name to its frame. A sheet may have at most 1,048,576 rows
    (header included) and a cell at most 32,767 characters: pandas would otherwise stop with a
    bare ``ValueError`` half way through the workbook, and both xlsxwriter and openpyxl would
    cut a longer text short without a word.

    Examples
    --------
    >>> import pandas as pd
    >>> from influence.output import check_sheets
    >>> check_sheets({"ties": pd.DataFrame({"a": range(3)})}, name="map.xlsx")
    >>> check_sheets({"actors": pd.DataFrame({"notes": ["x" * 40_000]})}, name="map.xlsx")
    Traceback (most recent call last):
    ...
    influence.errors.OutputError: map.xlsx, sheet 'actors', row 2, column 'notes': a text of \
40,000 characters is longer than the 32,767 a spreadsheet cell holds, and would be cut short. \
Fix: shorten it, or write a CSV folder or a .db store instead (e.g. -o map/ or map.db).
    """
    for sheet, frame in sheets.items():
        if len(frame) + 1 > XLSX_MAX_ROWS:
            raise OutputError(
                f"{name}: sheet {sheet!r} would have {len(frame):,} rows, but a spreadsheet "
                f"sheet holds at most {XLSX_MAX_ROWS - 1:,} below its header. Fix: write a "
                f"CSV folder or a .db store instead (e.g. -o map/ or map.db).")
        long = _long_text(frame)
        if long:
            row, column, n = long
            raise OutputError(
                f"{name}, sheet {sheet!r}, row {row}, column {column!r}: a text of {n:,} "
                f"characters is longer than the {XLSX_MAX_CHARS:,} a spreadsheet cell holds, "
                "and would be cut short. Fix: shorten it, or write a CSV folder or a .db store "
                "instead (e.g. -o map/ or map.db).")


@contextmanager
def excel_writer(path, *, engine: str | None = None, sheets=None, name=None):
    """A pandas ``ExcelWriter`` whose text cells are saved as text, never formulas.

    ``engine=None`` picks one for ``path`` (:func:`xlsx_engine`): ``xlsxwriter`` for
    ``.xlsx``, with :data:`XLSX_TEXT_OPTIONS` so that no text becomes a formula, a link or a
    number; ``odf`` for ``.ods`` (pandas' odf writer stores text as text); ``openpyxl`` (with
    :func:`text_only`) otherwise. ``sheets`` (sheet name -> frame: what is about to be
    written) is checked first against what a spreadsheet holds (:func:`check_sheets`; ``name``,
    the file the user asked for, names it in the error).

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd, openpyxl
    >>> from influence.output import excel_writer
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> with excel_writer(out) as xw:
    ...     pd.DataFrame({"name": ["=1+1"]}).to_excel(xw, index=False)
    >>> cell = openpyxl.load_workbook(out)["Sheet1"]["A2"]
    >>> cell.value, cell.data_type
    ('=1+1', 's')
    """
    import pandas as pd

    engine = engine or xlsx_engine(path)
    if engine != "odf":
        check_sheets(dict(sheets or {}), name=str(name or path))
    kwargs = {"engine_kwargs": {"options": dict(XLSX_TEXT_OPTIONS)}} if engine == "xlsxwriter" \
        else {}
    with pd.ExcelWriter(path, engine=engine, **kwargs) as xw:
        yield xw
        if engine == "openpyxl":
            text_only(xw.book)


def write_sheets(path, sheets, *, index=True, name=None, properties=None) -> Path:
    """Write frames as the sheets of an ``.xlsx`` workbook with xlsxwriter, text as text.

    What pandas' ``to_excel`` writes, cell for cell (a header row, the index first where
    ``index`` says so, numbers as numbers, dates as dates, NA as an empty cell, infinity as
    the text ``inf``), but each column is handed to xlsxwriter as one list: on a big map that
    takes a fraction of pandas' time. Every text is a text cell (:data:`XLSX_TEXT_OPTIONS`),
    never a formula, a link or a number. ``sheets`` maps a sheet name to its frame and is
    checked first (:func:`check_sheets`; ``name``, the file the user asked for, names it in the
    error); ``index`` is True, False or the sheet names whose index is written;
    ``properties`` are custom document properties (text). A frame with a MultiIndex is
    written through pandas (:func:`excel_writer`).

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd, openpyxl
    >>> from influence.output import write_sheets
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> frame = pd.DataFrame({"name": ["=1+1", "007"], "n": [1.5, None]},
    ...                      index=pd.Index(["a", "b"], name="id"))
    >>> _ = write_sheets(out, {"actors": frame}, properties={"as_at": "2024-05-01"})
    >>> wb = openpyxl.load_workbook(out)
    >>> [[(c.value, c.data_type) for c in row] for row in wb["actors"].iter_rows()]
    ... # doctest: +NORMALIZE_WHITESPACE
    [[('id', 's'), ('name', 's'), ('n', 's')], [('a', 's'), ('=1+1', 's'), (1.5, 'n')],
     [('b', 's'), ('007', 's'), (None, 'n')]]
    >>> [(p.name, p.value) for p in wb.custom_doc_props]
    [('as_at', '2024-05-01')]
    """
    import pandas as pd

    def with_index(sheet):
        return index if isinstance(index, bool) else sheet in index

    check_sheets(sheets, name=str(name or path))
    if any(isinstance(f.index, pd.MultiIndex) or isinstance(f.columns, pd.MultiIndex)
           for f in sheets.values()):
        with excel_writer(path, engine="xlsxwriter") as xw:
            for sheet, frame in sheets.items():
                frame.to_excel(xw, sheet_name=sheet, index=with_index(sheet))
            for key, value in (properties or {}).items():
                set_xlsx_property(xw, key, value)
        return Path(path)
    import xlsxwriter

    with xlsxwriter.Workbook(str(path), dict(XLSX_TEXT_OPTIONS)) as wb:
        formats = {"datetime": wb.add_format({"num_format": "YYYY-MM-DD HH:MM:SS"}),
                   "date": wb.add_format({"num_format": "YYYY-MM-DD"}),
                   "days": wb.add_format({"num_format": "0"})}
        for sheet, frame in sheets.items():
            ws = wb.add_worksheet(sheet)
            columns = list(frame.items())
            if with_index(sheet):
                columns.insert(0, (frame.index.name or "", frame.index))
            for j, (label, values) in enumerate(columns):
                if label != "" or values is not frame.index:  # pandas leaves it empty
                    ws.write_string(0, j, str(label))
                _write_column(ws, j, values, formats)
        for key, value in (properties or {}).items():
            wb.set_custom_property(key, str(value))
    return Path(path)


def _write_column(ws, j, values, formats):
    """Write one column's values below its header (row 0) of an xlsxwriter worksheet."""
    import datetime as dt
    import math
    import numbers
    from decimal import Decimal

    import numpy as np
    import pandas as pd

    present = ~np.asarray(pd.isna(values), dtype=bool)
    rows = (np.flatnonzero(present) + 1).tolist()  # NA cells stay empty, as in pandas
    cells = zip(rows, values[present].tolist(), strict=True)
    write_string, write_number = ws.write_string, ws.write_number
    if values.dtype.kind == "M":  # naive datetimes, as pandas writes them
        for i, v in cells:
            ws.write_datetime(i, j, v, formats["datetime"])
        return
    for i, v in cells:
        t = type(v)
        if t is str:
            write_string(i, j, v)
        elif t is int:
            write_number(i, j, v)
        elif t is float:
            if math.isinf(v):
                write_string(i, j, "inf" if v > 0 else "-inf")
            else:
                write_number(i, j, v)
        elif t is bool or isinstance(v, np.bool_):
            ws.write_boolean(i, j, bool(v))
        elif isinstance(v, (numbers.Real, Decimal)):
            v = float(v) if isinstance(v, (float, np.floating, Decimal)) else int(v)
            if isinstance(v, float) and math.isinf(v):
                write_string(i, j, "inf" if v > 0 else "-inf")
            else:
                write_number(i, j, v)
        elif isinstance(v, dt.datetime):
            ws.write_datetime(i, j, v, formats["datetime"])
        elif isinstance(v, dt.date):
            ws.write_datetime(i, j, v, formats["date"])
        elif isinstance(v, dt.timedelta):
            write_number(i, j, v.total_seconds() / 86400, formats["days"])
        else:
            write_string(i, j, str(v))


def set_xlsx_property(xw, name: str, value: str) -> bool:
    """Set a custom document property (text) on the workbook of an ``ExcelWriter``.

    Returns False for a writer that keeps none (``odf``).
    """
    book = xw.book
    if hasattr(book, "set_custom_property"):  # xlsxwriter
        book.set_custom_property(name, str(value))
        return True
    if hasattr(book, "custom_doc_props"):  # openpyxl
        from openpyxl.packaging.custom import StringProperty

        book.custom_doc_props.append(StringProperty(name=name, value=str(value)))
        return True
    return False


# --- a folder of outputs, all old or all new -------------------------------------------------
@contextmanager
def atomic_folder(folder, *, force: bool = False, inputs=(), marker: str | None = None,
                  what: str = "output", known=()):
    """Yield a new sibling temporary folder to fill; swap it in for ``folder`` on success.

    On success the old folder (if any) is renamed away, the new one renamed into place and the
    old one deleted, so ``folder`` always holds either the old or the new output, never a mix;
    on any error (or a kill) the old folder stays as it was and the temporary folder is
    removed (a killed run's leftover is removed by the next run). An existing non-empty folder
    is replaced only with ``force=True`` and, when ``marker`` is given, only if it holds that
    marker file (which the new folder gets), or holds nothing but files named in ``known``
    (what an earlier version wrote before it left a marker): a folder of the user's is never
    deleted.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from influence.output import atomic_folder
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "review"
    >>> with atomic_folder(out, marker=".influence-review") as tmp:
    ...     _ = (tmp / "a.txt").write_text("first")
    >>> with atomic_folder(out, force=True, marker=".influence-review") as tmp:
    ...     _ = (tmp / "b.txt").write_text("second")
    >>> sorted(p.name for p in out.iterdir())
    ['.influence-review', 'b.txt']
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file, not a folder. Fix: give a folder name for the "
                          f"{what} (e.g. -o {what}/).")
    here = Path.cwd().resolve()
    target = folder.resolve()
    if target == here or target in here.parents:
        raise OutputError(f"Cannot write the {what} into {folder}: it is the current folder "
                          f"(or holds it). Fix: give a new folder name, e.g. -o {what}/.")
    for src in inputs:
        if src is not None and (target == Path(src).resolve()
                                or target in Path(src).resolve().parents):
            raise OutputError(f"Refusing to replace {folder}: it holds the input {src}. "
                              "Fix: choose another folder.")
    if folder.is_dir() and any(folder.iterdir()):
        if not force:
            raise OutputError(f"The folder {folder} already has files in it. Fix: choose a new "
                              f"folder, or pass {either('force=True', '--force')} to replace "
                              f"the {what} in it.")
        if marker and not (folder / marker).is_file() and not (
                known and all(p.is_file() and p.name in known for p in folder.iterdir())):
            raise OutputError(f"Refusing to replace {folder}: it was not written by influence "
                              f"(it has no {marker} file), so it may hold your own files. "
                              "Fix: choose a new folder, or move the files out of it.")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        _clean_leftovers(folder)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=_TMP_DIR,
                                    dir=folder.parent))
        (tmp / _PID).write_text(str(os.getpid()))
    except OSError as exc:
        raise _os_error(folder, exc) from None
    try:
        yield tmp
        (tmp / _PID).unlink()
        if marker:
            (tmp / marker).write_text(f"This folder was written by influence ({what}); "
                                      "--force replaces it as a whole.\n", encoding="utf-8")
        os.chmod(tmp, 0o777 & ~_umask())
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old",
                                        dir=folder.parent))
            os.replace(folder, old / folder.name)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _os_error(folder, exc) from None
        raise


_TMP_DIR, _PID = ".tmp", ".writing-pid"


def _clean_leftovers(folder: Path):
    """Remove temporary folders that an interrupted (killed) earlier run left beside folder."""
    import glob

    for p in folder.parent.glob(f".{glob.escape(folder.name)}.*"):
        try:
            if p.name.endswith(".old") and p.is_dir():
                if not folder.exists() and (p / folder.name).is_dir():  # killed mid-swap
                    os.replace(p / folder.name, folder)
                shutil.rmtree(p, ignore_errors=True)
            elif p.name.endswith(_TMP_DIR) and (p / _PID).is_file():
                pid = int((p / _PID).read_text() or 0)
                if pid and not _alive(pid):
                    shutil.rmtree(p, ignore_errors=True)
        except (OSError, ValueError):
            continue


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
