"""Take charge / take back, replies, transfer and its time limit (AMMR Arts 39-46; Dublin III Arts 21-29),
and the Dutch transfer-feasibility table.

Dates are the *latest* the law allows: the request is taken to go out on the last day
of its time limit, the reply to come (or silence to count as acceptance) on the last
day of the reply period, and the transfer time limit to run from then. A request sent
earlier moves every later date earlier; the route says so.
"""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.case import Applicant, Outcomes
from asylumengine.routes.columns import NAT, country_index, literal_values
from asylumengine.routes.criteria import CriterionCodes as C
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.common import Ctx, AMMR_FROM, add_period, in_codes, regime_period, state_mask
from asylumengine.routes.rules.time_limits import add_periods
from asylumengine.routes.rules.events import EXPIRED, IN_TIME, LATE, STAYS
from asylumengine.routes.rules.responsibility import DOCKIND, EVKIND, MOVKIND, OUTCOME, TAKE_BACK_OUTCOMES, ceased_slots

REQUESTS = ("none", "take_charge", "take_back")
NONE, TAKE_CHARGE, TAKE_BACK = (REQUESTS.index(k) for k in REQUESTS)
SEXES = literal_values(Applicant, "sex")
TAKE_CHARGE_REPLIES = literal_values(Outcomes, "take_charge_reply")
REFUSED = TAKE_CHARGE_REPLIES.index("refused")
UAM_NO_LIMIT = (C.UAM_FAMILY, C.UAM_RELATIVE, C.DEPENDENCY, C.FAMILY_BENEFICIARY, C.FAMILY_APPLICANT)
VARIANTS = ("standard", "after_hit", "detained", "imprisonment", "absconding", "reappearance_floor", "urgent", "detained_later")
ENTRY_KINDS = [MOVKIND.index("irregular_crossing"), MOVKIND.index("sar_disembarkation")]
VISA_KINDS = [DOCKIND.index(k) for k in ("long_stay_visa", "short_stay_visa", "airport_transit_visa")]
BLOCKED = ("", "single_men", "all_profiles", "greek_status")  # why a transfer is not carried out
SINGLE_MEN, ALL_PROFILES, GREEK_STATUS = (BLOCKED.index(k) for k in BLOCKED[1:])

REQUEST_PARAMS = tuple(f"responsibility.{r}_{k}" for r in ("ammr", "dublin3") for k in ("take_charge_request", "take_back_notification"))
REPLY_PARAMS = tuple(f"responsibility.{r}_{k}" for r in ("ammr", "dublin3") for k in ("take_charge_reply", "take_back_confirmation"))
TRANSFER_PARAMS = ("responsibility.ammr_transfer", "responsibility.dublin3_transfer")


def _deadline(ctx, name, starts, states, regime, variant, holidays_off) -> np.ndarray:
    """A limit from a regime's period parameter, per row's (regime, variant)."""
    return _limits(ctx, {0: name}, np.zeros(starts.shape, np.int8), starts, states, regime, variant, holidays_off)


def _limits(ctx, names: dict[int, str], kind, starts, states, regime, variant, holidays_off) -> np.ndarray:
    """Per row the period of parameter ``names[kind]`` for the row's (regime, variant); a kind without
    a name gets NaT. The periods read are those of the (kind, regime, variant) codes present."""
    group = (kind.astype(np.intp) * len(Regime) + regime) * len(VARIANTS) + variant
    periods = {}
    for code in np.flatnonzero(np.bincount(group.ravel())) if group.size else []:
        k, rest = divmod(int(code), len(Regime) * len(VARIANTS))
        reg, var = divmod(rest, len(VARIANTS))
        if k in names:
            periods[int(code)] = regime_period(ctx, names[k], VARIANTS[var], reg)
    return add_periods(starts, group, periods, states, regime, holidays_off)


@rule("AMMR Art 36(1)", "Another state is responsible: it takes charge, or takes back where it has the person's "
      "application (36(1)(b)); not when protection was granted elsewhere", engine="routes",
      also=("AMMR Art 36(1)(b)", "AMMR Art 41(1)", "Dublin III Art 18(1)"),
      reads=("responsible", "criterion", "app_state", "pri*_state", "pri*_outcome", "pri*_hit", "ceased_prior"),
      produces=("request_kind", "take_back_hit"), text="routes-texts#AMMR Art 36")  # fmt: skip
