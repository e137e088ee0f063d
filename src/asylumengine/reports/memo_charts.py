"""Comparison charts that stay readable with many scenarios: small multiples (one panel per
scenario, or per variant for differences), y-axes from zero for counts and shared across panels,
legends outside the plot area (right), and one colour per scenario with a light band.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from asylumengine.reports.i18n import Texts
from asylumengine.sim import SimulationResult

COLS = 3
PANEL_HEIGHT = 260


def rgba(color: str, alpha: float) -> str:
    return f"rgba({int(color[1:3], 16)},{int(color[3:5], 16)},{int(color[5:7], 16)},{alpha})"


def wrap(title: str, width: int = 34) -> str:
    return "<br>".join(textwrap.wrap(title, width)) or title


def _grid(titles: list[str]):
    """A grid of panels whose titles have room (at most two lines each)."""
    cols = min(COLS, len(titles))
    rows = math.ceil(len(titles) / cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[wrap(t) for t in titles], shared_yaxes="all",
                        horizontal_spacing=0.06, vertical_spacing=min(0.5 / rows, 0.22) if rows > 1 else 0.1)  # fmt: skip
    for ann in fig.layout.annotations:
        ann.font.size = 12
    return fig, rows, cols


def _months(r: SimulationResult) -> list[str]:
    s = r.scenario.start
    return [f"{s.year + (s.month - 1 + m) // 12}-{(s.month - 1 + m) % 12 + 1:02d}-01" for m in range(r.months)]


def _finish(fig, tx: Texts, title: str, rows: int, ytitle: str, counts: bool) -> None:
    fig.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, template="plotly_white", height=110 + rows * PANEL_HEIGHT,
                      separators=tx("fmt.plotly_separators"), margin={"t": 110, "r": 10, "l": 70, "b": 40},
                      legend={"x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top", "font": {"size": 11}, "traceorder": "normal"},
                      hovermode="x unified")  # fmt: skip
    fig.update_yaxes(tickformat=",~f")  # 20.000 / 20,000 per locale, not SI '20k'
    if counts:
        fig.update_yaxes(rangemode="tozero")
    fig.update_yaxes(title_text=ytitle, col=1)
    fig.update_xaxes(tickformat="%Y")


def _key(fig, name: str, **style) -> None:
    """A legend entry in neutral grey (the panel titles name the scenarios; the legend explains the marks)."""
    fig.add_trace(go.Scatter(x=[None], y=[None], name=name, showlegend=True, hoverinfo="skip", **style))


def monthly_multiples(tx: Texts, results: list[SimulationResult], titles: list[str], colors: list[str], name: str):
    """One panel per scenario: its median and 90% band; the baseline's median dashed in each variant's panel."""
    fig, rows, cols = _grid(titles)
    base_med = np.median(results[0].indicators[name], axis=0)
    for i, (r, title, color) in enumerate(zip(results, titles, colors, strict=True)):
        row, col = i // cols + 1, i % cols + 1
        x = _months(r)
        p05, med, p95 = np.percentile(r.indicators[name], [5, 50, 95], axis=0)
        fig.add_trace(go.Scatter(x=x, y=p95.tolist(), mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"),
                      row=row, col=col)  # fmt: skip
        fig.add_trace(go.Scatter(x=x, y=p05.tolist(), mode="lines", line={"width": 0}, fill="tonexty", fillcolor=rgba(color, 0.18),
                                 showlegend=False, name=f"{title}: {tx('cmp.band')}", hoverinfo="skip"), row=row, col=col)  # fmt: skip
        fig.add_trace(go.Scatter(x=x, y=med.tolist(), mode="lines", line={"color": color, "width": 2}, showlegend=False,
                                 name=f"{title}: {tx('cmp.median')}"), row=row, col=col)  # fmt: skip
        if i > 0:
            fig.add_trace(go.Scatter(x=_months(results[0]), y=base_med.tolist(), mode="lines", showlegend=False,
                                     line={"color": "#555555", "width": 1.2, "dash": "dash"},
                                     name=tx("cmp.baseline_median", baseline=titles[0])), row=row, col=col)  # fmt: skip
    _key(fig, tx("cmp.median"), mode="lines", line={"color": "#555555", "width": 2})
    _key(fig, tx("cmp.band"), mode="lines", line={"width": 0}, fill="toself", fillcolor=rgba("#555555", 0.18))
    _key(fig, tx("cmp.baseline_median", baseline=titles[0]), mode="lines", line={"color": "#555555", "width": 1.2, "dash": "dash"})
    _finish(fig, tx, tx("cmp.chart_monthly", indicator=tx(f"ind.{name}")), rows, tx("cmp.unit_persons"), counts=True)
    return fig


def difference_multiples(tx: Texts, base: SimulationResult, variants: list[SimulationResult], titles: list[str], colors: list[str],
                         name: str, scale: float, ytitle: str, differences):  # fmt: skip
    """One panel per variant: the yearly difference against the baseline, median with its 90% band as error bars."""
    fig, rows, cols = _grid(titles)
    for i, (r, title, color) in enumerate(zip(variants, titles, colors, strict=True)):
        d = differences(base, r, name)
        years = [str(base.scenario.start.year + k) for k in range(len(d.median))]
        err = None
        if d.p05 is not None:
            err = {"type": "data", "symmetric": False, "array": ((d.p95 - d.median) * scale).tolist(),
                   "arrayminus": ((d.median - d.p05) * scale).tolist(), "color": "#333333", "thickness": 1.2, "width": 4}  # fmt: skip
        fig.add_trace(go.Bar(x=years, y=(d.median * scale).tolist(), marker_color=rgba(color, 0.75), error_y=err, showlegend=False,
                             name=f"{title}: {tx('cmp.median_difference')}"), row=i // cols + 1, col=i % cols + 1)  # fmt: skip
    _key(fig, tx("cmp.median_difference"), mode="markers", marker={"symbol": "square", "size": 12, "color": "#888888"})
    _key(fig, tx("cmp.band_whiskers"), mode="lines", line={"color": "#333333", "width": 1.2})
    _finish(fig, tx, tx("cmp.chart_difference", indicator=tx(f"ind.{name}")), rows, ytitle, counts=False)
    fig.update_xaxes(tickformat=None, type="category")
    fig.add_hline(y=0, line={"color": "#000000", "width": 1})
    return fig
