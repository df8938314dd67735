"""The workshop's pages, its JSON API and its live stream (see :mod:`influence.app.workshop`).

Three kinds of visitor, each with its own key, all under ``/w/``:

* **participants** (phones) join with the short code shown on the screen; their cookie names
  them to the workshop (a session nickname only). They see the map's actors as the room may
  (the sharing rules: office-holders by role, no private values) and never anyone's nickname.
* the **facilitator** opens the URL with the secret ``?f=`` token (kept in a cookie); every
  facilitator action needs it: 401 without, 403 with a wrong one.
* the **projector** opens its URL with its ``?k=`` key: the map with the sharing rules
  (:func:`influence.html.to_html` with ``share=True``), updated live over server-sent events.

When the app listens on the local network, the app's own pages still need the app's access
token; these routes check their own keys instead, so a phone gets only the workshop.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import InfluenceError
from .security import check_csrf, csrf_value, same, set_csrf
from .workshop import FRIENDLY_KINDS, HOW_WELL, STANCES, VIEWS, WorkshopError

HERE = Path(__file__).parent
PARTICIPANT_COOKIE = "influence_participant"
FACILITATOR_COOKIE = "influence_facilitator"
PROJECTOR_COOKIE = "influence_projector"
_DATA = re.compile(r'(<script type="application/json" id="map-data">)(.*?)(</script>)', re.S)


def _w(request):
    return request.app.state.workshop


def _templates():
    from .views import templates

    return templates


def _page(request, name, **context):
    token = csrf_value(request)
    w = _w(request)
    context.update(request=request, csrf=token, store_name=w.store.name)
    response = _templates().TemplateResponse(request, name, context)
    return set_csrf(response, token)


def _error(exc):
    if isinstance(exc, WorkshopError):
        return JSONResponse({"error": str(exc), "field": exc.field}, status_code=exc.status)
    from .views import field_problems

    problems = field_problems(exc)
    return JSONResponse({"error": " ".join(p["message"] for p in problems), "problems": problems},
                        status_code=422)


# --- keys --------------------------------------------------------------------------------------
def _key(request, param, cookie, secret, what):
    given = request.query_params.get(param)
    if given is not None:
        if not same(given, secret):
            raise WorkshopError(f"That {what} key is wrong. Use the address printed when "
                                "`influence workshop` started.", 403)
        return True
    if same(request.cookies.get(cookie), secret):
        return False
    raise WorkshopError(f"This page needs the {what} key. Use the address printed when "
                        "`influence workshop` started.", 401)


def guarded(who, *, html=False):
    """Endpoint decorator: the facilitator's or projector's key, else 401/403 (JSON or page)."""
    import functools

    def wrap(fn):
        @functools.wraps(fn)
        async def endpoint(request):
            try:
                fresh = (_facilitator if who == "facilitator" else _projector)(request)
            except WorkshopError as exc:
                if not html:
                    return _error(exc)
                return HTMLResponse(f"<!DOCTYPE html><title>{exc.status}</title><p>"
                                    f"{_esc(str(exc))}</p>", status_code=exc.status)
            request.state.fresh_key = fresh
            if asyncio.iscoroutinefunction(fn):
                return await fn(request)
            return await run_in_threadpool(fn, request)
        return endpoint
    return wrap


def _esc(text):
    import html

    return html.escape(text)


def _facilitator(request):
    return _key(request, "f", FACILITATOR_COOKIE, _w(request).facilitator_token, "facilitator")


def _projector(request):
    w = _w(request)
    if same(request.cookies.get(FACILITATOR_COOKIE), w.facilitator_token) and \
            request.query_params.get("k") is None:
        return False
    return _key(request, "k", PROJECTOR_COOKIE, w.projector_key, "projector")


def _keep(response, cookie, value, fresh):
    if fresh:
        response.set_cookie(cookie, value, httponly=True, samesite="strict", path="/w/")
    return response


async def _body(request):
    check_csrf(request)
    try:
        data = await request.json()
    except ValueError:
        raise HTTPException(400, "That request could not be read (not JSON).") from None
    if not isinstance(data, dict):
        raise HTTPException(400, "That request could not be read.")
    return data


# --- participants ------------------------------------------------------------------------------
def join_page(request):
    w = _w(request)
    return _page(request, "workshop_phone.html", code=request.query_params.get("code", "")[:12],
                 kinds=FRIENDLY_KINDS, stances=list(STANCES), how_well=list(HOW_WELL),
                 ended=w.ended)


async def api_join(request):
    data = await _body(request)
    w = _w(request)
    try:
        address = request.client.host if request.client else None
        if address in ("127.0.0.1", "::1"):  # this laptop itself is not limited
            address = None
        ident = await run_in_threadpool(lambda: w.join(data.get("code"), data.get("nickname"),
                                                       address=address))
    except WorkshopError as exc:
        return _error(exc)
    response = JSONResponse({"ok": True})
    response.set_cookie(PARTICIPANT_COOKIE, ident, httponly=True, samesite="lax", path="/w/",
                        max_age=24 * 3600)
    return response


def _me(request):
    w = _w(request)
    return w.participant(request.cookies.get(PARTICIPANT_COOKIE))


def api_me(request):
    w = _w(request)
    try:
        ident, nickname = _me(request)
    except WorkshopError as exc:
        return _error(exc)
    with w.store._lock:
        rows = w.store.db.execute("SELECT id, what, payload, status FROM workshop_queue WHERE "
                                  "participant = ? ORDER BY id", (ident,)).fetchall()
    mine = []
    for i, what, payload, status in rows:
        v = json.loads(payload)
        mine.append({"ref": f"q{i}", "what": what, "status": status,
                     "name": v.get("name") if what == "actor" else None})
        if what == "rate":  # the name as the room sees it
            shown = {a["ref"]: a["name"] for a in w.actor_choices()}
            mine[-1]["name"] = "a tower for " + shown.get(w.ref(v["actor"]), "someone")
    return JSONResponse({"nickname": nickname, "paused": w.paused, "ended": bool(w.ended),
                         "actors": w.actor_choices(), "mine": mine,
                         "missing": request.app.state.missing_cache.get(w.store.last_change(),
                                                                        None)})


def api_missing(request):
    w = _w(request)
    try:
        _me(request)
    except WorkshopError as exc:
        return _error(exc)
    cache = request.app.state.missing_cache
    key = w.store.last_change()
    if key not in cache:
        cache.clear()
        cache[key] = w.missing_suggestions()
    return JSONResponse({"missing": cache[key]})


async def api_contribute(request):
    data = await _body(request)
    w = _w(request)
    try:
        item = await run_in_threadpool(w.contribute, request.cookies.get(PARTICIPANT_COOKIE),
                                       data.get("what"), data.get("values"))
    except (WorkshopError, InfluenceError) as exc:
        return _error(exc)
    return JSONResponse({"ok": True, "ref": f"q{item}",
                         "message": "Sent! The facilitator will add it to the map."})


# --- facilitator -------------------------------------------------------------------------------
@guarded("facilitator", html=True)
def facilitator_page(request):
    fresh = request.state.fresh_key
    w = _w(request)
    response = _page(request, "workshop_facilitator.html", views=VIEWS,
                     participant_url=participant_url(request), code=w.code)
    return _keep(response, FACILITATOR_COOKIE, w.facilitator_token, fresh)


@guarded("facilitator")
def api_queue(request):
    w = _w(request)
    return JSONResponse({"queue": w.queue(), "paused": w.paused, "view": w.view,
                         "code": w.code, "ended": w.ended,
                         "actors": [{"id": str(i), "name": str(n) if isinstance(n, str) else
                                     str(i)} for i, n in _names(w)]})


def _names(w):
    m = w.store.map()
    col = m.actors["name"] if "name" in m.actors else m.actors.index
    return list(zip(m.actors.index, col, strict=True))


@guarded("facilitator")
async def api_action(request):
    data = await _body(request)
    w = _w(request)
    action = request.path_params["action"]
    item = data.get("id")

    def run():
        if action == "accept":
            return w.accept(item, data.get("values") or {})
        if action == "merge":
            return w.merge(item, data.get("actor"))
        if action == "reject":
            return w.reject(item)
        if action == "undo":
            return w.undo()
        if action == "pause":
            return w.set_paused(bool(data.get("paused")))
        if action == "view":
            return w.set_view(data.get("view"))
        if action == "revoke":
            return {"code": w.revoke_code()}
        if action == "end":
            return {"snapshot": w.end(data.get("name") or None)}
        raise HTTPException(404, "Unknown action.")

    try:
        result = await run_in_threadpool(run)
    except (WorkshopError, InfluenceError) as exc:
        return _error(exc)
    return JSONResponse({"ok": True, "result": result})


# --- projector ---------------------------------------------------------------------------------
def participant_url(request):
    base = request.app.state.public_url or str(request.base_url).rstrip("/")
    return f"{base}/w/join?code={_w(request).code}"


@guarded("projector", html=True)
def projector_page(request):
    fresh = request.state.fresh_key
    w = _w(request)
    response = _page(request, "workshop_projector.html", participant_url=participant_url(request),
                     code=w.code, qr=_qr(participant_url(request)))
    return _keep(response, PROJECTOR_COOKIE, w.projector_key, fresh)


def _qr(text):
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=6, border=2, dark="#000",
                                                    light="#fff")


def _node_key(node):
    for field in node.get("fields") or []:
        if field and field[0] == "id":
            return str(field[1])
    return str(node.get("label"))


def projector_data(app):
    """The projector's map data (sharing rules applied) with stable positions, or None."""
    w = app.state.workshop
    with app.state.projector_lock:
        key = w.store.last_change()
        cached = app.state.projector_cache
        if cached and cached[0] == key:
            return cached[1], cached[2]
        from ..html import to_html

        m = w.store.map()
        if not len(m.actors):
            app.state.projector_cache = (key, None, None)
            return None, None
        text = str(to_html(m, share=True, title=w.store.name, label_top=60))
        mo = _DATA.search(text)
        data = json.loads(mo.group(2))
        _stabilise(w, data)
        data["change"] = key
        from ..html import render

        page = render({k: v for k, v in data.items() if k != "change"}, title=data["title"])
        app.state.projector_cache = (key, data, page)
        return data, page


