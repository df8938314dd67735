"""The HTML map in a real headless Chromium, with every network request blocked.

Needs the playwright Python package and a Chromium (Debian's ``/usr/bin/chromium``, or
playwright's own); skipped with a message when neither can be found.
"""

from __future__ import annotations


import pytest

from test_html import HOSTILE, area, hostile_area

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                               "(pip install influence[test])")


class Page:
    """A page opened from a file with all network access blocked and problems recorded."""

    def __init__(self, browser, path, size=(1280, 800)):
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
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

    def _open(m, size=(1280, 800), **kw):
        path = tmp_path / "map.html"
        from influence.html import to_html

        to_html(m, path=path, force=True, **kw)
        page = Page(browser, path, size)
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
    # everyone is drawn: individually, or in their group's node ("139 residents, Hollinford")
    units = p.js("""() => { const m = window.influenceMap;
                    return m.nodes.get().filter(n => !n.hidden && n.id < 1e9).map(n => n.id); }""")
    groups = p.js("window.influenceMap.data.bundles.map(b => b.members.length)")
    assert len(groups) == 3 and sum(groups) + len(units) == len(m.actors)
    assert p.js("window.influenceMap.nodes.get().filter(n => !n.hidden && n.id >= 2e9).length") == 3
    ids = p.js("window.influenceMap.nodes.get().filter(n => !n.hidden).map(n => n.id)")
    pos = p.js("""ids => { const n = window.influenceMap.network, P = n.getPositions(ids);
                  return ids.map(i => n.canvasToDOM(P[i])); }""", ids)
    for q in pos:
        assert 0 <= q["x"] <= box["width"] and 0 <= q["y"] <= box["height"]
    # the canvas really has pixels drawn on it
    assert p.js("""() => { const c = document.querySelector('#network canvas');
                  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let ink = 0; for (let i = 3; i < px.length; i += 4) if (px[i]) ink++;
                  return ink; }""") > 1000
    # the first view is the fitted map view (the page around the map is built before the map,
    # so the map is fitted once, at its final size), with the caption already in place
    view = """() => { const n = window.influenceMap.network, c = n.getViewPosition();
                 return [n.getScale(), c.x, c.y]; }"""
    first = p.js(view)
    assert p.page.locator("#caption-title").inner_text() == "Whole map:"
    p.js("window.influenceMap.setView('map')")
    assert p.js(view) == pytest.approx(first)


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
    assert "member of -- Riverside Big Local: chair since 2019" in p.page.locator(
        "#details-list").inner_text()
    # Ann, the partnership, her group
    assert p.js("Object.keys(window.influenceMap.state.focusSet).length") == 3
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


