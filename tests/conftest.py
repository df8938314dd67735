"""Shared pytest fixtures (kept small): paths to the small input files under tests/data, and
one headless Chromium per browser-test module."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The folder of small good and bad input files."""
    return DATA


@pytest.fixture
def good_map():
    """The small, valid map in tests/data/good (5 actors, 4 ties)."""
    import influence

    return influence.read(DATA / "good")


# --- the browser tests ------------------------------------------------------------------------
#: Chromium flags: headless, and no request of its own (updates, sync, QUIC) to the internet.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path():
    """Debian's Chromium (or ``$INFLUENCE_CHROMIUM``); never a downloaded browser."""
    import os
    import shutil

    for path in (os.environ.get("INFLUENCE_CHROMIUM"), "/usr/bin/chromium",
                 shutil.which("chromium"), shutil.which("chromium-browser")):
        if path and os.path.exists(path):
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (skipped with the reason when none starts)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                                   "(pip install influence[test])")
    with sync_api.sync_playwright() as p:
        path = chromium_path()
        try:
            b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS) if path else \
                p.chromium.launch(args=CHROMIUM_ARGS)
        except Exception as exc:  # noqa: BLE001 - any launch failure means "no browser here"
            pytest.skip(f"no Chromium could be started ({exc.__class__.__name__}); install "
                        "Debian's chromium")
        yield b
        b.close()
