"""Per-state answers (Art 57(3), 63(2)-(5), (7)) and the cycle's procedure over dates (Arts 12(5),
57(2), 60(3), 61, 62): the questions asked of the cycle, stated rather than left to arithmetic."""

from __future__ import annotations

import datetime as dt

from asylumengine.solidarity.context import TOLERANCE_EUR
from asylumengine.solidarity.errors import SolidarityError
from asylumengine.solidarity.models import Reading, SarShare, StateAnswers, StateResult, StillToImplement, SystemicCheck
from asylumengine.solidarity.offsets_step import CEILING_READINGS, threshold_test
from asylumengine.solidarity.rules import offsets as off
from asylumengine.solidarity.rules import pool as pool_rules
from asylumengine.solidarity.rules import procedure, systemic
from asylumengine.solidarity.run import Run


def answers_step(run: Run) -> None:
    for s in run.states:
        s.answers = _answers(run, s)
    if any(s.answers.may_offer_offsets for s in run.states):
        run.open_points.append(
            "Art 63(2) does not say up to how many applications a willing state may take over: the answers give "
            "its fair share in relocations (the Art 63(7) cap) and the relocations it pledged ('instead of relocations')."
        )
    if any(len(s.answers.year_end_offsets_up_to) > 1 for s in run.states):
        run.open_points.append(
            "Art 63(5) 'up to the number of relocations pledged': read as all relocations pledged, or only those not "
            "implemented; both numbers are given per state."
        )


def _may_offer(run: Run, s: StateResult) -> tuple[bool, str]:
    o, p = run.offsets, run.pledge[s.member_state][0]
    half = run.thresholds.voluntary_share_of_own_fair_share * s.reference_relocations
    if not o.in_force:
        return False, f"no: Art 63 does not apply on {run.law.on.isoformat()}"
    if s.benefitting:
        return False, "no: a benefitting state asks for offsets (Art 63(1)), it does not offer them"
    if o.voluntary_available:
        return True, "yes, Art 63(2)(a): the Art 63(1) threshold is reached"
    if off.contributor_may_offer(p.relocations, s.reference_relocations, False, run.thresholds):
        return True, f"yes, Art 63(2)(b): {p.relocations:,} relocations pledged, at least {half:,.1f} (50% of its fair share)"
    return False, f"no: Art 63(1) threshold not reached and {p.relocations:,} relocations pledged, below {half:,.1f} (Art 63(2)(b))"


def _answers(run: Run, s: StateResult) -> StateAnswers:
    p, keep = run.pledge[s.member_state][0], run.keep[s.member_state]
    may, basis = _may_offer(run, s)
    up_to = [Reading(reading="up to its fair share in relocations (Art 63(7))", value=s.reference_relocations),
             Reading(reading="'instead of relocations': up to the relocations it pledged", value=p.relocations)] if may else []  # fmt: skip
    after_year = run.law.on > dt.date(run.year, 12, 31)
    year_end, readings = off.year_end_offsets(p.relocations * keep, p.relocations_implemented, after_year, s.exempt)
    kept = [d for d in s.owes if not d.released and not d.offsets]
    still = StillToImplement(
        relocations=sum(d.relocations for d in kept), financial_eur=sum(d.financial_eur for d in kept),
        alternative_eur=sum(d.alternative_eur for d in kept), value_eur=sum(d.value_eur for d in kept),
        obligation_left_after_offsets_eur=s.remaining_obligation_eur,
    )  # fmt: skip
    tests = [threshold_test("pledge value to implement vs obligation left after deductions and offsets", "AMMR Art 57(3)",
                   s.pledge_value_eur * keep, s.remaining_obligation_eur, "at_or_above", "the pledge covers its fair share",
                   TOLERANCE_EUR)]  # fmt: skip
    if run.offsets.in_force and not s.benefitting:
        tests.append(threshold_test("own relocations pledged vs 50% of its fair share in relocations", "AMMR Art 63(2)(b)",
                           p.relocations, run.thresholds.voluntary_share_of_own_fair_share * s.reference_relocations,
                           "at_or_above", "it may offer offsets"))  # fmt: skip
    return StateAnswers(
        may_offer_offsets=may, may_offer_basis=basis, may_offer_up_to=up_to,
        offsets_mandatory=run.offsets.mandatory_triggered and keep > 0, mandatory_up_to=s.mandatory_offsets_up_to,
        mandatory_up_to_readings=[Reading(reading=text, value=run.alloc_by_reading[name].get(s.member_state, 0),
                                          note="applied" if name == run.interpretation.mandatory_offset_ceiling_counts else "")
                                  for name, text in CEILING_READINGS.items()] if run.offsets.mandatory_triggered else [],
        year_end_offsets=year_end, year_end_offsets_up_to=[Reading(reading=r, value=v) for r, v in readings],
        still_to_implement=still, threshold_tests=tests,
    )  # fmt: skip


