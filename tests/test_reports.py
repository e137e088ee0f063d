"""Memo reports (asylumengine.reports.memo): content in both languages, numbers equal to the
engines', every source in the annex, the manifest, locale formats, determinism, PDF, CLI."""

from __future__ import annotations

import html as htmllib
import io
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import yaml

from asylumengine.reports import memo_charts, memo_compare
from asylumengine.reports.i18n import Texts, catalogue
from asylumengine.reports.manifest import data_hash, law_hash
from asylumengine.reports.memo import comparison_report, pdf_from_html, route_report, solidarity_report
from asylumengine.routes import load_case, route
from asylumengine.sim import REGISTRY, load_scenario, run
from asylumengine.solidarity import compute_cycle, load_classifications, load_pledges

ROOT = Path(__file__).parents[1]
CASES = ROOT / "examples" / "cases"
SCENARIOS = ROOT / "scenarios"
GREECE = CASES / "dublin-greece-irregular-entry.yaml"

# Words that are English and never Dutch: none may be left in the Dutch report's own text.
ENGLISH_ONLY = {"the", "and", "with", "which", "where", "must", "shall", "not", "summary", "annex", "step", "steps", "deadline",
                "outcome", "source", "sources", "responsible", "request", "reply", "appeal", "transfer", "refused", "accepted",
                "median", "baseline", "persons", "cost", "year", "years", "state", "states", "pledge", "share", "assumed",
                "none", "yes", "no", "open points", "legal basis", "difference", "differences", "million", "inputs", "seed's"}  # fmt: skip


class Text(HTMLParser):
    """Visible text of a page, and the part of it in the page's own language (outside lang="en",
    code, pre, script and style)."""

    SKIP = {"script", "style"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.all: list[str] = []
        self.own: list[str] = []
        self.external: list[str] = []  # src/href of scripts, styles, images: a self-contained page has none

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("meta", "br", "link", "img"):
            self.external += [a["href"]] if tag == "link" and a.get("href") else [a["src"]] if tag == "img" and a.get("src") else []
            return
        if tag in ("script", "iframe") and a.get("src"):
            self.external.append(a["src"])
        foreign = tag in ("code", "pre") or a.get("lang") == "en" or a.get("translate") == "no"
        self.stack.append((tag, foreign or tag in self.SKIP))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if any(t in self.SKIP for t, _ in self.stack):
            return
        self.all.append(data)
        if not any(f for _, f in self.stack[1:]):  # the <html lang=..> itself is not foreign
            self.own.append(data)


def text_of(page: str) -> Text:
    p = Text()
    p.feed(page)
    return p


def section(page: str, sid: str) -> str:
    m = re.search(rf'<(section|table) id="{sid}"[^>]*>(.*?)</\1>', page, re.DOTALL)
    assert m, f"no element with id {sid}"
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", m.group(2)))


def rows(page: str, table_id: str) -> list[list[str]]:
    m = re.search(rf'<table id="{table_id}">(.*?)</table>', page, re.DOTALL)
    assert m, f"no table {table_id}"
    out = []
    for tr in re.findall(r"<tr>(.*?)</tr>", m.group(1), re.DOTALL):
        out.append([htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.DOTALL)])
    return out


def english_words(own_text: str) -> set[str]:
    words = set(re.findall(r"[a-z][a-z_']+", own_text.lower()))  # need_share etc. are field names
    phrases = {p for p in ENGLISH_ONLY if " " in p and p in own_text.lower()}
    return (words & ENGLISH_ONLY) | phrases


# --- fixtures: small, fast runs -----------------------------------------------------------


@pytest.fixture(scope="module")
def greece():
    return route(load_case(GREECE))


@pytest.fixture(scope="module")
def cycle():
    return compute_cycle(2026)


@pytest.fixture(scope="module")
def results():
    names = ("baseline", "dublin-resumed", "return-hub-safeguards-unmet")
    return [run(load_scenario(SCENARIOS / f"{n}.yaml"), years=2, replications=12, seed=1, scheduler="synchronous") for n in names]


