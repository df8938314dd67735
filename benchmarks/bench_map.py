"""Benchmark: the interactive map at 500, 5,000 and 50,000 actors (against pyvis's write_html).

For each size (a Barabasi-Albert graph, m=2, with kinds and influence scores) it reports the time
to write the file, the file size, and the time until the map is first drawn in headless Chromium
with every network request blocked (ours: performance.now() at vis-network's first
"afterDrawing", i.e. from navigation start; pyvis: wall clock from navigation start until its
stabilisation bar is gone). pyvis is run as its users
run it (``from_nx`` + ``write_html`` with physics on, ``cdn_resources="in_line"`` so that it can
draw offline at all); its wait is capped and reported as "> N s".

It also reports what the page holds once drawn: the nodes drawn at first (above
``detail_limit`` actors the rest are drawn as one node per community, opened on a click) and
the tab's JavaScript heap, and that the page stays responsive: the time to switch to the
spheres view and back, and to open the biggest group.

Run:  python benchmarks/bench_map.py [--sizes 500,5000,50000] [--cap 60] [--pyvis-max 5000]
Targets: first draw <= 0.3 s at 500 actors, <= 1.5 s at 5,000 (on an idle machine) and
<= 5 s at 50,000, the page staying responsive. The machine's load (``uptime``) is printed
first: on a shared machine the times are upper bounds.
"""

from __future__ import annotations

import argparse
import os
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


def draw_time(browser, path: Path, ready: str, cap: float) -> float | None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    url = path.as_uri()
    page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
    t = time.perf_counter()
    try:
        page.goto(url, timeout=cap * 1000)
        page.wait_for_function(ready, timeout=cap * 1000, polling=10)
        wall = time.perf_counter() - t
        # ours records performance.now() (ms since navigation start) at its first draw
        at = page.evaluate("window.influenceDrawnAt === undefined ? null : window.influenceDrawnAt")
        if at is None:
            return wall
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="500,5000,50000")
    ap.add_argument("--cap", type=float, default=60.0, help="longest wait for a page (s)")
    ap.add_argument("--pyvis-max", type=int, default=5000,
                    help="compare with pyvis up to this many actors (it is very slow above)")
    opts = ap.parse_args()
    from playwright.sync_api import sync_playwright
    from pyvis.network import Network

    from influence.html import to_html

    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    out = Path(tempfile.mkdtemp())
    rows = []
    with sync_playwright() as p:
        exe = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
        browser = p.chromium.launch(executable_path=exe, args=ARGS +
                                    ["--enable-precise-memory-info"])
        for n in map(int, opts.sizes.split(",")):
            G = graph(n)
            ours = out / f"ours_{n}.html"
            t = time.perf_counter()
            to_html(G, path=ours, force=True)
            ours_write = time.perf_counter() - t
            res = draw_time(browser, ours, "document.body.getAttribute('data-drawn') === '1'",
                            opts.cap)
            ours_draw, extra = res if res else (None, None)
            pv_write = pv_draw = pv_size = None
            if n <= opts.pyvis_max:
                theirs = out / f"pyvis_{n}.html"
                t = time.perf_counter()
                net = Network(cdn_resources="in_line")
                net.from_nx(G)
                net.write_html(str(theirs))
                pv_write = time.perf_counter() - t
                pv_size = theirs.stat().st_size
                pv_draw = draw_time(browser, theirs, "typeof network !== 'undefined' && (document."
                                    "getElementById('loadingBar') === null || document."
                                    "getElementById('loadingBar').style.opacity === '0')", opts.cap)
            rows.append((n, ours_write, ours.stat().st_size, ours_draw, extra, pv_write, pv_size,
                         pv_draw))
        browser.close()

    def s(x):
        return f"> {opts.cap:.0f} s" if x is None else f"{x:.2f} s"

    print(f"{'actors':>7} | {'ours: write':>11} {'size':>8} {'first draw':>10} {'drawn':>6} "
          f"{'heap':>7} {'views':>7} {'open group':>16} | {'pyvis: write':>12} {'size':>8} "
          f"{'first draw':>10}")
    for n, ow, osz, od, ex, pw, psz, pd in rows:
        ex = ex or {}
        heap = f"{ex['heap'] / 1e6:.0f}MB" if ex.get("heap") else "n/a"
        opened = (f"{ex['open'][0]:,} in {ex['open'][1] / 1000:.2f} s" if ex.get("open")
                  else "-")
        views = f"{ex['views'] / 1000:.2f} s" if "views" in ex else "n/a"
        theirs = ("(not run)" if pw is None else
                  f"{pw:>10.2f} s {psz / 1e6:>6.2f}MB {s(pd):>10}")
        print(f"{n:>7} | {ow:>9.2f} s {osz / 1e6:>6.2f}MB {s(od):>10} {ex.get('drawn', 0):>6} "
              f"{heap:>7} {views:>7} {opened:>16} | {theirs}")


if __name__ == "__main__":
    main()
