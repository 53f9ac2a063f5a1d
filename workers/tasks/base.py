"""The stage-task wrapper: load by job id, guarded start, run the stage outside any
transaction, store its output with a guarded update, and let the chain continue.

Safe to run twice: a stage already finished is not run again (the chain just continues), a
job cancelled or failed meanwhile stops the chain (`Ignore`), and artifacts go to fixed keys.
Transient failures retry with capped exponential backoff and full jitter; bad input fails
the job at once; a stage started more than `max_stage_attempts` times (a poison message
that kills its worker) fails the job instead of looping.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import redis
from botocore.exceptions import BotoCoreError, ClientError
from celery import Task
from celery.exceptions import Ignore, SoftTimeLimitExceeded
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from pipeline.errors import CompileError, InvalidInput, ProviderError, Transient
from workers import leases
from workers import logging as logs
from workers.chain import send_deliveries
from workers.db import transitions
from workers.db.jobs import StageJob
from workers.db.session import autocommit_connection, get_engine, session_scope
from workers.db.transitions import StartOutcome
from workers.settings import get_settings

log = logging.getLogger(__name__)

# Worth another try: the failure is about the moment, not the input.
RETRYABLE: tuple[type[BaseException], ...] = (
    Transient,
    OperationalError,  # Postgres restarting or unreachable
    InterfaceError,  # a connection that died under us
    redis.ConnectionError,
    redis.TimeoutError,
    BotoCoreError,
    SoftTimeLimitExceeded,
)
# The input is at fault; retrying cannot help.
PERMANENT: tuple[type[BaseException], ...] = (
    InvalidInput,
    CompileError,
    ProviderError,
    ValidationError,
)


@dataclass
class StageResult:
    values: dict[str, Any]  # job columns to store
    info: dict[str, object] = field(default_factory=dict)  # extra facts for job.stages[stage]


StageWork = Callable[[StageJob], StageResult]


def run_stage(
    task: Task,
    job_id: str,
    stage: str,
    work: StageWork,
    *,
    final: bool = False,
    load: Sequence[str] | None = None,
) -> str:
    """Run one stage for one job; returns the job id (the chain's next task ignores it).
    `load` names the heavy job columns `work` reads (`models.HEAVY_COLUMNS`; None: all)."""
    try:
        return _attempt(job_id, stage, work, final=final, task_id=task.request.id, load=load)
    except Ignore:
        raise
    except SoftTimeLimitExceeded as exc:
        # The limit can strike inside a database call and leave that connection mid-
        # transaction, holding the job's row lock; recording the outcome on a fresh
        # connection would then wait on it forever. Close the pool's connections first.
        get_engine().dispose()
        _retry_or_fail(task, job_id, stage, exc)
    except RETRYABLE as exc:
        _retry_or_fail(task, job_id, stage, exc)
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            log.exception("job %s: %s failed on a database error", job_id, stage)
            _fail(job_id, stage, exc, internal=True)
            raise
        _retry_or_fail(task, job_id, stage, exc)
    except PERMANENT as exc:
        log.warning("job %s: %s failed permanently: %s", job_id, stage,
                    logs.error_summary(exc))
        _fail(job_id, stage, exc)
    except Exception as exc:
        log.exception("job %s: %s failed unexpectedly", job_id, stage)
        _fail(job_id, stage, exc, internal=True)
        raise
    raise Ignore()


def _attempt(
    job_id: str,
    stage: str,
    work: StageWork,
    *,
    final: bool,
    task_id: str | None,
    load: Sequence[str] | None,
) -> str:
    jid = uuid.UUID(job_id)
    deliveries: list[uuid.UUID] = []
    # The start is one guarded UPDATE (and, when refused, a read): its own transaction.
    with autocommit_connection() as connection:
        outcome, job = transitions.start_stage(connection, jid, stage, task_id=task_id,
                                               load=load, lease=leases.lease_length())
    if job is not None:
        logs.bind(tenant=job.tenant)  # authoritative, whatever the message carried
    if outcome is StartOutcome.started and job is not None:
        limit = get_settings().max_stage_attempts
        if job.attempts > limit:
            with session_scope() as session:  # the failure, its webhook and batch count
                change = transitions.fail_job(
                    session,
                    jid,
                    stage=stage,
                    error_type="TooManyAttempts",
                    message=f"stage {stage} started {job.attempts} times (limit {limit})",
                )
            deliveries = change.deliveries
            outcome = StartOutcome.stop
    if outcome is StartOutcome.stop or job is None:
        send_deliveries(deliveries)
        log.info("job %s: %s not run (state %s)", job_id, stage, job.state if job else "missing")
        raise Ignore()
    if outcome is StartOutcome.done:
        return job_id
    with leases.heartbeat(jid, stage, task_id):
        result = work(job)
    # Only the outcome is needed: read back none of the heavy columns just written. A stage's
    # completion is one guarded UPDATE (its own transaction); the job's finish also writes
    # its webhook and batch count, which must land with it.
    if final:
        with session_scope() as session:
            change = transitions.finish_job(session, jid, result.values, load=())
        stored, deliveries = change.job is not None, change.deliveries
    else:
        with autocommit_connection() as connection:
            stored = transitions.stage_completed(connection, jid, stage, result.values,
                                                 **result.info)
    send_deliveries(deliveries)
    if not stored:  # cancelled (or reaped) while the stage ran: do not advance
        log.info("job %s: %s finished but the job moved on; not advancing", job_id, stage)
        raise Ignore()
    return job_id


def _retry_or_fail(task: Task, job_id: str, stage: str, exc: BaseException) -> None:
    settings = get_settings()
    retries = task.request.retries
    if retries >= settings.task_max_retries:
        log.warning("job %s: %s gave up after %d retries: %s", job_id, stage, retries,
                    logs.error_summary(exc))
        _fail(job_id, stage, exc)
        return
    ceiling = min(settings.retry_backoff_max_s, settings.retry_backoff_base_s * 2**retries)
    countdown = random.uniform(0, ceiling)  # full jitter: retries of many jobs spread out
    if isinstance(exc, Transient) and exc.retry_after:
        countdown = max(countdown, min(exc.retry_after, settings.retry_backoff_max_s))
    log.info("job %s: %s retry %d in %.1fs: %s", job_id, stage, retries + 1, countdown,
             logs.error_summary(exc))
    leases.hold_for(uuid.UUID(job_id), stage, task.request.id, countdown)
    raise task.retry(exc=exc, countdown=countdown, max_retries=settings.task_max_retries)


def _fail(job_id: str, stage: str, exc: BaseException, *, internal: bool = False) -> None:
    """Mark the job failed. If even that cannot reach Postgres, the job stays in its stage
    and the reaper deals with it later."""
    message = "internal error" if internal else str(exc) or type(exc).__name__
    field_name = exc.field if isinstance(exc, InvalidInput) else None
    if isinstance(exc, ValidationError):
        field_name = ".".join(str(p) for p in exc.errors()[0]["loc"]) if exc.errors() else None
    try:
        with session_scope() as session:
            change = transitions.fail_job(
                session,
                uuid.UUID(job_id),
                stage=stage,
                error_type=type(exc).__name__,
                message=message,
                field=field_name,
            )
        send_deliveries(change.deliveries)
    except (OperationalError, DBAPIError):
        log.exception("job %s: could not record the failure of %s", job_id, stage)


def storage_errors_are_transient(exc: ClientError) -> bool:
    """S3 5xx and throttling are worth retrying; 4xx (bad credentials, no bucket) are not."""
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500)
    return int(status) >= 500 or exc.response.get("Error", {}).get("Code") == "SlowDown"


def put_artifact(key: str, body: bytes) -> None:
    """Store one artifact under its fixed key; S3 5xx/throttling become Transient."""
    from workers import storage

    name = key.rsplit("/", 1)[-1]
    try:
        storage.put(key, body, storage.ARTIFACTS[name])
    except ClientError as exc:
        if storage_errors_are_transient(exc):
            raise Transient(f"storing {name}: {exc}") from exc
        raise
