"""An individual-based SimPy reference of the monthly chain model (``asylumengine.sim.model``).

Every person is a SimPy process. Time is in months (one unit = one month); inside month ``t``
the steps of ``model.py`` happen in the same order at fixed offsets (exact binary fractions,
so ``t + k/16`` never drifts):

    t +  1/16  arrivals (Poisson count; groups by share), resettlement, nareis, relocations and
               incoming transfers (straight to the IND queue, group 'mid')
    t +  2/16  Dublin: each person in D leaves with probability 1/months_to_transfer (new
               claimants included); leaving: transferred with prob accept*(1-blocked)*transfer_rate,
               otherwise absconds with prob absconding_share, otherwise to the IND (Q, or B)
    t +  3/16  border track (low group, prob low_group_border_share): each case is ready with
               probability 1/border_months
    t +  4/16  IND: up to its capacity - ready border cases first, then the queue (FIFO) -
               grant at the group's recognition rate; rejected: appeal (prob appeal_share) or X
    t +  5/16  courts: up to their capacity, FIFO; success -> protection, else X
    t +  6/16  resettled refugees and arriving family members (nareis) join the housing queue
    t +  7/16  return: each person in X departs with their group's monthly probability
               (departure_per_month x cooperation factor, normalised over the group shares) as
               forced / voluntary / unknown; forced returns beyond what the detention places allow stay
    t +  8/16  housing: municipalities house status holders up to their capacity, FIFO
    t +  9/16  indicators: COA occupancy = D + Q + B + A + S + in_reception_share * X

A "leaves with probability p each month" stage is drawn once, as a geometric number of months
(the same law as a Bernoulli trial every month, with one event instead of one per month); a
case that is ready but finds no capacity draws again from the next month.

Randomness per replication ``r``: the parameter values, the yearly level noise and the monthly
arrival noise come from the replication's own numpy stream ``SeedSequence(seed, spawn_key=(r,))``
laid out as ``model.draw`` lays it out (so replication ``r`` here and there share their parameters:
common random numbers, which allows a paired comparison). The monthly arrival count is Poisson
with the model's mean, taken at the quantile ``Phi(z)`` of the model's arrival normal ``z`` (so it
is Poisson, and moves with the model's noise). Everything individual (groups, routes, sojourns,
decisions) comes from a second stream, ``SeedSequence(seed, spawn_key=(r, 1))``.

Fluid flows of model.py become integer flows here: capacities and fixed monthly flows
(resettlement, the nareis pipeline) are rounded stochastically each month (same mean); the
expected number of nareis per protected person is drawn as Poisson(nareis_per_grant x
(refugee_share + (1 - refugee_share) x nareis_subsidiary_factor)), arriving ``nareis_delay_months``
after the grant (``nareis_lag`` adds months, for diagnosis). ``queue="random"`` serves the queues
in random order instead of FIFO (the individual analogue of the fluid model's proportional
draw-down, for diagnosis). ``scale`` < 1 simulates that fraction of the persons (arrivals, initial
stocks and capacities scaled; results scaled back).

The external arrangements (hub, safe third country, platform, external procedure, route
screening) are not modelled: the reference refuses a scenario in which one is active.
"""

from __future__ import annotations

import math
import random
from collections import deque

import numpy as np
import simpy

from asylumengine.sim.scenario import EXTERNAL_MODELS, REGISTRY, Scenario

GROUPS = ("syria", "high", "mid", "low")
SYRIA, HIGH, MID, LOW = range(4)
PH_ARRIVE, PH_DUBLIN, PH_BORDER, PH_IND, PH_COURT, PH_RESETTLE, PH_RETURN, PH_HOUSING, PH_RECORD = (k / 16 for k in range(1, 10))
FLOWS = ("arrivals", "inflow_total", "transfers_in", "dublin_claims", "transfers", "absconded", "decisions", "grants", "rejections",
         "appeals_decided", "appeal_wins", "nareis", "returns_forced", "returns_voluntary", "departures_unknown", "housed")  # fmt: skip
STOCKS = ("D", "Q", "B", "A", "S", "X")
NEVER = 10**9  # months: a stage left with probability 0


