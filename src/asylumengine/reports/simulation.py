"""Simulation results as Rich tables, JSON, one self-contained HTML file (plotly) and PNG charts
(matplotlib). Presentation only: every figure comes from ``SimulationResult``.

    >>> summary_table(Console(), [result], lang="nl")       # median [p05 - p95] per year
    >>> charts_html([base, variant], "report.html")         # comparisons: one trace group per scenario
    >>> charts_png([result], "charts/")                     # occupancy.png, backlog.png, cost_per_instrument.png

Output is deterministic (no timestamps, fixed element ids); the HTML carries plotly.js inline,
so it opens without a network.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from asylumengine.sim.model import COST_ITEMS, OUTFLOWS
from asylumengine.sim.run import SimulationResult

LANGS = ("en", "nl")

# every label, English and Dutch, in one place
LABELS: dict[str, tuple[str, str]] = {
    # indicators (table rows, chart series)
    "occupancy": ("COA occupancy (end of year)", "COA-bezetting (eind van het jaar)"),
    "occupancy_status_holders": ("  of which status holders", "  waarvan statushouders"),
    "emergency_occupancy": ("emergency occupancy (end of year)", "noodopvang (eind van het jaar)"),
    "backlog": ("IND backlog (end of year)", "achterstand IND (eind van het jaar)"),
    "decisions": ("IND decisions", "beslissingen IND"),
    "grants": ("grants", "toekenningen"),
    "transfers": ("Dublin transfers", "Dublinoverdrachten"),
    "returns_forced": ("returns, forced", "terugkeer gedwongen"),
    "returns_voluntary": ("returns, voluntary", "terugkeer zelfstandig"),
    "departures_unknown": ("departures to unknown destination", "vertrek met onbekende bestemming"),
    "departures": ("departures, all (DT&V)", "vertrek, totaal (DT&V)"),
    "housed": ("status holders housed", "gehuisvest (statushouders)"),
    "ind_waiting_months": ("IND waiting time (months)", "wachttijd IND (maanden)"),
    "housing_waiting_months": ("housing waiting time (months)", "wachttijd huisvesting (maanden)"),
    "cost_total": ("total cost (EUR million)", "totale kosten (mln euro)"),
    "cost_per_instrument": ("cost per instrument (EUR million)", "kosten per instrument (mln euro)"),
    "occupancy_asylum_seekers": ("asylum seekers", "asielzoekers"),
    "occupancy_rejected": ("rejected, awaiting departure", "afgewezen, in afwachting van vertrek"),
    "status_holders": ("status holders", "statushouders"),
    # cost items
    "cost_reception_regular": ("regular reception", "reguliere opvang"),
    "cost_reception_emergency": ("emergency reception", "noodopvang"),
    "cost_ind_procedure": ("IND procedure", "IND-procedure"),
    "cost_courts": ("courts and legal aid", "rechtspraak en rechtsbijstand"),
    "cost_solidarity": ("solidarity contribution", "solidariteitsbijdrage"),
    "cost_relocation": ("relocation", "herplaatsing"),
    "cost_forced_return": ("forced return", "gedwongen terugkeer"),
    "cost_detention": ("immigration detention", "vreemdelingenbewaring"),
    "cost_monitoring": ("human-rights monitoring", "mensenrechtenmonitoring"),
    "cost_region": ("reception in the region", "opvang in de regio"),
    "cost_hub": ("return hub", "terugkeerhub"),
    "cost_stc": ("safe third country partnership", "partnerschap veilig derde land"),
    "cost_platform": ("disembarkation platform", "ontschepingsplatform"),
    "cost_external_procedure": ("external border procedure", "externe grensprocedure"),
    "cost_route_screening": ("screening along the route", "screening langs de route"),
    # terminal states
    "end_transferred_out": ("transferred to another Member State (Dublin)", "overgedragen aan een andere lidstaat (Dublin)"),
    "end_absconded": ("absconded during the Dublin procedure", "onttrokken tijdens de Dublinprocedure"),
    "end_housed": ("housed (status holders)", "gehuisvest (statushouders)"),
    "end_departed_voluntary": ("departed voluntarily", "zelfstandig vertrokken"),
    "end_departed_forced": ("forced return", "gedwongen vertrokken"),
    "end_departed_unknown": ("departed to unknown destination", "vertrokken met onbekende bestemming"),
    "end_hub": ("moved to a return hub", "naar een terugkeerhub"),
    "end_stc": ("transferred to a safe third country", "overgedragen aan een veilig derde land"),
    "end_platform": ("disembarked outside the EU (platform)", "ontscheept buiten de EU (platform)"),
    "end_external_procedure": ("processed outside the EU", "behandeld buiten de EU"),
    "end_route_screening": ("screened out along the route", "uitgescreend langs de route"),
    "end_still_in_chain": ("still in the chain at the end", "aan het eind nog in de keten"),
    # table and chart text
    "indicator": ("Indicator", "Indicator"),
    "year": ("Year", "Jaar"),
    "year_n": ("year {n}", "jaar {n}"),
    "terminal_state": ("Terminal state", "Eindtoestand"),
    "persons": ("persons", "personen"),
    "interval": ("median [5th - 95th percentile]", "mediaan [5e - 95e percentiel]"),
    "diff_title": ("{scenario} - {baseline} (paired, same seeds)", "{scenario} - {baseline} (gepaard, zelfde seeds)"),
    "diff_identical": ("identical to {baseline} in every indicator", "gelijk aan {baseline} in elke indicator"),
    "over_run": ("over the run", "over de hele looptijd"),
    "run": ("{years} years from {start}, {replications} replications, seed {seed}",
            "{years} jaar vanaf {start}, {replications} replicaties, seed {seed}"),  # fmt: skip
    "title_summary": ("Scenario {name}: main indicators per year", "Scenario {name}: kerncijfers per jaar"),
    "title_compare": ("Scenarios compared: main indicators per year", "Scenario's vergeleken: kerncijfers per jaar"),
    "title_terminal": ("Where people end up over the whole run (persons)", "Waar mensen over de hele periode terechtkomen (personen)"),
    "warnings": ("Warnings", "Waarschuwingen"),
    "median": ("median", "mediaan"),
    "band": ("90% band", "90%-interval"),
    "month": ("month (value at the end of the month)", "maand (stand aan het eind van de maand)"),
    "eur_million": ("EUR million", "mln euro"),
    "chart_occupancy": ("COA occupancy per month: median and 90% band", "COA-bezetting per maand: mediaan en 90%-interval"),
    "chart_composition": ("Composition of COA occupancy (medians per group)", "Samenstelling van de COA-bezetting (medianen per groep)"),
    "chart_backlog": ("IND backlog per month: median and 90% band", "Achterstand IND per maand: mediaan en 90%-interval"),
    "chart_outflows": ("Dublin transfers and returns per year (medians)", "Dublinoverdrachten en terugkeer per jaar (medianen)"),
    "chart_cost": ("Cost per instrument per year (medians, EUR million)", "Kosten per instrument per jaar (medianen, mln euro)"),
    "html_title": ("AsylumEngine simulation", "AsylumEngine-simulatie"),
    "html_note": ("Monte Carlo medians; bands are the 5th to 95th percentile over the replications.",
                  "Monte-Carlo-medianen; de banden lopen van het 5e tot het 95e percentiel over de replicaties."),  # fmt: skip
}

TABLE_ROWS = ("occupancy", "occupancy_status_holders", "emergency_occupancy", "backlog", "decisions", "grants", "transfers",
              "returns_forced", "returns_voluntary", "departures_unknown", "housed", "ind_waiting_months",
              "housing_waiting_months", "cost_total")  # fmt: skip
MONTHS_ROWS = {"ind_waiting_months", "housing_waiting_months"}
OUTFLOW_SERIES = ("transfers", "returns_forced", "returns_voluntary", "departures_unknown")
COMPOSITION = (("occupancy_asylum_seekers", "occupancy_asylum_seekers"), ("occupancy_status_holders", "status_holders"),
               ("occupancy_rejected", "occupancy_rejected"))  # fmt: skip
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
ITEM_COLORS = ("#4e79a7", "#e15759", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
               "#bab0ac", "#17becf", "#8c564b", "#1f77b4", "#7f7f7f", "#bcbd22")  # fmt: skip
HATCHES = ("", "//", "..", "xx", "\\\\", "++")


def t(key: str, lang: str = "en", **kw) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang: must be one of {', '.join(LANGS)}, got {lang!r}")
    text = LABELS[key][LANGS.index(lang)]
    return text.format(**kw) if kw else text


# --- numbers -------------------------------------------------------------------------------


def _num(x: float, decimals: int, lang: str) -> str:
    s = f"{x:,.{decimals}f}"
    return s.translate(str.maketrans(",.", ".,")) if lang == "nl" else s


def _decimals(name: str) -> int:
    return 1 if name in MONTHS_ROWS or name.startswith("cost_") else 0


def _scale(name: str) -> float:
    return 1e-6 if name.startswith("cost_") else 1.0


def fmt_interval(median: float, p05: float, p95: float, name: str, lang: str = "en") -> str:
    """'median [p05 - p95]' in the indicator's unit (persons, months, or EUR million for costs)."""
    d, s = _decimals(name), _scale(name)
    return f"{_num(median * s, d, lang)} [{_num(p05 * s, d, lang)} - {_num(p95 * s, d, lang)}]"


