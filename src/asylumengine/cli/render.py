"""Rendering engine results as Rich tables, JSON and CSV. Presentation only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from asylumengine.data.figures import Vintage
from asylumengine.law import ParameterError, ParameterSet
from asylumengine.solidarity import CycleResult, StateResult

STATUS_LABEL = {
    "migratory_pressure": "pressure",
    "risk_of_migratory_pressure": "at risk",
    "significant_migratory_situation": "significant",
    "none": "-",
}


def eur(x: float) -> str:
    return f"EUR {x:,.0f}"


def _status(s: StateResult) -> str:
    return ", ".join(STATUS_LABEL[st.value] for st in s.status)


def _owes(s: StateResult) -> str:
    """Compact: 'CY ES 3.25m each; GR IT released; IT 200 offsets'."""
    if s.exempt:
        return "exempt"
    groups: dict[str, list[str]] = {}
    for d in s.owes:
        if d.offsets:
            label = f"{d.offsets} offsets"
        elif d.released:
            label = "released"
        else:
            label = f"{d.value_eur / 1e6:,.2f}m"
        groups.setdefault(label, []).append(d.to)
    parts = [f"{' '.join(to)} {label}" + (" each" if len(to) > 1 and label[0].isdigit() and "offsets" not in label else "")
             for label, to in groups.items()]  # fmt: skip
    return "; ".join(parts) or "-"


def _header(result: CycleResult) -> str:
    pool = result.pool
    lines = [
        f"Annual Solidarity Pool {result.year}: {pool.relocations:,.0f} relocations or {eur(pool.financial_eur)} "
        f"(EUR {pool.eur_per_relocation:,.0f} per relocation, AMMR Art 12(3) ratio). Source: {pool.source}",
        f"Law read on {result.on.isoformat()}. Key over {len(result.participating)} Member States "
        f"(not bound by Part IV: {', '.join(result.not_participating)}).",
        f"Data vintage: {result.vintage} - {result.vintage_label}" + (" [PROXY]" if result.vintage_is_proxy else ""),
        f"Codes: {result.code_convention}.",
    ]
    if pool.below_article_12_minimum:
        lines.append("Note: the pool is below the Art 12(2) minimum of the Commission proposal (the Council may amend it, Art 57(1)).")
    return "\n".join(lines)


def cycle_table(console: Console, result: CycleResult) -> None:
    console.print(Panel(_header(result), title="Solidarity cycle (AMMR Part IV)", expand=False))
    table = Table(show_lines=False, header_style="bold")
    for col, kw in [
        ("MS", {}),
        ("Art 11", {}),
        ("Fair share %", {"justify": "right"}),
        ("Ref. relocations", {"justify": "right"}),
        ("Ref. EUR", {"justify": "right"}),
        ("Deduction", {"justify": "right"}),
        ("Obligation EUR", {"justify": "right"}),
        ("Pledge: reloc / EUR / alt.", {"justify": "right"}),
        ("Offsets", {"justify": "right"}),
        ("Shortfall EUR", {"justify": "right"}),
        ("Owes to", {}),
    ]:
        table.add_column(col, **kw)
    for s in result.states:
        pledge = f"{s.pledged_relocations:,} / {s.pledged_financial_eur:,.0f} / {s.pledged_alternative_eur:,.0f}"
        if s.pledge_source == "assumed":
            pledge += "*"
        table.add_row(
            s.member_state + ("·B" if s.benefitting else ""),
            _status(s),
            f"{s.fair_share:.3f}",
            f"{s.reference_relocations:,.1f}",
            f"{s.reference_eur:,.0f}",
            f"{s.deduction_share:.0%}" if s.deduction_share else "-",
            f"{s.obligation_eur:,.0f}",
            pledge,
            f"{s.offsets_counted:,}" if s.offsets else "-",
            f"{s.shortfall_eur:,.0f}" if s.shortfall_eur > 0.005 else "-",
            _owes(s),
        )
    t = result.totals
    table.add_row(
        "Total", "", f"{t.fair_share:.3f}", f"{t.reference_relocations:,.1f}", f"{t.reference_eur:,.0f}",
        f"{t.deduction_eur:,.0f}" if t.deduction_eur else "-", f"{t.obligation_eur:,.0f}", f"{t.pledge_value_eur:,.0f} (value)",
        f"{t.offsets_value_eur:,.0f}" if t.offsets_value_eur else "-", "", f"delivered {t.delivered_value_eur:,.0f}",
        style="bold",
    )  # fmt: skip
    console.print(table)
    console.print("·B = benefitting state (uses the Pool, exempt from its own pledges, Art 60(3)).  * = assumed pledge.")
    console.print(f"Totals reconcile to the pool: [bold]{'yes' if t.reconciles else 'NO'}[/]")
    _offsets_panel(console, result)
    _assumptions(console, result)


def _offsets_panel(console: Console, result: CycleResult) -> None:
    o = result.offsets
    if not o.in_force:
        console.print(Panel(f"Art 63 does not apply on {result.on.isoformat()}.", title="Responsibility offsets", expand=False))
        return
    lines = [
        f"Relocations pledged: {o.total_pledged_relocations:,}",
        f"Voluntary offsets (Art 63(1)): pledges >= {o.voluntary_threshold:,.0f} (50% of the proposal's "
        f"{o.proposed_relocations:,.0f})? {'yes' if o.voluntary_available else 'no'}",
        f"Mandatory offsets (Art 63(3)-(4)): pledges below {o.mandatory_absolute_threshold:,.0f} or below "
        f"{o.mandatory_relative_threshold:,.0f} (60% of the reference number)? {'yes' if o.mandatory_triggered else 'no'}",
    ]
    if o.mandatory_triggered:
        lines.append(
            f"  up to {o.mandatory_ceiling:,.0f} (the higher number); to take over: {o.mandatory_needed:,.0f}; "
            f"within the states' fair-share caps (Art 63(7)): {o.mandatory_allocated:,.1f}; "
            f"beyond every cap: {o.mandatory_unallocated:,.1f}"
        )
    console.print(Panel("\n".join(lines), title="Responsibility offsets (AMMR Art 63)", expand=False))


def _assumptions(console: Console, result: CycleResult) -> None:
    console.print("[bold]Assumptions for inputs not given[/]")
    for a in result.assumptions:
        console.print(f" - {a}", highlight=False)


def state_detail(console: Console, result: CycleResult, code: str) -> None:
    s = result.state(code)
    pool = result.pool
    steps = Table(show_header=True, header_style="bold", title=f"{s.name} ({s.member_state}) in the {result.year} cycle")
    steps.add_column("Step")
    steps.add_column("Value", justify="right")
    steps.add_column("Legal basis / how")
    rows = [
        ("Population share", f"{s.population_share:.3f}%", f"{s.population:,.0f} / sum of {len(result.participating)} states"),
        ("GDP share", f"{s.gdp_share:.3f}%", f"{s.gdp:,.1f} / sum of {len(result.participating)} states"),
        ("Fair share", f"{s.fair_share:.3f}% (~{s.fair_share:.1f}%)", "AMMR Art 66, Annex I: 50% population + 50% GDP"),
        ("Reference relocations", f"{s.reference_relocations:,.1f}", f"fair share x {pool.relocations:,.0f} (Art 12(2), 57(3))"),
        ("Reference financial contribution", eur(s.reference_eur), f"fair share x {eur(pool.financial_eur)}"),
        ("Classification", _status(s), "Commission decision under AMMR Art 11"),
        ("Uses the Pool", "yes" if s.benefitting else "no", "Art 58(1) / 59(4)"),
        ("Deduction", f"{s.deduction_share:.0%} = {eur(s.deduction_eur)}", "Art 61 / 62 (Council implementing act)"),
        ("Obligation", eur(s.obligation_eur), "exempt (Art 60(3))" if s.exempt else "reference less deduction"),
        (
            "Pledge",
            f"{s.pledged_relocations:,} reloc + {eur(s.pledged_financial_eur)} + {eur(s.pledged_alternative_eur)} alt.",
            f"value {eur(s.pledge_value_eur)} ({s.pledge_source}); Art 56(2), 57(4), 65(1)",
        ),
        ("Offsets counted", f"{s.offsets_counted:,} = {eur(s.offsets_value_eur)}", s.offset_basis),
        ("Must accept offset requests for up to", f"{s.mandatory_offsets_up_to:,.1f} applications", "Art 63(3), (7), 69"),
        ("Remaining obligation", eur(s.remaining_obligation_eur), "obligation less counted offsets"),
        ("Shortfall / surplus", f"{eur(s.shortfall_eur)} / {eur(s.surplus_eur)}", "Art 57(3) fair share; Recital 31"),
    ]
    for r in rows:
        steps.add_row(*r)
    console.print(steps)
    if s.owes:
        owes = Table(title="Owes to", header_style="bold")
        for col in ("To", "Relocations", "Financial EUR", "Alternative EUR", "Offsets", "Value EUR", "Required"):
            owes.add_column(col, justify="right" if col not in ("To", "Required") else "left")
        for d in s.owes:
            owes.add_row(
                d.to, f"{d.relocations:,.1f}", f"{d.financial_eur:,.0f}", f"{d.alternative_eur:,.0f}", f"{d.offsets:,}",
                f"{d.value_eur:,.0f}", "no: systemic shortcomings (Art 60(3))" if d.released else "yes",
            )  # fmt: skip
        console.print(owes)
        console.print("Financial contributions are paid into the Union budget as external assigned revenue for actions "
                      "in or for the benefitting state (AMMR Art 64(1)).")  # fmt: skip
    for n in s.notes:
        console.print(f" - {n}", highlight=False)


def overview(console: Console, result: CycleResult) -> None:
    console.print(Panel(_header(result), title="AsylumEngine - the Netherlands in the 2026 solidarity cycle", expand=False))
    state_detail(console, result, "NL")
    _assumptions(console, result)
    console.print()
    console.print(
        Panel(
            "asylum solidarity        all 26 Member States, pledges, offsets, deductions (text/json/csv)\n"
            "asylum solidarity --state NL --pledges examples/solidarity/pledges_illustrative.csv\n"
            "asylum solidarity --state NL --fixed-share NL=5.2 --deduction-request CZ=2026-07-03   what-ifs, procedure\n"
            "asylum relocation examples/relocation/applicant-italy-to-netherlands.yaml   a relocated person's route\n"
            "asylum route examples/cases/dublin-greece-irregular-entry.yaml   a case's route, step by step\n"
            "asylum population -n 100000 -o pop.parquet; asylum routes pop.parquet -o out.parquet\n"
            "asylum params            the dated law parameters with their articles\n"
            "asylum vintages          the data vintages of the key and their sources\n"
            "asylum simulate scenarios/baseline.yaml   the asylum chain over 10 years, 1000 replications\n"
            "asylum compare scenarios/baseline.yaml scenarios/return-hub.yaml   scenarios side by side, paired differences\n"
            "asylum backcast         the chain calibrated on 2022-2023, validated on 2024-2025\n"
            "asylum explain \"APR Art 42(1)(c)\"   an article's rule: code, text, parameters, tests\n"
            "asylum report compare scenarios/baseline.yaml scenarios/dublin-resumed.yaml --pdf memo.pdf   a memo\n"
            "asylum serve            the web app and REST API on http://127.0.0.1:8000/",
            title="What is here",
            expand=False,
        )
    )


def _flat(s: StateResult) -> dict:
    row = s.model_dump(mode="json", exclude={"owes", "notes", "answers"})
    row["status"] = ";".join(row["status"])
    row["owes"] = ";".join(
        f"{d.to}:{d.value_eur:.2f}" + (":released" if d.released else "") + (f":offsets={d.offsets}" if d.offsets else "")
        for d in s.owes
    )
    row["notes"] = " | ".join(s.notes)
    if s.answers:  # the answers in flat columns (the JSON has them whole)
        a = s.answers
        row.update(may_offer_offsets=a.may_offer_offsets, offsets_mandatory=a.offsets_mandatory,
                   still_to_implement_value_eur=a.still_to_implement.value_eur, year_end_offsets=a.year_end_offsets,
                   threshold_tests=" | ".join(f"{t.citation}: {t.value:.2f} {t.result} {t.threshold:.2f}" for t in a.threshold_tests))  # fmt: skip
    return row


def cycle_json(result: CycleResult) -> str:
    """JSON with one list: ``states`` (each with ``member_state`` and ``fair_share`` in percent)."""
    data = result.model_dump(mode="json")
    out = {
        "cycle": {k: data[k] for k in ("year", "on", "code_convention", "vintage", "vintage_label", "vintage_is_proxy")},
        "pool": data["pool"],
        "key": {"participating": data["participating"], "not_participating": data["not_participating"]},
        "offsets": data["offsets"],
        "interpretation": data["interpretation"],
        "totals": data["totals"],
        "notes": {"assumptions": data["assumptions"], "citations": data["citations"]},
        "states": data["states"],
    }
    return json.dumps(out, indent=2, ensure_ascii=False)


def cycle_csv(result: CycleResult) -> str:
    rows = [_flat(s) for s in result.states]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def parameters(console: Console, params: ParameterSet, on: dt.date, contains: str | None) -> None:
    table = Table(title=f"Law parameters in force on {on.isoformat()}", header_style="bold")
    for col in ("Parameter", "Value", "Valid", "Legal basis"):
        table.add_column(col, overflow="fold")
    for name in params.names():
        if contains and contains not in name:
            continue
        try:
            dv = params.at(name, on)
        except ParameterError:
            table.add_row(name, "[dim]not in force[/]", "", "")
            continue
        value = dv.value if not isinstance(dv.value, (list, dict)) else json.dumps(dv.value)
        valid = f"{dv.valid_from.isoformat()} - {dv.valid_to.isoformat() if dv.valid_to else ''}"
        table.add_row(name, str(value), valid, dv.citation)
    console.print(table)


def vintages(console: Console, items: list[Vintage]) -> None:
    table = Table(title="Data vintages for the solidarity key (AMMR Art 66)", header_style="bold")
    for col in ("Name", "What", "Proxy", "Note"):
        table.add_column(col, overflow="fold")
    for v in items:
        table.add_row(v.name, v.label, "yes" if v.proxy else "no", v.note)
    console.print(table)
