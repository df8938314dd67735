"""influence workshop in a real headless Chromium, four browsers at once: two phones, the
facilitator and the projector (1280x720). Every request outside the workshop is blocked and
counted (there must be none); any script error or CSP violation fails the test.

A participant adds an actor and a tie, the facilitator accepts them and the projector shows
both within a second; a merge; an undo; the server is killed (SIGKILL) and restarted in the
middle, and nothing accepted is lost while phones, facilitator and projector reconnect.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import influence
from influence.store import Store

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                               "(pip install influence[test])")
pytest.importorskip("uvicorn")


ROOT = Path(__file__).resolve().parents[1]
PHONE = {"viewport": {"width": 393, "height": 851}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
HOSTILE = '<img src=x onerror="window.pwned=1">'


class Server:
    """``influence workshop FILE`` in its own process, so it can be killed with SIGKILL."""

    def __init__(self, db):
        from influence.app import free_port

        self.db, self.port = db, free_port("127.0.0.1")
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "cli.py"), "workshop", str(self.db), "--port",
             str(self.port), "--no-browser"], stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL, env=env, text=True, cwd=ROOT)
        out = []
        for line in self.proc.stderr:
            out.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        text = "".join(out)
        self.urls = dict(re.findall(r"(Projector|Facilitator|Participants)[^:]*:\s+(\S+)", text))
        assert len(self.urls) == 3, text
        return self

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


class Tab:
    def __init__(self, browser, base, **options):
        self.base = base
        self.context = browser.new_context(**options)
        self.outside, self.errors = [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" else None)
        self.page.on("dialog", lambda d: d.accept())

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def check_clean(self, expected=()):
        assert self.outside == []
        allowed = ("ERR_CONNECTION_REFUSED", "ERR_EMPTY_RESPONSE", "ERR_INCOMPLETE_CHUNKED",
                   "net::ERR") + tuple(expected)
        assert [e for e in self.errors if "favicon" not in e
                and not any(x in e for x in allowed)] == []


def _until(page, script, arg=None, timeout=15.0):
    """Poll ``script`` (a JS function) until it is true (the page's CSP forbids
    wait_for_function's eval)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if page.evaluate(script, arg):
            return True
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {script[:80]!r} ({arg!r})")


def _projector_has(page, label, edge_to=None):
    """The projector's live map holds a node labelled ``label`` (tied to ``edge_to``)."""
    return _until(page,
        """([label, other]) => {
          const f = document.getElementById('map-frame');
          const M = f && f.contentWindow && f.contentWindow.influenceMap;
          if (!M) return false;
          const nodes = M.nodes.get();
          const find = (l) => M.data.nodes.find(n => n.label === l);
          const n = find(label);
          if (!n || !nodes.some(v => v.id === n.id)) return false;
          if (!other) return true;
          const o = find(other);
          return !!o && M.edges.get().some(e =>
            (e.from === n.id && e.to === o.id) || (e.from === o.id && e.to === n.id));
        }""", [label, edge_to])


def _edge_count(page):
    return page.evaluate("document.getElementById('map-frame').contentWindow"
                         ".influenceMap.edges.get().length")


def _join(tab, url, nickname):
    tab.page.goto(url)
    tab.page.fill("#join input[name=nickname]", nickname)
    tab.page.click("#join button[type=submit]")
    tab.page.wait_for_selector("#work:not([hidden])")


def _add_actor(tab, name, kind, tower=None):
    p = tab.page
    p.fill("#add-actor input[name=name]", name)
    p.select_option("#add-actor select[name=kind]", kind)
    if tower is not None:
        p.check(f"#add-actor input[name=influence][value='{tower}']")
    with p.expect_response("**/w/api/contribute"):
        p.click("#add-actor button[type=submit]")


def _decide(tab, text, button):
    """Click ``button`` (a CSS class) on the waiting item whose text contains ``text``."""
    p = tab.page
    item = p.locator("#queue li", has_text=text)
    item.wait_for(timeout=15000)
    with p.expect_response("**/w/api/*") as resp:
        item.locator(f"button.{button}").first.click()
    return resp.value


@pytest.fixture
def hall(tmp_path):
    m = influence.build(
        actors=[{"id": "hbl", "name": "Big Local", "kind": "big_local_partnership"},
                {"id": "dw", "name": "Cllr Derek Whitlow", "kind": "ward_councillor"},
                {"id": "school", "name": "Hollin Primary", "kind": "school"},
                {"id": "ann", "name": "Ann Smith", "kind": "resident", "stance": "champion",
                 "private_phone": "07700 900123"}],
        ties=[{"source": "ann", "target": "hbl", "kind": "member_of"},
              {"source": "hbl", "target": "dw"}, {"source": "school", "target": "hbl"}])
    db = tmp_path / "hall.influence.db"
    Store.create(db, m).close()
    server = Server(db).start()
    yield server
    server.stop()


def test_workshop_flow(browser, hall):
    base = hall.base
    projector = Tab(browser, base, viewport={"width": 1280, "height": 720})
    boss = Tab(browser, base, viewport={"width": 1280, "height": 800})
    sam, priya = Tab(browser, base, **PHONE), Tab(browser, base, **PHONE)
    tabs = (projector, boss, sam, priya)
    try:
        projector.page.goto(hall.urls["Projector"])
        _projector_has(projector.page, "Big Local")
        assert projector.page.locator(".join img").get_attribute("src").startswith(
            "data:image/svg+xml")
        boss.page.goto(hall.urls["Facilitator"])
        _join(sam, hall.urls["Participants"], "Sam")
        # a hostile nickname is refused with a message on the phone, and never runs
        priya.page.goto(hall.urls["Participants"])
        priya.page.fill("#join input[name=nickname]", HOSTILE)
        priya.page.click("#join button[type=submit]")
        priya.page.wait_for_selector("#error:not([hidden])")
        assert priya.page.locator("#error").inner_text() == (
            "Your nickname cannot contain < or >. Type just the name.")
        assert priya.page.evaluate("window.pwned") is None
        _join(priya, hall.urls["Participants"], "Priya")
        assert sam.page.locator("#join").is_hidden()

        # a phone adds an actor and a tie; the facilitator accepts; the projector shows both
        _add_actor(sam, "Hollin Youth Club", "youth_org", tower=3)
        sam.page.wait_for_selector("#add-tie option:has-text('Hollin Youth Club (waiting)')",
                                   state="attached")
        sam.page.select_option("#add-tie select[name=source]",
                               label="Hollin Youth Club (waiting)")
        sam.page.select_option("#add-tie select[name=target]", label="Big Local")
        with sam.page.expect_response("**/w/api/contribute"):
            sam.page.click("#add-tie button[type=submit]")
        assert _decide(boss, "Hollin Youth Club (youth org", "accept").ok
        start = time.monotonic()
        _projector_has(projector.page, "Hollin Youth Club")
        actor_latency = time.monotonic() - start
        assert _decide(boss, "knows Big Local", "accept").ok
        start = time.monotonic()
        _projector_has(projector.page, "Hollin Youth Club", edge_to="Big Local")
        tie_latency = time.monotonic() - start
        assert actor_latency <= 1.0 and tie_latency <= 1.0, (actor_latency, tie_latency)
        # the projector follows the sharing rules
        data = projector.page.evaluate("JSON.stringify(document.getElementById('map-frame')"
                                       ".contentWindow.influenceMap.data)")
        assert "champion" not in data and "07700" not in data and "Sam" not in data

        _add_actor(priya, "Derek Whitlow", "ward_councillor")
        item = boss.page.locator("#queue li", has_text="Derek Whitlow (")
        item.wait_for()
        # merge: "looks like Cllr Derek Whitlow — merge?"
        merge = item.locator("button.merge")
        assert merge.inner_text() == "Looks like Cllr Derek Whitlow — merge?"
        assert _decide(boss, "Derek Whitlow (", "merge").ok
        boss.page.wait_for_selector("#done li:has-text('merged')")
        with Store(hall.db) as s:
            assert len(s.map().actors) == 5  # merged, not added
            assert s.db.execute("SELECT status FROM workshop_queue WHERE id = 3"
                                ).fetchone() == ("merged",)

        # undo twice: the merge, then the tie (the projector loses the edge)
        edges = _edge_count(projector.page)
        for _ in range(2):
            with boss.page.expect_response("**/w/api/undo"):
                boss.page.click("#undo")
        _until(projector.page, "(n) => document.getElementById('map-frame').contentWindow"
                               ".influenceMap.edges.get().length === n", edges - 1, 5.0)
        boss.page.wait_for_selector("#queue li:has-text('knows Big Local')")

        # kill -9 in the middle, restart: nothing accepted is lost, everyone reconnects
        hall.kill()
        projector.page.wait_for_selector("#live:has-text('reconnecting')", timeout=10000)
        hall.start()
        projector.page.wait_for_selector("#live:has-text('live')", timeout=15000)
        with Store(hall.db) as s:
            assert "hollin_youth_club" in s.map().actors.index
            assert s.db.execute("SELECT count(*) FROM workshop_queue WHERE status = 'pending'"
                                ).fetchone()[0] == 2  # the tie and the merge, back in the queue
        _add_actor(sam, "After The Restart", "resident")  # the phone's session still works
        assert _decide(boss, "After The Restart", "accept").ok
        start = time.monotonic()
        _projector_has(projector.page, "After The Restart")
        assert time.monotonic() - start <= 1.0
        # a refused input reaches the phone as a message
        sam.page.evaluate("document.querySelector('#add-actor input[name=name]').value = "
                          "'x'.repeat(200)")  # past the field's own maxlength
        sam.page.select_option("#add-actor select[name=kind]", "resident")
        with sam.page.expect_response("**/w/api/contribute"):
            sam.page.click("#add-actor button[type=submit]")
        # the message is written once the page has read the response: wait for it
        sync_api.expect(sam.page.locator("#error")).to_have_text(
            "The name is too long (200 characters; at most 120). Shorten it.")
        projector.check_clean()
        boss.check_clean()
        for phone in (sam, priya):  # before joining: 401; a refused input: 422
            phone.check_clean(expected=("status of 401", "status of 422"))
    finally:
        for tab in tabs:
            tab.context.close()
