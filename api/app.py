"""The app factory: `uvicorn api.app:create_app --factory`."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from api import database, errors, submit, web
from api.limits import BodySizeLimit
from api.metrics import RequestMetrics
from api.routes import batches, health, jobs, meta, reports
from workers.db.session import configure_connections
from workers.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """`settings`: what the factory itself reads (limits, threads, the submit engine; None:
    the process's). Routes read the process's settings through `SettingsDep`."""
    settings = settings or get_settings()
    # Polls, cancels and batches test every pooled connection before use: a Postgres restart
    # must not turn a poll into a 503. The submit's engine skips that and retries instead.
    configure_connections(database.APPLICATION_NAME, ping_idle_s=0)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Routes other than the submit block on Postgres and the broker in threads. Many
        # threads contending for the GIL answer slower than a few, so the pool is sized by
        # setting, not anyio's 40.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.api_threads
        app.state.submit_engine = database.create_submit_engine(
            settings, pool_size=settings.api_submit_connections)
        submit.warm()
        # Everything loaded so far lives as long as the process: keep it out of the garbage
        # collector's full passes, which otherwise walk it all (~100 ms here, a stall of
        # every request in flight) every few thousand requests.
        gc.freeze()
        try:
            yield
        finally:
            await app.state.submit_engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="resume-tailor",
        version="1",
        summary="Tailor a JSON Resume to a job posting; a one-page, ATS-readable PDF.",
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    errors.install(app)
    generate_openapi = app.openapi
    app.openapi = lambda: errors.problem_media_type(generate_openapi())  # type: ignore[method-assign]
    app.include_router(jobs.router)
    app.include_router(batches.router)
    app.include_router(health.router)
    app.include_router(meta.router)
    app.include_router(reports.router)
    web.mount_page(app, settings.api_web_dir)  # last: the page at `/` must not shadow any route

    registry = CollectorRegistry()
    app.state.metrics_registry = registry

    def limit_for(path: str) -> int:
        if path.startswith("/v1/batches"):
            return settings.api_max_batch_body_bytes
        return settings.api_max_body_bytes

    # Added last → runs first: an oversized body is refused before anything reads it.
    app.add_middleware(RequestMetrics, registry=registry)
    app.add_middleware(BodySizeLimit, limit_for=limit_for)
    return app