def request_kind(pop, v, ctx: Ctx):
    responsible = v["responsible"]
    needed = (responsible != pop["app_state"]) & (v["criterion"] != C.PROTECTION_ELSEWHERE)
    take_back, back_hit = np.zeros(pop.n, dtype=bool), np.zeros(pop.n, dtype=bool)
    for i, ceased in enumerate(ceased_slots(v, pop.slots("pri"))):
        # obligations ceased: the application is new (AMMR Art 37)
        there = (pop[f"pri{i}_state"] == responsible) & in_codes(pop[f"pri{i}_outcome"], TAKE_BACK_OUTCOMES) & ~ceased
        take_back |= needed & there
        back_hit |= there & pop[f"pri{i}_hit"]
    kind = np.where(needed, np.where(take_back, TAKE_BACK, TAKE_CHARGE), NONE).astype(np.int8)
    return {"request_kind": kind, "take_back_hit": back_hit}


@rule("AMMR Art 39(1)", "A Eurodac or VIS hit for the responsible state shortens the request limit (second subpara)",
      engine="routes", also=("Dublin III Art 21(1)", "Dublin III Art 23(2)"),
      reads=("request_kind", "take_back_hit", "responsible", "mov*_country", "mov*_eurodac", "mov*_kind", "doc*_kind", "doc*_state",
             "doc*_behalf", "dub_hit"), produces=("hit",), text="routes-texts#AMMR Art 39")  # fmt: skip
def eurodac_hit(pop, v, ctx: Ctx):
    responsible = v["responsible"]
    charge_hit = np.zeros(pop.n, dtype=bool)
    for i in range(pop.slots("mov")):
        charge_hit |= (pop[f"mov{i}_country"] == responsible) & pop[f"mov{i}_eurodac"] & in_codes(pop[f"mov{i}_kind"], ENTRY_KINDS)
    for i in range(pop.slots("doc")):
        issued = (pop[f"doc{i}_state"] == responsible) | (pop[f"doc{i}_behalf"] == responsible)
        charge_hit |= in_codes(pop[f"doc{i}_kind"], VISA_KINDS) & issued
    found = np.where(v["request_kind"] == TAKE_BACK, v["take_back_hit"], charge_hit)
    stated = pop["dub_hit"]  # the request as made: based on a hit (1) or not (2); 0 = not stated
    return {"hit": np.where(stated == 0, found, stated == 1)}


@rule("AMMR Art 39(1)", "Unaccompanied minor on a family criterion: a take charge request without time limit "
      "(fourth subpara)", engine="routes", regime="pact", valid_from=AMMR_FROM, reads=("regime", "uam", "request_kind", "criterion"),
      produces=("request_no_time_limit",), text="routes-texts#AMMR Art 39")  # fmt: skip
def uam_request_without_limit(pop, v, ctx: Ctx):
    pact = v["regime"] == Regime.PACT
    return {"request_no_time_limit": pact & v["uam"] & (v["request_kind"] == TAKE_CHARGE) & in_codes(v["criterion"], UAM_NO_LIMIT)}


def _variant(pop, v, detained: bool = True) -> np.ndarray:
    held = v["detained"] if detained else np.zeros(pop.n, dtype=bool)
    return np.where(held, VARIANTS.index("detained"), np.where(v["hit"], VARIANTS.index("after_hit"), 0)).astype(np.int8)


def _request_limits(ctx, pop, v, start, variant, rows_of=None) -> np.ndarray:
    """The request limit per kind (take charge / take back notification), from ``start`` with ``variant``."""
    names = {TAKE_CHARGE: "take_charge_request", TAKE_BACK: "take_back_notification"}
    if rows_of is None:
        return _limits(ctx, names, v["request_kind"], start, pop["app_state"], v["regime"], variant, pop["holidays"] == 1)
    rows, limit = np.flatnonzero(rows_of), np.full(pop.n, NAT)  # a few rows: computed on them only
    limit[rows] = _limits(ctx, names, v["request_kind"][rows], start[rows], pop["app_state"][rows], v["regime"][rows], variant[rows],
                          pop["holidays"][rows] == 1)  # fmt: skip
    return limit


