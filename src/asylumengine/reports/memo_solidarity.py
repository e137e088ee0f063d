"""The memo report of one solidarity cycle (AMMR Part IV), seen from the Netherlands: fair shares,
the Pool, what each state owes and pledges, charts, and an annex with every input and its source."""

from __future__ import annotations

import plotly.graph_objects as go
from babel import Locale

from asylumengine.data.figures import get_vintage, key_inputs
from asylumengine.reports.i18n import Texts
from asylumengine.reports.memo_doc import Cell, Doc, Section, chart, engine_cell, table
from asylumengine.solidarity import CycleResult, Interpretation, StateResult

FOCUS = "NL"  # the report is written for Dutch users: the Netherlands in detail (named in the catalogues)
HIGHLIGHT, OTHER, PLEDGE = "#d95f02", "#9aa7b4", "#1b9e77"


def state_name(tx: Texts, code: str) -> str:
    return Locale.parse(tx.locale).territories.get(code, code)


def _statuses(tx: Texts, s: StateResult) -> str:
    return ", ".join(tx(f"sol.status.{st.value}") for st in s.status)


def summary(tx: Texts, r: CycleResult) -> list[Cell]:
    nl, pool = r.state(FOCUS), r.pool
    out = [tx("sol.sum_pool", year=r.year, date=tx.date(r.on), relocations=tx.num(pool.relocations), eur=tx.eur(pool.financial_eur),
              ratio=tx.eur(pool.eur_per_relocation))]  # fmt: skip
    out.append(tx("sol.sum_fair_share", state=tx("sol.focus_name"), share=tx.pct(nl.fair_share, 2), pop=tx.pct(nl.population_share, 2),
                  gdp=tx.pct(nl.gdp_share, 2), relocations=tx.num(nl.reference_relocations), eur=tx.eur(nl.reference_eur)))  # fmt: skip
    balance = ("sol.sum_shortfall" if nl.shortfall_eur > 0.5 else "sol.sum_surplus" if nl.surplus_eur > 0.5 else "sol.sum_covered")
    out.append(tx("sol.sum_obligation", obligation=tx.eur(nl.obligation_eur), pledge=tx.eur(nl.pledge_value_eur),
                  source=tx(f"sol.pledge_source.{nl.pledge_source}"))  # fmt: skip
               + " " + tx(balance, shortfall=tx.eur(nl.shortfall_eur), surplus=tx.eur(nl.surplus_eur)))
    if nl.owes:
        to = ", ".join(f"{state_name(tx, d.to)} {tx.eur(d.value_eur)}" for d in nl.owes)
        out.append(tx("sol.sum_owes", state=tx("sol.focus_name_start"), to=to))
    ben = [s.member_state for s in r.states if s.benefitting]
    out.append(tx("sol.sum_benefitting", n=tx.num(len(ben)), states=", ".join(state_name(tx, b) for b in ben) or "–",
                  total=tx.eur(r.totals.obligation_eur), participating=tx.num(len(r.participating))))  # fmt: skip
    out.append(tx("sol.sum_offsets_mandatory" if r.offsets.mandatory_triggered else "sol.sum_offsets_none",
                  needed=tx.num(r.offsets.mandatory_needed), threshold=tx.num(r.offsets.mandatory_relative_threshold)))  # fmt: skip
    out.append(tx("sol.sum_reconciles" if r.totals.reconciles else "sol.sum_not_reconciles"))
    return [Cell(s) for s in out]


def states_table(tx: Texts, r: CycleResult):
    cols = ["sol.col_state", "sol.col_status", "sol.col_fair_share", "sol.col_ref_reloc", "sol.col_ref_eur", "sol.col_deduction",
            "sol.col_obligation", "sol.col_pledge", "sol.col_offsets", "sol.col_shortfall", "sol.col_surplus"]  # fmt: skip
    rows = []
    for s in r.states:
        name = state_name(tx, s.member_state) + (f" ({tx('sol.benefitting')})" if s.benefitting else "")
        figures = [tx.pct(s.fair_share, 2), tx.num(s.reference_relocations), tx.eur(s.reference_eur), tx.eur(s.deduction_eur + s.exempted_eur),
                   tx.eur(s.obligation_eur), tx.eur(s.pledge_value_eur), tx.num(s.offsets_counted), tx.eur(s.shortfall_eur),
                   tx.eur(s.surplus_eur)]  # fmt: skip
        rows.append([Cell(name), Cell(_statuses(tx, s))] + [Cell(f, num=True) for f in figures])
    t = table("solidarity-states", tx("sol.states_caption", year=r.year), [tx(c) for c in cols], rows, tx("sol.states_note"))
    return t