def procedure_step(run: Run) -> None:
    pr = run.procedure
    for req in run.inputs["deduction_requests"]:
        if req.member_state not in run.participating:
            raise SolidarityError(f"deduction request for {req.member_state}: not in the set of states of the key")
        pr.deduction_requests.append(procedure.deduction_answer(req, run.classes[req.member_state], run.law))
    for req in run.inputs["offset_requests"]:
        pr.offset_requests.append(_offset_request(run, req))
    pr.systemic_checks = _systemic_checks(run)
    pr.year_end = f"Art 63(5) year-end offsets apply after {dt.date(run.year, 12, 31).isoformat()}; cycle read on {run.law.on.isoformat()}."


def _offset_request(run: Run, req):
    ms, by = req.member_state, req.requested_by
    if ms not in run.participating or by not in run.benefitting:
        raise SolidarityError(f"offset request to {ms} from {by}: the requesting state must be a benefitting state and "
                              f"the requested state in the key (benefitting: {', '.join(run.benefitting) or 'none'})")  # fmt: skip
    o, p = run.offsets, run.pledge[ms][0]
    may = off.contributor_may_offer(p.relocations, run.reference_reloc[ms], False, run.thresholds) if o.in_force else False
    facts = dict(in_force=o.in_force, exempt=run.exempt[ms], blocked=by in run.blocked, mandatory=o.mandatory_triggered,
                 voluntary=o.voluntary_available, may_offer=may)  # fmt: skip
    return procedure.offset_request_answer(req, facts, run.offsets_alloc.get(ms, 0), run.reference_reloc[ms], run.law)


def _systemic_checks(run: Run) -> list[SystemicCheck]:
    scheduled, source = systemic.announced_checks(run.law, run.year)
    findings = run.inputs["systemic_findings"]
    decided = {(f.member_state, f.decided_on) for f in findings}
    out = [SystemicCheck(member_state=ms, date=d, kind="scheduled", found=None, in_effect=False, source=source)
           for ms, dates in sorted(scheduled.items()) for d in dates if (ms, d) not in decided]  # fmt: skip
    for f in sorted(findings, key=lambda f: (f.member_state, f.decided_on)):
        latest = max((g.decided_on for g in findings if g.member_state == f.member_state and g.decided_on <= run.law.on), default=None)
        out.append(SystemicCheck(member_state=f.member_state, date=f.decided_on, kind="decision", found=f.found,
                                 in_effect=latest == f.decided_on, source=f.source))  # fmt: skip
    return sorted(out, key=lambda c: (c.date, c.member_state))


def sar_share(run: Run) -> SarShare:
    """The SAR share of the Pool (Art 12(5), 57(2)): the input, else the Council act's, else none (open point)."""
    given = run.inputs["sar_share"]
    if given is not None and not 0 <= given <= 1:
        raise SolidarityError(f"--sar-share {given}: must be a fraction of the Pool between 0 and 1")
    shipped = pool_rules.council_sar_share(run.law, run.year)
    share = given if given is not None else shipped
    states = [ms for ms in run.benefitting if run.classes[ms].sar_pressure]
    source = "input (--sar-share)" if given is not None else ("Council act (parameter)" if shipped is not None else "none")
    applied = share is not None and bool(states) and len(states) < len(run.benefitting)
    if share is None:
        note = (f"No SAR share for {run.year}: the Council act's percentage (Art 57(2)) was not found; none is applied. "
                "Give --sar-share and mark SAR states with sar_pressure in the classification file.")  # fmt: skip
        run.open_points.append(note)
    elif not applied:
        note = "Share given but not applied: it needs benefitting states with sar_pressure and at least one without."
    else:
        note = f"{share:.1%} of every draw on the Pool goes to {', '.join(states)}; the rest to the other benefitting states."
    return SarShare(share=share, source=source, states=states, applied=applied, note=note)
