"""Entry into the Member States as a criterion of responsibility: visa-waived entry, irregular
crossing, search-and-rescue disembarkation, relocation (AMMR Arts 31, 33; Dublin III Arts 13-14)."""

from __future__ import annotations

import numpy as np

from asylumengine.law.rules import rule
from asylumengine.routes.columns import NAT
from asylumengine.routes.criteria import Criterion as C
from asylumengine.routes.criteria import Regime
from asylumengine.routes.rules.common import Ctx, plus_months
from asylumengine.routes.rules.responsibility import IS_DUBLIN_STATE, MOVKIND

MOV_READS = ("first_registered_on", "mov*_kind", "mov*_country", "mov*_date")


def _first_entry(pop, t0: np.ndarray, kind_name: str, third_only: bool) -> tuple[np.ndarray, np.ndarray]:
    """The first movement of ``kind_name`` into a Member State before the first registration."""
    state, date = np.zeros(pop.n, dtype=np.int16), np.full(pop.n, NAT)
    for i in range(pop.slots("mov")):
        kind, country, day = pop[f"mov{i}_kind"], pop[f"mov{i}_country"], pop[f"mov{i}_date"]
        hit = IS_DUBLIN_STATE[country] & (day <= t0) & (kind == MOVKIND.index(kind_name)) & (state == 0)
        if third_only:
            hit &= pop[f"mov{i}_third"]
        state[hit], date[hit] = country[hit], day[hit]
    return state, date


def _within(state: np.ndarray, date: np.ndarray, months: np.ndarray, t0: np.ndarray) -> np.ndarray:
    """Responsibility ends if the application is registered MORE than ``months`` after the entry."""
    return np.where(plus_months(date, months) >= t0, state, 0).astype(np.int16)


@rule("AMMR Art 31(1)", "Entry into a Member State where the applicant needs no visa: that state; 31(2): if the "
      "application is made in another state where no visa is needed either, that state", engine="routes",
      also=("AMMR Art 31(2)", "Dublin III Art 14(1)", "Dublin III Art 14(2)"), reads=(*MOV_READS, "app_state"),
      produces=("visa_waived_state", "visa_waived_here"), text="routes-texts#AMMR Art 31")  # fmt: skip
def visa_waived_entry(pop, v, ctx: Ctx):
    t0 = v["first_registered_on"]
    first, _ = _first_entry(pop, t0, "visa_waived_entry", third_only=False)
    here = np.zeros(pop.n, dtype=np.int16)
    for i in range(pop.slots("mov")):
        country = pop[f"mov{i}_country"]
        vw = IS_DUBLIN_STATE[country] & (pop[f"mov{i}_date"] <= t0) & (pop[f"mov{i}_kind"] == MOVKIND.index("visa_waived_entry"))
        hit = vw & (country == pop["app_state"])
        here[hit] = country[hit]
    # 31(2): registered in another state that also waives the visa - that state, not the state of entry
    return {"visa_waived_state": np.where(here != 0, here, first).astype(np.int16), "visa_waived_here": (here != 0) & (first != 0) & (here != first)}


@rule("AMMR Art 33(1)", "First irregular crossing from a third country: that state, unless the application is registered "
      "more than 20 months after it (Dublin III 13(1): 12 months); 33(3): after relocation, the state of relocation",
      engine="routes", also=("AMMR Art 33(3)", "Dublin III Art 13(1)"),
      reads=(*MOV_READS, "mov*_third", "regime", "app_relocated_to", "app_relocated_on"),
      params=("responsibility.ammr_irregular_entry_window_months", "responsibility.dublin3_irregular_entry_window_months"),
      produces=("entry_state", "entry_criterion", "irregular_entry_date"), text="routes-texts#AMMR Art 33")  # fmt: skip
def irregular_entry(pop, v, ctx: Ctx):
    t0, pact = v["first_registered_on"], v["regime"] == Regime.PACT
    state, date = _first_entry(pop, t0, "irregular_crossing", third_only=True)
    window = np.where(pact, ctx.value("responsibility.ammr_irregular_entry_window_months"),
                      ctx.value("responsibility.dublin3_irregular_entry_window_months"))  # fmt: skip
    state = _within(state, date, window, t0)
    relocated = pact & (pop["app_relocated_to"] != 0) & (state != 0) & (pop["app_relocated_on"] > date)
    return {"entry_state": np.where(relocated, pop["app_relocated_to"], state).astype(np.int16),
            "entry_criterion": np.where(relocated, C.RELOCATION, C.IRREGULAR_ENTRY).astype(np.int8),
            "irregular_entry_date": date}  # fmt: skip


@rule("AMMR Art 33(2)", "Disembarkation after a search-and-rescue operation: that state, unless the application is "
      "registered more than 12 months after it (Dublin III: a sea crossing under 13(1))", engine="routes",
      also=("Dublin III Art 13(1)",), reads=(*MOV_READS, "regime"),
      params=("responsibility.ammr_sar_window_months", "responsibility.dublin3_irregular_entry_window_months"),
      produces=("sar_state", "sar_date"), text="routes-texts#AMMR Art 33")  # fmt: skip
def sar_disembarkation(pop, v, ctx: Ctx):
    t0 = v["first_registered_on"]
    state, date = _first_entry(pop, t0, "sar_disembarkation", third_only=False)
    window = np.where(v["regime"] == Regime.PACT, ctx.value("responsibility.ammr_sar_window_months"),
                      ctx.value("responsibility.dublin3_irregular_entry_window_months"))  # fmt: skip
    return {"sar_state": _within(state, date, window, t0), "sar_date": date}
