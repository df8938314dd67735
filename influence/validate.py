"""Validation: raw tables (as read from a file or given as records) -> canonical frames.

Everything a user can get wrong in a spreadsheet is checked here, once, and every problem is
collected (up to a cap) so one report lists them all. Each :class:`~influence.errors.Problem`
names the file, sheet, spreadsheet row (header = row 1), column, bad value and fix.

* **Headers** are matched ignoring case, spaces, hyphens and underscores, with synonyms
  (``Label`` -> ``name``, ``Type`` -> ``kind``, ``From`` -> ``source``, ``To`` -> ``target`` ...).
* **Actor kinds** are the stakeholder types of the catalogue
  (:func:`influence.schema.stakeholder_types`) with friendly synonyms ("Cllr", "Parish Council",
  "Resident", "Big Local" ...). An unknown kind is kept as a custom kind (lower case, words
  joined by ``_``) with a warning naming the nearest known kinds.
* **Errors**: missing required column, empty or duplicate actor id, tie endpoint not an actor,
  unparseable number or date, value out of range, unknown stance/sign/directed word, a tie
  that ends (``until``) or is confirmed (``confirmed``) before it began (``since``).
  **Warnings**: custom kinds, duplicate ties, self-loops.

Reading single headers and cells (the synonym tables, :func:`resolve_kind`, numbers, dates) is
in :mod:`influence.parsing`; its public names are re-exported here.
"""

from __future__ import annotations

import math
import re

from .errors import Problem, ValidationError
from .parsing import (ACTOR_SYNONYMS, FALSE_WORDS, KIND_SYNONYMS, SIGN_WORDS, STANCE_SYNONYMS,
                      STRENGTH_FIX, STRENGTH_WORDS, TIE_KIND_SYNONYMS, TIE_SYNONYMS, TRUE_WORDS,
                      _as_id, _clean, _dates, _extra, _nearest, _number, _numbers, _slug,
                      _strings, header_key, resolve_kind, suggest_kinds)
from .schema import (ACTOR_COLUMNS, DEFAULT_TIE_KIND, DIRECTED_TIE_KINDS, PRIVATE_PREFIX,
                     STANCE_WORDS, TIE_COLUMNS, TIE_KINDS)

__all__ = ["Collector", "Table", "canonical_actors", "canonical_ties", "resolve_kind",
           "header_key", "ACTOR_SYNONYMS", "TIE_SYNONYMS", "KIND_SYNONYMS"]

MAX_PROBLEMS = 200


# --- problems ------------------------------------------------------------------------------
class Collector:
    """Collects problems; :meth:`raise_errors` raises one ValidationError listing them all."""

    def __init__(self, cap: int = MAX_PROBLEMS):
        self.cap = cap
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.truncated = 0

    def add(self, file, sheet, row, column, value, message, fix, severity="error"):
        bucket = self.errors if severity == "error" else self.warnings
        if len(bucket) >= self.cap:
            if severity == "error":
                self.truncated += 1
            return
        bucket.append(Problem(file, sheet, row, column, value, message, fix, severity))

    @staticmethod
    def _sorted(problems):
        return sorted(problems, key=lambda p: (p.file or "", p.sheet or "", p.row or 0))

    @property
    def problems(self) -> list[Problem]:
        """Errors then warnings, each in file, sheet and row order."""
        return self._sorted(self.errors) + self._sorted(self.warnings)

    def raise_errors(self):
        if self.errors:
            raise ValidationError(self._sorted(self.errors), truncated=self.truncated)


class Table:
    """A raw table: an object DataFrame, its spreadsheet row numbers, and where it came from."""

    #: True when the table lacks what its rows need (an actors table without ids).
    unreadable = False

    def __init__(self, frame, *, file=None, sheet=None, rows=None, labels=None):
        self.frame = frame
        self.file = file
        self.sheet = sheet
        self.rows = list(rows) if rows is not None else [i + 2 for i in range(len(frame))]
        #: canonical column -> the header as the user wrote it (problems name the latter)
        self.labels = labels if labels is not None else {}

    def subset(self, keep) -> Table:
        """The same file and sheet, restricted to the given positions (for row numbers)."""
        return Table(None, file=self.file, sheet=self.sheet, rows=[self.rows[i] for i in keep],
                     labels=self.labels)

    def add(self, col: Collector, i, column, value, message, fix, severity="error"):
        row = self.rows[i] if i is not None else None
        column = self.labels.get(column, column)
        col.add(self.file, self.sheet, row, column, value, message, fix, severity)

