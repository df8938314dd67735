"""A blank workbook for a partnership to fill in: ``actors`` and ``ties`` sheets with drop-down
lists, a couple of example rows, and a README sheet that explains every column."""

from __future__ import annotations

from pathlib import Path

from ._actions_io import ACTION_HELP, add_actions_sheet
from .errors import OutputError
from .output import atomic_write, text_only
from .parsing import slug
from .schema import STANCE_WORDS, TIE_KINDS, stakeholder_types

__all__ = ["template", "area_actors", "ACTOR_HELP", "TIE_HELP"]

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
    "ok_to_name": ("optional", "May this person be named in what we share (share.html, maps "
                   "made with --share)?", "yes or no. no: always shown by a pseudonym such as "
                   "'Resident 7F3A'. Leave empty for bodies."),
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
#: "Mapping people fairly": the README sheet's guidance (the README's section says the same).
FAIR_MAPPING = [
    ("What to record", "Only what the partnership needs to find routes to power: names, roles, "
     "the groups people belong to and who knows whom. Never record a person's health, religion "
     "or beliefs, politics, ethnicity, sexuality or immigration status (special category data "
     "under UK GDPR). A faith group or a political party can be on the map as a body."),
    ("Lawful basis", "Before you record people, agree your lawful basis (usually legitimate "
     "interests: write down why the map is needed and why it does not harm the people on it; "
     "or consent) and note it in your minutes."),
    ("Tell people", "Tell people they are on the map, what it is for and who sees it. Take "
     "anyone off who asks. Write no in ok_to_name for anyone who does not want to be named in "
     "what you share."),
    ("Keep it short", "Keep the map only as long as you need it: after each review, delete the "
     "maps and reviews you no longer use. Phone numbers, emails and addresses go in private_ "
     "columns, which are never exported."),
    ("Who sees what", "report.html, review.xlsx and the CSV files are the partnership's working "
     "copy: they hold judgements about named people (stance, influence, hours). Only partnership "
     "members see them. Circulate share.html, and maps made with --share, instead."),
]
EXAMPLE_ACTORS = [
    ["partnership", "Our Big Local partnership", "big_local_partnership", "community", None,
     4, 2, 5, None, "health; housing", None, None, None],
    ["ann", "Ann (resident)", "resident", "community", "North estate", 2, 2, 5, 120,
     "health", "65+", None, "yes"],
    ["cllr_patel", "Cllr Patel", "ward_councillor", "public", None, 4, 1, 3, None,
     "housing", None, None, None],
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


def template(path, *, force: bool = False, examples: bool = True, area=None,
             as_at=None) -> Path:
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
        Include a couple of example rows (delete them before use; left out with ``area``).
    area : str, optional
        A council's GSS code or name: the actors sheet starts with the real bodies that hold
        power there (see :func:`area_actors`).
    as_at : str or datetime.date, optional
        The date the area's bodies are as at (default today).

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

    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".ods"):
        raise OutputError(f"The template is a workbook; {path.name!r} does not end in "
                          ".xlsx or .ods. Fix: name it e.g. area.xlsx (or area.ods).")
    starter = None if area is None else area_actors(area, as_at=as_at)
    examples = examples and starter is None
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
          {"kind": ("kinds", False), "stance": ("stances", True),
           "ok_to_name": ("yes_no", True)})
    sheet(ties, TIE_HELP, EXAMPLE_TIES,
          {"kind": ("tie_kinds", False), "strength": ("strengths", True),
           "directed": ("yes_no", True), "sign": ("signs", True)})
    add_actions_sheet(wb, examples=EXAMPLE_ACTIONS if examples else None)
    wb.move_sheet("actions", offset=2 - wb.sheetnames.index("actions"))

    readme.append(["How to fill in this workbook"])
    readme["A1"].font = Font(bold=True, size=14)
    readme.append(["One row per person or body on the actors sheet; one row per relationship on "
                   "the ties sheet. Then run: influence validate THIS_FILE.xlsx"])
    readme.append(["Delete the example rows before you start. Columns can be in any order; "
                   "headers ignore case, spaces and underscores. Before you add anyone, read "
                   "'Mapping people fairly' at the bottom of this sheet."])
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
    readme.append([])
    readme.append(["Mapping people fairly"])
    readme[readme.max_row][0].font = Font(bold=True, size=14)
    for heading, text in FAIR_MAPPING:
        readme.append([heading, text])
        readme[readme.max_row][0].font = bold
    for letter, width in zip("ABCDE", (24, 40, 12, 60, 70), strict=False):
        readme.column_dimensions[letter].width = width
    for row in readme.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    text_only(wb)  # every text cell is text, never a formula

    if starter is not None:
        _fill_actors(actors, starter)
    with atomic_write(path, force=force, mode=None) as tmp:
        _save_ods(wb, tmp) if path.suffix.lower() == ".ods" else wb.save(tmp)
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


