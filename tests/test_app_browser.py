"""influence app in a real headless Chromium: every request outside the app is blocked and
counted (there must be none), and any script error or CSP violation fails the test.

The flow a partnership follows: import the demo → review it → edit a tie in the table →
the map shows it → review again → the report shows the change → compare with the earlier
snapshot → export the workbook and read it back equal to the store. Plus: two people editing
the same actor (the second gets the conflict message) and a hostile name that never runs.
"""

from __future__ import annotations

import json
import threading
import time

import pytest

import influence
from influence.store import Store

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                               "(pip install influence[test])")
pytest.importorskip("uvicorn")


HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


@pytest.fixture
def serve(tmp_path):
    """Start the app on a free localhost port, in a thread, over a store holding ``m``."""
    import uvicorn

    from influence.app import create_app, free_port

    servers = []

    def start(m=None):
        db = tmp_path / "area.influence.db"
        Store.create(db, m).close()
        port = free_port("127.0.0.1")
        srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                            log_level="warning", lifespan="on"))
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        servers.append((srv, thread))
        for _ in range(200):
            if srv.started:
                break
            time.sleep(0.05)
        return f"http://127.0.0.1:{port}", db

    yield start
    for srv, thread in servers:
        srv.should_exit = True
        thread.join(10)


class Tab:
    """A browser context on the app: outside requests blocked and counted, errors recorded."""

    def __init__(self, browser, base):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 800},
                                           accept_downloads=True)
        self.outside, self.errors, self.dialogs = [], [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" else None)
        self.page.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base + "/") or url == self.base:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.accept()

    def go(self, path):
        self.page.goto(self.base + path)
        return self.page

    def grid_ready(self):
        self.page.wait_for_selector(".tabulator-row", timeout=20000)

    def edit(self, field, value, row=0):
        self.page.evaluate("document.getElementById('messages').replaceChildren()")
        cell = self.page.locator(f".tabulator-row >> nth={row}").locator(
            f'.tabulator-cell[tabulator-field="{field}"]')
        cell.click()
        editor = cell.locator("input")
        editor.fill(str(value))
        editor.press("Enter")

    def message(self):
        self.page.wait_for_selector("#messages p", timeout=20000)
        return self.page.locator("#messages p").inner_text()

    def check_clean(self):
        assert self.outside == []
        expected = ("status of 409", "status of 422")  # a conflict or a rejected value
        assert [e for e in self.errors if "favicon" not in e
                and not any(x in e for x in expected)] == []


def _map_data(page):
    frame = page.frame_locator("#map")
    text = frame.locator("#map-data").text_content(timeout=30000)
    return json.loads(text)


def _has_edge(data, a, b):
    index = {n["fields"][0][1]: n["id"] for n in data["nodes"]}
    ia, ib = index[a], index[b]
    return any({e[0], e[1]} == {ia, ib} for e in data["edges"])


