"""The store: a partnership's map in one SQLite file, with every change it ever had.

A store (``area.influence.db``) is a map format like a workbook: :func:`influence.read` returns
its current map, so every command works on it, and ``influence convert area.xlsx
area.influence.db`` creates one. Unlike a workbook it keeps its history:

* ``actors`` and ``ties`` tables hold the current map. The canonical columns are SQL columns;
  every other column (extra attributes, ``private_*`` ones included) is kept in a JSON column
  ``extra``. Each row has a ``version`` (the id of the last change that wrote it), so two people
  editing at once cannot silently overwrite each other (:class:`ConflictError`).
* ``changes`` is an append-only log: which table and row, the record before and after, when and
  by whom. Changes made together (an import, deleting an actor with its ties) share a ``batch``.
  Undo applies the inverse change through the same log, so nothing accepted is ever lost.
* ``snapshots`` are dated, named states (each review saves one): a snapshot is the id of the last
  change it includes; :meth:`Store.map_at` rebuilds the map as it was.

The file uses WAL journalling, foreign keys, a schema version (``PRAGMA user_version`` and a
``schema_migrations`` table) and one transaction per change, so a ``kill -9`` loses at most the
change in flight. ``private_*`` columns are kept (it is the partnership's own working copy on
its own machine); they still never leave in an export, map or report.

Every record written is validated exactly as a workbook row is (through
:func:`influence.build`) and stored in its canonical form ("Cllr" becomes
``ward_councillor``, "supportive" becomes stance 1).

A snapshot of a store is read as ``area.influence.db@snapshot-name`` wherever a map path is
accepted (e.g. ``influence review area.influence.db --previous area.influence.db@2023``).

Examples
--------
>>> import influence, tempfile, pathlib
>>> from influence.store import Store
>>> path = pathlib.Path(tempfile.mkdtemp()) / "area.influence.db"
>>> with Store.create(path, influence.datasets.load("karate")) as s:
...     _ = s.snapshot("start")
...     change = s.apply({"table": "actors", "op": "update", "id": "1",
...                       "values": {"stance": "champion"}}, who="ann")
...     print(s.map().actors.loc["1", "stance"], s.map_at("start").actors.loc["1", "stance"])
...     _ = s.undo(change)
...     s.map().equals(s.map_at("start"))
2 <NA>
True
>>> influence.read(path)
<InfluenceMap area: 34 actors, 78 ties>
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
import threading
from pathlib import Path

from ._storedb import (ACTOR_SQL, MIGRATIONS, SCHEMA_VERSION, TIE_SQL, ImportPreview,
                       _for_build, _show, _unreadable, map_records, plan_import)
from .errors import InfluenceError, InputError, OutputError

__all__ = ["Store", "ConflictError", "ImportPreview", "read_store", "write_store",
           "is_store_path", "SCHEMA_VERSION"]

class ConflictError(InfluenceError):
    """A save was based on an old version of a row that someone else has changed since.

    ``current`` is the row as it is now (None when it was deleted); ``version`` its version.
    """

    def __init__(self, message, *, current=None, version=None):
        super().__init__(message)
        self.current = current
        self.version = version


def _now():
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def is_store_path(path) -> bool:
    """True for ``*.db`` paths and ``*.db@snapshot`` references."""
    text = str(path).lower()
    return text.endswith(".db") or ".db@" in text


def _split_ref(path):
    text = str(path)
    i = text.lower().find(".db@")
    if i < 0:
        return Path(text), None
    return Path(text[:i + 3]), text[i + 4:]


def _map_name(path: Path) -> str:
    name = path.name
    for suffix in (".influence.db", ".db"):
        if name.lower().endswith(suffix):
            return name[:-len(suffix)] or name
    return path.stem


# --- the store ---------------------------------------------------------------------------------
class Store:
    """A map kept in a SQLite file with its change log and snapshots.

    Open an existing store with ``Store(path)``, or make one with :meth:`Store.create`.
    A store is safe to share between threads (one lock serialises access) and between
    processes (SQLite's locking; WAL lets readers work during a write).

    Parameters
    ----------
    path : str or path-like
        The ``.influence.db`` file.
    create : bool, default False
        Create an empty store when the file does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from influence.store import Store
    >>> s = Store(pathlib.Path(tempfile.mkdtemp()) / "new.influence.db", create=True)
    >>> s.map()
    <InfluenceMap new: 0 actors, 0 ties>
    >>> s.close()

    References
    ----------
    .. [1] SQLite Consortium. Write-Ahead Logging. https://www.sqlite.org/wal.html
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
        self._cache = None
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
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
                            "PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)")
            self.db.execute("COMMIT")
        for v in range(version + 1, SCHEMA_VERSION + 1):
            description, sql = MIGRATIONS[v]
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in sql.split(";\n"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                                (v, description, _now()))
                self.db.execute(f"PRAGMA user_version = {v}")
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
    def create(cls, path, m=None, *, who=None, force: bool = False) -> Store:
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

    def _build(self, actors, ties, *, name=None):
        import pandas as pd

        from .io import build

        def frame(records, cols):  # object columns: a sparse integer column stays integer
            return pd.DataFrame([_for_build(r) for r in records] or None, columns=None if
                                records else cols, dtype=object)

        m = build(actors=frame(actors, ["id", "kind"]) if actors else None,
                  ties=frame(ties, ["source", "target"]), name=name or self.name)
        if not actors:  # an empty store: an empty map with the canonical frames
            from .model import InfluenceMap, empty_actors, empty_ties

            m = InfluenceMap(empty_actors(), empty_ties(), name=name or self.name)
        m.source = str(self.path)
        return m

    def map(self):
        """The current map (validated as a workbook is; cached until the next change)."""
        with self._lock:
            last = self.last_change()
            if self._cache is None or self._cache[0] != last:
                actors, ties = self._state()
                self._cache = (last, self._build(list(actors.values()), list(ties.values())))
            return self._cache[1].copy()

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
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute(sql, params)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

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

    def map_at(self, snapshot):
        """The map as it was when ``snapshot`` (a name) was saved."""
        with self._lock:
            return self._map_at_change(self._snapshot_change(snapshot),
                                       name=f"{self.name}@{snapshot}")

    def _map_at_change(self, change_id, *, name=None):
        actors, ties = self._state()
        rows = self.db.execute("SELECT tbl, key, before FROM changes WHERE id > ? "
                               "ORDER BY id DESC", (change_id,)).fetchall()
        for tbl, key, before in rows:
            state = actors if tbl == "actors" else ties
            key = key if tbl == "actors" else int(key)
            if before is None:
                state.pop(key, None)
            else:
                state[key] = json.loads(before)
        ties = dict(sorted(ties.items()))
        return self._build(list(actors.values()), list(ties.values()), name=name)

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

    # --- writing -------------------------------------------------------------------------
    def _validate_actor(self, rec):
        from .errors import Problem, ValidationError
        from .io import build

        if rec.get("kind") is None or str(rec.get("kind")).strip() == "":
            raise ValidationError([Problem(None, "actors", None, "kind", None,
                                           "every person or body needs a kind",
                                           "type one, e.g. resident, charity, Cllr, "
                                           "Parish Council (see `influence catalogue types`)")])

        with _unreadable("actors"):
            m = build(actors=[_for_build(rec)])
        return map_records(m)[0][0]

    def _validate_tie(self, rec):
        from .errors import Problem, ValidationError
        from .io import build

        problems = []
        for end in ("source", "target"):
            ident = rec.get(end)
            if ident is None or str(ident).strip() == "":
                problems.append(Problem(None, "ties", None, end, None, f"a tie needs a {end}",
                                        "choose one of the actors"))
            elif self.db.execute("SELECT 1 FROM actors WHERE id = ?",
                                 (str(ident).strip(),)).fetchone() is None:
                problems.append(Problem(None, "ties", None, end, ident,
                                        f"there is no actor with id {ident!r}",
                                        "add the actor first, or choose an existing id"))
        if problems:
            raise ValidationError(problems)
        ends = {str(rec["source"]).strip(), str(rec["target"]).strip()}
        with _unreadable("ties"):
            m = build(actors=[{"id": i, "kind": "person"} for i in ends],
                      ties=[_for_build(rec)])
        return map_records(m)[1][0]

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
        self.db.execute("BEGIN IMMEDIATE")
        try:
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
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return batch

    def apply(self, change: dict, *, who: str | None = None) -> int:
        """Apply one change in one transaction, validated; returns its change id.

        Parameters
        ----------
        change : dict
            ``table``: "actors" or "ties"; ``op``: "add", "update" or "delete"; ``id``: the
            actor id (for an actor) or the tie number (to update or delete a tie);
            ``values``: the columns to set (an update merges them into the row; ``None`` or
            ``""`` clears a column); ``version`` (optional): the row version the edit was based
            on — when the row has changed since, :class:`ConflictError` is raised and nothing
            is written. Deleting an actor deletes its ties in the same change.
        who : str, optional
            Who made the change (kept in the log).

        Raises
        ------
        influence.ValidationError
            The new row is not valid (each problem names its ``column``).
        ConflictError
            ``version`` is stale.
        influence.InputError
            Unknown table, operation or row.
        """
        table, op = change.get("table"), change.get("op")
        if table not in ("actors", "ties") or op not in ("add", "update", "delete"):
            raise InputError("A change needs table 'actors' or 'ties' and op 'add', 'update' or "
                             f"'delete' (got {table!r}, {op!r}).")
        values = dict(change.get("values") or {})
        with self._lock:
            key = change.get("id")
            if table == "actors":
                key = str((values.pop("id", None) if op == "add" else None) or key or "").strip()
                if not key:
                    from .errors import Problem, ValidationError
                    raise ValidationError([Problem(None, "actors", None, "id", None,
                                                   "every actor needs an id",
                                                   "type a short unique id, e.g. ann_smith")])
            elif op != "add":
                try:
                    key = int(key)
                except (TypeError, ValueError):
                    raise InputError(f"Tie number {key!r} is not a number.") from None
            before, version = (None, None) if (table == "ties" and op == "add") else \
                self.get(table, key)
            self._check_version(table, key, before, version, change.get("version"), op)
            steps = []
            if op == "add":
                if before is not None:
                    from .errors import Problem, ValidationError
                    raise ValidationError([Problem(None, "actors", None, "id", key,
                                                   f"there is already an actor with id {key!r}",
                                                   "choose another id")])
                rec = {k: v for k, v in values.items() if v not in (None, "")}
                after = (self._validate_actor({"id": key, **rec}) if table == "actors"
                         else self._validate_tie(rec))
                steps.append((table, None if table == "ties" else key, None, after))
            elif op == "update":
                rec = dict(before)
                for k, v in values.items():
                    if k == "id":
                        continue
                    if v is None or v == "":
                        rec.pop(k, None)
                    else:
                        rec[k] = v
                after = (self._validate_actor(rec) if table == "actors"
                         else self._validate_tie(rec))
                if after == before:
                    return None
                steps.append((table, key, before, after))
            else:
                if table == "actors":
                    for tie_key, tie, _ in self._ties_of(key):
                        steps.append(("ties", tie_key, tie, None))
                steps.append((table, key, before, None))
            return self._run(steps, who=who)

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

    def _check_version(self, table, key, before, version, expected, op):
        if before is None and op != "add":
            what = "actor" if table == "actors" else "tie"
            raise ConflictError(f"The {what} {key!r} is no longer in the map (someone deleted "
                                "it). Fix: reload the page.", current=None, version=None)
        if expected is None or before is None or int(expected) == int(version):
            return
        label = before.get("name") or key if table == "actors" else \
            f"{before.get('source')} – {before.get('target')}"
        raise ConflictError(
            f"Someone else changed {label!r} after you opened it, so your change was not "
            "saved. It now reads: " + "; ".join(f"{k} = {_show(v)}" for k, v in before.items()
                                                 if k != "id") +
            ". Fix: check the new values, then make your change again.",
            current=before, version=version)

    def undo(self, change_id: int, *, who: str | None = None) -> int:
        """Undo a change (and the rest of its batch) by applying the inverse; returns its id.

        Raises :class:`ConflictError` when a row it touched has changed since (undo the later
        change first).
        """
        with self._lock:
            row = self.db.execute("SELECT batch FROM changes WHERE id = ?",
                                  (int(change_id),)).fetchone()
            if row is None:
                raise InputError(f"There is no change {change_id}. Fix: pick one from the "
                                 "history.")
            rows = self.db.execute("SELECT id, tbl, key, before, after FROM changes "
                                   "WHERE batch = ? ORDER BY id DESC", (row[0],)).fetchall()
            steps = []
            for cid, tbl, key, before, after in rows:
                now, _ = self.get(tbl, key if tbl == "actors" else int(key))
                after = json.loads(after) if after else None
                if now != after:
                    raise ConflictError(
                        f"Change {cid} cannot be undone: {tbl[:-1]} {key!r} has been changed "
                        "since. Fix: undo the later changes first (newest first).",
                        current=now)
                steps.append((tbl, key if tbl == "actors" else int(key), after,
                              json.loads(before) if before else None))
            return self._run(steps, who=who, undoes=row[0], note=f"undo of change {row[0]}")

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


# --- the map format ----------------------------------------------------------------------------
def read_store(path):
    """The current map of a store, or of one of its snapshots (``path@snapshot``)."""
    path, snapshot = _split_ref(path)
    if not path.exists():
        raise InputError(f"{path} does not exist. Fix: check the path.")
    with Store(path) as s:
        m = s.map() if snapshot is None else s.map_at(snapshot)
    m.source = str(path)
    return m


def write_store(m, path, *, force: bool = False, inputs=()):
    """Create a store holding ``m`` (``private_*`` columns kept: it is a working copy).

    The store is built next to ``path`` and renamed into place, so a failure leaves no
    half-made file.
    """
    from .output import check_output

    path = Path(path)
    check_output(path, force=force, inputs=inputs)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with Store.create(tmp, m, force=True):
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
