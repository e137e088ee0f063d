"""HTML to PDF with Chromium's print-to-PDF (Debian's /usr/bin/chromium driven by Playwright).

Safe to call from async code (a web server's handler): Playwright's sync API cannot run inside an
event loop, so there the printing runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CHROMIUM = os.environ.get("ASYLUM_CHROMIUM", "/usr/bin/chromium")
PRINT_SCALE = 0.75
PRINT_WIDTH_PX = int((210 - 24) / 25.4 * 96 / PRINT_SCALE)  # A4 width less 2 x 12 mm margins, in CSS px at that scale
MARGINS = {"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"}
CHARTS_DRAWN = "() => !window.Plotly || [...document.querySelectorAll('.plotly-graph-div')].every(d => d.querySelector('.main-svg'))"


# Chromium stamps the print time; set it to the epoch (as reproducible builds do, same length so
# the cross-reference offsets stay valid): the same report then gives the same PDF bytes.
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}")


def _without_clock(pdf: bytes) -> bytes:
    return _PDF_DATE.sub(lambda m: b"/" + m[1] + b" (D:19700101000000", pdf)


class PdfError(RuntimeError):
    """Chromium is missing or could not print the page."""


def pdf_from_html(html: str, timeout_ms: int = 60_000) -> bytes:
    """The page printed to A4 PDF after its charts have drawn (no network: the HTML is self-contained)."""
    if not Path(CHROMIUM).exists():
        raise PdfError(f"PDF: Chromium not found at {CHROMIUM} (install Debian's 'chromium' package, or set ASYLUM_CHROMIUM)")
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _print(html, timeout_ms)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html, timeout_ms).result()


def _print(html: str, timeout_ms: int) -> bytes:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:  # a file, not set_content: with plotly.js inline a report is several MB
        page_path = Path(tmp) / "report.html"
        page_path.write_text(html, encoding="utf-8")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                try:
                    # laid out at the printed width, so the charts draw at the size they print
                    page = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1200})
                    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
                    page.goto(page_path.as_uri(), wait_until="load", timeout=timeout_ms)
                    page.emulate_media(media="print")
                    page.wait_for_function(CHARTS_DRAWN, timeout=timeout_ms)
                    return _without_clock(page.pdf(format="A4", print_background=True, scale=PRINT_SCALE, margin=MARGINS))
                finally:
                    browser.close()
        except PlaywrightError as exc:
            raise PdfError(f"PDF: Chromium could not print the report ({str(exc).splitlines()[0]})") from None
