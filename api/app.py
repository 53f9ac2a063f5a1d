"""The app factory: `uvicorn api.app:create_app --factory`."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from api import database, docs_ui, errors, openapi, submit, web, webhook_events
from api.limits import BodySizeLimit
from api.metrics import RequestMetrics, exposed_registry
from api.rate_limit import ClientRateLimit, RateLimiter
from api.request_id import RequestId
from api.routes import batches, health, jobs, meta, reports
from workers import logging as logs
from workers.db.session import configure_connections
from workers.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """`settings`: what the factory itself reads (limits, threads, the submit engine; None:
    the process's). Routes read the process's settings through `SettingsDep`."""
    settings = settings or get_settings()
    logs.configure(json=settings.log_format == "json", level=settings.log_level)
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
        # Per app, in its event loop: the async Redis client belongs to the loop.
        app.state.rate_limiter = RateLimiter(settings)
        submit.warm()
        # Everything loaded so far lives as long as the process: keep it out of the garbage
        # collector's full passes, which otherwise walk it all (~100 ms here, a stall of
        # every request in flight) every few thousand requests.
        gc.freeze()
        try:
            yield
        finally:
            await app.state.rate_limiter.close()
            await app.state.submit_engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="resume-tailor",
        version=openapi.API_VERSION,
        summary="Tailor a JSON Resume to a job posting; a one-page, ATS-readable PDF.",
        # docs_ui serves the document, /docs and /redoc with local assets, behind a key when
        # `api_docs_require_key` is set; FastAPI adds none of the three itself.
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    errors.install(app)
    openapi.install(app)
    docs_ui.install(app, require_key=settings.api_docs_require_key)
    webhook_events.install(app)
    app.include_router(jobs.router)
    app.include_router(batches.router)
    app.include_router(health.router)
    app.include_router(meta.router)
    app.include_router(reports.router)
    web.mount_page(app, settings.api_web_dir)  # last: the page at `/` must not shadow any route

    registry = CollectorRegistry()
    app.state.metrics_registry = exposed_registry(registry, settings)

    def limit_for(path: str) -> int:
        if path.startswith("/v1/batches"):
            return settings.api_max_batch_body_bytes
        return settings.api_max_body_bytes

    # Added last → runs first: the request id is bound before anything logs, a client over
    # its rate is refused before its body is read, an oversized body before anything parses it.
    app.add_middleware(RequestMetrics, registry=registry)
    app.add_middleware(BodySizeLimit, limit_for=limit_for)
    app.add_middleware(ClientRateLimit)
    app.add_middleware(RequestId)
    return app
