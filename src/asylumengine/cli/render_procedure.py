"""Rendering a solidarity cycle with its what-ifs, answers and procedure (text, JSON, CSV)."""

from __future__ import annotations

import json
from enum import Enum

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from asylumengine.cli import render
from asylumengine.solidarity import CycleResult, StateResult


class Format(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


def emit(console: Console, result: CycleResult, format: Format, focus: str | None) -> None:
    if format is Format.json:
        typer.echo(cycle_json(result))
    elif format is Format.csv:
        typer.echo(render.cycle_csv(result), nl=False)
    elif focus:
        render.state_detail(console, result, focus)
        state_answers(console, result, result.state(focus))
        procedure(console, result)
    else:
        render.cycle_table(console, result)
        procedure(console, result)


def cycle_json(result: CycleResult) -> str:
    """The engine's JSON (one list, ``states``) with the key used, the procedure and the open points."""
    data = json.loads(render.cycle_json(result))
    data["key"].update(result.key.model_dump(mode="json") if result.key else {})
    data["procedure"] = result.procedure.model_dump(mode="json")
    data["notes"]["open_points"] = result.open_points
    return json.dumps(data, indent=2, ensure_ascii=False)


def _tests_table(title: str, tests) -> Table:
    table = Table(title=title, header_style="bold")
    for col in ("Article", "Test", "Value", "Threshold", "Result", "Consequence"):
        table.add_column(col, overflow="fold")
    for t in tests:
        table.add_row(t.citation, t.test, f"{t.value:,.2f}", f"{t.threshold:,.2f}", t.result, t.consequence)
    return table


def procedure(console: Console, result: CycleResult) -> None:
    if result.key:
        console.print(f"[bold]Key:[/] {result.key.note}", highlight=False)
    o = result.offsets
    if o.threshold_tests:
        console.print(_tests_table("Threshold tests for the Union (AMMR Art 63)", o.threshold_tests))
        readings = "; ".join(f"{r.reading}: {r.value:,.1f}" for r in o.ceiling_readings)
        console.print(f"Forum reconvened (Art 13(4)): {'yes' if o.forum_reconvened else 'no'}. "
                      f"Mandatory offsets still to take over, by reading of Art 63(3): {readings}.", highlight=False)  # fmt: skip
    pr = result.procedure
    for d in pr.deduction_requests:
        due = d.assessment_due.isoformat() if d.assessment_due else "-"
        console.print(Panel(
            f"Basis: {d.basis} ({'admissible' if d.admissible else 'not admissible'}: {d.admissibility_note})\n"
            f"Submitted {d.requested_on.isoformat()} to {d.submitted_to}; received {d.received_on.isoformat()}.\n"
            f"Assessed by {d.assessed_by}: due {due} ({d.assessment_period}).\n"
            f"Decided by {d.decided_by}: {d.decision_due}. Automatic: {'yes' if d.automatic else 'no'}.\n"
            f"Until decided: {d.effect_until_decided}.",
            title=f"Deduction request: {d.member_state}", expand=False))  # fmt: skip
    for r in pr.offset_requests:
        due = r.reply_due.isoformat() if r.reply_due else "no time limit in the text"
        console.print(Panel(
            f"{r.requested_by} asks {r.member_state} to take over {r.applications:,} applications (received {r.received_on.isoformat()}).\n"
            f"Basis: {r.basis}.\nProcedure: {r.procedure}.\nReply due: {due}.\n"
            f"Must accept up to: {r.must_accept_up_to:,.1f}; may accept up to: {r.may_accept_up_to:,.1f}. {r.note}",
            title=f"Offset request: {r.requested_by} -> {r.member_state}", expand=False))  # fmt: skip
    if pr.systemic_checks:
        table = Table(title="Systemic-shortcomings checks (AMMR Art 60(3), fourth subpara)", header_style="bold")
        for col in ("Date", "State", "Kind", "Found", f"In effect on {result.on.isoformat()}", "Source"):
            table.add_column(col, overflow="fold")
        for c in pr.systemic_checks:
            found = "-" if c.found is None else ("yes" if c.found else "no")
            table.add_row(c.date.isoformat(), c.member_state, c.kind, found, "yes" if c.in_effect else "no", c.source)
        console.print(table)
    if pr.sar_share:
        console.print(f"[bold]SAR share (Art 12(5), 57(2)):[/] {pr.sar_share.note}", highlight=False)
    if result.open_points:
        console.print("[bold]Open points (the text can be read more than one way, or a fact was not found)[/]")
        for p in result.open_points:
            console.print(f" - {p}", highlight=False)


def state_answers(console: Console, result: CycleResult, s: StateResult) -> None:
    a = s.answers
    if a is None:
        return
    rows = [
        ("Pledge", f"{s.pledge_source}", "given in the pledges file, or the documented default (assumed)"),
        ("May it offer offsets?", a.may_offer_basis, "AMMR Art 63(2)"),
        ("Up to", "; ".join(f"{r.reading}: {r.value:,.1f}" for r in a.may_offer_up_to) or "-", "AMMR Art 63(2), (7) (open point)"),
        ("Are offsets mandatory for it?", f"{'yes' if a.offsets_mandatory else 'no'}; up to {a.mandatory_up_to:,.1f}"
         + "".join(f"; {r.reading}: {r.value:,.1f}" for r in a.mandatory_up_to_readings), "AMMR Art 63(3)-(4), (7)"),
        ("Year-end offsets", a.year_end_offsets + "".join(f"; {r.reading}: {r.value:,.0f}" for r in a.year_end_offsets_up_to), "AMMR Art 63(5)"),
        ("Still to implement", f"{a.still_to_implement.relocations:,.1f} relocations, EUR {a.still_to_implement.financial_eur:,.0f} "
         f"money, EUR {a.still_to_implement.alternative_eur:,.0f} alternative", "after deductions, exemptions and releases"),
        ("Obligation left after offsets", f"EUR {a.still_to_implement.obligation_left_after_offsets_eur:,.0f}", "AMMR Art 57(3), Recital 33"),
    ]  # fmt: skip
    table = Table(title=f"Answers for {s.name} ({s.member_state})", header_style="bold")
    for col in ("Question", "Answer", "Legal basis"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(*r)
    console.print(table)
    console.print(_tests_table(f"Threshold tests for {s.member_state}", a.threshold_tests))
