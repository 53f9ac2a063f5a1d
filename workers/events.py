"""Webhook event payloads, written into the outbox in the same transaction as the state change
they announce. The sender posts `payload` as is; `event_id` is the `webhook-id` header."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from workers.db.models import Batch, Job


def new_event_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def _now() -> str:
    return datetime.now(UTC).isoformat()


def job_event(job: Job) -> tuple[str, dict[str, Any]]:
    event_type = f"job.{job.state}"
    data: dict[str, Any] = {
        "job_id": str(job.id),
        "tenant": job.tenant,
        "state": job.state,
        "batch_id": str(job.batch_id) if job.batch_id else None,
        "match_rate": job.match_rate,
        "match_rate_after": job.match_rate_after,
        "artifacts": sorted(job.artifacts or {}),
        "error": job.error,
    }
    return event_type, {"type": event_type, "timestamp": _now(), "data": data}


def batch_event(batch: Batch) -> tuple[str, dict[str, Any]]:
    event_type = "batch.completed"
    data = {
        "batch_id": str(batch.id),
        "tenant": batch.tenant,
        "kind": batch.kind,
        "state": batch.state,
        "total": batch.total,
        "succeeded": batch.succeeded,
        "failed": batch.failed,
        "cancelled": batch.cancelled,
        "ranked": batch.ranked,
    }
    return event_type, {"type": event_type, "timestamp": _now(), "data": data}
