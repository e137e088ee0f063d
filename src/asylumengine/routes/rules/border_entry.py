"""Authorisation to enter the territory where the asylum border procedure is not applied or ceases to
apply (APR Art 53(2), second subparagraph)."""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.border import EX_NEEDS, EX_NONE
from asylumengine.routes.rules.common import APR_FROM, Ctx

# The point of APR Art 53(2), first subparagraph, whose case obliges the authority to let the applicant in.
ENTRY_POINTS = ("none", "grounds_not_applicable", "special_procedural_needs_unmet")
ENTRY_NONE, ENTRY_NO_GROUNDS, ENTRY_NEEDS = range(len(ENTRY_POINTS))


@rule("APR Art 53(2)", "In a border situation where the border procedure is not applied because no inadmissibility or "
      "accelerated ground applies (53(2)(a)) or the support for special procedural needs cannot be given at the border "
      "(53(2)(c)): the applicant is authorised to enter the territory and the Chapter III procedure applies "
      "(53(2), second subpara)", engine="routes", regime="pact", valid_from=APR_FROM,
      also=("APR Art 53(2)(a)", "APR Art 53(2)(c)", "APR Art 54(4)"),
      reads=("procedure_regime", "border_situation", "border_exemption", "border_mandatory", "border_possible"),
      produces=("entry_authorised",), text="routes-texts#APR Art 53")  # fmt: skip
def entry_authorised(pop, v, ctx: Ctx):
    """Only where the text obliges (the optional border procedure not used is a national choice, not 53(2))."""
    at_border = (v["procedure_regime"] == Regime.PACT) & v["border_situation"] & ~v["border_mandatory"] & ~v["border_possible"]
    exemption = v["border_exemption"]
    out = np.where(at_border & (exemption == EX_NEEDS), ENTRY_NEEDS, np.where(at_border & (exemption == EX_NONE), ENTRY_NO_GROUNDS, ENTRY_NONE))
    return {"entry_authorised": out.astype(np.int8)}
