"""Where a case can end: status (the Dutch two-status system), family reunification, and return
(Return Directive now; the Return Regulation as in the Council's general approach as an
option). The engine does not judge the merits: an outcome left 'open' keeps every branch.
"""

from __future__ import annotations

import numpy as np

from asylumengine.routes.case import Event, Outcomes
from asylumengine.routes.columns import NAT, Population, country_index, literal_values
from asylumengine.routes.rules.common import Ctx, by_date

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


def determine_outcome(pop: Population, resp: dict, dub: dict, proc: dict, ctx: Ctx, return_regime: str) -> dict[str, np.ndarray]:
    n = pop.n
    merits, appeal, departure = pop["o_merits"], pop["o_appeal"], pop["o_departure"]
    adm = proc["admissibility_grounds"]
    inadmissible_certain = (proc["admissibility_mandatory"] != 0)
    protected_in = resp["protected_in"] != 0

    granted = merits == MERITS.index("refugee")
    sub = merits == MERITS.index("subsidiary")
    rejected = merits == MERITS.index("rejected")
    open_merits = merits == MERITS.index("open")

    # terminal states reachable from here
    protection = T["protection_refugee"] | T["protection_subsidiary"]
    return_set = T["returned_voluntary"] | T["returned_forced"] | T["departed_unknown_destination"]
    if return_regime == "return-regulation-council-2025":
        return_set |= T["return_hub"]
    dep_map = {
        DEPARTURE.index("voluntary"): T["returned_voluntary"],
        DEPARTURE.index("forced"): T["returned_forced"],
        DEPARTURE.index("unknown_destination"): T["departed_unknown_destination"],
    }
    departure_set = np.full(n, return_set, dtype=np.int32)
    for code, bit in dep_map.items():
        departure_set[departure == code] = bit
    # hubs are not for unaccompanied minors (Council text as reported)
    departure_set = np.where(resp["uam"], departure_set & ~T["return_hub"], departure_set)
    if return_regime == "return-regulation-council-2025":
        departure_set = np.where(departure_set == 0, T["returned_forced"], departure_set)

    after_rejection = np.where(appeal == APPEAL.index("allowed"), protection, departure_set)
    after_rejection = np.where(appeal == APPEAL.index("open"), protection | departure_set, after_rejection)
    terminals = np.where(granted, T["protection_refugee"], 0)
    terminals = np.where(sub, T["protection_subsidiary"], terminals)
    terminals = np.where(rejected, after_rejection, terminals)
    terminals = np.where(open_merits, protection | departure_set, terminals)
    # inadmissible for protection in another Member State -> back there; safe third country -> there
    elsewhere = np.where(protected_in, T["returned_to_protecting_member_state"], 0) | np.where(
        (adm & 2) != 0, T["removed_to_safe_third_country"], 0
    )
    terminals = np.where(inadmissible_certain, departure_set, terminals | elsewhere).astype(np.int32)
    terminals = np.where(terminals == 0, departure_set, terminals).astype(np.int32)

    # Dutch layer: two statuses from 12 June 2026; the young-adult policy until 31 May 2026
    nl = dub["examining_state"] == country_index()["NL"]
    two_status = np.zeros(n, dtype=bool)
    young_adult = np.zeros(n, dtype=bool)
    for rows, value in by_date(ctx, "nl.two_status_system", proc["decision_deadline"].astype("datetime64[D]")):
        two_status[rows] = bool(value)
    for rows, value in by_date(ctx, "nl.young_adult_family_policy", pop["computed_on"]):
        young_adult[rows] = bool(value)

    # detention in return: all periods under one return decision add up (CJEU C-150/24 Aroja)
    used = np.zeros(n, dtype=np.int64)
    for i in range(pop.slots("ev")):
        is_det = pop[f"ev{i}_kind"] == EVKIND.index("return_detention")
        end = np.where(np.isnat(pop[f"ev{i}_end"]), pop["computed_on"], pop[f"ev{i}_end"])
        span = (end - pop[f"ev{i}_start"]).astype(np.int64) + 1
        used += np.where(is_det & ~np.isnat(pop[f"ev{i}_start"]), np.maximum(span, 0), 0)
    return {
        "terminals": terminals,
        "nl_examines": nl,
        "two_status": two_status & nl,
        "young_adult_policy": young_adult & nl,
        "return_detention_days_used": used,
        "rejection_possible": open_merits | rejected | inadmissible_certain,
    }


def terminal_names(mask: int) -> list[str]:
    return [name for name, bit in T.items() if mask & bit]


__all__ = ["NAT", "RETURN_REGIMES", "TERMINALS", "determine_outcome", "terminal_names"]
