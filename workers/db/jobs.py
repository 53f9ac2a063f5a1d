"""Jobs: create (the sync insert for batches and the workers, the async one for the API's
submit route, from one statement) and read, loading only the heavy columns asked for."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, Required, TypedDict, Unpack

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session, load_only

from workers.db.idempotent import insert_or_get, insert_unless_key_used
from workers.db.models import HEAVY_COLUMNS, Job, JobState

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

JOBS: Table = Job.__table__  # type: ignore[assignment]
LIGHT_COLUMNS = tuple(c.key for c in JOBS.columns if c.key not in HEAVY_COLUMNS)
# The light columns a stage task reads when it starts (`workers.tasks`): a start reads back
# only these and the stage's inputs, not every column (each one read back is decoded and set on
# the row, on every task).
STAGE_COLUMNS = ("id", "tenant", "state", "attempts", "stages", "provider", "template",
                 "documents", "batch_id", "task_ids")


class StageJob(Protocol):
    """A job as a stage task reads it: the row its start returned (`STAGE_COLUMNS` and the
    stage's inputs), or a loaded `Job`. A column the start did not return raises when read."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def tenant(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def attempts(self) -> int: ...
    @property
    def stages(self) -> dict[str, Any]: ...
    @property
    def provider(self) -> str: ...
    @property
    def template(self) -> str: ...
    @property
    def documents(self) -> list[str]: ...
    @property
    def batch_id(self) -> uuid.UUID | None: ...
    @property
    def task_ids(self) -> list[str]: ...
    @property
    def resume(self) -> dict[str, Any]: ...
    @property
    def posting(self) -> str: ...
    @property
    def analysis(self) -> dict[str, Any] | None: ...
    @property
    def report(self) -> dict[str, Any] | None: ...
    @property
    def tailored(self) -> dict[str, Any] | None: ...
    @property
    def compile_meta(self) -> dict[str, Any] | None: ...


def load_option(load: Iterable[str] | None) -> Any:
    """Loader option: the light columns plus `load` (None: every column). A column left out
    raises DetachedInstanceError when read after the session closes, never a silent None."""
    if load is None:
        return None
    unknown = set(load) - set(HEAVY_COLUMNS)
    if unknown:
        raise ValueError(f"load: not a heavy job column: {', '.join(sorted(unknown))}")
    return load_only(*(getattr(Job, name) for name in (*LIGHT_COLUMNS, *load)))


def returned_columns(load: Iterable[str] | None, light: Sequence[str] = LIGHT_COLUMNS) -> list[Any]:
    """The columns a transition reads back: the `light` ones plus `load` (None: all)."""
    if load is None:
        return list(JOBS.c)
    load_option(load)  # refuses an unknown column name
    return [JOBS.c[name] for name in (*light, *load)]


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


def create_job(session: Session, **fields: Unpack[JobFields]) -> tuple[Job, bool]:
    """Insert a queued job (`queued_job_row`'s fields); with an idempotency key already used by
    the tenant, return that job instead (`created` False)."""
    return insert_or_get(session, Job, queued_job_row(**fields))


def insert_jobs(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many `queued_job_row(...)` rows without keys (a batch's items: the batch holds
    the key) in a few multi-row INSERTs, not a round trip each."""
    if rows:
        session.execute(JOBS.insert(), list(rows))


# Built once: the submit path executes it with the row as parameters (Core, on the table, so
# nothing is loaded back but the two timestamps).
_QUEUED_INSERT = insert_unless_key_used(JOBS).returning(JOBS.c.created_at, JOBS.c.updated_at)


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
    option = load_option(load)
    return session.get(Job, job_id, populate_existing=True,
                       options=[option] if option is not None else None)


def set_task_ids(session: Session, job_id: uuid.UUID, task_ids: Sequence[str]) -> None:
    session.execute(update(Job).where(Job.id == job_id).values(task_ids=list(task_ids)))
