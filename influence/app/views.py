"""The app's pages and its small JSON API (see :mod:`influence.app`)."""

from __future__ import annotations

import html
import io
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import (HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse,
                                 Response)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import InfluenceError
from ..schema import ACTOR_COLUMNS, PRIVATE_PREFIX, TIE_COLUMNS
from .security import check_csrf, csrf_value, set_csrf

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
UPLOAD_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv", ".graphml", ".gexf", ".json")
REVIEW_FILES = ("report.html", "map.html")
EXPORTS = {"xlsx": ("map.xlsx", "application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet"),
           "csv": ("map-csv.zip", "application/zip"),
           "graphml": ("map.graphml", "application/xml"),
           "html": ("map.html", "text/html; charset=utf-8")}


# --- helpers -----------------------------------------------------------------------------------
def _store(request):
    return request.app.state.store


def _who(request, form=None):
    who = (request.headers.get("x-influence-who") or (form.get("who") if form else "") or
           request.app.state.who or "app")
    return str(who).strip()[:80] or "app"


def page(request, name, status_code=200, **context):
    """Render a page with the CSRF value (set as a cookie, echoed in a meta tag and forms)."""
    token = csrf_value(request)
    store = _store(request)
    context.update(request=request, csrf=token, store_name=store.name,
                   active=context.get("active", ""))
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    return set_csrf(response, token)


def _page_csp(text: str) -> str:
    """The CSP a generated page (map, report) declares, plus: only the app may frame it."""
    mo = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)
    csp = html.unescape(mo.group(1)) if mo else "default-src 'none'"
    return csp + "; frame-ancestors 'self'"


def generated_page(text: str) -> HTMLResponse:
    """A page the library generated (map, report), served with its own CSP; framed only here."""
    return HTMLResponse(text, headers={"content-security-policy": _page_csp(text),
                                       "x-frame-options": "SAMEORIGIN"})


def field_problems(exc):
    """Plain-English messages, one per field, from a validation error."""
    out = []
    for p in getattr(exc, "problems", []) or []:
        if p.severity != "error":
            continue
        text = p.message[0].upper() + p.message[1:]
        if p.value is not None:
            text += f" (you typed {str(p.value)!r})"
        if p.fix:
            text += f". {p.fix[0].upper()}{p.fix[1:]}."
        out.append({"column": p.column, "message": text})
    return out or [{"column": None, "message": str(exc)}]


def _cell(v):
    if isinstance(v, list):
        return "; ".join(map(str, v))
    if isinstance(v, dict) and set(v) == {"$date"}:
        return v["$date"]
    return v


def _row(key, rec, version):
    out = {k: _cell(v) for k, v in rec.items()}
    out["_key"], out["_version"] = key, version
    return out


def _columns(table, rows):
    base = ["id", *ACTOR_COLUMNS] if table == "actors" else list(TIE_COLUMNS)
    seen = {k for _, rec, _ in rows for k in rec}
    extra = sorted(seen - set(base), key=lambda c: (c.startswith(PRIVATE_PREFIX), c))
    return [{"field": c, "private": c.startswith(PRIVATE_PREFIX),
             "editable": not (table == "actors" and c == "id")} for c in base + extra]


def _snapshot_map(request, snapshot):
    store = _store(request)
    return store.map() if not snapshot else store.map_at(snapshot)


# --- pages -------------------------------------------------------------------------------------
async def healthz(request):
    return PlainTextResponse("ok")


async def home(request):
    return RedirectResponse("/map", status_code=303)


def map_page(request):
    store = _store(request)
    snapshot = request.query_params.get("snapshot") or ""
    names = list(store.snapshots()["name"])
    if snapshot and snapshot not in names:
        raise HTTPException(404, f"There is no snapshot called {snapshot!r}.")
    m = _snapshot_map(request, snapshot)
    return page(request, "map.html", active="map", snapshot=snapshot, snapshots=names,
                n_actors=len(m.actors), n_ties=len(m.ties))


