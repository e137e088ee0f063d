"""The steps of one cycle, in the order of ``PIPELINE``. Each step calls the rules in
``solidarity/rules`` and stores what they produce on the ``Run``; nothing here decides law."""

from __future__ import annotations

import math

from asylumengine.data import member_states as ms_codes
from asylumengine.data.figures import get_vintage, key_inputs
from asylumengine.law import ParameterError
from asylumengine.solidarity import answers_step, offsets_step, state_step
from asylumengine.solidarity.errors import PoolError, SolidarityError
from asylumengine.solidarity.models import KeyInfo, StateClassification
from asylumengine.solidarity.rules import classification as cls
from asylumengine.solidarity.rules import exemptions as ex
from asylumengine.solidarity.rules import key as key_rules
from asylumengine.solidarity.rules import pledges as pl
from asylumengine.solidarity.rules import pool as pool_rules
from asylumengine.solidarity.rules import systemic
from asylumengine.solidarity.run import Run
from asylumengine.solidarity.totals import totals

PERCENT = 100


def key_step(run: Run) -> None:
    """Who is in the key, their figures, and the key itself (Art 66, Annex I)."""
    bound, _outside = key_rules.participating_states(run.law)
    rows = run.inputs["key_data"]
    if rows is None:
        v = get_vintage(run.inputs["vintage"])
        figures = key_inputs(v, bound)
        run.participating = bound
        run.population = {ms: f.population.value for ms, f in figures.items()}
        run.gdp = {ms: f.gdp.value for ms, f in figures.items()}
        run.vintage, data = (v.name, v.label, v.proxy), f"data vintage {v.name}"
        if v.proxy:
            run.assumptions.append(f"Data vintage '{v.name}' is a proxy: {v.note}")
        fixed = {}
    else:
        source = run.inputs["key_source"] or "input"
        run.participating = sorted(r.member_state for r in rows)
        run.population = {r.member_state: r.population for r in rows}
        run.gdp = {r.member_state: r.gdp for r in rows}
        run.vintage, data = ("input", f"key data from {source}", False), f"key data file {source}"
        fixed = {r.member_state: r.fixed_share for r in rows if r.fixed_share is not None}
        outside = sorted(set(run.participating) - set(bound))
        if outside:
            run.assumptions.append(f"What-if: the key data includes states not bound by Part IV ({', '.join(outside)}).")
    run.not_participating = sorted(set(ms_codes.EU27) - set(run.participating))
    run.key = key_rules.reference_key(run.population, run.gdp, run.law)
    fixed.update({ms_codes.to_iso(ms): v for ms, v in run.inputs["fixed_shares"].items()})
    run.key_info = _fixed(run, fixed, data)


def _fixed(run: Run, fixed: dict[str, float], data: str) -> KeyInfo:
    if not fixed:
        return KeyInfo(data=data, states=len(run.key), note=f"All shares from the {data} (Art 66, Annex I).")
    run.key, factor = key_rules.with_fixed_shares(run.key, {ms: v / PERCENT for ms, v in fixed.items()})
    given = ", ".join(f"{ms} {v:g}%" for ms, v in sorted(fixed.items()))
    others = len(run.key) - len(fixed)
    note = (f"Fixed by hand: {given}. The other {others} states' shares come from the {data}, each multiplied by "
            f"{factor:.6f} so that all shares add up to 100% (their relative sizes are kept).")  # fmt: skip
    run.assumptions.append(f"What-if key: {note}")
    return KeyInfo(data=data, states=len(run.key), fixed_shares=dict(sorted(fixed.items())), others_scaled_by=factor, note=note)


def pool_step(run: Run) -> None:
    """The pool and each state's reference numbers (Art 12(2)-(3), 57)."""
    inp = run.inputs
    run.pool = pool_rules.make_pool(run.law, run.year, inp["pool_relocations"], inp["pool_eur"])
    run.proposed = inp["proposed_relocations"]
    if run.proposed is not None and not (run.proposed > 0 and math.isfinite(run.proposed)):
        raise PoolError(f"proposed-relocations: must be a positive, finite number, got {run.proposed}")
    if run.proposed is None:
        run.proposed = run.pool.relocations
        run.assumptions.append(
            "The Commission's proposed number of relocations (Art 12, used by Art 63(1)) is taken equal to the "
            "pool's relocations; give --proposed-relocations to change it."
        )
    for ms in run.participating:
        run.reference_reloc[ms], run.reference_eur[ms] = pool_rules.reference_numbers(run.key[ms].share, run.pool)


