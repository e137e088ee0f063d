"""The points that decide (issue 11), through the real CLI and the population path: a recognition rate given per
case (APR Art 42(1)(j)) as a population column, the safe-third-country link (APR Art 59(5)(b)), the criterion's
paragraph in the results file, and bad input refused with one clear error."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from asylumengine.routes import Case, route
from asylumengine.routes.columns import Population, PopulationFileError, population_from_cases
from asylumengine.routes.engine import evaluate, results_table
from test_routes_cli import _write, asylum

UAM = {"applicant": {"date_of_birth": "2010-03-01", "nationality": "SY", "unaccompanied": True}}
BAD = [
    ("rate above 1", {"procedure": {"recognition_rate": {"value": 1.5, "source": "Eurostat"}}}, "procedure.recognition_rate.value",
     "not a share from 0 to 1"),
    ("rate below 0", {"procedure": {"recognition_rate": {"value": -0.1, "source": "Eurostat"}}}, "procedure.recognition_rate.value",
     "not a share from 0 to 1"),
    ("rate without its source", {"procedure": {"recognition_rate": {"value": 0.1}}}, "procedure.recognition_rate.source", "required"),
    ("an agreement alone for an unaccompanied minor", {**UAM, "third_countries": [{"country": "RW", "kind": "agreement", "safe_third_country": True}]},
     "third_countries[0].kind", "unaccompanied minor"),
]  # fmt: skip


@pytest.mark.parametrize("label, change, field, words", BAD, ids=[b[0] for b in BAD])
def test_bad_points_give_one_clear_error_naming_the_field(tmp_path, label, change, field, words):
    out = asylum("route", str(_write(tmp_path, change)))
    assert out.returncode == 2, out.stdout
    err = " ".join(out.stderr.split())
    assert "Traceback" not in out.stderr and field in err and words in err, err
    assert len(out.stderr.strip().splitlines()) <= 2, out.stderr  # one error, not a cascade


def test_an_agreement_alone_is_accepted_for_an_adult(tmp_path):
    out = asylum("route", str(_write(tmp_path, {"third_countries": [{"country": "RW", "kind": "agreement", "safe_third_country": True}]})),
                 "--format", "json")  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "59(5)(b)(iii)" in out.stdout and '"link": "agreement"' in out.stdout


def _case(**over) -> Case:
    data = {"applicant": {"date_of_birth": "1990-01-01", "nationality": "GE"},
            "application": {"member_state": "NL", "made_on": "2026-07-01", "registered_on": "2026-07-03"}, **over}  # fmt: skip
    return Case.model_validate(data)


def test_the_rate_column_is_nan_when_not_given_and_the_share_when_given():
    pop = population_from_cases([_case(), _case(procedure={"recognition_rate": {"value": 0.12, "source": "x"}})])
    rate = pop["p_recognition_rate"]
    assert np.isnan(rate[0]) and rate[1] == 0.12


def test_population_with_and_without_the_rate_column_routes_alike_and_the_rate_decides():
    """The vectorised path takes the per-case rate; a table written before the column existed reads it as 'not given'."""
    cases = [_case(), _case(procedure={"recognition_rate": {"value": 0.12, "source": "x"}}),
             _case(procedure={"recognition_rate": {"value": 0.5, "source": "x"}})]  # fmt: skip
    pop = population_from_cases(cases)
    results = evaluate(pop, on=dt.date(2026, 7, 3))
    assert results["accelerated"].tolist() == [False, True, False]
    assert results["recognition_rate_given"].tolist() == [False, True, True]
    assert [route(c).accelerated_procedure.applies for c in cases] == [False, True, False]  # one case = a population of one
    old = pop.to_polars().drop("p_recognition_rate")
    again = evaluate(Population.from_polars(old), on=dt.date(2026, 7, 3))
    assert again["accelerated"].tolist() == [False, False, False]  # absent: the table (no rate for Georgia)
    assert np.isnan(again["recognition_rate"]).all()


def test_a_rate_column_outside_0_1_is_an_error_naming_the_column_and_row():
    table = population_from_cases([_case(), _case()]).to_polars().with_columns(pl.Series("p_recognition_rate", [0.1, 12.0]))
    with pytest.raises(PopulationFileError, match=r"p_recognition_rate, row 1: 12.0 is not a share"):
        Population.from_polars(table, source="pop.parquet")


def test_results_file_names_the_link_and_the_paragraph_that_decided():
    cases = [_case(third_countries=[{"country": "TR", "kind": "transit", "safe_third_country": True}]),
             _case(third_countries=[{"country": "RW", "kind": "agreement", "safe_third_country": True}]),
             _case(documents=[{"kind": "short_stay_visa", "issuing_state": "FR", "valid_from": "2026-06-01", "valid_to": "2026-08-30"},
                              {"kind": "long_stay_visa", "issuing_state": "IT", "valid_from": "2026-01-01", "valid_to": "2026-12-31"}])]  # fmt: skip
    pop = population_from_cases(cases)
    table = results_table(pop, evaluate(pop))
    assert table["safe_third_country_link"].to_list() == ["transit", "agreement", "none"]
    assert table["criterion_citation"].to_list()[2] == "AMMR Art 29(3)(c)"
    assert [route(c).responsibility_citation for c in cases][2] == "AMMR Art 29(3)(c)"
