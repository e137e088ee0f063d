"""A case in progress (case.dublin): bad input is one clear error naming the field; events reach the
vectorised path as population columns; a late request ends the Dublin chain; tables written before
the event columns existed still read (issue 11)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

from asylumengine.routes import Case, RouteError, route
from asylumengine.routes.columns import OPTIONAL_COLUMNS, Population, population_from_cases
from asylumengine.routes.engine import evaluate
from asylumengine.routes.rules import events as Ev

SRC = Path(__file__).parents[1] / "src"
BASE = {"applicant": {"date_of_birth": "1995-03-01", "nationality": "SY", "sex": "male"},
        "application": {"member_state": "NL", "made_on": "2026-07-01", "registered_on": "2026-07-03"},
        "movements": [{"date": "2026-03-10", "country": "GR", "kind": "irregular_crossing"}]}  # fmt: skip
ACCEPTED = {"request_sent_on": "2026-07-20", "reply": "accepted", "reply_on": "2026-07-30"}


def case(dublin: dict, **more) -> Case:
    return Case.model_validate({**BASE, **more, "dublin": dublin})


def asylum(*args: str) -> subprocess.CompletedProcess:
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(SRC)}  # this checkout's code
    return subprocess.run([sys.executable, "-m", "asylumengine.cli.main", *args], capture_output=True, text=True, timeout=120, env=env)


BAD = [
    ("reply before request", {"request_sent_on": "2026-07-20", "reply": "accepted", "reply_on": "2026-07-19"}, "dublin.reply_on", "before"),
    ("receipt before sending", {"request_sent_on": "2026-07-20", "request_received_on": "2026-07-18"}, "dublin.request_received_on", "before"),
    ("transfer before acceptance", {**ACCEPTED, "transfer_carried_out_on": "2026-07-25"}, "dublin.transfer_carried_out_on", "before"),
    ("transfer after a refusal", {"request_sent_on": "2026-07-20", "reply": "refused", "reply_on": "2026-07-25",
                                  "transfer_carried_out_on": "2026-09-01"}, "dublin.transfer_carried_out_on", "refused"),
    ("reply without a request", {"reply": "accepted", "reply_on": "2026-07-30"}, "dublin.reply", "no request was sent"),
    ("accepted without a date", {"request_sent_on": "2026-07-20", "reply": "accepted"}, "dublin.reply_on", "required"),
    ("appeal without a transfer decision", {**ACCEPTED, "appeal_lodged_on": "2026-08-12"}, "dublin.appeal_lodged_on", "not notified"),
    ("transfer during a suspensive appeal", {**ACCEPTED, "transfer_decision_notified_on": "2026-08-10", "appeal_lodged_on": "2026-08-12",
                                             "appeal_suspensive": True, "transfer_carried_out_on": "2026-09-01"},
     "dublin.transfer_carried_out_on", "suspensive"),
    ("re-examination of an acceptance", {**ACCEPTED, "reexamination_requested_on": "2026-08-01"}, "dublin.reexamination_requested_on",
     "after a refusal"),
    ("request before registration", {"request_sent_on": "2026-07-01"}, "dublin.request_sent_on", "before the registration"),
    ("informed of an absconding that is not in the events", {**ACCEPTED, "absconding_informed_on": "2026-09-08"},
     "dublin.absconding_informed_on", "no absconding event"),
    ("reply contradicts the stated outcome", {"request_sent_on": "2026-07-20", "reply": "refused", "reply_on": "2026-07-25"},
     "dublin.reply", "contradicts"),
]  # fmt: skip


@pytest.mark.parametrize("label, dublin, field, words", BAD, ids=[b[0] for b in BAD])
def test_events_out_of_order_are_one_clear_error_naming_the_field(tmp_path, label, dublin, field, words):
    doc = {**BASE, "dublin": dublin}
    if label == "reply contradicts the stated outcome":
        doc["outcomes"] = {"take_charge_reply": "accepted"}
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    out = asylum("route", str(path))
    err = " ".join(out.stderr.split())
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert field in err and words in err, err


def test_an_event_for_a_request_the_route_does_not_have_is_an_error(tmp_path):
    doc = {**BASE, "movements": [], "dublin": {"request_sent_on": "2026-07-20"}}  # no other state is responsible
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    out = asylum("route", str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "dublin.request_sent_on" in out.stderr and "no take charge request" in out.stderr
    with pytest.raises(RouteError, match="dublin.kind"):
        route(case({"kind": "take_back", "request_sent_on": "2026-07-20"}))


def test_schema_shows_the_dublin_events():
    out = asylum("route", "--schema")
    assert out.returncode == 0
    fields = json.loads(out.stdout)["$defs"]["DublinEvents"]["properties"]
    assert {"request_sent_on", "request_received_on", "reply", "reply_on", "reexamination_requested_on", "transfer_decision_notified_on",
            "appeal_lodged_on", "appeal_suspensive", "appeal_final_decision_on", "transfer_carried_out_on",
            "absconding_informed_on", "urgent_reply_requested", "based_on_hit", "hit_received_on"} <= set(fields)  # fmt: skip


def test_a_late_take_charge_request_ends_the_dublin_chain():
    r = route(case({"hit_received_on": "2026-07-06", "request_sent_on": "2026-08-07"}))
    codes = [s.code for s in r.steps]
    assert "take_charge_request" in codes and "reply" not in codes and "transfer" not in codes
    assert r.examining_state == "NL" and r.legal_basis_codes["examining_criterion"] == 22  # REQUEST_TIME_LIMIT_EXPIRED


def test_the_remedy_period_runs_from_the_notification_given():
    """AMMR Art 43(2): 1 to 3 weeks after the notification (10 Aug 2026 -> 17 Aug / 31 Aug)."""
    pop = population_from_cases([case({**ACCEPTED, "transfer_decision_notified_on": "2026-08-10"}), case(ACCEPTED)])
    r = evaluate(pop)
    assert str(r["transfer_remedy_deadline"][0]) == "2026-08-17" and str(r["transfer_remedy_deadline_latest"][0]) == "2026-08-31"
    # not given: from the last day of the two weeks for the decision (30 Jul + 2 weeks = 13 Aug, + 1 week = 20 Aug)
    assert str(r["transfer_decision_deadline"][1]) == "2026-08-13" and str(r["transfer_remedy_deadline"][1]) == "2026-08-20"


def test_events_reach_the_vectorised_path_and_agree_with_each_route():
    cases = [case({"hit_received_on": "2026-07-06", "request_sent_on": day}) for day in ("2026-08-05", "2026-08-07")]
    cases += [case({**ACCEPTED, "transfer_carried_out_on": day}) for day in ("2027-02-01", "2027-02-02")]
    cases += [case({"request_sent_on": "2026-07-20", "reply": "none"}), case({})]
    r = evaluate(population_from_cases(cases))
    assert r["request_late"].tolist() == [False, True, False, False, False, False]
    assert [Ev.TRANSFER_STATUS[s] for s in r["transfer_status"]] == ["pending", "", "in_time", "late", "pending", ""]
    assert [Ev.REPLY_EFFECTS[e] for e in r["reply_effect"]] == ["", "", "accepted", "accepted", "implicit_acceptance", ""]
    examining = [route(c).examining_state for c in cases]
    assert examining == ["GR", "NL", "GR", "NL", "GR", "GR"]


def test_a_table_without_the_event_columns_reads_them_as_not_given():
    pop = population_from_cases([case(ACCEPTED), case({})])
    table = pop.to_polars()
    old = table.drop(list(OPTIONAL_COLUMNS))  # a population file written before issue 11
    back = Population.from_polars(old)
    assert np.isnat(back["dub_sent"]).all() and (back["dub_reply"] == 0).all()
    with_events = Population.from_polars(table)
    assert str(with_events["dub_reply_on"][0]) == "2026-07-30"
    assert str(evaluate(back)["transfer_deadline"][0]) == str(evaluate(population_from_cases([case({})]))["transfer_deadline"][0])


def test_the_results_table_carries_the_judgements():
    from asylumengine.routes import evaluate_population

    table = evaluate_population(population_from_cases([case({**ACCEPTED, "transfer_carried_out_on": "2027-02-02"})]).to_polars())
    row = table.row(0, named=True)
    assert row["transfer_status"] == "late" and row["reply_effect"] == "accepted" and row["request_late"] is False
    assert isinstance(table.schema["transfer_status"], pl.Enum)


def test_without_events_the_route_is_as_before():
    """No event given: the latest-possible chain (the examples' answers stay as they were)."""
    r = route(case({}))
    assert (r.request_deadline, r.reply_deadline, r.transfer_deadline) == (dt.date(2026, 8, 3), dt.date(2026, 8, 17), dt.date(2027, 2, 17))


def _event_cases():
    from test_routes_cases import load

    return [p for p in load() if p.id.startswith("events")]


@pytest.mark.parametrize("base, spec", _event_cases())
def test_dutch_route_of_every_event_case_has_no_english(base, spec):
    """Every new step text and outcome exists in Dutch (not only every fourth case, as the general test samples)."""
    from test_messages import assert_no_english, dutch_texts, rendered
    from test_routes_cases import merge

    r = route(Case.model_validate(merge(base, spec.get("case", {}))), lang="nl")
    assert_no_english(dutch_texts(r) + [rendered(r)], spec["name"])
