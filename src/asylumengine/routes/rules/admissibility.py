"""Admissibility (APR Art 38; before the APR Directive 2013/32/EU Art 33): each ground its own rule;
which ones the Member State *must* apply is written once, in ``ADMISSIBILITY_GROUNDS``."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.case import ThirdCountryLink
from asylumengine.routes.columns import literal_values
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.common import Ctx, APR_FROM, add_period, bitmask
from asylumengine.routes.vector import select

TCKIND = ("",) + literal_values(ThirdCountryLink, "kind")


class AdmissibilityGround(NamedTuple):
    name: str
    key: str  # the value holding it
    mandatory: bool  # "shall" rather than "may"


ADMISSIBILITY_GROUNDS: tuple[AdmissibilityGround, ...] = tuple(AdmissibilityGround(*g) for g in (
    ("first_country_of_asylum", "adm_first_country", False),  # APR Art 38(1)(a)
    ("safe_third_country", "adm_safe_third", False),  # 38(1)(b)
    ("protection_in_member_state", "adm_protection_ms", False),  # 38(1)(c)
    ("late_after_return_decision", "adm_return_decision", False),  # 38(1)(e)
    ("subsequent_without_new_elements", "adm_subsequent", True),  # 38(2): "shall"
))
ADM_FIRST_COUNTRY, ADM_SAFE_THIRD, ADM_PROTECTION_MS, ADM_RETURN_DECISION, ADM_SUBSEQUENT = (
    1 << i for i in range(len(ADMISSIBILITY_GROUNDS))
)
MANDATORY = sum(1 << i for i, g in enumerate(ADMISSIBILITY_GROUNDS) if g.mandatory)
RETURN_DECISION_DAYS = "procedure.apr_inadmissible_after_return_decision_working_days"


@rule("APR Art 38(1)(a)", "A first country of asylum where protection can still be availed of", engine="routes",
      also=("APR Art 58", "Directive 2013/32/EU Art 33(2)(b)"), reads=("tc*_kind", "tc*_protection"), produces=("adm_first_country",),
      text="routes-texts#APR Art 38")  # fmt: skip
def first_country_of_asylum(pop, v, ctx: Ctx):
    out = np.zeros(pop.n, dtype=bool)
    for i in range(pop.slots("tc")):
        out |= (pop[f"tc{i}_kind"] == TCKIND.index("first_country_of_asylum")) & pop[f"tc{i}_protection"]
    return {"adm_first_country": out}


STC_LINKS = ("", "connection", "transit", "agreement")  # APR Art 59(5)(b)(i)-(iii) as amended by Reg. (EU) 2026/463
LINK_CONNECTION, LINK_TRANSIT, LINK_AGREEMENT = (STC_LINKS.index(k) for k in STC_LINKS[1:])


@rule("APR Art 38(1)(b)", "A safe third country with a connection (59(5)(b)(i)), transit (ii) or an agreement or "
      "arrangement (iii) - not (iii) for unaccompanied minors; the first link that holds is named; before the APR a "
      "connection is required", engine="routes",
      also=("APR Art 59(5)", "Directive 2013/32/EU Art 33(2)(c)", "Directive 2013/32/EU Art 38"),
      reads=("procedure_regime", "uam", "tc*_kind", "tc*_safe", "tc*_agreement"), produces=("adm_safe_third", "stc_link"),
      text="routes-texts#APR Art 59")  # fmt: skip
def safe_third_country(pop, v, ctx: Ctx):
    """Only rows with a third-country link are looked at (slots fill from the first)."""
    link = np.zeros(pop.n, dtype=np.int8)
    rows = np.flatnonzero(pop["tc0_kind"] != 0)
    if rows.size:
        link[rows] = _first_link(pop.take(rows, ("tc",)), v["procedure_regime"][rows] == Regime.PACT, v["uam"][rows])
    return {"adm_safe_third": link != 0, "stc_link": link}


def _first_link(tc, apr: np.ndarray, uam: np.ndarray) -> np.ndarray:
    link = np.zeros(tc.n, dtype=np.int8)
    for i in range(tc.slots("tc")):
        kind, safe = tc[f"tc{i}_kind"], tc[f"tc{i}_safe"]
        found = select([kind == TCKIND.index("connection"), apr & (kind == TCKIND.index("transit")),
                           apr & tc[f"tc{i}_agreement"] & ~uam], [LINK_CONNECTION, LINK_TRANSIT, LINK_AGREEMENT], 0)  # fmt: skip
        better = safe & (found != 0) & ((link == 0) | (found < link))
        link[better] = found[better]
    return link


@rule("APR Art 38(1)(c)", "International protection granted by another Member State", engine="routes",
      also=("Directive 2013/32/EU Art 33(2)(a)",), reads=("protected_in",), produces=("adm_protection_ms",),
      text="routes-texts#APR Art 38")  # fmt: skip
def protection_in_member_state(pop, v, ctx: Ctx):
    return {"adm_protection_ms": v["protected_in"] != 0}


@rule("APR Art 38(1)(e)", "Application made more than 7 working days after a return decision was notified", engine="routes",
      regime="pact", valid_from=APR_FROM, reads=("procedure_regime", "app_return_decision", "app_made", "app_state", "holidays"),
      params=(RETURN_DECISION_DAYS,), produces=("adm_return_decision",), text="routes-texts#APR Art 38")  # fmt: skip
def late_after_return_decision(pop, v, ctx: Ctx):
    decided, preg = pop["app_return_decision"], v["procedure_regime"]
    rows = (preg == Regime.PACT) & ~np.isnat(decided)
    out = np.zeros(pop.n, dtype=bool)
    if rows.any():
        limit = add_period(decided[rows], ctx.value(RETURN_DECISION_DAYS), "working_days", pop["app_state"][rows], preg[rows],
                           pop["holidays"][rows] == 1)  # fmt: skip
        out[rows] = limit < pop["app_made"][rows]
    return {"adm_return_decision": out}


@rule("APR Art 38(2)", "A subsequent application without new elements shall be declared inadmissible", engine="routes",
      regime="pact", valid_from=APR_FROM, also=("APR Art 55", "Directive 2013/32/EU Art 33(2)(d)"), reads=("subsequent", "subsequent_new"),
      produces=("adm_subsequent",), text="routes-texts#APR Art 38")  # fmt: skip
def subsequent_without_new_elements(pop, v, ctx: Ctx):
    return {"adm_subsequent": v["subsequent"] & ~v["subsequent_new"]}


@rule("APR Art 38(1)", "The admissibility grounds available, and those that must be applied (38(2))", engine="routes",
      also=("Directive 2013/32/EU Art 33(2)",), reads=tuple(g.key for g in ADMISSIBILITY_GROUNDS),
      produces=("admissibility_grounds", "admissibility_mandatory"), text="routes-texts#APR Art 38")  # fmt: skip
def admissibility_grounds(pop, v, ctx: Ctx):
    grounds = bitmask([v[g.key] for g in ADMISSIBILITY_GROUNDS])
    return {"admissibility_grounds": grounds, "admissibility_mandatory": grounds & MANDATORY}
