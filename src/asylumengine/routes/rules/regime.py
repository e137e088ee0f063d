"""Which law governs a case: the AMMR or Dublin III for responsibility, the APR or Directive
2013/32/EU for the procedure (transitional articles, read per case)."""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.common import Ctx

AMMR_SWITCH = "responsibility.ammr_applies_to_applications_registered_from"
APR_SWITCH = "procedure.apr_applies_to_applications_lodged_from"


@rule("AMMR Art 84(1)", "Dublin III for applications registered before the AMMR applies, the AMMR from then on",
      engine="routes", also=("AMMR Art 84(2)", "Dublin III Art 49"), reads=("app_registered",), params=(AMMR_SWITCH,),
      produces=("regime",), text="routes-texts#AMMR Art 84")  # fmt: skip
def responsibility_regime(pop, v, ctx: Ctx):
    if ctx.forced_regime is not None:
        return {"regime": np.full(pop.n, ctx.forced_regime, dtype=np.int8)}
    switch = np.datetime64(ctx.value(AMMR_SWITCH), "D")
    return {"regime": np.where(pop["app_registered"] >= switch, Regime.PACT, Regime.DUBLIN_III).astype(np.int8)}


@rule("APR Art 79(2)", "The APR for applications lodged from the day it applies; Directive 2013/32/EU before",
      engine="routes", also=("APR Art 79(3)",), reads=("app_lodged", "app_registered"), params=(APR_SWITCH,),
      produces=("procedure_regime",), text="routes-texts#APR Art 79")  # fmt: skip
def procedure_regime(pop, v, ctx: Ctx):
    """Lodging is taken as the registration date when not given."""
    if ctx.forced_regime is not None:
        return {"procedure_regime": np.full(pop.n, ctx.forced_regime, dtype=np.int8)}
    switch = np.datetime64(ctx.value(APR_SWITCH), "D")
    lodged = np.where(np.isnat(pop["app_lodged"]), pop["app_registered"], pop["app_lodged"])
    return {"procedure_regime": np.where(lodged >= switch, Regime.PACT, Regime.DUBLIN_III).astype(np.int8)}
