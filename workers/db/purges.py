"""Deleting personal data: a job keeps only what billing and metrics need (ids, tenant, state,
timestamps, match rates, fit, stage timings and usage); its resume, posting, stage outputs,
label, webhook URL, request fingerprint and error text go. Batches keep their counts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Session
from sqlalchemy.types import Text

from workers.db.models import TERMINAL, Batch, DeliveryState, Job, WebhookDelivery

_TERMINAL = [state.value for state in TERMINAL]


def purge_jobs(session: Session, job_ids: Sequence[uuid.UUID]) -> list[tuple[uuid.UUID, str]]:
    """Clear the personal data of these jobs (finished ones only; a running stage would
    otherwise write it back) and their sent webhooks; (id, tenant) of each job purged now."""
    if not job_ids:
        return []
    stmt = (
        update(Job)
        .where(Job.id.in_(list(job_ids)), Job.state.in_(_TERMINAL))
        .values(
            resume=literal({}, JSONB), posting="", analysis=None, report=None,
            tailored=None, compile_meta=None, report_after=None, artifacts=literal({}, JSONB),
            label=None, webhook_url=None, idempotency_key=None, request_hash=None,
            # ATS check details quote the documents; timings and usage stay.
            stages=Job.stages.op("#-")(literal(["compile", "ats"], ARRAY(Text))),
            error=_error_without_text(),
            purged_at=func.now(), updated_at=func.now(),
        )
        .returning(Job.id, Job.tenant)
    )
    purged = [(row.id, row.tenant) for row in session.execute(stmt)]
    session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.job_id.in_([job_id for job_id, _ in purged]),
            WebhookDelivery.state != DeliveryState.pending.value,
        )
    )
    return purged


def _error_without_text() -> ColumnElement[Any]:
    """The error's stage and type (for metrics); its message and field gone."""
    kept = func.jsonb_build_object(literal("stage"), Job.error["stage"],
                                   literal("type"), Job.error["type"],
                                   literal("message"), literal("deleted"))
    return case((Job.error.is_(None), None), else_=kept)


def expired_job_ids(session: Session, created_before: datetime, *, limit: int) -> list[uuid.UUID]:
    """Finished, unpurged jobs created before the cutoff, oldest first; rows another sweep
    holds are skipped."""
    stmt = (
        select(Job.id)
        .where(Job.purged_at.is_(None), Job.created_at < created_before, Job.state.in_(_TERMINAL))
        .order_by(Job.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.execute(stmt).scalars())


def job_tenants(session: Session, job_ids: Sequence[uuid.UUID]) -> list[tuple[uuid.UUID, str]]:
    rows = session.execute(select(Job.id, Job.tenant).where(Job.id.in_(list(job_ids))))
    return [(row.id, row.tenant) for row in rows]


def batch_job_ids(session: Session, batch_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.execute(select(Job.id).where(Job.batch_id == batch_id)).scalars())


def purge_batch(session: Session, batch_id: uuid.UUID) -> None:
    """The batch row's own personal data: its webhook URL and request fingerprint."""
    session.execute(
        update(Batch).where(Batch.id == batch_id)
        .values(webhook_url=None, idempotency_key=None, request_hash=None, purged_at=func.now())
    )
    session.execute(
        delete(WebhookDelivery).where(WebhookDelivery.batch_id == batch_id,
                                      WebhookDelivery.state != DeliveryState.pending.value)
    )


def expired_batch_ids(session: Session, created_before: datetime, *, limit: int
                      ) -> list[uuid.UUID]:
    """Unpurged batches created before the cutoff whose jobs have all been purged."""
    unpurged_item = select(Job.id).where(Job.batch_id == Batch.id, Job.purged_at.is_(None))
    stmt = (
        select(Batch.id)
        .where(Batch.purged_at.is_(None), Batch.created_at < created_before,
               ~unpurged_item.exists())
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.execute(stmt).scalars())