def classification_step(run: Run) -> None:
    """The Art 11 decision, the user's classifications, dated systemic findings, exemptions."""
    given = run.inputs["classifications"]
    try:
        classes = cls.decided_classifications(run.law, run.year)
    except ParameterError:
        if given is None:
            raise SolidarityError(
                f"no Commission Art 11 decision is shipped for the {run.year} cycle; give a classification file"
            ) from None
        classes = {}
        run.assumptions.append(f"No Art 11 decision shipped for {run.year}: only the classification file is used.")
    run.assumptions.append(
        "States under migratory pressure in the Commission's decision are taken to use the Pool (Art 58(1) "
        "notification). No deduction is applied unless a classification file gives one: which Art 62 "
        "deductions the Council granted for 2026 is not verified (press reports differ: AT, CZ, HR, PL, and "
        "perhaps EE)."
    )
    classes = {ms: c for ms, c in classes.items() if ms in run.participating}
    seen: set[str] = set()
    for c in given or []:
        if c.member_state in seen:  # one of the two would be dropped without a word
            raise SolidarityError(f"classification for {c.member_state}: given twice")
        seen.add(c.member_state)
        classes[c.member_state] = c
    for ms, c in classes.items():
        cls.check_classification(ms, c, run.participating)
    for ms in run.participating:
        classes.setdefault(ms, StateClassification(member_state=ms, source="default: not classified"))
    findings = run.inputs["systemic_findings"]
    for f in findings:
        if f.member_state not in classes or not classes[f.member_state].benefitting:
            raise SolidarityError(f"systemic finding for {f.member_state}: not a benefitting state of this cycle "
                                  "(Art 60(3), fourth subpara, concerns benefitting Member States)")  # fmt: skip
    for ms, c in classes.items():
        on = systemic.shortcomings_on(c, findings, run.law.on)
        classes[ms] = c if on == c.systemic_shortcomings else c.model_copy(update={"systemic_shortcomings": on})
    run.classes = classes
    run.benefitting = [ms for ms in run.participating if classes[ms].benefitting]
    run.blocked = {ms for ms in run.benefitting if classes[ms].systemic_shortcomings}
    run.exempt = {ms: ex.exempt(classes[ms]) for ms in run.participating}
    run.keep = {ms: ex.implemented_share(classes[ms]) for ms in run.participating}


def pledge_step(run: Run) -> None:
    """Pledges given, and the documented default for every state whose pledge is not (Art 57(3)-(4))."""
    pledges = run.inputs["pledges"]
    given = pl.checked_pledges(pledges or [], run.participating, run.benefitting)
    for ms in run.participating:
        run.pledge[ms] = pl.pledge_of(ms, given, run.classes[ms].benefitting, run.reference_eur[ms])
    assumed = [ms for ms in run.participating if run.pledge[ms][1] == "assumed"]
    default = ("a contributing state pledges its full fair share as a financial contribution (Art 56(2)(b)); "
               "a benefitting state pledges nothing (it is exempt, Art 60(3))")  # fmt: skip
    if pledges is None:
        run.assumptions.append(f"No pledges given: each state is assumed to pledge as documented: {default}.")
    elif assumed:
        run.assumptions.append(
            f"No pledge given for {len(assumed)} states ({', '.join(assumed)}): each is assumed to pledge as "
            f"documented: {default}. Every state's pledge_source says 'given' or 'assumed'."
        )


PIPELINE = (
    ("key", key_step),  # Art 66, Annex I
    ("pool", pool_step),  # Art 12, 57
    ("classification", classification_step),  # Art 11, 58(1), 60(3), 61, 62
    ("pledges", pledge_step),  # Art 56, 57(3)-(4), 65
    ("offsets", offsets_step.offsets_step),  # Art 13(4), 63, 69
    ("states", state_step.states_step),  # Art 60(2)-(3), 63(6), 64(1)
    ("totals", totals),  # reconciliation
    ("answers", answers_step.answers_step),  # Art 57(3), 63(2)-(5), (7): answers per state
    ("procedure", answers_step.procedure_step),  # Art 60(3), 61, 62: dated events
)
