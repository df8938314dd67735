"""File formats: reading workbooks, CSV files and graph files into raw tables, writing maps out.

The layer below :mod:`influence.io`: each reader returns unvalidated
:class:`~influence.validate.Table` objects (or a networkx graph) that :mod:`influence.io` turns
into a validated :class:`~influence.model.InfluenceMap`; each writer puts an already public map
into one format.
What each format can hold, and how the rest is encoded, is described in :mod:`influence.io`.

* CSV: decoded as UTF-16 (with a byte-order mark), UTF-8 (with or without one), Windows-1252 or
  Latin-1; the delimiter (``,``, ``;`` or tab) is the commonest one in the header line.
* Excel: sheets matched case-insensitively (``actors``/``elements``/``nodes`` and
  ``ties``/``connections``/``edges``/``links``); ``*.kumu.xlsx`` is written in Kumu's layout.
* GraphML, GEXF and networkx node-link JSON through networkx (multigraphs, so every tie is kept).
* Values in columns without a header are never dropped silently: each row with some gets a
  warning.
"""

from __future__ import annotations

import csv
import io as _io
import json
from pathlib import Path

from .errors import InputError
from .validate import Table

__all__ = ["ACTOR_SHEETS", "TIE_SHEETS", "read_xlsx_tables", "read_folder_tables",
           "read_graph_file", "record_values", "write_graph"]

ACTOR_SHEETS = ("actors", "elements", "nodes")
TIE_SHEETS = ("ties", "connections", "edges", "links")


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


def _csv_table(path: Path, sheet=None, col=None) -> Table:
    import pandas as pd

    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}. Fix: check the path.") from None
    first = text.split("\n", 1)[0]
    delim = max(",;\t", key=first.count) if first else ","
    records = list(csv.reader(_io.StringIO(text), delimiter=delim))
    if not records:
        return Table(pd.DataFrame(), file=path.name, sheet=sheet, rows=[])
    header, body, rows = records[0], [], []
    width = len(header)
    for i, rec in enumerate(records[1:], start=2):
        if any(rec) and "".join(rec).strip():
            body.append(rec if len(rec) == width else (rec + [""] * width)[:width])
            rows.append(i)
            _unheaded(col, path.name, sheet, i, [(j, v) for j, v in enumerate(rec)
                                                 if j >= width and str(v).strip()])
    frame = pd.DataFrame(body, columns=header, dtype=object) if body else pd.DataFrame(
        {h: [] for h in header}, dtype=object)
    return Table(frame, file=path.name, sheet=sheet, rows=rows)


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


def _xlsx_table(ws, file, sheet, col=None) -> Table:
    import pandas as pd

    it = ws.iter_rows(values_only=True)
    header = next(it, None) or ()
    width = max((i + 1 for i, h in enumerate(header) if h is not None), default=0)
    header = [("" if h is None else str(h)) for h in header[:width]]
    body, rows = [], []
    for i, rec in enumerate(it, start=2):
        _unheaded(col, file, sheet, i, [(j, v) for j, v in enumerate(rec)
                                        if (j >= width or not header[j].strip())
                                        and v is not None and str(v).strip()], letters=True)
        rec = list(rec[:width]) + [None] * (width - len(rec))
        if any(v is not None and str(v).strip() for v in rec):
            body.append(rec)
            rows.append(i)
    frame = pd.DataFrame(body, columns=header, dtype=object) if body else pd.DataFrame(
        {h: [] for h in header}, dtype=object)
    frame = frame.loc[:, [bool(h.strip()) for h in frame.columns]] if width else frame
    return Table(frame, file=file, sheet=sheet, rows=rows)




def read_xlsx_tables(path: Path, col):
    """The actors and ties sheets of a workbook, and whether it is a Kumu export."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/openpyxl errors: not a workbook
        raise InputError(f"Cannot read {path.name} as an Excel workbook ({exc}). Fix: save it "
                         "from Excel as .xlsx.") from None
    try:
        sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
        a = next((sheets[s] for s in ACTOR_SHEETS if s in sheets), None)
        t = next((sheets[s] for s in TIE_SHEETS if s in sheets), None)
        if a is None:
            raise InputError(f'{path.name} has no sheet named "actors" (sheets: '
                             f'{", ".join(ws.title for ws in wb.worksheets)}). Fix: name the '
                             'sheet of actors "actors" and the sheet of ties "ties".')
        at = _xlsx_table(a, path.name, a.title, col)
        tt = _xlsx_table(t, path.name, t.title, col) if t is not None else None
        if t is None:
            col.add(path.name, None, None, None, None,
                    f'there is no sheet named "ties" (sheets: '
                    f'{", ".join(ws.title for ws in wb.worksheets)}), so the map has no ties',
                    'add a sheet named "ties" with source and target columns (see '
                    "`influence template`)", severity="warning")
    finally:
        wb.close()
    return at, tt, a.title.strip().lower() == "elements"




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
    return _csv_table(a, col=col), _csv_table(t, col=col) if t else None



def read_graph_file(path: Path):
    """A GraphML, GEXF or node-link JSON file as a networkx graph."""
    import networkx as nx

    suffix = path.suffix.lower()
    try:
        if suffix == ".graphml":
            G = nx.read_graphml(path, force_multigraph=True)
        elif suffix == ".gexf":
            G = nx.read_gexf(path)
        else:
            data = json.loads(_decode(path.read_bytes()))
            key = "edges" if "edges" in data else "links"
            G = nx.node_link_graph(data, edges=key)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"Cannot read {path.name} as {suffix[1:].upper()} ({exc}). Fix: check "
                         "that the file is complete and in that format.") from None
    return G




# --- writing -----------------------------------------------------------------------------------
def record_values(frame):
    """One dict per row (python values, missing ones left out), for networkx attributes.

    Examples
    --------
    >>> import pandas as pd
    >>> from influence.io import record_values
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


def _flat(frame, *, dates=True):
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
    actors = m.actors if lists else _flat(m.actors)
    for node, attrs in zip(actors.index, record_values(actors)):
        G.add_node(node, **{k: (list(v) if isinstance(v, tuple) else _text(v))
                            for k, v in attrs.items() if v != ()})
    for attrs in record_values(_flat(m.ties)):
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


def _write_xlsx(m, tmp, *, kumu=False):
    """Write a (public) map to a workbook: sheets actors/ties, or Kumu's Elements/Connections."""
    import pandas as pd

    actors, ties = _flat(m.actors, dates=False), _flat(m.ties, dates=False)
    if kumu:
        actors = actors.reset_index().rename(columns={"id": "ID", "name": "Label",
                                                      "kind": "Type", "themes": "Tags"})
        actors["Tags"] = actors["Tags"].map(lambda v: v.replace(";", "|") if isinstance(v, str) else v)
        ties = ties.rename(columns={"source": "From", "target": "To", "kind": "Type",
                                    "strength": "Strength"})
        ties["directed"] = ties["directed"].map({True: "directed", False: "undirected"})
        ties = ties.rename(columns={"directed": "Direction"})
    sheets = ("Elements", "Connections") if kumu else ("actors", "ties")
    with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
        actors.to_excel(xw, sheet_name=sheets[0], index=not kumu)
        ties.to_excel(xw, sheet_name=sheets[1], index=False)
        if getattr(m, "actions", None) is not None and not kumu:
            _flat(m.actions, dates=False).to_excel(xw, sheet_name="actions", index=False)

