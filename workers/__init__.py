"""The service side: Celery app, stage tasks, chain builder, Postgres job tracking, storage."""

from workers.app import app

__all__ = ["app"]
