"""The job API over real HTTP against uvicorn, Postgres, Redis, SeaweedFS and worker processes."""

from __future__ import annotations

import io
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from api import database
from tests.api import factories
from tests.api.conftest import poll
from tests.api.openapi_checks import webhook_errors
from tests.webhook_receiver import Receiver
from workers.db import jobs
from workers.db.models import Job
from workers.db.session import session_scope
from workers.settings import get_settings

pytestmark = pytest.mark.service


def _job_count(db_session: Session) -> int:
    db_session.rollback()  # a fresh snapshot: see what the API committed meanwhile
    return int(db_session.scalar(select(func.count()).select_from(Job)) or 0)


def test_submit_poll_download_one_page_pdf(http: httpx.Client, celery_workers: Any) -> None:
    response = http.post("/v1/jobs", json=factories.job())
    assert response.status_code == 202, response.text
    location = response.headers["location"]
    assert location == f"/v1/jobs/{response.json()['id']}"

    job = poll(http, location)
    assert job["state"] == "succeeded", job
    assert [s["name"] for s in job["stages"]] == ["parse", "score", "rewrite", "compile", "upload"]
    assert all(s["duration_ms"] is not None and s["duration_ms"] >= 0 for s in job["stages"])
    match = job["match"]
    assert 0 <= match["match_rate_before"] <= 1 and 0 <= match["match_rate_after"] <= 1
    assert "Python" in match["matched"]
    assert set(job["artifacts"]) == {"resume.pdf", "resume.tex", "report.json", "tailored.json"}

    pdf = httpx.get(job["artifacts"]["resume.pdf"], timeout=30)  # presigned, straight to S3
    assert pdf.status_code == 200
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1

    redirect = http.get(f"{location}/artifacts/report.json")
    assert redirect.status_code == 302 and redirect.headers["cache-control"] == "no-store"
    report = httpx.get(redirect.headers["location"], timeout=30)
    assert report.status_code == 200 and "match_rate" in json.dumps(report.json())
    # every skill of the after-report, by the same state as report.json names it
    states = {sk["name"]: sk["state"] for sk in report.json()["after"]["skills"]}
    for key, state in (("matched", "shown"), ("evidenced", "evidenced"), ("missing", "absent")):
        assert match[key] == [n for n, s in states.items() if s == state], key
    assert [t["path"] for t in report.json()["trims"]] == report.json()["trimmed"]
    # The store checks signatures: a tampered URL is refused.
    tampered = redirect.headers["location"].replace("report.json", "resume.tex")
    assert httpx.get(tampered, timeout=30).status_code == 403


def test_same_idempotency_key_gives_one_job(http: httpx.Client, db_session: Session) -> None:
    key = f"test-{uuid.uuid4()}"
    body = factories.job(posting=factories.posting(3))
    first = http.post("/v1/jobs", json=body, headers={"Idempotency-Key": key})
    second = http.post("/v1/jobs", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == 202 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["location"] == first.headers["location"]

    other = http.post("/v1/jobs", json=factories.job(posting=factories.posting(4)),
                      headers={"Idempotency-Key": key})
    assert other.status_code == 422
    assert other.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in other.json()["errors"]] == ["header.Idempotency-Key"]

    db_session.rollback()
    rows = db_session.scalars(select(Job).where(Job.idempotency_key == key)).all()
    assert len(rows) == 1


def test_submit_survives_postgres_dropping_the_apis_connections(
    http: httpx.Client, db_session: Session
) -> None:
    # What a Postgres restart leaves behind: the API's pooled connections, used a moment ago
    # (so not tested before use), all dead. The submit retries once on a fresh connection.
    for attempt in range(3):
        assert http.post("/v1/jobs", json=factories.job()).status_code == 202
        killed = db_session.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND application_name = :name"
        ), {"name": database.APPLICATION_NAME}).scalar_one()
        assert killed >= 1, attempt
        response = http.post("/v1/jobs", json=factories.job())
        assert response.status_code == 202, response.text


def test_concurrent_submits_with_one_key_make_one_job(http: httpx.Client,
                                                      db_session: Session) -> None:
    key = f"race-{uuid.uuid4()}"
    body = factories.job(posting=factories.posting(5))

    def submit(_: int) -> httpx.Response:
        return http.post("/v1/jobs", json=body, headers={"Idempotency-Key": key})

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(submit, range(16)))
    assert {r.json().get("id") for r in responses} == {responses[0].json()["id"]}, [
        (r.status_code, r.text[:300]) for r in responses]
    assert sorted(r.status_code for r in responses).count(202) == 1
    db_session.rollback()
    assert db_session.scalar(
        select(func.count()).select_from(Job).where(Job.idempotency_key == key)
    ) == 1


