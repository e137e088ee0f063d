"""Access control and limits of the API: tokens to start work, private runs, per-token job
limits, body and population limits, no path traversal, security headers, the pages' session."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from asylumengine.api import create_app
from asylumengine.api import jobs as jobs_module
from asylumengine.api import routes_api
from asylumengine.store import tokens

JOB = {"scenarios": [{"id": "baseline"}], "years": 1, "replications": 4, "seed": 2}


@pytest.fixture(scope="module")
def app():
    return create_app()


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as c:
        yield c


def token(app, name="t") -> tuple[str, dict]:
    tid, secret = tokens.create(app.state.store, name)
    return tid, {"Authorization": f"Bearer {secret}"}


def done(client, jid, headers) -> dict:
    for _ in range(1200):
        s = client.get(f"/api/jobs/{jid}", headers=headers).json()
        if s.get("status") in ("done", "failed"):
            return s
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_no_token_bad_token_or_revoked_token_cannot_start_jobs(app, client):
    r = client.post("/api/jobs", json=JOB)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer" and "asylum token create" in r.json()["error"]
    assert client.post("/api/jobs", json=JOB, headers={"Authorization": "Bearer ae_00000000_" + "x" * 43}).status_code == 401
    assert client.post("/api/jobs", json=JOB, headers={"Authorization": "Basic abc"}).status_code == 401
    tid, h = token(app)
    assert client.post("/api/jobs", json=JOB, headers=h).status_code == 202
    tokens.revoke(app.state.store, tid)
    r = client.post("/api/jobs", json=JOB, headers=h)
    assert r.status_code == 401 and "revoked" in r.json()["error"]
    assert client.get("/api/jobs", headers=h).status_code == 401  # nor list its runs


def test_a_token_cannot_read_another_tokens_private_run(app, client):
    _, a = token(app, "a")
    _, b = token(app, "b")
    jid = client.post("/api/jobs", json=JOB, headers=a).json()["id"]
    assert done(client, jid, a)["status"] == "done"
    for path in (f"/api/jobs/{jid}", f"/api/jobs/{jid}/result", f"/api/jobs/{jid}/chart", f"/api/jobs/{jid}/result?format=csv"):
        assert client.get(path, headers=a).status_code == 200
        for other in (b, {}):
            r = client.get(path, headers=other)
            assert r.status_code == 404 and "scenarios" not in r.text
    assert [r["id"] for r in client.get("/api/jobs", headers=a).json()] == [jid]
    assert client.get("/api/jobs", headers=b).json() == []
    public = client.post("/api/jobs", json={**JOB, "private": False}, headers=a).json()["id"]
    done(client, public, a)
    assert client.get(f"/api/jobs/{public}/result", headers=b).json()["manifest"]["seed"] == 2
    assert client.get(f"/api/jobs/{public}/result").status_code == 200


def test_concurrent_jobs_per_token_are_limited(app, client, monkeypatch):
    gate = threading.Event()
    real = jobs_module.run

    def gated(*args, **kw):
        gate.wait(60)
        return real(*args, **kw)

    monkeypatch.setattr(jobs_module, "run", gated)
    monkeypatch.setenv("ASYLUM_JOBS_PER_TOKEN", "1")
    _, a = token(app, "a")
    _, b = token(app, "b")
    first = client.post("/api/jobs", json=JOB, headers=a)
    assert first.status_code == 202
    second = client.post("/api/jobs", json=JOB, headers=a)
    assert second.status_code == 429 and "per token" in second.json()["error"]
    other = client.post("/api/jobs", json=JOB, headers=b)
    assert other.status_code == 202  # another token is not blocked by a's job
    gate.set()
    done(client, first.json()["id"], a)
    done(client, other.json()["id"], b)


def test_oversized_bodies_are_refused(client):
    big = b"case_id: x\n" + b"#" * (1024 * 1024 + 10)
    r = client.post("/api/route", content=big, headers={"content-type": "application/yaml"})
    assert r.status_code == 413 and r.json()["detail"][0]["field"] == "body"

    def chunks():  # no Content-Length: counted as it streams in
        for _ in range(20):
            yield b"#" * 65536

    assert client.post("/api/route", content=chunks(), headers={"content-type": "application/yaml"}).status_code == 413
    assert client.post("/api/jobs", content=b"{" * (2 * 1024 * 1024), headers={"content-type": "application/json"}).status_code == 413


def test_population_size_per_request_is_limited(client, monkeypatch):
    import io

    from asylumengine.routes.synth import synthetic_population

    buf = io.BytesIO()
    synthetic_population(3, seed=1).to_polars().write_parquet(buf)
    assert client.post("/api/routes/population", files={"file": ("p.parquet", buf.getvalue())}).status_code == 200
    monkeypatch.setattr(routes_api, "MAX_POPULATION_ROWS", 2)
    r = client.post("/api/routes/population", files={"file": ("p.parquet", buf.getvalue())})
    assert r.status_code == 413 and "3 cases; at most 2 per request" in r.json()["error"]


@pytest.mark.parametrize("path", ["/api/cases/examples/..%2F..%2Fpyproject", "/api/cases/examples/../../pyproject.toml",
                                  "/api/scenarios/..%2F..%2Fpyproject", "/api/scenarios/%2Fetc%2Fpasswd",
                                  "/api/jobs/..%2F..%2F..%2Fetc%2Fpasswd", "/api/jobs/..%2Fruns.sqlite/result",
                                  "/static/..%2F..%2F..%2Fpyproject.toml", "/static/../../pyproject.toml",
                                  "/docs-static/..%2F..%2Fpyproject.toml", "/api/reports/jobs/..%2F..%2Fetc%2Fpasswd"])  # fmt: skip
def test_no_path_traversal(client, path):
    r = client.get(path)
    assert r.status_code in (404, 422) and "[project]" not in r.text and "root:" not in r.text


def test_no_traversal_through_a_scenario_id(app, client):
    _, h = token(app)
    for sid in ("../../pyproject", "/etc/passwd", "..\\..\\scenarios\\baseline", "baseline/../baseline"):
        r = client.post("/api/jobs", json={"scenarios": [{"id": sid}], "years": 1, "replications": 2}, headers=h)
        assert r.status_code == 404 and r.json()["detail"][0]["field"] == "scenarios[0].id"


def test_security_headers_and_a_csp_on_every_page(client):
    for path in ("/", "/scenarios", "/route", "/api/health"):
        h = client.get(path).headers
        assert "script-src 'self';" in h["content-security-policy"] and "frame-ancestors 'none'" in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY" and h["referrer-policy"] == "no-referrer"
    docs = client.get("/docs").headers["content-security-policy"]
    assert "'sha256-" in docs and "'unsafe-inline'" not in docs.split("script-src", 1)[1].split(";")[0]


def test_pages_session_starts_jobs_only_where_allowed(monkeypatch):
    # the test client is not on loopback: by default its pages get no session
    with TestClient(create_app()) as c:
        c.get("/scenarios")
        assert "asylum_session" not in c.cookies
        assert c.post("/api/jobs", json=JOB).status_code == 401
    monkeypatch.setenv("ASYLUM_WEB_SESSIONS", "all")
    with TestClient(create_app()) as c:
        page = c.get("/scenarios")
        cookie = page.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        r = c.post("/api/jobs", json=JOB)
        assert r.status_code == 202
        assert done(c, r.json()["id"], {})["status"] == "done"  # the same session reads its run
        sid, sig = c.cookies["asylum_session"].split(".")
        c.cookies.set("asylum_session", f"{sid}.{'0' * len(sig)}")
        assert c.post("/api/jobs", json=JOB).status_code == 401  # a forged session is no session
        assert c.get(f"/api/jobs/{r.json()['id']}").status_code == 404
    monkeypatch.setenv("ASYLUM_WEB_SESSIONS", "off")
    with TestClient(create_app()) as c:
        c.get("/scenarios")
        assert "asylum_session" not in c.cookies


def test_a_failed_job_is_stored_and_answers_409_after_a_restart(monkeypatch):
    def broken(*a, **k):
        raise ValueError("simulated engine failure")

    monkeypatch.setattr(jobs_module, "run", broken)
    app = create_app(web=False)
    _, h = token(app)
    with TestClient(app, headers=h) as c:
        jid = c.post("/api/jobs", json=JOB).json()["id"]
        assert done(c, jid, h)["error"] == "ValueError: simulated engine failure"
    with TestClient(create_app(web=False), headers=h) as c:  # read back from the store
        s = c.get(f"/api/jobs/{jid}").json()
        assert s["status"] == "failed" and "simulated engine failure" in s["error"]
        r = c.get(f"/api/jobs/{jid}/result")
        assert r.status_code == 409 and r.json()["job_status"] == "failed"


def test_read_only_use_of_the_shipped_examples_stays_open(client):
    from pathlib import Path

    case = Path("examples/cases/dublin-greece-irregular-entry.yaml").read_bytes()
    assert client.get("/api/scenarios").status_code == 200 and client.get("/api/scenarios/baseline").status_code == 200
    assert client.get("/api/cases/examples").status_code == 200
    assert client.get("/api/cases/examples/dublin-greece-irregular-entry").status_code == 200
    r = client.post("/api/route", content=case, headers={"content-type": "application/yaml"})  # no Authorization header
    assert r.status_code == 200 and r.json()["route"]["responsible_state"]
    assert client.post("/api/solidarity", json={}).status_code == 200
