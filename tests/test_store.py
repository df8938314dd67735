"""The store: a map in SQLite with its change log, snapshots, undo and crash safety."""

from __future__ import annotations

import datetime as _dt
import json
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import influence
from influence.errors import InputError, OutputError, ValidationError
from influence.store import SCHEMA_VERSION, ConflictError, Store

BASE = dict(
    actors=[{"id": "ann", "name": "Ann", "kind": "resident", "stance": "supportive",
             "private_phone": "07700 900123", "themes": "health;youth"},
            {"id": "pc", "name": "Parish Council", "kind": "Parish Council", "influence": 4},
            {"id": "bob", "kind": "resident", "extra_score": 3},
            {"id": "hbl", "name": "Big Local", "kind": "big_local_partnership"}],
    ties=[{"source": "ann", "target": "pc", "kind": "member_of", "since": "2019-05-01"},
          {"source": "bob", "target": "ann", "strength": 2},
          {"source": "ann", "target": "hbl", "kind": "member_of"}])


def base_map():
    import pandas as pd

    return influence.build(**{k: pd.DataFrame(v, dtype=object) for k, v in BASE.items()},
                           name="base")


@pytest.fixture
def store(tmp_path):
    s = Store.create(tmp_path / "area.influence.db", base_map())
    yield s
    s.close()


def test_create_read_and_private_columns_kept(store, tmp_path):
    m = influence.read(tmp_path / "area.influence.db")
    assert m.equals(base_map())
    assert m.actors.loc["ann", "private_phone"] == "07700 900123"
    assert m.name == "area"
    assert store.journal_mode == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.db.execute("SELECT version FROM schema_migrations").fetchall() == [
        (v,) for v in range(1, SCHEMA_VERSION + 1)]


def test_apply_validates_and_normalises(store):
    store.apply({"table": "actors", "op": "update", "id": "pc", "values": {"stance": "champion"}})
    assert store.map().actors.loc["pc", "stance"] == 2
    with pytest.raises(ValidationError) as exc:
        store.apply({"table": "actors", "op": "update", "id": "pc", "values": {"influence": 9}})
    assert exc.value.problems[0].column == "influence"
    assert "between 0 and 5" in exc.value.problems[0].message
    with pytest.raises(ValidationError) as exc:
        store.apply({"table": "ties", "op": "add", "values": {"source": "ann", "target": "zed"}})
    assert str(exc.value.problems[0]) == (
        'sheet "ties", column "target": there is no actor with id \'zed\' (value: \'zed\'). '
        "Fix: add the actor first, or choose an existing id").replace("sheet", "<data>, sheet")
    with pytest.raises(ValidationError, match="already an actor with id 'ann'"):
        store.apply({"table": "actors", "op": "add", "values": {"id": "ann", "kind": "resident"}})
    with pytest.raises(ValidationError, match="every person or body needs a kind"):
        store.apply({"table": "actors", "op": "update", "id": "pc", "values": {"kind": ""}})
    assert store.map().actors.loc["pc", "influence"] == 4


def test_conflicting_versions(store):
    _, version = store.get("actors", "ann")
    store.apply({"table": "actors", "op": "update", "id": "ann", "version": version,
                 "values": {"name": "Ann Smith"}}, who="first")
    with pytest.raises(ConflictError) as exc:
        store.apply({"table": "actors", "op": "update", "id": "ann", "version": version,
                     "values": {"name": "Annie"}}, who="second")
    assert "Someone else changed 'Ann Smith' after you opened it" in str(exc.value)
    assert "name = Ann Smith" in str(exc.value)
    assert exc.value.current["name"] == "Ann Smith"
    assert store.map().actors.loc["ann", "name"] == "Ann Smith"


def test_delete_actor_takes_its_ties_and_undo_restores_them(store):
    before = store.map()
    batch = store.apply({"table": "actors", "op": "delete", "id": "ann"}, who="x")
    m = store.map()
    assert "ann" not in m.actors.index and len(m.ties) == 0
    store.undo(batch)
    assert store.map().equals(before)
    log = store.changes()
    assert log["undoes"].iloc[0] == batch
    assert set(log["action"].iloc[:3]) == {"added"}


def test_undo_refuses_when_changed_since(store):
    c1 = store.apply({"table": "actors", "op": "update", "id": "bob", "values": {"name": "B"}})
    store.apply({"table": "actors", "op": "update", "id": "bob", "values": {"name": "C"}})
    with pytest.raises(ConflictError, match="undo the later changes first"):
        store.undo(c1)


def test_log_is_append_only(store):
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM changes")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE changes SET who = 'x'")