BAD_INPUTS: list[tuple[str, dict[str, Any] | bytes, int, str]] = [
    ("bad date", factories.job(resume={"work": [{"startDate": "last spring"}]}), 422,
     "resume.work[0].startDate"),
    ("empty posting", factories.job(posting="  "), 422, "posting"),
    ("html with no text", factories.job(posting="<div><br></div>"), 422, "posting"),
    ("resume not an object", factories.job(resume="ada.json"), 422, "resume"),
    ("broken json", b'{"resume": {"basics": ', 422, "body"),
    ("oversized", factories.job(posting="word " * 600_000), 413, "body"),
]


@pytest.mark.parametrize(("name", "body", "status", "field"), BAD_INPUTS,
                         ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_is_refused_with_no_job_row(
    http: httpx.Client, db_session: Session, name: str, body: dict[str, Any] | bytes,
    status: int, field: str,
) -> None:
    before = _job_count(db_session)
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = http.post("/v1/jobs", content=content,
                         headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    assert field in [e["field"] for e in problem["errors"]]
    if status == 413:
        assert str(problem["limit_bytes"]) in problem["detail"]
    assert _job_count(db_session) == before


def test_another_tenants_job_is_not_found(http: httpx.Client) -> None:
    with session_scope() as session:
        job, _ = jobs.create_job(session, tenant="someone-else",
                                 resume=factories.resume(), posting="x")
    for response in (http.get(f"/v1/jobs/{job.id}"), http.delete(f"/v1/jobs/{job.id}"),
                     http.get(f"/v1/jobs/{job.id}/artifacts/resume.pdf")):
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
    assert http.get(f"/v1/jobs/{uuid.uuid4()}").status_code == 404


def test_cancel_stops_the_chain(http: httpx.Client, celery_workers: Any) -> None:
    response = http.post("/v1/jobs", json=factories.job(posting=factories.posting(6)))
    location = response.headers["location"]
    # Five stages with a TeX run take far longer than one more request on loopback.
    cancelled = http.delete(location)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["state"] == "cancelled"
    started_at_cancel = {s["name"] for s in cancelled.json()["stages"] if s["started_at"]}

    # A barrier without sleeping: each queue's worker takes tasks in order, so once a job
    # submitted after the cancel has gone through every stage, the cancelled job's remaining
    # tasks (if any were not revoked in time) have been taken and refused too.
    barrier = http.post("/v1/jobs", json=factories.job(posting=factories.posting(7)))
    assert poll(http, barrier.headers["location"])["state"] == "succeeded"
    later = http.get(location).json()
    assert later["state"] == "cancelled" and later["artifacts"] is None
    assert {s["name"] for s in later["stages"] if s["started_at"]} == started_at_cancel
    assert http.delete(location).status_code == 200  # cancelling twice is harmless
    assert http.get(f"{location}/artifacts/resume.pdf").status_code == 409


def test_readyz_and_metrics(http: httpx.Client) -> None:
    ready = http.get("/readyz")
    assert ready.status_code == 200, ready.text
    metrics = http.get("/metrics").text
    assert 'http_requests_total{method="GET",route="/readyz",status="200"}' in metrics


def test_html_posting_is_stored_as_text(http: httpx.Client, db_session: Session) -> None:
    html = ("<html><body><h1>Data Engineer</h1><script>alert(1)</script>"
            "<ul><li>Python</li><li>Apache Spark</li></ul></body></html>")
    response = http.post("/v1/jobs", json=factories.job(posting=html))
    assert response.status_code == 202, response.text
    db_session.rollback()
    job = db_session.get(Job, uuid.UUID(response.json()["id"]))
    assert job is not None
    assert job.posting == "# Data Engineer\n- Python\n- Apache Spark"  # no tags, no script


def test_failed_job_reports_its_error_and_fires_job_failed(
    http: httpx.Client, celery_workers: Any, receiver: Receiver
) -> None:
    resume = factories.resume()
    # Hangul: none of the fonts TeX Live installs here can set it (scripts/install-tex.sh),
    # so the compile stage refuses the input, naming the field.
    resume["basics"]["name"] = "김민준"
    hook = receiver.url("/failed")
    response = http.post("/v1/jobs", json=factories.job(resume=resume, webhook_url=hook))
    assert response.status_code == 202, response.text
    job = poll(http, response.headers["location"])
    assert job["state"] == "failed" and job["artifacts"] is None
    assert job["error"]["stage"] == "compile" and job["error"]["type"] == "InvalidInput"
    assert job["error"]["field"] == "basics.name"
    [event] = receiver.wait_for("/failed", 1, timeout_s=30)
    payload = Webhook(get_settings().webhook_secret_for("default")).verify(event.body,
                                                                            event.headers)
    assert payload["type"] == "job.failed" and payload["data"]["job_id"] == job["id"]
    assert webhook_errors("job.failed", payload, event.headers) == []
