"""File formats: reading workbooks, CSV files and graph files into raw tables, writing maps out.

The layer below :mod:`influence.io` and :mod:`influence.model`: each reader returns unvalidated
:class:`~influence.validate.Table` objects (or a networkx graph) that :mod:`influence.io` turns
into a validated :class:`~influence.model.InfluenceMap`; each writer puts an already public map
into one format, and :func:`write_map` (``influence.write``, ``InfluenceMap.write``) picks the
writer from the path. Maps are taken duck-typed (``actors``, ``ties``, ``public()`` ...), so
nothing here imports the model.
What each format can hold, and how the rest is encoded, is described in :mod:`influence.io`.

* CSV: decoded as UTF-16 (with a byte-order mark), UTF-8 (with or without one), Windows-1252 or
  Latin-1; the delimiter (``,``, ``;`` or tab) is the commonest one in the header line.
  Plain files (nothing to strip or clean, rows no wider than the first) are parsed by pandas'
  C parser; the rest row by row, with the same result (:func:`_csv_fast`).
* Excel: sheets matched case-insensitively (``actors``/``elements``/``nodes`` and
  ``ties``/``connections``/``edges``/``links``); ``*.kumu.xlsx`` is written in Kumu's layout.
* GraphML, GEXF and networkx node-link JSON through networkx (multigraphs, so every tie is kept).
* Values in columns without a header are never dropped silently: each row with some gets a
  warning.
* LibreOffice ``.ods`` through python-calamine; Kumu's JSON (``elements``, ``connections``) read
  as its workbook would be.
* One reader for every spreadsheet layout (:func:`_rows_table`): a title row above the headers
  is skipped with a warning, at most :data:`MAX_COLUMNS` columns, rows numbered as in the file.
* Bounded work on hostile files, each refused with a clear :class:`~influence.InputError`: a
  zipped workbook declaring more than :data:`MAX_UNZIPPED` bytes is not opened; ``.xlsx``
  sheets are read by python-calamine only when their XML bounds the grid it builds
  (:func:`_plain_sheet`), else parsed cell by cell (a stray value in XFD1048576 costs
  nothing); ``.ods`` sheets are measured (repeats counted, not expanded) before they are
  read; a CSV cell over :data:`MAX_CELL_CHARS` characters; GraphML/GEXF/JSON with more than
  :data:`MAX_COLUMNS` attributes. Graph files are checked for duplicate node ids and edges to
  undeclared nodes.
"""

from __future__ import annotations

import csv
import io as _io
import itertools
import json
import re
from pathlib import Path

from ._storedb import write_store
from .errors import InputError, OutputError
from .output import (atomic_write, check_output, csv_unsafe, excel_writer, set_xlsx_property,
                     write_csv, write_sheets, xlsx_engine)
from .parsing import ACTOR_SYNONYMS, TIE_SYNONYMS, header_key, only_held, spread_codes
from .schema import ACTOR_SHEETS, TIE_SHEETS
from .validate import Table

__all__ = ["ACTOR_SHEETS", "TIE_SHEETS", "read_xlsx_tables", "read_ods_tables",
           "read_folder_tables", "kumu_json_tables", "is_kumu_json", "load_json",
           "read_graph_file", "csv_table", "xlsx_table", "xlsx_as_at", "xlsx_sheet_names",
           "record_values", "flat_frame", "write_graph", "write_map"]


# --- reading -----------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" is UTF-16
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


#: The most columns a sheet or CSV file may have (a map has about a dozen).
MAX_COLUMNS = 1_000
#: The most cells (rows x columns, empty ones included) an .ods sheet may span (its reader
#: builds the whole grid; .xlsx sheets are read cell by cell and need no such limit).
MAX_CELLS = 2_000_000
#: The most a workbook (.xlsx, .ods) may expand to when unzipped, by its declared sizes.
MAX_UNZIPPED = 256 * 2**20
#: The longest CSV cell, in characters (Python's csv module's own limit).
MAX_CELL_CHARS = 131_072

_LEAD_ROWS = 6  # how many rows above the headers are looked at for a title


def _where(file, sheet):
    return f'{file}, sheet "{sheet}"' if sheet else str(file)


def _filled(v) -> bool:
    return v is not None and (type(v) is not str or bool(v.strip()))


def _known_header(v) -> bool:
    global _HEADER_WORDS
    if _HEADER_WORDS is None:
        _HEADER_WORDS = {s for syn in (ACTOR_SYNONYMS, TIE_SYNONYMS) for ss in syn.values()
                         for s in ss}
    return isinstance(v, str) and header_key(v) in _HEADER_WORDS


_HEADER_WORDS = None


def _header_row(rows, file, sheet, col, letters):
    """The header row (its number and cells) and the rows after it.

    ``rows`` yields ``(row number, {column number: value})``. The first row with a value is the
    header, unless it and any rows after it hold one value each (at most :data:`_LEAD_ROWS`
    rows are looked at) and the next row looks like headers (two or more values, all text,
    at least one a known header such as "id" or "source" unless no title line is one either):
    then those lines are a title above the table (a merged "Wykeham Parish Contacts 2024"),
    skipped with one warning.
    """
    import itertools

    it = iter(rows)
    lead = list(itertools.islice(it, _LEAD_ROWS))
    filled = []
    for i, (r, cells) in enumerate(lead):
        values = [v for v in cells.values() if _filled(v)]
        if values:
            filled.append((i, r, cells, values))
    if not filled:
        return None, {}, iter(())
    k = next((n for n, f in enumerate(filled) if len(f[3]) > 1), None)
    if k:  # one or more one-value rows above the first row with several values
        titles = [f[3][0] for f in filled[:k]]
        i, r, cells, values = filled[k]
        if all(isinstance(v, str) for v in values) and (
                any(_known_header(v) for v in values)
                or not any(_known_header(t) for t in titles)):
            first, last = filled[0][1], filled[k - 1][1]
            rows_ = f"row {first}" if first == last else f"rows {first}-{last}"
            verb = "looks" if first == last else "look"
            if col is not None:
                col.add(file, sheet, first, None, titles[0],
                        f"{rows_} {verb} like a title; the headers seem to be on row {r}, "
                        f"so {rows_} {'is' if first == last else 'are'} skipped",
                        f"delete {rows_} (or leave {'it' if first == last else 'them'}: "
                        f"{'it is' if first == last else 'they are'} not read)",
                        severity="warning")
            return r, cells, itertools.chain(lead[i + 1:], it)
    i, r, cells, _ = filled[0]
    return r, cells, itertools.chain(lead[i + 1:], it)


def _too_wide(file, sheet, n, what):
    return InputError(f"{_where(file, sheet)}: {what} {n:,} columns; a map's sheet can have at "
                      f"most {MAX_COLUMNS:,}. Fix: delete the columns (or stray values) to the "
                      "right of the table, or keep the map's columns in a new sheet or file.")


