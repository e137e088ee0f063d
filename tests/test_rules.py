"""The rules registry keeps its promises: every rule names its article and its text, reads only the
columns and law parameters it declares (checked at run time), holds no legal number, and every
shipped law parameter is read by some rule."""

from __future__ import annotations

import ast
import datetime as dt
import fnmatch
import inspect
from pathlib import Path

import numpy as np
import pytest

from asylumengine.cli.registry import load_all
from asylumengine.law import law_parameters
from asylumengine.law.rules import RULES, article_text
from asylumengine.routes import Case, load_case
from asylumengine.routes.columns import Population, population_from_cases
from asylumengine.routes.engine import STEPS, evaluate
from asylumengine.routes.rules.common import Ctx
from asylumengine.routes.synth import synthetic_population

SRC = Path(__file__).parents[1] / "src" / "asylumengine"
RULE_MODULES = sorted([*(SRC / "routes" / "rules").glob("*.py"), *(SRC / "solidarity" / "rules").glob("*.py")])
NOT_COMPOSED = {"asylumengine.routes.rules.time_limits.add_period"}  # the time rule every deadline calls

# Parameters read outside registered rules, each with the reason.
READ_OUTSIDE_RULES = {
    # none for the route engine: its engine reads only the APR switch, which procedure_regime also reads
}
SOLIDARITY_BEFORE_RULES = "read by solidarity/cycle.py, pool.py; the solidarity engine registers no rules on this branch yet"

load_all()


# The relocation route (AMMR Art 67-68) is a composition of its own (routes/relocation.py), for one
# relocated person, not a step of the population engine.
OWN_COMPOSITION = "asylumengine.routes.rules.relocation."


def routes_rules():
    return [r for r in RULES.values() if r.engine == "routes" and r.name not in NOT_COMPOSED and not r.name.startswith(OWN_COMPOSITION)]


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: f"{p.parent.parent.name}/rules/{p.name}")
def test_no_numeric_literal_other_than_0_or_1_in_rule_modules(path):
    """The law's numbers are data: periods, thresholds and dates come from law/params."""
    found = [(node.lineno, node.value) for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and type(node.value) in (int, float, complex) and node.value not in (0, 1)]  # fmt: skip
    assert not found, f"{path.name}: numeric literals {found} - move them to law/params (or, if not law, to routes/vector.py)"
    dates = [n.lineno for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value[:2] in ("19", "20") and n.value[4:5] == "-"]  # fmt: skip
    assert not dates, f"{path.name}: date literals on lines {dates}"


