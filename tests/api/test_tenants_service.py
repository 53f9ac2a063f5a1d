"""Tenants through the real API process: API keys made by the admin command, every route
blind to another tenant's ids, purging on request, and the retention sweep."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError
from sqlalchemy import func, update
from typer.testing import CliRunner

from api.app import create_app
from tests.api import factories
from tests.api.conftest import poll
from tests.service_fixtures import Credential, create_api_key
from workers import storage
from workers.admin import app as admin_app
from workers.db.models import Batch, Job
from workers.db.session import session_scope
from workers.retention import purge_expired_jobs

pytestmark = pytest.mark.service


def _admin(*args: str) -> str:
    result = CliRunner().invoke(admin_app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_keys_made_listed_and_revoked_by_the_admin_command(api_url: str) -> None:
    created = _admin("keys", "create", "--tenant", "readers", "--scope", "jobs:read",
                     "--name", "dashboard")
    [key] = [line for line in created.splitlines() if line.startswith("rt_")]
    prefix = key.split("_")[1]
    listed = _admin("keys", "list", "--tenant", "readers")
    assert prefix in listed and "jobs:read" in listed and key not in listed
    with httpx.Client(base_url=api_url, headers={"X-API-Key": key}) as http:
        assert http.get(f"/v1/jobs/{uuid.uuid4()}").status_code == 404  # authenticated
        refused = http.post("/v1/jobs", json=factories.job())
        assert refused.status_code == 403 and "jobs:write" in refused.json()["detail"]
        # A key with one character changed is not a key.
        wrong = key[:-1] + ("A" if key[-1] != "A" else "B")
        assert http.get("/v1/jobs/x", headers={"X-API-Key": wrong}).status_code == 401
        assert "revoked" in _admin("keys", "revoke", prefix)
        gone = http.get(f"/v1/jobs/{uuid.uuid4()}")  # the test API caches nothing
        assert gone.status_code == 401 and gone.headers["content-type"].startswith(
            "application/problem+json")
    assert "revoked=" in _admin("keys", "list", "--tenant", "readers")
    refused_tenant = CliRunner().invoke(admin_app, ["keys", "create", "--tenant", "Bad/Name"])
    assert refused_tenant.exit_code != 0 and "not a tenant name" in refused_tenant.output


def _walk(http: httpx.Client, ids: dict[str, str]) -> list[tuple[str, str, int]]:
    """Every method of every route that takes an id, with `ids`; (method, path, status)."""
    answers = []
    for template, operations in create_app().openapi()["paths"].items():
        names = re.findall(r"{(\w+)}", template)
        if not {"job_id", "batch_id"} & set(names):
            continue
        path = template.format(**{**ids, "name": "resume.pdf"})
        for method in operations:
            for query in ({}, {"purge": "true"}) if method == "delete" else ({},):
                response = http.request(method, path, params=query)
                answers.append((method, f"{path}?{query}", response.status_code))
    return answers


def test_another_tenant_gets_404_on_every_route(
    http: httpx.Client, api_url: str, celery_workers: Any
) -> None:
    job = http.post("/v1/jobs", json=factories.job(posting=factories.posting(11)))
    batch = http.post("/v1/batches", json={"resume": factories.resume(),
                                           "postings": [factories.posting(12)]})
    assert job.status_code == 202 and batch.status_code == 202, (job.text, batch.text)
    done = poll(http, job.headers["location"])
    assert done["state"] == "succeeded", done
    ids = {"job_id": done["id"], "batch_id": batch.json()["id"]}

    other = create_api_key("another-tenant", ("jobs:write", "jobs:read", "batches:write",
                                              "admin"))
    with httpx.Client(base_url=api_url, headers=other.headers, timeout=30) as intruder:
        answers = _walk(intruder, ids)
    assert {method for method, _, _ in answers} == {"get", "delete"}
    assert len(answers) >= 7  # job, artifact, batch; deletes with and without purge
    assert [a for a in answers if a[2] != 404] == []
    # And nothing happened to the owner's job or batch.
    still = http.get(job.headers["location"]).json()
    assert still["state"] == "succeeded" and still["artifacts"] and still["purged_at"] is None
    assert http.get(f"/v1/batches/{ids['batch_id']}").json()["purged_at"] is None


def _job_row(job_id: str) -> Job:
    with session_scope() as session:
        job = session.get(Job, uuid.UUID(job_id))
        assert job is not None
        return job


def test_purge_deletes_a_jobs_personal_data_now(http: httpx.Client, celery_workers: Any) -> None:
    submitted = http.post("/v1/jobs", json=factories.job(posting=factories.posting(13),
                                                         webhook_url=None))
    done = poll(http, submitted.headers["location"])
    assert done["state"] == "succeeded"
    prefix = storage.artifact_prefix("default", done["id"])
    assert storage.list_keys(prefix)

    purged = http.delete(submitted.headers["location"], params={"purge": "true"})
    assert purged.status_code == 200, purged.text
    body = purged.json()
    assert body["purged_at"] and body["artifacts"] is None and body["state"] == "succeeded"
    assert storage.list_keys(prefix) == []
    row = _job_row(done["id"])
    assert (row.resume, row.posting, row.analysis, row.report, row.tailored,
            row.compile_meta, row.report_after, row.artifacts) == ({}, "", None, None, None,
                                                                  None, None, {})
    # What billing and metrics need stays.
    assert row.match_rate == done["match"]["match_rate_before"] and row.stages["compile"]
    assert "ats" not in row.stages["compile"]
    assert http.get(f"{submitted.headers['location']}/artifacts/resume.pdf").status_code == 409
    # Purging again is harmless.
    assert http.delete(submitted.headers["location"], params={"purge": "true"}).status_code == 200


def test_purge_a_batch_cancels_and_deletes_every_item(
    http: httpx.Client, celery_workers: Any
) -> None:
    accepted = http.post("/v1/batches", json={"resume": factories.resume(),
                                              "postings": [factories.posting(14),
                                                           factories.posting(15)]})
    assert accepted.status_code == 202
    location = accepted.headers["location"]
    first = accepted.json()["job_ids"][0]
    poll(http, f"/v1/jobs/{first}")
    purged = http.delete(location, params={"purge": "true"})
    assert purged.status_code == 200, purged.text
    batch = purged.json()
    assert batch["purged_at"] is not None
    assert {item["state"] for item in batch["items"]} <= {"succeeded", "cancelled", "failed"}
    for job_id in accepted.json()["job_ids"]:
        row = _job_row(job_id)
        assert row.purged_at is not None and row.resume == {} and row.posting == ""
        assert storage.list_keys(storage.artifact_prefix("default", job_id)) == []


def test_the_retention_sweep_purges_only_expired_jobs(
    http: httpx.Client, celery_workers: Any
) -> None:
    old, recent = (http.post("/v1/jobs", json=factories.job(posting=factories.posting(i)))
                   for i in (16, 17))
    old_job, recent_job = (poll(http, r.headers["location"]) for r in (old, recent))
    assert old_job["state"] == recent_job["state"] == "succeeded"
    with session_scope() as session:
        session.execute(update(Job).where(Job.id == uuid.UUID(old_job["id"]))
                        .values(created_at=func.now() - timedelta(days=31)))
    assert purge_expired_jobs() >= 1
    assert _job_row(old_job["id"]).purged_at is not None
    assert storage.list_keys(storage.artifact_prefix("default", old_job["id"])) == []
    fresh = _job_row(recent_job["id"])
    assert fresh.purged_at is None and fresh.posting
    assert storage.list_keys(storage.artifact_prefix("default", recent_job["id"]))
    assert purge_expired_jobs() == 0  # nothing left to do


def test_an_old_batch_is_purged_once_its_jobs_are(http: httpx.Client, celery_workers: Any
                                                  ) -> None:
    accepted = http.post("/v1/batches", json={"resume": factories.resume(),
                                              "postings": [factories.posting(18)],
                                              "webhook_url": None})
    [job_id] = accepted.json()["job_ids"]
    poll(http, f"/v1/jobs/{job_id}")
    with session_scope() as session:
        session.execute(update(Job).where(Job.id == uuid.UUID(job_id))
                        .values(created_at=func.now() - timedelta(days=40)))
        session.execute(update(Batch).where(Batch.id == uuid.UUID(accepted.json()["id"]))
                        .values(created_at=func.now() - timedelta(days=40)))
    purge_expired_jobs()
    assert http.get(accepted.headers["location"]).json()["purged_at"] is not None


def test_a_tenant_reaches_storage_and_cache_keys_only_by_its_pattern(
        api_key: Credential) -> None:
    from workers.cache import analysis_key
    from workers.tenants import InvalidTenant

    for bad in ("../other", "Acme", "", "a" * 64, "-x", "a/b"):
        with pytest.raises(InvalidTenant):
            storage.artifact_prefix(bad, uuid.uuid4())
        with pytest.raises(InvalidTenant):
            analysis_key(bad, "posting")
    # One posting, two tenants: two cache entries, so neither learns of the other's.
    assert analysis_key("one", "Python") != analysis_key("two", "Python")


def test_the_bucket_expires_objects_after_the_retention_where_supported(
        service_env: dict[str, str]) -> None:
    bucket = service_env["RT_S3_BUCKET"]
    if storage.set_retention_rule(bucket, 30):
        rules = storage.client().get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
        assert [rule["Expiration"]["Days"] for rule in rules] == [30]
    else:  # the store refused as unsupported: no rule is kept, the sweep alone deletes
        with pytest.raises(ClientError):
            storage.client().get_bucket_lifecycle_configuration(Bucket=bucket)
