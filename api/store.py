"""The answer to a fresh submit, built from values the route already holds (the insert itself
is `workers.db.repository.insert_queued_job`, which returns only the two timestamps)."""

from __future__ import annotations

import uuid
from datetime import datetime

from api.schemas import JobOut
from workers.db.models import JobState


def queued_out(
    job_id: uuid.UUID, template: str, provider: str, created_at: datetime, updated_at: datetime
) -> JobOut:
    """The answer to a fresh submit: just queued, so no stage, match, artifact or error yet."""
    return JobOut(
        id=job_id, state=JobState.queued.value, template=template, provider=provider, batch_id=None,
        label=None, created_at=created_at, updated_at=updated_at, finished_at=None, stages=[],
        match=None, artifacts=None, artifacts_expire_in_s=None, error=None,
    )
