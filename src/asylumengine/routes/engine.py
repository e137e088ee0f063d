"""Evaluate the rules over a population; a single case is a population of one.

    evaluate(population, on=..., return_regime=...) -> dict of result columns
    results_table(population, results)             -> polars DataFrame (one row per case)
    route(case)                                     -> Route (steps assembled from row 0)
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from asylumengine.law import ParameterSet, law_parameters
from asylumengine.routes.columns import Population, enum_series, population_from_cases
from asylumengine.routes.criteria import POINT_SLOTS, Criterion, Regime, citation
from asylumengine.routes.labels import result_labels
from asylumengine.routes.rules import accelerated as A
from asylumengine.routes.rules import admissibility as I
from asylumengine.routes.rules import border as B
from asylumengine.routes.rules import border_entry as BE
from asylumengine.routes.rules import detention as Det
from asylumengine.routes.rules import documents as Doc
from asylumengine.routes.rules import dublin as D
from asylumengine.routes.rules import entry as E
from asylumengine.routes.rules import events as Ev
from asylumengine.routes.rules import non_applicant as N
from asylumengine.routes.rules import outcome as O
from asylumengine.routes.rules import procedure as P
from asylumengine.routes.rules import regime as G
from asylumengine.routes.rules import responsibility as R
from asylumengine.routes.rules import screening as S
from asylumengine.routes.rules.common import Ctx
from asylumengine.routes.rules.outcome import RETURN_REGIMES

REGIMES = ("auto", "dublin-iii", "pact")

# The route, step by step: the registered rules each step applies, in order (a rule reads what the
# rules before it produced). Precedence *within* a determination is data in the rule modules
# (R.CRITERIA, A.ACCELERATED_GROUNDS, I.ADMISSIBILITY_GROUNDS, B.BORDER_EXEMPTIONS).
STEPS: tuple[tuple[str, tuple], ...] = (
    ("regime", (G.responsibility_regime, G.procedure_regime)),
    ("responsibility", (R.cessation, R.first_registration, R.minor, R.discretionary_clause, R.security_check, R.late_evidence, R.uam_family,
                        R.uam_relative, R.uam_first_registration, R.dependency, R.family_beneficiary, R.family_applicant,
                        Doc.document_counts, Doc.document_ranking, Doc.diploma, E.visa_waived_entry, R.airport_transit,
                        E.irregular_entry, E.sar_disembarkation, E.sar_as_irregular_crossing, R.first_registration_fallback,
                        R.protection_elsewhere, R.hierarchy, R.criterion_point)),
    ("dublin", (D.request_kind, D.eurodac_hit, D.uam_request_without_limit, Det.detention_period, D.request_time_limit,
                Ev.request_timeliness, D.reply_time_limit, Ev.reply_effect, Ev.transfer_period_start, D.transfer_time_limit,
                D.transfer_extension, Ev.transfer_timeliness, D.transfer_decision, Det.detention_time_limits, D.transfer_remedy,
                D.transfer_feasibility, D.responsibility_shift)),
    ("screening", (S.at_external_border, S.screening_kind, S.screening_required, S.screening_deadline, S.screening_referral)),
    ("registration", (P.registration,)),
    ("procedure", (A.subsequent_application, A.ground_a, A.ground_b, A.ground_c, A.ground_d, A.ground_e, A.ground_f, A.ground_g,
                   A.ground_h, A.ground_j, A.accelerated_grounds, A.nl_safe_country_list, I.first_country_of_asylum,
                   I.safe_third_country, I.protection_in_member_state, I.late_after_return_decision,
                   I.subsequent_without_new_elements, I.admissibility_grounds, B.border_situation, B.left_for_transfer,
                   B.uam_exemption, B.special_needs_exemption, B.capacity_reached, B.border_procedure, B.border_duration,
                   P.procedure_kind, BE.entry_authorised)),
    ("lodging", (P.lodging,)),
    ("decision", (P.examination_time_limits,)),
    ("appeal", (P.appeal_suspensive_effect, P.appeal_time_limits)),
    ("status", (O.dutch_two_status, O.young_adult_policy, O.family_reunification)),
    ("return", (O.return_paths, O.terminal_states, O.return_detention_used, N.no_application)),
)  # fmt: skip


# What evaluate() returns (routes/assemble.py and results_table read these; never rename one). The
# rules' intermediate values (candidate states per criterion, each ground) stay inside the
# evaluation - ``asylum route --trace`` shows them.
OUTPUTS = (
    "accelerated", "accelerated_grounds", "admissibility_grounds", "admissibility_mandatory", "appeal_deadline",
    "appeal_deadline_latest", "appeal_short_track", "appeal_suspensive", "border_end", "border_exemption", "border_mandatory",
    "border_possible", "border_situation", "ceased_prior", "criterion", "decision_deadline", "decision_deadline_extended",
    "decision_deadline_max", "examining_criterion", "examining_state", "first_registered_on", "first_registration_state", "hit",
    "irregular_entry_date", "lodged_on", "lodging_deadline", "minor", "nl_examines", "nl_sco_list_suspended", "procedure",
    "procedure_regime", "protected_in", "recognition_rate", "recognition_rate_year", "regime", "registration_deadline",
    "rejection_possible", "reply_deadline", "request_deadline", "request_kind", "request_no_time_limit", "responsibility_shifted",
    "responsible", "return_detention_days_used", "return_regime", "sar_date", "screening", "screening_deadline", "screening_start",
    "systemic_skipped", "terminals", "transfer_blocked_reason", "transfer_deadline", "transfer_extension", "transfer_feasible",
    "transferred", "two_status", "uam", "uam_several_states", "young_adult_policy",
    # added with the rules registry (issue 12)
    "transfer_decision_deadline", "transfer_remedy_deadline", "transfer_remedy_deadline_latest", "family_reunification_deadline",
    "subsidiary_reunification_waiting_open",
    # the Dublin procedure as it happened (issue 11)
    "request_sent_on", "request_late", "late_request", "accepted_on", "accepted_as_happened", "reply_effect", "reply_late",
    "request_refused", "transfer_start", "transfer_basis", "transfer_status", "detained", "detained_on", "released_on",
    "detention_limit_missed", "detention_ends_on", "transfer_limit_ordinary", "evidence_late", "evidence_disregarded",
    # the points that decided (issue 11): the criterion's paragraph, the recognition rate given, the safe-third-country link
    "criterion_point", "recognition_rate_given", "stc_link", "appeal_suspension_basis", "at_border",
    # screening of persons who have not applied, the SAR reading, authorised entry (issue 11)
    "application_made", "screening_ground", "screening_referral", "screening_ended", "sar_reading", "sar_crossing_candidate", "entry_authorised",
)  # fmt: skip


class RouteError(ValueError):
    """A request the engine cannot answer (names the option and the problem)."""


PARALLEL_FROM = 200_000  # below this, threads cost more than they save
CHUNK_ROWS = 131_072  # rows per threaded task: a rule's intermediate arrays stay small (memory, cache)


def _joined(parts: list[dict[str, np.ndarray]], key: str) -> np.ndarray:
    """One output column from the chunks', each chunk's copy released as soon as it is joined."""
    joined = np.concatenate([part[key] for part in parts])
    for part in parts:
        del part[key]
    return joined


def evaluate(
    pop: Population,
    on: dt.date | None = None,
    regime: str = "auto",
    return_regime: str = "return-directive",
    params: ParameterSet | None = None,
    workers: int | None = None,
    ctx: Ctx | None = None,
) -> dict[str, np.ndarray]:
    """All determinations for every case, as arrays. Pure: same inputs, same outputs.

    Large populations are cut into contiguous slices of ``CHUNK_ROWS`` (views, no copies)
    evaluated on threads - numpy releases the GIL - and joined again; the rules are row-independent, so the result is
    identical whatever the number of workers (tested). ``ctx`` (one thread only) lets a caller see
    which rule read which parameter, and with ``ctx.trace`` a list, what each rule read and produced."""
    if on is not None:  # a new Population: the caller's columns are not changed
        pop = Population({**pop.arrays, "computed_on": np.full(pop.n, np.datetime64(on, "D"))}, pop.ids, pop.id_series)
    if pop.n >= PARALLEL_FROM and ctx is None:  # only then the number of CPUs matters (os.cpu_count is not free)
        workers = workers or min(os.cpu_count() or 1, 4)
        if workers > 1:
            slices = [pop.slice(a, min(a + CHUNK_ROWS, pop.n)) for a in range(0, pop.n, CHUNK_ROWS)]
            with ThreadPoolExecutor(workers) as pool:
                parts = list(pool.map(lambda p: evaluate(p, None, regime, return_regime, params, workers=1), slices))
            return {key: _joined(parts, key) for key in OUTPUTS}
    if regime not in REGIMES:
        raise RouteError(f"--regime: '{regime}' is not one of {', '.join(REGIMES)}")
    if return_regime not in RETURN_REGIMES:
        raise RouteError(f"--return-regime: '{return_regime}' is not one of {', '.join(RETURN_REGIMES)}")
    forced = None if regime == "auto" else (Regime.PACT if regime == "pact" else Regime.DUBLIN_III)
    if ctx is None:
        ctx = Ctx(params=params or law_parameters(), on=on or _default_day(params or law_parameters()))
    ctx.on = on or ctx.on  # a caller's context reads the law for the date asked
    ctx.forced_regime = forced
    values = {"return_regime": np.full(pop.n, RETURN_REGIMES.index(return_regime), dtype=np.int8)}
    for step, rules in STEPS:
        for func in rules:
            values.update(ctx.run(func, pop, values, step))
    return {key: values[key] for key in OUTPUTS}


def _default_day(params: ParameterSet) -> dt.date:
    """Without a date, the dated policy parameters are read as on the day the APR applies (each case's
    own dates still choose its regime and its dated lists)."""
    day = params.parameter(G.APR_SWITCH).values[-1].value
    return dt.date.fromisoformat(str(day))


KEY_COLUMNS = {
    "regime": "regime",
    "procedure_regime": "procedure_regime",
    "responsible": "responsible_state",
    "criterion": "criterion_code",
    "examining_state": "examining_state",
    "examining_criterion": "examining_criterion_code",
    "request_kind": "request_kind",
    "request_deadline": "request_deadline",
    "reply_deadline": "reply_deadline",
    "transfer_deadline": "transfer_deadline",
    "transfer_feasible": "transfer_feasible",
    "request_late": "request_late",
    "reply_effect": "reply_effect",
    "transfer_status": "transfer_status",
    "screening": "screening_kind",
    "screening_deadline": "screening_deadline",
    "application_made": "application_made",
    "screening_ground": "screening_ground",
    "screening_referral": "screening_referral",
    "entry_authorised": "entry_authorised",
    "lodging_deadline": "lodging_deadline",
    "procedure": "procedure_code",
    "border_mandatory": "border_mandatory",
    "border_possible": "border_possible",
    "border_exemption": "border_exemption_code",
    "accelerated": "accelerated",
    "accelerated_grounds": "accelerated_grounds_mask",
    "admissibility_grounds": "admissibility_grounds_mask",
    "admissibility_mandatory": "admissibility_mandatory_mask",
    "decision_deadline": "decision_deadline",
    "appeal_suspensive": "appeal_suspensive",
    "terminals": "terminal_states_mask",
    "stc_link": "safe_third_country_link",
    "recognition_rate_given": "recognition_rate_given",
}


def results_table(pop: Population, results: dict[str, np.ndarray]) -> pl.DataFrame:
    """One row per case: the responsible state, the criterion (label and article), the procedure,
    the key dates, and the legal basis of each determination. Country and code columns are polars
    Enums with the fixed label lists of ``routes.labels`` (physical value = the engine's code)."""
    ids = pop.id_series if pop.id_series is not None else pl.Series(pop.ids.astype(str))
    data: dict[str, object] = {"id": ids}
    named = result_labels()
    for key, col in KEY_COLUMNS.items():
        value = results[key]
        data[col] = enum_series(value, named[key]) if key in named else value
    # article of the criterion, to the paragraph that decided: a small (regime x criterion x point) table, gathered per row
    table = [citation(r, c, p) if c < len(Criterion) else "" for r in (0, 1) for c in range(32) for p in range(POINT_SLOTS)]
    key = (results["regime"].astype(np.int64) * 32 + results["criterion"].astype(np.int64)) * POINT_SLOTS + results["criterion_point"]
    data["criterion_citation"] = pl.Series(table, dtype=pl.String).gather(key)
    return pl.DataFrame(data)


def evaluate_cases(cases, **kwargs) -> tuple[Population, dict[str, np.ndarray]]:
    pop = population_from_cases(list(cases))
    return pop, evaluate(pop, **kwargs)
