"""``influence app``: the partnership's map in a browser, kept in a store with its history.

A thin ASGI layer (Starlette, served by uvicorn) over the library and :mod:`influence.store`:
pages for the map, the editable tables of people and bodies and of ties, import with a
preview, the review, history (snapshots, the change log, compare, undo) and export. This is
the only part of ``influence`` that imports Starlette; the rest never imports it.

Everything it serves comes from the package (no CDN): the tables use Tabulator, vendored with
its licence in NOTICE. Files it writes (reviews, uploads, exports) go to the store's own
folder, ``<store>.files/``, and nowhere else.

Examples
--------
>>> import tempfile, pathlib, influence
>>> from starlette.testclient import TestClient
>>> from influence.app import create_app
>>> db = pathlib.Path(tempfile.mkdtemp()) / "area.influence.db"
>>> _ = influence.write(influence.datasets.load("karate"), db)
>>> client = TestClient(create_app(db), base_url="http://127.0.0.1")
>>> client.get("/healthz").text
'ok'
>>> len(client.get("/api/actors").json()["rows"])
34
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from .addresses import free_port, lan_address, wait_until_listening

__all__ = ["create_app", "serve", "files_folder", "is_local"]


def files_folder(store_path) -> Path:
    """The folder next to a store where the app keeps reviews, uploads and exports."""
    p = Path(store_path)
    return p.with_name(p.name + ".files")


def is_local(host: str) -> bool:
    """True for addresses only this machine can reach."""
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def create_app(store_path, *, token: str | None = None, who: str | None = None,
               workshop: bool = False, public_url: str | None = None):
    """The Starlette application serving the store at ``store_path``.

    Parameters
    ----------
    store_path : str or path-like
        A ``.influence.db`` store (created empty when missing).
    token : str, optional
        When given, every request must carry it (``?token=``); needed off this machine.
    who : str, optional
        The default name recorded in the change log.
    workshop : bool
        Also serve a live mapping workshop under ``/w/`` (:mod:`influence.app.workshop`);
        its pages check keys of their own, so phones never need the app's token.
    public_url : str, optional
        The address phones use (for the workshop's join link and QR code).
    """
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    from ..store import Store
    from . import views
    from .security import Guard

    store = Store(store_path, create=True)
    folder = files_folder(store_path)
    folder.mkdir(exist_ok=True)
    middleware = [Middleware(Guard, token=token, open_prefix="/w/" if workshop else None)]
    if not token:  # local only: refuse other Host names (DNS rebinding)
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=[
            "127.0.0.1", "localhost", "[::1]"]))
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        store.close()

    app = Starlette(routes=views.routes(), middleware=middleware,
                    exception_handlers=views.exception_handlers(), lifespan=lifespan)
    app.state.store = store
    app.state.folder = folder
    app.state.who = who
    app.state.token = token
    app.state.lock = threading.Lock()
    app.state.map_cache = {}
    if workshop:
        from .workshop_views import install

        install(app, public_url=public_url)
    return app


def serve(store_path, *, host="127.0.0.1", port=None, open_browser=True, echo=print):
    """Serve a store until Ctrl-C; returns when the server has stopped cleanly."""
    import uvicorn

    from .security import new_token

    token = None if is_local(host) else new_token()
    app = create_app(store_path, token=token)
    port = port or free_port(host)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown if ':' not in shown else f'[{shown}]'}:{port}/"
    if token:
        url += f"?token={token}"
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)

    def announce():  # once it is listening: the address, then the browser
        if not wait_until_listening(server) and server.should_exit:
            return
        echo(f"Serving {Path(store_path).name} at {url}")
        if token:
            lan = lan_address() if host in ("0.0.0.0", "::") else None
            if lan:
                echo(f"Others on this network: {url.replace('127.0.0.1', lan, 1)}")
            echo("Anyone who can reach this computer needs that address (with its token) to "
                 "open the map; keep it to the partnership.")
        echo("Press Ctrl-C to stop.")
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.run()  # shuts down gracefully on Ctrl-C, then re-raises the signal
    except KeyboardInterrupt:
        pass
    echo("Stopped.")