def _overlap(a, b):
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
            and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def _luminance(colour):
    """Relative luminance (WCAG 2.1) of a #rrggbb colour."""
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_helper_knows_the_wcag_values():
    assert round(_contrast("#ffffff", "#000000"), 1) == 21.0
    assert 4.4 < _contrast("#767676", "#ffffff") < 4.6  # the classic AA grey


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_presentation_is_legible_at_projector_size(open_map, size):
    m = _demo()
    p = open_map(m, size=size, title="Hollinford Big Local")
    p.page.keyboard.press("p")
    assert p.js("document.body.classList.contains('present')")
    width, height = size
    for view in ("map", "spheres", "civic", "gatekeepers", "brokers", "missing"):
        assert p.js("v => window.influenceMap.setView(v)", view)
        p.page.wait_for_timeout(50)
        boxes = p.js("window.__labelBoxes()")
        net = p.page.locator("#network").bounding_box()
        cap = p.page.locator("#caption").bounding_box()
        bar = p.page.locator("#bar").bounding_box()
        assert boxes, view
        for b in boxes:  # big enough, inside the screen, never under the header or caption
            assert b["font"] >= 18 and b["h"] >= 18, (view, b)
            assert 0 <= b["x"] and b["x"] + b["w"] <= width, (view, b)
            assert net["y"] <= b["y"] and b["y"] + b["h"] <= net["y"] + net["height"], (view, b)
        for i, a in enumerate(boxes):  # no two labels overlap
            for b in boxes[i + 1:]:
                assert not _overlap(a, b), (view, a["text"], b["text"])
        # the header, the map and the caption stack inside the screen; the caption wraps
        assert bar["y"] + bar["height"] <= net["y"] + 1 and net["y"] + net["height"] <= cap["y"] + 1
        assert cap["y"] + cap["height"] <= height + 0.5, view
        assert p.js("() => { const c = document.getElementById('caption');"
                    " return c.scrollWidth <= c.clientWidth; }")
        texts = {b["text"] for b in boxes}
        if view == "map":
            assert "Hollinford Big Local partnership" in texts
            assert any(t.endswith("residents, Hollinford") for t in texts)
        if view == "spheres":  # every ring is named, on top of the nodes
            assert {"direct ties", "one introduction away", "further"} <= texts
        if view == "gatekeepers":  # none found: said in words, not an empty screen
            assert p.page.locator("#caption").inner_text().startswith(
                "Gatekeepers (0): None: the partnership reaches power")
        if view in ("civic", "brokers", "missing"):
            # highlights: strong colours with at least 3:1 contrast on black (WCAG 2.1 AA,
            # non-text); faded actors stay visible (not black on black)
            colours = p.js("""() => window.influenceMap.nodes.get()
                              .filter(n => !n.hidden && n.id < 1e9)
                              .map(n => [n.color.background, n.color.border, n.borderWidth])""")
            marked = [c for c in colours if c[2] == 3]
            assert marked, view
            for bg, border, _ in marked:
                assert _contrast(border, "#000000") >= 4.5 and _contrast(bg, "#000000") >= 3
            faded = [c for c in colours if c[2] == 1]
            assert faded and all(_contrast(c[1], "#000000") >= 3 for c in faded)
    # label text: white on a dark plate, far above 4.5:1
    assert _contrast("#ffffff", "#474747") >= 4.5
    # a name left out for want of room shows when its actor is hovered
    p.js("window.influenceMap.setView('map')")
    shown = {b["id"] for b in p.js("window.__labelBoxes()")}
    hidden = p.js("""shown => { const m = window.influenceMap, net = m.network, s = net.getScale();
        const all = m.nodes.get().filter(n => !n.hidden).map(n => {
            const b = net.body.nodes[n.id], q = net.canvasToDOM({x: b.x, y: b.y});
            return {id: n.id, x: q.x, y: q.y, r: b.options.size * s}; });
        // unlabelled actors that no other node covers, so the pointer finds them
        return all.filter(a => a.id < 1e9 && !shown.includes(a.id) && all.every(o => o === a ||
            Math.hypot(o.x - a.x, o.y - a.y) > o.r + a.r + 4)).map(a => a.id); }""",
                  list(shown))
    assert hidden
    who = hidden[0]
    x, y = p.node_dom(who)
    p.page.mouse.move(x, y)
    p.page.wait_for_timeout(300)
    label = p.js("id => window.influenceMap.data.nodes[id].label", who)
    assert p.page.locator("#tooltip").is_visible()
    assert p.page.locator("#tooltip").inner_text().startswith(label)
    assert p.errors == [] and p.external == []


def test_groups_open_on_tap_and_close_again(open_map):
    m = _demo()
    p = open_map(m, size=(1280, 720))
    j = p.js("window.influenceMap.data.bundles.findIndex(b => b.label.endsWith('Nether Wyke'))")
    members = p.js("j => window.influenceMap.data.bundles[j].members", j)
    before = p.js("window.influenceMap.nodes.length")
    x, y = p.node_dom(2_000_000_000 + j)
    p.page.mouse.click(x, y)
    assert p.js("window.influenceMap.nodes.length") == before - 1 + len(members)
    assert p.js("j => window.influenceMap.nodes.get(2e9 + j)", j) is None
    assert p.page.locator("#details-title").inner_text().endswith("residents, Nether Wyke")
    # their ties are drawn one by one now, not bundled
    mine = p.js("""ms => window.influenceMap.edges.get().filter(e => ms.includes(e.from) ||
                   ms.includes(e.to)).length""", members)
    assert mine > 0
    p.page.click("#regroup")
    assert p.js("window.influenceMap.nodes.length") == before
    # a search hit inside a group opens that group when chosen
    name = p.js("ms => window.influenceMap.data.nodes[ms[0]].label", members)
    p.page.fill("#search", name)
    p.page.locator("#matches li button").first.click()
    assert p.page.locator("#details-title").inner_text() == name
    assert p.js("j => window.influenceMap.state.open[j] === true", j)
    assert p.errors == [] and p.external == []


def test_shared_demo_keeps_groups_and_names_no_judgement(open_map):
    p = open_map(_demo(), share=True, size=(1280, 720))
    p.page.keyboard.press("p")
    boxes = p.js("window.__labelBoxes()")
    assert boxes and all(b["font"] >= 18 for b in boxes)
    fields = p.js("window.influenceMap.data.nodes.filter(n => n.c !== undefined)"
                  ".map(n => n.fields.map(f => f[0]))")
    assert fields and not any({"stance", "giving", "influence"} & set(f) for f in fields)
    assert p.errors == [] and p.external == []
