"""A blank workbook for a partnership to fill in: ``actors`` and ``ties`` sheets with drop-down
lists, a couple of example rows, and a README sheet that explains every column."""

from __future__ import annotations

from pathlib import Path

__all__ = ["template", "ACTOR_HELP", "TIE_HELP"]

#: column -> (required?, what it means, what to write)
ACTOR_HELP = {
    "id": ("required", "A short unique name for the actor, used in the ties sheet.",
           "Any text, e.g. ann_smith or parish_council. Each id only once."),
    "name": ("optional", "The name shown on maps and in reports.", "Defaults to the id."),
    "kind": ("required", "What sort of person or body this is.",
             "Pick from the drop-down (see the kinds below); 'Councillor', 'Cllr', 'Parish "
             "Council', 'Resident' are understood too. Other words are kept as a custom kind."),
    "sector": ("optional", "The sector, e.g. community, public, private, voluntary.", "Any text."),
    "sub_area": ("optional", "The village, estate or part of the area they are in.", "Any text."),
    "influence": ("optional", "How much influence they have over our goals (Net-Map influence "
                  "tower).", "0 (none) to 5 (a great deal)."),
    "stance": ("optional", "Are they with us on our goals?",
               "-2 opposes, -1 sceptical, 0 neutral, 1 supportive, 2 champion (number or word)."),
    "interest": ("optional", "How interested they are in what we do.", "0 (none) to 5 (very)."),
    "giving": ("optional", "Amount given to charity a year (for the civic core).",
               "A number of pounds, e.g. 120."),
    "themes": ("optional", "The priority themes they hold power over or care about.",
               "Theme ids separated by ';', e.g. health; housing (see the themes below)."),
    "age_band": ("optional", "Age band of a person (for who is missing).", "e.g. 16-24, 65+."),
    "org_code": ("optional", "Official code of a public body (GSS or ODS code).",
                 "e.g. E07000123 for a district council."),
    "private_...": ("optional", "Any column whose name starts with private_ (phone, email, "
                    "address) stays in this workbook and is never written to any output.",
                    "Any text."),
}
TIE_HELP = {
    "source": ("required", "The id of one actor.", "An id from the actors sheet."),
    "target": ("required", "The id of the other actor.", "An id from the actors sheet."),
    "kind": ("optional", "What the tie is (default: knows).", "Pick from the drop-down."),
    "directed": ("optional", "Does the tie go one way only (source -> target)?",
                 "yes or no; default: yes for funds, advises, influences, reports_to."),
    "strength": ("optional", "How strong the tie is (default 1).", "1 weak, 2 medium, 3 strong."),
    "sign": ("optional", "How the relationship is going.", "positive, neutral or strained."),
    "since": ("optional", "When the tie started.", "A date, e.g. 2021-04-01 or 01/04/2021."),
    "until": ("optional", "When the tie ended (leave empty if it still holds).", "A date."),
    "confirmed": ("optional", "When someone last checked this tie is still true.",
                  "A date; ties not confirmed for a year are flagged by `influence summary`."),
    "hours": ("optional", "Volunteering hours a year on a membership (for the civic core).",
              "A number, e.g. 40."),
    "notes": ("optional", "Anything else worth remembering.", "Any text."),
}
EXAMPLE_ACTORS = [
    ["partnership", "Our Big Local partnership", "big_local_partnership", "community", None,
     4, 2, 5, None, "health; housing", None, None],
    ["ann", "Ann (resident)", "resident", "community", "North estate", 2, 2, 5, 120,
     "health", "65+", None],
    ["cllr_patel", "Cllr Patel", "ward_councillor", "public", None, 4, 1, 3, None,
     "housing", None, None],
]
EXAMPLE_TIES = [
    ["ann", "partnership", "chairs", "no", 3, "positive", "2019-05-01", None, "2025-01-15", 200,
     None],
    ["ann", "cllr_patel", "knows", "no", 2, "positive", None, None, "2024-11-02", None,
     "met at the summer fair"],
]

#: action, about, owner, due, status, notes, added
EXAMPLE_ACTIONS = [["Ask Cllr Patel to meet the housing group", "cllr_patel", "ann", "2025-06-30",
                    "open", "the estate's repairs backlog", "2025-01-15"]]