def test_snapshots_and_read_at(store, tmp_path):
    store.snapshot("2019")
    store.apply({"table": "ties", "op": "add", "values": {"source": "pc", "target": "bob"}})
    store.snapshot("2023")
    assert list(store.snapshots()["name"]) == ["2019", "2023"]
    old = influence.read(f"{tmp_path / 'area.influence.db'}@2019")
    assert old.equals(base_map()) and old.name == "area@2019"
    assert len(influence.read(f"{tmp_path / 'area.influence.db'}@2023").ties) == 4
    with pytest.raises(InputError, match="no snapshot called 'nope'.*'2019', '2023'"):
        store.map_at("nope")
    with pytest.raises(InputError, match="already a snapshot called '2019'"):
        store.snapshot("2019")
    c = influence.compare(store.map_at("2019"), store.map_at("2023"))
    assert len(c.ties)


def test_import_preview_then_apply(store):
    m = base_map()
    actors = m.actors.copy()
    actors.loc["pc", "influence"] = 5.0
    actors = actors.drop(index="bob", columns="extra_score")  # its only value was bob's
    ties = m.ties[m.ties["source"] != "bob"].reset_index(drop=True)
    new = influence.InfluenceMap(actors, ties)
    p = store.import_map(new)
    assert p.batch is None
    assert p.changed[["table", "id", "fields"]].values.tolist() == [["actors", "pc", "influence"]]
    assert sorted(p.removed["table"]) == ["actors", "ties"]
    assert p.sentence == ("0 actors and 0 ties added; 1 actor and 0 ties changed; "
                          "1 actor and 1 tie removed.")
    assert store.map().equals(base_map())  # a preview writes nothing
    p = store.import_map(new, preview=False)
    assert store.map().equals(new)
    store.undo(p.batch)
    assert store.map().equals(base_map())


def test_not_a_store(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(InputError, match="is a SQLite file but not an influence store"):
        influence.read(other)
    newer = tmp_path / "newer.influence.db"
    Store.create(newer).close()
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version = 99")
    con.close()
    with pytest.raises(InputError, match="made by a newer version of influence"):
        influence.read(newer)
    junk = tmp_path / "junk.influence.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(InputError, match="is not an influence store"):
        influence.read(junk)
    with pytest.raises(InputError, match="does not exist"):
        influence.read(tmp_path / "missing.influence.db")


def test_convert_and_review_previous_snapshot(tmp_path):
    from influence.cli import main

    src = tmp_path / "area.xlsx"
    influence.write(base_map(), src)
    db = tmp_path / "area.influence.db"
    r = CliRunner().invoke(main, ["convert", str(src), str(db)])
    assert r.exit_code == 0, r.output
    assert influence.read(db).equals(influence.read(src))
    r = CliRunner().invoke(main, ["convert", str(src), str(db)])
    assert r.exit_code == 1 and "already exists" in r.output
    with Store(db) as s:
        s.snapshot("first")
    r = CliRunner().invoke(main, ["summary", str(db)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["review", str(db), "--previous", f"{db}@first",
                                  "-o", str(tmp_path / "rev")])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["compare", f"{db}@first", str(db), "--table", "ties"])
    assert r.exit_code == 0, r.output
    assert "Ties: 0 gained, 0 lost" in r.output
    r = CliRunner().invoke(main, ["compare", str(tmp_path / "nope.xlsx"), str(db)])
    assert r.exit_code == 1 and "nope.xlsx does not exist. Fix: check the path." in r.output
    r = CliRunner().invoke(main, ["review", str(db), "--previous", f"{db}@nope",
                                  "-o", str(tmp_path / "rev2")])
    assert r.exit_code == 1
    assert "has no snapshot called 'nope' (it has: 'first')" in r.output


def test_write_refuses_existing(store, tmp_path):
    with pytest.raises(OutputError, match="already exists"):
        influence.write(base_map(), tmp_path / "area.influence.db")


# --- properties --------------------------------------------------------------------------------
DATES = st.dates(_dt.date(1900, 1, 1), _dt.date(2100, 1, 1)).map(str)
KINDS = ["resident", "parish_council", "charity", "ward_councillor"]
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs")),
               min_size=1, max_size=8)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_changes_then_undo_all_is_the_original(data):
    with tempfile.TemporaryDirectory() as d:
        s = Store.create(Path(d) / "p.influence.db", base_map())
        original = s.map()
        batches = []
        for _ in range(data.draw(st.integers(1, 8))):
            actors = [k for k, _, _ in s.records("actors")]
            ties = [k for k, _, _ in s.records("ties")]
            op = data.draw(st.sampled_from(["add_actor", "update_actor", "delete_actor",
                                            "add_tie", "update_tie", "delete_tie"]))
            if op == "add_actor":
                change = {"table": "actors", "op": "add", "values": {
                    "id": data.draw(text), "kind": data.draw(st.sampled_from(KINDS)),
                    "private_note": data.draw(st.none() | text)}}
            elif op == "update_actor" and actors:
                change = {"table": "actors", "op": "update", "id": data.draw(
                    st.sampled_from(actors)), "values": {
                    "name": data.draw(st.none() | text),
                    "stance": data.draw(st.none() | st.integers(-2, 2)),
                    "influence": data.draw(st.none() | st.floats(0, 5)),
                    "extra_score": data.draw(st.none() | st.integers(0, 9))}}
            elif op == "delete_actor" and actors:
                change = {"table": "actors", "op": "delete",
                          "id": data.draw(st.sampled_from(actors))}
            elif op == "add_tie" and actors:
                change = {"table": "ties", "op": "add", "values": {
                    "source": data.draw(st.sampled_from(actors)),
                    "target": data.draw(st.sampled_from(actors)),
                    "strength": data.draw(st.integers(1, 3))}}
            elif op == "update_tie" and ties:
                change = {"table": "ties", "op": "update", "id": data.draw(st.sampled_from(ties)),
                          "values": {"since": data.draw(st.none() | DATES),
                                     "notes": data.draw(st.none() | text)}}
            elif op == "delete_tie" and ties:
                change = {"table": "ties", "op": "delete", "id": data.draw(st.sampled_from(ties))}
            else:
                continue
            try:
                batch = s.apply(change)
            except ValidationError:
                continue  # a random id can be invalid; nothing is written then
            if batch:
                batches.append(batch)
        for b in reversed(batches):
            s.undo(b)
        assert s.map().equals(original)
        # nothing is lost: every state is in the log, and the store is consistent
        assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert not s.db.execute("PRAGMA foreign_key_check").fetchall()
        s.close()


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 6), stances=st.lists(st.integers(-2, 2), min_size=6, max_size=6),
       names=st.lists(text, min_size=6, max_size=6), edges=st.lists(
           st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(1, 3)), max_size=8))
