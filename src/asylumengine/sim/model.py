"""The Dutch asylum chain as a monthly stock-and-flow model, vectorised over replications.

Stocks (persons, per replication and nationality group g in syria / high / mid / low):

    D  in the Dublin procedure            Q  waiting for an IND decision (regular queue)
    B  in the border / accelerated track  A  in appeal (court queue)
    S  status holders waiting for housing X  rejected, with a duty to leave

Each month, in this order (every flow is a share of a stock or a capacity, so nobody is
created or lost: inflow = stocks + cumulative outflows, checked every step in the tests):

 1. arrivals (level x season x trend x uncertainty, or the published count of a calendar year)
    minus what external arrangements divert; resettlement, nareis (scheduled at grants, or the
    published count of a calendar year), relocations and incoming transfers come in too;
 2. a Dublin share goes to D; D empties at 1/months_to_transfer: absconding, transfer (accepted,
    not blocked, carried out; from 12 June 2026 less the responsibility offsets, AMMR Art 63),
    otherwise the Netherlands examines (Q);
 3. a safe-third-country partnership may take a share of new applicants out;
 4. the border procedure takes its share of each group up to its capacity (persons at a time;
    the rest overflows to the regular queue, APR Art 47-48) and lasts as the law in force that
    month says (12 weeks under the APR from 12 June 2026, 4 weeks before); IND decides up to its
    capacity of that year - border track first, then the queue - granting at each group's
    recognition rate of that year; grants go to S (and schedule nareis), rejections to appeal (A)
    or to X; courts decide up to their capacity;
 5. X (the rejected, and persons referred to the DT&V by the police, KMar and others) departs at
    a monthly rate (voluntary / forced / unknown destination), forced returns
    through detention limited by the detention places; a return hub may take a share;
 6. municipalities house status holders up to the housing capacity of that half year (the
    task set for the half year times the share realised);
    (the IND, court and housing queues are served in proportion to what waits, i.e. in random
    order, not first-come first-served: a fluid-model simplification that shifts the nationality
    mix of early decisions slightly - measured against the SimPy reference in benchmarks/);
 7. COA occupancy = D + Q + B + A + S + a share of X; above the regular places of that year it is
    emergency reception, above regular + emergency places it is reception outside COA locations;
    costs follow per instrument.

Warm start: the stocks start from the latest published stocks at the start (IND backlog, status
holders in COA, DT&V caseload; appeals as the rest of the COA residents; family members of earlier
grants yet to arrive, who come at the pipeline rate while they last), and with
``dublin.warm_start`` the Dublin pipeline starts full (the claims of the last months_to_transfer
months at the start's rate), so the first year has no ramp-up.

Randomness: each replication draws its parameter values (relative sd per parameter, lognormal,
shares clipped to [0, 1]) and its monthly arrival noise from its own stream
``SeedSequence(seed, spawn_key=(r,))`` - so results do not depend on how the replications are
split over workers. Within a replication the flows are the expected flows (a fluid model).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from asylumengine.sim.scenario import DRAWABLE, EXTERNAL_MODELS, REGISTRY, Scenario

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
    "emergency_occupancy", "outside_coa_occupancy", "backlog", "decisions", "grants", "rejections", "appeals_decided", "dublin_claims",
    "transfers", "dublin_transfer_rate", "returns_voluntary", "returns_forced", "departures_unknown", "departures", "housed",
    "ind_waiting_months", "court_waiting_months", "housing_waiting_months", "dublin_blocked_claims", "transfers_in", "status_holder_share",
    "detention_occupancy", "border_procedure", "border_overflow", "cost_total",
    *[f"cost_{c}" for c in COST_ITEMS],
)  # fmt: skip
# keys drawn with their own factor (the registry's order fixes each key's place in the stream); a
# scenario giving sd to any other key is refused (scenario.py)
DRAWN = tuple(k for k in DRAWABLE if k != "inflow.first_applications_per_year")  # the level has its own yearly noise


@dataclass
class Draws:
    """Per-replication random inputs (from each replication's own stream)."""

    factors: dict[str, np.ndarray]  # parameter name -> (R,) multiplicative factor
    arrival_noise: np.ndarray  # (R, T) standard normals
    level_noise: np.ndarray  # (R, years) standard normals


def draw(scenario: Scenario, replications: np.ndarray, months: int, seed: int, central: bool = False) -> Draws:
    """Random inputs for the given replication indices; replication r always gets the same.

    Every registry parameter has a fixed place in each replication's stream, whether or not the
    scenario gives it an sd: two scenarios run with the same seed share their random numbers
    (common random numbers), so a comparison shows the policy, not the noise. ``central`` gives
    every replication the central values and no noise (the calibration's deterministic run)."""
    keys = list(REGISTRY)  # fixed order: the registry's
    years = months // 12 + 1
    uncertain = [k for k in DRAWN if scenario.params[k].sd > 0]
    factors = {k: np.ones(len(replications)) for k in uncertain}
    arrival = np.zeros((len(replications), months))
    level = np.zeros((len(replications), years))
    if central:
        return Draws(factors, arrival, level)
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


# --- the calendar -----------------------------------------------------------------------------
def month_dates(start: dt.date, months: int) -> list[dt.date]:
    return [dt.date(start.year + (start.month - 1 + t) // 12, (start.month - 1 + t) % 12 + 1, 1) for t in range(months)]


def period_values(periods: dict, dates: list[dt.date], base: float) -> np.ndarray:
    """(T,) value per month: the half year's (``"2024-H2"``) if given, else the year's, else ``base``."""
    out = np.full(len(dates), float(base))
    for t, d in enumerate(dates):
        half = f"{d.year}-H{1 if d.month <= 6 else 2}"
        if half in periods:
            out[t] = float(periods[half])
        elif d.year in periods:
            out[t] = float(periods[d.year])
    return out


# --- inputs -----------------------------------------------------------------------------------
@dataclass
class Inputs:
    """Everything a run needs, as arrays: (R,) per replication, (T,) or (R, T) per month."""

    R: int
    months: int
    dates: list[dt.date]
    v: dict[str, np.ndarray] = field(default_factory=dict)  # (R,) parameter values after the draws
    sched: dict[str, np.ndarray] = field(default_factory=dict)  # (R, T) or (T,) time-varying inputs


def _value(scenario: Scenario, dr: Draws, key: str, R: int) -> np.ndarray:
    v = np.full(R, float(scenario.value(key)))
    if key in dr.factors:
        v = v * dr.factors[key]
        if REGISTRY[key].kind in ("share", "rate"):
            v = np.clip(v, 0.0, 1.0)
    return v


def _schedule(scenario: Scenario, dr: Draws, inp: Inputs, base_key: str, periods_key: str, scale: float = 1.0) -> np.ndarray:
    """(R, T): the base value, replaced in the periods the scenario gives, times the base key's draw."""
    base = scenario.value(base_key)
    values = period_values(scenario.value(periods_key), inp.dates, base) * scale
    factor = dr.factors.get(base_key, np.ones(inp.R))
    out = values[None, :] * factor[:, None]
    return np.clip(out, 0, 1) if REGISTRY[base_key].kind in ("share", "rate") else out


def build_inputs(scenario: Scenario, dr: Draws, R: int, months: int) -> Inputs:
    inp = Inputs(R, months, month_dates(scenario.start, months))
    for key in DRAWN:
        inp.v[key] = _value(scenario, dr, key, R)
    for m in EXTERNAL_MODELS:  # the safeguards gate scales what an arrangement takes (0 if any safeguard is not met)
        inp.v[f"{m}.share"] = inp.v[f"{m}.share"] * scenario.external_effect(m)
    s = inp.sched
    s["ind_cap"] = _schedule(scenario, dr, inp, "ind.decisions_per_month", "ind.decisions_per_month_by_period")
    task = _schedule(scenario, dr, inp, "reception.housing_task_per_half_year", "reception.housing_task_by_period", 1 / 6)
    s["housing_cap"] = task * inp.v["reception.housing_realisation"][:, None]
    s["regular_places"] = _schedule(scenario, dr, inp, "reception.regular_places", "reception.regular_places_by_period")
    s["emergency_places"] = _schedule(scenario, dr, inp, "reception.emergency_places", "reception.emergency_places_by_period")
    s["rec"] = np.stack([_schedule(scenario, dr, inp, f"ind.recognition_{g}", f"ind.recognition_{g}_by_period") for g in GROUPS], axis=2)
    s["arrivals_by_year"] = {int(y): float(v) for y, v in scenario.value("inflow.first_applications_by_year").items()}
    s["nareis_by_year"] = {int(y): float(v) for y, v in scenario.value("inflow.nareis_by_year").items()}
    s["referrals_by_year"] = {int(y): float(v) for y, v in scenario.value("return.other_referrals_by_year").items()}
    _legal_inputs(scenario, inp)
    coop = np.array([scenario.value(f"return.cooperation_{g}") for g in GROUPS])
    # return rates by group: the calibrated average rate, spread by third-country cooperation so that
    # the average over the initial mix of rejected persons stays the calibrated one
    s["cooperation"] = coop / float((coop * group_shares(scenario)).sum())
    s["detention_months"] = max(float(scenario.value("return.detention_months")), 1e-9)
    return inp


def _legal_inputs(scenario: Scenario, inp: Inputs) -> None:
    """Durations from law/params by month; border shares and untransferable claims, optionally from the route engine."""
    from asylumengine.sim.legal_facts import border_months_by_month

    s, R = inp.sched, inp.R
    s["border_months"] = border_months_by_month(inp.dates)
    s["months_to_transfer"] = float(scenario.value("dublin.months_to_transfer"))
    T = inp.months
    s["border_share"] = np.zeros((T, R, len(GROUPS)))
    s["border_share"][:, :, 3] = inp.v["ind.low_group_border_share"][None, :]
    s["blocked"] = np.repeat(inp.v["dublin.blocked_share_of_claims"][None, :], T, axis=0)  # (T, R)
    if scenario.value("legal.paths_from_route_engine"):
        # one routed cohort per legal regime met in the run: a run starting before 12 June 2026
        # takes the old law's paths until then and the Pact's from then on
        from asylumengine.sim.legal import cohort_paths
        from asylumengine.sim.legal_facts import apr_applies, mid_month

        regimes = [apr_applies(mid_month(d)) for d in inp.dates]
        for pact in set(regimes):
            on = scenario.start if not pact else max(scenario.start, mid_month(next(d for d, r in zip(inp.dates, regimes) if r)))
            legal = cohort_paths(on)
            months = np.array(regimes) == pact
            s["border_share"][months] = np.array(legal.border_share)[None, None, :]
            s["blocked"][months] = legal.blocked_share_of_claims
    # responsibility offsets (AMMR Art 63): from the AMMR's start, persons the Netherlands keeps instead of transferring
    from asylumengine.sim.legal_facts import ammr_applies

    s["offsets"] = np.array([ammr_applies(mid_month_(d)) for d in inp.dates], dtype=float)[:, None] * inp.v["dublin.offsets_per_year"][None, :] / 12


def group_shares(scenario: Scenario) -> np.ndarray:
    shares = np.array([scenario.value("inflow.share_group_syria"), scenario.value("inflow.share_group_high"), 0.0,
                       scenario.value("inflow.share_group_low")])  # fmt: skip
    shares[2] = max(0.0, 1.0 - shares.sum())
    return shares


# --- the state ----------------------------------------------------------------------------------
@dataclass
class Chain:
    """Stocks (R, G), cumulative outflows (R,), the nareis line and the ledger of one run."""

    stocks: dict[str, np.ndarray]
    out: dict[str, np.ndarray]
    nareis_line: np.ndarray  # (R, delay): slot k arrives k months from now
    nareis_pending: np.ndarray  # (R,) family members of earlier grants yet to arrive
    initial: np.ndarray
    inflow_total: np.ndarray


def dublin_claims_per_month(scenario: Scenario, inp: Inputs) -> np.ndarray:
    """(R,) new Dublin claims per month at the start (for the warm start of the pipeline)."""
    year = inp.dates[0].year
    by_year = inp.sched["arrivals_by_year"]
    level = by_year.get(year, float(scenario.value("inflow.first_applications_per_year")))
    return np.full(inp.R, level / 12.0) * inp.v["dublin.claim_share"]


def initial_chain(scenario: Scenario, inp: Inputs) -> Chain:
    R, v, shares = inp.R, inp.v, group_shares(scenario)
    stocks = {k: np.zeros((R, len(GROUPS))) for k in STOCKS}
    d0 = np.zeros(R)
    if scenario.value("dublin.warm_start"):
        d0 = dublin_claims_per_month(scenario, inp) * scenario.value("dublin.months_to_transfer")
    # the IND backlog counts Dublin cases too: the queue is the backlog less the Dublin pipeline
    stocks["D"] += d0[:, None] * shares
    stocks["Q"] += np.maximum(v["ind.initial_backlog"] - d0, 0)[:, None] * shares
    stocks["A"] += v["courts.initial_backlog"][:, None] * shares
    stocks["X"] += v["return.initial_stock"][:, None] * shares
    stocks["S"] += v["reception.initial_status_holders"][:, None] * shares
    delay = int(scenario.value("inflow.nareis_delay_months"))
    # a grant placed in the last slot of a line of `delay` slots arrives `delay` months later
    line = np.zeros((R, max(1, delay)))
    initial = sum(s.sum(axis=1) for s in stocks.values())
    return Chain(stocks, {k: np.zeros(R) for k in OUTFLOWS}, line, v["inflow.nareis_pending"].copy(), initial, np.zeros(R))


# --- one month, step by step ----------------------------------------------------------------------
def arrivals(scenario: Scenario, inp: Inputs, dr: Draws, t: int) -> np.ndarray:
    """(R,) first applicants this month (before any external arrangement)."""
    d = inp.dates[t]
    annual = inp.sched["arrivals_by_year"].get(d.year)
    if annual is not None:  # a given calendar year (e.g. a backcast): the published count
        base = np.full(inp.R, annual)
    else:
        sd = scenario.params["inflow.first_applications_per_year"].sd
        y = t // 12
        level = float(scenario.value("inflow.first_applications_per_year")) * scenario.value("inflow.trend_per_year") ** y
        base = level * np.exp(sd * dr.level_noise[:, y] - 0.5 * sd**2) * dr.factors.get("inflow.first_applications_per_year", 1.0)
    mean = base * scenario.value(f"inflow.seasonality_q{(d.month - 1) // 3 + 1}") / 3.0
    return np.maximum(0.0, mean + np.sqrt(np.maximum(mean, 0)) * dr.arrival_noise[:, t])


def divert_before_arrival(arr: np.ndarray, ext: dict, inp: Inputs, ch: Chain, moved: dict) -> np.ndarray:
    """Platforms, route screening and external procedures keep a share of arrivals out."""
    for m in ("platform", "route_screening", "external_procedure"):
        if not ext[m]:
            continue
        diverted = np.minimum(arr * inp.v[f"{m}.share"], inp.v[f"{m}.capacity_per_year"] / 12.0)
        kept_out = diverted * inp.v[f"{m}.success_rate"]  # the rest still reaches the Netherlands
        arr = arr - kept_out
        ch.out[m] += kept_out
        moved[m] = diverted
    return arr


def nareis_arriving(scenario: Scenario, inp: Inputs, ch: Chain, t: int) -> np.ndarray:
    """Family members arriving this month: the published count of the year if given, else the line."""
    earlier = np.minimum(ch.nareis_pending, inp.v["inflow.nareis_pipeline_per_month"])  # grants made before the start
    ch.nareis_pending -= earlier
    scheduled = ch.nareis_line[:, 0] + earlier
    ch.nareis_line[:, :-1] = ch.nareis_line[:, 1:]
    ch.nareis_line[:, -1] = 0.0
    published = inp.sched["nareis_by_year"].get(inp.dates[t].year)
    return np.full(inp.R, published / 12.0) if published is not None else scheduled


def mid_month_(d: dt.date) -> dt.date:
    return d.replace(day=15)


def dublin_step(new: np.ndarray, inp: Inputs, ch: Chain, t: int) -> dict:
    v, st = inp.v, ch.stocks
    to_dublin = new * v["dublin.claim_share"][:, None]
    st["D"] += to_dublin
    leaving = st["D"] / max(inp.sched["months_to_transfer"], 1e-9)
    st["D"] -= leaving
    # the transfer rate is calibrated on transfers over accepted, feasible claims (it nets out
    # absconding before transfer); of those not transferred, some leave for an unknown destination
    feasible = v["dublin.acceptance_rate"] * (1 - inp.sched["blocked"][t]) * v["dublin.transfer_rate_feasible"]
    transfer = leaving * feasible[:, None]
    # offsets: the Netherlands examines these itself instead of transferring them (within the transfers due)
    kept = transfer * (np.minimum(inp.sched["offsets"][t], transfer.sum(axis=1)) / np.maximum(transfer.sum(axis=1), 1e-12))[:, None]
    transfer = transfer - kept
    absc = (leaving - transfer - kept) * v["dublin.absconding_share"][:, None]
    ch.out["absconded"] += absc.sum(axis=1)
    ch.out["transferred_out"] += transfer.sum(axis=1)
    return {"to_dublin": to_dublin, "leaving": leaving, "transfer": transfer, "back": leaving - transfer - absc}


def stc_step(entering: np.ndarray, ext: dict, inp: Inputs, ch: Chain, moved: dict) -> np.ndarray:
    if not ext["stc"]:
        return entering
    total = np.maximum(entering.sum(axis=1, keepdims=True), 1e-12)
    take = np.minimum(entering * inp.v["stc.share"][:, None], inp.v["stc.capacity_per_year"][:, None] / 12.0 * entering / total)
    kept = take * inp.v["stc.success_rate"][:, None]
    moved["stc"] = take.sum(axis=1)
    ch.out["stc"] += kept.sum(axis=1)
    return entering - kept


def border_intake(entering: np.ndarray, inp: Inputs, ch: Chain, t: int) -> dict:
    """The border procedure takes its share within its capacity; the rest overflows to the queue."""
    st = ch.stocks
    wanted = entering * inp.sched["border_share"][t]
    cap = inp.v["ind.border_capacity"]
    room = np.where(cap > 0, np.maximum(cap - st["B"].sum(axis=1), 0), np.inf)
    w_total = wanted.sum(axis=1)
    taken = wanted * (np.minimum(w_total, room) / np.maximum(w_total, 1e-12))[:, None]
    st["B"] += taken
    st["Q"] += entering - taken
    return {"border_in": taken.sum(axis=1), "overflow": (wanted - taken).sum(axis=1)}


def decide(inp: Inputs, ch: Chain, t: int) -> dict:
    """IND first-instance decisions (border track first), then the courts."""
    st, v = ch.stocks, inp.v
    cap = inp.sched["ind_cap"][:, t]
    b_rate = min(1.0, 1.0 / max(inp.sched["border_months"][t], 1e-9))  # a procedure shorter than a month ends within it
    b_dec = np.minimum(st["B"] * b_rate, cap[:, None] * st["B"] / np.maximum(st["B"].sum(axis=1, keepdims=True), 1e-12))
    left = np.maximum(cap - b_dec.sum(axis=1), 0)
    q_total = st["Q"].sum(axis=1)
    q_dec = st["Q"] * (np.minimum(q_total, left) / np.maximum(q_total, 1e-12))[:, None]
    st["B"] -= b_dec
    st["Q"] -= q_dec
    decided = b_dec + q_dec
    grants = decided * inp.sched["rec"][:, t, :]
    rejected = decided - grants
    to_appeal = rejected * v["courts.appeal_share"][:, None]
    st["A"] += to_appeal
    st["X"] += rejected - to_appeal
    a_total = st["A"].sum(axis=1)
    a_dec = st["A"] * (np.minimum(a_total, v["courts.decisions_per_month"]) / np.maximum(a_total, 1e-12))[:, None]
    st["A"] -= a_dec
    won = a_dec * v["courts.appeal_success"][:, None]
    st["X"] += a_dec - won
    st["S"] += grants + won
    return {"decided": decided, "grants": grants, "rejected": rejected, "a_dec": a_dec, "protected": grants + won}


def return_step(ext: dict, inp: Inputs, ch: Chain, moved: dict) -> dict:
    st, v = ch.stocks, inp.v
    departing = st["X"] * np.clip(v["return.departure_per_month"][:, None] * inp.sched["cooperation"][None, :], 0, 1)
    forced = departing * v["return.forced_share"][:, None]
    det_share = v["return.detention_share_of_forced"]
    forced_cap = (v["return.detention_places"] / inp.sched["detention_months"]) / np.maximum(det_share, 1e-9)
    f_total = forced.sum(axis=1)
    forced = forced * (np.minimum(f_total, forced_cap) / np.maximum(f_total, 1e-12))[:, None]
    voluntary = departing * v["return.voluntary_share"][:, None]
    unknown = departing * np.maximum(1 - v["return.forced_share"] - v["return.voluntary_share"], 0)[:, None]
    st["X"] -= forced + voluntary + unknown
    if ext["hub"]:  # a share of the rejected still here is moved to the hub over a year, within its capacity
        x_total = np.maximum(st["X"].sum(axis=1, keepdims=True), 1e-12)
        take = np.minimum(st["X"] * v["hub.share"][:, None] / 12.0, v["hub.capacity_per_year"][:, None] / 12.0 * st["X"] / x_total)
        kept = take * v["hub.success_rate"][:, None]
        moved["hub"] = take.sum(axis=1)
        st["X"] -= kept
        ch.out["hub"] += kept.sum(axis=1)
    out = {"forced": forced.sum(axis=1), "voluntary": voluntary.sum(axis=1), "unknown": unknown.sum(axis=1)}
    for k, o in (("forced", "departed_forced"), ("voluntary", "departed_voluntary"), ("unknown", "departed_unknown")):
        ch.out[o] += out[k]
    out["det_occ"] = out["forced"] * det_share * inp.sched["detention_months"]
    return out


def house(inp: Inputs, ch: Chain, t: int) -> np.ndarray:
    s = ch.stocks["S"]
    total = s.sum(axis=1)
    housed = s * (np.minimum(total, inp.sched["housing_cap"][:, t]) / np.maximum(total, 1e-12))[:, None]
    ch.stocks["S"] -= housed
    ch.out["housed"] += housed.sum(axis=1)
    return housed.sum(axis=1)


def reception(inp: Inputs, ch: Chain, t: int) -> dict:
    st = ch.stocks
    seekers = sum(st[k].sum(axis=1) for k in ("D", "Q", "B", "A"))
    holders = st["S"].sum(axis=1)
    rejected_in = st["X"].sum(axis=1) * inp.v["return.in_reception_share"]
    occ = seekers + holders + rejected_in
    regular = np.minimum(occ, inp.sched["regular_places"][:, t])
    emergency = np.minimum(occ - regular, inp.sched["emergency_places"][:, t])
    return {"occ": occ, "seekers": seekers, "holders": holders, "rejected_in": rejected_in, "regular": regular,
            "emergency": emergency, "outside": occ - regular - emergency}  # fmt: skip


def month_costs(scenario: Scenario, inp: Inputs, f: dict, signed: dict, ext: dict, moved: dict) -> dict[str, np.ndarray]:
    """Costs per instrument this month. A signed arrangement costs its fixed and monitoring costs
    even when the safeguards gate stops it from taking anyone (seed 002: who monitors, at what cost)."""
    v, R = inp.v, inp.R
    above_regular = f["emergency"] + f["outside"]  # outside COA locations costs at least an emergency place
    cost = {
        "reception_regular": f["regular"] * v["reception.cost_regular"] / 12,
        "reception_emergency": above_regular * v["reception.cost_emergency"] / 12,
        "ind_procedure": f["decided"].sum(axis=1) * v["costs.ind_per_decision"],
        "courts": f["a_dec"].sum(axis=1) * v["costs.court_per_appeal"],
        "solidarity": v["costs.solidarity_per_year"] / 12,
        "relocation": f["relocated"] * v["costs.relocation_cost_per_person"],
        "forced_return": f["forced"] * v["costs.forced_return_per_person"],
        "detention": f["det_occ"] * v["costs.detention_per_place_year"] / 12,
        "monitoring": v["costs.monitoring_per_year"] / 12 * (1.0 if any(signed.values()) else 0.0),
        "region": v["costs.region_per_year"] / 12,
    }
    for m in EXTERNAL_MODELS:
        per_person = moved[m] * v[f"{m}.cost_per_person"] if ext[m] else np.zeros(R)
        cost[m] = per_person + (v[f"{m}.fixed_cost_per_year"] / 12 if signed[m] else 0.0)
    return {k: np.broadcast_to(c, (R,)).astype(float) for k, c in cost.items()}


def record(ind: dict, t: int, inp: Inputs, f: dict, cost: dict) -> None:
    """Write this month's indicators."""
    decided, housed = f["decided"].sum(axis=1), f["housed"]
    values = {
        "arrivals": f["arrivals"], "inflow_total": f["inflow"], "occupancy": f["occ"], "occupancy_asylum_seekers": f["seekers"],
        "occupancy_status_holders": f["holders"], "occupancy_rejected": f["rejected_in"], "emergency_occupancy": f["emergency"] + f["outside"],
        "outside_coa_occupancy": f["outside"], "backlog": f["backlog"], "decisions": decided, "grants": f["grants"].sum(axis=1),
        "rejections": f["rejected"].sum(axis=1), "appeals_decided": f["a_dec"].sum(axis=1), "dublin_claims": f["to_dublin"].sum(axis=1),
        "transfers": f["transfer"].sum(axis=1), "dublin_transfer_rate": f["transfer"].sum(axis=1) / np.maximum(f["leaving"].sum(axis=1), 1e-12),
        "returns_voluntary": f["voluntary"], "returns_forced": f["forced"], "departures_unknown": f["unknown"],
        "departures": f["voluntary"] + f["forced"] + f["unknown"], "housed": housed,
        "ind_waiting_months": f["backlog"] / np.maximum(decided, 1e-9), "housing_waiting_months": f["holders"] / np.maximum(housed, 1e-9),
        "court_waiting_months": f["appeals_pending"] / np.maximum(f["a_dec"].sum(axis=1), 1e-9),
        "dublin_blocked_claims": f["leaving"].sum(axis=1) * inp.v["dublin.acceptance_rate"] * inp.sched["blocked"][t],
        "transfers_in": f["handed_over"], "status_holder_share": f["holders"] / np.maximum(f["occ"], 1e-9),
        "detention_occupancy": f["det_occ"], "border_procedure": f["border_in"], "border_overflow": f["overflow"],
    }  # fmt: skip
    for k, val in values.items():
        ind[k][:, t] = val
    for k, c in cost.items():
        ind[f"cost_{k}"][:, t] = c
    ind["cost_total"][:, t] = sum(cost.values())


def step(scenario: Scenario, inp: Inputs, dr: Draws, ch: Chain, t: int, ext: dict, signed: dict) -> tuple[dict, dict]:
    """One month of the chain: returns its flows and costs."""
    R, v = inp.R, inp.v
    moved = {m: np.zeros(R) for m in EXTERNAL_MODELS}
    arr = arrivals(scenario, inp, dr, t)
    inflow = arr.copy()
    arr = divert_before_arrival(arr, ext, inp, ch, moved)
    resettled = v["inflow.resettlement_per_year"] / 12.0
    relocated = v["inflow.relocations_in_per_year"] / 12.0
    handed_over = v["inflow.transfers_in_per_year"] / 12.0
    nareis = nareis_arriving(scenario, inp, ch, t)
    published = inp.sched["referrals_by_year"].get(inp.dates[t].year)
    referred = np.full(R, published / 12) if published is not None else v["return.other_referrals_per_year"] / 12.0
    ch.stocks["X"][:, 2] += referred  # outside COA: the in-reception share applies to them too (a simplification)
    inflow = inflow + resettled + relocated + handed_over + nareis + referred
    ch.inflow_total += inflow
    new = arr[:, None] * group_shares(scenario)
    f = {"arrivals": arr, "inflow": inflow, "relocated": relocated, "handed_over": handed_over, **dublin_step(new, inp, ch, t)}
    entering = new - f["to_dublin"] + f["back"]
    entering[:, 2] += relocated + handed_over  # relocated and transferred-in applicants: in the queue (group 'mid')
    entering = stc_step(entering, ext, inp, ch, moved)
    f.update(border_intake(entering, inp, ch, t))
    f.update(decide(inp, ch, t))
    ch.stocks["S"][:, 1] += resettled + nareis  # resettled refugees and family members need housing too
    refugee = v["ind.refugee_share_of_grants"]
    ch.nareis_line[:, -1] += f["protected"].sum(axis=1) * v["inflow.nareis_per_grant"] * (refugee + (1 - refugee) * v["inflow.nareis_subsidiary_factor"])
    f.update(return_step(ext, inp, ch, moved))
    f["housed"] = house(inp, ch, t)
    f.update(reception(inp, ch, t))
    f["backlog"] = sum(ch.stocks[k].sum(axis=1) for k in ("D", "Q", "B"))
    f["appeals_pending"] = ch.stocks["A"].sum(axis=1)
    return f, month_costs(scenario, inp, f, signed, ext, moved)


def simulate(scenario: Scenario, replications: np.ndarray, months: int, seed: int, trace: bool = False,
             central: bool = False) -> dict[str, np.ndarray]:  # fmt: skip
    """Indicators (R, months) for the given replications. ``trace`` adds the stocks and the
    conservation ledger (for the tests); ``central`` runs the central values without noise."""
    return simulate_draws(scenario, draw(scenario, replications, months, seed, central), months, trace)


def simulate_draws(scenario: Scenario, dr: Draws, months: int, trace: bool = False) -> dict[str, np.ndarray]:
    """The chain for given draws (one replication per row): the sensitivity analysis passes its samples here."""
    R = len(dr.arrival_noise)
    inp = build_inputs(scenario, dr, R, months)
    ch = initial_chain(scenario, inp)
    ext = {m: scenario.external_effect(m) > 0 for m in EXTERNAL_MODELS}
    signed = {m: bool(scenario.value(f"{m}.enabled")) for m in EXTERNAL_MODELS}
    ind = {k: np.zeros((R, months)) for k in INDICATORS}
    tr = {k: np.zeros((R, months, len(GROUPS))) for k in STOCKS} if trace else {}
    ledger = np.zeros((R, months))
    for t in range(months):
        f, cost = step(scenario, inp, dr, ch, t, ext, signed)
        record(ind, t, inp, f, cost)
        if trace:
            for k in STOCKS:
                tr[k][:, t, :] = ch.stocks[k]
            in_chain = sum(s.sum(axis=1) for s in ch.stocks.values())  # scheduled nareis are not here yet
            ledger[:, t] = ch.initial + ch.inflow_total - in_chain - sum(ch.out.values())
    for k in OUTFLOWS:
        ind[f"end_{k}"] = ch.out[k]
    ind["end_still_in_chain"] = sum(st.sum(axis=1) for st in ch.stocks.values())
    if trace:
        ind["_ledger"] = ledger
        ind.update({f"_stock_{k}": tr[k] for k in STOCKS})
        ind["_capacity_ind"] = inp.sched["ind_cap"].copy()
        ind["_capacity_housing"] = inp.sched["housing_cap"].copy()
        ind["_capacity_courts"] = np.repeat(inp.v["courts.decisions_per_month"][:, None], months, axis=1)
        ind["_capacity_detention"] = np.repeat(inp.v["return.detention_places"][:, None], months, axis=1)
    return ind
