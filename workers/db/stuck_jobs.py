"""The reaper's queries: active jobs that no running task holds, and claiming one of them for
a re-send. Every time is compared on Postgres's clock.

A job in state X (whose stage S started it) is, for the reaper, one of:
- `waiting`: queued, or S finished; its next task's message is on its way or in a queue;
- `lapsed`: S started, unfinished, and its lease ran out: the process running it is gone;
- `overdue`: S started, unfinished, with no lease (started by a release without leases),
  and in that state longer than S could take;
- held: S running under a live lease; never returned.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, DateTime, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from workers.db.jobs import JOBS
from workers.db.models import ACTIVE, STAGE_STATE, JobState
from workers.settings import STAGES

_STATE_STAGE = {state.value: stage for stage, state in STAGE_STATE.items()}


class Quiet(StrEnum):
    waiting = "waiting"
    lapsed = "lapsed"
    overdue = "overdue"


@dataclass(frozen=True)
class QuietJob:
    id: uuid.UUID
    state: str
    kind: Quiet
    resend_from: str | None  # the stage a re-send starts with (None: nothing left to run)
    attempts: int  # starts of the current stage
    task_ids: tuple[str, ...]
    state_changed_at: datetime


def _finished(stage: str) -> ColumnElement[bool]:
    return JOBS.c.stages[stage].has_key("finished")  # noqa: W601 (JSONB ? operator)


def _lease_until(stage: str) -> ColumnElement[Any]:
    return JOBS.c.stages[stage]["lease_until"].astext.cast(DateTime(timezone=True))


def _before(seconds: float) -> ColumnElement[Any]:
    return func.now() - timedelta(seconds=seconds)


def find_quiet_jobs(
    session: Session,
    *,
    waiting_after_s: Mapping[str, float],
    overdue_after_s: Mapping[str, float],
    limit: int,
) -> list[QuietJob]:
    """Active jobs no running task holds: waiting (state → seconds since the state began,
    `queued` included), lapsed (a lease that ran out, after the state's waiting time too, so
    a re-sent stage is not sent again before its task could start) or overdue (state →
    seconds), oldest first."""
    clauses = [and_(JOBS.c.state == JobState.queued.value,
                    JOBS.c.state_changed_at < _before(waiting_after_s[JobState.queued.value]))]
    for stage, state in STAGE_STATE.items():
        in_state = JOBS.c.state == state.value
        changed = JOBS.c.state_changed_at
        lease = _lease_until(stage)
        clauses += [
            and_(in_state, _finished(stage), changed < _before(waiting_after_s[state.value])),
            and_(in_state, ~_finished(stage), lease.is_not(None), lease < func.now(),
                 changed < _before(waiting_after_s[state.value])),
            and_(in_state, ~_finished(stage), lease.is_(None),
                 changed < _before(overdue_after_s[state.value])),
        ]
    stmt = (
        select(JOBS.c.id, JOBS.c.state, JOBS.c.stages, JOBS.c.attempts, JOBS.c.task_ids,
               JOBS.c.state_changed_at)
        .where(JOBS.c.state.in_([s.value for s in ACTIVE]), or_(*clauses))
        .order_by(JOBS.c.state_changed_at)
        .limit(limit)
    )
    return [_classify(row) for row in session.execute(stmt)]


def _classify(row: Any) -> QuietJob:
    stage = _STATE_STAGE.get(row.state)
    info = (row.stages or {}).get(stage, {}) if stage else {}
    resend_from: str | None
    if stage is None:  # queued
        kind, resend_from = Quiet.waiting, STAGES[0]
    elif "finished" in info:
        following = STAGES.index(stage) + 1
        kind, resend_from = Quiet.waiting, (
            STAGES[following] if following < len(STAGES) else None)
    else:
        kind = Quiet.lapsed if info.get("lease_until") else Quiet.overdue
        resend_from = stage
    return QuietJob(row.id, row.state, kind, resend_from, row.attempts,
                    tuple(row.task_ids or ()), row.state_changed_at)


def claim_for_resend(
    session: Session, job: QuietJob, task_ids: Sequence[str]
) -> bool:
    """Take the job for a re-send with the chain `task_ids`, only if nothing moved it since
    `find_quiet_jobs` saw it (no stage started, no other reaper took it; a lapsed lease still
    lapsed): two reapers never send it twice, and the job's chain is the new one from here
    on, so the tasks of the old one are refused if they ever arrive."""
    where = [JOBS.c.id == bindparam("job_id"), JOBS.c.state == job.state,
             JOBS.c.state_changed_at == job.state_changed_at]
    current = _STATE_STAGE.get(job.state)
    if job.kind is Quiet.lapsed and current is not None:
        where.append(_lease_until(current) < func.now())
    stmt = (
        update(JOBS)
        .where(*where)
        .values(state_changed_at=func.now(), updated_at=func.now(), task_ids=list(task_ids))
        .returning(JOBS.c.id)
    )
    return session.execute(stmt, {"job_id": job.id}).first() is not None
