"""The REST API: every endpoint, its errors (422 naming the field, 404, never a 500), jobs whose
progress moves and whose results equal the CLI's for the same inputs and seed."""

from __future__ import annotations

import io
import json
import threading
import time
from pathlib import Path

import polars as pl
import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from asylumengine.api import create_app
from asylumengine.api import jobs as jobs_module
from asylumengine.cli.main import app as cli
from asylumengine.reports.manifest import data_hash, law_hash
from conftest import examples

ROOT = Path(__file__).parents[1]
GREECE = ROOT / "examples" / "cases" / "dublin-greece-irregular-entry.yaml"


def bearer(app) -> dict:
    """A fresh API token's header (starting jobs needs one: tests/test_security.py)."""
    from asylumengine.store import tokens

    return {"Authorization": f"Bearer {tokens.create(app.state.store, 'test')[1]}"}


@pytest.fixture(scope="module")
def client():
    app = create_app()
    with TestClient(app, headers=bearer(app)) as c:  # raise_server_exceptions: a bug fails the test
        yield c


def field_of(response) -> list[str]:
    return [d["field"] for d in response.json()["detail"]]


def wait_done(client, job_id: str, limit: float = 120) -> dict:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        s = client.get(f"/api/jobs/{job_id}").json()
        if s["status"] in ("done", "failed"):
            return s
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def assert_manifest(m: dict, seed=None) -> None:
    assert m["law_hash"] == law_hash() and m["data_hash"] == data_hash() and m["code_version"]
    assert m["seed"] == seed and isinstance(m["inputs"], dict)


# --- meta ----------------------------------------------------------------------------------


def test_health_and_offline_docs(client):
    assert_manifest(client.get("/api/health").json()["manifest"])
    docs = client.get("/docs").text
    assert "/docs-static/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/route", "/api/solidarity", "/api/jobs", "/api/explain", "/api/scenarios/validate"} <= set(paths)
    assert "Case" in client.get("/openapi.json").json()["components"]["schemas"]  # typed by the engine's model


# --- routes --------------------------------------------------------------------------------


def test_route_yaml_and_json_bodies_give_the_cli_route(client):
    expect = yaml.safe_load(GREECE.read_text())["expect"]
    by_yaml = client.post("/api/route", content=GREECE.read_bytes(), headers={"content-type": "application/yaml"})
    assert by_yaml.status_code == 200
    case = client.post("/api/cases/parse", content=GREECE.read_bytes(), headers={"content-type": "application/yaml"}).json()["case"]
    by_json = client.post("/api/route", json=case)
    assert by_yaml.json()["route"] == by_json.json()["route"]
    r = by_json.json()["route"]
    assert r["responsible_state"] == expect["responsible_state"] == "GR"
    assert r["request_deadline"] == str(expect["request_deadline"]) and r["transfer_deadline"] == str(expect["transfer_deadline"])
    cli_out = CliRunner().invoke(cli, ["route", str(GREECE), "--format", "json"])
    assert json.loads(cli_out.stdout) == r
    man = by_json.json()["manifest"]
    assert_manifest(man)
    assert man["inputs"]["case"]["applicant"]["nationality"] == "SY" and man["inputs"]["regime"] == "auto"


def test_route_options_are_applied(client):
    body = GREECE.read_bytes()
    headers = {"content-type": "application/yaml"}
    dublin = client.post("/api/route?regime=dublin-iii", content=body, headers=headers).json()["route"]
    assert dublin["regime"]["responsibility"] == "dublin-iii"
    hub = client.post("/api/route?return_regime=return-regulation-council-2025", content=body, headers=headers).json()
    assert hub["route"]["regime"]["return"] == "return-regulation-council-2025"
    assert hub["manifest"]["inputs"]["return_regime"] == "return-regulation-council-2025"


