"""One annual solidarity cycle, end to end (AMMR Part IV).

fair share (Art 66) -> reference numbers (Art 12(2), 57(3)) -> exemptions and
deductions (Art 60(3), 61, 62) -> pledges (Art 56, 57(4), 65) -> offsets (Art 63, 69)
-> what each contributing state delivers to which benefitting state (Art 60(2)-(3)),
including the systemic-shortcomings carve-out (Art 60(3), fourth subpara).

All numbers of law come from dated parameters (``asylumengine/law/params``); every
choice the Regulation leaves open is an ``Interpretation`` field; every assumption made
for missing inputs is listed in the result's ``assumptions``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from asylumengine.data import member_states as ms_codes
from asylumengine.data.figures import get_vintage, key_inputs
from asylumengine.law import ParameterError, ParameterSet, law_parameters
from asylumengine.solidarity import offsets as off
from asylumengine.solidarity.key import distribution_key
from asylumengine.solidarity.models import (
    CycleResult,
    Delivery,
    Interpretation,
    OffsetRegime,
    Pledge,
    StateClassification,
    StateResult,
    Status,
    Totals,
)
from asylumengine.solidarity.pool import make_pool

TOLERANCE_EUR = 0.01  # reconciliation tolerance: one cent over the whole pool


class SolidarityError(ValueError):
    """Inputs that are well-formed but contradict the Regulation (names the state and field)."""


def default_date(year: int, params: ParameterSet | None = None) -> dt.date:
    """The date on which a cycle's law is read: 1 January of the cycle year, or the date
    Part IV applies (12 June 2026) if that is later."""
    params = params or law_parameters()
    applies = dt.date.fromisoformat(str(params.value("solidarity.part_iv_application_date", dt.date(year, 1, 1))))
    return max(dt.date(year, 1, 1), applies)


def default_classifications(params: ParameterSet, year: int) -> dict[str, StateClassification]:
    """The Commission's Art 11 decision for the cycle, as shipped (dated by cycle year)."""
    decision = params.at("solidarity.classification", dt.date(year, 1, 1))
    lists = decision.value
    statuses: dict[str, list[Status]] = {}
    for status in (Status.MIGRATORY_PRESSURE, Status.RISK_OF_MIGRATORY_PRESSURE, Status.SIGNIFICANT_MIGRATORY_SITUATION):
        for code in lists.get(status.value, []):
            statuses.setdefault(ms_codes.to_iso(code), []).append(status)
    shortcomings = {ms_codes.to_iso(c) for c in lists.get("systemic_shortcomings", [])}
    return {
        iso: StateClassification(
            member_state=iso,
            status=tuple(st),
            # Assumption (listed in the result): states under pressure use the Pool (Art 58(1)).
            benefitting=Status.MIGRATORY_PRESSURE in st,
            systemic_shortcomings=iso in shortcomings,
            source=decision.citation,
        )
        for iso, st in statuses.items()
    }


