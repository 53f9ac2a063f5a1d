"""Postgres restarted while a batch is in flight: every job still finishes, none is lost or
left stuck. Restarts the machine's Postgres cluster, so other sessions using it see one
dropped connection too."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.service_fixtures import WorkerPool, wait_for
from tests.workers.factories import TENANT, posting_text, resume_doc
from workers import chain, storage
from workers.db import batches, jobs
from workers.db.models import Batch
from workers.db.session import session_scope

pytestmark = pytest.mark.service
ITEMS = 20


def restart_postgres() -> None:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],
        check=True, capture_output=True, timeout=60,
    )


def _batch(batch_id: uuid.UUID) -> Batch | None:
    try:
        with session_scope() as session:
            return batches.get_batch(session, TENANT, batch_id)
    except DBAPIError:  # Postgres is restarting
        return None


def _postmaster_start() -> object:
    with session_scope() as session:
        return session.execute(text("SELECT pg_postmaster_start_time()")).scalar_one()


def _started(job_ids: list[uuid.UUID]) -> bool:
    with session_scope() as session:
        loaded = [jobs.load_job(session, job_id) for job_id in job_ids]
    return any(job is not None and "parse" in job.stages for job in loaded)


def test_postgres_restart_during_a_batch_loses_no_job(live_workers: WorkerPool) -> None:
    with session_scope() as session:
        batch, _ = batches.create_batch(session, tenant=TENANT, kind="one_resume",
                                        total=ITEMS)
        job_ids = [
            jobs.create_job(session, tenant=TENANT, resume=resume_doc(),
                            posting=posting_text(), batch_id=batch.id, batch_item=i)[0].id
            for i in range(ITEMS)
        ]
    chain.enqueue_jobs(job_ids)
    wait_for(lambda: _started(job_ids), timeout=90, interval=0.02, what="the batch to start")
    started_at = _postmaster_start()
    restart_postgres()
    assert _postmaster_start() != started_at
    during = wait_for(lambda: _batch(batch.id), timeout=30, what="Postgres to answer")
    assert during.state == "running"  # the restart happened mid-batch
    closed = wait_for(lambda: (b := _batch(batch.id)) is not None and b.state == "completed"
                      and b, timeout=300, interval=0.2, what="the batch to complete")
    assert (closed.succeeded, closed.failed, closed.cancelled) == (ITEMS, 0, 0)
    with session_scope() as session:
        finished = batches.batch_jobs(session, batch.id)
    assert [job.state for job in finished] == ["succeeded"] * ITEMS
    for job in finished:
        assert len(storage.list_keys(f"{TENANT}/{job.id}/")) == 4
