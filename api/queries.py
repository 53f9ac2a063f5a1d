"""Read queries only the API needs: a batch's items without loading every job's resume,
tailored output and reports (a 500-item batch would otherwise pull megabytes per poll)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workers.db.models import Job


@dataclass(frozen=True)
class BatchItemRow:
    job_id: uuid.UUID
    index: int | None
    label: str | None
    state: str
    match_rate: float | None
    match_rate_after: float | None
    error: dict[str, Any] | None
    title: str | None
    skills: list[dict[str, Any]] | None  # the before-report's skills, by importance


def batch_items(session: Session, tenant: str, batch_id: uuid.UUID) -> list[BatchItemRow]:
    stmt = (
        select(
            Job.id, Job.batch_item, Job.label, Job.state, Job.match_rate, Job.match_rate_after,
            Job.error, Job.analysis["title"].astext, Job.report["skills"],
        )
        .where(Job.batch_id == batch_id, Job.tenant == tenant)
        .order_by(Job.batch_item, Job.created_at)
    )
    return [BatchItemRow(*row) for row in session.execute(stmt)]
