"""The reads behind the API's status answers. Polling is the hot path, so these load what a status
answer shows and leave a job's resume, posting, analysis, tailored output and reports in
Postgres (a 500-item batch would otherwise pull megabytes per poll)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, cast, func, literal, select
from sqlalchemy.dialects.postgresql import JSONPATH
from sqlalchemy.orm import Session, defer

from workers.db.models import HEAVY_COLUMNS, Job


@dataclass(frozen=True)
class SkillNames:
    """Skill names by state (pipeline.models.SkillState), by importance, from the
    after-report when there is one."""

    matched: list[str]  # shown
    missing: list[str]  # absent
    evidenced: list[str] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)  # an alternative the posting takes shown


# A report stored before skills had a state: shown was `matched`, absent had no evidence.
_STATE_FILTERS = {
    "shown": '@.state == "shown" || !(exists(@.state)) && @.matched == true',
    "evidenced": '@.state == "evidenced" || !(exists(@.state)) && @.matched == false'
                 " && @.evidence.size() > 0",
    "absent": '@.state == "absent" || !(exists(@.state)) && @.evidence.size() == 0',
    "covered": '@.state == "covered"',
}


def _skill_names(state: str) -> ColumnElement[Any]:
    report = func.coalesce(Job.report_after, Job.report)
    path = cast(literal(f"$.skills[*] ? ({_STATE_FILTERS[state]}).name"), JSONPATH)
    return func.jsonb_path_query_array(report, path)


def job_status(
    session: Session, tenant: str, job_id: uuid.UUID
) -> tuple[Job, SkillNames | None] | None:
    """A tenant's job without its heavy columns, and its skill names (None before scoring).
    Another tenant's job is None, exactly like a missing one."""
    return _status_where(session, Job.id == job_id, Job.tenant == tenant)


def job_by_key(
    session: Session, tenant: str, idempotency_key: str
) -> tuple[Job, SkillNames | None] | None:
    """Like `job_status`, for the job a tenant submitted with this `Idempotency-Key`."""
    return _status_where(session, Job.tenant == tenant, Job.idempotency_key == idempotency_key)


def _status_where(
    session: Session, *where: ColumnElement[bool]
) -> tuple[Job, SkillNames | None] | None:
    stmt = (
        select(Job, _skill_names("shown"), _skill_names("absent"), _skill_names("evidenced"),
               _skill_names("covered"))
        .where(*where)
        .options(*(defer(getattr(Job, name), raiseload=True) for name in HEAVY_COLUMNS))
    )
    row = session.execute(stmt).one_or_none()
    if row is None:
        return None
    job, matched, missing, evidenced, covered = row
    skills = (SkillNames(matched, missing or [], evidenced or [], covered or [])
              if matched is not None else None)
    return job, skills


@dataclass(frozen=True)
class BatchItemRow:
    job_id: uuid.UUID
    index: int | None
    label: str | None
    state: str
    match_rate: float | None
    match_rate_after: float | None
    fit: float | None
    fit_parts: dict[str, float] | None
    error: dict[str, Any] | None
    title: str | None
    skills: list[dict[str, Any]] | None  # the before-report's skills, by importance


def batch_items(session: Session, tenant: str, batch_id: uuid.UUID) -> list[BatchItemRow]:
    stmt = (
        select(
            Job.id, Job.batch_item, Job.label, Job.state, Job.match_rate, Job.match_rate_after,
            Job.fit, Job.fit_parts, Job.error, Job.analysis["title"].astext, Job.report["skills"],
        )
        .where(Job.batch_id == batch_id, Job.tenant == tenant)
        .order_by(Job.batch_item, Job.created_at)
    )
    return [BatchItemRow(*row) for row in session.execute(stmt)]
