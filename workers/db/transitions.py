"""A job's state changes: start a stage, complete it, finish, fail or cancel the job.

Each is a single guarded UPDATE (`… WHERE state IN (allowed) RETURNING`), so a redelivered
task, a stage after cancellation or a backwards move changes nothing. A terminal change writes
its webhook and counts its batch item in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    bindparam,
    func,
    literal,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.types import Interval, Text

from workers.db.batches import count_batch_item
from workers.db.jobs import (
    JOBS,
    LIGHT_COLUMNS,
    STAGE_COLUMNS,
    StageJob,
    returned_columns,
)
from workers.db.models import ACTIVE, FLOW, STAGE_STATE, Job, JobState
from workers.db.outbox import add_delivery
from workers.events import job_event
from workers.metrics import job_finished


@dataclass
class Change:
    """The result of a state change: the job as it now stands (None when the guard refused)
    and the outbox rows written with it, to hand to the sender after the commit."""

    job: Job | None
    deliveries: list[uuid.UUID] = field(default_factory=list)


class StartOutcome(StrEnum):
    started = "started"  # run the stage
    done = "done"  # a redelivery after the stage stored its output: continue the chain
    stop = "stop"  # cancelled, failed, or a duplicate of a stage already past: do nothing


def previous_state(stage: str) -> JobState:
    return FLOW[FLOW.index(STAGE_STATE[stage]) - 1]


def _jsonb(value: object) -> ColumnElement[Any]:
    return bindparam(None, value, type_=JSONB)


def _merge_stage(stage: str, **info: ColumnElement[Any] | object) -> ColumnElement[Any]:
    """`stages[stage] || {info}`: keeps what earlier attempts recorded."""
    pairs: list[Any] = []
    for key, value in info.items():
        pairs += [literal(key), value if isinstance(value, ColumnElement) else _jsonb(value)]
    current = func.coalesce(Job.stages[stage], _jsonb({}))
    path = literal([stage], ARRAY(Text))
    return func.jsonb_set(Job.stages, path, current.op("||")(func.jsonb_build_object(*pairs)))


def _guarded(
    job_id: uuid.UUID | BindParameter[uuid.UUID],
    allowed: Iterable[str],
    values: Mapping[str, Any],
    load: Iterable[str] | None = None,
    where: Sequence[ColumnElement[bool]] = (),
    light: Sequence[str] = LIGHT_COLUMNS,
) -> Any:
    """`UPDATE jobs SET values WHERE id = job_id AND state IN allowed [AND where] RETURNING`,
    loaded as a Job. The UPDATE is plain Core, wrapped in `from_statement` so the ORM only
    builds the instance from the returned row: ORM-enabled DML cost the workers about 1.5 ms of
    CPU per transition. Columns not returned stay unloaded, so reading one after the session
    closes raises DetachedInstanceError rather than giving a silent None."""
    stmt = _guarded_update(job_id, allowed, values, where).returning(
        *returned_columns(load, light))
    return select(Job).from_statement(stmt).execution_options(populate_existing=True)


def _guarded_update(
    job_id: uuid.UUID | BindParameter[uuid.UUID],
    allowed: Iterable[str],
    values: Mapping[str, Any],
    where: Sequence[ColumnElement[bool]] = (),
) -> Any:
    # The allowed states are written into the SQL: an IN list of bound values is "expanding",
    # which makes SQLAlchemy render the statement again on every execution.
    states: list[Any] = [literal_column(f"'{JobState(s).value}'") for s in allowed]
    return (
        update(JOBS)
        .where(JOBS.c.id == job_id, JOBS.c.state.in_(states), *where)
        .values({**values, "updated_at": func.now()})
    )


def start_stage(
    session: Session | Connection,
    job_id: uuid.UUID,
    stage: str,
    *,
    task_id: str | None = None,
    load: Iterable[str] | None = None,
    lease: timedelta | None = None,
) -> tuple[StartOutcome, StageJob | None]:
    """Move the job into `stage` (from the previous state, or again after a redelivery or a
    retry of the same stage), counting the attempt.

    `task_id` must belong to the job's current chain (`job.task_ids`, set before the chain
    was sent; a retry or a redelivery keeps its id). A task of a superseded or duplicated
    chain is refused, so duplicates never run a stage twice at once nor use up its attempts.

    `lease`: the stage is claimed until Postgres's now() plus this (`stages[stage]
    ["lease_until"]`), for a caller that keeps renewing it while it runs (workers.leases); the
    reaper sends the stage again once the lease runs out.

    `load`: the heavy columns the stage reads; given, only `jobs.STAGE_COLUMNS` of the light
    ones come back with them (None: every column).

    A started stage gets the UPDATE's returned row as it is, not a `Job`: building an ORM
    instance from it (a row processor per column, on every execution) was about a quarter of
    a start's CPU, paid by every stage task. A refused one gets the job's row as it stands,
    the same columns. Plain Core throughout, so the stage tasks run it on a bare connection
    (`session.autocommit_connection`).
    """
    stmt = _start_statement(stage, _shape(load), in_chain=task_id is not None,
                            leased=lease is not None)
    params: dict[str, object] = {"job_id": job_id}
    if task_id is not None:
        params["task_id"] = task_id
    if lease is not None:
        params["lease"] = lease
    row = session.execute(stmt, params).first()
    if row is not None:
        return StartOutcome.started, cast(StageJob, row)  # attribute access by column name
    found = session.execute(_read_statement(_shape(load)), {"job_id": job_id}).first()
    job = cast(StageJob | None, found)
    if job is None or not _belongs(job, task_id):
        return StartOutcome.stop, job
    if job.state == STAGE_STATE[stage] and "finished" in (job.stages.get(stage) or {}):
        return StartOutcome.done, job
    return StartOutcome.stop, job


# Every job runs the transitions below once per stage, so their statements are built once per
# shape (stage, columns written, columns read back) with the job's values as parameters:
# building and cache-keying a fresh ORM statement cost more CPU than the UPDATE itself.
_JOB_ID: BindParameter[uuid.UUID] = bindparam("job_id")


def _shape(load: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if load is None else tuple(load)


@lru_cache(maxsize=64)
def _start_statement(
    stage: str, load: tuple[str, ...] | None, *, in_chain: bool, leased: bool
) -> Any:
    own = STAGE_STATE[stage].value
    not_finished = ~Job.stages[stage].has_key("finished")  # noqa: W601 (JSONB ? operator)
    attempts = func.coalesce(Job.stages[stage]["attempts"].astext.cast(Job.attempts.type), 0) + 1
    lease = {"lease_until": func.now() + bindparam("lease", type_=Interval)} if leased else {}
    # With `load` given, the caller is a stage task: only what tasks read comes back.
    return _guarded_update(
        _JOB_ID,
        [previous_state(stage), own],
        {
            "state": own,
            "attempts": attempts,
            "state_changed_at": func.now(),
            "stages": _merge_stage(stage, started=func.now(), attempts=attempts, **lease),
        },
        [func.coalesce(not_finished, True),
         *([_in_chain(bindparam("task_id", type_=Text))] if in_chain else [])],
    ).returning(*returned_columns(load, STAGE_COLUMNS))


@lru_cache(maxsize=64)
def _read_statement(load: tuple[str, ...] | None) -> Any:
    # What a refused start reads: the columns an accepted one returns.
    return select(*returned_columns(load, STAGE_COLUMNS)).where(JOBS.c.id == _JOB_ID)


def _written(values: Mapping[str, Any], info: Mapping[str, object]) -> tuple[
    dict[str, BindParameter[Any]], dict[str, object], dict[str, Any]
]:
    """Bind parameters for stage outputs (`values`, by column) and stage facts (`info`, kept
    in `stages[stage]`), and the parameters that fill them."""
    binds: dict[str, BindParameter[Any]] = {
        name: bindparam(f"value_{name}", type_=JOBS.c[name].type) for name in values}
    facts: dict[str, object] = {name: bindparam(f"info_{name}", type_=JSONB) for name in info}
    params = {f"value_{k}": v for k, v in values.items()}
    params.update({f"info_{k}": v for k, v in info.items()})
    return binds, facts, params


@lru_cache(maxsize=64)
def _complete_statement(
    stage: str, columns: tuple[str, ...], info: tuple[str, ...], load: tuple[str, ...] | None
) -> Any:
    binds, facts, _ = _written(dict.fromkeys(columns), dict.fromkeys(info))
    return _guarded(
        _JOB_ID, [STAGE_STATE[stage]],
        {**binds, "stages": _merge_stage(stage, finished=func.now(), **facts)}, load,
    )


@lru_cache(maxsize=16)
def _finish_statement(columns: tuple[str, ...], load: tuple[str, ...] | None) -> Any:
    binds, _, _ = _written(dict.fromkeys(columns), {})
    return _guarded(
        _JOB_ID,
        [JobState.uploading],
        {
            **binds,
            "state": JobState.succeeded.value,
            "state_changed_at": func.now(),
            "finished_at": func.now(),
            "stages": _merge_stage("upload", finished=func.now()),
        },
        load,
    )


def _in_chain(task_id: str | BindParameter[str]) -> ColumnElement[bool]:
    # A job whose chain ids were never recorded accepts any task (nothing to tell apart).
    return (func.jsonb_array_length(Job.task_ids) == 0) | Job.task_ids.has_key(task_id)


def _belongs(job: StageJob, task_id: str | None) -> bool:
    return task_id is None or not job.task_ids or task_id in job.task_ids


def complete_stage(
    session: Session,
    job_id: uuid.UUID,
    stage: str,
    values: Mapping[str, Any],
    *,
    load: Iterable[str] | None = None,
    **info: object,
) -> Job | None:
    """Store a stage's outputs and mark it finished, only while the job is still in that
    stage (a job cancelled meanwhile keeps its state and does not advance). `load`: the heavy
    columns to read back (None: all; the workers pass none, they only need the outcome)."""
    stmt = _complete_statement(stage, tuple(values), tuple(info), _shape(load))
    _, _, params = _written(values, info)
    return session.execute(stmt, {"job_id": job_id, **params}).scalar_one_or_none()


@lru_cache(maxsize=64)
def _completed_statement(stage: str, columns: tuple[str, ...], info: tuple[str, ...]) -> Any:
    binds, facts, _ = _written(dict.fromkeys(columns), dict.fromkeys(info))
    return _guarded_update(
        _JOB_ID, [STAGE_STATE[stage]],
        {**binds, "stages": _merge_stage(stage, finished=func.now(), **facts)},
    ).returning(JOBS.c.id)


def stage_completed(
    session: Session | Connection,
    job_id: uuid.UUID,
    stage: str,
    values: Mapping[str, Any],
    **info: object,
) -> bool:
    """`complete_stage` for a caller that needs only the outcome (the stage tasks): the same
    guarded UPDATE, reading back only the id, as plain Core (no ORM instance to build).
    False when the job left the stage meanwhile (cancelled, reaped)."""
    stmt = _completed_statement(stage, tuple(values), tuple(info))
    _, _, params = _written(values, info)
    return session.execute(stmt, {"job_id": job_id, **params}).first() is not None


def finish_job(
    session: Session,
    job_id: uuid.UUID,
    values: Mapping[str, Any],
    *,
    load: Iterable[str] | None = None,
) -> Change:
    """uploading → succeeded, with the webhook and batch bookkeeping in the same transaction
    (which read only light columns; `load` as in `complete_stage`)."""
    stmt = _finish_statement(tuple(values), _shape(load))
    _, _, params = _written(values, {})
    job = session.execute(stmt, {"job_id": job_id, **params}).scalar_one_or_none()
    return _after_terminal(session, job)


def fail_job(
    session: Session,
    job_id: uuid.UUID,
    *,
    stage: str | None,
    error_type: str,
    message: str,
    field: str | None = None,
) -> Change:
    error = {"stage": stage, "type": error_type, "message": message[:4000], "field": field}
    stmt = _guarded(
        job_id,
        ACTIVE,
        {
            "state": JobState.failed.value,
            "state_changed_at": func.now(),
            "finished_at": func.now(),
            "error": _jsonb(error),
        },
    )
    return _after_terminal(session, session.execute(stmt).scalar_one_or_none())


def cancel_job(session: Session, tenant: str, job_id: uuid.UUID) -> Change:
    """Cancel an unfinished job. `Change.job` is None when the job is missing or already
    finished; the caller revokes `job.task_ids` after the commit."""
    stmt = _guarded(
        job_id,
        ACTIVE,
        {
            "state": JobState.cancelled.value,
            "state_changed_at": func.now(),
            "finished_at": func.now(),
        },
        where=[JOBS.c.tenant == tenant],
    )
    return _after_terminal(session, session.execute(stmt).scalar_one_or_none())


def _after_terminal(session: Session, job: Job | None) -> Change:
    change = Change(job)
    if job is None:
        return change
    job_finished(session, job)  # counted once the transaction commits
    if job.webhook_url and job.state != JobState.cancelled:
        event_type, payload = job_event(job)
        change.deliveries.append(
            add_delivery(session, tenant=job.tenant, event_type=event_type,
                         url=job.webhook_url, payload=payload, job_id=job.id)
        )
    if job.batch_id is not None:
        delivery = count_batch_item(session, job.batch_id, JobState(job.state))
        if delivery is not None:
            change.deliveries.append(delivery)
    return change
