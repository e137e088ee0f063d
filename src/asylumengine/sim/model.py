"""The Dutch asylum chain as a monthly stock-and-flow model, vectorised over replications.

Stocks (persons, per replication and nationality group g in syria / high / mid / low):

    D  in the Dublin procedure            Q  waiting for an IND decision (regular queue)
    B  in the border / accelerated track  A  in appeal (court queue)
    S  status holders waiting for housing X  rejected, with a duty to leave

Each month, in this order (every flow is a share of a stock or a capacity, so nobody is
created or lost: inflow = stocks + cumulative outflows, checked every step in the tests):

 1. arrivals (level x season x trend x uncertainty) minus what external arrangements divert;
    resettlement and nareis (scheduled at grants) and relocations come in too;
 2. a Dublin share goes to D; D empties at 1/months_to_transfer: absconding, transfer (accepted,
    not blocked, carried out), otherwise the Netherlands examines (Q);
 3. a safe-third-country partnership may take a share of new applicants out;
 4. IND decides up to its capacity - border track first, then the queue - granting at each
    group's recognition rate; grants go to S (and schedule nareis), rejections to appeal (A)
    or to X; courts decide up to their capacity;
 5. X departs at a monthly rate (voluntary / forced / unknown destination), forced returns
    through detention limited by the detention places; a return hub may take a share;
 6. municipalities house status holders up to the housing capacity;
    (the IND, court and housing queues are served in proportion to what waits, i.e. in random
    order, not first-come first-served: a fluid-model simplification that shifts the nationality
    mix of early decisions slightly - measured against the SimPy reference in benchmarks/);
 7. COA occupancy = D + Q + B + A + S + a share of X; above the regular places it is
    emergency reception; costs follow per instrument.

Randomness: each replication draws its parameter values (relative sd per parameter, lognormal,
shares clipped to [0, 1]) and its monthly arrival noise from its own stream
``SeedSequence(seed, spawn_key=(r,))`` - so results do not depend on how the replications are
split over workers. Within a replication the flows are the expected flows (a fluid model).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from asylumengine.sim.scenario import EXTERNAL_MODELS, Scenario

GROUPS = ("syria", "high", "mid", "low")
STOCKS = ("D", "Q", "B", "A", "S", "X")
OUTFLOWS = (
    "transferred_out", "absconded", "housed", "departed_voluntary", "departed_forced", "departed_unknown",
    "hub", "stc", "platform", "external_procedure", "route_screening",
)  # fmt: skip
COST_ITEMS = (
    "reception_regular", "reception_emergency", "ind_procedure", "courts", "solidarity", "relocation",
    "forced_return", "detention", "monitoring", "region", "hub", "stc", "platform", "external_procedure", "route_screening",
)  # fmt: skip
INDICATORS = (
    "arrivals", "inflow_total", "occupancy", "occupancy_asylum_seekers", "occupancy_status_holders", "occupancy_rejected",
    "emergency_occupancy", "backlog", "decisions", "grants", "rejections", "appeals_decided", "dublin_claims",
    "transfers", "dublin_transfer_rate", "returns_voluntary", "returns_forced", "departures_unknown", "housed",
    "ind_waiting_months", "court_waiting_months", "housing_waiting_months", "dublin_blocked_claims", "transfers_in", "status_holder_share", "detention_occupancy", "cost_total",
    *[f"cost_{c}" for c in COST_ITEMS],
)  # fmt: skip


@dataclass
class Draws:
    """Per-replication random inputs (from each replication's own stream)."""

    factors: dict[str, np.ndarray]  # parameter name -> (R,) multiplicative factor
    arrival_noise: np.ndarray  # (R, T) standard normals
    level_noise: np.ndarray  # (R, years) standard normals


def draw(scenario: Scenario, replications: np.ndarray, months: int, seed: int) -> Draws:
    """Random inputs for the given replication indices; replication r always gets the same.

    Every registry parameter has a fixed place in each replication's stream, whether or not the
    scenario gives it an sd: two scenarios run with the same seed share their random numbers
    (common random numbers), so a comparison shows the policy, not the noise."""
    from asylumengine.sim.scenario import REGISTRY

    keys = list(REGISTRY)  # fixed order: the registry's
    years = months // 12 + 1
    uncertain = [k for k in keys if scenario.params[k].sd > 0 and k != "inflow.first_applications_per_year"]
    factors = {k: np.empty(len(replications)) for k in uncertain}
    arrival = np.empty((len(replications), months))
    level = np.empty((len(replications), years))
    n_keys = len(keys)
    for i, r in enumerate(replications):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(int(r),)))
        z = rng.standard_normal(n_keys + 50 + 600)  # parameters, then 50 years of level noise, then 600 months
        for k in uncertain:
            sd = scenario.params[k].sd
            factors[k][i] = np.exp(sd * z[keys.index(k)] - 0.5 * sd * sd)  # lognormal with mean 1
        level[i] = z[n_keys : n_keys + years]
        arrival[i] = z[n_keys + 50 : n_keys + 50 + months]
    return Draws(factors, arrival, level)