@rule("AMMR Art 39(1)", "Take charge request within 2 months of registration (1 month after a hit); take back "
      "notification within 2 weeks (Art 41(1)); detained: Art 45(1), one week from a detention after registration; "
      "Dublin III from lodging (Art 21(1), 23(2), 28(3))",
      engine="routes", also=("AMMR Art 41(1)", "AMMR Art 45(1)", "Dublin III Art 21(1)", "Dublin III Art 23(2)", "Dublin III Art 28(3)"),
      reads=("regime", "request_kind", "hit", "detained", "detained_later", "detained_on", "app_registered", "app_lodged", "app_state",
             "holidays", "request_no_time_limit", "dub_hit_on"),
      params=REQUEST_PARAMS, produces=("request_limit", "request_deadline", "request_limit_ordinary"),
      text="routes-texts#AMMR Art 39")  # fmt: skip
def request_time_limit(pop, v, ctx: Ctx):
    regime, kind = v["regime"], v["request_kind"]
    lodged_or_registered = np.where(np.isnat(pop["app_lodged"]), pop["app_registered"], pop["app_lodged"])
    start = np.where(regime == Regime.PACT, pop["app_registered"], lodged_or_registered)
    # the hit-based limit runs from receiving the hit, where its date is given (AMMR 39(1) 2nd subpara, 41(1)); detained,
    # from the registration here (45(1): from the hit only where no new application was registered - not a route case)
    from_hit = v["hit"] & ~np.isnat(pop["dub_hit_on"]) & ~v["detained"]
    ordinary_start = np.where(from_hit, pop["dub_hit_on"], start)
    later = v["detained_later"]  # AMMR 45(1), second subpara: one week from the day placed in detention
    limit = _request_limits(ctx, pop, v, np.where(later, v["detained_on"], ordinary_start),
                            np.where(later, VARIANTS.index("detained_later"), _variant(pop, v)).astype(np.int8))
    # without detention: what Art 39 and 41 give (they continue to apply when a detention limit is missed, Art 45(4))
    ordinary = limit.copy()
    if v["detained"].any():
        ordinary = np.where(v["detained"], _request_limits(ctx, pop, v, ordinary_start, _variant(pop, v, False), v["detained"]), limit)
    limit = np.where(later, np.minimum(limit, ordinary), limit)
    capped = (regime == Regime.DUBLIN_III) & from_hit & (kind == TAKE_CHARGE)
    if capped.any():  # Dublin III take charge: never past 3 months from lodging (CJEU C-670/16 Mengesteab)
        cap = _request_limits(ctx, pop, v, start, np.zeros(pop.n, np.int8), capped)
        limit = np.where(capped, np.minimum(limit, cap), limit)
        ordinary = np.where(capped, limit, ordinary)
    no_limit = v["request_no_time_limit"]
    return {"request_limit": limit, "request_deadline": np.where(no_limit, NAT, limit),
            "request_limit_ordinary": np.where(no_limit, NAT, ordinary)}


@rule("AMMR Art 40(1)", "Reply to a take charge request within 1 month (2 weeks after a hit); silence is acceptance (40(2)); "
      "take back: confirmation within 2 weeks (41(3)-(4)); detained: Art 45(2)", engine="routes",
      also=("AMMR Art 40(2)", "AMMR Art 40(7)", "AMMR Art 39(2)", "AMMR Art 40(8)", "AMMR Art 41(3)", "AMMR Art 41(4)", "AMMR Art 45(2)",
            "Dublin III Art 22(1)",
            "Dublin III Art 22(7)", "Dublin III Art 25(1)", "Dublin III Art 25(2)"),
      reads=("regime", "request_kind", "hit", "detained", "request_limit", "responsible", "holidays", "request_no_time_limit",
             "dub_received", "dub_sent", "dub_urgent"),
      params=REPLY_PARAMS, produces=("reply_limit", "reply_deadline"), text="routes-texts#AMMR Art 40")  # fmt: skip