def map_frame(request):
    from ..html import to_html

    snapshot = request.query_params.get("snapshot") or ""
    store = _store(request)
    cache = request.app.state.map_cache
    key = (snapshot, store.last_change())
    if key not in cache:
        m = _snapshot_map(request, snapshot)
        title = f"{store.name}" + (f" ({snapshot})" if snapshot else "")
        if len(m.actors):
            cache.clear()
            cache[key] = str(to_html(m, title=title))
        else:
            return HTMLResponse("<!DOCTYPE html><title>Empty map</title><p>The map is empty: "
                                "add people and bodies, or import a workbook.</p>")
    return generated_page(cache[key])


def table_page(request):
    table = request.path_params["table"]
    title = "People and bodies" if table == "actors" else "Ties"
    return page(request, "table.html", active=table, table=table, title=title)


def api_rows(request):
    table = request.path_params["table"]
    rows = _store(request).records(table)
    return JSONResponse({"table": table, "columns": _columns(table, rows),
                         "rows": [_row(k, r, v) for k, r, v in rows]})


async def api_change(request):
    from ..store import ConflictError

    check_csrf(request)
    try:
        change = await request.json()
    except ValueError:
        return JSONResponse({"errors": [{"column": None, "message": "The change could not be "
                                         "read (not JSON)."}]}, status_code=400)
    if not isinstance(change, dict):
        return JSONResponse({"errors": [{"column": None, "message": "A change is a JSON "
                                         "object."}]}, status_code=400)
    store = _store(request)
    table = change.get("table")
    try:
        batch = store.apply(change, who=_who(request))
    except ConflictError as exc:
        current = None
        if exc.current is not None:
            current = _row(change.get("id"), exc.current, exc.version)
        return JSONResponse({"conflict": str(exc), "row": current}, status_code=409)
    except InfluenceError as exc:
        return JSONResponse({"errors": field_problems(exc)}, status_code=422)
    if change.get("op") == "delete":
        return JSONResponse({"ok": True, "change": batch})
    if batch is None:  # nothing changed (the same value again)
        key = change.get("id") if table == "actors" else int(change.get("id"))
    else:
        _, key = store.key_of(batch)
    rec, version = store.get(table, key)
    return JSONResponse({"ok": True, "change": batch, "row": _row(key, rec, version)})


# --- import ------------------------------------------------------------------------------------
def import_page(request):
    return page(request, "import.html", active="import")


async def import_upload(request):
    from .. import read

    form = await request.form(max_files=1, max_fields=10)
    check_csrf(request, form)
    upload = form.get("file")
    if upload is None or not getattr(upload, "filename", None):
        return page(request, "import.html", 422, active="import",
                    error="Choose a file to import first.")
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        return page(request, "import.html", 422, active="import",
                    error=f"{upload.filename!r} is not a map file. Use a workbook (.xlsx, "
                          ".ods), a CSV of ties, GraphML, GEXF or JSON (a Kumu export works).")
    from .security import new_token

    folder = request.app.state.folder / "uploads"
    folder.mkdir(exist_ok=True)
    ident = new_token()
    path = folder / f"{ident}{suffix}"  # the user's file name never reaches the file system
    with open(path, "wb") as fh:
        shutil.copyfileobj(upload.file, fh)
    try:
        m = read(path)
        preview = _store(request).import_map(m)
    except InfluenceError as exc:
        path.unlink(missing_ok=True)
        message = str(exc).replace(path.name, upload.filename)
        return page(request, "import.html", 422, active="import", error=message)
    return page(request, "import.html", active="import", preview=preview, upload=ident,
                filename=upload.filename, suffix=suffix,
                warnings=[str(w).replace(path.name, upload.filename) for w in m.warnings])


async def import_apply(request):
    from .. import read

    form = await request.form()
    check_csrf(request, form)
    ident, suffix = str(form.get("upload", "")), str(form.get("suffix", ""))
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", ident) or suffix not in UPLOAD_SUFFIXES:
        raise HTTPException(400, "That import is unknown. Upload the file again.")
    path = request.app.state.folder / "uploads" / f"{ident}{suffix}"
    if not path.exists():
        raise HTTPException(404, "That import has already been applied or has expired. Upload "
                                 "the file again.")
    try:
        m = read(path)
        result = _store(request).import_map(m, preview=False, who=_who(request, form),
                                            note=f"import of {form.get('filename', 'a file')}")
    finally:
        path.unlink(missing_ok=True)
    return page(request, "import.html", active="import", applied=result)


