"""Benchmark: the interactive map at 500, 5,000 and 50,000 actors (against pyvis's write_html).

For each size (a Barabasi-Albert graph, m=2, with kinds and influence scores) it reports the time
to write the file, the file size, and the time until the map is first drawn in headless Chromium
with every network request blocked (ours: performance.now() at vis-network's first
"afterDrawing", i.e. from navigation start; pyvis: wall clock from navigation start until its
stabilisation bar is gone). pyvis is run as its users
run it (``from_nx`` + ``write_html`` with physics on, ``cdn_resources="in_line"`` so that it can
draw offline at all); its wait is capped and reported as "> N s".

A third column is the floor for any vis-network page: vis-network alone (the copy the map
inlines) drawing the same actors and ties at fixed places with physics off and no options, timed
the same way. Below it, a page drawn with vis-network cannot go; the ratio "ours / vis" is what
the map adds (its data, sidebar, colours, labels and views).

It also reports what the page holds once drawn: the nodes drawn at first (above
``detail_limit`` actors the rest are drawn as one node per community, opened on a click) and
the tab's JavaScript heap, and that the page stays responsive: the time to switch to the
spheres view and back, and to open the biggest group.

With ``--repeat N`` each page is loaded N times (sizes interleaved, a new tab each time) and the
medians are printed. ``--cpu`` also loads each page N more times under Chromium's tracing and
reports the CPU time of the page's main thread from navigation start to the first draw (the
page's own work: parsing, scripts, layout, drawing), which a loaded machine inflates far less
than the wall time.

Run:  python benchmarks/bench_map.py [--sizes 500,5000,50000] [--repeat 5] [--cpu] [--cap 60]
      [--pyvis-max 5000]
Targets: first draw <= 0.3 s at 500 actors, <= 1.5 s at 5,000 (on an idle machine) and
<= 5 s at 50,000, the page staying responsive. The machine's load (``uptime``) is printed
before and after: on a shared machine the times are upper bounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's influence

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
KINDS = ["resident", "community_group", "ward_councillor", "charity", "county_council", "icb"]


def graph(n: int) -> nx.Graph:
    G = nx.barabasi_albert_graph(n, 2, seed=1)
    for v in G:
        G.nodes[v].update(kind=KINDS[v % len(KINDS)], name=f"Actor {v}", influence=float(v % 6))
    return nx.relabel_nodes(G, {v: f"a{v}" for v in G})


def bare_vis(G: nx.Graph, path: Path) -> None:
    """vis-network alone drawing ``G``: random fixed places, physics off, no options."""
    import random

    from influence.html import _assets

    vis = _assets()[3]
    pos = {v: i for i, v in enumerate(G)}
    rnd = random.Random(1)
    nodes = [{"id": i, "x": rnd.uniform(-1000, 1000), "y": rnd.uniform(-1000, 1000)}
             for i in range(len(pos))]
    edges = [{"from": pos[a], "to": pos[b]} for a, b in G.edges()]
    path.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        '<div id="n" style="width:1000px;height:750px"></div>'
        f"<script>{vis}</script><script>"
        f"var net = new vis.Network(document.getElementById('n'), {{nodes: new vis.DataSet("
        f"{json.dumps(nodes)}), edges: new vis.DataSet({json.dumps(edges)})}}, "
        "{physics: false, layout: {improvedLayout: false}, edges: {smooth: false}});"
        "net.once('afterDrawing', function () { window.influenceDrawnAt = performance.now();"
        "document.body.setAttribute('data-drawn', '1'); });</script></body></html>",
        encoding="utf-8")


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    url = path.as_uri()
    page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
    return page


def draw_time(browser, path: Path, ready: str, cap: float):
    """Seconds from navigation start to the first draw (and, for ours, what the page holds)."""
    page = _open(browser, path)
    t = time.perf_counter()
    try:
        page.goto(path.as_uri(), timeout=cap * 1000)
        page.wait_for_function(ready, timeout=cap * 1000, polling=10)
        wall = time.perf_counter() - t
        # ours records performance.now() (ms since navigation start) at its first draw
        at = page.evaluate("window.influenceDrawnAt === undefined ? null : window.influenceDrawnAt")
        if at is None:
            return wall, None
        if not page.evaluate("window.influenceMap !== undefined"):  # vis-network alone
            return at / 1000, None
        extra = page.evaluate("""() => {
            const m = window.influenceMap, first = m.nodes.get().filter(n => !n.hidden).length;
            const t0 = performance.now();
            m.setView('spheres'); m.setView('map');
            const views = performance.now() - t0, b = m.data.bundles || [];
            let open = null;
            if (b.length) {
                const j = b.reduce((a, x, k) => x.members.length > b[a].members.length ? k : a, 0);
                const t1 = performance.now(); m.expand(j); m.network.redraw();
                open = [b[j].members.length, performance.now() - t1];
            }
            return {drawn: first, views: views, open: open,
                    heap: performance.memory ? performance.memory.usedJSHeapSize : null};
        }""")
        return at / 1000, extra
    except Exception:  # noqa: BLE001 - timed out: reported as "> cap"
        return None
    finally:
        page.close()


def main_thread_cpu(browser, path: Path, cap: float, trace: Path) -> float | None:
    """CPU seconds of the page's main thread from navigation start to its first draw."""
    page = _open(browser, path)
    browser.start_tracing(page=page, path=str(trace), categories=["devtools.timeline", "loading",
                                                               "blink.user_timing"])
    try:
        page.goto(path.as_uri(), timeout=cap * 1000)
        page.wait_for_function("document.body.getAttribute('data-drawn') === '1'",
                               timeout=cap * 1000, polling=10)
        at = page.evaluate("window.influenceDrawnAt")
    except Exception:  # noqa: BLE001 - timed out
        at = None
    finally:
        browser.stop_tracing()
        page.close()
    if at is None:
        return None
    events = json.loads(trace.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    url = path.as_uri()
    main = next((e["pid"], e["tid"]) for e in events if e.get("name") == "ParseHTML" and
                e.get("args", {}).get("beginData", {}).get("url") == url)
    start = min(e["ts"] for e in events if e.get("name") == "navigationStart" and
                e.get("args", {}).get("data", {}).get("documentLoaderURL") == url)
    end = start + at * 1000  # trace times are in microseconds
    cpu, busy_until = 0, 0
    for e in sorted((e for e in events if (e["pid"], e["tid"]) == main and e.get("ph") == "X"),
                    key=lambda e: (e["ts"], -e.get("dur", 0))):
        if start <= e["ts"] < end and e["ts"] >= busy_until:  # top-level tasks only
            cpu += e.get("tdur", 0) * min(1.0, (end - e["ts"]) / max(e.get("dur", 1), 1))
            busy_until = e["ts"] + e.get("dur", 0)
    return cpu / 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="500,5000,50000")
    ap.add_argument("--repeat", type=int, default=1, help="page loads per size (medians shown)")
    ap.add_argument("--cpu", action="store_true",
                    help="also measure the page's main-thread CPU time until its first draw")
    ap.add_argument("--cap", type=float, default=60.0, help="longest wait for a page (s)")
    ap.add_argument("--pyvis-max", type=int, default=5000,
                    help="compare with pyvis up to this many actors (it is very slow above)")
    opts = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from influence.html import to_html

    sizes = [int(n) for n in opts.sizes.split(",")]
    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    out = Path(tempfile.mkdtemp())
    ours, pyvis = {}, {}
    for n in sizes:
        G = graph(n)
        path = out / f"ours_{n}.html"
        t = time.perf_counter()
        to_html(G, path=path, force=True)
        ours[n] = {"path": path, "write": time.perf_counter() - t, "draw": [], "cpu": [],
                   "vis": out / f"vis_{n}.html", "floor": []}
        bare_vis(G, ours[n]["vis"])
        if n <= opts.pyvis_max:
            from pyvis.network import Network

            theirs = out / f"pyvis_{n}.html"
            t = time.perf_counter()
            net = Network(cdn_resources="in_line")
            net.from_nx(G)
            net.write_html(str(theirs))
            pyvis[n] = {"path": theirs, "write": time.perf_counter() - t, "draw": []}
    with sync_playwright() as p:
        exe = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
        browser = p.chromium.launch(executable_path=exe, args=ARGS +
                                    ["--enable-precise-memory-info"])
        for _ in range(opts.repeat):
            for n in sizes:
                res = draw_time(browser, ours[n]["path"],
                                "document.body.getAttribute('data-drawn') === '1'", opts.cap)
                draw, extra = res if res else (None, None)
                ours[n]["draw"].append(draw)
                ours[n].setdefault("extra", extra)
                res = draw_time(browser, ours[n]["vis"],
                                "document.body.getAttribute('data-drawn') === '1'", opts.cap)
                ours[n]["floor"].append(res[0] if res else None)
                if opts.cpu:
                    ours[n]["cpu"].append(main_thread_cpu(browser, ours[n]["path"], opts.cap,
                                                          out / "trace.json"))
                if n in pyvis:
                    pyvis[n]["draw"].append(draw_time(
                        browser, pyvis[n]["path"], "typeof network !== 'undefined' && (document."
                        "getElementById('loadingBar') === null || document."
                        "getElementById('loadingBar').style.opacity === '0')", opts.cap))
        browser.close()
    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())

    def med(xs):
        xs = [x[0] if isinstance(x, tuple) else x for x in xs]
        return None if not xs or None in xs else statistics.median(xs)

    def ratio(o):
        a, b = med(o["draw"]), med(o["floor"])
        return "-" if a is None or not b else f"{a / b:.2f}x"

    def s(x):
        return f"> {opts.cap:.0f} s" if x is None else f"{x:.2f} s"

    print(f"medians of {opts.repeat} page load(s) per size")
    print(f"{'actors':>7} | {'ours: write':>11} {'size':>8} {'first draw':>10} "
          f"{'main CPU':>8} {'drawn':>6} {'heap':>7} {'views':>7} {'open group':>16} | "
          f"{'vis alone':>9} {'ours/vis':>8} | "
          f"{'pyvis: write':>12} {'size':>8} {'first draw':>10}")
    for n in sizes:
        o, ex = ours[n], ours[n].get("extra") or {}
        heap = f"{ex['heap'] / 1e6:.0f}MB" if ex.get("heap") else "n/a"
        opened = (f"{ex['open'][0]:,} in {ex['open'][1] / 1000:.2f} s" if ex.get("open")
                  else "-")
        views = f"{ex['views'] / 1000:.2f} s" if "views" in ex else "n/a"
        cpu = s(med(o["cpu"])) if opts.cpu else "-"
        pv = pyvis.get(n)
        theirs = ("(not run)" if pv is None else f"{pv['write']:>10.2f} s "
                  f"{pv['path'].stat().st_size / 1e6:>6.2f}MB {s(med(pv['draw'])):>10}")
        print(f"{n:>7} | {o['write']:>9.2f} s {o['path'].stat().st_size / 1e6:>6.2f}MB "
              f"{s(med(o['draw'])):>10} {cpu:>8} {ex.get('drawn', 0):>6} {heap:>7} {views:>7} "
              f"{opened:>16} | {s(med(o['floor'])):>9} {ratio(o):>8} | {theirs}")
        if opts.repeat > 1:
            print(f"{'':>7}   vis alone: " + ", ".join(s(x) for x in o["floor"]))
            print(f"{'':>7}   first draws: " + ", ".join(s(x) for x in o["draw"]) +
                  ("; main CPU: " + ", ".join(s(x) for x in o["cpu"]) if opts.cpu else ""))


if __name__ == "__main__":
    main()