def _rows_table(rows, file, sheet, col, *, letters, total=None) -> Table:
    """A raw table from sparse rows ``(row number, {column number (1-based): value})``.

    One rule for every spreadsheet format: the header row (a title row above it is skipped
    with a warning), at most :data:`MAX_COLUMNS` columns, blank rows skipped (row numbers stay
    as in the spreadsheet), and a warning for each row with values in columns without a header.
    """
    import pandas as pd

    from openpyxl.utils import get_column_letter

    from ._progress import bar

    rows = bar(rows, total=total, at_least=10_000, desc=f"Reading {file}", unit="row")
    hrow, hcells, body_rows = _header_row(rows, file, sheet, col, letters)
    width = max((c for c, v in hcells.items() if _filled(v)), default=0)
    if width > MAX_COLUMNS:
        raise _too_wide(file, sheet, width, f"row {hrow} has headers in")
    header = ["" if hcells.get(j) is None else str(hcells[j]).strip()
              for j in range(1, width + 1)]
    named = [bool(h) for h in header]
    body, numbers = [], []
    for r, cells in body_rows:
        if not cells:
            continue
        far = max(cells)
        if far > MAX_COLUMNS and _filled(cells[far]):
            cell = (f"cell {get_column_letter(far)}{r}" if letters else
                    f"row {r} has a value in column {far:,}, so it")
            raise InputError(
                f"{_where(file, sheet)}: {cell} is beyond column {MAX_COLUMNS:,}, the most a "
                "map's sheet can have. Fix: delete the stray values to the right of the table.")
        _unheaded(col, file, sheet, r, [(c - 1, v) for c, v in sorted(cells.items())
                                        if (c > width or not named[c - 1]) and _filled(v)],
                  letters=letters)
        rec = [cells.get(j) for j in range(1, width + 1)]
        if any(_filled(v) for v in rec):
            body.append(rec)
            numbers.append(r)
    frame = pd.DataFrame(body if body else None, columns=header, dtype=object)
    if not all(named):
        frame = frame.loc[:, named]
    return Table(frame, file=file, sheet=sheet, rows=numbers)


def _csv_rows(text, delim, file):
    # csv_unsafe: '=x written by influence (a formula guard) reads as =x
    reader = csv.reader(_io.StringIO(text), delimiter=delim)
    r, start = 0, 1
    try:
        for r, rec in enumerate(reader, start=1):
            if len(rec) > MAX_COLUMNS + 1 and any(v.strip() for v in rec[MAX_COLUMNS:]):
                raise _too_wide(file, None, len(rec), f"row {r} has")
            yield r, {j: csv_unsafe(v) for j, v in enumerate(rec, start=1) if v}
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputError(f"{file}: a cell starting on line {start} is longer than "
                             f"{MAX_CELL_CHARS:,} characters, which is too long to be a name or "
                             "a note (often a quote mark \" that is never closed). Fix: shorten "
                             "the cell, or close the quote.") from None
        raise InputError(f"{file}: line {start} cannot be read as CSV ({exc}). Fix: save the "
                         "file again from your spreadsheet as CSV.") from None


