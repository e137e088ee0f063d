"""The memo report of a scenario comparison: the baseline (first result) against each variant,
with differences and 90% bands, small-multiple charts, and an annex with every parameter and its
source.

Differences are paired per replication when a variant ran with the baseline's seed, start and
number of replications: replication r of both used the same random numbers (common random numbers,
see sim/model.py), so the band is the 5th-95th percentile of the per-replication differences.
Otherwise only the difference of the medians is given, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import yaml

from asylumengine.reports.i18n import Texts
from asylumengine.reports.memo_doc import Cell, Doc, Section, chart, engine_cell, table
from asylumengine.reports.simulation import period, shown_years
from asylumengine.sim import REGISTRY, SimulationResult

# indicators in the report: name -> unit (persons, months, eur)
SHOWN = {"occupancy": "persons", "emergency_occupancy": "persons", "backlog": "persons", "decisions": "persons", "grants": "persons",
         "transfers": "persons", "returns_forced": "persons", "returns_voluntary": "persons", "housed": "persons",
         "ind_waiting_months": "months", "cost_total": "eur"}  # fmt: skip
HEADLINE = ("occupancy", "backlog", "cost_total")  # the summary's indicators
CHART_MONTHLY = ("occupancy", "emergency_occupancy", "backlog")
CHART_YEARLY = ("grants", "transfers", "cost_total")
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")


@lru_cache(maxsize=1)
def scenario_texts_nl() -> dict[str, dict[str, str]]:
    """Dutch titles and descriptions of the shipped scenarios, keyed by scenario name."""
    path = resources.files("asylumengine.reports") / "scenario_texts_nl.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def scenario_title(tx: Texts, r: SimulationResult) -> str:
    if tx.lang == "nl" and r.scenario.name in scenario_texts_nl():
        return scenario_texts_nl()[r.scenario.name]["title"]
    return r.scenario.name


def scenario_description(tx: Texts, r: SimulationResult) -> Cell:
    if tx.lang == "nl":
        entry = scenario_texts_nl().get(r.scenario.name)
        if entry:
            return Cell(entry["description"])
        tx.untranslated.append(r.scenario.description)
        return Cell(r.scenario.description, lang="en")
    return Cell(r.scenario.description)


def fmt_value(tx: Texts, name: str, x: float, signed: bool = False) -> str:
    unit = SHOWN.get(name, "persons")
    scale, decimals = {"eur": (1e-6, 1), "months": (1.0, 1)}.get(unit, (1.0, 0))
    return (tx.signed if signed else tx.num)(x * scale, decimals)


def unit_label(tx: Texts, name: str) -> str:
    return tx(f"cmp.unit_{SHOWN.get(name, 'persons')}")


# --- differences -------------------------------------------------------------------------


def is_paired(base: SimulationResult, other: SimulationResult) -> bool:
    return (base.seed == other.seed and base.replications == other.replications and base.scenario.start == other.scenario.start)


@dataclass
class Difference:
    median: np.ndarray  # per year
    p05: np.ndarray | None  # None: not paired, no band
    p95: np.ndarray | None
    paired: bool


def yearly_difference(base: SimulationResult, other: SimulationResult, name: str, cumulative: bool = False) -> Difference:
    """other - base per year (or summed over the common years when ``cumulative``)."""
    years = min(base.years, other.years)
    a, b = other.yearly(name)[:, :years], base.yearly(name)[:, :years]
    if cumulative:
        a, b = a.sum(axis=1, keepdims=True), b.sum(axis=1, keepdims=True)
    if is_paired(base, other):
        d = a - b
        return Difference(np.median(d, axis=0), np.percentile(d, 5, axis=0), np.percentile(d, 95, axis=0), True)
    return Difference(np.median(a, axis=0) - np.median(b, axis=0), None, None, False)


def _band(tx: Texts, name: str, d: Difference, k: int) -> str:
    if d.p05 is None:
        return tx("cmp.no_band")
    return tx("cmp.band_fmt", lo=fmt_value(tx, name, d.p05[k], True), hi=fmt_value(tx, name, d.p95[k], True))


# --- summary -----------------------------------------------------------------------------


def _sentence(tx: Texts, name: str, d: Difference, k: int, when: str) -> str:
    label, med = tx(f"ind.{name}"), d.median[k]
    value = fmt_value(tx, name, abs(med)) + " " + unit_label(tx, name)
    if d.p05 is None:
        key = "cmp.sum_higher_unpaired" if med > 0 else "cmp.sum_lower_unpaired" if med < 0 else "cmp.sum_equal"
    elif d.p05[k] > 0 or d.p95[k] < 0:
        key = "cmp.sum_higher" if med > 0 else "cmp.sum_lower"
    else:
        key = "cmp.sum_unclear" if (d.p05[k] != 0 or d.p95[k] != 0) else "cmp.sum_equal"
    return tx(key, indicator=label, value=value, when=when, band=_band(tx, name, d, k), median=fmt_value(tx, name, med, True))


def summary(tx: Texts, results: list[SimulationResult]) -> list[Cell]:
    base = results[0]
    out = [Cell(tx("cmp.sum_intro", n=tx.num(len(results) - 1), baseline=scenario_title(tx, base), years=tx.num(base.years),
                   replications=tx.num(base.replications), seed=base.seed))]  # fmt: skip
    for r in results[1:]:
        years = min(base.years, r.years)
        parts = []
        for name in HEADLINE:
            cumulative = name == "cost_total"
            d = yearly_difference(base, r, name, cumulative=cumulative)
            when = tx("cmp.when_total", years=tx.num(years)) if cumulative else tx("cmp.when_end", period=period(base, years))
            parts.append(_sentence(tx, name, d, -1 if not cumulative else 0, when))
        pairing = tx("cmp.paired_short") if is_paired(base, r) else tx("cmp.unpaired_short")
        out.append(Cell(f"{scenario_title(tx, r)}: " + " ".join(parts) + f" ({pairing})"))
    return out


# --- tables ------------------------------------------------------------------------------


def results_table(tx: Texts, results: list[SimulationResult]):
    years = shown_years(max(r.years for r in results))
    rows = []
    for name in SHOWN:
        for k, y in enumerate(years):
            cells = []
            for r in results:
                if y > r.years:
                    cells.append(Cell("–", num=True))
                    continue
                v = r.yearly(name)[:, y - 1]
                med, lo, hi = np.median(v), np.percentile(v, 5), np.percentile(v, 95)
                cells.append(Cell(tx("cmp.interval_fmt", median=fmt_value(tx, name, med), lo=fmt_value(tx, name, lo),
                                     hi=fmt_value(tx, name, hi)), num=True))  # fmt: skip
            rows.append([f"{tx(f'ind.{name}')} ({unit_label(tx, name)})" if k == 0 else "", period(results[0], y)] + cells)
    cols = [tx("cmp.col_indicator"), tx("cmp.col_year")] + [scenario_title(tx, r) for r in results]
    return table("comparison-results", tx("cmp.results_caption"), cols, rows, tx("cmp.interval_note"))


def difference_table(tx: Texts, base: SimulationResult, r: SimulationResult, i: int):
    years = shown_years(min(base.years, r.years))
    rows = []
    for name in SHOWN:
        d = yearly_difference(base, r, name)
        bm, om = np.median(base.yearly(name), axis=0), np.median(r.yearly(name), axis=0)
        for y in years:
            k = y - 1
            rows.append([f"{tx(f'ind.{name}')} ({unit_label(tx, name)})" if y == years[0] else "", period(base, y),
                         Cell(fmt_value(tx, name, bm[k]), num=True), Cell(fmt_value(tx, name, om[k]), num=True),
                         Cell(fmt_value(tx, name, d.median[k], True), num=True), Cell(_band(tx, name, d, k), num=True)])  # fmt: skip
    cols = [tx("cmp.col_indicator"), tx("cmp.col_year"), tx("cmp.col_baseline"), scenario_title(tx, r), tx("cmp.col_difference"),
            tx("cmp.col_band")]  # fmt: skip
    note = tx("cmp.paired_note") if is_paired(base, r) else tx("cmp.unpaired_note")
    return table(f"comparison-differences-{i}", tx("cmp.diff_caption", scenario=scenario_title(tx, r), baseline=scenario_title(tx, base)),
                 cols, rows, note)  # fmt: skip


# --- charts ------------------------------------------------------------------------------


def charts(tx: Texts, results: list[SimulationResult]) -> list:
    from asylumengine.reports import memo_charts as mc

    titles = [scenario_title(tx, r) for r in results]
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(results))]
    out = [chart(mc.monthly_multiples(tx, results, titles, colors, n), f"chart-monthly-{n}") for n in CHART_MONTHLY]
    for n in CHART_YEARLY:
        scale, ytitle = (1e-6, tx("fmt.axis_eur_million")) if SHOWN[n] == "eur" else (1.0, tx("cmp.unit_persons"))
        fig = mc.difference_multiples(tx, results[0], results[1:], titles[1:], colors[1:], n, scale, ytitle, yearly_difference)
        out.append(chart(fig, f"chart-difference-{n}"))
    return out


# --- annex: every parameter with its source ----------------------------------------------


def param_description(tx: Texts, key: str) -> str:
    if tx.lang == "en":
        return REGISTRY[key].description if key in REGISTRY else key
    if tx.has(f"param.{key}"):
        return tx(f"param.{key}")
    model, _, field = key.partition(".")
    if tx.has(f"param.ext.{model}"):
        if field.startswith("safeguards."):
            return tx("param.ext_safeguard", model=tx(f"param.ext.{model}"), safeguard=tx(f"safeguard.{field.split('.', 1)[1]}"))
        return tx(f"param.ext_field.{field}", model=tx(f"param.ext.{model}"))
    tx.untranslated.append(key)
    return REGISTRY[key].description if key in REGISTRY else key


def param_value(tx: Texts, value) -> str:
    if isinstance(value, bool):
        return tx.yes_no(value)
    if isinstance(value, str):  # a status word (safeguards: met / partly / not met)
        key = f"safeguard_status.{value.replace(' ', '_')}"
        return tx(key) if tx.has(key) else value
    if isinstance(value, dict):
        return "; ".join(f"{y}: {tx.num(v)}" for y, v in sorted(value.items())) or "–"
    if isinstance(value, int):
        return tx.num(value)
    return tx.num(value, 4).rstrip("0").rstrip(",.") if "," in tx.num(value, 4) or "." in tx.num(value, 4) else tx.num(value)


def _param_rows(tx: Texts, r: SimulationResult, keys: list[str]) -> list[list]:
    verbatim = "en" if tx.lang != "en" else None
    rows = []
    for k in keys:
        p = r.scenario.params[k]
        rows.append([Cell(k, code=True), param_description(tx, k), Cell(param_value(tx, p.value), num=True),
                     Cell(tx.num(p.sd, 2) if p.sd else "–", num=True), Cell(p.source, lang=verbatim)])  # fmt: skip
    return rows


def _run_row(tx: Texts, r: SimulationResult) -> list:
    return [scenario_title(tx, r), Cell(r.scenario.name, code=True), tx.date(r.scenario.start), tx.num(r.years), tx.num(r.replications),
            str(r.seed), Cell(" ← ".join(reversed(r.scenario.chain)), code=True)]  # fmt: skip


def annex(tx: Texts, results: list[SimulationResult]) -> list[Section]:
    base = results[0]
    cols = [tx("cmp.col_parameter"), tx("cmp.col_meaning"), tx("cmp.col_value"), tx("cmp.col_sd"), tx("cmp.col_source")]
    runs = table("comparison-runs", tx("cmp.annex_runs"), [tx(f"cmp.col_{c}") for c in
                 ("scenario", "name", "start", "years", "replications", "seed", "files")], [_run_row(tx, r) for r in results])  # fmt: skip
    sections = [Section("annex-runs", tx("cmp.annex_runs"), paragraphs=[scenario_description(tx, r) for r in results], tables=[runs])]
    intro = [Cell(tx("cmp.annex_params_intro")), Cell(tx("cmp.verbatim_sources"))] if tx.lang != "en" else [Cell(tx("cmp.annex_params_intro"))]
    keys = sorted(base.scenario.params)
    sections.append(Section("annex-params-0", tx("cmp.annex_params_base", scenario=scenario_title(tx, base)), paragraphs=intro,
                            tables=[table("comparison-params-0", scenario_title(tx, base), cols, _param_rows(tx, base, keys))]))  # fmt: skip
    for i, r in enumerate(results[1:], start=1):
        changed = [k for k in sorted(r.scenario.params) if base.scenario.params.get(k) != r.scenario.params[k]]
        same = len(r.scenario.params) - len(changed)
        sections.append(Section(f"annex-params-{i}", tx("cmp.annex_params_variant", scenario=scenario_title(tx, r)),
                                paragraphs=[Cell(tx("cmp.annex_params_same", n=tx.num(same), baseline=scenario_title(tx, base)))],
                                tables=[table(f"comparison-params-{i}", scenario_title(tx, r), cols, _param_rows(tx, r, changed))]))  # fmt: skip
    warnings = [[scenario_title(tx, r), engine_cell(tx, w)] for r in results for w in r.warnings]
    if warnings:
        sections.append(Section("annex-warnings", tx("cmp.annex_warnings"), tables=[table("comparison-warnings", tx("cmp.annex_warnings"),
                        [tx("cmp.col_scenario"), tx("cmp.col_warning")], warnings)]))  # fmt: skip
    return sections


def build(results: list[SimulationResult], tx: Texts, manifest: dict) -> Doc:
    if len(results) < 2:
        raise ValueError("comparison_report: give at least two results (the first is the baseline)")
    base = results[0]
    sections = [Section("results", tx("cmp.results"), tables=[results_table(tx, results)])]
    pairing = [Cell(tx("cmp.paired_note") if all(is_paired(base, r) for r in results[1:]) else tx("cmp.unpaired_note"))]
    sections.append(Section("differences", tx("cmp.differences"), paragraphs=pairing,
                            tables=[difference_table(tx, base, r, i) for i, r in enumerate(results[1:], start=1)]))  # fmt: skip
    sections.append(Section("charts", tx("cmp.charts"), paragraphs=[Cell(tx("cmp.charts_intro"))], charts=charts(tx, results)))
    title = tx("cmp.title", baseline=scenario_title(tx, base))
    subtitle = tx("cmp.subtitle", scenarios=", ".join(scenario_title(tx, r) for r in results[1:]), years=tx.num(base.years),
                  start=tx.date(base.scenario.start))  # fmt: skip
    return Doc("comparison", title, subtitle, summary(tx, results), sections, annex(tx, results), manifest)
