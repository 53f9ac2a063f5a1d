"""Shared fixtures. The service fixtures (Postgres, SeaweedFS, Celery workers) live in
tests/service_fixtures.py."""

import os

import pytest

# The settings fail closed (production) unless told otherwise; tests build Settings() with the
# development placeholders, and must not be slowed by the API's rate limits (a test of the
# limits sets its own).
os.environ.setdefault("RT_ENVIRONMENT", "development")
os.environ.setdefault("RT_API_RATE_LIMIT_PER_IP", "1000000")
os.environ.setdefault("RT_API_RATE_LIMIT_PER_KEY", "1000000")

# pytest-celery 1.x replaces celery.contrib.pytest's in-process `celery_worker` with one that
# starts Docker containers; this brings the in-process one back.
from celery.contrib.pytest import celery_worker  # noqa: F401

pytest_plugins = ["tests.service_fixtures"]

# pytest-celery's fixtures that start Docker containers (there is no Docker here): a test
# asking for one fails at collection, naming it, instead of erroring in its setup.
DOCKER_FIXTURES = frozenset({
    "celery_setup", "celery_broker", "celery_broker_cluster", "celery_backend",
    "celery_backend_cluster", "celery_worker_cluster", "celery_setup_app",
})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        docker = DOCKER_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if docker:
            raise pytest.UsageError(
                f"{item.nodeid} uses pytest-celery's Docker fixtures {sorted(docker)}: use "
                "celery_session_worker (see tests/workers/tasks/conftest.py)")


def pytest_addoption(parser: pytest.Parser) -> None:
    # Registered here, at the root, so `pytest --update-reference` works from anywhere.
    parser.addoption(
        "--update-reference",
        action="store_true",
        default=False,
        help="rewrite the reference .tex files instead of comparing with them",
    )
    parser.addoption(
        "--update-openapi",
        action="store_true",
        default=False,
        help="rewrite docs/openapi.json from the app (refused while a breaking change is "
             "not named in CHANGELOG.md's top section)",
    )
