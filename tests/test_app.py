"""influence app: API and page tests with Starlette's TestClient (no browser)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

import influence
from influence.store import Store

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from influence.app import create_app, files_folder  # noqa: E402

HOSTILE = '<img src=x onerror="window.pwned=1">'


@pytest.fixture
def db(tmp_path):
    m = influence.build(
        actors=[{"id": "hbl", "name": "Big Local", "kind": "big_local_partnership"},
                {"id": "ann", "name": "Ann", "kind": "resident", "private_phone": "07700 900123"},
                {"id": "pc", "name": "Parish Council", "kind": "parish_council"}],
        ties=[{"source": "ann", "target": "hbl", "kind": "member_of"},
              {"source": "hbl", "target": "pc", "strength": 2}])
    path = tmp_path / "area.influence.db"
    influence.write(m, path)
    return path


@pytest.fixture
def client(db):
    with TestClient(create_app(db), base_url="http://127.0.0.1") as c:
        yield c


def csrf(client):
    r = client.get("/actors")
    return re.search(r'name="csrf" content="([^"]+)"', r.text).group(1)


def change(client, body, token=None):
    return client.post("/api/change", json=body,
                       headers={"X-CSRF-Token": token or csrf(client), "X-Influence-Who": "Jo"})


def test_healthz_and_pages(client):
    assert client.get("/healthz").text == "ok"
    for url in ("/map", "/actors", "/ties", "/import", "/review", "/history", "/export"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-security-policy"].startswith("default-src 'self'; "
                                                               "script-src 'self'")
        assert "<script>" not in r.text and "style=" not in r.text  # nothing inline
    assert client.get("/", follow_redirects=False).headers["location"] == "/map"


def test_edit_validate_and_conflict(client, db):
    rows = client.get("/api/actors").json()["rows"]
    ann = next(r for r in rows if r["_key"] == "ann")
    assert ann["private_phone"] == "07700 900123"  # editable in the app
    token = csrf(client)
    r = change(client, {"table": "actors", "op": "update", "id": "ann",
                        "version": ann["_version"], "values": {"influence": "9"}}, token)
    assert r.status_code == 422
    assert r.json()["errors"] == [{"column": "influence", "message":
                                   "Influence must be between 0 and 5 (you typed '9'). Use a "
                                   "number from 0 (none) to 5 (a great deal)."}]
    r = change(client, {"table": "actors", "op": "update", "id": "ann",
                        "version": ann["_version"], "values": {"stance": "champion"}}, token)
    assert r.status_code == 200 and r.json()["row"]["stance"] == 2
    r = change(client, {"table": "actors", "op": "update", "id": "ann",
                        "version": ann["_version"], "values": {"name": "Annie"}}, token)
    assert r.status_code == 409
    assert "Someone else changed 'Ann' after you opened it" in r.json()["conflict"]
    assert "stance = 2" in r.json()["conflict"]
    assert r.json()["row"]["stance"] == 2
    with Store(db) as s:
        log = s.changes(limit=1)
        assert log["who"].iloc[0] == "Jo"


def test_add_and_delete_rows(client):
    token = csrf(client)
    r = change(client, {"table": "actors", "op": "add",
                        "values": {"id": "cllr", "name": HOSTILE, "kind": "Cllr"}}, token)
    assert r.status_code == 200 and r.json()["row"]["kind"] == "ward_councillor"
    r = change(client, {"table": "ties", "op": "add",
                        "values": {"source": "cllr", "target": "nobody"}}, token)
    assert r.status_code == 422
    assert r.json()["errors"][0]["column"] == "target"
    r = change(client, {"table": "ties", "op": "add",
                        "values": {"source": "cllr", "target": "pc", "kind": "represents"}}, token)
    assert r.status_code == 200
    key = r.json()["row"]["_key"]
    assert r.json()["row"]["source"] == "cllr"
    r = change(client, {"table": "ties", "op": "delete", "id": key}, token)
    assert r.status_code == 200
    assert all(t["_key"] != key for t in client.get("/api/ties").json()["rows"])
    # user text is escaped on every page
    assert HOSTILE not in client.get("/history").text
    assert "&lt;img src=x" in client.get("/history").text


def test_csrf_required_on_every_state_changing_request(client):
    client.get("/actors")
    for url in ("/api/change", "/import", "/import/apply", "/review", "/undo", "/snapshot"):
        r = client.post(url, data={"x": "1"})
        assert r.status_code == 403, url
        assert "security check" in r.text or "Refused" in r.text
    r = client.post("/api/change", json={"table": "actors", "op": "delete", "id": "ann"},
                    headers={"X-CSRF-Token": csrf(client), "Origin": "http://evil.example"})
    assert r.status_code == 403 and "another site" in r.text


def test_other_hosts_refused_locally(client):
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400


def test_token_required_off_this_machine(db):
    app = create_app(db, token="s3cret-token-value")
    with TestClient(app, base_url="http://127.0.0.1") as c:
        assert c.get("/healthz").status_code == 401
        assert c.get("/map").status_code == 401
        assert c.get("/map?token=wrong").status_code == 403
        r = c.get("/map?token=s3cret-token-value")
        assert r.status_code == 200
        assert c.get("/api/actors").status_code == 200  # the cookie carries it on


def test_upload_cap(client):
    token = csrf(client)
    big = b"x" * (25 * 1024 * 1024 + 10)
    r = client.post("/import", files={"file": ("big.xlsx", big)}, data={"csrf": token})
    assert r.status_code == 413 and "larger than 25 MB" in r.text

    def chunks():  # no Content-Length: counted as it arrives, refused past the cap
        for _ in range(30):
            yield b"x" * (1024 * 1024)

    r = client.post("/import", content=chunks(),
                    headers={"content-type": "multipart/form-data; boundary=abc"})
    assert r.status_code == 413 and "larger than 25 MB" in r.text


def test_import_preview_and_apply(client, db, tmp_path):
    m = influence.read(db)
    actors = m.actors.drop(index="pc").drop(columns="private_phone")
    actors.loc["ann", "influence"] = 3.0
    ties = m.ties[m.ties["target"] != "pc"].reset_index(drop=True)
    src = tmp_path / "new.xlsx"
    influence.write(influence.InfluenceMap(actors, ties), src)
    token = csrf(client)
    r = client.post("/import", files={"file": ("../../etc/passwd.xlsx", src.read_bytes())},
                    data={"csrf": token})
    assert r.status_code == 200
    assert "0 actors and 0 ties added; 1 actor and 0 ties changed; 1 actor and 1 tie removed." \
        in r.text
    assert len(client.get("/api/actors").json()["rows"]) == 3  # nothing written yet
    ident = re.search(r'name="upload" value="([^"]+)"', r.text).group(1)
    uploads = list((files_folder(db) / "uploads").iterdir())
    assert [p.name for p in uploads] == [f"{ident}.xlsx"]  # never the user's file name
    r = client.post("/import/apply", data={"csrf": token, "upload": ident, "suffix": ".xlsx",
                                           "filename": "new.xlsx"})
    assert r.status_code == 200 and "Imported" in r.text
    assert len(client.get("/api/actors").json()["rows"]) == 2
    r = client.post("/import/apply", data={"csrf": token, "upload": "../../x" * 4,
                                           "suffix": ".xlsx"})
    assert r.status_code == 400
    bad = client.post("/import", files={"file": ("notes.txt", b"hello")}, data={"csrf": token})
    assert bad.status_code == 422 and "is not a map file" in bad.text
    broken = client.post("/import", files={"file": ("broken.xlsx", b"PK nonsense")},
                         data={"csrf": token})
    assert broken.status_code == 422 and "broken.xlsx" in broken.text


def test_review_history_compare_undo(client, db):
    token = csrf(client)
    r = client.post("/review", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/review/1"
    page = client.get("/review/1")
    assert "Saved as snapshot" in page.text
    report = client.get("/review/1/report.html")
    assert report.status_code == 200
    assert "frame-ancestors 'self'" in report.headers["content-security-policy"]
    assert client.get("/review/1/../../area.influence.db").status_code == 404
    assert client.get("/review/1/review.xlsx").status_code == 404
    z = zipfile.ZipFile(io.BytesIO(client.get("/review/1.zip").content))
    assert "review-1/report.html" in z.namelist()
    assert not any(b"07700 900123" in z.read(n) for n in z.namelist())
    snap = Store(db).snapshots()["name"].iloc[0]
    change(client, {"table": "ties", "op": "add", "values": {"source": "pc", "target": "ann"}},
           token)
    change(client, {"table": "actors", "op": "update", "id": "pc",
                    "values": {"influence": "5"}}, token)
    r = client.get("/compare", params={"old": snap, "new": ""})
    assert r.status_code == 200 and "Ties: 1 gained, 0 lost" in r.text
    history = client.get("/history").text
    assert "influence: (empty) → 5.0" in history
    last = Store(db).changes(limit=1)["id"].iloc[0]
    r = client.post("/undo", data={"csrf": token, "change": str(last)}, follow_redirects=False)
    assert r.status_code == 303
    assert next(a for a in client.get("/api/actors").json()["rows"]
                if a["_key"] == "pc").get("influence") is None


def test_exports_never_carry_private_columns(client, db):
    for fmt in ("xlsx", "csv", "graphml", "html"):
        r = client.get(f"/export/{fmt}")
        assert r.status_code == 200, fmt
        body = r.content
        if fmt in ("xlsx", "csv"):
            z = zipfile.ZipFile(io.BytesIO(body))
            body = b"".join(z.read(n) for n in z.namelist())
        assert b"07700 900123" not in body and b"private_phone" not in body, fmt
    assert b"07700" not in client.get("/map/page").content
    r = client.get("/export/xlsx")
    out = files_folder(db) / "check.xlsx"
    out.write_bytes(r.content)
    assert influence.read(out).equals(influence.read(db).public())
    assert client.get("/export/exe").status_code == 404
    assert client.get("/export/xlsx?snapshot=nope").status_code == 422


def test_cli_app_help_and_import(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import influence.app as app_module
    from influence.cli import main

    calls = []
    monkeypatch.setattr(app_module, "serve", lambda path, **kw: calls.append((path, kw)))
    src = tmp_path / "area.xlsx"
    influence.write(influence.datasets.load("karate"), src)
    r = CliRunner().invoke(main, ["app", str(src), "--no-browser", "--port", "8123"])
    assert r.exit_code == 0, r.output
    assert "Imported area.xlsx into" in r.output and "(34 actors, 78 ties)" in r.output
    assert calls[0][0] == tmp_path / "area.influence.db"
    assert calls[0][1]["port"] == 8123 and calls[0][1]["open_browser"] is False
    r = CliRunner().invoke(main, ["app", str(tmp_path / "nope.xlsx")])
    assert r.exit_code == 1 and "nope.xlsx does not exist" in r.output


def _start(args, cwd):
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-c", "import sys; from influence.cli import main; "
                             "main(sys.argv[1:])", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        lines.append(line)
        if line.startswith("Press Ctrl-C") or not line:
            break
    return proc, "".join(lines)


def _get(url):
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_serve_then_ctrl_c_stops_cleanly(db, host):
    import signal
    from pathlib import Path

    from influence.app import free_port

    port = free_port("127.0.0.1")
    root = Path(__file__).resolve().parents[1]
    proc, out = _start(["app", str(db), "--no-browser", "--port", str(port), "--host", host],
                       root)
    try:
        url = re.search(r"at (http://\S+)", out).group(1)
        assert url.startswith(f"http://127.0.0.1:{port}/")
        if host == "127.0.0.1":
            assert "token" not in url
            assert _get(f"http://127.0.0.1:{port}/healthz") == (200, "ok")
        else:  # reachable from elsewhere: the token is needed
            assert "?token=" in url and "keep it to the partnership" in out
            assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 401
            assert _get(f"http://127.0.0.1:{port}/healthz?token=wrong")[0] == 403
            assert _get(url.replace("/?", "/healthz?")) == (200, "ok")
    finally:
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=30)[1]
    assert proc.returncode == 0, rest
    assert "Stopped." in rest and "Traceback" not in rest
    assert Store(db).db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("host", ["testserver", "evil.example", "intranet"])
def test_a_local_app_answers_only_to_local_host_names(db, host):
    with TestClient(create_app(db), base_url=f"http://{host}") as c:
        assert c.get("/api/actors").status_code == 400  # no DNS rebinding to private data
    with TestClient(create_app(db), base_url="http://localhost") as c:
        assert c.get("/healthz").status_code == 200
