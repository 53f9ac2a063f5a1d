"""Every query the service runs. Functions take a Session and never commit: the caller's
`session_scope()` (a task wrapper or a request) does, and enqueues only after that commit.

Job state changes are single guarded UPDATEs (`… WHERE state IN (allowed) RETURNING`), so a
redelivered task, a stage after cancellation or a backwards move changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Required, TypedDict, Unpack

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Table,
    bindparam,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, insert
from sqlalchemy.orm import Session, load_only
from sqlalchemy.types import Text

from workers.db.models import (
    ACTIVE,
    FLOW,
    STAGE_STATE,
    Batch,
    BatchState,
    Job,
    JobState,
)
from workers.db.outbox import (
    add_delivery,
    claim_due_deliveries,
    deliveries_for,
    record_delivery_attempt,
)
from workers.events import batch_event, job_event

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = [
    "HEAVY_COLUMNS", "Change", "StartOutcome", "add_delivery", "batch_jobs", "cancel_job",
    "claim_due_deliveries",
    "complete_stage", "create_batch", "create_job", "deliveries_for", "fail_job",
    "find_stuck_jobs", "finish_job", "get_batch", "get_job", "load_job", "previous_state",
    "record_delivery_attempt", "set_task_ids", "start_stage", "touch_stuck_job",
]


@dataclass
class Change:
    """The result of a state change: the job as it now stands (None when the guard refused)
    and the outbox rows written with it, to hand to the sender after the commit."""

    job: Job | None
    deliveries: list[uuid.UUID] = field(default_factory=list)


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


# The job's large columns (the inputs and every stage's output). A stage loads only those it
# reads: RETURNING and decoding all of them at every transition cost the workers more CPU than
# some stages' own work.
HEAVY_COLUMNS = ("resume", "posting", "analysis", "report", "tailored", "compile_meta",
                 "report_after")
_JOBS: Table = Job.__table__  # type: ignore[assignment]
_LIGHT = tuple(c.key for c in _JOBS.columns if c.key not in HEAVY_COLUMNS)


def _columns(load: Iterable[str] | None) -> Any:
    """Loader option: the light columns plus `load` (None: every column). A column left out
    raises DetachedInstanceError when read after the session closes, never a silent None."""
    if load is None:
        return None
    unknown = set(load) - set(HEAVY_COLUMNS)
    if unknown:
        raise ValueError(f"load: not a heavy job column: {', '.join(sorted(unknown))}")
    return load_only(*(getattr(Job, name) for name in (*_LIGHT, *load)))


def _returned(load: Iterable[str] | None) -> list[Any]:
    """The columns a transition reads back: the light ones plus `load` (None: all)."""
    if load is None:
        return list(_JOBS.c)
    _columns(load)  # refuses an unknown column name
    return [_JOBS.c[name] for name in (*_LIGHT, *load)]


def _guarded(
    job_id: uuid.UUID | BindParameter[uuid.UUID],
    allowed: Iterable[str],
    values: Mapping[str, Any],
    load: Iterable[str] | None = None,
    where: Sequence[ColumnElement[bool]] = (),
) -> Any:
    """`UPDATE jobs SET values WHERE id = job_id AND state IN allowed [AND where] RETURNING`,
    loaded as a Job. The UPDATE is plain Core, wrapped in `from_statement` so the ORM only
    builds the instance from the returned row: ORM-enabled DML cost the workers about 1.5 ms of
    CPU per transition. Columns not returned stay unloaded, so reading one after the session
    closes raises DetachedInstanceError rather than giving a silent None."""
    stmt = (
        update(_JOBS)
        .where(_JOBS.c.id == job_id, _JOBS.c.state.in_([str(s) for s in allowed]), *where)
        .values({**values, "updated_at": func.now()})
        .returning(*_returned(load))
    )
    return select(Job).from_statement(stmt).execution_options(populate_existing=True)


# ---------------------------------------------------------------- jobs: create and read


class JobFields(TypedDict, total=False):
    """What a submit says about a new job; the rest of its row starts empty."""

    tenant: Required[str]
    resume: Required[dict[str, Any]]
    posting: Required[str]
    template: str
    provider: str
    documents: list[str]
    webhook_url: str | None
    idempotency_key: str | None
    request_hash: str | None
    batch_id: uuid.UUID | None
    batch_item: int | None
    label: str | None
    job_id: uuid.UUID  # chosen up front when the chain's task ids must be known first
    task_ids: Sequence[str]


def queued_job_row(**fields: Unpack[JobFields]) -> dict[str, Any]:
    """The columns of a freshly queued job: the one place that says what a new job holds."""
    return {
        "id": fields.get("job_id") or uuid.uuid4(), "tenant": fields["tenant"],
        "state": JobState.queued.value, "stages": {}, "attempts": 0,
        "resume": fields["resume"], "posting": fields["posting"],
        "template": fields.get("template", "classic"), "provider": fields.get("provider", "local"),
        "documents": list(fields.get("documents", ["resume"])),
        "webhook_url": fields.get("webhook_url"), "idempotency_key": fields.get("idempotency_key"),
        "request_hash": fields.get("request_hash"), "batch_id": fields.get("batch_id"),
        "batch_item": fields.get("batch_item"), "label": fields.get("label"),
        "artifacts": {}, "task_ids": list(fields.get("task_ids", ())),
    }


def _insert_job() -> Any:
    return insert(Job).on_conflict_do_nothing(index_elements=["tenant", "idempotency_key"])


# Built once: the submit path executes it with the row as parameters (Core, on the table, so
# nothing is loaded back but the two timestamps).
_QUEUED_INSERT = (
    insert(_JOBS)
    .on_conflict_do_nothing(index_elements=["tenant", "idempotency_key"])
    .returning(_JOBS.c.created_at, _JOBS.c.updated_at)
)


def create_job(session: Session, **fields: Unpack[JobFields]) -> tuple[Job, bool]:
    """Insert a queued job (`queued_job_row`'s fields); with an idempotency key already used by
    the tenant, return that job instead (`created` False). The caller compares `request_hash`
    to tell a replay from a conflicting reuse of the key."""
    row = queued_job_row(**fields)
    stmt = (
        _insert_job().values(row)
        .returning(Job)
        .execution_options(populate_existing=True)
    )
    created = session.execute(stmt).scalar_one_or_none()
    if created is not None:
        return created, True
    existing = session.execute(
        select(Job).where(Job.tenant == row["tenant"],
                          Job.idempotency_key == row["idempotency_key"])
    ).scalar_one()
    return existing, False


async def insert_queued_job(
    connection: AsyncConnection, row: dict[str, Any]
) -> tuple[datetime, datetime] | None:
    """The submit's hot path (the API's async route): insert `queued_job_row(...)` (id and
    chain task ids chosen up front) and return only the two timestamps Postgres fills in,
    without loading the row back; None when the tenant already used the idempotency key.
    One statement, so on an autocommit connection it is its own transaction."""
    found = (await connection.execute(_QUEUED_INSERT, row)).one_or_none()
    return None if found is None else (found.created_at, found.updated_at)


def get_job(session: Session, tenant: str, job_id: uuid.UUID) -> Job | None:
    """A tenant's job; another tenant's job is None, exactly like a missing one."""
    return session.execute(
        select(Job).where(Job.id == job_id, Job.tenant == tenant)
    ).scalar_one_or_none()


def load_job(
    session: Session, job_id: uuid.UUID, *, load: Iterable[str] | None = None
) -> Job | None:
    """Any tenant's job, for the workers, which only ever hold ids they were given; `load`
    limits the heavy columns read (see `HEAVY_COLUMNS`)."""
    option = _columns(load)
    return session.get(Job, job_id, populate_existing=True,
                       options=[option] if option is not None else None)


def set_task_ids(session: Session, job_id: uuid.UUID, task_ids: Sequence[str]) -> None:
    session.execute(update(Job).where(Job.id == job_id).values(task_ids=list(task_ids)))


# ---------------------------------------------------------------- jobs: stage transitions


class StartOutcome(StrEnum):
    started = "started"  # run the stage
    done = "done"  # a redelivery after the stage stored its output: continue the chain
    stop = "stop"  # cancelled, failed, or a duplicate of a stage already past: do nothing


def previous_state(stage: str) -> JobState:
    return FLOW[FLOW.index(STAGE_STATE[stage]) - 1]


def start_stage(
    session: Session,
    job_id: uuid.UUID,
    stage: str,
    *,
    task_id: str | None = None,
    load: Iterable[str] | None = None,
) -> tuple[StartOutcome, Job | None]:
    """Move the job into `stage` (from the previous state, or again after a redelivery or a
    retry of the same stage), counting the attempt.

    `task_id` must belong to the job's current chain (`job.task_ids`, set before the chain
    was sent; a retry or a redelivery keeps its id). A task of a superseded or duplicated
    chain is refused, so duplicates never run a stage twice at once nor use up its attempts.
    """
    stmt = _start_statement(stage, _shape(load), task_id is not None)
    params = {"job_id": job_id} if task_id is None else {"job_id": job_id, "task_id": task_id}
    job = session.execute(stmt, params).scalar_one_or_none()
    if job is not None:
        return StartOutcome.started, job
    job = load_job(session, job_id, load=load)
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
def _start_statement(stage: str, load: tuple[str, ...] | None, in_chain: bool) -> Any:
    own = STAGE_STATE[stage].value
    not_finished = ~Job.stages[stage].has_key("finished")  # noqa: W601 (JSONB ? operator)
    attempts = func.coalesce(Job.stages[stage]["attempts"].astext.cast(Job.attempts.type), 0) + 1
    return _guarded(
        _JOB_ID,
        [previous_state(stage), own],
        {
            "state": own,
            "attempts": attempts,
            "state_changed_at": func.now(),
            "stages": _merge_stage(stage, started=func.now(), attempts=attempts),
        },
        load,
        [func.coalesce(not_finished, True),
         *([_in_chain(bindparam("task_id", type_=Text))] if in_chain else [])],
    )


def _written(values: Mapping[str, Any], info: Mapping[str, object]) -> tuple[
    dict[str, BindParameter[Any]], dict[str, object], dict[str, Any]
]:
    """Bind parameters for stage outputs (`values`, by column) and stage facts (`info`, kept
    in `stages[stage]`), and the parameters that fill them."""
    binds: dict[str, BindParameter[Any]] = {
        name: bindparam(f"value_{name}", type_=_JOBS.c[name].type) for name in values}
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


def _belongs(job: Job, task_id: str | None) -> bool:
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
        where=[_JOBS.c.tenant == tenant],
    )
    return _after_terminal(session, session.execute(stmt).scalar_one_or_none())


def _after_terminal(session: Session, job: Job | None) -> Change:
    change = Change(job)
    if job is None:
        return change
    if job.webhook_url and job.state != JobState.cancelled:
        event_type, payload = job_event(job)
        change.deliveries.append(
            add_delivery(session, tenant=job.tenant, event_type=event_type,
                         url=job.webhook_url, payload=payload, job_id=job.id)
        )
    if job.batch_id is not None:
        delivery = _count_batch_item(session, job.batch_id, JobState(job.state))
        if delivery is not None:
            change.deliveries.append(delivery)
    return change


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


def find_stuck_jobs(
    session: Session, cutoffs: Mapping[str, datetime], *, limit: int = 100
) -> list[Job]:
    """Active jobs whose current state began before its cutoff (state → oldest allowed)."""
    clauses = [(Job.state == state) & (Job.state_changed_at < at) for state, at in cutoffs.items()]
    if not clauses:
        return []
    stmt = select(Job).where(or_(*clauses)).order_by(Job.state_changed_at).limit(limit)
    return list(session.execute(stmt).scalars())


# ---------------------------------------------------------------- batches


def create_batch(
    session: Session,
    *,
    tenant: str,
    kind: str,
    total: int,
    webhook_url: str | None = None,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> tuple[Batch, bool]:
    row = {
        "id": uuid.uuid4(), "tenant": tenant, "kind": kind, "total": total,
        "state": BatchState.running.value, "succeeded": 0, "failed": 0, "cancelled": 0,
        "webhook_url": webhook_url, "idempotency_key": idempotency_key,
        "request_hash": request_hash,
    }
    stmt = (
        insert(Batch).values(row)
        .on_conflict_do_nothing(index_elements=["tenant", "idempotency_key"])
        .returning(Batch)
        .execution_options(populate_existing=True)
    )
    created = session.execute(stmt).scalar_one_or_none()
    if created is not None:
        return created, True
    existing = session.execute(
        select(Batch).where(Batch.tenant == tenant, Batch.idempotency_key == idempotency_key)
    ).scalar_one()
    return existing, False


def get_batch(session: Session, tenant: str, batch_id: uuid.UUID) -> Batch | None:
    return session.execute(
        select(Batch).where(Batch.id == batch_id, Batch.tenant == tenant)
    ).scalar_one_or_none()


def batch_jobs(session: Session, batch_id: uuid.UUID) -> list[Job]:
    stmt = select(Job).where(Job.batch_id == batch_id).order_by(Job.batch_item, Job.created_at)
    return list(session.execute(stmt).scalars())


def _count_batch_item(session: Session, batch_id: uuid.UUID, state: JobState) -> uuid.UUID | None:
    """Count one finished item. The UPDATE locks the batch row until commit, so exactly one
    transaction sees the count reach the total; that one closes the batch and writes its
    webhook. Returns the delivery id when it did."""
    column = {
        JobState.succeeded: Batch.succeeded,
        JobState.failed: Batch.failed,
        JobState.cancelled: Batch.cancelled,
    }[state]
    stmt = (
        update(Batch).where(Batch.id == batch_id).values({column: column + 1})
        .returning(Batch).execution_options(populate_existing=True)
    )
    batch = session.execute(stmt).scalar_one()
    if batch.done < batch.total or batch.state != BatchState.running:
        return None
    close = (
        update(Batch).where(Batch.id == batch_id, Batch.state == BatchState.running.value)
        .values(state=BatchState.completed.value, finished_at=func.now())
        .returning(Batch).execution_options(populate_existing=True)
    )
    closed = session.execute(close).scalar_one_or_none()
    if closed is None or not closed.webhook_url:
        return None
    event_type, payload = batch_event(closed)
    return add_delivery(session, tenant=closed.tenant, event_type=event_type,
                        url=closed.webhook_url, payload=payload, batch_id=closed.id)
