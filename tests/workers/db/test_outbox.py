"""The webhook outbox against real Postgres: SKIP LOCKED claims, the retry schedule."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.workers.db.conftest import concurrently, new_tenant
from workers.db import outbox
from workers.db.models import DeliveryState, WebhookDelivery
from workers.db.session import session_scope

pytestmark = pytest.mark.service


def test_outbox_claims_skip_locked_rows_and_never_hand_out_a_row_twice(
    service_env: dict[str, str],
) -> None:
    tenant = new_tenant()
    with session_scope() as s:
        ids = [outbox.add_delivery(s, tenant=tenant, event_type="job.succeeded",
                                 url="https://example.com", payload={"n": i}) for i in range(40)]
    # A sender holding a row in an open transaction: the others skip it.
    with session_scope() as holder:
        held = holder.execute(
            select(WebhookDelivery).where(WebhookDelivery.id == ids[0]).with_for_update()
        ).scalar_one()

        def claim_until_empty(_: int) -> list[uuid.UUID]:
            taken: list[uuid.UUID] = []
            while True:
                with session_scope() as s:
                    rows = outbox.claim_due_deliveries(s, limit=3, lease_s=600, ids=ids)
                    if not rows:
                        return taken
                    taken += [row.id for row in rows]

        claimed = [d for ds in concurrently(4, claim_until_empty) for d in ds]
        assert held.id not in claimed
    assert len(claimed) == len(set(claimed)) == 39
    with session_scope() as s:  # the lease keeps claimed rows from being handed out again
        assert [r.id for r in outbox.claim_due_deliveries(s, limit=50, ids=ids)] == [ids[0]]


def test_delivery_attempts_follow_the_schedule(db_session: Session) -> None:
    delivery_id = outbox.add_delivery(db_session, tenant="acme", event_type="job.failed",
                                    url="https://example.com", payload={})
    schedule = [0, 0, 0]
    for expected in ("pending", "pending", "failed"):
        [row] = outbox.claim_due_deliveries(db_session, lease_s=0, ids=[delivery_id])
        row = outbox.record_delivery_attempt(db_session, row.id, status=500, error="HTTP 500",
                                           duration_ms=1, retry_schedule_s=schedule)
        assert row.state == expected
    assert [entry["attempt"] for entry in row.log] == [1, 2, 3]
    assert outbox.claim_due_deliveries(db_session, ids=[delivery_id]) == []
    other = outbox.add_delivery(db_session, tenant="acme", event_type="job.failed",
                              url="https://example.com", payload={})
    [row] = outbox.claim_due_deliveries(db_session, ids=[other])
    row = outbox.record_delivery_attempt(db_session, other, status=204, error=None, duration_ms=1,
                                       retry_schedule_s=schedule)
    assert row.state == DeliveryState.succeeded