@pytest.fixture(scope="module")
def reports(greece, cycle, results):
    return {(kind, lang): fn(obj, lang) for lang in ("en", "nl")
            for kind, fn, obj in (("route", route_report, greece), ("solidarity", solidarity_report, cycle),
                                  ("comparison", comparison_report, results))}  # fmt: skip


# --- catalogues and formats -----------------------------------------------------------------


def test_every_key_has_both_languages_with_the_same_placeholders():
    en, nl = catalogue("en"), catalogue("nl")
    nl_own = {k: v for k, v in nl.items() if not k.startswith(("param.", "safeguard."))}  # parameter texts: next test
    assert set(en) == set(nl_own)
    for k in en:
        assert en[k].strip() and nl[k].strip(), k
        assert set(re.findall(r"\{(\w+)\}", en[k])) == set(re.findall(r"\{(\w+)\}", nl[k])), k


def test_every_scenario_parameter_has_a_dutch_description():
    tx = Texts("nl")
    for key in REGISTRY:
        text = memo_compare.param_description(tx, key)
        assert text and text != REGISTRY[key].description, key
    assert tx.untranslated == []


def test_every_shipped_scenario_has_a_dutch_title_and_description():
    texts = memo_compare.scenario_texts_nl()
    for path in SCENARIOS.glob("*.yaml"):
        name = yaml.safe_load(path.read_text(encoding="utf-8"))["name"]
        assert texts[name]["title"] and texts[name]["description"], name


def test_numbers_and_dates_per_locale():
    import datetime as dt

    nl, en = Texts("nl"), Texts("en")
    assert nl.num(1234.5, 1) == "1.234,5" and en.num(1234.5, 1) == "1,234.5"
    assert nl.date(dt.date(2026, 12, 1)) == "1 december 2026" and en.date(dt.date(2026, 12, 1)) == "1 December 2026"
    assert nl.eur(21902301.9) == "€ 21.902.302" and en.eur(21902301.9) == "€21,902,302"
    assert nl.pct(5.2148, 2) == "5,21%" and nl.signed(-1528.2) == "−1.528"
    with pytest.raises(ValueError, match="lang"):
        Texts("de")


def test_engine_texts_translated_with_their_figures():
    tx = Texts("nl")
    assert tx.engine("registered on 2026-07-03 in NL") == ("geregistreerd op 3 juli 2026 in NL", True)
    assert Texts("en").engine("registered on 2026-07-03 in NL") == ("registered on 3 July 2026 in NL", True)
    assert tx.dates("Feiten zoals bij de eerste registratie (2026-07-03).") == "Feiten zoals bij de eerste registratie (3 juli 2026)."
    text, ok = tx.engine("Pledge falls short of its mandatory fair share (AMMR Art 57(3)) by EUR 4,290,502.")
    assert ok and "€ 4.290.502" in text
    assert tx.engine("something the catalogue does not know") == ("something the catalogue does not know", False)
    assert tx.untranslated == ["something the catalogue does not know"]


# --- route ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_route_report_shows_responsible_state_and_cited_deadlines(reports, greece, lang):
    page, tx = reports[("route", lang)], Texts(lang)
    summary = section(page, "summary")
    assert "GR" in summary and greece.responsibility_citation in summary
    assert tx.date(greece.transfer_deadline) in summary and tx.date(greece.request_deadline) in summary
    steps = rows(page, "route-steps")[1:]
    assert len(steps) == len(greece.steps)
    transfer = next(r for r, s in zip(steps, greece.steps, strict=True) if s.code == "transfer")
    assert transfer[2] == tx.date(greece.transfer_deadline) and "AMMR Art 46(1)-(2)" in transfer[4]
    answers = dict(rows(page, "route-answers")[1:])
    assert answers[tx("route.responsible")].startswith("GR") and answers[tx("route.citation")] == "AMMR Art 33(1)"


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_route_annex_lists_every_citation_and_open_point(reports, greece, lang):
    page, tx = reports[("route", lang)], Texts(lang)
    cited = {r[0] for r in rows(page, "route-citations")[1:]}
    every = {tx.citation(c) for s in greece.steps for c in s.citations} | {tx.citation(g.citation) for g in greece.admissibility_grounds}
    assert every <= cited
    points = [r[1] for r in rows(page, "route-open-points")[1:]]
    assert points == [tx.engine(p)[0] for s in greece.steps for p in s.open_points] + \
        [tx.engine(a.note)[0] for a in (greece.border_procedure, greece.accelerated_procedure) if a.note]  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES.glob("*.yaml")), ids=lambda p: p.stem)