def shown_years(years: int) -> list[int]:
    """Every year up to 5 years; for longer runs years 1, 2, 5, 10 (20, 30, ...) and the last."""
    if years <= 5:
        return list(range(1, years + 1))
    return sorted({y for y in (1, 2, 5, 10, 20, 30, 40, 50) if y <= years} | {years})


def period(result: SimulationResult, year: int) -> str:
    """Year ``year`` (1-based) of the run: '2026' for a January start, else '2026-03/2027-02'."""
    start = result.scenario.start
    if start.month == 1:
        return str(start.year + year - 1)
    return f"{start.year + year - 1}-{start.month:02d}/{start.year + year}-{start.month - 1:02d}"


def names(results: list[SimulationResult]) -> list[str]:
    """Scenario names, numbered where two results share one."""
    raw = [r.scenario.name for r in results]
    return [f"{n} ({i + 1})" if raw.count(n) > 1 else n for i, n in enumerate(raw)]


def cost_items(results: list[SimulationResult]) -> list[str]:
    """Cost items that are not zero in any of the results."""
    return [c for c in COST_ITEMS if any(np.any(r.indicators[f"cost_{c}"] != 0) for r in results)]


def _months(result: SimulationResult) -> list[str]:
    s = result.scenario.start
    return [f"{s.year + (s.month - 1 + m) // 12}-{(s.month - 1 + m) % 12 + 1:02d}" for m in range(result.months)]


