"""Addresses for the servers of :mod:`influence.app`: a free port, this computer's LAN address,
and waiting until a server listens."""

from __future__ import annotations

import socket
import time

__all__ = ["free_port", "lan_address", "wait_until_listening"]


def wait_until_listening(server, *, seconds: float = 30.0) -> bool:
    """Wait until a ``uvicorn.Server`` listens (True), or is shutting down or has not started
    within ``seconds`` (False)."""
    for _ in range(int(seconds / 0.05)):
        if server.started:
            return True
        if server.should_exit:
            return False
        time.sleep(0.05)
    return bool(server.started)


def free_port(host: str) -> int:
    """A port nobody is listening on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def lan_address():
    """This computer's address on the local network (no packet is sent), or None."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address
