"""What the web page reads besides the status answers: a job's report so far
(`/v1/jobs/{id}/report`) and a batch's webhook deliveries (`/v1/batches/{id}/webhooks`).
Both read heavy rows, so they are for a person looking, not for tight polling."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import JobsRead, SessionDep, SettingsDep, parse_id
from api.errors import PROBLEM_RESPONSES, not_found
from api.job_report import JobReportOut, job_report
from workers.db import batches, jobs, outbox

router = APIRouter(prefix="/v1", tags=["reports"], responses=PROBLEM_RESPONSES)


@router.get("/jobs/{job_id}/report", response_model=JobReportOut)
def get_job_report(
    job_id: str, session: SessionDep, caller: JobsRead, settings: SettingsDep
) -> JobReportOut:
    job = jobs.get_job(session, caller.tenant, parse_id(job_id))
    if job is None:
        raise not_found("job")
    return job_report(job, settings)


class DeliveryOut(BaseModel):
    event_id: str = Field(description="The `webhook-id` header it is sent with.")
    event_type: str
    state: str = Field(description="pending, succeeded or failed (gave up).")
    attempts: int
    last_status: int | None = None
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    updated_at: datetime


class BatchWebhooksOut(BaseModel):
    batch_id: uuid.UUID
    webhook_url: str | None
    deliveries: list[DeliveryOut] = Field(
        description="Empty until the batch completes: it announces itself once, then.")


@router.get("/batches/{batch_id}/webhooks", response_model=BatchWebhooksOut)
def get_batch_webhooks(batch_id: str, session: SessionDep, caller: JobsRead) -> BatchWebhooksOut:
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
