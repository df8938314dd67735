"""The HTML map in a real headless Chromium, with every network request blocked.

Needs the playwright Python package and a Chromium (Debian's ``/usr/bin/chromium``, or
playwright's own); skipped with a message when neither can be found.
"""

from __future__ import annotations

import os
import shutil

import pytest

from test_html import HOSTILE, area, hostile_area

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                               "(pip install influence[test])")

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium():
    for path in (os.environ.get("INFLUENCE_CHROMIUM"), "/usr/bin/chromium",
                 shutil.which("chromium"), shutil.which("chromium-browser")):
        if path and os.path.exists(path):
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        path = _chromium()
        try:
            b = p.chromium.launch(executable_path=path, args=ARGS) if path else \
                p.chromium.launch(args=ARGS)
        except Exception as exc:  # noqa: BLE001 - any launch failure means "no browser here"
            pytest.skip(f"no Chromium could be started ({exc.__class__.__name__}); install "
                        "Debian's chromium or run `playwright install chromium`")
        yield b
        b.close()


class Page:
    """A page opened from a file with all network access blocked and problems recorded."""

    def __init__(self, browser, path):
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.errors, self.requests, self.url = [], [], path.as_uri()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.route("**/*", self._route)
        self.page.goto(self.url)
        self.page.wait_for_function("document.body.getAttribute('data-drawn') === '1'",
                                    timeout=20000)

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url == self.url:
            route.continue_()
        else:
            route.abort()

    @property
    def external(self):
        return [u for u in self.requests if u != self.url]

    def js(self, code, arg=None):
        return self.page.evaluate(code, arg)

    def node_dom(self, node_id):
        """Page coordinates of a node's centre."""
        box = self.page.locator("#network").bounding_box()
        p = self.js("""id => { const n = window.influenceMap.network;
                       return n.canvasToDOM(n.getPositions([id])[id]); }""", node_id)
        return box["x"] + p["x"], box["y"] + p["y"]


@pytest.fixture
def open_map(browser, tmp_path):
    pages = []

    def _open(m, **kw):
        path = tmp_path / "map.html"
        from influence.html import to_html

        to_html(m, path=path, force=True, **kw)
        page = Page(browser, path)
        pages.append(page)
        return page

    yield _open
    for p in pages:
        p.page.close()


def _demo():
    import influence

    return influence.datasets.load("hollinford")


def test_draws_every_actor_offline_without_errors(open_map):
    m = _demo()
    p = open_map(m, title="Demo area")
    assert p.external == [], f"external requests: {p.external}"
    assert p.errors == [], f"page errors: {p.errors}"
    box = p.page.locator("#network").bounding_box()
    pos = p.js("""() => { const n = window.influenceMap.network, d = window.influenceMap.data;
                  const ids = d.nodes.map(x => x.id), P = n.getPositions(ids);
                  return ids.map(i => n.canvasToDOM(P[i])); }""")
    assert len(pos) == len(m.actors)
    for q in pos:
        assert 0 <= q["x"] <= box["width"] and 0 <= q["y"] <= box["height"]
    assert p.js("window.influenceMap.nodes.get().filter(n => !n.hidden).length") == len(m.actors)
    # the canvas really has pixels drawn on it
    assert p.js("""() => { const c = document.querySelector('#network canvas');
                  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let ink = 0; for (let i = 3; i < px.length; i += 4) if (px[i]) ink++;
                  return ink; }""") > 1000