def test_partnership_flow(browser, serve, tmp_path):
    base, db = serve()
    demo = influence.datasets.load("hollinford")
    src = tmp_path / "hollinford.xlsx"
    influence.write(demo, src)
    tab = Tab(browser, base)

    # import the demo, with a preview first
    page = tab.go("/import")
    page.set_input_files("#file", str(src))
    page.click("#preview")
    assert "293 actors and 832 ties added" in page.locator("#preview-sentence").inner_text()
    page.click("#apply")
    page.wait_for_selector(".ok")
    assert influence.read(db).equals(demo)

    # the first review saves a snapshot
    page = tab.go("/review")
    page.click("#run")
    page.wait_for_url("**/review/1", timeout=180000)
    first = Store(db).snapshots()["name"].iloc[-1]

    # edit a tie in the table: margaret_hale's first tie now goes to someone new
    m = influence.read(db)
    near = set(m.ties.loc[m.ties["source"] == "margaret_hale", "target"]) | set(
        m.ties.loc[m.ties["target"] == "margaret_hale", "source"])
    new_target = next(a for a in m.actors.index if a not in near and a != "margaret_hale")
    page = tab.go("/ties")
    tab.grid_ready()
    page.fill("#search", "margaret_hale")
    old_target = page.locator('.tabulator-row >> nth=0').locator(
        '.tabulator-cell[tabulator-field="target"]').inner_text()
    tab.edit("target", new_target)
    assert tab.message().startswith("Saved")

    # the map shows it
    page = tab.go("/map")
    assert _has_edge(_map_data(page), "margaret_hale", new_target)
    page.frame_locator("#map").locator("body[data-drawn='1']").wait_for(timeout=30000)

    # a second review, compared with the first: the report shows the change
    page = tab.go("/review")
    assert page.locator("select[name=previous]").input_value() == first
    page.click("#run")
    page.wait_for_url("**/review/2", timeout=180000)
    report = page.frame_locator("#report")
    body = report.locator("body").inner_text(timeout=30000)
    assert "1 gained, 1 lost" in body
    with page.expect_download() as dl:
        page.click("#zip")
    assert dl.value.suggested_filename == "review-2.zip"

    # compare with the earlier snapshot in the history
    page = tab.go("/history")
    page.select_option("#compare select[name=old]", first)
    page.select_option("#compare select[name=new]", "")
    page.click("#compare button")
    assert "Ties: 1 gained, 1 lost" in page.locator("#sentences").inner_text()
    assert old_target

    # export the workbook and read it back: equal to the store
    page = tab.go("/export")
    with page.expect_download() as dl:
        page.click("#export-xlsx")
    out = tmp_path / "exported.xlsx"
    dl.value.save_as(out)
    assert influence.read(out).equals(influence.read(db).public())
    tab.check_clean()


def test_two_people_editing_the_same_actor(browser, serve):
    base, db = serve(influence.datasets.load("karate"))
    first, second = Tab(browser, base), Tab(browser, base)
    for tab in (first, second):
        tab.go("/actors")
        tab.grid_ready()
        tab.page.fill("#search", "")
    first.edit("name", "Changed by the first")
    assert first.message().startswith("Saved")
    second.edit("name", "Changed by the second")
    text = second.message()
    assert "Someone else changed" in text and "Changed by the first" in text
    assert second.page.locator("#messages p.conflict").count() == 1
    assert Store(db).map().actors["name"].iloc[0] == "Changed by the first"
    # a value validation refuses: the reason in plain English, next to the field
    second.edit("influence", "9")
    assert "influence: Influence must be between 0 and 5 (you typed '9')" in second.message()
    cell = second.page.locator(".tabulator-row >> nth=0").locator(
        '.tabulator-cell[tabulator-field="influence"]')
    assert "invalid" in cell.get_attribute("class")
    assert cell.locator(".field-error").is_visible()
    assert "Use a number from 0 (none) to 5" in cell.locator(".field-error").inner_text()
    first.check_clean()
    second.check_clean()


def test_a_hostile_name_never_runs(browser, serve):
    base, db = serve(influence.datasets.load("karate"))
    tab = Tab(browser, base)
    page = tab.go("/actors")
    tab.grid_ready()
    page.fill("#add input[name=id]", "evil")
    page.fill("#add input[name=name]", HOSTILE)
    page.fill("#add input[name=kind]", "resident")
    page.click("#add button")
    assert tab.message().startswith("Added")
    page.fill("#add input[name=id]", "")
    for path in ("/actors", "/history", "/map"):
        page = tab.go(path)
        if path == "/actors":
            tab.grid_ready()
            page.fill("#search", "evil")
            page.wait_for_function("document.querySelectorAll('.tabulator-row').length === 1")
            assert HOSTILE in page.locator(".tabulator-row").inner_text()
        if path == "/map":
            data = _map_data(page)
            assert any(n["label"] == HOSTILE or HOSTILE in json.dumps(n) for n in data["nodes"])
        assert page.evaluate("window.pwned") is None
        assert page.locator("img[src=x]").count() == 0
    assert tab.dialogs == []
    tab.check_clean()  # no CSP violation either: the text never became markup
