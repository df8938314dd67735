"""The store's file layout and records (see :mod:`influence.store`).

The SQL schema with its migrations, how map values become JSON-able records and back, and the
plan of an import (what would be added, changed and removed).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
from dataclasses import dataclass, field

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "ACTOR_SQL", "TIE_SQL", "ImportPreview",
           "map_records", "plan_import"]

#: The canonical columns kept as SQL columns (the rest live in ``extra``), as of schema 1.
ACTOR_SQL = ("name", "kind", "sector", "sub_area", "influence", "stance", "interest", "giving",
             "themes", "age_band", "org_code")
TIE_SQL = ("source", "target", "kind", "directed", "strength", "sign", "since", "until",
           "confirmed", "hours", "notes")
_DATES = ("since", "until", "confirmed")

#: schema version -> (description, SQL). Append only: never edit a migration once released.
MIGRATIONS = {
    1: ("actors, ties, change log and snapshots", """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE actors (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT, kind TEXT NOT NULL, sector TEXT, sub_area TEXT, influence REAL, stance INTEGER,
    interest REAL, giving REAL, themes TEXT, age_band TEXT, org_code TEXT,
    extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
    version INTEGER NOT NULL);
CREATE TABLE ties (
    tie_id INTEGER PRIMARY KEY,
    source TEXT NOT NULL REFERENCES actors(id), target TEXT NOT NULL REFERENCES actors(id),
    kind TEXT, directed INTEGER NOT NULL, strength REAL, sign TEXT, since TEXT, until TEXT,
    confirmed TEXT, hours REAL, notes TEXT,
    extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
    version INTEGER NOT NULL);
CREATE INDEX ties_source ON ties(source);
CREATE INDEX ties_target ON ties(target);
CREATE TABLE changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch INTEGER NOT NULL,
    at TEXT NOT NULL,
    who TEXT,
    tbl TEXT NOT NULL CHECK (tbl IN ('actors', 'ties')),
    key TEXT NOT NULL,
    before TEXT CHECK (before IS NULL OR json_valid(before)),
    after TEXT CHECK (after IS NULL OR json_valid(after)),
    undoes INTEGER REFERENCES changes(id),
    note TEXT);
CREATE INDEX changes_key ON changes(tbl, key);
CREATE TRIGGER changes_append_only_u BEFORE UPDATE ON changes
    BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER changes_append_only_d BEFORE DELETE ON changes
    BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    change_id INTEGER NOT NULL,
    note TEXT);
"""),
    2: ("workshop: participants, the queue of contributions, the workshop's settings", """
CREATE TABLE workshop_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE workshop_participants (
    id TEXT PRIMARY KEY NOT NULL, nickname TEXT NOT NULL, code TEXT NOT NULL,
    joined_at TEXT NOT NULL);
CREATE TABLE workshop_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    participant TEXT NOT NULL REFERENCES workshop_participants(id),
    what TEXT NOT NULL CHECK (what IN ('actor', 'tie', 'rate')),
    payload TEXT NOT NULL CHECK (json_valid(payload)),
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'accepted', 'merged', 'rejected')),
    result TEXT, change_id INTEGER REFERENCES changes(id), decided_at TEXT);