def reply_time_limit(pop, v, ctx: Ctx):
    regime, kind = v["regime"], v["request_kind"]
    # from receipt of the request (Art 40(1), 41(3)); given only the sending date, from that; else the latest day to send
    received = np.where(np.isnat(pop["dub_received"]), np.where(np.isnat(pop["dub_sent"]), v["request_limit"], pop["dub_sent"]),
                        pop["dub_received"])  # fmt: skip
    # an urgent reply asked (Art 39(2)): silence counts after two weeks (Art 40(7)-(8)); detained: Art 45(2) still applies
    urgent = (regime == Regime.PACT) & (kind == TAKE_CHARGE) & pop["dub_urgent"] & ~v["detained"]
    variant = np.where(urgent, VARIANTS.index("urgent"), _variant(pop, v)).astype(np.int8)
    names = {TAKE_CHARGE: "take_charge_reply", TAKE_BACK: "take_back_confirmation"}
    limit = _limits(ctx, names, kind, received, v["responsible"], regime, variant, pop["holidays"] == 1)
    return {"reply_limit": limit, "reply_deadline": np.where(v["request_no_time_limit"], NAT, limit)}


def _first_event(pop, name: str) -> np.ndarray:
    out = np.full(pop.n, NAT)
    for i in range(pop.slots("ev")):
        first = (pop[f"ev{i}_kind"] == EVKIND.index(name)) & np.isnat(out)
        out[first] = pop[f"ev{i}_start"][first]
    return out


@rule("AMMR Art 46(1)", "Transfer within 6 months of (implicit) acceptance; detained: 5 weeks (Art 45(3)); "
      "Dublin III 29(1): 6 months, detained 6 weeks (28(3))", engine="routes",
      also=("AMMR Art 45(3)", "Dublin III Art 29(1)", "Dublin III Art 28(3)"),
      reads=("regime", "request_kind", "transfer_start", "detained", "app_state", "holidays"), params=TRANSFER_PARAMS,
      produces=("transfer_limit", "transfer_limit_ordinary"), text="routes-texts#AMMR Art 46")  # fmt: skip
def transfer_time_limit(pop, v, ctx: Ctx):
    detained, off = v["detained"], pop["holidays"] == 1
    variant = np.where(detained, VARIANTS.index("detained"), 0).astype(np.int8)
    limit = _deadline(ctx, "transfer", v["transfer_start"], pop["app_state"], v["regime"], variant, off)
    ordinary = limit.copy()  # the six months of Art 46(1) still apply after a missed detention limit (Art 45(4))
    if detained.any():
        ordinary[detained] = _deadline(ctx, "transfer", v["transfer_start"][detained], pop["app_state"][detained], v["regime"][detained],
                                       np.zeros(detained.sum(), np.int8), off[detained])  # fmt: skip
    none = v["request_kind"] == NONE
    return {"transfer_limit": np.where(none, NAT, limit), "transfer_limit_ordinary": np.where(none, NAT, ordinary)}


@rule("AMMR Art 46(2)", "The transfer limit extended: up to 1 year in prison, up to 3 years after absconding (Dublin III "
      "29(2): 18 months); at least 3 months after reappearing (AMMR 46(2), second subpara)", engine="routes",
      also=("Dublin III Art 29(2)",), reads=("regime", "request_kind", "transfer_start", "transfer_limit", "ev*_kind", "ev*_start",
                                               "app_state", "holidays", "dub_absconding_informed_on"),
      params=TRANSFER_PARAMS, produces=("transfer_deadline", "transfer_extension"), text="routes-texts#AMMR Art 46")  # fmt: skip
