"""Monte Carlo runs on Dask, and their summary (median and 90% interval per indicator and year).

Replications are cut into chunks; each chunk is one Dask task that simulates its replication
indices. Every replication draws from its own seed stream, so the result is identical whatever
the chunk size or the number of workers (tested). Small runs (up to ``SMALL_RUN`` replication-years) run
in-process: a cluster's start would cost more than it saves. Larger ones start a local cluster
with one process per core (or ``workers``); ``scheduler`` can name an existing cluster
(``tcp://host:8786``), or be ``"synchronous"`` (no cluster).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from asylumengine.sim.model import INDICATORS, OUTFLOWS, simulate
from asylumengine.sim.scenario import EXTERNAL_MODELS, Scenario

# how an indicator becomes a yearly figure
FLOWS = {"arrivals", "inflow_total", "decisions", "grants", "rejections", "appeals_decided", "dublin_claims", "transfers",
         "returns_voluntary", "returns_forced", "departures_unknown", "departures", "housed", "cost_total", "dublin_blocked_claims", "transfers_in",
         "border_procedure", "border_overflow"} | {i for i in INDICATORS if i.startswith("cost_")}  # fmt: skip
MEANS = {"dublin_transfer_rate", "ind_waiting_months", "court_waiting_months", "housing_waiting_months", "status_holder_share"}
# everything else is a stock: its value at the end of the year
# replication-years below which a run stays in-process unless a scheduler or workers are named:
# 1 000 replications x 10 years take about 0.4 s in-process and 1.1 s with a local cluster's start
# (benchmarks/results/sim.json)
SMALL_RUN = 20_000


@dataclass
class SimulationResult:
    scenario: Scenario
    years: int
    replications: int
    seed: int
    indicators: dict[str, np.ndarray]  # name -> (replications, months)
    warnings: list[str] = field(default_factory=list)

    @property
    def months(self) -> int:
        return self.years * 12

    def yearly(self, name: str) -> np.ndarray:
        """(replications, years): flows summed, stocks at year end, ratios averaged."""
        v = self.indicators[name].reshape(self.replications, self.years, 12)
        if name in FLOWS:
            return v.sum(axis=2)
        if name in MEANS:
            return v.mean(axis=2)
        return v[:, :, -1]

    def summary(self) -> dict[str, dict[str, list[float]]]:
        """indicator -> {median, p05, p95}: one value per year."""
        out = {}
        for name in INDICATORS:
            y = self.yearly(name)
            out[name] = {"median": np.median(y, axis=0).tolist(), "p05": np.percentile(y, 5, axis=0).tolist(),
                         "p95": np.percentile(y, 95, axis=0).tolist()}  # fmt: skip
        return out

    def terminal(self) -> dict[str, dict[str, float]]:
        """People ending in each terminal state over the whole run: median and 90% interval."""
        out = {}
        for k in (*OUTFLOWS, "still_in_chain"):
            v = self.indicators[f"end_{k}"]
            out[k] = {"median": float(np.median(v)), "p05": float(np.percentile(v, 5)), "p95": float(np.percentile(v, 95))}
        return out


def _chunk(scenario: Scenario, indices: np.ndarray, months: int, seed: int) -> dict[str, np.ndarray]:
    return simulate(scenario, indices, months, seed)


def run(
    scenario: Scenario,
    years: int = 10,
    replications: int = 1000,
    seed: int = 1,
    scheduler: str | None = None,
    workers: int | None = None,
    chunk: int = 100,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Simulate ``replications`` runs of ``years`` years; ``progress(n)`` is called as chunks finish."""
    if years < 1 or years > 50:  # the random streams hold 50 years
        raise ValueError(f"--years: must be between 1 and 50, got {years}")
    if replications < 1:
        raise ValueError(f"--replications: must be at least 1, got {replications}")
    months = years * 12
    chunks = [np.arange(a, min(a + chunk, replications)) for a in range(0, replications, chunk)]
    parts: list[tuple[int, dict]] = []
    small = replications * years <= SMALL_RUN and workers is None  # starting a cluster costs more than it saves
    if scheduler == "synchronous" or (scheduler is None and (small or replications <= chunk)):
        for i, idx in enumerate(chunks):
            parts.append((i, _chunk(scenario, idx, months, seed)))
            if progress:
                progress(len(idx))
    else:
        from dask.distributed import Client, LocalCluster, as_completed

        cluster = None
        if scheduler is None:
            import os

            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)  # fmt: skip
            client = Client(cluster)
        else:
            client = Client(scheduler)
        try:
            futures = {client.submit(_chunk, scenario, idx, months, seed, pure=False): i for i, idx in enumerate(chunks)}
            for fut in as_completed(futures):
                i = futures[fut]
                parts.append((i, fut.result()))
                if progress:
                    progress(len(chunks[i]))
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    parts.sort(key=lambda x: x[0])
    indicators = {k: np.concatenate([p[k] for _, p in parts]) for k in parts[0][1]}
    warnings = []
    for m in EXTERNAL_MODELS:
        active, missing = scenario.external_active(m)
        if scenario.value(f"{m}.enabled") and not active:
            warnings.append(f"{m}: not counted - the partner country's safeguards are not met ({', '.join(missing)}); "
                            "its fixed and monitoring costs still count")  # fmt: skip
        partly = [g for g, s in scenario.safeguard_status(m).items() if s == "partly"]
        if active and partly:
            warnings.append(f"{m}: counted at {scenario.external_effect(m):.0%} of its effect - safeguards only partly met ({', '.join(partly)})")
    return SimulationResult(scenario, years, replications, seed, indicators, warnings)
