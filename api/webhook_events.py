"""The webhook events the service sends, for the OpenAPI document's `webhooks` section: each
event's body, its Standard Webhooks headers, what the receiver should answer, and how to
verify the signature. The bodies are built by `workers/events.py`; tests check that what it
builds validates against these models' schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Header
from pydantic import BaseModel, ConfigDict, Field

from api.schemas import JobError

VERIFYING = """

**Verifying.** Every request carries three headers (Standard Webhooks,
standardwebhooks.com): `webhook-id`, `webhook-timestamp` and `webhook-signature`. Compute
HMAC-SHA256 over the bytes `{webhook-id}.{webhook-timestamp}.{raw body}` with your secret
(`whsec_` followed by base64: the key is the base64-decoded part), base64-encode the digest
and compare it, in constant time, with each space-separated `v1,<signature>` entry of
`webhook-signature`. Reject a timestamp more than 5 minutes from your clock (a replay). Verify
the raw body before parsing it. Any Standard Webhooks library does all of this;
`resume_tailor_client.verify_webhook` too.

**Answering.** Answer 2xx within 15 seconds to acknowledge; do the work afterwards. Any other
answer or a timeout is retried with backoff for about a day (the `webhook-id` stays the same:
de-duplicate on it); 410 Gone stops the retries for good. Events may arrive out of order and
more than once.
"""

_RECEIVER_ANSWERS: dict[int | str, dict[str, Any]] = {
    204: {"description": "Any 2xx: received; the event is not sent again."},
    410: {"description": "Gone: stop sending this event (it is not retried)."},
    500: {"description": "Any other status, or no answer within the timeout: the event is "
                         "sent again later, with the same `webhook-id`."},
}


class JobEventData(BaseModel):
    """The job the event announces, as it finished."""

    job_id: uuid.UUID = Field(description="The job's id: `GET /v1/jobs/{job_id}` for all of it.")
    tenant: str = Field(description="The tenant the job belongs to.")
    state: str = Field(description="`succeeded` or `failed`: the job's final state (an open "
                                   "set: ignore values you do not know).")
    batch_id: uuid.UUID | None = Field(description="Its batch, if any (a batch's jobs send no "
                                                   "events of their own; always null today).")
    match_rate: float | None = Field(description="Share of the posting's asks the master resume "
                                                 "met, 0..1; null if the job failed before "
                                                 "scoring.")
    match_rate_after: float | None = Field(description="The same for the tailored resume, once "
                                                       "uploaded.")
    artifacts: list[str] = Field(description="The artifact names written (download them with "
                                             "`GET /v1/jobs/{job_id}/artifacts/{name}`); empty "
                                             "for a failed job.")
    error: JobError | None = Field(description="Why the job failed; null when it succeeded.")


class JobEvent(BaseModel):
    """`job.succeeded` or `job.failed`: a job with a `webhook_url` finished. Cancelled jobs
    send nothing."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "type": "job.succeeded", "timestamp": "2025-03-01T12:00:41.512000+00:00",
        "data": {"job_id": "6f1c2b0e-9d4a-4c3e-8a57-2f0d1b3c4e5f", "tenant": "default",
                 "state": "succeeded", "batch_id": None, "match_rate": 0.62,
                 "match_rate_after": 0.81,
                 "artifacts": ["report.json", "resume.pdf", "resume.tex", "tailored.json"],
                 "error": None},
    }, {
        "type": "job.failed", "timestamp": "2025-03-01T12:00:09.031000+00:00",
        "data": {"job_id": "3d2e1f0a-8b7c-4d6e-9f5a-1b2c3d4e5f60", "tenant": "default",
                 "state": "failed", "batch_id": None, "match_rate": None,
                 "match_rate_after": None, "artifacts": [],
                 "error": {"stage": "compile", "type": "CompileError",
                           "message": "pdflatex did not finish within 60 s",
                           "field": None}},
    }]})

    type: str = Field(description="`job.succeeded` or `job.failed` (an open set: ignore "
                                  "types you do not know).")
    timestamp: datetime = Field(description="When the event was recorded (ISO 8601, UTC).")
    data: JobEventData = Field(description="The job.")


