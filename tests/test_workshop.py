"""influence workshop: the API with Starlette's TestClient, the queue in the store, the CLI."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

import influence
from influence.store import Store

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from influence.app import create_app  # noqa: E402
from influence.app.workshop import Workshop, clean_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path):
    m = influence.build(
        actors=[{"id": "hbl", "name": "Big Local", "kind": "big_local_partnership"},
                {"id": "dw", "name": "Cllr Derek Whitlow", "kind": "ward_councillor",
                 "stance": "sceptical", "private_phone": "07700 900123"},
                {"id": "ann", "name": "Ann Smith", "kind": "resident", "ok_to_name": "no",
                 "private_phone": "07700 900999"}],
        ties=[{"source": "ann", "target": "hbl", "kind": "member_of"},
              {"source": "hbl", "target": "dw", "strength": 2}])
    path = tmp_path / "hall.influence.db"
    influence.write(m, path)
    return path


@pytest.fixture
def app(db):
    return create_app(db, workshop=True)


class Phone:
    """A participant's browser: joined with the code, sends with its CSRF value."""

    def __init__(self, app, nickname="Sam", code=None):
        self.c = TestClient(app, base_url="http://127.0.0.1")
        self.c.get("/w/join")
        self.csrf = self.c.cookies.get("influence_csrf")
        code = code or app.state.workshop.code
        self.joined = self.post("/w/api/join", {"code": code, "nickname": nickname})

    def post(self, url, body):
        return self.c.post(url, json=body, headers={"x-csrf-token": self.csrf})

    def add(self, what, **values):
        return self.post("/w/api/contribute", {"what": what, "values": values})


class Facilitator(Phone):
    def __init__(self, app):
        self.c = TestClient(app, base_url="http://127.0.0.1")
        w = app.state.workshop
        assert self.c.get(f"/w/facilitator?f={w.facilitator_token}").status_code == 200
        self.csrf = self.c.cookies.get("influence_csrf")

    def act(self, action, **body):
        return self.post(f"/w/api/{action}", body)

    def queue(self):
        return self.c.get("/w/api/queue").json()["queue"]


def pending(store):
    return store.db.execute("SELECT count(*) FROM workshop_queue").fetchone()[0]


def test_join_contribute_accept_reaches_the_store_and_projector(app):
    phone, boss = Phone(app), Facilitator(app)
    assert phone.joined.status_code == 200
    r = phone.add("actor", name="Hollin Youth Club", kind="youth_org", sub_area="Nether Wyke",
                  influence="3", stance="supportive")
    assert r.status_code == 200 and r.json()["ref"] == "q1"
    r = phone.add("tie", source="q1", target=app.state.workshop.ref("hbl"), how_well="very well")
    assert r.status_code == 200
    item = boss.queue()[0]
    assert item["nickname"] == "Sam" and item["values"]["name"] == "Hollin Youth Club"
    # the tie waits for its actor
    r = boss.act("accept", id=2)
    assert r.status_code == 409
    assert r.json()["error"] == ("Accept or merge 'Hollin Youth Club' first; this tie needs them "
                                 "on the map.")
    assert boss.act("accept", id=1).json()["result"]["result"] == "hollin_youth_club"
    assert boss.act("accept", id=2).status_code == 200
    store = app.state.workshop.store
    m = store.map()
    assert m.actors.loc["hollin_youth_club", "sub_area"] == "Nether Wyke"
    assert m.actors.loc["hollin_youth_club", "stance"] == 1
    tie = m.ties[(m.ties["source"] == "hollin_youth_club") & (m.ties["target"] == "hbl")]
    assert tie["strength"].tolist() == [3]
    log = store.changes()
    assert set(log["who"].head(2)) == {"workshop: Sam"}
    data = boss.c.get("/w/projector/data").json()
    assert "Hollin Youth Club" in [n["label"] for n in data["nodes"]]
    assert data["change"] == store.last_change()
    # the phone sees its contributions on the map
    mine = phone.c.get("/w/api/me").json()["mine"]
    assert [x["status"] for x in mine] == ["accepted", "accepted"]


