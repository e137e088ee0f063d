"""End-to-end: the web app in headless Chromium (Debian's /usr/bin/chromium driven by Playwright),
against a real uvicorn server on a free loopback port, with an axe-core accessibility check.

Set ASYLUM_SCREENSHOTS=1 to (re)write the screenshots in docs/img/.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from asylumengine.web.catalog import catalogue

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
IMG = Path(__file__).parents[1] / "docs" / "img"
SHOTS = os.environ.get("ASYLUM_SCREENSHOTS") == "1"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)")
playwright_sync = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "asylumengine.cli.main", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > end or proc.poll() is not None:
                raise RuntimeError("server did not start")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True, locale="en-GB")
    outside: list[str] = []  # offline: nothing may be fetched from anywhere but the app's own server

    def only_local(route):
        if route.request.url.startswith((server, "data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_local)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert not errors, errors
    assert not outside, outside


def wait_js(page, expression: str, timeout: float = 30) -> None:
    """Poll a JS expression until true (page.wait_for_function compiles it with eval in the page,
    which the app's Content-Security-Policy forbids; page.evaluate runs outside the CSP)."""
    end = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < end, f"not true after {timeout} s: {expression}"
        time.sleep(0.05)


def accessible(page) -> None:
    """axe-core: no serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, bad


def shot(page, name: str) -> None:
    if SHOTS:
        IMG.mkdir(exist_ok=True)
        page.screenshot(path=str(IMG / f"{name}.png"), full_page=True)


def load_example(page, base: str, name: str = "dublin-greece-irregular-entry", lang: str = "en") -> None:
    page.goto(f"{base}/route?lang={lang}")
    page.wait_for_selector(f"#example option[value='{name}']", state="attached")
    page.select_option("#example", name)
    page.click("#load-example")
    page.wait_for_selector("#responsible-state")


def test_home_loads_and_is_accessible(page, server):
    page.goto(f"{server}/?lang=en")
    assert page.title().startswith("AsylumEngine")
    assert page.locator("nav a[href='/route']").is_visible()
    assert english_found(visible_ui_text(page))  # the Dutch check below can fail: it finds English here
    accessible(page)
    shot(page, "home")
    page.goto(f"{server}/docs")  # the API docs, from the package's Swagger UI files
    page.wait_for_selector(".opblock-summary-path")
    assert page.locator(".opblock").count() >= 15


def test_route_an_example_case(page, server):
    load_example(page, server)
    assert page.inner_text("#responsible-state") == "GR"
    summary = page.inner_text("#route-summary")
    assert "3 August 2026" in summary and "17 February 2027" in summary  # request and transfer deadlines
    assert page.locator("#route-summary a", has_text="AMMR Art 33(1)").count() == 1
    deadline_step = page.locator("#timeline li", has=page.locator(".deadline", has_text="3 August 2026"))
    assert deadline_step.count() >= 1 and deadline_step.first.locator(".cites a").count() >= 1  # the deadline's article
    accessible(page)
    shot(page, "route")
    page.locator("#route-summary a", has_text="AMMR Art 33(1)").click()
    page.wait_for_selector("#explain pre")
    assert "AMMR Art 33" in page.inner_text("#explain")
    accessible(page)
    shot(page, "explain")


def test_route_form_edit_and_field_error(page, server):
    load_example(page, server)
    page.fill("#f-application-registered_on", "2026-01-01")  # before the entry: the engine refuses and names the field
    page.click("#route-submit")
    page.wait_for_selector("#errors li")
    assert "application.registered_on" in page.inner_text("#errors")


def test_a_person_who_has_not_applied(page, server):
    """A case without application: the form sends no empty application, the summary says where the screening is."""
    load_example(page, server, "screening-within-the-territory")
    assert page.inner_text("#responsible-state") == "within the territory"
    assert "No application made" in page.inner_text("#route-summary")
    assert "Screening within the territory" in page.inner_text("#timeline")
    assert "the return procedures of Directive 2008/115/EC continue" in page.inner_text("#timeline")  # what follows
    summary = page.inner_text("#route-summary")  # no responsible state to show: the row says why, none is empty
    assert "Does not arise: no application for international protection made" in summary and "9 July 2026" in summary
    assert "continue (Screening Regulation Art 18(4))" in summary and "Examines the application" not in summary
    assert all(t.strip() for t in page.locator("#route-summary dd").all_inner_texts())


def test_keyboard_only(page, server):
    page.goto(f"{server}/route?lang=en")
    page.wait_for_selector("#example option", state="attached")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "load-example":
            break
    assert page.evaluate("document.activeElement.id") == "load-example"
    page.keyboard.press("Enter")
    page.wait_for_selector("#responsible-state")
    assert page.inner_text("#responsible-state") == "GR"


def test_solidarity_what_if_changes_the_dutch_contribution(page, server):
    page.goto(f"{server}/solidarity?lang=en")
    wait_js(page, "document.getElementById('nl-obligation').textContent.length > 0")
    before_obligation, before_contribution = page.inner_text("#nl-obligation"), page.inner_text("#nl-contribution")
    assert page.locator("#sol-table tr.nl").count() == 1  # NL highlighted
    page.fill("#sol-pool", "60000")
    page.click("#sol-submit")
    wait_js(page, f"document.getElementById('nl-obligation').textContent !== {before_obligation!r}")
    assert page.inner_text("#nl-contribution") != before_contribution
    page.click("#sol-states-box summary")
    page.fill("#rel-NL", "500")
    page.click("#sol-submit")
    wait_js(page, "document.getElementById('nl-contribution').textContent.includes('given')")
    shot(page, "solidarity")
    obligation = page.inner_text("#nl-obligation")
    page.check("#ben-NL")  # the Netherlands benefits from the pool: exempt from its own pledges (Art 60(3))
    page.click("#sol-submit")
    wait_js(page, f"document.getElementById('nl-obligation').textContent !== {obligation!r}")
    assert "--classification classification.json" in page.inner_text("#repro-cli")
    assert page.locator("#sol-chart .main-svg").count() >= 1
    accessible(page)


def run_small_scenario(page, server, lang="en") -> None:
    page.goto(f"{server}/scenarios?lang={lang}")
    page.wait_for_selector("#sc-params tbody tr", state="attached")
    page.check("#v-dublin-resumed")
    page.fill("#sc-years", "2")
    page.fill("#sc-reps", "20")
    page.click("#sc-run")
    page.wait_for_selector("#sc-diff-table tbody tr", timeout=120_000)
    wait_js(page, "document.getElementById('repro-cli').textContent.length > 0")


def test_scenario_run_chart_and_difference(page, server):
    run_small_scenario(page, server)
    assert page.locator("#sc-charts .js-plotly-plot").count() == 6  # small multiples
    assert page.locator("#sc-diff-charts .js-plotly-plot").count() == 6
    assert page.evaluate("document.getElementById('sc-progress').value") == 1
    first = page.locator("#sc-diff-table tbody tr").first.inner_text()
    assert re.search(r"-\d", first), first  # dublin-resumed: fewer in reception than the baseline
    assert "asylum compare scenarios/baseline.yaml scenarios/dublin-resumed.yaml" in page.inner_text("#repro-cli")
    y0 = page.evaluate("document.querySelector('#sc-charts .js-plotly-plot')._fullLayout.yaxis.range[0]")
    assert y0 == 0  # counts from zero
    accessible(page)
    shot(page, "scenarios")


def visible_ui_text(page) -> str:
    """The page's text without data that is English by nature (marked lang=en), code and scripts."""
    return page.evaluate("""() => { const c = document.body.cloneNode(true);
        c.querySelectorAll('[lang=en], script, style, code, pre, .js-plotly-plot .modebar').forEach(e => e.remove());
        return c.innerText; }""")


def english_found(text: str) -> list[str]:
    en, nl = catalogue("en"), catalogue("nl")
    words = {en[k] for k in en if en[k] != nl[k] and len(en[k]) >= 4 and not k.startswith("lang.")}
    return sorted(w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text))


