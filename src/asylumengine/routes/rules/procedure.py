"""Registration, lodging, the procedure followed, examination time limits and appeals (APR 2024/1348 as
amended by 2026/463 and 2026/464; before 12 June 2026 Directive 2013/32/EU and the Dutch Vw 2000).

Grounds are stored as bit masks so a million cases stay a few integer columns; the route turns
them back into named grounds with their articles. The codes other modules use are re-exported here.
"""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.columns import NAT, country_index
from asylumengine.routes.criteria import CriterionCodes as C
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.accelerated import ACCEL, ACCELERATED_GROUNDS  # noqa: F401 - re-exported
from asylumengine.routes.rules.admissibility import (  # noqa: F401 - re-exported
    ADM_FIRST_COUNTRY,
    ADM_PROTECTION_MS,
    ADM_RETURN_DECISION,
    ADM_SAFE_THIRD,
    ADM_SUBSEQUENT,
)
from asylumengine.routes.rules.border import (  # noqa: F401 - re-exported
    EX_CAPACITY,
    EX_NEEDS,
    EX_NONE,
    EX_NOT_BORDER_SITUATION,
    EX_TRANSFERRED,
    EX_UAM,
)
from asylumengine.law.time import Unit
from asylumengine.routes.rules.common import Ctx, APR_FROM, add_period
from asylumengine.routes.rules.time_limits import add_periods
from asylumengine.routes.rules.regime import procedure_regime  # noqa: F401 - re-exported
from asylumengine.routes.rules.screening import SCREEN_BORDER, SCREEN_NONE, SCREEN_TERRITORY  # noqa: F401 - re-exported
from asylumengine.routes.vector import select

PROCEDURES = ("", "border", "accelerated", "regular")
PROC_BORDER, PROC_ACCELERATED, PROC_REGULAR = (PROCEDURES.index(p) for p in PROCEDURES[1:])


def _days(pop, v, starts, amount, unit, rows, states=None) -> np.ndarray:
    """Deadlines for ``rows`` (NaT on the others), under each case's procedure regime and calendar."""
    states, regime, off = pop["app_state"] if states is None else states, v["procedure_regime"], pop["holidays"] == 1
    if Unit(unit) is not Unit.WORKING_DAYS:  # one pass over all rows
        return add_period(np.where(rows, starts, NAT), amount, unit, states, regime, off)
    out, amount = np.full(pop.n, NAT), np.broadcast_to(amount, (pop.n,))  # per-state calendars: on the rows only
    out[rows] = add_period(starts[rows], amount[rows], unit, states[rows], regime[rows], off[rows])
    return out


@rule("APR Art 27(1)", "Registration within 5 days of the application being made; after external-border screening, "
      "counted from the end of screening (27(7)) - the later of the two; before the APR 3 working days", engine="routes",
      also=("APR Art 27(7)", "Directive 2013/32/EU Art 6(1)"),
      reads=("procedure_regime", "screening", "screening_deadline", "app_made", "app_state", "holidays"),
      params=("procedure.apr_registration_days", "procedure.apd_registration_working_days"),
      produces=("registration_deadline",), text="routes-texts#APR Art 27")  # fmt: skip
def registration(pop, v, ctx: Ctx):
    apr, made = v["procedure_regime"] == Regime.PACT, pop["app_made"]
    base = np.where(v["screening"] == SCREEN_BORDER, np.maximum(v["screening_deadline"], made), made)
    out = np.full(pop.n, NAT)
    if apr.any():
        out = _days(pop, v, base, ctx.value("procedure.apr_registration_days")["standard"], "days", apr)
    if (~apr).any():
        out = np.where(apr, out, _days(pop, v, made, ctx.value("procedure.apd_registration_working_days"), "working_days", ~apr))
    return {"registration_deadline": out}


@rule("APR Art 28(1)", "Lodging within 21 days of registration; 5 days in the border procedure (Art 51(1)); after a "
      "transfer, from arriving in the responsible state (28(2)) - taken as the last day of the transfer limit",
      engine="routes", regime="pact", valid_from=APR_FROM, also=("APR Art 28(2)", "APR Art 51(1)"),
      reads=("procedure_regime", "border_mandatory", "transferred", "transfer_deadline", "examining_state", "app_registered",
             "app_lodged", "app_state", "holidays"),
      params=("procedure.apr_lodging_days",), produces=("lodging_deadline", "lodged_on"), text="routes-texts#APR Art 28")  # fmt: skip
