"""The batch counter under concurrency: the last item closes the batch once."""

from __future__ import annotations

import uuid

import pytest

from tests.workers.db.conftest import concurrently, new_job, new_tenant
from workers.db import batches, outbox, transitions
from workers.db.session import session_scope

pytestmark = pytest.mark.service


def test_last_batch_item_closes_the_batch_once(service_env: dict[str, str]) -> None:
    tenant = new_tenant()
    with session_scope() as s:
        batch, _ = batches.create_batch(s, tenant=tenant, kind="pairs", total=12,
                                     webhook_url="https://example.com/b")
        job_ids = [new_job(s, tenant=tenant, batch_id=batch.id, batch_item=i) for i in range(12)]
    with session_scope() as s:
        assert transitions.cancel_job(s, tenant, job_ids[0]).job is not None

    def finish(i: int) -> list[uuid.UUID]:
        with session_scope() as s:
            return transitions.fail_job(s, job_ids[i + 1], stage="parse", error_type="X",
                                 message="m").deliveries

    deliveries = [d for ds in concurrently(11, finish) for d in ds]
    with session_scope() as s:
        closed = batches.get_batch(s, tenant, batch.id)
        assert closed is not None
        assert (closed.state, closed.failed, closed.cancelled) == ("completed", 11, 1)
        [event] = outbox.deliveries_for(s, batch_id=batch.id)
        assert event.event_type == "batch.completed" and event.id in deliveries
        assert event.payload["data"]["failed"] == 11