def test_dutch_route_report_has_no_english_left(case):
    raw = yaml.safe_load(case.read_text(encoding="utf-8"))
    r = route(load_case(case), return_regime=raw.get("return_regime", "return-directive"), lang="nl")
    page = route_report(r, "nl")
    assert 'lang="en"' not in page, "an engine text without a Dutch translation"
    own = " ".join(text_of(page).own).replace(r.case_id, "")  # the case's id is the user's, in any language
    assert english_words(own) == set()


NON_APPLICANTS = sorted(p for p in CASES.glob("screening-*.yaml") if "application" not in yaml.safe_load(p.read_text(encoding="utf-8")))


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("case", NON_APPLICANTS, ids=lambda p: p.stem)
def test_route_report_for_a_person_who_has_not_applied(case, lang):
    """No application: the answers say no responsibility determination arises, and give the screening
    (whether, where, its basis and time limit, its state) and what follows; no cell is empty."""
    r = route(load_case(case), lang=lang)
    page, tx, sc = route_report(r, lang), Texts(lang), r.screening
    assert not r.application_made and r.responsible_state == ""
    table = rows(page, "route-answers")
    assert all(cell not in ("", "–", " — ") for row in table for cell in row), table
    answers = dict(table[1:])
    assert answers[tx("route.application")] == tx("route.application_none")
    assert answers[tx("route.responsible")] == tx(f"route.responsible_no_application_{r.regime['responsibility']}")
    assert answers[tx("route.screening")] == tx(f"route.screening_{sc.where}" if sc.required else "route.screening_none")
    assert answers[tx("route.screening_citation")] == tx.citation(sc.citation)
    assert answers[tx("route.screening_deadline")] == (tx.date(sc.deadline) if sc.deadline else tx("route.screening_deadline_none"))
    assert answers[tx("route.referral")] == tx(f"route.referral_{sc.referral}")
    step = next(s for s in r.steps if s.code == "screening")
    assert answers[tx("route.screening_state")] == tx.dates(step.outcome)  # the route's own words, nothing decided here
    assert answers[tx("route.next")] == " | ".join(tx.dates(b) for b in step.branches)
    assert answers[tx("route.border")] == answers[tx("route.accelerated")] == tx("route.procedure_no_application")
    assert tx("route.examining") not in answers and tx("route.request_deadline") not in answers  # Dublin rows do not arise
    if lang == "nl":
        assert english_words(" ".join(text_of(page).own).replace(r.case_id, "")) == set()


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium (installed by make test) is missing")
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_pdf_for_a_person_who_has_not_applied(lang):
    from pypdf import PdfReader

    r, tx = route(load_case(CASES / "screening-within-the-territory.yaml"), lang=lang), Texts(lang)
    pdf = pdf_from_html(route_report(r, lang))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for key in ("route.application_none", "route.responsible_no_application_ammr", "route.screening_territory",
                "route.referral_return_procedure_continues"):
        assert tx(key) in text, key
    assert tx.date(r.screening.deadline) in text


# --- solidarity ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_solidarity_report_has_the_engines_dutch_contribution(reports, cycle, lang):
    page, tx = reports[("solidarity", lang)], Texts(lang)
    nl = cycle.state("NL")
    row = next(r for r in rows(page, "solidarity-states") if r[0] == ("Nederland" if lang == "nl" else "Netherlands"))
    assert row[2] == tx.pct(nl.fair_share, 2) and row[6] == tx.eur(nl.obligation_eur) and row[7] == tx.eur(nl.pledge_value_eur)
    summary = section(page, "summary")
    assert tx.eur(nl.obligation_eur) in summary and tx.pct(nl.fair_share, 2) in summary
    assert len(rows(page, "solidarity-states")) == 1 + len(cycle.states)