def transfer_extension(pop, v, ctx: Ctx):
    regime, kind, accepted = v["regime"], v["request_kind"], v["transfer_start"]
    pact, holidays_off = regime == Regime.PACT, pop["holidays"] == 1
    imprisoned, absconded, reappeared = (_first_event(pop, k) for k in ("imprisonment", "absconding", "reappearance"))
    transfer = v["transfer_limit"].copy()
    ext = np.where(~np.isnat(absconded), "absconding", np.where(~np.isnat(imprisoned), "imprisonment", ""))
    for name in ("imprisonment", "absconding"):
        rows = (ext == name) & (kind != NONE) & ~np.isnat(accepted)
        if rows.any():
            # AMMR: 3 years from when the requesting state informed the responsible state of the absconding; not
            # given, approximated by the absconding date (not before acceptance); Dublin III: from acceptance.
            informed = pop["dub_absconding_informed_on"]
            later = np.where(np.isnat(informed), np.maximum(accepted, np.where(np.isnat(absconded), accepted, absconded)), informed)
            base = np.where(pact & (name == "absconding"), later, accepted)
            transfer[rows] = _deadline(ctx, "transfer", base[rows], pop["app_state"][rows], regime[rows],
                                       np.full(rows.sum(), VARIANTS.index(name)), holidays_off[rows])  # fmt: skip
    floor_rows = pact & ~np.isnat(reappeared) & ~np.isnat(transfer)
    if floor_rows.any():
        floor = _deadline(ctx, "transfer", reappeared[floor_rows], pop["app_state"][floor_rows], regime[floor_rows],
                          np.full(floor_rows.sum(), VARIANTS.index("reappearance_floor")), holidays_off[floor_rows])  # fmt: skip
        transfer[floor_rows] = np.maximum(transfer[floor_rows], floor)
    transfer[kind == NONE] = NAT
    return {"transfer_deadline": transfer, "transfer_extension": np.where(kind != NONE, ext, "")}


@rule("AMMR Art 42(1)", "Transfer decision notified within 2 weeks of acceptance or confirmation", engine="routes",
      regime="pact", valid_from=AMMR_FROM, reads=("regime", "request_kind", "accepted_on", "app_state", "holidays"),
      params=("responsibility.ammr_transfer_decision",), produces=("transfer_decision_deadline",),
      text="routes-texts#AMMR Art 42")  # fmt: skip
def transfer_decision(pop, v, ctx: Ctx):
    rows = (v["regime"] == Regime.PACT) & (v["request_kind"] != NONE)
    out = np.full(pop.n, NAT)
    if rows.any():
        amount, unit = ctx.value("responsibility.ammr_transfer_decision")
        out[rows] = add_period(v["accepted_on"][rows], amount, unit, pop["app_state"][rows], v["regime"][rows], pop["holidays"][rows] == 1)
    return {"transfer_decision_deadline": out}


@rule("AMMR Art 43(2)", "Remedy against the transfer decision: within 1 to 3 weeks of its notification (national law picks)",
      engine="routes", regime="pact", valid_from=AMMR_FROM, reads=("regime", "transfer_decision_deadline", "app_state", "holidays",
                                                                     "dub_decision_on"),
      params=("responsibility.ammr_transfer_remedy",), produces=("transfer_remedy_deadline", "transfer_remedy_deadline_latest"),
      text="routes-texts#AMMR Art 43")  # fmt: skip
def transfer_remedy(pop, v, ctx: Ctx):
    # from the notification (Art 43(2)); not given, the last day the decision may be taken (Art 42(1))
    notified = np.where(np.isnat(pop["dub_decision_on"]), v["transfer_decision_deadline"], pop["dub_decision_on"])
    rows = ~np.isnat(notified)
    out = {k: np.full(pop.n, NAT) for k in ("transfer_remedy_deadline", "transfer_remedy_deadline_latest")}
    if rows.any():
        ranges = ctx.value("responsibility.ammr_transfer_remedy")
        for key, bound in (("transfer_remedy_deadline", "min"), ("transfer_remedy_deadline_latest", "max")):
            amount, unit = ranges[bound]
            out[key][rows] = add_period(notified[rows], amount, unit, pop["app_state"][rows], v["regime"][rows], pop["holidays"][rows] == 1)
    return out


