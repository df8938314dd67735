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
                      as_ids, clean_cells, date_column, extra_column, first_of, header_key,
                      is_text, nearest_words, number_column, object_array, present_mask,
                      resolve_kind, rows_with_codes, slug, spread_codes, string_array,
                      suggest_kinds, take_rows, to_number, value_codes)
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

    def full(self, severity="error") -> bool:
        """True when no more problems of this severity are listed (only counted)."""
        return len(self.errors if severity == "error" else self.warnings) >= self.cap

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
    #: True when the cells are already cleaned (text stripped, no control characters, empty
    #: cells None): the fast CSV reader's tables, which also know which cells hold a value
    #: (``present``: one boolean array per column).
    clean = False
    present = None
    #: Per column, None or ``(codes, distinct)``: its cells numbered among their distinct
    #: texts (-1: empty), as the fast CSV reader's parser numbered them.
    codes = None

    def __init__(self, frame, *, file=None, sheet=None, rows=None, labels=None):
        self.frame = frame
        self.file = file
        self.sheet = sheet
        #: each row's spreadsheet row number (a list, or a range when they follow on)
        self.rows = (rows if isinstance(rows, (list, range)) else list(rows) if rows is not None
                     else range(2, len(frame) + 2))
        #: canonical column -> the header as the user wrote it (problems name the latter)
        self.labels = labels if labels is not None else {}

    def column(self, h):
        """Column ``h``'s cells, cleaned (:func:`influence.parsing.clean_cells`)."""
        present = codes = None
        if self.present is not None:
            pos = self.frame.columns.get_loc(h)
            if isinstance(pos, int):
                present = self.present[pos]
                codes = None if self.codes is None else self.codes[pos]
        return clean_cells(self.frame[h], self.clean, present, codes)

    def subset(self, keep) -> Table:
        """The same file and sheet, restricted to the given positions (for row numbers).

        ``keep``: increasing positions, each at most once (so keeping as many as there are
        rows keeps them all)."""
        if len(keep) == len(self.rows):
            rows = self.rows
        else:
            rows = list(map(self.rows.__getitem__, getattr(keep, "tolist", lambda: keep)()))
        return Table(None, file=self.file, sheet=self.sheet, rows=rows, labels=self.labels)

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
            canon = (PRIVATE_PREFIX + slug(key[len("private"):])
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
    """Canonical actors frame (index ``id``) from a raw table; problems go to ``col``.

    Column at a time: per-cell work is done once per distinct value, and problems are
    reported row by row in spreadsheet order.
    """
    import numpy as np
    import pandas as pd

    mapping = _headers(table, ACTOR_SYNONYMS, col)
    raw = {canon: table.column(h) for h, canon in mapping.items()}
    n = len(table.frame)
    if "id" not in raw and "name" in raw:  # Kumu elements: the label is the id
        raw["id"] = raw["name"].copy()
    for req in ("id",) + (("kind",) if default_kind is None else ()):
        if req not in raw:
            found = ", ".join(str(h) for h in table.frame.columns) or "no columns"
            table.add(col, None, req, None, f'required column "{req}" is missing',
                      f'add a column headed "{req}" (found: {found})')
    if "id" not in raw:
        raw["id"] = np.full(n, None, dtype=object)
        table.unreadable = True  # no actor ids: ties cannot be checked against them
    ids = as_ids(raw["id"])

    codes, distinct = value_codes(ids)
    has_id = codes >= 0
    first = first_of(codes, len(distinct))
    dup = np.zeros(n, dtype=bool)
    if len(distinct):
        dup = has_id & (first[np.where(has_id, codes, 0)] != np.arange(n))
    empty = ~has_id
    if not table.unreadable and empty.any():
        filled = np.zeros(n, dtype=bool)
        for v in raw.values():
            filled |= present_mask(v)
        empty &= filled
    else:
        empty[:] = False
    for i in np.flatnonzero(empty | dup):  # in row order, as a reader would go down the sheet
        if empty[i]:
            table.add(col, int(i), "id", None, "actor id is empty",
                      "give every actor an id, or delete the row")
        else:
            a = ids[i]
            table.add(col, int(i), "id", a,
                      f"duplicate actor id (first used on row {table.rows[first[codes[i]]]})",
                      "give each actor its own id, or merge the two rows")
    keep = np.flatnonzero(has_id & ~dup)
    sub = table.subset(keep)
    vals = {c: take_rows(v, keep) for c, v in raw.items()}
    m = len(keep)
    none = np.full(m, None, dtype=object)
    kept_ids = take_rows(ids, keep)
    out = {}
    names = vals.get("name", none)
    out["name"] = string_array(np.where(present_mask(names), names, kept_ids))
    kcodes, kdistinct = value_codes(vals.get("kind", none))
    resolved = [resolve_kind(v) for v in kdistinct]
    if default_kind is None and "kind" in vals:
        for j in np.flatnonzero(kcodes < 0):
            sub.add(col, int(j), "kind", None, "actor kind is empty",
                    "choose a kind from the template's list (e.g. resident, community_group, "
                    "ward_councillor)")
    custom = {}
    for c, (kind, known) in enumerate(resolved):
        if not known and kind not in custom:
            custom[kind] = c
    kfirst = first_of(kcodes, len(kdistinct))
    for j, c in sorted((kfirst[c], c) for c in custom.values()):  # at its first row
        kind, v = resolved[c][0], kdistinct[c]
        near = suggest_kinds(v)
        hint = (f"if you meant a known kind, use one of: {', '.join(near)}" if near else
                "if you meant a known kind, see the list: `influence catalogue types`")
        sub.add(col, int(j), "kind", v, f'unknown kind "{kind}" kept as a custom kind', hint,
                "warning")
    out["kind"] = string_array(spread_codes(kcodes, [k or None for k, _ in resolved], default_kind))
    for c in ("sector", "sub_area"):
        out[c] = string_array(vals.get(c, none))
    for c in ("influence", "interest"):
        out[c] = number_column(sub, vals.get(c, none), c, 0, 5,
                          "use a number from 0 (none) to 5 (a great deal)", col)
    out["stance"] = _stances(sub, vals.get("stance", none), col)
    out["giving"] = number_column(sub, vals.get("giving", none), "giving", 0, None,
                             "write the amount given a year as a number, e.g. 120", col)
    tcodes, tdistinct = value_codes(vals.get("themes", none))
    out["themes"] = spread_codes(tcodes, [_themes(v) for v in tdistinct], ())
    for c in ("age_band", "org_code"):
        out[c] = string_array(as_ids(vals.get(c, none)))
    frame = pd.DataFrame({c: out[c] for c in ACTOR_COLUMNS if c != "themes"},
                         index=pd.Index(string_array(kept_ids), dtype="string", name="id"),
                         copy=False)  # every column is made here, for this frame alone
    frame = frame.astype({c: t for c, t in ACTOR_COLUMNS.items() if t != "list"})
    frame["themes"] = pd.Series(out["themes"], index=frame.index, dtype=object)
    frame = frame[list(ACTOR_COLUMNS)]
    if "ok_to_name" in vals:  # optional yes/no: may this person be named in what we share?
        vals["ok_to_name"] = _ok_to_name(sub, vals["ok_to_name"], col)
    for c, v in vals.items():  # extra columns (an empty one is dropped)
        if c not in ACTOR_COLUMNS and c != "id" and present_mask(v).any():
            frame[c] = pd.Series(extra_column(_finite(sub, c, v, col)), index=frame.index)
    return frame


def _finite(table, column, values, col):
    """An extra column's values, with infinite numbers (``inf``, ``1e400``, JSON's
    ``Infinity``) reported and left out: no analysis or output can use them."""
    if is_text(values):
        return values
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


def _stance(v, words):
    x = words.get(header_key(v)) if isinstance(v, str) else None
    if x is None:
        num = to_number(v)
        x = int(num) if num is not None and num.is_integer() and -2 <= num <= 2 else None
    return x


def _stances(table, values, col):
    import numpy as np
    import pandas as pd

    words = {**STANCE_WORDS, **STANCE_SYNONYMS}
    words.update({header_key(w): x for w, x in STANCE_WORDS.items()})
    fix = "use a whole number from -2 to 2, or one of " + ", ".join(STANCE_WORDS)
    codes, distinct = value_codes(values)
    xs = [_stance(v, words) for v in distinct]
    for i in rows_with_codes(codes, [c for c, x in enumerate(xs) if x is None]):
        table.add(col, int(i), "stance", values[i], "stance must be -2..2 or a stance word", fix)
    return pd.arrays.IntegerArray(spread_codes(codes, [x or 0 for x in xs], 0, dtype=np.int64),
                                  spread_codes(codes, [x is None for x in xs], True, dtype=bool))


def _themes(v):
    if v is None:
        return ()
    items = v if isinstance(v, (tuple, list, set)) else re.split(r"[;|]", str(v))
    return tuple(s for s in (str(x).strip() for x in items) if s)


# --- ties -------------------------------------------------------------------------------------
def canonical_ties(table: Table, col: Collector, actor_ids, *, default_directed=None):
    """Canonical ties frame from a raw table; endpoints checked against ``actor_ids``.

    Column at a time, like :func:`canonical_actors`.
    """
    import numpy as np
    import pandas as pd

    mapping = _headers(table, TIE_SYNONYMS, col)
    raw = {canon: table.column(h) for h, canon in mapping.items()}
    n = len(table.frame)
    absent = set()
    for req in ("source", "target"):
        if req not in raw:
            absent.add(req)
            found = ", ".join(str(h) for h in table.frame.columns) or "no columns"
            table.add(col, None, req, None, f'required column "{req}" is missing',
                      f'add a column headed "{req}" (found: {found})')
            raw[req] = np.full(n, None, dtype=object)
    filled = np.zeros(n, dtype=bool)
    for v in raw.values():
        filled |= present_mask(v)
    keep = np.flatnonzero(filled)
    sub = table.subset(keep)
    vals = {c: take_rows(v, keep) for c, v in raw.items()}
    m = len(keep)
    none = np.full(m, None, dtype=object)
    ends = {end: as_ids(vals[end]) for end in ("source", "target")}
    codes = {} if actor_ids is None else _positions(actor_ids, ends["source"], ends["target"])
    known = None
    for end in ("source", "target"):
        missing = ~present_mask(ends[end])
        unknown = np.zeros(m, dtype=bool)
        if codes:
            unknown = ~missing & (codes[end] < 0)
        if end in absent:  # reported once, as a missing column
            missing[:] = False
        for j in np.flatnonzero(missing | unknown):
            a = ends[end][j]
            if missing[j]:
                sub.add(col, int(j), end, None, f"tie {end} is empty",
                        f"write the id of an actor in the {end} column, or delete the row")
            else:  # (a full report only counts the problem: no look-up for a suggestion)
                if known is None and not col.full():
                    known = pd.unique(object_array(actor_ids))
                near = [] if col.full() else nearest_words(a, known, 1)
                hint = f' (did you mean "{near[0]}"?)' if near else ""
                sub.add(col, int(j), end, a, f"tie {end} is not an actor",
                        f'add "{a}" to the actors, or correct the id{hint}')
    tie_lookup = {header_key(k): k for k in TIE_KINDS}
    tie_lookup.update({s: k for k, syns in TIE_KIND_SYNONYMS.items() for s in syns})
    kcodes, kdistinct = value_codes(vals.get("kind", none))
    resolved = [tie_lookup.get(header_key(v)) or slug(v) for v in kdistinct]
    custom = {}
    for c, k in enumerate(resolved):
        if k not in TIE_KINDS and k not in custom:
            custom[k] = c
    kfirst = first_of(kcodes, len(kdistinct))
    for j, c in sorted((kfirst[c], c) for c in custom.values()):  # at its first row
        k = resolved[c]
        near = nearest_words(k, TIE_KINDS)
        sub.add(col, int(j), "kind", kdistinct[c], f'unknown tie kind "{k}" kept as a custom kind',
                "if you meant a known kind, use one of: " + ", ".join(near or TIE_KINDS),
                "warning")
    kinds = spread_codes(kcodes, resolved, DEFAULT_TIE_KIND)
    kind_ids, _ = pd.factorize(object_array(resolved + [DEFAULT_TIE_KIND]))
    kind_codes = kind_ids[kcodes]  # one integer per tie kind (code -1 takes the default's)
    dcodes, ddistinct = value_codes(vals.get("directed", none))
    words = [_directed(v) for v in ddistinct]
    for j in rows_with_codes(dcodes, [c for c, d in enumerate(words) if d is None]):
        sub.add(col, int(j), "directed", ddistinct[dcodes[j]], "directed must be yes or no",
                "write yes (the tie goes one way) or no (it goes both ways)")
    given = spread_codes(dcodes, [-1 if d is None else int(d) for d in words], -1, dtype=np.int8)
    default = (np.full(m, bool(default_directed)) if default_directed is not None else
               spread_codes(kcodes, [k in DIRECTED_TIE_KINDS for k in resolved],
                            DEFAULT_TIE_KIND in DIRECTED_TIE_KINDS, dtype=bool))
    directed = np.where(given >= 0, given == 1, default)  # a cell's yes or no, else the kind's
    strength = number_column(sub, vals.get("strength", none), "strength", 1, 3,
                        STRENGTH_FIX, col, STRENGTH_WORDS)
    strength = np.where(np.isnan(strength), 1.0, strength)
    scodes, sdistinct = value_codes(vals.get("sign", none))
    signs = [SIGN_WORDS.get(str(v).strip().lower()) for v in sdistinct]
    for j in rows_with_codes(scodes, [c for c, x in enumerate(signs) if x is None]):
        sub.add(col, int(j), "sign", sdistinct[scodes[j]],
                "sign must be positive, neutral or strained", "write positive, neutral or strained")
    frame = pd.DataFrame({
        "source": string_array(ends["source"]), "target": string_array(ends["target"]),
        "kind": string_array(kinds), "directed": pd.array(directed, dtype="bool"),
        "strength": pd.array(strength, dtype="float64"),
        "sign": string_array(spread_codes(scodes, signs, None)),
        **{c: date_column(sub, vals.get(c, none), c, col) for c in ("since", "until",
                                                               "confirmed")},
        "hours": number_column(sub, vals.get("hours", none), "hours", 0, None,
                          "write the hours as a number, e.g. 4", col),
        "notes": string_array(vals.get("notes", none)),
    }, copy=False)  # every column is made here, for this frame alone
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
        if c not in TIE_COLUMNS and present_mask(v).any():
            frame[c] = pd.Series(extra_column(_finite(sub, c, v, col)), index=frame.index)
    _tie_warnings(sub, frame, col, kind_codes, ends["source"], ends["target"],
                  (codes["source"], codes["target"]) if codes else None)
    return frame


def _positions(actor_ids, source, target):
    """``{"source": ..., "target": ...}``: each end's position among the distinct actor ids in
    order (-1: not an actor), as ``Index.get_indexer`` would give them.

    One pass over the ids and both ends together: pandas factorises text with a hash table
    keyed on its characters, faster than ``get_indexer``'s look-up of Python objects (about
    70 ms against 100 ms for 310k ties)."""
    import numpy as np
    import pandas as pd

    ids = (actor_ids.to_numpy(dtype=object) if hasattr(actor_ids, "to_numpy")
           else object_array(actor_ids))
    k = len(ids)
    codes, distinct = pd.factorize(np.concatenate([ids, source, target]), use_na_sentinel=True)
    known = codes[:k]
    if (known < 0).any():  # an empty id (never from a map) takes a position of its own
        index = pd.Index(ids, dtype=object).drop_duplicates()
        return {"source": index.get_indexer(source), "target": index.get_indexer(target)}
    size = int(known.max(initial=-1)) + 1  # codes number the ids first, in order
    out = codes[k:]
    out = np.where(out < size, out, -1)
    return {"source": out[:len(source)], "target": out[len(source):]}


def _directed(v):
    """True/False for a directed cell's word, None when it is not one."""
    if isinstance(v, bool):
        return v
    w = str(v).strip().lower()
    return True if w in TRUE_WORDS else False if w in FALSE_WORDS else None


def _tie_warnings(table, frame, col, kinds, sv, tv, ends=None):
    """Self-loops and duplicate ties (the first of each kept), each warned on its row.

    ``kinds``: an integer code per tie kind; ``sv``, ``tv``: the source and target ids (object
    arrays, None where empty); ``ends``: their positions among the actors, when every present
    end is an actor (else they are worked out here)."""
    import numpy as np
    import pandas as pd

    present = present_mask(sv) & present_mask(tv)
    if ends is not None and (present <= ((ends[0] >= 0) & (ends[1] >= 0))).all():
        a, b = ends
        size = int(max(a.max(initial=0), b.max(initial=0))) + 1
    else:
        both, names = pd.factorize(np.concatenate([sv, tv]), use_na_sentinel=True)
        a, b = both[:len(sv)], both[len(sv):]  # one code per actor id, -1 for none
        size = len(names)
    ok = (a >= 0) & (b >= 0)
    loop = ok & (a == b)
    rest = ok & ~loop
    directed = frame["directed"].to_numpy(dtype=bool)
    swap = rest & ~directed & (b < a)  # an undirected tie is the same tie either way round
    a, b = np.where(swap, b, a), np.where(swap, a, b)
    k = int(kinds.max(initial=0)) + 1
    key = a.astype(np.int64) * (size + 1) + b  # one number per pair: no overflow, as codes
    if (size + 1) ** 2 * k < 2**62:
        key = key * k + kinds
    else:  # too many actors to number pair and kind in one: number the pairs first
        key = pd.factorize(key)[0].astype(np.int64) * k + kinds
    dup = rest.copy()  # every tie but the first of its pair and kind
    dup[rest] = pd.Series(key[rest]).duplicated(keep="first").to_numpy()
    first = {}  # the first row of each duplicated pair and kind (looked up only for those)
    if dup.any():
        firsts = np.flatnonzero(rest & ~dup & np.isin(key, key[dup]))
        first = dict(zip(key[firsts].tolist(), firsts.tolist(), strict=True))
    for j in np.flatnonzero(loop | dup):
        if loop[j]:
            table.add(col, int(j), "target", tv[j], "self-loop (a tie from an actor to itself) "
                      "is ignored by the analyses", "delete the row unless you mean it",
                      "warning")
        else:
            table.add(col, int(j), "source", sv[j], f"duplicate tie {sv[j]} - {tv[j]} "
                      f"({frame['kind'].iat[j]}), also on row {table.rows[first[int(key[j])]]}",
                      "delete one of the rows (the analyses keep the strongest)", "warning")
