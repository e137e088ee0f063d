"""The memo report of one case's route: who is responsible, the steps with their deadlines and
articles, a timeline, and an annex with every citation and open point."""

from __future__ import annotations

import plotly.graph_objects as go

from asylumengine.reports.i18n import Texts
from asylumengine.reports.memo_doc import Cell, Doc, Section, chart, engine_cell, table
from asylumengine.routes import Route, Step
from asylumengine.routes.criteria import LABELS, Criterion


def criterion_label(route: Route, lang: str) -> str:
    try:
        en, nl = LABELS[Criterion[route.responsibility_criterion.upper()]]
    except KeyError:
        return route.responsibility_criterion
    return nl if lang == "nl" else en


def _first_deadline(route: Route) -> Step | None:
    dated = [s for s in route.steps if s.deadline is not None]
    return min(dated, key=lambda s: s.deadline) if dated else None


def _terminals(tx: Texts, route: Route) -> str:
    return ", ".join(tx(f"terminal.{t}") if tx.has(f"terminal.{t}") else tx.engine(t)[0] for t in route.terminal_states)


def summary(tx: Texts, route: Route) -> list[Cell]:
    if not route.application_made:  # a person who has not applied: the screening and what follows only
        sc = route.screening
        return [Cell(tx(f"route.sum_no_application_{sc.where}", deadline=tx.date(sc.deadline), citation=tx.citation(sc.citation))),
                Cell(tx("route.sum_ends", terminals=_terminals(tx, route), steps=tx.num(len(route.steps)),
                        open=tx.num(sum(len(s.open_points) for s in route.steps))))]  # fmt: skip
    out = [tx("route.sum_responsible", state=route.responsible_state, criterion=criterion_label(route, tx.lang),
              citation=route.responsibility_citation, examining=route.examining_state)]  # fmt: skip
    if route.request != "none":
        out.append(tx(f"route.sum_request_{route.request}", state=route.responsible_state, request=tx.date(route.request_deadline),
                      reply=tx.date(route.reply_deadline), transfer=tx.date(route.transfer_deadline)))  # fmt: skip
    bp, ap = route.border_procedure, route.accelerated_procedure
    proc = "border_mandatory" if bp.mandatory else "border_possible" if bp.applies else "accelerated" if ap.applies else "regular"
    out.append(tx(f"route.sum_{proc}"))
    first = _first_deadline(route)
    if first is not None:
        out.append(tx("route.sum_first_deadline", date=tx.date(first.deadline), step=getattr(first.title, tx.lang),
                      citation=tx.citation(first.citations[0])))  # fmt: skip
    n_open = sum(len(s.open_points) for s in route.steps)
    out.append(tx("route.sum_ends", terminals=_terminals(tx, route), steps=tx.num(len(route.steps)), open=tx.num(n_open)))
    return [Cell(s) for s in out]


def _deadline(tx: Texts, s: Step) -> str:
    if s.deadline is None:
        return "–"
    if s.deadline_latest and s.deadline_latest != s.deadline:
        return tx("route.deadline_range", first=tx.date(s.deadline), latest=tx.date(s.deadline_latest))
    return tx.date(s.deadline)


def _outcome(tx: Texts, s: Step) -> Cell:
    if s.outcome:
        return engine_cell(tx, s.outcome)
    if s.branches:
        joined = _branches(tx, s.branches)
        return Cell(tx("route.branches", branches=joined.text), lang=joined.lang)
    return Cell("–")


def _screening_step(route: Route) -> Step | None:
    return next((s for s in route.steps if s.code == "screening"), None)


def no_application_answers(tx: Texts, route: Route):
    """A person who has not applied: no responsibility to determine (the AMMR and Dublin III determine
    the state responsible for an application), and what the route says does apply: the screening,
    its time limit, its state and what follows (Screening Regulation Arts 5, 7, 8, 18)."""
    sc, step = route.screening, _screening_step(route)
    where = sc.where if sc is not None and sc.required else "none"
    rows = [
        [tx("route.application"), tx("route.application_none")],
        [tx("route.responsible"), tx(f"route.responsible_no_application_{route.regime['responsibility']}")],
        [tx("route.screening"), tx(f"route.screening_{where}")],
    ]
    if sc is not None:
        rows.append([tx("route.screening_citation"), Cell(tx.citation(sc.citation), code=True)])
        deadline = tx.date(sc.deadline) if sc.deadline else tx("route.screening_deadline_none")
        rows += [[tx("route.screening_deadline"), deadline], [tx("route.referral"), tx(f"route.referral_{sc.referral}")]]
    if step is not None:
        rows.append([tx("route.screening_state"), engine_cell(tx, step.outcome) if step.outcome else Cell("–")])
        rows.append([tx("route.next"), _branches(tx, step.branches) if step.branches else Cell("–")])
    rows += [[tx("route.border"), tx("route.procedure_no_application")], [tx("route.accelerated"), tx("route.procedure_no_application")],
             [tx("route.ends"), _terminals(tx, route)]]  # fmt: skip
    return table("route-answers", tx("route.answers_caption_no_application"), [tx("route.question"), tx("route.answer")], rows)


def _branches(tx: Texts, branches: list[str]) -> Cell:
    parts = [engine_cell(tx, b) for b in branches]
    return Cell(" | ".join(p.text for p in parts), lang="en" if any(p.lang for p in parts) else None)