def test_store_xlsx_store_round_trip(n, stances, names, edges):
    actors = [{"id": f"a{i}", "name": names[i], "kind": KINDS[i % 4], "stance": stances[i]}
              for i in range(n)]
    ties = [{"source": f"a{u % n}", "target": f"a{v % n}", "strength": w}
            for u, v, w in edges if u % n != v % n]
    m = influence.build(actors=actors, ties=ties)
    with tempfile.TemporaryDirectory() as d:
        one = influence.write(m, Path(d) / "one.influence.db")
        xlsx = influence.write(influence.read(one), Path(d) / "map.xlsx")
        two = influence.write(influence.read(xlsx), Path(d) / "two.influence.db")
        assert influence.read(two).equals(influence.read(one))
        assert influence.read(two).equals(m)


# --- crash safety ------------------------------------------------------------------------------
EDITOR = textwrap.dedent("""
    import sys
    from influence.store import Store
    s = Store(sys.argv[1])
    i = 0
    while True:
        i += 1
        s.apply({"table": "actors", "op": "add", "values": {"id": f"n{i}", "kind": "resident"}})
        s.apply({"table": "ties", "op": "add", "values": {"source": f"n{i}", "target": "ann"}})
        print(i, flush=True)
""")


def test_kill_9_during_edits_loses_at_most_the_change_in_flight(tmp_path):
    db = tmp_path / "area.influence.db"
    Store.create(db, base_map()).close()
    proc = subprocess.Popen([sys.executable, "-c", EDITOR, str(db)], stdout=subprocess.PIPE,
                            text=True, cwd=Path(__file__).resolve().parents[1])
    done = 0
    deadline = time.monotonic() + 60
    while done < 20 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        done = int(line)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert done >= 20, "the editor did not get going"
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    with Store(db) as s:
        ids = {k for k, _, _ in s.records("actors")}
        confirmed = {f"n{i}" for i in range(1, done + 1)}
        assert confirmed <= ids  # every acknowledged change survived
        assert len(ids - confirmed - set(base_map().actors.index)) <= 1  # at most the one in flight
        log = s.changes()
        assert json.dumps(len(log)) and not s.db.execute("PRAGMA foreign_key_check").fetchall()
        s.map()  # still a valid map


def test_a_date_pandas_cannot_hold_is_a_validation_problem(store):
    with pytest.raises(ValidationError, match="dates must fall between 1678 and 2261"):
        store.apply({"table": "ties", "op": "update", "id": 1, "values": {"since": "2263-01-01"}})
