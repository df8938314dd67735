"""Reading what people type in a spreadsheet: headers, kinds, words, numbers and dates.

The cell-level layer of :mod:`influence.validate` (which collects the problems and builds the
canonical frames):

* **Headers** are matched ignoring case, spaces, hyphens and underscores
  (:func:`header_key`), with synonyms (``Label`` -> ``name``, ``Type`` -> ``kind``,
  ``From`` -> ``source``, ``To`` -> ``target`` ...).
* **Actor kinds** are the stakeholder types of the catalogue
  (:func:`influence.schema.stakeholder_types`, matched by id or label) with friendly synonyms
  ("Cllr", "Parish Council", "Resident", "Big Local" ...); :func:`resolve_kind` turns an unknown
  kind into a custom kind (lower case, words joined by ``_``).
* **Words** for tie kinds, stance, sign, strength and yes/no.
* **Cells**: text is stripped of spaces and stray control characters; numbers may carry ``£``
  and thousands separators; dates may be ISO 8601, ``DD/MM/YYYY`` and the other spellings in
  :data:`DATE_FORMATS`; an extra column is typed only when all its values agree.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime

from .schema import stakeholder_types

__all__ = ["ACTOR_SYNONYMS", "TIE_SYNONYMS", "KIND_SYNONYMS", "TIE_KIND_SYNONYMS",
           "STANCE_SYNONYMS", "SIGN_WORDS", "STRENGTH_WORDS", "TRUE_WORDS", "FALSE_WORDS",
           "DATE_FORMATS", "DATE_FIX", "STRENGTH_FIX", "header_key", "resolve_kind",
           "suggest_kinds",
           # the cell helpers of :mod:`influence.validate`
           "object_array", "present_mask", "is_text", "take_rows", "value_codes", "spread_codes",
           "only_held",
           "first_of", "rows_with_codes", "clean_cells", "as_ids", "to_number", "number_column",
           "date_column", "string_array", "extra_column", "slug", "nearest_words"]

ACTOR_SYNONYMS = {
    "id": ["id", "actorid", "key", "nodeid", "identifier"],
    "name": ["name", "label", "fullname", "actorname"],
    "kind": ["kind", "type", "actortype", "actorkind", "elementtype", "stakeholdertype"],
    "sector": ["sector"],
    "sub_area": ["subarea", "village", "estate", "neighbourhood", "neighborhood"],
    "influence": ["influence", "power", "influencetower"],
    "stance": ["stance", "position", "attitude", "alignment"],
    "interest": ["interest"],
    "giving": ["giving", "donations", "charitablegiving"],
    "themes": ["themes", "theme", "priorities", "topics", "tags"],
    "age_band": ["ageband", "age", "agegroup", "agerange"],
    "org_code": ["orgcode", "gsscode", "odscode", "organisationcode"],
    "ok_to_name": ["oktoname", "oktoname?", "canname", "canbenamed", "consenttoname"],
}
TIE_SYNONYMS = {
    "source": ["source", "from", "sourceid", "actor1", "ego"],
    "target": ["target", "to", "targetid", "actor2", "alter"],
    "kind": ["kind", "type", "tiekind", "tietype", "connectiontype", "relationship", "relation"],
    "directed": ["directed", "direction", "isdirected"],
    "strength": ["strength", "tiestrength"],
    "sign": ["sign", "quality", "valence"],
    "since": ["since", "start", "startdate", "datefrom"],
    "until": ["until", "end", "enddate", "dateto"],
    "confirmed": ["confirmed", "lastconfirmed", "dateconfirmed", "checked", "lastchecked"],
    "hours": ["hours", "hoursperyear", "volunteeringhours"],
    "notes": ["notes", "note", "comment", "comments", "description"],
}
KIND_SYNONYMS = {
    "ward_councillor": ["councillor", "cllr", "districtcouncillor", "boroughcouncillor",
                        "citycouncillor", "localcouncillor"],
    "county_councillor": ["countycouncillor", "countycllr"],
    "parish_councillor": ["parishcouncillor", "towncouncillor", "parishcllr"],
    "parish_council": ["parishcouncil", "towncouncil", "parish"],
    "resident": ["resident", "individual", "localresident"],
    "big_local_partnership": ["partnership", "biglocal", "biglocalpartnership"],
    "community_group": ["group", "communitygroup", "residentsassociation", "tenantsassociation"],
    "council_officer": ["officer", "councilofficer", "clerk", "parishclerk", "townclerk",
                        "clerktothecouncil", "councilclerk"],
    "mp": ["mp", "memberofparliament"],
    "icb": ["icb", "integratedcareboard"],
    "locally_trusted_org": ["lto", "locallytrustedorganisation"],
    "vcse_org": ["charity", "vcse", "voluntaryorganisation", "voluntarygroup"],
    "faith_group": ["faith", "church", "mosque", "temple", "synagogue", "gurdwara", "chapel",
                    "vicar", "priest", "imam", "rabbi", "reverend", "rector", "pastor",
                    "placeofworship", "faithgroup", "parishchurch", "vicarage"],
    "fe_college_university": ["college", "university"],
    "local_business": ["business", "shop", "localbusiness"],
    "district_council": ["districtcouncil", "boroughcouncil", "citycouncil"],
    "unitary_council": ["unitary", "unitaryauthority", "unitarycouncil"],
    "police_force": ["police"],
    "gp_pcn": ["gp", "gppractice", "pcn", "surgery", "gpsurgery", "healthcentre",
               "medicalcentre", "medicalpractice", "doctors", "doctorssurgery",
               "primarycarenetwork", "socialprescriber"],
    "youth_org": ["youthclub", "youthgroup", "youthcentre", "youthorganisation", "scouts",
                  "guides", "brownies", "cubs", "cadets"],
    "nhs_trust": ["nhstrust", "hospital"],
    "local_media": ["media", "newspaper", "localpaper", "radio"],
    "big_local_rep": ["rep", "biglocalrep"],
    "worker": ["worker", "staff", "paidworker"],
    "working_group": ["workinggroup", "subgroup"],
}
TIE_KIND_SYNONYMS = {
    "member_of": ["member", "memberof", "ismemberof"],
    "chairs": ["chair", "chairs", "chairof"],
    "volunteers_at": ["volunteer", "volunteers", "volunteersat", "volunteersfor"],
    "works_for": ["worksfor", "employedby", "employee", "staffof"],
    "works_with": ["workswith", "partner", "partnerswith", "collaborates"],
    "knows": ["knows", "friend", "acquaintance", "contact"],
    "funds": ["funds", "funder", "funded"],
    "reports_to": ["reportsto", "managedby"],
}
#: Stance words beyond :data:`~influence.schema.STANCE_WORDS`, keyed by :func:`header_key`
#: (so "Very supportive" and "very-supportive" are the same word).
STANCE_SYNONYMS = {"opposed": -2, "oppose": -2, "against": -2, "supports": 1, "support": 1,
                   "supporter": 1, "verysupportive": 2, "stronglysupport": 2,
                   "stronglysupports": 2, "stronglysupportive": 2, "verysupport": 2,
                   "stronglyinfavour": 2, "veryagainst": -2, "stronglyagainst": -2,
                   "stronglyoppose": -2, "stronglyopposed": -2, "veryopposed": -2,
                   "stronglyopposes": -2, "sceptic": -1, "skeptical": -1, "unsure": 0,
                   "undecided": 0}
SIGN_WORDS = {"positive": "positive", "good": "positive", "+": "positive",
              "neutral": "neutral", "0": "neutral",
              "strained": "strained", "negative": "strained", "poor": "strained", "-": "strained"}
STRENGTH_WORDS = {"weak": 1.0, "medium": 2.0, "moderate": 2.0, "strong": 3.0}
#: The fix for a strength that is not 1-3 or a strength word.
STRENGTH_FIX = "use 1–3 or weak / medium / strong"
TRUE_WORDS = {"true", "yes", "y", "1", "directed", "t"}
FALSE_WORDS = {"false", "no", "n", "0", "undirected", "mutual", "f"}
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y",
                "%b %Y", "%B %Y")
DATE_FIX = "write the date as YYYY-MM-DD (e.g. 2024-03-31) or DD/MM/YYYY"


def header_key(text) -> str:
    """Normalise a header or word: lower case, no spaces, underscores, hyphens or slashes.

    Examples
    --------
    >>> from influence.parsing import header_key
    >>> header_key(" Sub_Area "), header_key("Parish-Council")
    ('subarea', 'parishcouncil')
    """
    return re.sub(r"[\s_\-/.'’]+", "", str(text).strip().lower())


def slug(text) -> str:
    """``text`` in lower case with each run of other characters than a-z and 0-9 as ``_``."""
    return re.sub(r"[^0-9a-z]+", "_", str(text).strip().lower()).strip("_")


def _known_kinds() -> dict[str, str]:
    known = {}
    for type_id, row in stakeholder_types().items():
        known[header_key(type_id)] = type_id
        if row.get("label"):
            known.setdefault(header_key(row["label"]), type_id)
    for type_id, syns in KIND_SYNONYMS.items():
        for s in syns:
            known[s] = type_id
    return known


_KNOWN = None


def resolve_kind(value) -> tuple[str, bool]:
    """The canonical actor kind for a user's word, and whether it is a known kind.

    Examples
    --------
    >>> from influence.parsing import resolve_kind
    >>> resolve_kind("Cllr"), resolve_kind("Parish Council"), resolve_kind("Allotment society")
    (('ward_councillor', True), ('parish_council', True), ('allotment_society', False))
    """
    global _KNOWN
    if _KNOWN is None:
        _KNOWN = _known_kinds()
    key = header_key(value)
    if key in _KNOWN:
        return _KNOWN[key], True
    return slug(value), False


def nearest_words(word, choices, n=3):
    """Up to ``n`` of ``choices`` that look like ``word`` (for a "did you mean" fix)."""
    return difflib.get_close_matches(str(word), list(choices), n=n, cutoff=0.5)


#: How close (difflib ratio) a typed kind must be to a known word to be suggested.
KIND_SUGGEST_CUTOFF = 0.8


def suggest_kinds(value, n=3) -> list[str]:
    """Known kinds that a mistyped kind is probably meant to be; none when nothing is close.

    Compares the typed word with every kind id, label and synonym (so "Councilor" finds
    ``ward_councillor``), and suggests only good matches: a look-alike that means something
    else ("vicar" and ``icb``) is not offered.

    Examples
    --------
    >>> from influence.parsing import suggest_kinds
    >>> suggest_kinds("Parish Councel"), suggest_kinds("druid")
    (['parish_council', 'parish_councillor'], [])
    """
    global _KNOWN
    if _KNOWN is None:
        _KNOWN = _known_kinds()
    near = difflib.get_close_matches(header_key(value), list(_KNOWN), n=4 * n,
                                     cutoff=KIND_SUGGEST_CUTOFF)
    return list(dict.fromkeys(_KNOWN[k] for k in near))[:n]


# --- cells -----------------------------------------------------------------------------------
#: Control characters that XML (GraphML, GEXF, XLSX) cannot hold; invisible in a spreadsheet.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def object_array(values):
    """A 1-d object array of ``values`` (tuples stay single values)."""
    import numpy as np

    if isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1:
        return values
    if not isinstance(values, (list, tuple)):
        values = list(values)
    if not any(isinstance(v, (tuple, list, set, dict, np.ndarray)) for v in values[:1]):
        try:
            out = np.array(values, dtype=object)
            if out.ndim == 1:
                return out
        except ValueError:
            pass
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out


def present_mask(values):
    """Boolean array: the cell holds a value (not None or NaN)."""
    import pandas as pd

    arr = object_array(values)
    memo = _memo(arr)
    if "present" not in memo:
        # text cells are never empty strings here, so truth is presence
        memo["present"] = arr.astype(bool) if is_text(arr) else pd.notna(arr)
    return memo["present"]


def is_text(values) -> bool:
    """True when every value is text or None (C speed: pandas' ``infer_dtype``)."""
    import numpy as np
    import pandas as pd

    if not isinstance(values, np.ndarray):
        return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    memo = _memo(values)
    if "text" not in memo:
        memo["text"] = pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    return memo["text"]


_MEMO: dict = {}


def _memo(arr) -> dict:
    """Facts about a column array (is it text, which cells hold values), worked out once:
    validation asks them of the same column several times. Keyed by the array's identity,
    checked through a weak reference, so a new array never inherits an old one's facts."""
    import weakref

    hit = _MEMO.get(id(arr))
    if hit is not None and hit[0]() is arr:
        return hit[1]
    if len(_MEMO) > 256:
        _MEMO.clear()
    facts: dict = {}
    _MEMO[id(arr)] = (weakref.ref(arr), facts)
    return facts


def take_rows(arr, idx):
    """``arr[idx]``, keeping what is known about ``arr`` (text; which cells hold values).

    ``idx``: increasing positions, each at most once; all of them gives ``arr`` itself (the
    callers never write into either)."""
    if len(idx) == len(arr):
        return arr
    out = arr[idx]
    facts = _MEMO.get(id(arr))
    if facts is not None and facts[0]() is arr:
        known = _memo(out)
        if "text" in facts[1]:
            known["text"] = facts[1]["text"]
        if "present" in facts[1]:
            known["present"] = facts[1]["present"][idx]
        if "codes" in facts[1]:
            codes, distinct = facts[1]["codes"]
            known["codes"] = only_held(codes[idx], distinct)
    return out


def only_held(codes, distinct, among=None):
    """``(codes, distinct)`` without the distinct values no cell holds any more (the rest
    renumbered in order; -1 stays -1), as :func:`value_codes` gives them. ``among``: the only
    codes that may have gone (those of the rows above a header, say); by default any."""
    import numpy as np

    if among is None:
        held = np.bincount(codes.astype(np.intp) + 1, minlength=len(distinct) + 1)[1:] > 0
        gone = np.flatnonzero(~held).tolist()
    else:
        gone = [g for g in sorted(set(among)) if g >= 0 and not (codes == g).any()]
    if not gone:
        return codes, distinct
    if len(gone) == 1:
        g = gone[0]
        return codes - (codes > g), distinct[:g] + distinct[g + 1:]
    keep = np.ones(len(distinct), dtype=bool)
    keep[gone] = False
    number = np.append(np.cumsum(keep) - 1, -1)  # code -1 (the last entry) stays -1
    return number[codes], [d for d, k in zip(distinct, keep, strict=True) if k]


def value_codes(values):
    """``(codes, distinct)``: ``values[i] == distinct[codes[i]]``, code -1 for None.

    Text is grouped by value, so per-cell work is done once per distinct word (a column of a
    100,000-row file holds a handful of kinds or strengths); other values (numbers, dates from
    a workbook) are taken one by one, as ``1``, ``1.0`` and ``True`` are equal but not the same.
    """
    import numpy as np
    import pandas as pd

    arr = object_array(values)
    known = _memo(arr).get("codes")  # numbered as it was read (the fast CSV reader)
    if known is not None:
        return known[0], list(known[1])
    if is_text(arr):
        if not present_mask(arr).any():
            return np.full(len(arr), -1, dtype=np.int64), []
        codes, distinct = pd.factorize(arr, use_na_sentinel=True)
        return codes, list(distinct)
    present = pd.notna(arr)
    codes = np.where(present, np.arange(len(arr)), -1)
    return codes, list(arr)


def spread_codes(codes, results, missing, *, dtype=object):
    """An array: ``results[code]`` per cell, ``missing`` where the code is -1 (of ``dtype``;
    an object array by default, whose results may be anything, tuples included).

    When every result is text or None, an object array comes with what :func:`is_text` and
    :func:`present_mask` would work out (from the codes, without a pass over its cells)."""
    import numpy as np

    if dtype is not object:
        return np.array(list(results) + [missing], dtype=dtype)[codes]
    table = np.empty(len(results) + 1, dtype=object)
    for i, r in enumerate(results):
        table[i] = r
    table[-1] = missing
    out = table[codes]
    if all(r is None or type(r) is str for r in table):
        facts = _memo(out)
        facts["text"] = True
        facts["present"] = np.array([bool(r) for r in table], dtype=bool)[codes]
    return out


def first_of(codes, k):
    """The first row holding each of the ``k`` codes."""
    import numpy as np

    held = np.flatnonzero(codes >= 0)
    first = np.full(k, len(codes), dtype=np.int64)
    np.minimum.at(first, codes[held], held)  # unbuffered: a code held twice keeps its first
    first[first == len(codes)] = -1
    return first


def rows_with_codes(codes, wanted):
    """Rows (ascending) whose code is one of ``wanted``."""
    import numpy as np

    if not len(wanted):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.isin(codes, np.asarray(list(wanted))))