@pytest.mark.parametrize(
    "mutate, field",
    [
        (lambda c: c["applicant"].update(date_of_birth="1995-13-01"), "applicant.date_of_birth"),
        (lambda c: c.pop("application"), "application"),
        (lambda c: c["application"].update(registered_on="2026-06-01"), "application.registered_on"),
        (lambda c: c["applicant"].update(nationality="QQ"), "applicant.nationality"),
        (lambda c: c["movements"][0].update(kind="swim"), "movements[0].kind"),
        (lambda c: c.update(colour="blue"), "colour"),
    ],
)
def test_route_invalid_case_is_422_naming_the_field(client, mutate, field):
    case = yaml.safe_load(GREECE.read_text())
    case.pop("expect")
    case = json.loads(json.dumps(case, default=str))
    mutate(case)
    r = client.post("/api/route", json=case)
    assert r.status_code == 422
    assert field in field_of(r), r.json()


def test_route_bad_bodies_and_options(client):
    r = client.post("/api/route", content=b"applicant: [", headers={"content-type": "application/yaml"})
    assert r.status_code == 422 and field_of(r) == ["body"] and "YAML" in r.json()["error"]
    assert field_of(client.post("/api/route", content=b"[1, 2]", headers={"content-type": "application/json"})) == ["body"]
    curl = client.post("/api/route", content=GREECE.read_bytes(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert curl.status_code == 200  # curl --data-binary @case.yaml: read as YAML
    r = client.post("/api/route?regime=napoleonic", content=GREECE.read_bytes(), headers={"content-type": "application/yaml"})
    assert r.status_code == 422 and field_of(r) == ["regime"]
    assert client.post("/api/route", content=b"x" * (300 * 1024)).status_code == 413


def test_examples_and_schema(client):
    listed = client.get("/api/cases/examples").json()
    assert len(listed) == len(list((ROOT / "examples" / "cases").glob("*.yaml")))
    one = client.get("/api/cases/examples/dublin-italy-transfer-blocked").json()
    assert one["case"]["id"] == "dublin-italy-transfer-blocked" and "expect" not in one["case"]
    r = client.get("/api/cases/examples/no-such-case")
    assert r.status_code == 404 and "dublin-greece-irregular-entry" in r.json()["known"]
    assert "applicant" in client.get("/api/cases/schema").json()["properties"]


def parquet_bytes(table: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    table.write_parquet(buf)
    return buf.getvalue()


def test_population_upload_equals_the_engine(client):
    from asylumengine.routes import evaluate_population
    from asylumengine.routes.synth import synthetic_population

    table = synthetic_population(40, seed=3).to_polars()
    files = {"file": ("pop.parquet", parquet_bytes(table), "application/octet-stream")}
    r = client.post("/api/routes/population", files=files)
    assert r.status_code == 200
    expected = json.loads(evaluate_population(table).write_json())
    assert r.json()["rows"] == expected and r.json()["manifest"]["inputs"]["rows"] == 40
    csv = client.post("/api/routes/population?format=csv", files=files)
    assert csv.text.splitlines()[0].startswith(",".join(evaluate_population(table).columns[:2]))
    assert json.loads(csv.headers["x-manifest"])["inputs"]["file"] == "pop.parquet"
    back = pl.read_parquet(io.BytesIO(client.post("/api/routes/population?format=parquet", files=files).content))
    assert back.equals(evaluate_population(table))


def test_population_errors(client):
    r = client.post("/api/routes/population", files={"file": ("x.parquet", b"not parquet", "application/octet-stream")})
    assert r.status_code == 422 and field_of(r) == ["file"]
    wrong = parquet_bytes(pl.DataFrame({"a": [1, 2]}))
    r = client.post("/api/routes/population", files={"file": ("x.parquet", wrong, "application/octet-stream")})
    assert r.status_code == 422 and "lacks column" in r.json()["error"]
    assert field_of(client.post("/api/routes/population")) == ["file"]


# --- solidarity ----------------------------------------------------------------------------


def nl(body: dict) -> dict:
    return next(s for s in body["result"]["states"] if s["member_state"] == "NL")


def test_solidarity_default_and_what_if(client):
    base = client.post("/api/solidarity", json={}).json()
    assert round(nl(base)["fair_share"], 3) == 5.215
    assert_manifest(base["manifest"])
    double = client.post("/api/solidarity", json={"pool_relocations": 2 * base["result"]["pool"]["relocations"]}).json()
    assert nl(double)["obligation_eur"] == pytest.approx(2 * nl(base)["obligation_eur"])
    assert double["manifest"]["inputs"]["pool_relocations"] == 2 * base["result"]["pool"]["relocations"]
    pledged = client.post("/api/solidarity", json={"pledges": [{"member_state": "NL", "relocations": 100}], "state": "NL"}).json()
    assert pledged["focus"]["pledged_relocations"] == 100 and pledged["focus"]["pledge_source"] == "given"
    classified = client.post("/api/solidarity", json={"classifications": [{"member_state": "NL", "status": ["migratory_pressure"],
                                                                             "benefitting": True}]}).json()  # fmt: skip
    assert nl(classified)["benefitting"] and nl(classified)["obligation_eur"] != nl(base)["obligation_eur"]


def test_solidarity_matches_the_cli_csv(client):
    r = client.post("/api/solidarity?format=csv", json={"pool_relocations": 30000})
    out = CliRunner().invoke(cli, ["solidarity", "--pool-relocations", "30000", "--format", "csv"])
    assert r.text == out.stdout
    assert json.loads(r.headers["x-manifest"])["inputs"]["pool_relocations"] == 30000


def test_solidarity_inputs_as_files_reproduce_with_the_cli(client, tmp_path):
    """What the web page's "reproduce this" block gives: the inputs saved as JSON files for the CLI."""
    body = {"pool_relocations": 25000, "pledges": [{"member_state": "NL", "relocations": 300, "financial_eur": 1e6}],
            "classifications": [{"member_state": "NL", "status": ["migratory_pressure"], "benefitting": True,
                                 "systemic_shortcomings": False, "deduction": 0}]}  # fmt: skip
    (tmp_path / "pledges.json").write_text(json.dumps(body["pledges"]))
    (tmp_path / "classification.json").write_text(json.dumps(body["classifications"]))
    out = CliRunner().invoke(cli, ["solidarity", "--pool-relocations", "25000", "--pledges", str(tmp_path / "pledges.json"),
                                   "--classification", str(tmp_path / "classification.json"), "--format", "csv"])  # fmt: skip
    assert out.exit_code == 0, out.output
    assert client.post("/api/solidarity?format=csv", json=body).text == out.stdout


@pytest.mark.parametrize(
    "body, field",
    [
        ({"pledges": [{"member_state": "XX", "relocations": 5}]}, "pledges[0].member_state"),
        ({"pledges": [{"member_state": "NL", "relocations": -5}]}, "pledges[0].relocations"),
        ({"pool_relocations": 0}, "pool_relocations"),
        ({"classifications": [{"member_state": "IT", "deduction": 2}]}, "classifications[0].deduction"),
        ({"interpretation": {"systemic_shortcomings_effect": "ignore"}}, "interpretation.systemic_shortcomings_effect"),
        ({"year": "next"}, "year"),
        ({"pool": 5}, "pool"),
        ({"state": "ZZ"}, "state"),
    ],
)
def test_solidarity_invalid_is_422_naming_the_field(client, body, field):
    r = client.post("/api/solidarity", json=body)
    assert r.status_code == 422 and field in field_of(r), r.json()


def test_solidarity_engine_errors_are_422(client):
    r = client.post("/api/solidarity", json={"vintage": "no-such-vintage"})
    assert r.status_code == 422 and "unknown data vintage" in r.json()["error"]
    names = [v["name"] for v in client.get("/api/solidarity/vintages").json()]
    assert len(names) >= 2
    other = client.post("/api/solidarity", json={"vintage": names[-1]}).json()
    assert other["result"]["vintage"] == names[-1]


# --- scenarios and jobs --------------------------------------------------------------------


def test_scenarios_list_read_validate(client):
    ids = [s["id"] for s in client.get("/api/scenarios").json()]
    assert "baseline" in ids and "dublin-resumed" in ids
    base = client.get("/api/scenarios/baseline").json()
    p = next(x for x in base["parameters"] if x["key"] == "inflow.first_applications_per_year")
    assert p["value"] > 0 and "CBS" in p["source"] and p["kind"] == "count"
    assert client.get("/api/scenarios/atlantis").status_code == 404
    good = "name: t\nextends: baseline\nparameters:\n  dublin.claim_share: {value: 0.3, source: 'assumption: test'}\n"
    assert client.post("/api/scenarios/validate", content=good).json() == {"valid": True, "name": "t", "parameters": len(base["parameters"]),
                                                                          "error": None, "key": None}  # fmt: skip
    bad = good.replace("0.3", "1.3")
    r = client.post("/api/scenarios/validate", content=bad).json()
    assert r["valid"] is False and r["key"] == "dublin.claim_share" and "between 0 and 1" in r["error"]
    assert client.post("/api/scenarios/validate", content="a: [").json()["valid"] is False


def cli_json(args: list[str]) -> dict:
    out = CliRunner().invoke(cli, [*args, "--scheduler", "synchronous", "--format", "json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def test_job_result_equals_the_cli(client):
    req = {"scenarios": [{"id": "baseline"}, {"id": "dublin-resumed"}], "years": 2, "replications": 30, "seed": 7}
    r = client.post("/api/jobs", json=req)
    assert r.status_code == 202 and r.headers["location"] == f"/api/jobs/{r.json()['id']}"
    status = wait_done(client, r.json()["id"])
    assert status["status"] == "done" and status["progress"] == 1.0 and status["kind"] == "compare"
    assert_manifest(status["manifest"], seed=7)
    result = client.get(f"/api/jobs/{status['id']}/result").json()
    cli_out = cli_json(["compare", "scenarios/baseline.yaml", "scenarios/dublin-resumed.yaml", "--years", "2", "--replications", "30", "--seed", "7"])
    assert result["scenarios"] == cli_out["scenarios"]
    assert status["reproduce"]["cli"] == ("asylum compare scenarios/baseline.yaml scenarios/dublin-resumed.yaml "
                                          "--years 2 --replications 30 --seed 7")  # fmt: skip
    diff = result["differences"][0]
    assert diff["name"] == "dublin-resumed" and diff["against"] == "baseline"
    assert diff["indicators"]["occupancy"]["median"][1] < 0  # transfers resume: fewer people in reception
    csv = client.get(f"/api/jobs/{status['id']}/result?format=csv").text.splitlines()
    assert csv[0].startswith("scenario,indicator,year,median") and len(csv) > 2 * 14 * 2
    chart = client.get(f"/api/jobs/{status['id']}/chart").json()
    assert len(chart["months"]) == 24 and len(chart["scenarios"]) == 2 and chart["differences"][0]["name"] == "dublin-resumed"


def test_edited_scenario_reproduces_with_the_cli(client, tmp_path):
    req = {"scenarios": [{"id": "baseline", "overrides": {"ind.decisions_per_month": 5000}}], "years": 2, "replications": 20, "seed": 3}
    status = wait_done(client, client.post("/api/jobs", json=req).json()["id"])
    assert status["kind"] == "simulate"
    overlay = status["reproduce"]["baseline-edited.yaml"]
    assert "was " in overlay and "ind.decisions_per_month" in overlay
    (tmp_path / "baseline-edited.yaml").write_text(overlay)
    result = client.get(f"/api/jobs/{status['id']}/result").json()
    cli_out = cli_json(["simulate", str(tmp_path / "baseline-edited.yaml"), "--years", "2", "--replications", "20", "--seed", "3"])
    assert result["scenarios"] == cli_out["scenarios"]
    plain = cli_json(["simulate", "scenarios/baseline.yaml", "--years", "2", "--replications", "20", "--seed", "3"])
    assert result["scenarios"][0]["summary"]["backlog"]["median"] != plain["scenarios"][0]["summary"]["backlog"]["median"]


def test_job_progress_moves(client, monkeypatch):
    step = threading.Semaphore(0)
    real_run = jobs_module.run

    def gated(*args, progress, **kw):
        def report(n):
            progress(n)
            step.acquire(timeout=30)  # the test lets one chunk finish at a time

        return real_run(*args, progress=report, **kw)

    monkeypatch.setattr(jobs_module, "run", gated)
    job = client.post("/api/jobs", json={"scenarios": [{"id": "baseline"}], "years": 1, "replications": 40}).json()
    seen = []
    end = time.monotonic() + 60
    while time.monotonic() < end:
        s = client.get(f"/api/jobs/{job['id']}").json()
        if not seen or s["progress"] != seen[-1]:
            seen.append(s["progress"])
            step.release()
        if s["status"] == "done":
            break
        time.sleep(0.01)
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert len([p for p in seen if 0 < p < 1]) >= 3, seen  # 40 replications in chunks of 2: it moves in steps


def test_job_errors(client):
    assert client.get("/api/jobs/nope").status_code == 404
    assert client.get("/api/jobs/nope/result").status_code == 404
    assert client.get("/api/jobs/nope/chart").status_code == 404
    assert client.get("/api/reports/jobs/nope").status_code in (404, 503)
    r = client.post("/api/jobs", json={"scenarios": [{"id": "atlantis"}]})
    assert r.status_code == 404 and field_of(r) == ["scenarios[0].id"]
    r = client.post("/api/jobs", json={"scenarios": [{"id": "baseline", "overrides": {"dublin.claim_share": 1.5}}]})
    assert r.status_code == 422 and field_of(r) == ["scenarios[0].overrides.dublin.claim_share"]
    r = client.post("/api/jobs", json={"scenarios": [{"id": "baseline", "overrides": {"no.such.key": 1}}]})
    assert r.status_code == 422 and "unknown parameter" in r.json()["error"]
    for body, field in [({"scenarios": []}, "scenarios"), ({"scenarios": [{"id": "baseline"}], "years": 0}, "years"),
                        ({"scenarios": [{"id": "baseline"}], "replications": 10**6}, "replications"),
                        ({"scenarios": [{"id": "baseline"}] * 3, "replications": 5000, "years": 10}, "replications")]:  # fmt: skip
        r = client.post("/api/jobs", json=body)
        assert r.status_code == 422 and field_of(r) == [field]


def test_unfinished_job_is_409_and_a_full_queue_429(monkeypatch):
    gate = threading.Event()
    monkeypatch.setattr(jobs_module, "run", lambda *a, **k: gate.wait(30) and None)
    app = create_app(web=False)
    app.state.jobs = jobs_module.JobQueue(running=1, queued=0, store=app.state.store)
    with TestClient(app, headers=bearer(app)) as c:
        first = c.post("/api/jobs", json={"scenarios": [{"id": "baseline"}], "replications": 5}).json()
        assert c.get(f"/api/jobs/{first['id']}/result").status_code == 409
        assert c.post("/api/jobs", json={"scenarios": [{"id": "baseline"}], "replications": 5}).status_code == 429
        # the running job does not block other requests
        assert c.post("/api/route", content=GREECE.read_bytes(), headers={"content-type": "application/yaml"}).status_code == 200
        assert c.get(f"/api/jobs/{first['id']}").json()["status"] == "running"
        gate.set()


# --- explain -------------------------------------------------------------------------------


def test_explain_text_and_unknown_article(client):
    r = client.get("/api/explain", params={"article": "AMMR Art 33(1)"}).json()
    assert r["text"]["heading"].startswith("AMMR Art 33 ") and "irregularly crossed" in r["text"]["text"]
    r = client.get("/api/explain", params={"article": "AMMR Art 3"})  # not Art 33: whole article numbers only
    assert r.status_code == 404 and isinstance(r.json()["closest"], list) and field_of(r) == ["article"]
    assert field_of(client.get("/api/explain")) == ["article"]
    assert isinstance(client.get("/api/articles").json(), list)


def test_explain_finds_a_registered_rule(client):
    from asylumengine.law import rules

    @rules.rule("AMMR Art 33(1)", "test rule: irregular entry", engine="routes", text="routes-texts#AMMR Art 33")
    def _probe():
        return None

    try:
        r = client.get("/api/explain", params={"article": "AMMR Art 33"}).json()
        mine = [x for x in r["rules"] if x["summary"] == "test rule: irregular entry"]
        assert r["encoded"] and mine and mine[0]["text"]["heading"].startswith("AMMR Art 33 ")
        assert "AMMR Art 33(1)" in client.get("/api/articles").json()
    finally:
        rules.RULES.pop(_probe.rule.name)


# --- reports -------------------------------------------------------------------------------


def test_reports_download(client):
    pytest.importorskip("asylumengine.reports.memo")
    r = client.post("/api/reports/route?lang=nl", content=GREECE.read_bytes(), headers={"content-type": "application/yaml"})
    assert r.status_code == 200 and "GR" in r.text and "text/html" in r.headers["content-type"]
    assert r.headers["content-disposition"].endswith('.html"')
    pdf = client.post("/api/reports/route?format=pdf", content=GREECE.read_bytes(), headers={"content-type": "application/yaml"})
    assert pdf.content.startswith(b"%PDF")
    sol = client.post("/api/reports/solidarity?lang=en", json={"pool_relocations": 30000})
    assert sol.status_code == 200 and "Netherlands" in sol.text
    job = wait_done(client, client.post("/api/jobs", json={"scenarios": [{"id": "baseline"}, {"id": "dublin-resumed"}],
                                                            "years": 2, "replications": 10}).json()["id"])  # fmt: skip
    rep = client.get(f"/api/reports/jobs/{job['id']}?lang=en")
    assert rep.status_code == 200 and "dublin-resumed" in rep.text


# --- never a 500 ---------------------------------------------------------------------------

JSONISH = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
                       lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=12), kids, max_size=4),
                       max_leaves=12)  # fmt: skip
KEYS = {"/api/route": ["applicant", "application", "movements", "family", "documents", "flags", "outcomes", "id"],
        "/api/solidarity": ["year", "pool_relocations", "pledges", "classifications", "vintage", "interpretation", "state"],
        "/api/jobs": ["scenarios", "years", "replications", "seed"]}  # fmt: skip


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(sorted(KEYS)), data=st.data())
def test_bad_input_never_gives_a_500(client, path, data):
    body = data.draw(st.dictionaries(st.sampled_from(KEYS[path]), JSONISH, max_size=4))
    r = client.post(path, json=body)
    assert r.status_code in (200, 202, 404, 409, 413, 422, 429), (body, r.status_code, r.text)
    if r.status_code == 422:
        assert r.json()["error"] and all(d["field"] for d in r.json()["detail"])


@pytest.mark.parametrize("path", sorted(KEYS))
@pytest.mark.parametrize("raw", [b'{"pool_relocations": Infinity, "years": NaN, "applicant": -Infinity}', b"\xff\xfe", b"", b"null"])
def test_odd_bytes_never_give_a_500(client, path, raw):
    r = client.post(path, content=raw, headers={"content-type": "application/json"})
    assert r.status_code in (404, 413, 422), (raw, r.status_code, r.text)


def test_a_bug_is_a_plain_500_without_traceback():
    app = create_app(web=False)

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/boom")
    assert r.status_code == 500 and "internal error" in r.json()["error"] and "secret" not in r.text


def test_batched_routes_equal_single_routes():
    from asylumengine.api.batching import route_batch
    from asylumengine.routes import load_case, route

    cases = [load_case(p) for p in sorted((ROOT / "examples" / "cases").glob("*.yaml"))]
    opts = [(None, "auto", "return-directive", "en"), (None, "dublin-iii", "return-directive", "nl"),
            (None, "auto", "return-regulation-council-2025", "en")]
    items = [(c, opts[i % 3]) for i, c in enumerate(cases)] * 2
    batched = route_batch(items)
    for (case, (on, regime, rr, lang)), got in zip(items, batched, strict=True):
        want = route(case, on=on, regime=regime, return_regime=rr, lang=lang).model_dump_json()
        assert json.loads(got) == json.loads(want), case.id


def test_concurrent_route_requests_are_batched_and_each_gets_its_own(client):
    import concurrent.futures

    names = [p for p in sorted((ROOT / "examples" / "cases").glob("*.yaml"))]

    def post(path):
        return path.stem, client.post("/api/route", content=path.read_bytes(), headers={"content-type": "application/yaml"})

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, names * 2))
    for stem, r in answers:
        assert r.status_code == 200 and r.json()["route"]["case_id"] == stem


def test_asylum_serve_prints_the_address_and_serves():
    import os
    import socket
    import subprocess
    import sys

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "asylumengine.cli.main", "serve", "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip
    try:
        assert f"http://127.0.0.1:{port}/" in proc.stdout.readline()
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert r.status_code == 200 and "AsylumEngine" in r.text
    finally:
        proc.terminate()
        proc.wait(15)