def csv_table(path: Path, sheet=None, col=None) -> Table:
    """A CSV file as a raw table (decoded, its delimiter guessed; see the module notes)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}. Fix: check the path.") from None
    text = _decode(data)
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    delim = max(",;\t", key=first.count) if first else ","
    from ._progress import bar, shown

    rows = data.count(b"\n") - 1 if shown() else 0  # below the header (for the bar only)

    progress = bar(total=rows, at_least=10_000, desc=f"Reading {path.name}", unit="row")
    fast = _csv_fast(text, delim, path.name, sheet, col, data)
    if fast is not None:
        progress.update(len(fast.frame))
        progress.close()
        return fast
    progress.close()
    return _rows_table(_csv_rows(text, delim, path.name), path.name, sheet, col, letters=False,
                       total=rows)


#: Characters that make a CSV file take the careful reader: control characters (removed from
#: cells), and whitespace other than plain spaces (stripped from cells).
_UNUSUAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x85\xa0\u1680\u2000-\u200a\u2028"
                      "\u2029\u202f\u205f\u3000]")


#: What :func:`influence.output.csv_safe` writes in front of text a spreadsheet would run: such
#: files take the row-by-row reader, which undoes it.
_GUARDED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def _plain_bytes(data: bytes, delim: bytes):
    """Whether a CSV file's UTF-8 bytes are plain enough for pandas' C parser (see _csv_fast).

    Returns None when they are not, else ``(longest, lines, quoted)``: the longest line in bytes
    (0 when the whole file is shorter than :data:`MAX_CELL_CHARS`), the number of lines, and
    whether any quote mark is in it.

    Looks at the bytes as a numpy array, so each check is a pass at C speed rather than a
    substring search per pattern. UTF-8 never puts an ASCII byte inside a longer character, so
    the checks hold for any UTF-8 text; a line is measured in bytes, which is never fewer than
    its characters (so a long line errs towards the careful reader).
    """
    import numpy as np

    a = np.frombuffer(data, dtype=np.uint8)
    n = len(a)
    at = np.flatnonzero(a < 35)  # where the bytes that matter are: controls, space, "
    byte = a[at]
    counts = np.bincount(byte, minlength=35)
    tab, nl, cr, sp, q = (int(counts[c]) for c in (9, 10, 13, 32, 34))
    if int(counts[:32].sum()) != tab + nl + cr or (delim != b"\t" and tab):
        return None  # control characters; a tab in a file not delimited by tabs

    def after(pos, fill):  # the byte after each position (``fill`` past the end)
        nxt = np.full(len(pos), fill, dtype=np.uint8)
        inside = pos + 1 < n
        nxt[inside] = a[pos[inside] + 1]
        return nxt

    def before(pos, fill):  # the byte before each position (``fill`` before the start)
        prev = np.full(len(pos), fill, dtype=np.uint8)
        inside = pos > 0
        prev[inside] = a[pos[inside] - 1]
        return prev

    if cr and not (after(at[byte == 13], 0) == 10).all():
        return None  # a bare carriage return
    if b"'" in data:  # a formula guard to undo (output.csv_unsafe)
        guard = np.zeros(256, dtype=bool)
        guard[[ord(g[1]) for g in _GUARDED]] = True
        if guard[after(np.flatnonzero(a == 39), 0)].any():
            return None
    if sp:  # a space at either end, or next to a delimiter, line end or quote, needs stripping
        edge = np.zeros(256, dtype=bool)
        edge[[delim[0], 10, 13, 34]] = True
        pos = at[byte == 32]
        if edge[before(pos, 10)].any() or edge[after(pos, 10)].any():
            return None
    if q:  # a quoted cell that starts or ends with a line break or tab
        edge = np.zeros(256, dtype=bool)
        edge[[9, 10, 13]] = True
        pos = at[byte == 34]
        if edge[before(pos, 0)].any() or edge[after(pos, 0)].any():
            return None
    lines = nl + int(n > 0 and a[-1] != 10)
    if n <= MAX_CELL_CHARS:
        return 0, lines, bool(q)
    ends = np.concatenate(([-1], at[byte == 10], [n]))
    return int(np.diff(ends).max()) - 1, lines, bool(q)


def _csv_fast(text, delim, file, sheet, col, data=None):
    """:func:`_rows_table` of a CSV file through pandas' C parser, with the same result.

    Taken only when the file is plain: every row no wider than the first, no cell that needs
    stripping or cleaning (no spaces next to a delimiter or line end, no tabs in a comma file,
    no control characters or unusual spaces), no bare carriage returns, no cell near
    :data:`MAX_CELL_CHARS`. Anything else (returns None) goes through the row-by-row reader,
    which words every problem, and undoes the formula guard ``'`` of a file we wrote. The cells
    come back already cleaned (:class:`Table` ``clean``).
    ``data``: the file's bytes, handed to the parser as they are when they are UTF-8.
    """
    import pandas as pd

    if not text:
        return None
    raw = None
    if data is not None and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        try:
            if not raw.isascii() and len(raw.decode("utf-8")) != len(text):
                raw = None
        except UnicodeDecodeError:  # Windows-1252: the parser gets the decoded text
            raw = None
    probe = raw if raw is not None else text.encode("utf-8", "surrogatepass")
    if not probe.isascii() and _UNUSUAL.search(text):
        return None
    plain = _plain_bytes(probe, delim.encode())
    if plain is None:
        return None
    longest, lines, quoted = plain
    if not quoted and longest > MAX_CELL_CHARS:  # without quotes no cell is longer than its line
        return None
    width, few = _few_values(text, delim) if lines > _SAMPLE_ROWS else (0, set())
    try:
        frame = pd.read_csv(_io.BytesIO(raw) if raw is not None else _io.StringIO(text),
                            sep=delim, header=None, na_filter=False,
                            dtype=({j: "category" if j in few else object  # every column
                                    for j in range(width)} if few else object),
                            skip_blank_lines=False, engine="c", quotechar='"',
                            doublequote=True, escapechar=None, comment=None, low_memory=False,
                            encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OverflowError):
        return None
    if frame.shape[1] > MAX_COLUMNS:
        return None
    cols = [frame[c].array for c in frame.columns]
    spans = len(frame) != lines  # some quoted cell holds a line break
    if quoted and longest and (spans or longest > MAX_CELL_CHARS) and any(
            max(map(len, a.categories if isinstance(a, pd.Categorical) else a), default=0)
            > MAX_CELL_CHARS for a in cols):
        return None  # a long cell: the careful reader words it
    filled, codes = [], []
    for j, a in enumerate(cols):
        if isinstance(a, pd.Categorical):
            cols[j], f, c = _category_cells(a)
        else:
            (cols[j], f), c = _text_cells(a.to_numpy(dtype=object)), None
        filled.append(f)
        codes.append(c)
    return _columns_table(cols, cols, filled, filled, len(frame), file, sheet, col,
                          letters=False, lead=range(min(_LEAD_ROWS, len(frame))), codes=codes)


#: Lines of a CSV file looked at to find its columns of few values (:func:`_few_values`).
_SAMPLE_ROWS = 2_000


def _few_values(text, delim):
    """``(width, positions)``: the file's columns (its first line's), and those whose first
    :data:`_SAMPLE_ROWS` lines hold few distinct values (at most one in ten): kinds, yes/no,
    scores. The parser reads those as categories, which numbers each cell as it goes, so
    validation need not group their values again. A guess that turns out wrong costs time,
    never a wrong cell."""
    end = -1
    for _ in range(_SAMPLE_ROWS):
        end = text.find("\n", end + 1)
        if end < 0:
            return 0, set()
    try:
        rows = list(csv.reader(_io.StringIO(text[:end]), delimiter=delim))
    except csv.Error:  # a quoted line break cut in two: no guess
        return 0, set()
    if not rows:
        return 0, set()
    width = len(rows[0])  # no row is wider than the first (the parser refuses the file)
    columns = itertools.zip_longest(*rows, fillvalue="")  # a short row's last cells are empty
    return width, {j for j, cells in enumerate(itertools.islice(columns, width))
                   if len(set(cells)) * 10 <= len(rows)}


def _category_cells(cat):
    """``(cells, filled, (codes, distinct))`` of a column parsed as categories: '' made None,
    which cells hold text, and each cell's number among the distinct texts (-1: empty)."""
    import numpy as np

    distinct = np.asarray(cat.categories, dtype=object)
    codes = np.asarray(cat.codes)  # int8 for a few values; no missing ones: '' is a category
    empty = np.flatnonzero(distinct == "")
    if len(empty):
        k = int(empty[0])
        codes = np.where(codes == k, -1, codes - (codes > k))
        distinct = np.delete(distinct, k)
    cells = spread_codes(codes, distinct, None)
    return cells, codes >= 0, (codes, list(distinct))


def _text_cells(a):
    """``(cells, filled)`` of a parsed text column: '' made None, and which cells hold text.

    Below the rows a header may be on, most columns are full or empty, which one count
    tells; only a column with some empty cells is compared cell by cell."""
    import numpy as np

    top, n = min(_LEAD_ROWS, len(a)), len(a)
    held = np.count_nonzero(a[top:])
    if 0 < held < n - top:
        filled = np.not_equal(a, "")
        return np.where(filled, a, None), filled
    filled = np.full(n, bool(held))
    filled[:top] = np.not_equal(a[:top], "")
    if held:
        if not filled[:top].all():
            a = a.copy()
            a[:top][~filled[:top]] = None
        return a, filled
    cells = np.full(n, None, dtype=object)
    cells[:top] = np.where(filled[:top], a[:top], None)
    return cells, filled