# --- headers ---------------------------------------------------------------------------------
def _headers(table: Table, synonyms: dict, col: Collector) -> dict:
    """Map the table's columns to canonical names (others kept, private ones normalised)."""
    lookup = {s: canon for canon, syns in synonyms.items() for s in syns}
    mapping, seen = {}, {}
    for h in table.frame.columns:
        key = header_key(h)
        if not key:
            continue
        canon = lookup.get(key)
        if canon is None:
            canon = (PRIVATE_PREFIX + _slug(key[len("private"):])
                     if key.startswith("private") else str(h).strip())
        if canon in seen:
            table.add(col, None, str(h), None,
                      f'two columns mean "{canon}" ("{seen[canon]}" and "{h}")',
                      "delete or rename one of them")
            continue
        seen[canon] = h
        mapping[h] = canon
        table.labels[canon] = str(h).strip()
    return mapping


# --- actors -----------------------------------------------------------------------------------
def canonical_actors(table: Table, col: Collector, *, default_kind: str | None = None):
    """Canonical actors frame (index ``id``) from a raw table; problems go to ``col``."""
    import pandas as pd

    mapping = _headers(table, ACTOR_SYNONYMS, col)
    raw = {canon: _clean(table.frame[h]) for h, canon in mapping.items()}
    n = len(table.frame)
    if "id" not in raw and "name" in raw:  # Kumu elements: the label is the id
        raw["id"] = list(raw["name"])
    for req in ("id",) + (("kind",) if default_kind is None else ()):
        if req not in raw:
            found = ", ".join(str(h) for h in table.frame.columns) or "no columns"
            table.add(col, None, req, None, f'required column "{req}" is missing',
                      f'add a column headed "{req}" (found: {found})')
    if "id" not in raw:
        raw["id"] = [None] * n
        table.unreadable = True  # no actor ids: ties cannot be checked against them
    ids = [_as_id(v) for v in raw["id"]]
    keep, first = [], {}
    for i, a in enumerate(ids):
        if a is None:
            if not table.unreadable and any(v[i] is not None for v in raw.values()):
                table.add(col, i, "id", None, "actor id is empty",
                          "give every actor an id, or delete the row")
            continue
        if a in first:
            table.add(col, i, "id", a, f"duplicate actor id (first used on row {table.rows[first[a]]})",
                      "give each actor its own id, or merge the two rows")
            continue
        first[a] = i
        keep.append(i)
    sub = table.subset(keep)
    vals = {c: [v[i] for i in keep] for c, v in raw.items()}
    out = {}
    names = vals.get("name", [None] * len(keep))
    out["name"] = _strings([nm if nm is not None else a for nm, a in
                            zip(names, [ids[i] for i in keep], strict=False)])
    kinds = []
    custom, cache = {}, {}
    for j, v in enumerate(vals.get("kind", [None] * len(keep))):
        if v is None:
            if default_kind is None and "kind" in vals:
                sub.add(col, j, "kind", None, "actor kind is empty",
                        "choose a kind from the template's list (e.g. resident, community_group, "
                        "ward_councillor)")
            kinds.append(default_kind)
            continue
        kind, known = cache[v] if v in cache else cache.setdefault(v, resolve_kind(v))
        if not known and kind not in custom:
            custom[kind] = j
            near = suggest_kinds(v)
            hint = (f"if you meant a known kind, use one of: {', '.join(near)}" if near else
                    "if you meant a known kind, see the list: `influence catalogue types`")
            sub.add(col, j, "kind", v, f'unknown kind "{kind}" kept as a custom kind', hint,
                    "warning")
        kinds.append(kind or None)
    out["kind"] = _strings(kinds)
    for c in ("sector", "sub_area"):
        out[c] = _strings(vals.get(c, [None] * len(keep)))
    for c in ("influence", "interest"):
        out[c] = _numbers(sub, vals.get(c, [None] * len(keep)), c, 0, 5,
                          "use a number from 0 (none) to 5 (a great deal)", col)
    out["stance"] = _stances(sub, vals.get("stance", [None] * len(keep)), col)
    out["giving"] = _numbers(sub, vals.get("giving", [None] * len(keep)), "giving", 0, None,
                             "write the amount given a year as a number, e.g. 120", col)
    out["themes"] = [_themes(v) for v in vals.get("themes", [None] * len(keep))]
    for c in ("age_band", "org_code"):
        out[c] = _strings([_as_id(v) for v in vals.get(c, [None] * len(keep))])
    frame = pd.DataFrame({c: out[c] for c in ACTOR_COLUMNS},
                         index=pd.Index([ids[i] for i in keep], dtype="string", name="id"))
    frame = frame.astype({c: t for c, t in ACTOR_COLUMNS.items() if t != "list"})
    frame["themes"] = pd.Series(out["themes"], index=frame.index, dtype=object)
    if "ok_to_name" in vals:  # optional yes/no: may this person be named in what we share?
        vals["ok_to_name"] = _ok_to_name(sub, vals["ok_to_name"], col)
    for c, v in vals.items():  # extra columns (an empty one is dropped)
        if c not in ACTOR_COLUMNS and c != "id" and any(x is not None for x in v):
            frame[c] = pd.Series(_extra(_finite(sub, c, v, col)), index=frame.index)
    return frame