def test_projector_and_phones_follow_the_sharing_rules(app):
    phone, other, boss = Phone(app, "Sam"), Phone(app, "Priya"), Facilitator(app)
    phone.add("actor", name="Jo Bloggs", kind="resident", influence="5", stance="champion")
    boss.act("accept", id=1)
    data = boss.c.get("/w/projector/data").json()
    text = json.dumps(data)
    node = next(n for n in data["nodes"] if n["label"] == "Jo Bloggs")
    fields = dict(node["fields"])
    assert "stance" not in fields and "influence" not in fields
    assert "champion" not in text and "07700" not in text
    assert "Ann Smith" not in text  # ok_to_name = no: a pseudonym
    assert "Cllr Derek Whitlow" not in text  # an office-holder by role
    page = boss.c.get("/w/projector/map").text
    assert "07700" not in page and "Ann Smith" not in page and "champion" not in page
    seen = other.c.get("/w/api/me").text
    assert "Sam" not in seen and "07700" not in seen and "Ann Smith" not in seen
    assert "Priya" in seen
    names = [a["name"] for a in other.c.get("/w/api/me").json()["actors"]]
    assert "Jo Bloggs" in names and "Cllr Derek Whitlow" not in names
    # phones cannot read the queue (other nicknames) or the app's pages' data via /w/
    assert other.c.get("/w/api/queue").status_code == 401
    assert other.c.get("/w/projector/data").status_code == 401


@pytest.mark.parametrize("name, message", [
    ("", "The name is empty. Type it in, then send again."),
    ("   ", "The name is empty. Type it in, then send again."),
    ("x" * 10_000, "The name is too long (10,000 characters; at most 120). Shorten it."),
    ("Ann\x00Smith", "The name contains invisible control characters. Type it again by hand."),
    ("Ann\u202eSmith", "The name contains invisible control characters. Type it again by hand."),
    ('<script>alert(1)</script>', "The name cannot contain < or >. Type just the name."),
    ("=HYPERLINK(\"x\")", "The name cannot start with =."),
])
def test_bad_input_from_a_phone_gets_a_message_and_nothing_is_stored(app, name, message):
    phone = Phone(app)
    r = phone.add("actor", name=name, kind="resident")
    assert r.status_code == 422 and r.json()["error"] == message
    assert pending(app.state.workshop.store) == 0


def test_other_bad_input(app):
    phone = Phone(app)
    cases = [(phone.add("actor", name="Ann", kind="wizard"),
              "Choose what kind of person or body this is from the list."),
             (phone.add("actor", name="Ann", kind="resident", influence="9"),
              "The influence tower is 0 to 5 blocks."),
             (phone.add("tie", source="zzz", target="q1"),
              "That person or body is not on the map any more. Reload and pick from the list."),
             (phone.post("/w/api/contribute", {"what": "poem", "values": {}}),
              "Add a person or body, or say who knows whom.")]
    for r, message in cases:
        assert r.json()["error"] == message
    assert pending(app.state.workshop.store) == 0
    bad = Phone(app, "x" * 31)
    assert bad.joined.status_code == 422
    assert bad.joined.json()["error"] == ("Your nickname is too long (31 characters; at most "
                                          "30). Shorten it.")


def test_facilitator_actions_need_the_token(app):
    c = TestClient(app, base_url="http://127.0.0.1")
    c.get("/w/join")
    csrf = {"x-csrf-token": c.cookies.get("influence_csrf")}
    assert c.post("/w/api/undo", json={}, headers=csrf).status_code == 401
    assert c.post("/w/api/undo?f=wrong", json={}, headers=csrf).status_code == 403
    assert c.get("/w/facilitator").status_code == 401
    assert c.get("/w/facilitator?f=wrong").status_code == 403
    assert c.get("/w/projector?k=wrong").status_code == 403
    boss = Facilitator(app)
    # the facilitator's cookie works, but not without the page's CSRF value
    assert boss.c.post("/w/api/pause", json={"paused": True}).status_code == 403
    assert not app.state.workshop.paused