def _columns_table(raw, clean, filled, present, n, file, sheet, col, *, letters, lead,
                   codes=None):
    """:func:`_rows_table` of a sheet held as columns (the fast readers' shared second half).

    ``raw``: each column's cells as read (None for an empty one); ``clean``: the same cells
    cleaned (:func:`influence.parsing.clean_cells`); ``filled``: which raw cells hold a value
    (``_filled``), ``present`` which cleaned ones do; ``n``: the rows (row ``i`` is spreadsheet
    row ``i + 1``); ``lead``: the rows the header may be on (:func:`_header_row` looks at the
    first :data:`_LEAD_ROWS` of them); ``codes``: per column, None or ``(codes, distinct)``
    numbering its cleaned cells (-1: empty), handed on to validation. The table comes back
    cleaned (:class:`Table` ``clean``).
    """
    import numpy as np
    import pandas as pd

    lead = [(i + 1, {j + 1: raw[j][i] for j in range(len(raw)) if raw[j][i] is not None})
            for i in lead]
    hrow, hcells, _ = _header_row(iter(lead), file, sheet, col, letters)
    if hrow is None:
        return Table(pd.DataFrame({}, dtype=object), file=file, sheet=sheet, rows=[])
    width = max(c for c, v in hcells.items() if _filled(v))
    header = ["" if hcells.get(j) is None else str(hcells[j]).strip()
              for j in range(1, width + 1)]
    named = [bool(h) for h in header]
    unheaded = [j for j in range(len(raw)) if j >= width or not named[j]]
    if unheaded:  # values without a header: one warning per row, as the careful reader
        stray = np.zeros(n, dtype=bool)
        for j in unheaded:
            stray |= filled[j]
        stray[:hrow] = False
        for i in np.flatnonzero(stray):
            _unheaded(col, file, sheet, int(i) + 1,
                      [(j, raw[j][i]) for j in unheaded if filled[j][i]], letters=letters)
    keep = np.zeros(n, dtype=bool)
    for j in range(width):
        keep |= filled[j]
    keep[:hrow] = False
    if keep[hrow:].all():  # no blank rows: a slice, not a copy
        idx, rows = slice(hrow, n), range(hrow + 1, n + 1)
    else:
        idx = np.flatnonzero(keep)
        rows = (idx + 1).tolist()
    data = {j: clean[j][idx] for j in range(width) if named[j]}
    out = pd.DataFrame(data, dtype=object, copy=False)
    out.columns = [header[j] for j in data]
    table = Table(out, file=file, sheet=sheet, rows=rows)
    table.clean = True
    table.present = [present[j][idx] for j in data]
    if codes is not None:  # a header's text is no cell's value: numbered without it
        table.codes = [None if codes[j] is None else
                       only_held(codes[j][0][idx], codes[j][1], codes[j][0][:hrow].tolist())
                       for j in data]
    return table


def _unheaded(col, file, sheet, row, cells, letters=False):
    """Warn (never drop silently) about values in columns that have no header."""
    if col is None or not cells:
        return
    if letters:
        from openpyxl.utils import get_column_letter

        where = ", ".join(get_column_letter(j + 1) for j, _ in cells)
    else:
        where = ", ".join(str(j + 1) for j, _ in cells)
    n = len(cells)
    col.add(file, sheet, row, None, cells[0][1],
            f"{n} value{'s' if n != 1 else ''} in column{'s' if n != 1 else ''} {where} "
            "without a header (ignored)",
            "give the column a header, or delete the value (a comma inside a name needs the "
            "name in double quotes)" if not letters else
            "give the column a header, or delete the value", severity="warning")


def _check_unzipped(path: Path, what: str):
    """Refuse a zipped workbook that declares more than :data:`MAX_UNZIPPED` bytes of content.

    The declared sizes are read from the zip's directory before anything is parsed (Python's
    zipfile never reads past a member's declared size, so a lying size cannot get round it).
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"Cannot read {path.name} as {what} ({exc}). Fix: save it again "
                         f"from your spreadsheet as {path.suffix.lower()}.") from None
    if total > MAX_UNZIPPED:
        raise InputError(f"{path.name} expands to {total / 2**20:,.0f} MB when unzipped, over "
                         f"the {MAX_UNZIPPED // 2**20:,} MB a map's workbook may hold, so it was "
                         "not read. Fix: save only the actors and ties sheets in a new workbook "
                         "(or as CSV files).")


def _xlsx_rows(ws):
    """A read-only worksheet's rows, sparse: only the cells the file holds.

    openpyxl's own row iterator fills every gap with empty cells (a stray value in XFD1048576
    means 17 billion of them); its sheet parser yields only the stored cells.
    """
    try:
        from openpyxl.worksheet._reader import WorkSheetParser

        wb = ws.parent
        src = ws._get_source()
    except (ImportError, AttributeError):  # pragma: no cover - a future openpyxl
        for r, rec in enumerate(ws.iter_rows(values_only=True), start=1):
            yield r, {j: v for j, v in enumerate(rec, start=1) if v is not None}
        return
    with src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=wb.data_only,
                                 epoch=wb.epoch, date_formats=wb._date_formats,
                                 timedelta_formats=wb._timedelta_formats)
        for r, cells in parser.parse():
            yield r, {c["column"]: c["value"] for c in cells if c["value"] is not None}


def xlsx_table(ws, file, sheet, col=None) -> Table:
    """An openpyxl worksheet as a raw table, read cell by cell (see :func:`_rows_table`)."""
    return _rows_table(_xlsx_rows(ws), file, sheet, col, letters=True,
                       total=(ws.max_row or 1) - 1)


def _pick_sheets(names, file):
    """The actors and ties sheet names among a workbook's sheets (case-insensitive)."""
    sheets = {n.strip().lower(): n for n in names}
    a = next((sheets[s] for s in ACTOR_SHEETS if s in sheets), None)
    t = next((sheets[s] for s in TIE_SHEETS if s in sheets), None)
    if a is None:
        raise InputError(f'{file} has no sheet named "actors" (sheets: '
                         f'{", ".join(names)}). Fix: name the '
                         'sheet of actors "actors" and the sheet of ties "ties".')
    return a, t


def _no_ties(file, names, col):
    col.add(file, None, None, None, None,
            f'there is no sheet named "ties" (sheets: {", ".join(names)}), so the map has no '
            "ties", 'add a sheet named "ties" with source and target columns (see '
            "`influence template`)", severity="warning")


def read_xlsx_tables(path: Path, col):
    """The actors and ties sheets of a workbook, and whether it is a Kumu export."""
    if path.suffix.lower() == ".ods":
        return read_ods_tables(path, col)
    from openpyxl import load_workbook

    _check_unzipped(path, "an Excel workbook")
    fast = _xlsx_fast(path, col)
    if fast is not None:
        return fast
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/openpyxl errors: not a workbook
        raise InputError(f"Cannot read {path.name} as an Excel workbook ({exc}). Fix: save it "
                         "from Excel as .xlsx.") from None
    try:
        names = [ws.title for ws in wb.worksheets]
        an, tn = _pick_sheets(names, path.name)
        at = xlsx_table(wb[an], path.name, an, col)
        tt = xlsx_table(wb[tn], path.name, tn, col) if tn is not None else None
        if tn is None:
            _no_ties(path.name, names, col)
    finally:
        wb.close()
    return at, tt, an.strip().lower() == "elements"


#: The most cells (rows x columns, empty ones included) an .xlsx sheet may span to be read by
#: python-calamine, which builds the whole grid; bigger or unusual sheets are read cell by cell.
MAX_FAST_CELLS = 30_000_000


def _above(number: str, pattern: bytes = b"[0-9]") -> bytes:
    """A regex for numbers (letters, with ``pattern`` ``[A-Z]``) of the same length as
    ``number`` that are greater than it in their first two places."""
    top = b"9" if pattern == b"[0-9]" else b"Z"
    alts = []
    a = number[0]
    if a.encode() != top:
        alts.append(b"[%c-%s]" % (ord(a) + 1, top) + pattern * (len(number) - 1))
    if len(number) > 1 and number[1].encode() != top:
        alts.append(a.encode() + b"[%c-%s]" % (ord(number[1]) + 1, top) +
                    pattern * (len(number) - 2))
    return b"|".join(alts) or b"(?!)"