def _finite(table, column, values, col):
    """An extra column's values, with infinite numbers (``inf``, ``1e400``, JSON's
    ``Infinity``) reported and left out: no analysis or output can use them."""
    out = list(values)
    for i, v in enumerate(out):
        if isinstance(v, float) and math.isinf(v):
            table.add(col, i, column, v, f"{column} must be a finite number",
                      "write an ordinary number, or leave the cell empty")
            out[i] = None
    return out


def _ok_to_name(table, values, col):
    out = []
    for j, v in enumerate(values):
        w = None if v is None or isinstance(v, bool) else str(v).strip().lower()
        if w is not None and w not in TRUE_WORDS | FALSE_WORDS:
            table.add(col, j, "ok_to_name", v, "ok_to_name must be yes or no",
                      "write yes (this person may be named in what we share) or no (show them "
                      "only by a pseudonym), or leave it empty")
        out.append(v if w is None else True if w in TRUE_WORDS else
                   False if w in FALSE_WORDS else None)
    return out


def _stances(table, values, col):
    import pandas as pd

    out = []
    words = {**STANCE_WORDS, **STANCE_SYNONYMS}
    words.update({header_key(w): x for w, x in STANCE_WORDS.items()})
    fix = "use a whole number from -2 to 2, or one of " + ", ".join(STANCE_WORDS)
    for i, v in enumerate(values):
        x = None
        if v is not None:
            x = words.get(header_key(v)) if isinstance(v, str) else None
            if x is None:
                num = _number(v)
                x = int(num) if num is not None and num.is_integer() and -2 <= num <= 2 else None
            if x is None:
                table.add(col, i, "stance", v, "stance must be -2..2 or a stance word", fix)
        out.append(x)
    return pd.array(out, dtype="Int64")


def _themes(v):
    if v is None:
        return ()
    items = v if isinstance(v, (tuple, list, set)) else re.split(r"[;|]", str(v))
    return tuple(s for s in (str(x).strip() for x in items) if s)


