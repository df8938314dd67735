"""Reading, checking and writing the ``actions`` sheet (see :mod:`influence.actions`).

Problems are reported like every other sheet's: file, sheet, row, column, value and fix. The
sheet is optional; a map without one has ``m.actions = None``.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError, OutputError, either
from .formats import csv_table, flat_frame, xlsx_sheet_names, xlsx_table
from .output import atomic_write, same_file, write_csv
from .parsing import clean_cells, date_column, header_key
from .schema import ACTOR_SHEETS, TIE_SHEETS, stakeholder_types
from .validate import Collector, Table

__all__ = ["ACTION_COLUMNS", "ACTION_HELP", "STATUSES", "actions_frame", "read_actions",
           "add_actions_sheet", "save_actions"]

#: column -> canonical dtype
ACTION_COLUMNS = {"action": "string", "about": "string", "owner": "string",
                  "due": "datetime64[ns]", "status": "string", "notes": "string",
                  "added": "datetime64[ns]"}
#: column -> (required?, what it means, what to write), for the template's README sheet
ACTION_HELP = {
    "action": ("required", "What we said we would do.",
               "A short instruction, e.g. Contact the ICB about health listening events."),
    "about": ("optional", "Who it concerns.", "An id from the actors sheet, or a kind of body "
              "that is not on the map yet (e.g. environment_agency)."),
    "owner": ("optional", "Who will do it.", "An id from the actors sheet, or a name."),
    "due": ("optional", "When it should be done by.", "A date, e.g. 2024-03-31."),
    "status": ("optional", "Where it stands (default: open).", "open, done or dropped."),
    "notes": ("optional", "Anything else worth remembering.", "Any text."),
    "added": ("optional", "When we agreed it: a tie that began after this date shows it done.",
              "A date, e.g. 2023-09-01."),
}
STATUSES = ("open", "done", "dropped")
_STATUS_WORDS = {"open": "open", "todo": "open", "to do": "open", "in progress": "open",
                 "started": "open", "not started": "open", "done": "done", "complete": "done",
                 "completed": "done", "finished": "done", "yes": "done", "dropped": "dropped",
                 "cancelled": "dropped", "canceled": "dropped", "abandoned": "dropped"}
_SYNONYMS = {"action": ["action", "actions", "task", "todo", "whatwellldo", "what"],
             "about": ["about", "actor", "who", "target", "concerns", "with"],
             "owner": ["owner", "lead", "by", "responsible", "whowill"],
             "due": ["due", "duedate", "deadline", "by when", "bywhen"],
             "status": ["status", "state", "done"],
             "notes": ["notes", "note", "comment", "comments"],
             "added": ["added", "agreed", "dateadded", "dateagreed", "set", "raised"]}
SHEET = "actions"


def _canonical(table, col, actor_ids=None):
    """Canonical actions frame from a raw :class:`~influence.validate.Table`."""
    import pandas as pd

    lookup = {header_key(s): c for c, syns in _SYNONYMS.items() for s in syns}
    frame = table.frame
    data = {}
    for h in frame.columns:
        canon = lookup.get(header_key(h))
        if canon and canon not in data:
            table.labels[canon] = str(h).strip()
            data[canon] = clean_cells(frame[h].astype(object))
    n = len(frame)
    if n and "action" not in data:
        table.add(col, None, "action", None, 'the actions sheet has no "action" column',
                  'add a column headed "action" saying what we said we would do')
        return None
    out = {}
    for c, dtype in ACTION_COLUMNS.items():
        values = data.get(c, [None] * n)
        if dtype.startswith("datetime"):
            out[c] = date_column(table, values, c, col).to_numpy()
        else:
            out[c] = [None if v is None else (v.strftime("%Y-%m-%d") if hasattr(v, "strftime")
                                              else str(v)) for v in values]
    kinds = set(stakeholder_types())
    ids = set(actor_ids) if actor_ids is not None else None
    for i in range(n):
        if out["action"][i] is None:
            table.add(col, i, "action", None, "this action is empty",
                      "say what we said we would do, or delete the row")
        s = out["status"][i]
        if s is None:
            out["status"][i] = "open"
        elif s.strip().lower() in _STATUS_WORDS:
            out["status"][i] = _STATUS_WORDS[s.strip().lower()]
        else:
            table.add(col, i, "status", s, "status must be open, done or dropped",
                      "pick open, done or dropped from the drop-down")
        a = out["about"][i]
        if ids is not None and a is not None and a not in ids and a not in kinds:
            table.add(col, i, "about", a, "about is neither an actor id nor a kind of body, "
                      "so the review cannot check this action against the map",
                      "use an id from the actors sheet or a kind such as environment_agency",
                      severity="warning")
    result = pd.DataFrame({c: pd.Series(v, dtype=ACTION_COLUMNS[c]) for c, v in out.items()})
    return result


def actions_frame(records):
    """A checked actions frame from records, a dict of lists or a DataFrame.

    Examples
    --------
    >>> from influence.actions import actions_frame
    >>> f = actions_frame([{"Action": "Meet the head", "about": "school", "Due": "31/03/2024"}])
    >>> f[["action", "status"]].values.tolist(), str(f.loc[0, "due"].date())
    ([['Meet the head', 'open']], '2024-03-31')
    """
    import pandas as pd

    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame(records)
    if not len(frame.columns):
        frame = pd.DataFrame({"action": []})
    col = Collector()
    out = _canonical(Table(frame.astype(object), sheet=SHEET), col)
    col.raise_errors()
    return out


def read_actions(path, col, actor_ids):
    """The ``actions`` sheet of a workbook (or ``actions.csv`` of a folder), or None."""
    path = Path(path)
    if path.is_dir() or (path.suffix.lower() == ".csv" and
                         path.stem.lower() in ACTOR_SHEETS + TIE_SHEETS):
        folder = path if path.is_dir() else path.parent
        found = [p for p in folder.iterdir() if p.name.lower() == "actions.csv"]
        if not found:
            return None
        table = csv_table(found[0], col=col)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        names = xlsx_sheet_names(path)
        if names is not None and not any(n.strip().lower() == SHEET for n in names):
            return None  # no actions sheet: no need to load the workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = next((w for w in wb.worksheets if w.title.strip().lower() == SHEET), None)
            if ws is None:
                return None
            table = xlsx_table(ws, path.name, ws.title, col)
        finally:
            wb.close()
    else:
        return None
    return _canonical(table, col, actor_ids)


def add_actions_sheet(wb, *, examples=None):
    """Add an ``actions`` sheet with headers and a status drop-down to an openpyxl workbook."""
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(SHEET)
    ws.append(list(ACTION_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in examples or []:
        ws.append(row)
    dv = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                        showErrorMessage=True, errorStyle="stop", errorTitle="Unusual status",
                        error=ACTION_HELP["status"][2])
    dv.add("E2:E2000")
    ws.add_data_validation(dv)
    for letter, width in zip("ABCDEFG", (50, 22, 18, 12, 10, 40, 12), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    return ws


def _cell(ws, row, column, value):
    """Write a value as data: text that starts like a formula stays text."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
    return cell