def deliveries_table(tx: Texts, s: StateResult):
    rows = [[state_name(tx, d.to), Cell(tx.num(d.relocations), num=True), Cell(tx.eur(d.financial_eur), num=True),
             Cell(tx.eur(d.alternative_eur), num=True), Cell(tx.num(d.offsets), num=True), Cell(tx.eur(d.value_eur), num=True),
             tx.yes_no(d.released)] for d in s.owes]  # fmt: skip
    cols = ["sol.col_to", "sol.col_relocations", "sol.col_financial", "sol.col_alternative", "sol.col_offsets", "sol.col_value",
            "sol.col_released"]  # fmt: skip
    return table("solidarity-deliveries", tx("sol.deliveries_caption", state=tx("sol.focus_name")), [tx(c) for c in cols], rows)


def _layout(fig, tx: Texts, title: str, ytitle: str, height: int = 460) -> None:
    fig.update_layout(title=title, template="plotly_white", height=height, separators=tx("fmt.plotly_separators"),
                      yaxis={"title": ytitle, "rangemode": "tozero", "tickformat": ",~f"}, margin={"t": 90, "r": 20, "l": 70, "b": 60},
                      legend={"orientation": "h", "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom"})  # fmt: skip


def fair_share_chart(tx: Texts, r: CycleResult):
    ordered = sorted(r.states, key=lambda s: -s.fair_share)
    fig = go.Figure(go.Bar(x=[s.member_state for s in ordered], y=[s.fair_share for s in ordered], showlegend=False,
                           marker_color=[HIGHLIGHT if s.member_state == FOCUS else OTHER for s in ordered],
                           hovertext=[f"{state_name(tx, s.member_state)}: {tx.pct(s.fair_share, 2)}" for s in ordered], hoverinfo="text"))  # fmt: skip
    _layout(fig, tx, tx("sol.chart_fair_share", state=tx("sol.focus_name")), tx("sol.axis_percent"))
    return fig


def contributions_chart(tx: Texts, r: CycleResult):
    ordered = sorted((s for s in r.states if not s.benefitting), key=lambda s: -s.obligation_eur)
    x = [f"<b>{s.member_state}</b>" if s.member_state == FOCUS else s.member_state for s in ordered]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=[s.obligation_eur / 1e6 for s in ordered], name=tx("sol.col_obligation"),
                         marker_color=[HIGHLIGHT if s.member_state == FOCUS else OTHER for s in ordered]))  # fmt: skip
    fig.add_trace(go.Bar(x=x, y=[s.pledge_value_eur / 1e6 for s in ordered], name=tx("sol.col_pledge"), marker_color=PLEDGE, opacity=0.8))
    _layout(fig, tx, tx("sol.chart_contributions", state=tx("sol.focus_name")), tx("fmt.axis_eur_million"))
    fig.update_layout(barmode="group")
    return fig


def _interpretation_rows(tx: Texts, interp: Interpretation) -> list[list]:
    return [[Cell(k, code=True), Cell(str(v), code=True), tx(f"sol.interp.{k}")] for k, v in interp.model_dump().items()]


def _inputs_table(tx: Texts, r: CycleResult):
    v = get_vintage(r.vintage)
    rows = [
        [tx("sol.in_year"), str(r.year), tx("sol.src_input")],
        [tx("sol.in_on"), tx.date(r.on), tx("sol.src_law_date")],
        [tx("sol.in_pool_relocations"), tx.num(r.pool.relocations), Cell(r.pool.source, lang="en" if tx.lang != "en" else None)],
        [tx("sol.in_pool_eur"), Cell(tx.eur(r.pool.financial_eur), num=True), Cell(r.pool.source, lang="en" if tx.lang != "en" else None)],
        [tx("sol.in_ratio"), tx.eur(r.pool.eur_per_relocation), Cell(r.citations.get("solidarity.minimum_pool_relocations", ""), code=True)],
        [tx("sol.in_below_minimum"), tx.yes_no(r.pool.below_article_12_minimum), Cell("AMMR Art 12(2)", code=True)],
        [tx("sol.in_proposed"), tx.num(r.offsets.proposed_relocations), Cell("AMMR Art 12, 63(1)", code=True)],
        [tx("sol.in_vintage"), Cell(r.vintage, code=True), Cell(v.label, lang="en" if tx.lang != "en" else None)],
        [tx("sol.in_proxy"), tx.yes_no(r.vintage_is_proxy), Cell(v.note or "–", lang="en" if v.note and tx.lang != "en" else None)],
    ]
    return table("solidarity-inputs", tx("sol.annex_inputs"), [tx("sol.col_input"), tx("sol.col_value"), tx("sol.col_source")], rows)