def test_solidarity_report_follows_the_inputs():
    small = compute_cycle(2026, pool_relocations=30000)
    page = solidarity_report(small, "nl")
    assert Texts("nl").eur(small.state("NL").obligation_eur) in section(page, "summary")
    assert small.state("NL").obligation_eur != compute_cycle(2026).state("NL").obligation_eur


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_solidarity_annex_lists_every_input_and_source(reports, cycle, lang):
    page, tx = reports[("solidarity", lang)], Texts(lang)
    law = dict(rows(page, "solidarity-law")[1:])
    assert law == dict(sorted(cycle.citations.items()))
    inputs = section(page, "solidarity-inputs")
    assert cycle.pool.source in inputs and cycle.vintage in inputs and cycle.vintage_label in inputs
    assumptions = section(page, "annex-assumptions")
    for a in cycle.assumptions:
        assert tx.engine(a)[0] in assumptions
    interp = {r[0]: r[1] for r in rows(page, "solidarity-interpretation")[1:]}
    assert interp == {k: str(v) for k, v in cycle.interpretation.model_dump().items()}
    assert len(rows(page, "solidarity-state-inputs")) == 1 + len(cycle.states)


def test_dutch_solidarity_report_with_pledges_has_no_english_left():
    r = compute_cycle(2026, pledges=load_pledges(ROOT / "examples/solidarity/pledges_illustrative.csv"),
                      classifications=load_classifications(ROOT / "examples/solidarity/classification_systemic_gr_it.csv"))  # fmt: skip
    page = solidarity_report(r, "nl")
    notes = [row[1] for row in rows(page, "solidarity-notes")[1:]]
    assert len(notes) == sum(len(s.notes) for s in r.states) and all("EUR" not in n for n in notes)
    assert english_words(" ".join(text_of(page).own)) == set()


# --- comparison ----------------------------------------------------------------------------


def _paired(base, other, name, year):
    d = other.yearly(name)[:, year - 1] - base.yearly(name)[:, year - 1]
    return np.median(d), np.percentile(d, 5), np.percentile(d, 95)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_comparison_differences_equal_the_paired_differences_of_the_results(reports, results, lang):
    page, tx = reports[("comparison", lang)], Texts(lang)
    base = results[0]
    for i, other in enumerate(results[1:], start=1):
        table = rows(page, f"comparison-differences-{i}")[1:]
        names = [n for n in memo_compare.SHOWN for _ in range(base.years)]
        assert len(table) == len(names)
        for k, (row, name) in enumerate(zip(table, names, strict=True)):
            year = k % base.years + 1
            med, lo, hi = _paired(base, other, name, year)
            assert row[4] == memo_compare.fmt_value(tx, name, med, True), (name, year)
            assert row[5] == tx("cmp.band_fmt", lo=memo_compare.fmt_value(tx, name, lo, True), hi=memo_compare.fmt_value(tx, name, hi, True))
            assert row[2] == memo_compare.fmt_value(tx, name, np.median(base.yearly(name)[:, year - 1]))
    assert section(page, "differences").count(tx("cmp.paired_note")) >= 1


def test_dublin_resumed_shows_more_transfers_in_the_summary(reports, results):
    d = memo_compare.yearly_difference(results[0], results[1], "transfers")
    assert d.paired and np.all(d.median > 0)  # transfers to Italy resume: more transfers every year
    summary = section(reports[("comparison", "en")], "summary")
    occ = memo_compare.yearly_difference(results[0], results[1], "occupancy")
    word = "lower" if occ.p95[-1] < 0 else "higher" if occ.p05[-1] > 0 else "no clear difference"
    assert "COA occupancy at the end of 2027" in summary and word in summary.split("dublin-resumed:")[1].split(".")[0]


