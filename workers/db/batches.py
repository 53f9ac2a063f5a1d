"""Batches: create, read, and count their finished items (closing the batch with its
webhook when the last one finishes)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workers.db.idempotent import insert_or_get
from workers.db.models import Batch, BatchState, Job, JobState
from workers.db.outbox import add_delivery
from workers.events import batch_event


def create_batch(
    session: Session,
    *,
    tenant: str,
    kind: str,
    total: int,
    webhook_url: str | None = None,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
    tailor_top: int | None = None,
) -> tuple[Batch, bool]:
    """A running batch; with an idempotency key already used by the tenant, that batch
    instead (`created` False). `tailor_top`: rank every item first, then tailor that many of
    the best (see `Batch.tailor_top`)."""
    row = {
        "id": uuid.uuid4(), "tenant": tenant, "kind": kind, "total": total,
        "state": BatchState.running.value, "succeeded": 0, "failed": 0, "cancelled": 0,
        "ranked": 0, "tailor_top": tailor_top, "webhook_url": webhook_url,
        "idempotency_key": idempotency_key, "request_hash": request_hash,
    }
    return insert_or_get(session, Batch, row)


def get_batch(session: Session, tenant: str, batch_id: uuid.UUID) -> Batch | None:
    return session.execute(
        select(Batch).where(Batch.id == batch_id, Batch.tenant == tenant)
    ).scalar_one_or_none()


def batch_jobs(session: Session, batch_id: uuid.UUID) -> list[Job]:
    stmt = select(Job).where(Job.batch_id == batch_id).order_by(Job.batch_item, Job.created_at)
    return list(session.execute(stmt).scalars())


def count_batch_item(
    session: Session, batch_id: uuid.UUID, state: JobState, count: int = 1
) -> uuid.UUID | None:
    """Count `count` items finished in `state`. The UPDATE locks the batch row until commit,
    so exactly one transaction sees the count reach the total; that one closes the batch and
    writes its webhook. Returns the delivery id when it did."""
    column = {
        JobState.succeeded: Batch.succeeded,
        JobState.failed: Batch.failed,
        JobState.cancelled: Batch.cancelled,
        JobState.ranked: Batch.ranked,
    }[state]
    stmt = (
        update(Batch).where(Batch.id == batch_id).values({column: column + count})
        .returning(Batch).execution_options(populate_existing=True)
    )
    batch = session.execute(stmt).scalar_one()
    if batch.done < batch.total or batch.state != BatchState.running:
        return None
    close = (
        update(Batch).where(Batch.id == batch_id, Batch.state == BatchState.running.value)
        .values(state=BatchState.completed.value, finished_at=func.now())
        .returning(Batch).execution_options(populate_existing=True)
    )
    closed = session.execute(close).scalar_one_or_none()
    if closed is None or not closed.webhook_url:
        return None
    event_type, payload = batch_event(closed)
    return add_delivery(session, tenant=closed.tenant, event_type=event_type,
                        url=closed.webhook_url, payload=payload, batch_id=closed.id)
