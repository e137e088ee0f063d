"""The cycle's per-state steps: each state's obligation, offsets and deliveries (Art 60-63)."""

from __future__ import annotations

from asylumengine.data import member_states as ms_codes
from asylumengine.solidarity.answers_step import sar_share
from asylumengine.solidarity.context import TOLERANCE_EUR
from asylumengine.solidarity.models import Delivery, Pledge, StateResult
from asylumengine.solidarity.rules import deliveries as dl
from asylumengine.solidarity.rules import exemptions as ex
from asylumengine.solidarity.rules import offsets as off
from asylumengine.solidarity.rules import pledges as pl
from asylumengine.solidarity.rules import pool as pool_rules
from asylumengine.solidarity.rules import systemic
from asylumengine.solidarity.run import Run

PERCENT = 100


def states_step(run: Run) -> None:
    weights, assumed = dl.need_weights(run.benefitting, run.classes)
    if assumed:
        run.assumptions.append(
            "Benefitting states without a need_share are given equal shares of the Pool (the Coordinator's "
            "'balanced distribution', Art 60(2), is not a formula)."
        )
    sar_states = [ms for ms in run.benefitting if run.classes[ms].sar_pressure]
    run.procedure.sar_share = sar = sar_share(run)
    weights = pool_rules.sar_weights(weights, sar_states, sar.share)
    run.weights = systemic.delivery_weights(weights, run.blocked, run.interpretation.systemic_shortcomings_effect)
    run.states = [_state(run, ms) for ms in run.participating]


def _offsets_of(run: Run, ms: str, p: Pledge, notes: list[str]) -> tuple[int, str]:
    if not p.offsets:
        return 0, "none"
    o = run.offsets
    may_offer = off.contributor_may_offer(p.relocations, run.reference_reloc[ms], o.voluntary_available, run.thresholds)
    facts = off.OffsetFacts(o.in_force, run.exempt[ms], o.mandatory_triggered, o.voluntary_available, may_offer)
    basis, counts = off.offset_basis(facts, run.law.on.isoformat())
    if counts and p.offsets_towards in run.blocked:
        notes.append(
            f"Offsets towards {p.offsets_towards} are not required (systemic shortcomings, AMMR Art 60(3)); "
            "counted because the state applies them anyway."
        )
    return (p.offsets if counts else 0), basis


def _state(run: Run, ms: str) -> StateResult:
    c, (p, source), keep, ratio = run.classes[ms], run.pledge[ms], run.keep[ms], run.pool.eur_per_relocation
    notes: list[str] = []
    deduction_eur, exempted_eur, obligation = ex.obligation(c, run.reference_eur[ms])
    if note := ex.obligation_note(c):
        notes.append(note)
    value = pl.pledge_value(p, ratio)
    if p.alternative_eur:
        notes.append("Alternative measures count as financial solidarity at their agreed value (AMMR Art 65(1)).")
    counted, basis = _offsets_of(run, ms, p, notes)
    offsets_value = counted * ratio
    remaining = max(0, obligation - offsets_value)
    implemented_value = value * keep
    shortfall = max(0, remaining - implemented_value)
    if shortfall > TOLERANCE_EUR:
        notes.append(f"Pledge falls short of its mandatory fair share (AMMR Art 57(3)) by EUR {shortfall:,.0f}.")
    owes, released = dl.deliveries(p, keep, ratio, run.weights, run.blocked)
    if counted:
        owes.append(Delivery(to=p.offsets_towards, offsets=counted, value_eur=offsets_value))
    if keep and implemented_value and not run.weights:
        run.undrawn += implemented_value
        notes.append("No benefitting state this cycle: the pledge is not drawn (AMMR Art 60(1)-(2)).")
    if released:
        notes.append(
            f"EUR {released:,.0f} of its pledge is towards a state with systemic shortcomings and need not be "
            "implemented (AMMR Art 60(3), fourth subpara)."
        )
    k = run.key[ms]
    return StateResult(
        member_state=ms, eurostat_code=ms_codes.to_eurostat(ms), name=ms_codes.name(ms), status=list(c.status),
        benefitting=c.benefitting, systemic_shortcomings=c.systemic_shortcomings, population=run.population[ms],
        gdp=run.gdp[ms], population_share=PERCENT * k.population_share, gdp_share=PERCENT * k.gdp_share,
        fair_share=PERCENT * k.share, reference_relocations=run.reference_reloc[ms], reference_eur=run.reference_eur[ms],
        exempt=run.exempt[ms], deduction_share=0 if c.benefitting else c.deduction, deduction_eur=deduction_eur,
        exempted_eur=exempted_eur, obligation_eur=obligation, pledge_source=source, pledged_relocations=p.relocations,
        pledged_financial_eur=p.financial_eur, pledged_alternative_eur=p.alternative_eur, pledge_value_eur=value,
        offsets=p.offsets, offsets_towards=p.offsets_towards, offsets_counted=counted, offsets_value_eur=offsets_value,
        offset_basis=basis, mandatory_offsets_up_to=run.offsets_alloc.get(ms, 0), remaining_obligation_eur=remaining,
        shortfall_eur=shortfall, surplus_eur=0 if run.exempt[ms] else max(0, implemented_value - remaining), owes=owes,
        released_eur=released, fair_share_fixed=ms in (run.key_info.fixed_shares if run.key_info else {}), notes=notes,
    )  # fmt: skip