def _plain_sheet(xml: bytes) -> bool:
    """True when a sheet's XML bounds the grid python-calamine would build for it.

    The sheet must declare its extent (``<dimension ref="A1:K1201"/>``), and no cell may lie
    beyond its columns or beyond its rows by more than the rows' first two digits allow (so at
    most ~10% more); every cell and row must state its position (``<c r="B7"``); no cell may
    hold an error value; and the grid must be at most :data:`MAX_FAST_CELLS` cells and at most
    four times the cells stored (a stray far-off value makes a huge, empty grid). C-speed byte
    scans only: anything else is read cell by cell.
    """
    if b"<sheetData" not in xml or b't="e"' in xml:
        return False
    dim = re.search(rb'<dimension ref="A1(?::([A-Z]{1,2})([0-9]{1,7}))?"', xml[:4096])
    if dim is None:
        return False
    cells = xml.count(b'<c r="')
    if xml.count(b"<c ") + xml.count(b"<c>") != cells:
        return False
    if xml.count(b"<row ") + xml.count(b"<row>") != xml.count(b'<row r="'):
        return False
    letters, number = (g.decode() for g in dim.groups("A1")) if dim.group(1) else ("A", "1")
    if re.search(rb'<c r="(?:[A-Z]{%d,}|%s)[0-9]' % (len(letters) + 1,
                                                     _above(letters, b"[A-Z]")), xml):
        return False  # a cell beyond the declared columns
    if re.search(rb'<c r="[A-Z]{1,3}(?:[0-9]{%d,}|%s)"' % (len(number) + 1, _above(number)),
                 xml):
        return False  # a cell well below the declared rows
    width = 0
    for ch in letters:
        width = width * 26 + ord(ch) - 64
    rows = (int(number[:2]) + 1) * 10 ** max(len(number) - 2, 0)
    grid = rows * width
    return grid <= MAX_FAST_CELLS and grid <= 4 * cells + 100_000


def _xlsx_parts(zf):
    """Sheet name -> its XML part, for a workbook whose sheets are all worksheets."""
    import posixpath
    from xml.etree import ElementTree as ET

    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for el in _sheet_elements(book):
        target = targets.get(el.get(rid), "")
        if "worksheets/" not in target:
            return None  # a chartsheet or dialog sheet: the careful reader
        parts[el.get("name")] = posixpath.normpath(
            target.lstrip("/") if target.startswith("/") else "xl/" + target)
    return parts


def _sheet_elements(book):
    """The ``<sheet>`` elements of a parsed ``xl/workbook.xml``, in the workbook's order."""
    return [el for el in book.iter() if el.tag.rsplit("}", 1)[-1] == "sheet"]


def _calamine_value(v):
    """A cell from python-calamine as openpyxl gives it: whole numbers as int (up to 2**53;
    a bigger one is written ``1E+20`` in the sheet, which openpyxl reads as a float), dates as
    datetime."""
    from datetime import date, datetime

    t = type(v)
    if t is float:
        return int(v) if v.is_integer() and abs(v) < 2**53 else v
    if t is date:
        return datetime(v.year, v.month, v.day)
    return v


#: The rows at the top of a sheet taken cell by cell (a title and the header row are there).
_GRID_HEAD = 16


def _grid_column(cells, held):
    """One column of a calamine grid (empty cells None; ``held``: which are not):
    ``(raw, clean, filled, present)`` as :func:`_columns_table` takes them. Below its first
    rows (where a title and the header are), a column of plain text, numbers or yes/no is done
    as one array; any other column cell by cell."""
    import numpy as np

    head = _GRID_HEAD
    if len(cells) <= head:
        return _grid_cells(cells, held)
    top, rest = _grid_cells(cells[:head], held[:head]), _grid_cells(cells[head:], held[head:])
    return tuple(np.concatenate([a, b]) for a, b in zip(top, rest, strict=True))


def _grid_cells(cells, held):
    """:func:`_grid_column` of a run of cells."""
    import numpy as np
    import pandas as pd

    from .parsing import clean_cells

    kind = pd.api.types.infer_dtype(cells, skipna=True)
    if kind in ("empty", "boolean"):  # nothing to convert or clean
        return cells, cells, held, held
    if kind == "string":
        text = cells[held].tolist()
        edges = "\x1f".join(text)
        if "".join(text).isprintable() and not (edges.startswith(" ") or edges.endswith(" ")
                                               or " \x1f" in edges or "\x1f " in edges):
            return cells, cells, held, held  # no cell to strip or clean
    elif kind in ("floating", "integer", "mixed-integer-float"):
        at = np.flatnonzero(held)
        try:
            xs = cells[at].astype(float)
        except OverflowError:  # a whole number too big for a float
            xs = np.array([np.inf])
        if (np.abs(xs) < 2**53).all():  # finite, and whole ones convert to int exactly
            whole = xs == np.floor(xs)
            out = cells.copy()
            out[at[whole]] = xs[whole].astype(np.int64).tolist()
            return out, out, held, held
    raw = np.array([None] + [_calamine_value(v) for v in cells], dtype=object)[1:]
    filled = np.array([_filled(v) for v in raw], dtype=bool) if len(raw) else held
    clean = clean_cells(pd.Series(raw, dtype=object))
    return raw, clean, filled, np.not_equal(clean, None)


def _grid_table(grid, file, sheet, col):
    """:func:`_rows_table` of a python-calamine sheet (``to_python``), a column at a time;
    None when the grid is ragged, empty or wider than :data:`MAX_COLUMNS` (the row reader
    then words it)."""
    import numpy as np

    if not grid or not grid[0] or len(grid[0]) > MAX_COLUMNS or any(
            len(r) != len(grid[0]) for r in grid):
        return None
    g = np.empty((len(grid), len(grid[0])), dtype=object)
    g[:] = grid
    columns = []
    used = np.zeros(len(grid), dtype=bool)  # the rows the row reader sees: any cell at all
    for j in range(g.shape[1]):
        cells = np.ascontiguousarray(g[:, j])
        cells[np.equal(cells, "")] = None
        held = np.not_equal(cells, None)
        used |= held
        columns.append(_grid_column(cells, held))
    raw, clean, filled, present = (list(x) for x in zip(*columns, strict=True))
    return _columns_table(raw, clean, filled, present, len(grid), file, sheet, col,
                          letters=True, lead=np.flatnonzero(used)[:_LEAD_ROWS])


