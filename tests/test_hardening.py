"""Bad and odd input through the real command line: one clear error naming the file, field or
option, exit code 2, never a traceback; what users legitimately send is accepted; outputs are
written atomically."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from asylumengine.io import YamlInputError, atomic_dir, atomic_path, load_json, load_yaml

ROOT = Path(__file__).parents[1]
CASE = ROOT / "examples" / "cases" / "dublin-greece-irregular-entry.yaml"
PLEDGES = ROOT / "examples" / "solidarity" / "pledges_illustrative.csv"


def asylum(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asylumengine.cli.main", *args], capture_output=True, text=True, timeout=300)


def assert_clear_error(p: subprocess.CompletedProcess, *words: str) -> None:
    out = p.stdout + p.stderr
    assert p.returncode == 2, out
    assert "Traceback" not in out, out
    for w in words:
        assert w in out, (w, out)


# --- YAML/JSON with limits -----------------------------------------------------------------


def test_duplicate_yaml_key_is_an_error_naming_key_and_line():
    with pytest.raises(YamlInputError, match=r"case.yaml, line 3: key 'a' given twice \(first on line 2\)"):
        load_yaml("b: 1\na: 1\na: 2\n", "case.yaml")


def test_duplicate_json_key_is_an_error():
    with pytest.raises(YamlInputError, match="key 'a' given twice"):
        load_json('{"a": 1, "a": 2}', "case.json")


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 200))])
def test_deep_nesting_is_refused_not_a_recursion_error(text):
    with pytest.raises(YamlInputError, match="nested"):
        load_yaml(text, "deep.yaml")


def test_deep_json_nesting_is_refused():
    with pytest.raises(YamlInputError, match="nested too deeply"):
        load_json("[" * 100_000 + "]" * 100_000, "deep.json")


def test_alias_bomb_is_refused():
    text = "a: &a [1, 1]\n" + "".join(f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, *{'a' if i == 0 else f'b{i - 1}'}]\n" for i in range(60))
    with pytest.raises(YamlInputError, match="aliases"):
        load_yaml(text, "bomb.yaml")


def test_a_byte_order_mark_is_ignored():
    assert load_yaml("\ufeffa: 1") == {"a": 1}
    assert load_json("\ufeff{\"a\": 1}".encode("utf-8")) == {"a": 1}


def test_case_file_with_a_duplicate_key_through_the_cli(tmp_path):
    bad = tmp_path / "dup.yaml"
    text = CASE.read_text(encoding="utf-8")
    bad.write_text(text + "\nholidays: none\nholidays: official\n", encoding="utf-8")
    assert_clear_error(asylum("route", str(bad)), "dup.yaml", "holidays", "given twice")


def test_deeply_nested_case_through_the_cli(tmp_path):
    bad = tmp_path / "deep.json"
    bad.write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    assert_clear_error(asylum("route", str(bad)), "deep.json", "nested")


# --- markup, options, output paths --------------------------------------------------------


def test_text_that_looks_like_rich_markup_is_printed_as_text(tmp_path):
    assert_clear_error(asylum("route", str(tmp_path / "[/x].yaml")), "[/x].yaml", "file not found")
    assert_clear_error(asylum("solidarity", "--state", "[/bold]"), "[/bold]")


@pytest.mark.parametrize(
    "args, option",
    [
        (["solidarity", "--year", "0"], "--year"),
        (["population", "-n", "-1", "-o", "x.parquet"], "--size"),
        (["population", "--seed", "-1", "-o", "x.parquet"], "--seed"),
        (["simulate", "scenarios/baseline.yaml", "--workers", "-1"], "--workers"),
        (["simulate", "scenarios/baseline.yaml", "--replications", "0"], "--replications"),
        (["routes", "x.parquet", "-o", "y.parquet", "--chunk", "0"], "--chunk"),
    ],
)
def test_out_of_range_options_are_refused(args, option):
    assert_clear_error(asylum(*args), option)


def test_output_paths_that_cannot_be_written_are_refused_before_any_work(tmp_path):
    assert_clear_error(asylum("population", "-n", "5", "-o", str(tmp_path)), "--output", "is a folder")
    assert_clear_error(asylum("population", "-n", "5", "-o", str(tmp_path / "missing" / "p.parquet")), "does not exist")
    pop = tmp_path / "pop.parquet"
    assert asylum("population", "-n", "5", "-o", str(pop)).returncode == 0
    before = pop.read_bytes()
    assert_clear_error(asylum("routes", str(pop), "-o", str(pop)), "is also an input")
    assert pop.read_bytes() == before  # nothing already stored is lost


def test_version_answers():
    p = asylum("--version")
    assert p.returncode == 0 and p.stdout.startswith("asylumengine ")


def test_a_pledge_csv_saved_by_excel_with_a_bom_is_read(tmp_path):
    bom = tmp_path / "pledges.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + PLEDGES.read_bytes())
    plain = asylum("solidarity", "--pledges", str(PLEDGES), "--format", "json")
    excel = asylum("solidarity", "--pledges", str(bom), "--format", "json")
    assert excel.returncode == 0, excel.stderr
    assert excel.stdout == plain.stdout


# --- atomic writes -------------------------------------------------------------------------


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.parquet"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("interrupted")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]


def test_a_complete_write_replaces_the_file(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_path(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new" and len(list(tmp_path.iterdir())) == 1


def test_an_interrupted_folder_write_adds_nothing(tmp_path):
    folder = tmp_path / "charts"
    with pytest.raises(RuntimeError):
        with atomic_dir(folder) as tmp:
            (tmp / "a.png").write_bytes(b"x")
            raise RuntimeError("interrupted")
    assert not folder.exists() and list(tmp_path.iterdir()) == []


# --- cases that contradict themselves ------------------------------------------------------

BASE = {
    "applicant": {"date_of_birth": "1995-03-01", "nationality": "SY", "sex": "male"},
    "application": {"member_state": "NL", "made_on": "2026-07-01", "registered_on": "2026-07-03"},
}


def _case_error(extra: dict) -> str:
    from asylumengine.routes import Case
    from pydantic import ValidationError

    data = {**BASE, **{k: v for k, v in extra.items() if k != "applicant"}}
    if "applicant" in extra:
        data["applicant"] = {**BASE["applicant"], **extra["applicant"]}
    with pytest.raises(ValidationError) as info:
        Case.model_validate(data)
    return str(info.value)


@pytest.mark.parametrize(
    "extra, words",
    [
        ({"applicant": {"age": 40}}, ["age", "does not match date_of_birth"]),
        ({"documents": [{"kind": "short_stay_visa", "issuing_state": "DE", "valid_from": "2026-03-01", "valid_to": "2026-05-01",
                         "status": "annulled", "cancelled_on": "2026-01-01"}]}, ["cancelled_on", "before valid_from"]),
        ({"documents": [{"kind": "short_stay_visa", "issuing_state": "DE", "valid_from": "2026-03-01", "valid_to": "2026-05-01",
                         "cancelled_on": "2026-04-01"}]}, ["cancelled_on", "status is 'valid'"]),
        ({"prior_applications": [{"member_state": "DE", "registered_on": "2025-05-01", "outcome": "rejected", "final": True,
                                  "final_on": "2025-01-01"}]}, ["final_on", "before registered_on"]),
        ({"prior_applications": [{"member_state": "DE", "registered_on": "2026-08-01", "outcome": "pending"}]}, ["prior_applications[0].registered_on", "after"]),
        ({"third_countries": [{"country": "DE", "kind": "transit"}]}, ["third_countries", "'DE' is a Member State"]),
    ],
)  # fmt: skip
def test_a_case_that_contradicts_itself_is_refused_naming_the_field(extra, words):
    msg = _case_error(extra)
    for w in words:
        assert w in msg, (w, msg)


# --- non-finite numbers in scenarios (found by benchmarks/fuzz_cli.py) ------------------------


@pytest.mark.parametrize("key, leaf", [
    ("inflow.first_applications_per_year", "{value: .nan, source: 'assumption: test'}"),
    ("inflow.first_applications_per_year", "{value: .inf, source: 'assumption: test'}"),
    ("inflow.first_applications_per_year", "{value: 24000, sd: .nan, source: 'assumption: test'}"),
    ("hub.safeguards.stability", "{value: [[[]]], source: 'assumption: test'}"),  # was a TypeError (unhashable list)
])  # fmt: skip
def test_non_finite_or_wrongly_typed_scenario_values_are_refused(tmp_path, key, leaf):
    f = tmp_path / "nan.yaml"
    f.write_text(f"name: t\nextends: baseline\nparameters:\n  {key}: {leaf}\n", encoding="utf-8")
    assert_clear_error(asylum("simulate", str(f), "--years", "1", "--replications", "2"), "nan.yaml", key)


def test_non_finite_pledges_and_pool_sizes_are_refused(tmp_path):
    f = tmp_path / "pledges.csv"
    f.write_text("member_state,relocations,financial_eur\nNL,0,inf\n", encoding="utf-8")
    assert_clear_error(asylum("solidarity", "--pledges", str(f)), "pledges.csv", "financial_eur", "finite")
    assert_clear_error(asylum("solidarity", "--pool-relocations", "inf"), "pool-relocations", "finite")


def test_a_relocation_case_with_a_duplicate_key_is_a_clear_error(tmp_path):
    src = ROOT / "examples" / "relocation" / "applicant-italy-to-netherlands.yaml"
    bad = tmp_path / "reloc.yaml"
    first_key = next(line for line in src.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))  # given twice
    bad.write_text(first_key + "\n" + src.read_text(encoding="utf-8"), encoding="utf-8")
    assert_clear_error(asylum("relocation", str(bad)), "reloc.yaml", "given twice")


def test_api_scenario_validation_refuses_a_duplicate_key():
    from fastapi.testclient import TestClient

    from asylumengine.api.app import create_app

    with TestClient(create_app()) as client:
        r = client.post("/api/scenarios/validate", content=b"name: a\nname: b\nextends: baseline\nparameters: {}\n",
                        headers={"content-type": "application/yaml"})  # fmt: skip
    assert r.status_code == 200 and r.json()["valid"] is False and "given twice" in r.json()["error"]