def test_unpaired_runs_give_differences_of_medians_and_say_so(results):
    base = results[0]
    other = run(load_scenario(SCENARIOS / "dublin-resumed.yaml"), years=2, replications=12, seed=2, scheduler="synchronous")
    page, tx = comparison_report([base, other], "en"), Texts("en")
    assert tx("cmp.unpaired_note") in section(page, "differences")
    row = rows(page, "comparison-differences-1")[1 + 2 * list(memo_compare.SHOWN).index("transfers") + 1]
    expected = np.median(other.yearly("transfers")[:, 1]) - np.median(base.yearly("transfers")[:, 1])
    assert row[4] == memo_compare.fmt_value(tx, "transfers", expected, True) and row[5] == tx("cmp.no_band")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_comparison_annex_lists_every_parameter_with_its_source(reports, results, lang):
    page = reports[("comparison", lang)]
    base_rows = {r[0]: r for r in rows(page, "comparison-params-0")[1:]}
    assert set(base_rows) == set(results[0].scenario.params)
    for key, p in results[0].scenario.params.items():
        assert base_rows[key][4] == p.source
    variant = {r[0]: r[4] for r in rows(page, "comparison-params-1")[1:]}
    assert variant == {"dublin.blocked_share_of_claims": results[1].scenario.params["dublin.blocked_share_of_claims"].source}
    warnings = rows(page, "comparison-warnings")[1:]
    assert len(warnings) == len(results[2].warnings) > 0


def test_dutch_comparison_uses_dutch_scenario_titles_and_has_no_english_left(reports):
    page = reports[("comparison", "nl")]
    assert "Dublin hervat" in section(page, "summary") and "Terugkeerhub zonder waarborgen" in page
    assert english_words(" ".join(text_of(page).own)) == set()


def test_comparison_charts_are_small_multiples_from_zero_with_the_legend_outside(results):
    tx = Texts("nl")
    titles = [memo_compare.scenario_title(tx, r) for r in results]
    colors = list(memo_compare.PALETTE[: len(results)])
    fig = memo_charts.monthly_multiples(tx, results, titles, colors, "occupancy")
    panels = [a.text.replace("<br>", " ") for a in fig.layout.annotations]
    assert panels == titles  # one panel per scenario, titled in Dutch
    assert fig.layout.legend.x >= 1 and fig.layout.legend.xanchor == "left"  # right of every panel
    yaxes = [fig.layout[k] for k in fig.layout if k.startswith("yaxis")]
    assert len(yaxes) == len(results) and all(y.rangemode == "tozero" for y in yaxes)
    bands = [t for t in fig.data if t.fill == "tonexty"]
    assert [b.fillcolor for b in bands] == [memo_charts.rgba(c, 0.18) for c in colors]  # one light colour per scenario
    assert [t.name for t in fig.data if t.showlegend] == [tx("cmp.median"), tx("cmp.band"), tx("cmp.baseline_median", baseline="Basis")]
    assert fig.layout.separators == ",."


# --- every report: manifest, self-contained, deterministic ---------------------------------


@pytest.mark.parametrize("kind", ["route", "solidarity", "comparison"])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_manifest_summary_and_inline_plotly(reports, kind, lang):
    page = reports[(kind, lang)]
    assert f'<html lang="{lang}">' in page
    manifest = dict(rows(page, "manifest-table"))
    tx = Texts(lang)
    assert manifest[tx("manifest.law_hash")] == law_hash() and manifest[tx("manifest.data_hash")] == data_hash()
    assert len(section(page, "summary")) > 200
    assert text_of(page).external == [] and "Plotly.newPlot" in page  # no CDN: plotly.js is inline
    import plotly

    assert f"plotly.js v{plotly.offline.get_plotlyjs_version()}" in page


def test_same_inputs_give_the_same_bytes(reports, greece, cycle, results):
    assert route_report(greece, "nl") == reports[("route", "nl")]
    assert solidarity_report(cycle, "en") == reports[("solidarity", "en")]
    again = [run(r.scenario, years=r.years, replications=r.replications, seed=r.seed, scheduler="synchronous") for r in results]
    assert comparison_report(again, "nl") == reports[("comparison", "nl")]