def test_dutch_has_no_english_ui_text(page, server):
    page.goto(f"{server}/?lang=en")
    page.click("#lang-nl")  # the switch
    wait_js(page, "document.documentElement.lang === 'nl'")
    assert english_found(visible_ui_text(page)) == []
    load_example(page, server, lang="nl")
    assert "3 augustus 2026" in page.inner_text("#route-summary")
    assert english_found(visible_ui_text(page)) == []
    accessible(page)
    shot(page, "route-nl")
    page.goto(f"{server}/solidarity?lang=nl")
    wait_js(page, "document.getElementById('nl-obligation').textContent.length > 0")
    assert "Nederland (NL)" in page.inner_text("#sol-table")
    assert english_found(visible_ui_text(page)) == []
    run_small_scenario(page, server, lang="nl")
    assert english_found(visible_ui_text(page)) == []
    page.goto(f"{server}/scenarios")  # the cookie keeps Dutch
    assert page.evaluate("document.documentElement.lang") == "nl"


def test_report_downloads(page, server):
    pytest.importorskip("asylumengine.reports.memo")
    load_example(page, server)
    with page.expect_download() as info:
        page.click("#route-reports [data-report=html]")
    html = Path(info.value.path()).read_text(encoding="utf-8")
    assert "GR" in html and "AMMR Art 33" in html
    with page.expect_download(timeout=60_000) as info:
        page.click("#route-reports [data-report=pdf]")
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
    run_small_scenario(page, server)
    with page.expect_download(timeout=60_000) as info:
        page.click("#sc-reports [data-report=html]")
    assert "dublin-resumed" in Path(info.value.path()).read_text(encoding="utf-8")
