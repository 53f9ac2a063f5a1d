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

pytest_plugins = ["tests.service_fixtures"]


def pytest_addoption(parser: pytest.Parser) -> None:
    # Registered here, at the root, so `pytest --update-reference` works from anywhere.
    parser.addoption(
        "--update-reference",
        action="store_true",
        default=False,
        help="rewrite the reference .tex files instead of comparing with them",
    )