class BatchEventData(BaseModel):
    """The batch the event announces, as it completed."""

    batch_id: uuid.UUID = Field(description="The batch's id: `GET /v1/batches/{batch_id}` "
                                            "for its items and ranking.")
    tenant: str = Field(description="The tenant the batch belongs to.")
    kind: str = Field(description="`one_resume` (one resume, ranked postings) or `pairs`.")
    state: str = Field(description="`completed`: every job finished, whatever its outcome.")
    total: int = Field(description="Jobs in the batch.")
    succeeded: int = Field(description="Of them, succeeded.")
    failed: int = Field(description="Of them, failed: see each job's `error`.")
    cancelled: int = Field(description="Of them, cancelled.")


class BatchEvent(BaseModel):
    """`batch.completed`: every job of a batch with a `webhook_url` finished, sent once. It
    is also how a batch's failures are announced: `failed` counts them."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "type": "batch.completed", "timestamp": "2025-03-01T12:04:10.200000+00:00",
        "data": {"batch_id": "0b6d7c1e-2a3f-4e5d-9c8b-7a6f5e4d3c2b", "tenant": "default",
                 "kind": "one_resume", "state": "completed", "total": 20, "succeeded": 19,
                 "failed": 1, "cancelled": 0},
    }]})

    type: Literal["batch.completed"] = Field(description="Always `batch.completed`.")
    timestamp: datetime = Field(description="When the event was recorded (ISO 8601, UTC).")
    data: BatchEventData = Field(description="The batch and its counts.")


WebhookId = Annotated[str, Header(
    alias="webhook-id", examples=["msg_8f14e45fceea167a5a36dedd4bea2543"],
    description="The event's id, the same on every retry: de-duplicate on it.")]
WebhookTimestamp = Annotated[str, Header(
    alias="webhook-timestamp", examples=["1740830441"],
    description="This attempt's time, in seconds since the Unix epoch; part of what is signed.")]
WebhookSignature = Annotated[str, Header(
    alias="webhook-signature", examples=["v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="],
    description="`v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}`;"
                " several space-separated entries while a secret is being rotated.")]


_JOB_SUCCEEDED = """A job with a `webhook_url` succeeded: its artifacts (`data.artifacts`) are
ready to download with `GET /v1/jobs/{job_id}/artifacts/{name}`. Not sent for the jobs of a
batch (the batch sends `batch.completed`)."""

_JOB_FAILED = """A job with a `webhook_url` failed: `data.error` says which stage failed and
why, and `field` names the input at fault, if any. Not sent for cancelled jobs, nor for the
jobs of a batch (the batch sends `batch.completed`)."""

_BATCH_COMPLETED = """Sent once, when every job of a batch with a `webhook_url` has finished,
whatever each outcome: `data` counts the succeeded, failed and cancelled jobs. There is no
separate failure event for a batch; `GET /v1/batches/{batch_id}` gives each job's error."""


def install(app: FastAPI) -> None:
    """Declare the events in `app.webhooks` (documentation only: nothing is routed)."""

    def job_event(body: JobEvent, webhook_id: WebhookId, webhook_timestamp: WebhookTimestamp,
                  webhook_signature: WebhookSignature) -> None:
        """Never called: its signature is the event's documentation."""

    def batch_event(body: BatchEvent, webhook_id: WebhookId,
                    webhook_timestamp: WebhookTimestamp,
                    webhook_signature: WebhookSignature) -> None:
        """Never called: its signature is the event's documentation."""

    for name, handler, summary, text in (
        ("job.succeeded", job_event, "A job succeeded", _JOB_SUCCEEDED),
        ("job.failed", job_event, "A job failed", _JOB_FAILED),
        ("batch.completed", batch_event, "A batch completed", _BATCH_COMPLETED),
    ):
        app.webhooks.add_api_route(
            name, handler, methods=["POST"], summary=summary, operation_id=name,
            description=text + VERIFYING, responses=_RECEIVER_ANSWERS, status_code=204,
        )
