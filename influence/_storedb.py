"""The store's file (see :mod:`influence.store`): its rows, change log and snapshots.

The SQL schema with its migrations, how map values become JSON-able records and back, the plan
of an import (what would be added, changed and removed), and :class:`StoreFile`, the SQLite file
itself: opening and migrating it, its rows, the change log, snapshots and importing a map's
records. No map is built here (:class:`influence.store.Store` adds that, with validated edits),
so :func:`write_store` sits below the map: :meth:`InfluenceMap.write
<influence.model.InfluenceMap.write>` can write a store.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, OutputError
from .output import check_output

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "ACTOR_SQL", "TIE_SQL", "ImportPreview",
           "StoreFile", "map_records", "record_for_build", "plan_import", "write_store"]

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


def record_for_build(rec):
    """A stored record as :func:`influence.build` takes it (tagged dates as Timestamps)."""
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


def _diff(old, new):
    return ", ".join(sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k)))


def _tie_label(r):
    return f"{r.get('source')} → {r.get('target')} ({r.get('kind', 'knows')})"


# --- the file ----------------------------------------------------------------------------------
def _now():
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _map_name(path: Path) -> str:
    name = path.name
    for suffix in (".influence.db", ".db"):
        if name.lower().endswith(suffix):
            return name[:-len(suffix)] or name
    return path.stem


class StoreFile:
    """A store's SQLite file: its rows, change log and snapshots, without maps.

    The base of :class:`influence.store.Store` (which builds maps from the rows and validates
    each edit); see there for the parameters. A file is safe to share between threads (one
    lock serialises access) and between processes (SQLite's locking).
    """

    def __init__(self, path, *, create: bool = False):
        self.path = Path(path)
        if not self.path.exists() and not create:
            raise InputError(f"{self.path} does not exist. Fix: check the path, or create the "
                             "store with `influence convert area.xlsx area.influence.db`.")
        if self.path.exists() and self.path.is_dir():
            raise InputError(f"{self.path} is a folder, not a store. Fix: name a .influence.db "
                             "file.")
        self._lock = threading.RLock()
        try:
            self.db = sqlite3.connect(str(self.path), isolation_level=None,
                                      check_same_thread=False, timeout=30)
            self.db.execute("PRAGMA foreign_keys = ON")
            mode = self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            self.db.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path.name} is not an influence store ({exc}). Fix: open a "
                             "file made by `influence convert ... FILE.influence.db` or "
                             "`influence app`.") from None
        self.journal_mode = mode

    # --- housekeeping --------------------------------------------------------------------
    def _migrate(self):
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise InputError(f"{self.path.name} was made by a newer version of influence "
                             f"(store schema {version}; this one reads up to {SCHEMA_VERSION}). "
                             "Fix: upgrade influence (pip install -U .).")
        if version == 0 and self.db.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]:
            raise InputError(f"{self.path.name} is a SQLite file but not an influence store. "
                             "Fix: name a new file, or one made by influence.")
        if version == 0:
            with self._transaction():
                self.db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
                                "PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT "
                                "NULL)")
        for v in range(version + 1, SCHEMA_VERSION + 1):
            description, sql = MIGRATIONS[v]
            with self._transaction():
                for statement in sql.split(";\n"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                                (v, description, _now()))
                self.db.execute(f"PRAGMA user_version = {v}")

    @contextmanager
    def _transaction(self):
        """One write transaction: ``BEGIN IMMEDIATE``, then ``COMMIT``, or ``ROLLBACK`` on any
        error (the error is raised again)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def close(self):
        """Close the file (the WAL is checkpointed into it)."""
        with self._lock:
            self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        n = self.db.execute("SELECT count(*) FROM actors").fetchone()[0]
        return f"<Store {self.path.name}: {n} actors>"

    @property
    def name(self) -> str:
        return _map_name(self.path)

    def last_change(self) -> int:
        """The id of the newest change (0 for none)."""
        return self.db.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0]

    # --- creating ------------------------------------------------------------------------
    @classmethod
    def create(cls, path, m=None, *, who=None, force: bool = False):
        """A new store at ``path``, holding map ``m`` (its import is the first batch of changes).

        Refuses to replace an existing file unless ``force=True``.
        """
        path = Path(path)
        if path.exists():
            if not force:
                raise OutputError(f"{path} already exists. Fix: use another name, or --force "
                                  "to replace it.")
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                if p.exists():
                    p.unlink()
        s = cls(path, create=True)
        if m is not None:
            s.import_map(m, preview=False, who=who, note=f"created from {m.name or 'a map'}")
        return s

    # --- reading -------------------------------------------------------------------------
    def _rows(self, table):
        cur = self.db.execute(f"SELECT * FROM {table} ORDER BY rowid")
        names = [d[0] for d in cur.description]
        return names, cur.fetchall()

    @staticmethod
    def _record(names, row):
        """(key, record, version) of one SQL row."""
        rec = {}
        key = version = None
        for n, v in zip(names, row, strict=True):
            if n in ("id", "tie_id"):
                key = v
                if n == "id":
                    rec["id"] = v
            elif n == "version":
                version = v
            elif n == "extra":
                rec.update(json.loads(v))
            elif v is None:
                continue
            elif n == "themes":
                rec[n] = json.loads(v)
            elif n == "directed":
                rec[n] = bool(v)
            else:
                rec[n] = v
        return key, rec, version

    def _state(self):
        """{actor id: record}, {tie id: record} as they are now."""
        actors, ties = {}, {}
        for table, out in (("actors", actors), ("ties", ties)):
            names, rows = self._rows(table)
            for row in rows:
                key, rec, _ = self._record(names, row)
                out[key] = rec
        return actors, ties

    def records(self, table: str):
        """The current rows of ``"actors"`` or ``"ties"``: a list of (key, record, version)."""
        if table not in ("actors", "ties"):
            raise InputError(f"Unknown table {table!r}. Fix: use 'actors' or 'ties'.")
        with self._lock:
            names, rows = self._rows(table)
            return [self._record(names, r) for r in rows]

    def get(self, table: str, key):
        """(record, version) of one row, or (None, None) when there is none."""
        col = "id" if table == "actors" else "tie_id"
        with self._lock:
            cur = self.db.execute(f"SELECT * FROM {table} WHERE {col} = ?", (key,))
            row = cur.fetchone()
            if row is None:
                return None, None
            _, rec, version = self._record([d[0] for d in cur.description], row)
            return rec, version

    # --- snapshots -----------------------------------------------------------------------
    def snapshot(self, name: str | None = None, *, note: str | None = None) -> str:
        """Save the current state under ``name`` (default: the date and time); returns the name."""
        name = (name or _dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")).strip()
        if not name or "@" in name or len(name) > 200:
            raise InputError(f"Snapshot name {name!r} cannot be used. Fix: use a short name "
                             "without '@'.")
        with self._lock:
            try:
                self._write("INSERT INTO snapshots (name, at, change_id, note) VALUES (?,?,?,?)",
                            (name, _now(), self.last_change(), note))
            except sqlite3.IntegrityError:
                raise InputError(f"There is already a snapshot called {name!r}. Fix: choose "
                                 "another name.") from None
        return name

    def _write(self, sql, params):
        with self._transaction():
            self.db.execute(sql, params)

    def snapshots(self):
        """The snapshots, oldest first: a DataFrame with name, at, change_id, note."""
        import pandas as pd

        with self._lock:
            rows = self.db.execute(
                "SELECT name, at, change_id, note FROM snapshots ORDER BY id").fetchall()
        return pd.DataFrame(rows, columns=["name", "at", "change_id", "note"])

    def _snapshot_change(self, snapshot):
        row = self.db.execute("SELECT change_id FROM snapshots WHERE name = ?",
                              (str(snapshot),)).fetchone()
        if row is None:
            names = ", ".join(repr(n) for n in self.snapshots()["name"]) or "none yet"
            raise InputError(f"{self.path.name} has no snapshot called {snapshot!r} (it has: "
                             f"{names}). Fix: use one of those names.")
        return row[0]

    # --- the log -------------------------------------------------------------------------
    def changes(self, *, limit: int | None = None):
        """The change log, newest first: id, batch, at, who, table, key, action, before, after,
        undoes, note, batch_size (before and after as dicts, None for an added or deleted row;
        batch_size: how many changes were made together with this one, itself included)."""
        import pandas as pd

        sql = ("SELECT id, batch, at, who, tbl, key, before, after, undoes, note, "
               "(SELECT count(*) FROM changes AS b WHERE b.batch = changes.batch) FROM changes "
               "ORDER BY id DESC")
        params = ()
        if limit:
            sql += " LIMIT ?"
            params = (int(limit),)
        with self._lock:
            rows = self.db.execute(sql, params).fetchall()
        out = []
        for i, batch, at, who, tbl, key, before, after, undoes, note, size in rows:
            action = "added" if before is None else "deleted" if after is None else "changed"
            out.append({"id": i, "batch": batch, "at": at, "who": who, "table": tbl, "key": key,
                        "action": action, "before": json.loads(before) if before else None,
                        "after": json.loads(after) if after else None, "undoes": undoes,
                        "note": note, "batch_size": size})
        return pd.DataFrame(out, columns=["id", "batch", "at", "who", "table", "key", "action",
                                          "before", "after", "undoes", "note", "batch_size"])

    def _put(self, table, key, rec, version):
        """Write one row (rec None: delete). ``key`` is the actor id or tie id."""
        if table == "actors":
            if rec is None:
                self.db.execute("DELETE FROM actors WHERE id = ?", (key,))
                return
            cols = ACTOR_SQL
            values = [key]
        else:
            if rec is None:
                self.db.execute("DELETE FROM ties WHERE tie_id = ?", (int(key),))
                return
            cols = TIE_SQL
            values = [int(key)]
        extra = {}
        row = dict.fromkeys(cols)
        for k, v in rec.items():
            if k == "id":
                continue
            if k in row:
                row[k] = (json.dumps(v) if k == "themes" else int(v) if k == "directed" else v)
            else:
                extra[k] = v
        if table == "ties" and row["directed"] is None:
            row["directed"] = 0
        values += [row[c] for c in cols] + [json.dumps(extra, sort_keys=True), version]
        names = ("id" if table == "actors" else "tie_id",) + cols + ("extra", "version")
        self.db.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                        f"({', '.join('?' * len(names))}) ON CONFLICT({names[0]}) DO UPDATE SET "
                        + ", ".join(f"{n} = excluded.{n}" for n in names[1:]), values)

    def _log(self, batch, who, table, key, before, after, *, undoes=None, note=None, at=None):
        cur = self.db.execute(
            "INSERT INTO changes (batch, at, who, tbl, key, before, after, undoes, note) "
            "VALUES (coalesce(?, (SELECT coalesce(max(id), 0) + 1 FROM changes)), "
            "?, ?, ?, ?, ?, ?, ?, ?)",
            (batch, at or _now(), who, table, str(key),
             None if before is None else json.dumps(before, sort_keys=True),
             None if after is None else json.dumps(after, sort_keys=True), undoes, note))
        return cur.lastrowid

    def _run(self, steps, *, who=None, note=None, undoes=None):
        """Apply [(table, key, before, after)] in one transaction; returns the batch id."""
        if not steps:
            return None
        with self._transaction():
            batch = None
            at = _now()
            next_tie = None
            for table, key, before, after in steps:
                if table == "ties" and key is None:  # a new tie: a number never used before
                    if next_tie is None:
                        next_tie = 1 + max(
                            self.db.execute("SELECT coalesce(max(tie_id), 0) FROM ties"
                                            ).fetchone()[0],
                            self.db.execute("SELECT coalesce(max(CAST(key AS INTEGER)), 0) "
                                            "FROM changes WHERE tbl = 'ties'").fetchone()[0])
                    key, next_tie = next_tie, next_tie + 1
                cid = self._log(batch, who, table, key, before, after, undoes=undoes, note=note,
                                at=at)
                batch = batch or cid
                self._put(table, key, after, cid)
        return batch

    def key_of(self, change_id: int):
        """(table, key) of the row a change wrote: the actor id, or the tie number (an int)."""
        with self._lock:
            row = self.db.execute("SELECT tbl, key FROM changes WHERE id = ?",
                                  (int(change_id),)).fetchone()
        if row is None:
            raise InputError(f"There is no change {change_id}.")
        return row[0], row[1] if row[0] == "actors" else int(row[1])

    def _ties_of(self, actor):
        cur = self.db.execute("SELECT * FROM ties WHERE source = ? OR target = ? ORDER BY tie_id",
                              (actor, actor))
        names = [d[0] for d in cur.description]
        return [self._record(names, r) for r in cur.fetchall()]

    # --- importing -----------------------------------------------------------------------
    def import_map(self, m, *, preview: bool = True, who=None, note=None) -> ImportPreview:
        """Make the store hold map ``m``: what would be added, changed and removed.

        Actors are matched by id; ties by their values (a tie whose source, target and kind
        match one in the store but whose other values differ counts as changed). With
        ``preview=False`` the changes are applied as one batch (undo it in one step).
        """
        new_actors, new_ties = map_records(m)
        with self._lock:
            old_actors, old_ties = self._state()
            result = plan_import(old_actors, old_ties, new_actors, new_ties)
            if not preview:
                result.batch = self._run(result._plan, who=who, note=note or "import")
            return result


def write_store(m, path, *, force: bool = False, inputs=()):
    """Create a store holding ``m`` (``private_*`` columns kept: it is a working copy).

    The store is built next to ``path`` and renamed into place, so a failure leaves no
    half-made file.
    """
    path = Path(path)
    check_output(path, force=force, inputs=inputs)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with StoreFile.create(tmp, m, force=True):
            pass
        for p in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            if p.exists():
                p.unlink()
        os.replace(tmp, path)
    finally:
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            if p.exists():
                p.unlink()
    return path
