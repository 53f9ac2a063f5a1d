"""The app factory: `uvicorn api.app:create_app --factory`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from api import errors
from api.config import ApiSettings, get_api_settings
from api.limits import BodySizeLimit
from api.metrics import RequestMetrics
from api.routes import batches, health, jobs
from workers.db.session import name_connections


def create_app(api_settings: ApiSettings | None = None) -> FastAPI:
    settings = api_settings or get_api_settings()
    name_connections("resume-tailor-api")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Routes block on Postgres and the broker in threads. Many threads contending for the
        # GIL answer slower than a few, so the pool is sized by setting, not anyio's 40.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="resume-tailor",
        version="1",
        summary="Tailor a JSON Resume to a job posting; a one-page, ATS-readable PDF.",
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    errors.install(app)
    app.include_router(jobs.router)
    app.include_router(batches.router)
    app.include_router(health.router)

    registry = CollectorRegistry()
    app.state.metrics_registry = registry

    def limit_for(path: str) -> int:
        if path.startswith("/v1/batches"):
            return settings.max_batch_body_bytes
        return settings.max_body_bytes

    # Added last → runs first: an oversized body is refused before anything reads it.
    app.add_middleware(RequestMetrics, registry=registry)
    app.add_middleware(BodySizeLimit, limit_for=limit_for)
    return app
