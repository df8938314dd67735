"""report.html in a real headless Chromium: no external request, hostile text inert, PDF.

Writes ``$INFLUENCE_REPORT_ARTIFACTS`` (if set) with the PDF and a PNG of its first pages so a
person can look at them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import influence
from test_html import HOSTILE
from test_review import hostile

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    m23 = hostile(influence.datasets.load("hollinford"))
    m19 = influence.datasets.load("hollinford", year=2019)
    r = influence.review(m23, previous=m19, as_at="2023-09-01", title=f"Review {HOSTILE}")
    out = tmp_path_factory.mktemp("browser") / "review"
    r.write(out)
    return out / "report.html"


def _open_offline(browser, path):
    """The page at ``path`` with every outside request blocked: (page, outside requests,
    script errors)."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests, errors = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        requests.append(r.request.url)
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, [u for u in requests if not u.startswith(("file://", "data:"))], errors


def test_report_renders_offline_and_hostile_text_is_inert(browser, report):
    page, outside, errors = _open_offline(browser, report)
    assert outside == []
    assert errors == []
    assert page.evaluate("window.__pwned === undefined")
    assert page.evaluate("document.scripts.length") == 0
    assert HOSTILE in page.title()  # shown literally
    body = page.inner_text("body")
    assert f"Food bank {HOSTILE}" in body
    assert "Who is missing" in body and "What to do next" in body
    widths = page.evaluate("Array.from(document.images).map(i => i.naturalWidth)")
    assert len(widths) == 2 and min(widths) > 300  # both figures decoded
    page.close()


def test_report_prints_to_pdf(browser, report):
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
               else r.abort())
    page.goto(report.as_uri())
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True,
                   margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
    assert pdf[:5] == b"%PDF-" and len(pdf) > 50_000
    out = Path(os.environ.get("INFLUENCE_REPORT_ARTIFACTS") or report.parent)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3",
                        str(out / "report.pdf"), str(out / "page")], check=True)
        assert list(out.glob("page*.png"))
    else:
        page.screenshot(path=str(out / "page-1.png"), full_page=False)
    page.close()


def test_share_html_renders_offline_with_its_banner(browser, report):
    share = report.parent / "share.html"
    page, outside, errors = _open_offline(browser, share)
    assert outside == []
    assert errors == [] and page.evaluate("window.__pwned === undefined")
    assert page.evaluate("document.scripts.length") == 0
    body = page.inner_text("body")
    assert body.lstrip().startswith("Safe to share")
    assert "Derek Whitlow" not in body and "Hours a year" not in body
    assert "We have only one route into Westshire County Council" in body
    banner = page.evaluate("getComputedStyle(document.querySelector('.banner')).backgroundColor")
    assert banner == "rgb(198, 246, 213)"
    widths = page.evaluate("Array.from(document.images).map(i => i.naturalWidth)")
    assert len(widths) == 2 and min(widths) > 300
    page.close()