def _per_state_inputs(tx: Texts, r: CycleResult):
    rows = [[state_name(tx, s.member_state), _statuses(tx, s), tx.yes_no(s.benefitting), Cell(tx.pct(s.deduction_share * 100, 0), num=True),
             tx.yes_no(s.systemic_shortcomings), tx(f"sol.pledge_short.{s.pledge_source}"), Cell(tx.num(s.pledged_relocations), num=True),
             Cell(tx.eur(s.pledged_financial_eur), num=True), Cell(tx.eur(s.pledged_alternative_eur), num=True),
             Cell(tx.num(s.offsets), num=True)] for s in r.states]  # fmt: skip
    cols = ["sol.col_state", "sol.col_status", "sol.benefitting", "sol.col_deduction_share", "sol.col_systemic", "sol.col_pledge_source",
            "sol.col_relocations", "sol.col_financial", "sol.col_alternative", "sol.col_offsets"]  # fmt: skip
    return table("solidarity-state-inputs", tx("sol.annex_state_inputs"), [tx(c) for c in cols], rows, tx("sol.pledge_short_note"))


def _data_sources(tx: Texts, r: CycleResult):
    seen: dict[tuple[str, str, str], list[str]] = {}
    for ms, f in key_inputs(get_vintage(r.vintage), r.participating).items():
        for fig in (f.population, f.gdp):
            seen.setdefault((fig.indicator, fig.ref_date, fig.source), []).append(ms)
    lang = "en" if tx.lang != "en" else None
    rows = [[Cell(ind, code=True), ref, Cell(src, lang=lang), ", ".join(states)] for (ind, ref, src), states in seen.items()]
    return table("solidarity-data-sources", tx("sol.annex_data"), [tx("sol.col_indicator"), tx("sol.col_ref_date"), tx("sol.col_source"),
                 tx("sol.col_states")], rows)  # fmt: skip


def annex(tx: Texts, r: CycleResult) -> list[Section]:
    law_rows = [[Cell(k, code=True), Cell(c, code=True)] for k, c in sorted(r.citations.items())]
    notes = [[state_name(tx, s.member_state), engine_cell(tx, n)] for s in r.states for n in s.notes]
    return [
        Section("annex-inputs", tx("sol.annex_inputs"), paragraphs=[Cell(tx("sol.annex_inputs_intro"))],
                tables=[_inputs_table(tx, r), _per_state_inputs(tx, r)]),
        Section("annex-interpretation", tx("sol.annex_interpretation"), tables=[table("solidarity-interpretation",
                tx("sol.annex_interpretation"), [tx("sol.col_choice"), tx("sol.col_value"), tx("sol.col_meaning")], _interpretation_rows(tx, r.interpretation))]),
        Section("annex-law", tx("sol.annex_law"), tables=[table("solidarity-law", tx("sol.annex_law"), [tx("sol.col_parameter"), tx("sol.col_citation")], law_rows)]),
        Section("annex-assumptions", tx("sol.annex_assumptions"), items=[engine_cell(tx, a) for a in r.assumptions]),
        Section("annex-notes", tx("sol.annex_notes"), tables=[table("solidarity-notes", tx("sol.annex_notes"), [tx("sol.col_state"), tx("sol.col_note")], notes)]),
        Section("annex-data", tx("sol.annex_data"), paragraphs=[Cell(tx("sol.annex_data_intro"))], tables=[_data_sources(tx, r)]),
    ]  # fmt: skip


def build(r: CycleResult, tx: Texts, manifest: dict) -> Doc:
    nl = r.state(FOCUS)
    sections = [
        Section("states", tx("sol.states"), tables=[states_table(tx, r)]),
        Section("netherlands", tx("sol.focus", state=tx("sol.focus_name_start")), tables=[deliveries_table(tx, nl)]),
        Section("charts", tx("sol.charts"), charts=[chart(fair_share_chart(tx, r), "chart-fair-share"),
                                                    chart(contributions_chart(tx, r), "chart-contributions")]),
    ]  # fmt: skip
    subtitle = tx("sol.subtitle", year=r.year, date=tx.date(r.on), n=tx.num(len(r.participating)))
    return Doc("solidarity", tx("sol.title", year=r.year), subtitle, summary(tx, r), sections, annex(tx, r), manifest)
