"""Take the README's screenshot of `influence app` (docs/app.png) with headless Chromium.

Run:  python scripts/app_screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

import influence  # noqa: E402
from influence.app import create_app, free_port  # noqa: E402


def main(out=ROOT / "docs" / "app.png"):
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "hollinford.influence.db"
        influence.write(influence.datasets.load("hollinford"), db)
        port = free_port("127.0.0.1")
        srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                            log_level="warning"))
        threading.Thread(target=srv.run, daemon=True).start()
        while not srv.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = b.new_page(viewport={"width": 1100, "height": 560})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                       else r.abort())
            page.goto(base + "/ties")
            page.wait_for_selector(".tabulator-row")
            page.fill("#search", "hbl")
            cell = page.locator(".tabulator-row >> nth=1").locator(
                '.tabulator-cell[tabulator-field="strength"]')
            cell.click()
            cell.locator("input").fill("7")
            cell.locator("input").press("Enter")
            page.wait_for_selector("#messages p")
            out.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(out))
            b.close()
        srv.should_exit = True
    print(f"Wrote {out}")


if __name__ == "__main__":
    main()