def _stabilise(w, data):
    """Actors already shown keep their places; new ones go next to those they know."""
    import math

    places = json.loads(w.get("positions", "{}") or "{}")
    nodes = data["nodes"]
    keys = [_node_key(n) for n in nodes]
    near = {k: [] for k in range(len(nodes))}
    for e in data.get("edges", []):
        a, b = int(e[0]), int(e[1])
        if a < len(nodes) and b < len(nodes):
            near[a].append(b)
            near[b].append(a)
    fresh = []
    added = set(json.loads(w.get("added", "[]") or "[]"))  # the room's additions
    for k, n in enumerate(nodes):
        if keys[k] in added:
            n["top"] = True  # labelled on the projector
        if keys[k] in places:
            n["x"], n["y"], n["sx"], n["sy"] = places[keys[k]]
        else:
            fresh.append(k)
    before = dict(places)  # placed on an earlier draw (not in this one)
    for turn, k in enumerate(fresh):
        n = nodes[k]
        known = [before[keys[j]] for j in near[k] if keys[j] in before]
        if known:
            angle = 2.399963 * (turn + len(before))  # the golden angle: no two land together
            for i, (a, b) in enumerate((("x", "y"), ("sx", "sy"))):
                cx = sum(p[2 * i] for p in known) / len(known)
                cy = sum(p[2 * i + 1] for p in known) / len(known)
                n[a], n[b] = round(cx + 55 * math.cos(angle), 1), \
                    round(cy + 55 * math.sin(angle), 1)
        elif before:  # nobody it knows yet: a ring just outside the map, the golden angle apart
            xs = [p[0] for p in before.values()]
            ys = [p[1] for p in before.values()]
            cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
            far = sorted(math.hypot(x - cx, y - cy) for x, y in zip(xs, ys, strict=True))
            r = far[int(0.95 * (len(far) - 1))] + 50
            taken = [(p[0], p[1]) for p in places.values()]
            for attempt in range(60):  # the first free spot on the ring (then a wider ring)
                angle = 2.399963 * (turn + len(before) + attempt)
                x = cx + (r + 30 * (attempt // 20)) * math.cos(angle)
                y = cy + (r + 30 * (attempt // 20)) * math.sin(angle)
                if all(math.hypot(x - a, y - b) >= 45 for a, b in taken):
                    break
            n["x"], n["y"] = round(x, 1), round(y, 1)
        places[keys[k]] = [n["x"], n["y"], n["sx"], n["sy"]]
        if before:
            n["top"] = True
            added.add(keys[k])
    if fresh:
        w._set("positions", json.dumps(places))
        w._set("added", json.dumps(sorted(added)))


@guarded("projector", html=True)
async def projector_map(request):
    data, page = await run_in_threadpool(projector_data, request.app)
    if page is None:
        return HTMLResponse("<!DOCTYPE html><title>Empty map</title><body style='font: 32px "
                            "sans-serif'><p>The map is empty: add the first people and "
                            "bodies from your phones.</p>")
    from .views import generated_page

    return generated_page(page)


@guarded("projector")
async def projector_json(request):
    data, _ = await run_in_threadpool(projector_data, request.app)
    return JSONResponse(data or {"nodes": [], "change": _w(request).store.last_change()})


# --- the live stream ---------------------------------------------------------------------------
def _status(w):
    return {"seq": w.seq, "change": w.store.last_change(), "view": w.view, "paused": w.paused,
            "ended": bool(w.ended), "code": None}


async def events(request):
    """Server-sent events: the workshop's state whenever it changes (browsers reconnect)."""
    role = request.query_params.get("role", "phone")
    w = _w(request)
    try:
        if role == "facilitator":
            _facilitator(request)
        elif role == "projector":
            _projector(request)
        else:
            _me(request)
    except WorkshopError as exc:
        return _error(exc)
    once = request.query_params.get("once") == "1"

    async def stream():
        yield "retry: 500\n\n"
        last, quiet = None, 0
        while True:
            if w.seq != last:
                last = w.seq
                status = await run_in_threadpool(_status, w)
                if role in ("facilitator", "projector"):
                    status["code"] = w.code
                yield f"event: state\ndata: {json.dumps(status)}\n\n"
                quiet = 0
                if once:
                    return
            elif quiet >= 150:  # a comment every 15 s keeps proxies and phones connected
                yield ": keep-alive\n\n"
                quiet = 0
            if await request.is_disconnected():
                return
            await asyncio.sleep(0.1)
            quiet += 1

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"cache-control": "no-cache", "x-accel-buffering": "no"})


def install(app, *, public_url=None):
    """Add the workshop to an app made by :func:`influence.app.create_app`."""
    from .workshop import Workshop

    app.state.workshop = Workshop(app.state.store)
    app.state.public_url = public_url
    app.state.projector_lock = threading.Lock()
    app.state.projector_cache = None
    app.state.missing_cache = {}
    for route in reversed(routes()):
        app.router.routes.insert(0, route)
    return app.state.workshop


def routes():
    return [
        Route("/w/join", join_page),
        Route("/w/api/join", api_join, methods=["POST"]),
        Route("/w/api/me", api_me),
        Route("/w/api/missing", api_missing),
        Route("/w/api/contribute", api_contribute, methods=["POST"]),
        Route("/w/facilitator", facilitator_page),
        Route("/w/api/queue", api_queue),
        Route("/w/api/{action:str}", api_action, methods=["POST"]),
        Route("/w/projector", projector_page),
        Route("/w/projector/map", projector_map),
        Route("/w/projector/data", projector_json),
        Route("/w/events", events),
        Mount("/w/static", app=StaticFiles(directory=str(HERE / "static")), name="w-static"),
    ]



def urls(app, base):
    """{projector, facilitator, participant} addresses of the workshop served at ``base``."""
    w = app.state.workshop
    public = app.state.public_url or base
    return {"projector": f"{base}/w/projector?k={w.projector_key}",
            "facilitator": f"{base}/w/facilitator?f={w.facilitator_token}",
            "participant": f"{public}/w/join?code={w.code}", "code": w.code}
