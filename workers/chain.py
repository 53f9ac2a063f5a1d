"""The one place that plans, records and sends job chains (and pokes the webhook sender), for
the workers and the API alike.

A job is a chain of the five stage tasks, each carrying only the job id (immutable
signatures: a stage reads its inputs from Postgres, not from the previous task's return
value). Task ids are chosen here and stored on the job before anything is sent, so a cancel
can revoke the whole chain. Send only after the transaction that wrote the job commits.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import anyio.to_thread
from celery.canvas import Signature
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from workers.app import DELIVER_TASK, RANK_TASK, STAGE_TASKS, app
from workers.db import jobs
from workers.db.session import session_scope
from workers.settings import STAGES

log = logging.getLogger(__name__)

# What a failed publish raises: the broker is down or unreachable.
SEND_ERRORS = (KombuError, RedisError, OSError)


@dataclass(frozen=True)
class JobChain:
    """A job's remaining stage tasks, in order, with their ids chosen up front."""

    job_id: str
    stages: tuple[str, ...]
    task_ids: tuple[str, ...]

    def signatures(self) -> list[Signature]:
        # Immutable: a stage reads its inputs from Postgres, not from the previous return.
        # Results are never stored or read (job state lives in Postgres): without
        # `ignore_result`, a send by name subscribes to each task's result channel.
        return [
            app.signature(STAGE_TASKS[stage], args=(self.job_id,), immutable=True,
                          options={"task_id": task_id, "ignore_result": True})
            for stage, task_id in zip(self.stages, self.task_ids, strict=True)
        ]

    def send(self, *, retry: bool = True) -> None:
        """Publish the first stage with the rest as its `chain` (the field of Celery's task
        message that lists what runs next, last first): the same message
        `celery.chain(...).apply_async()` sends, without the canvas work of cloning and
        freezing every signature, which cost the submit path about a millisecond. `retry`:
        Celery's publish retry policy (False: one try, the caller handles the failure)."""
        first, *rest = self.signatures()
        app.send_task(first.task, args=first.args, task_id=first.options["task_id"],
                      chain=rest[::-1], ignore_result=True, retry=retry)


def build_chain(job_id: uuid.UUID | str, *, from_stage: str = "parse") -> JobChain:
    if from_stage not in STAGES:
        raise ValueError(f"from_stage: unknown stage {from_stage!r}")
    stages = tuple(STAGES[STAGES.index(from_stage) :])
    return JobChain(str(job_id), stages, tuple(str(uuid.uuid4()) for _ in stages))


def send_after_commit(chains: Sequence[JobChain]) -> None:
    """Send the chains of jobs a submit recorded. The jobs are already committed, so a broker
    outage here does not lose them: the reaper starts queued jobs that no chain picked up, and
    the submit's 202 stays true."""
    try:
        for job_chain in chains:
            job_chain.send()
    except SEND_ERRORS as exc:
        log.warning("recorded %d job(s) but could not enqueue them (%s); the reaper will",
                    len(chains), exc)


async def send_from_loop(job_chain: JobChain) -> None:
    """For the API's async submit: one try in the event loop (an LPUSH to the broker, cheaper
    than a thread hop; the broker's socket timeout bounds it); if that fails, Celery's retries
    in a thread, off the loop."""
    try:
        job_chain.send(retry=False)
    except SEND_ERRORS:
        await anyio.to_thread.run_sync(send_after_commit, [job_chain])


def enqueue_jobs(job_ids: Iterable[uuid.UUID], *, from_stage: str = "parse") -> None:
    """Record each job's chain task ids (one transaction), then send the chains."""
    planned = [build_chain(job_id, from_stage=from_stage) for job_id in job_ids]
    with session_scope() as session:
        for job_chain in planned:
            jobs.set_task_ids(session, uuid.UUID(job_chain.job_id), job_chain.task_ids)
    for job_chain in planned:
        job_chain.send()


def enqueue_job(job_id: uuid.UUID, *, from_stage: str = "parse") -> None:
    enqueue_jobs([job_id], from_stage=from_stage)


def send_batch_rank(batch_id: uuid.UUID | str) -> None:
    """A rank-first batch's one ranking task (`workers.tasks.rank`), sent after the batch
    and its items commit. Safe to send twice: it ranks only the items still queued. A broker
    outage loses nothing: the reaper sends it again for the queued items."""
    try:
        app.send_task(RANK_TASK, args=(str(batch_id),), ignore_result=True)
    except SEND_ERRORS as exc:
        log.warning("recorded batch %s but could not send its ranking (%s); the reaper will",
                    batch_id, exc)


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
