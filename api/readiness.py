"""What `/readyz` checks: each function returns quietly when its dependency answers and
raises otherwise. They block; the route runs them in threads with a deadline."""

from __future__ import annotations

from kombu import Connection
from sqlalchemy import text

from workers import storage
from workers.db.session import get_engine
from workers.settings import Settings


def check_postgres() -> None:
    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))


def check_broker(settings: Settings, timeout_s: float) -> None:
    with Connection(settings.broker_url, connect_timeout=timeout_s) as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout_s)


def check_s3(settings: Settings) -> None:
    storage.client().head_bucket(Bucket=settings.s3_bucket)