def compute_cycle(
    year: int = 2026,
    *,
    on: dt.date | None = None,
    pool_relocations: float | None = None,
    pool_eur: float | None = None,
    proposed_relocations: float | None = None,
    pledges: Iterable[Pledge] | None = None,
    classifications: Iterable[StateClassification] | None = None,
    vintage: str | None = None,
    interpretation: Interpretation | None = None,
    params: ParameterSet | None = None,
) -> CycleResult:
    """Compute one cycle. With no arguments: the 2026 cycle with the shipped defaults."""
    params = params or law_parameters()
    interpretation = interpretation or Interpretation()
    on = on or default_date(year, params)
    assumptions: list[str] = []
    citations: dict[str, str] = {}

    def law(name: str):
        dv = params.at(name, on)
        citations[name] = dv.citation
        return dv.value

    # --- who is in the key, and the key itself (Art 66, Annex I) --------------------------
    participating = sorted(ms_codes.to_iso(c) for c in law("solidarity.participating_member_states"))
    not_participating = sorted(set(ms_codes.EU27) - set(participating))
    v = get_vintage(vintage)
    figures = key_inputs(v, participating)
    population = {ms: f.population.value for ms, f in figures.items()}
    gdp = {ms: f.gdp.value for ms, f in figures.items()}
    key = distribution_key(population, gdp, law("solidarity.key_population_weight"), law("solidarity.key_gdp_weight"))
    if v.proxy:
        assumptions.append(f"Data vintage '{v.name}' is a proxy: {v.note}")

    # --- the pool (Art 12, 57) ----------------------------------------------------------
    pool = make_pool(params, on, year, pool_relocations, pool_eur)
    citations["solidarity.minimum_pool_relocations"] = params.at("solidarity.minimum_pool_relocations", on).citation
    ratio = pool.eur_per_relocation
    if proposed_relocations is None:
        proposed_relocations = pool.relocations
        assumptions.append(
            "The Commission's proposed number of relocations (Art 12, used by Art 63(1)) is taken equal to the "
            "pool's relocations; give --proposed-relocations to change it."
        )

    # --- classifications (Art 11) and the decisions on them (Art 58-62) ---------------------
    try:
        classes = default_classifications(params, year)
    except ParameterError:
        if classifications is None:
            raise SolidarityError(
                f"no Commission Art 11 decision is shipped for the {year} cycle; give a classification file"
            ) from None
        classes = {}
        assumptions.append(f"No Art 11 decision shipped for {year}: only the classification file is used.")
    assumptions.append(
        "States under migratory pressure in the Commission's decision are taken to use the Pool (Art 58(1) "
        "notification). No deduction is applied unless a classification file gives one: which Art 62 "
        "deductions the Council granted for 2026 is not verified (press reports differ: AT, CZ, HR, PL, and "
        "perhaps EE)."
    )
    classes = {ms: c for ms, c in classes.items() if ms in participating}  # a decision is read for the states bound on `on`
    for c in classifications or []:
        classes[c.member_state] = c
    for ms, c in classes.items():
        _check_classification(ms, c, participating)
    for ms in participating:
        classes.setdefault(ms, StateClassification(member_state=ms, source="default: not classified"))
    benefitting = [ms for ms in participating if classes[ms].benefitting]

    # --- pledges (Art 56, 57(4), 65) -------------------------------------------------------
    given = {}
    for p in pledges or []:
        if p.member_state not in participating:
            raise SolidarityError(f"pledge for {p.member_state}: not bound by AMMR Part IV (Recitals 90-94)")
        if p.member_state in given:
            raise SolidarityError(f"pledge for {p.member_state}: given twice")
        if p.offsets and p.offsets_towards is None:
            raise SolidarityError(f"pledge for {p.member_state}: offsets given without offsets_towards")
        if p.offsets_towards is not None and p.offsets_towards not in benefitting:
            raise SolidarityError(
                f"pledge for {p.member_state}: offsets_towards {p.offsets_towards} is not a benefitting state "
                f"(Art 63(1)-(3) offsets take over a benefitting state's applications); benefitting: {benefitting}"
            )
        given[p.member_state] = p
    if pledges is None:
        assumptions.append(
            "No pledges given: each contributing state is assumed to pledge its full fair share as a financial "
            "contribution (Art 56(2)(b)); benefitting states are assumed to pledge nothing."
        )
    else:
        assumptions.append("States without a row in the pledges file are taken to pledge nothing.")

    reference_reloc = {ms: key[ms].share * pool.relocations for ms in participating}
    reference_eur = {ms: key[ms].share * pool.financial_eur for ms in participating}
    exempt = {ms: classes[ms].benefitting or classes[ms].deduction >= 1.0 for ms in participating}
    keep = {ms: 0.0 if exempt[ms] else 1.0 - classes[ms].deduction for ms in participating}  # share implemented

    def pledge_of(ms: str) -> tuple[Pledge, str]:
        if ms in given:
            return given[ms], "file"
        if pledges is None and not classes[ms].benefitting:
            return Pledge(member_state=ms, financial_eur=reference_eur[ms]), "assumed"
        return Pledge(member_state=ms), "file" if pledges is not None else "assumed"

    pledge = {ms: pledge_of(ms) for ms in participating}

    # --- offsets (Art 63) -----------------------------------------------------------------
    offsets_in_force = "solidarity.offsets_voluntary_share_of_proposal" in params and _in_force(
        params, "solidarity.offsets_voluntary_share_of_proposal", on
    )
    if offsets_in_force:
        thresholds = off.Thresholds(
            voluntary_share_of_proposal=law("solidarity.offsets_voluntary_share_of_proposal"),
            voluntary_share_of_own_fair_share=law("solidarity.offsets_voluntary_share_of_own_fair_share"),
            mandatory_absolute=law("solidarity.minimum_pool_relocations"),
            mandatory_share_of_reference=law("solidarity.offsets_mandatory_share_of_reference"),
        )
    else:
        thresholds = off.Thresholds(
            voluntary_share_of_proposal=0, voluntary_share_of_own_fair_share=0, mandatory_absolute=0,
            mandatory_share_of_reference=0,
        )  # fmt: skip
    pledged_total = sum(pledge[ms][0].relocations for ms in participating)
    implemented_reloc = {ms: pledge[ms][0].relocations * keep[ms] for ms in participating}
    implemented_total = sum(implemented_reloc.values())
    voluntary = offsets_in_force and off.voluntary_available(pledged_total, proposed_relocations, thresholds)
    mandatory = (
        offsets_in_force
        and interpretation.reconvened_forum_held
        and (
            off.mandatory_triggered(pledged_total, pool.relocations, thresholds)  # Art 63(3)
            or off.mandatory_triggered(implemented_total, pool.relocations, thresholds)  # Art 63(4)
        )
    )
    ceiling = off.mandatory_ceiling(pool.relocations, thresholds) if offsets_in_force else 0.0
    needed = 0.0
    if mandatory:
        needed = ceiling - implemented_total if interpretation.mandatory_offset_ceiling_counts == "relocations_and_offsets" else ceiling
        needed = max(0.0, needed)
    contributors = [ms for ms in participating if keep[ms] > 0]
    caps = {
        ms: max(
            0.0,
            reference_reloc[ms] * keep[ms]
            - (implemented_reloc[ms] if interpretation.mandatory_offset_ceiling_counts == "relocations_and_offsets" else 0.0),
        )
        for ms in contributors
    }
    mandatory_alloc = off.allocate_mandatory(needed, {ms: key[ms].share for ms in contributors}, caps) if mandatory else {}
    regime = OffsetRegime(
        total_pledged_relocations=pledged_total,
        proposed_relocations=proposed_relocations,
        voluntary_available=voluntary,
        voluntary_threshold=thresholds.voluntary_share_of_proposal * proposed_relocations,
        mandatory_triggered=mandatory,
        mandatory_absolute_threshold=thresholds.mandatory_absolute,
        mandatory_relative_threshold=thresholds.mandatory_share_of_reference * pool.relocations,
        mandatory_ceiling=ceiling,
        mandatory_needed=needed,
        mandatory_allocated=sum(mandatory_alloc.values()),
        mandatory_unallocated=needed - sum(mandatory_alloc.values()),
        in_force=offsets_in_force,
        citations=["AMMR Art 63(1)", "AMMR Art 63(2)", "AMMR Art 63(3)", "AMMR Art 63(4)", "AMMR Art 63(7)", "AMMR Art 69"],
    )

    # --- per state -------------------------------------------------------------------------
    weights = _need_weights(benefitting, classes, interpretation, assumptions)
    states: list[StateResult] = []
    undrawn = 0.0
    for ms in participating:
        c = classes[ms]
        p, psource = pledge[ms]
        notes: list[str] = []
        deduction_eur = 0.0 if c.benefitting else reference_eur[ms] * min(c.deduction, 1.0)
        exempted_eur = reference_eur[ms] if c.benefitting else 0.0
        obligation = reference_eur[ms] - deduction_eur - exempted_eur
        if c.benefitting:
            notes.append("Benefitting state: exempt from implementing its pledges this year (AMMR Art 60(3), third subpara).")
        elif c.deduction >= 1.0:
            notes.append("Full deduction: exempt from implementing its pledges this year (AMMR Art 60(3), third subpara).")
        elif c.deduction > 0:
            notes.append(f"Council deducted {c.deduction:.0%} of its contribution ({_deduction_basis(c)}).")
        value = p.relocations * ratio + p.financial_eur + p.alternative_eur
        if p.alternative_eur:
            notes.append("Alternative measures count as financial solidarity at their agreed value (AMMR Art 65(1)).")

        counted, basis = 0, "none"
        if p.offsets:
            may_offer = off.contributor_may_offer(p.relocations, reference_reloc[ms], voluntary, thresholds)
            if not offsets_in_force:
                basis = f"none: Art 63 does not apply on {on.isoformat()}"
            elif exempt[ms]:
                basis = "none: state is exempt this year"
            elif mandatory:
                basis, counted = "mandatory (AMMR Art 63(3))", p.offsets
            elif voluntary:
                basis, counted = "voluntary (AMMR Art 63(1))", p.offsets
            elif may_offer:
                basis, counted = "voluntary (AMMR Art 63(2))", p.offsets
            else:
                basis = "none: neither the Art 63(1)/(2) thresholds are met nor Art 63(3) triggered"
            if counted and classes[p.offsets_towards].systemic_shortcomings:
                notes.append(
                    f"Offsets towards {p.offsets_towards} are not required (systemic shortcomings, AMMR Art 60(3)); "
                    "counted because the state applies them anyway."
                )
        offsets_value = counted * ratio
        remaining = max(0.0, obligation - offsets_value)
        implemented_value = value * keep[ms]
        shortfall = max(0.0, remaining - implemented_value)
        surplus = max(0.0, implemented_value - remaining) if not exempt[ms] else 0.0
        if shortfall > TOLERANCE_EUR:
            notes.append(f"Pledge falls short of its mandatory fair share (AMMR Art 57(3)) by EUR {shortfall:,.0f}.")

        owes, released = _deliveries(p, keep[ms], ratio, weights, classes, interpretation)
        if counted:
            owes.append(Delivery(to=p.offsets_towards, offsets=counted, value_eur=offsets_value))
        if keep[ms] and implemented_value and not weights:
            undrawn += implemented_value
            notes.append("No benefitting state this cycle: the pledge is not drawn (AMMR Art 60(1)-(2)).")
        if released:
            notes.append(
                f"EUR {released:,.0f} of its pledge is towards a state with systemic shortcomings and need not be "
                "implemented (AMMR Art 60(3), fourth subpara)."
            )
        states.append(
            StateResult(
                member_state=ms,
                eurostat_code=ms_codes.to_eurostat(ms),
                name=ms_codes.name(ms),
                status=list(c.status),
                benefitting=c.benefitting,
                systemic_shortcomings=c.systemic_shortcomings,
                population=population[ms],
                gdp=gdp[ms],
                population_share=100 * key[ms].population_share,
                gdp_share=100 * key[ms].gdp_share,
                fair_share=100 * key[ms].share,
                reference_relocations=reference_reloc[ms],
                reference_eur=reference_eur[ms],
                exempt=exempt[ms],
                deduction_share=c.deduction if not c.benefitting else 0.0,
                deduction_eur=deduction_eur,
                exempted_eur=exempted_eur,
                obligation_eur=obligation,
                pledge_source=psource,
                pledged_relocations=p.relocations,
                pledged_financial_eur=p.financial_eur,
                pledged_alternative_eur=p.alternative_eur,
                pledge_value_eur=value,
                offsets=p.offsets,
                offsets_towards=p.offsets_towards,
                offsets_counted=counted,
                offsets_value_eur=offsets_value,
                offset_basis=basis,
                mandatory_offsets_up_to=mandatory_alloc.get(ms, 0.0),
                remaining_obligation_eur=remaining,
                shortfall_eur=shortfall,
                surplus_eur=surplus,
                owes=owes,
                released_eur=released,
                notes=notes,
            )
        )

    totals = _totals(states, pool.financial_eur, keep, undrawn)
    return CycleResult(
        year=year,
        on=on,
        code_convention=ms_codes.CODE_CONVENTION,
        vintage=v.name,
        vintage_label=v.label,
        vintage_is_proxy=v.proxy,
        pool=pool,
        participating=participating,
        not_participating=not_participating,
        offsets=regime,
        interpretation=interpretation,
        states=states,
        totals=totals,
        assumptions=assumptions,
        citations=citations,
    )