def _monthly_band(result: SimulationResult, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p05, med, p95 = np.percentile(result.indicators[name], [5, 50, 95], axis=0)
    return med, p05, p95


def _yearly_median(result: SimulationResult, name: str) -> np.ndarray:
    return np.median(result.yearly(name), axis=0)


# --- tables --------------------------------------------------------------------------------


def summary_table(console: Console, results: list[SimulationResult], lang: str = "en") -> None:
    """Main indicators per year as 'median [p05 - p95]'; then the terminal states; then warnings.

    One result: years as columns. Several: scenarios side by side as columns, years as rows."""
    t("indicator", lang)  # checks lang
    if not results:
        return
    labels = names(results)
    items = cost_items(results)
    rows = [(n, t(n, lang)) for n in TABLE_ROWS] + [(f"cost_{c}", "  " + t(f"cost_{c}", lang)) for c in items]
    summaries = [r.summary() for r in results]
    for r, label in zip(results, labels, strict=True):
        run = t("run", lang, years=r.years, start=f"{r.scenario.start:%Y-%m}", replications=r.replications, seed=r.seed)
        console.print(f"[bold]{escape(label)}[/]: {escape(run)}", highlight=False)
    if len(results) == 1:
        r, s = results[0], summaries[0]
        years = shown_years(r.years)
        table = Table(title=escape(t("title_summary", lang, name=labels[0])), caption=t("interval", lang), header_style="bold")
        table.add_column(t("indicator", lang))
        for y in years:
            table.add_column(period(r, y), justify="right")
        for name, label in rows:
            if items and name == f"cost_{items[0]}":
                table.add_row(f"[bold]{t('cost_per_instrument', lang)}[/]", *[""] * len(years))
            cells = [fmt_interval(s[name]["median"][y - 1], s[name]["p05"][y - 1], s[name]["p95"][y - 1], name, lang) for y in years]
            table.add_row(escape(label), *cells)
    else:
        years = shown_years(max(r.years for r in results))
        same_start = len({r.scenario.start for r in results}) == 1
        table = Table(title=t("title_compare", lang), caption=t("interval", lang), header_style="bold")
        table.add_column(t("indicator", lang))
        table.add_column(t("year", lang))
        for label in labels:
            table.add_column(escape(label), justify="right")
        for name, label in rows:
            if items and name == f"cost_{items[0]}":
                table.add_row(f"[bold]{t('cost_per_instrument', lang)}[/]", "", *[""] * len(results))
            for k, y in enumerate(years):
                cells = [fmt_interval(s[name]["median"][y - 1], s[name]["p05"][y - 1], s[name]["p95"][y - 1], name, lang)
                         if y <= r.years else "-" for r, s in zip(results, summaries, strict=True)]  # fmt: skip
                when = period(results[0], y) if same_start else t("year_n", lang, n=y)
                table.add_row(escape(label) if k == 0 else "", when, *cells, end_section=k == len(years) - 1)
    console.print(table)
    terminal_table(console, results, lang)
    warnings = [(label, w) for r, label in zip(results, labels, strict=True) for w in r.warnings]
    if warnings:
        console.print(f"[bold yellow]{t('warnings', lang)}[/]")
        for label, w in warnings:
            console.print(f" - {escape(label)}: {escape(w)}" if len(results) > 1 else f" - {escape(w)}", highlight=False)


def terminal_table(console: Console, results: list[SimulationResult], lang: str = "en") -> None:
    """People in each terminal state over the whole run: one column per scenario."""
    terms = [r.terminal() for r in results]
    table = Table(title=t("title_terminal", lang), caption=t("interval", lang), header_style="bold")
    table.add_column(t("terminal_state", lang))
    for label in names(results):
        table.add_column(escape(label), justify="right")
    for k in (*OUTFLOWS, "still_in_chain"):
        if all(term[k]["p95"] == 0 for term in terms):
            continue  # an arrangement that is off in every scenario
        table.add_row(t(f"end_{k}", lang), *[fmt_interval(term[k]["median"], term[k]["p05"], term[k]["p95"], k, lang) for term in terms])
    console.print(table)


# --- JSON ----------------------------------------------------------------------------------


def to_json(results: list[SimulationResult]) -> dict:
    """{"scenarios": [...]}: one entry per result, ready for json.dumps."""
    return {
        "scenarios": [
            {
                "name": r.scenario.name,
                "description": r.scenario.description,
                "start": r.scenario.start.isoformat(),
                "years": r.years,
                "replications": r.replications,
                "seed": r.seed,
                "summary": r.summary(),
                "terminal": r.terminal(),
                "warnings": list(r.warnings),
                "sources": {k: r.scenario.params[k].source for k in sorted(r.scenario.params)},
            }
            for r in results
        ]
    }


# --- HTML (plotly) -------------------------------------------------------------------------


def _rgba(color: str, alpha: float) -> str:
    return f"rgba({int(color[1:3], 16)},{int(color[3:5], 16)},{int(color[5:7], 16)},{alpha})"


def _band_figure(results: list[SimulationResult], name: str, title: str, lang: str):
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, (r, label) in enumerate(zip(results, names(results), strict=True)):
        color, x = PALETTE[i % len(PALETTE)], _months(r)
        med, p05, p95 = _monthly_band(r, name)
        fig.add_trace(go.Scatter(x=x, y=p95.tolist(), mode="lines", line={"width": 0}, legendgroup=label, showlegend=False,
                                 name=f"{label}: p95", hoverinfo="skip"))  # fmt: skip
        fig.add_trace(go.Scatter(x=x, y=p05.tolist(), mode="lines", line={"width": 0}, fill="tonexty", fillcolor=_rgba(color, 0.2),
                                 legendgroup=label, name=f"{label}: {t('band', lang)}", hoverinfo="skip"))  # fmt: skip
        fig.add_trace(go.Scatter(x=x, y=med.tolist(), mode="lines", line={"color": color, "width": 2}, legendgroup=label,
                                 name=f"{label}: {t('median', lang)}"))  # fmt: skip
    fig.update_layout(title=title, xaxis_title=t("month", lang), yaxis_title=t("persons", lang), hovermode="x unified")
    return fig


def _composition_figure(results: list[SimulationResult], lang: str):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    labels = names(results)
    fig = make_subplots(rows=1, cols=len(results), shared_yaxes=True, subplot_titles=labels if len(results) > 1 else None)
    for i, r in enumerate(results):
        x = _months(r)
        for j, (name, key) in enumerate(COMPOSITION):
            med = np.median(r.indicators[name], axis=0)
            fig.add_trace(go.Scatter(x=x, y=med.tolist(), mode="lines", stackgroup=f"s{i}", name=t(key, lang), legendgroup=key,
                                     showlegend=i == 0, line={"color": PALETTE[j + 2]}),
                          row=1, col=i + 1)  # fmt: skip
    fig.update_layout(title=t("chart_composition", lang), yaxis_title=t("persons", lang), hovermode="x unified")
    fig.update_xaxes(title_text=t("month", lang))
    return fig


def _yearly_bars(results: list[SimulationResult], series: list[tuple[str, str, str]], title: str, unit: str, scale: float, lang: str):
    """Stacked bars of yearly medians; for several results one bar per scenario within each year."""
    import plotly.graph_objects as go

    labels = names(results)
    fig = go.Figure()
    for name, label, color in series:
        xs_year, xs_scen, ys = [], [], []
        for r, scen in zip(results, labels, strict=True):
            med = _yearly_median(r, name) * scale
            xs_year += [period(r, y + 1) for y in range(r.years)]
            xs_scen += [scen] * r.years
            ys += med.tolist()
        x = [xs_year, xs_scen] if len(results) > 1 else xs_year
        fig.add_trace(go.Bar(x=x, y=ys, name=label, marker_color=color))
    fig.update_layout(title=title, barmode="stack", xaxis_title=t("year", lang), yaxis_title=unit)
    return fig


def figures(results: list[SimulationResult], lang: str = "en") -> list[tuple[str, object]]:
    """The report's plotly figures, as (id, figure)."""
    outflows = [(n, t(n, lang), PALETTE[k]) for k, n in enumerate(OUTFLOW_SERIES)]
    costs = [(f"cost_{c}", t(f"cost_{c}", lang), ITEM_COLORS[COST_ITEMS.index(c)]) for c in cost_items(results)]
    figs = [
        ("occupancy", _band_figure(results, "occupancy", t("chart_occupancy", lang), lang)),
        ("composition", _composition_figure(results, lang)),
        ("backlog", _band_figure(results, "backlog", t("chart_backlog", lang), lang)),
        ("outflows", _yearly_bars(results, outflows, t("chart_outflows", lang), t("persons", lang), 1.0, lang)),
        ("cost", _yearly_bars(results, costs, t("chart_cost", lang), t("eur_million", lang), 1e-6, lang)),
    ]
    for _, fig in figs:
        fig.update_layout(template="plotly_white", height=480, separators=",." if lang == "nl" else ".,",
                          legend={"orientation": "h", "yanchor": "top", "y": -0.2}, margin={"t": 70})  # fmt: skip
    return figs


def charts_html(results: list[SimulationResult], path: str | Path, lang: str = "en") -> Path:
    """One self-contained HTML file (plotly.js inline, no CDN) with every chart; returns its path."""
    from plotly.offline import get_plotlyjs

    if not results:
        raise ValueError("charts_html: no results to draw")
    path = Path(path)
    labels = names(results)
    head = [f"<h1>{html.escape(t('html_title', lang))}: {html.escape(' / '.join(labels))}</h1>"]
    for r, label in zip(results, labels, strict=True):
        run = t("run", lang, years=r.years, start=f"{r.scenario.start:%Y-%m}", replications=r.replications, seed=r.seed)
        head.append(f"<p><b>{html.escape(label)}</b> ({html.escape(run)}): {html.escape(r.scenario.description)}</p>")
        if r.warnings:
            items = "".join(f"<li>{html.escape(w)}</li>" for w in r.warnings)
            head.append(f"<p class='warn'>{html.escape(t('warnings', lang))}:</p><ul class='warn'>{items}</ul>")
    head.append(f"<p class='note'>{html.escape(t('html_note', lang))}</p>")
    divs = [fig.to_html(full_html=False, include_plotlyjs=False, div_id=fid, default_height="480px", config={"displaylogo": False})
            for fid, fig in figures(results, lang)]  # fmt: skip
    doc = (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
           f"<title>{html.escape(t('html_title', lang))}: {html.escape(' / '.join(labels))}</title>\n"
           "<style>body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}.warn{color:#a15c00}"
           ".note{color:#555}</style>\n"
           f'<script type="text/javascript">{get_plotlyjs()}</script>\n</head>\n<body>\n'
           + "\n".join(head) + "\n" + "\n".join(divs) + "\n</body>\n</html>\n")  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc, encoding="utf-8")
    return path


