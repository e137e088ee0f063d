"""Population rows that contradict themselves (routes/row_checks.py): every date-order check of the
case model, once per check on a Parquet file with one bad row, named by file, column(s) and row; the
synthetic population and the example cases pass; the command exits 2 with one line."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from pydantic import BaseModel, ValidationError

from asylumengine.routes import case as case_module
from asylumengine.routes import evaluate_population, load_case
from asylumengine.routes.columns import NAT, Population, PopulationFileError, population_from_cases, read_population, schema
from asylumengine.routes.row_checks import ABSCONDING, ACCEPTED, DEPARTURE, ORDERS, Order, check_rows
from asylumengine.routes.stream import route_file
from asylumengine.routes.synth import synthetic_population
from test_routes_cli import asylum

CASES = Path(__file__).parents[1] / "examples" / "cases"
D = np.datetime64("2026-07-01", "D")
BAD_ROW = 11  # 0-based: "row 12" in the file
DATES = [name for name, col in schema().items() if col.kind == "date"]
KEEP = ("computed_on", "a_dob", "app_made", "app_registered")  # the base dates every row has


def base(applicant: bool, n: int = 20) -> dict[str, np.ndarray]:
    """n rows of one example case, every other date cleared: an applicant, or a person who has not applied."""
    name = "dublin-greece-irregular-entry" if applicant else "screening-within-the-territory"
    pop = population_from_cases([load_case(CASES / f"{name}.yaml")] * n)
    a = {k: v.copy() for k, v in pop.arrays.items()}
    for c in DATES:
        a[c][:] = NAT if c not in KEEP else D
    a["a_dob"][:] = D - 10_000
    if not applicant:
        a["scr_date"][:] = D
    return a


def settings(order: Order) -> dict[str, int]:
    """Days after D for the columns of one bad row: ``later`` before ``earlier``, and nothing else wrong
    before it in the case model's order."""
    derived = {"(first entry)": "mov0_date", "(first absconding)": "ev0_start", "(reply period start)": "dub_sent",
               "(acceptance)": "dub_reply_on"}  # fmt: skip
    out = {derived.get(order.earlier, order.earlier): 20, order.later: 10}
    if order.earlier in ("scr_date", "(first entry)") and order.later == "app_made":
        out["app_registered"] = 30  # registered at or after the first entry and the screening: only app_made is wrong
    if order.rows == "non_applicant" and order.later == "scr_date":
        out["computed_on"] = 30  # the case's date is at or after the screening
    return out


def bad_table(tmp_path: Path, order: Order) -> Path:
    a = base(order.rows != "non_applicant")
    for col, days in settings(order).items():
        a[col][BAD_ROW] = D + days
    if order.earlier == "(first entry)":
        a["mov0_kind"][BAD_ROW] = 1  # an irregular crossing
    if order.earlier == "(first absconding)":
        a["ev0_kind"][BAD_ROW] = ABSCONDING
    if order.rows == "suspensive":
        a["dub_appeal_suspensive"][BAD_ROW] = True
    path = tmp_path / "pop.parquet"
    Population(a, np.array([f"r{i}" for i in range(len(a["computed_on"]))])).to_polars().write_parquet(path)
    return path


def expected(order: Order) -> str:
    names = {"(first entry)": "mov0_date", "(first absconding)": "ev0_start", "(reply period start)": "dub_sent",
             "(acceptance)": "dub_reply_on"}  # fmt: skip
    earlier, later = names.get(order.earlier, order.earlier), order.later
    a, b = str(D + 20), str(D + 10)
    said = f"{earlier} {a} is after {later} {b}" if order.say_after else f"{later} {b} is before {earlier} {a}"
    return f"pop.parquet: row 12: {said} ({order.why})"


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: f"{o.later}<{o.earlier}")
def test_one_bad_row_per_check_names_file_columns_and_row(tmp_path, order):
    path = bad_table(tmp_path, order)
    with pytest.raises(PopulationFileError) as err:
        read_population(path)
    assert str(err.value) == f"{tmp_path}/{expected(order)}"


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: f"{o.later}<{o.earlier}")
def test_every_check_mirrors_a_check_of_the_case_model(order):
    model, method = order.mirrors.split(".")
    assert callable(getattr(getattr(case_module, model), method)), order.mirrors


def test_the_same_facts_in_a_case_file_are_refused(tmp_path):
    """Two of the checks, from the case side: the model refuses what the row check refuses."""
    with pytest.raises(ValueError, match="reply_on: .* is before request sent on"):
        case_module.DublinEvents(request_sent_on="2026-02-01", reply="accepted", reply_on="2026-01-03")
    with pytest.raises(ValueError, match="registered_on: .* is before made_on"):
        case_module.Application(member_state="NL", made_on="2026-02-01", registered_on="2026-01-03")


