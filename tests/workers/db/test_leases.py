"""Stage leases and the reaper's query against real Postgres: a running stage holds its job,
a finished or superseded one does not, and the reaper tells waiting and lapsed jobs from held
ones. (Inside the test's one transaction Postgres's now() stands still, so time is moved by
backdating rows and by leases that end before they begin.)"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.workers.db.conftest import new_job
from workers.db import jobs, leases, stuck_jobs, transitions
from workers.db.models import ACTIVE
from workers.db.stuck_jobs import Quiet

pytestmark = pytest.mark.service
LEASE = timedelta(seconds=30)
EXPIRED = timedelta(seconds=-1)
_STATES = [state.value for state in ACTIVE]


def _chain(session: Session, job_id: uuid.UUID) -> list[str]:
    task_ids = [str(uuid.uuid4()) for _ in range(5)]
    jobs.set_task_ids(session, job_id, task_ids)
    return task_ids


def _backdate(session: Session, *job_ids: uuid.UUID) -> None:
    session.execute(text("UPDATE jobs SET state_changed_at = now() - interval '1 hour' "
                         "WHERE id = ANY(:ids)"), {"ids": list(job_ids)})


def test_a_running_stage_holds_its_lease_until_it_finishes(db_session: Session) -> None:
    job_id = new_job(db_session)
    task_ids = _chain(db_session, job_id)
    _, job = transitions.start_stage(db_session, job_id, "parse", task_id=task_ids[0],
                                     lease=LEASE)
    assert job is not None and "lease_until" in job.stages["parse"]
    assert leases.renew_lease(db_session, job_id, "parse", task_ids[0], LEASE)
    # A task of another chain (a superseded one) does not keep the job.
    assert not leases.renew_lease(db_session, job_id, "parse", str(uuid.uuid4()), LEASE)
    transitions.complete_stage(db_session, job_id, "parse", {"analysis": {"x": 1}})
    assert not leases.renew_lease(db_session, job_id, "parse", task_ids[0], LEASE)


def test_the_reaper_tells_waiting_and_lapsed_jobs_from_running_ones(db_session: Session) -> None:
    queued = new_job(db_session)
    running, lapsed, finished, unleased = (new_job(db_session) for _ in range(4))
    for job_id, lease in ((running, LEASE), (lapsed, EXPIRED), (finished, LEASE),
                          (unleased, None)):
        transitions.start_stage(db_session, job_id, "parse", lease=lease)
    transitions.complete_stage(db_session, finished, "parse", {"analysis": {"x": 1}})
    recent = new_job(db_session)
    transitions.start_stage(db_session, recent, "parse", lease=EXPIRED)  # just started
    _backdate(db_session, queued, running, lapsed, finished, unleased)

    def quiet(overdue_after_s: float) -> dict[uuid.UUID, stuck_jobs.QuietJob]:
        found = stuck_jobs.find_quiet_jobs(
            db_session, waiting_after_s=dict.fromkeys(_STATES, 60.0),
            overdue_after_s=dict.fromkeys(_STATES, overdue_after_s), limit=10_000)
        return {job.id: job for job in found}

    seen = quiet(overdue_after_s=7200)
    kinds = {job_id: (job.kind, job.resend_from) for job_id, job in seen.items()}
    assert kinds.get(queued) == (Quiet.waiting, "parse")
    assert kinds.get(finished) == (Quiet.waiting, "score")
    assert kinds.get(lapsed) == (Quiet.lapsed, "parse")
    # A live lease, a stage started just now and one without a lease not yet overdue.
    assert not {running, recent, unleased} & set(seen)
    assert quiet(overdue_after_s=60)[unleased].kind is Quiet.overdue

    # A claim records the new chain, once: the second sees the job moved.
    new_ids = [str(uuid.uuid4()) for _ in range(5)]
    assert stuck_jobs.claim_for_resend(db_session, seen[lapsed], new_ids)
    assert not stuck_jobs.claim_for_resend(db_session, seen[lapsed], new_ids)
    job = jobs.load_job(db_session, lapsed)
    assert job is not None and job.task_ids == new_ids
    assert lapsed not in quiet(overdue_after_s=7200)  # waits for its new task first
