"""Personal data deleted on time: beat runs `purge_expired` (workers.retention_task) every
`retention_interval_s`, which deletes the artifacts and clears the personal columns of jobs
created more than `retention_days` ago (`workers.db.purges`), then of their batches. The API's
`DELETE …?purge=true` uses `delete_artifacts` and the same queries for one job or batch at once.

Artifacts go first, then the rows: should the rows fail, the next sweep finds the job again
and deletes its (now absent) artifacts once more; the other order could leave artifacts of a
job marked purged."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from workers import storage
from workers.db import purges
from workers.db.session import session_scope
from workers.settings import get_settings

log = logging.getLogger(__name__)

SWEEP_LIMIT = 200  # jobs per transaction


def delete_artifacts(jobs: Sequence[tuple[uuid.UUID, str]]) -> None:
    """Delete the artifacts of these (job id, tenant) pairs; the caller clears the rows."""
    for job_id, tenant in jobs:
        storage.delete_prefix(storage.artifact_prefix(tenant, job_id))


def purge_expired_jobs(*, now: datetime | None = None, max_rounds: int = 50) -> int:
    """One sweep: every expired job (in rounds of `SWEEP_LIMIT`), then expired batches."""
    settings = get_settings()
    cutoff = (now or datetime.now(UTC)) - timedelta(days=settings.retention_days)
    total = 0
    for _ in range(max_rounds):
        with session_scope() as session:
            job_ids = purges.expired_job_ids(session, cutoff, limit=SWEEP_LIMIT)
            if not job_ids:
                break
            # The rows stay locked (FOR UPDATE) while their artifacts are deleted.
            tenants = purges.job_tenants(session, job_ids)
            delete_artifacts(tenants)
            total += len(purges.purge_jobs(session, job_ids))
    with session_scope() as session:
        for batch_id in purges.expired_batch_ids(session, cutoff, limit=10 * SWEEP_LIMIT):
            purges.purge_batch(session, batch_id)
    if total:
        log.info("retention: purged %d job(s) created before %s", total, cutoff.isoformat())
    return total
