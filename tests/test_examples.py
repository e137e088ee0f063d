"""Every example case in examples/cases/ routes as its file says, and together they cover every branch."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from asylumengine.routes import load_case, route
from asylumengine.routes.rules.outcome import TERMINALS
from test_routes_cases import resolve

EXAMPLES = sorted((Path(__file__).parents[1] / "examples" / "cases").glob("*.yaml"))


def run(path: Path):
    extras = yaml.safe_load(path.read_text(encoding="utf-8"))
    return route(load_case(path), return_regime=extras.get("return_regime", "return-directive")), extras


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_routes_as_documented(path):
    r, extras = run(path)
    assert extras["id"] == path.stem, "an example is named for what it shows: file name = id"
    for key, expected in extras["expect"].items():
        actual = resolve(r, key.rstrip("~"))
        actual = actual.isoformat() if isinstance(actual, dt.date) else actual
        expected = expected.isoformat() if isinstance(expected, dt.date) else expected
        if key.endswith("~"):
            assert expected in actual, (key, actual)
        else:
            assert actual == expected, (key, actual, expected)


def test_examples_cover_every_branch():
    steps, terminals, requests, criteria, screenings = set(), set(), set(), set(), set()
    for path in EXAMPLES:
        r, _ = run(path)
        steps |= {s.code for s in r.steps}
        terminals |= set(r.terminal_states)
        requests.add(r.request)
        criteria.add(r.responsibility_criterion)
        if not r.application_made:
            screenings.add(r.screening.ground)
    assert {"screening", "registration", "lodging", "responsibility", "take_charge_request", "take_back_notification", "reply",
            "transfer", "procedure", "entry_authorised", "admissibility", "decision", "appeal", "article_8_echr", "status",
            "family_reunification", "return"} <= steps  # fmt: skip
    # each kind of person who has not applied (Screening Regulation Arts 5(1)(a)-(b), 5(2), 7(1))
    assert {"apprehended_at_external_border", "disembarked_after_sar", "irregular_stay_in_territory", "already_screened",
            "no_application_at_border_crossing_point"} <= screenings  # fmt: skip
    assert terminals == set(TERMINALS)
    assert requests == {"none", "take_charge", "take_back"}
    assert len(criteria) >= 9