def test_the_stream_the_command_and_the_api_path_check_the_rows(tmp_path):
    order = next(o for o in ORDERS if o.later == "dub_reply_on")
    path = bad_table(tmp_path, order)
    with pytest.raises(PopulationFileError, match=re.escape(expected(order))):
        route_file(path, tmp_path / "out.parquet", chunk=5)  # row 12 is in the third chunk: counted in the file
    with pytest.raises(PopulationFileError, match=r"population table: row 12: dub_reply_on"):
        evaluate_population(pl.read_parquet(path))  # the API's path: a table uploaded whole
    ran = asylum("routes", str(path), "-o", str(tmp_path / "out.parquet"), "--chunk", "5")
    assert ran.returncode == 2 and "Traceback" not in ran.stderr, ran.stderr
    lines = [line for line in ran.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "row 12: dub_reply_on 2026-07-11 is before dub_sent 2026-07-21" in lines[0]
    assert not (tmp_path / "out.parquet").exists()


def test_the_first_bad_row_is_named_whichever_check_it_fails():
    a = base(True, 30)
    a["app_lodged"][25] = D - 1  # lodged before registered: row 26
    a["dub_sent"][7], a["dub_received"][7] = D + 5, D + 1  # receipt before the request: row 8
    with pytest.raises(PopulationFileError, match=r"^t: row 8: dub_received "):
        check_rows(a, "t")
    with pytest.raises(PopulationFileError, match=r"^t: row 1,008: dub_received "):
        check_rows(a, "t", first_row=1001)  # a later chunk of a file


def test_dates_not_given_never_fail_and_derived_dates_name_their_column(tmp_path):
    a = base(True)
    a["mov0_kind"][3], a["mov0_date"][3] = DEPARTURE, D + 50  # a departure is not an entry
    check_rows(a, "t")
    a["dub_sent"][4], a["dub_reply_on"][4], a["dub_reexam_on"][4] = D + 1, D + 2, D + 3  # refused, re-examination asked
    a["dub_reexam_reply"][4], a["dub_reexam_reply_on"][4], a["dub_transfer_on"][4] = ACCEPTED, D + 6, D + 4
    with pytest.raises(PopulationFileError, match=r"^t: row 5: dub_transfer_on 2026-07-05 is before dub_reexam_reply_on 2026-07-07 "
                                                  r"\(dublin: acceptance cannot come first\)$"):  # fmt: skip
        check_rows(a, "t")  # accepted on re-examination: the acceptance is that reply, not the first one


def test_a_table_without_the_optional_columns_is_checked_on_the_others(tmp_path):
    a = base(True)
    a["app_lodged"][2] = D - 3
    table = Population(a, np.arange(20).astype(str)).to_polars().drop([c for c in a if c.startswith(("dub_", "scr_", "app_none"))])
    table.write_parquet(tmp_path / "old.parquet")
    with pytest.raises(PopulationFileError, match=r"old\.parquet: row 3: app_lodged 2026-06-28 is before app_registered 2026-07-01"):
        read_population(tmp_path / "old.parquet")


def test_the_synthetic_population_and_the_example_cases_pass():
    check_rows(synthetic_population(200_000, seed=1).arrays, "synthetic")
    check_rows(synthetic_population(50_000, seed=7, member_state="DE", year=2024).arrays, "synthetic")
    check_rows(population_from_cases([load_case(p) for p in sorted(CASES.glob("*.yaml"))]).arrays, "examples")


def _shift(m, rng, p: float = 0.06) -> None:
    """Every date field of a case (nested), shifted by up to 300 days with probability p, unvalidated."""
    for name in type(m).model_fields:
        v = getattr(m, name)
        if isinstance(v, dt.date) and rng.random() < p:
            object.__setattr__(m, name, v + dt.timedelta(days=int(rng.integers(-300, 300))))
        elif isinstance(v, BaseModel):
            _shift(v, rng, p)
        elif isinstance(v, list):
            for x in v:
                if isinstance(x, BaseModel):
                    _shift(x, rng, p)


def test_a_row_is_refused_exactly_when_the_case_file_would_be():
    """The example cases with dates shifted at random: the row built from a shifted case is refused iff
    the case model refuses that case (no other check than date order is touched by shifting dates)."""
    rng = np.random.default_rng(11)
    bases = [load_case(p) for p in sorted(CASES.glob("*.yaml"))]
    refused = 0
    for _ in range(6):
        for base_case in bases:
            c = copy.deepcopy(base_case)
            _shift(c, rng)
            try:
                check_rows(population_from_cases([c]).arrays, "r")
                row_error = None
            except PopulationFileError as exc:
                row_error = str(exc)
            try:
                case_module.Case.model_validate(c.model_dump())
                case_error = None
            except ValidationError as exc:
                case_error = str(exc)
            assert (row_error is None) == (case_error is None), (base_case.id, row_error, case_error)
            refused += row_error is not None
    assert refused > 30  # the shifts do make contradictions
