"""Take charge / take back, replies, transfer and its time limit (AMMR Arts 39-46; Dublin III Arts 21-29),
and the Dutch transfer-feasibility table.

Dates are the *latest* the law allows: the request is taken to go out on the last day
of its time limit, the reply to come (or silence to count as acceptance) on the last
day of the reply period, and the transfer time limit to run from then. A request sent
earlier moves every later date earlier; the route says so.
"""

from __future__ import annotations

import numpy as np

from asylumengine.routes.case import Applicant, Outcomes
from asylumengine.routes.columns import NAT, Population, country_index, literal_values
from asylumengine.routes.criteria import Criterion as C
from asylumengine.routes.criteria import Regime
from asylumengine.routes.rules.common import in_codes, Ctx, add_period, by_date, period, state_mask
from asylumengine.routes.rules.responsibility import (
    EVKIND,
    MOVKIND,
    OUTCOME,
    TAKE_BACK_OUTCOMES,
    DOCKIND,
)

NONE, TAKE_CHARGE, TAKE_BACK = 0, 1, 2
SEXES = literal_values(Applicant, "sex")
TAKE_CHARGE_REPLIES = literal_values(Outcomes, "take_charge_reply")
UAM_NO_LIMIT = {C.UAM_FAMILY, C.UAM_RELATIVE, C.DEPENDENCY, C.FAMILY_BENEFICIARY, C.FAMILY_APPLICANT}


VARIANTS = ("standard", "after_hit", "detained", "imprisonment", "absconding", "reappearance_floor")


def _periods(ctx: Ctx, name: str, regime: np.ndarray, variant: np.ndarray) -> list[tuple[np.ndarray, int, str]]:
    """Row groups with the same (regime, variant code) and their period."""
    out = []
    for reg in (Regime.PACT, Regime.DUBLIN_III):
        in_reg = regime == reg
        if not in_reg.any():
            continue
        for code, v in enumerate(VARIANTS):
            rows = in_reg & (variant == code)
            if rows.any():
                amount, unit = period(ctx, name, v, reg)
                out.append((rows, amount, unit))
    return out


def _deadline(ctx, name, starts, states, regime, variant, holidays_off) -> np.ndarray:
    out = np.full(starts.shape, NAT)
    for rows, amount, unit in _periods(ctx, name, regime, variant):
        out[rows] = add_period(starts[rows], amount, unit, states[rows], regime[rows], holidays_off[rows])
    return out


