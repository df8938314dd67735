"""Benchmark: `influence app` page loads, the edit round trip, and reading a store.

Run:  python benchmarks/bench_app.py [--sizes 500 5000] [--edit-size 1000] [--edits 200]

Maps are synthetic areas shaped like the demo (:func:`influence.datasets.synthetic`). For each
size a store is created (timed), the app is served by uvicorn on a free localhost port in a
thread, and real HTTP requests time:

* the map page (``/map/page``: the interactive map generated from the store, first load and
  cached load), the tables' data (``/api/actors``, ``/api/ties``) and the table page;
* at ``--edit-size`` actors, ``--edits`` edits of one cell each (``POST /api/change``, as the
  table sends): p50 and p95 of the round trip (goal: p95 <= 100 ms);
* ``influence.read`` of the store against the same map as a workbook (median of 3).

Times are server-side plus the local HTTP hop; the browser's own rendering is not included.
The machine may be shared: the load average is printed with the results.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _timing import median_wall as median_time  # noqa: E402

import influence  # noqa: E402
from influence.datasets import synthetic  # noqa: E402
from influence.store import Store  # noqa: E402

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def serve(db):
    import uvicorn

    from influence.app import create_app, free_port

    port = free_port("127.0.0.1")
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                        log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.02)
    return srv, thread, f"http://127.0.0.1:{port}"


def get(url, headers=None, data=None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    t = time.perf_counter()
    with OPENER.open(req, timeout=600) as r:
        body = r.read()
        cookies = r.headers.get_all("set-cookie") or []
    return time.perf_counter() - t, body, cookies


def pages(n, folder):
    m = synthetic(actors=n, seed=1)
    db = folder / f"s{n}.influence.db"
    t = time.perf_counter()
    Store.create(db, m).close()
    created = time.perf_counter() - t
    srv, thread, base = serve(db)
    try:
        row = {"actors": len(m.actors), "ties": len(m.ties), "create store s": created}
        row["map first s"] = get(base + "/map/page")[0]
        row["map cached s"] = get(base + "/map/page")[0]
        row["map page s"] = get(base + "/map")[0]
        row["actors data s"] = get(base + "/api/actors")[0]
        row["ties data s"] = get(base + "/api/ties")[0]
        row["table page s"] = get(base + "/actors")[0]
    finally:
        srv.should_exit = True
        thread.join(30)
    return row


def edits(n, count, folder):
    m = synthetic(actors=n, seed=2)
    db = folder / f"e{n}.influence.db"
    Store.create(db, m).close()
    srv, thread, base = serve(db)
    try:
        _, body, cookies = get(base + "/actors")
        token = body.decode().split('name="csrf" content="', 1)[1].split('"', 1)[0]
        cookie = "; ".join(c.split(";", 1)[0] for c in cookies)
        rows = json.loads(get(base + "/api/actors")[1])["rows"]
        times = []
        for i in range(count):
            r = rows[i % len(rows)]
            change = {"table": "actors", "op": "update", "id": r["_key"],
                      "version": r["_version"], "values": {"influence": str(i % 5)}}
            t, body, _ = get(base + "/api/change", data=json.dumps(change).encode(), headers={
                "Content-Type": "application/json", "X-CSRF-Token": token, "Cookie": cookie})
            answer = json.loads(body)
            if "row" in answer and answer["row"]:
                rows[i % len(rows)] = answer["row"]
            times.append(t)
    finally:
        srv.should_exit = True
        thread.join(30)
    times.sort()
    return {"actors": len(m.actors), "edits": count,
            "p50 ms": 1000 * times[len(times) // 2],
            "p95 ms": 1000 * times[min(len(times) - 1, int(0.95 * len(times)))]}


def reads(n, folder):
    m = synthetic(actors=n, seed=3)
    db = folder / f"r{n}.influence.db"
    xlsx = folder / f"r{n}.xlsx"
    influence.write(m, db)
    influence.write(m, xlsx)
    return {"actors": len(m.actors), "ties": len(m.ties),
            "read store s": median_time(lambda: influence.read(db)),
            "read xlsx s": median_time(lambda: influence.read(xlsx))}


def show(title, rows):
    print(f"\n{title}")
    keys = list(rows[0])
    print("  ".join(f"{k:>14}" for k in keys))
    for r in rows:
        print("  ".join(f"{r[k]:>14.3f}" if isinstance(r[k], float) else f"{r[k]:>14}"
                        for k in keys))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    ap.add_argument("--edit-size", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        show("Page loads (seconds)", [pages(n, folder) for n in args.sizes])
        show("Edit round trip", [edits(args.edit_size, args.edits, folder)])
        show("influence.read: store against workbook (seconds, median of 3)",
             [reads(n, folder) for n in args.sizes])
    print(f"\nload average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
