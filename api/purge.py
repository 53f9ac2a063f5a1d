"""`DELETE …?purge=true`: a job's (or a batch's jobs') personal data deleted at once, the same
way the retention sweep does it (`workers.retention`): artifacts first, then the rows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from workers import chain, retention
from workers.db import purges, transitions


def cancel_unfinished(session: Session, tenant: str, job_ids: Sequence[uuid.UUID]) -> None:
    """Cancel whichever of these jobs still run (commit, then revoke and announce)."""
    changes = [transitions.cancel_job(session, tenant, job_id) for job_id in job_ids]
    session.commit()
    for change in changes:
        if change.job is not None:
            chain.revoke(change.job.task_ids or [])
            chain.send_deliveries(change.deliveries)


def purge_jobs_now(session: Session, tenant: str, job_ids: Sequence[uuid.UUID]) -> None:
    """Delete the artifacts and clear the rows of these (finished) jobs of `tenant`."""
    retention.delete_artifacts([(job_id, tenant) for job_id in job_ids])
    purges.purge_jobs(session, job_ids)
    session.commit()
    session.expire_all()  # loaded rows were changed behind the ORM's back
