"""Screening, registration, lodging, border / accelerated / regular procedure, admissibility,
examination time limits and appeals (Screening Regulation; APR 2024/1348 as amended by
2026/463 and 2026/464; before 12 June 2026 Directive 2013/32/EU and the Dutch Vw 2000).

Grounds are stored as bit masks so a million cases stay a few integer columns; the
route turns them back into named grounds with their articles.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from asylumengine.data.recognition import union_rates
from asylumengine.routes.case import ThirdCountryLink
from asylumengine.routes.columns import NAT, PLACES, Population, country_index, countries, literal_values
from asylumengine.routes.criteria import Criterion as C
from asylumengine.routes.criteria import Regime
from asylumengine.routes.rules.common import in_codes, Ctx, add_period, by_date, state_mask
from asylumengine.routes.rules.responsibility import MOVKIND, OUTCOME

APR_START = dt.date(2026, 6, 12)  # also a parameter (procedure.apr_applies_to_applications_lodged_from); checked in tests
TCKIND = ("",) + literal_values(ThirdCountryLink, "kind")

# APR Art 42(1)(a)-(j): bit i = ground letter i
ACCEL = "abcdefghij"
ACCEL_UAM_ALLOWED = sum(1 << ACCEL.index(g) for g in "cefgj")  # APR Art 42(3)(a)-(e)
ACCEL_BORDER_GROUNDS = sum(1 << ACCEL.index(g) for g in "abcdefgj")  # APR Art 44(1)(b): not (h), (i)
BORDER_MANDATORY = sum(1 << ACCEL.index(g) for g in "cfj")  # APR Art 45(1)

# Admissibility: bits for APR Art 38(1)(a) first country of asylum, (b) safe third country,
# (c) protection in another Member State, (e) late application after a return decision; 38(2) subsequent.
ADM_FIRST_COUNTRY, ADM_SAFE_THIRD, ADM_PROTECTION_MS, ADM_RETURN_DECISION, ADM_SUBSEQUENT = 1, 2, 4, 8, 16

BORDER_SITUATIONS = [PLACES.index(p) for p in ("border_crossing_point", "transit_zone", "after_apprehension_at_border", "after_sar")]

# procedure kinds
PROC_BORDER, PROC_ACCELERATED, PROC_REGULAR = 1, 2, 3
# screening kinds
SCREEN_NONE, SCREEN_BORDER, SCREEN_TERRITORY = 0, 1, 2
# border procedure exemption reasons
EX_NONE, EX_UAM, EX_NEEDS, EX_CAPACITY, EX_NOT_BORDER_SITUATION, EX_TRANSFERRED = 0, 1, 2, 3, 4, 5


def _rate_table() -> tuple[np.ndarray, np.ndarray]:
    rates = np.full(len(countries()), np.nan)
    years = np.zeros(len(countries()), dtype=np.int16)
    for iso, r in union_rates().items():
        idx = country_index().get(iso)
        if idx is not None:
            rates[idx], years[idx] = r.percent, r.year
    return rates, years


def procedure_regime(pop: Population, ctx: Ctx) -> np.ndarray:
    """APR for applications lodged from 12 June 2026 (APR Art 79); lodging taken as the registration
    date when not given."""
    if ctx.forced_regime is not None:
        return np.full(pop.n, ctx.forced_regime, dtype=np.int8)
    switch = np.datetime64(ctx.value("procedure.apr_applies_to_applications_lodged_from"), "D")
    lodged = np.where(np.isnat(pop["app_lodged"]), pop["app_registered"], pop["app_lodged"])
    return np.where(lodged >= switch, Regime.PACT, Regime.DUBLIN_III).astype(np.int8)


def determine_procedure(pop: Population, resp: dict, dub: dict, ctx: Ctx) -> dict[str, np.ndarray]:
    n = pop.n
    preg = procedure_regime(pop, ctx)
    apr = preg == Regime.PACT
    app_state = pop["app_state"]
    examining = dub["examining_state"]
    holidays_off = pop["holidays"] == 1
    uam = resp["uam"]
    reg = pop["app_registered"]

    # --- screening (Screening Regulation Art 5, 7, 8) ---------------------------------
    border_situation = in_codes(pop["app_place"], BORDER_SITUATIONS) & ~pop["app_entry_ok"]
    entry_here = np.full(n, NAT)
    irregular_anywhere = np.zeros(n, dtype=bool)
    for i in range(pop.slots("mov")):
        k, c, d = pop[f"mov{i}_kind"], pop[f"mov{i}_country"], pop[f"mov{i}_date"]
        is_entry = in_codes(k, [MOVKIND.index("irregular_crossing"), MOVKIND.index("sar_disembarkation")])
        irregular_anywhere |= is_entry
        hit = is_entry & (c == app_state) & np.isnat(entry_here)
        entry_here[hit] = d[hit]
    never_applied = np.all(np.stack([pop[f"pri{i}_state"] == 0 for i in range(pop.slots("pri"))]), axis=0)
    screen_start = np.where(border_situation, np.where(np.isnat(entry_here), pop["app_made"], entry_here), pop["app_made"])
    sr_applies = screen_start >= np.datetime64("2026-06-12")  # Screening Regulation applies from 12 June 2026 (Art 25)
    screening = np.where(
        sr_applies & border_situation, SCREEN_BORDER,
        np.where(sr_applies & (pop["app_place"] == PLACES.index("territory")) & irregular_anywhere & never_applied, SCREEN_TERRITORY, SCREEN_NONE),
    ).astype(np.int8)  # fmt: skip
    screen_deadline = np.full(n, NAT)
    for rows, days in by_date(ctx, "procedure.screening_days", np.where(screening > 0, screen_start, NAT)):
        if days is None:
            continue
        border_rows, territory_rows = rows & (screening == SCREEN_BORDER), rows & (screening == SCREEN_TERRITORY)
        held = border_rows & pop["app_held_72h"]  # Art 8(3), second sentence: 4 days, after the 72 hours
        screen_deadline[border_rows] = screen_start[border_rows] + days["external_border"]
        screen_deadline[held] = screen_start[held] + 3 + days["held_at_border_over_72h"]
        screen_deadline[territory_rows] = screen_start[territory_rows] + days["territory"]

    # --- registration and lodging (APR Art 27-28; APD Art 6) ----------------------------
    registration_deadline = np.full(n, NAT)
    apr_rows = apr
    if apr_rows.any():
        d = _param(ctx, "procedure.apr_registration_days")["standard"]
        # APR Art 27(1), (7): registration counts from the day the application is made, and after
        # external-border screening not before screening ends - the later of the two.
        base = np.where(screening == SCREEN_BORDER, np.maximum(screen_deadline, pop["app_made"]), pop["app_made"])
        registration_deadline[apr_rows] = add_period(base[apr_rows], d, "days", app_state[apr_rows], preg[apr_rows], holidays_off[apr_rows])
    apd_rows = ~apr
    if apd_rows.any():
        wd = _param(ctx, "procedure.apd_registration_working_days")
        registration_deadline[apd_rows] = add_period(pop["app_made"][apd_rows], wd, "working_days", app_state[apd_rows], preg[apd_rows], holidays_off[apd_rows])

    # --- accelerated grounds (APR Art 42(1), (3)) ---------------------------------------
    rates, rate_years = _rate_table()
    nat = pop["a_nationality"]
    rate = rates[nat]
    threshold = _param(ctx, "procedure.apr_recognition_rate_threshold")
    rate_known = ~np.isnan(rate)
    low_rate = rate_known & (rate <= threshold)
    sco = np.zeros(n, dtype=bool)
    for rows, listed in by_date(ctx, "procedure.eu_safe_countries_of_origin", pop["computed_on"]):
        if listed:
            sco[rows] = state_mask(listed)[nat[rows]]
    nl_list_suspended = np.zeros(n, dtype=bool)
    for rows, value in by_date(ctx, "procedure.nl_safe_countries_of_origin_suspended", pop["computed_on"]):
        nl_list_suspended[rows] = bool(value)
    nl_list_suspended &= examining == country_index()["NL"]
    subsequent, subsequent_new = _subsequent(pop, examining)
    grounds = (
        pop["f_irrelevant"] * (1 << 0)
        | pop["f_inconsistent"] * (1 << 1)
        | pop["f_misled"] * (1 << 2)
        | pop["f_delay"] * (1 << 3)
        | sco * (1 << 4)
        | pop["f_security"] * (1 << 5)
        | (subsequent & subsequent_new) * (1 << 6)
        | pop["f_late"] * (1 << 7)
        | low_rate * (1 << 9)
    ).astype(np.int32)
    grounds = np.where(uam, grounds & ACCEL_UAM_ALLOWED, grounds).astype(np.int32)
    accelerated = grounds != 0  # APR: "shall" accelerate; APD Art 31(8): "may"

    # --- admissibility (APR Art 38; APD Art 33) -----------------------------------------
    adm = np.zeros(n, dtype=np.int32)
    for i in range(pop.slots("tc")):
        kind = pop[f"tc{i}_kind"]
        fca = (kind == TCKIND.index("first_country_of_asylum")) & pop[f"tc{i}_protection"]
        link_pact = in_codes(kind, [TCKIND.index("connection"), TCKIND.index("transit")]) | (pop[f"tc{i}_agreement"] & ~uam)
        link_apd = kind == TCKIND.index("connection")
        stc = pop[f"tc{i}_safe"] & np.where(apr, link_pact, link_apd)
        adm |= np.where(fca, ADM_FIRST_COUNTRY, 0) | np.where(stc, ADM_SAFE_THIRD, 0)
    adm |= np.where(resp["protected_in"] != 0, ADM_PROTECTION_MS, 0)
    rd = pop["app_return_decision"]
    late_after_return = apr & ~np.isnat(rd) & (
        add_period(np.where(np.isnat(rd), reg, rd), 7, "working_days", app_state, preg, holidays_off) < pop["app_made"]
    )
    adm |= np.where(late_after_return, ADM_RETURN_DECISION, 0)
    adm |= np.where(subsequent & ~subsequent_new, ADM_SUBSEQUENT, 0)
    adm_mandatory = adm & ADM_SUBSEQUENT  # APR Art 38(2): "shall"

    # --- border procedure (APR Art 43-45, 47, 51, 53) ----------------------------------
    relocated = (pop["app_relocated_to"] != 0) & (pop["app_relocated_to"] == app_state)
    situation = apr & (border_situation | relocated)
    possible = situation & ((adm != 0) | ((grounds & ACCEL_BORDER_GROUNDS) != 0))
    mandatory_grounds = grounds & BORDER_MANDATORY
    mandatory_grounds = np.where(pop["f_capacity"], mandatory_grounds & ~(1 << 9), mandatory_grounds)
    vulnerable_unmet = pop["f_needs_unmet"]
    exemption = np.where(
        ~situation, EX_NOT_BORDER_SITUATION,
        np.where(uam & ~pop["f_security"], EX_UAM,
                 np.where(vulnerable_unmet, EX_NEEDS,
                          np.where(pop["f_capacity"] & ((grounds & BORDER_MANDATORY) == (1 << 9)), EX_CAPACITY, EX_NONE))),
    ).astype(np.int8)  # fmt: skip
    # after a transfer the case is examined in the responsible state, not at this border (APR Art 52(1))
    transferred = (dub["request_kind"] != 0) & dub["transfer_feasible"] & (pop["o_take_charge"] != 2)
    exemption = np.where(transferred & situation, EX_TRANSFERRED, exemption).astype(np.int8)
    border_mandatory = situation & (mandatory_grounds != 0) & (exemption == EX_NONE)
    border_possible = possible & in_codes(exemption, [EX_NONE, EX_CAPACITY])
    in_border = border_mandatory  # optional use is a national choice: the route shows it as a branch
    border_weeks = np.where(relocated, 16, 12)  # APR Art 51(2)
    border_end = np.where(in_border, add_period(reg, border_weeks, "weeks", app_state, preg, holidays_off), NAT).astype("datetime64[D]")

    # --- lodging and examination clock ---------------------------------------------------
    lodging_days = np.where(in_border, 5, 21)
    lodging_from = np.where(transferred, dub["transfer_deadline"], reg)  # APR 28(2): after a transfer, from presenting there (latest)
    lodging_deadline = add_period(lodging_from, lodging_days, "days", np.where(transferred, examining, app_state), preg, holidays_off)
    lodging_deadline = np.where(apr, lodging_deadline, NAT).astype("datetime64[D]")
    lodged = np.where(~np.isnat(pop["app_lodged"]) & ~transferred, pop["app_lodged"], lodging_deadline)
    lodged = np.where(np.isnat(lodged), reg, lodged).astype("datetime64[D]")
    procedure = np.where(in_border, PROC_BORDER, np.where(accelerated & apr, PROC_ACCELERATED, PROC_REGULAR)).astype(np.int8)
    exam = _examination_deadlines(ctx, lodged, procedure, adm, preg, examining, holidays_off, border_end)

    # --- appeal (APR Art 67(7), 68; Vw 2000 Art 69) -----------------------------------------
    short_track = (procedure != PROC_REGULAR) | (adm != 0)
    suspensive = ~(apr & short_track) | (uam & (procedure != PROC_BORDER))  # APR 68(3): UAM exceptions
    suspensive = np.where(apr & (adm != 0) & uam & (procedure == PROC_BORDER), False, suspensive)
    appeal_min, appeal_max = _appeal_deadlines(ctx, exam["decision_deadline"], short_track, procedure, preg, examining, holidays_off)
    return {
        "appeal_deadline": appeal_min,
        "appeal_deadline_latest": appeal_max,
        "procedure_regime": preg,
        "nl_sco_list_suspended": nl_list_suspended,
        "screening": screening,
        "screening_start": np.where(screening > 0, screen_start, NAT).astype("datetime64[D]"),
        "screening_deadline": screen_deadline,
        "registration_deadline": registration_deadline,
        "lodging_deadline": lodging_deadline,
        "lodged_on": lodged,
        "accelerated_grounds": grounds,
        "accelerated": accelerated,
        "recognition_rate": rate,
        "recognition_rate_year": rate_years[nat],
        "admissibility_grounds": adm,
        "admissibility_mandatory": adm_mandatory,
        "border_situation": situation,
        "border_possible": border_possible,
        "border_mandatory": border_mandatory,
        "border_exemption": exemption,
        "border_end": border_end,
        "procedure": procedure,
        "transferred": transferred,
        "appeal_short_track": short_track,
        "appeal_suspensive": suspensive,
        **exam,
    }


def _param(ctx: Ctx, name: str):
    """APR parameters exist from the day the APR applies; a case under the APR reads them even when
    the population is evaluated on an earlier date."""
    if name.startswith("procedure.apr"):
        return ctx.params.value(name, max(ctx.on, APR_START))
    return ctx.params.value(name, ctx.on)


def _appeal_deadlines(ctx, decided, short_track, procedure, preg, states, holidays_off):
    """Appeal time limits counted from notification of the decision - taken as the last day the
    decision may be taken. APR Art 67(7) gives ranges (national law picks); before the APR the
    Dutch Vw 2000 Art 69 periods are used for the Netherlands, other states are not shipped."""
    n = decided.shape[0]
    lo, hi = np.full(n, NAT), np.full(n, NAT)
    apr = (preg == Regime.PACT) & (procedure != PROC_BORDER)  # border cases: everything inside the 12 weeks
    ranges = _param(ctx, "procedure.apr_appeal_days")
    for track, rows in (("short", apr & short_track), ("standard", apr & ~short_track)):
        if rows.any():
            for arr, bound in ((lo, "min"), (hi, "max")):
                amount, unit = ranges[track][bound]
                arr[rows] = add_period(decided[rows], amount, unit, states[rows], preg[rows], holidays_off[rows])
    nl_apd = (preg == Regime.DUBLIN_III) & (states == country_index()["NL"])
    if nl_apd.any():
        periods = ctx.params.value("procedure.nl_appeal_period", min(ctx.on, APR_START - dt.timedelta(days=1)))
        for track, rows in (("short", nl_apd & short_track), ("standard", nl_apd & ~short_track)):
            if rows.any():
                amount, unit = periods[track]
                lo[rows] = add_period(decided[rows], amount, unit, states[rows], preg[rows], holidays_off[rows])
                hi[rows] = lo[rows]
    return lo, hi


def _subsequent(pop: Population, examining: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An application after a final decision in the examining state (APR Art 55; 3(19))."""
    subsequent = np.zeros(pop.n, dtype=bool)
    new = np.zeros(pop.n, dtype=bool)
    finals = [OUTCOME.index(o) for o in ("withdrawn", "implicitly_withdrawn", "rejected", "inadmissible")]
    for i in range(pop.slots("pri")):
        hit = (pop[f"pri{i}_state"] == examining) & pop[f"pri{i}_final"] & in_codes(pop[f"pri{i}_outcome"], finals)
        subsequent |= hit
        new |= hit & pop[f"pri{i}_new"]
    return subsequent, new


