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

import contextlib
import json
from pathlib import Path

from ._storedb import (SCHEMA_VERSION, ImportPreview, StoreFile, map_records, record_for_build,
                       write_store)
from .build import build
from .errors import InfluenceError, InputError, Problem, ValidationError
from .model import InfluenceMap, empty_actors, empty_ties

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


# --- the store ---------------------------------------------------------------------------------
class Store(StoreFile):
    """A map kept in a SQLite file with its change log and snapshots.

    Open an existing store with ``Store(path)``, or make one with :meth:`Store.create`.
    A store is safe to share between threads (one lock serialises access) and between
    processes (SQLite's locking; WAL lets readers work during a write). The rows, change log
    and snapshots are kept by :class:`~influence._storedb.StoreFile`; a Store builds maps from
    them and validates each edit.

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

    _cache = None  # (the last change, the map built then): see map()

    # --- maps ----------------------------------------------------------------------------
    def _build(self, actors, ties, *, name=None):
        import pandas as pd

        def frame(records, cols):  # object columns: a sparse integer column stays integer
            return pd.DataFrame([record_for_build(r) for r in records] or None, columns=None if
                                records else cols, dtype=object)

        m = build(actors=frame(actors, ["id", "kind"]) if actors else None,
                  ties=frame(ties, ["source", "target"]), name=name or self.name)
        if not actors:  # an empty store: an empty map with the canonical frames
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

    # --- validated edits -----------------------------------------------------------------
    def _validate_actor(self, rec):
        if rec.get("kind") is None or str(rec.get("kind")).strip() == "":
            raise ValidationError([Problem(None, "actors", None, "kind", None,
                                           "every person or body needs a kind",
                                           "type one, e.g. resident, charity, Cllr, "
                                           "Parish Council (see `influence catalogue types`)")])

        with _unreadable("actors"):
            m = build(actors=[record_for_build(rec)])
        return map_records(m)[0][0]

    def _validate_tie(self, rec):
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
                      ties=[record_for_build(rec)])
        return map_records(m)[1][0]

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


@contextlib.contextmanager
def _unreadable(sheet):
    """A value pandas cannot hold (a date after 2262, say) becomes a validation problem."""
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