def _in_force(params: ParameterSet, name: str, on: dt.date) -> bool:
    try:
        params.at(name, on)
        return True
    except ParameterError:
        return False


def _check_classification(ms: str, c: StateClassification, participating: list[str]) -> None:
    if ms not in participating:
        raise SolidarityError(f"classification for {ms}: not bound by AMMR Part IV (Recitals 90-94)")
    if c.deduction > 0 and c.benefitting:
        raise SolidarityError(
            f"classification for {ms}: deduction {c.deduction} for a state that uses the Pool; a benefitting state is "
            "exempt from its pledges instead (AMMR Art 60(3)), and Art 61(1) deductions are for states that have "
            "not used the Pool"
        )
    if c.need_share is not None and not c.benefitting:
        raise SolidarityError(f"classification for {ms}: need_share is only meaningful for a benefitting state")


def _deduction_basis(c: StateClassification) -> str:
    """Art 62 for a significant migratory situation, Art 61 for migratory pressure; a state in
    neither list can still ask as one that 'considers itself' in that situation (Art 61(1), 62(1))."""
    if c.has(Status.SIGNIFICANT_MIGRATORY_SITUATION):
        return "AMMR Art 62"
    if c.has(Status.MIGRATORY_PRESSURE):
        return "AMMR Art 61"
    return "AMMR Art 61(1) or 62(1): state considers itself under pressure / in a significant situation"


