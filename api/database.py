"""The API's async engine, for the one statement of a submit.

The submit route is `async def`: run in the event loop, it answers without a hop through the
thread pool and without route threads contending for the GIL (at 200 submits/s on 2 cores the
p99 went from 86-160 ms to 29-40 ms in most runs, for about a tenth less CPU per submit). Its
insert must then not block the loop, hence an async engine (psycopg's async connection), one
per app, made and disposed of by the app's lifespan. Every other route is a plain `def` on
the shared sync engine (`workers.db.session`), in the thread pool.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from workers.db import jobs
from workers.db.session import JSON_CODEC, ping_idle_connections
from workers.settings import Settings

APPLICATION_NAME = "resume-tailor-api"


def create_submit_engine(settings: Settings, pool_size: int) -> AsyncEngine:
    # Autocommit: the insert is one statement, so its own transaction (one round trip,
    # not BEGIN, INSERT and COMMIT). No overflow: nothing bounds how many submits the loop
    # has in flight, and a burst would otherwise open connections only to close them after
    # one insert (a backend started and ended for each); they wait for a pooled one.
    engine = create_async_engine(
        settings.database_url,
        pool_size=pool_size,
        max_overflow=0,
        pool_recycle=1800,
        isolation_level="AUTOCOMMIT",
        connect_args={"application_name": APPLICATION_NAME},
        hide_parameters=True,  # a failed insert would otherwise log the resume and posting
        **JSON_CODEC,
    )
    ping_idle_connections(engine.sync_engine, settings.database_ping_idle_s)
    return engine


async def insert_queued_job(
    engine: AsyncEngine, row: dict[str, Any]
) -> tuple[datetime, datetime] | None:
    """Insert a queued job (`workers.db.jobs.queued_job_row`); its two timestamps, or None when
    the tenant already used the idempotency key. A pooled connection that Postgres dropped
    while it was in use a moment ago (a restart) fails before the statement reaches the
    server; then once more on a fresh connection. Should the first try have committed after
    all, the second one collides on the job id and fails instead of making a second job."""
    for attempt in (1, 2):
        try:
            async with engine.connect() as connection:
                return await jobs.insert_queued_job(connection, row)
        except DBAPIError as exc:
            if not exc.connection_invalidated or attempt == 2:
                raise
    raise AssertionError("unreachable")
