"""The webhook outbox's queries: rows written in the same transaction as the state change
they announce, claimed by senders with FOR UPDATE SKIP LOCKED and a lease, every attempt
logged."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from workers.db.models import DeliveryState, WebhookDelivery
from workers.events import new_event_id


def add_delivery(
    session: Session,
    *,
    tenant: str,
    event_type: str,
    url: str,
    payload: dict[str, Any],
    job_id: uuid.UUID | None = None,
    batch_id: uuid.UUID | None = None,
) -> uuid.UUID:
    delivery_id = uuid.uuid4()
    session.execute(
        insert(WebhookDelivery).values(
            id=delivery_id, event_id=new_event_id(), event_type=event_type, tenant=tenant,
            job_id=job_id, batch_id=batch_id, url=url, payload=payload,
            state=DeliveryState.pending.value, attempts=0, log=[],
        )
    )
    return delivery_id


def claim_due_deliveries(
    session: Session,
    *,
    limit: int = 10,
    lease_s: float = 60.0,
    ids: Sequence[uuid.UUID] | None = None,
) -> list[WebhookDelivery]:
    """Take up to `limit` pending deliveries that are due (optionally only `ids`), skipping
    rows another sender holds, and lease them: `next_attempt_at` moves `lease_s` ahead and
    `attempts` counts this attempt, so after the commit the sender can POST without holding a
    transaction, and a sender that dies leaves the row to be retried when the lease ends."""
    due = (
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.state == DeliveryState.pending.value,
            WebhookDelivery.next_attempt_at <= func.now(),
        )
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if ids is not None:
        due = due.where(WebhookDelivery.id.in_(list(ids)))
    stmt = (
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(due.scalar_subquery()))
        .values(
            attempts=WebhookDelivery.attempts + 1,
            next_attempt_at=func.now() + timedelta(seconds=lease_s),
            updated_at=func.now(),
        )
        .returning(WebhookDelivery)
        .execution_options(populate_existing=True)
    )
    return list(session.execute(stmt).scalars())


def record_delivery_attempt(
    session: Session,
    delivery_id: uuid.UUID,
    *,
    status: int | None,
    error: str | None,
    duration_ms: float,
    retry_schedule_s: Sequence[float],
) -> WebhookDelivery:
    """Log one attempt. 2xx → succeeded; 410 or an exhausted schedule → failed; anything else
    → pending again at the schedule's next delay (schedule[attempts], attempts counted by
    the claim)."""
    delivery = session.execute(
        select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
    ).scalar_one()
    entry = {
        "at": datetime.now().astimezone().isoformat(), "attempt": delivery.attempts,
        "status": status, "error": error, "duration_ms": round(duration_ms, 1),
    }
    delivery.log = [*delivery.log, entry]
    delivery.last_status = status
    delivery.last_error = error
    if status is not None and 200 <= status < 300:
        delivery.state = DeliveryState.succeeded.value
    elif status == 410 or delivery.attempts >= len(retry_schedule_s):
        delivery.state = DeliveryState.failed.value
    else:
        delay = retry_schedule_s[delivery.attempts]
        delivery.next_attempt_at = func.now() + timedelta(seconds=delay)
    delivery.updated_at = func.now()
    session.flush()
    return delivery


def deliveries_for(
    session: Session, *, job_id: uuid.UUID | None = None, batch_id: uuid.UUID | None = None
) -> list[WebhookDelivery]:
    stmt = select(WebhookDelivery).order_by(WebhookDelivery.created_at)
    if job_id is not None:
        stmt = stmt.where(WebhookDelivery.job_id == job_id)
    if batch_id is not None:
        stmt = stmt.where(WebhookDelivery.batch_id == batch_id)
    return list(session.execute(stmt).scalars())