def test_search_filter_click_and_presentation(open_map):
    p = open_map(area(extra=10))
    # search
    p.page.fill("#search", "cllr dee")
    assert p.page.locator("#found").inner_text() == "1 found"
    assert p.page.locator("#matches li").count() == 1
    assert p.page.locator("#matches li").inner_text() == "Cllr Dee Patel"
    p.page.fill("#search", "")
    # filter by sub-area: only North actors stay visible
    p.page.select_option("#filter-sub_area", "North")
    visible = p.js("""() => { const m = window.influenceMap;
        return m.nodes.get().filter(n => !n.hidden && n.id < 1e9)
                .map(n => m.data.nodes[n.id].f.sub_area); }""")
    assert visible and set(visible) == {"North"}
    p.page.select_option("#filter-sub_area", "")
    # click an actor: details panel and neighbourhood focus
    ann = p.js("window.influenceMap.data.nodes.find(n => n.label === 'Ann Smith').id")
    x, y = p.node_dom(ann)
    p.page.mouse.click(x, y)
    assert p.page.locator("#details").is_visible()
    assert p.page.locator("#details-title").inner_text() == "Ann Smith"
    assert "Earl Grey tea" in p.page.locator("#details-list").inner_text()
    assert p.js("Object.keys(window.influenceMap.state.focusSet).length") == 3  # Ann, the partnership, her group
    # presentation mode: P, then arrows step through the views
    p.page.locator("#network").click(position={"x": 5, "y": 5})
    p.page.keyboard.press("p")
    assert p.js("document.body.classList.contains('present')")
    seen = [p.js("document.body.dataset.view")]
    for _ in range(4):
        p.page.keyboard.press("ArrowRight")
        seen.append(p.js("document.body.dataset.view"))
    assert seen == ["map", "spheres", "civic", "gatekeepers", "missing"]
    assert p.page.locator("#caption-title").inner_text().startswith("Who is missing")
    p.page.keyboard.press("ArrowLeft")
    assert p.js("document.body.dataset.view") == "gatekeepers"
    p.page.keyboard.press("Escape")
    assert not p.js("document.body.classList.contains('present')")
    assert p.errors == [] and p.external == []


def test_hostile_text_is_shown_literally_and_never_runs(open_map):
    m = hostile_area()
    p = open_map(m, title=HOSTILE)
    assert p.js("window.__pwned === undefined")
    assert p.page.locator("img").count() == 0
    assert p.errors == [] and p.external == []
    assert p.page.locator("#title").inner_text().startswith("<img src=x onerror=")
    # every field, shown in the details panel, as text
    ann = p.js("window.influenceMap.data.nodes.find(n => n.label.startsWith('Ann Smith')).id")
    p.js("id => window.influenceMap.showDetails(id)", ann)
    shown = p.page.locator("#details-list").inner_text()
    assert '<img src=x onerror="window.__pwned=1">' in shown
    assert "</script><script>window.__pwned=2</script>" in shown
    assert "🙂" in shown and "مرحبا" in shown
    # kinds, sub-areas and themes in the filters and legend, as text
    assert HOSTILE.split(" ")[0] in p.page.locator("#legend").inner_text()
    options = p.page.locator("#filter-themes option").all_inner_texts()
    assert any(o.startswith("<img src=x") for o in options)
    # search with hostile text, hover a node: still nothing runs
    p.page.fill("#search", "<img")
    x, y = p.node_dom(ann)
    p.page.mouse.move(x, y)
    p.page.wait_for_timeout(200)
    assert p.js("window.__pwned === undefined")
    assert p.errors == []


def test_anonymised_map_in_browser_shows_pseudonyms(open_map):
    p = open_map(area(), anonymise=True, salt="x")
    labels = p.js("window.influenceMap.data.nodes.map(n => n.label)")
    assert "Ann Smith" not in labels and "Cllr Dee Patel" not in labels
    assert "Ward councillor" in labels  # office-holders by role
    assert sum(lab.startswith("Resident ") for lab in labels) == 3
    assert p.errors == [] and p.external == []


def test_shared_map_in_browser_shows_no_judgement_of_a_person(open_map):
    p = open_map(area(), share=True)
    nodes = p.js("window.influenceMap.data.nodes.map(n => [n.label, n.fields])")
    fields = {label: dict(f) for label, f in nodes}
    assert "Ann Smith" in fields and "Ward councillor" in fields
    for who in ("Ann Smith", "Ward councillor", "Bob Jones"):
        assert not {"stance", "influence", "giving", "interest"} & set(fields[who]), who
    assert fields["Shire County Council"]["stance"] == "sceptical"  # bodies keep theirs
    ann = [k for k, (label, _) in enumerate(nodes) if label == "Ann Smith"][0]
    x, y = p.node_dom(ann)
    p.page.mouse.click(x, y)
    p.page.wait_for_timeout(300)
    body = p.page.inner_text("body")
    assert "champion" not in body and "Earl Grey" not in body
    # plain words in the pop-up: catalogue labels and field names, no codes
    assert "Resident / individual" in body and "Sub-area" in body and "sub_area" not in body
    assert p.errors == [] and p.external == []