def _xlsx_fast(path: Path, col):
    """:func:`read_xlsx_tables` through python-calamine, or None for the careful reader.

    Taken when the wanted sheets are plain (:func:`_plain_sheet`); the cells come back as
    openpyxl gives them (whole numbers as int, dates as datetime), row numbers as in Excel.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            parts = _xlsx_parts(zf)
            if not parts:
                return None
            names = list(parts)
            an, tn = _pick_sheets(names, path.name)
            wanted = [an] + ([tn] if tn else [])
            if not all(_plain_sheet(zf.read(parts[n])) for n in wanted):
                return None
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        grids = {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wanted}
    except InputError:
        raise
    except Exception:  # anything unexpected: the careful reader words it
        return None

    def rows(grid):
        for r, rec in enumerate(grid, start=1):
            cells = {j: _calamine_value(v) for j, v in enumerate(rec, start=1)
                     if v != "" and v is not None}
            if cells:
                yield r, cells

    tables = [_grid_table(grids[n], path.name, n, col)
              or _rows_table(rows(grids[n]), path.name, n, col, letters=True) for n in wanted]
    if tn is None:
        _no_ties(path.name, names, col)
    return tables[0], tables[1] if tn else None, an.strip().lower() == "elements"


def _ods_extent(path: Path):
    """The rows and columns each sheet of an OpenDocument spreadsheet spans (through its last
    value), streamed from ``content.xml`` with repeats counted, not expanded."""
    import zipfile
    from xml.etree.ElementTree import iterparse

    ns_t = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    ns_o = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    extent, name, row, far_row, far_col, col_i = {}, None, 0, 0, 0, 0
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == ns_t + "table":
                    name, row, far_row, far_col = el.get(ns_t + "name"), 0, 0, 0
                elif tag == ns_t + "table-row":
                    col_i = 0
                continue
            if tag in (ns_t + "table-cell", ns_t + "covered-table-cell"):
                n = int(el.get(ns_t + "number-columns-repeated") or 1)
                if el.get(ns_o + "value-type") or len(el):
                    far_col = max(far_col, col_i + n)
                    far_row = max(far_row, row + 1)
                col_i += n
                el.clear()
            elif tag == ns_t + "table-row":
                row += int(el.get(ns_t + "number-rows-repeated") or 1)
                el.clear()
            elif tag == ns_t + "table":
                extent[name] = (far_row, far_col)
                el.clear()
    return extent


def read_ods_tables(path: Path, col):
    """The actors and ties sheets of an OpenDocument spreadsheet (LibreOffice's ``.ods``).

    Read with python-calamine (Rust's calamine: fast, no formulas run) after a streamed check
    of each sheet's extent (repeated rows and cells counted, not expanded), so a stray far-off
    value cannot make it build a huge grid: every sheet may span at most :data:`MAX_CELLS`
    cells, and the actors and ties sheets :data:`MAX_COLUMNS` columns.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    def unreadable(exc):
        return InputError(f"Cannot read {path.name} as a LibreOffice spreadsheet ({exc}). Fix: "
                          "save it again from LibreOffice Calc as .ods.")

    _check_unzipped(path, "a LibreOffice spreadsheet")
    try:
        extent = _ods_extent(path)
    except Exception as exc:  # no content.xml, broken XML
        raise unreadable(exc) from None
    names = list(extent)
    an, tn = _pick_sheets(names, path.name)
    wanted = [an] + ([tn] if tn else [])
    for name, (rows, cols) in extent.items():
        if name in wanted and cols > MAX_COLUMNS:
            raise _too_wide(path.name, name, cols, "its values reach")
        if rows * cols > MAX_CELLS:
            raise InputError(
                f'{_where(path.name, name)}: its values reach row {rows:,} and column '
                f"{cols:,} ({rows * cols:,} cells), over the {MAX_CELLS:,} a sheet may span. "
                "Fix: delete the stray values far below or to the right of the table (or save "
                "the actors and ties sheets in a new workbook).")
    try:
        wb = CalamineWorkbook.from_path(str(path))
        grids = {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wanted}
    except (CalamineError, OSError, ValueError) as exc:
        raise unreadable(exc) from None
    def cells(rec):  # ODS stores every number as a float: whole ones read as in .xlsx
        return {j: int(v) if type(v) is float and v.is_integer() else v
                for j, v in enumerate(rec, start=1) if v != "" and v is not None}

    tables = [_rows_table(((r, cells(rec)) for r, rec in enumerate(grids[name], start=1)),
                          path.name, name, col, letters=True, total=len(grids[name]) - 1)
              for name in wanted]
    if tn is None:
        _no_ties(path.name, names, col)
    return tables[0], tables[1] if tn else None, an.strip().lower() == "elements"


def _find(folder: Path, names):
    files = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    return next((files[f"{n}.csv"] for n in names if f"{n}.csv" in files), None)


def read_folder_tables(folder: Path, col):
    """The actors.csv and ties.csv tables of a folder (ties ``None`` when there is none)."""
    a, t = _find(folder, ACTOR_SHEETS), _find(folder, TIE_SHEETS)
    if a is None:
        raise InputError(f"{folder} has no actors.csv. Fix: put actors.csv and ties.csv in the "
                         "folder (or read a workbook).")
    if t is None:
        col.add(folder.name, None, None, None, None,
                f"there is no ties.csv in {folder}, so the map has no ties",
                "put ties.csv (with source and target columns) beside actors.csv",
                severity="warning")
    return csv_table(a, col=col), csv_table(t, col=col) if t else None



def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_graph_xml(path: Path, col):
    """Stream a GraphML or GEXF file once before networkx reads it.

    Refuses more than :data:`MAX_COLUMNS` attribute declarations, and reports what networkx
    would otherwise change silently: a node id declared twice (the second definition would
    replace the first) and an edge to a node that is not declared (an actor would be invented).
    """
    from xml.etree.ElementTree import iterparse

    fmt = path.suffix[1:].upper()
    declared = "key" if fmt == "GRAPHML" else "attribute"
    n_keys, nodes, edges = 0, {}, []
    for _, el in iterparse(path, events=("end",)):
        tag = _local(el.tag)
        if tag == declared:
            n_keys += 1
            if n_keys > MAX_COLUMNS:
                raise InputError(f"{path.name} declares more than {MAX_COLUMNS:,} attributes "
                                 f"(<{declared}> elements); a map can have at most "
                                 f"{MAX_COLUMNS:,} columns. Fix: export only the attributes "
                                 "the map needs.")
        elif tag == "node":
            ident = el.get("id")
            if ident in nodes:
                col.add(path.name, "nodes", len(nodes) + 1, "id", ident,
                        f"node id declared twice (first as node {nodes[ident]}); the second "
                        "definition would replace the first",
                        "declare each node once, with all its attributes")
            else:
                nodes[ident] = len(nodes) + 1
            el.clear()
        elif tag == "edge":
            edges.append((el.get("source"), el.get("target")))
            el.clear()
    _check_endpoints(path.name, nodes, edges, col)


def _check_endpoints(file, nodes, edges, col):
    for k, (s, t) in enumerate(edges, start=1):
        for end, ident in (("source", s), ("target", t)):
            if ident not in nodes:
                col.add(file, "edges", k, end, ident, f"edge {end} is not a declared node "
                        "(it would add an actor that the file does not describe)",
                        f'declare the node "{ident}", or correct the edge')


def load_json(path: Path):
    """A JSON file's data (``Infinity`` and ``NaN`` are read as numbers, checked later)."""
    try:
        return json.loads(_decode(path.read_bytes()))
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}. Fix: check the path.") from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"Cannot read {path.name} as JSON ({exc}). Fix: check that the file "
                         "is complete and in that format.") from None