def draw_parameters(scenario: Scenario, r: int, months: int, seed: int) -> tuple[dict[str, float], np.ndarray, np.ndarray]:
    """Replication ``r``'s parameter values, yearly level noise and monthly arrival noise.

    Its own stream ``SeedSequence(seed, spawn_key=(r,))``: one standard normal per registry
    parameter (registry order), then 50 years of level noise, then 600 months of arrival noise.
    A parameter with sd > 0 gets a lognormal factor with mean 1 (shares and rates clipped to
    [0, 1]); the inflow level's sd is the yearly level noise instead."""
    keys = list(REGISTRY)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(int(r),)))
    z = rng.standard_normal(len(keys) + 50 + 600)
    values: dict[str, float] = {}
    for j, k in enumerate(keys):
        v = scenario.value(k)
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            continue
        v = float(v)
        sd = scenario.params[k].sd
        if sd > 0 and k != "inflow.first_applications_per_year":
            v *= math.exp(sd * z[j] - 0.5 * sd * sd)
            if REGISTRY[k].kind in ("share", "rate"):
                v = min(max(v, 0.0), 1.0)
        values[k] = v
    years = months // 12 + 1
    level = z[len(keys) : len(keys) + years]
    arrival = z[len(keys) + 50 : len(keys) + 50 + months]
    return values, level, arrival


def poisson_quantile(lam: float, u: float) -> int:
    """The smallest k with P(Poisson(lam) <= k) >= u."""
    if lam <= 0:
        return 0
    sd = math.sqrt(lam)
    lo, hi = max(0, int(lam - 12 * sd - 20)), int(lam + 12 * sd + 20)
    k = np.arange(lo, hi + 1)
    logpmf = k * math.log(lam) - lam - np.array([math.lgamma(x + 1.0) for x in range(lo, hi + 1)])
    cdf = np.cumsum(np.exp(logpmf))
    return int(lo + min(np.searchsorted(cdf, u, side="left"), len(cdf) - 1))


class Line:
    """A waiting line of (group, event) pairs: served first-in first-out, or in random order."""

    def __init__(self, rnd: random.Random, fifo: bool):
        self.fifo, self.rnd = fifo, rnd
        self.items: deque | list = deque() if fifo else []

    def put(self, item) -> None:
        self.items.append(item)

    def take(self, k: int) -> list:
        items, k = self.items, min(k, len(self.items))
        if self.fifo:
            return [items.popleft() for _ in range(k)]
        out = []
        for _ in range(k):  # random pick, swap-remove
            i = self.rnd.randrange(len(items))
            items[i], items[-1] = items[-1], items[i]
            out.append(items.pop())
        return out

    def __len__(self) -> int:
        return len(self.items)