def test_pause_revoke_rate_limit(app):
    w = app.state.workshop
    phone, boss = Phone(app), Facilitator(app)
    boss.act("pause", paused=True)
    r = phone.add("actor", name="Ann", kind="resident")
    assert r.status_code == 423 and "paused" in r.json()["error"]
    boss.act("pause", paused=False)
    assert phone.add("actor", name="Ann", kind="resident").status_code == 200
    old = w.code
    new = boss.act("revoke").json()["result"]["code"]
    assert new != old and re.fullmatch(r"[A-Z2-9]{6}", new)
    r = phone.add("actor", name="Bob", kind="resident")
    assert r.status_code == 403 and "join code has been changed" in r.json()["error"]
    assert Phone(app, "Late", code=old).joined.status_code == 403
    fresh = Phone(app, "Late", code=new.lower())
    assert fresh.joined.status_code == 200
    w.rate = (3, 60.0)
    codes = [fresh.add("actor", name=f"P{i}", kind="resident").status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    assert pending(w.store) == 4
    # one device cannot flood the room with joins (wrong codes count too)
    tries = [Phone(app, f"N{i}").joined.status_code for i in range(19)]
    assert tries[-1] == 429


def test_merge_undo_reject(app):
    phone, boss = Phone(app), Facilitator(app)
    phone.add("actor", name="Derek Whitlow", kind="ward_councillor", sub_area="Wykes",
              influence="4")
    phone.add("actor", name="Nobody Real", kind="resident")
    item = boss.queue()[0]
    assert item["looks_like"][0] == {"id": "dw", "name": "Cllr Derek Whitlow", "score": 1.0}
    assert boss.act("merge", id=1, actor="dw").status_code == 200
    store = app.state.workshop.store
    a = store.map().actors.loc["dw"]
    assert (a["sub_area"], a["influence"], a["stance"]) == ("Wykes", 4, -1)  # blanks filled
    assert len(store.map().actors) == 3
    assert boss.act("undo").json()["result"]["status"] == "pending"
    assert store.map().actors.loc["dw"].isna()["sub_area"]
    assert boss.act("reject", id=2).json()["result"]["status"] == "rejected"
    assert boss.act("reject", id=2).json()["error"] == ("Contribution 2 has already been "
                                                       "rejected.")
    boss.act("accept", id=1, values={"name": "Derek Whitlow (county)"})
    assert store.map().actors.loc["derek_whitlow_county", "name"] == "Derek Whitlow (county)"
    boss.act("undo")
    assert "derek_whitlow_county" not in store.map().actors.index
    assert boss.act("undo").json()["error"] == "There is nothing to undo."


def test_view_end_and_snapshot(app, db):
    phone, boss = Phone(app), Facilitator(app)
    assert boss.act("view", view="gatekeepers").status_code == 200
    assert boss.act("view", view="nope").status_code == 400
    phone.add("actor", name="Hollin Youth Club", kind="youth_org")
    boss.act("accept", id=1)
    name = boss.act("end", name="workshop June").json()["result"]["snapshot"]
    assert name == "workshop June"
    assert phone.add("actor", name="Late", kind="resident").status_code == 403
    app.state.workshop.store.close()
    m = influence.read(f"{db}@workshop June")
    assert "hollin_youth_club" in m.actors.index


def test_events_stream(app):
    phone, boss = Phone(app), Facilitator(app)
    r = boss.c.get("/w/events?role=projector&once=1")
    assert r.headers["content-type"].startswith("text/event-stream")
    state = json.loads(r.text.split("data: ", 1)[1])
    assert state["view"] == "map" and state["code"] == app.state.workshop.code
    r = phone.c.get("/w/events?once=1")
    assert json.loads(r.text.split("data: ", 1)[1])["code"] is None  # phones get no codes
    assert TestClient(app, base_url="http://127.0.0.1").get("/w/events?once=1").status_code == 401


def test_queue_survives_a_restart_and_the_keys_stay(db):
    app = create_app(db, workshop=True)
    w = app.state.workshop
    keys = (w.facilitator_token, w.projector_key, w.code)
    Phone(app).add("actor", name="Ann Other", kind="resident")
    w.store.close()
    again = create_app(db, workshop=True).state.workshop
    assert (again.facilitator_token, again.projector_key, again.code) == keys
    assert [i["values"]["name"] for i in again.queue("pending")] == ["Ann Other"]
    again.store.close()


def test_a_schema_1_store_is_migrated(tmp_path):
    path = tmp_path / "old.influence.db"
    Store.create(path, influence.datasets.load("karate")).close()
    con = sqlite3.connect(path)
    con.executescript("DROP TABLE workshop_queue; DROP TABLE workshop_participants; "
                      "DROP TABLE workshop_state; DELETE FROM schema_migrations WHERE version = 2;"
                      "PRAGMA user_version = 1;")
    con.close()
    with Store(path) as s:
        assert s.db.execute("PRAGMA user_version").fetchone()[0] == 2
        w = Workshop(s)
        assert w.join(w.code, "Sam")
        assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_clean_text_keeps_ordinary_names():
    for name in ("Siobhán O'Neill", "St Mary's C of E Primary", "Ali & Sons Ltd", "Café 2-4-1"):
        assert clean_text(name, field="name", label="The name") == name


def test_cli_messages(tmp_path):
    from influence.cli import main

    r = CliRunner().invoke(main, ["workshop", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 1
    assert r.output == (f"Error: {tmp_path / 'x.xlsx'} does not exist. Fix: check the path, or "
                        "start a new map with --new --area CODE.\n")
    r = CliRunner().invoke(main, ["workshop", str(tmp_path / "x.influence.db"), "--new"])
    assert r.exit_code == 2 and "--new needs --area CODE" in r.output
    r = CliRunner().invoke(main, ["workshop", str(tmp_path / "x.influence.db"), "--area", "X"])
    assert r.exit_code == 2 and "--area goes with --new." in r.output


def _start(db, port, env):
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "workshop", str(db),
                             *(["--port", str(port)] if port else []), "--no-browser"],
                            stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, env=env, text=True, cwd=ROOT)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.startswith("Press Ctrl-C"):
            break
    return proc, "".join(lines)


def test_kill_9_loses_nothing_accepted_or_queued(db):
    from influence.app import free_port

    port = free_port("127.0.0.1")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc, out = _start(db, port, env)
    try:
        urls = dict(re.findall(r"(Projector|Facilitator|Participants)[^:]*:\s+(\S+)", out))
        assert urls["Participants"].startswith(f"http://127.0.0.1:{port}/w/join?code=")
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        page = opener.open(urls["Participants"]).read().decode()
        csrf = re.search(r'name="csrf" content="([^"]+)"', page).group(1)
        code = urls["Participants"].rsplit("=", 1)[1]

        def post(url, body):
            req = urllib.request.Request(f"http://127.0.0.1:{port}{url}",
                                         data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json",
                                                  "X-CSRF-Token": csrf})
            return json.loads(opener.open(req).read())

        assert post("/w/api/join", {"code": code, "nickname": "Sam"})["ok"]
        for name in ("Accepted One", "Waiting Two"):
            post("/w/api/contribute", {"what": "actor",
                                       "values": {"name": name, "kind": "resident"}})
        opener.open(urls["Facilitator"]).read()
        assert post("/w/api/accept", {"id": 1})["ok"]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    proc, out = _start(db, None, env)  # no --port: the same one as before
    try:
        # the same address and join code: phones reconnect by themselves
        assert f"http://127.0.0.1:{port}/w/join?code={code}" in out
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as r:
            assert r.read() == b"ok"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(20)
    with Store(db) as s:
        assert "accepted_one" in s.map().actors.index
        assert s.db.execute("SELECT payload FROM workshop_queue WHERE status = 'pending'"
                            ).fetchall() == [(json.dumps({"name": "Waiting Two",
                                                          "kind": "resident"}),)]
        assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"



