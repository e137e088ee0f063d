"""The accelerated examination procedure (APR Art 42(1), (3)): each ground its own rule, named by its
letter; which grounds apply to unaccompanied minors (42(3)), allow the border procedure (44(1)(b))
and oblige it (45(1)) is written once, in ``ACCELERATED_GROUNDS``."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from asylumengine.data.recognition import union_rates
from asylumengine.law.rules import rule
from asylumengine.routes.columns import country_index, countries
from asylumengine.routes.criteria import RegimeCodes as Regime
from asylumengine.routes.rules.common import Ctx, APR_FROM, bitmask, in_codes, months_after, state_mask
from asylumengine.routes.vector import as_percent, calendar_year, few_values
from asylumengine.routes.rules.responsibility import OUTCOME



class Ground(NamedTuple):
    letter: str
    key: str | None  # the value holding the ground (None: not encoded)
    uam: str  # the point of APR Art 42(3) under which it "may" be applied to unaccompanied minors ("": never)
    border: bool  # allows the border procedure (Art 44(1)(b))
    mandatory: bool  # obliges the border procedure (Art 45(1))


ACCELERATED_GROUNDS: tuple[Ground, ...] = (
    Ground("a", "ground_a_irrelevant", "", True, False),
    Ground("b", "ground_b_inconsistent", "", True, False),
    Ground("c", "ground_c_misled", "d", True, True),
    Ground("d", "ground_d_delay", "", True, False),
    Ground("e", "ground_e_safe_country", "a", True, False),
    Ground("f", "ground_f_security", "b", True, True),
    Ground("g", "ground_g_subsequent", "c", True, False),
    Ground("h", "ground_h_late", "", False, False),
    Ground("i", None, "", False, False),  # lawful entry, no timely application: no input for it (not encoded)
    Ground("j", "ground_j_recognition_rate", "e", True, True),
)
UAM_POINTS = {g.letter: g.uam for g in ACCELERATED_GROUNDS if g.uam}  # 42(1) letter -> 42(3) point
ACCEL = "".join(g.letter for g in ACCELERATED_GROUNDS)  # bit i of the grounds mask = letter i


def grounds_mask(attribute: str) -> int:
    """The mask of the grounds for which ``attribute`` (uam, border, mandatory) holds (a 42(3) point counts as true)."""
    return sum(1 << i for i, g in enumerate(ACCELERATED_GROUNDS) if getattr(g, attribute))


UAM_ALLOWED, BORDER_GROUNDS, BORDER_MANDATORY = grounds_mask("uam"), grounds_mask("border"), grounds_mask("mandatory")
GROUND_J = 1 << ACCEL.index("j")
FINAL_OUTCOMES = [OUTCOME.index(o) for o in ("withdrawn", "implicitly_withdrawn", "rejected", "inadmissible")]
THRESHOLD = "procedure.apr_recognition_rate_threshold"
DATA_LAG = "procedure.apr_recognition_rate_data_lag_months"


# Grounds that are findings of the determining authority, given as case flags.


@rule("APR Art 42(1)(a)", "Only issues not relevant to international protection raised", engine="routes", regime="pact", valid_from=APR_FROM,
      reads=("f_irrelevant",), produces=("ground_a_irrelevant",), text="routes-texts#APR Art 42")  # fmt: skip
def ground_a(pop, v, ctx: Ctx):
    return {"ground_a_irrelevant": pop["f_irrelevant"]}


@rule("APR Art 42(1)(b)", "Clearly inconsistent, false or improbable representations", engine="routes", regime="pact", valid_from=APR_FROM,
      reads=("f_inconsistent",), produces=("ground_b_inconsistent",), text="routes-texts#APR Art 42")  # fmt: skip
def ground_b(pop, v, ctx: Ctx):
    return {"ground_b_inconsistent": pop["f_inconsistent"]}


@rule("APR Art 42(1)(c)", "Intentionally misled the authorities, or destroyed identity documents in bad faith", engine="routes", regime="pact", valid_from=APR_FROM,
      reads=("f_misled",), produces=("ground_c_misled",), text="routes-texts#APR Art 42")  # fmt: skip
def ground_c(pop, v, ctx: Ctx):
    return {"ground_c_misled": pop["f_misled"]}


@rule("APR Art 42(1)(d)", "Application merely to delay or frustrate removal", engine="routes", regime="pact", valid_from=APR_FROM,
      reads=("f_delay",), produces=("ground_d_delay",), text="routes-texts#APR Art 42")  # fmt: skip
def ground_d(pop, v, ctx: Ctx):
    return {"ground_d_delay": pop["f_delay"]}


@rule("APR Art 42(1)(f)", "Reasonable grounds to consider the applicant a danger to national security or public order", engine="routes", regime="pact", valid_from=APR_FROM,
      reads=("f_security",), produces=("ground_f_security",), text="routes-texts#APR Art 42")  # fmt: skip
def ground_f(pop, v, ctx: Ctx):
    return {"ground_f_security": pop["f_security"]}


@rule("APR Art 42(1)(h)", "Unlawful entry or stay without applying as soon as possible", engine="routes", regime="pact", valid_from=APR_FROM,
      reads=("f_late",), produces=("ground_h_late",), text="routes-texts#APR Art 42")  # fmt: skip
def ground_h(pop, v, ctx: Ctx):
    return {"ground_h_late": pop["f_late"]}


@rule("APR Art 42(1)(e)", "A safe country of origin for the applicant: the EU list (Annex II), dated", engine="routes",
      regime="pact", valid_from=APR_FROM, also=("APR Art 61", "APR Annex II"), reads=("a_nationality", "computed_on"),
      params=("procedure.eu_safe_countries_of_origin",), produces=("ground_e_safe_country",), text="routes-texts#APR Art 42")  # fmt: skip
def ground_e(pop, v, ctx: Ctx):
    nat, sco = pop["a_nationality"], np.zeros(pop.n, dtype=bool)
    for rows, listed in ctx.dated("procedure.eu_safe_countries_of_origin", pop["computed_on"]):
        if listed:
            sco[rows] = state_mask(listed)[nat[rows]]
    return {"ground_e_safe_country": sco}


@rule("APR Art 55(2)", "A subsequent application: after a final decision in the examining state; with or without new "
      "elements", engine="routes", regime="pact", valid_from=APR_FROM, also=("APR Art 3(19)",),
      reads=("examining_state", "pri*_state", "pri*_final", "pri*_outcome", "pri*_new"), produces=("subsequent", "subsequent_new"),
      text="routes-texts#APR Art 55")  # fmt: skip
def subsequent_application(pop, v, ctx: Ctx):
    subsequent, new = np.zeros(pop.n, dtype=bool), np.zeros(pop.n, dtype=bool)
    for i in range(pop.slots("pri")):
        hit = (pop[f"pri{i}_state"] == v["examining_state"]) & pop[f"pri{i}_final"] & in_codes(pop[f"pri{i}_outcome"], FINAL_OUTCOMES)
        subsequent |= hit
        new |= hit & pop[f"pri{i}_new"]
    return {"subsequent": subsequent, "subsequent_new": new}


@rule("APR Art 42(1)(g)", "A subsequent application which is not inadmissible (it brings new elements)", engine="routes",
      regime="pact", valid_from=APR_FROM, reads=("subsequent", "subsequent_new"), produces=("ground_g_subsequent",), text="routes-texts#APR Art 42")  # fmt: skip
def ground_g(pop, v, ctx: Ctx):
    return {"ground_g_subsequent": v["subsequent"] & v["subsequent_new"]}


@rule("APR Art 42(1)(j)", "A nationality whose Union-wide recognition rate is at or below the threshold (20%): the rate "
      "given with the case (with its source), else the latest yearly figure of the table available on the date; no figure: the "
      "ground stays open", engine="routes", regime="pact", valid_from=APR_FROM,
      also=("APR Art 45(1)", "APR Art 42(3)(e)"), reads=("procedure_regime", "a_nationality", "computed_on", "p_recognition_rate"),
      params=(THRESHOLD, DATA_LAG),
      produces=("ground_j_recognition_rate", "recognition_rate", "recognition_rate_year", "recognition_rate_given"),
      text="routes-texts#APR Art 42")  # fmt: skip
def ground_j(pop, v, ctx: Ctx):
    """A year's figures are taken as available ``lag`` months after the year ends (parameter). The table is
    looked up only on the rows without a rate of their own."""
    given = ~np.isnan(pop["p_recognition_rate"])
    rate, year = np.full(pop.n, np.nan), np.zeros(pop.n, dtype=np.int16)
    table_rows = ~given
    if given.any():
        rate[given] = as_percent(pop["p_recognition_rate"][given])
    if table_rows.any():
        rate[table_rows], year[table_rows] = _table_rates(pop["a_nationality"][table_rows], pop["computed_on"][table_rows], ctx)
    low = ~np.isnan(rate) & (rate <= ctx.value(THRESHOLD)) & (v["procedure_regime"] == Regime.PACT)  # an APR ground only
    return {"ground_j_recognition_rate": low, "recognition_rate": rate, "recognition_rate_year": year, "recognition_rate_given": given}


def _table_rates(nat: np.ndarray, on: np.ndarray, ctx: Ctx) -> tuple[np.ndarray, np.ndarray]:
    lag = int(ctx.value(DATA_LAG))
    seen = months_after(on, -lag) if lag else on
    last_year = np.where(np.isnat(seen), 0, calendar_year(seen) - 1)  # the last year whose figures are out
    rate, year = np.full(nat.size, np.nan), np.zeros(nat.size, dtype=np.int16)
    for y in few_values(last_year[~np.isnat(seen)]):
        rows = last_year == y
        rates, years = _rate_table(int(y))
        rate[rows], year[rows] = rates[nat[rows]], years[nat[rows]]
    return rate, year


@lru_cache(maxsize=None)  # one table per data year
def _rate_table(up_to_year: int) -> tuple[np.ndarray, np.ndarray]:
    rates, years = np.full(len(countries()), np.nan), np.zeros(len(countries()), dtype=np.int16)
    for iso, r in union_rates(up_to_year).items():
        idx = country_index().get(iso)
        if idx is not None:
            rates[idx], years[idx] = r.percent, r.year
    return rates, years


@rule("APR Art 42(1)", "Accelerate where any ground applies (APR: 'shall'); for unaccompanied minors only the grounds of "
      "42(3), and there it 'may be applied' (not mandatory)", engine="routes", regime="pact", valid_from=APR_FROM, also=("APR Art 42(3)", "Directive 2013/32/EU Art 31(8)"),
      reads=("uam", *(g.key for g in ACCELERATED_GROUNDS if g.key)), produces=("accelerated_grounds", "accelerated"),
      text="routes-texts#APR Art 42")  # fmt: skip
def accelerated_grounds(pop, v, ctx: Ctx):
    """Before the APR acceleration was optional (APD Art 31(8): 'may'); the route says so."""
    none = np.zeros(pop.n, dtype=bool)
    grounds = bitmask([v[g.key] if g.key else none for g in ACCELERATED_GROUNDS])
    grounds = np.where(v["uam"], grounds & UAM_ALLOWED, grounds).astype(np.int32)
    return {"accelerated_grounds": grounds, "accelerated": grounds != 0}


@rule("Kamerstuk 19637 nr. 3475", "The Dutch national list of safe countries of origin is suspended (only the EU list "
      "applies)", engine="routes", reads=("examining_state", "computed_on"),
      params=("procedure.nl_safe_countries_of_origin_suspended",), produces=("nl_sco_list_suspended",))  # fmt: skip
def nl_safe_country_list(pop, v, ctx: Ctx):
    suspended = np.zeros(pop.n, dtype=bool)
    for rows, value in ctx.dated("procedure.nl_safe_countries_of_origin_suspended", pop["computed_on"]):
        suspended[rows] = bool(value)
    return {"nl_sco_list_suspended": suspended & (v["examining_state"] == country_index()["NL"])}
