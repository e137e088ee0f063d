"""What the fuzzers found (benchmarks/fuzz_cli.py, fuzz_api.py), pinned: each input once gave a
traceback, a server error, an error naming neither file nor option, or was silently accepted.
The CLI is run in-process through its real entry point ``main(argv)``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from asylumengine.cli.main import main
from asylumengine.io import atomic_path
from asylumengine.io.atomic import remove_stale_parts
from asylumengine.routes.synth import synthetic_population

ROOT = Path(__file__).parents[1]


def asylum(capsys, *argv: str) -> tuple[int, str]:
    """Exit code and everything printed, through the real entry point."""
    with pytest.raises(SystemExit) as stop:
        main(list(argv))
    out = capsys.readouterr()
    return stop.value.code, out.out + out.err


def assert_clear_error(code: int, out: str, *words: str) -> None:
    assert code == 2, out
    assert "Traceback" not in out and "Internal error" not in out, out
    for w in words:
        assert w in out, (w, out)


@pytest.fixture(scope="module")
def population() -> pl.DataFrame:
    return synthetic_population(12, seed=3).to_polars()


def with_cell(table: pl.DataFrame, column: str, row: int, value, dtype=None) -> pl.DataFrame:
    values = table.get_column(column).to_list()
    values[row] = value
    return table.with_columns(pl.Series(column, values, dtype=dtype or table.schema[column], strict=False))


def routes_error(capsys, tmp_path, table: pl.DataFrame) -> tuple[int, str]:
    pop = tmp_path / "pop.parquet"
    table.write_parquet(pop)
    out = tmp_path / "out.parquet"
    code, text = asylum(capsys, "routes", str(pop), "-o", str(out))
    assert not out.exists() or code == 0
    return code, text


def test_the_entry_point_takes_its_arguments(capsys):
    code, out = asylum(capsys, "--version")
    assert code == 0 and out.startswith("asylumengine ")


@pytest.mark.parametrize("column, value, words", [
    ("f_security", None, ["f_security", "row 4", "null"]),  # a flag left empty was read as garbage
    ("a_age", None, ["a_age", "row 4", "-1"]),
    ("a_age", 500, ["a_age", "row 4", "500", "0 to 120"]),  # an age no one has
    ("fam0_age", -7, ["fam0_age", "row 4", "-7"]),
    ("a_age", 2**40, ["a_age", "row 4", "out of range"]),  # wrapped round to a small int32 before
    ("dip0_isced", 9, ["dip0_isced", "row 4", "0 to 8"]),  # ISCED levels are 0 to 8
    ("a_vulnerable", 2**20, ["a_vulnerable", "row 4"]),  # bits beyond the known vulnerabilities
])  # fmt: skip
def test_a_population_with_an_impossible_number_or_an_empty_flag_is_refused(capsys, tmp_path, population, column, value, words):
    dtype = pl.Int64 if isinstance(value, int) and abs(value) > 2**31 else None
    code, out = routes_error(capsys, tmp_path, with_cell(population, column, 3, value, dtype))
    assert_clear_error(code, out, "pop.parquet", *words)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -0.5])
def test_a_population_with_a_non_finite_or_negative_study_time_is_refused(capsys, tmp_path, population, value):
    code, out = routes_error(capsys, tmp_path, with_cell(population, "dip1_years", 0, value))
    assert_clear_error(code, out, "pop.parquet", "dip1_years", "row 1")


def test_a_population_with_absent_numbers_and_dates_is_read(capsys, tmp_path, population):
    """-1 ('not given') in a number column and null in a date column are what the writer itself uses."""
    table = with_cell(with_cell(population, "a_age", 0, -1), "app_return_decision", 0, None)
    code, out = routes_error(capsys, tmp_path, table)
    assert code == 0, out
    assert pl.read_parquet(tmp_path / "out.parquet").height == population.height


def test_the_api_refuses_a_member_state_classified_twice():
    from fastapi.testclient import TestClient

    from asylumengine.api.app import create_app

    row = {"member_state": "AT", "status": "significant_migratory_situation", "deduction": 1}
    with TestClient(create_app()) as client:
        r = client.post("/api/solidarity", json={"classifications": [row, row]})
        once = client.post("/api/solidarity", json={"classifications": [row]})
    assert r.status_code == 422 and "AT" in r.text and "given twice" in r.text
    assert once.status_code == 200


@pytest.mark.parametrize("argv, words", [
    (["population", "-o", "{tmp}/p.parquet", "-n", "3", "--state", "-1"], ["--state", "'-1'"]),
    (["solidarity", "--vintage", "{{}}"], ["--vintage", "eurostat-2024"]),
    (["solidarity", "--state", "0000-00-00"], ["--state", "0000-00-00"]),
])  # fmt: skip
def test_an_odd_option_value_is_an_error_naming_the_option(capsys, tmp_path, argv, words):
    code, out = asylum(capsys, *[a.format(tmp=tmp_path) for a in argv])
    assert_clear_error(code, out, *words)


def test_a_write_killed_by_sigkill_leaves_only_a_hidden_part_removed_by_the_next_write(tmp_path):
    """kill -9 cannot be caught: the temporary file stays. It is hidden and named with the dead
    process's id, so the next write to the same path removes it; a live writer's part is kept."""
    target = tmp_path / "out.parquet"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    stale = tmp_path / f".out.parquet.{dead.stdout.strip()}.abc123.part"
    stale.write_bytes(b"half")
    live = tmp_path / f".out.parquet.{os.getpid()}.def456.part"
    live.write_bytes(b"being written")
    other = tmp_path / f".other.parquet.{dead.stdout.strip()}.x.part"  # another output's part: not ours to remove
    other.write_bytes(b"x")
    with atomic_path(target) as tmp:
        assert tmp.name.startswith(f".out.parquet.{os.getpid()}.") and tmp.name.endswith(".part")
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert not stale.exists() and live.exists() and other.exists()
    assert remove_stale_parts(target) == []



@pytest.mark.parametrize("name, text, words", [
    ("pledges.csv", "member_state,relocations,financial_eur,offsets\nBE,0,10014785,4\n", ["offsets_towards"]),
    ("classes.csv", "member_state,status,benefitting,need_share\nCZ,significant_migratory_situation,no,0.5\n", ["need_share"]),
])  # fmt: skip
def test_an_engine_error_about_a_row_names_the_file_it_came_from(capsys, tmp_path, name, text, words):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    option = "--pledges" if name == "pledges.csv" else "--classification"
    code, out = asylum(capsys, "solidarity", option, str(f))
    assert_clear_error(code, out, name, *words)


def test_an_error_found_while_routing_names_the_case_file(capsys, tmp_path):
    """A Dublin request date on a case whose route has no Dublin request: found by the engine, not
    the loader; the message named the field but not the file."""
    import yaml

    src = ROOT / "examples" / "cases" / "dublin-greece-irregular-entry.yaml"
    doc = yaml.safe_load(src.read_text(encoding="utf-8"))
    doc.pop("movements", None)
    doc.pop("prior_applications", None)
    doc.pop("documents", None)
    doc["dublin"] = {"request_sent_on": "2026-08-01"}
    f = tmp_path / "no-dublin.yaml"
    f.write_text(yaml.safe_dump(doc), encoding="utf-8")
    code, out = asylum(capsys, "route", str(f))
    assert_clear_error(code, out, "no-dublin.yaml", "dublin.request_sent_on")


@pytest.mark.parametrize("value", ["inf", "1e309", "nan", "-5"])
def test_a_non_finite_or_negative_proposed_relocations_is_refused(capsys, value):
    """Infinity passed as the Commission's proposal (Art 63(1) test) and gave a cycle."""
    code, out = asylum(capsys, "solidarity", "--proposed-relocations", value)
    assert_clear_error(code, out, "proposed-relocations", "finite")


