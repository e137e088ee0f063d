"""Where a case can end: status (the Dutch two-status system), family reunification, and return
(Return Directive now; the Return Regulation as in the Council's general approach as an
option). The engine does not judge the merits: an outcome left 'open' keeps every branch.
"""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.case import Event, Outcomes
from asylumengine.routes.columns import NAT, country_index, literal_values
from asylumengine.routes.rules.admissibility import ADM_SAFE_THIRD
from asylumengine.routes.rules.common import Ctx, months_after

MERITS = literal_values(Outcomes, "merits")  # open, refugee, subsidiary, rejected
APPEAL = literal_values(Outcomes, "appeal")  # open, not_lodged, allowed, dismissed
DEPARTURE = literal_values(Outcomes, "departure")  # open, voluntary, forced, unknown_destination
EVKIND = ("",) + literal_values(Event, "kind")

TERMINALS = (
    "protection_refugee",
    "protection_subsidiary",
    "returned_voluntary",
    "returned_forced",
    "return_hub",
    "departed_unknown_destination",
    "returned_to_protecting_member_state",
    "removed_to_safe_third_country",
)
T = {name: 1 << i for i, name in enumerate(TERMINALS)}
RETURN_REGIMES = ("return-directive", "return-regulation-council-2025")
RETURN_REGULATION = RETURN_REGIMES.index("return-regulation-council-2025")
PROTECTION = T["protection_refugee"] | T["protection_subsidiary"]
RETURNS = T["returned_voluntary"] | T["returned_forced"] | T["departed_unknown_destination"]
DEPARTURES = {"voluntary": "returned_voluntary", "forced": "returned_forced", "unknown_destination": "departed_unknown_destination"}


@rule("Directive 2008/115/EC Art 6(1)", "After a rejection: the ways a return can end (a known departure, else all); the "
      "Return Regulation scenario adds return hubs, not for unaccompanied minors", engine="routes",
      also=("APR Art 37", "Return Regulation (Council general approach 2025)"), reads=("o_departure", "uam", "return_regime"),
      produces=("departure_set",), text="routes-texts#RD Art 7")  # fmt: skip
def return_paths(pop, v, ctx: Ctx):
    regulation = v["return_regime"] == RETURN_REGULATION
    out = np.where(regulation, RETURNS | T["return_hub"], RETURNS).astype(np.int32)
    for name, terminal in DEPARTURES.items():
        out[pop["o_departure"] == DEPARTURE.index(name)] = T[terminal]
    out = np.where(v["uam"], out & ~T["return_hub"], out)  # hubs are not for unaccompanied minors (Council text as reported)
    out = np.where(regulation & (out == 0), T["returned_forced"], out)
    return {"departure_set": out.astype(np.int32)}


@rule("APR Art 37", "Where the case can end: protection, return, or back to the protecting Member State / a safe third "
      "country after inadmissibility; open outcomes keep every branch", engine="routes",
      also=("APR Art 38(2)",), reads=("o_merits", "o_appeal", "admissibility_grounds", "admissibility_mandatory", "protected_in",
                                      "departure_set"),
      produces=("terminals", "rejection_possible"), text="routes-texts#APR Art 37")  # fmt: skip
def terminal_states(pop, v, ctx: Ctx):
    merits, appeal, departure = pop["o_merits"], pop["o_appeal"], v["departure_set"]
    after_rejection = np.where(appeal == APPEAL.index("allowed"), PROTECTION, departure)
    after_rejection = np.where(appeal == APPEAL.index("open"), PROTECTION | departure, after_rejection)
    by_merits = ((MERITS.index("refugee"), T["protection_refugee"]), (MERITS.index("subsidiary"), T["protection_subsidiary"]),
                 (MERITS.index("rejected"), after_rejection), (MERITS.index("open"), PROTECTION | departure))  # fmt: skip
    terminals = np.zeros(pop.n, dtype=np.int32)
    for code, reach in by_merits:
        terminals = np.where(merits == code, reach, terminals)
    # inadmissible for protection in another Member State -> back there; safe third country -> there
    elsewhere = np.where(v["protected_in"] != 0, T["returned_to_protecting_member_state"], 0) | np.where(
        (v["admissibility_grounds"] & ADM_SAFE_THIRD) != 0, T["removed_to_safe_third_country"], 0)
    certain = v["admissibility_mandatory"] != 0
    terminals = np.where(certain, departure, terminals | elsewhere)
    terminals = np.where(terminals == 0, departure, terminals).astype(np.int32)
    open_or_rejected = (merits == MERITS.index("open")) | (merits == MERITS.index("rejected"))
    return {"terminals": terminals, "rejection_possible": open_or_rejected | certain}