# --- PNG (matplotlib, Agg) -----------------------------------------------------------------


def _thousands(lang: str):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: _num(v, 0, lang))


def _png_band(results: list[SimulationResult], name: str, title: str, lang: str):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 5.5), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for i, (r, label) in enumerate(zip(results, names(results), strict=True)):
        color = PALETTE[i % len(PALETTE)]
        x = [dt.date.fromisoformat(m + "-01") for m in _months(r)]
        med, p05, p95 = _monthly_band(r, name)
        ax.fill_between(x, p05, p95, color=color, alpha=0.2, linewidth=0, label=f"{label}: {t('band', lang)}")
        ax.plot(x, med, color=color, linewidth=2, label=f"{label}: {t('median', lang)}")
    ax.set_title(title)
    ax.set_xlabel(t("month", lang))
    ax.set_ylabel(t("persons", lang))
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    return fig


def _png_cost(results: list[SimulationResult], lang: str):
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    fig = Figure(figsize=(10, 5.5), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    items, labels = cost_items(results), names(results)
    n_years = max(r.years for r in results)
    width = 0.8 / len(results)
    for j, r in enumerate(results):
        x = np.arange(r.years) + (j - (len(results) - 1) / 2) * width
        bottom = np.zeros(r.years)
        for c in items:
            v = _yearly_median(r, f"cost_{c}") / 1e6
            ax.bar(x, v, width, bottom=bottom, color=ITEM_COLORS[COST_ITEMS.index(c)], hatch=HATCHES[j % len(HATCHES)],
                   edgecolor="white" if len(results) == 1 else "black", linewidth=0.4,
                   label=t(f"cost_{c}", lang) if j == 0 else None)  # fmt: skip
            bottom += v
    ref = max(results, key=lambda r: r.years)
    ax.set_xticks(np.arange(n_years), [period(ref, y + 1) for y in range(n_years)])
    handles, _ = ax.get_legend_handles_labels()
    if len(results) > 1:
        handles += [Patch(facecolor="white", edgecolor="black", hatch=HATCHES[j % len(HATCHES)], label=label)
                    for j, label in enumerate(labels)]  # fmt: skip
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    ax.set_title(t("chart_cost", lang))
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("eur_million", lang))
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.grid(axis="y", alpha=0.3)
    return fig