def test_the_api_refuses_an_infinite_proposed_relocations():
    from fastapi.testclient import TestClient

    from asylumengine.api.app import create_app

    with TestClient(create_app()) as client:
        r = client.post("/api/solidarity", content=b'{"proposed_relocations": Infinity}', headers={"content-type": "application/json"})
    assert r.status_code == 422 and "proposed" in r.text and "finite" in r.text


@pytest.mark.parametrize("option, value", [
    ("--deduction-request", "kLo=2026-07-01"), ("--systemic-finding", "QQ=2026-07-12"), ("--offset-request", "NL=QQ:200:2026-07-01"),
])  # fmt: skip
def test_an_unknown_state_in_a_dated_solidarity_option_names_the_option(capsys, option, value):
    code, out = asylum(capsys, "solidarity", option, value)
    assert_clear_error(code, out, option, "not an EU Member State code")


def test_a_solidarity_memo_with_huge_pool_numbers_is_written_not_a_server_error():
    """schemathesis: a pool of 8e78 relocations made the memo's number formatting fail (500)."""
    from fastapi.testclient import TestClient

    from asylumengine.api.app import create_app
    from asylumengine.reports.i18n import Texts

    with TestClient(create_app()) as client:
        r = client.post("/api/reports/solidarity", json={"pool_relocations": 7.973091381056294e78, "proposed_relocations": 1.79e308})
    assert r.status_code == 200, r.text[:300]
    assert Texts("en").num(7.973091381056294e78).startswith("7,973,091,381,056,294")
