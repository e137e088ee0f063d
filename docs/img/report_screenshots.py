"""Regenerate the report screenshots in docs/img (Chromium through Playwright).

    .venv/bin/python docs/img/report_screenshots.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from asylumengine.reports.memo import comparison_report, route_report
from asylumengine.routes import load_case, route
from asylumengine.sim import load_scenario, run

ROOT = Path(__file__).parents[2]
OUT = Path(__file__).parent


def shots() -> None:
    r = route(load_case(ROOT / "examples/cases/dublin-greece-irregular-entry.yaml"))
    runs = [run(load_scenario(ROOT / f"scenarios/{n}.yaml"), years=5, replications=100, seed=1, scheduler="synchronous")
            for n in ("baseline", "dublin-resumed", "return-hub", "solidarity-relocation")]  # fmt: skip
    pages = {"report-route-nl": route_report(r, "nl"), "report-compare-nl": comparison_report(runs, "nl")}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1150, "height": 1400})
        for name, html in pages.items():
            f = Path(tmp) / f"{name}.html"
            f.write_text(html, encoding="utf-8")
            page.goto(f.as_uri())
            page.wait_for_timeout(1500)
            page.screenshot(path=OUT / f"{name}.png")  # the top: title, summary, first table
            if name == "report-compare-nl":
                page.locator("#chart-monthly-occupancy").screenshot(path=OUT / "report-compare-charts-nl.png")
                page.locator("#chart-difference-transfers").screenshot(path=OUT / "report-compare-differences-nl.png")
        browser.close()


if __name__ == "__main__":
    shots()