def _examination_deadlines(ctx, lodged, procedure, adm, preg, states, holidays_off, border_end) -> dict[str, np.ndarray]:
    """First-instance time limits from lodging (APR Art 35; APD Art 31(3)-(5)), computed in as few
    passes as possible: one per unit, with the amount per row."""
    apr = preg == Regime.PACT
    apr_p = _param(ctx, "procedure.apr_examination")
    apd_p = ctx.params.value("procedure.apd_examination", min(ctx.on, APR_START - dt.timedelta(days=1)))
    for spec in (*apr_p.values(), *apd_p.values()):
        assert spec[1] in ("months", "weeks", "working_days"), spec  # the passes below are by unit

    def months(spec) -> int:
        assert spec[1] == "months", spec
        return spec[0]

    adm_return = apr & ((adm & ADM_RETURN_DECISION) != 0)
    adm_other = apr & (adm != 0) & ~adm_return
    accelerated = apr & (adm == 0) & (procedure == PROC_ACCELERATED)
    regular = apr & (adm == 0) & (procedure == PROC_REGULAR)
    border = apr & (procedure == PROC_BORDER)
    apd = ~apr
    m_first = np.select([adm_other, accelerated, regular, apd],
                        [months(apr_p["admissibility"]), months(apr_p["accelerated"]), months(apr_p["regular"]), months(apd_p["regular"])], 0)
    m_ext = np.select([adm_other, regular, apd],
                      [months(apr_p["admissibility_extended"]), months(apr_p["regular_extended"]), months(apd_p["regular_exceptional"])], 0)
    m_max = np.select([apr & ~border, apd], [months(apr_p["absolute_max"]), months(apd_p["absolute_max"])], 0)  # fmt: skip
    out = {}
    for key, amount in (("decision_deadline", m_first), ("decision_deadline_extended", m_ext), ("decision_deadline_max", m_max)):
        start = np.where(amount > 0, lodged, NAT).astype("datetime64[D]")
        out[key] = add_period(start, amount, "months", states, preg, holidays_off)
    if adm_return.any():
        amount, unit = apr_p["admissibility_return_decision"]
        out["decision_deadline"][adm_return] = add_period(lodged[adm_return], amount, unit, states[adm_return],
                                                          preg[adm_return], holidays_off[adm_return])  # fmt: skip
    out["decision_deadline"][border] = border_end[border]  # everything, appeal included, within 12 (16) weeks
    return out


__all__ = ["ACCEL", "determine_procedure", "procedure_regime", "C"]
