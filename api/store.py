"""The submit's one write: a job row with its chain's task ids, in a single statement.

`repository.create_job` followed by `set_task_ids` costs an ORM insert that loads the whole
row back (resume and posting included) and a second UPDATE round trip. A submit knows every
value up front, the job id and the chain's task ids too (chosen before anything is sent), so
the API inserts them together with a Core `INSERT … ON CONFLICT DO NOTHING RETURNING` of the
two timestamps Postgres fills in. Column defaults (the model's Python-side ones) still apply.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from api.schemas import JobOut
from workers.db.models import Job, JobState

_JOBS: Table = Job.__table__  # type: ignore[assignment]

_INSERT = (
    insert(_JOBS)
    .on_conflict_do_nothing(index_elements=["tenant", "idempotency_key"])
    .returning(_JOBS.c.created_at, _JOBS.c.updated_at)
)


def insert_job(
    session: Session,
    *,
    job_id: uuid.UUID,
    tenant: str,
    resume: dict[str, Any],
    posting: str,
    template: str,
    provider: str,
    webhook_url: str | None,
    idempotency_key: str | None,
    request_hash: str,
    task_ids: Sequence[str],
) -> tuple[datetime, datetime] | None:
    """Insert a queued job; None when the tenant already used `idempotency_key` (the caller
    then reads that job and compares request hashes)."""
    row = {
        "id": job_id, "tenant": tenant, "state": JobState.queued.value, "stages": {},
        "attempts": 0, "resume": resume, "posting": posting, "template": template,
        "provider": provider, "webhook_url": webhook_url, "idempotency_key": idempotency_key,
        "request_hash": request_hash, "artifacts": {}, "task_ids": list(task_ids),
    }
    found = session.execute(_INSERT, row).one_or_none()
    return None if found is None else (found.created_at, found.updated_at)


def queued_out(
    job_id: uuid.UUID, template: str, provider: str, created_at: datetime, updated_at: datetime
) -> JobOut:
    """The answer to a fresh submit: just queued, so no stage, match, artifact or error yet."""
    return JobOut(
        id=job_id, state=JobState.queued.value, template=template, provider=provider, batch_id=None,
        label=None, created_at=created_at, updated_at=updated_at, finished_at=None, stages=[],
        match=None, artifacts=None, artifacts_expire_in_s=None, error=None,
    )