def clean_cells(series, clean=False, present=None, codes=None):
    """Object series -> object array: strings stripped (and stray control characters
    removed, which no output format can hold), empty strings and NA as None. ``clean``: the
    cells are known to be clean text already (the fast CSV reader's), ``present`` which of
    them hold a value, and ``codes`` (``(codes, distinct)``) what :func:`value_codes` gives."""
    import pandas as pd

    if clean:
        arr = series.to_numpy(dtype=object)
        facts = _memo(arr)
        facts["text"] = True
        if present is not None:
            facts["present"] = present
        if codes is not None:
            facts["codes"] = codes
        return arr
    values = series.tolist()
    for i, v in enumerate(values):
        t = type(v)
        if t is str:
            if not v.isprintable():
                v = _CONTROL.sub("", v)
            values[i] = v.strip() or None
        elif v is None or t is tuple or t is int or t is bool:
            continue
        elif t is float:
            if v != v:
                values[i] = None
        elif not isinstance(v, (tuple, list, set, dict)) and pd.isna(v):
            values[i] = None
    return object_array(values)


def _as_id(v):
    if v is None:
        return None
    if type(v) is str:
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip() or None


def as_ids(values):
    """:func:`_as_id` of each value, as an object array (text needs no work)."""
    arr = object_array(values)
    if is_text(arr):
        return arr
    return object_array([_as_id(v) for v in arr])


