"""The reaper's queries: jobs stuck in a state too long, claimed one at a time."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from workers.db.models import Job


def find_stuck_jobs(
    session: Session, cutoffs: Mapping[str, datetime], *, limit: int = 100
) -> list[Job]:
    """Active jobs whose current state began before its cutoff (state → oldest allowed)."""
    clauses = [(Job.state == state) & (Job.state_changed_at < at) for state, at in cutoffs.items()]
    if not clauses:
        return []
    stmt = select(Job).where(or_(*clauses)).order_by(Job.state_changed_at).limit(limit)
    return list(session.execute(stmt).scalars())


def touch_stuck_job(
    session: Session, job_id: uuid.UUID, state: str, older_than: datetime
) -> Job | None:
    """Claim a stuck job for requeueing: only if it is still in `state` since before
    `older_than`, so two reapers never requeue it twice."""
    stmt = (
        update(Job)
        .where(Job.id == job_id, Job.state == state, Job.state_changed_at < older_than)
        .values(state_changed_at=func.now(), updated_at=func.now())
        .returning(Job)
        .execution_options(populate_existing=True)
    )
    return session.execute(stmt).scalar_one_or_none()
