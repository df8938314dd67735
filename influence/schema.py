"""The canonical columns of an influence map, their dtypes, and the kinds of actor and tie.

This module is the single source of truth for the data format (README, "The input format"):
readers map user headers onto these names, validation checks values against them, writers emit them.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from ._catalogue import records

# --- columns -------------------------------------------------------------------------------
#: Actor columns (besides the ``id`` index) and their canonical dtype.
#: "list" columns hold tuples of strings (``themes``), written as ";"-separated text.
ACTOR_COLUMNS: dict[str, str] = {
    "name": "string",
    "kind": "string",
    "sector": "string",
    "sub_area": "string",
    "influence": "float64",
    "stance": "Int64",
    "interest": "float64",
    "giving": "float64",
    "themes": "list",
    "age_band": "string",
    "org_code": "string",
}

#: Tie columns and their canonical dtype. Ties have a plain RangeIndex.
TIE_COLUMNS: dict[str, str] = {
    "source": "string",
    "target": "string",
    "kind": "string",
    "directed": "bool",
    "strength": "float64",
    "sign": "string",
    "since": "datetime64[ns]",
    "until": "datetime64[ns]",
    "confirmed": "datetime64[ns]",
    "hours": "float64",
    "notes": "string",
}

#: Columns whose name starts with this prefix are private: never written to any export.
PRIVATE_PREFIX = "private_"

#: Sheet (or CSV file) names that hold the actors, and the ties, matched case-insensitively
#: (``elements``/``connections`` are Kumu's names, ``nodes``/``edges`` a graph's).
ACTOR_SHEETS = ("actors", "elements", "nodes")
TIE_SHEETS = ("ties", "connections", "edges", "links")

# --- tie kinds -----------------------------------------------------------------------------
TIE_KINDS: dict[str, str] = {
    "knows": "knows the other personally",
    "member_of": "is a member of a group or body",
    "chairs": "chairs a group or body",
    "volunteers_at": "volunteers at a group or body",
    "works_for": "is employed by (officer, worker, staff)",
    "represents": "represents (a councillor for a ward, a rep for a body)",
    "works_with": "works with (partners on projects)",
    "funds": "funds",
    "advises": "advises",
    "influences": "influences",
    "reports_to": "reports to",
}
DEFAULT_TIE_KIND = "knows"
#: Tie kinds that are directed unless the ``directed`` column says otherwise.
DIRECTED_TIE_KINDS = frozenset({"funds", "advises", "influences", "reports_to"})
#: Membership-like tie kinds: they make the people x groups affiliation network (civic core).
MEMBERSHIP_TIE_KINDS = frozenset({"member_of", "chairs", "volunteers_at", "works_for"})

STANCE_WORDS: dict[str, int] = {
    "opposes": -2,
    "sceptical": -1,
    "neutral": 0,
    "supportive": 1,
    "champion": 2,
}
STANCE_LABELS: dict[int, str] = {v: k for k, v in STANCE_WORDS.items()}


# --- actor kinds ---------------------------------------------------------------------------
#: Kinds the project adds to the catalogue's stakeholder types (people and roles the
#: Big Local programme has that no register lists).
EXTRA_KINDS: dict[str, tuple[str, str]] = {
    # type_id: (label, category)
    "person": ("Person (other individual)", "community"),
    "big_local_rep": ("Big Local rep", "community"),
    "worker": ("Paid worker / staff member", "community"),
    "working_group": ("Working group of the partnership", "community"),
}

#: Kinds that are individual people (pseudonymised by ``anonymise``; counted by the civic core).
PERSON_KINDS = frozenset(
    {
        "resident",
        "person",
        "big_local_rep",
        "worker",
        "parish_councillor",
        "ward_councillor",
        "county_councillor",
        "council_officer",
        "mp",
        "mayor",
    }
)
#: People who hold a public office or post: shown by their role when a map is anonymised.
OFFICE_HOLDER_KINDS = frozenset(
    {"parish_councillor", "ward_councillor", "county_councillor", "council_officer", "mp", "mayor"}
)
PARTNERSHIP_KIND = "big_local_partnership"
#: Tie kinds that make an actor part of the partnership's default focus (a member or chair).
FOCUS_TIE_KINDS = ("member_of", "chairs")
#: The kinds through which every Big Local partnership works with Local Trust, the programme's
#: national funder: its rep and its locally trusted organisation.
PROGRAMME_KINDS = ("big_local_rep", "locally_trusted_org")
#: Local Trust's name (case-folded), how a map names it when its id is not ``local_trust``.
LOCAL_TRUST_NAME = "local trust"
#: Public bodies with statutory power over a place, most powerful first (catalogue kinds).
POWER_BODY_KINDS = ("county_council", "unitary_council", "district_council", "icb",
                    "strategic_authority")


@lru_cache(maxsize=None)
def stakeholder_types() -> dict[str, dict[str, str]]:
    """The actor kinds: the catalogue's stakeholder types plus :data:`EXTRA_KINDS`.

    Returns
    -------
    dict
        ``type_id -> row`` (``label``, ``category``, ``level``, ``statutory``, ...).

    Examples
    --------
    >>> from influence.schema import stakeholder_types
    >>> stakeholder_types()["icb"]["category"]
    'nhs'
    """
    path = resources.files("influence") / "data" / "uk" / "stakeholder_types.csv"
    with path.open(encoding="utf-8") as fh:
        rows = {r["type_id"]: r for r in csv.DictReader(fh)}
    for type_id, (label, category) in EXTRA_KINDS.items():
        rows.setdefault(type_id, {"type_id": type_id, "label": label, "category": category})
    return rows


def is_person_kind(kind) -> bool:
    """True for kinds that are individual people."""
    return isinstance(kind, str) and kind in PERSON_KINDS


_ACRONYMS = {"nhs": "NHS", "vcse": "VCSE", "icb": "ICB", "pcn": "PCN", "gp": "GP", "mp": "MP",
             "pcc": "PCC", "uk": "UK"}


@lru_cache(maxsize=None)
def catalogue_labels(column: str) -> dict:
    """The catalogue's labels for a column's internal names: ``kind`` (stakeholder types, the
    "(e.g. ...)" note left out) and ``themes``; an empty dict for any other column."""
    if column == "kind":
        return {k: re.sub(r"\s*\(.*\)\s*$", "", r.get("label") or k).strip() or k
                for k, r in stakeholder_types().items()}
    if column in ("theme", "themes"):
        return {r["theme_id"]: r["theme_name"] for r in records("themes.csv")}
    return {}


def display_label(column: str, value) -> str:
    """The words a person reads for ``value`` of an actor column (``kind``, ``themes``, ...).

    Kinds and themes take the UK catalogue's labels (a kind's "(e.g. ...)" note left out);
    other internal names (``local_government``) become words ("Local government"); anything
    else (a name a user typed) is shown as it is.

    Examples
    --------
    >>> from influence.schema import display_label
    >>> display_label("kind", "council_officer")
    'Council officer'
    >>> display_label("themes", "community_spaces")
    'Community spaces, culture and leisure'
    >>> display_label("sector", "nhs"), display_label("sub_area", "North End")
    ('NHS', 'North End')
    """
    if not isinstance(value, str):
        return "" if value is None else str(value)
    known = catalogue_labels(column).get(value)
    if known:
        return known
    if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", value):
        words = [_ACRONYMS.get(w, w) for w in value.split("_")]
        text = " ".join(words)
        return text[:1].upper() + text[1:]
    return value
