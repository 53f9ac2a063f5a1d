"""The one place that builds and sends job chains (and pokes the webhook sender).

A job is a chain of the five stage tasks, each carrying only the job id (immutable
signatures: a stage reads its inputs from Postgres, not from the previous task's return
value). Task ids are chosen here and stored on the job before anything is sent, so a cancel
can revoke the whole chain. Call these only after the transaction that wrote the job commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from celery import chain
from celery.canvas import Signature

from workers.app import DELIVER_TASK, STAGE_TASKS, app
from workers.db import repository
from workers.db.session import session_scope
from workers.settings import STAGES


def build_chain(
    job_id: uuid.UUID | str, *, from_stage: str = "parse"
) -> tuple[Signature, list[str]]:
    if from_stage not in STAGES:
        raise ValueError(f"from_stage: unknown stage {from_stage!r}")
    signatures = [
        app.signature(STAGE_TASKS[stage], args=(str(job_id),), immutable=True).set(
            task_id=str(uuid.uuid4())
        )
        for stage in STAGES[STAGES.index(from_stage) :]
    ]
    return chain(*signatures), [str(sig.id) for sig in signatures]


def enqueue_jobs(job_ids: Iterable[uuid.UUID], *, from_stage: str = "parse") -> None:
    """Record each job's chain task ids (one transaction), then send the chains."""
    planned = [(job_id, *build_chain(job_id, from_stage=from_stage)) for job_id in job_ids]
    with session_scope() as session:
        for job_id, _, task_ids in planned:
            repository.set_task_ids(session, job_id, task_ids)
    for _, job_chain, _ in planned:
        job_chain.apply_async()


def enqueue_job(job_id: uuid.UUID, *, from_stage: str = "parse") -> None:
    enqueue_jobs([job_id], from_stage=from_stage)


def revoke(task_ids: Sequence[str]) -> None:
    """Revoke a cancelled job's remaining tasks. The job is already `cancelled` in Postgres,
    which is what stops it: every task checks the state when it starts, so a revoke lost by a
    restarted worker does no harm."""
    if task_ids:
        app.control.revoke(list(task_ids))


def send_deliveries(delivery_ids: Iterable[uuid.UUID]) -> None:
    """Hand freshly written outbox rows to the webhooks queue (after their commit). A lost
    message is not lost work: the sender also sweeps due rows periodically."""
    for delivery_id in delivery_ids:
        app.send_task(DELIVER_TASK, args=(str(delivery_id),))
