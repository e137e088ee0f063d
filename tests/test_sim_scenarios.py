"""Bad scenario files: one clear error naming file, key and problem; non-zero exit; no traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from asylumengine.sim import REGISTRY, ScenarioError, load_scenario


def asylum(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asylumengine.cli.main", *args], capture_output=True, text=True,
                          timeout=180, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})  # fmt: skip


BAD = [
    ("unknown parameter", "parameters:\n  inflow.nonsense: {value: 1, source: 'assumption'}", "inflow.nonsense", "unknown parameter"),
    ("wrong type", "parameters:\n  ind.decisions_per_month: {value: 'many', source: 'assumption'}", "ind.decisions_per_month", "must be a number"),
    ("share above 1", "parameters:\n  dublin.claim_share: {value: 1.4, source: 'assumption'}", "dublin.claim_share", "between 0 and 1"),
    ("negative capacity", "parameters:\n  reception.regular_places: {value: -5, source: 'assumption'}", "reception.regular_places", "must not be negative"),
    ("overlay names a missing key", "parameters:\n  hub.safeguards.wifi: {value: true, source: 'assumption'}", "hub.safeguards.wifi", "unknown parameter"),
    ("no source", "parameters:\n  dublin.claim_share: {value: 0.3}", "dublin.claim_share", "'value' and 'source'"),
    ("bare value", "parameters:\n  dublin.claim_share: 0.3", "dublin.claim_share", "'value' and 'source'"),
    ("bool expected", "parameters:\n  hub.enabled: {value: 'yes', source: 'assumption'}", "hub.enabled", "true or false"),
    ("seasons do not add up", "parameters:\n  inflow.seasonality_q1: {value: 0.5, source: 'assumption'}", "inflow.seasonality_q1", "add up to 1"),
    ("bad start", "start: spring\nparameters: {}", "start", "YYYY-MM"),
    ("sd on an undrawn key", "parameters:\n  dublin.months_to_transfer: {value: 5, sd: 0.3, source: 'assumption'}", "dublin.months_to_transfer", "never drawn"),
    ("data where none exists", "parameters:\n  dublin.claim_share: {value: data, source: 'assumption'}", "dublin.claim_share", "not available"),
]  # fmt: skip


@pytest.mark.parametrize("label, body, key, words", BAD, ids=[b[0] for b in BAD])
def test_bad_overlay_is_refused_with_file_key_and_problem(tmp_path, label, body, key, words):
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nextends: baseline\n" + body + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.key == key and words in info.value.problem and str(path) in str(info.value)
    out = asylum("simulate", str(path), "--years", "1", "--replications", "2", "--scheduler", "synchronous")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    err = " ".join(out.stderr.split())
    assert "bad.yaml" in err and key in err and words in err, err


def test_unknown_extends(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("name: x\nextends: nowhere\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="unknown scenario 'nowhere'") as info:
        load_scenario(path)
    assert info.value.key == "extends"
    out = asylum("compare", str(path), str(path), "--years", "1", "--replications", "2", "--scheduler", "synchronous")
    assert out.returncode == 2 and "nowhere" in out.stderr and "Traceback" not in out.stderr


def test_circular_extends_and_unreadable_files(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("extends: b\n", encoding="utf-8")
    b.write_text("extends: a\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="circular"):
        load_scenario(a)
    (tmp_path / "broken.yaml").write_text("parameters: [unclosed", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario(tmp_path / "broken.yaml")
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "missing.yaml")


def test_a_scenario_without_extends_must_give_every_parameter(tmp_path):
    path = tmp_path / "lone.yaml"
    path.write_text(textwrap.dedent("""
        name: lone
        parameters:
          dublin.claim_share: {value: 0.3, source: assumption}
    """), encoding="utf-8")
    with pytest.raises(ScenarioError, match="missing in a scenario without 'extends'"):
        load_scenario(path)


def test_every_shipped_parameter_names_its_source():
    sc = load_scenario("scenarios/baseline.yaml")
    assert set(sc.params) == set(REGISTRY)
    for key, p in sc.params.items():
        resolved = "[data: " in p.source and ".csv" in p.source or "[calibrated: calibrated on" in p.source or "[solidarity: asylumengine.solidarity" in p.source
        assert resolved or p.source.startswith(("assumption", "CBS", "EUAA", "EU", "seed", "dublin.csv", "returns.csv", "COA", "NOS",
                                                "IND", "Pointer", "Kamervragen", "APR", "asylumengine", "derived", "state")), (key, p.source)  # fmt: skip


def test_bad_years_option():
    out = asylum("simulate", "scenarios/baseline.yaml", "--years", "0", "--scheduler", "synchronous")
    assert out.returncode == 2 and "--years" in out.stderr and "Traceback" not in out.stderr


def test_simulate_and_compare_from_the_command_line(tmp_path):
    import json

    html, png = tmp_path / "chain.html", tmp_path / "png"
    out = asylum("simulate", "scenarios/baseline.yaml", "--years", "2", "--replications", "20", "--scheduler", "synchronous",
                 "--format", "json", "--html", str(html), "--png", str(png))  # fmt: skip
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [s["name"] for s in data["scenarios"]] == ["baseline"]
    assert len(data["scenarios"][0]["summary"]["occupancy"]["median"]) == 2
    assert html.stat().st_size > 100_000 and sorted(p.name for p in png.glob("*.png"))
    out = asylum("compare", "scenarios/baseline.yaml", "scenarios/dublin-resumed.yaml", "--years", "2", "--replications", "20",
                 "--scheduler", "synchronous", "--lang", "nl")  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "baseline" in out.stdout and "dublin-resumed" in out.stdout and "COA-bezetting" in out.stdout