def _need_weights(
    benefitting: list[str], classes: dict[str, StateClassification], interp: Interpretation, assumptions: list[str]
) -> dict[str, float]:
    """Share of every draw on the Pool that goes to each benefitting state (Art 60(2))."""
    if not benefitting:
        return {}
    raw = {ms: classes[ms].need_share for ms in benefitting}
    if any(v is None for v in raw.values()):
        assumptions.append(
            "Benefitting states without a need_share are given equal shares of the Pool (the Coordinator's "
            "'balanced distribution', Art 60(2), is not a formula)."
        )
        known = [v for v in raw.values() if v is not None]
        fill = (sum(known) / len(known)) if known else 1.0
        raw = {ms: (fill if v is None else v) for ms, v in raw.items()}
    total = sum(raw.values())
    if total <= 0:
        raw, total = {ms: 1.0 for ms in benefitting}, float(len(benefitting))
    return {ms: v / total for ms, v in raw.items()}


def _deliveries(
    p: Pledge,
    keep: float,
    ratio: float,
    weights: dict[str, float],
    classes: dict[str, StateClassification],
    interp: Interpretation,
) -> tuple[list[Delivery], float]:
    """Split the implemented pledge over the benefitting states (Art 60(3) proportionality);
    the part towards a state with systemic shortcomings is released or redistributed."""
    if not weights or keep == 0 or not (p.relocations or p.financial_eur or p.alternative_eur):
        return [], 0.0
    blocked = {ms for ms in weights if classes[ms].systemic_shortcomings}
    eff = dict(weights)
    if blocked and interp.systemic_shortcomings_effect == "redistribute":
        open_total = sum(w for ms, w in weights.items() if ms not in blocked)
        if open_total > 0:
            eff = {ms: (0.0 if ms in blocked else w / open_total) for ms, w in weights.items()}
    out, released = [], 0.0
    for ms, w in eff.items():
        if w == 0:
            continue
        d = Delivery(
            to=ms,
            relocations=p.relocations * keep * w,
            financial_eur=p.financial_eur * keep * w,
            alternative_eur=p.alternative_eur * keep * w,
        )
        d.value_eur = d.relocations * ratio + d.financial_eur + d.alternative_eur
        if ms in blocked:
            d.released = True
            released += d.value_eur
        out.append(d)
    return out, released


def _totals(states: list[StateResult], pool_eur: float, keep: dict[str, float], undrawn: float) -> Totals:
    s = lambda attr: sum(getattr(x, attr) for x in states)  # noqa: E731
    delivered = sum(d.value_eur for x in states for d in x.owes if not d.released)
    implemented = sum(x.pledge_value_eur * keep[x.member_state] for x in states) + s("offsets_value_eur")
    checks = [
        abs(s("reference_eur") - pool_eur) < TOLERANCE_EUR,
        abs(s("obligation_eur") + s("deduction_eur") + s("exempted_eur") - s("reference_eur")) < TOLERANCE_EUR,
        abs(delivered + s("released_eur") + undrawn - implemented) < TOLERANCE_EUR,
    ]
    return Totals(
        fair_share=s("fair_share"),
        reference_relocations=s("reference_relocations"),
        reference_eur=s("reference_eur"),
        deduction_eur=s("deduction_eur"),
        exempted_eur=s("exempted_eur"),
        obligation_eur=s("obligation_eur"),
        pledge_value_eur=s("pledge_value_eur"),
        offsets_value_eur=s("offsets_value_eur"),
        delivered_value_eur=delivered,
        released_eur=s("released_eur"),
        reconciles=all(checks),
    )