def is_kumu_json(data) -> bool:
    """Kumu's JSON (a project export or a blueprint): ``elements`` (and ``connections``)."""
    return isinstance(data, dict) and isinstance(data.get("elements"), list) and \
        "nodes" not in data


def _flat_record(rec, skip=()):
    """A Kumu element or connection as one flat dict: its own keys and its ``attributes``."""
    if not isinstance(rec, dict):
        return {}
    out = {k: v for k, v in rec.items() if k != "attributes" and k not in skip}
    attrs = rec.get("attributes")
    if isinstance(attrs, dict):
        out.update(attrs)
    return out


def _json_table(records, file, sheet):
    import pandas as pd

    keys = list(dict.fromkeys(k for r in records for k in r))
    if len(keys) > MAX_COLUMNS:
        raise _too_wide(file, sheet, len(keys), "its records have")
    frame = pd.DataFrame([[r.get(k) for k in keys] for r in records], columns=keys,
                         dtype=object) if records else pd.DataFrame({k: [] for k in keys})
    frame = frame.astype(object)
    return Table(frame.where(frame.notna(), None) if len(keys) else frame, file=file,
                 sheet=sheet, rows=range(1, len(records) + 1))


def kumu_json_tables(data, file):
    """The actors and ties tables of Kumu's JSON, read as its workbook export would be.

    Elements: ``label`` is the actor's id and name (Kumu's element ``_id`` when labels are
    missing or repeated), ``element type`` its kind, ``tags`` its themes, other attributes
    extra columns. Connections: ``from`` and ``to`` (element ids or labels), ``direction``
    (directed, undirected or mutual), ``connection type`` the tie kind.
    """
    elements = [_flat_record(e) for e in data.get("elements") or []]
    labels = [e.get("label") for e in elements]
    texts = [str(v).strip() if v is not None else "" for v in labels]
    by_label = all(texts) and len(set(texts)) == len(texts)
    ids = {}
    for e, text in zip(elements, texts, strict=True):
        kumu_id = e.pop("_id", None)
        e["id"] = text if by_label else (kumu_id if kumu_id is not None else text or None)
        if kumu_id is not None:
            ids[str(kumu_id)] = e["id"]
    ties = []
    for c in data.get("connections") or []:
        c = _flat_record(c, skip=("_id",))
        for end in ("from", "to"):
            v = c.get(end)
            if v is not None and str(v) in ids:
                c[end] = ids[str(v)]
        ties.append(c)
    elements = [{"id": e.pop("id"), **e} for e in elements]
    return _json_table(elements, file, "elements"), _json_table(ties, file, "connections")


def read_graph_file(path: Path, col=None, data=None):
    """A GraphML, GEXF or node-link JSON file as a networkx graph.

    With ``col``, the file is checked first (attribute count, duplicate node ids, edges to
    undeclared nodes; see :func:`_check_graph_xml`). ``data``: a JSON file's data, if
    already loaded.
    """
    import networkx as nx

    suffix = path.suffix.lower()
    try:
        if suffix in (".graphml", ".gexf") and col is not None:
            _check_graph_xml(path, col)
        if suffix == ".graphml":
            G = nx.read_graphml(path, force_multigraph=True)
        elif suffix == ".gexf":
            G = nx.read_gexf(path)
        else:
            data = load_json(path) if data is None else data
            key = "edges" if "edges" in data else "links"
            if col is not None:
                _check_node_link(data, key, path.name, col)
            G = nx.node_link_graph(data, edges=key)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"Cannot read {path.name} as {suffix[1:].upper()} ({exc}). Fix: check "
                         "that the file is complete and in that format.") from None
    return G


def _check_node_link(data, key, file, col):
    """Duplicate node ids, edges to undeclared nodes and too many attributes in node-link JSON."""
    nodes_in = data.get("nodes") if isinstance(data, dict) else None
    edges_in = data.get(key) if isinstance(data, dict) else None
    if not isinstance(nodes_in, list) or not isinstance(edges_in, list):
        return  # networkx reports the shape
    attrs = {k for n in nodes_in if isinstance(n, dict) for k in n}
    attrs |= {k for e in edges_in if isinstance(e, dict) for k in e}
    if len(attrs) > MAX_COLUMNS:
        raise _too_wide(file, None, len(attrs), "its nodes and edges have")
    def key(v):
        return v if isinstance(v, str) else json.dumps(v, sort_keys=True, default=str)

    nodes = {}
    for i, n in enumerate(nodes_in, start=1):
        ident = key(n.get("id") if isinstance(n, dict) else None)
        if ident in nodes:
            col.add(file, "nodes", i, "id", ident, f"node id declared twice (first as node "
                    f"{nodes[ident]}); the second definition would replace the first",
                    "declare each node once, with all its attributes")
        else:
            nodes[ident] = i
    _check_endpoints(file, nodes, [(key(e.get("source")), key(e.get("target")))
                                   for e in edges_in if isinstance(e, dict)], col)


# --- writing -----------------------------------------------------------------------------------
def record_values(frame):
    """One dict per row (python values, missing ones left out), for networkx attributes.

    Examples
    --------
    >>> import pandas as pd
    >>> from influence.formats import record_values
    >>> list(record_values(pd.DataFrame({"a": [1.5, None], "b": ["x", None]})))
    [{'a': 1.5, 'b': 'x'}, {}]
    """
    import pandas as pd

    for rec in frame.to_dict("records"):
        yield {k: v for k, v in rec.items()
               if isinstance(v, (tuple, list)) or not pd.isna(v)}


def _text(v):
    import pandas as pd

    if isinstance(v, (tuple, list)):
        return ";".join(map(str, v)) if v else None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    return v


def flat_frame(frame, *, dates=True):
    """Tuples joined with ';' and (optionally) dates as ISO text, for flat formats."""
    out = frame.copy()
    for c in out.columns:
        s = out[c]
        if s.dtype == object or (dates and str(s.dtype).startswith("datetime")):
            out[c] = s.astype(object).map(_text)
    return out


def _graph(m, *, lists: bool):
    import networkx as nx

    G = nx.MultiDiGraph() if m.directed else nx.MultiGraph()
    if m.name:
        G.graph["name"] = str(m.name)
    actors = m.actors if lists else flat_frame(m.actors)
    for node, attrs in zip(actors.index, record_values(actors), strict=False):
        G.add_node(node, **{k: (list(v) if isinstance(v, tuple) else _text(v))
                            for k, v in attrs.items() if v != ()})
    for attrs in record_values(flat_frame(m.ties)):
        G.add_edge(attrs.pop("source"), attrs.pop("target"), **attrs)
    return G


def write_graph(m, fh, fmt: str):
    """Write a (public) map to a binary file handle as ``graphml``, ``gexf`` or ``json``."""
    import networkx as nx

    G = _graph(m, lists=fmt == "json")
    if fmt == "graphml":
        nx.write_graphml(G, fh)
    elif fmt == "gexf":
        nx.write_gexf(G, fh)
    else:
        fh.write(json.dumps(nx.node_link_data(G, edges="edges"), ensure_ascii=False,
                            indent=1, default=str).encode("utf-8"))