def test_the_literal_check_would_catch_one(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("WEEKS = 12\n", encoding="utf-8")
    assert [n for n in ast.walk(ast.parse(bad.read_text())) if isinstance(n, ast.Constant) and n.value == 12]


@pytest.mark.parametrize("rule", list(RULES.values()), ids=lambda r: r.name)
def test_rule_declares_its_article_text_and_parameters(rule):
    if rule.text:
        heading, body = article_text(rule.text)
        assert body.strip(), rule.text
        prefix = rule.text.partition("#")[2]
        assert not heading[len(prefix):][:1].isdigit(), f"{rule.text} resolves to another article: {heading}"
    for name in rule.params:
        law_parameters().parameter(name)  # raises on an unknown parameter
    assert rule.summary and rule.citation


@pytest.mark.parametrize("rule", list(RULES.values()), ids=lambda r: r.name)
def test_no_rule_function_over_60_lines(rule):
    assert len(inspect.getsourcelines(rule.func)[0]) <= 60, rule.name


def test_every_shipped_law_parameter_is_read_by_a_rule():
    declared = {p for r in RULES.values() for p in r.params}
    allowed = dict(READ_OUTSIDE_RULES)
    if not any(r.engine == "solidarity" for r in RULES.values()):
        allowed.update({n: SOLIDARITY_BEFORE_RULES for n in law_parameters().names() if n.startswith("solidarity.")})
    unread = [n for n in law_parameters().names() if n not in declared and n not in allowed]
    assert not unread, f"parameters no rule reads: {unread} (read them in a rule, or remove them with a note)"


def test_every_route_rule_is_composed_once_after_what_it_reads():
    order = [f.rule for _, funcs in STEPS for f in funcs]
    assert sorted(r.name for r in order) == sorted(r.name for r in routes_rules())
    produced_by = {}
    for r in order:
        for key in r.produces:
            produced_by.setdefault(key, r)
    seen: set[str] = set()
    for r in order:
        for key in r.reads:
            if key in produced_by and produced_by[key] is not r:
                assert key in seen, f"{r.name} reads {key} before {produced_by[key].name} produces it"
        seen.update(r.produces)


# --- run time: what each rule really reads -------------------------------------------------------


class Recording(Population):
    """A population that notes every column a rule reads."""

    log: set  # on the root population: the running rule's log (taken sub-populations are cached)
    root: "Recording | None" = None

    def __getitem__(self, name):
        (self.root or self).log.add(name)
        return super().__getitem__(name)

    def take(self, rows, prefixes=None):
        sub = super().take(rows, prefixes)
        out = Recording(sub.arrays, sub.ids)
        out.root = self.root or self
        return out


class RecordingValues(dict):
    def __init__(self, values, log):
        super().__init__(values)
        self.log = log

    def __getitem__(self, key):
        self.log.add(key)
        return super().__getitem__(key)


def _run_recorded(pop: Population, on, regime):
    """engine.evaluate's loop, with each rule's reads recorded (compared with evaluate below)."""
    ctx = Ctx(params=law_parameters(), on=on or dt.date(2026, 6, 12))
    ctx.forced_regime = {"auto": None, "pact": 1, "dublin-iii": 0}[regime]
    rec = Recording({**pop.arrays, "computed_on": np.full(pop.n, np.datetime64(on or "2026-06-12", "D"))}, pop.ids)
    values = {"return_regime": np.zeros(pop.n, dtype=np.int8)}
    reads, outputs = {}, {}
    for step, funcs in STEPS:
        for func in funcs:
            rec.log = log = set()
            out = ctx.run(func, rec, RecordingValues(values, log), step)
            reads[func.rule.name] = reads.get(func.rule.name, set()) | log
            outputs[func.rule.name] = set(out)
            values.update(out)
    return values, reads, outputs, ctx.reads


def _case_population() -> Population:
    """The synthetic population and every lawyer-written route case and example, in one table."""
    from test_routes_cases import load, merge

    cases = [Case.model_validate(merge(p.values[0], p.values[1].get("case", {}))) for p in load()]
    cases += [load_case(path) for path in sorted((Path(__file__).parents[1] / "examples" / "cases").glob("*.yaml"))]
    synth, written = synthetic_population(4000, seed=11), population_from_cases(cases)
    arrays = {k: np.concatenate([synth.arrays[k], written.arrays[k]]) for k in synth.arrays}
    return Population(arrays, np.concatenate([synth.ids, written.ids]))


@pytest.fixture(scope="module")
def recorded():
    pop = _case_population()
    runs = [(on, regime) for on in (None, dt.date(2026, 3, 1), dt.date(2027, 5, 3)) for regime in ("auto", "pact", "dublin-iii")]
    cols, params = {}, {}
    for on, regime in runs:
        values, reads, outputs, param_reads = _run_recorded(pop, on, regime)
        expected = evaluate(pop, on=on or dt.date(2026, 6, 12), regime=regime, workers=1)
        for key, arr in expected.items():  # the recorded loop is the engine's loop
            assert _same(arr, values[key]), key
        for name, log in reads.items():
            cols.setdefault(name, set()).update(log)
        for name, got in param_reads.items():
            params.setdefault(name, set()).update(got)
        for name, keys in outputs.items():
            assert keys == set(RULES[name].produces), f"{name} produced {sorted(keys)}, declares {sorted(RULES[name].produces)}"
    return cols, params


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    if a.dtype.kind == "M":
        return bool(np.all((a == b) | (np.isnat(a) & np.isnat(b))))
    return np.array_equal(a, b, equal_nan=a.dtype.kind == "f")


def _declared(rule, name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in rule.reads)


@pytest.mark.parametrize("rule", routes_rules(), ids=lambda r: r.name)
def test_rule_reads_exactly_the_columns_and_values_it_declares(rule, recorded):
    cols, _ = recorded
    got = cols.get(rule.name, set())
    undeclared = sorted(c for c in got if not _declared(rule, c))
    assert not undeclared, f"{rule.name} reads {undeclared} without declaring them"
    unused = [p for p in rule.reads if not any(fnmatch.fnmatchcase(c, p) for c in got)]
    assert not unused, f"{rule.name} declares {unused} but never read them"


@pytest.mark.parametrize("rule", routes_rules(), ids=lambda r: r.name)
def test_rule_reads_exactly_the_parameters_it_declares(rule, recorded):
    _, params = recorded
    got = params.get(rule.name, set())
    assert got <= set(rule.params), f"{rule.name} reads {sorted(got - set(rule.params))} without declaring them"
    assert set(rule.params) <= got, f"{rule.name} declares {sorted(set(rule.params) - got)} but never read them"


@pytest.mark.parametrize("on, year, percent", [(dt.date(2024, 12, 31), 2023, 94), (dt.date(2025, 1, 1), 2024, 90),
                                               (dt.date(2026, 7, 1), 2024, 90)])  # fmt: skip
def test_recognition_rate_is_the_latest_yearly_figure_available_on_the_date(on, year, percent):
    """APR Art 42(1)(j): 'the latest available yearly' data - Syria has 2023 (94%) and 2024 (90%) figures;
    a year's figures count from the day after it ends (procedure.apr_recognition_rate_data_lag_months = 0)."""
    from asylumengine.routes.engine import evaluate_cases

    case = Case.model_validate({"applicant": {"date_of_birth": "1995-03-01", "nationality": "SY"},
                                "application": {"member_state": "NL", "made_on": "2024-06-01", "registered_on": "2024-06-03"}})  # fmt: skip
    _, r = evaluate_cases([case], on=on)
    assert (int(r["recognition_rate_year"][0]), float(r["recognition_rate"][0])) == (year, percent)


def test_parameter_reads_are_recorded_with_their_dated_values():
    pop = synthetic_population(200, seed=2)
    ctx = Ctx(params=law_parameters(), on=dt.date(2026, 7, 1))
    evaluate(pop, on=dt.date(2026, 7, 1), ctx=ctx)
    day, value = ctx.reads["asylumengine.routes.rules.procedure.lodging"]["procedure.apr_lodging_days"]
    assert value == {"standard": 21, "border": 5} and day == dt.date(2026, 7, 1)


# --- precedence is data: the tables decide, not the code around them -----------------------------


def _visa_and_entry() -> Case:
    return Case.model_validate({
        "applicant": {"date_of_birth": "1995-03-01", "nationality": "SY", "sex": "male"},
        "application": {"member_state": "NL", "made_on": "2026-07-01", "registered_on": "2026-07-03"},
        "documents": [{"kind": "short_stay_visa", "issuing_state": "FR", "valid_from": "2026-05-01", "valid_to": "2026-06-15"}],
        "movements": [{"date": "2026-06-20", "country": "GR", "kind": "irregular_crossing"}],
    })  # fmt: skip


def test_the_order_of_the_criteria_is_the_criteria_table(monkeypatch):
    """AMMR Art 24(1): documents (Art 29) before entry (Art 33). Moving Art 33 above Art 29 in
    responsibility.CRITERIA - and nothing else - makes Greece responsible instead of France."""
    from asylumengine.routes import route
    from asylumengine.routes.rules import responsibility as R

    assert route(_visa_and_entry()).responsible_state == "FR"
    rows = list(R.CRITERIA)
    doc = next(i for i, c in enumerate(rows) if c[1] == "document_state")
    entry = next(i for i, c in enumerate(rows) if c[1] == "entry_state")
    rows[doc], rows[entry] = rows[entry], rows[doc]
    monkeypatch.setattr(R, "CRITERIA", tuple(rows))
    assert route(_visa_and_entry()).responsible_state == "GR"


def test_the_first_border_exemption_in_the_table_is_reported(monkeypatch):
    """An unaccompanied minor whose special needs cannot be met at the border: APR Art 53(1) is listed
    before 53(2) in border.BORDER_EXEMPTIONS, so it is the reason given; swapped, 53(2) is."""
    from asylumengine.routes.engine import evaluate_cases
    from asylumengine.routes.rules import border as B

    case = Case.model_validate({
        "applicant": {"date_of_birth": "2010-01-01", "nationality": "BD", "unaccompanied": True},
        "application": {"member_state": "IT", "made_on": "2026-07-01", "registered_on": "2026-07-09", "place": "after_apprehension_at_border"},
        "movements": [{"date": "2026-07-01", "country": "IT", "kind": "irregular_crossing"}],
        "flags": {"special_procedural_needs_unmet_at_border": True},
    })  # fmt: skip
    assert evaluate_cases([case])[1]["border_exemption"][0] == B.EX_UAM
    rows = list(B.BORDER_EXEMPTIONS)
    uam = next(i for i, e in enumerate(rows) if e[0] == B.EX_UAM)
    needs = next(i for i, e in enumerate(rows) if e[0] == B.EX_NEEDS)
    rows[uam], rows[needs] = rows[needs], rows[uam]
    monkeypatch.setattr(B, "BORDER_EXEMPTIONS", tuple(rows))
    assert evaluate_cases([case])[1]["border_exemption"][0] == B.EX_NEEDS