# --- a starter workbook for a real area ---------------------------------------------------------
#: The extra actor columns a starter workbook adds (the body's territory, and what to check).
AREA_COLUMNS = ("place", "verify")


def area_actors(code_or_name, *, as_at=None):
    """The real bodies that hold power in an area, as rows for the actors sheet.

    From the UK catalogue (:func:`influence.uk.area`): the councils by tier, the ward (and
    county division) councillors' seats, the parish and town councils, the ICB, the police force
    and its governance (PCC), the community safety partnership, fire and rescue, and the MPs.
    Each gets its stakeholder type as ``kind``, its GSS or ODS code as ``org_code``, the themes
    it holds a power for in the power matrix, its territory (``place``) and, where the catalogue
    marks the row as derived or curated, a ``verify`` note to check before relying on it.

    Parameters
    ----------
    code_or_name : str
        A council's GSS code or name (e.g. ``"E07000062"`` or ``"Hastings"``).
    as_at : str or datetime.date, optional
        The date the bodies are as at (default today).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``kind``, ``sector``, ``themes``, ``org_code``, ``place``,
        ``verify``; one row per body or seat.

    Examples
    --------
    >>> from influence.template import area_actors
    >>> rows = area_actors("E07000062", as_at="2025-06-01")
    >>> rows.loc[rows.kind == "county_council", ["id", "org_code"]].values.tolist()
    [['east_sussex_county_council', 'E10000011']]

    References
    ----------
    .. [1] Office for National Statistics, Open Geography Portal: local authority, ward and
       parish lookups (see ``influence catalogue manifest``).
    """
    import pandas as pd

    from . import uk

    a = uk.area(code_or_name, as_at=as_at)
    pm = uk.power_matrix()
    themes = {t: "; ".join(dict.fromkeys(g["theme_id"]))
              for t, g in pm.groupby("holder_type_id", sort=False)}
    rows, seen = [], set()
    # a unitary council fills the lower, upper and unitary tiers: one actor
    bodies = a.bodies.drop_duplicates(subset=["type_id", "code", "name"])
    for b in bodies.itertuples(index=False):
        base = slug(b.name) or slug(b.code)
        ident, n = base, 1
        while ident in seen:
            n += 1
            ident = f"{base}_{slug(b.code)}" if n == 2 else f"{base}_{n}"
        seen.add(ident)
        verify = ""
        if b.verify:
            verify = "verify: " + (b.note or f"{b.basis} row; check it before relying on it")
        rows.append({"id": ident, "name": b.name, "kind": b.type_id, "sector": "public",
                     "themes": themes.get(b.type_id, ""), "org_code": b.code,
                     "place": b.place, "verify": verify})
    return pd.DataFrame(rows, columns=["id", "name", "kind", "sector", "themes", "org_code",
                                       *AREA_COLUMNS])


def _fill_actors(ws, rows):
    """Write starter rows under the actors sheet's headers (adding the area's extra columns)."""
    from copy import copy

    headers = [c.value for c in ws[1]]
    font = copy(ws.cell(row=1, column=1).font)
    for extra in AREA_COLUMNS:
        if extra not in headers:
            headers.append(extra)
            cell = ws.cell(row=1, column=len(headers), value=extra)
            cell.font = font
            ws.column_dimensions[cell.column_letter].width = 30
    where = {h: j for j, h in enumerate(headers, start=1)}
    for i, rec in enumerate(rows.to_dict("records"), start=2):
        for key, value in rec.items():
            if key in where and value not in ("", None):
                ws.cell(row=i, column=where[key], value=value)


def _save_ods(wb, tmp):
    """Save an openpyxl workbook's values as an OpenDocument spreadsheet (LibreOffice's .ods).

    Through pandas' ``odf`` writer (odfpy): the cell values and sheets are kept; drop-down
    lists and styles are Excel features and are left out (the README sheet lists the choices).
    """
    import pandas as pd

    with pd.ExcelWriter(tmp, engine="odf") as xw:
        for ws in wb.worksheets:
            if ws.sheet_state == "hidden":
                continue
            values = [list(r) for r in ws.iter_rows(values_only=True)]
            pd.DataFrame(values).to_excel(xw, sheet_name=ws.title, index=False, header=False)
