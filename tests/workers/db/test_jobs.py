"""Creating jobs against real Postgres: one job per idempotency key, under concurrency."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from tests.workers.db.conftest import RESUME, concurrently, new_tenant
from workers.db import jobs
from workers.db.session import session_scope

pytestmark = pytest.mark.service


def test_same_idempotency_key_under_concurrency_makes_one_job(service_env: dict[str, str]) -> None:
    tenant = new_tenant()

    def submit(_: int) -> tuple[uuid.UUID, bool]:
        with session_scope() as s:
            job, created = jobs.create_job(s, tenant=tenant, resume=RESUME, posting="p",
                                           idempotency_key="key-1", request_hash="h")
            return job.id, created

    results = concurrently(30, submit)
    assert len({job_id for job_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    with session_scope() as s:
        count = s.execute(text("SELECT count(*) FROM jobs WHERE tenant = :t"), {"t": tenant})
        assert count.scalar_one() == 1
        # Another tenant may use the same key for its own job.
        _, created = jobs.create_job(s, tenant=new_tenant(), resume=RESUME, posting="p",
                                     idempotency_key="key-1")
        assert created
