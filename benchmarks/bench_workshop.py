"""Load test of ``influence workshop``: simulated phones post, a facilitator accepts, a projector
watches. Not a timed test: run it by hand.

    python benchmarks/bench_workshop.py [--participants 40] [--seconds 90] [--map area|demo]
                                        [--pace SECONDS]

The issue asks for 10 minutes of posting; on a shared 2-core machine keep ``--seconds`` to
60-120 (the map grows by ~5 actors a second, far faster than any real room, so a longer run
mostly measures drawing a 3,000-actor map).

It starts ``influence workshop`` in its own process on a new store (``area``: the bodies of a
real council, as ``--new --area`` starts a workshop; ``demo``: the 293-actor Hollinford demo),
then runs, all over HTTP:

* ``--participants`` phones, each joining with the code and posting a person or body (and now
  and then a tie between two actors on the map) every 4-8 seconds (under the rate limit),
  each also on the live stream, reloading its lists 0.5-2 s after a map change as the phone
  page does;
* one facilitator accepting every waiting contribution, as fast as it can or one every
  ``--pace`` seconds (a person reading the queue; the rest are accepted after the phones stop);
* one projector on the live stream (server-sent events), fetching the map data whenever the
  stream says the map changed, as the projector page does.

It reports the accepted-to-projector latency (from the facilitator's accept being answered to
the projector holding the map with that change) p50/p95/max, and *lost contributions*: every
contribution a phone was told was sent must be in the queue, and every accepted one on the map
in the store (read back after the server has stopped).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class Client:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def get(self, url, timeout=30):
        with self.http.open(url if url.startswith("http") else self.base + url,
                            timeout=timeout) as r:
            text = r.read().decode()
        mo = re.search(r'name="csrf" content="([^"]+)"', text)
        if mo:
            self.csrf = mo.group(1)
        return text

    def post(self, url, body):
        req = urllib.request.Request(self.base + url, data=json.dumps(body).encode(),
                                     method="POST", headers={"Content-Type": "application/json",
                                                             "X-CSRF-Token": self.csrf or ""})
        try:
            with self.http.open(req, timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--participants", type=int, default=40)
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--map", choices=("area", "demo"), default="area")
    ap.add_argument("--area", default="E07000062")
    ap.add_argument("--pace", type=float, default=0.0,
                    help="seconds the facilitator takes per decision (0: as fast as it can)")
    args = ap.parse_args()

    import influence
    from influence.app import free_port
    from influence.store import Store

    tmp = Path(tempfile.mkdtemp())
    db = tmp / "bench.influence.db"
    if args.map == "demo":
        m = influence.datasets.load("hollinford")
    else:
        m = influence.read(influence.template(tmp / "area.xlsx", area=args.area))
    Store.create(db, m).close()
    n0 = len(m.actors)
    port = free_port("127.0.0.1")
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "workshop", str(db), "--port",
                             str(port), "--no-browser"], stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    out = []
    for line in proc.stderr:
        out.append(line)
        if line.startswith("Press Ctrl-C"):
            break
    urls = dict(re.findall(r"(Projector|Facilitator|Participants)[^:]*:\s+(\S+)", "".join(out)))
    base = f"http://127.0.0.1:{port}"
    code = urls["Participants"].rsplit("=", 1)[1]
    stop = threading.Event()
    sent, refused, errors = [], {}, []
    accepted_at: dict[int, float] = {}
    latencies: list[float] = []
    lock = threading.Lock()

    def phone(k):
        c = Client(base)
        try:
            c.get(f"/w/join?code={code}")
            status, _ = c.post("/w/api/join", {"code": code, "nickname": f"phone{k}"})
            assert status == 200
            threading.Thread(target=phone_stream, args=(c,), daemon=True).start()
            rng = random.Random(k)
            n = 0
            while not stop.wait(rng.uniform(4, 8)):
                if n % 4 == 3:
                    actors = json.loads(c.get("/w/api/me"))["actors"]
                    a, b = rng.sample(actors, 2)
                    body = {"what": "tie", "values": {"source": a["ref"], "target": b["ref"],
                                                      "how_well": "well"}}
                else:
                    body = {"what": "actor", "values": {
                        "name": f"Person {k}-{n}", "kind": rng.choice(["resident", "school",
                                                                        "vcse_org"]),
                        "influence": rng.randint(0, 5)}}
                n += 1
                status, reply = c.post("/w/api/contribute", body)
                with lock:
                    if status == 200:
                        sent.append((f"phone{k}", body))
                    else:
                        refused[status] = refused.get(status, 0) + 1
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(f"phone {k}: {exc!r}")

    refreshes = [0]

    def phone_stream(c):
        """As the phone page does: on a map change, reload its lists 0.5-2 s later."""
        pending = threading.Event()

        def refresh():
            try:
                c.get("/w/api/me")
                with lock:
                    refreshes[0] += 1
            finally:
                pending.clear()

        last = None
        try:
            with c.http.open(base + "/w/events", timeout=300) as stream:
                for raw in stream:
                    line = raw.decode().strip()
                    if stop.is_set():
                        return
                    if not line.startswith("data: "):
                        continue
                    state = json.loads(line[6:])
                    now = (state["change"], state["paused"], state["ended"])
                    if now != last and not pending.is_set():
                        last = now
                        pending.set()
                        threading.Timer(random.uniform(0.5, 2.0), refresh).start()
        except Exception as exc:  # noqa: BLE001 - reported below
            if not stop.is_set():
                errors.append(f"phone stream: {exc!r}")

    def facilitator():
        c = Client(base)
        c.get(urls["Facilitator"])
        while True:
            queue = json.loads(c.get("/w/api/queue"))["queue"]
            waiting = [i for i in queue if i["status"] == "pending"]
            if not waiting and stop.is_set():
                return
            for item in waiting:
                if args.pace and not stop.is_set():
                    time.sleep(args.pace)
                status, reply = c.post("/w/api/accept", {"id": item["id"]})
                if status == 200 and reply["result"]["change"]:
                    with lock:
                        accepted_at[reply["result"]["change"]] = time.monotonic()
                elif status != 200:
                    errors.append(f"accept {item['id']}: {status} {reply.get('error')}")
            if not waiting:
                time.sleep(0.2)

    def projector():
        c = Client(base)
        c.get(urls["Projector"])
        seen = 0
        with c.http.open(base + "/w/events?role=projector", timeout=120) as stream:
            for raw in stream:
                line = raw.decode().strip()
                if stop.is_set() and done.is_set():
                    return
                if not line.startswith("data: "):
                    continue
                change = json.loads(line[6:])["change"]
                if change <= seen:
                    continue
                data = json.loads(c.get("/w/projector/data"))
                now = time.monotonic()
                seen = data["change"]
                with lock:
                    for cid, t in list(accepted_at.items()):
                        if cid <= seen:
                            latencies.append(now - t)
                            del accepted_at[cid]

    done = threading.Event()
    threads = [threading.Thread(target=phone, args=(k,), daemon=True)
               for k in range(args.participants)]
    fac = threading.Thread(target=facilitator, daemon=True)
    proj = threading.Thread(target=projector, daemon=True)
    proj.start()
    fac.start()
    started = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(args.seconds)
    stop.set()
    for t in threads:
        t.join(30)
    fac.join(120)
    time.sleep(3)  # the projector catches up
    done.set()
    elapsed = time.monotonic() - started
    proc.send_signal(2)
    proc.wait(30)

    with Store(db) as s:
        queued = s.db.execute("SELECT p.nickname, q.what, q.payload, q.status FROM workshop_queue"
                              " q JOIN workshop_participants p ON p.id = q.participant"
                              ).fetchall()
        actors = set(s.map().actors["name"].dropna())
        n_ties = len(s.map().ties)
    in_queue = {(nick, json.dumps(json.loads(payload), sort_keys=True))
                for nick, _, payload, _ in queued}
    lost_queue = 0
    for nick, body in sent:
        values = dict(body["values"])
        if body["what"] == "tie":
            continue  # refs are resolved to ids in the queue; counted by the status check below
        if (nick, json.dumps(values, sort_keys=True)) not in in_queue:
            lost_queue += 1
    accepted_names = [json.loads(p)["name"] for _, what, p, st in queued
                      if what == "actor" and st == "accepted"]
    lost_map = sum(1 for n in accepted_names if n not in actors)
    ties_sent = sum(1 for _, b in sent if b["what"] == "tie")
    lat = sorted(latencies)

    def q(p):
        return lat[min(len(lat) - 1, int(round(p * (len(lat) - 1))))] if lat else float("nan")

    print(f"{args.participants} participants for {elapsed:.0f} s on a {args.map} map "
          f"({n0} actors at the start); facilitator: "
          f"{f'one decision every {args.pace:g} s' if args.pace else 'as fast as it can'}")
    print(f"contributions sent: {len(sent)} ({ties_sent} ties); refused: {refused or 'none'}; "
          f"queued rows: {len(queued)}")
    print(f"accepted: {sum(1 for *_, st in queued if st == 'accepted')}; map now "
          f"{len(actors)} named actors, {n_ties} ties")
    print(f"phones' live streams: {refreshes[0]} list reloads after map changes")
    print(f"accepted-to-projector latency over {len(lat)} changes: p50 {q(0.5) * 1000:.0f} ms, "
          f"p95 {q(0.95) * 1000:.0f} ms, max {q(1.0) * 1000:.0f} ms")
    print(f"lost contributions: {lost_queue} not in the queue, {lost_map} accepted but not on "
          f"the map; {len(queued) - len(sent)} queue rows beyond those sent "
          f"(ties counted by the queue)")
    if errors:
        print("errors:", *errors[:10], sep="\n  ")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