def test_same_bytes_in_another_process(reports):
    """No set order, id or clock leaks into a report: another interpreter (other hash seed) agrees."""
    code = ("import sys; from asylumengine.routes import load_case, route; from asylumengine.reports.memo import route_report; "
            f"sys.stdout.write(route_report(route(load_case({str(GREECE)!r})), 'nl'))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "12345"})  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout == reports[("route", "nl")]


def test_comparison_needs_a_baseline_and_a_variant(results):
    with pytest.raises(ValueError, match="at least two"):
        comparison_report(results[:1])


# --- PDF and CLI ---------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium (installed by make test) is missing")
def test_pdf_is_a_real_pdf_with_the_report_text(reports, greece):
    from pypdf import PdfReader

    pdf = pdf_from_html(reports[("route", "nl")])
    assert pdf.startswith(b"%PDF-") and b"/CreationDate (D:19700101000000" in pdf
    assert pdf_from_html(reports[("route", "nl")]) == pdf  # same report, same PDF bytes
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "verantwoordelijke lidstaat" in text and Texts("nl").date(greece.transfer_deadline) in text


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium (installed by make test) is missing")
def test_pdf_from_async_code_and_missing_chromium(monkeypatch):
    import asyncio

    from asylumengine.reports import pdf as pdfmod

    page = '<!DOCTYPE html><html lang="nl"><body><p>Termijn 1 december 2026</p></body></html>'

    async def in_a_handler():  # as a web server's async handler would call it
        return pdfmod.pdf_from_html(page)

    assert asyncio.run(in_a_handler()).startswith(b"%PDF-")
    monkeypatch.setattr(pdfmod, "CHROMIUM", "/no/such/chromium")
    with pytest.raises(pdfmod.PdfError, match="Chromium not found at /no/such/chromium"):
        pdfmod.pdf_from_html(page)


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium (installed by make test) is missing")
def test_reports_have_no_serious_accessibility_violations(reports, tmp_path):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        for kind in ("route", "comparison"):
            f = tmp_path / f"{kind}.html"
            f.write_text(reports[(kind, "nl")], encoding="utf-8")
            page.goto(f.as_uri())
            page.wait_for_selector(".plotly-graph-div .main-svg")
            violations = Axe().run(page).response["violations"]
            found[kind] = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        browser.close()
    assert found == {"route": [], "comparison": []}


def asylum(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asylumengine.cli.main", *args], capture_output=True, text=True, timeout=300,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})  # fmt: skip


def test_cli_route_report_in_dutch(tmp_path, greece):
    out = asylum("report", "route", str(GREECE), "--lang", "nl", "--html", str(tmp_path / "r" / "route.html"))
    assert out.returncode == 0, out.stderr
    page = (tmp_path / "r" / "route.html").read_text(encoding="utf-8")
    assert Texts("nl").date(greece.transfer_deadline) in section(page, "summary")
    import json

    inputs = json.loads(htmllib.unescape(re.search(r'<pre translate="no">(.*?)</pre>', page, re.DOTALL).group(1)))
    assert inputs["case_file"] == str(GREECE) and inputs["case"] == load_case(GREECE).model_dump(mode="json")  # reproducible
    assert [p.name for p in (tmp_path / "r").iterdir()] == ["route.html"]  # no temp file left


def test_cli_compare_report(tmp_path):
    out = asylum("report", "compare", str(SCENARIOS / "baseline.yaml"), str(SCENARIOS / "two-status.yaml"), "--years", "1",
                 "--replications", "4", "--scheduler", "synchronous", "--html", str(tmp_path / "c.html"))  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "two-status minus baseline" in section((tmp_path / "c.html").read_text(encoding="utf-8"), "differences")


@pytest.mark.parametrize("args, words", [
    (["route", "missing.yaml"], "missing.yaml: file not found"),
    (["compare", str(SCENARIOS / "baseline.yaml")], "at least two scenario files"),
    (["compare", str(SCENARIOS / "baseline.yaml"), "nope.yaml"], "nope.yaml: file not found"),
    (["solidarity", "--pool-relocations", "-5"], "pool-relocations"),
    (["solidarity", "--shortcomings-effect", "keep"], "--shortcomings-effect must be"),
    (["route", str(GREECE), "--html", "/proc/no/such/route.html"], "cannot write"),
])  # fmt: skip
def test_cli_errors_are_one_clear_line(args, words):
    out = asylum("report", *args)
    assert out.returncode == 2 and words in out.stderr and "Traceback" not in out.stderr