def to_number(v):
    """A cell as a float (``£`` and thousands separators allowed), or None when it is not one."""
    t = type(v)
    if t is float or t is int:
        return float(v)
    if t is bool:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(v)
    except (TypeError, ValueError):
        pass
    try:
        return float(str(v).replace(",", "").replace("£", "").strip())
    except ValueError:
        return None


def _number_check(v, column, lo, hi, words):
    """A cell's number and the problem with it (None when fine)."""
    import math

    x = words.get(str(v).strip().lower()) if words and isinstance(v, str) else None
    x = to_number(v) if x is None else x
    if x is None or math.isnan(x):
        return math.nan, f"{column} is not a number"
    if math.isinf(x):
        return math.nan, f"{column} must be a finite number"
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        rng = f"between {lo:g} and {hi:g}" if hi is not None else f"at least {lo:g}"
        return math.nan, f"{column} must be {rng}"
    return x, None


def _plain_numbers(table, arr, column, lo, hi, fix, col):
    """:func:`number_column` of a column holding only numbers (a workbook's), checked as one
    array rather than cell by cell; None when it holds anything else (text, booleans)."""
    import numpy as np
    import pandas as pd

    if pd.api.types.infer_dtype(arr, skipna=True) not in ("integer", "floating",
                                                          "mixed-integer-float"):
        return None
    present = pd.notna(arr)
    xs = np.full(len(arr), np.nan)
    try:
        xs[present] = arr[present].astype(float)
    except (OverflowError, TypeError, ValueError):  # a number too big for a float
        return None
    with np.errstate(invalid="ignore"):
        bad = present & (np.isinf(xs) | (xs < lo if lo is not None else False)
                         | (xs > hi if hi is not None else False))
    for i in np.flatnonzero(bad):
        table.add(col, int(i), column, arr[i], _number_check(arr[i], column, lo, hi, None)[1],
                  fix)
    xs[bad] = np.nan
    return xs


