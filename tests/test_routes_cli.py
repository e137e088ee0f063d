"""`asylum route` as a user runs it: timeline, JSON with steps and citations, schema, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[1] / "examples" / "cases"


def asylum(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asylumengine.cli.main", *args], capture_output=True, text=True,
                          timeout=120, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})  # fmt: skip


def test_route_json_has_steps_with_citations():
    out = asylum("route", str(EXAMPLES / "dublin-greece-irregular-entry.yaml"), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["responsible_state"] == "GR"
    assert data["steps"] and all(s["citations"] for s in data["steps"])
    assert {"take_charge_request", "reply", "transfer"} <= {s["code"] for s in data["steps"]}


def test_route_timeline_in_dutch():
    out = asylum("route", str(EXAMPLES / "dublin-greece-irregular-entry.yaml"), "--lang", "nl")
    assert out.returncode == 0, out.stderr
    assert "Verantwoordelijk" in out.stdout and "Overnameverzoek" in out.stdout


def test_on_and_regime_options_change_the_answer():
    on_switch = asylum("route", str(EXAMPLES / "dublin-greece-irregular-entry.yaml"), "--regime", "dublin-iii", "--format", "json")
    data = json.loads(on_switch.stdout)
    assert data["regime"]["responsibility"] == "dublin-iii"
    assert data["responsibility_citation"] == "Dublin III Art 13(1)"


def test_schema_is_printed_and_documents_every_field():
    out = asylum("route", "--schema")
    assert out.returncode == 0
    schema = json.loads(out.stdout)
    assert {"applicant", "application", "family", "documents", "movements"} <= set(schema["properties"])
    published = json.loads((Path(__file__).parents[1] / "docs" / "case-schema.json").read_text())
    assert published == schema, "docs/case-schema.json is out of date: run `asylum route --schema > docs/case-schema.json`"


BAD = [
    ("unknown country code", {"applicant": {"nationality": "QQ"}}, "applicant.nationality", "unknown country code"),
    ("visa valid_to before valid_from", {"documents": [{"kind": "short_stay_visa", "issuing_state": "FR", "valid_from": "2026-05-01",
                                                        "valid_to": "2026-04-01"}]}, "documents[0].valid_to", "before valid_from"),
    ("date in the wrong format", {"application": {"made_on": "01-07-2026"}}, "application.made_on", "date"),
    ("missing required field", {"application": {"registered_on": None}}, "application.registered_on", ""),
    ("registration before entry", {"movements": [{"date": "2026-08-01", "country": "GR", "kind": "irregular_crossing"}]},
     "application.registered_on", "before the first entry"),
    ("registration before making", {"application": {"made_on": "2026-07-05"}}, "application.registered_on", "before made_on"),
    ("unknown field", {"applicant": {"shoe_size": 42}}, "applicant.shoe_size", "not permitted"),
    ("not a Dublin state", {"application": {"member_state": "TR"}}, "application.member_state", "not a Member State"),
]  # fmt: skip


def _write(tmp_path, change: dict) -> Path:
    import yaml

    base = {"applicant": {"date_of_birth": "1995-03-01", "nationality": "SY"},
            "application": {"member_state": "NL", "made_on": "2026-07-01", "registered_on": "2026-07-03"}}  # fmt: skip
    for k, v in change.items():
        if isinstance(v, dict):
            base.setdefault(k, {}).update(v)
            base[k] = {kk: vv for kk, vv in base[k].items() if vv is not None}
        else:
            base[k] = v
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(base), encoding="utf-8")
    return path


@pytest.mark.parametrize("label, change, field, words", BAD, ids=[b[0] for b in BAD])
def test_bad_case_gives_a_clear_error_naming_the_field(tmp_path, label, change, field, words):
    out = asylum("route", str(_write(tmp_path, change)))
    assert out.returncode == 2
    err = " ".join(out.stderr.split())
    assert "Traceback" not in out.stderr and "case.yaml" in err
    assert field in err, err
    assert words.lower() in err.lower(), err


@pytest.mark.parametrize("content", ["applicant: [unclosed", "- just\n- a list\n", ""])
def test_unreadable_case_file(tmp_path, content):
    path = tmp_path / "case.yaml"
    path.write_text(content, encoding="utf-8")
    out = asylum("route", str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr and "case.yaml" in out.stderr


def test_missing_case_file_and_bad_option():
    assert "file not found" in asylum("route", "/nonexistent/case.yaml").stderr
    out = asylum("route", str(EXAMPLES / "dublin-greece-irregular-entry.yaml"), "--regime", "dublin-4")
    assert out.returncode == 2 and "--regime" in out.stderr and "Traceback" not in out.stderr


def test_population_then_routes_round_trip(tmp_path):
    import polars as pl

    pop = tmp_path / "pop.parquet"
    out = tmp_path / "routes.parquet"
    made = asylum("population", "-n", "3000", "--seed", "5", "-o", str(pop))
    assert made.returncode == 0, made.stderr
    ran = asylum("routes", str(pop), "-o", str(out), "--chunk", "1000")
    assert ran.returncode == 0, ran.stderr
    table = pl.read_parquet(out)
    assert table.height == 3000
    assert {"id", "responsible_state", "criterion_code", "criterion_citation", "request_deadline", "transfer_deadline",
            "procedure_code", "border_mandatory", "terminal_states_mask"} <= set(table.columns)  # fmt: skip
    assert table["criterion_citation"].str.len_chars().min() > 0  # every determination carries its article
    assert set(table["id"].to_list()) == set(pl.read_parquet(pop)["id"].to_list())


def test_routes_on_a_table_without_the_columns_says_which(tmp_path):
    import polars as pl

    bad = tmp_path / "bad.parquet"
    pl.DataFrame({"id": ["a"], "a_nationality": [1]}).write_parquet(bad)
    out = asylum("routes", str(bad), "-o", str(tmp_path / "o.parquet"))
    assert out.returncode == 2 and "lacks column" in out.stderr and "Traceback" not in out.stderr
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet")
    out = asylum("routes", str(broken), "-o", str(tmp_path / "o.parquet"))
    assert out.returncode == 2 and "broken.parquet" in out.stderr and "Traceback" not in out.stderr
