"""The correlation id: a job's every worker log line, across all stages and processes, is JSON
carrying the request id its submit came with, and the job id and tenant; no line holds the
resume's or the posting's text."""

from __future__ import annotations

import json
import secrets
import uuid
from typing import Any

import httpx
import pytest

from tests.api import factories
from tests.api.conftest import poll
from tests.service_fixtures import WorkerPool
from workers.db.models import Job
from workers.db.session import session_scope

pytestmark = pytest.mark.service


def test_every_worker_line_of_a_job_carries_its_request_id(
    http: httpx.Client, celery_workers: WorkerPool
) -> None:
    request_id = f"trace-{secrets.token_hex(6)}"
    marker = f"Zyxwarble{secrets.token_hex(4)}"  # in the posting and the resume, nowhere else
    resume = factories.resume()
    resume["basics"]["summary"] += f" Known as {marker}."
    body = factories.job(resume=resume, posting=factories.posting(21) + f"\n- {marker} work")
    submitted = http.post("/v1/jobs", json=body, headers={"X-Request-ID": request_id})
    assert submitted.status_code == 202 and submitted.headers["x-request-id"] == request_id
    job = poll(http, submitted.headers["location"])
    assert job["state"] == "succeeded", job
    with session_scope() as session:
        row = session.get(Job, uuid.UUID(job["id"]))
        assert row is not None
        task_ids = list(row.task_ids)

    ours: list[dict[str, Any]] = []
    for worker in celery_workers.workers:
        for line in worker.log().splitlines():
            assert marker not in line, f"{worker.name} logged input text: {line}"
            if job["id"] in line or any(task_id in line for task_id in task_ids):
                ours.append({"worker": worker.name, **json.loads(line)})
    stages = {entry["worker"].split("-")[0] for entry in ours}
    assert {"parse", "score", "rewrite", "compile", "upload"} <= stages
    assert [e for e in ours if e.get("request_id") != request_id] == []
    assert [e for e in ours if (e.get("job_id"), e.get("tenant")) != (job["id"], "default")] == []
    # Both ends of every task: Celery's "received" in the worker's main process, and the
    # outcome in the pool process that ran it.
    events = " ".join(e["event"] for e in ours)
    assert events.count("received") >= 5 and events.count("succeeded") >= 5
