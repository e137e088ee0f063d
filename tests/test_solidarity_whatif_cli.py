"""`asylum solidarity` what-ifs and procedure as a user runs them (issue 10): real subprocess, files, exit codes."""

from __future__ import annotations

import csv
import json

import pytest
from test_solidarity_cli import EXAMPLES, asylum

KEY = EXAMPLES / "key_data_six_states.csv"


def data(*args: str) -> dict:
    out = asylum("solidarity", "--format", "json", *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def states(d: dict) -> dict:
    return {s["member_state"]: s for s in d["states"]}


def test_key_data_file_runs_the_key_on_its_states_and_says_so():
    d = data("--key-data", str(KEY))
    assert sorted(states(d)) == ["BE", "DE", "ES", "FR", "IT", "NL"]
    assert "key_data_six_states.csv" in d["key"]["data"]
    assert sum(s["fair_share"] for s in d["states"]) == pytest.approx(100)
    assert d["cycle"]["vintage"] == "input"
    rows = list(csv.DictReader(KEY.open(encoding="utf-8")))
    pop, gdp = (sum(float(r[c]) for r in rows) for c in ("population", "gdp"))
    nl = next(r for r in rows if r["member_state"] == "NL")
    assert states(d)["NL"]["fair_share"] == pytest.approx(50 * float(nl["population"]) / pop + 50 * float(nl["gdp"]) / gdp)


def test_fixed_share_for_the_netherlands_scales_the_others_and_says_how():
    d = data("--fixed-share", "NL=5.2")
    s = states(d)
    assert s["NL"]["fair_share"] == pytest.approx(5.2) and s["NL"]["fair_share_fixed"] is True
    assert s["NL"]["reference_eur"] == pytest.approx(21_840_000)
    base = states(data())
    factor = d["key"]["others_scaled_by"]
    assert s["DE"]["fair_share"] == pytest.approx(base["DE"]["fair_share"] * factor)
    assert "multiplied by" in d["key"]["note"] and "NL 5.2%" in d["key"]["note"]


def test_forum_switch_changes_whether_offsets_are_mandatory():
    with_forum = data("--forum-reconvened")
    without = data("--no-forum-reconvened")
    assert with_forum["offsets"]["mandatory_triggered"] is True
    assert without["offsets"]["mandatory_triggered"] is False and without["offsets"]["forum_reconvened"] is False
    assert any("Art 13(4)" in p for p in without["notes"]["open_points"])
    assert states(without)["NL"]["answers"]["offsets_mandatory"] is False


def test_deduction_request_gives_who_decides_and_by_when():
    d = data("--deduction-request", "AT=2026-07-01", "--deduction-request", "PL=2026-07-03,2026-07-04")
    reqs = {r["member_state"]: r for r in d["procedure"]["deduction_requests"]}
    assert reqs["AT"]["assessment_due"] == "2026-07-29" and reqs["AT"]["automatic"] is False
    assert reqs["AT"]["assessed_by"] == "the Commission" and "Council" in reqs["AT"]["decided_by"]
    assert reqs["PL"]["received_on"] == "2026-07-04" and reqs["PL"]["assessment_due"] == "2026-08-03"


def test_systemic_finding_switches_on_at_its_date():
    before = data("--systemic-finding", "GR=2026-07-12", "--on", "2026-07-11")
    on = data("--systemic-finding", "GR=2026-07-12", "--on", "2026-07-12")
    assert states(before)["GR"]["systemic_shortcomings"] is False and states(before)["NL"]["released_eur"] == 0
    assert states(on)["GR"]["systemic_shortcomings"] is True and states(on)["NL"]["released_eur"] > 0


def test_pledges_file_with_one_state_leaves_the_others_assumed(tmp_path):
    path = tmp_path / "nl.csv"
    path.write_text("member_state,relocations,financial_eur\nNL,0,1000000\n", encoding="utf-8")
    s = states(data("--pledges", str(path)))
    assert s["NL"]["pledge_source"] == "given" and s["DE"]["pledge_source"] == "assumed"
    assert s["DE"]["shortfall_eur"] == 0 and s["DE"]["pledged_financial_eur"] == pytest.approx(s["DE"]["reference_eur"])


def test_answers_and_threshold_tests_are_in_the_json_and_the_text():
    s = states(data())["NL"]
    a = s["answers"]
    assert {"may_offer_offsets", "may_offer_up_to", "offsets_mandatory", "mandatory_up_to", "year_end_offsets",
            "still_to_implement", "threshold_tests"} <= set(a)  # fmt: skip
    assert {t["result"] for t in a["threshold_tests"]} <= {"below", "at", "above"}
    text = asylum("solidarity", "--state", "NL").stdout
    for phrase in ("May it offer offsets?", "Are offsets mandatory for it?", "Still to implement", "Threshold tests for NL",
                   "Systemic-shortcomings checks", "SAR share"):  # fmt: skip
        assert phrase in text, phrase


def test_text_table_shows_the_what_if_key_and_open_points():
    out = asylum("solidarity", "--fixed-share", "NL=5.2", "--no-forum-reconvened")
    assert out.returncode == 0, out.stderr
    assert "Fixed by hand: NL 5.2%" in " ".join(out.stdout.split())
    assert "Open points" in out.stdout


BAD = [
    ("unknown state in key file", ["--key-data", "KEY"], "member_state,population,gdp,source\nNL,1,1,x\nXX,1,1,x\n",
     ["key.csv", "row 2", "line 3", "'member_state'", "XX"]),
    ("negative population", ["--key-data", "KEY"], "member_state,population,gdp,source\nNL,-5,1,x\n",
     ["key.csv", "row 1", "'population'", "-5"]),
    ("missing source", ["--key-data", "KEY"], "member_state,population,gdp\nNL,5,1\n", ["key.csv", "row 1", "'source'", "missing"]),
    ("shares over 100% in a key file", ["--key-data", "KEY"],
     "member_state,population,gdp,source,fixed_share\nNL,1,1,x,60\nDE,1,1,x,50\nFR,1,1,x,\n",
     ["key.csv", "row 2", "'fixed_share'", "over 100%"]),
    ("shares over 100% on the command line", ["--fixed-share", "NL=60", "--fixed-share", "DE=50"], None,
     ["--fixed-share", "110%", "over 100%"]),
    ("fixed share for a state not in the set", ["--key-data", "KEY", "--fixed-share", "FR=5"],
     "member_state,population,gdp,source\nNL,1,1,x\nDE,1,1,x\n", ["key.csv", "--fixed-share", "FR", "not in the set"]),
    ("fixed share for Denmark", ["--fixed-share", "DK=2"], None, ["--fixed-share", "DK", "not in the set"]),
    ("malformed fixed share", ["--fixed-share", "NL5.2"], None, ["--fixed-share", "NL5.2", "MS=VALUE"]),
    ("deduction request without a date", ["--deduction-request", "AT=soon"], None, ["--deduction-request", "soon", "not a date"]),
    ("bad systemic outcome", ["--systemic-finding", "GR=2026-07-12:maybe"], None, ["--systemic-finding", "found", "none"]),
]


@pytest.mark.parametrize("label, args, content, expected", BAD, ids=[b[0] for b in BAD])
def test_bad_what_if_input_gives_one_clear_error(tmp_path, label, args, content, expected):
    path = tmp_path / "key.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = asylum("solidarity", *[str(path) if a == "KEY" else a for a in args])
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr + out.stdout and out.stderr.count("Error:") == 1
    text = " ".join(out.stderr.split())
    for fragment in expected:
        assert fragment in text, (fragment, text)


def test_same_what_if_inputs_give_identical_output():
    args = ("solidarity", "--format", "json", "--fixed-share", "NL=5.2", "--deduction-request", "AT=2026-07-01",
            "--systemic-finding", "GR=2026-07-12", "--on", "2026-08-01", "--no-forum-reconvened")  # fmt: skip
    first = asylum(*args)
    assert first.returncode == 0 and first.stdout == asylum(*args).stdout


def test_offset_request_with_its_reply_deadline():
    d = data("--pool-relocations", "30000", "--offset-request", "NL=IT:200:2026-07-01", "--pledges", str(EXAMPLES / "pledges_illustrative.csv"))
    req = d["procedure"]["offset_requests"][0]
    assert req["member_state"] == "NL" and req["requested_by"] == "IT" and req["basis"].startswith("mandatory")
    bad = asylum("solidarity", "--offset-request", "NL=IT:many:2026-07-01")
    assert bad.returncode == 2 and "TO=FROM:APPLICATIONS:DATE" in " ".join(bad.stderr.split())
