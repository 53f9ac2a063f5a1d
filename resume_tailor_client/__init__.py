"""A typed Python client for the resume-tailor HTTP API (`/v1`).

It depends only on httpx and pydantic, so it can be copied or installed apart from the
service. Submit with an idempotency key (retries are then safe), wait with backoff that
honours `Retry-After`, download artifacts, and verify webhook signatures (Standard Webhooks)::

    from resume_tailor_client import Client

    with Client("http://127.0.0.1:8000", api_key="rt_...") as api:
        job = api.submit_job(resume, posting, template="modern", idempotency_key="order-4711")
        job = api.wait_for_job(job.id)
        api.download_artifact(job.id, "resume.pdf", "resume.pdf")
"""

from resume_tailor_client.client import ApiError, Client, WaitTimeout
from resume_tailor_client.models import (
    Batch,
    BatchAccepted,
    BatchItem,
    FieldError,
    Job,
    JobError,
    MatchSummary,
    Problem,
    RankedPosting,
    WebhookEvent,
)
from resume_tailor_client.webhooks import WebhookVerificationError, sign_webhook, verify_webhook

__all__ = [
    "ApiError", "Batch", "BatchAccepted", "BatchItem", "Client", "FieldError", "Job",
    "JobError", "MatchSummary", "Problem", "RankedPosting", "WaitTimeout", "WebhookEvent",
    "WebhookVerificationError", "sign_webhook", "verify_webhook",
]