def template(path, *, force: bool = False, examples: bool = True) -> Path:
    """Write a blank workbook for a map: sheets ``actors``, ``ties`` and ``README``.

    The ``kind``, ``stance``, ``strength``, tie ``kind``, ``directed`` and ``sign`` columns get
    drop-down lists (kinds and tie kinds still accept other words, with a warning).

    Parameters
    ----------
    path : str or path-like
        The ``.xlsx`` file to write.
    force : bool
        Overwrite ``path`` if it exists.
    examples : bool
        Include a couple of example rows (delete them before use).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import influence, tempfile, pathlib
    >>> out = influence.template(pathlib.Path(tempfile.mkdtemp()) / "area.xlsx")
    >>> influence.read(out)
    <InfluenceMap area: 3 actors, 2 ties>

    References
    ----------
    .. [1] Schiffer, E. and Hauck, J. (2010). Net-Map: collecting social network data and
       facilitating network learning through participatory influence network mapping.
       Field Methods 22(3), 231-249.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from .errors import OutputError
    from .output import atomic_write
    from .schema import STANCE_WORDS, TIE_KINDS, stakeholder_types

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"The template is an Excel workbook; {path.name!r} does not end in "
                          ".xlsx. Fix: name it e.g. area.xlsx.")
    kinds = stakeholder_types()
    wb = Workbook()
    actors = wb.active
    actors.title = "actors"
    ties = wb.create_sheet("ties")
    readme = wb.create_sheet("README")
    lists = wb.create_sheet("lists")
    bold = Font(bold=True)

    choices = {
        "kinds": list(kinds),
        "stances": [str(v) for v in range(-2, 3)] + list(STANCE_WORDS),
        "strengths": ["1", "2", "3"],
        "tie_kinds": list(TIE_KINDS),
        "yes_no": ["yes", "no"],
        "signs": ["positive", "neutral", "strained"],
    }
    ranges = {}
    for j, (key, values) in enumerate(choices.items(), start=1):
        letter = lists.cell(row=1, column=j).column_letter
        lists.cell(row=1, column=j, value=key).font = bold
        for i, v in enumerate(values, start=2):
            lists.cell(row=i, column=j, value=v)
        ranges[key] = f"lists!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"

    def sheet(ws, help_, rows, drops):
        headers = [h for h in help_ if h != "private_..."]
        ws.append(headers)
        for cell in ws[1]:
            cell.font = bold
        for row in rows if examples else []:
            ws.append(row)
        for j, h in enumerate(headers, start=1):
            letter = ws.cell(row=1, column=j).column_letter
            ws.column_dimensions[letter].width = max(12, len(h) + 4)
            if h in drops:
                key, strict = drops[h]
                dv = DataValidation(type="list", formula1=ranges[key], allow_blank=True,
                                    showErrorMessage=True, errorStyle="stop" if strict else
                                    "warning", errorTitle=f"Unusual {h}",
                                    error=f"{help_[h][2]}")
                dv.add(f"{letter}2:{letter}2000")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"

    sheet(actors, ACTOR_HELP, EXAMPLE_ACTORS,
          {"kind": ("kinds", False), "stance": ("stances", True)})
    sheet(ties, TIE_HELP, EXAMPLE_TIES,
          {"kind": ("tie_kinds", False), "strength": ("strengths", True),
           "directed": ("yes_no", True), "sign": ("signs", True)})
    from .actions import ACTION_HELP, add_actions_sheet

    add_actions_sheet(wb, examples=EXAMPLE_ACTIONS if examples else None)
    wb.move_sheet("actions", offset=2 - wb.sheetnames.index("actions"))

    readme.append(["How to fill in this workbook"])
    readme["A1"].font = Font(bold=True, size=14)
    readme.append(["One row per person or body on the actors sheet; one row per relationship on "
                   "the ties sheet. Then run: influence validate THIS_FILE.xlsx"])
    readme.append(["Delete the example rows before you start. Columns can be in any order; "
                   "headers ignore case, spaces and underscores."])
    readme.append([])
    readme.append(["sheet", "column", "required?", "what it means", "what to write"])
    for cell in readme[readme.max_row]:
        cell.font = bold
    for name, help_ in (("actors", ACTOR_HELP), ("ties", TIE_HELP), ("actions", ACTION_HELP)):
        for col, (req, meaning, allowed) in help_.items():
            readme.append([name, col, req, meaning, allowed])
    readme.append([])
    readme.append(["kind", "label", "category"])
    for cell in readme[readme.max_row]:
        cell.font = bold
    for type_id, row in kinds.items():
        readme.append([type_id, row.get("label", ""), row.get("category", "")])
    readme.append([])
    readme.append(["tie kind", "meaning"])
    for cell in readme[readme.max_row]:
        cell.font = bold
    for k, meaning in TIE_KINDS.items():
        readme.append([k, meaning])
    themes = _themes()
    if themes:
        readme.append([])
        readme.append(["theme", "name", "examples"])
        for cell in readme[readme.max_row]:
            cell.font = bold
        for row in themes:
            readme.append(row)
    for letter, width in zip("ABCDE", (24, 40, 12, 60, 70)):
        readme.column_dimensions[letter].width = width
    for row in readme.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    with atomic_write(path, force=force, mode=None) as tmp:
        wb.save(tmp)
    return path


def _themes():
    import csv
    from importlib import resources

    try:
        f = resources.files("influence") / "data" / "uk" / "themes.csv"
        with f.open(encoding="utf-8") as fh:
            return [[r["theme_id"], r["theme_name"], r.get("examples", "")]
                    for r in csv.DictReader(fh)]
    except (OSError, KeyError):  # pragma: no cover - reference data missing
        return []