def lodging(pop, v, ctx: Ctx):
    apr, transferred, reg = v["procedure_regime"] == Regime.PACT, v["transferred"], pop["app_registered"]
    days = ctx.value("procedure.apr_lodging_days")
    amount = np.where(v["border_mandatory"], days["border"], days["standard"])
    start = np.where(transferred, v["transfer_deadline"], reg)
    states = np.where(transferred, v["examining_state"], pop["app_state"])
    deadline = _days(pop, v, start, amount, "days", apr, states) if apr.any() else np.full(pop.n, NAT)
    lodged = np.where(~np.isnat(pop["app_lodged"]) & ~transferred, pop["app_lodged"], deadline)
    return {"lodging_deadline": deadline, "lodged_on": np.where(np.isnat(lodged), reg, lodged).astype("datetime64[D]")}


@rule("APR Art 42(1)", "The procedure followed: the border procedure where mandatory, else accelerated where a ground "
      "applies (under the APR), else the regular procedure", engine="routes", also=("APR Art 45(1)", "APR Art 35(4)"),
      reads=("border_mandatory", "accelerated", "procedure_regime"), produces=("procedure",), text="routes-texts#APR Art 42")  # fmt: skip
def procedure_kind(pop, v, ctx: Ctx):
    accelerated = v["accelerated"] & (v["procedure_regime"] == Regime.PACT)
    kind = np.where(v["border_mandatory"], PROC_BORDER, np.where(accelerated, PROC_ACCELERATED, PROC_REGULAR))
    return {"procedure": kind.astype(np.int8)}


@rule("APR Art 35(1)", "First-instance time limits from lodging: admissibility 2 (+2) months, 10 working days after a "
      "return decision; accelerated 3 months; regular 6 (+6), at most 21 months; border: within the 12 weeks",
      engine="routes", also=("APR Art 35(2)", "APR Art 35(3)", "APR Art 35(4)", "APR Art 35(5)", "Directive 2013/32/EU Art 31(3)",
                             "Directive 2013/32/EU Art 31(5)"),
      reads=("procedure_regime", "lodged_on", "procedure", "admissibility_grounds", "examining_state", "holidays", "border_end"),
      params=("procedure.apr_examination", "procedure.apd_examination"),
      produces=("decision_deadline", "decision_deadline_extended", "decision_deadline_max"), text="routes-texts#APR Art 35")  # fmt: skip
def examination_time_limits(pop, v, ctx: Ctx):
    apr, adm, proc, lodged = v["procedure_regime"] == Regime.PACT, v["admissibility_grounds"], v["procedure"], v["lodged_on"]
    apr_p, apd_p = ctx.value("procedure.apr_examination"), ctx.value("procedure.apd_examination")
    adm_return = apr & ((adm & ADM_RETURN_DECISION) != 0)
    adm_other = apr & (adm != 0) & ~adm_return
    accelerated, regular = apr & (adm == 0) & (proc == PROC_ACCELERATED), apr & (adm == 0) & (proc == PROC_REGULAR)
    border, apd = apr & (proc == PROC_BORDER), ~apr
    # per row, which period: the first, the extended and the longest limit (no period: no date)
    kinds = {"decision_deadline": ([adm_other, accelerated, regular, apd], [apr_p["admissibility"], apr_p["accelerated"],
                                                                            apr_p["regular"], apd_p["regular"]]),
             "decision_deadline_extended": ([adm_other, regular, apd], [apr_p["admissibility_extended"], apr_p["regular_extended"],
                                                                        apd_p["regular_exceptional"]]),
             "decision_deadline_max": ([apr & ~border, apd], [apr_p["absolute_max"], apd_p["absolute_max"]])}  # fmt: skip
    out, states, off = {}, v["examining_state"], pop["holidays"] == 1
    for key, (rows, periods) in kinds.items():
        which = select(rows, list(range(1, len(rows) + 1)), 0)
        out[key] = add_periods(lodged, which, dict(enumerate(map(tuple, periods), start=1)), states, v["procedure_regime"], off)
    if adm_return.any():
        amount, unit = apr_p["admissibility_return_decision"]
        out["decision_deadline"] = np.where(adm_return, _days(pop, v, lodged, amount, unit, adm_return, states), out["decision_deadline"])
    out["decision_deadline"][border] = v["border_end"][border]  # everything, appeal included, within 12 (16) weeks
    return out


