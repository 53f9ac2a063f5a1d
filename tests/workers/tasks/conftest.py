"""A Celery worker inside the test process, from the `celery_session_worker` fixture of
celery.contrib.pytest (which pytest-celery loads): the project's own app and tasks, the
session's Redis key prefix, database and S3 bucket (tests/service_fixtures.py), a thread
pool, and a queue of its own, so the worker processes other tests start never take these
tasks, nor this worker theirs. pytest-celery's own fixtures would start Docker containers:
tests/conftest.py keeps them out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from celery import Celery

from workers.app import app, build_config
from workers.settings import get_settings

QUEUE = "stage-task-tests"


def stage_task_queue() -> str:
    """The queue the in-process worker consumes, under the session's key prefix."""
    return get_settings().queue_name(QUEUE)


@pytest.fixture(scope="session")
def celery_config(service_env: dict[str, str]) -> Mapping[str, Any]:
    """The app's configuration for this session's services and prefix."""
    return build_config(get_settings())


@pytest.fixture(scope="session")
def celery_session_app(celery_config: Mapping[str, Any]) -> Celery:
    """The project's app, where the stage tasks are registered (not the plugin's blank
    test app)."""
    app.conf.update(celery_config)
    return app


@pytest.fixture(scope="session")
def celery_worker_pool() -> str:
    return "threads"


@pytest.fixture(scope="session")
def celery_worker_parameters(service_env: dict[str, str]) -> Mapping[str, Any]:
    # No ping check: it sends celery.ping to the default queue and waits on a result, while
    # the app stores none (job state lives in Postgres).
    return {"queues": (stage_task_queue(),), "perform_ping_check": False}