def _new_rows(existing, new):
    """The rows of ``new`` that are not already on the sheet (same action and about)."""
    have = set()
    if existing is not None:
        for a, b in zip(existing["action"], existing["about"], strict=True):
            have.add((str(a).casefold(), b if isinstance(b, str) else None))
    keep = [i for i, (a, b) in enumerate(zip(new["action"], new["about"], strict=True))
            if (str(a).casefold(), b if isinstance(b, str) else None) not in have]
    return new.iloc[keep]


def save_actions(m, path, actions, *, force=False):
    """Add actions to a copy of the workbook (or CSV folder) the map was read from.

    Everything else in the workbook is kept as it is (other sheets, private columns,
    formatting); actions already on the sheet (same action and about) are not added twice.
    The copy is written atomically. Writing over the map's own file needs ``force=True``.

    Parameters
    ----------
    m : InfluenceMap
        A map read from a workbook or a folder of CSVs (``m.source``).
    path : str or path-like
        The workbook (or folder) to write: a new name, or the map's own file with ``force``.
    actions : pandas.DataFrame
        Rows for the sheet (e.g. from :func:`influence.actions.suggest_actions`).
    force : bool
        Allow replacing an existing file, including the map's own.

    Returns
    -------
    dict
        ``path``, ``added`` (rows added), ``skipped`` (already on the sheet) and ``replaced``
        (True when the map's own file was rewritten).

    Examples
    --------
    >>> import influence, tempfile, pathlib
    >>> from influence.actions import actions_frame, save_actions
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> m = influence.read(influence.template(d / "area.xlsx"))
    >>> new = actions_frame([{"action": "Invite Ann to the fair", "about": "ann"}])
    >>> save_actions(m, d / "area-actions.xlsx", new)["added"]
    1
    >>> len(influence.read(d / "area-actions.xlsx").actions)
    2
    """
    src, path, own = check_target(m, path, force=force)
    actions = actions_frame(actions)
    new = _new_rows(m.actions, actions)
    info = dict(path=path, added=len(new), skipped=len(actions) - len(new), replaced=own)
    if src.is_dir():
        _save_folder(m, src, path, new, force=force, own=own)
        return info
    from openpyxl import load_workbook

    wb = load_workbook(src, keep_vba=src.suffix.lower() == ".xlsm")
    ws = next((w for w in wb.worksheets if w.title.strip().lower() == SHEET), None)
    if ws is None:
        ws = add_actions_sheet(wb)
    _append(ws, new)
    with atomic_write(path, force=force or own, inputs=() if own else [src], mode=None) as tmp:
        wb.save(tmp)
    return info


