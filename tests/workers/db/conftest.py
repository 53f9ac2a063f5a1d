"""Helpers shared by the query tests (real Postgres)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from workers.db import jobs

T = TypeVar("T")
RESUME: dict[str, Any] = {"basics": {"name": "Ada"}}


def new_tenant() -> str:
    return f"t-{uuid.uuid4().hex[:8]}"


def concurrently(count: int, fn: Callable[[int], T]) -> list[T]:
    """`fn(0..count-1)` in threads released at once."""
    barrier = threading.Barrier(count)

    def run(i: int) -> T:
        barrier.wait()
        return fn(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def new_job(session: Session, **kw: Any) -> uuid.UUID:
    job, _ = jobs.create_job(session, tenant=kw.pop("tenant", "acme"), resume=RESUME,
                             posting="posting", **kw)
    return job.id