def number_column(table, values, column, lo, hi, fix, col, words=None):
    """Float array of a number column; each bad cell reported (in row order) and NaN."""
    import numpy as np

    arr = object_array(values)
    if not is_text(arr):
        xs = _plain_numbers(table, arr, column, lo, hi, fix, col)
        if xs is not None:
            return xs
    codes, distinct = value_codes(arr)
    if not len(distinct) or (codes < 0).all():
        return np.full(len(arr), np.nan)
    checked = [_number_check(v, column, lo, hi, words) for v in distinct]
    bad = [c for c, (_, msg) in enumerate(checked) if msg]
    for i in rows_with_codes(codes, bad):
        table.add(col, int(i), column, arr[i], checked[codes[i]][1], fix)
    return spread_codes(codes, [x for x, _ in checked], np.nan, dtype=float)


def _date(v):
    import pandas as pd

    if isinstance(v, datetime):
        ts = pd.Timestamp(v)
    elif hasattr(v, "year") and hasattr(v, "month"):  # date
        ts = pd.Timestamp(v)
    else:
        text = str(v).strip()
        ts = None
        if re.fullmatch(r"\d{4}(-\d{2}(-\d{2}([T ][\d:.]+)?)?)?", text):
            try:
                ts = pd.Timestamp(text)
            except ValueError:
                ts = None
        for fmt in DATE_FORMATS if ts is None else ():
            try:
                ts = pd.Timestamp(datetime.strptime(text, fmt))
                break
            except ValueError:
                continue
        if ts is None:
            return None
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def date_column(table, values, column, col):
    """Datetime series of a date column; each bad cell reported (in row order) and NaT."""
    import numpy as np
    import pandas as pd

    arr = object_array(values)
    codes, distinct = value_codes(arr)
    if (codes < 0).all():
        return pd.Series(np.full(len(arr), np.datetime64("NaT", "ns")))
    parsed = [_date(v) for v in distinct]
    for i in rows_with_codes(codes, [c for c, ts in enumerate(parsed) if ts is None]):
        table.add(col, int(i), column, arr[i], f"{column} is not a date", DATE_FIX)
    table_ = pd.Series([pd.NaT if ts is None else ts for ts in parsed] + [pd.NaT],
                       dtype="datetime64[ns]")
    return pd.Series(table_.to_numpy()[np.asarray(codes)], dtype="datetime64[ns]")