def check_target(m, path, *, force=False):
    """Check, before anything is written, that the actions can be saved to ``path``.

    Returns ``(source, path, own)`` (``own``: ``path`` is the map's own file); raises
    InputError or OutputError naming the fix.
    """
    if m.source is None:
        raise InputError("There is no workbook to add the actions to: the map was not read "
                         "from a file. Fix: read it with influence.read(FILE) first.")  # Python
    src, path = Path(m.source), Path(path)
    own = path.exists() and same_file(path, src)
    if own and not force:
        raise OutputError(f"Refusing to write the actions into {path}: it is the map you are "
                          "reviewing. Fix: give a new file name (e.g. "
                          f"{src.stem}-actions{src.suffix}), or pass "
                          f"{either('force=True', '--force')} to add them to it.")
    if src.is_dir():
        if path.exists() and not path.is_dir():
            raise OutputError(f"{path} is a file. Fix: the map is a folder of CSVs, so give a "
                              "folder name for the copy.")
        if not own and path.exists() and any(path.iterdir()) and not force:
            raise OutputError(f"The folder {path} already has files in it. Fix: choose a new "
                              f"folder, or pass {either('force=True', '--force')}.")
        return src, path, own
    if src.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError(f"Actions are kept in a workbook or a folder of CSVs, not in "
                         f"{src.name}. Fix: influence convert {src.name} {src.stem}.xlsx, then "
                         "review the workbook.")
    if path.suffix.lower() != src.suffix.lower():
        raise OutputError(f"{path.name} is not a workbook like {src.name}. Fix: name the copy "
                          f"e.g. {src.stem}-actions{src.suffix}.")
    if path.exists() and not own and not force:
        raise OutputError(f"{path} already exists. Fix: choose another name, or pass "
                          f"{either('force=True', '--force')} to overwrite it.")
    return src, path, own


def _append(ws, new):
    lookup = {header_key(s): c for c, syns in _SYNONYMS.items() for s in syns}
    where = {}
    for cell in ws[1]:
        canon = lookup.get(header_key(cell.value)) if cell.value is not None else None
        if canon and canon not in where:
            where[canon] = cell.column
    width = max([c.column for c in ws[1] if c.value is not None] or [0])
    for c in ACTION_COLUMNS:
        if c not in where:
            width += 1
            _cell(ws, 1, width, c)
            where[c] = width
    row = max((r for r in range(1, ws.max_row + 1)
               if any(ws.cell(row=r, column=j).value is not None for j in where.values())),
              default=1)
    for rec in new.to_dict("records"):
        row += 1
        for c, j in where.items():
            v = rec.get(c)
            if v is None or v != v:
                continue
            if hasattr(v, "to_pydatetime"):
                v = v.to_pydatetime().date()
            cell = _cell(ws, row, j, v)
            if c in ("due", "added"):
                cell.number_format = "yyyy-mm-dd"


def _save_folder(m, src, path, new, *, force, own):
    import pandas as pd

    frame = pd.concat([f for f in (m.actions, new) if f is not None], ignore_index=True)
    if not own:
        for f in sorted(src.iterdir()):
            if f.is_file() and f.suffix.lower() == ".csv" and f.name.lower() != "actions.csv":
                with atomic_write(path / f.name, force=force, inputs=[src], mode="wb") as fh:
                    fh.write(f.read_bytes())
    with atomic_write(path / "actions.csv", force=True, inputs=() if own else [src],
                      encoding="utf-8-sig") as fh:
        write_csv(flat_frame(frame), fh, index=False)  # text a spreadsheet would run is guarded