@rule("Vreemdelingenwet 2000 Art 29a(1)", "The Dutch two-status system (refugee A / subsidiary B) for decisions from its "
      "start date", engine="routes", also=("Vreemdelingenwet 2000 Art 29(1)",), reads=("examining_state", "decision_deadline"),
      params=("nl.two_status_system",), produces=("nl_examines", "two_status"))  # fmt: skip
def dutch_two_status(pop, v, ctx: Ctx):
    nl = v["examining_state"] == country_index()["NL"]
    two = np.zeros(pop.n, dtype=bool)
    for rows, value in ctx.dated("nl.two_status_system", v["decision_deadline"].astype("datetime64[D]")):
        two[rows] = bool(value)
    return {"nl_examines": nl, "two_status": two & nl}


@rule("Vreemdelingencirculaire 2000 (young adults)", "The Dutch young-adults Art 8 ECHR family policy, until its end date",
      engine="routes", reads=("nl_examines", "computed_on"), params=("nl.young_adult_family_policy",),
      produces=("young_adult_policy",))  # fmt: skip
def young_adult_policy(pop, v, ctx: Ctx):
    applies = np.zeros(pop.n, dtype=bool)
    for rows, value in ctx.dated("nl.young_adult_family_policy", pop["computed_on"]):
        applies[rows] = bool(value)
    return {"young_adult_policy": applies & v["nl_examines"]}


@rule("Directive 2003/86/EC Art 12(1)", "Family reunification (nareis) under favourable conditions if requested within 3 "
      "months of the grant (taken as the last day of the decision limit); under the two-status system the waiting period "
      "for subsidiary protection is open", engine="routes", also=("Vreemdelingenwet 2000 Art 29(2)", "Kamerstuk 36 703"),
      reads=("o_merits", "decision_deadline", "two_status"),
      params=("nl.nareis_period_months", "nl.subsidiary_family_reunification_waiting_months"),
      produces=("family_reunification_deadline", "subsidiary_reunification_waiting_open"))  # fmt: skip
def family_reunification(pop, v, ctx: Ctx):
    protection = pop["o_merits"] != MERITS.index("rejected")
    granted = np.where(protection, v["decision_deadline"], NAT).astype("datetime64[D]")
    deadline = months_after(granted, int(ctx.value("nl.nareis_period_months")))
    # read where the two-status system applies (it starts with it); null: not verified in the bill text
    name = "nl.subsidiary_family_reunification_waiting_months"
    waiting = ctx.value(name, max(ctx.on, ctx.params.parameter(name).values[0].valid_from))
    return {"family_reunification_deadline": deadline, "subsidiary_reunification_waiting_open": v["two_status"] & (waiting is None)}


@rule("CJEU C-150/24 Aroja", "Detention in return: all periods under one return decision add up", engine="routes",
      also=("Directive 2008/115/EC Art 15(5)", "Directive 2008/115/EC Art 15(6)"),
      reads=("ev*_kind", "ev*_start", "ev*_end", "computed_on"), produces=("return_detention_days_used",))  # fmt: skip
def return_detention_used(pop, v, ctx: Ctx):
    used = np.zeros(pop.n, dtype=np.int64)
    for i in range(pop.slots("ev")):
        is_det = pop[f"ev{i}_kind"] == EVKIND.index("return_detention")
        end = np.where(np.isnat(pop[f"ev{i}_end"]), pop["computed_on"], pop[f"ev{i}_end"])
        span = (end - pop[f"ev{i}_start"]).astype(np.int64) + 1
        used += np.where(is_det & ~np.isnat(pop[f"ev{i}_start"]), np.maximum(span, 0), 0)
    return {"return_detention_days_used": used}


def terminal_names(mask: int) -> list[str]:
    return [name for name, bit in T.items() if mask & bit]


__all__ = ["NAT", "RETURN_REGIMES", "TERMINALS", "terminal_names"]
