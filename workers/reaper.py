"""The reaper: finds jobs stuck in a state longer than that stage could legitimately take
(hard time limit + the longest retry backoff + grace), and requeues the stage, or fails the job
once the stage has used up its attempts. Runs from beat (`workers.reaper.reap`) or
`resume-tailor-admin reap`."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from workers import chain
from workers.app import REAP_TASK, app
from workers.db import batch_ranking, stuck_jobs, transitions
from workers.db.models import STAGE_STATE, JobState
from workers.db.session import session_scope
from workers.settings import Settings, get_settings

log = logging.getLogger(__name__)

_STATE_STAGE = {state.value: stage for stage, state in STAGE_STATE.items()}


@dataclass
class ReapResult:
    requeued: list[uuid.UUID] = field(default_factory=list)
    failed: list[uuid.UUID] = field(default_factory=list)


def cutoffs(settings: Settings, now: datetime) -> dict[str, datetime]:
    """state → the latest `state_changed_at` that is still not stuck."""
    result = {JobState.queued.value: now - timedelta(seconds=settings.reaper_queued_after_s)}
    for stage, state in STAGE_STATE.items():
        allowance = (
            settings.time_limit_s(stage) + settings.retry_backoff_max_s + settings.reaper_grace_s
        )
        result[state.value] = now - timedelta(seconds=allowance)
    return result


def reap_stuck_jobs(*, now: datetime | None = None, limit: int = 100) -> ReapResult:
    settings = get_settings()
    limits = cutoffs(settings, now or datetime.now(UTC))
    result = ReapResult()
    with session_scope() as session:
        stuck = [
            (job.id, job.state) for job in stuck_jobs.find_stuck_jobs(session, limits, limit=limit)
        ]
    for job_id, state in stuck:
        _reap_one(settings, job_id, state, limits[state], result)
    return result


def _reap_one(
    settings: Settings, job_id: uuid.UUID, state: str, cutoff: datetime, result: ReapResult
) -> None:
    stage = _STATE_STAGE.get(state, "parse")  # queued: start from the beginning
    deliveries: list[uuid.UUID] = []
    with session_scope() as session:
        job = stuck_jobs.touch_stuck_job(session, job_id, state, cutoff)
        if job is None:  # it moved on, or another reaper took it
            return
        # A rank-first batch's queued item waits for its batch's ranking, not a chain.
        rank_batch = job.batch_id if state == JobState.queued and batch_ranking.ranks_first(
            session, job.batch_id) else None
        if job.attempts >= settings.max_stage_attempts:
            change = transitions.fail_job(
                session,
                job_id,
                stage=stage if state != JobState.queued else None,
                error_type="Stuck",
                message=f"stuck in {state} after {job.attempts} attempts",
            )
            deliveries = change.deliveries
            result.failed.append(job_id)
        else:
            result.requeued.append(job_id)
    chain.send_deliveries(deliveries)
    if job_id in result.requeued and rank_batch is not None:
        log.warning("job %s: stuck in %s, ranking its batch %s again", job_id, state, rank_batch)
        chain.send_batch_rank(rank_batch)
    elif job_id in result.requeued:
        log.warning("job %s: stuck in %s, requeueing from %s", job_id, state, stage)
        chain.enqueue_job(job_id, from_stage=stage)
    else:
        log.warning("job %s: stuck in %s, failed", job_id, state)


@app.task(name=REAP_TASK)
def reap() -> dict[str, int]:
    result = reap_stuck_jobs()
    return {"requeued": len(result.requeued), "failed": len(result.failed)}
