"""The `asylum` command as a user runs it: a real subprocess, real files, exit codes, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

EXAMPLES = __import__("pathlib").Path(__file__).parents[1] / "examples" / "solidarity"


def asylum(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "asylumengine.cli.main", *args],
        capture_output=True, text=True, timeout=120, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_help_lists_every_command_with_a_purpose():
    out = asylum("--help")
    assert out.returncode == 0
    for command in ("overview", "solidarity", "route", "routes", "population", "simulate", "compare", "params", "vintages"):
        assert command in out.stdout


def test_overview_shows_the_netherlands_at_5_2_percent():
    out = asylum("overview")
    assert out.returncode == 0, out.stderr
    assert "5.215% (~5.2%)" in out.stdout
    assert "at risk" in out.stdout


def test_json_has_one_list_of_states_with_iso_codes_and_percent_shares():
    out = asylum("solidarity", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    lists = [k for k, v in data.items() if isinstance(v, list)]
    assert lists == ["states"]
    states = {s["member_state"]: s for s in data["states"]}
    assert len(states) == 26 and "DK" not in states and "GR" in states and "EL" not in states
    assert round(states["NL"]["fair_share"], 1) == 5.2
    assert sum(s["fair_share"] for s in data["states"]) == pytest.approx(100)
    assert data["cycle"]["code_convention"].startswith("ISO 3166-1 alpha-2")
    assert data["totals"]["reconciles"] is True


def test_csv_has_a_row_per_state():
    out = asylum("solidarity", "--format", "csv", "--pledges", str(EXAMPLES / "pledges_illustrative.csv"))
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 26
    nl = next(r for r in rows if r["member_state"] == "NL")
    assert nl["offsets_counted"] == "200" and "IT:" in nl["owes"]


def test_same_inputs_give_identical_output():
    args = ("solidarity", "--format", "json", "--pledges", str(EXAMPLES / "pledges_illustrative.csv"))
    assert asylum(*args).stdout == asylum(*args).stdout


def test_greece_can_be_named_el_or_gr(tmp_path):
    by_el = asylum("solidarity", "--state", "EL")
    by_gr = asylum("solidarity", "--state", "gr")
    assert by_el.returncode == 0 and by_el.stdout == by_gr.stdout
    assert "Greece (GR)" in by_el.stdout


def test_pool_size_options_and_ratio_error():
    ok = asylum("solidarity", "--pool-relocations", "30000", "--format", "json")
    assert json.loads(ok.stdout)["pool"]["financial_eur"] == 600_000_000
    bad = asylum("solidarity", "--pool-relocations", "30000", "--pool-eur", "1")
    assert bad.returncode == 2 and "breaks the ratio" in bad.stderr and "Traceback" not in bad.stderr


BAD_PLEDGES = [
    ("unknown state", "member_state,relocations,financial_eur\nNL,0,1\nXX,0,1\n", ["row 2", "line 3", "'member_state'", "XX"]),
    ("negative amount", "member_state,relocations,financial_eur\nNL,0,-5\n", ["row 1", "'financial_eur'", "-5"]),
    ("missing field", "member_state,relocations\nNL,3\n", ["row 1", "'financial_eur'", "missing"]),
    ("empty required cell", "member_state,relocations,financial_eur\nNL,,100\n", ["row 1", "'relocations'", "missing"]),
    ("malformed number", "member_state,relocations,financial_eur\nNL,0,12.5k\n", ["row 1", "'financial_eur'", "12.5k"]),
    ("fractional relocations", "member_state,relocations,financial_eur\nNL,2.5,0\n", ["row 1", "'relocations'", "whole number"]),
    ("unknown column", "member_state,relocations,financial_eur,bonus\nNL,0,1,2\n", ["row 1", "'bonus'"]),
    ("state twice", "member_state,relocations,financial_eur\nNL,0,1\nnl,0,1\n", ["row 2", "already given in row 1"]),
    ("too many cells", "member_state,relocations,financial_eur\nNL,0,1,9\n", ["row 1", "more cells"]),
    ("Denmark", "member_state,relocations,financial_eur\nDK,0,1\n", ["DK", "not bound by AMMR Part IV"]),
]


@pytest.mark.parametrize("label, content, expected", BAD_PLEDGES, ids=[b[0] for b in BAD_PLEDGES])
def test_bad_pledge_file_gives_one_clear_error(tmp_path, label, content, expected):
    path = tmp_path / "pledges.csv"
    path.write_text(content, encoding="utf-8")
    out = asylum("solidarity", "--pledges", str(path))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr + out.stdout
    assert out.stderr.count("Error:") == 1
    text = " ".join(out.stderr.split())
    if label != "Denmark":
        assert "pledges.csv" in text
    for fragment in expected:
        assert fragment in text, (fragment, text)


BAD_CLASSIFICATIONS = [
    ("bad status", "member_state,status\nAT,overloaded\n", ["row 1", "'status'"]),
    ("deduction above one", "member_state,status,deduction\nAT,significant_migratory_situation,1.5\n", ["row 1", "'deduction'", "1.5"]),
    ("bad yes/no", "member_state,status,benefitting\nAT,none,perhaps\n", ["row 1", "'benefitting'", "perhaps"]),
    ("missing status", "member_state,deduction\nAT,0.5\n", ["row 1", "'status'", "missing"]),
]


@pytest.mark.parametrize("label, content, expected", BAD_CLASSIFICATIONS, ids=[b[0] for b in BAD_CLASSIFICATIONS])
def test_bad_classification_file_gives_one_clear_error(tmp_path, label, content, expected):
    path = tmp_path / "classes.csv"
    path.write_text(content, encoding="utf-8")
    out = asylum("solidarity", "--classification", str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    text = " ".join(out.stderr.split())
    assert "classes.csv" in text
    for fragment in expected:
        assert fragment in text, (fragment, text)


@pytest.mark.parametrize("kind", ["missing", "directory", "binary", "bad yaml"])
def test_unreadable_file_is_named(tmp_path, kind):
    path = tmp_path / ("p.yaml" if kind == "bad yaml" else "p.csv")
    if kind == "directory":
        path.mkdir()
    elif kind == "binary":
        path.write_bytes(b"\xff\xfe\x00\x81garbage")
    elif kind == "bad yaml":
        path.write_text("- member_state: NL\n  relocations: [unclosed\n", encoding="utf-8")
    out = asylum("solidarity", "--pledges", str(path))
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert path.name in out.stderr


def test_yaml_pledge_file_is_accepted(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("pledges:\n  - {member_state: EL, relocations: 0, financial_eur: 5}\n", encoding="utf-8")
    out = asylum("solidarity", "--pledges", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    gr = next(s for s in json.loads(out.stdout)["states"] if s["member_state"] == "GR")
    assert gr["pledged_financial_eur"] == 5


def test_params_command_lists_citations():
    out = asylum("params", "solidarity")
    assert out.returncode == 0
    assert "AMMR Art 12(2)(a)" in out.stdout and "30000" in out.stdout
