"""The reaper: sends again the next task of every active job that no running task holds and
whose message is gone, and fails a job whose stage used up its attempts. Runs from beat
(`workers.reaper.reap`, every `reaper_interval_s`) or `resume-tailor-admin reap`.

A running stage holds a lease on its job, renewed by its worker (workers.leases), so the
reaper tells a job whose stage is running from one waiting for its next task
(workers.db.stuck_jobs):

- waiting (queued, or its stage finished) for `reaper_waiting_after_s`, and its chain's
  message neither in the queue nor with a worker: sent again from the next stage. When the
  broker lost its data (its Redis came back empty: `broker_state.lost_data`), every waiting
  job whose message is not found is sent again at once, without the wait.
- lapsed (its stage's lease ran out: the worker died): sent again from that stage, unless
  its message waits in the queue; failed once the stage used up its attempts.
- overdue (a stage started without a lease) or, on a broker the reaper cannot look into,
  waiting: only after the stage's hard limit + the longest retry backoff + grace (a queued
  job: `reaper_queued_after_s`), as before leases.

A re-send records a new chain on the job before sending it (`stuck_jobs.claim_for_resend`),
so whatever of the old chain still turns up (a message the broker redelivers after its
visibility timeout, a retry held by a worker) is refused by the chain guard
(`transitions.start_stage`) and runs nothing twice.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from workers import broker_state, chain
from workers.app import REAP_TASK, app
from workers.db import batch_ranking, stuck_jobs, transitions
from workers.db.models import STAGE_STATE, Job, JobState
from workers.db.session import session_scope
from workers.db.stuck_jobs import Quiet, QuietJob
from workers.settings import Settings, get_settings

log = logging.getLogger(__name__)


@dataclass
class ReapResult:
    requeued: list[uuid.UUID] = field(default_factory=list)
    failed: list[uuid.UUID] = field(default_factory=list)
    broker_lost_data: bool = False


def overdue_after_s(settings: Settings) -> dict[str, float]:
    """state → seconds in it after which a stage without a lease is stuck."""
    result = {JobState.queued.value: float(settings.reaper_queued_after_s)}
    for stage, state in STAGE_STATE.items():
        result[state.value] = (
            settings.time_limit_s(stage) + settings.retry_backoff_max_s + settings.reaper_grace_s
        )
    return result


def waiting_after_s(settings: Settings, *, inspectable: bool, lost: bool) -> dict[str, float]:
    """state → seconds a job waits for its next task before the reaper looks for its message:
    none once the broker lost its data, the long cutoffs when it cannot look."""
    if not inspectable:
        return overdue_after_s(settings)
    wait = 0.0 if lost else settings.reaper_waiting_after_s
    return {state: wait for state in overdue_after_s(settings)}


def reap_stuck_jobs(*, limit: int = 500) -> ReapResult:
    settings = get_settings()
    result = ReapResult()
    inspectable = broker_state.inspectable(settings)
    result.broker_lost_data = broker_state.lost_data()
    if result.broker_lost_data:
        log.warning("the broker lost its data (its mark is gone): re-sending every job "
                    "waiting for a task whose message is not in the broker")
    with session_scope() as session:
        quiet = stuck_jobs.find_quiet_jobs(
            session,
            waiting_after_s=waiting_after_s(settings, inspectable=inspectable,
                                            lost=result.broker_lost_data),
            overdue_after_s=overdue_after_s(settings),
            limit=limit,
        )
    if not quiet:
        return result
    view = broker_state.look({job.resend_from for job in quiet if job.resend_from})
    for job in quiet:
        if job.resend_from is None or (view is not None and _in_broker(view, job)):
            continue
        _reap_one(settings, job, result)
    return result


def _in_broker(view: broker_state.BrokerView, job: QuietJob) -> bool:
    queue = job.resend_from or ""
    if job.kind is Quiet.waiting:
        return view.holds(queue, job.task_ids)
    # A lapsed or overdue stage's message is with a worker anyway, unacknowledged, until the
    # dead worker's visibility timeout: only one back in the queue will run.
    return view.queued(queue, job.task_ids)


def _reap_one(settings: Settings, job: QuietJob, result: ReapResult) -> None:
    assert job.resend_from is not None
    stage = job.resend_from
    used_up = job.kind is not Quiet.waiting and job.attempts >= settings.max_stage_attempts
    planned = chain.build_chain(job.id, from_stage=stage)
    deliveries: list[uuid.UUID] = []
    with session_scope() as session:
        if not stuck_jobs.claim_for_resend(session, job, planned.task_ids):
            return  # it moved on, or another reaper took it
        # A rank-first batch's queued item waits for its batch's ranking, not a chain.
        batch_id = session.scalar(select(Job.batch_id).where(Job.id == job.id))
        rank_batch = batch_id if job.state == JobState.queued and batch_ranking.ranks_first(
            session, batch_id) else None
        if used_up:
            change = transitions.fail_job(
                session, job.id, stage=stage if job.state != JobState.queued else None,
                error_type="Stuck", message=f"stuck in {job.state} after {job.attempts} attempts",
            )
            deliveries = change.deliveries
    chain.send_deliveries(deliveries)
    if used_up:
        log.warning("job %s: stuck in %s, failed", job.id, job.state)
        result.failed.append(job.id)
        return
    if rank_batch is not None:
        log.warning("job %s: %s in %s, ranking its batch %s again", job.id, job.kind,
                    job.state, rank_batch)
        chain.send_batch_rank(rank_batch)
    else:
        log.warning("job %s: %s in %s, re-sending from %s", job.id, job.kind, job.state, stage)
        planned.send()
    result.requeued.append(job.id)


@app.task(name=REAP_TASK)
def reap() -> dict[str, int]:
    result = reap_stuck_jobs()
    return {"requeued": len(result.requeued), "failed": len(result.failed),
            "broker_lost_data": int(result.broker_lost_data)}
