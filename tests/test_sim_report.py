"""Simulation report: Rich tables (English and Dutch), JSON, one self-contained HTML file, PNG charts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from rich.console import Console

from asylumengine.sim import load_scenario, run
from asylumengine.reports import simulation as report
from asylumengine.sim.scenario import Param

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def base():
    return run(load_scenario("builtin:baseline"), years=2, replications=20, seed=1, scheduler="synchronous")


@pytest.fixture(scope="module")
def variant():
    """More IND capacity, and a return hub switched on without its safeguards (the gate warns)."""
    sc = load_scenario("builtin:baseline")
    params = dict(sc.params)
    cap = params["ind.decisions_per_month"]
    params["ind.decisions_per_month"] = Param(cap.value * 1.5, "assumption: test - 50% more IND capacity", cap.sd)
    params["hub.enabled"] = Param(True, "assumption: test - hub on, no safeguards")
    sc = dataclasses.replace(sc, name="more-ind", description="Baseline with 50% more IND capacity.", params=params)
    return run(sc, years=2, replications=20, seed=1, scheduler="synchronous")


def _text(results, lang="en") -> str:
    console = Console(record=True, width=200)
    report.summary_table(console, results, lang=lang)
    return console.export_text()


def test_summary_table_labels_and_medians(base):
    out = _text([base])
    for label in ("COA occupancy (end of year)", "of which status holders", "emergency occupancy", "IND backlog", "IND decisions",
                  "grants", "Dublin transfers", "returns, forced", "returns, voluntary", "departures to unknown destination",
                  "housed", "IND waiting time (months)", "housing waiting time (months)", "total cost (EUR million)",
                  "cost per instrument (EUR million)", "regular reception", "emergency reception",
                  "Where people end up", "still in the chain at the end", "2026", "2027", "median [5th - 95th percentile]"):  # fmt: skip
        assert label in out, label
    s = base.summary()
    for y in (0, 1):
        occ = s["occupancy"]
        assert f"{occ['median'][y]:,.0f} [{occ['p05'][y]:,.0f} - {occ['p95'][y]:,.0f}]" in out
        assert f"{s['backlog']['median'][y]:,.0f} [" in out
        assert f"{s['cost_total']['median'][y] / 1e6:,.1f} [" in out
        assert f"{s['ind_waiting_months']['median'][y]:.1f} [" in out
    term = base.terminal()["departed_forced"]
    assert f"{term['median']:,.0f} [{term['p05']:,.0f} - {term['p95']:,.0f}]" in out
    assert "return hub" not in out  # cost items and end states that are zero everywhere are left out
    assert "Warnings" not in out  # the baseline has no external arrangement switched on


def test_summary_table_dutch(base):
    out = _text([base], lang="nl")
    for label in ("COA-bezetting", "waarvan statushouders", "noodopvang", "achterstand IND", "beslissingen IND", "toekenningen",
                  "Dublinoverdrachten", "terugkeer gedwongen", "terugkeer zelfstandig", "vertrek met onbekende bestemming",
                  "gehuisvest", "wachttijd IND (maanden)", "wachttijd huisvesting (maanden)", "kosten per instrument",
                  "mediaan [5e - 95e percentiel]", "Eindtoestand"):  # fmt: skip
        assert label in out, label
    assert "COA occupancy" not in out
    m = base.summary()["occupancy"]["median"][0]
    assert f"{m:,.0f}".replace(",", ".") in out  # Dutch thousands separator
    with pytest.raises(ValueError, match="lang"):
        _text([base], lang="de")


def test_two_results_side_by_side(base, variant):
    out = _text([base, variant])
    assert "Scenarios compared" in out
    header = next(line for line in out.splitlines() if "baseline" in line and "more-ind" in line)
    assert header.index("baseline") < header.index("more-ind")
    for r in (base, variant):
        s = r.summary()["backlog"]
        assert f"{s['median'][1]:,.0f} [{s['p05'][1]:,.0f} - {s['p95'][1]:,.0f}]" in out
    assert "Warnings" in out and "more-ind: hub: not counted - the partner country's safeguards are not met" in out


def test_to_json(base, variant):
    data = report.to_json([base, variant])
    assert list(data) == ["scenarios"] and isinstance(data["scenarios"], list)
    text = json.dumps(data)
    assert json.loads(text) == data
    first, second = data["scenarios"]
    assert set(first) == {"name", "description", "start", "years", "replications", "seed", "summary", "terminal", "warnings", "sources"}
    assert (first["name"], first["start"], first["years"], first["replications"], first["seed"]) == ("baseline", "2026-01-01", 2, 20, 1)
    assert first["summary"] == base.summary() and first["terminal"] == base.terminal()
    assert first["sources"]["inflow.first_applications_per_year"].startswith("CBS")
    assert first["warnings"] == [] and second["warnings"] == variant.warnings != []
    # one list of scenarios: nothing else at the top, and nothing in the entries is a list of scenarios
    assert not any(isinstance(v, list) and v and isinstance(v[0], dict) for s in data["scenarios"] for v in s.values())


def test_charts_html_self_contained(base, variant, tmp_path):
    path = report.charts_html([base], tmp_path / "out" / "report.html")
    assert path.exists()
    text = path.read_text(encoding="utf-8")
    assert "plotly.js v" in text and len(text) > 1_000_000  # the library itself, inline
    assert '<script src="http' not in text and 'src="http' not in text and "cdn." not in text.split("</head>")[1]
    assert text.count("Plotly.newPlot") == 5
    assert "baseline" in text
    for key in ("chart_occupancy", "chart_composition", "chart_backlog", "chart_outflows", "chart_cost", "persons", "eur_million"):
        assert report.t(key) in text, key
    again = report.charts_html([base], tmp_path / "again.html")
    assert again.read_bytes() == path.read_bytes()  # deterministic

    both = report.charts_html([base, variant], tmp_path / "compare.html").read_text(encoding="utf-8")
    assert "baseline: median" in both and "more-ind: median" in both
    assert "hub: not counted" in both


def _check_png(path):
    import matplotlib.image

    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and len(data) > 10_000, path
    img = matplotlib.image.imread(path)
    assert img.shape[0] > 300 and img.shape[1] > 600


def test_charts_png(base, variant, tmp_path):
    paths = report.charts_png([base], tmp_path / "one")
    assert [p.name for p in paths] == ["occupancy.png", "backlog.png", "cost_per_instrument.png"]
    for p in paths:
        _check_png(p)
    again = report.charts_png([base], tmp_path / "again")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]  # deterministic
    compare = report.charts_png([base, variant], tmp_path / "two")
    for p, single in zip(compare, paths, strict=True):
        _check_png(p)
        assert p.read_bytes() != single.read_bytes()  # the second scenario is drawn


def test_years_shown_and_periods(base):
    assert report.shown_years(2) == [1, 2]
    assert report.shown_years(5) == [1, 2, 3, 4, 5]
    assert report.shown_years(10) == [1, 2, 5, 10]
    assert report.shown_years(12) == [1, 2, 5, 10, 12]
    assert report.period(base, 1) == "2026"
    march = dataclasses.replace(base, scenario=dataclasses.replace(base.scenario, start=dt.date(2026, 3, 1)))
    assert report.period(march, 2) == "2027-03/2028-02"
    assert report.names([base, base]) == ["baseline (1)", "baseline (2)"]
