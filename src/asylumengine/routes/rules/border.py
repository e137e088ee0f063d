"""The asylum border procedure (APR Arts 43-45, 47, 51-53). The exemptions are rules; the order in
which they are tried is written once, in ``BORDER_EXEMPTIONS`` (the first that holds is reported)."""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.columns import NAT
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.accelerated import ACCEL, BORDER_GROUNDS, BORDER_MANDATORY
from asylumengine.routes.rules.common import Ctx, APR_FROM, add_period, in_codes
from asylumengine.routes.rules.dublin import NONE, REFUSED

EXEMPTIONS = ("none", "unaccompanied_minor", "special_needs", "capacity", "not_border_situation", "transferred")
EX_NONE, EX_UAM, EX_NEEDS, EX_CAPACITY, EX_NOT_BORDER_SITUATION, EX_TRANSFERRED = (EXEMPTIONS.index(e) for e in EXEMPTIONS)
# (exemption, the value saying it holds), tried in this order
BORDER_EXEMPTIONS: tuple[tuple[int, str], ...] = (
    (EX_TRANSFERRED, "border_left_for_transfer"),  # APR Art 52(1): another state examines
    (EX_NOT_BORDER_SITUATION, "not_border_situation"),  # Art 43(1)
    (EX_UAM, "border_exempt_uam"),  # Art 53(1)
    (EX_NEEDS, "border_exempt_needs"),  # Art 53(2)
    (EX_CAPACITY, "border_capacity_reached"),  # Art 47(2), 48
)
GROUND_J = 1 << ACCEL.index("j")
BORDER_PERIODS = "procedure.apr_examination"


@rule("APR Art 43(1)", "A border procedure is possible after an application at the border, apprehension, disembarkation "
      "(43(1)(a)-(c)) or relocation to this state (43(1)(d)), for applications under the APR", engine="routes", regime="pact", valid_from=APR_FROM,
      reads=("procedure_regime", "at_border", "app_relocated_to", "app_state"),
      produces=("border_situation", "not_border_situation", "relocated_here"), text="routes-texts#APR Art 43")  # fmt: skip
def border_situation(pop, v, ctx: Ctx):
    relocated = (pop["app_relocated_to"] != 0) & (pop["app_relocated_to"] == pop["app_state"])
    situation = (v["procedure_regime"] == Regime.PACT) & (v["at_border"] | relocated)
    return {"border_situation": situation, "not_border_situation": ~situation, "relocated_here": relocated}


@rule("APR Art 52(1)", "Another Member State is responsible and the transfer goes ahead: the case leaves the border "
      "(a reading: the determination is made at the border, the responsible state then examines)",
      engine="routes", regime="pact", valid_from=APR_FROM, reads=("request_kind", "transfer_feasible", "o_take_charge", "border_situation"),
      produces=("transferred", "border_left_for_transfer"), text="routes-texts#APR Art 52")  # fmt: skip
def left_for_transfer(pop, v, ctx: Ctx):
    transferred = (v["request_kind"] != NONE) & v["transfer_feasible"] & (pop["o_take_charge"] != REFUSED)
    return {"transferred": transferred, "border_left_for_transfer": transferred & v["border_situation"]}


@rule("APR Art 53(1)", "Unaccompanied minors: the border procedure only on the security ground (Art 42(3)(b))",
      engine="routes", regime="pact", valid_from=APR_FROM, reads=("uam", "f_security"), produces=("border_exempt_uam",), text="routes-texts#APR Art 53")  # fmt: skip
def uam_exemption(pop, v, ctx: Ctx):
    return {"border_exempt_uam": v["uam"] & ~pop["f_security"]}


@rule("APR Art 53(2)", "Not applied where the support needed for special procedural needs cannot be given at the border",
      engine="routes", regime="pact", valid_from=APR_FROM, reads=("f_needs_unmet",), produces=("border_exempt_needs",), text="routes-texts#APR Art 53")  # fmt: skip
def special_needs_exemption(pop, v, ctx: Ctx):
    return {"border_exempt_needs": pop["f_needs_unmet"]}


@rule("APR Art 47(2)", "Adequate capacity reached: ground (j) alone no longer obliges the border procedure", engine="routes",
      regime="pact", valid_from=APR_FROM, also=("APR Art 48",), reads=("f_capacity", "accelerated_grounds"), produces=("border_capacity_reached",),
      text="routes-texts#APR Art 47")  # fmt: skip
def capacity_reached(pop, v, ctx: Ctx):
    return {"border_capacity_reached": pop["f_capacity"] & ((v["accelerated_grounds"] & BORDER_MANDATORY) == GROUND_J)}


@rule("APR Art 45(1)", "The border procedure is mandatory in an Art 43(1) situation on grounds (c), (f) or (j) unless an "
      "exemption applies; possible on inadmissibility or grounds (a)-(g), (j) (Art 44(1))", engine="routes", regime="pact", valid_from=APR_FROM,
      also=("APR Art 44(1)", "APR Art 47(2)"),
      reads=("border_situation", "admissibility_grounds", "accelerated_grounds", "f_capacity", *(e[1] for e in BORDER_EXEMPTIONS)),
      produces=("border_mandatory", "border_possible", "border_exemption"), text="routes-texts#APR Art 45")  # fmt: skip
def border_procedure(pop, v, ctx: Ctx):
    grounds, situation = v["accelerated_grounds"], v["border_situation"]
    exemption = np.full(pop.n, EX_NONE, dtype=np.int8)
    for code, key in reversed(BORDER_EXEMPTIONS):  # the first in the table wins
        exemption[v[key]] = code
    mandatory = grounds & BORDER_MANDATORY
    mandatory = np.where(pop["f_capacity"], mandatory & ~GROUND_J, mandatory)
    possible = situation & ((v["admissibility_grounds"] != 0) | ((grounds & BORDER_GROUNDS) != 0))
    return {"border_exemption": exemption,
            "border_mandatory": situation & (mandatory != 0) & (exemption == EX_NONE),
            "border_possible": possible & in_codes(exemption, [EX_NONE, EX_CAPACITY])}  # fmt: skip


@rule("APR Art 51(2)", "The border procedure lasts at most 12 weeks from registration (16 after relocation), appeal included",
      engine="routes", regime="pact", valid_from=APR_FROM, reads=("border_mandatory", "relocated_here", "app_registered", "app_state", "procedure_regime",
                                             "holidays"),
      params=(BORDER_PERIODS,), produces=("border_end",), text="routes-texts#APR Art 51")  # fmt: skip
def border_duration(pop, v, ctx: Ctx):
    """Only the mandatory use is followed: the optional one is a national choice, shown as a branch."""
    periods, out = ctx.value(BORDER_PERIODS), np.full(pop.n, NAT)
    for key, rows in (("border_total", v["border_mandatory"] & ~v["relocated_here"]),
                      ("border_total_after_relocation", v["border_mandatory"] & v["relocated_here"])):  # fmt: skip
        if rows.any():
            amount, unit = periods[key]
            out[rows] = add_period(pop["app_registered"][rows], amount, unit, pop["app_state"][rows], v["procedure_regime"][rows],
                                   pop["holidays"][rows] == 1)  # fmt: skip
    return {"border_end": out}
