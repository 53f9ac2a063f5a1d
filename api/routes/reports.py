"""What the web page reads besides the status answers: a job's report so far
(`/v1/jobs/{id}/report`) and a batch's webhook deliveries (`/v1/batches/{id}/webhooks`).
Both read heavy rows, so they are for a person looking, not for tight polling."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import BatchIdPath, JobIdPath, JobsRead, SessionDep, SettingsDep, parse_id
from api.errors import AUTHENTICATED, not_found, responses
from api.job_report import JobReportOut, job_report
from workers.db import batches, jobs, outbox

router = APIRouter(prefix="/v1", tags=["reports"])


@router.get("/jobs/{job_id}/report", response_model=JobReportOut, summary="Get a job's report",
            responses=responses(*AUTHENTICATED, "not-found"))
def get_job_report(
    job_id: JobIdPath, session: SessionDep, caller: JobsRead, settings: SettingsDep
) -> JobReportOut:
    """What tailoring did so far, for a person reading it: the posting's analysis once
    parsed, the match before tailoring once scored, every reworded line beside the lines it
    came from and what was left out (and why) once rewritten, the compile's facts, and the
    match of the tailored resume once uploaded. `report.json` holds the same facts once the
    job succeeded; this answer exists before that and quotes the lines' texts.

    Read-only, but heavier than `GET /v1/jobs/{job_id}`: read it when showing a job, do not
    poll it. A purged job's report is empty: what it quoted was deleted. Needs the
    `jobs:read` scope.

    **Errors**: 404 when there is no such job, 503 when the database is unavailable."""
    job = jobs.get_job(session, caller.tenant, parse_id(job_id))
    if job is None:
        raise not_found("job")
    return job_report(job, settings)


class DeliveryOut(BaseModel):
    """One webhook event and its delivery attempts."""

    event_id: str = Field(description="The `webhook-id` header it is sent with.")
    event_type: str = Field(description="`batch.completed`, ... (see the `webhooks` section).")
    state: str = Field(description="pending, succeeded or failed (gave up).")
    attempts: int = Field(description="Attempts so far.")
    last_status: int | None = Field(default=None, description=(
        "The receiver's last HTTP status; null when it did not answer."))
    last_error: str | None = Field(default=None, description="Why the last attempt failed.")
    next_attempt_at: datetime | None = Field(default=None, description=(
        "When it is tried again, while pending."))
    updated_at: datetime = Field(description="When the delivery last changed.")


class BatchWebhooksOut(BaseModel):
    """A batch's webhook deliveries."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "batch_id": "0b6d7c1e-2a3f-4e5d-9c8b-7a6f5e4d3c2b",
        "webhook_url": "https://hooks.example.com/resume-tailor",
        "deliveries": [{"event_id": "msg_8f14e45fceea167a5a36dedd4bea2543",
                        "event_type": "batch.completed", "state": "succeeded", "attempts": 1,
                        "last_status": 204, "last_error": None, "next_attempt_at": None,
                        "updated_at": "2025-03-01T12:04:10.900000Z"}],
    }]})

    batch_id: uuid.UUID = Field(description="The batch's id.")
    webhook_url: str | None = Field(description="Where its events go; null: none are sent "
                                                "(or the batch was purged).")
    deliveries: list[DeliveryOut] = Field(
        description="Empty until the batch completes: it announces itself once, then.")


@router.get("/batches/{batch_id}/webhooks", response_model=BatchWebhooksOut,
            summary="List a batch's webhook deliveries",
            responses=responses(*AUTHENTICATED, "not-found"))
def get_batch_webhooks(
    batch_id: BatchIdPath, session: SessionDep, caller: JobsRead
) -> BatchWebhooksOut:
    """Every delivery of the batch's webhook with its attempts so far: whether it is still
    being retried (`pending`), was accepted by your receiver (`succeeded`), or was given up
    (`failed`, after the retry schedule or a 410 from the receiver), with the last status
    or error. Use it to debug a receiver. A purged batch lists only deliveries still
    pending. Needs the `jobs:read` scope.

    Read-only. **Errors**: 404 when there is no such batch, 503 when the database is
    unavailable."""
    batch = batches.get_batch(session, caller.tenant, parse_id(batch_id, "batch"))
    if batch is None:
        raise not_found("batch")
    return BatchWebhooksOut(
        batch_id=batch.id, webhook_url=batch.webhook_url,
        deliveries=[
            DeliveryOut(
                event_id=d.event_id, event_type=d.event_type, state=d.state,
                attempts=d.attempts, last_status=d.last_status, last_error=d.last_error,
                next_attempt_at=d.next_attempt_at if d.state == "pending" else None,
                updated_at=d.updated_at,
            )
            for d in outbox.deliveries_for(session, batch_id=batch.id)
        ],
    )
