"""A running stage's lease on its job: `stages[stage]["lease_until"]`, a time on Postgres's
clock (so the workers' clocks never matter). `transitions.start_stage` takes the lease when
the stage starts; the worker running it renews it (workers.leases); the reaper treats a
started, unfinished stage whose lease has run out as lost (workers.reaper)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func, literal, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import Interval, Text

from workers.db.jobs import JOBS
from workers.db.models import STAGE_STATE


@lru_cache(maxsize=16)
def _renew_statement(stage: str) -> Any:
    path = literal([stage, "lease_until"], ARRAY(Text))
    until = func.to_jsonb(func.now() + bindparam("lease", type_=Interval))
    not_finished = ~JOBS.c.stages[stage].has_key("finished")  # noqa: W601 (JSONB ? operator)
    # Only the chain that owns the job renews: a superseded run (the reaper sent the stage
    # again) lets its lease lapse. A job whose chain ids were never recorded owns any task.
    owner = (func.jsonb_array_length(JOBS.c.task_ids) == 0) | JOBS.c.task_ids.has_key(
        bindparam("task_id", type_=Text))
    # `updated_at` stays: a renewal is no change a client would see.
    return (
        update(JOBS)
        .where(JOBS.c.id == bindparam("job_id"), JOBS.c.state == STAGE_STATE[stage].value,
               not_finished, owner)
        .values(stages=func.jsonb_set(JOBS.c.stages, path, until))
        .returning(JOBS.c.id)
    )


def renew_lease(
    session: Session, job_id: uuid.UUID, stage: str, task_id: str, lease: timedelta
) -> bool:
    """Hold `stage` of the job until now + `lease`, while the job is still in that stage,
    unfinished, and `task_id` belongs to its chain; False when it no longer is (the stage
    finished, the job was cancelled or failed, or another chain took it over)."""
    found = session.execute(
        _renew_statement(stage), {"job_id": job_id, "task_id": task_id, "lease": lease}
    ).first()
    return found is not None