def dublin_procedure(pop: Population, resp: dict, ctx: Ctx) -> dict[str, np.ndarray]:
    n = pop.n
    regime = resp["regime"]
    pact = regime == Regime.PACT
    app_state = pop["app_state"]
    responsible = resp["responsible"]
    criterion = resp["criterion"]
    holidays_off = pop["holidays"] == 1
    transfer_needed = (responsible != app_state) & (criterion != C.PROTECTION_ELSEWHERE)

    # take back if the responsible state already has the person's application (AMMR Art 36(1)(b), 41)
    take_back = np.zeros(n, dtype=bool)
    back_hit = np.zeros(n, dtype=bool)
    for i in range(pop.slots("pri")):
        there = (pop[f"pri{i}_state"] == responsible) & in_codes(pop[f"pri{i}_outcome"], TAKE_BACK_OUTCOMES)
        there &= (resp["ceased_prior"] & (1 << i)) == 0  # obligations ceased: the application is new (AMMR Art 37)
        take_back |= transfer_needed & there
        back_hit |= there & pop[f"pri{i}_hit"]
    kind = np.where(transfer_needed, np.where(take_back, TAKE_BACK, TAKE_CHARGE), NONE).astype(np.int8)

    # a Eurodac or VIS hit for the responsible state (AMMR Art 39(1), second subpara)
    charge_hit = np.zeros(n, dtype=bool)
    for i in range(pop.slots("mov")):
        charge_hit |= (pop[f"mov{i}_country"] == responsible) & pop[f"mov{i}_eurodac"] & in_codes(
            pop[f"mov{i}_kind"], [MOVKIND.index("irregular_crossing"), MOVKIND.index("sar_disembarkation")]
        )
    for i in range(pop.slots("doc")):
        is_visa = in_codes(pop[f"doc{i}_kind"], [DOCKIND.index(k) for k in ("long_stay_visa", "short_stay_visa", "airport_transit_visa")])
        charge_hit |= is_visa & ((pop[f"doc{i}_state"] == responsible) | (pop[f"doc{i}_behalf"] == responsible))
    hit = np.where(kind == TAKE_BACK, back_hit, charge_hit)
    detained = pop["app_detained"]
    variant = np.where(detained, VARIANTS.index("detained"), np.where(hit, VARIANTS.index("after_hit"), 0)).astype(np.int8)

    # the request clock: registration (AMMR Art 39(1)); lodging under Dublin III (Art 21(1), 23(2))
    lodged_or_registered = np.where(np.isnat(pop["app_lodged"]), pop["app_registered"], pop["app_lodged"])
    start = np.where(pact, pop["app_registered"], lodged_or_registered)
    request = np.full(n, NAT)
    reply = np.full(n, NAT)
    for k, req_name, rep_name in (
        (TAKE_CHARGE, "take_charge_request", "take_charge_reply"),
        (TAKE_BACK, "take_back_notification", "take_back_confirmation"),
    ):
        rows = kind == k
        if not rows.any():
            continue
        request[rows] = _deadline(ctx, req_name, start[rows], app_state[rows], regime[rows], variant[rows], holidays_off[rows])
        reply[rows] = _deadline(ctx, rep_name, request[rows], responsible[rows], regime[rows], variant[rows], holidays_off[rows])
    # unaccompanied minors: a take charge request on the family criteria has no time limit (AMMR Art 39(1), 4th subpara)
    no_limit = pact & resp["uam"] & (kind == TAKE_CHARGE) & in_codes(criterion, list(UAM_NO_LIMIT))
    request[no_limit] = NAT
    reply_from_request_unknown = no_limit

    # transfer time limit (AMMR Art 46; Dublin III Art 29) from (implicit) acceptance
    accepted_on = reply
    imprisoned, absconded, reappeared = (np.full(n, NAT) for _ in range(3))
    for i in range(pop.slots("ev")):
        k, s = pop[f"ev{i}_kind"], pop[f"ev{i}_start"]
        for arr, name in ((imprisoned, "imprisonment"), (absconded, "absconding"), (reappeared, "reappearance")):
            first = (k == EVKIND.index(name)) & np.isnat(arr)
            arr[first] = s[first]
    t_variant = np.where(detained, VARIANTS.index("detained"), 0).astype(np.int8)
    transfer = _deadline(ctx, "transfer", accepted_on, app_state, regime, t_variant, holidays_off)
    ext = np.where(~np.isnat(absconded), "absconding", np.where(~np.isnat(imprisoned), "imprisonment", ""))
    for v in ("imprisonment", "absconding"):
        rows = (ext == v) & (kind != NONE) & ~np.isnat(accepted_on)
        if rows.any():
            # AMMR: up to 3 years from when the responsible state was informed of the absconding -
            # approximated by the absconding date (not before acceptance); Dublin III: from acceptance.
            base = np.where(pact & (v == "absconding"), np.maximum(accepted_on, np.where(np.isnat(absconded), accepted_on, absconded)), accepted_on)
            transfer[rows] = _deadline(ctx, "transfer", base[rows], app_state[rows], regime[rows],
                                       np.full(rows.sum(), VARIANTS.index(v)), holidays_off[rows])  # fmt: skip
    floor_rows = pact & ~np.isnat(reappeared) & ~np.isnat(transfer)
    if floor_rows.any():  # AMMR Art 46(2), second subpara: at least 3 months after reappearing
        floor = _deadline(ctx, "transfer", reappeared[floor_rows], app_state[floor_rows], regime[floor_rows],
                          np.full(floor_rows.sum(), VARIANTS.index("reappearance_floor")), holidays_off[floor_rows])  # fmt: skip
        transfer[floor_rows] = np.maximum(transfer[floor_rows], floor)
    transfer[kind == NONE] = NAT

    feasible, reason = transfer_feasibility(pop, resp, ctx)
    feasible &= kind != NONE
    refused = pop["o_take_charge"] == TAKE_CHARGE_REPLIES.index("refused")
    # not feasible (or refused): responsibility passes to the transferring state when the limit expires
    shifts = (kind != NONE) & (~feasible | refused)
    final_state = np.where(shifts, app_state, responsible).astype(np.int16)
    final_criterion = np.where(shifts & ~refused, C.TRANSFER_TIME_LIMIT_EXPIRED, criterion).astype(np.int8)
    final_criterion = np.where(refused & (kind != NONE), C.FIRST_REGISTRATION, final_criterion).astype(np.int8)
    return {
        "request_kind": kind,
        "hit": hit,
        "request_deadline": request,
        "reply_deadline": np.where(reply_from_request_unknown, NAT, reply),
        "transfer_deadline": transfer,
        "transfer_extension": np.where(kind != NONE, ext, ""),
        "transfer_feasible": feasible,
        "transfer_blocked_reason": reason,
        "request_no_time_limit": no_limit,
        "examining_state": final_state,
        "examining_criterion": final_criterion,
        "responsibility_shifted": shifts,
    }


SINGLE_MEN, ALL_PROFILES, GREEK_STATUS = 1, 2, 3


def transfer_feasibility(pop: Population, resp: dict, ctx: Ctx) -> tuple[np.ndarray, np.ndarray]:
    """The Dutch table of destinations to which transfers are suspended (dated, by profile).
    Other transferring states: no table is shipped - transfers count as feasible."""
    n = pop.n
    feasible = np.ones(n, dtype=bool)
    reason = np.zeros(n, dtype=np.int8)
    nl = pop["app_state"] == country_index()["NL"]
    single_man = (
        (pop["a_sex"] == SEXES.index("male"))
        & ~resp["minor"]
        & (pop["a_vulnerable"] == 0)
        & ~np.any(np.stack([pop[f"fam{i}_accompanies"] for i in range(pop.slots("fam"))]), axis=0)
    )
    dest = resp["responsible"]
    for rows, table in by_date(ctx, "nl.dublin_transfers_suspended", pop["computed_on"]):
        rows = rows & nl
        if table is None or not rows.any():
            continue
        all_blocked = state_mask(table.get("all_profiles", []))[dest] & rows
        men_blocked = state_mask(table.get("single_men", []))[dest] & rows & single_man & ~all_blocked
        feasible[all_blocked | men_blocked] = False
        reason[all_blocked] = ALL_PROFILES
        reason[men_blocked] = SINGLE_MEN
    return feasible, reason


REASONS = {
    ALL_PROFILES: ("the Netherlands does not transfer to this Member State (reception and procedure below standard)",
                   "Nederland draagt niet over aan deze lidstaat (opvang en procedure onder de maat)"),
    SINGLE_MEN: ("the Netherlands does not transfer single men to this Member State",
                 "Nederland draagt geen alleenstaande mannen over aan deze lidstaat"),
}  # fmt: skip

__all__ = ["NONE", "TAKE_BACK", "TAKE_CHARGE", "dublin_procedure", "transfer_feasibility", "OUTCOME"]
