"""Running a workshop: :func:`serve` starts the app with the workshop on a store until Ctrl-C.

It builds the app with :func:`influence.app.create_app` (``workshop=True``, which installs the
routes of :mod:`influence.app.workshop_views`), keeps the port a restart should reuse and prints
the projector, facilitator and participant addresses (``influence workshop``).
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..errors import InfluenceError
from . import create_app
from .addresses import free_port, lan_address, wait_until_listening
from .workshop_views import projector_data, urls

__all__ = ["serve"]


def _last_port(store_path, host):
    """The port this workshop used last time, when it is free now (else None)."""
    import socket

    from ..store import Store

    if not Path(store_path).exists():
        return None
    with Store(store_path) as s:
        row = s.db.execute("SELECT value FROM workshop_state WHERE key = 'port'").fetchone()
    if row is None or not str(row[0]).isdigit():
        return None
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind((host, int(row[0])))
        except OSError:
            return None
    return int(row[0])


def serve(store_path, *, lan=False, port=None, open_browser=True, echo=print):
    """Run a workshop on a store until Ctrl-C (``lan``: phones on this network can join)."""

    import uvicorn

    from .security import new_token

    host = "0.0.0.0" if lan else "127.0.0.1"
    port = port or _last_port(store_path, host) or free_port(host)
    public = None
    if lan:
        address = lan_address()
        if address is None:
            from ..errors import InputError

            raise InputError("This computer is not on a network, so phones cannot reach it. "
                             "Fix: join the hall's Wi-Fi (or start without --lan).")
        public = f"http://{address}:{port}"
    app = create_app(store_path, token=new_token() if lan else None, workshop=True,
                     public_url=public)
    app.state.workshop._set("port", port)  # a restart keeps the addresses phones hold
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                           lifespan="on"))
    found = urls(app, f"http://127.0.0.1:{port}")

    def announce():
        if not wait_until_listening(server) and server.should_exit:
            return
        try:  # draw the projector's map once now, so the first change shows at once
            projector_data(app)
        except InfluenceError:
            pass
        echo(f"Workshop on {Path(store_path).name}")
        echo(f"  Projector (the big screen):     {found['projector']}")
        echo(f"  Facilitator (keep it to you):   {found['facilitator']}")
        echo(f"  Participants (phones; QR code on the projector): {found['participant']}")
        echo(f"  Join code: {found['code']}")
        if not lan:
            echo("Only this computer can join; start with --lan for phones on the hall's Wi-Fi.")
        echo("Press Ctrl-C to stop (everything accepted or sent is already saved).")
        if open_browser:
            import webbrowser

            webbrowser.open(found["facilitator"])
            webbrowser.open(found["projector"])

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    echo("Stopped.")