def test_projector_layout_is_stable(app):
    phone, boss = Phone(app), Facilitator(app)
    before = {n["label"]: (n["x"], n["y"]) for n in boss.c.get("/w/projector/data").json()["nodes"]}
    phone.add("actor", name="Hollin Youth Club", kind="youth_org")
    boss.act("accept", id=1)
    phone.add("tie", source=app.state.workshop.ref("hollin_youth_club"),
              target=app.state.workshop.ref("hbl"))
    boss.act("accept", id=2)
    after = {n["label"]: (n["x"], n["y"]) for n in boss.c.get("/w/projector/data").json()["nodes"]}
    assert {k: after[k] for k in before} == before  # nobody moved
    # the first draw keeps the map's own layout (not everyone piled on their neighbours)
    assert len(set(before.values())) == len(before)
    # a newcomer is placed once and stays there, whatever ties it gains later
    phone.add("actor", name="Nether Wyke Allotments", kind="vcse_org")
    boss.act("accept", id=3)
    placed = {n["label"]: (n["x"], n["y"]) for n in
              boss.c.get("/w/projector/data").json()["nodes"]}
    assert placed["Hollin Youth Club"] == after["Hollin Youth Club"]
    # newcomers land on a ring just outside the map, not on top of anyone
    for name in ("Hollin Youth Club", "Nether Wyke Allotments"):
        x, y = placed[name]
        assert min(((x - a) ** 2 + (y - b) ** 2) ** 0.5 for a, b in before.values()) > 40
    assert placed["Hollin Youth Club"] != placed["Nether Wyke Allotments"]
    tops = {n["label"]: n["top"] for n in boss.c.get("/w/projector/data").json()["nodes"]}
    assert tops["Hollin Youth Club"] and tops["Nether Wyke Allotments"]  # labelled