# --- review ------------------------------------------------------------------------------------
def _reviews(folder):
    root = folder / "reviews"
    if not root.is_dir():
        return []
    return sorted((int(p.name) for p in root.iterdir() if p.name.isdigit()), reverse=True)


def review_page(request):
    store = _store(request)
    return page(request, "review.html", active="review",
                reviews=_reviews(request.app.state.folder),
                snapshots=list(store.snapshots()["name"]))


async def review_run(request):
    import datetime as dt

    from ..review import review

    form = await request.form()
    check_csrf(request, form)
    store = _store(request)
    folder = request.app.state.folder
    previous_name = str(form.get("previous") or "")
    area = str(form.get("area") or "").strip() or None
    priorities = str(form.get("priorities") or "").strip() or None

    def run():
        with request.app.state.lock:  # one review at a time: numbered folders
            m = store.map()
            previous = store.map_at(previous_name) if previous_name else None
            when = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            r = review(m, area=area, priorities=priorities, previous=previous,
                       title=f"Sphere-of-influence review: {store.name}, {when[:10]}")
            n = max(_reviews(folder), default=0) + 1
            out = folder / "reviews" / str(n)
            r.write(out)
            name = f"review {n} ({when})"
            store.snapshot(name, note=f"review {n}")
            (out / "snapshot.txt").write_text(name, encoding="utf-8")
            return n

    try:
        n = await run_in_threadpool(run)
    except InfluenceError as exc:
        return page(request, "review.html", 422, active="review", error=str(exc),
                    reviews=_reviews(folder), snapshots=list(store.snapshots()["name"]))
    return RedirectResponse(f"/review/{n}", status_code=303)


def _review_folder(request):
    n = request.path_params["n"]
    out = request.app.state.folder / "reviews" / str(int(n))
    if not out.is_dir():
        raise HTTPException(404, f"There is no review {n}.")
    return out


def review_show(request):
    out = _review_folder(request)
    snap = out / "snapshot.txt"
    return page(request, "review_show.html", active="review", n=request.path_params["n"],
                snapshot=snap.read_text(encoding="utf-8") if snap.exists() else "")


def review_file(request):
    name = request.path_params["name"]
    if name not in REVIEW_FILES:
        raise HTTPException(404, "No such file.")
    return generated_page((_review_folder(request) / name).read_text(encoding="utf-8"))


def review_zip(request):
    out = _review_folder(request)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(out.iterdir()):
            if p.is_file() and p.name != "snapshot.txt":
                z.write(p, f"review-{out.name}/{p.name}")
    return Response(buf.getvalue(), media_type="application/zip", headers={
        "content-disposition": f'attachment; filename="review-{out.name}.zip"'})


# --- history -----------------------------------------------------------------------------------
def history_page(request):
    store = _store(request)
    log = store.changes(limit=300)
    changes = []
    for rec in log.to_dict("records"):
        before, after = rec["before"] or {}, rec["after"] or {}
        label = (after or before).get("name") or rec["key"] if rec["table"] == "actors" else \
            f"{(after or before).get('source')} → {(after or before).get('target')}"
        fields = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        detail = "; ".join(f"{k}: {_shown(before.get(k))} → {_shown(after.get(k))}"
                           for k in fields if k != "id") if rec["action"] == "changed" else ""
        changes.append({**rec, "label": label, "detail": detail})
    snaps = store.snapshots().to_dict("records")
    return page(request, "history.html", active="history", changes=changes, snapshots=snaps)


def _shown(v):
    v = _cell(v)
    return "(empty)" if v is None else str(v)


async def undo(request):
    from ..store import ConflictError

    form = await request.form()
    check_csrf(request, form)
    try:
        _store(request).undo(int(form.get("change", 0)), who=_who(request, form))
    except (ValueError, ConflictError, InfluenceError) as exc:
        return page(request, "message.html", 409, title="Cannot undo", message=str(exc),
                    back="/history")
    return RedirectResponse("/history", status_code=303)


async def snapshot(request):
    form = await request.form()
    check_csrf(request, form)
    try:
        _store(request).snapshot(str(form.get("name") or "").strip() or None)
    except InfluenceError as exc:
        return page(request, "message.html", 422, title="Cannot save the snapshot",
                    message=str(exc), back="/history")
    return RedirectResponse("/history", status_code=303)


