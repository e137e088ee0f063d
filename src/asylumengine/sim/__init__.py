"""The Dutch asylum chain, simulated: scenarios, Monte Carlo runs on Dask, summaries.

    >>> from asylumengine.sim import load_scenario, run
    >>> result = run(load_scenario("scenarios/baseline.yaml"), years=10, replications=1000)
    >>> result.summary()["occupancy"]["median"]      # COA occupancy at the end of each year

The model is described in docs/simulation.md; every parameter names its source or says it is
an assumption.
"""

from asylumengine.sim.model import GROUPS, INDICATORS, simulate
from asylumengine.sim.run import SimulationResult, run
from asylumengine.sim.scenario import REGISTRY, Scenario, ScenarioError
from asylumengine.sim.scenario import load as load_scenario

__all__ = ["GROUPS", "INDICATORS", "REGISTRY", "Scenario", "ScenarioError", "SimulationResult", "load_scenario", "run", "simulate"]