def simulate(scenario: Scenario, replications: np.ndarray, months: int, seed: int, trace: bool = False) -> dict[str, np.ndarray]:
    """Indicators (R, months) for the given replications. ``trace`` adds the stocks and the
    conservation ledger (for the tests)."""
    R = len(replications)
    dr = draw(scenario, replications, months, seed)

    def p(key: str) -> np.ndarray:
        v = np.full(R, float(scenario.value(key)))
        if key in dr.factors:
            v = v * dr.factors[key]
            if scenario.params[key].sd and _is_share(key):
                v = np.clip(v, 0.0, 1.0)
        return v

    G = len(GROUPS)
    shares = np.array([scenario.value("inflow.share_group_syria"), scenario.value("inflow.share_group_high"), 0.0,
                       scenario.value("inflow.share_group_low")])  # fmt: skip
    shares[2] = max(0.0, 1.0 - shares.sum())
    rec = np.stack([p("ind.recognition_syria"), p("ind.recognition_high"), p("ind.recognition_mid"), p("ind.recognition_low")], axis=1)
    border_share = np.zeros((R, G))
    border_share[:, 3] = p("ind.low_group_border_share")
    legal = None
    if scenario.value("legal.paths_from_route_engine"):
        from asylumengine.sim.legal import cohort_paths

        legal = cohort_paths(scenario.start)
        border_share[:] = np.array(legal.border_share)[None, :]

    stocks = {k: np.zeros((R, G)) for k in STOCKS}
    stocks["Q"] += p("ind.initial_backlog")[:, None] * shares
    stocks["A"] += p("courts.initial_backlog")[:, None] * shares
    stocks["X"] += p("return.initial_stock")[:, None] * shares
    stocks["S"] += p("reception.initial_status_holders")[:, None] * shares
    initial = sum(s.sum(axis=1) for s in stocks.values())
    out = {k: np.zeros(R) for k in OUTFLOWS}
    inflow_total = np.zeros(R)
    nareis_delay = int(scenario.value("inflow.nareis_delay_months"))
    # slot k arrives k months from now (read slot 0, then shift): a grant placed in the last slot of
    # a line of `delay` slots arrives `delay` months later (checked against the SimPy reference)
    nareis_line = np.zeros((R, max(1, nareis_delay)))
    nareis_line[:, :nareis_delay] = scenario.value("inflow.nareis_pipeline_per_month")  # grants made before the start
    ind = {k: np.zeros((R, months)) for k in INDICATORS}
    tr = {k: np.zeros((R, months, G)) for k in STOCKS} if trace else {}
    ledger = np.zeros((R, months)) if trace else None

    ext = {m: scenario.external_active(m)[0] for m in EXTERNAL_MODELS}
    ext_share = {m: p(f"{m}.share") if ext[m] else np.zeros(R) for m in EXTERNAL_MODELS}
    ext_cap = {m: np.full(R, scenario.value(f"{m}.capacity_per_year") / 12.0) for m in EXTERNAL_MODELS}
    ext_success = {m: p(f"{m}.success_rate") for m in EXTERNAL_MODELS}
    by_year = {int(y): float(v) for y, v in scenario.value("inflow.first_applications_by_year").items()}
    season = [scenario.value(f"inflow.seasonality_q{q}") for q in range(1, 5)]
    level = p("inflow.first_applications_per_year")
    level_sd = scenario.params["inflow.first_applications_per_year"].sd
    trend = scenario.value("inflow.trend_per_year")
    start_year, start_month = scenario.start.year, scenario.start.month

    claim, accept = p("dublin.claim_share"), p("dublin.acceptance_rate")
    blocked, transfer_rate = p("dublin.blocked_share_of_claims"), p("dublin.transfer_rate_feasible")
    if legal is not None:
        blocked = np.full(R, legal.blocked_share_of_claims)
    d_rate = 1.0 / max(scenario.value("dublin.months_to_transfer"), 1e-9)
    abscond = p("dublin.absconding_share")
    ind_cap = p("ind.decisions_per_month")
    b_rate = 1.0 / max(scenario.value("ind.border_months"), 1e-9)
    appeal_share, appeal_success = p("courts.appeal_share"), p("courts.appeal_success")
    court_cap = p("courts.decisions_per_month")
    # return rates by group: the calibrated average rate, spread by third-country cooperation so that
    # the average over the initial mix of rejected persons stays the calibrated one
    coop = np.array([scenario.value(f"return.cooperation_{g}") for g in GROUPS])
    coop = coop / float((coop * shares).sum())
    dep_rate = np.clip(p("return.departure_per_month")[:, None] * coop[None, :], 0, 1)  # (R, G)
    forced_share, vol_share = p("return.forced_share"), p("return.voluntary_share")
    det_places, det_share = p("return.detention_places"), p("return.detention_share_of_forced")
    det_months = max(scenario.value("return.detention_months"), 1e-9)
    housing_cap = p("reception.housing_per_month")
    regular_places = p("reception.regular_places")
    nareis_factor = p("inflow.nareis_per_grant") * (
        p("ind.refugee_share_of_grants") + (1 - p("ind.refugee_share_of_grants")) * p("inflow.nareis_subsidiary_factor")
    )
    in_rec_x = p("return.in_reception_share")
    costs = {k: float(scenario.value(k)) for k in scenario.params if k.startswith("costs.")}
    monitoring_on = any(ext.values())

    for t in range(months):
        year = start_year + (start_month - 1 + t) // 12
        month_of_year = (start_month - 1 + t) % 12
        y_index = t // 12
        # 1. arrivals
        annual = by_year.get(year)
        if annual is not None:  # a given calendar year (e.g. a backcast): the published count
            base = np.full(R, annual)
        else:
            base = level * trend**y_index * np.exp(level_sd * dr.level_noise[:, y_index] - 0.5 * level_sd**2)
        mean = base * season[month_of_year // 3] / 3.0
        arrivals = np.maximum(0.0, mean + np.sqrt(np.maximum(mean, 0)) * dr.arrival_noise[:, t])
        inflow = arrivals.copy()
        moved_now = {m: np.zeros(R) for m in EXTERNAL_MODELS}
        for m in ("platform", "route_screening", "external_procedure"):
            diverted = np.minimum(arrivals * ext_share[m], ext_cap[m])
            kept_out = diverted * ext_success[m]  # the rest still reaches the Netherlands
            arrivals = arrivals - kept_out
            out[m] += kept_out
            moved_now[m] = diverted
        resettled = np.full(R, scenario.value("inflow.resettlement_per_year") / 12.0)
        relocated = np.full(R, scenario.value("inflow.relocations_in_per_year") / 12.0)
        handed_over = np.full(R, scenario.value("inflow.transfers_in_per_year") / 12.0)
        nareis = nareis_line[:, 0].copy()
        nareis_line[:, :-1] = nareis_line[:, 1:]
        nareis_line[:, -1] = 0.0
        inflow = inflow + resettled + relocated + handed_over + nareis
        inflow_total += inflow
        new = arrivals[:, None] * shares  # (R, G)
        # 2. Dublin
        to_dublin = new * claim[:, None]
        stocks["D"] += to_dublin
        leaving_d = stocks["D"] * d_rate
        stocks["D"] -= leaving_d
        # the transfer rate is calibrated on transfers over accepted, feasible claims (it nets out
        # absconding before transfer); of those not transferred, some leave for an unknown destination
        transfer = leaving_d * (accept * (1 - blocked) * transfer_rate)[:, None]
        absc = (leaving_d - transfer) * abscond[:, None]
        back = leaving_d - transfer - absc
        out["absconded"] += absc.sum(axis=1)
        out["transferred_out"] += transfer.sum(axis=1)
        entering = new - to_dublin + back
        entering[:, 2] += relocated + handed_over  # relocated and transferred-in applicants: in the queue (group 'mid')
        # 3. safe third country partnership
        stc_take = np.minimum(entering * ext_share["stc"][:, None],
                              (ext_cap["stc"][:, None] * entering / np.maximum(entering.sum(axis=1, keepdims=True), 1e-12)))  # fmt: skip
        stc_out = stc_take * ext_success["stc"][:, None]
        moved_now["stc"] = stc_take.sum(axis=1)
        entering = entering - stc_out
        out["stc"] += stc_out.sum(axis=1)
        stocks["B"] += entering * border_share
        stocks["Q"] += entering * (1 - border_share)
        # 4. decisions
        b_dec = np.minimum(stocks["B"] * b_rate, ind_cap[:, None] * stocks["B"] / np.maximum(stocks["B"].sum(axis=1, keepdims=True), 1e-12))
        left_cap = np.maximum(ind_cap - b_dec.sum(axis=1), 0)
        q_total = stocks["Q"].sum(axis=1)
        q_dec = stocks["Q"] * (np.minimum(q_total, left_cap) / np.maximum(q_total, 1e-12))[:, None]
        stocks["B"] -= b_dec
        stocks["Q"] -= q_dec
        decided = b_dec + q_dec
        grants = decided * rec
        rejected = decided - grants
        to_appeal = rejected * appeal_share[:, None]
        stocks["A"] += to_appeal
        stocks["X"] += rejected - to_appeal
        a_total = stocks["A"].sum(axis=1)
        a_dec = stocks["A"] * (np.minimum(a_total, court_cap) / np.maximum(a_total, 1e-12))[:, None]
        stocks["A"] -= a_dec
        won = a_dec * appeal_success[:, None]
        stocks["X"] += a_dec - won
        protected = grants + won
        stocks["S"] += protected
        stocks["S"][:, 1] += resettled + nareis  # resettled refugees and family members need housing too
        nareis_line[:, -1] += protected.sum(axis=1) * nareis_factor
        # 5. return
        departing = stocks["X"] * dep_rate
        forced = departing * forced_share[:, None]
        forced_cap = (det_places / det_months) / np.maximum(det_share, 1e-9)  # forced returns per month the places allow
        f_total = forced.sum(axis=1)
        forced = forced * (np.minimum(f_total, forced_cap) / np.maximum(f_total, 1e-12))[:, None]
        voluntary = departing * vol_share[:, None]
        unknown = departing * np.maximum(1 - forced_share - vol_share, 0)[:, None]
        stocks["X"] -= forced + voluntary + unknown
        # a share of the rejected still here is moved to the hub over a year, within its capacity
        x_total = np.maximum(stocks["X"].sum(axis=1, keepdims=True), 1e-12)
        hub_take = np.minimum(stocks["X"] * ext_share["hub"][:, None] / 12.0, ext_cap["hub"][:, None] * stocks["X"] / x_total)
        hub_out = hub_take * ext_success["hub"][:, None]
        moved_now["hub"] = hub_take.sum(axis=1)
        stocks["X"] -= hub_out
        out["hub"] += hub_out.sum(axis=1)
        out["departed_forced"] += forced.sum(axis=1)
        out["departed_voluntary"] += voluntary.sum(axis=1)
        out["departed_unknown"] += unknown.sum(axis=1)
        # 6. housing
        s_total = stocks["S"].sum(axis=1)
        housed = stocks["S"] * (np.minimum(s_total, housing_cap) / np.maximum(s_total, 1e-12))[:, None]
        stocks["S"] -= housed
        out["housed"] += housed.sum(axis=1)
        # 7. reception and indicators
        seekers = sum(stocks[k].sum(axis=1) for k in ("D", "Q", "B", "A"))
        holders = stocks["S"].sum(axis=1)
        rej_in = stocks["X"].sum(axis=1) * in_rec_x
        occ = seekers + holders + rej_in
        regular = np.minimum(occ, regular_places)
        emergency = occ - regular
        det_occ = forced.sum(axis=1) * det_share * det_months
        i = ind
        i["arrivals"][:, t] = arrivals
        i["inflow_total"][:, t] = inflow
        i["occupancy"][:, t] = occ
        i["occupancy_asylum_seekers"][:, t] = seekers
        i["occupancy_status_holders"][:, t] = holders
        i["occupancy_rejected"][:, t] = rej_in
        i["emergency_occupancy"][:, t] = emergency
        i["backlog"][:, t] = stocks["Q"].sum(axis=1) + stocks["B"].sum(axis=1)
        i["decisions"][:, t] = decided.sum(axis=1)
        i["grants"][:, t] = grants.sum(axis=1)
        i["rejections"][:, t] = rejected.sum(axis=1)
        i["appeals_decided"][:, t] = a_dec.sum(axis=1)
        i["dublin_claims"][:, t] = to_dublin.sum(axis=1)
        i["transfers"][:, t] = transfer.sum(axis=1)
        i["dublin_transfer_rate"][:, t] = transfer.sum(axis=1) / np.maximum(leaving_d.sum(axis=1), 1e-12)
        i["returns_voluntary"][:, t] = voluntary.sum(axis=1)
        i["returns_forced"][:, t] = forced.sum(axis=1)
        i["departures_unknown"][:, t] = unknown.sum(axis=1)
        i["housed"][:, t] = housed.sum(axis=1)
        i["ind_waiting_months"][:, t] = i["backlog"][:, t] / np.maximum(i["decisions"][:, t], 1e-9)
        i["housing_waiting_months"][:, t] = holders / np.maximum(housed.sum(axis=1), 1e-9)
        i["court_waiting_months"][:, t] = stocks["A"].sum(axis=1) / np.maximum(a_dec.sum(axis=1), 1e-9)
        i["dublin_blocked_claims"][:, t] = (leaving_d.sum(axis=1) * accept * blocked)
        i["transfers_in"][:, t] = handed_over
        i["status_holder_share"][:, t] = holders / np.maximum(occ, 1e-9)
        i["detention_occupancy"][:, t] = det_occ
        month_cost = {
            "reception_regular": regular * scenario.value("reception.cost_regular") / 12,
            "reception_emergency": emergency * scenario.value("reception.cost_emergency") / 12,
            "ind_procedure": decided.sum(axis=1) * costs["costs.ind_per_decision"],
            "courts": a_dec.sum(axis=1) * costs["costs.court_per_appeal"],
            "solidarity": np.full(R, costs["costs.solidarity_per_year"] / 12),
            "relocation": relocated * costs["costs.relocation_cost_per_person"],
            "forced_return": forced.sum(axis=1) * costs["costs.forced_return_per_person"],
            "detention": det_occ * costs["costs.detention_per_place_year"] / 12,
            "monitoring": np.full(R, costs["costs.monitoring_per_year"] / 12 if monitoring_on else 0.0),
            "region": np.full(R, costs["costs.region_per_year"] / 12),
        }  # fmt: skip
        for m in EXTERNAL_MODELS:
            month_cost[m] = (moved_now[m] * scenario.value(f"{m}.cost_per_person") + scenario.value(f"{m}.fixed_cost_per_year") / 12
                             if ext[m] else np.zeros(R))  # fmt: skip
        total_cost = np.zeros(R)
        for k, v in month_cost.items():
            i[f"cost_{k}"][:, t] = v
            total_cost += v
        i["cost_total"][:, t] = total_cost
        if trace:
            for k in STOCKS:
                tr[k][:, t, :] = stocks[k]
            in_chain = sum(s.sum(axis=1) for s in stocks.values())  # scheduled nareis are not here yet
            ledger[:, t] = initial + inflow_total - in_chain - sum(out.values())
    for k in OUTFLOWS:
        ind[f"end_{k}"] = out[k]
    ind["end_still_in_chain"] = sum(st.sum(axis=1) for st in stocks.values())
    if trace:
        ind["_ledger"] = ledger
        for k in STOCKS:
            ind[f"_stock_{k}"] = tr[k]
        ind["_capacity_ind"] = np.repeat(ind_cap[:, None], months, axis=1)
        ind["_capacity_housing"] = np.repeat(housing_cap[:, None], months, axis=1)
        ind["_capacity_courts"] = np.repeat(court_cap[:, None], months, axis=1)
        ind["_capacity_detention"] = np.repeat(det_places[:, None], months, axis=1)
    return ind


def _is_share(key: str) -> bool:
    from asylumengine.sim.scenario import REGISTRY

    return REGISTRY[key].kind in ("share", "rate")
