"""Properties of every route over random valid cases (hypothesis), purity of the rules, and the
one-case population giving exactly the single-case answer."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import numpy as np
from conftest import examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from asylumengine.routes import Case, route
from asylumengine.routes.columns import population_from_cases
from asylumengine.routes.engine import evaluate
from asylumengine.routes.rules.outcome import TERMINALS

MS = ["NL", "DE", "BE", "FR", "IT", "GR", "ES", "AT", "SE", "PL", "HU", "MT", "BG", "HR"]
NATS = ["SY", "AF", "TR", "ER", "IQ", "MA", "BD", "CO", "YE", "SO", "NG", "PK", "VE", "XK"]
day = st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2027, 6, 30))


@st.composite
def cases(draw):
    registered = draw(day)
    made = registered - dt.timedelta(days=draw(st.integers(0, 5)))
    state = draw(st.sampled_from(MS))
    before = lambda lo, hi: registered - dt.timedelta(days=draw(st.integers(lo, hi)))  # noqa: E731
    minor = draw(st.booleans()) and draw(st.booleans())
    dob = registered - dt.timedelta(days=draw(st.integers(11 * 365, 16 * 365)) if minor else draw(st.integers(19 * 365, 60 * 365)))
    movements = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["irregular_crossing", "sar_disembarkation", "lawful_entry", "visa_waived_entry"]))
        movements.append({"date": before(0, 900), "country": draw(st.sampled_from(MS)), "kind": kind,
                          "eurodac_record": draw(st.booleans())})  # fmt: skip
    movements = [m for m in movements if m["date"] <= made]  # an application is made after arriving (Case checks it)
    docs = []
    for _ in range(draw(st.integers(0, 2))):
        start = before(30, 1500)
        docs.append({"kind": draw(st.sampled_from(["residence_document", "long_stay_visa", "short_stay_visa"])),
                     "issuing_state": draw(st.sampled_from(MS)), "valid_from": start,
                     "valid_to": start + dt.timedelta(days=draw(st.integers(10, 900)))})  # fmt: skip
    family = []
    for _ in range(draw(st.integers(0, 2))):
        family.append({"relation": draw(st.sampled_from(["spouse", "child", "parent", "sibling", "aunt_uncle"])),
                       "location": draw(st.sampled_from(MS)),
                       "status": draw(st.sampled_from(["beneficiary_of_protection", "applicant_no_first_decision", "legally_resident", "irregular"])),
                       "written_consent": draw(st.booleans()), "able_to_care": draw(st.sampled_from([None, True, False])),
                       "dependency": draw(st.sampled_from(["none", "applicant_dependent"]))})  # fmt: skip
    prior = []
    if draw(st.booleans()):
        prior.append({"member_state": draw(st.sampled_from(MS)), "registered_on": before(20, 800),
                      "outcome": draw(st.sampled_from(["pending", "rejected", "protection_granted", "withdrawn"])),
                      "final": draw(st.booleans()), "new_elements": draw(st.booleans())})  # fmt: skip
    events = []
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["absconding", "imprisonment", "return_detention", "reappearance"]))
        start = registered + dt.timedelta(days=draw(st.integers(1, 300)))
        events.append({"kind": kind, "start": start, "end": start + dt.timedelta(days=draw(st.integers(0, 200)))})
    return Case.model_validate({
        "id": f"c{draw(st.integers(0, 10**9))}",
        "applicant": {"date_of_birth": dob, "nationality": draw(st.sampled_from(NATS)), "sex": draw(st.sampled_from(["male", "female"])),
                      "unaccompanied": minor and draw(st.booleans()),
                      "vulnerabilities": draw(st.lists(st.sampled_from(["serious_illness", "torture_victim"]), max_size=1))},
        "application": {"member_state": state, "made_on": made, "registered_on": registered,
                        "place": draw(st.sampled_from(["territory", "after_apprehension_at_border", "border_crossing_point", "airport_transit_area"])),
                        "in_detention": draw(st.booleans()) and draw(st.booleans())},
        "movements": movements, "documents": docs, "family": family, "prior_applications": prior, "events": events,
        "flags": {"security_threat": draw(st.booleans()) and draw(st.booleans()), "misled_authorities": draw(st.booleans()) and draw(st.booleans()),
                  "border_capacity_reached": draw(st.booleans())},
        "outcomes": {"merits": draw(st.sampled_from(["open", "refugee", "subsidiary", "rejected"])),
                     "appeal": draw(st.sampled_from(["open", "allowed", "dismissed"])),
                     "departure": draw(st.sampled_from(["open", "voluntary", "forced", "unknown_destination"])),
                     "take_charge_reply": draw(st.sampled_from(["open", "accepted", "refused"]))},
        "holidays": draw(st.sampled_from(["official", "none"])),
    })  # fmt: skip


# Found by this property (deadline before start): irregular crossing into NL on 2026-06-18, the
# application made and registered on 2026-07-01 at the border after apprehension. Registration
# counts from the later of the end of screening and the day the application is made (APR Art 27).
REGISTRATION_AFTER_SCREENING = Case.model_validate({
    "id": "pinned-registration",
    "applicant": {"date_of_birth": "1990-01-01", "nationality": "SY", "sex": "male"},
    "application": {"member_state": "NL", "made_on": "2026-07-01", "registered_on": "2026-07-01",
                    "place": "after_apprehension_at_border"},
    "movements": [{"date": "2026-06-18", "country": "NL", "kind": "irregular_crossing"}],
})  # fmt: skip

SETTINGS = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(cases(), st.sampled_from(["return-directive", "return-regulation-council-2025"]))
@example(REGISTRATION_AFTER_SCREENING, "return-directive")
def test_every_route_is_well_formed(case, return_regime):
    r = route(case, return_regime=return_regime)
    assert r.terminal_states and set(r.terminal_states) <= set(TERMINALS)
    assert r.responsibility_citation and r.responsible_state
    for s in r.steps:
        assert s.citations and all(c.strip() for c in s.citations), s.code
        if s.start and s.deadline:
            assert s.deadline >= s.start, (s.code, s.start, s.deadline)
        if s.deadline and s.deadline_latest:
            assert s.deadline_latest >= s.deadline, s.code
    for g in r.admissibility_grounds:
        assert g.citation
    if r.request != "none":
        assert r.transfer_deadline is not None
        assert r.reply_deadline is None or r.transfer_deadline > r.reply_deadline


@SETTINGS
@given(st.lists(cases(), min_size=2, max_size=6))
def test_one_case_population_gives_the_single_case_answer(batch):
    pop = population_from_cases(batch)
    res = evaluate(pop)
    for i, case in enumerate(batch):
        single = route(case)
        codes = single.legal_basis_codes
        assert codes["criterion"] == int(res["criterion"][i])
        assert codes["examining_criterion"] == int(res["examining_criterion"][i])
        assert codes["accelerated_grounds"] == int(res["accelerated_grounds"][i])
        assert codes["admissibility_grounds"] == int(res["admissibility_grounds"][i])
        for field in ("request_deadline", "reply_deadline", "transfer_deadline", "screening_deadline"):
            v = res[field][i]
            assert getattr(single, field) == (None if np.isnat(v) else v.astype(dt.date)), field


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(cases(), min_size=2, max_size=8))
def test_evaluation_is_deterministic_and_split_independent(batch):
    whole = evaluate(population_from_cases(batch))
    again = evaluate(population_from_cases(batch))
    k = len(batch) // 2
    halves = [evaluate(population_from_cases(batch[:k])), evaluate(population_from_cases(batch[k:]))]
    for key, value in whole.items():
        np.testing.assert_array_equal(value, again[key], err_msg=key)
        np.testing.assert_array_equal(value, np.concatenate([halves[0][key], halves[1][key]]), err_msg=key)


RULES = Path(__file__).parents[1] / "src" / "asylumengine" / "routes"
FORBIDDEN = {"random", "secrets", "time", "uuid"}


def test_rule_functions_are_pure():
    """No randomness, clock or I/O inside the rules: no such imports, no np.random, no today()/now()."""
    for path in list((RULES / "rules").glob("*.py")) + [RULES / "engine.py", RULES / "assemble.py", RULES / "columns.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(n.split(".")[0] in FORBIDDEN for n in names), f"{path.name} imports {names}"
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("random", "today", "now", "utcnow"), f"{path.name}: .{node.attr}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("open", "input"), f"{path.name}: {node.func.id}()"
