"""Benchmark: the interactive map against pyvis's own write_html, at 50, 500 and 5,000 actors.

For each size (a Barabasi-Albert graph, m=2, with kinds and influence scores) it reports the time
to write the file, the file size, and the time until the map is first drawn in headless Chromium
with every network request blocked (ours: performance.now() at vis-network's first
"afterDrawing", i.e. from navigation start; pyvis: wall clock from navigation start until its
stabilisation bar is gone). pyvis is run as its users
run it (``from_nx`` + ``write_html`` with physics on, ``cdn_resources="in_line"`` so that it can
draw offline at all); its wait is capped and reported as "> N s".

Run:  python benchmarks/bench_map.py [--sizes 50,500,5000] [--cap 60]
Targets (issue 6): first draw <= 0.3 s at 500 actors and <= 1.5 s at 5,000.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import networkx as nx

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
        return wall if at is None else at / 1000
    except Exception:  # noqa: BLE001 - timed out: reported as "> cap"
        return None
    finally:
        page.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50,500,5000")
    ap.add_argument("--cap", type=float, default=60.0, help="longest wait for pyvis (s)")
    opts = ap.parse_args()
    from playwright.sync_api import sync_playwright
    from pyvis.network import Network

    from influence.html import to_html

    out = Path(tempfile.mkdtemp())
    rows = []
    with sync_playwright() as p:
        exe = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
        browser = p.chromium.launch(executable_path=exe, args=ARGS)
        for n in map(int, opts.sizes.split(",")):
            G = graph(n)
            ours = out / f"ours_{n}.html"
            t = time.perf_counter()
            to_html(G, path=ours, force=True)
            ours_write = time.perf_counter() - t
            ours_draw = draw_time(browser, ours, "document.body.getAttribute('data-drawn') === '1'",
                                  opts.cap)
            theirs = out / f"pyvis_{n}.html"
            t = time.perf_counter()
            net = Network(cdn_resources="in_line")
            net.from_nx(G)
            net.write_html(str(theirs))
            pv_write = time.perf_counter() - t
            pv_draw = draw_time(browser, theirs, "typeof network !== 'undefined' && (document."
                                "getElementById('loadingBar') === null || document.getElementById"
                                "('loadingBar').style.opacity === '0')", opts.cap)
            rows.append((n, ours_write, ours.stat().st_size, ours_draw, pv_write,
                         theirs.stat().st_size, pv_draw))
        browser.close()

    def s(x):
        return f"> {opts.cap:.0f} s" if x is None else f"{x:.2f} s"

    print(f"{'actors':>7} | {'ours: write':>11} {'size':>8} {'first draw':>10} | "
          f"{'pyvis: write':>12} {'size':>8} {'first draw':>10} | draw ratio pyvis/ours")
    for n, ow, osz, od, pw, psz, pd in rows:
        ratio = "n/a" if od is None else (f"> {opts.cap / od:.0f}x" if pd is None else f"{pd / od:.1f}x")
        print(f"{n:>7} | {ow:>9.2f} s {osz / 1e6:>6.2f}MB {s(od):>10} | {pw:>10.2f} s "
              f"{psz / 1e6:>6.2f}MB {s(pd):>10} | {ratio}")


if __name__ == "__main__":
    main()