# Why an appeal does or does not suspend removal (the point of APR Art 68 the route cites)
SUSPENSION_BASES = ("apd", "right_to_remain", "accelerated", "border", "inadmissible")  # 68(2); 68(3)(a)(i), (a)(ii), (b)
SUSP_APD, SUSP_RIGHT_TO_REMAIN, SUSP_ACCELERATED, SUSP_BORDER, SUSP_INADMISSIBLE = range(len(SUSPENSION_BASES))


@rule("APR Art 68(3)", "No automatic right to remain during the appeal after an accelerated examination (68(3)(a)(i)), "
      "in the border procedure except for unaccompanied minors ((a)(ii)), or after inadmissibility except for "
      "unaccompanied minors in the border procedure ((b)); otherwise the appeal suspends removal (68(2))", engine="routes",
      regime="pact", valid_from=APR_FROM, also=("APR Art 68(2)", "APR Art 68(4)", "APR Art 68(5)"),
      reads=("procedure_regime", "procedure", "admissibility_grounds", "uam"),
      produces=("appeal_short_track", "appeal_suspensive", "appeal_suspension_basis"), text="routes-texts#APR Art 68")  # fmt: skip
def appeal_suspensive_effect(pop, v, ctx: Ctx):
    apr, proc, adm, uam = v["procedure_regime"] == Regime.PACT, v["procedure"], v["admissibility_grounds"], v["uam"]
    short_track = (proc != PROC_REGULAR) | (adm != 0)
    uam_border = uam & (proc == PROC_BORDER)
    basis = select([~apr, (adm != 0) & ~uam_border, proc == PROC_ACCELERATED, (proc == PROC_BORDER) & ~uam],
                      [SUSP_APD, SUSP_INADMISSIBLE, SUSP_ACCELERATED, SUSP_BORDER], SUSP_RIGHT_TO_REMAIN).astype(np.int8)
    suspensive = np.isin(basis, [SUSP_APD, SUSP_RIGHT_TO_REMAIN])
    return {"appeal_short_track": short_track, "appeal_suspensive": suspensive, "appeal_suspension_basis": basis}


APPEAL_TRACKS = ("", "apr_short", "apr_standard", "nl_short", "nl_standard")  # which appeal period a row has
APR_SHORT, APR_STANDARD, NL_SHORT, NL_STANDARD = range(1, len(APPEAL_TRACKS))


@rule("APR Art 67(7)", "Appeal time limits from notification of the decision (taken as the last day it may be taken): "
      "ranges the Member State picks in; before the APR the Dutch Vw 2000 Art 69 periods", engine="routes",
      also=("Vreemdelingenwet 2000 Art 69",),
      reads=("decision_deadline", "appeal_short_track", "procedure", "procedure_regime", "examining_state", "holidays"),
      params=("procedure.apr_appeal_days", "procedure.nl_appeal_period"), produces=("appeal_deadline", "appeal_deadline_latest"),
      text="routes-texts#APR Art 67")  # fmt: skip
def appeal_time_limits(pop, v, ctx: Ctx):
    """Border cases: everything inside the 12 weeks. Other states before the APR: not shipped."""
    decided, short, states, preg = v["decision_deadline"], v["appeal_short_track"], v["examining_state"], v["procedure_regime"]
    apr = (preg == Regime.PACT) & (v["procedure"] != PROC_BORDER)
    ranges = ctx.value("procedure.apr_appeal_days")
    periods = {b: {APR_SHORT: tuple(ranges["short"][b]), APR_STANDARD: tuple(ranges["standard"][b])} for b in ("min", "max")}
    which = np.where(apr, np.where(short, APR_SHORT, APR_STANDARD), 0)
    nl_apd = (preg == Regime.DUBLIN_III) & (states == country_index()["NL"])
    if nl_apd.any():  # the Dutch periods before the APR: one period, not a range
        nl = ctx.value("procedure.nl_appeal_period")
        for bound in periods:
            periods[bound].update({NL_SHORT: tuple(nl["short"]), NL_STANDARD: tuple(nl["standard"])})
        which = np.where(nl_apd, np.where(short, NL_SHORT, NL_STANDARD), which)
    lo, hi = (add_periods(decided, which, periods[bound], states, preg, pop["holidays"] == 1) for bound in ("min", "max"))
    return {"appeal_deadline": lo, "appeal_deadline_latest": hi}


__all__ = ["ACCEL", "C", "PROC_ACCELERATED", "PROC_BORDER", "PROC_REGULAR", "procedure_regime"]