def string_array(values):
    """The values as a pandas string array (None stays missing, anything else ``str``)."""
    import pandas as pd

    arr = object_array(values)
    if is_text(arr):
        if not present_mask(arr).any():  # an empty column: no cell to convert
            return pd.Series(pd.NA, index=range(len(arr)), dtype="string").array
        return pd.array(arr, dtype="string")
    return pd.array([None if v is None else str(v) for v in arr], dtype="string")


def extra_column(values):
    """An extra column's values, typed: text, numbers, booleans or dates where all agree."""
    import pandas as pd

    if is_text(values):
        return string_array(values)
    present = [v for v in values if v is not None]
    if not present or all(isinstance(v, str) for v in present):
        return string_array(values)
    if all(isinstance(v, bool) for v in present):
        return pd.array(values, dtype="boolean")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pd.array(values, dtype="Int64")
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pd.array([float("nan") if v is None else float(v) for v in values], dtype="float64")
    if all(isinstance(v, datetime) for v in present):
        dates = pd.Series([pd.NaT if v is None else v for v in values])
        return dates.astype("datetime64[ns]").array
    if all(isinstance(v, (tuple, list)) for v in present):
        return pd.array([None if v is None else tuple(v) for v in values], dtype=object)
    return pd.array(values, dtype=object)