class Chain:
    """One replication: the persons (processes), the IND, the courts, the municipalities."""

    def __init__(self, scenario: Scenario, r: int, months: int, seed: int, queue: str = "fifo", nareis_lag: int = 0,
                 scale: float = 1.0):  # fmt: skip
        for m in EXTERNAL_MODELS:
            if scenario.external_active(m)[0]:
                raise NotImplementedError(f"the SimPy reference does not model the external arrangement '{m}'")
        if queue not in ("fifo", "random"):
            raise ValueError("queue: 'fifo' or 'random'")
        self.scenario, self.months, self.scale = scenario, months, scale
        self.par, self.level_noise, self.arrival_noise = draw_parameters(scenario, r, months, seed)
        ss = np.random.SeedSequence(seed, spawn_key=(int(r), 1))
        self.rnd = random.Random(int.from_bytes(ss.generate_state(4, np.uint64).tobytes(), "little"))
        self.env = simpy.Environment()
        p = self.par
        share = [p["inflow.share_group_syria"], p["inflow.share_group_high"], 0.0, p["inflow.share_group_low"]]
        share[MID] = max(0.0, 1.0 - sum(share))
        self.share = share
        self.rec = [p["ind.recognition_syria"], p["ind.recognition_high"], p["ind.recognition_mid"], p["ind.recognition_low"]]
        self.claim = p["dublin.claim_share"]
        blocked = p["dublin.blocked_share_of_claims"]
        self.border_share = [0.0, 0.0, 0.0, p["ind.low_group_border_share"]]
        if scenario.params.get("legal.paths_from_route_engine") and scenario.value("legal.paths_from_route_engine"):
            from asylumengine.sim.legal import cohort_paths  # the route engine's shares, as model.py takes them

            legal = cohort_paths(scenario.start)
            self.border_share, blocked = list(legal.border_share), legal.blocked_share_of_claims
        self.p_transfer = p["dublin.acceptance_rate"] * (1 - blocked) * p["dublin.transfer_rate_feasible"]
        self.abscond = p["dublin.absconding_share"]
        self.d_rate = 1.0 / max(p["dublin.months_to_transfer"], 1e-9)
        from asylumengine.sim.legal_facts import border_months, mid_month  # the law's duration at the start, as model.py reads it

        self.b_rate = min(1.0, 1.0 / max(border_months(mid_month(scenario.start)), 1e-9))
        self.appeal_share, self.appeal_success = p["courts.appeal_share"], p["courts.appeal_success"]
        # return rate by group: the average rate spread by third-country cooperation, normalised so
        # that the average over the group shares is the calibrated rate
        coop = [p.get(f"return.cooperation_{g}", 1.0) for g in GROUPS]
        norm = sum(c * s for c, s in zip(coop, share))
        self.dep_rate = [min(max(p["return.departure_per_month"] * c / norm, 0.0), 1.0) for c in coop]
        self.forced_share, self.vol_share = p["return.forced_share"], p["return.voluntary_share"]
        self.unknown_share = max(1 - self.forced_share - self.vol_share, 0.0)
        self.in_rec_x = p["return.in_reception_share"]
        self.regular_places = p["reception.regular_places"]
        refugee = p["ind.refugee_share_of_grants"]
        self.nareis_mean = p["inflow.nareis_per_grant"] * (refugee + (1 - refugee) * p["inflow.nareis_subsidiary_factor"])
        self.nareis_exp = math.exp(-self.nareis_mean)
        self.nareis_delay = int(scenario.value("inflow.nareis_delay_months")) + nareis_lag
        rnd = self.rnd
        forced_cap = (p["return.detention_places"] / max(p["return.detention_months"], 1e-9)) / max(p["return.detention_share_of_forced"], 1e-9)  # fmt: skip
        self.cap = {name: [self._round(c * scale) for _ in range(months)] for name, c in (
            ("ind", p["ind.decisions_per_month"]), ("court", p["courts.decisions_per_month"]),
            ("housing", p["reception.housing_task_per_half_year"] / 6 * p["reception.housing_realisation"]), ("forced", forced_cap))}  # fmt: skip
        pipeline = p.get("inflow.nareis_pipeline_per_month", 0.0)
        self.pipeline = [self._round(pipeline * scale) if t < int(scenario.value("inflow.nareis_delay_months")) else 0 for t in range(months)]
        self.resettled = [self._round(p["inflow.resettlement_per_year"] / 12 * scale) for _ in range(months)]
        self.relocated = [self._round(p["inflow.relocations_in_per_year"] / 12 * scale) for _ in range(months)]
        self.handed_over = [self._round(p.get("inflow.transfers_in_per_year", 0.0) / 12 * scale) for _ in range(months)]
        self.forced_used = [0] * months
        self.flow = {k: [0] * months for k in FLOWS}
        self.stock_record = {k: [0] * months for k in STOCKS}
        self.n = dict.fromkeys(STOCKS, 0)
        fifo = queue == "fifo"
        self.Q, self.A, self.S = Line(rnd, fifo), Line(rnd, fifo), Line(rnd, fifo)
        self.B_ready: list = []
        del rnd
        self.initial = 0
        self._start()

    # --- helpers -------------------------------------------------------------------------
    def _round(self, x: float) -> int:
        """Stochastic rounding: an integer with mean x."""
        f = math.floor(x)
        return int(f) + (self.rnd.random() < x - f)

    def _geometric(self, p: float) -> int:
        """Months until leaving a stage left with probability p each month (1 = this month)."""
        if p >= 1.0:
            return 1
        if p <= 0.0:
            return NEVER
        return 1 + int(math.log(1.0 - self.rnd.random()) / math.log(1.0 - p))

    def _poisson_small(self, lam_exp: float) -> int:
        k, prod, rnd = 0, self.rnd.random(), self.rnd.random
        while prod > lam_exp:
            k += 1
            prod *= rnd()
        return k

    def _split(self, total: float) -> list[int]:
        return [int(round(total * self.scale * s)) for s in self.share]

    def _wait_until(self, month: int, phase: float):
        return self.env.timeout(month + phase - self.env.now)

    # --- start --------------------------------------------------------------------------
    def _start(self) -> None:
        env, p, rnd = self.env, self.par, self.rnd
        initial_q = [g for g, n in enumerate(self._split(p["ind.initial_backlog"])) for _ in range(n)]
        rnd.shuffle(initial_q)  # the order in which the backlog is served
        initial_a = [g for g, n in enumerate(self._split(p["courts.initial_backlog"])) for _ in range(n)]
        rnd.shuffle(initial_a)
        for g in initial_q:
            env.process(self.person(g, "Q"))
        for g in initial_a:
            env.process(self.person(g, "A"))
        for g, n in enumerate(self._split(p["return.initial_stock"])):
            for _ in range(n):
                env.process(self.person(g, "X"))
        for g, n in enumerate(self._split(p["reception.initial_status_holders"])):
            for _ in range(n):
                env.process(self.person(g, "S"))
        self.initial = len(initial_q) + len(initial_a) + sum(self._split(p["return.initial_stock"])) + sum(
            self._split(p["reception.initial_status_holders"]))  # fmt: skip
        for proc in (self.arrivals, self.ind, self.courts, self.resettle, self.housing, self.record):
            env.process(proc())

    # --- persons ------------------------------------------------------------------------
    def person(self, g: int, stage: str):
        """One person's path through the chain, from ``stage`` (new / relocated / Q / A / X / S)."""
        env, n, flow, rnd = self.env, self.n, self.flow, self.rnd.random
        if stage == "new":
            t = int(env.now)
            if rnd() < self.claim:
                n["D"] += 1
                flow["dublin_claims"][t] += 1
                yield self._wait_until(t + self._geometric(self.d_rate) - 1, PH_DUBLIN)
                n["D"] -= 1
                t = int(env.now)
                if rnd() < self.p_transfer:
                    flow["transfers"][t] += 1
                    return
                if rnd() < self.abscond:
                    flow["absconded"][t] += 1
                    return
            stage = "B" if rnd() < self.border_share[g] else "Q"
        elif stage == "relocated":
            stage = "Q"
        if stage == "B":
            n["B"] += 1
            t = int(env.now)  # first chance: this month
            while True:
                yield self._wait_until(t + self._geometric(self.b_rate) - 1, PH_BORDER)
                ev = env.event()
                self.B_ready.append((g, ev))
                granted = yield ev  # None: no IND capacity left this month
                if granted is not None:
                    break
                t = int(env.now) + 1
            stage = "S" if granted else "rejected"
        elif stage == "Q":
            n["Q"] += 1
            ev = env.event()
            self.Q.put((g, ev))
            granted = yield ev
            stage = "S" if granted else "rejected"
        if stage == "rejected":
            stage = "A" if rnd() < self.appeal_share else "X"
        if stage == "A":
            n["A"] += 1
            ev = env.event()
            self.A.put((g, ev))
            won = yield ev
            stage = "S" if won else "X"
        if stage == "S":
            yield from self.status_holder(g)
            return
        # stage X: rejected, with a duty to leave
        n["X"] += 1
        t = int(env.now)  # first chance: this month's return step
        months, dep_rate = self.months, self.dep_rate[g]
        while True:
            t_leave = t + self._geometric(dep_rate) - 1
            if t_leave >= months:
                return  # still here at the horizon (counted in the stock: n["X"] stays)
            yield self._wait_until(t_leave, PH_RETURN)
            u = rnd()
            if u < self.forced_share:
                if self.forced_used[t_leave] < self.cap["forced"][t_leave]:
                    self.forced_used[t_leave] += 1
                    flow["returns_forced"][t_leave] += 1
                    break
                t = t_leave + 1  # no detention capacity: stays, tries again from next month
                continue
            if u < self.forced_share + self.vol_share:
                flow["returns_voluntary"][t_leave] += 1
                break
            if u < self.forced_share + self.vol_share + self.unknown_share:
                flow["departures_unknown"][t_leave] += 1
                break
            t = t_leave + 1  # shares adding up to less than 1 (not in the baseline): not departed
        n["X"] -= 1

    def status_holder(self, g: int):
        self.n["S"] += 1
        ev = self.env.event()
        self.S.put((g, ev))
        yield ev  # housed

    def protected(self, t: int) -> None:
        """A grant (first instance or appeal) in month t: its family follows after the delay."""
        k = self._poisson_small(self.nareis_exp)
        if k and t + self.nareis_delay < self.months:
            self.env.process(self.family(k, t + self.nareis_delay))

    def family(self, k: int, t: int):
        yield self._wait_until(t, PH_ARRIVE)
        self.flow["inflow_total"][t] += k
        self.flow["nareis"][t] += k
        yield self._wait_until(t, PH_RESETTLE)
        for _ in range(k):
            self.env.process(self.status_holder(HIGH))

    # --- the monthly actors --------------------------------------------------------------
    def arrivals(self):
        env, flow, p, rnd = self.env, self.flow, self.par, self.rnd
        sc = self.scenario
        by_year = {int(y): float(v) for y, v in sc.value("inflow.first_applications_by_year").items()}
        season = [p[f"inflow.seasonality_q{q}"] for q in range(1, 5)]
        level, trend = p["inflow.first_applications_per_year"], p["inflow.trend_per_year"]
        level_sd = sc.params["inflow.first_applications_per_year"].sd
        y0, m0 = sc.start.year, sc.start.month
        yield env.timeout(PH_ARRIVE)
        for t in range(self.months):
            year, moy, yi = y0 + (m0 - 1 + t) // 12, (m0 - 1 + t) % 12, t // 12
            annual = by_year.get(year)
            if annual is not None:
                base = annual
            else:
                base = level * trend**yi * math.exp(level_sd * self.level_noise[yi] - 0.5 * level_sd**2)
            mean = base * season[moy // 3] / 3.0 * self.scale
            u = 0.5 * math.erfc(-self.arrival_noise[t] / math.sqrt(2.0))
            count = poisson_quantile(mean, u)
            flow["arrivals"][t] += count
            flow["inflow_total"][t] += count + self.resettled[t] + self.relocated[t] + self.handed_over[t] + self.pipeline[t]
            flow["nareis"][t] += self.pipeline[t]
            flow["transfers_in"][t] += self.handed_over[t]
            for g in rnd.choices(range(4), weights=self.share, k=count):
                env.process(self.person(g, "new"))
            for _ in range(self.relocated[t] + self.handed_over[t]):
                env.process(self.person(MID, "relocated"))
            yield env.timeout(1)

    def ind(self):
        env, n, flow, rnd, rec = self.env, self.n, self.flow, self.rnd.random, self.rec
        yield env.timeout(PH_IND)
        for t in range(self.months):
            cap = self.cap["ind"][t]
            ready, self.B_ready = self.B_ready, []
            if len(ready) > cap:
                self.rnd.shuffle(ready)
            for _, ev in ready[cap:]:
                ev.succeed(None)  # stays in the border track
            border = ready[:cap]
            queue = self.Q.take(cap - len(border))
            n["B"] -= len(border)
            n["Q"] -= len(queue)
            grants = 0
            for g, ev in border + queue:
                granted = rnd() < rec[g]
                if granted:
                    grants += 1
                    self.protected(t)
                ev.succeed(granted)
            decided = len(border) + len(queue)
            flow["decisions"][t] += decided
            flow["grants"][t] += grants
            flow["rejections"][t] += decided - grants
            yield env.timeout(1)

    def courts(self):
        env, n, flow, rnd = self.env, self.n, self.flow, self.rnd.random
        yield env.timeout(PH_COURT)
        for t in range(self.months):
            cases = self.A.take(self.cap["court"][t])
            n["A"] -= len(cases)
            wins = 0
            for _, ev in cases:
                won = rnd() < self.appeal_success
                if won:
                    wins += 1
                    self.protected(t)
                ev.succeed(won)
            flow["appeals_decided"][t] += len(cases)
            flow["appeal_wins"][t] += wins
            yield env.timeout(1)

    def resettle(self):
        env = self.env
        yield env.timeout(PH_RESETTLE)
        for t in range(self.months):
            for _ in range(self.resettled[t] + self.pipeline[t]):
                env.process(self.status_holder(HIGH))
            yield env.timeout(1)

    def housing(self):
        env, n = self.env, self.n
        yield env.timeout(PH_HOUSING)
        for t in range(self.months):
            housed = self.S.take(self.cap["housing"][t])
            n["S"] -= len(housed)
            for _, ev in housed:
                ev.succeed()
            self.flow["housed"][t] += len(housed)
            yield env.timeout(1)

    def record(self):
        env = self.env
        yield env.timeout(PH_RECORD)
        for t in range(self.months):
            for k in STOCKS:
                self.stock_record[k][t] = self.n[k]
            yield env.timeout(1)

    # --- run ----------------------------------------------------------------------------
    def run(self) -> dict[str, np.ndarray]:
        self.env.run(until=self.months)
        s = 1.0 / self.scale
        out = {k: np.asarray(v, dtype=float) * s for k, v in self.flow.items()}
        st = {k: np.asarray(v, dtype=float) * s for k, v in self.stock_record.items()}
        for k in STOCKS:
            out[f"stock_{k}"] = st[k]
        out["occupancy_asylum_seekers"] = st["D"] + st["Q"] + st["B"] + st["A"]
        out["occupancy_status_holders"] = st["S"]
        out["occupancy_rejected"] = st["X"] * self.in_rec_x
        out["occupancy"] = out["occupancy_asylum_seekers"] + st["S"] + out["occupancy_rejected"]
        out["emergency_occupancy"] = out["occupancy"] - np.minimum(out["occupancy"], self.regular_places)
        out["backlog"] = st["Q"] + st["B"]
        # conservation: everyone who came in is in a stock or has left (at the end of each month)
        left = sum(out[k] for k in ("transfers", "absconded", "housed", "returns_forced", "returns_voluntary", "departures_unknown"))
        out["ledger"] = self.initial * s + np.cumsum(out["inflow_total"]) - sum(st.values()) - np.cumsum(left)
        return out


def simulate_replication(scenario: Scenario, r: int, months: int, seed: int, **kw) -> dict[str, np.ndarray]:
    """Monthly indicators (each an array of ``months``) for replication ``r``."""
    return Chain(scenario, r, months, seed, **kw).run()


def simulate(scenario: Scenario, replications, months: int, seed: int, **kw) -> dict[str, np.ndarray]:
    """Monthly indicators (R, months) for the given replication indices, one after the other."""
    parts = [simulate_replication(scenario, int(r), months, seed, **kw) for r in replications]
    return {k: np.stack([p[k] for p in parts]) for k in parts[0]}


# how a monthly indicator becomes a yearly figure (as asylumengine.sim.run does): flows summed,
# stocks at the year's end
YEARLY_FLOWS = set(FLOWS)


def yearly(indicators: dict[str, np.ndarray], name: str) -> np.ndarray:
    v = indicators[name]
    v = v.reshape(v.shape[0], -1, 12)
    return v.sum(axis=2) if name in YEARLY_FLOWS else v[:, :, -1]


if __name__ == "__main__":  # a quick look: one replication of the baseline
    import sys
    import time

    from asylumengine.sim.scenario import load, packaged

    years = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    sc = load(packaged("baseline"))
    t0 = time.perf_counter()
    res = simulate(sc, [0], years * 12, seed=1)
    print(f"1 replication, {years} years: {time.perf_counter() - t0:.1f} s; max |ledger| {np.abs(res['ledger']).max():.0f}")
    for k in ("occupancy", "decisions", "grants", "transfers", "housed", "backlog", "returns_forced", "returns_voluntary"):
        print(f"{k:<20}", np.round(yearly(res, k)[0]).astype(int))