def test_a_tower_for_someone_on_the_map(app):
    phone, boss = Phone(app), Facilitator(app)
    w = app.state.workshop
    r = phone.add("rate", actor=w.ref("dw"), influence="5", stance="supportive")
    assert r.status_code == 200
    assert phone.add("rate", actor=w.ref("dw")).json()["error"] == (
        "Choose a tower height (0-5) or a stance.")
    assert phone.add("rate", actor=w.ref("dw"), influence="6").json()["error"] == (
        "The influence tower is 0 to 5 blocks.")
    item = boss.queue()[0]
    assert item["labels"] == ["Cllr Derek Whitlow"]  # the facilitator sees the real name
    assert boss.act("accept", id=1).status_code == 200
    a = w.store.map().actors.loc["dw"]
    assert (a["influence"], a["stance"]) == (5, 1)
    mine = phone.c.get("/w/api/me").json()["mine"]
    assert mine[0]["name"] == "a tower for Ward councillor"  # the phone, by role
    data = json.dumps(boss.c.get("/w/projector/data").json())
    assert "supportive" not in data  # a named person's stance never reaches the screen


def test_facilitator_edits_are_checked_too(app):
    phone, boss = Phone(app), Facilitator(app)
    phone.add("actor", name="Youth club", kind="youth_org")
    r = boss.act("accept", id=1, values={"name": "<b>Youth</b>", "sub_area": "Wykes"})
    assert r.status_code == 422
    assert r.json()["error"] == "The name cannot contain < or >. Type just the name."
    assert boss.queue()[0]["status"] == "pending"
    r = boss.act("accept", id=1, values={"name": "Hollin Youth Club", "sub_area": "Wykes",
                                         "kind": "vcse_org", "private_phone": "1"})
    assert r.status_code == 200
    a = app.state.workshop.store.map().actors.loc["hollin_youth_club"]
    assert (a["name"], a["sub_area"], a["kind"]) == ("Hollin Youth Club", "Wykes", "vcse_org")
    assert app.state.workshop.store.get("actors", "hollin_youth_club")[0].get(
        "private_phone") is None  # a facilitator's edit sets only the fields a phone may