# --- ties -------------------------------------------------------------------------------------
def canonical_ties(table: Table, col: Collector, actor_ids, *, default_directed=None):
    """Canonical ties frame from a raw table; endpoints checked against ``actor_ids``."""
    import pandas as pd

    mapping = _headers(table, TIE_SYNONYMS, col)
    raw = {canon: _clean(table.frame[h]) for h, canon in mapping.items()}
    n = len(table.frame)
    absent = set()
    for req in ("source", "target"):
        if req not in raw:
            absent.add(req)
            found = ", ".join(str(h) for h in table.frame.columns) or "no columns"
            table.add(col, None, req, None, f'required column "{req}" is missing',
                      f'add a column headed "{req}" (found: {found})')
            raw[req] = [None] * n
    filled = [False] * n
    for v in raw.values():
        for i, x in enumerate(v):
            if x is not None:
                filled[i] = True
    keep = [i for i in range(n) if filled[i]]
    sub = table.subset(keep)
    vals = {c: [v[i] for i in keep] for c, v in raw.items()}
    m = len(keep)
    known = None if actor_ids is None else set(actor_ids)
    ends = {}
    for end in ("source", "target"):
        ends[end] = [_as_id(v) for v in vals[end]]
        for j, a in enumerate(ends[end]):
            if a is None:
                if end in absent:  # reported once, as a missing column
                    continue
                sub.add(col, j, end, None, f"tie {end} is empty",
                        f"write the id of an actor in the {end} column, or delete the row")
            elif known is not None and a not in known:
                near = _nearest(a, known, 1)
                hint = f' (did you mean "{near[0]}"?)' if near else ""
                sub.add(col, j, end, a, f"tie {end} is not an actor",
                        f'add "{a}" to the actors, or correct the id{hint}')
    kinds, custom, cache = [], set(), {}
    tie_lookup = {header_key(k): k for k in TIE_KINDS}
    tie_lookup.update({s: k for k, syns in TIE_KIND_SYNONYMS.items() for s in syns})
    for j, v in enumerate(vals.get("kind", [None] * m)):
        if v is None:
            kinds.append(DEFAULT_TIE_KIND)
            continue
        k = cache.get(v) if type(v) is str else None
        if k is None:
            k = tie_lookup.get(header_key(v)) or _slug(v)
            if type(v) is str:
                cache[v] = k
        if k not in TIE_KINDS and k not in custom:
            custom.add(k)
            near = _nearest(k, TIE_KINDS)
            sub.add(col, j, "kind", v, f'unknown tie kind "{k}" kept as a custom kind',
                    "if you meant a known kind, use one of: " + ", ".join(near or TIE_KINDS),
                    "warning")
        kinds.append(k)
    directed = []
    for j, v in enumerate(vals.get("directed", [None] * m)):
        d = None
        if isinstance(v, bool):
            d = v
        elif v is not None:
            w = str(v).strip().lower()
            d = True if w in TRUE_WORDS else False if w in FALSE_WORDS else None
            if d is None:
                sub.add(col, j, "directed", v, "directed must be yes or no",
                        "write yes (the tie goes one way) or no (it goes both ways)")
        if d is None:
            d = default_directed if default_directed is not None else kinds[j] in DIRECTED_TIE_KINDS
        directed.append(bool(d))
    strength = _numbers(sub, vals.get("strength", [None] * m), "strength", 1, 3,
                        STRENGTH_FIX, col, STRENGTH_WORDS)
    strength = [1.0 if x != x else x for x in strength]
    signs = []
    for j, v in enumerate(vals.get("sign", [None] * m)):
        s = None if v is None else SIGN_WORDS.get(str(v).strip().lower())
        if v is not None and s is None:
            sub.add(col, j, "sign", v, "sign must be positive, neutral or strained",
                    "write positive, neutral or strained")
        signs.append(s)
    frame = pd.DataFrame({
        "source": _strings(ends["source"]), "target": _strings(ends["target"]),
        "kind": _strings(kinds), "directed": pd.array(directed, dtype="bool"),
        "strength": pd.array(strength, dtype="float64"), "sign": _strings(signs),
        **{c: _dates(sub, vals.get(c, [None] * m), c, col) for c in ("since", "until",
                                                                     "confirmed")},
        "hours": _numbers(sub, vals.get("hours", [None] * m), "hours", 0, None,
                          "write the hours as a number, e.g. 4", col),
        "notes": _strings(vals.get("notes", [None] * m)),
    })
    frame = frame.astype({c: t for c, t in TIE_COLUMNS.items()})
    bad = frame["since"].notna() & frame["until"].notna() & (frame["until"] < frame["since"])
    for j in bad[bad].index:
        sub.add(col, j, "until", str(frame.at[j, "until"].date()), "until is before since",
                "check the two dates")
    bad = (frame["since"].notna() & frame["confirmed"].notna()
           & (frame["confirmed"] < frame["since"]))
    for j in bad[bad].index:
        sub.add(col, j, "confirmed", str(frame.at[j, "confirmed"].date()),
                f"confirmed is before since ({frame.at[j, 'since'].date()}): a tie cannot be "
                "confirmed before it began",
                "correct the date the tie began (since) or the date it was last confirmed")
    if "ok_to_name" in vals:  # optional yes/no: may this person be named in what we share?
        vals["ok_to_name"] = _ok_to_name(sub, vals["ok_to_name"], col)
    for c, v in vals.items():  # extra columns (an empty one is dropped)
        if c not in TIE_COLUMNS and any(x is not None for x in v):
            frame[c] = pd.Series(_extra(_finite(sub, c, v, col)), index=frame.index)
    _tie_warnings(sub, frame, col)
    return frame


def _tie_warnings(table, frame, col):
    seen = {}
    for j, (s, t, k, d) in enumerate(zip(frame["source"].tolist(), frame["target"].tolist(),
                                         frame["kind"].tolist(), frame["directed"].tolist(), strict=False)):
        if not isinstance(s, str) or not isinstance(t, str):
            continue
        if s == t:
            table.add(col, j, "target", t, "self-loop (a tie from an actor to itself) is ignored "
                      "by the analyses", "delete the row unless you mean it", "warning")
            continue
        key = (s, t, k) if d else (min(s, t), max(s, t), k)
        if key in seen:
            table.add(col, j, "source", s, f"duplicate tie {s} - {t} ({k}), also on row "
                      f"{table.rows[seen[key]]}", "delete one of the rows (the analyses keep "
                      "the strongest)", "warning")
        else:
            seen[key] = j
