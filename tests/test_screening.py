"""Screening of persons who have not applied (Screening Regulation Arts 5, 7, 8, 18), the AMMR Art 33(1)-(2)
reading for search-and-rescue disembarkations (both readings), and authorised entry under APR Art 53(2):
what the YAML cases in tests/cases/routes/ cannot say (a parameter switched, a step absent, the results
file, the population path, bad input through the real CLI)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import numpy as np
import pytest
import yaml

from asylumengine.law import ParameterSet, law_parameters
from asylumengine.routes import Case, route
from asylumengine.routes.assemble import build_route
from asylumengine.routes.columns import Population, population_from_cases
from asylumengine.routes.engine import evaluate, results_table
from asylumengine.routes.synth import synthetic_population

READING = "responsibility.ammr_sar_disembarkation_reading"
ERITREAN = {"applicant": {"date_of_birth": "1995-03-01", "nationality": "ER", "sex": "male"},
            "application": {"member_state": "NL", "made_on": "2026-07-01", "registered_on": "2026-07-03"}}  # fmt: skip


def _with_reading(value: str) -> ParameterSet:
    """The shipped law with the Art 33 reading switched (the same citation and source)."""
    law = law_parameters()
    params = {name: law.parameter(name) for name in law.names()}
    old = params[READING]
    params[READING] = old.model_copy(update={"values": tuple(v.model_copy(update={"value": value}) for v in old.values)})
    return ParameterSet(params)


def _route(facts: dict, params: ParameterSet | None = None):
    pop = population_from_cases([Case.model_validate(facts)])
    return build_route(pop, evaluate(pop, params=params), 0)


def _disembarked(day: str) -> dict:
    return {**ERITREAN, "movements": [{"date": day, "country": "IT", "kind": "sar_disembarkation"}]}


def test_the_shipped_reading_is_the_one_the_yaml_cases_use():
    assert law_parameters().value(READING, dt.date(2026, 7, 3)) == "disembarkation_only"


@pytest.mark.parametrize("day, reading, state, criterion", [
    # 33(2) runs 12 months: within them Italy under either reading ("Notwithstanding the first paragraph")
    ("2025-07-03", "disembarkation_only", "IT", "sar_disembarkation"),
    ("2025-07-03", "also_irregular_crossing", "IT", "sar_disembarkation"),
    # 12 months and a day: 33(2) has ceased; the readings part
    ("2025-07-02", "disembarkation_only", "NL", "first_registration"),
    ("2025-07-02", "also_irregular_crossing", "IT", "irregular_entry"),
    # 33(1)'s 20 months under the second reading: a day within, on the last day, a day after
    ("2024-11-04", "also_irregular_crossing", "IT", "irregular_entry"),
    ("2024-11-03", "also_irregular_crossing", "IT", "irregular_entry"),
    ("2024-11-02", "also_irregular_crossing", "NL", "first_registration"),
])  # fmt: skip
def test_the_art_33_reading_switches_the_outcome(day, reading, state, criterion):
    r = _route(_disembarked(day), _with_reading(reading))
    assert (r.responsible_state, r.responsibility_criterion) == (state, criterion)
    step = next(s for s in r.steps if s.code == "responsibility")
    assert any("responsibility.ammr_sar_disembarkation_reading" in p for p in step.open_points), step.open_points
    if criterion == "irregular_entry":
        assert r.responsibility_citation == "AMMR Art 33(1)"
        assert any("read as also an irregular crossing by sea" in p for p in step.open_points)


def test_an_unknown_reading_is_an_error_naming_it():
    with pytest.raises(ValueError, match="some_other_reading"):
        _route(_disembarked("2025-07-03"), _with_reading("some_other_reading"))


BORDER = {**ERITREAN, "application": {"member_state": "IT", "made_on": "2026-07-06", "registered_on": "2026-07-08",
                                      "place": "after_apprehension_at_border"},
          "movements": [{"date": "2026-07-06", "country": "IT", "kind": "irregular_crossing"}]}  # fmt: skip


@pytest.mark.parametrize("flags, entry", [
    ({}, True),  # 53(2)(a): no ground
    ({"misled_authorities": True}, False),  # mandatory border procedure (Art 45(1))
    ({"misled_authorities": True, "special_procedural_needs_unmet_at_border": True}, True),  # 53(2)(c)
    ({"irrelevant_issues_only": True}, False),  # optional border procedure: a national choice, not Art 53(2)
])  # fmt: skip
def test_authorised_entry_only_where_art_53_2_obliges(flags, entry):
    r = route(Case.model_validate({**BORDER, "flags": flags}))
    assert ("entry_authorised" in [s.code for s in r.steps]) is entry
    inside = route(Case.model_validate({**ERITREAN, "flags": flags}))
    assert "entry_authorised" not in [s.code for s in inside.steps]  # not a border situation


NON_APPLICANTS = {
    "border": {"member_state": "GR", "place": "external_border", "date": "2026-07-06"},
    "sar": {"member_state": "IT", "place": "sar_disembarkation", "date": "2026-07-06"},
    "territory": {"member_state": "NL", "place": "territory", "date": "2026-07-06"},
    "screened": {"member_state": "NL", "place": "territory", "date": "2026-07-06", "screened_in": "IT", "screened_on": "2026-06-20"},
    "bcp": {"member_state": "GR", "place": "border_crossing_point", "date": "2026-07-06"},
}
AFGHAN = {"date_of_birth": "1998-05-01", "nationality": "AF", "sex": "male"}


def _non_applicants() -> list[Case]:
    return [Case.model_validate({"id": k, "applicant": AFGHAN, "screening": s}) for k, s in NON_APPLICANTS.items()]


def test_no_application_means_no_application_results_in_the_results_file():
    pop = population_from_cases(_non_applicants())
    table = results_table(pop, evaluate(pop))
    assert table["application_made"].to_list() == [False] * 5
    assert table["responsible_state"].null_count() == 5 and table["request_kind"].cast(str).to_list() == ["none"] * 5
    assert table["decision_deadline"].null_count() == 5 and table["lodging_deadline"].null_count() == 5
    assert table["screening_kind"].cast(str).to_list() == ["border", "border", "territory", "none", "none"]
    assert table["screening_ground"].cast(str).to_list() == ["apprehended_at_external_border", "disembarked_after_sar",
                                                              "irregular_stay_in_territory", "already_screened",
                                                              "no_application_at_border_crossing_point"]  # fmt: skip
    assert table["screening_referral"].cast(str).to_list() == ["return_procedure", "return_procedure", "return_procedure_continues",
                                                                "none", "none"]  # fmt: skip
    assert [str(d) for d in table["screening_deadline"].to_list()] == ["2026-07-13", "2026-07-13", "2026-07-09", "None", "None"]


def test_a_route_without_application_has_the_screening_step_only():
    for case in _non_applicants():
        r = route(case)
        assert [s.code for s in r.steps] == ["screening"] and not r.application_made
        assert r.responsible_state == "" and r.border_procedure.note is None


def test_non_applicants_in_a_large_population_route_as_alone():
    """The vectorised path: the screening columns in a table with synthetic applicants give each row
    what the case gives alone (and the synthetic rows are untouched by them)."""
    cases = _non_applicants()
    synth, written = synthetic_population(3000, seed=4), population_from_cases(cases)
    mixed = Population({k: np.concatenate([synth.arrays[k], written.arrays[k]]) for k in synth.arrays},
                       np.concatenate([synth.ids, written.ids]))  # fmt: skip
    on = dt.date(2026, 7, 6)
    together, alone_synth = evaluate(mixed, on=on), evaluate(synth, on=on)
    for i, case in enumerate(cases):
        one = evaluate(population_from_cases([case]), on=on)
        for key in ("screening", "screening_ground", "screening_deadline", "screening_referral", "application_made", "responsible", "terminals"):
            a, b = together[key][synth.n + i], one[key][0]
            assert (a == b) or (np.isnat(a) and np.isnat(b)) if a.dtype.kind == "M" else a == b, (case.id, key)
    for key in ("screening", "screening_ground", "responsible", "terminals", "decision_deadline"):
        a, b = together[key][: synth.n], alone_synth[key]
        assert np.array_equal(a, b) if a.dtype.kind != "M" else bool(np.all((a == b) | (np.isnat(a) & np.isnat(b)))), key


# --- bad input through the real CLI: one clear error naming the field, exit 2, no traceback


def asylum(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asylumengine.cli.main", *args], capture_output=True, text=True,
                          timeout=120, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})  # fmt: skip


BAD = [
    ("unknown screening place", {"screening": {"member_state": "GR", "place": "airport", "date": "2026-07-06"}}, "screening.place", "airport"),
    ("earlier screening after the case date", {"computed_on": "2026-07-06", "screening": {
        "member_state": "NL", "place": "territory", "date": "2026-07-06", "screened_in": "IT", "screened_on": "2026-07-20"}},
     "screening.screened_on", "after"),
    ("earlier screening after the day met here", {"screening": {
        "member_state": "NL", "place": "territory", "date": "2026-07-06", "screened_in": "IT", "screened_on": "2026-07-08"}},
     "screening.screened_on", "after"),
    ("application made before the crossing", {"application": {"member_state": "NL", "made_on": "2026-03-01", "registered_on": "2026-07-03"},
                                              "movements": [{"date": "2026-06-20", "country": "IT", "kind": "irregular_crossing"}]},
     "application.made_on", "before the crossing"),
    ("application made before being met", {"application": {"member_state": "NL", "made_on": "2026-07-01", "registered_on": "2026-07-03"},
                                           "screening": {"member_state": "NL", "place": "territory", "date": "2026-07-02"}},
     "application.made_on", "before screening.date"),
    ("neither application nor screening", {}, "application", "required unless a screening block"),
    ("72 hours for a person found in the territory", {"screening": {"member_state": "NL", "place": "territory", "date": "2026-07-06",
                                                                    "held_at_border_over_72h": True}},
     "screening.held_at_border_over_72h", "external border"),
    ("earlier screening date without the state", {"screening": {"member_state": "NL", "place": "territory", "date": "2026-07-06",
                                                                "screened_on": "2026-07-01"}}, "screening.screened_on", "screened_in"),
    ("Dublin events without an application", {"screening": {"member_state": "NL", "place": "territory", "date": "2026-07-06"},
                                              "dublin": {"request_sent_on": "2026-07-10"}}, "application", "dublin given, but no application"),
    ("family without an application", {"screening": {"member_state": "NL", "place": "territory", "date": "2026-07-06"},
                                       "family": [{"relation": "spouse", "location": "DE", "status": "beneficiary_of_protection"}]},
     "application", "family given, but no application"),
    ("screening state not a Member State", {"screening": {"member_state": "TR", "place": "territory", "date": "2026-07-06"}},
     "screening.member_state", "not a Member State"),
]  # fmt: skip


@pytest.mark.parametrize("label, facts, field, words", BAD, ids=[b[0] for b in BAD])
def test_bad_screening_input_is_one_clear_error(tmp_path, label, facts, field, words):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump({"applicant": AFGHAN, **facts}), encoding="utf-8")
    out = asylum("route", str(path))
    err = " ".join(out.stderr.split())
    assert out.returncode == 2, (out.returncode, err)
    assert "Traceback" not in out.stderr and "case.yaml" in err
    assert f"{field}:" in err, err
    assert words.lower() in err.lower(), err


def test_the_cli_routes_a_non_applicant_in_both_languages(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump({"applicant": AFGHAN, "screening": NON_APPLICANTS["territory"]}), encoding="utf-8")
    en, nl = asylum("route", str(path)), asylum("route", str(path), "--lang", "nl")
    assert en.returncode == 0 and nl.returncode == 0, en.stderr + nl.stderr
    assert "No application for protection made" in en.stdout and "Screening within the territory" in en.stdout
    assert "Geen verzoek om bescherming gedaan" in nl.stdout and "Screening op het grondgebied" in nl.stdout


@pytest.mark.parametrize("lang, words", [("en", "No application for protection made: screening within the territory"),
                                         ("nl", "Geen verzoek om bescherming gedaan: screening op het grondgebied")])
def test_the_memo_of_a_non_applicant_says_where_the_screening_is(tmp_path, lang, words):
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump({"applicant": AFGHAN, "screening": NON_APPLICANTS["territory"]}), encoding="utf-8")
    out = asylum("report", "route", str(case), "--lang", lang, "--html", str(tmp_path / "memo.html"))
    assert out.returncode == 0, out.stderr
    html = (tmp_path / "memo.html").read_text(encoding="utf-8")
    assert words in html and ("9 July 2026" if lang == "en" else "9 juli 2026") in html
