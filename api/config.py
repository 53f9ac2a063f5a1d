"""Settings that only the API reads (`RT_API_*`); the service-wide ones live in
`workers.settings`."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RT_API_", extra="ignore")

    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    # A batch carries up to 500 postings (or resume + posting pairs), so it may be larger.
    max_batch_body_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    # How long /readyz waits on each dependency before calling it down.
    readiness_timeout_s: float = Field(default=2.0, gt=0)
    # Threads running the blocking route code, all but the submit's (each may hold a
    # Postgres connection). Few is faster: measured on 2 cores at 60 submits/s, 4 threads
    # answered at p99 54 ms where anyio's default 40 took seconds (GIL contention); 8 leaves
    # room for slow batch submits.
    threads: int = Field(default=8, ge=1, le=1000)
    # Postgres connections the submit route's async engine keeps (each insert holds one for
    # a round trip; the route awaits one when all are busy).
    submit_connections: int = Field(default=5, ge=1, le=100)
    tenant: str = "default"  # every request's tenant until authentication lands


@lru_cache(maxsize=1)
def get_api_settings() -> ApiSettings:
    return ApiSettings()