def _write_xlsx(m, tmp, *, kumu=False, engine=None, name=None):
    """Write a (public) map to a workbook: sheets actors/ties, or Kumu's Elements/Connections.

    ``engine=None`` picks the writer from ``tmp``'s suffix (:func:`influence.output.xlsx_engine`):
    xlsxwriter for ``.xlsx``, LibreOffice's ``.ods`` by pandas' odf writer (odfpy). ``name``
    (the final file) names the file in an error.
    """
    actors, ties = flat_frame(m.actors, dates=False), flat_frame(m.ties, dates=False)
    if kumu:
        actors = actors.reset_index().rename(columns={"id": "ID", "name": "Label",
                                                      "kind": "Type", "themes": "Tags"})
        actors["Tags"] = actors["Tags"].map(lambda v: v.replace(";", "|") if isinstance(v, str)
                                            else v)
        ties = ties.rename(columns={"source": "From", "target": "To", "kind": "Type",
                                    "strength": "Strength"})
        ties["directed"] = ties["directed"].map({True: "directed", False: "undirected"})
        ties = ties.rename(columns={"directed": "Direction"})
    names = ("Elements", "Connections") if kumu else ("actors", "ties")
    sheets = {names[0]: actors, names[1]: ties}
    if getattr(m, "actions", None) is not None and not kumu:
        sheets["actions"] = flat_frame(m.actions, dates=False)
    as_at = getattr(m, "as_at", None)
    if (engine or xlsx_engine(tmp)) == "xlsxwriter":
        write_sheets(tmp, sheets, index={"actors"}, name=name,
                     properties={AS_AT: str(as_at)} if as_at is not None else None)
        return
    with excel_writer(tmp, engine=engine, sheets=sheets, name=name) as xw:
        for sheet, frame in sheets.items():
            frame.to_excel(xw, sheet_name=sheet, index=sheet == "actors")
        if as_at is not None:  # the snapshot's date, a document property
            set_xlsx_property(xw, AS_AT, str(as_at))


#: The workbook's custom document property that holds the map's date (``InfluenceMap.as_at``).
AS_AT = "as_at"


def xlsx_as_at(path):
    """The map date a workbook carries (custom document property ``as_at``), or None.

    Read from the workbook's ``docProps/custom.xml`` (where Excel, LibreOffice, openpyxl and
    xlsxwriter keep custom properties) without loading the workbook; a property that is not
    plain text goes to openpyxl, which converts every kind.
    """
    import zipfile
    from xml.etree import ElementTree as ET

    try:
        with zipfile.ZipFile(path) as zf:
            if "docProps/custom.xml" not in zf.namelist():
                return None
            info = zf.getinfo("docProps/custom.xml")
            if info.file_size > 2**20:
                return _xlsx_as_at_openpyxl(path)
            props = ET.fromstring(zf.read(info))
    except Exception:  # the tables were read: a workbook without readable properties has none
        return None
    for prop in props:
        if prop.get("name") == AS_AT:
            kind = prop[0].tag.rsplit("}", 1)[-1] if len(prop) else None
            if kind in ("lpwstr", "bstr") and prop[0].text:
                return prop[0].text
            return _xlsx_as_at_openpyxl(path)
    return None


def _xlsx_as_at_openpyxl(path):
    """:func:`xlsx_as_at` through openpyxl (which loads the workbook)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
        try:
            return next((p.value for p in wb.custom_doc_props if p.name == AS_AT), None)
        finally:
            wb.close()
    except Exception:  # the tables were read: a workbook without readable properties has none
        return None


def xlsx_sheet_names(path):
    """A workbook's sheet names, from its ``xl/workbook.xml`` (None when it cannot be read
    that way; openpyxl then has the last word)."""
    import zipfile
    from xml.etree import ElementTree as ET

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 16 * 2**20:
                return None
            book = ET.fromstring(zf.read(info))
    except Exception:
        return None
    return [el.get("name") or "" for el in _sheet_elements(book)]


# --- writing a map ---------------------------------------------------------------------------
def write_map(m, path, *, force: bool = False, inputs=(), safe_csv: bool = True) -> Path:
    """Write a map; the format comes from the path (see :mod:`influence.io`).

    This is :func:`influence.write` and :meth:`InfluenceMap.write
    <influence.model.InfluenceMap.write>`; ``m`` is any map (an object with ``actors``,
    ``ties``, ``source`` and ``public()``).

    ``private_*`` columns are never written. Writes are atomic; an existing file is kept unless
    ``force=True``; the file the map was read from (``m.source``) and ``inputs`` are never
    overwritten. Text is never written as a formula (CSV text starting with ``= + - @``, tab or
    CR gets a ``'`` in front, which :func:`influence.read` removes; ``safe_csv=False`` writes it
    as it is).

    Examples
    --------
    >>> import influence, tempfile, pathlib
    >>> m = influence.build(actors=[{"id": "a", "kind": "resident", "private_phone": "0"}])
    >>> out = influence.write(m, pathlib.Path(tempfile.mkdtemp()) / "map.graphml")
    >>> influence.read(out).equals(m.public())
    True
    """
    path = Path(path)
    inputs = [Path(p) for p in tuple(inputs) + ((m.source,) if m.source else ()) if p]
    inputs += [f for p in inputs if p.is_dir() for f in p.iterdir()]  # a CSV folder's files
    pub = m.public()
    name = path.name.lower()
    if name.endswith(".db"):  # a store keeps private_* columns: the partnership's working copy
        return write_store(m, path, force=force, inputs=inputs)
    if name.endswith((".xlsx", ".xlsm", ".ods")):
        with atomic_write(path, force=force, inputs=inputs, mode=None) as tmp:
            _write_xlsx(pub, tmp, kumu=name.endswith(".kumu.xlsx"), name=path)
    elif name.endswith((".graphml", ".gexf", ".json")):
        with atomic_write(path, force=force, inputs=inputs, mode="wb") as fh:
            write_graph(pub, fh, name.rsplit(".", 1)[1])
    elif path.suffix == "" or path.is_dir():
        files = {"actors.csv": flat_frame(pub.actors), "ties.csv": flat_frame(pub.ties)}
        if getattr(pub, "actions", None) is not None:
            files["actions.csv"] = flat_frame(pub.actions)
        for f in files:
            check_output(path / f, force=force, inputs=inputs)
        for f, frame in files.items():
            with atomic_write(path / f, force=force, inputs=inputs, encoding="utf-8-sig") as fh:
                write_csv(frame, fh, safe=safe_csv, index=f == "actors.csv",
                          lineterminator="\r\n")
    else:
        raise OutputError(f"Unknown output format {path.name!r}. Fix: use .xlsx, .kumu.xlsx, .ods, "
                          ".graphml, .gexf, .json, or a folder name (for actors.csv + ties.csv).")
    return path