def compare_page(request):
    from ..compare import compare

    old, new = request.query_params.get("old", ""), request.query_params.get("new", "")
    try:
        c = compare(_snapshot_map(request, old), _snapshot_map(request, new))
    except InfluenceError as exc:
        return page(request, "message.html", 422, title="Cannot compare", message=str(exc),
                    back="/history")
    tables = {}
    for name in ("actors", "ties"):
        frame = getattr(c, name)
        frame = frame[[col for col in frame.columns if not str(col).startswith(PRIVATE_PREFIX)]]
        tables[name] = {"columns": [str(x) for x in frame.columns],
                        "rows": [[_shown(v) for v in row] for row in
                                 frame.astype(object).where(frame.notna(), None).values.tolist()]}
    return page(request, "compare.html", active="history", old=old or "now", new=new or "now",
                sentences=c.sentences, tables=tables)


# --- export ------------------------------------------------------------------------------------
def export_page(request):
    return page(request, "export.html", active="export",
                snapshots=list(_store(request).snapshots()["name"]))


def export_file(request):
    from .. import write
    from ..html import to_html

    fmt = request.path_params["fmt"]
    if fmt not in EXPORTS:
        raise HTTPException(404, "Unknown export format.")
    snapshot = request.query_params.get("snapshot") or ""
    m = _snapshot_map(request, snapshot).public()  # private_* columns never leave
    filename, media = EXPORTS[fmt]
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{_store(request).name}" +
                  (f"-{snapshot}" if snapshot else ""))
    with tempfile.TemporaryDirectory(dir=request.app.state.folder) as d:
        d = Path(d)
        if fmt == "csv":
            write(m, d / "csv")
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                for f in ("actors.csv", "ties.csv"):
                    z.write(d / "csv" / f, f)
            data = buf.getvalue()
        elif fmt == "html":
            data = str(to_html(m, title=stem)).encode("utf-8")
        else:
            data = Path(write(m, d / filename)).read_bytes()
    return Response(data, media_type=media, headers={
        "content-disposition": f'attachment; filename="{stem}-{filename}"'})


# --- errors ------------------------------------------------------------------------------------
def exception_handlers():
    async def http_error(request, exc):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"errors": [{"column": None, "message": exc.detail}]},
                                status_code=exc.status_code)
        return page(request, "message.html", exc.status_code, title=f"Error {exc.status_code}",
                    message=exc.detail, back="/")

    async def influence_error(request, exc):
        return page(request, "message.html", 422, title="That did not work", message=str(exc),
                    back="/")

    return {HTTPException: http_error, InfluenceError: influence_error}


def routes():
    return [
        Route("/healthz", healthz),
        Route("/", home),
        Route("/map", map_page),
        Route("/map/page", map_frame),
        Route("/actors", table_page_actors),
        Route("/ties", table_page_ties),
        Route("/api/change", api_change, methods=["POST"]),
        Route("/api/actors", api_rows_actors),
        Route("/api/ties", api_rows_ties),
        Route("/import", import_page, methods=["GET"]),
        Route("/import", import_upload, methods=["POST"]),
        Route("/import/apply", import_apply, methods=["POST"]),
        Route("/review", review_page, methods=["GET"]),
        Route("/review", review_run, methods=["POST"]),
        Route("/review/{n:int}", review_show),
        Route("/review/{n:int}/{name:str}", review_file),
        Route("/review/{n:int}.zip", review_zip),
        Route("/history", history_page),
        Route("/undo", undo, methods=["POST"]),
        Route("/snapshot", snapshot, methods=["POST"]),
        Route("/compare", compare_page),
        Route("/export", export_page),
        Route("/export/{fmt:str}", export_file),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]


def _with_table(fn, table):
    def view(request):
        request.scope.setdefault("path_params", {})["table"] = table
        return fn(request)
    view.__name__ = f"{fn.__name__}_{table}"
    return view


table_page_actors = _with_table(table_page, "actors")
table_page_ties = _with_table(table_page, "ties")
api_rows_actors = _with_table(api_rows, "actors")
api_rows_ties = _with_table(api_rows, "ties")