def charts_png(results: list[SimulationResult], directory: str | Path, lang: str = "en") -> list[Path]:
    """occupancy.png, backlog.png and cost_per_instrument.png in ``directory``; scenarios overlaid."""
    if not results:
        raise ValueError("charts_png: no results to draw")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    charts = {
        "occupancy.png": _png_band(results, "occupancy", t("chart_occupancy", lang), lang),
        "backlog.png": _png_band(results, "backlog", t("chart_backlog", lang), lang),
        "cost_per_instrument.png": _png_cost(results, lang),
    }
    paths = []
    for filename, fig in charts.items():
        p = directory / filename
        fig.savefig(p, format="png", metadata={"Software": None})
        paths.append(p)
    return paths



# --- scenario over baseline (paired differences) ----------------------------------------------


def differences_table(console: Console, diffs: list[dict], results: list[SimulationResult], lang: str = "en") -> None:
    """Per scenario: its paired difference from the first scenario, per year and over the run
    ('median [5th - 95th percentile]' of scenario minus baseline, same seeds), and net cost per instrument."""
    from asylumengine.sim.compare import HEADLINE

    base = results[0]
    for d in diffs:
        title = escape(t("diff_title", lang, scenario=d["scenario"], baseline=d["baseline"]))
        if d["identical_to_baseline"]:
            reason = f": {escape(d['declared_identical'])}" if d["declared_identical"] else ""
            console.print(f"[bold]{title}[/bold]: {escape(t('diff_identical', lang, baseline=d['baseline']))}{reason}", highlight=False)
            continue
        table = Table(title=title, title_justify="left")
        table.add_column(t("indicator", lang))
        years = shown_years(base.years)
        for y in years:
            table.add_column(period(base, y), justify="right")
        table.add_column(t("over_run", lang), justify="right")
        items = [f"cost_{c}" for c, v in d["net_cost_per_instrument"].items() if v["p05"] != 0 or v["p95"] != 0]
        for name in (*HEADLINE, *[i for i in items if i not in HEADLINE]):
            py, run_total = d["per_year"][name], d["over_run"][name]
            label = t(name, lang) if name in LABELS else name
            cells = [fmt_interval(py["median"][y - 1], py["p05"][y - 1], py["p95"][y - 1], name, lang) for y in years]
            table.add_row(label, *cells, fmt_interval(run_total["median"], run_total["p05"], run_total["p95"], name, lang))
        console.print(table)