CREATE INDEX workshop_queue_status ON workshop_queue(status);
"""),
}
SCHEMA_VERSION = max(MIGRATIONS)



@dataclass
class ImportPreview:
    """What importing a map into a store would do (or did): one DataFrame each.

    ``added``, ``changed`` and ``removed`` have columns ``table`` ("actors" or "ties"),
    ``id`` (actor id, or tie number for ties already in the store), ``label`` (a short
    description) and, for ``changed``, ``fields`` (the columns whose value changes).
    ``batch`` is the change batch written (None for a preview).
    """

    added: object
    changed: object
    removed: object
    batch: int | None = None
    _plan: list = field(default_factory=list, repr=False)

    @property
    def empty(self) -> bool:
        return not (len(self.added) or len(self.changed) or len(self.removed))

    @property
    def sentence(self) -> str:
        def count(frame, table):
            n = int((frame["table"] == table).sum()) if len(frame) else 0
            return n
        parts = []
        for word, frame in (("added", self.added), ("changed", self.changed),
                            ("removed", self.removed)):
            a, t = count(frame, "actors"), count(frame, "ties")
            parts.append(f"{a} actor{'s' if a != 1 else ''} and {t} tie{'s' if t != 1 else ''} "
                         f"{word}")
        return "; ".join(parts) + "."


# --- values ------------------------------------------------------------------------------------
def _plain(v, *, date_col=False):
    """A JSON-able python value, or None for missing. Dates of extra columns are tagged."""
    import numpy as np
    import pandas as pd

    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, (pd.Timestamp, _dt.datetime, _dt.date)):
        if v is pd.NaT:
            return None
        ts = pd.Timestamp(v)
        text = ts.date().isoformat() if ts == ts.normalize() else ts.isoformat()
        return text if date_col else {"$date": text}
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _unplain(v):
    """The inverse of :func:`_plain` for extra columns (tagged dates become Timestamps)."""
    import pandas as pd

    if isinstance(v, dict) and set(v) == {"$date"}:
        return pd.Timestamp(v["$date"])
    return v


def map_records(m):
    """(actor records, tie records) of a map: dicts of JSON-able values, missing ones left out.

    Actor records carry ``id``; canonical dates are ISO text and ``themes`` a list.
    """
    actors = []
    for ident, rec in zip(m.actors.index, m.actors.to_dict("records"), strict=True):
        out = {"id": str(ident)}
        for k, v in rec.items():
            v = _plain(v)
            if v is not None and v != []:
                out[str(k)] = v
        actors.append(out)
    ties = []
    for rec in m.ties.to_dict("records"):
        out = {}
        for k, v in rec.items():
            v = _plain(v, date_col=k in _DATES)
            if v is not None:
                out[str(k)] = v
        ties.append(out)
    return actors, ties


def _for_build(rec):
    return {k: _unplain(v) for k, v in rec.items()}



def plan_import(old_actors, old_ties, new_actors, new_ties) -> ImportPreview:
    """What turning the store's rows into the new map's records takes: an :class:`ImportPreview`
    whose plan is a list of (table, key, before, after) steps (key None: a new tie).

    Actors are matched by id; ties by their values, then by (source, target, kind): a tie
    whose ends and kind match one in the store but whose other values differ is changed.
    """
    import pandas as pd

    plan = []
    added, changed, removed = [], [], []
    new_by_id = {r["id"]: r for r in new_actors}
    # ties: match equal records first, then same (source, target, kind) as changes
    unmatched_old = dict(old_ties)
    unmatched_new = []
    by_value = {}
    for k, r in old_ties.items():
        by_value.setdefault(json.dumps(r, sort_keys=True), []).append(k)
    for r in new_ties:
        keys = by_value.get(json.dumps(r, sort_keys=True))
        if keys:
            unmatched_old.pop(keys.pop(0))
        else:
            unmatched_new.append(r)
    by_ends = {}
    for k, r in unmatched_old.items():
        by_ends.setdefault((r.get("source"), r.get("target"), r.get("kind")), []).append(k)
    tie_changes, tie_adds = [], []
    for r in unmatched_new:
        keys = by_ends.get((r.get("source"), r.get("target"), r.get("kind")))
        if keys:
            k = keys.pop(0)
            tie_changes.append((k, unmatched_old.pop(k), r))
        else:
            tie_adds.append(r)
    for k, r in unmatched_old.items():
        plan.append(("ties", k, r, None))
        removed.append(("ties", str(k), _tie_label(r), ""))
    for ident, r in old_actors.items():
        if ident not in new_by_id:
            plan.append(("actors", ident, r, None))
            removed.append(("actors", ident, r.get("name") or ident, ""))
    for ident, r in new_by_id.items():
        old = old_actors.get(ident)
        if old is None:
            plan.append(("actors", ident, None, r))
            added.append(("actors", ident, r.get("name") or ident, ""))
        elif old != r:
            plan.append(("actors", ident, old, r))
            changed.append(("actors", ident, r.get("name") or ident, _diff(old, r)))
    for k, old, r in tie_changes:
        plan.append(("ties", k, old, r))
        changed.append(("ties", str(k), _tie_label(r), _diff(old, r)))
    for r in tie_adds:
        plan.append(("ties", None, None, r))
        added.append(("ties", "", _tie_label(r), ""))
    cols = ["table", "id", "label", "fields"]
    return ImportPreview(*(pd.DataFrame(x, columns=cols) for x in (added, changed, removed)),
                         _plan=plan)


@contextlib.contextmanager
def _unreadable(sheet):
    """A value pandas cannot hold (a date after 2262, say) becomes a validation problem."""
    from .errors import Problem, ValidationError

    try:
        yield
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise ValidationError([Problem(None, sheet, None, None, None,
                                       f"a value cannot be stored ({exc})",
                                       "dates must fall between 1678 and 2261; numbers must be "
                                       "ordinary numbers")]) from None


def _show(v):
    if isinstance(v, list):
        return ", ".join(map(str, v))
    if isinstance(v, dict) and "$date" in v:
        return v["$date"]
    return str(v)


def _diff(old, new):
    return ", ".join(sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k)))


def _tie_label(r):
    return f"{r.get('source')} → {r.get('target')} ({r.get('kind', 'knows')})"