def answers_table(tx: Texts, route: Route):
    if not route.application_made:
        return no_application_answers(tx, route)
    bp, ap = route.border_procedure, route.accelerated_procedure
    rows = [
        [tx("route.responsible"), Cell(f"{route.responsible_state} — {criterion_label(route, tx.lang)}")],
        [tx("route.citation"), Cell(route.responsibility_citation, code=True)],
        [tx("route.examining"), route.examining_state],
        [tx("route.request"), tx(f"route.request_{route.request}")],
        [tx("route.request_deadline"), tx.date(route.request_deadline)],
        [tx("route.reply_deadline"), tx.date(route.reply_deadline)],
        [tx("route.transfer_deadline"), tx.date(route.transfer_deadline)],
        [tx("route.screening_deadline"), tx.date(route.screening_deadline)],
        [tx("route.border"), tx.yes_no(bp.applies) + (f" ({tx('route.mandatory')})" if bp.mandatory else "")],
        [tx("route.accelerated"), tx.yes_no(ap.applies) + (f" ({tx('route.mandatory')})" if ap.mandatory else "")],
        [tx("route.ends"), _terminals(tx, route)],
    ]
    return table("route-answers", tx("route.answers_caption"), [tx("route.question"), tx("route.answer")], rows)


def steps_table(tx: Texts, route: Route):
    rows = []
    for s in route.steps:
        rows.append([Cell(f"{getattr(s.title, tx.lang)}: {tx.dates(getattr(s.explanation, tx.lang))}"), tx.date(s.start), _deadline(tx, s),
                     _outcome(tx, s), Cell("; ".join(tx.citation(c) for c in s.citations), code=True)])  # fmt: skip
    cols = [tx("route.step"), tx("route.start"), tx("route.deadline"), tx("route.outcome"), tx("route.basis")]
    return table("route-steps", tx("route.steps_caption"), cols, rows)


def timeline(tx: Texts, route: Route):
    """Each dated step as a bar from its start to its deadline (a dot where only one date is known)."""
    fig = go.Figure()
    titles = [getattr(s.title, tx.lang) for s in route.steps]
    for k, s in enumerate(route.steps):
        ends = [d for d in (s.start, s.deadline_latest or s.deadline) if d is not None]
        if not ends:
            continue
        label = f"{k + 1}. {titles[k]}"
        hover = f"{label}<br>{tx('route.start')}: {tx.date(s.start)}<br>{tx('route.deadline')}: {_deadline(tx, s)}<br>{tx.citation(s.citations[0])}"
        fig.add_trace(go.Scatter(x=[d.isoformat() for d in ends], y=[label] * len(ends), mode="lines+markers", showlegend=False,
                                 line={"width": 10, "color": "#1f5f99"}, marker={"size": 11, "color": "#1f5f99"},
                                 hovertext=hover, hoverinfo="text"))  # fmt: skip
    fig.update_yaxes(autorange="reversed", type="category", automargin=True)
    fig.update_xaxes(type="date", tickformat="%d-%m-%Y" if tx.lang == "nl" else "%d %b %Y", title_text=tx("route.chart_x"))
    fig.update_layout(title=tx("route.chart_title"), template="plotly_white", height=120 + 38 * len(route.steps),
                      margin={"l": 10, "r": 20, "t": 60, "b": 50})  # fmt: skip
    return fig


def annex(tx: Texts, route: Route) -> list[Section]:
    cites: dict[str, list[str]] = {}
    for s in route.steps:
        for c in s.citations:
            cites.setdefault(c, []).append(getattr(s.title, tx.lang))
    for c in route.border_procedure.citations:
        cites.setdefault(c, []).append(tx("route.border"))
    for c in route.accelerated_procedure.citations:
        cites.setdefault(c, []).append(tx("route.accelerated"))
    for g in route.admissibility_grounds:
        cites.setdefault(g.citation, []).append(tx("route.admissibility"))
    cite_rows = [[Cell(tx.citation(c), code=True), ", ".join(dict.fromkeys(where))] for c, where in cites.items()]
    points = [[getattr(s.title, tx.lang), engine_cell(tx, p)] for s in route.steps for p in s.open_points]
    points += [[tx(f"route.{k}"), engine_cell(tx, a.note)] for k, a in
               (("border", route.border_procedure), ("accelerated", route.accelerated_procedure)) if a.note]  # fmt: skip
    regime = [[tx(f"route.regime_{k}"), Cell(v, code=True)] for k, v in sorted(route.regime.items())]
    regime.append([tx("route.computed_on"), tx.date(route.computed_on)])
    return [
        Section("annex-regime", tx("route.annex_regime"), tables=[table("route-regime", tx("route.annex_regime"),
                [tx("route.question"), tx("route.answer")], regime)]),  # fmt: skip
        Section("annex-citations", tx("route.annex_citations"), paragraphs=[Cell(tx("route.annex_citations_intro"))],
                tables=[table("route-citations", tx("route.annex_citations"), [tx("route.basis"), tx("route.used_in")], cite_rows)]),
        Section("annex-open-points", tx("route.annex_open"), paragraphs=[Cell(tx("route.annex_open_intro", n=tx.num(len(points))))],
                tables=[table("route-open-points", tx("route.annex_open"), [tx("route.step"), tx("route.open_point")], points)]),
    ]  # fmt: skip


def build(route: Route, tx: Texts, manifest: dict) -> Doc:
    sections = [
        Section("answers", tx("route.answers"), tables=[answers_table(tx, route)]),
        Section("steps", tx("route.steps"), tables=[steps_table(tx, route)]),
        Section("timeline", tx("route.timeline"), paragraphs=[Cell(tx("route.timeline_intro"))],
                charts=[chart(timeline(tx, route), "chart-route-timeline")]),
    ]  # fmt: skip
    subtitle = tx("route.subtitle", date=tx.date(route.computed_on), regime=" / ".join(route.regime[k] for k in sorted(route.regime)))
    return Doc("route", tx("route.title", case=route.case_id), subtitle, summary(tx, route), sections, annex(tx, route), manifest)
