"""The submit route's async engine against real Postgres: a pooled connection that Postgres
dropped is tested and replaced after an idle spell, and retried once when it fails in use."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api import database
from tests.service_fixtures import terminate_backend
from workers.db import jobs
from workers.settings import Settings

pytestmark = pytest.mark.service


def _row() -> dict[str, object]:
    return jobs.queued_job_row(job_id=uuid.uuid4(), tenant=f"t-{uuid.uuid4().hex[:8]}",
                               resume={"basics": {"name": "Ada"}}, posting="p")


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


@pytest.mark.parametrize("idle_s", [0.2, 60.0])
def test_inserts_survive_postgres_dropping_the_pool(service_env: dict[str, str],
                                                   idle_s: float) -> None:
    url = service_env["RT_DATABASE_URL"]
    settings = Settings(database_url=url, database_ping_idle_s=idle_s)

    async def run() -> None:
        engine = database.create_submit_engine(settings, pool_size=1)
        try:
            first = await _backend_pid(engine)
            terminate_backend(url, first)
            # 0.2 s: idle past the threshold, the checkout tests the connection and replaces
            # it. 60 s: used a moment ago, the insert fails on it and retries once.
            await asyncio.sleep(0.3)
            assert await database.insert_queued_job(engine, _row()) is not None
            assert await _backend_pid(engine) != first
        finally:
            await engine.dispose()

    asyncio.run(run())