# --- the backcast chart ---------------------------------------------------------------------


def backcast_png(result: SimulationResult, report: dict, path: str | Path) -> Path:
    """One panel per series: model median and 90% band by month (stocks) or by period (flows),
    published figures as dots (filled: fit window, open: validation window)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from asylumengine.sim.backcast import SERIES, observations

    obs = observations()
    fig, axes = plt.subplots(2, 4, figsize=(16, 7), dpi=100)
    months = np.arange(result.months)
    fit_end = 24
    for ax, (series, label) in zip(axes.flat, SERIES.items()):
        these = [o for o in obs if o.series == series]
        ax.axvspan(0, fit_end, color="#eeeeee", zorder=0)
        if these[0].kind == "stock":
            p05, med, p95 = np.percentile(result.indicators[these[0].indicator], [5, 50, 95], axis=0)
            ax.fill_between(months, p05, p95, color="tab:blue", alpha=0.2)
            ax.plot(months, med, color="tab:blue")
        for o in these:
            v = o.modelled(result.indicators)
            x = _obs_month(o)
            ax.errorbar([x], [np.median(v)], yerr=[[np.median(v) - np.percentile(v, 5)], [np.percentile(v, 95) - np.median(v)]],
                        fmt="s", color="tab:blue", ms=4)  # fmt: skip
            ax.scatter([x], [o.figure.value], s=40, zorder=5, edgecolor="black",
                       color="tab:orange" if o.window() == "fit" else "white")  # fmt: skip
        ax.set_title(label, fontsize=9)
        ax.set_xticks(range(0, result.months + 1, 12))
        ax.set_xticklabels([str(result.scenario.start.year + y) for y in range(result.months // 12 + 1)], fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        ax.yaxis.set_major_formatter(_thousands("en"))
        ax.set_ylim(bottom=0)
    fig.suptitle("Backcast 2022-2025: model (blue: median, 90% band) against published figures "
                 "(orange: fit window 2022-2023, white: validation 2024-2025)", fontsize=10)  # fmt: skip
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return path


def _obs_month(o) -> float:
    """x position (months from the start) of an observation: the month of a stock, the middle of a period."""
    from asylumengine.sim.backcast import START_YEAR

    base = (o.year - START_YEAR) * 12
    if o.kind == "stock":
        return base + int(o.at[5:7]) - 1
    if o.kind == "half":
        return base + (9 if o.at.endswith("H2") else 3)
    return base + 6