@rule("NL transfer suspensions", "The Dutch table of destinations to which transfers are suspended (dated, by profile); "
      "other transferring states: no table shipped, transfers count as feasible", engine="routes",
      also=("ECtHR M.S.S. v Belgium and Greece", "ECLI:NL:RVS:2023:1654", "ECLI:NL:RVS:2025:3305"),
      reads=("app_state", "responsible", "request_kind", "a_sex", "minor", "a_vulnerable", "fam*_accompanies", "computed_on"),
      params=("nl.dublin_transfers_suspended",), produces=("transfer_feasible", "transfer_blocked_reason"))  # fmt: skip
def transfer_feasibility(pop, v, ctx: Ctx):
    feasible, reason = np.ones(pop.n, dtype=bool), np.zeros(pop.n, dtype=np.int8)
    nl = pop["app_state"] == country_index()["NL"]
    accompanied = np.zeros(pop.n, dtype=bool)
    for i in range(pop.slots("fam")):
        accompanied |= pop[f"fam{i}_accompanies"]
    single_man = (pop["a_sex"] == SEXES.index("male")) & ~v["minor"] & (pop["a_vulnerable"] == 0) & ~accompanied
    dest = v["responsible"]
    for rows, table in ctx.dated("nl.dublin_transfers_suspended", pop["computed_on"]):
        rows = rows & nl
        if table is None or not rows.any():
            continue
        all_blocked = state_mask(table.get("all_profiles", []))[dest] & rows
        men_blocked = state_mask(table.get("single_men", []))[dest] & rows & single_man & ~all_blocked
        feasible[all_blocked | men_blocked] = False
        reason[all_blocked], reason[men_blocked] = ALL_PROFILES, SINGLE_MEN
    return {"transfer_feasible": feasible & (v["request_kind"] != NONE), "transfer_blocked_reason": reason}


@rule("AMMR Art 46(2)", "No transfer (not feasible, refused, or not carried out by the limit): the transferring state becomes "
      "responsible (Art 37(1)); a refusal leaves the state of first registration; a take charge request sent late leaves "
      "the requesting state (Art 39(1), third subpara); a transfer carried out in time settles it", engine="routes",
      also=("AMMR Art 37(1)", "AMMR Art 39(1)", "Dublin III Art 29(2)", "Dublin III Art 21(1)", "Dublin III Art 23(3)"),
      reads=("request_kind", "transfer_feasible", "o_take_charge", "app_state", "responsible", "criterion", "request_refused",
             "late_request", "transfer_status"),
      produces=("examining_state", "examining_criterion", "responsibility_shifted"), text="routes-texts#AMMR Art 46")  # fmt: skip
def responsibility_shift(pop, v, ctx: Ctx):
    kind, status = v["request_kind"], v["transfer_status"]
    refused = (pop["o_take_charge"] == REFUSED) | v["request_refused"]
    late_request = v["late_request"] == STAYS
    not_transferred = (~v["transfer_feasible"] & (status != IN_TIME)) | (status == LATE) | (status == EXPIRED)
    shifts = (kind != NONE) & (not_transferred | refused | late_request)
    criterion = np.where(shifts, C.TRANSFER_TIME_LIMIT_EXPIRED, v["criterion"])
    criterion = np.where(refused & (kind != NONE), C.FIRST_REGISTRATION, criterion)
    criterion = np.where(late_request & (kind != NONE), C.REQUEST_TIME_LIMIT_EXPIRED, criterion).astype(np.int8)
    return {"examining_state": np.where(shifts, pop["app_state"], v["responsible"]).astype(np.int16),
            "examining_criterion": criterion, "responsibility_shifted": shifts}  # fmt: skip


REASONS = {
    ALL_PROFILES: ("the Netherlands does not transfer to this Member State (reception and procedure below standard)",
                   "Nederland draagt niet over aan deze lidstaat (opvang en procedure onder de maat)"),
    SINGLE_MEN: ("the Netherlands does not transfer single men to this Member State",
                 "Nederland draagt geen alleenstaande mannen over aan deze lidstaat"),
}  # fmt: skip

__all__ = ["NONE", "REASONS", "TAKE_BACK", "TAKE_CHARGE", "transfer_feasibility", "OUTCOME"]
